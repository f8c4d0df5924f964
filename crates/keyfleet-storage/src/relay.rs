//! Live-sync notifications between instances on one PostgreSQL database: each instance sends
//! what it pushes on a channel (`NOTIFY`) and listens on it (`LISTEN`), so a client connected to
//! instance B hears of a change made through instance A. SQLite has no such channel, and a
//! SQLite database serves one instance: there is no relay.
//!
//! Delivery is at most once: a notification sent while an instance's listening connection is
//! being re-established is lost for that instance (its clients catch up at their next sync).

use crate::{db, Pool, SqlStore};
use keyfleet_domain::StoreError;

/// The channel every instance listens on.
pub const CHANNEL: &str = "keyfleet_push";

/// Largest payload PostgreSQL accepts in one notification (8000 bytes, less a margin).
pub const MAX_PAYLOAD_BYTES: usize = 7900;

/// Sends and receives notifications on [`CHANNEL`].
#[derive(Clone)]
pub struct PushRelay {
    pool: sqlx::PgPool,
}

/// A listening connection; [`PushListener::recv`] waits for the next payload.
pub struct PushListener(sqlx::postgres::PgListener);

impl SqlStore {
    /// The relay between instances, on PostgreSQL; `None` on SQLite.
    pub fn push_relay(&self) -> Option<PushRelay> {
        match &self.pool {
            Pool::Postgres(pool) => Some(PushRelay { pool: pool.clone() }),
            Pool::Sqlite(_) => None,
        }
    }
}

impl PushRelay {
    /// Sends each payload (at most [`MAX_PAYLOAD_BYTES`] each) to every listening instance,
    /// this one included, in one statement. Identical payloads sent together arrive once.
    pub async fn publish(&self, payloads: &[String]) -> Result<(), StoreError> {
        if payloads.is_empty() {
            return Ok(());
        }
        sqlx::query(
            "SELECT pg_notify($1, p) FROM unnest($2::text[]) WITH ORDINALITY AS u(p, i) ORDER BY i",
        )
        .bind(CHANNEL)
        .bind(payloads)
        .execute(&self.pool)
        .await
        .map_err(db)?;
        Ok(())
    }

    /// Starts listening, on one of the pool's connections, held until the listener is dropped.
    pub async fn listen(&self) -> Result<PushListener, StoreError> {
        let mut listener = sqlx::postgres::PgListener::connect_with(&self.pool)
            .await
            .map_err(db)?;
        listener.listen(CHANNEL).await.map_err(db)?;
        Ok(PushListener(listener))
    }
}

impl PushListener {
    /// The next payload. A lost connection is re-established on the way (payloads sent
    /// meanwhile are missed); an error means it could not be.
    pub async fn recv(&mut self) -> Result<String, StoreError> {
        let n = self.0.recv().await.map_err(db)?;
        Ok(n.payload().to_string())
    }
}
