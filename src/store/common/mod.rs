//! The [`Store`](super::Store) methods whose SQL reads the same on both dialects (`$N`
//! placeholders, `RETURNING`, `ON CONFLICT`), written once and expanded into each implementation
//! by [`impl_store!`]. What differs by dialect (opening, `begin_write` for bookings, the turn lock,
//! the job claim) lives in `sqlite.rs` and `postgres.rs` and is passed in.
//!
//! One file per concern, each a macro that contributes its methods: `businesses`, `contacts`,
//! `conversations` (and turns), `appointments`, `tasks`, `jobs`, `audit`, `accounts`, `repair` (work status, estimates, the inbox). They are
//! macros rather than generic functions because sqlx's generic executor bounds would outweigh
//! the queries themselves; they are chained (see [`store_methods!`]) rather than invoked inside
//! the impl because `#[async_trait]` rewrites only the `async fn`s it can see, so every method
//! must already be in the impl block when the attribute runs.

mod accounts;
mod appointments;
mod audit;
mod businesses;
mod contacts;
mod conversations;
mod jobs;
mod repair;
mod tasks;

pub(crate) use accounts::account_methods;
pub(crate) use appointments::{LONGEST_APPOINTMENT_US, appointment_helpers, appointment_methods};
pub(crate) use audit::audit_methods;
pub(crate) use businesses::business_methods;
pub(crate) use contacts::contact_methods;
pub(crate) use conversations::conversation_methods;
pub(crate) use jobs::job_methods;
pub(crate) use repair::repair_methods;
pub(crate) use tasks::task_methods;

/// Expands to `#[async_trait] impl Store for $ty { $special ... common methods ... }` plus the
/// inherent helpers the common methods call. `$ty` must have a `pool` field (for reads) and a
/// `writer` field (for every statement that writes) of a sqlx pool type on database `$db`; they
/// may be the same pool. `$special` holds the dialect's own methods; `$ty` also provides
/// `begin_write(&pool, business_id)`, the write transaction a booking runs in. The expansion
/// site must have the store's types and `rows::*` in scope.
macro_rules! impl_store {
    ($ty:ty, $db:ty, $dialect:literal, { $($special:tt)* }) => {
        $crate::store::common::appointment_helpers!($ty, $db);

        $crate::store::common::store_methods! {
            $ty;
            [
                business_methods,
                contact_methods,
                conversation_methods,
                appointment_methods,
                task_methods,
                job_methods,
                audit_methods,
                account_methods,
                repair_methods,
            ];
            { $($special)* } =>
            fn dialect(&self) -> &'static str {
                $dialect
            }

            async fn ping(&self) -> Result<()> {
                sqlx::query("SELECT 1").execute(&self.pool).await?;
                Ok(())
            }
        }
    };
}

/// Gathers the methods of `impl Store for $ty`, one concern at a time, then emits the impl.
///
/// Called as `store_methods! { $ty; [next, rest...]; { gathered } => new methods }`: it adds the
/// new methods to those gathered and hands everything to the next concern's macro, which calls
/// back here with its own methods after `=>`. When no concern is left, it writes the impl.
macro_rules! store_methods {
    ($ty:ty; [$next:ident $(, $rest:ident)* $(,)?]; { $($gathered:tt)* } => $($new:tt)*) => {
        $crate::store::common::$next! { $ty; [$($rest),*]; { $($gathered)* $($new)* } }
    };
    ($ty:ty; []; { $($gathered:tt)* } => $($new:tt)*) => {
        #[async_trait::async_trait]
        impl $crate::store::Store for $ty {
            $($gathered)*
            $($new)*
        }
    };
}

pub(crate) use {impl_store, store_methods};
