//! Users, devices, refresh tokens and server settings.

use crate::conn::{Arg, Conn};
use crate::key_rotation::rekey_trusted_devices;
use crate::records::{
    DeviceRecord, RefreshTokenRecord, UserRecord, DEVICE_COLUMNS, REFRESH_COLUMNS, USER_COLUMNS,
};
use crate::rows::insert_events;
use crate::{db, on_pool, SqlStore};
use keyfleet_domain::ids::{DeviceId, TokenFamilyId, UserId};
use keyfleet_domain::store::{
    AccountStore, ApiKeyWrite, CredentialUpdate, DeviceKeys, DeviceRow, DeviceTrustUpdate,
    EventRow, RefreshTokenRow, RotationInventory, UserKeyRotation, UserRow, MAX_DEVICES_LISTED,
};
use keyfleet_domain::{StoreError, Timestamp};

/// Writes new credentials and ends every session made with the old ones: refresh tokens revoked,
/// remembered second-factor devices forgotten (the new security stamp ends the access tokens).
pub(crate) async fn write_credentials<C: Conn + ?Sized>(
    tx: &mut C,
    id: UserId,
    u: &CredentialUpdate,
    now: Timestamp,
) -> Result<(), StoreError> {
    let q = sqlx::query(
        "UPDATE users SET password_hash = $2, \
         password_hint = CASE WHEN $3 THEN $4 ELSE password_hint END, user_key = $5, kdf_type = $6, \
         kdf_iterations = $7, kdf_memory = $8, kdf_parallelism = $9, security_stamp = $10, \
         revision_date = $11, force_password_reset = $12 WHERE id = $1",
    )
    .arg(id.to_string())
    .arg(u.password_hash.as_str())
    .arg(u.replace_hint)
    .arg(u.password_hint.as_deref())
    .arg(u.key.as_str())
    .arg(u.kdf.kdf_type)
    .arg(u.kdf.iterations)
    .arg(u.kdf.memory)
    .arg(u.kdf.parallelism)
    .arg(u.security_stamp.as_str())
    .arg(now.0)
    .arg(u.force_password_reset);
    tx.run(q).await?;
    let q = sqlx::query("UPDATE refresh_tokens SET revoked = TRUE WHERE user_id = $1")
        .arg(id.to_string());
    tx.run(q).await?;
    let q = sqlx::query(crate::two_factor::FORGET_REMEMBERED_DEVICES).arg(id.to_string());
    tx.run(q).await?;
    Ok(())
}

/// Inserts a refresh token.
async fn insert_token<C: Conn + ?Sized>(tx: &mut C, t: &RefreshTokenRow) -> Result<(), StoreError> {
    let q = sqlx::query(
        "INSERT INTO refresh_tokens (token_hash, family, user_id, device_id, client_id, \
         security_stamp, created, expires, used, revoked) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .arg(t.token_hash.as_str())
    .arg(t.family.to_string())
    .arg(t.user_id.to_string())
    .arg(t.device_id.map(|d| d.to_string()))
    .arg(t.client_id.as_str())
    .arg(t.security_stamp.as_str())
    .arg(t.created.0)
    .arg(t.expires.0)
    .arg(t.used.map(|u| u.0))
    .arg(t.revoked);
    tx.run(q).await?;
    Ok(())
}

#[async_trait::async_trait]
impl AccountStore for SqlStore {
    async fn insert_user(&self, u: &UserRow) -> Result<(), StoreError> {
        const SQL: &str = "INSERT INTO users (id, email, name, password_hash, password_hint, kdf_type, \
            kdf_iterations, kdf_memory, kdf_parallelism, user_key, public_key, private_key, \
            security_stamp, user_key_id, api_key, culture, creation_date, revision_date) \
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)";
        on_pool!(&self.pool, p => sqlx::query(SQL)
            .bind(u.id.to_string())
            .bind(&u.email)
            .bind(&u.name)
            .bind(&u.password_hash)
            .bind(&u.password_hint)
            .bind(u.kdf.kdf_type)
            .bind(u.kdf.iterations)
            .bind(u.kdf.memory)
            .bind(u.kdf.parallelism)
            .bind(&u.key)
            .bind(&u.public_key)
            .bind(&u.private_key)
            .bind(&u.security_stamp)
            .bind(&u.user_key_id)
            .bind(&u.api_key_digest)
            .bind(&u.culture)
            .bind(u.creation_date.0)
            .bind(u.revision_date.0)
            .execute(p)
            .await
            .map(|_| ()))
        .map_err(db)?;
        Ok(())
    }

    async fn user_by_email(&self, email: &str) -> Result<Option<UserRow>, StoreError> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE email = $1");
        let rec: Option<UserRecord> =
            on_pool!(&self.pool, p => sqlx::query_as(&sql).bind(email).fetch_optional(p).await)
                .map_err(db)?;
        rec.map(UserRow::try_from).transpose()
    }

    async fn user_by_id(&self, id: UserId) -> Result<Option<UserRow>, StoreError> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1");
        let rec: Option<UserRecord> = on_pool!(&self.pool, p => sqlx::query_as(&sql)
            .bind(id.to_string())
            .fetch_optional(p)
            .await)
        .map_err(db)?;
        rec.map(UserRow::try_from).transpose()
    }

    async fn update_credentials(
        &self,
        id: UserId,
        u: &CredentialUpdate,
        events: &[EventRow],
        now: Timestamp,
    ) -> Result<(), StoreError> {
        on_pool!(&self.pool, p => {
            let mut tx = self.begin(p).await?;
            write_credentials(&mut *tx, id, u, now).await?;
            insert_events(&mut *tx, events).await?;
            tx.commit().await.map_err(db)
        })
    }

    async fn rotation_inventory(&self, user_id: UserId) -> Result<RotationInventory, StoreError> {
        self.read_rotation_inventory(user_id).await
    }

    async fn rotate_user_keys(
        &self,
        user_id: UserId,
        rotation: &UserKeyRotation,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        self.write_rotation(user_id, rotation, now).await
    }

    async fn set_user_key_id(&self, id: UserId, key_id: &str) -> Result<(), StoreError> {
        const SQL: &str = "UPDATE users SET user_key_id = $2 WHERE id = $1";
        on_pool!(&self.pool, p => sqlx::query(SQL).bind(id.to_string()).bind(key_id).execute(p).await.map(|_| ()))
            .map_err(db)?;
        Ok(())
    }

    async fn set_api_key(
        &self,
        id: UserId,
        digest: &str,
        write: ApiKeyWrite,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        const ROTATE: &str = "UPDATE users SET api_key = $2, revision_date = $3 WHERE id = $1";
        const ISSUE: &str =
            "UPDATE users SET api_key = $2, revision_date = $3 WHERE id = $1 AND api_key = ''";
        let sql = match write {
            ApiKeyWrite::Issue => ISSUE,
            ApiKeyWrite::Rotate => ROTATE,
        };
        let done = on_pool!(&self.pool, p => sqlx::query(sql)
            .bind(id.to_string())
            .bind(digest)
            .bind(now.0)
            .execute(p)
            .await
            .map(|r| r.rows_affected()))
        .map_err(db)?;
        Ok(done == 1)
    }

    async fn update_profile(
        &self,
        id: UserId,
        name: Option<&str>,
        culture: &str,
        hint: Option<&str>,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        const SQL: &str =
            "UPDATE users SET name = $2, culture = $3, password_hint = $4, revision_date = $5 WHERE id = $1";
        on_pool!(&self.pool, p => sqlx::query(SQL)
            .bind(id.to_string())
            .bind(name)
            .bind(culture)
            .bind(hint)
            .bind(now.0)
            .execute(p)
            .await
            .map(|_| ()))
        .map_err(db)?;
        Ok(())
    }

    async fn upsert_device(
        &self,
        user_id: UserId,
        identifier: &str,
        device_type: i32,
        name: &str,
        now: Timestamp,
    ) -> Result<DeviceRow, StoreError> {
        let sql = format!(
            "INSERT INTO devices (id, user_id, identifier, device_type, name, creation_date, last_seen) \
            VALUES ($1, $2, $3, $4, $5, $6, $6) \
            ON CONFLICT (user_id, identifier) DO UPDATE SET device_type = excluded.device_type, \
            name = excluded.name, last_seen = excluded.last_seen \
            RETURNING {DEVICE_COLUMNS}"
        );
        let rec: DeviceRecord = on_pool!(&self.pool, p => sqlx::query_as(&sql)
            .bind(DeviceId::new().to_string())
            .bind(user_id.to_string())
            .bind(identifier)
            .bind(device_type)
            .bind(name)
            .bind(now.0)
            .fetch_one(p)
            .await)
        .map_err(db)?;
        DeviceRow::try_from(rec)
    }

    async fn device_exists(&self, user_id: UserId, identifier: &str) -> Result<bool, StoreError> {
        const SQL: &str = "SELECT COUNT(*) FROM devices WHERE user_id = $1 AND identifier = $2";
        let n: i64 = on_pool!(&self.pool, p => sqlx::query_scalar(SQL)
            .bind(user_id.to_string())
            .bind(identifier)
            .fetch_one(p)
            .await)
        .map_err(db)?;
        Ok(n > 0)
    }

    async fn device(&self, id: DeviceId) -> Result<Option<DeviceRow>, StoreError> {
        let sql = format!("SELECT {DEVICE_COLUMNS} FROM devices WHERE id = $1");
        let rec: Option<DeviceRecord> = on_pool!(&self.pool, p => sqlx::query_as(&sql)
            .bind(id.to_string())
            .fetch_optional(p)
            .await)
        .map_err(db)?;
        rec.map(DeviceRow::try_from).transpose()
    }

    async fn devices_of(&self, user_id: UserId) -> Result<Vec<DeviceRow>, StoreError> {
        let sql = format!(
            "SELECT {DEVICE_COLUMNS} FROM devices WHERE user_id = $1 \
             ORDER BY last_seen DESC, id LIMIT {MAX_DEVICES_LISTED}"
        );
        let recs: Vec<DeviceRecord> = on_pool!(&self.pool, p => sqlx::query_as(&sql)
            .bind(user_id.to_string())
            .fetch_all(p)
            .await)
        .map_err(db)?;
        recs.into_iter().map(DeviceRow::try_from).collect()
    }

    async fn device_by_identifier(
        &self,
        user_id: UserId,
        identifier: &str,
    ) -> Result<Option<DeviceRow>, StoreError> {
        let sql =
            format!("SELECT {DEVICE_COLUMNS} FROM devices WHERE user_id = $1 AND identifier = $2");
        let rec: Option<DeviceRecord> = on_pool!(&self.pool, p => sqlx::query_as(&sql)
            .bind(user_id.to_string())
            .bind(identifier)
            .fetch_optional(p)
            .await)
        .map_err(db)?;
        rec.map(DeviceRow::try_from).transpose()
    }

    async fn rename_device(
        &self,
        user_id: UserId,
        id: DeviceId,
        name: &str,
    ) -> Result<bool, StoreError> {
        const SQL: &str = "UPDATE devices SET name = $3 WHERE id = $1 AND user_id = $2";
        let n = on_pool!(&self.pool, p => sqlx::query(SQL)
            .bind(id.to_string())
            .bind(user_id.to_string())
            .bind(name)
            .execute(p)
            .await
            .map(|r| r.rows_affected()))
        .map_err(db)?;
        Ok(n == 1)
    }

    async fn remove_device(&self, user_id: UserId, id: DeviceId) -> Result<bool, StoreError> {
        // Revoked and detached rather than left to the foreign key's cascade: the revocation is
        // what ends the sessions, whatever the driver does with the row.
        const REVOKE: &str = "UPDATE refresh_tokens SET revoked = TRUE, device_id = NULL \
            WHERE device_id = $1 AND user_id = $2";
        const DELETE: &str = "DELETE FROM devices WHERE id = $1 AND user_id = $2";
        on_pool!(&self.pool, p => {
            let mut tx = self.begin(p).await?;
            let q = sqlx::query(REVOKE).arg(id.to_string()).arg(user_id.to_string());
            tx.run(q).await?;
            let q = sqlx::query(DELETE).arg(id.to_string()).arg(user_id.to_string());
            let removed = tx.run(q).await?;
            if removed != 1 {
                return Ok(false);
            }
            tx.commit().await.map_err(db)?;
            Ok(true)
        })
    }

    async fn set_device_keys(
        &self,
        user_id: UserId,
        identifier: &str,
        keys: Option<&DeviceKeys>,
    ) -> Result<bool, StoreError> {
        const SQL: &str = "UPDATE devices SET encrypted_user_key = $3, encrypted_public_key = $4, \
            encrypted_private_key = $5 WHERE user_id = $1 AND identifier = $2";
        let n = on_pool!(&self.pool, p => sqlx::query(SQL)
            .bind(user_id.to_string())
            .bind(identifier.to_string())
            .bind(keys.map(|k| k.encrypted_user_key.clone()))
            .bind(keys.map(|k| k.encrypted_public_key.clone()))
            .bind(keys.map(|k| k.encrypted_private_key.clone()))
            .execute(p)
            .await
            .map(|r| r.rows_affected()))
        .map_err(db)?;
        Ok(n >= 1)
    }

    async fn update_device_trust(
        &self,
        user_id: UserId,
        devices: &[DeviceTrustUpdate],
    ) -> Result<bool, StoreError> {
        let u = user_id.to_string();
        on_pool!(&self.pool, p => {
            let mut tx = self.begin(p).await?;
            if !rekey_trusted_devices(&mut *tx, &u, devices).await? {
                return Ok(false);
            }
            tx.commit().await.map_err(db)?;
            Ok(true)
        })
    }

    async fn clear_device_keys(&self, user_id: UserId, ids: &[DeviceId]) -> Result<(), StoreError> {
        const SQL: &str = "UPDATE devices SET encrypted_user_key = NULL, \
            encrypted_public_key = NULL, encrypted_private_key = NULL \
            WHERE user_id = $1 AND id = $2";
        on_pool!(&self.pool, p => {
            let mut tx = self.begin(p).await?;
            for id in ids {
                let q = sqlx::query(SQL).arg(user_id.to_string()).arg(id.to_string());
                tx.run(q).await?;
            }
            tx.commit().await.map_err(db)?;
            Ok(())
        })
    }

    async fn delete_user(&self, id: UserId) -> Result<(), StoreError> {
        // Foreign keys cascade to devices, refresh tokens, folders, ciphers and per-user state.
        const SQL: &str = "DELETE FROM users WHERE id = $1";
        on_pool!(&self.pool, p => sqlx::query(SQL).bind(id.to_string()).execute(p).await.map(|_| ())).map_err(db)
    }

    async fn insert_refresh_token(&self, t: &RefreshTokenRow) -> Result<(), StoreError> {
        on_pool!(&self.pool, p => {
            let mut conn = p.acquire().await.map_err(db)?;
            insert_token(&mut *conn, t).await
        })
    }

    async fn refresh_token(&self, token_hash: &str) -> Result<Option<RefreshTokenRow>, StoreError> {
        let sql = format!("SELECT {REFRESH_COLUMNS} FROM refresh_tokens WHERE token_hash = $1");
        let rec: Option<RefreshTokenRecord> =
            on_pool!(&self.pool, p => sqlx::query_as(&sql).bind(token_hash).fetch_optional(p).await).map_err(db)?;
        rec.map(RefreshTokenRow::try_from).transpose()
    }

    async fn rotate_refresh_token(
        &self,
        old_hash: &str,
        new: &RefreshTokenRow,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        // Marking the old token used is the compare-and-set: of two racing uses, one sees 0 rows.
        const MARK: &str =
            "UPDATE refresh_tokens SET used = $2 WHERE token_hash = $1 AND used IS NULL AND revoked = FALSE";
        on_pool!(&self.pool, p => {
            let mut tx = self.begin(p).await?;
            let marked = sqlx::query(MARK)
                .bind(old_hash)
                .bind(now.0)
                .execute(&mut *tx)
                .await
                .map_err(db)?
                .rows_affected();
            if marked != 1 {
                return Ok(false);
            }
            insert_token(&mut *tx, new).await?;
            tx.commit().await.map_err(db)?;
            Ok(true)
        })
    }

    async fn revoke_token_family(&self, family: TokenFamilyId) -> Result<(), StoreError> {
        const SQL: &str = "UPDATE refresh_tokens SET revoked = TRUE WHERE family = $1";
        on_pool!(&self.pool, p => sqlx::query(SQL).bind(family.to_string()).execute(p).await.map(|_| ())).map_err(db)?;
        Ok(())
    }

    async fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        const SQL: &str = "SELECT value FROM server_settings WHERE key = $1";
        on_pool!(&self.pool, p => sqlx::query_scalar(SQL).bind(key).fetch_optional(p).await)
            .map_err(db)
    }

    async fn setting_init(&self, key: &str, value: &str) -> Result<String, StoreError> {
        const INSERT: &str =
            "INSERT INTO server_settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING";
        on_pool!(&self.pool, p => sqlx::query(INSERT).bind(key).bind(value).execute(p).await.map(|_| ())).map_err(db)?;
        self.setting(key)
            .await?
            .ok_or_else(|| StoreError::Corrupt(format!("setting {key} vanished")))
    }
}
