//! Providers (MSPs): the provider, its members, custom roles and assignments, and the
//! `ProviderStore` implementation (client bodies live in `provider_clients`, the event log in
//! `audit`). Every statement filters on the provider; each write is one transaction with its
//! audit events and the revision bumps of the accounts whose sync changes (a member's own
//! membership, or every confirmed member when the provider or its client list changes).

use crate::conn::{Arg, Conn};
use crate::orgs::{bump_user, insert_events};
use crate::provider_clients::ClientFilter;
use crate::provider_records::{
    AssignmentRecord, MemberDetailsRecord, MembershipRecord, ProviderCountsRecord, ProviderRecord,
    ProviderUserRecord, ReachRecord, RoleCountRecord, RoleRecord, PROVIDER_COLUMNS,
    PROVIDER_ORG_COLUMNS, PROVIDER_ROLE_COLUMNS, PROVIDER_USER_COLUMNS,
};
use crate::records::id;
use crate::records::PublicKeyRecord;
use crate::{db, on_pool, placeholders, SqlStore};
use keyfleet_domain::ids::{
    OrgId, ProviderId, ProviderOrgId, ProviderRoleId, ProviderUserId, UserId,
};
use keyfleet_domain::providers::store::{
    ClientUsage, ProviderClient, ProviderEventQuery, ProviderMemberDetails, ProviderMembership,
    ProviderOrgRow, ProviderReach, ProviderRoleRow, ProviderRow, ProviderStore, ProviderUserRow,
};
use keyfleet_domain::store::{
    AccessSelection, CollectionRow, EventRow, OrgRow, OrgUserRow, Resync,
};
use keyfleet_domain::StoreError;
use std::collections::HashMap;

/// Bumps the revision of every confirmed member of a provider: their sync lists the provider
/// and the clients they may launch into.
pub(crate) async fn bump_provider_members<C: Conn + ?Sized>(
    tx: &mut C,
    provider: ProviderId,
    at: i64,
) -> Result<(), StoreError> {
    let q = sqlx::query(const_format::concatcp!(
        "UPDATE users SET revision_date = $2 WHERE id IN (SELECT user_id FROM provider_users \
         WHERE provider_id = $1 AND status = ",
        crate::codes::PU_CONFIRMED,
        " AND user_id IS NOT NULL)"
    ))
    .arg(provider.to_string())
    .arg(at);
    tx.run(q).await?;
    Ok(())
}

/// Bumps the revision of the confirmed members of the provider managing an organization (if
/// any): their sync lists the client with its name and whether it is enabled.
pub(crate) async fn bump_managing_provider_members<C: Conn + ?Sized>(
    tx: &mut C,
    org: OrgId,
    at: i64,
) -> Result<(), StoreError> {
    let q = sqlx::query(const_format::concatcp!(
        "UPDATE users SET revision_date = $2 WHERE id IN (SELECT pu.user_id \
         FROM provider_orgs po JOIN provider_users pu ON pu.provider_id = po.provider_id \
         WHERE po.org_id = $1 AND pu.status = ",
        crate::codes::PU_CONFIRMED,
        " AND pu.user_id IS NOT NULL)"
    ))
    .arg(org.to_string())
    .arg(at);
    tx.run(q).await?;
    Ok(())
}

/// Bumps the revision of the account behind one membership (if it has one).
async fn bump_provider_user<C: Conn + ?Sized>(
    tx: &mut C,
    provider: ProviderId,
    member: ProviderUserId,
    at: i64,
) -> Result<(), StoreError> {
    let q = sqlx::query(
        "UPDATE users SET revision_date = $3 WHERE id IN \
         (SELECT user_id FROM provider_users WHERE id = $1 AND provider_id = $2)",
    )
    .arg(member.to_string())
    .arg(provider.to_string())
    .arg(at);
    tx.run(q).await?;
    Ok(())
}

/// Bumps the revision of the accounts of the members assigned to a client.
async fn bump_client_assignees<C: Conn + ?Sized>(
    tx: &mut C,
    provider: ProviderId,
    client: ProviderOrgId,
    at: i64,
) -> Result<(), StoreError> {
    let q = sqlx::query(
        "UPDATE users SET revision_date = $3 WHERE id IN (SELECT pu.user_id \
         FROM provider_assignments pa JOIN provider_users pu ON pu.id = pa.provider_user_id \
         WHERE pa.provider_org_id = $1 AND pu.provider_id = $2)",
    )
    .arg(client.to_string())
    .arg(provider.to_string())
    .arg(at);
    tx.run(q).await?;
    Ok(())
}

const INSERT_PROVIDER_USER: &str = "INSERT INTO provider_users (id, provider_id, user_id, email, \
    role, role_id, status, suspended, provider_key, invited_at, creation_date, revision_date) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";

/// Inserts one membership row.
async fn insert_provider_user<C: Conn + ?Sized>(
    tx: &mut C,
    m: &ProviderUserRow,
) -> Result<(), StoreError> {
    let q = sqlx::query(INSERT_PROVIDER_USER)
        .arg(m.id.to_string())
        .arg(m.provider_id.to_string())
        .arg(m.user_id.map(|v| v.to_string()))
        .arg(m.email.as_deref())
        .arg(m.role.code())
        .arg(m.role_id.map(|v| v.to_string()))
        .arg(m.status.code())
        .arg(m.suspended)
        .arg(m.key.as_deref())
        .arg(m.invited_at.map(|t| t.0))
        .arg(m.creation_date.0)
        .arg(m.revision_date.0);
    tx.run(q).await?;
    Ok(())
}

/// Assigns a member to a client; the pair is written only when both belong to `provider`, so
/// an id from another provider assigns nothing.
async fn assign<C: Conn + ?Sized>(
    tx: &mut C,
    provider: ProviderId,
    member: ProviderUserId,
    client: ProviderOrgId,
) -> Result<(), StoreError> {
    let q = sqlx::query(
        "INSERT INTO provider_assignments (provider_user_id, provider_org_id) \
         SELECT pu.id, po.id FROM provider_users pu \
         JOIN provider_orgs po ON po.provider_id = pu.provider_id \
         WHERE pu.id = $1 AND po.id = $2 AND pu.provider_id = $3 \
         ON CONFLICT DO NOTHING",
    )
    .arg(member.to_string())
    .arg(client.to_string())
    .arg(provider.to_string());
    tx.run(q).await?;
    Ok(())
}

/// Writes a provider's details.
async fn write_provider<C: Conn + ?Sized>(tx: &mut C, row: &ProviderRow) -> Result<(), StoreError> {
    let q = sqlx::query(
        "UPDATE providers SET name = $2, business_name = $3, billing_email = $4, \
         status = $5, enabled = $6, revision_date = $7, launch_requires_password = $8 \
         WHERE id = $1",
    )
    .arg(row.id.to_string())
    .arg(row.name.as_str())
    .arg(row.business_name.as_deref())
    .arg(row.billing_email.as_deref())
    .arg(row.status.code())
    .arg(row.enabled)
    .arg(row.revision_date.0)
    .arg(row.launch_requires_password);
    tx.run(q).await?;
    Ok(())
}

/// Writes one membership; a row that is gone is `Conflict` (the caller's transaction then
/// writes nothing).
async fn write_provider_user<C: Conn + ?Sized>(
    tx: &mut C,
    m: &ProviderUserRow,
) -> Result<(), StoreError> {
    let q = sqlx::query(
        "UPDATE provider_users SET user_id = $3, email = $4, role = $5, role_id = $6, \
         status = $7, suspended = $8, provider_key = $9, invited_at = $10, \
         revision_date = $11 WHERE id = $1 AND provider_id = $2",
    )
    .arg(m.id.to_string())
    .arg(m.provider_id.to_string())
    .arg(m.user_id.map(|v| v.to_string()))
    .arg(m.email.as_deref())
    .arg(m.role.code())
    .arg(m.role_id.map(|v| v.to_string()))
    .arg(m.status.code())
    .arg(m.suspended)
    .arg(m.key.as_deref())
    .arg(m.invited_at.map(|t| t.0))
    .arg(m.revision_date.0);
    if tx.run(q).await? != 1 {
        return Err(StoreError::Conflict);
    }
    Ok(())
}

#[async_trait::async_trait]
impl ProviderStore for SqlStore {
    async fn insert_provider(
        &self,
        provider: &ProviderRow,
        owner: &ProviderUserRow,
        events: &[EventRow],
    ) -> Result<(), StoreError> {
        const SQL: &str = "INSERT INTO providers (id, name, business_name, billing_email, status, \
            enabled, creation_date, revision_date, launch_requires_password) \
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
        on_pool!(&self.pool, p => {
            let mut tx = self.begin(p).await?;
            sqlx::query(SQL)
                .bind(provider.id.to_string())
                .bind(&provider.name)
                .bind(&provider.business_name)
                .bind(&provider.billing_email)
                .bind(provider.status.code())
                .bind(provider.enabled)
                .bind(provider.creation_date.0)
                .bind(provider.revision_date.0)
                .bind(provider.launch_requires_password)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
            insert_provider_user(&mut *tx, owner).await?;
            insert_events(&mut *tx, events).await?;
            if let Some(user) = owner.user_id {
                bump_user(&mut *tx, user, provider.revision_date.0).await?;
            }
            tx.commit().await.map_err(db)
        })
    }

    async fn provider(&self, id: ProviderId) -> Result<Option<ProviderRow>, StoreError> {
        let sql = format!("SELECT {PROVIDER_COLUMNS} FROM providers p WHERE p.id = $1");
        let rec: Option<ProviderRecord> = on_pool!(&self.pool, p => sqlx::query_as(&sql)
            .bind(id.to_string())
            .fetch_optional(p)
            .await)
        .map_err(db)?;
        rec.map(ProviderRow::try_from).transpose()
    }

    async fn providers(&self) -> Result<Vec<(ProviderRow, i64, i64)>, StoreError> {
        static SQL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        let sql = SQL.get_or_init(|| {
            format!(
                "SELECT {PROVIDER_COLUMNS}, \
                 (SELECT COUNT(*) FROM provider_users pu WHERE pu.provider_id = p.id) AS members, \
                 (SELECT COUNT(*) FROM provider_orgs po WHERE po.provider_id = p.id) AS clients \
                 FROM providers p ORDER BY p.creation_date, p.id"
            )
        });
        let recs: Vec<ProviderCountsRecord> =
            on_pool!(&self.pool, p => sqlx::query_as(sql).fetch_all(p).await).map_err(db)?;
        recs.into_iter()
            .map(|r| Ok((ProviderRow::try_from(r.provider)?, r.members, r.clients)))
            .collect()
    }

    async fn update_provider(
        &self,
        row: &ProviderRow,
        events: &[EventRow],
    ) -> Result<(), StoreError> {
        on_pool!(&self.pool, p => {
            let mut tx = self.begin(p).await?;
            write_provider(&mut *tx, row).await?;
            insert_events(&mut *tx, events).await?;
            bump_provider_members(&mut *tx, row.id, row.revision_date.0).await?;
            tx.commit().await.map_err(db)
        })
    }

    async fn provider_membership(
        &self,
        provider_id: ProviderId,
        user_id: UserId,
    ) -> Result<Option<ProviderMembership>, StoreError> {
        static SQL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        let sql = SQL.get_or_init(|| {
            format!(
                "SELECT {PROVIDER_COLUMNS}, {PROVIDER_USER_COLUMNS}, {PROVIDER_ROLE_COLUMNS} \
                 FROM provider_users pu JOIN providers p ON p.id = pu.provider_id \
                 LEFT JOIN provider_roles pr ON pr.id = pu.role_id \
                   AND pr.provider_id = pu.provider_id \
                 WHERE pu.provider_id = $1 AND pu.user_id = $2"
            )
        });
        let rec: Option<MembershipRecord> = on_pool!(&self.pool, p => sqlx::query_as(sql)
            .bind(provider_id.to_string())
            .bind(user_id.to_string())
            .fetch_optional(p)
            .await)
        .map_err(db)?;
        rec.map(ProviderMembership::try_from).transpose()
    }

    async fn provider_memberships_of_user(
        &self,
        user_id: UserId,
    ) -> Result<Vec<ProviderMembership>, StoreError> {
        static SQL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        let sql = SQL.get_or_init(|| {
            format!(
                "SELECT {PROVIDER_COLUMNS}, {PROVIDER_USER_COLUMNS}, {PROVIDER_ROLE_COLUMNS} \
                 FROM provider_users pu JOIN providers p ON p.id = pu.provider_id \
                 LEFT JOIN provider_roles pr ON pr.id = pu.role_id \
                   AND pr.provider_id = pu.provider_id \
                 WHERE pu.user_id = $1 ORDER BY p.name, p.id"
            )
        });
        let recs: Vec<MembershipRecord> = on_pool!(&self.pool, p => sqlx::query_as(sql)
            .bind(user_id.to_string())
            .fetch_all(p)
            .await)
        .map_err(db)?;
        recs.into_iter().map(ProviderMembership::try_from).collect()
    }

    async fn provider_reach(
        &self,
        org_id: OrgId,
        user_id: UserId,
    ) -> Result<Option<ProviderReach>, StoreError> {
        // On the path of every org request by a non-member: one indexed lookup per table
        // (provider_orgs by its unique org_id, provider_users by (provider_id, user_id), the
        // assignment by its primary key).
        static SQL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        let sql = SQL.get_or_init(|| {
            format!(
                "SELECT {PROVIDER_COLUMNS}, {PROVIDER_USER_COLUMNS}, {PROVIDER_ROLE_COLUMNS}, \
                 {PROVIDER_ORG_COLUMNS}, \
                 EXISTS (SELECT 1 FROM provider_assignments pa \
                   WHERE pa.provider_user_id = pu.id AND pa.provider_org_id = po.id) AS assigned \
                 FROM provider_orgs po JOIN providers p ON p.id = po.provider_id \
                 JOIN provider_users pu ON pu.provider_id = po.provider_id AND pu.user_id = $2 \
                 LEFT JOIN provider_roles pr ON pr.id = pu.role_id \
                   AND pr.provider_id = pu.provider_id \
                 WHERE po.org_id = $1"
            )
        });
        let rec: Option<ReachRecord> = on_pool!(&self.pool, p => sqlx::query_as(sql)
            .bind(org_id.to_string())
            .bind(user_id.to_string())
            .fetch_optional(p)
            .await)
        .map_err(db)?;
        rec.map(|r| {
            Ok(ProviderReach {
                membership: ProviderMembership::try_from(r.membership)?,
                link: ProviderOrgRow::try_from(r.link)?,
                assigned: r.assigned,
            })
        })
        .transpose()
    }

    async fn provider_user(
        &self,
        provider_id: ProviderId,
        id: ProviderUserId,
    ) -> Result<Option<ProviderUserRow>, StoreError> {
        let sql = format!(
            "SELECT {PROVIDER_USER_COLUMNS} FROM provider_users pu \
             WHERE pu.provider_id = $1 AND pu.id = $2"
        );
        let rec: Option<ProviderUserRecord> = on_pool!(&self.pool, p => sqlx::query_as(&sql)
            .bind(provider_id.to_string())
            .bind(id.to_string())
            .fetch_optional(p)
            .await)
        .map_err(db)?;
        rec.map(ProviderUserRow::try_from).transpose()
    }

    async fn provider_members(
        &self,
        provider_id: ProviderId,
        only: Option<ProviderUserId>,
    ) -> Result<Vec<ProviderMemberDetails>, StoreError> {
        let filter = if only.is_some() {
            " AND pu.id = $2"
        } else {
            ""
        };
        let members_sql = format!(
            "SELECT {PROVIDER_USER_COLUMNS}, u.name AS user_name, u.email AS user_email, \
             EXISTS (SELECT 1 FROM two_factor t WHERE t.user_id = pu.user_id AND t.enabled) \
               AS two_factor, \
             pr.name AS role_name \
             FROM provider_users pu LEFT JOIN users u ON u.id = pu.user_id \
             LEFT JOIN provider_roles pr ON pr.id = pu.role_id AND pr.provider_id = pu.provider_id \
             WHERE pu.provider_id = $1{filter} ORDER BY pu.creation_date, pu.id"
        );
        let assigned_sql = format!(
            "SELECT pa.provider_user_id, pa.provider_org_id FROM provider_assignments pa \
             JOIN provider_users pu ON pu.id = pa.provider_user_id \
             JOIN provider_orgs po ON po.id = pa.provider_org_id \
               AND po.provider_id = pu.provider_id \
             JOIN organizations o ON o.id = po.org_id \
             WHERE pu.provider_id = $1{filter} ORDER BY o.name, po.id"
        );
        let only = only.map(|id| id.to_string());
        let (members, assigned): (Vec<MemberDetailsRecord>, Vec<AssignmentRecord>) = on_pool!(&self.pool, p => {
            let mut q1 = sqlx::query_as(&members_sql).bind(provider_id.to_string());
            let mut q2 = sqlx::query_as(&assigned_sql).bind(provider_id.to_string());
            if let Some(id) = &only {
                q1 = q1.bind(id.clone());
                q2 = q2.bind(id.clone());
            }
            (q1.fetch_all(p).await.map_err(db)?, q2.fetch_all(p).await.map_err(db)?)
        });
        let mut by_member: HashMap<String, Vec<ProviderOrgId>> = HashMap::new();
        for a in assigned {
            let client = id(&a.provider_org_id)?;
            by_member
                .entry(a.provider_user_id)
                .or_default()
                .push(client);
        }
        members
            .into_iter()
            .map(|r| {
                let member = ProviderUserRow::try_from(r.member)?;
                Ok(ProviderMemberDetails {
                    assigned: by_member.remove(&member.id.to_string()).unwrap_or_default(),
                    email: r
                        .user_email
                        .or_else(|| member.email.clone())
                        .unwrap_or_default(),
                    name: r.user_name,
                    two_factor_enabled: r.two_factor,
                    role_name: r.role_name,
                    member,
                })
            })
            .collect()
    }

    async fn provider_member_public_keys(
        &self,
        provider_id: ProviderId,
        ids: &[ProviderUserId],
    ) -> Result<Vec<(ProviderUserId, UserId, Option<String>)>, StoreError> {
        if ids.is_empty() {
            return Ok(vec![]);
        }
        let sql = format!(
            "SELECT pu.id, u.id AS user_id, u.public_key FROM provider_users pu \
             JOIN users u ON u.id = pu.user_id \
             WHERE pu.provider_id = $1 AND pu.id IN ({}) ORDER BY pu.creation_date, pu.id",
            placeholders(2, ids.len())
        );
        let recs: Vec<PublicKeyRecord> = on_pool!(&self.pool, p => {
            let mut q = sqlx::query_as(&sql).bind(provider_id.to_string());
            for i in ids {
                q = q.bind(i.to_string());
            }
            q.fetch_all(p).await.map_err(db)?
        });
        recs.into_iter()
            .map(|r| Ok((id(&r.id)?, id(&r.user_id)?, r.public_key)))
            .collect()
    }

    async fn insert_provider_users(
        &self,
        rows: &[ProviderUserRow],
        assignments: &[(ProviderUserId, ProviderOrgId)],
        events: &[EventRow],
    ) -> Result<(), StoreError> {
        on_pool!(&self.pool, p => {
            let mut tx = self.begin(p).await?;
            for m in rows {
                insert_provider_user(&mut *tx, m).await?;
            }
            for (member, client) in assignments {
                let Some(m) = rows.iter().find(|r| r.id == *member) else {
                    continue;
                };
                assign(&mut *tx, m.provider_id, *member, *client).await?;
            }
            insert_events(&mut *tx, events).await?;
            for m in rows {
                if let Some(user) = m.user_id {
                    bump_user(&mut *tx, user, m.revision_date.0).await?;
                }
            }
            tx.commit().await.map_err(db)
        })
    }

    async fn complete_provider_setup(
        &self,
        provider: &ProviderRow,
        owner: &ProviderUserRow,
        events: &[EventRow],
    ) -> Result<(), StoreError> {
        on_pool!(&self.pool, p => {
            let mut tx = self.begin(p).await?;
            write_provider_user(&mut *tx, owner).await?;
            write_provider(&mut *tx, provider).await?;
            insert_events(&mut *tx, events).await?;
            bump_provider_members(&mut *tx, provider.id, provider.revision_date.0).await?;
            tx.commit().await.map_err(db)
        })
    }

    async fn update_provider_users(
        &self,
        rows: &[ProviderUserRow],
        events: &[EventRow],
    ) -> Result<(), StoreError> {
        on_pool!(&self.pool, p => {
            let mut tx = self.begin(p).await?;
            for m in rows {
                // A membership deleted since it was read: write none of the rows (an ownership
                // transfer must not demote the owner when the new owner is gone).
                write_provider_user(&mut *tx, m).await?;
            }
            insert_events(&mut *tx, events).await?;
            for m in rows {
                if let Some(user) = m.user_id {
                    bump_user(&mut *tx, user, m.revision_date.0).await?;
                }
            }
            tx.commit().await.map_err(db)
        })
    }

    async fn delete_provider_user(
        &self,
        provider_id: ProviderId,
        id: ProviderUserId,
        resync: Resync,
        events: &[EventRow],
    ) -> Result<bool, StoreError> {
        // Assignments go with the row (ON DELETE CASCADE), and so does the wrapped provider key.
        const SQL: &str =
            "DELETE FROM provider_users WHERE id = $1 AND provider_id = $2 RETURNING user_id";
        on_pool!(&self.pool, p => {
            let mut tx = self.begin(p).await?;
            let deleted: Option<Option<String>> = sqlx::query_scalar(SQL)
                .bind(id.to_string())
                .bind(provider_id.to_string())
                .fetch_optional(&mut *tx)
                .await
                .map_err(db)?;
            let Some(user) = deleted else {
                return Ok(false);
            };
            insert_events(&mut *tx, events).await?;
            if let (Some(user), Resync::At(at)) = (user, resync) {
                bump_user(&mut *tx, crate::records::id(&user)?, at.0).await?;
            }
            tx.commit().await.map_err(db)?;
            Ok(true)
        })
    }

    async fn set_member_assignments(
        &self,
        provider_id: ProviderId,
        member: ProviderUserId,
        clients: &[ProviderOrgId],
        resync: Resync,
        events: &[EventRow],
    ) -> Result<(), StoreError> {
        const CLEAR: &str = "DELETE FROM provider_assignments WHERE provider_user_id = $1 \
            AND provider_user_id IN (SELECT id FROM provider_users WHERE id = $1 AND provider_id = $2)";
        on_pool!(&self.pool, p => {
            let mut tx = self.begin(p).await?;
            sqlx::query(CLEAR)
                .bind(member.to_string())
                .bind(provider_id.to_string())
                .execute(&mut *tx)
                .await
                .map_err(db)?;
            for client in clients {
                assign(&mut *tx, provider_id, member, *client).await?;
            }
            insert_events(&mut *tx, events).await?;
            if let Resync::At(at) = resync {
                bump_provider_user(&mut *tx, provider_id, member, at.0).await?;
            }
            tx.commit().await.map_err(db)
        })
    }

    async fn set_client_assignments(
        &self,
        provider_id: ProviderId,
        client: ProviderOrgId,
        members: &[ProviderUserId],
        resync: Resync,
        events: &[EventRow],
    ) -> Result<(), StoreError> {
        const CLEAR: &str = "DELETE FROM provider_assignments WHERE provider_org_id = $1 \
            AND provider_org_id IN (SELECT id FROM provider_orgs WHERE id = $1 AND provider_id = $2)";
        on_pool!(&self.pool, p => {
            let mut tx = self.begin(p).await?;
            // Members losing the client and members gaining it both see their sync change.
            if let Resync::At(at) = resync {
                bump_client_assignees(&mut *tx, provider_id, client, at.0).await?;
            }
            sqlx::query(CLEAR)
                .bind(client.to_string())
                .bind(provider_id.to_string())
                .execute(&mut *tx)
                .await
                .map_err(db)?;
            for member in members {
                assign(&mut *tx, provider_id, *member, client).await?;
            }
            insert_events(&mut *tx, events).await?;
            if let Resync::At(at) = resync {
                bump_client_assignees(&mut *tx, provider_id, client, at.0).await?;
            }
            tx.commit().await.map_err(db)
        })
    }

    async fn provider_roles(
        &self,
        provider_id: ProviderId,
    ) -> Result<Vec<(ProviderRoleRow, i64)>, StoreError> {
        static SQL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        let sql = SQL.get_or_init(|| {
            format!(
                "SELECT {PROVIDER_ROLE_COLUMNS}, \
                 (SELECT COUNT(*) FROM provider_users pu WHERE pu.role_id = pr.id) AS members \
                 FROM provider_roles pr WHERE pr.provider_id = $1 ORDER BY pr.name, pr.id"
            )
        });
        let recs: Vec<RoleCountRecord> = on_pool!(&self.pool, p => sqlx::query_as(sql)
            .bind(provider_id.to_string())
            .fetch_all(p)
            .await)
        .map_err(db)?;
        recs.into_iter()
            .map(|r| Ok((r.role.into_present_row()?, r.members)))
            .collect()
    }

    async fn provider_role(
        &self,
        provider_id: ProviderId,
        id: ProviderRoleId,
    ) -> Result<Option<ProviderRoleRow>, StoreError> {
        let sql = format!(
            "SELECT {PROVIDER_ROLE_COLUMNS} FROM provider_roles pr \
             WHERE pr.provider_id = $1 AND pr.id = $2"
        );
        let rec: Option<RoleRecord> = on_pool!(&self.pool, p => sqlx::query_as(&sql)
            .bind(provider_id.to_string())
            .bind(id.to_string())
            .fetch_optional(p)
            .await)
        .map_err(db)?;
        rec.map(RoleRecord::into_present_row).transpose()
    }

    async fn save_provider_role(
        &self,
        row: &ProviderRoleRow,
        events: &[EventRow],
    ) -> Result<(), StoreError> {
        // A duplicate name violates UNIQUE (provider_id, name), which `db` maps to Conflict; an
        // id taken in another provider updates nothing and is a Conflict too.
        const UPSERT: &str = "INSERT INTO provider_roles (id, provider_id, name, permissions, \
            assigned_only, creation_date, revision_date) VALUES ($1, $2, $3, $4, $5, $6, $7) \
            ON CONFLICT (id) DO UPDATE SET name = excluded.name, \
            permissions = excluded.permissions, assigned_only = excluded.assigned_only, \
            revision_date = excluded.revision_date \
            WHERE provider_roles.provider_id = excluded.provider_id";
        const BUMP_HOLDERS: &str = "UPDATE users SET revision_date = $3 WHERE id IN \
            (SELECT user_id FROM provider_users WHERE role_id = $1 AND provider_id = $2)";
        on_pool!(&self.pool, p => {
            let mut tx = self.begin(p).await?;
            let n = sqlx::query(UPSERT)
                .bind(row.id.to_string())
                .bind(row.provider_id.to_string())
                .bind(&row.name)
                .bind(&row.permissions)
                .bind(row.assigned_only)
                .bind(row.creation_date.0)
                .bind(row.revision_date.0)
                .execute(&mut *tx)
                .await
                .map_err(db)?
                .rows_affected();
            if n != 1 {
                return Err(StoreError::Conflict);
            }
            insert_events(&mut *tx, events).await?;
            sqlx::query(BUMP_HOLDERS)
                .bind(row.id.to_string())
                .bind(row.provider_id.to_string())
                .bind(row.revision_date.0)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
            tx.commit().await.map_err(db)
        })
    }

    async fn delete_provider_role(
        &self,
        provider_id: ProviderId,
        id: ProviderRoleId,
        events: &[EventRow],
    ) -> Result<bool, StoreError> {
        // The in-use check is part of the delete, so a member given the role after the domain
        // counted its holders keeps it (and the foreign key backs this up).
        const SQL: &str = "DELETE FROM provider_roles WHERE id = $1 AND provider_id = $2 \
            AND NOT EXISTS (SELECT 1 FROM provider_users WHERE role_id = $1)";
        on_pool!(&self.pool, p => {
            let mut tx = self.begin(p).await?;
            let n = sqlx::query(SQL)
                .bind(id.to_string())
                .bind(provider_id.to_string())
                .execute(&mut *tx)
                .await
                .map_err(db)?
                .rows_affected();
            if n == 0 {
                return Ok(false);
            }
            insert_events(&mut *tx, events).await?;
            tx.commit().await.map_err(db)?;
            Ok(true)
        })
    }

    async fn provider_clients(
        &self,
        provider_id: ProviderId,
        assigned_to: Option<ProviderUserId>,
    ) -> Result<Vec<ProviderClient>, StoreError> {
        self.clients(provider_id, ClientFilter::of(assigned_to))
            .await
    }

    async fn provider_client(
        &self,
        provider_id: ProviderId,
        id: ProviderOrgId,
    ) -> Result<Option<ProviderClient>, StoreError> {
        Ok(self
            .clients(provider_id, ClientFilter::One(id))
            .await?
            .pop())
    }

    async fn provider_link_of_org(
        &self,
        org_id: OrgId,
    ) -> Result<Option<ProviderOrgRow>, StoreError> {
        self.client_link_of_org(org_id).await
    }

    async fn insert_provider_client(
        &self,
        org: &OrgRow,
        link: &ProviderOrgRow,
        collection: Option<&CollectionRow>,
        owner_invite: Option<(&OrgUserRow, &[AccessSelection])>,
        assign_to: Option<ProviderUserId>,
        events: &[EventRow],
    ) -> Result<(), StoreError> {
        self.create_client(org, link, collection, owner_invite, assign_to, events)
            .await
    }

    async fn insert_provider_link(
        &self,
        link: &ProviderOrgRow,
        assign_to: Option<ProviderUserId>,
        events: &[EventRow],
    ) -> Result<(), StoreError> {
        self.link_client(link, assign_to, events).await
    }

    async fn update_provider_link(
        &self,
        link: &ProviderOrgRow,
        org: Option<&OrgRow>,
        events: &[EventRow],
    ) -> Result<(), StoreError> {
        self.edit_client(link, org, events).await
    }

    async fn delete_provider_link(
        &self,
        provider_id: ProviderId,
        id: ProviderOrgId,
        resync: Resync,
        events: &[EventRow],
    ) -> Result<bool, StoreError> {
        self.unlink_client(provider_id, id, resync, events).await
    }

    async fn client_usage(
        &self,
        provider_id: ProviderId,
        assigned_to: Option<ProviderUserId>,
    ) -> Result<Vec<ClientUsage>, StoreError> {
        self.usage_report(provider_id, assigned_to).await
    }

    async fn provider_events(
        &self,
        query: &ProviderEventQuery,
    ) -> Result<Vec<(EventRow, Option<String>)>, StoreError> {
        self.read_provider_events(query).await
    }
}
