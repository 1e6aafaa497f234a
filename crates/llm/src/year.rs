//! Whether the caller said a vehicle year the model reported: as four digits ("2009"), as its
//! last two ("'09", "09", "14"), or in words for those two ("oh nine", "fourteen", "twenty
//! one"). A year nobody said is the model's invention and is dropped like an unsaid name.

const ONES: [&str; 10] = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
];
const TEENS: [&str; 10] = [
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
const TENS: [&str; 8] = [
    "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];

/// The ways a caller may say the two last digits `n` (0..=99) in words.
fn spoken(n: i32) -> Vec<String> {
    let (tens, ones) = ((n / 10) as usize, (n % 10) as usize);
    match tens {
        0 => ["oh", "o", "zero"]
            .iter()
            .map(|z| format!("{z} {}", ONES[ones]))
            .collect(),
        1 => vec![TEENS[ones].to_string()],
        _ if ones == 0 => vec![TENS[tens - 2].to_string()],
        _ => vec![format!("{} {}", TENS[tens - 2], ONES[ones])],
    }
}

/// Whether `year` is said in `text` (see the module docs).
pub(crate) fn said(year: i32, text: &str) -> bool {
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let two = year % 100;
    if words
        .iter()
        .any(|w| *w == year.to_string() || *w == format!("{two:02}") || *w == two.to_string())
    {
        return true;
    }
    let joined = format!(" {} ", words.join(" "));
    spoken(two)
        .iter()
        .any(|s| joined.contains(&format!(" {s} ")))
}

#[cfg(test)]
mod tests {
    use super::said;

    #[test]
    fn a_year_said_in_digits_or_words_is_said_and_one_nobody_said_is_not() {
        assert!(said(2009, "the old yota pickup from oh nine"));
        assert!(said(2009, "an '09 tacoma"));
        assert!(said(2014, "a 2014 honda civic"));
        assert!(said(2014, "fourteen civic"));
        assert!(said(2021, "twenty twenty one f-150"));
        assert!(!said(
            2022,
            "my ride's been acting up, kind of a shudder thing"
        ));
        assert!(!said(2015, "a honda civic"));
    }
}
