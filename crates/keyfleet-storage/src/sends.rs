//! Sends. Owner statements filter on the owning user; the one unscoped read serves the anonymous
//! access calls. Every write bumps the owner's revision date in the same transaction, since the
//! Send (and its access count) is part of their sync.

use crate::orgs::bump_user;
use crate::records::id;
use crate::{db, on_pool, SqlStore};
use keyfleet_domain::ids::{SendId, UserId};
use keyfleet_domain::store::{SendKind, SendRow, SendStore};
use keyfleet_domain::{StoreError, Timestamp};

const COLUMNS: &str = "id, user_id, send_type, name, notes, text_value, text_hidden, file_data, \
    send_key, password_hash, max_access_count, access_count, creation_date, revision_date, \
    expiration_date, deletion_date, disabled, hide_email";

/// The condition under which a recipient may open a Send at `$2` (see `SendRow::accessible_at`).
const ACCESSIBLE: &str = "disabled = FALSE \
    AND (max_access_count IS NULL OR access_count < max_access_count) \
    AND (expiration_date IS NULL OR expiration_date >= $2) AND deletion_date > $2";

#[derive(sqlx::FromRow)]
struct SendRecord {
    id: String,
    user_id: String,
    send_type: i32,
    name: String,
    notes: Option<String>,
    text_value: Option<String>,
    text_hidden: bool,
    file_data: Option<String>,
    send_key: String,
    password_hash: Option<String>,
    max_access_count: Option<i64>,
    access_count: i64,
    creation_date: i64,
    revision_date: i64,
    expiration_date: Option<i64>,
    deletion_date: i64,
    disabled: bool,
    hide_email: bool,
}

impl TryFrom<SendRecord> for SendRow {
    type Error = StoreError;
    fn try_from(r: SendRecord) -> Result<Self, StoreError> {
        Ok(SendRow {
            id: id(&r.id)?,
            user_id: id(&r.user_id)?,
            kind: SendKind::from_code(r.send_type)
                .ok_or_else(|| StoreError::Corrupt(format!("bad send type {}", r.send_type)))?,
            name: r.name,
            notes: r.notes,
            text: r.text_value,
            text_hidden: r.text_hidden,
            file: r.file_data,
            key: r.send_key,
            password_hash: r.password_hash,
            max_access_count: r.max_access_count,
            access_count: r.access_count,
            creation_date: Timestamp(r.creation_date),
            revision_date: Timestamp(r.revision_date),
            expiration_date: r.expiration_date.map(Timestamp),
            deletion_date: Timestamp(r.deletion_date),
            disabled: r.disabled,
            hide_email: r.hide_email,
        })
    }
}

#[async_trait::async_trait]
impl SendStore for SqlStore {
    async fn sends(&self, user_id: UserId, now: Timestamp) -> Result<Vec<SendRow>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM sends WHERE user_id = $1 AND deletion_date > $2 ORDER BY id"
        );
        let recs: Vec<SendRecord> = on_pool!(&self.pool, p => sqlx::query_as(&sql)
            .bind(user_id.to_string())
            .bind(now.0)
            .fetch_all(p)
            .await)
        .map_err(db)?;
        recs.into_iter().map(SendRow::try_from).collect()
    }

    async fn send(
        &self,
        user_id: UserId,
        send_id: SendId,
        now: Timestamp,
    ) -> Result<Option<SendRow>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM sends WHERE id = $1 AND user_id = $2 AND deletion_date > $3"
        );
        let rec: Option<SendRecord> = on_pool!(&self.pool, p => sqlx::query_as(&sql)
            .bind(send_id.to_string())
            .bind(user_id.to_string())
            .bind(now.0)
            .fetch_optional(p)
            .await)
        .map_err(db)?;
        rec.map(SendRow::try_from).transpose()
    }

    async fn send_count(&self, user_id: UserId) -> Result<i64, StoreError> {
        const SQL: &str = "SELECT COUNT(*) FROM sends WHERE user_id = $1";
        let (n,): (i64,) = on_pool!(&self.pool, p => sqlx::query_as(SQL)
            .bind(user_id.to_string())
            .fetch_one(p)
            .await)
        .map_err(db)?;
        Ok(n)
    }

    async fn send_unscoped_for_access(
        &self,
        send_id: SendId,
    ) -> Result<Option<SendRow>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM sends WHERE id = $1");
        let rec: Option<SendRecord> = on_pool!(&self.pool, p => sqlx::query_as(&sql)
            .bind(send_id.to_string())
            .fetch_optional(p)
            .await)
        .map_err(db)?;
        rec.map(SendRow::try_from).transpose()
    }

    async fn insert_send(&self, s: &SendRow) -> Result<(), StoreError> {
        let sql = format!(
            "INSERT INTO sends ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, \
             $11, $12, $13, $14, $15, $16, $17, $18)"
        );
        on_pool!(&self.pool, p => {
            let mut tx = self.begin(p).await?;
            sqlx::query(&sql)
                .bind(s.id.to_string())
                .bind(s.user_id.to_string())
                .bind(s.kind.code())
                .bind(&s.name)
                .bind(&s.notes)
                .bind(&s.text)
                .bind(s.text_hidden)
                .bind(&s.file)
                .bind(&s.key)
                .bind(&s.password_hash)
                .bind(s.max_access_count)
                .bind(s.access_count)
                .bind(s.creation_date.0)
                .bind(s.revision_date.0)
                .bind(s.expiration_date.map(|t| t.0))
                .bind(s.deletion_date.0)
                .bind(s.disabled)
                .bind(s.hide_email)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
            bump_user(&mut *tx, s.user_id, s.revision_date.0).await?;
            tx.commit().await.map_err(db)
        })
    }

    async fn update_send(&self, s: &SendRow) -> Result<bool, StoreError> {
        const SQL: &str = "UPDATE sends SET name = $3, notes = $4, text_value = $5, \
            text_hidden = $6, file_data = $7, send_key = $8, password_hash = $9, \
            max_access_count = $10, revision_date = $11, expiration_date = $12, \
            deletion_date = $13, disabled = $14, hide_email = $15 \
            WHERE id = $1 AND user_id = $2";
        on_pool!(&self.pool, p => {
            let mut tx = self.begin(p).await?;
            let n = sqlx::query(SQL)
                .bind(s.id.to_string())
                .bind(s.user_id.to_string())
                .bind(&s.name)
                .bind(&s.notes)
                .bind(&s.text)
                .bind(s.text_hidden)
                .bind(&s.file)
                .bind(&s.key)
                .bind(&s.password_hash)
                .bind(s.max_access_count)
                .bind(s.revision_date.0)
                .bind(s.expiration_date.map(|t| t.0))
                .bind(s.deletion_date.0)
                .bind(s.disabled)
                .bind(s.hide_email)
                .execute(&mut *tx)
                .await
                .map_err(db)?
                .rows_affected();
            if n > 0 {
                bump_user(&mut *tx, s.user_id, s.revision_date.0).await?;
            }
            tx.commit().await.map_err(db)?;
            Ok(n > 0)
        })
    }

    async fn delete_send(
        &self,
        user_id: UserId,
        send_id: SendId,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        const SQL: &str = "DELETE FROM sends WHERE id = $1 AND user_id = $2";
        on_pool!(&self.pool, p => {
            let mut tx = self.begin(p).await?;
            let n = sqlx::query(SQL)
                .bind(send_id.to_string())
                .bind(user_id.to_string())
                .execute(&mut *tx)
                .await
                .map_err(db)?
                .rows_affected();
            if n > 0 {
                bump_user(&mut *tx, user_id, now.0).await?;
            }
            tx.commit().await.map_err(db)?;
            Ok(n > 0)
        })
    }

    async fn record_send_access(
        &self,
        send_id: SendId,
        now: Timestamp,
    ) -> Result<Option<SendRow>, StoreError> {
        // One conditional UPDATE: two recipients racing for the last access cannot both pass
        // the limit, on either database.
        let sql = format!(
            "UPDATE sends SET access_count = access_count + 1, revision_date = $2 \
             WHERE id = $1 AND {ACCESSIBLE} RETURNING {COLUMNS}"
        );
        let rec: Option<SendRecord> = on_pool!(&self.pool, p => {
            let mut tx = self.begin(p).await?;
            let rec: Option<SendRecord> = sqlx::query_as(&sql)
                .bind(send_id.to_string())
                .bind(now.0)
                .fetch_optional(&mut *tx)
                .await
                .map_err(db)?;
            if let Some(r) = &rec {
                bump_user(&mut *tx, id(&r.user_id)?, now.0).await?;
            }
            tx.commit().await.map_err(db)?;
            rec
        });
        rec.map(SendRow::try_from).transpose()
    }

    async fn delete_sends_due(
        &self,
        now: Timestamp,
    ) -> Result<Vec<(SendId, SendKind)>, StoreError> {
        const BUMP: &str = "UPDATE users SET revision_date = $1 \
            WHERE id IN (SELECT user_id FROM sends WHERE deletion_date <= $1)";
        const DELETE: &str = "DELETE FROM sends WHERE deletion_date <= $1 RETURNING id, send_type";
        let gone: Vec<(String, i32)> = on_pool!(&self.pool, p => {
            let mut tx = self.begin(p).await?;
            sqlx::query(BUMP).bind(now.0).execute(&mut *tx).await.map_err(db)?;
            let gone: Vec<(String, i32)> = sqlx::query_as(DELETE)
                .bind(now.0)
                .fetch_all(&mut *tx)
                .await
                .map_err(db)?;
            tx.commit().await.map_err(db)?;
            gone
        });
        gone.into_iter()
            .map(|(send_id, kind)| {
                let kind = SendKind::from_code(kind)
                    .ok_or_else(|| StoreError::Corrupt(format!("bad send type {kind}")))?;
                Ok((id(&send_id)?, kind))
            })
            .collect()
    }
}
