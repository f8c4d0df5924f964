//! Login-with-device requests (`auth_requests`).

use crate::conn::{Arg, Conn};
use crate::records::{code, id, opt_id};
use crate::rows::insert_events;
use crate::{db, on_pool, SqlStore};
use keyfleet_domain::ids::{AuthRequestId, OrgId, UserId};
use keyfleet_domain::store::{
    AuthRequestAnswer, AuthRequestRow, AuthRequestStore, EventRow, OrgAuthRequestRow,
    MAX_AUTH_REQUESTS_LISTED,
};
use keyfleet_domain::{StoreError, Timestamp};

const COLUMNS: &str = "id, user_id, request_type, organization_id, request_device_identifier, \
    request_device_type, request_ip, public_key, access_code_digest, key, master_password_hash, \
    creation_date, response_date, approved, response_device_id, authentication_date";

#[derive(sqlx::FromRow)]
struct AuthRequestRecord {
    id: String,
    user_id: String,
    request_type: i32,
    organization_id: Option<String>,
    request_device_identifier: String,
    request_device_type: i32,
    request_ip: String,
    public_key: String,
    access_code_digest: String,
    key: Option<String>,
    master_password_hash: Option<String>,
    creation_date: i64,
    response_date: Option<i64>,
    approved: Option<bool>,
    response_device_id: Option<String>,
    authentication_date: Option<i64>,
}

impl TryFrom<AuthRequestRecord> for AuthRequestRow {
    type Error = StoreError;
    fn try_from(r: AuthRequestRecord) -> Result<Self, StoreError> {
        Ok(AuthRequestRow {
            id: id(&r.id)?,
            user_id: id(&r.user_id)?,
            request_type: code(r.request_type)?,
            organization_id: opt_id(r.organization_id.as_deref())?,
            request_device_identifier: r.request_device_identifier,
            request_device_type: r.request_device_type,
            request_ip: r.request_ip,
            public_key: r.public_key,
            access_code_digest: r.access_code_digest,
            key: r.key,
            master_password_hash: r.master_password_hash,
            creation_date: Timestamp(r.creation_date),
            response_date: r.response_date.map(Timestamp),
            approved: r.approved,
            response_device_id: opt_id(r.response_device_id.as_deref())?,
            authentication_date: r.authentication_date.map(Timestamp),
        })
    }
}

/// Inserts one request inside the current transaction.
async fn insert_request<C: Conn + ?Sized>(
    tx: &mut C,
    r: &AuthRequestRow,
) -> Result<(), StoreError> {
    let q = sqlx::query(
        "INSERT INTO auth_requests (id, user_id, request_type, organization_id, \
         request_device_identifier, request_device_type, request_ip, public_key, \
         access_code_digest, key, master_password_hash, creation_date, response_date, approved, \
         response_device_id, authentication_date) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
    )
    .arg(r.id.to_string())
    .arg(r.user_id.to_string())
    .arg(r.request_type.code())
    .arg(r.organization_id.map(|o| o.to_string()))
    .arg(r.request_device_identifier.clone())
    .arg(r.request_device_type)
    .arg(r.request_ip.clone())
    .arg(r.public_key.clone())
    .arg(r.access_code_digest.clone())
    .arg(r.key.clone())
    .arg(r.master_password_hash.clone())
    .arg(r.creation_date.0)
    .arg(r.response_date.map(|t| t.0))
    .arg(r.approved)
    .arg(r.response_device_id.map(|d| d.to_string()))
    .arg(r.authentication_date.map(|t| t.0));
    tx.run(q).await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct OrgAuthRequestRecord {
    #[sqlx(flatten)]
    request: AuthRequestRecord,
    org_user_id: String,
    email: String,
}

/// How a user's login requests are kept in bounds when new ones are written.
struct Bounds {
    /// Deletes the user's (`$1`) old requests of the kind being written, made before `$2`.
    sweep: &'static str,
    /// Most unanswered requests a user may have (of every kind) made after `pending_since`.
    max_pending: i64,
    pending_since: Timestamp,
    sweep_before: Timestamp,
}

impl SqlStore {
    /// Writes `rows` (one user's requests) and `events` in one transaction: first sweeps that
    /// user's old requests, then answers `false` (nothing written) when the user already has
    /// `max_pending` unanswered ones.
    async fn insert_bounded(
        &self,
        rows: &[AuthRequestRow],
        events: &[EventRow],
        bounds: Bounds,
    ) -> Result<bool, StoreError> {
        const PENDING: &str = "SELECT COUNT(*) FROM auth_requests \
            WHERE user_id = $1 AND approved IS NULL AND creation_date > $2";
        let Some(first) = rows.first() else {
            return Ok(true);
        };
        if rows.iter().any(|r| r.user_id != first.user_id) {
            return Err(StoreError::Corrupt(
                "login requests of several users".into(),
            ));
        }
        let user = first.user_id.to_string();
        on_pool!(&self.pool, p => {
            let mut tx = self.begin(p).await?;
            let q = sqlx::query(bounds.sweep)
                .arg(user.clone())
                .arg(bounds.sweep_before.0);
            tx.run(q).await?;
            let pending: i64 = sqlx::query_scalar(PENDING)
                .bind(user.clone())
                .bind(bounds.pending_since.0)
                .fetch_one(&mut *tx)
                .await
                .map_err(db)?;
            if pending >= bounds.max_pending {
                return Ok(false);
            }
            for r in rows {
                insert_request(&mut *tx, r).await?;
            }
            insert_events(&mut *tx, events).await?;
            tx.commit().await.map_err(db)?;
            Ok(true)
        })
    }
}

#[async_trait::async_trait]
impl AuthRequestStore for SqlStore {
    async fn insert_auth_request(
        &self,
        r: &AuthRequestRow,
        max_pending: i64,
        pending_since: Timestamp,
        sweep_before: Timestamp,
    ) -> Result<bool, StoreError> {
        // Admin approval requests live longer: they are swept by `insert_admin_auth_requests`.
        const SWEEP: &str = "DELETE FROM auth_requests \
            WHERE user_id = $1 AND creation_date < $2 AND organization_id IS NULL";
        let bounds = Bounds {
            sweep: SWEEP,
            max_pending,
            pending_since,
            sweep_before,
        };
        self.insert_bounded(std::slice::from_ref(r), &[], bounds)
            .await
    }

    async fn auth_request(&self, rid: AuthRequestId) -> Result<Option<AuthRequestRow>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM auth_requests WHERE id = $1");
        let rec: Option<AuthRequestRecord> = on_pool!(&self.pool, p => sqlx::query_as(&sql)
            .bind(rid.to_string())
            .fetch_optional(p)
            .await)
        .map_err(db)?;
        rec.map(AuthRequestRow::try_from).transpose()
    }

    async fn auth_requests_of(&self, user_id: UserId) -> Result<Vec<AuthRequestRow>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM auth_requests WHERE user_id = $1 \
             ORDER BY creation_date DESC, id DESC LIMIT {MAX_AUTH_REQUESTS_LISTED}"
        );
        let recs: Vec<AuthRequestRecord> = on_pool!(&self.pool, p => sqlx::query_as(&sql)
            .bind(user_id.to_string())
            .fetch_all(p)
            .await)
        .map_err(db)?;
        recs.into_iter().map(AuthRequestRow::try_from).collect()
    }

    async fn answer_auth_request(
        &self,
        user_id: UserId,
        rid: AuthRequestId,
        a: &AuthRequestAnswer,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        const SQL: &str = "UPDATE auth_requests SET approved = $3, key = $4, \
            master_password_hash = $5, response_device_id = $6, response_date = $7 \
            WHERE id = $1 AND user_id = $2 AND approved IS NULL";
        let n = on_pool!(&self.pool, p => sqlx::query(SQL)
            .bind(rid.to_string())
            .bind(user_id.to_string())
            .bind(a.approved)
            .bind(a.key.clone())
            .bind(a.master_password_hash.clone())
            .bind(a.response_device_id.map(|d| d.to_string()))
            .bind(now.0)
            .execute(p)
            .await
            .map(|r| r.rows_affected()))
        .map_err(db)?;
        Ok(n == 1)
    }

    async fn insert_admin_auth_requests(
        &self,
        rows: &[AuthRequestRow],
        events: &[EventRow],
        max_pending: i64,
        pending_since: Timestamp,
        sweep_before: Timestamp,
    ) -> Result<bool, StoreError> {
        const SWEEP: &str = "DELETE FROM auth_requests \
            WHERE user_id = $1 AND creation_date < $2 AND organization_id IS NOT NULL";
        let bounds = Bounds {
            sweep: SWEEP,
            max_pending,
            pending_since,
            sweep_before,
        };
        self.insert_bounded(rows, events, bounds).await
    }

    async fn pending_org_auth_requests(
        &self,
        org_id: OrgId,
        since: Timestamp,
    ) -> Result<Vec<OrgAuthRequestRow>, StoreError> {
        let columns = COLUMNS
            .split(", ")
            .map(|c| format!("a.{}", c.trim()))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "SELECT {columns}, m.id AS org_user_id, u.email AS email FROM auth_requests a \
             JOIN org_users m ON m.org_id = a.organization_id AND m.user_id = a.user_id \
             JOIN users u ON u.id = a.user_id \
             WHERE a.organization_id = $1 AND a.request_type = 2 AND a.approved IS NULL \
             AND a.creation_date > $2 \
             ORDER BY a.creation_date DESC, a.id DESC LIMIT {MAX_AUTH_REQUESTS_LISTED}"
        );
        let recs: Vec<OrgAuthRequestRecord> = on_pool!(&self.pool, p => sqlx::query_as(&sql)
            .bind(org_id.to_string())
            .bind(since.0)
            .fetch_all(p)
            .await)
        .map_err(db)?;
        recs.into_iter()
            .map(|r| {
                Ok(OrgAuthRequestRow {
                    request: AuthRequestRow::try_from(r.request)?,
                    org_user_id: id(&r.org_user_id)?,
                    email: r.email,
                })
            })
            .collect()
    }

    async fn answer_org_auth_request(
        &self,
        org_id: OrgId,
        rid: AuthRequestId,
        a: &AuthRequestAnswer,
        events: &[EventRow],
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        const SQL: &str = "UPDATE auth_requests SET approved = $3, key = $4, \
            master_password_hash = $5, response_device_id = $6, response_date = $7 \
            WHERE id = $1 AND organization_id = $2 AND approved IS NULL";
        on_pool!(&self.pool, p => {
            let mut tx = self.begin(p).await?;
            let q = sqlx::query(SQL)
                .arg(rid.to_string())
                .arg(org_id.to_string())
                .arg(a.approved)
                .arg(a.key.clone())
                .arg(a.master_password_hash.clone())
                .arg(a.response_device_id.map(|d| d.to_string()))
                .arg(now.0);
            if tx.run(q).await? != 1 {
                return Ok(false);
            }
            insert_events(&mut *tx, events).await?;
            tx.commit().await.map_err(db)?;
            Ok(true)
        })
    }

    async fn use_auth_request(
        &self,
        rid: AuthRequestId,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        const SQL: &str = "UPDATE auth_requests SET authentication_date = $2 \
            WHERE id = $1 AND authentication_date IS NULL AND approved = TRUE";
        let n = on_pool!(&self.pool, p => sqlx::query(SQL)
            .bind(rid.to_string())
            .bind(now.0)
            .execute(p)
            .await
            .map(|r| r.rows_affected()))
        .map_err(db)?;
        Ok(n == 1)
    }
}
