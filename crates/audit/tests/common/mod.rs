//! Shared helpers for the audit's integration tests: parse command lines the way `frontdesk
//! audit` will, run the audit into buffers, and find fixtures.

#![allow(dead_code)]

use clap::Parser;
use frontdesk_audit::{AuditArgs, AuditError, BusinessHours};
use serde_json::Value;

#[derive(Parser)]
#[command(name = "audit")]
struct Cli {
    #[command(flatten)]
    audit: AuditArgs,
}

pub fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

pub fn args(list: &[&str]) -> AuditArgs {
    let mut all = vec!["audit"];
    all.extend_from_slice(list);
    match Cli::try_parse_from(all) {
        Ok(cli) => cli.audit,
        Err(e) => panic!("command line should parse: {e}"),
    }
}

/// Runs the audit; returns what it printed and its notes on standard error.
pub fn run_with(
    list: &[&str],
    hours: Option<&dyn BusinessHours>,
) -> Result<(String, String), AuditError> {
    let a = args(list);
    let mut out = Vec::new();
    let mut err = Vec::new();
    frontdesk_audit::run(&a, hours, &mut out, &mut err, None)?;
    Ok((
        String::from_utf8(out).expect("report is UTF-8"),
        String::from_utf8(err).expect("notes are UTF-8"),
    ))
}

pub fn run(list: &[&str]) -> Result<(String, String), AuditError> {
    run_with(list, None)
}

/// Runs with `--json` and parses the result.
pub fn run_json(list: &[&str]) -> (Value, String) {
    let mut l = list.to_vec();
    l.push("--json");
    let (out, err) = run(&l).expect("audit runs");
    (serde_json::from_str(&out).expect("valid JSON"), err)
}

/// Parses a command line, returning clap's error instead of failing.
pub fn try_args(list: &[&str]) -> Result<AuditArgs, clap::Error> {
    let mut all = vec!["audit"];
    all.extend_from_slice(list);
    Cli::try_parse_from(all).map(|c| c.audit)
}
