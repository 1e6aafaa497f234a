//! `frontdesk audit` on its own, for trying the audit before the main binary embeds it:
//! `cargo run -p frontdesk-audit --example audit -- --sample 30d > calls.csv` then
//! `cargo run -p frontdesk-audit --example audit -- calls.csv --html report.html`.

use clap::Parser;

#[derive(Parser)]
#[command(name = "frontdesk audit", about = "What missed calls cost the shop")]
struct Cli {
    #[command(flatten)]
    audit: frontdesk_audit::AuditArgs,
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let mut out = std::io::stdout().lock();
    let mut err = std::io::stderr();
    match frontdesk_audit::run(&cli.audit, None, &mut out, &mut err, None) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
