//! Policies and the event log.

use crate::codes::{OU_ACCEPTED, OU_CONFIRMED};
use crate::org_records::{EventRecord, PolicyRecord, EVENT_COLUMNS};
use crate::orgs::{bump_org, insert_events};
use crate::{db, on_pool, SqlStore};
use keyfleet_domain::ids::{OrgId, UserId};
use keyfleet_domain::providers::store::ProviderEventQuery;
use keyfleet_domain::store::{AuditStore, EventQuery, EventRow, PolicyRow};
use keyfleet_domain::StoreError;

/// `(date, id) < ($n, $n+1)`: the page after the last one, newest first.
fn after_cursor(n: usize) -> String {
    format!(" AND (date < ${n} OR (date = ${n} AND id < ${}))", n + 1)
}

const POLICY_COLUMNS: &str = "p.id, p.org_id, p.policy_type, p.enabled, p.data, p.revision_date";

#[async_trait::async_trait]
impl AuditStore for SqlStore {
    async fn policies(&self, org_id: OrgId) -> Result<Vec<PolicyRow>, StoreError> {
        let sql = format!(
            "SELECT {POLICY_COLUMNS} FROM policies p WHERE p.org_id = $1 ORDER BY p.policy_type"
        );
        let recs: Vec<PolicyRecord> = on_pool!(&self.pool, p => sqlx::query_as(&sql)
            .bind(org_id.to_string())
            .fetch_all(p)
            .await)
        .map_err(db)?;
        recs.into_iter().map(PolicyRow::try_from).collect()
    }

    async fn policies_of_user(&self, user_id: UserId) -> Result<Vec<PolicyRow>, StoreError> {
        let sql = format!(
            "SELECT {POLICY_COLUMNS} FROM policies p JOIN org_users ou ON ou.org_id = p.org_id \
             JOIN organizations o ON o.id = p.org_id \
             WHERE ou.user_id = $1 AND ou.status IN ({OU_ACCEPTED}, {OU_CONFIRMED}) AND o.enabled \
             ORDER BY p.org_id, p.policy_type"
        );
        let recs: Vec<PolicyRecord> = on_pool!(&self.pool, p => sqlx::query_as(&sql)
            .bind(user_id.to_string())
            .fetch_all(p)
            .await)
        .map_err(db)?;
        recs.into_iter().map(PolicyRow::try_from).collect()
    }

    async fn save_policy(&self, row: &PolicyRow, events: &[EventRow]) -> Result<(), StoreError> {
        const UPSERT: &str = "INSERT INTO policies (id, org_id, policy_type, enabled, data, \
            revision_date) VALUES ($1, $2, $3, $4, $5, $6) \
            ON CONFLICT (org_id, policy_type) DO UPDATE SET enabled = excluded.enabled, \
            data = excluded.data, revision_date = excluded.revision_date";
        on_pool!(&self.pool, p => {
            let mut tx = self.begin(p).await?;
            sqlx::query(UPSERT)
                .bind(row.id.to_string())
                .bind(row.org_id.to_string())
                .bind(row.policy_type.code())
                .bind(row.enabled)
                .bind(&row.data)
                .bind(row.revision_date.0)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
            insert_events(&mut *tx, events).await?;
            bump_org(&mut *tx, row.org_id, row.revision_date.0).await?;
            tx.commit().await.map_err(db)
        })
    }

    async fn insert_events(&self, events: &[EventRow]) -> Result<(), StoreError> {
        on_pool!(&self.pool, p => {
            let mut tx = self.begin(p).await?;
            insert_events(&mut *tx, events).await?;
            tx.commit().await.map_err(db)
        })
    }

    async fn events(&self, q: &EventQuery) -> Result<Vec<EventRow>, StoreError> {
        let mut sql = format!("SELECT {EVENT_COLUMNS} FROM events WHERE date >= $1 AND date <= $2");
        let mut binds: Vec<String> = Vec::new();
        let mut next = |sql: &mut String, clause: &str, value: String| {
            binds.push(value);
            sql.push_str(&clause.replace('?', &format!("${}", binds.len() + 2)));
        };
        if let Some(org) = q.org_id {
            next(&mut sql, " AND org_id = ?", org.to_string());
        }
        if let Some(c) = q.cipher_id {
            next(&mut sql, " AND cipher_id = ?", c.to_string());
        }
        match (q.org_user_id, q.user_id) {
            (Some(m), Some(u)) => {
                next(&mut sql, " AND (org_user_id = ?", m.to_string());
                next(&mut sql, " OR user_id = ?", u.to_string());
                next(&mut sql, " OR acting_user_id = ?)", u.to_string());
            }
            (Some(m), None) => next(&mut sql, " AND org_user_id = ?", m.to_string()),
            (None, Some(u)) => {
                next(&mut sql, " AND (user_id = ?", u.to_string());
                next(&mut sql, " OR acting_user_id = ?)", u.to_string());
            }
            (None, None) => {}
        }
        let before = q.before.map(|(date, id)| (date.0, id.to_string()));
        if before.is_some() {
            sql.push_str(&after_cursor(binds.len() + 3));
        }
        sql.push_str(&format!(" ORDER BY date DESC, id DESC LIMIT {}", q.limit));
        let recs: Vec<EventRecord> = on_pool!(&self.pool, p => {
            let mut query = sqlx::query_as(&sql).bind(q.start.0).bind(q.end.0);
            for b in &binds {
                query = query.bind(b.clone());
            }
            if let Some((date, id)) = &before {
                query = query.bind(*date).bind(id.clone());
            }
            query.fetch_all(p).await.map_err(db)?
        });
        recs.into_iter().map(EventRow::try_from).collect()
    }
}

/// An event with the acting account's email.
#[derive(sqlx::FromRow)]
struct ProviderEventRecord {
    #[sqlx(flatten)]
    event: EventRecord,
    acting_email: Option<String>,
}

impl SqlStore {
    /// A page of a provider's event log (`ProviderStore::provider_events`): the filters and the
    /// keyset run on `events` alone (the `events_provider` index), and only the page is joined
    /// to `users` for the acting account's email.
    pub(crate) async fn read_provider_events(
        &self,
        q: &ProviderEventQuery,
    ) -> Result<Vec<(EventRow, Option<String>)>, StoreError> {
        if q.clients.as_ref().is_some_and(Vec::is_empty) {
            // No client in scope: nothing, not everything.
            return Ok(vec![]);
        }
        let mut sql = format!(
            "SELECT {EVENT_COLUMNS} FROM events WHERE provider_id = $1 AND date >= $2 AND date <= $3"
        );
        let mut binds: Vec<String> = Vec::new();
        // Each `?` is the placeholder of the value bound with its clause ($4 onwards).
        let mut next = |sql: &mut String, clause: &str, value: String| {
            binds.push(value);
            sql.push_str(&clause.replace('?', &format!("${}", binds.len() + 3)));
        };
        match q.member {
            Some((member, Some(user))) => {
                next(&mut sql, " AND (provider_user_id = ?", member.to_string());
                next(&mut sql, " OR acting_user_id = ?)", user.to_string());
            }
            Some((member, None)) => next(&mut sql, " AND provider_user_id = ?", member.to_string()),
            None => {}
        }
        if let Some(clients) = &q.clients {
            for (i, c) in clients.iter().enumerate() {
                let clause = if i == 0 {
                    " AND provider_org_id IN (?"
                } else {
                    ", ?"
                };
                next(&mut sql, clause, c.to_string());
            }
            sql.push(')');
        }
        let mut n = binds.len() + 4;
        if q.event_type.is_some() {
            sql.push_str(&format!(" AND event_type = ${n}"));
            n += 1;
        }
        let before = q.before.map(|(date, id)| (date.0, id.to_string()));
        if before.is_some() {
            sql.push_str(&after_cursor(n));
        }
        let sql = format!(
            "SELECT ev.*, u.email AS acting_email FROM \
             ({sql} ORDER BY date DESC, id DESC LIMIT {}) ev \
             LEFT JOIN users u ON u.id = ev.acting_user_id ORDER BY ev.date DESC, ev.id DESC",
            q.limit
        );
        let recs: Vec<ProviderEventRecord> = on_pool!(&self.pool, p => {
            let mut query = sqlx::query_as(&sql)
                .bind(q.provider_id.to_string())
                .bind(q.start.0)
                .bind(q.end.0);
            for b in &binds {
                query = query.bind(b.clone());
            }
            if let Some(t) = q.event_type {
                query = query.bind(t.code());
            }
            if let Some((date, id)) = &before {
                query = query.bind(*date).bind(id.clone());
            }
            query.fetch_all(p).await.map_err(db)?
        });
        recs.into_iter()
            .map(|r| Ok((EventRow::try_from(r.event)?, r.acting_email)))
            .collect()
    }
}
