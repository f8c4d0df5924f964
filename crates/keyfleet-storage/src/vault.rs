//! Folders and ciphers. Every statement filters on the owning user; every write that changes
//! what a sync returns bumps the user's revision date in the same transaction.

use crate::attachments::{rename_attachments, RENAME_ATTACHMENT};
use crate::conn::{Arg, Conn, Sql, Q};
use crate::org_items::{org_walk_sql, readable_ciphers, OrgWalk, Reach};
use crate::orgs::{bump_user, BUMP_USER};
use crate::records::{CipherRecord, FolderRecord, PgCipherColumns};
use crate::sqlite_read::execute;
use crate::{db, on_pool, placeholders, Pool, SqlStore};
use const_format::concatcp;
use futures::stream::{BoxStream, StreamExt, TryStreamExt};
use keyfleet_domain::ids::{CipherId, FolderId, UserId};
use keyfleet_domain::store::{
    AttachmentNames, BulkCipherChange, CipherRow, CipherView, FolderRow, ItemAccess, ItemWriter,
    VaultStore,
};
use keyfleet_domain::{StoreError, Timestamp};
use sqlx::FromRow;
use std::sync::Arc;

/// A personal item's row: id, owner, type, data, created, revised, deleted, archived.
const INSERT_CIPHER: &str = "INSERT INTO ciphers (id, user_id, cipher_type, data, creation_date, \
    revision_date, deleted_date, archived_date) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

/// Binds a new item's row as `$1`…`$8` in `INSERT_CIPHER`'s order, with `scope` (its owner's or
/// its organization's id) as `$2`.
pub(crate) fn cipher_row_args<'q, DB: Sql>(
    q: Q<'q, DB>,
    c: &'q CipherRow,
    scope: String,
) -> Q<'q, DB> {
    q.arg(c.id.to_string())
        .arg(scope)
        .arg(c.cipher_type)
        .arg(c.data.as_str())
        .arg(c.creation_date.0)
        .arg(c.revision_date.0)
        .arg(c.deleted_date.map(|t| t.0))
        .arg(c.archived_date.map(|t| t.0))
}

const UPSERT_STATE: &str =
    "INSERT INTO cipher_user_state (cipher_id, user_id, folder_id, favorite) \
    VALUES ($1, $2, $3, $4) ON CONFLICT (cipher_id, user_id) DO UPDATE \
    SET folder_id = excluded.folder_id, favorite = excluded.favorite";

/// Writes a user's folder and favorite flag for an item (`UPSERT_STATE`).
async fn upsert_state<C: Conn + ?Sized>(
    tx: &mut C,
    cipher: CipherId,
    user: UserId,
    folder: Option<FolderId>,
    favorite: bool,
) -> Result<(), StoreError> {
    let q = sqlx::query(UPSERT_STATE)
        .arg(cipher.to_string())
        .arg(user.to_string())
        .arg(folder.map(|f| f.to_string()))
        .arg(favorite);
    tx.run(q).await?;
    Ok(())
}

/// The statement of a bulk soft delete / restore / purge of the items whose `scope_column`
/// (`user_id` or `org_id`) is `$1`, with the time it stamps as `$2` and the ids from `$3`.
pub(crate) fn bulk_change_sql(
    scope_column: &str,
    change: BulkCipherChange,
    n: usize,
    now: Timestamp,
) -> (String, i64) {
    let list = placeholders(3, n);
    let sql = match change {
        BulkCipherChange::SoftDelete(_) => format!(
            "UPDATE ciphers SET deleted_date = $2, revision_date = $2 \
             WHERE {scope_column} = $1 AND deleted_date IS NULL AND id IN ({list})"
        ),
        BulkCipherChange::Restore => format!(
            "UPDATE ciphers SET deleted_date = NULL, revision_date = $2 \
             WHERE {scope_column} = $1 AND deleted_date IS NOT NULL AND id IN ({list})"
        ),
        // $2 is unused here but bound for every variant, so it appears in a no-op comparison.
        BulkCipherChange::Purge => {
            format!("DELETE FROM ciphers WHERE {scope_column} = $1 AND $2 = $2 AND id IN ({list})")
        }
    };
    let stamp = match change {
        BulkCipherChange::SoftDelete(at) => at.0,
        _ => now.0,
    };
    (sql, stamp)
}

fn ids_to_strings<T: ToString>(ids: &[T]) -> Vec<String> {
    ids.iter().map(ToString::to_string).collect()
}

/// Items per sync page of the user's own items at most: a 10,000-item vault of ordinary items
/// is twenty reads.
pub(crate) const SYNC_PAGE: usize = 500;

/// Items per shared sync page of org items ([`Reach::SharedPage`]) at most. Such a page costs
/// more than its items: the grants it reads through, the bound of its range (`hi`) and the
/// grouping of rights are worked out again for each page, so it takes twice as many rows (a
/// tenth less CPU for a member's 10,000 items). A page still ends at [`SYNC_PAGE_BYTES`] of data.
pub(crate) const SHARED_SYNC_PAGE: usize = 1000;

/// Rows of a walk's first page ([`OrgWalk`]): few, because it also tells whether the walk
/// suits the user. One who reaches fewer than half the items read goes on through their
/// granted collections, having read a hundred rows for nothing rather than a full page.
pub(crate) const WALK_FIRST_PAGE: usize = 100;

/// Item data per sync page: a page ends with the item that reaches this many bytes, so a vault
/// of large items (long notes, many fields) is read in more, smaller pages, and a sync holds a
/// few megabytes at most (a page is bytes here, one on its way out, one in the response buffer)
/// however large its items. One item is at most the body limit (2 MiB).
pub const SYNC_PAGE_BYTES: usize = 1 << 20;

/// How much one page reads: `rows` at most (the statement's `LIMIT`), and no more rows once the
/// items' data reaches `bytes`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PageBound {
    pub(crate) rows: usize,
    bytes: usize,
    /// The part's most rows in a page ([`SYNC_PAGE`], [`SHARED_SYNC_PAGE`]).
    most: usize,
}

impl PageBound {
    /// The first page of a part of the vault, `most` rows at most ([`SYNC_PAGE`],
    /// [`SHARED_SYNC_PAGE`]).
    pub(crate) fn first(most: usize) -> PageBound {
        PageBound {
            rows: most,
            bytes: SYNC_PAGE_BYTES,
            most,
        }
    }

    /// Whether a page that read `rows` rows and holds `bytes` bytes of data is full.
    pub(crate) fn reached(&self, rows: usize, bytes: usize) -> bool {
        rows >= self.rows || bytes >= self.bytes
    }

    /// The bound of the page after a full one that held `items` items of `bytes` bytes: as
    /// many rows as items of that size fit in the byte budget (and one more), so the statement
    /// does not read (PostgreSQL: send) hundreds of large rows for a page that keeps a few.
    fn after(self, items: usize, bytes: usize) -> PageBound {
        if items == 0 {
            return self;
        }
        let fit = (self.bytes.saturating_mul(items) / bytes.max(1)).saturating_add(1);
        PageBound {
            rows: fit.clamp(1, self.most),
            ..self
        }
    }
}

/// A page as it is read: its items so far and their bytes (an item counts its data and a
/// little for the rest), until `bound` says it is full.
pub(crate) struct PageFill {
    bound: PageBound,
    /// The reader, on a page of their own items: its statement leaves out what is the same on
    /// every row (`CipherColumns::OWN_ITEMS_OMIT`), filled in here, in one place for every
    /// reader: each item is theirs, with every right and no collection.
    own_items_of: Option<UserId>,
    /// On a page of organizations walked item by item: what the reader reaches of them, which
    /// keeps the items they read (with their rights) and drops the others.
    walk: Option<Arc<OrgWalk>>,
    pub(crate) views: Vec<CipherView>,
    bytes: usize,
    /// Rows read (a walk's page reads items it drops), and the last one's id: where the next
    /// page starts.
    rows: usize,
    last_row: Option<CipherId>,
}

impl PageFill {
    pub(crate) fn new(
        bound: PageBound,
        own_items_of: Option<UserId>,
        walk: Option<Arc<OrgWalk>>,
    ) -> PageFill {
        PageFill {
            bound,
            own_items_of,
            walk,
            views: Vec::with_capacity(bound.rows),
            bytes: 0,
            rows: 0,
            last_row: None,
        }
    }

    /// Adds an item; answers whether the page is full (no more rows are to be read). Rows must
    /// come in id order (the next page starts after the last id read): one that does not is
    /// an error, never an item skipped or sent twice.
    pub(crate) fn take(&mut self, mut view: CipherView) -> Result<bool, StoreError> {
        if self.last_row.is_some_and(|last| last >= view.cipher.id) {
            return Err(StoreError::Corrupt(
                "a sync page's items out of id order".into(),
            ));
        }
        self.rows += 1;
        self.last_row = Some(view.cipher.id);
        if let Some(walk) = &self.walk {
            if !walk.admit(&mut view) {
                return Ok(self.full());
            }
        }
        if let Some(owner) = self.own_items_of {
            view.cipher.user_id = Some(owner);
            view.access = ItemAccess::FULL;
            view.collection_ids.clear();
        }
        self.bytes += view.cipher.data.len() + 256;
        self.views.push(view);
        Ok(self.full())
    }

    fn full(&self) -> bool {
        self.bound.reached(self.rows, self.bytes)
    }

    /// The page read: what `finish` makes of its items, with where the next page starts.
    pub(crate) fn finish<T>(self, finish: impl FnOnce(Vec<CipherView>) -> T) -> Page<T> {
        let full = self.full();
        let (items, rows, last) = (self.views.len(), self.rows, self.last_row);
        Page {
            out: finish(self.views),
            items,
            rows,
            bytes: self.bytes,
            full,
            last,
        }
    }
}

/// Takes a page's rows from `rows` into `page` as they arrive, decoding each with `view`, and
/// stops once the page is full (the rest of the statement's rows are left unread).
async fn take_page<R>(
    mut rows: BoxStream<'_, Result<R, sqlx::Error>>,
    mut page: PageFill,
    mut view: impl FnMut(&R) -> Result<CipherView, StoreError>,
) -> Result<PageFill, StoreError> {
    while let Some(row) = rows.try_next().await.map_err(db)? {
        if page.take(view(&row)?)? {
            break;
        }
    }
    Ok(page)
}

/// One page of `q` on PostgreSQL, its items with their attachments, read on `conn`.
async fn pg_page(
    conn: &mut sqlx::PgConnection,
    q: &PageQuery,
    bound: PageBound,
) -> Result<PageFill, StoreError> {
    let rows = q.query(bound).fetch(&mut *conn);
    // Decoded by position, the columns found on the first row.
    let mut cols: Option<PgCipherColumns> = None;
    let own_items = q.own_items_of.is_some();
    let mut page = take_page(rows, q.fill(bound), |row| match &cols {
        Some(cols) => cols.view(row),
        None => {
            let found = PgCipherColumns::of(row, own_items)?;
            let view = found.view(row);
            cols = Some(found);
            view
        }
    })
    .await?;
    crate::attachments::pg_fill_attachments(conn, &mut page.views).await?;
    Ok(page)
}

/// One page read: what `finish` made of its items, how many there were (and how many rows were
/// read for them), the last row's id (where the next page starts), their bytes and whether the
/// page was full (more may follow).
pub(crate) struct Page<T> {
    pub(crate) out: T,
    pub(crate) items: usize,
    pub(crate) rows: usize,
    pub(crate) bytes: usize,
    pub(crate) full: bool,
    pub(crate) last: Option<CipherId>,
}

/// A part of a sync, read in pages by id.
#[derive(Clone)]
enum Part {
    /// The user's own items ([`Reach::PersonalPage`]).
    Personal,
    /// Org items through the readable-ciphers query ([`Reach::SharedPage`]).
    Shared,
    /// The items of a few organizations, walked by id ([`OrgWalk`]).
    Walk(Arc<OrgWalk>),
}

/// One page's statement, its arguments, and what its rows need to become items.
pub(crate) struct PageQuery {
    pub(crate) sql: &'static str,
    /// `$1` the user, `$2` the id the page starts after (`$3` is the bound's rows; from `$4`,
    /// the organizations of a walk: [`PageQuery::org_ids`]).
    pub(crate) user: String,
    pub(crate) after: String,
    /// See [`PageFill`].
    pub(crate) own_items_of: Option<UserId>,
    pub(crate) walk: Option<Arc<OrgWalk>>,
}

impl PageQuery {
    fn new(backend: crate::Backend, user_id: UserId, part: &Part, after: &str) -> PageQuery {
        let (sql, own_items_of, walk) = match part {
            Part::Personal => (
                readable_ciphers(backend, Reach::PersonalPage),
                Some(user_id),
                None,
            ),
            Part::Shared => (readable_ciphers(backend, Reach::SharedPage), None, None),
            Part::Walk(w) => (org_walk_sql(backend, w.orgs.len()), None, Some(w.clone())),
        };
        PageQuery {
            sql,
            user: user_id.to_string(),
            after: after.to_string(),
            own_items_of,
            walk,
        }
    }

    /// The walked organizations' ids, `$4` on (none for other pages).
    pub(crate) fn org_ids(&self) -> Vec<String> {
        self.walk
            .iter()
            .flat_map(|w| w.orgs.iter().map(|(o, _)| o.to_string()))
            .collect()
    }

    /// The statement with its arguments bound, for a page of `bound`.
    fn query<DB: Sql>(&self, bound: PageBound) -> Q<'_, DB> {
        let q = sqlx::query(self.sql)
            .arg(self.user.as_str())
            .arg(self.after.as_str())
            .arg(bound.rows as i64);
        self.org_ids().into_iter().fold(q, |q, org| q.arg(org))
    }

    pub(crate) fn fill(&self, bound: PageBound) -> PageFill {
        PageFill::new(bound, self.own_items_of, self.walk.clone())
    }
}

impl SqlStore {
    /// One page of `part` of what `user_id` reads, within `bound`, its items with their
    /// attachments, passed to `finish` on the thread that read them (SQLite reads a page on a
    /// blocking thread).
    async fn cipher_page<T: Send + 'static>(
        &self,
        user_id: UserId,
        part: &Part,
        after: &str,
        bound: PageBound,
        finish: impl FnOnce(Vec<CipherView>) -> T + Send + 'static,
    ) -> Result<Page<T>, StoreError> {
        let q = PageQuery::new(self.backend(), user_id, part, after);
        if let Some(reads) = &self.sqlite_reads {
            // One blocking read (items and their attachments) instead of a thread hand-off
            // per row.
            return reads.cipher_page(q, bound, finish).await;
        }
        match &self.pool {
            crate::Pool::Postgres(p) => {
                // The items and their attachments on one connection: one turn at the pool.
                let mut conn = p.acquire().await.map_err(db)?;
                if !matches!(part, Part::Shared) {
                    return Ok(pg_page(&mut conn, &q, bound).await?.finish(finish));
                }
                // A shared page's statement took PostgreSQL 2.5-5 ms to plan, each time: the
                // plan for its parameters is planned again until the generic one looks no dearer,
                // which it did not. The generic plan (planned once per connection) reads what
                // the custom ones do, in 0.4-0.6 ms for a member of 50 items. The setting goes
                // with the `BEGIN`, in one round trip.
                let mut tx = sqlx::Connection::begin_with(
                    &mut *conn,
                    "BEGIN; SET LOCAL plan_cache_mode = force_generic_plan",
                )
                .await
                .map_err(db)?;
                let page = pg_page(&mut tx, &q, bound).await?;
                tx.commit().await.map_err(db)?;
                Ok(page.finish(finish))
            }
            // An in-memory database (tests), which the direct reader cannot open.
            crate::Pool::Sqlite(p) => {
                let rows = q.query(bound).fetch(p);
                let mut page = take_page(rows, q.fill(bound), |row| {
                    CipherRecord::from_row(row)
                        .map_err(db)
                        .and_then(CipherView::try_from)
                })
                .await?;
                self.fill_attachments(&mut page.views).await?;
                Ok(page.finish(finish))
            }
        }
    }

    /// The part of a sync after the user's own items: nothing if they reach no organization's
    /// items; a walk of each organization if they reach a few ([`OrgWalk`]); else the
    /// readable-ciphers query's shared pages.
    async fn shared_part(&self, user_id: UserId) -> Result<Option<(Part, PageBound)>, StoreError> {
        Ok(match self.org_walk(user_id).await? {
            Some(walk) if walk.orgs.is_empty() => None,
            Some(walk) => Some((
                Part::Walk(Arc::new(walk)),
                PageBound {
                    rows: WALK_FIRST_PAGE,
                    ..PageBound::first(SYNC_PAGE)
                },
            )),
            None => Some((Part::Shared, PageBound::first(SHARED_SYNC_PAGE))),
        })
    }

    /// Every page of what `user_id` reads, each read with a connection taken from the pool and
    /// given back before the page is handed on: a client that reads slowly (or never) holds
    /// memory for one page, never a database connection. Personal items first, then org
    /// items, each by id; a page is bounded by items and by bytes ([`PageBound`]).
    fn pages<T, F>(&self, user_id: UserId, finish: F) -> BoxStream<'_, Result<T, StoreError>>
    where
        T: Send + 'static,
        F: FnOnce(Vec<CipherView>) -> T + Clone + Send + Sync + 'static,
    {
        let start = (
            Some((Part::Personal, PageBound::first(SYNC_PAGE))),
            String::new(),
        );
        futures::stream::try_unfold(start, move |(part, after)| {
            let finish = finish.clone();
            async move {
                let Some((part, bound)) = part else {
                    return Ok(None);
                };
                let page = self
                    .cipher_page(user_id, &part, &after, bound, finish)
                    .await?;
                let next = match page.last {
                    // A walk that keeps fewer than half the items it reads (a member granted a
                    // small part of a large organization) goes on from there through the
                    // collections granted to them, which reads only their items.
                    Some(last) if page.full => match part {
                        Part::Walk(_) if page.items * 2 < page.rows => (
                            Some((Part::Shared, PageBound::first(SHARED_SYNC_PAGE))),
                            last.to_string(),
                        ),
                        part => (
                            Some((part, bound.after(page.items, page.bytes))),
                            last.to_string(),
                        ),
                    },
                    // The last page of this part: on to the next part, from its start.
                    _ => match part {
                        Part::Personal => (self.shared_part(user_id).await?, String::new()),
                        _ => (None, String::new()),
                    },
                };
                Ok(Some((page.out, next)))
            }
        })
        .boxed()
    }
}

#[async_trait::async_trait]
impl VaultStore for SqlStore {
    async fn folders(&self, user_id: UserId) -> Result<Vec<FolderRow>, StoreError> {
        const SQL: &str =
            "SELECT id, name, revision_date FROM folders WHERE user_id = $1 ORDER BY id";
        let recs: Vec<FolderRecord> =
            on_pool!(&self.pool, p => sqlx::query_as(SQL).bind(user_id.to_string()).fetch_all(p).await).map_err(db)?;
        recs.into_iter().map(FolderRow::try_from).collect()
    }

    async fn folder(&self, user_id: UserId, id: FolderId) -> Result<Option<FolderRow>, StoreError> {
        const SQL: &str =
            "SELECT id, name, revision_date FROM folders WHERE id = $1 AND user_id = $2";
        let rec: Option<FolderRecord> = on_pool!(&self.pool, p => sqlx::query_as(SQL)
            .bind(id.to_string())
            .bind(user_id.to_string())
            .fetch_optional(p)
            .await)
        .map_err(db)?;
        rec.map(FolderRow::try_from).transpose()
    }

    async fn insert_folder(&self, user_id: UserId, f: &FolderRow) -> Result<(), StoreError> {
        const SQL: &str =
            "INSERT INTO folders (id, user_id, name, revision_date) VALUES ($1, $2, $3, $4)";
        on_pool!(&self.pool, p => {
            let mut tx = self.begin(p).await?;
            sqlx::query(SQL)
                .bind(f.id.to_string())
                .bind(user_id.to_string())
                .bind(&f.name)
                .bind(f.revision_date.0)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
            bump_user(&mut *tx, user_id, f.revision_date.0).await?;
            tx.commit().await.map_err(db)
        })
    }

    async fn rename_folder(
        &self,
        user_id: UserId,
        id: FolderId,
        name: &str,
        now: Timestamp,
    ) -> Result<Option<FolderRow>, StoreError> {
        const SQL: &str =
            "UPDATE folders SET name = $3, revision_date = $4 WHERE id = $1 AND user_id = $2 \
            RETURNING id, name, revision_date";
        let rec: Option<FolderRecord> = on_pool!(&self.pool, p => {
            let mut tx = self.begin(p).await?;
            let rec: Option<FolderRecord> = sqlx::query_as(SQL)
                .bind(id.to_string())
                .bind(user_id.to_string())
                .bind(name)
                .bind(now.0)
                .fetch_optional(&mut *tx)
                .await
                .map_err(db)?;
            if rec.is_some() {
                bump_user(&mut *tx, user_id, now.0).await?;
            }
            tx.commit().await.map_err(db)?;
            rec
        });
        rec.map(FolderRow::try_from).transpose()
    }

    async fn delete_folders(
        &self,
        user_id: UserId,
        ids: Option<&[FolderId]>,
        now: Timestamp,
    ) -> Result<u64, StoreError> {
        let ids = ids.map(ids_to_strings);
        let sql = match &ids {
            Some(ids) if ids.is_empty() => return Ok(0),
            Some(ids) => format!(
                "DELETE FROM folders WHERE user_id = $1 AND id IN ({})",
                placeholders(2, ids.len())
            ),
            None => "DELETE FROM folders WHERE user_id = $1".to_string(),
        };
        on_pool!(&self.pool, p => {
            let mut tx = self.begin(p).await?;
            let mut q = sqlx::query(&sql).bind(user_id.to_string());
            for id in ids.iter().flatten() {
                q = q.bind(id);
            }
            // cipher_user_state.folder_id is ON DELETE SET NULL: the items stay, unfiled.
            let n = q.execute(&mut *tx).await.map_err(db)?.rows_affected();
            if n > 0 {
                bump_user(&mut *tx, user_id, now.0).await?;
            }
            tx.commit().await.map_err(db)?;
            Ok(n)
        })
    }

    async fn cipher(
        &self,
        user_id: UserId,
        id: CipherId,
    ) -> Result<Option<CipherView>, StoreError> {
        let sql = readable_ciphers(self.backend(), Reach::One);
        let rec: Option<CipherRecord> = on_pool!(&self.pool, p => sqlx::query_as(sql)
            .bind(user_id.to_string())
            .bind(id.to_string())
            .fetch_optional(p)
            .await)
        .map_err(db)?;
        let Some(view) = rec.map(CipherView::try_from).transpose()? else {
            return Ok(None);
        };
        let mut views = [view];
        self.fill_attachments(&mut views).await?;
        let [view] = views;
        Ok(Some(view))
    }

    fn ciphers_stream(&self, user_id: UserId) -> BoxStream<'_, Result<CipherView, StoreError>> {
        self.pages(user_id, |views| views)
            .map_ok(|page| futures::stream::iter(page.into_iter().map(Ok)))
            .try_flatten()
            .boxed()
    }

    fn cipher_pages(
        &self,
        user_id: UserId,
        write: ItemWriter,
    ) -> BoxStream<'_, Result<Vec<u8>, StoreError>> {
        self.pages(user_id, move |views| {
            let size: usize = views.iter().map(|v| v.cipher.data.len() + 640).sum();
            let mut out = Vec::with_capacity(size);
            for mut view in views {
                write(&mut view, &mut out);
            }
            out
        })
        .try_filter(|page| futures::future::ready(!page.is_empty()))
        .boxed()
    }

    async fn insert_cipher(&self, v: &CipherView) -> Result<(), StoreError> {
        let c = &v.cipher;
        let owner = c
            .user_id
            .ok_or_else(|| StoreError::Corrupt("personal cipher without owner".into()))?;
        if let Some(direct) = &self.sqlite_reads {
            // One hand-off to a thread for the whole transaction (see `sqlite_read`).
            let _turn = self.write_turn().await?;
            let (id, owner) = (c.id.to_string(), owner.to_string());
            let (cipher_type, data) = (c.cipher_type, c.data.clone());
            let (created, revised) = (c.creation_date.0, c.revision_date.0);
            let (deleted, archived) = (c.deleted_date.map(|t| t.0), c.archived_date.map(|t| t.0));
            let (folder, favorite) = (v.folder_id.map(|f| f.to_string()), v.favorite);
            return direct
                .write(move |tx| {
                    execute(
                        tx,
                        INSERT_CIPHER,
                        &[
                            &id,
                            &owner,
                            &cipher_type,
                            &data,
                            &created,
                            &revised,
                            &deleted,
                            &archived,
                        ],
                    )?;
                    if folder.is_some() || favorite {
                        execute(tx, UPSERT_STATE, &[&id, &owner, &folder, &favorite])?;
                    }
                    execute(tx, BUMP_USER, &[&owner, &revised])?;
                    Ok(())
                })
                .await;
        }
        match &self.pool {
            Pool::Postgres(p) => {
                // One statement, so one round trip: the item, its state and the bump, atomically.
                const PG: &str = concatcp!(
                "WITH c AS (",
                INSERT_CIPHER,
                "), s AS (INSERT INTO cipher_user_state (cipher_id, user_id, folder_id, favorite) \
                   SELECT $1, $2, $9, $10 WHERE $9::text IS NOT NULL OR $10) \
                 UPDATE users SET revision_date = $6 WHERE id = $2"
            );
                cipher_row_args(sqlx::query(PG), c, owner.to_string())
                    .bind(v.folder_id.map(|f| f.to_string()))
                    .bind(v.favorite)
                    .execute(p)
                    .await
                    .map_err(db)?;
                Ok(())
            }
            // An in-memory SQLite database (a file one took the blocking call above).
            Pool::Sqlite(p) => {
                let mut tx = self.begin(p).await?;
                tx.run(cipher_row_args(
                    sqlx::query(INSERT_CIPHER),
                    c,
                    owner.to_string(),
                ))
                .await?;
                if v.folder_id.is_some() || v.favorite {
                    upsert_state(&mut *tx, c.id, owner, v.folder_id, v.favorite).await?;
                }
                bump_user(&mut *tx, owner, c.revision_date.0).await?;
                tx.commit().await.map_err(db)
            }
        }
    }

    async fn update_cipher(
        &self,
        user_id: UserId,
        v: &CipherView,
        attachments: &[AttachmentNames],
        expected: Timestamp,
    ) -> Result<bool, StoreError> {
        const SQL: &str = "UPDATE ciphers SET data = $3, revision_date = $4, archived_date = $5 \
            WHERE id = $1 AND user_id = $2 AND revision_date = $6";
        let c = &v.cipher;
        if let Some(direct) = &self.sqlite_reads {
            // One hand-off to a thread for the whole transaction (see `sqlite_read`).
            let _turn = self.write_turn().await?;
            let (id, user) = (c.id.to_string(), user_id.to_string());
            let (data, revised) = (c.data.clone(), c.revision_date.0);
            let (archived, expected) = (c.archived_date.map(|t| t.0), expected.0);
            let (folder, favorite) = (v.folder_id.map(|f| f.to_string()), v.favorite);
            let renames: Vec<(String, String, String)> = attachments
                .iter()
                .map(|n| {
                    (
                        n.id.as_str().to_string(),
                        n.file_name.clone(),
                        n.key.clone(),
                    )
                })
                .collect();
            return direct
                .write(move |tx| {
                    let n = execute(
                        tx,
                        SQL,
                        &[&id, &user, &data, &revised, &archived, &expected],
                    )?;
                    if n != 1 {
                        return Ok(false);
                    }
                    execute(tx, UPSERT_STATE, &[&id, &user, &folder, &favorite])?;
                    for (attachment, name, key) in &renames {
                        execute(tx, RENAME_ATTACHMENT, &[&id, attachment, name, key])?;
                    }
                    execute(tx, BUMP_USER, &[&user, &revised])?;
                    Ok(true)
                })
                .await;
        }
        match &self.pool {
            Pool::Postgres(p) => {
                // One statement, so one round trip: the state, the attachments' names and the bump
                // are written only when the item was (`c`), all atomically.
                const PG: &str = concatcp!(
                    "WITH c AS (",
                    SQL,
                    " RETURNING id), \
                 s AS (INSERT INTO cipher_user_state (cipher_id, user_id, folder_id, favorite) \
                   SELECT c.id, $2, $7, $8 FROM c ON CONFLICT (cipher_id, user_id) DO UPDATE \
                   SET folder_id = excluded.folder_id, favorite = excluded.favorite), \
                 r AS (UPDATE attachments a SET file_name = n.file_name, attachment_key = n.k \
                   FROM c, unnest($9::text[], $10::text[], $11::text[]) AS n(id, file_name, k) \
                   WHERE a.cipher_id = c.id AND a.id = n.id), \
                 u AS (UPDATE users SET revision_date = $4 WHERE id = $2 \
                   AND EXISTS (SELECT 1 FROM c)) \
                 SELECT COUNT(*) FROM c"
                );
                let (mut ids, mut names, mut keys) = (Vec::new(), Vec::new(), Vec::new());
                for n in attachments {
                    ids.push(n.id.as_str().to_string());
                    names.push(n.file_name.clone());
                    keys.push(n.key.clone());
                }
                let n: i64 = sqlx::query_scalar(PG)
                    .bind(c.id.to_string())
                    .bind(user_id.to_string())
                    .bind(&c.data)
                    .bind(c.revision_date.0)
                    .bind(c.archived_date.map(|t| t.0))
                    .bind(expected.0)
                    .bind(v.folder_id.map(|f| f.to_string()))
                    .bind(v.favorite)
                    .bind(ids)
                    .bind(names)
                    .bind(keys)
                    .fetch_one(p)
                    .await
                    .map_err(db)?;
                Ok(n == 1)
            }
            Pool::Sqlite(p) => {
                let mut tx = self.begin(p).await?;
                let n = sqlx::query(SQL)
                    .bind(c.id.to_string())
                    .bind(user_id.to_string())
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
                upsert_state(&mut *tx, c.id, user_id, v.folder_id, v.favorite).await?;
                rename_attachments(&mut *tx, c.id, attachments).await?;
                bump_user(&mut *tx, user_id, c.revision_date.0).await?;
                tx.commit().await.map_err(db)?;
                Ok(true)
            }
        }
    }

    async fn set_cipher_user_state(
        &self,
        user_id: UserId,
        id: CipherId,
        folder_id: Option<FolderId>,
        favorite: bool,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        let readable = format!(
            "SELECT COUNT(*) FROM ({}) q",
            readable_ciphers(self.backend(), Reach::One)
        );
        on_pool!(&self.pool, p => {
            let mut tx = self.begin(p).await?;
            let owned: i64 = sqlx::query_scalar(&readable)
                .bind(user_id.to_string())
                .bind(id.to_string())
                .fetch_one(&mut *tx)
                .await
                .map_err(db)?;
            if owned == 0 {
                return Ok(false);
            }
            upsert_state(&mut *tx, id, user_id, folder_id, favorite).await?;
            bump_user(&mut *tx, user_id, now.0).await?;
            tx.commit().await.map_err(db)?;
            Ok(true)
        })
    }

    async fn move_ciphers(
        &self,
        user_id: UserId,
        ids: &[CipherId],
        folder_id: Option<FolderId>,
        now: Timestamp,
    ) -> Result<u64, StoreError> {
        if ids.is_empty() {
            return Ok(0);
        }
        // Folders are per user: any item the user reads (personal or org) can be filed.
        let sql = format!(
            "INSERT INTO cipher_user_state (cipher_id, user_id, folder_id, favorite) \
             SELECT r.id, $1, $2, FALSE FROM ({}) r WHERE r.id IN ({}) \
             ON CONFLICT (cipher_id, user_id) DO UPDATE SET folder_id = excluded.folder_id",
            readable_ciphers(self.backend(), Reach::All),
            placeholders(3, ids.len())
        );
        let ids = ids_to_strings(ids);
        on_pool!(&self.pool, p => {
            let mut tx = self.begin(p).await?;
            let mut q = sqlx::query(&sql).bind(user_id.to_string()).bind(folder_id.map(|f| f.to_string()));
            for id in &ids {
                q = q.bind(id);
            }
            let n = q.execute(&mut *tx).await.map_err(db)?.rows_affected();
            bump_user(&mut *tx, user_id, now.0).await?;
            tx.commit().await.map_err(db)?;
            Ok(n)
        })
    }

    async fn change_ciphers(
        &self,
        user_id: UserId,
        ids: &[CipherId],
        change: BulkCipherChange,
        now: Timestamp,
    ) -> Result<u64, StoreError> {
        if ids.is_empty() {
            return Ok(0);
        }
        let (sql, stamp) = bulk_change_sql("user_id", change, ids.len(), now);
        let ids = ids_to_strings(ids);
        on_pool!(&self.pool, p => {
            let mut tx = self.begin(p).await?;
            let mut q = sqlx::query(&sql).bind(user_id.to_string()).bind(stamp);
            for id in &ids {
                q = q.bind(id);
            }
            let n = q.execute(&mut *tx).await.map_err(db)?.rows_affected();
            if n > 0 {
                bump_user(&mut *tx, user_id, now.0).await?;
            }
            tx.commit().await.map_err(db)?;
            Ok(n)
        })
    }
}
