//! The `frontdesk` command line: flags and environment variables parsed with clap, each
//! subcommand a thin call into the library.

use std::io::Write as _;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context as _, bail};
use clap::{Args, Parser, Subcommand};

mod demo;
mod figures;

use figures::{audit, eval, export, report};

pub use demo::DEMO_EMAIL;

use crate::app::{App, Settings};
use crate::clock::SystemClock;
use crate::serve::Mode;

#[derive(Debug, Parser)]
#[command(
    name = "frontdesk",
    version,
    about = "An AI receptionist for service businesses: answers calls and texts, quotes from the real menu, books into the real calendar, briefs the owner."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP server (Twilio webhooks, API, dashboard) and the jobs worker.
    Serve(ServeArgs),
    /// Talk to the receptionist in the terminal, as a caller would.
    Chat(ChatArgs),
    /// Serve the example auto shop with the dashboard and a browser phone simulator.
    Demo(DemoArgs),
    /// Validate a business profile (file or folder): every error with file, line and a fix.
    Check(CheckArgs),
    /// Score the understanding layer on a JSONL case file.
    Eval(EvalArgs),
    /// Run scripted multi-turn call scenarios against a profile.
    TestCalls(TestCallsArgs),
    /// The missed-lead audit of a call-log CSV: missed and after-hours calls, lost revenue.
    Audit(Box<AuditCmd>),
    /// Print the daily or monthly figures for a past period.
    Report(ReportArgs),
    /// Export contacts, appointments or conversations as CSV.
    Export(ExportArgs),
    /// Manage dashboard accounts.
    User(UserArgs),
}

/// Where the business profile comes from.
#[derive(Debug, Clone, Args)]
pub struct ProfileArg {
    /// A business profile file, or a folder of them.
    #[arg(long, env = "FRONTDESK_PROFILE")]
    pub profile: Option<PathBuf>,
}

/// Where the data lives.
#[derive(Debug, Clone, Args)]
pub struct DbArgs {
    /// Database URL: sqlite://PATH (add ?mode=rwc to create) or postgres://USER@HOST/DB.
    /// Default: a SQLite file in the data directory, created on first run.
    #[arg(long, env = "DATABASE_URL")]
    pub db: Option<String>,
    /// Folder for the default SQLite database and other local state.
    #[arg(long, env = "FRONTDESK_DATA_DIR", default_value = "frontdesk-data")]
    pub data_dir: PathBuf,
}

impl DbArgs {
    /// The database URL to open, creating the data directory for the default one.
    pub fn url(&self) -> anyhow::Result<String> {
        match &self.db {
            Some(url) => Ok(url.clone()),
            None => {
                std::fs::create_dir_all(&self.data_dir).with_context(|| {
                    format!(
                        "cannot create data directory {:?}",
                        self.data_dir.display().to_string()
                    )
                })?;
                Ok(crate::store::default_url(&self.data_dir))
            }
        }
    }
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub profile: ProfileArg,
    #[command(flatten)]
    pub db: DbArgs,
    /// Address to listen on.
    #[arg(long, env = "FRONTDESK_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Serve HTTP only; leave jobs to other processes.
    #[arg(long, conflicts_with = "worker_only")]
    pub web_only: bool,
    /// Run the jobs worker only, without HTTP.
    #[arg(long)]
    pub worker_only: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The profile file or folder to check.
    #[arg(env = "FRONTDESK_PROFILE")]
    pub path: PathBuf,
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    #[command(flatten)]
    pub profile: ProfileArg,
    /// JSONL case files (format: shared eval README).
    #[arg(required = true)]
    pub cases: Vec<PathBuf>,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
    /// Write one line per case with what was understood.
    #[arg(long)]
    pub predictions: Option<PathBuf>,
    /// Score the language-model path (LLM_BASE_URL, LLM_MODEL, LLM_API_KEY) merged with the
    /// built-in one, instead of the built-in one alone.
    #[arg(long)]
    pub llm: bool,
}

#[derive(Debug, Args)]
pub struct AuditCmd {
    #[command(flatten)]
    pub profile: ProfileArg,
    #[command(flatten)]
    pub args: frontdesk_audit::AuditArgs,
}

#[derive(Debug, Args)]
pub struct ChatArgs {
    #[command(flatten)]
    pub profile: ProfileArg,
    #[command(flatten)]
    pub db: DbArgs,
    /// Talk as if texting (replies as SMS) rather than calling.
    #[arg(long)]
    pub sms: bool,
    /// The caller's number.
    #[arg(long = "as", default_value = "+15125550143")]
    pub caller: String,
    /// Business-local start time, like 2026-11-24T19:30 (default: now).
    #[arg(long)]
    pub now: Option<String>,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub profile: ProfileArg,
    #[command(flatten)]
    pub db: DbArgs,
    /// One business-local day, like 2026-11-24.
    #[arg(long, conflicts_with = "month")]
    pub day: Option<String>,
    /// One month, like 2026-11.
    #[arg(long)]
    pub month: Option<String>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub profile: ProfileArg,
    #[command(flatten)]
    pub db: DbArgs,
    /// What to export: contacts, appointments or conversations.
    pub what: String,
    /// Write CSV (the only format for now; kept for clarity in scripts).
    #[arg(long, default_value_t = true)]
    pub csv: bool,
}

#[derive(Debug, Args)]
pub struct TestCallsArgs {
    /// Scenario files (TOML) or folders of them.
    #[arg(required = true)]
    pub scenarios: Vec<PathBuf>,
    /// Run with the language model (LLM_BASE_URL, LLM_MODEL, LLM_API_KEY) in the loop.
    #[arg(long)]
    pub llm: bool,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Folder for the demo's database and profile.
    #[arg(long, env = "FRONTDESK_DATA_DIR", default_value = "frontdesk-data")]
    pub data_dir: PathBuf,
    /// Address to listen on.
    #[arg(long, env = "FRONTDESK_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
}

#[derive(Debug, Args)]
pub struct UserArgs {
    #[command(flatten)]
    pub db: DbArgs,
    #[command(subcommand)]
    pub action: UserAction,
}

#[derive(Debug, Subcommand)]
pub enum UserAction {
    /// Create an account (the password is read from --password, FRONTDESK_PASSWORD or stdin).
    Add {
        email: String,
        /// operator (every business), owner or staff (one business).
        #[arg(long, default_value = "owner")]
        role: String,
        /// The business an owner or staff account belongs to.
        #[arg(long)]
        business: Option<String>,
        #[arg(long, env = "FRONTDESK_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
    /// Set a new password and sign the account out everywhere.
    Passwd {
        email: String,
        #[arg(long, env = "FRONTDESK_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
    /// Delete an account and revoke its sessions.
    Remove { email: String },
}

/// A subcommand whose issue has not landed yet.
#[derive(Debug, Args)]
pub struct NotYet {
    #[arg(trailing_var_arg = true, allow_hyphen_values = true, hide = true)]
    pub rest: Vec<String>,
}

/// Runs the parsed command line.
pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Serve(args) => serve(args).await,
        Command::Check(args) => Ok(check(&args.path)),
        Command::Eval(args) => eval(args).await,
        Command::Audit(cmd) => audit(*cmd),
        Command::Chat(args) => chat(args).await,
        Command::Demo(args) => {
            demo::run(&args.data_dir, args.listen).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::TestCalls(args) => test_calls(args).await,
        Command::Report(args) => report(args).await,
        Command::Export(args) => export(args).await,
        Command::User(args) => user(args).await,
    }
}

fn password_or_stdin(given: Option<String>) -> anyhow::Result<String> {
    match given {
        Some(p) => Ok(p),
        None => {
            eprint!("password: ");
            let mut line = String::new();
            std::io::stdin().read_line(&mut line)?;
            Ok(line.trim_end_matches(['\r', '\n']).to_string())
        }
    }
}

async fn user(args: UserArgs) -> anyhow::Result<ExitCode> {
    use crate::dashboard::auth;
    let store = crate::store::open(&args.db.url()?).await?;
    let now = jiff::Timestamp::now();
    match args.action {
        UserAction::Add {
            email,
            role,
            business,
            password,
        } => {
            let role = match role.as_str() {
                "operator" => crate::store::Role::Operator,
                "owner" => crate::store::Role::Owner,
                "staff" => crate::store::Role::Staff,
                other => bail!("unknown role {other:?}: use operator, owner or staff"),
            };
            let password = password_or_stdin(password)?;
            auth::add_user(
                store.as_ref(),
                &email,
                &password,
                role,
                business.as_deref(),
                now,
            )
            .await?;
            println!("added {email}");
        }
        UserAction::Passwd { email, password } => {
            let password = password_or_stdin(password)?;
            auth::change_password(store.as_ref(), &email, &password, now).await?;
            println!("password changed for {email}; its sessions were signed out");
        }
        UserAction::Remove { email } => {
            auth::remove_user(store.as_ref(), &email, now).await?;
            println!("removed {email}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Loads the profiles named by `--profile`, or fails with a hint.
pub fn load_profiles(arg: &ProfileArg) -> anyhow::Result<Vec<frontdesk_profile::Profile>> {
    let Some(path) = &arg.profile else {
        bail!(
            "no business profile: pass --profile PATH or set FRONTDESK_PROFILE (try --profile examples/auto-shop.toml)"
        );
    };
    frontdesk_profile::load(path).map_err(|report| anyhow::anyhow!("{report}"))
}

async fn serve(args: ServeArgs) -> anyhow::Result<ExitCode> {
    crate::telemetry::init_logs();
    let profiles = load_profiles(&args.profile)?;
    let url = args.db.url()?;
    let store = crate::store::open(&url).await?;
    let settings = Settings {
        profile_path: args.profile.profile.clone(),
        ..Settings::from_env()
    };
    let llm = frontdesk_llm::LlmConfig::from_env().map(frontdesk_llm::Llm::new);
    match &llm {
        Some(l) => tracing::info!(model = %l.config().model, "language model on"),
        None => tracing::info!("language model off (set LLM_BASE_URL and LLM_MODEL to use one)"),
    }
    let app = App::new(store, Arc::new(SystemClock), profiles, settings).with_llm(llm);
    app.register_businesses().await?;
    let mode = match (args.web_only, args.worker_only) {
        (true, _) => Mode::WebOnly,
        (_, true) => Mode::WorkerOnly,
        _ => Mode::Both,
    };
    crate::serve::run(app, args.listen, mode).await?;
    Ok(ExitCode::SUCCESS)
}

/// `frontdesk check`: every finding with file, line and hint; the summary when valid.
pub fn check(path: &Path) -> ExitCode {
    let (profiles, report) = frontdesk_profile::load_with_report(path);
    if !report.diagnostics.is_empty() {
        eprintln!("{report}");
    }
    if report.has_errors() {
        eprintln!(
            "{}: {} error(s), {} warning(s)",
            path.display(),
            report.error_count(),
            report.warning_count()
        );
        return ExitCode::FAILURE;
    }
    let mut out = std::io::stdout().lock();
    for p in &profiles {
        let _ = writeln!(out, "{}", p.summary());
    }
    let _ = writeln!(out, "ok: {} business profile(s) valid", profiles.len());
    ExitCode::SUCCESS
}

/// The profile for commands that can run on the embedded example.
fn profile_or_example(arg: &ProfileArg) -> anyhow::Result<frontdesk_profile::Profile> {
    match &arg.profile {
        Some(_) => load_profiles(arg)?
            .into_iter()
            .next()
            .context("no business in the profile"),
        None => Ok(frontdesk_profile::example()),
    }
}

async fn chat(args: ChatArgs) -> anyhow::Result<ExitCode> {
    let profile = profile_or_example(&args.profile)?;
    let store = crate::store::open(&args.db.url()?).await?;
    let opts = crate::chat::ChatOptions {
        sms: args.sms,
        caller: args.caller,
        now: args.now,
        llm: frontdesk_llm::LlmConfig::from_env().map(frontdesk_llm::Llm::new),
    };
    let stdin = std::io::stdin();
    crate::chat::run(store, profile, opts, stdin.lock(), &mut std::io::stdout()).await?;
    Ok(ExitCode::SUCCESS)
}

async fn test_calls(args: TestCallsArgs) -> anyhow::Result<ExitCode> {
    let llm = if args.llm {
        let config = frontdesk_llm::LlmConfig::from_env().context(
            "--llm needs LLM_BASE_URL and LLM_MODEL (and LLM_API_KEY for hosted models)",
        )?;
        Some(frontdesk_llm::Llm::new(config))
    } else {
        None
    };
    let mut files = Vec::new();
    for path in &args.scenarios {
        if path.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(path)?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                .collect();
            found.sort();
            files.extend(found);
        } else {
            files.push(path.clone());
        }
    }
    let (mut passed, mut failed) = (0, 0);
    for file in &files {
        match crate::scenario::run_file(file, llm.clone()).await {
            Ok(outcome) if outcome.passed() => {
                passed += 1;
                println!("PASS {}", outcome.name);
            }
            Ok(outcome) => {
                failed += 1;
                println!("FAIL {}", outcome.name);
                for f in &outcome.failures {
                    println!("  - {f}");
                }
                println!("  transcript:");
                for line in &outcome.transcript {
                    println!("    {line}");
                }
            }
            Err(e) => {
                failed += 1;
                println!("FAIL {}: {e:#}", file.display());
            }
        }
    }
    println!("{passed} passed, {failed} failed");
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
