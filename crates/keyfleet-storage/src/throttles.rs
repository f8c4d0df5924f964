//! Throttle counters: fixed windows per (scope, key), shared by every instance on one database.

use crate::{db, on_pool, SqlStore};
use keyfleet_domain::store::ThrottleStore;
use keyfleet_domain::{StoreError, Timestamp};

#[async_trait::async_trait]
impl ThrottleStore for SqlStore {
    async fn throttle_hit(
        &self,
        scope: &str,
        key: &str,
        window_secs: i64,
        now: Timestamp,
    ) -> Result<(i64, Timestamp), StoreError> {
        // One statement, so the count and the increment cannot be split by a concurrent attempt
        // (a row lock on PostgreSQL, the write lock on SQLite).
        const SQL: &str = "INSERT INTO throttles (scope, throttle_key, hits, reset_at) \
            VALUES ($1, $2, 1, $4) \
            ON CONFLICT (scope, throttle_key) DO UPDATE SET \
              hits = CASE WHEN throttles.reset_at <= $3 THEN 1 ELSE throttles.hits + 1 END, \
              reset_at = CASE WHEN throttles.reset_at <= $3 THEN $4 ELSE throttles.reset_at END \
            RETURNING hits, reset_at";
        let (hits, reset_at): (i64, i64) = on_pool!(&self.pool, p => sqlx::query_as(SQL)
            .bind(scope)
            .bind(key)
            .bind(now.0)
            .bind(now.plus_secs(window_secs).0)
            .fetch_one(p)
            .await)
        .map_err(db)?;
        Ok((hits, Timestamp(reset_at)))
    }

    async fn throttle_release(&self, scope: &str, key: &str) -> Result<(), StoreError> {
        const SQL: &str = "UPDATE throttles SET hits = hits - 1 \
            WHERE scope = $1 AND throttle_key = $2 AND hits > 0";
        on_pool!(&self.pool, p => sqlx::query(SQL)
            .bind(scope)
            .bind(key)
            .execute(p)
            .await
            .map(|_| ()))
        .map_err(db)
    }

    async fn throttle_clear(&self, scope: &str, key: &str) -> Result<(), StoreError> {
        const SQL: &str = "DELETE FROM throttles WHERE scope = $1 AND throttle_key = $2";
        on_pool!(&self.pool, p => sqlx::query(SQL)
            .bind(scope)
            .bind(key)
            .execute(p)
            .await
            .map(|_| ()))
        .map_err(db)
    }

    async fn throttle_sweep(&self, now: Timestamp) -> Result<u64, StoreError> {
        const SQL: &str = "DELETE FROM throttles WHERE reset_at <= $1";
        on_pool!(&self.pool, p => sqlx::query(SQL)
            .bind(now.0)
            .execute(p)
            .await
            .map(|r| r.rows_affected()))
        .map_err(db)
    }
}
