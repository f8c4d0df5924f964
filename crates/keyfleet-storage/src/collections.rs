//! Collections and groups, and the access they give.

use crate::codes::{OU_ADMIN, OU_CONFIRMED, OU_MANAGER, OU_OWNER};
use crate::conn::{Arg, Conn};
use crate::org_records::{CollectionRecord, GroupRecord, COLLECTION_COLUMNS};
use crate::orgs::{bump_org, insert_events};
use crate::{db, on_pool, placeholders, SqlStore};
use const_format::concatcp;
use keyfleet_domain::ids::{CollectionId, GroupId, OrgId, OrgUserId, UserId};
use keyfleet_domain::store::{
    AccessSelection, CollectionAccess, CollectionRow, CollectionStore, EventRow, GroupRow,
    UserCollection,
};
use keyfleet_domain::{StoreError, Timestamp};

/// The confirmed memberships of user `$1` in enabled organizations.
pub(crate) const MY_MEMBERSHIPS: &str = concatcp!(
    "m AS (SELECT ou.id AS ou_id, ou.org_id, ou.member_type \
     FROM org_users ou JOIN organizations o ON o.id = ou.org_id \
     WHERE ou.user_id = $1 AND ou.status = ",
    OU_CONFIRMED,
    " AND o.enabled)"
);

/// Collection grants of the memberships in `m`, direct and through groups (a collection may
/// come more than once), with the organization of each; a Manager manages the collections
/// assigned to them.
pub(crate) const MY_GRANTS: &str = "a AS (\
    SELECT cu.collection_id, cu.read_only, cu.hide_passwords, cu.manage, m.member_type, m.org_id \
      FROM m JOIN collection_users cu ON cu.org_user_id = m.ou_id \
    UNION ALL \
    SELECT cg.collection_id, cg.read_only, cg.hide_passwords, cg.manage, m.member_type, m.org_id \
      FROM m JOIN group_users gu ON gu.org_user_id = m.ou_id \
      JOIN collection_groups cg ON cg.group_id = gu.group_id)";

/// A membership in `m` that administers its organization (Owner or Admin): every collection
/// and item of it, with every right.
pub(crate) const ADMINISTERS: &str = concatcp!("m.member_type IN (", OU_OWNER, ", ", OU_ADMIN, ")");

/// `ag`: each collection granted to the user (`a`) once, with the widest right of the grants
/// that reach it (direct, or through any group), leaving out the collections of organizations
/// they administer (`ADMINISTERS` reaches all of those already, with every right). So a
/// collection comes once, from one place, and an item once per collection it is read through:
/// what the user reads needs no `DISTINCT` (which cost a sort per item) and no merging of grants.
pub(crate) const GRANTED: &str = concatcp!(
    "ag AS (SELECT collection_id, \
       MAX(CASE WHEN read_only THEN 0 ELSE 1 END) AS e, \
       MAX(CASE WHEN hide_passwords THEN 0 ELSE 1 END) AS v, \
       MAX(CASE WHEN manage OR member_type = ",
    OU_MANAGER,
    " THEN 1 ELSE 0 END) AS mg \
     FROM a WHERE org_id NOT IN (SELECT m.org_id FROM m WHERE ",
    ADMINISTERS,
    ") GROUP BY collection_id)"
);

#[derive(sqlx::FromRow)]
struct UserCollectionRecord {
    #[sqlx(flatten)]
    collection: CollectionRecord,
    ro: i32,
    hp: i32,
    mg: i32,
}

#[derive(sqlx::FromRow)]
struct SelectionRecord {
    owner: String,
    target: String,
    read_only: bool,
    hide_passwords: bool,
    manage: bool,
}

fn selection(r: &SelectionRecord) -> Result<AccessSelection, StoreError> {
    Ok(AccessSelection {
        id: crate::records::id(&r.target)?,
        read_only: r.read_only,
        hide_passwords: r.hide_passwords,
        manage: r.manage,
    })
}

/// Inserts access rows with `sql` (its table's owner column `$1`, target `$2`, then the flags).
async fn insert_selections<C: Conn + ?Sized>(
    tx: &mut C,
    sql: &str,
    owner: impl ToString,
    list: &[AccessSelection],
) -> Result<(), StoreError> {
    let owner = owner.to_string();
    for s in list {
        let q = sqlx::query(sql)
            .arg(owner.as_str())
            .arg(s.id.to_string())
            .arg(s.read_only)
            .arg(s.hide_passwords)
            .arg(s.manage);
        tx.run(q).await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl CollectionStore for SqlStore {
    async fn collections(&self, org_id: OrgId) -> Result<Vec<CollectionRow>, StoreError> {
        let sql = format!(
            "SELECT {COLLECTION_COLUMNS} FROM collections c WHERE c.org_id = $1 ORDER BY c.id"
        );
        let recs: Vec<CollectionRecord> = on_pool!(&self.pool, p => sqlx::query_as(&sql)
            .bind(org_id.to_string())
            .fetch_all(p)
            .await)
        .map_err(db)?;
        recs.into_iter().map(CollectionRow::try_from).collect()
    }

    async fn collection(
        &self,
        org_id: OrgId,
        id: CollectionId,
    ) -> Result<Option<CollectionRow>, StoreError> {
        let sql = format!(
            "SELECT {COLLECTION_COLUMNS} FROM collections c WHERE c.org_id = $1 AND c.id = $2"
        );
        let rec: Option<CollectionRecord> = on_pool!(&self.pool, p => sqlx::query_as(&sql)
            .bind(org_id.to_string())
            .bind(id.to_string())
            .fetch_optional(p)
            .await)
        .map_err(db)?;
        rec.map(CollectionRow::try_from).transpose()
    }

    async fn collection_access(
        &self,
        org_id: OrgId,
        ids: Option<&[CollectionId]>,
    ) -> Result<Vec<(CollectionId, CollectionAccess)>, StoreError> {
        let filter = match ids {
            Some([]) => return Ok(vec![]),
            Some(ids) => format!(" AND c.id IN ({})", placeholders(2, ids.len())),
            None => String::new(),
        };
        let users_sql = format!(
            "SELECT cu.collection_id AS owner, cu.org_user_id AS target, cu.read_only, \
             cu.hide_passwords, cu.manage FROM collection_users cu \
             JOIN collections c ON c.id = cu.collection_id WHERE c.org_id = $1{filter}"
        );
        let groups_sql = format!(
            "SELECT cg.collection_id AS owner, cg.group_id AS target, cg.read_only, \
             cg.hide_passwords, cg.manage FROM collection_groups cg \
             JOIN collections c ON c.id = cg.collection_id WHERE c.org_id = $1{filter}"
        );
        let id_strings: Vec<String> = ids
            .unwrap_or_default()
            .iter()
            .map(ToString::to_string)
            .collect();
        let (users, groups): (Vec<SelectionRecord>, Vec<SelectionRecord>) = on_pool!(&self.pool, p => {
            let mut q1 = sqlx::query_as(&users_sql).bind(org_id.to_string());
            let mut q2 = sqlx::query_as(&groups_sql).bind(org_id.to_string());
            for id in &id_strings {
                q1 = q1.bind(id.clone());
                q2 = q2.bind(id.clone());
            }
            (q1.fetch_all(p).await.map_err(db)?, q2.fetch_all(p).await.map_err(db)?)
        });
        let mut out: Vec<(CollectionId, CollectionAccess)> = Vec::new();
        let mut slot = |owner: &str| -> Result<usize, StoreError> {
            let id: CollectionId = crate::records::id(owner)?;
            Ok(match out.iter().position(|(c, _)| *c == id) {
                Some(i) => i,
                None => {
                    out.push((id, CollectionAccess::default()));
                    out.len() - 1
                }
            })
        };
        let mut placed = Vec::new();
        for r in &users {
            placed.push((slot(&r.owner)?, true, selection(r)?));
        }
        for r in &groups {
            placed.push((slot(&r.owner)?, false, selection(r)?));
        }
        for (i, is_user, s) in placed {
            if is_user {
                out[i].1.users.push(s);
            } else {
                out[i].1.groups.push(s);
            }
        }
        Ok(out)
    }

    async fn user_collections(&self, user_id: UserId) -> Result<Vec<UserCollection>, StoreError> {
        static SQL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        let sql = SQL.get_or_init(|| {
            format!(
                // Each collection once: every one of an administered organization, with every
                // right, and the others granted (`ag`).
                "WITH {MY_MEMBERSHIPS}, {MY_GRANTS}, {GRANTED}, \
                 g AS (\
                   SELECT c.id AS cid, 0 AS ro, 0 AS hp, 1 AS mg FROM m \
                     JOIN collections c ON c.org_id = m.org_id WHERE {ADMINISTERS} \
                   UNION ALL \
                   SELECT collection_id, 1 - e, 1 - v, mg FROM ag) \
                 SELECT {COLLECTION_COLUMNS}, g.ro, g.hp, g.mg \
                 FROM g JOIN collections c ON c.id = g.cid \
                 ORDER BY c.id"
            )
        });
        let recs: Vec<UserCollectionRecord> = on_pool!(&self.pool, p => sqlx::query_as(sql)
            .bind(user_id.to_string())
            .fetch_all(p)
            .await)
        .map_err(db)?;
        recs.into_iter()
            .map(|r| {
                let collection = CollectionRow::try_from(r.collection)?;
                Ok(UserCollection {
                    access: AccessSelection {
                        id: collection.id.uuid(),
                        read_only: r.ro != 0,
                        hide_passwords: r.hp != 0,
                        manage: r.mg != 0,
                    },
                    collection,
                })
            })
            .collect()
    }

    async fn save_collection(
        &self,
        row: &CollectionRow,
        access: &CollectionAccess,
        events: &[EventRow],
    ) -> Result<(), StoreError> {
        const UPSERT: &str = "INSERT INTO collections (id, org_id, name, external_id, \
            creation_date, revision_date) VALUES ($1, $2, $3, $4, $5, $6) \
            ON CONFLICT (id) DO UPDATE SET name = excluded.name, \
            external_id = excluded.external_id, revision_date = excluded.revision_date \
            WHERE collections.org_id = excluded.org_id";
        const USERS: &str = "INSERT INTO collection_users (collection_id, org_user_id, read_only, \
            hide_passwords, manage) VALUES ($1, $2, $3, $4, $5)";
        const GROUPS: &str = "INSERT INTO collection_groups (collection_id, group_id, read_only, \
            hide_passwords, manage) VALUES ($1, $2, $3, $4, $5)";
        on_pool!(&self.pool, p => {
            let mut tx = self.begin(p).await?;
            let n = sqlx::query(UPSERT)
                .bind(row.id.to_string())
                .bind(row.org_id.to_string())
                .bind(&row.name)
                .bind(&row.external_id)
                .bind(row.creation_date.0)
                .bind(row.revision_date.0)
                .execute(&mut *tx)
                .await
                .map_err(db)?
                .rows_affected();
            if n != 1 {
                return Err(StoreError::Conflict);
            }
            for table in ["collection_users", "collection_groups"] {
                sqlx::query(&format!("DELETE FROM {table} WHERE collection_id = $1"))
                    .bind(row.id.to_string())
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
            }
            insert_selections(&mut *tx, USERS, row.id, &access.users).await?;
            insert_selections(&mut *tx, GROUPS, row.id, &access.groups).await?;
            insert_events(&mut *tx, events).await?;
            bump_org(&mut *tx, row.org_id, row.revision_date.0).await?;
            tx.commit().await.map_err(db)
        })
    }

    async fn delete_collections(
        &self,
        org_id: OrgId,
        ids: &[CollectionId],
        events: &[EventRow],
        now: Timestamp,
    ) -> Result<u64, StoreError> {
        if ids.is_empty() {
            return Ok(0);
        }
        let sql = format!(
            "DELETE FROM collections WHERE org_id = $1 AND id IN ({})",
            placeholders(2, ids.len())
        );
        on_pool!(&self.pool, p => {
            let mut tx = self.begin(p).await?;
            let mut q = sqlx::query(&sql).bind(org_id.to_string());
            for id in ids {
                q = q.bind(id.to_string());
            }
            let n = q.execute(&mut *tx).await.map_err(db)?.rows_affected();
            insert_events(&mut *tx, events).await?;
            bump_org(&mut *tx, org_id, now.0).await?;
            tx.commit().await.map_err(db)?;
            Ok(n)
        })
    }

    async fn groups(&self, org_id: OrgId) -> Result<Vec<GroupRow>, StoreError> {
        const SQL: &str = "SELECT id, org_id, name, external_id, creation_date, revision_date \
            FROM org_groups WHERE org_id = $1 ORDER BY name, id";
        let recs: Vec<GroupRecord> = on_pool!(&self.pool, p => sqlx::query_as(SQL)
            .bind(org_id.to_string())
            .fetch_all(p)
            .await)
        .map_err(db)?;
        recs.into_iter().map(GroupRow::try_from).collect()
    }

    async fn group(&self, org_id: OrgId, id: GroupId) -> Result<Option<GroupRow>, StoreError> {
        const SQL: &str = "SELECT id, org_id, name, external_id, creation_date, revision_date \
            FROM org_groups WHERE org_id = $1 AND id = $2";
        let rec: Option<GroupRecord> = on_pool!(&self.pool, p => sqlx::query_as(SQL)
            .bind(org_id.to_string())
            .bind(id.to_string())
            .fetch_optional(p)
            .await)
        .map_err(db)?;
        rec.map(GroupRow::try_from).transpose()
    }

    async fn group_details(
        &self,
        org_id: OrgId,
        id: GroupId,
    ) -> Result<(Vec<AccessSelection>, Vec<OrgUserId>), StoreError> {
        const COLLECTIONS: &str = "SELECT cg.group_id AS owner, cg.collection_id AS target, \
            cg.read_only, cg.hide_passwords, cg.manage FROM collection_groups cg \
            JOIN org_groups g ON g.id = cg.group_id WHERE g.org_id = $1 AND g.id = $2";
        const MEMBERS: &str = "SELECT gu.org_user_id FROM group_users gu \
            JOIN org_groups g ON g.id = gu.group_id WHERE g.org_id = $1 AND g.id = $2 \
            ORDER BY gu.org_user_id";
        let (collections, members): (Vec<SelectionRecord>, Vec<String>) = on_pool!(&self.pool, p => (
            sqlx::query_as(COLLECTIONS).bind(org_id.to_string()).bind(id.to_string()).fetch_all(p).await.map_err(db)?,
            sqlx::query_scalar(MEMBERS).bind(org_id.to_string()).bind(id.to_string()).fetch_all(p).await.map_err(db)?,
        ));
        Ok((
            collections
                .iter()
                .map(selection)
                .collect::<Result<_, _>>()?,
            members
                .iter()
                .map(|m| crate::records::id(m))
                .collect::<Result<_, _>>()?,
        ))
    }

    async fn save_group(
        &self,
        row: &GroupRow,
        collections: &[AccessSelection],
        members: &[OrgUserId],
        events: &[EventRow],
    ) -> Result<(), StoreError> {
        const UPSERT: &str = "INSERT INTO org_groups (id, org_id, name, external_id, \
            creation_date, revision_date) VALUES ($1, $2, $3, $4, $5, $6) \
            ON CONFLICT (id) DO UPDATE SET name = excluded.name, \
            external_id = excluded.external_id, revision_date = excluded.revision_date \
            WHERE org_groups.org_id = excluded.org_id";
        const COLLECTIONS: &str = "INSERT INTO collection_groups (group_id, collection_id, \
            read_only, hide_passwords, manage) VALUES ($1, $2, $3, $4, $5)";
        on_pool!(&self.pool, p => {
            let mut tx = self.begin(p).await?;
            let n = sqlx::query(UPSERT)
                .bind(row.id.to_string())
                .bind(row.org_id.to_string())
                .bind(&row.name)
                .bind(&row.external_id)
                .bind(row.creation_date.0)
                .bind(row.revision_date.0)
                .execute(&mut *tx)
                .await
                .map_err(db)?
                .rows_affected();
            if n != 1 {
                return Err(StoreError::Conflict);
            }
            for table in ["collection_groups", "group_users"] {
                sqlx::query(&format!("DELETE FROM {table} WHERE group_id = $1"))
                    .bind(row.id.to_string())
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
            }
            insert_selections(&mut *tx, COLLECTIONS, row.id, collections).await?;
            for m in members {
                sqlx::query("INSERT INTO group_users (group_id, org_user_id) VALUES ($1, $2)")
                    .bind(row.id.to_string())
                    .bind(m.to_string())
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
            }
            insert_events(&mut *tx, events).await?;
            bump_org(&mut *tx, row.org_id, row.revision_date.0).await?;
            tx.commit().await.map_err(db)
        })
    }

    async fn delete_groups(
        &self,
        org_id: OrgId,
        ids: &[GroupId],
        events: &[EventRow],
        now: Timestamp,
    ) -> Result<u64, StoreError> {
        on_pool!(&self.pool, p => {
            let mut tx = self.begin(p).await?;
            let mut n = 0;
            for id in ids {
                n += sqlx::query("DELETE FROM org_groups WHERE org_id = $1 AND id = $2")
                    .bind(org_id.to_string())
                    .bind(id.to_string())
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?
                    .rows_affected();
            }
            if n == 0 {
                return Ok(0);
            }
            insert_events(&mut *tx, events).await?;
            bump_org(&mut *tx, org_id, now.0).await?;
            tx.commit().await.map_err(db)?;
            Ok(n)
        })
    }
}
