//! Org items, and the one query that decides which items a user reads and with which rights:
//! their personal items, every item of organizations they own or administer, and the items of
//! collections granted to them directly or through groups.

use crate::attachments::rename_attachments;
use crate::codes::OU_CONFIRMED;
use crate::collections::{ADMINISTERS, GRANTED, MY_GRANTS, MY_MEMBERSHIPS};
use crate::conn::{Arg, Conn};
use crate::orgs::{bump_org, insert_events};
use crate::records::CipherRecord;
use crate::vault::{bulk_change_sql, cipher_row_args};
use crate::{db, on_pool, Backend, SqlStore};
use const_format::concatcp;
use keyfleet_domain::ids::{CipherId, CollectionId, OrgId, UserId};
use keyfleet_domain::store::{
    AttachmentNames, BulkCipherChange, CipherPushAudience, CipherRow, CipherView, EventRow,
    ItemAccess, OrgItemStore,
};
use keyfleet_domain::{StoreError, Timestamp};
use std::collections::HashMap;

/// Which ciphers a readable-ciphers query returns. `All` and `One` have no ORDER BY: personal
/// items stream straight from their index, then org items, so the database never sorts a whole
/// vault. Sync reads in pages instead (`PersonalPage`, then a walk of the user's organizations,
/// [`OrgWalk`], or `SharedPage`): each is ordered by id and starts after the last id of the page
/// before (`$2`, keyset), `$3` rows at most, so no connection is held while the client reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reach {
    /// Every cipher user `$1` can read.
    All,
    /// Only cipher `$2`.
    One,
    /// The user's own items with an id after `$2`, by id, `$3` at most.
    PersonalPage,
    /// The org items they read with an id after `$2`, by id, `$3` at most.
    SharedPage,
}

/// How a page of items sorted by id, after `$2`, joins the user's (`$1`) folder and favorite
/// of each. PostgreSQL is handed the user's rows in id order from `$2` as a sorted subquery, so
/// it merges them with the items and stops with the page: with the state in the join's `ON`
/// alone, it sorted every row of the user's (one per item for a user who files items in
/// folders) again for each page, 4–7 ms a page for 10,000 such rows. SQLite looks each item's
/// row up by its key.
pub(crate) fn page_state_join(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "LEFT JOIN cipher_user_state s ON s.cipher_id = c.id AND s.user_id = $1",
        Backend::Postgres => {
            "LEFT JOIN (SELECT x.cipher_id, x.folder_id, x.favorite FROM cipher_user_state x \
               WHERE x.user_id = $1 AND x.cipher_id > $2 ORDER BY x.user_id, x.cipher_id) s \
             ON s.cipher_id = c.id"
        }
    }
}

/// The readable-ciphers query for `backend` (the collection-id aggregate differs, and how a
/// shared page keeps its id order: see below).
pub(crate) fn readable_ciphers_sql(backend: Backend, reach: Reach) -> String {
    // A shared page's rows come in `acc`'s order, by id. PostgreSQL sees that (the items are
    // joined to `acc` in a nested loop ordered by the join key) and sorts nothing for the
    // `ORDER BY`. SQLite sorts the page again, every item's data with it (a tenth of its time for
    // the page), so on SQLite `acc` is pinned as the outer loop (`CROSS JOIN`) and the page
    // keeps its order without an `ORDER BY`; the reader refuses a page out of id order
    // (`PageFill::take`).
    let (agg, items_join, page_order) = match backend {
        Backend::Sqlite => ("group_concat(g.collection_id)", "CROSS JOIN", ""),
        Backend::Postgres => ("string_agg(g.collection_id, ',')", "JOIN", " ORDER BY c.id"),
    };
    // Each granted collection's items are read from `cipher_collections(collection_id,
    // cipher_id)`, one range per collection. PostgreSQL, which reorders a `CROSS JOIN`, estimated
    // the range's bound (`hi`, known only when it runs) at a few rows and read the whole range of
    // item ids instead, every collection's, then kept the granted ones by hash: 9,950 rows and
    // 3-4 ms for a member of 50 items. A `LATERAL` subquery with `OFFSET 0` (which the planner
    // does not flatten) keeps the collections the outer loop there.
    let (granted_open, granted_close) = match backend {
        Backend::Sqlite => ("cipher_collections cc", ""),
        Backend::Postgres => (
            "LATERAL (SELECT cc.cipher_id, cc.collection_id FROM cipher_collections cc",
            " OFFSET 0) cc",
        ),
    };
    // A shared page reads the user's own sources only — each organization they administer
    // (`ciphers_org`) and each collection granted to them in one they do not administer
    // (`ag`, through `cipher_collections_collection`),
    // never a walk of every organization's items — and each only up to `hi`: the smallest of the
    // sources' `$3`-th id after `$2`. That source alone has `$3` ids up to `hi`, so the page's
    // `$3` ids are all at most `hi`, and every source is read for at most `$3` ids a page.
    // (`MAX(id)` of all items keeps `hi` defined when no source has `$3` left.) The rights and
    // collections are then aggregated for the ids up to `hi` and the first `$3` of them kept:
    // every grant of those ids is within the range, so no separate pass picks the ids first.
    // `CROSS JOIN` keeps the sources the outer loop on SQLite, whatever its planner estimates
    // without statistics (SQLite 3.40 planned this range the other way: every item in it, each
    // looked up in the sources).
    //
    // Walking `cipher_collections` by item id instead cost every member's sync a pass over the
    // whole server's items: 21 ms for a member of 50 items beside 200,000 items of other
    // organizations.
    const HI: &str = concatcp!(
        "hi AS (SELECT MIN(h) AS h FROM (\
           SELECT MAX(id) AS h FROM ciphers \
           UNION ALL \
           SELECT (SELECT x.id FROM ciphers x WHERE x.org_id = m.org_id AND x.id > $2 \
             ORDER BY x.id LIMIT 1 OFFSET $3 - 1) FROM m WHERE ",
        ADMINISTERS,
        " \
           UNION ALL \
           SELECT (SELECT x.cipher_id FROM cipher_collections x \
             WHERE x.collection_id = ag.collection_id AND x.cipher_id > $2 \
             ORDER BY x.cipher_id LIMIT 1 OFFSET $3 - 1) FROM ag\
         ) bounds), "
    );
    let (one_c, one_cc, hi, first) = match reach {
        Reach::All => ("", "", "", ""),
        Reach::One => (" AND c.id = $2", " AND cc.cipher_id = $2", "", ""),
        Reach::PersonalPage => (" AND c.id > $2", "", "", ""),
        Reach::SharedPage => (
            " AND c.id > $2 AND c.id <= (SELECT h FROM hi)",
            " AND cc.cipher_id > $2 AND cc.cipher_id <= (SELECT h FROM hi)",
            HI,
            " ORDER BY cipher_id LIMIT $3",
        ),
    };
    const COLS: &str = "c.id, c.user_id, c.org_id, c.cipher_type, c.data, c.creation_date, \
        c.revision_date, c.deleted_date, c.archived_date";
    let ctes = format!(
        "WITH {MY_MEMBERSHIPS}, {MY_GRANTS}, {GRANTED}, {hi}\
         g AS (\
           SELECT c.id AS cipher_id, cc.collection_id, 1 AS e, 1 AS v, 1 AS mg \
             FROM m CROSS JOIN ciphers c \
             LEFT JOIN cipher_collections cc ON cc.cipher_id = c.id \
             WHERE c.org_id = m.org_id AND {ADMINISTERS}{one_c} \
           UNION ALL \
           SELECT cc.cipher_id, cc.collection_id, ag.e, ag.v, ag.mg \
             FROM ag CROSS JOIN {granted_open} \
             WHERE cc.collection_id = ag.collection_id{one_cc}{granted_close}), \
         acc AS (SELECT cipher_id, MAX(e) AS e, MAX(v) AS v, MAX(mg) AS mg, \
           {agg} AS collection_ids FROM g GROUP BY cipher_id{first})"
    );
    const STATE: &str = "FROM ciphers c \
        LEFT JOIN cipher_user_state s ON s.cipher_id = c.id AND s.user_id = $1 \
        WHERE c.user_id = $1";
    let personal = format!(
        "SELECT {COLS}, 1 AS can_edit, 1 AS can_view, 1 AS can_manage, \
           CAST(NULL AS TEXT) AS collection_ids, s.folder_id, s.favorite {STATE}{one_c}"
    );
    // An own-items page leaves out what is the same on every row (`OWN_ITEMS_OMIT`: the owner,
    // the rights, the collections); `PageFill` fills them in.
    const OWN_COLS: &str = "c.id, c.org_id, c.cipher_type, c.data, c.creation_date, \
        c.revision_date, c.deleted_date, c.archived_date, s.folder_id, s.favorite";
    let shared = format!(
        "SELECT {COLS}, acc.e AS can_edit, acc.v AS can_view, acc.mg AS can_manage, \
           acc.collection_ids, s.folder_id, s.favorite \
           FROM acc {items_join} ciphers c ON c.id = acc.cipher_id \
           LEFT JOIN cipher_user_state s ON s.cipher_id = c.id AND s.user_id = $1"
    );
    match reach {
        Reach::All | Reach::One => format!("{ctes} {personal} UNION ALL {shared}"),
        Reach::PersonalPage => format!(
            "SELECT {OWN_COLS} FROM ciphers c {} WHERE c.user_id = $1{one_c} ORDER BY c.id LIMIT $3",
            page_state_join(backend)
        ),
        Reach::SharedPage => format!("{ctes} {shared}{page_order}"),
    }
}

/// Most organizations a sync walks item by item ([`OrgWalk`]): one branch each in the
/// statement. A user reaching more (a technician launched into many clients) is read through
/// the readable-ciphers query's shared pages.
pub(crate) const WALK_MOST_ORGS: usize = 4;

/// The organizations whose items a user reads, and with which rights: the same answer as the
/// readable-ciphers query's, taken from its own `m`, `a` and `ag` (so membership status, a
/// disabled organization, groups and the widest of several grants are decided in one place),
/// read once per sync.
///
/// A sync walks these organizations' items by `ciphers_org`, in id order, as a personal sync
/// walks the user's own, and [`OrgWalk::admit`] keeps each item the user reaches, with its
/// rights, from the item's own list of collections (`ciphers.collection_list`): no aggregate
/// per item and no probe of each item by id, which made a member's sync cost half as much again
/// as a personal one of the same size.
#[derive(Debug, Default)]
pub(crate) struct OrgWalk {
    /// Each organization and what the user reaches in it: `None` for one they administer
    /// (every item, every right, all its collections), else the collections granted to them
    /// with the widest rights through each.
    pub(crate) orgs: Vec<(OrgId, Option<HashMap<CollectionId, ItemAccess>>)>,
}

impl OrgWalk {
    /// Keeps `view` (an item of one of the walked organizations, its `collection_ids` every
    /// collection it is in) if the user reaches it: its rights are then set, and its collections
    /// narrowed to those the user reaches it through, as the readable-ciphers query answers.
    pub(crate) fn admit(&self, view: &mut CipherView) -> bool {
        let Some(org) = view.cipher.org_id else {
            return false;
        };
        let Some((_, reach)) = self.orgs.iter().find(|(o, _)| *o == org) else {
            return false;
        };
        let Some(grants) = reach else {
            view.access = ItemAccess::FULL;
            return true;
        };
        let mut access: Option<ItemAccess> = None;
        view.collection_ids.retain(|c| match grants.get(c) {
            Some(g) => {
                let a = access.get_or_insert(*g);
                a.edit |= g.edit;
                a.view_password |= g.view_password;
                a.manage |= g.manage;
                true
            }
            None => false,
        });
        match access {
            Some(a) => {
                view.access = a;
                true
            }
            None => false,
        }
    }
}

/// The rows of [`OrgWalk`]: an organization the user administers (no collection), or one
/// collection granted to them with its widest rights and its organization.
const ORG_WALK_GRANTS: &str = concatcp!(
    "WITH ",
    MY_MEMBERSHIPS,
    ", ",
    MY_GRANTS,
    ", ",
    GRANTED,
    " SELECT m.org_id, CAST(NULL AS TEXT) AS collection_id, 1 AS e, 1 AS v, 1 AS mg FROM m \
       WHERE ",
    ADMINISTERS,
    " UNION ALL \
     SELECT c.org_id, ag.collection_id, ag.e, ag.v, ag.mg \
       FROM ag JOIN collections c ON c.id = ag.collection_id \
     ORDER BY 1, 2"
);

/// A page of the items of `k` organizations (`$4`…), in id order after `$2`, `$3` at most, with
/// every collection each is in; the rights are [`OrgWalk::admit`]'s (none until it sets them).
/// More than one organization: one branch each, merged by id.
pub(crate) fn org_walk_sql(backend: Backend, k: usize) -> &'static str {
    use std::sync::OnceLock;
    static CACHE: [OnceLock<String>; 2 * WALK_MOST_ORGS] =
        [const { OnceLock::new() }; 2 * WALK_MOST_ORGS];
    let k = k.clamp(1, WALK_MOST_ORGS);
    let slot = match backend {
        Backend::Sqlite => 0,
        Backend::Postgres => WALK_MOST_ORGS,
    } + k
        - 1;
    CACHE[slot].get_or_init(|| {
        let branch = |n: usize| {
            format!(
                "SELECT c.id, c.user_id, c.org_id, c.cipher_type, c.data, c.creation_date, \
                   c.revision_date, c.deleted_date, c.archived_date, 0 AS can_edit, \
                   0 AS can_view, 0 AS can_manage, c.collection_list AS collection_ids, \
                   s.folder_id, s.favorite \
                 FROM ciphers c {} \
                 WHERE c.org_id = ${} AND c.id > $2 ORDER BY c.id LIMIT $3",
                page_state_join(backend),
                n + 4
            )
        };
        if k == 1 {
            return branch(0);
        }
        let branches: Vec<String> = (0..k)
            .map(|n| format!("SELECT * FROM ({}) w{n}", branch(n)))
            .collect();
        format!("{} ORDER BY id LIMIT $3", branches.join(" UNION ALL "))
    })
}

#[derive(sqlx::FromRow)]
struct WalkGrantRecord {
    org_id: String,
    collection_id: Option<String>,
    e: i32,
    v: i32,
    mg: i32,
}

impl SqlStore {
    /// What `user` reads of each organization, if a sync may walk them item by item: at most
    /// [`WALK_MOST_ORGS`] organizations (an empty walk when they reach none), else `None`.
    pub(crate) async fn org_walk(&self, user: UserId) -> Result<Option<OrgWalk>, StoreError> {
        let recs: Vec<WalkGrantRecord> = on_pool!(&self.pool, p => sqlx::query_as(ORG_WALK_GRANTS)
            .bind(user.to_string())
            .fetch_all(p)
            .await)
        .map_err(db)?;
        let mut walk = OrgWalk::default();
        for r in recs {
            let org: OrgId = crate::records::id(&r.org_id)?;
            if walk.orgs.last().is_none_or(|(o, _)| *o != org) {
                if walk.orgs.len() == WALK_MOST_ORGS {
                    return Ok(None);
                }
                walk.orgs.push((org, Some(HashMap::new())));
            }
            let Some((_, reach)) = walk.orgs.last_mut() else {
                continue;
            };
            match (r.collection_id, reach.as_mut()) {
                // Administers (no grant rows come for such an organization).
                (None, _) => *reach = None,
                (Some(c), Some(grants)) => {
                    grants.insert(
                        crate::records::id(&c)?,
                        ItemAccess {
                            edit: r.e != 0,
                            view_password: r.v != 0,
                            manage: r.mg != 0,
                        },
                    );
                }
                (Some(_), None) => {}
            }
        }
        Ok(Some(walk))
    }
}

/// An item's `ciphers.collection_list` as the triggers that keep it write it: its collections'
/// ids in order, comma-separated; none for an item in no collection.
pub(crate) fn collection_list(collections: &[CollectionId]) -> Option<String> {
    let mut ids: Vec<String> = collections.iter().map(ToString::to_string).collect();
    ids.sort();
    ids.dedup();
    (!ids.is_empty()).then(|| ids.join(","))
}

/// Replaces an item's collections.
async fn write_cipher_collections<C: Conn + ?Sized>(
    tx: &mut C,
    cipher: CipherId,
    collections: &[CollectionId],
) -> Result<(), StoreError> {
    let q =
        sqlx::query("DELETE FROM cipher_collections WHERE cipher_id = $1").arg(cipher.to_string());
    tx.run(q).await?;
    add_cipher_collections(tx, cipher, collections).await
}

/// Puts an item in collections it is not in yet (a new item, or one just shared into the
/// organization): one statement for all of them.
async fn add_cipher_collections<C: Conn + ?Sized>(
    tx: &mut C,
    cipher: CipherId,
    collections: &[CollectionId],
) -> Result<(), StoreError> {
    if collections.is_empty() {
        return Ok(());
    }
    let rows: Vec<String> = (0..collections.len())
        .map(|i| format!("($1, ${})", i + 2))
        .collect();
    let sql = format!(
        "INSERT INTO cipher_collections (cipher_id, collection_id) VALUES {}",
        rows.join(", ")
    );
    let mut q = sqlx::query(&sql).arg(cipher.to_string());
    for c in collections {
        q = q.arg(c.to_string());
    }
    tx.run(q).await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct CipherCollectionRecord {
    cipher_id: String,
    collection_id: String,
}

#[async_trait::async_trait]
impl OrgItemStore for SqlStore {
    async fn insert_org_cipher(
        &self,
        c: &CipherRow,
        collections: &[CollectionId],
        events: &[EventRow],
    ) -> Result<(), StoreError> {
        // The item's collection list is stored with it, so the triggers that keep the list
        // (migration 0017) find it right and write the row no second time.
        const SQL: &str = "INSERT INTO ciphers (id, user_id, org_id, cipher_type, data, \
            creation_date, revision_date, deleted_date, archived_date, collection_list) \
            VALUES ($1, NULL, $2, $3, $4, $5, $6, $7, $8, $9)";
        let org = c
            .org_id
            .ok_or_else(|| StoreError::Corrupt("org cipher without organization".into()))?;
        let list = collection_list(collections);
        on_pool!(&self.pool, p => {
            let mut tx = self.begin(p).await?;
            tx.run(cipher_row_args(sqlx::query(SQL), c, org.to_string()).arg(list.clone()))
                .await?;
            add_cipher_collections(&mut *tx, c.id, collections).await?;
            insert_events(&mut *tx, events).await?;
            bump_org(&mut *tx, org, c.revision_date.0).await?;
            tx.commit().await.map_err(db)
        })
    }

    async fn share_cipher(
        &self,
        owner: UserId,
        c: &CipherRow,
        collections: &[CollectionId],
        attachments: &[AttachmentNames],
        expected: Timestamp,
        events: &[EventRow],
    ) -> Result<bool, StoreError> {
        const SQL: &str = "UPDATE ciphers SET user_id = NULL, org_id = $3, data = $4, \
            revision_date = $5 WHERE id = $1 AND user_id = $2 AND revision_date = $6";
        let org = c
            .org_id
            .ok_or_else(|| StoreError::Corrupt("shared cipher without organization".into()))?;
        on_pool!(&self.pool, p => {
            let mut tx = self.begin(p).await?;
            let n = sqlx::query(SQL)
                .bind(c.id.to_string())
                .bind(owner.to_string())
                .bind(org.to_string())
                .bind(&c.data)
                .bind(c.revision_date.0)
                .bind(expected.0)
                .execute(&mut *tx)
                .await
                .map_err(db)?
                .rows_affected();
            if n != 1 {
                return Ok(false);
            }
            add_cipher_collections(&mut *tx, c.id, collections).await?;
            rename_attachments(&mut *tx, c.id, attachments).await?;
            insert_events(&mut *tx, events).await?;
            bump_org(&mut *tx, org, c.revision_date.0).await?;
            tx.commit().await.map_err(db)?;
            Ok(true)
        })
    }

    async fn update_org_cipher(
        &self,
        c: &CipherRow,
        attachments: &[AttachmentNames],
        expected: Timestamp,
        events: &[EventRow],
    ) -> Result<bool, StoreError> {
        const SQL: &str = "UPDATE ciphers SET data = $3, revision_date = $4, archived_date = $5 \
            WHERE id = $1 AND org_id = $2 AND revision_date = $6";
        let org = c
            .org_id
            .ok_or_else(|| StoreError::Corrupt("org cipher without organization".into()))?;
        on_pool!(&self.pool, p => {
            let mut tx = self.begin(p).await?;
            let n = sqlx::query(SQL)
                .bind(c.id.to_string())
                .bind(org.to_string())
                .bind(&c.data)
                .bind(c.revision_date.0)
                .bind(c.archived_date.map(|t| t.0))
                .bind(expected.0)
                .execute(&mut *tx)
                .await
                .map_err(db)?
                .rows_affected();
            if n != 1 {
                return Ok(false);
            }
            rename_attachments(&mut *tx, c.id, attachments).await?;
            insert_events(&mut *tx, events).await?;
            bump_org(&mut *tx, org, c.revision_date.0).await?;
            tx.commit().await.map_err(db)?;
            Ok(true)
        })
    }

    async fn set_cipher_collections(
        &self,
        org_id: OrgId,
        changes: &[(CipherId, Vec<CollectionId>)],
        events: &[EventRow],
        now: Timestamp,
    ) -> Result<(), StoreError> {
        const TOUCH: &str = "UPDATE ciphers SET revision_date = $3 WHERE id = $1 AND org_id = $2";
        on_pool!(&self.pool, p => {
            let mut tx = self.begin(p).await?;
            for (id, collections) in changes {
                let n = sqlx::query(TOUCH)
                    .bind(id.to_string())
                    .bind(org_id.to_string())
                    .bind(now.0)
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?
                    .rows_affected();
                if n != 1 {
                    return Err(StoreError::Conflict);
                }
                write_cipher_collections(&mut *tx, *id, collections).await?;
            }
            insert_events(&mut *tx, events).await?;
            bump_org(&mut *tx, org_id, now.0).await?;
            tx.commit().await.map_err(db)
        })
    }

    async fn change_org_ciphers(
        &self,
        org_id: OrgId,
        ids: &[CipherId],
        change: BulkCipherChange,
        events: &[EventRow],
        now: Timestamp,
    ) -> Result<u64, StoreError> {
        if ids.is_empty() {
            return Ok(0);
        }
        let (sql, stamp) = bulk_change_sql("org_id", change, ids.len(), now);
        on_pool!(&self.pool, p => {
            let mut tx = self.begin(p).await?;
            let mut q = sqlx::query(&sql).bind(org_id.to_string()).bind(stamp);
            for id in ids {
                q = q.bind(id.to_string());
            }
            let n = q.execute(&mut *tx).await.map_err(db)?.rows_affected();
            if n > 0 {
                insert_events(&mut *tx, events).await?;
                bump_org(&mut *tx, org_id, now.0).await?;
            }
            tx.commit().await.map_err(db)?;
            Ok(n)
        })
    }

    async fn org_ciphers(
        &self,
        org_id: OrgId,
    ) -> Result<Vec<(CipherRow, Vec<CollectionId>)>, StoreError> {
        self.org_ciphers_with_collections(org_id, None).await
    }

    async fn org_cipher(
        &self,
        org_id: OrgId,
        id: CipherId,
    ) -> Result<Option<(CipherRow, Vec<CollectionId>)>, StoreError> {
        Ok(self
            .org_ciphers_with_collections(org_id, Some(id))
            .await?
            .pop())
    }

    async fn org_of_cipher_unscoped(&self, id: CipherId) -> Result<Option<OrgId>, StoreError> {
        const SQL: &str = "SELECT org_id FROM ciphers WHERE id = $1 AND org_id IS NOT NULL";
        let org: Option<String> = on_pool!(&self.pool, p => sqlx::query_scalar(SQL)
            .bind(id.to_string())
            .fetch_optional(p)
            .await)
        .map_err(db)?;
        org.map(|o| crate::records::id(&o)).transpose()
    }

    async fn cipher_push_audience(
        &self,
        org_id: OrgId,
        id: CipherId,
    ) -> Result<CipherPushAudience, StoreError> {
        // Collections first (kind 0), then recipients (kind 1); the item's org is checked so a
        // wrong pair names no collection.
        const SQL: &str = concatcp!(
            "SELECT 0 AS kind, cc.collection_id AS id FROM cipher_collections cc \
               JOIN ciphers c ON c.id = cc.cipher_id \
               WHERE cc.cipher_id = $2 AND c.org_id = $1 \
             UNION ALL \
             SELECT 1 AS kind, user_id AS id FROM org_users \
               WHERE org_id = $1 AND status = ",
            OU_CONFIRMED,
            " AND user_id IS NOT NULL \
             ORDER BY kind, id"
        );
        let rows: Vec<(i32, String)> = on_pool!(&self.pool, p => sqlx::query_as(SQL)
            .bind(org_id.to_string())
            .bind(id.to_string())
            .fetch_all(p)
            .await)
        .map_err(db)?;
        let mut audience = CipherPushAudience::default();
        for (kind, id) in rows {
            match kind {
                0 => audience.collections.push(crate::records::id(&id)?),
                _ => audience.recipients.push(crate::records::id(&id)?),
            }
        }
        Ok(audience)
    }
}

impl SqlStore {
    /// Items of an organization (all, or one) with their collections, as admins see them.
    async fn org_ciphers_with_collections(
        &self,
        org_id: OrgId,
        only: Option<CipherId>,
    ) -> Result<Vec<(CipherRow, Vec<CollectionId>)>, StoreError> {
        const CIPHERS: &str = "SELECT c.id, c.user_id, c.org_id, c.cipher_type, c.data, \
            c.creation_date, c.revision_date, c.deleted_date, c.archived_date, 1 AS can_edit, \
            1 AS can_view, 1 AS can_manage, CAST(NULL AS TEXT) AS collection_ids, \
            CAST(NULL AS TEXT) AS folder_id, CAST(NULL AS BOOLEAN) AS favorite \
            FROM ciphers c WHERE c.org_id = $1 AND (CAST($2 AS TEXT) IS NULL OR c.id = $2) \
            ORDER BY c.id";
        const LINKS: &str = "SELECT cc.cipher_id, cc.collection_id FROM cipher_collections cc \
            JOIN ciphers c ON c.id = cc.cipher_id \
            WHERE c.org_id = $1 AND (CAST($2 AS TEXT) IS NULL OR c.id = $2)";
        let only = only.map(|id| id.to_string());
        let (ciphers, links): (Vec<CipherRecord>, Vec<CipherCollectionRecord>) = on_pool!(&self.pool, p => (
            sqlx::query_as(CIPHERS).bind(org_id.to_string()).bind(only.clone()).fetch_all(p).await.map_err(db)?,
            sqlx::query_as(LINKS).bind(org_id.to_string()).bind(only.clone()).fetch_all(p).await.map_err(db)?,
        ));
        let mut by_cipher: HashMap<String, Vec<CollectionId>> = HashMap::new();
        for l in links {
            by_cipher
                .entry(l.cipher_id)
                .or_default()
                .push(crate::records::id(&l.collection_id)?);
        }
        ciphers
            .into_iter()
            .map(|r| {
                let view = keyfleet_domain::store::CipherView::try_from(r)?;
                let collections = by_cipher
                    .remove(&view.cipher.id.to_string())
                    .unwrap_or_default();
                Ok((view.cipher, collections))
            })
            .collect()
    }
}

/// [`readable_ciphers_sql`], built once per backend and reach.
pub(crate) fn readable_ciphers(backend: Backend, reach: Reach) -> &'static str {
    use std::sync::OnceLock;
    static CACHE: [OnceLock<String>; 8] = [const { OnceLock::new() }; 8];
    let slot = match backend {
        Backend::Sqlite => 0,
        Backend::Postgres => 4,
    } + match reach {
        Reach::All => 0,
        Reach::One => 1,
        Reach::PersonalPage => 2,
        Reach::SharedPage => 3,
    };
    CACHE[slot].get_or_init(|| readable_ciphers_sql(backend, reach))
}
