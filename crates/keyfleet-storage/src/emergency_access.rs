//! Emergency access rows. Reads filter on the grantor or the grantee asking; the one unscoped
//! read serves acceptance. Transitions are compare-and-set on the stored status, and a takeover
//! writes the grantor's credentials, their two-step login, their memberships and its events in
//! one transaction, only while the row still allows it.

use crate::records::{code, id};
use crate::rows::insert_events;
use crate::users::write_credentials;
use crate::{db, on_pool, SqlStore};
use keyfleet_domain::ids::{EmergencyAccessId, OrgUserId, UserId};
use keyfleet_domain::store::{
    CredentialUpdate, EmergencyAccessDetails, EmergencyAccessRow, EmergencyAccessStatusType,
    EmergencyAccessStore, EmergencyAccessType, EventRow, DAY_MS,
};
use keyfleet_domain::{StoreError, Timestamp};

const COLUMNS: &str = "ea.id, ea.grantor_id, ea.grantee_id, ea.email, ea.key_encrypted, \
    ea.access_type, ea.status, ea.wait_time_days, ea.recovery_initiated_at, \
    ea.last_notification_at, ea.invited_at, ea.creation_date, ea.revision_date";

/// The wait time of a pending request is over at `$1` (see `EmergencyAccessRow::wait_over_at`).
fn due_sql() -> String {
    format!(
        "status = {} AND recovery_initiated_at IS NOT NULL \
         AND recovery_initiated_at + CAST(wait_time_days AS BIGINT) * {DAY_MS} <= $1",
        EmergencyAccessStatusType::RecoveryInitiated.code()
    )
}

#[derive(sqlx::FromRow)]
struct Record {
    id: String,
    grantor_id: String,
    grantee_id: Option<String>,
    email: Option<String>,
    key_encrypted: Option<String>,
    access_type: i32,
    status: i32,
    wait_time_days: i32,
    recovery_initiated_at: Option<i64>,
    last_notification_at: Option<i64>,
    invited_at: Option<i64>,
    creation_date: i64,
    revision_date: i64,
}

#[derive(sqlx::FromRow)]
struct DetailsRecord {
    #[sqlx(flatten)]
    row: Record,
    other_name: Option<String>,
    other_email: Option<String>,
}

impl TryFrom<Record> for EmergencyAccessRow {
    type Error = StoreError;
    fn try_from(r: Record) -> Result<Self, StoreError> {
        Ok(EmergencyAccessRow {
            id: id(&r.id)?,
            grantor_id: id(&r.grantor_id)?,
            grantee_id: r.grantee_id.as_deref().map(id).transpose()?,
            email: r.email,
            key_encrypted: r.key_encrypted,
            access_type: code(r.access_type)?,
            status: code(r.status)?,
            wait_time_days: r.wait_time_days,
            recovery_initiated_at: r.recovery_initiated_at.map(Timestamp),
            last_notification_at: r.last_notification_at.map(Timestamp),
            invited_at: r.invited_at.map(Timestamp),
            creation_date: Timestamp(r.creation_date),
            revision_date: Timestamp(r.revision_date),
        })
    }
}

fn details(recs: Vec<DetailsRecord>) -> Result<Vec<EmergencyAccessDetails>, StoreError> {
    recs.into_iter()
        .map(|r| {
            Ok(EmergencyAccessDetails {
                row: r.row.try_into()?,
                name: r.other_name,
                email: r.other_email,
            })
        })
        .collect()
}

#[async_trait::async_trait]
impl EmergencyAccessStore for SqlStore {
    async fn emergency_accesses_of_grantor(
        &self,
        grantor: UserId,
    ) -> Result<Vec<EmergencyAccessDetails>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS}, u.name AS other_name, COALESCE(u.email, ea.email) AS other_email \
             FROM emergency_access ea LEFT JOIN users u ON u.id = ea.grantee_id \
             WHERE ea.grantor_id = $1 ORDER BY ea.creation_date, ea.id"
        );
        let recs: Vec<DetailsRecord> = on_pool!(&self.pool, p => sqlx::query_as(&sql)
            .bind(grantor.to_string())
            .fetch_all(p)
            .await)
        .map_err(db)?;
        details(recs)
    }

    async fn emergency_accesses_of_grantee(
        &self,
        grantee: UserId,
    ) -> Result<Vec<EmergencyAccessDetails>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS}, u.name AS other_name, u.email AS other_email \
             FROM emergency_access ea JOIN users u ON u.id = ea.grantor_id \
             WHERE ea.grantee_id = $1 ORDER BY ea.creation_date, ea.id"
        );
        let recs: Vec<DetailsRecord> = on_pool!(&self.pool, p => sqlx::query_as(&sql)
            .bind(grantee.to_string())
            .fetch_all(p)
            .await)
        .map_err(db)?;
        details(recs)
    }

    async fn emergency_access(
        &self,
        access: EmergencyAccessId,
        user: UserId,
    ) -> Result<Option<EmergencyAccessRow>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM emergency_access ea \
             WHERE ea.id = $1 AND (ea.grantor_id = $2 OR ea.grantee_id = $2)"
        );
        let rec: Option<Record> = on_pool!(&self.pool, p => sqlx::query_as(&sql)
            .bind(access.to_string())
            .bind(user.to_string())
            .fetch_optional(p)
            .await)
        .map_err(db)?;
        rec.map(EmergencyAccessRow::try_from).transpose()
    }

    async fn emergency_access_unscoped_for_accept(
        &self,
        access: EmergencyAccessId,
    ) -> Result<Option<EmergencyAccessRow>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM emergency_access ea WHERE ea.id = $1");
        let rec: Option<Record> = on_pool!(&self.pool, p => sqlx::query_as(&sql)
            .bind(access.to_string())
            .fetch_optional(p)
            .await)
        .map_err(db)?;
        rec.map(EmergencyAccessRow::try_from).transpose()
    }

    async fn insert_emergency_access(&self, r: &EmergencyAccessRow) -> Result<(), StoreError> {
        const SQL: &str = "INSERT INTO emergency_access (id, grantor_id, grantee_id, email, \
            key_encrypted, access_type, status, wait_time_days, recovery_initiated_at, \
            last_notification_at, invited_at, creation_date, revision_date) \
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)";
        on_pool!(&self.pool, p => sqlx::query(SQL)
            .bind(r.id.to_string())
            .bind(r.grantor_id.to_string())
            .bind(r.grantee_id.map(|g| g.to_string()))
            .bind(&r.email)
            .bind(&r.key_encrypted)
            .bind(r.access_type.code())
            .bind(r.status.code())
            .bind(r.wait_time_days)
            .bind(r.recovery_initiated_at.map(|t| t.0))
            .bind(r.last_notification_at.map(|t| t.0))
            .bind(r.invited_at.map(|t| t.0))
            .bind(r.creation_date.0)
            .bind(r.revision_date.0)
            .execute(p)
            .await
            .map(|_| ()))
        .map_err(db)
    }

    async fn update_emergency_access(
        &self,
        r: &EmergencyAccessRow,
        expected: EmergencyAccessStatusType,
    ) -> Result<bool, StoreError> {
        const SQL: &str = "UPDATE emergency_access SET grantee_id = $3, email = $4, \
            key_encrypted = $5, access_type = $6, status = $7, wait_time_days = $8, \
            recovery_initiated_at = $9, last_notification_at = $10, invited_at = $11, \
            revision_date = $12 WHERE id = $1 AND status = $2";
        let done = on_pool!(&self.pool, p => sqlx::query(SQL)
            .bind(r.id.to_string())
            .bind(expected.code())
            .bind(r.grantee_id.map(|g| g.to_string()))
            .bind(&r.email)
            .bind(&r.key_encrypted)
            .bind(r.access_type.code())
            .bind(r.status.code())
            .bind(r.wait_time_days)
            .bind(r.recovery_initiated_at.map(|t| t.0))
            .bind(r.last_notification_at.map(|t| t.0))
            .bind(r.invited_at.map(|t| t.0))
            .bind(r.revision_date.0)
            .execute(p)
            .await
            .map(|d| d.rows_affected()))
        .map_err(db)?;
        Ok(done == 1)
    }

    async fn delete_emergency_access(
        &self,
        access: EmergencyAccessId,
        user: UserId,
    ) -> Result<bool, StoreError> {
        const SQL: &str =
            "DELETE FROM emergency_access WHERE id = $1 AND (grantor_id = $2 OR grantee_id = $2)";
        let done = on_pool!(&self.pool, p => sqlx::query(SQL)
            .bind(access.to_string())
            .bind(user.to_string())
            .execute(p)
            .await
            .map(|d| d.rows_affected()))
        .map_err(db)?;
        Ok(done == 1)
    }

    async fn approve_due_emergency_accesses(
        &self,
        now: Timestamp,
    ) -> Result<Vec<EmergencyAccessRow>, StoreError> {
        let sql = format!(
            "UPDATE emergency_access SET status = {}, revision_date = $1 WHERE {} \
             RETURNING {}",
            EmergencyAccessStatusType::RecoveryApproved.code(),
            due_sql(),
            COLUMNS.replace("ea.", "")
        );
        let recs: Vec<Record> = on_pool!(&self.pool, p => sqlx::query_as(&sql)
            .bind(now.0)
            .fetch_all(p)
            .await)
        .map_err(db)?;
        recs.into_iter().map(EmergencyAccessRow::try_from).collect()
    }

    async fn remind_due_emergency_accesses(
        &self,
        now: Timestamp,
        only: Option<EmergencyAccessId>,
    ) -> Result<Vec<EmergencyAccessRow>, StoreError> {
        // As the official reminder job: in the last day of the wait, once a day at most (the
        // request itself counts as the first notice).
        let sql = format!(
            "UPDATE emergency_access SET last_notification_at = $1 \
             WHERE status = {} AND recovery_initiated_at IS NOT NULL \
             AND recovery_initiated_at + (CAST(wait_time_days AS BIGINT) - 1) * {DAY_MS} <= $1 \
             AND (last_notification_at IS NULL OR last_notification_at + {DAY_MS} <= $1) \
             AND ($2 IS NULL OR id = $2) \
             RETURNING {}",
            EmergencyAccessStatusType::RecoveryInitiated.code(),
            COLUMNS.replace("ea.", "")
        );
        let recs: Vec<Record> = on_pool!(&self.pool, p => sqlx::query_as(&sql)
            .bind(now.0)
            .bind(only.map(|id| id.to_string()))
            .fetch_all(p)
            .await)
        .map_err(db)?;
        recs.into_iter().map(EmergencyAccessRow::try_from).collect()
    }

    async fn emergency_takeover(
        &self,
        access: EmergencyAccessId,
        grantor: UserId,
        grantee: UserId,
        update: &CredentialUpdate,
        removed: &[OrgUserId],
        events: &[EventRow],
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        const STILL: &str = "SELECT COUNT(*) FROM emergency_access WHERE id = $1 \
            AND grantor_id = $2 AND grantee_id = $3 AND status = $4 AND access_type = $5";
        on_pool!(&self.pool, p => {
            let mut tx = self.begin(p).await?;
            // Checked inside the write: a request rejected or deleted meanwhile takes nothing.
            let n: i64 = sqlx::query_scalar(STILL)
                .bind(access.to_string())
                .bind(grantor.to_string())
                .bind(grantee.to_string())
                .bind(EmergencyAccessStatusType::RecoveryApproved.code())
                .bind(EmergencyAccessType::Takeover.code())
                .fetch_one(&mut *tx)
                .await
                .map_err(db)?;
            if n == 0 {
                return Ok(false);
            }
            write_credentials(&mut *tx, grantor, update, now).await?;
            sqlx::query("DELETE FROM two_factor WHERE user_id = $1")
                .bind(grantor.to_string())
                .execute(&mut *tx)
                .await
                .map_err(db)?;
            sqlx::query("UPDATE users SET recovery_code_hash = NULL WHERE id = $1")
                .bind(grantor.to_string())
                .execute(&mut *tx)
                .await
                .map_err(db)?;
            for m in removed {
                // Never an owner's membership, whatever the caller passed.
                sqlx::query(
                    "DELETE FROM org_users WHERE id = $1 AND user_id = $2 AND member_type <> 0",
                )
                .bind(m.to_string())
                .bind(grantor.to_string())
                .execute(&mut *tx)
                .await
                .map_err(db)?;
            }
            insert_events(&mut *tx, events).await?;
            tx.commit().await.map_err(db)?;
            Ok(true)
        })
    }
}
