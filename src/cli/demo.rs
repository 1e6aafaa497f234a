//! `frontdesk demo`: the example auto shop served with the dashboard and its phone simulator,
//! on a SQLite file in the data directory. The example profile is copied into the data
//! directory on first run (so corrections made in the browser are kept there, with their
//! regression scenarios in `scenarios/` beside it), and a demo owner account is given a fresh
//! password that is printed with the address to open.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use anyhow::Context as _;

use crate::app::{App, Settings};
use crate::clock::SystemClock;
use crate::store::Role;

/// The demo owner's sign-in.
pub const DEMO_EMAIL: &str = "owner@demo.frontdesk";

/// Runs the demo until interrupted.
pub async fn run(data_dir: &Path, listen: SocketAddr) -> anyhow::Result<()> {
    crate::telemetry::init_logs();
    std::fs::create_dir_all(data_dir).with_context(|| {
        format!(
            "cannot create data directory {:?}",
            data_dir.display().to_string()
        )
    })?;
    let profile_path = data_dir.join("auto-shop.toml");
    if !profile_path.exists() {
        std::fs::write(&profile_path, frontdesk_profile::EXAMPLE_TOML)
            .with_context(|| format!("cannot write {:?}", profile_path.display().to_string()))?;
    }
    let profiles = frontdesk_profile::load(&profile_path).map_err(|r| anyhow::anyhow!("{r}"))?;
    let business = profiles
        .first()
        .map(|p| p.business.id.clone())
        .context("the demo profile has no business")?;
    let store = crate::store::open(&crate::store::default_url(data_dir)).await?;
    let settings = Settings {
        profile_path: Some(profile_path.clone()),
        ..Settings::from_env()
    };
    let app = App::new(store, Arc::new(SystemClock), profiles, settings);
    app.register_businesses().await?;
    let password = demo_password();
    let now = jiff::Timestamp::now();
    if app.store.user_by_email(DEMO_EMAIL).await?.is_some() {
        crate::dashboard::auth::change_password(app.store.as_ref(), DEMO_EMAIL, &password, now)
            .await?;
    } else {
        crate::dashboard::auth::add_user(
            app.store.as_ref(),
            DEMO_EMAIL,
            &password,
            Role::Owner,
            Some(&business),
            now,
        )
        .await?;
    }
    seed_car_in_shop(&app).await?;
    println!(
        "frontdesk demo: Joe's Auto Repair, data in {}",
        data_dir.display()
    );
    println!("sign in as {DEMO_EMAIL} with password {password}");
    if listen.port() == 0 {
        println!("then open the address below followed by /try");
    } else {
        println!("then open http://{listen}/try");
    }
    crate::serve::run(app, listen, crate::serve::Mode::Both).await
}

/// One customer's car at the shop, waiting on parts, and her text asking about it, so the Today
/// page and the inbox have something to show (once: not when a car is already in the shop).
async fn seed_car_in_shop(app: &App) -> anyhow::Result<()> {
    let engine = app.directory().all()[0].clone();
    let profile = engine.profile();
    let business = &profile.business.id;
    let now = jiff::Timestamp::now();
    let month_ago = now.checked_sub(jiff::SignedDuration::from_hours(24 * 31))?;
    if !app
        .store
        .appointments_in_shop(business, month_ago)
        .await?
        .is_empty()
    {
        return Ok(());
    }
    let phone = "+15125550177";
    let vehicle = serde_json::json!({"year": 2017, "make": "Toyota", "model": "Camry"});
    let mut dana = app.store.upsert_contact(business, phone, now).await?;
    dana.name = Some("Dana Ortiz".into());
    dana.vehicles = vec![vehicle.clone()];
    app.store.update_contact(&dana, now).await?;
    // Dropped off at opening time today (or two hours ago on a closed day).
    let zone = profile.business.timezone.clone();
    let today = now.to_zoned(zone.clone()).date();
    let start = match profile.open_intervals(today).first() {
        Some((open, _)) => today.to_datetime(*open).to_zoned(zone)?.timestamp(),
        None => now.checked_sub(jiff::SignedDuration::from_hours(2))?,
    };
    let booked = app
        .store
        .book(
            &crate::store::NewAppointment {
                business_id: business.clone(),
                contact_id: Some(dana.id),
                service_id: profile.services[0].id.clone(),
                start,
                end: start.checked_add(jiff::SignedDuration::from_hours(1))?,
                status: crate::store::AppointmentStatus::Booked,
                source: "demo".into(),
                vehicle: Some(vehicle),
                notes: None,
                idempotency_key: Some("demo:car-in-shop".into()),
                at: now,
            },
            u32::MAX,
        )
        .await?;
    let (crate::store::BookOutcome::Booked(a) | crate::store::BookOutcome::Replayed(a)) = booked
    else {
        return Ok(());
    };
    let update = crate::repair::StatusUpdate {
        status: frontdesk_profile::WorkStatus::WaitingOnParts,
        note: Some("waiting on a wheel speed sensor".into()),
        expected: now.checked_add(jiff::SignedDuration::from_hours(20)).ok(),
    };
    crate::repair::set_status(app, profile, a.id, update, "demo").await?;
    let conversation = crate::runtime::texts::sms_conversation(app, profile, phone).await?;
    crate::runtime::record_only(app, conversation, "hi, any news on my camry?", "demo-1").await?;
    Ok(())
}

/// Twelve easy-to-type characters.
fn demo_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    (0..12)
        .map(|_| ALPHABET[rand::random_range(0..ALPHABET.len())] as char)
        .collect()
}
