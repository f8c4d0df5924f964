//! Organizations and memberships. Every statement filters on the organization; each write is one
//! transaction with its audit events and the revision bumps of the members whose sync changes.

use crate::codes::{OU_CONFIRMED, OU_OWNER, OU_REVOKED};
use crate::conn::{Arg, Conn};
use crate::org_records::{
    MemberDetailsRecord, MembershipRecord, OrgRecord, OrgUserRecord, ORG_COLUMNS, ORG_USER_COLUMNS,
};
use crate::providers::bump_managing_provider_members;
use crate::records::{id, PublicKeyRecord};
use crate::users::write_credentials;
use crate::{db, on_pool, SqlStore};
use const_format::concatcp;
use keyfleet_domain::ids::{GroupId, OrgId, OrgUserId, UserId};
use keyfleet_domain::store::{
    AccessSelection, ApiKeyWrite, CollectionRow, CredentialUpdate, EventRow, OrgMemberDetails,
    OrgRow, OrgStore, OrgUserRow,
};
use keyfleet_domain::{StoreError, Timestamp};
use std::collections::HashMap;

pub(crate) use crate::rows::insert_events;

/// Bumps an organization's revision: every account bound to it (`org_users.user_id`, whatever
/// the membership's status, as the member rows' own bumps were) reads it as its own revision
/// date (`users::USER_COLUMNS`), so each member's client re-syncs. One narrow row per write,
/// not one `users` row per member.
pub(crate) async fn bump_org<C: Conn + ?Sized>(
    tx: &mut C,
    org: OrgId,
    at: i64,
) -> Result<(), StoreError> {
    let q = sqlx::query(
        "INSERT INTO org_revisions (org_id, revision_date) VALUES ($1, $2) \
         ON CONFLICT (org_id) DO UPDATE SET revision_date = excluded.revision_date",
    )
    .arg(org.to_string())
    .arg(at);
    tx.run(q).await?;
    Ok(())
}

/// Bumps the own revision of every account bound to an organization: for its deletion, after
/// which its revision (`org_revisions`, gone with it) no longer reaches them.
async fn bump_org_member_accounts<C: Conn + ?Sized>(
    tx: &mut C,
    org: OrgId,
    at: i64,
) -> Result<(), StoreError> {
    let q = sqlx::query(
        "UPDATE users SET revision_date = $2 WHERE id IN \
         (SELECT user_id FROM org_users WHERE org_id = $1 AND user_id IS NOT NULL)",
    )
    .arg(org.to_string())
    .arg(at);
    tx.run(q).await?;
    Ok(())
}

/// Writes a membership's fields (not its access) and bumps its account's revision.
async fn write_org_user<C: Conn + ?Sized>(tx: &mut C, row: &OrgUserRow) -> Result<(), StoreError> {
    const SQL: &str = "UPDATE org_users SET user_id = $3, email = $4, member_type = $5, \
        status = $6, org_key = $7, permissions = $8, invited_at = $9, revocation_reason = $10, \
        revision_date = $11, reset_password_key = $12 WHERE id = $1 AND org_id = $2";
    let q = sqlx::query(SQL)
        .arg(row.id.to_string())
        .arg(row.org_id.to_string())
        .arg(row.user_id.map(|v| v.to_string()))
        .arg(row.email.clone())
        .arg(row.member_type.code())
        .arg(row.status.code())
        .arg(row.key.clone())
        .arg(row.permissions.clone())
        .arg(row.invited_at.map(|t| t.0))
        .arg(row.revocation_reason.map(|r| r.code()))
        .arg(row.revision_date.0)
        .arg(row.reset_password_key.clone());
    tx.run(q).await?;
    if let Some(user) = row.user_id {
        bump_user(tx, user, row.revision_date.0).await?;
    }
    Ok(())
}

/// Bumps one account's revision, so its clients re-sync.
/// Moves an account's revision date (`$1` the account, `$2` the time).
pub(crate) const BUMP_USER: &str = "UPDATE users SET revision_date = $2 WHERE id = $1";

pub(crate) async fn bump_user<C: Conn + ?Sized>(
    tx: &mut C,
    user: UserId,
    at: i64,
) -> Result<(), StoreError> {
    let q = sqlx::query(BUMP_USER).arg(user.to_string()).arg(at);
    tx.run(q).await?;
    Ok(())
}

pub(crate) const INSERT_ORG_USER: &str =
    "INSERT INTO org_users (id, org_id, user_id, email, member_type, \
    status, org_key, permissions, external_id, invited_at, revocation_reason, creation_date, \
    revision_date) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)";

pub(crate) const INSERT_COLLECTION_USER: &str =
    "INSERT INTO collection_users (collection_id, org_user_id, \
    read_only, hide_passwords, manage) VALUES ($1, $2, $3, $4, $5)";

/// Inserts an org user row ([`INSERT_ORG_USER`]).
pub(crate) async fn insert_org_user<C: Conn + ?Sized>(
    tx: &mut C,
    m: &OrgUserRow,
) -> Result<(), StoreError> {
    let q = sqlx::query(INSERT_ORG_USER)
        .arg(m.id.to_string())
        .arg(m.org_id.to_string())
        .arg(m.user_id.map(|v| v.to_string()))
        .arg(m.email.as_deref())
        .arg(m.member_type.code())
        .arg(m.status.code())
        .arg(m.key.as_deref())
        .arg(m.permissions.as_str())
        .arg(m.external_id.as_deref())
        .arg(m.invited_at.map(|t| t.0))
        .arg(m.revocation_reason.map(|r| r.code()))
        .arg(m.creation_date.0)
        .arg(m.revision_date.0);
    tx.run(q).await?;
    Ok(())
}

/// Replaces one member's direct collection access and groups.
pub(crate) async fn replace_member_access<C: Conn + ?Sized>(
    tx: &mut C,
    member: OrgUserId,
    collections: &[AccessSelection],
    groups: &[GroupId],
) -> Result<(), StoreError> {
    let member = member.to_string();
    tx.run(sqlx::query("DELETE FROM collection_users WHERE org_user_id = $1").arg(member.as_str()))
        .await?;
    tx.run(sqlx::query("DELETE FROM group_users WHERE org_user_id = $1").arg(member.as_str()))
        .await?;
    for c in collections {
        let q = sqlx::query(INSERT_COLLECTION_USER)
            .arg(c.id.to_string())
            .arg(member.as_str())
            .arg(c.read_only)
            .arg(c.hide_passwords)
            .arg(c.manage);
        tx.run(q).await?;
    }
    for g in groups {
        let q = sqlx::query("INSERT INTO group_users (group_id, org_user_id) VALUES ($1, $2)")
            .arg(g.to_string())
            .arg(member.as_str());
        tx.run(q).await?;
    }
    Ok(())
}

pub(crate) const INSERT_ORG: &str =
    "INSERT INTO organizations (id, name, business_name, billing_email, \
    plan_type, seats, max_collections, public_key, private_key, api_key, enabled, \
    creation_date, revision_date) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)";

pub(crate) const INSERT_COLLECTION: &str =
    "INSERT INTO collections (id, org_id, name, external_id, \
    creation_date, revision_date) VALUES ($1, $2, $3, $4, $5, $6)";

/// Inserts an organization row (an org created by its owner or by a provider).
pub(crate) async fn insert_org_row<C: Conn + ?Sized>(
    tx: &mut C,
    org: &OrgRow,
) -> Result<(), StoreError> {
    let q = sqlx::query(INSERT_ORG)
        .arg(org.id.to_string())
        .arg(org.name.as_str())
        .arg(org.business_name.as_deref())
        .arg(org.billing_email.as_str())
        .arg(org.plan_type.code())
        .arg(org.seats)
        .arg(org.max_collections)
        .arg(org.public_key.as_deref())
        .arg(org.private_key.as_deref())
        .arg(org.api_key_digest.as_str())
        .arg(org.enabled)
        .arg(org.creation_date.0)
        .arg(org.revision_date.0);
    tx.run(q).await?;
    Ok(())
}

/// Inserts a collection row (without access rows).
pub(crate) async fn insert_collection_row<C: Conn + ?Sized>(
    tx: &mut C,
    c: &CollectionRow,
) -> Result<(), StoreError> {
    let q = sqlx::query(INSERT_COLLECTION)
        .arg(c.id.to_string())
        .arg(c.org_id.to_string())
        .arg(c.name.as_str())
        .arg(c.external_id.as_deref())
        .arg(c.creation_date.0)
        .arg(c.revision_date.0);
    tx.run(q).await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct AccessRecord {
    org_user_id: String,
    collection_id: String,
    read_only: bool,
    hide_passwords: bool,
    manage: bool,
}

#[derive(sqlx::FromRow)]
struct GroupMemberRecord {
    org_user_id: String,
    group_id: String,
}

#[async_trait::async_trait]
impl OrgStore for SqlStore {
    async fn insert_org(
        &self,
        org: &OrgRow,
        owner: &OrgUserRow,
        collection: Option<&CollectionRow>,
        events: &[EventRow],
    ) -> Result<(), StoreError> {
        on_pool!(&self.pool, p => {
            let mut tx = self.begin(p).await?;
            insert_org_row(&mut *tx, org).await?;
            insert_org_user(&mut *tx, owner).await?;
            if let Some(c) = collection {
                insert_collection_row(&mut *tx, c).await?;
            }
            insert_events(&mut *tx, events).await?;
            if let Some(user) = owner.user_id {
                bump_user(&mut *tx, user, org.revision_date.0).await?;
            }
            tx.commit().await.map_err(db)
        })
    }

    async fn org(&self, id: OrgId) -> Result<Option<OrgRow>, StoreError> {
        let sql = format!("SELECT {ORG_COLUMNS} FROM organizations o WHERE o.id = $1");
        let rec: Option<OrgRecord> = on_pool!(&self.pool, p => sqlx::query_as(&sql)
            .bind(id.to_string())
            .fetch_optional(p)
            .await)
        .map_err(db)?;
        rec.map(OrgRow::try_from).transpose()
    }

    async fn update_org(&self, org: &OrgRow, events: &[EventRow]) -> Result<(), StoreError> {
        const SQL: &str = "UPDATE organizations SET name = $2, business_name = $3, \
            billing_email = $4, seats = $5, public_key = $6, private_key = $7, enabled = $8, \
            revision_date = $9 WHERE id = $1";
        on_pool!(&self.pool, p => {
            let mut tx = self.begin(p).await?;
            sqlx::query(SQL)
                .bind(org.id.to_string())
                .bind(&org.name)
                .bind(&org.business_name)
                .bind(&org.billing_email)
                .bind(org.seats)
                .bind(&org.public_key)
                .bind(&org.private_key)
                .bind(org.enabled)
                .bind(org.revision_date.0)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
            insert_events(&mut *tx, events).await?;
            bump_org(&mut *tx, org.id, org.revision_date.0).await?;
            bump_managing_provider_members(&mut *tx, org.id, org.revision_date.0).await?;
            tx.commit().await.map_err(db)
        })
    }

    async fn set_org_api_key(
        &self,
        org_id: OrgId,
        digest: &str,
        write: ApiKeyWrite,
        events: &[EventRow],
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        // Not in sync: the members' revision dates stay as they are.
        const ROTATE: &str =
            "UPDATE organizations SET api_key = $2, revision_date = $3 WHERE id = $1";
        const ISSUE: &str = "UPDATE organizations SET api_key = $2, revision_date = $3 \
            WHERE id = $1 AND api_key = ''";
        let sql = match write {
            ApiKeyWrite::Issue => ISSUE,
            ApiKeyWrite::Rotate => ROTATE,
        };
        on_pool!(&self.pool, p => {
            let mut tx = self.begin(p).await?;
            let done = sqlx::query(sql)
                .bind(org_id.to_string())
                .bind(digest)
                .bind(now.0)
                .execute(&mut *tx)
                .await
                .map_err(db)?
                .rows_affected();
            if done != 1 {
                return Ok(false);
            }
            insert_events(&mut *tx, events).await?;
            tx.commit().await.map_err(db)?;
            Ok(true)
        })
    }

    async fn delete_org(&self, id: OrgId, now: Timestamp) -> Result<(), StoreError> {
        on_pool!(&self.pool, p => {
            let mut tx = self.begin(p).await?;
            bump_org_member_accounts(&mut *tx, id, now.0).await?;
            bump_managing_provider_members(&mut *tx, id, now.0).await?;
            sqlx::query("DELETE FROM organizations WHERE id = $1")
                .bind(id.to_string())
                .execute(&mut *tx)
                .await
                .map_err(db)?;
            tx.commit().await.map_err(db)
        })
    }

    async fn seats_used(&self, org_id: OrgId) -> Result<i64, StoreError> {
        const SQL: &str = concatcp!(
            "SELECT COUNT(*) FROM org_users WHERE org_id = $1 AND status <> ",
            OU_REVOKED
        );
        on_pool!(&self.pool, p => sqlx::query_scalar(SQL).bind(org_id.to_string()).fetch_one(p).await)
            .map_err(db)
    }

    async fn confirmed_owners(&self, org_id: OrgId) -> Result<i64, StoreError> {
        const SQL: &str = concatcp!(
            "SELECT COUNT(*) FROM org_users WHERE org_id = $1 AND status = ",
            OU_CONFIRMED,
            " AND member_type = ",
            OU_OWNER
        );
        on_pool!(&self.pool, p => sqlx::query_scalar(SQL).bind(org_id.to_string()).fetch_one(p).await)
            .map_err(db)
    }

    async fn confirmed_member_users(&self, org_id: OrgId) -> Result<Vec<UserId>, StoreError> {
        const SQL: &str = concatcp!(
            "SELECT user_id FROM org_users WHERE org_id = $1 AND status = ",
            OU_CONFIRMED,
            " AND user_id IS NOT NULL ORDER BY user_id"
        );
        let ids: Vec<String> = on_pool!(&self.pool, p => sqlx::query_scalar(SQL)
            .bind(org_id.to_string())
            .fetch_all(p)
            .await)
        .map_err(db)?;
        ids.iter().map(|s| crate::records::id(s)).collect()
    }

    async fn collection_count(&self, org_id: OrgId) -> Result<i64, StoreError> {
        const SQL: &str = "SELECT COUNT(*) FROM collections WHERE org_id = $1";
        on_pool!(&self.pool, p => sqlx::query_scalar(SQL).bind(org_id.to_string()).fetch_one(p).await)
            .map_err(db)
    }

    async fn membership(
        &self,
        org_id: OrgId,
        user_id: UserId,
    ) -> Result<Option<OrgUserRow>, StoreError> {
        let sql = format!(
            "SELECT {ORG_USER_COLUMNS} FROM org_users ou WHERE ou.org_id = $1 AND ou.user_id = $2"
        );
        let rec: Option<OrgUserRecord> = on_pool!(&self.pool, p => sqlx::query_as(&sql)
            .bind(org_id.to_string())
            .bind(user_id.to_string())
            .fetch_optional(p)
            .await)
        .map_err(db)?;
        rec.map(OrgUserRow::try_from).transpose()
    }

    async fn memberships_of_user(
        &self,
        user_id: UserId,
    ) -> Result<Vec<(OrgRow, OrgUserRow)>, StoreError> {
        let sql = format!(
            "SELECT {ORG_COLUMNS}, {ORG_USER_COLUMNS} FROM org_users ou \
             JOIN organizations o ON o.id = ou.org_id WHERE ou.user_id = $1 ORDER BY o.name, o.id"
        );
        let recs: Vec<MembershipRecord> = on_pool!(&self.pool, p => sqlx::query_as(&sql)
            .bind(user_id.to_string())
            .fetch_all(p)
            .await)
        .map_err(db)?;
        recs.into_iter()
            .map(|r| Ok((OrgRow::try_from(r.org)?, OrgUserRow::try_from(r.member)?)))
            .collect()
    }

    async fn org_user(
        &self,
        org_id: OrgId,
        id: OrgUserId,
    ) -> Result<Option<OrgUserRow>, StoreError> {
        let sql = format!(
            "SELECT {ORG_USER_COLUMNS} FROM org_users ou WHERE ou.org_id = $1 AND ou.id = $2"
        );
        let rec: Option<OrgUserRecord> = on_pool!(&self.pool, p => sqlx::query_as(&sql)
            .bind(org_id.to_string())
            .bind(id.to_string())
            .fetch_optional(p)
            .await)
        .map_err(db)?;
        rec.map(OrgUserRow::try_from).transpose()
    }

    async fn org_member_public_keys(
        &self,
        org_id: OrgId,
        ids: &[OrgUserId],
    ) -> Result<Vec<(OrgUserId, UserId, Option<String>)>, StoreError> {
        if ids.is_empty() {
            return Ok(vec![]);
        }
        let sql = format!(
            "SELECT ou.id, u.id AS user_id, u.public_key FROM org_users ou \
             JOIN users u ON u.id = ou.user_id \
             WHERE ou.org_id = $1 AND ou.id IN ({}) ORDER BY ou.creation_date, ou.id",
            crate::placeholders(2, ids.len())
        );
        let recs: Vec<PublicKeyRecord> = on_pool!(&self.pool, p => {
            let mut q = sqlx::query_as(&sql).bind(org_id.to_string());
            for i in ids {
                q = q.bind(i.to_string());
            }
            q.fetch_all(p).await.map_err(db)?
        });
        recs.into_iter()
            .map(|r| Ok((id(&r.id)?, id(&r.user_id)?, r.public_key)))
            .collect()
    }

    async fn has_membership_or_invitation(
        &self,
        org_id: OrgId,
        user_id: UserId,
        email: &str,
    ) -> Result<bool, StoreError> {
        const SQL: &str = "SELECT COUNT(*) FROM org_users \
            WHERE org_id = $1 AND (user_id = $2 OR (user_id IS NULL AND email = $3))";
        let n: i64 = on_pool!(&self.pool, p => sqlx::query_scalar(SQL)
            .bind(org_id.to_string())
            .bind(user_id.to_string())
            .bind(email)
            .fetch_one(p)
            .await)
        .map_err(db)?;
        Ok(n > 0)
    }

    async fn org_user_unscoped_for_accept(
        &self,
        id: OrgUserId,
    ) -> Result<Option<OrgUserRow>, StoreError> {
        let sql = format!("SELECT {ORG_USER_COLUMNS} FROM org_users ou WHERE ou.id = $1");
        let rec: Option<OrgUserRecord> = on_pool!(&self.pool, p => sqlx::query_as(&sql)
            .bind(id.to_string())
            .fetch_optional(p)
            .await)
        .map_err(db)?;
        rec.map(OrgUserRow::try_from).transpose()
    }

    async fn org_member_details(
        &self,
        org_id: OrgId,
        only: Option<OrgUserId>,
    ) -> Result<Vec<OrgMemberDetails>, StoreError> {
        let filter = if only.is_some() {
            " AND ou.id = $2"
        } else {
            ""
        };
        let members_sql = format!(
            "SELECT {ORG_USER_COLUMNS}, u.name AS user_name, u.email AS user_email, \
             EXISTS (SELECT 1 FROM two_factor t WHERE t.user_id = ou.user_id AND t.enabled) AS two_factor \
             FROM org_users ou LEFT JOIN users u ON u.id = ou.user_id \
             WHERE ou.org_id = $1{filter} ORDER BY ou.creation_date, ou.id"
        );
        let access_sql = format!(
            "SELECT cu.org_user_id, cu.collection_id, cu.read_only, cu.hide_passwords, cu.manage \
             FROM collection_users cu JOIN org_users ou ON ou.id = cu.org_user_id \
             WHERE ou.org_id = $1{filter}"
        );
        let groups_sql = format!(
            "SELECT gu.org_user_id, gu.group_id FROM group_users gu \
             JOIN org_users ou ON ou.id = gu.org_user_id WHERE ou.org_id = $1{filter}"
        );
        let only = only.map(|id| id.to_string());
        let (members, access, groups): (
            Vec<MemberDetailsRecord>,
            Vec<AccessRecord>,
            Vec<GroupMemberRecord>,
        ) = on_pool!(&self.pool, p => {
            let mut q1 = sqlx::query_as(&members_sql).bind(org_id.to_string());
            let mut q2 = sqlx::query_as(&access_sql).bind(org_id.to_string());
            let mut q3 = sqlx::query_as(&groups_sql).bind(org_id.to_string());
            if let Some(id) = &only {
                q1 = q1.bind(id.clone());
                q2 = q2.bind(id.clone());
                q3 = q3.bind(id.clone());
            }
            (
                q1.fetch_all(p).await.map_err(db)?,
                q2.fetch_all(p).await.map_err(db)?,
                q3.fetch_all(p).await.map_err(db)?,
            )
        });
        let mut by_member: HashMap<String, (Vec<AccessSelection>, Vec<GroupId>)> = HashMap::new();
        for a in access {
            by_member
                .entry(a.org_user_id)
                .or_default()
                .0
                .push(AccessSelection {
                    id: crate::records::id(&a.collection_id)?,
                    read_only: a.read_only,
                    hide_passwords: a.hide_passwords,
                    manage: a.manage,
                });
        }
        for g in groups {
            by_member
                .entry(g.org_user_id)
                .or_default()
                .1
                .push(crate::records::id(&g.group_id)?);
        }
        members
            .into_iter()
            .map(|r| {
                let member = OrgUserRow::try_from(r.member)?;
                let (collections, groups) =
                    by_member.remove(&member.id.to_string()).unwrap_or_default();
                Ok(OrgMemberDetails {
                    email: r
                        .user_email
                        .or_else(|| member.email.clone())
                        .unwrap_or_default(),
                    name: r.user_name,
                    two_factor_enabled: r.two_factor,
                    collections,
                    groups,
                    member,
                })
            })
            .collect()
    }

    async fn insert_org_users(
        &self,
        rows: &[OrgUserRow],
        collections: &[AccessSelection],
        groups: &[GroupId],
        events: &[EventRow],
    ) -> Result<(), StoreError> {
        on_pool!(&self.pool, p => {
            let mut tx = self.begin(p).await?;
            for m in rows {
                insert_org_user(&mut *tx, m).await?;
                replace_member_access(&mut *tx, m.id, collections, groups).await?;
            }
            insert_events(&mut *tx, events).await?;
            tx.commit().await.map_err(db)
        })
    }

    async fn update_org_user(
        &self,
        row: &OrgUserRow,
        access: Option<(&[AccessSelection], &[GroupId])>,
        events: &[EventRow],
    ) -> Result<(), StoreError> {
        on_pool!(&self.pool, p => {
            let mut tx = self.begin(p).await?;
            write_org_user(&mut *tx, row).await?;
            if let Some((collections, groups)) = access {
                replace_member_access(&mut *tx, row.id, collections, groups).await?;
            }
            insert_events(&mut *tx, events).await?;
            tx.commit().await.map_err(db)
        })
    }

    async fn delete_org_user(
        &self,
        org_id: OrgId,
        id: OrgUserId,
        events: &[EventRow],
        now: Timestamp,
    ) -> Result<(), StoreError> {
        on_pool!(&self.pool, p => {
            let mut tx = self.begin(p).await?;
            sqlx::query(
                "UPDATE users SET revision_date = $3 WHERE id IN \
                 (SELECT user_id FROM org_users WHERE id = $1 AND org_id = $2)",
            )
            .bind(id.to_string())
            .bind(org_id.to_string())
            .bind(now.0)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
            sqlx::query("DELETE FROM org_users WHERE id = $1 AND org_id = $2")
                .bind(id.to_string())
                .bind(org_id.to_string())
                .execute(&mut *tx)
                .await
                .map_err(db)?;
            insert_events(&mut *tx, events).await?;
            tx.commit().await.map_err(db)
        })
    }

    async fn recover_member_account(
        &self,
        org_id: OrgId,
        user_id: UserId,
        update: Option<&CredentialUpdate>,
        reset_two_factor: bool,
        revoked: &[OrgUserRow],
        events: &[EventRow],
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        const MEMBER: &str = "SELECT COUNT(*) FROM org_users WHERE org_id = $1 AND user_id = $2";
        on_pool!(&self.pool, p => {
            let mut tx = self.begin(p).await?;
            // The membership is checked inside the write: a member removed meanwhile is not
            // recovered by the organization that no longer holds them.
            let members: i64 = sqlx::query_scalar(MEMBER)
                .bind(org_id.to_string())
                .bind(user_id.to_string())
                .fetch_one(&mut *tx)
                .await
                .map_err(db)?;
            if members == 0 {
                return Ok(false);
            }
            if let Some(update) = update {
                write_credentials(&mut *tx, user_id, update, now).await?;
            }
            if reset_two_factor {
                sqlx::query("DELETE FROM two_factor WHERE user_id = $1")
                    .bind(user_id.to_string())
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
                sqlx::query(
                    "UPDATE users SET recovery_code_hash = NULL, revision_date = $2 WHERE id = $1",
                )
                    .bind(user_id.to_string())
                    .bind(now.0)
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
            }
            for row in revoked {
                write_org_user(&mut *tx, row).await?;
            }
            insert_events(&mut *tx, events).await?;
            tx.commit().await.map_err(db)?;
            Ok(true)
        })
    }
}
