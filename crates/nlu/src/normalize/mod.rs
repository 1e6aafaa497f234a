//! Normalisation and tokenisation shared by every reader: the utterance is cut to a bounded
//! length, folded to lowercase ASCII-ish text (accents dropped, curly quotes straightened,
//! apostrophes inside words removed so "don't" reads "dont"), and split into word, number and
//! punctuation tokens that remember whether whitespace preceded them ("3pm" is `3` + `pm` glued).
//! Number words ("twenty three", "a hundred") are read here too.

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::rc::Rc;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use unicode_normalization::UnicodeNormalization;

mod numbers;
pub use numbers::*;

/// A compiled phrase list, with a fingerprint of the list it was built from.
struct Compiled {
    first: String,
    count: usize,
    ac: Rc<AhoCorasick>,
}

/// Compiled phrase lists by list address.
type Cache = RefCell<HashMap<(usize, usize), Compiled, BuildHasherDefault<AddrHasher>>>;

thread_local! {
    /// Phrase lists are compile-time constants; each is compiled once per thread into an
    /// Aho-Corasick automaton, keyed by the list's address (and checked by content).
    static MATCHERS: Cache = RefCell::new(HashMap::default());
    /// The same lists compiled to report every occurrence, overlapping ones included.
    static OVERLAPPING: Cache = RefCell::new(HashMap::default());
}

/// A hasher for list addresses: they are already well spread.
#[derive(Default)]
struct AddrHasher(u64);

impl Hasher for AddrHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }
    fn write_usize(&mut self, n: usize) {
        self.0 = (self.0.rotate_left(17) ^ n as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

fn matcher(key: (usize, usize), phrases: &[&str]) -> Option<Rc<AhoCorasick>> {
    compiled(&MATCHERS, MatchKind::LeftmostFirst, key, phrases)
}

fn compiled(
    cache: &'static std::thread::LocalKey<Cache>,
    kind: MatchKind,
    key: (usize, usize),
    phrases: &[&str],
) -> Option<Rc<AhoCorasick>> {
    let first = phrases.first()?;
    cache.with(|m| {
        let mut m = m.borrow_mut();
        if let Some(c) = m.get(&key)
            && c.count == phrases.len()
            && c.first == *first
        {
            return Some(c.ac.clone());
        }
        let pats: Vec<String> = phrases.iter().map(|p| format!(" {p} ")).collect();
        let ac = AhoCorasick::builder()
            .match_kind(kind)
            .kind(Some(AhoCorasickKind::DFA))
            .prefilter(false)
            .build(&pats)
            .ok()?;
        let ac = Rc::new(ac);
        if m.len() > 4096 {
            m.clear();
        }
        m.insert(
            key,
            Compiled {
                first: first.to_string(),
                count: phrases.len(),
                ac: ac.clone(),
            },
        );
        Some(ac)
    })
}

/// Longest input read, in bytes; a caller turn is never longer, and the bound keeps every reader
/// linear and fast on junk.
pub const MAX_INPUT: usize = 2048;
/// Most tokens read.
const MAX_TOKENS: usize = 400;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Word,
    Num,
    Punct,
}

#[derive(Debug, Clone)]
pub struct Token {
    /// Lowercased text of the token.
    pub text: String,
    pub kind: Kind,
    /// Whitespace (or the start) came before it.
    pub spaced: bool,
    /// Value of a digit run of at most nine digits.
    pub num: Option<u32>,
    /// Byte range in `Normalized::raw`.
    pub start: usize,
    pub end: usize,
    /// The original text began with an uppercase letter.
    pub capital: bool,
}

impl Token {
    pub fn is_any(&self, ws: &[&str]) -> bool {
        ws.contains(&self.text.as_str())
    }
}

/// An utterance ready for the readers.
#[derive(Debug, Clone)]
pub struct Normalized {
    /// The (cut) original text with curly quotes straightened.
    pub raw: String,
    pub tokens: Vec<Token>,
    /// Lowercased words joined by single spaces, with a space at both ends, for phrase lookups
    /// (`contains(" thank you ")`). Punctuation is dropped from it.
    pub flat: String,
}

fn fold_char(c: char) -> Option<char> {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{02bc}' | '`' | '\u{b4}' => Some('\''),
        '\u{201c}' | '\u{201d}' => Some('"'),
        '\u{2013}' | '\u{2014}' | '\u{2212}' => Some('-'),
        '\u{a0}' | '\t' | '\n' | '\r' => Some(' '),
        c if c.is_control() => Some(' '),
        c => Some(c),
    }
}

impl Normalized {
    pub fn new(text: &str) -> Normalized {
        let mut cut = text.len().min(MAX_INPUT);
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        let mut raw = String::with_capacity(cut);
        for c in text[..cut].chars() {
            if c.is_ascii() {
                raw.push(fold_char(c).unwrap_or(' '));
            } else if let Some(word) = emoji_word(c) {
                raw.push(' ');
                raw.push_str(word);
                raw.push(' ');
            } else {
                // Drop accents: decompose and keep the base characters.
                for d in c.nfd() {
                    if unicode_normalization::char::is_combining_mark(d) {
                        continue;
                    }
                    if let Some(f) = fold_char(d) {
                        raw.push(f);
                    }
                }
            }
        }
        let mut tokens = tokenize(&raw);
        respell_shorthand(&mut tokens);
        // Shouted text (no lowercase letter) says nothing through capitals.
        if !raw.chars().any(char::is_lowercase) {
            for t in &mut tokens {
                t.capital = false;
            }
        }
        let mut flat = String::with_capacity(raw.len() + 2);
        flat.push(' ');
        for t in &tokens {
            if t.kind != Kind::Punct {
                flat.push_str(&t.text);
                flat.push(' ');
            }
        }
        Normalized { raw, tokens, flat }
    }

    /// The flat text contains the phrase as whole words (`phrase` without outer spaces).
    pub fn has(&self, phrase: &str) -> bool {
        let bytes = self.flat.as_bytes();
        let p = phrase.as_bytes();
        if p.is_empty() || p.len() + 2 > bytes.len() {
            return false;
        }
        let mut from = 0;
        while let Some(k) = memchr_find(&bytes[from..], p) {
            let at = from + k;
            if at > 0 && bytes[at - 1] == b' ' && bytes.get(at + p.len()) == Some(&b' ') {
                return true;
            }
            from = at + 1;
        }
        false
    }

    /// Any of the phrases occurs as whole words.
    pub fn has_any(&self, phrases: &[&str]) -> bool {
        self.first_of(phrases).is_some()
    }

    /// Byte position in `flat` of the leftmost phrase found (a compiled list is reused).
    pub fn first_of(&self, phrases: &[&str]) -> Option<usize> {
        let key = (phrases.as_ptr() as usize, phrases.len());
        let ac = matcher(key, phrases)?;
        ac.find(self.flat.as_str()).map(|m| m.start())
    }

    /// Every whole-word occurrence of any of the phrases, overlapping ones included: (byte
    /// position in `flat` of the space before it, as `first_of` reports, and the phrase's
    /// index), in no particular order.
    pub fn all_of(&self, phrases: &[&str]) -> Vec<(usize, usize)> {
        let key = (phrases.as_ptr() as usize, phrases.len());
        let Some(ac) = compiled(&OVERLAPPING, MatchKind::Standard, key, phrases) else {
            return Vec::new();
        };
        ac.find_overlapping_iter(self.flat.as_str())
            .map(|m| (m.start(), m.pattern().as_usize()))
            .collect()
    }

    /// Word (non-punct) tokens only, lowercased.
    pub fn words(&self) -> impl Iterator<Item = &str> {
        self.tokens
            .iter()
            .filter(|t| t.kind != Kind::Punct)
            .map(|t| t.text.as_str())
    }

    pub fn tok(&self, i: usize) -> Option<&Token> {
        self.tokens.get(i)
    }

    pub fn text_at(&self, i: usize) -> &str {
        self.tokens.get(i).map(|t| t.text.as_str()).unwrap_or("")
    }

    /// The original text of tokens `from..to`.
    pub fn span(&self, from: usize, to: usize) -> &str {
        if from >= to || to > self.tokens.len() {
            return "";
        }
        let s = self.tokens[from].start;
        let e = self.tokens[to - 1].end;
        self.raw.get(s..e).unwrap_or("")
    }
}

/// Emoji that answer a question: a thumbs-up is a yes, a thumbs-down a no.
fn emoji_word(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{1f44d}' | '\u{1f44c}' | '\u{2705}' | '\u{2714}' | '\u{1f197}' => "yes",
        '\u{1f44e}' | '\u{274c}' | '\u{1f6ab}' => "no",
        '\u{1f64f}' => "thanks",
        _ => return None,
    })
}

/// Texting shorthand and common misspellings, as the word the readers know. One entry per
/// spelling; each is a whole word, so "u" in "u-turn" or a name is left alone when glued.
const SHORTHAND: &[(&str, &str)] = &[
    ("u", "you"),
    ("yu", "you"),
    ("ur", "your"),
    ("yr", "your"),
    ("r", "are"),
    ("tmrw", "tomorrow"),
    ("tmr", "tomorrow"),
    ("tmw", "tomorrow"),
    ("tmrrw", "tomorrow"),
    ("tomoro", "tomorrow"),
    ("tomorow", "tomorrow"),
    ("tommorow", "tomorrow"),
    ("tommorrow", "tomorrow"),
    ("2morrow", "tomorrow"),
    ("2mrw", "tomorrow"),
    ("tdy", "today"),
    ("tonite", "tonight"),
    ("thx", "thanks"),
    ("thnx", "thanks"),
    ("thanx", "thanks"),
    ("ty", "thanks"),
    ("pls", "please"),
    ("plz", "please"),
    ("plse", "please"),
    ("wat", "what"),
    ("wut", "what"),
    ("wht", "what"),
    ("whn", "when"),
    ("hw", "how"),
    ("whr", "where"),
    ("abt", "about"),
    ("appt", "appointment"),
    ("thru", "through"),
    ("cuz", "because"),
    ("bc", "because"),
    ("rn", "now"),
    ("msg", "message"),
    ("chnage", "change"),
    ("chage", "change"),
    ("oill", "oil"),
    ("brakse", "brakes"),
];

/// Rewrites texting shorthand ("u", "tmrw", "thx") to the words the readers know. A lone
/// letter answer is read as what it stands for: "y" is yes, "n" is no, "k" is ok.
fn respell_shorthand(tokens: &mut [Token]) {
    let words = tokens.iter().filter(|t| t.kind == Kind::Word).count();
    for k in 0..tokens.len() {
        if tokens[k].kind != Kind::Word {
            continue;
        }
        let glued_next = tokens
            .get(k + 1)
            .is_some_and(|n| !n.spaced && n.kind != Kind::Punct);
        let glued_prev = k > 0 && !tokens[k].spaced && tokens[k - 1].kind != Kind::Punct;
        if glued_next || glued_prev {
            continue;
        }
        let t = tokens[k].text.as_str();
        if words == 1 {
            let lone = match t {
                "y" | "yy" | "ye" | "yas" | "yass" => Some("yes"),
                "n" | "nn" => Some("no"),
                "k" | "kk" => Some("ok"),
                _ => None,
            };
            if let Some(w) = lone {
                tokens[k].text = w.to_string();
                continue;
            }
        }
        // "r" alone may be a reply code ("reply R to reschedule").
        if t == "r" && words == 1 {
            continue;
        }
        if let Some((_, w)) = SHORTHAND.iter().find(|(s, _)| *s == t) {
            tokens[k].text = (*w).to_string();
        }
    }
}

fn memchr_find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.len() > hay.len() {
        return None;
    }
    let first = needle[0];
    let mut i = 0;
    while i + needle.len() <= hay.len() {
        let rest = &hay[i..];
        let k = rest.iter().position(|b| *b == first)?;
        let at = i + k;
        if at + needle.len() > hay.len() {
            return None;
        }
        if &hay[at..at + needle.len()] == needle {
            return Some(at);
        }
        i = at + 1;
    }
    None
}

fn tokenize(raw: &str) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::new();
    let bytes: Vec<(usize, char)> = raw.char_indices().collect();
    let mut i = 0;
    let mut spaced = true;
    while i < bytes.len() && out.len() < MAX_TOKENS {
        let (pos, c) = bytes[i];
        if c.is_whitespace() {
            spaced = true;
            i += 1;
            continue;
        }
        let start = pos;
        let (kind, mut j) = if c.is_ascii_digit() {
            let mut j = i + 1;
            while j < bytes.len() && bytes[j].1.is_ascii_digit() {
                j += 1;
            }
            (Kind::Num, j)
        } else if c.is_alphabetic() {
            let mut j = i + 1;
            while j < bytes.len() {
                let ch = bytes[j].1;
                let inner_apostrophe = ch == '\''
                    && j + 1 < bytes.len()
                    && bytes[j + 1].1.is_alphabetic()
                    && bytes[j - 1].1.is_alphabetic();
                if ch.is_alphabetic() || inner_apostrophe {
                    j += 1;
                } else {
                    break;
                }
            }
            (Kind::Word, j)
        } else {
            (Kind::Punct, i + 1)
        };
        if j > bytes.len() {
            j = bytes.len();
        }
        let end = if j < bytes.len() {
            bytes[j].0
        } else {
            raw.len()
        };
        let piece = &raw[start..end];
        let text: String = match kind {
            Kind::Word => piece
                .chars()
                .filter(|c| *c != '\'')
                .flat_map(|c| c.to_lowercase())
                .collect(),
            _ => piece.to_string(),
        };
        let num = if kind == Kind::Num && piece.len() <= 9 {
            piece.parse::<u32>().ok()
        } else {
            None
        };
        let capital = c.is_uppercase();
        out.push(Token {
            text,
            kind,
            spaced,
            num,
            start,
            end,
            capital,
        });
        spaced = false;
        i = j;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glued_units_split_into_tokens() {
        let n = Normalized::new("3pm on the 2nd");
        let texts: Vec<&str> = n.tokens.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(texts, ["3", "pm", "on", "the", "2", "nd"]);
        assert!(!n.tokens[1].spaced);
    }

    #[test]
    fn contractions_lose_their_apostrophe() {
        let n = Normalized::new("I don\u{2019}t know, it's Sam");
        assert!(n.has("dont know"));
        assert!(n.has("its sam"));
    }

    #[test]
    fn number_words_read_compound_values() {
        let n = Normalized::new("twenty-three and one hundred five");
        assert_eq!(number_words(&n, 0), Some((23, 3)));
        assert_eq!(number_words(&n, 4), Some((105, 3)));
    }

    #[test]
    fn accents_are_dropped() {
        let n = Normalized::new("José");
        assert_eq!(n.tokens[0].text, "jose");
    }
}
