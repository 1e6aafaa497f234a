use super::*;

const TWO: &str = r#"{"id":"a-1","source":"frontdesk","now":"2026-11-24T19:30:00-06:00","text":"yes please","expect":{"intents":["affirm"],"intents_complete":true}}

{"id":"a-2","source":"frontdesk","now":"2026-11-24T19:30:00-06:00","asked":"name","text":"Sam Jones","expect":{"name":"sam  jones"}}
"#;

#[test]
fn case_files_parse_with_asked_and_blank_lines() {
    let cases = parse_cases(TWO, "two.jsonl").expect("parses");
    assert_eq!(cases.len(), 2);
    assert_eq!(cases[1].asked, Some(Asked::Name));
    assert_eq!(cases[0].now, "2026-11-24T19:30:00-06:00");
}

#[test]
fn a_bad_line_is_reported_with_file_and_line() {
    let err = parse_cases("{\"id\":1}\n", "bad.jsonl").unwrap_err();
    assert!(err.starts_with("bad.jsonl:1:"), "{err}");
}

#[test]
fn now_keeps_the_wall_clock_and_reads_the_offset() {
    let (dt, off) = parse_now("2013-02-12T04:30:00-02:00").expect("parses");
    assert_eq!(dt, DateTime::constant(2013, 2, 12, 4, 30, 0, 0));
    assert_eq!(off, Some(-7200));
}

#[test]
fn names_score_after_case_folding_and_collapsing_spaces() {
    let cases = parse_cases(TWO, "two.jsonl").expect("parses");
    let (report, preds) = score(&cases, &Lexicon::empty());
    assert_eq!(preds.len(), 2);
    assert_eq!(report.fields["name"].total, 1);
    assert_eq!(report.fields["name"].right, 1);
    assert_eq!(report.intents["affirm"].recalled, 1);
}

#[test]
fn a_missing_urgency_counts_as_normal() {
    let body = r#"{"id":"u","now":"2026-11-24T19:30:00-06:00","text":"hello there","expect":{"urgency":"normal"}}"#;
    let cases = parse_cases(body, "u.jsonl").expect("parses");
    let (report, _) = score(&cases, &Lexicon::empty());
    assert_eq!(report.fields["urgency"].right, 1);
    assert!(report.render_text().contains("urgency"));
}
