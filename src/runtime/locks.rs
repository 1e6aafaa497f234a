//! One turn at a time per conversation. Inside a process, an async mutex per conversation
//! ([`crate::app::TurnLocks`]); across nodes sharing a
//! PostgreSQL database, the store's advisory lock as well ([`crate::store::Store::lock_conversation`]).
//! The local lock is taken first, so a node never holds more than one database connection
//! waiting for the same conversation.

use tokio::sync::OwnedMutexGuard;
use uuid::Uuid;

use crate::app::App;
use crate::store::TurnLock;

/// Both locks, held until dropped.
pub(super) struct Held {
    _remote: TurnLock,
    _local: OwnedMutexGuard<()>,
}

/// Takes the conversation's turn lock here and across nodes.
pub(super) async fn hold(app: &App, id: Uuid) -> anyhow::Result<Held> {
    let local = app.turn_locks.lock(id).await;
    let remote = app.store.lock_conversation(id).await?;
    Ok(Held {
        _remote: remote,
        _local: local,
    })
}
