//! The subcommands that read or score rather than serve: `eval` (the understanding layer against
//! case files), `audit` (the missed-lead audit of a call log), `report` (the owner's figures for
//! a past day or month) and `export` (CSV).

use std::process::ExitCode;

use anyhow::Context as _;

use super::{AuditCmd, EvalArgs, ExportArgs, ReportArgs, load_profiles, profile_or_example};

pub(super) async fn eval(args: EvalArgs) -> anyhow::Result<ExitCode> {
    let profile = match &args.profile.profile {
        Some(_) => load_profiles(&args.profile)?.into_iter().next(),
        None => Some(frontdesk_profile::example()),
    };
    let lexicon = profile
        .as_ref()
        .map(frontdesk_engine::lexicon)
        .unwrap_or_else(frontdesk_nlu::Lexicon::empty);
    let mut cases = Vec::new();
    for path in &args.cases {
        cases.extend(frontdesk_nlu::eval::read_cases(path).map_err(anyhow::Error::msg)?);
    }
    let (report, predictions) = if args.llm {
        let config = frontdesk_llm::LlmConfig::from_env().context(
            "--llm needs LLM_BASE_URL and LLM_MODEL (and LLM_API_KEY for hosted models)",
        )?;
        let llm = frontdesk_llm::Llm::new(config);
        let engine = frontdesk_engine::Engine::new(
            profile.clone().unwrap_or_else(frontdesk_profile::example),
        );
        let view = crate::model::view(&engine);
        let mut understood = Vec::with_capacity(cases.len());
        let (mut used, mut fell_back, mut disputed) = (0, 0, 0);
        for case in &cases {
            let builtin = frontdesk_nlu::eval::understand_case(case, &lexicon);
            let now = frontdesk_nlu::eval::parse_now(&case.now)
                .map(|(dt, _)| dt)
                .unwrap_or_default();
            let deadline = llm.config().sms_deadline;
            match llm
                .understand(&case.text, case.asked, now, &[], &view, deadline)
                .await
            {
                Ok(model) => {
                    used += 1;
                    // As in a turn: a day or service the two readings dispute is left out.
                    let merged = frontdesk_llm::reconcile(&builtin, &model);
                    disputed += usize::from(!merged.disputed.is_empty());
                    understood.push(merged.understanding);
                }
                Err(_) => {
                    fell_back += 1;
                    understood.push(builtin);
                }
            }
        }
        eprintln!(
            "language model answered {used} case(s) ({disputed} with a disputed day or service); the built-in layer answered {fell_back}"
        );
        frontdesk_nlu::eval::score_understood(&cases, &understood)
    } else {
        frontdesk_nlu::eval::score(&cases, &lexicon)
    };
    if let Some(out) = &args.predictions {
        let mut text = String::new();
        for p in &predictions {
            text.push_str(&p.to_string());
            text.push('\n');
        }
        std::fs::write(out, text).with_context(|| {
            format!(
                "cannot write predictions to {:?}",
                out.display().to_string()
            )
        })?;
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report.to_json())?);
    } else {
        print!("{}", report.render_text());
    }
    Ok(ExitCode::SUCCESS)
}

pub(super) fn audit(cmd: AuditCmd) -> anyhow::Result<ExitCode> {
    let profile = match &cmd.profile.profile {
        Some(_) => load_profiles(&cmd.profile)?.into_iter().next(),
        None => None,
    };
    let hours = profile.as_ref().map(ProfileHours);
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let mut bar = std::io::IsTerminal::is_terminal(&stderr).then(Bar::default);
    let result = frontdesk_audit::run(
        &cmd.args,
        hours
            .as_ref()
            .map(|h| h as &dyn frontdesk_audit::BusinessHours),
        &mut stdout.lock(),
        &mut stderr.lock(),
        bar.as_mut()
            .map(|b| b as &mut dyn frontdesk_audit::Progress),
    );
    match result {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(e) => {
            eprintln!("error: {e}");
            Ok(ExitCode::FAILURE)
        }
    }
}

/// The progress bar drawn while a large call log is read (on a terminal only).
#[derive(Default)]
struct Bar(Option<indicatif::ProgressBar>);

impl frontdesk_audit::Progress for Bar {
    fn begin(&mut self, total: u64) {
        let bar = indicatif::ProgressBar::new(total);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "reading calls {bar:40} {bytes}/{total_bytes} {eta}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        self.0 = Some(bar);
    }

    fn at(&mut self, bytes: u64) {
        if let Some(bar) = &self.0 {
            bar.set_position(bytes);
        }
    }

    fn end(&mut self) {
        if let Some(bar) = self.0.take() {
            bar.finish_and_clear();
        }
    }
}

/// The profile's hours, as the audit sees them.
struct ProfileHours<'a>(&'a frontdesk_profile::Profile);

impl frontdesk_audit::BusinessHours for ProfileHours<'_> {
    fn zone(&self) -> &jiff::tz::TimeZone {
        &self.0.business.timezone
    }
    fn is_open(&self, at: jiff::Timestamp) -> bool {
        self.0.is_open(at)
    }
    fn name(&self) -> &str {
        &self.0.business.name
    }
    fn average_ticket_cents(&self) -> Option<i64> {
        Some(self.0.business.average_ticket_cents)
    }
}

pub(super) async fn report(args: ReportArgs) -> anyhow::Result<ExitCode> {
    let profile = profile_or_example(&args.profile)?;
    let store = crate::store::open(&args.db.url()?).await?;
    let (figures, monthly) = match (&args.day, &args.month) {
        (_, Some(month)) => {
            let (y, m) = month
                .split_once('-')
                .and_then(|(y, m)| Some((y.parse::<i16>().ok()?, m.parse::<i8>().ok()?)))
                .with_context(|| format!("cannot read {month:?} as a month like \"2026-11\""))?;
            (
                crate::report::month(store.as_ref(), &profile, y, m).await?,
                true,
            )
        }
        (Some(day), None) => {
            let date: jiff::civil::Date = day
                .parse()
                .with_context(|| format!("cannot read {day:?} as a day like \"2026-11-24\""))?;
            (
                crate::report::day(store.as_ref(), &profile, date).await?,
                false,
            )
        }
        (None, None) => {
            let today = jiff::Timestamp::now()
                .to_zoned(profile.business.timezone.clone())
                .date();
            (
                crate::report::day(store.as_ref(), &profile, today).await?,
                false,
            )
        }
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&figures)?);
    } else {
        print!("{}", crate::report::render(&profile, &figures, monthly));
    }
    Ok(ExitCode::SUCCESS)
}

pub(super) async fn export(args: ExportArgs) -> anyhow::Result<ExitCode> {
    let profile = profile_or_example(&args.profile)?;
    let store = crate::store::open(&args.db.url()?).await?;
    let out = crate::export::csv(store.as_ref(), &profile, &args.what).await?;
    print!("{out}");
    Ok(ExitCode::SUCCESS)
}
