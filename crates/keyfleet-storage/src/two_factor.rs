//! Two-step login state: providers, the recovery code hash, remembered devices, and the state of
//! WebAuthn ceremonies in progress.

use crate::records::code;
use crate::{db, on_pool, SqlStore};
use keyfleet_domain::identity::two_factor::TwoFactorProviderType;
use keyfleet_domain::ids::{DeviceId, UserId};
use keyfleet_domain::store::{TwoFactorRow, TwoFactorStore, WebauthnChallengeRow};
use keyfleet_domain::{StoreError, Timestamp};

#[derive(sqlx::FromRow)]
struct TwoFactorRecord {
    provider: i32,
    enabled: bool,
    data: String,
    last_used_step: Option<i64>,
}

const FORGET_REMEMBERED: &str =
    "UPDATE devices SET remember_token_hash = NULL, remember_expires = NULL WHERE user_id = $1";

#[async_trait::async_trait]
impl TwoFactorStore for SqlStore {
    async fn two_factors(&self, user_id: UserId) -> Result<Vec<TwoFactorRow>, StoreError> {
        const SQL: &str =
            "SELECT provider, enabled, data, last_used_step FROM two_factor WHERE user_id = $1 ORDER BY provider";
        let recs: Vec<TwoFactorRecord> =
            on_pool!(&self.pool, p => sqlx::query_as(SQL).bind(user_id.to_string()).fetch_all(p).await).map_err(db)?;
        recs.into_iter()
            .map(|r| {
                Ok(TwoFactorRow {
                    provider: code(r.provider)?,
                    enabled: r.enabled,
                    data: r.data,
                    last_used_step: r.last_used_step,
                })
            })
            .collect()
    }

    async fn save_two_factor(
        &self,
        user_id: UserId,
        row: &TwoFactorRow,
        recovery_code_hash: Option<&str>,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        const UPSERT: &str = "INSERT INTO two_factor (user_id, provider, enabled, data, last_used_step, revision_date) \
            VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (user_id, provider) DO UPDATE SET enabled = excluded.enabled, \
            data = excluded.data, last_used_step = excluded.last_used_step, revision_date = excluded.revision_date";
        const RECOVERY: &str = "UPDATE users SET recovery_code_hash = $2 WHERE id = $1";
        const BUMP: &str = "UPDATE users SET revision_date = $2 WHERE id = $1";
        on_pool!(&self.pool, p => {
            let mut tx = self.begin(p).await?;
            sqlx::query(UPSERT)
                .bind(user_id.to_string())
                .bind(row.provider.code())
                .bind(row.enabled)
                .bind(&row.data)
                .bind(row.last_used_step)
                .bind(now.0)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
            if let Some(hash) = recovery_code_hash {
                sqlx::query(RECOVERY).bind(user_id.to_string()).bind(hash).execute(&mut *tx).await.map_err(db)?;
            }
            sqlx::query(BUMP).bind(user_id.to_string()).bind(now.0).execute(&mut *tx).await.map_err(db)?;
            tx.commit().await.map_err(db)
        })
    }

    async fn remove_two_factor(
        &self,
        user_id: UserId,
        provider: Option<TwoFactorProviderType>,
        now: Timestamp,
    ) -> Result<u64, StoreError> {
        const ONE: &str = "DELETE FROM two_factor WHERE user_id = $1 AND provider = $2";
        const ALL: &str = "DELETE FROM two_factor WHERE user_id = $1";
        const LEFT: &str = "SELECT COUNT(*) FROM two_factor WHERE user_id = $1 AND enabled = TRUE";
        const RECOVERY: &str =
            "UPDATE users SET recovery_code_hash = NULL, revision_date = $2 WHERE id = $1";
        const BUMP: &str = "UPDATE users SET revision_date = $2 WHERE id = $1";
        on_pool!(&self.pool, p => {
            let mut tx = self.begin(p).await?;
            let removed = match provider {
                Some(provider) => sqlx::query(ONE).bind(user_id.to_string()).bind(provider.code()).execute(&mut *tx).await,
                None => sqlx::query(ALL).bind(user_id.to_string()).execute(&mut *tx).await,
            }
            .map_err(db)?
            .rows_affected();
            let left: i64 = sqlx::query_scalar(LEFT).bind(user_id.to_string()).fetch_one(&mut *tx).await.map_err(db)?;
            if left == 0 {
                // Nothing protects the account any more: old recovery codes and remembered
                // devices must not come back to life if two-step login is turned on again.
                sqlx::query(RECOVERY).bind(user_id.to_string()).bind(now.0).execute(&mut *tx).await.map_err(db)?;
                sqlx::query(FORGET_REMEMBERED).bind(user_id.to_string()).execute(&mut *tx).await.map_err(db)?;
            } else {
                sqlx::query(BUMP).bind(user_id.to_string()).bind(now.0).execute(&mut *tx).await.map_err(db)?;
            }
            tx.commit().await.map_err(db)?;
            Ok(removed)
        })
    }

    async fn use_totp_step(&self, user_id: UserId, step: i64) -> Result<bool, StoreError> {
        // Compare-and-set: of two logins racing with the same code, only one advances the step.
        const SQL: &str =
            "UPDATE two_factor SET last_used_step = $2 WHERE user_id = $1 AND provider = 0 \
            AND (last_used_step IS NULL OR last_used_step < $2)";
        let n = on_pool!(&self.pool, p => sqlx::query(SQL).bind(user_id.to_string()).bind(step).execute(p).await.map(|r| r.rows_affected()))
            .map_err(db)?;
        Ok(n == 1)
    }

    async fn recovery_code_hash(&self, user_id: UserId) -> Result<Option<String>, StoreError> {
        const SQL: &str = "SELECT recovery_code_hash FROM users WHERE id = $1";
        let v: Option<Option<String>> =
            on_pool!(&self.pool, p => sqlx::query_scalar(SQL).bind(user_id.to_string()).fetch_optional(p).await).map_err(db)?;
        Ok(v.flatten())
    }

    async fn remember_device(
        &self,
        device: DeviceId,
        token_hash: &str,
        expires: Timestamp,
    ) -> Result<(), StoreError> {
        const SQL: &str =
            "UPDATE devices SET remember_token_hash = $2, remember_expires = $3 WHERE id = $1";
        on_pool!(&self.pool, p => sqlx::query(SQL)
            .bind(device.to_string())
            .bind(token_hash)
            .bind(expires.0)
            .execute(p)
            .await
            .map(|_| ()))
        .map_err(db)
    }

    async fn remembered_device(
        &self,
        user_id: UserId,
        identifier: &str,
    ) -> Result<Option<(String, Timestamp)>, StoreError> {
        const SQL: &str = "SELECT remember_token_hash, remember_expires FROM devices \
            WHERE user_id = $1 AND identifier = $2 AND remember_token_hash IS NOT NULL";
        let row: Option<(String, i64)> = on_pool!(&self.pool, p => sqlx::query_as(SQL)
            .bind(user_id.to_string())
            .bind(identifier)
            .fetch_optional(p)
            .await)
        .map_err(db)?;
        Ok(row.map(|(h, e)| (h, Timestamp(e))))
    }

    async fn replace_two_factor_data(
        &self,
        user_id: UserId,
        provider: TwoFactorProviderType,
        expected: &str,
        data: &str,
    ) -> Result<bool, StoreError> {
        const SQL: &str =
            "UPDATE two_factor SET data = $4 WHERE user_id = $1 AND provider = $2 AND data = $3";
        let n = on_pool!(&self.pool, p => sqlx::query(SQL)
            .bind(user_id.to_string())
            .bind(provider.code())
            .bind(expected)
            .bind(data)
            .execute(p)
            .await
            .map(|r| r.rows_affected()))
        .map_err(db)?;
        Ok(n == 1)
    }

    async fn put_webauthn_challenge(
        &self,
        c: &WebauthnChallengeRow,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        const EXPIRED: &str =
            "DELETE FROM webauthn_challenges WHERE user_id = $1 AND expires <= $2";
        const INSERT: &str =
            "INSERT INTO webauthn_challenges (user_id, purpose, challenge, state, expires) \
            VALUES ($1, $2, $3, $4, $5)";
        const OVERFLOW: &str = "DELETE FROM webauthn_challenges WHERE user_id = $1 AND challenge NOT IN \
            (SELECT challenge FROM webauthn_challenges WHERE user_id = $1 ORDER BY expires DESC LIMIT $2)";
        on_pool!(&self.pool, p => {
            let mut tx = self.begin(p).await?;
            sqlx::query(EXPIRED).bind(c.user_id.to_string()).bind(now.0).execute(&mut *tx).await.map_err(db)?;
            sqlx::query(INSERT)
                .bind(c.user_id.to_string())
                .bind(&c.purpose)
                .bind(&c.challenge)
                .bind(&c.state)
                .bind(c.expires.0)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
            // Each password-verified login attempt makes a challenge; cap what one user can pile up.
            sqlx::query(OVERFLOW).bind(c.user_id.to_string()).bind(MAX_OPEN_CHALLENGES).execute(&mut *tx).await.map_err(db)?;
            tx.commit().await.map_err(db)
        })
    }

    async fn take_webauthn_challenge(
        &self,
        user_id: UserId,
        purpose: &str,
        challenge: &str,
        now: Timestamp,
    ) -> Result<Option<String>, StoreError> {
        // DELETE … RETURNING is atomic on both backends: of two requests answering the same
        // challenge, only one gets the state back.
        const SQL: &str = "DELETE FROM webauthn_challenges WHERE user_id = $1 AND purpose = $2 \
            AND challenge = $3 RETURNING state, expires";
        let row: Option<(String, i64)> = on_pool!(&self.pool, p => sqlx::query_as(SQL)
            .bind(user_id.to_string())
            .bind(purpose)
            .bind(challenge)
            .fetch_optional(p)
            .await)
        .map_err(db)?;
        Ok(row
            .filter(|(_, expires)| *expires > now.0)
            .map(|(state, _)| state))
    }
}

/// Most WebAuthn ceremonies one user may have open at once; the oldest go first.
const MAX_OPEN_CHALLENGES: i64 = 20;

/// Used by credential changes: a new password forgets every remembered device.
pub(crate) const FORGET_REMEMBERED_DEVICES: &str = FORGET_REMEMBERED;
