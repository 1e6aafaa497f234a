//! `cargo run -p frontdesk-profile --example check -- PATH`: checks a profile file or folder and
//! prints every finding, or the summary of each business when it is valid.

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "examples/auto-shop.toml".into());
    let (profiles, report) = frontdesk_profile::load_with_report(std::path::Path::new(&path));
    if !report.diagnostics.is_empty() {
        eprintln!("{report}");
    }
    if report.has_errors() {
        eprintln!(
            "{} errors, {} warnings",
            report.error_count(),
            report.warning_count()
        );
        std::process::exit(1);
    }
    for p in profiles {
        println!("{}", p.summary());
    }
}
