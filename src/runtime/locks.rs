//! One turn at a time per conversation. Inside a process, an async mutex per conversation (kept
//! in a map of weak references, so finished conversations cost nothing); across nodes sharing a
//! PostgreSQL database, the store's advisory lock as well ([`crate::store::Store::lock_conversation`]).
//! The local lock is taken first, so a node never holds more than one database connection
//! waiting for the same conversation.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, Weak};

use tokio::sync::OwnedMutexGuard;
use uuid::Uuid;

use crate::app::App;
use crate::store::TurnLock;

/// The in-process turn locks, by conversation.
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
    pub async fn lock(&self, id: Uuid) -> OwnedMutexGuard<()> {
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
