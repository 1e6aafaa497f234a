//! Which CSV column holds which fact. Twilio's export is recognised by its header names; other
//! providers' exports are read through `--columns from=Caller,start=Date,status=Result,...`.
//! Header names are compared ignoring case, spaces and punctuation (`Start Time` = `start_time`).

use std::fmt;
use std::str::FromStr;

use crate::AuditError;

/// A fact the audit reads from each row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    From,
    To,
    Start,
    Created,
    Status,
    Duration,
    Direction,
    Sid,
    Parent,
}

impl Field {
    pub const ALL: [Field; 9] = [
        Field::From,
        Field::To,
        Field::Start,
        Field::Created,
        Field::Status,
        Field::Duration,
        Field::Direction,
        Field::Sid,
        Field::Parent,
    ];

    /// The name used in `--columns`.
    pub fn key(self) -> &'static str {
        match self {
            Field::From => "from",
            Field::To => "to",
            Field::Start => "start",
            Field::Created => "created",
            Field::Status => "status",
            Field::Duration => "duration",
            Field::Direction => "direction",
            Field::Sid => "sid",
            Field::Parent => "parent",
        }
    }

    /// Normalised header names recognised without a mapping, best first.
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Field::From => &[
                "from",
                "caller",
                "callerid",
                "callernumber",
                "fromnumber",
                "callingnumber",
                "ani",
            ],
            Field::To => &[
                "to",
                "called",
                "tonumber",
                "callednumber",
                "dialednumber",
                "dnis",
            ],
            Field::Start => &[
                "starttime",
                "start",
                "callstart",
                "startedat",
                "datetime",
                "date",
                "time",
                "timestamp",
            ],
            Field::Created => &["datecreated", "createdat", "created"],
            Field::Status => &["status", "callstatus", "result", "disposition", "outcome"],
            Field::Duration => &[
                "duration",
                "durationseconds",
                "durationsec",
                "durations",
                "seconds",
                "callduration",
                "talktime",
                "billsec",
            ],
            Field::Direction => &["direction", "calldirection"],
            Field::Sid => &["sid", "callsid", "callid"],
            Field::Parent => &["parentcallsid", "parentsid", "parentcallid"],
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// `--columns from=Caller,start=Date,status=Result,duration=Seconds`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ColumnMap(pub Vec<(Field, String)>);

impl FromStr for ColumnMap {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let keys: Vec<&str> = Field::ALL.iter().map(|f| f.key()).collect();
        let mut out = Vec::new();
        for item in s.split(',').map(str::trim).filter(|i| !i.is_empty()) {
            let (k, v) = item.split_once('=').ok_or_else(|| {
                format!("cannot read column mapping \"{item}\": write it as field=Header, like from=Caller")
            })?;
            let k = k.trim().to_ascii_lowercase();
            let field = Field::ALL
                .iter()
                .copied()
                .find(|f| f.key() == k)
                .ok_or_else(|| {
                    format!(
                        "unknown field \"{k}\" in column mapping (fields: {})",
                        keys.join(", ")
                    )
                })?;
            let v = v.trim();
            if v.is_empty() {
                return Err(format!("column mapping for \"{k}\" names no column"));
            }
            out.push((field, v.to_string()));
        }
        Ok(ColumnMap(out))
    }
}

/// Lowercase ASCII letters and digits only: `Start Time` → `starttime`.
pub fn normalize_header(h: &str) -> String {
    h.trim_start_matches('\u{feff}')
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Column positions found in a header.
#[derive(Debug, Clone, Default)]
pub struct Columns {
    idx: [Option<usize>; 9],
    names: [Option<String>; 9],
}

impl Columns {
    pub fn get(&self, f: Field) -> Option<usize> {
        self.idx[f.index()]
    }

    /// The header text of the column holding `f`, for error messages.
    pub fn name(&self, f: Field) -> &str {
        self.names[f.index()].as_deref().unwrap_or(f.key())
    }

    /// Finds each field's column, by mapping first and by known names second.
    pub fn resolve(header: &[String], map: &ColumnMap) -> Result<Columns, AuditError> {
        let mut cols = Columns::default();
        let normalized: Vec<String> = header.iter().map(|h| normalize_header(h)).collect();
        let listing = || {
            header
                .iter()
                .map(|h| format!("\"{}\"", h.trim_start_matches('\u{feff}')))
                .collect::<Vec<_>>()
                .join(", ")
        };
        for (field, wanted) in &map.0 {
            let w = normalize_header(wanted);
            let pos = header
                .iter()
                .position(|h| {
                    h.trim_start_matches('\u{feff}')
                        .trim()
                        .eq_ignore_ascii_case(wanted.trim())
                })
                .or_else(|| normalized.iter().position(|h| !w.is_empty() && *h == w))
                .ok_or_else(|| AuditError::MappedColumnMissing {
                    field: field.key(),
                    column: wanted.clone(),
                    found: listing(),
                })?;
            cols.idx[field.index()] = Some(pos);
        }
        for field in Field::ALL {
            if cols.idx[field.index()].is_some() {
                continue;
            }
            let taken: Vec<usize> = cols.idx.iter().flatten().copied().collect();
            cols.idx[field.index()] = field.aliases().iter().find_map(|a| {
                normalized
                    .iter()
                    .enumerate()
                    .find(|(i, h)| *h == a && !taken.contains(i))
                    .map(|(i, _)| i)
            });
        }
        for field in Field::ALL {
            if let Some(i) = cols.idx[field.index()] {
                cols.names[field.index()] =
                    Some(header[i].trim_start_matches('\u{feff}').to_string());
            }
        }
        let require = |f: Field, hint: &str| -> Result<(), AuditError> {
            if cols.get(f).is_none() {
                return Err(AuditError::MissingColumn {
                    field: f.key(),
                    hint: hint.to_string(),
                    found: listing(),
                });
            }
            Ok(())
        };
        require(Field::From, "the caller's number, e.g. \"From\"")?;
        require(Field::Status, "the call's outcome, e.g. \"Status\"")?;
        if cols.get(Field::Start).is_none() && cols.get(Field::Created).is_none() {
            require(Field::Start, "when the call started, e.g. \"Start Time\"")?;
        }
        Ok(cols)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(s: &str) -> Vec<String> {
        s.split(',').map(str::to_string).collect()
    }

    #[test]
    fn twilio_headers_are_recognised_without_a_mapping() {
        let h = header(
            "Date Created,Start Time,End Time,Duration,From,To,Direction,Status,Price,Price Unit,Sid,Parent Call Sid",
        );
        let c = Columns::resolve(&h, &ColumnMap::default()).expect("resolves");
        assert_eq!(c.get(Field::Start), Some(1));
        assert_eq!(c.get(Field::Created), Some(0));
        assert_eq!(c.get(Field::From), Some(4));
        assert_eq!(c.get(Field::Parent), Some(11));
        assert_eq!(c.name(Field::Status), "Status");
    }

    #[test]
    fn a_mapping_naming_a_missing_column_says_which_one() {
        let map: ColumnMap = "from=Caller,start=Date".parse().expect("parses");
        let err = Columns::resolve(&header("Date,Number,Result"), &map)
            .unwrap_err()
            .to_string();
        assert!(err.contains("\"Caller\""), "{err}");
        assert!(err.contains("\"Number\""), "{err}");
    }

    #[test]
    fn a_file_without_a_status_column_is_refused_with_the_columns_it_has() {
        let err = Columns::resolve(&header("From,Start Time,Seconds"), &ColumnMap::default())
            .unwrap_err()
            .to_string();
        assert!(err.contains("status"), "{err}");
        assert!(err.contains("\"Seconds\""), "{err}");
    }

    #[test]
    fn a_mapping_with_an_unknown_field_lists_the_known_ones() {
        let err = "caller=From".parse::<ColumnMap>().unwrap_err();
        assert!(
            err.contains("\"caller\"") && err.contains("duration"),
            "{err}"
        );
        assert!("from".parse::<ColumnMap>().is_err());
    }
}
