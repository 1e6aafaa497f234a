//! Diagnostics: what is wrong with a profile, where (file, line, column), and how to fix it.
//!
//! Positions come from byte spans in the TOML text; [`Report`]'s `Display` renders every finding
//! as a rustc-style block with the offending source line underlined.

use std::fmt;
use std::ops::Range;

use serde::Serialize;

/// How bad a finding is. Errors stop a profile from loading; warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    #[default]
    Error,
    Warning,
}

/// One finding in one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    pub message: String,
    pub hint: Option<String>,
    pub severity: Severity,
    /// The text of the source line (without its newline), for rendering; empty if unknown.
    pub source_line: String,
    /// How many characters from `column` to underline (at least 1 when rendered).
    pub width: usize,
}

impl Diagnostic {
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        writeln!(f, "{label}: {}", self.message)?;
        let gutter = self.line.to_string().len();
        let pad = " ".repeat(gutter);
        writeln!(f, "{pad}--> {}:{}:{}", self.file, self.line, self.column)?;
        if !self.source_line.is_empty() {
            // Tabs are shown as four spaces so the underline lines up.
            let expand = |s: &str| s.replace('\t', "    ");
            let shown = expand(&self.source_line);
            let chars: Vec<char> = self.source_line.chars().collect();
            let start = self.column.saturating_sub(1).min(chars.len());
            let end = (start + self.width.max(1)).min(chars.len().max(start + 1));
            let before: String = chars[..start].iter().collect();
            let marked: String = chars[start..end.min(chars.len())].iter().collect();
            let pad_len = expand(&before).chars().count();
            let width = expand(&marked).chars().count().max(1);
            writeln!(f, "{pad} |")?;
            writeln!(f, "{} | {shown}", self.line)?;
            writeln!(f, "{pad} | {}{}", " ".repeat(pad_len), "^".repeat(width))?;
        }
        if let Some(hint) = &self.hint {
            writeln!(f, "{pad} = hint: {hint}")?;
        }
        Ok(())
    }
}

/// Every finding from loading one or more profile files. Returned as the error of
/// [`crate::parse`] and [`crate::load`] when at least one finding is an error.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.is_error())
    }

    pub fn error_count(&self) -> usize {
        self.errors().count()
    }

    pub fn warning_count(&self) -> usize {
        self.diagnostics.len() - self.error_count()
    }

    pub fn has_errors(&self) -> bool {
        self.error_count() > 0
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Report {}

/// A TOML text with its label, turning byte offsets into line/column diagnostics.
pub(crate) struct Source<'a> {
    pub label: &'a str,
    pub text: &'a str,
}

impl Source<'_> {
    /// 1-based line and column (in characters) of a byte offset, clamped into the text.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = self.text[line_start..offset].chars().count() + 1;
        (line, column)
    }

    fn line_text(&self, line: usize) -> String {
        self.text
            .lines()
            .nth(line.saturating_sub(1))
            .unwrap_or("")
            .trim_end_matches('\r')
            .to_string()
    }

    pub fn diag(
        &self,
        severity: Severity,
        span: Range<usize>,
        message: impl Into<String>,
        hint: Option<String>,
    ) -> Diagnostic {
        let (line, column) = self.line_col(span.start);
        let source_line = self.line_text(line);
        // Underline up to the end of the span, but never past the end of this line.
        let end = span.end.max(span.start).min(self.text.len());
        let (end_line, end_col) = self.line_col(end);
        let width = if end_line == line {
            end_col.saturating_sub(column)
        } else {
            source_line.chars().count().saturating_sub(column - 1)
        };
        Diagnostic {
            file: self.label.to_string(),
            line,
            column,
            message: message.into(),
            hint,
            severity,
            source_line,
            width,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_offsets_become_lines_and_character_columns() {
        let src = Source {
            label: "x.toml",
            text: "a = 1\nnamé = \"x\"\nb = 2\n",
        };
        assert_eq!(src.line_col(0), (1, 1));
        assert_eq!(src.line_col(6), (2, 1));
        // `=` after "namé " is the 6th character but the 7th byte of line 2.
        assert_eq!(src.line_col(6 + 6), (2, 6));
        assert_eq!(src.line_col(10_000), (4, 1));
    }

    #[test]
    fn the_underline_stays_under_the_value_when_the_line_has_tabs() {
        let src = Source {
            label: "shop.toml",
            text: "bays\t=\t0\n",
        };
        let shown = src
            .diag(Severity::Error, 7..8, "`bays` is 0", None)
            .to_string();
        assert!(
            shown.contains("1 | bays    =    0\n  |              ^\n"),
            "{shown}"
        );
    }

    #[test]
    fn a_rendered_error_shows_file_position_source_and_hint() {
        let src = Source {
            label: "shop.toml",
            text: "[booking]\nbays = 0\n",
        };
        let d = src.diag(
            Severity::Error,
            17..18,
            "`bays` is 0",
            Some("a shop needs at least one bay".into()),
        );
        let shown = d.to_string();
        assert_eq!(
            shown,
            "error: `bays` is 0\n --> shop.toml:2:8\n  |\n2 | bays = 0\n  |        ^\n  = hint: a shop needs at least one bay\n"
        );
    }
}
