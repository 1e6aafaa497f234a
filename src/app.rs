//! The running product's shared state: the store, the clock, the businesses it answers for
//! (routed by the number a caller dialled) and its settings. Built once by `serve` (or by a
//! test) and cloned cheaply into every request handler and the jobs worker.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock, Weak};
use std::time::{Duration, Instant};

use frontdesk_engine::Engine;
use frontdesk_profile::Profile;
use frontdesk_schedule::Busy;
use uuid::Uuid;

use crate::clock::Clock;
use crate::store::Store;

/// The businesses of one deployment, each with its conversation engine (built once per profile
/// version), by id and by the numbers they answer.
#[derive(Default)]
pub struct Directory {
    engines: Vec<Arc<Engine>>,
    by_number: HashMap<String, usize>,
}

impl Directory {
    pub fn new(profiles: Vec<Profile>) -> Self {
        let engines: Vec<Arc<Engine>> = profiles
            .into_iter()
            .map(|p| Arc::new(Engine::new(p)))
            .collect();
        let mut by_number = HashMap::new();
        for (i, e) in engines.iter().enumerate() {
            for phone in &e.profile().business.phones {
                by_number.insert(phone.clone(), i);
            }
        }
        Self { engines, by_number }
    }

    /// The business that answers `e164`, the number a caller dialled or texted.
    pub fn for_number(&self, e164: &str) -> Option<Arc<Engine>> {
        self.by_number.get(e164).map(|&i| self.engines[i].clone())
    }

    pub fn by_id(&self, id: &str) -> Option<Arc<Engine>> {
        self.engines
            .iter()
            .find(|e| e.profile().business.id == id)
            .cloned()
    }

    pub fn all(&self) -> &[Arc<Engine>] {
        &self.engines
    }
}

/// Settings from flags and the environment.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// The URL Twilio reaches this server at (`FRONTDESK_PUBLIC_URL`); signatures are checked
    /// against it.
    pub public_url: Option<String>,
    /// Bearer token for the operator JSON API (`FRONTDESK_API_TOKEN`).
    pub api_token: Option<String>,
    /// `TWILIO_ACCOUNT_SID`.
    pub twilio_account_sid: Option<String>,
    /// `TWILIO_AUTH_TOKEN`: signs webhooks and authenticates REST calls.
    pub twilio_auth_token: Option<String>,
    /// `FRONTDESK_TWILIO_API_BASE`: where the REST client sends (a local recorder in tests).
    pub twilio_api_base: Option<String>,
    /// `FRONTDESK_TWILIO_TIMEOUT_MS`: how long one REST call to Twilio may take (default 15 s).
    pub twilio_timeout_ms: Option<u64>,
    /// `FRONTDESK_JOB_LEASE_SECS`: how long a claimed job is one worker's before another may
    /// take it (default 60 s).
    pub job_lease_secs: Option<u64>,
    /// `FRONTDESK_VOICE_MODE`: `relay` or `gather`; default relay when the public URL is https.
    pub voice_mode: Option<String>,
    /// `SMTP_URL`: where briefing emails go (`smtp://host:port`, `smtps://user:pass@host`).
    pub smtp_url: Option<String>,
    /// `SMTP_FROM`: the sender of briefing emails.
    pub smtp_from: Option<String>,
    /// Secrets given directly rather than through the environment (tests, embedding).
    pub secrets: Vec<(String, String)>,
    /// The profile file or folder the deployment was started with (`--profile`): a profile
    /// edit is checked against all of it before it is saved, so `serve` still starts.
    pub profile_path: Option<PathBuf>,
    /// `FRONTDESK_ALLOW_PRIVATE_URLS`: hosts a profile's URLs (calendar, webhooks) may reach
    /// even though they resolve to a loopback, private or link-local address; `*` allows any.
    /// Empty (the default): such URLs are refused when saved and when used.
    pub allow_private_urls: Vec<String>,
    /// `FRONTDESK_TRUST_FORWARDED=1`: behind a reverse proxy, the client address for sign-in
    /// limits is the last `X-Forwarded-For` entry rather than the socket's peer.
    pub trust_forwarded: bool,
}

impl Settings {
    /// Settings from the environment.
    pub fn from_env() -> Self {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        Self {
            public_url: var("FRONTDESK_PUBLIC_URL"),
            api_token: var("FRONTDESK_API_TOKEN"),
            twilio_account_sid: var("TWILIO_ACCOUNT_SID"),
            twilio_auth_token: var("TWILIO_AUTH_TOKEN"),
            twilio_api_base: var("FRONTDESK_TWILIO_API_BASE"),
            twilio_timeout_ms: var("FRONTDESK_TWILIO_TIMEOUT_MS").and_then(|v| v.parse().ok()),
            job_lease_secs: var("FRONTDESK_JOB_LEASE_SECS").and_then(|v| v.parse().ok()),
            voice_mode: var("FRONTDESK_VOICE_MODE"),
            smtp_url: var("SMTP_URL"),
            smtp_from: var("SMTP_FROM"),
            secrets: Vec::new(),
            profile_path: None,
            allow_private_urls: var("FRONTDESK_ALLOW_PRIVATE_URLS")
                .map(|v| parse_allowed_hosts(&v))
                .unwrap_or_default(),
            trust_forwarded: var("FRONTDESK_TRUST_FORWARDED").is_some_and(|v| v == "1"),
        }
    }

    /// A secret named by business `business_id`'s profile (a webhook's `secret_env`, a
    /// calendar's `password_env`): given directly, or from the environment, and only when the
    /// name is one of that business's (`FRONTDESK_SECRET_<ID>_...`); any other variable of
    /// the process is never read for a profile.
    pub fn secret(&self, business_id: &str, name: &str) -> Option<String> {
        if !frontdesk_profile::secret_allowed(business_id, name) {
            tracing::error!(
                business = %business_id,
                name = %name,
                "refused to read a secret outside the business's prefix {}",
                frontdesk_profile::secret_prefix(business_id)
            );
            return None;
        }
        self.secrets
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .or_else(|| std::env::var(name).ok().filter(|v| !v.is_empty()))
    }
}

/// `FRONTDESK_ALLOW_PRIVATE_URLS`: `1`, `true` or `*` allows every host; otherwise a
/// comma-separated list of host names (or addresses) allowed to be private.
fn parse_allowed_hosts(v: &str) -> Vec<String> {
    match v.trim() {
        "1" | "true" | "*" => vec!["*".to_string()],
        list => list
            .split(',')
            .map(|h| h.trim().trim_matches(['[', ']']).to_ascii_lowercase())
            .filter(|h| !h.is_empty())
            .collect(),
    }
}

/// Everything a request handler or job needs.
#[derive(Clone)]
pub struct App {
    pub store: Arc<dyn Store>,
    pub clock: Arc<dyn Clock>,
    pub settings: Arc<Settings>,
    /// Busy times read from owners' calendars, reused briefly.
    pub calendar_cache: Arc<BusyCache>,
    /// The language model, when one is configured (`LLM_BASE_URL`, `LLM_MODEL`).
    pub llm: Option<frontdesk_llm::Llm>,
    /// Pokes this process's jobs worker when something was queued.
    pub jobs_queued: Arc<tokio::sync::Notify>,
    /// One turn at a time per conversation in this process.
    pub turn_locks: Arc<TurnLocks>,
    directory: Arc<RwLock<Arc<Directory>>>,
}

impl App {
    pub fn new(
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        profiles: Vec<Profile>,
        settings: Settings,
    ) -> Self {
        Self {
            store,
            clock,
            settings: Arc::new(settings),
            calendar_cache: Arc::default(),
            llm: None,
            jobs_queued: Arc::default(),
            turn_locks: Arc::default(),
            directory: Arc::new(RwLock::new(Arc::new(Directory::new(profiles)))),
        }
    }

    /// Tells this process's worker that jobs were queued, so texts leave at once.
    pub fn wake_worker(&self) {
        self.jobs_queued.notify_one();
    }

    /// With a language model for understanding (it proposes; the engine decides).
    pub fn with_llm(mut self, llm: Option<frontdesk_llm::Llm>) -> Self {
        self.llm = llm;
        self
    }

    /// The current businesses (a snapshot: a profile edit swaps in a new directory).
    pub fn directory(&self) -> Arc<Directory> {
        self.directory
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Replaces the businesses, for a profile edit that passed the checks.
    pub fn replace_profiles(&self, profiles: Vec<Profile>) {
        *self.directory.write().unwrap_or_else(|e| e.into_inner()) =
            Arc::new(Directory::new(profiles));
    }

    /// Records every business in the store (profile text kept for history and the dashboard).
    pub async fn register_businesses(&self) -> anyhow::Result<()> {
        let now = self.clock.now();
        for engine in self.directory().all() {
            let p = engine.profile();
            let text = profile_text(&p.source);
            self.store
                .upsert_business(&p.business.id, &p.business.name, &text, now)
                .await?;
            if self.store.feed_secret(&p.business.id).await?.is_none() {
                self.store
                    .set_feed_secret(&p.business.id, &new_secret())
                    .await?;
            }
        }
        Ok(())
    }
}

/// The TOML a profile was read from, or the embedded example when it did not come from a file.
fn profile_text(source: &str) -> String {
    std::fs::read_to_string(Path::new(source))
        .unwrap_or_else(|_| frontdesk_profile::EXAMPLE_TOML.to_string())
}

/// How long busy times read from an owner's calendar are reused.
const CACHE_FOR: Duration = Duration::from_secs(60);

/// Busy blocks from external calendars, per business, reused for a minute.
#[derive(Default)]
pub struct BusyCache {
    entries: Mutex<HashMap<String, (Instant, Vec<Busy>)>>,
}

impl BusyCache {
    pub(crate) fn get(&self, business: &str) -> Option<Vec<Busy>> {
        let map = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        map.get(business)
            .filter(|(at, _)| at.elapsed() < CACHE_FOR)
            .map(|(_, b)| b.clone())
    }

    pub(crate) fn put(&self, business: &str, busy: Vec<Busy>) {
        self.entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(business.to_string(), (Instant::now(), busy));
    }

    /// Forgets a business's cached busy times (after we wrote to its calendar).
    pub fn forget(&self, business: &str) {
        self.entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(business);
    }
}

/// A fresh unguessable feed secret.
pub fn new_secret() -> String {
    format!("{}{}", Uuid::new_v4().simple(), Uuid::new_v4().simple())
}

/// One turn at a time per conversation in this process: an async mutex per conversation, kept
/// in a map of weak references so finished conversations cost nothing.
#[derive(Default)]
pub struct TurnLocks {
    map: Mutex<Locks>,
}

#[derive(Default)]
struct Locks {
    by_conversation: HashMap<Uuid, Weak<tokio::sync::Mutex<()>>>,
    /// Prune dead entries when the map grows past this.
    prune_at: usize,
}

impl TurnLocks {
    /// Waits for the conversation's turn lock in this process.
    pub async fn lock(&self, id: Uuid) -> tokio::sync::OwnedMutexGuard<()> {
        let mutex = {
            let mut locks = self.map.lock().unwrap_or_else(|e| e.into_inner());
            if locks.by_conversation.len() >= locks.prune_at.max(1024) {
                locks.by_conversation.retain(|_, w| w.strong_count() > 0);
                locks.prune_at = locks.by_conversation.len() * 2;
            }
            match locks.by_conversation.get(&id).and_then(Weak::upgrade) {
                Some(m) => m,
                None => {
                    let m = Arc::new(tokio::sync::Mutex::new(()));
                    locks.by_conversation.insert(id, Arc::downgrade(&m));
                    m
                }
            }
        };
        mutex.lock_owned().await
    }
}
