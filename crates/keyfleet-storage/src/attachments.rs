//! Attachments' rows. Deleting a row — by itself or with its item, by cascade — queues its file
//! in `attachment_file_deletions` (a trigger, in the deleting transaction), so no path that
//! removes items can forget their files; the domain deletes queued files and then forgets them.

use crate::conn::{Arg, Conn};
use crate::orgs::{bump_org, bump_user, insert_events};
use crate::records::id;
use crate::{db, on_pool, SqlStore};
use const_format::concatcp;
use keyfleet_domain::files::FileId;
use keyfleet_domain::ids::CipherId;
use keyfleet_domain::store::{
    AttachmentNames, AttachmentRow, AttachmentStore, CipherView, EventRow, StorageOwner,
};
use keyfleet_domain::{StoreError, Timestamp};
use std::collections::HashMap;

/// An attachment's new name and key (`$1` item, `$2` attachment, `$3` name, `$4` key).
pub(crate) const RENAME_ATTACHMENT: &str = "UPDATE attachments SET file_name = $3, \
    attachment_key = $4 WHERE cipher_id = $1 AND id = $2";

/// Stores the new names and keys of an item's attachments inside the item's write (ids that
/// are not the item's change nothing).
pub(crate) async fn rename_attachments<C: Conn + ?Sized>(
    tx: &mut C,
    cipher: CipherId,
    names: &[AttachmentNames],
) -> Result<(), StoreError> {
    for n in names {
        let q = sqlx::query(RENAME_ATTACHMENT)
            .arg(cipher.to_string())
            .arg(n.id.as_str().to_string())
            .arg(n.file_name.clone())
            .arg(n.key.clone());
        tx.run(q).await?;
    }
    Ok(())
}

/// Bumps the revision of whoever syncs an item of `owner`: the user, or every member of the org.
async fn bump_owner<C: Conn + ?Sized>(
    tx: &mut C,
    owner: StorageOwner,
    now: Timestamp,
) -> Result<(), StoreError> {
    match owner {
        StorageOwner::User(u) => bump_user(tx, u, now.0).await,
        StorageOwner::Org(o) => bump_org(tx, o, now.0).await,
    }
}

const COLUMNS: &str = "id, cipher_id, file_name, attachment_key, size, uploaded, creation_date";

#[derive(sqlx::FromRow)]
struct AttachmentRecord {
    id: String,
    cipher_id: String,
    file_name: String,
    attachment_key: String,
    size: i64,
    uploaded: bool,
    creation_date: i64,
}

impl TryFrom<AttachmentRecord> for AttachmentRow {
    type Error = StoreError;
    fn try_from(r: AttachmentRecord) -> Result<Self, StoreError> {
        Ok(AttachmentRow {
            id: FileId::parse(&r.id)
                .ok_or_else(|| StoreError::Corrupt(format!("attachment id {:?}", r.id)))?,
            cipher_id: id(&r.cipher_id)?,
            file_name: r.file_name,
            key: r.attachment_key,
            size: r.size,
            uploaded: r.uploaded,
            creation_date: Timestamp(r.creation_date),
            download_url: String::new(),
        })
    }
}

fn owner_filter(owner: StorageOwner) -> (&'static str, String) {
    match owner {
        StorageOwner::User(u) => ("c.user_id", u.to_string()),
        StorageOwner::Org(o) => ("c.org_id", o.to_string()),
    }
}

impl SqlStore {
    /// Adds each view's uploaded attachments, with one query for all of them (a sync page's
    /// 500 items are one statement, not 500).
    pub(crate) async fn fill_attachments(
        &self,
        views: &mut [CipherView],
    ) -> Result<(), StoreError> {
        if views.is_empty() {
            return Ok(());
        }
        // The ids travel as one parameter (a JSON array on SQLite, an array on PostgreSQL).
        let recs: Vec<AttachmentRecord> = match &self.pool {
            crate::Pool::Sqlite(p) => {
                sqlx::query_as(SQLITE_ATTACHMENTS_OF)
                    .bind(ids_json(views))
                    .fetch_all(p)
                    .await
            }
            crate::Pool::Postgres(p) => {
                let mut conn = p.acquire().await.map_err(db)?;
                return pg_fill_attachments(&mut conn, views).await;
            }
        }
        .map_err(db)?;
        attach_records(views, recs)
    }
}

/// [`SqlStore::fill_attachments`] on PostgreSQL, on a connection the caller holds (a sync page
/// reads its items and their attachments on one).
pub(crate) async fn pg_fill_attachments(
    conn: &mut sqlx::PgConnection,
    views: &mut [CipherView],
) -> Result<(), StoreError> {
    if views.is_empty() {
        return Ok(());
    }
    let ids: Vec<String> = views.iter().map(|v| v.cipher.id.to_string()).collect();
    let recs: Vec<AttachmentRecord> = sqlx::query_as(concatcp!(
        "SELECT ",
        COLUMNS,
        " FROM attachments WHERE uploaded AND cipher_id = ANY($1) ORDER BY creation_date, id"
    ))
    .bind(&ids)
    .fetch_all(conn)
    .await
    .map_err(db)?;
    attach_records(views, recs)
}

fn attach_records(views: &mut [CipherView], recs: Vec<AttachmentRecord>) -> Result<(), StoreError> {
    let rows = recs
        .into_iter()
        .map(AttachmentRow::try_from)
        .collect::<Result<Vec<_>, _>>()?;
    attach(views, rows);
    Ok(())
}

/// Hands each view its attachments (rows in the order they are listed).
pub(crate) fn attach(views: &mut [CipherView], rows: Vec<AttachmentRow>) {
    if rows.is_empty() {
        return;
    }
    let mut by_cipher: HashMap<CipherId, Vec<AttachmentRow>> = HashMap::new();
    for row in rows {
        by_cipher.entry(row.cipher_id).or_default().push(row);
    }
    for v in views {
        if let Some(rows) = by_cipher.remove(&v.cipher.id) {
            v.attachments = rows;
        }
    }
}

/// The uploaded attachments of the items whose ids are the JSON array `$1` ([`ids_json`]), on
/// SQLite (through sqlx, and in `sqlite_read`'s page reads): one index probe per id, no
/// temporary list.
pub(crate) const SQLITE_ATTACHMENTS_OF: &str = "SELECT a.id, a.cipher_id, a.file_name, \
    a.attachment_key, a.size, a.uploaded, a.creation_date FROM json_each($1) j \
    JOIN attachments a ON a.cipher_id = j.value WHERE a.uploaded \
    ORDER BY a.creation_date, a.id";

/// The views' item ids as a JSON array (one parameter: SQLite finds a numbered parameter by
/// walking the list of them, so 500 placeholders would cost 500 × 500 steps to bind).
pub(crate) fn ids_json(views: &[CipherView]) -> String {
    let mut ids = String::with_capacity(views.len() * 39 + 2);
    ids.push('[');
    for (i, v) in views.iter().enumerate() {
        if i > 0 {
            ids.push(',');
        }
        ids.push('"');
        ids.push_str(
            v.cipher
                .id
                .uuid()
                .hyphenated()
                .encode_lower(&mut uuid::Uuid::encode_buffer()),
        );
        ids.push('"');
    }
    ids.push(']');
    ids
}

/// Decodes a row of [`SQLITE_ATTACHMENTS_OF`].
pub(crate) fn attachment_from_sqlite(r: &rusqlite::Row<'_>) -> rusqlite::Result<AttachmentRow> {
    let file_id: String = r.get(0)?;
    let cipher_id: String = r.get(1)?;
    let corrupt = |what: String| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, what.into())
    };
    Ok(AttachmentRow {
        id: FileId::parse(&file_id).ok_or_else(|| corrupt(format!("attachment id {file_id:?}")))?,
        cipher_id: cipher_id
            .parse()
            .map_err(|_| corrupt(format!("bad id {cipher_id:?}")))?,
        file_name: r.get(2)?,
        key: r.get(3)?,
        size: r.get(4)?,
        uploaded: r.get(5)?,
        creation_date: Timestamp(r.get(6)?),
        download_url: String::new(),
    })
}

#[async_trait::async_trait]
impl AttachmentStore for SqlStore {
    async fn insert_attachment(
        &self,
        row: &AttachmentRow,
        owner: StorageOwner,
        limit_bytes: i64,
        events: &[EventRow],
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        let (column, owner_id) = owner_filter(owner);
        // One statement: the total and the insert cannot be split by another upload's insert
        // on SQLite (one writer); on PostgreSQL two racing announcements may both pass, by at
        // most one file each.
        let sql = format!(
            "INSERT INTO attachments ({COLUMNS}) \
             SELECT $1, $2, $3, $4, CAST($5 AS BIGINT), FALSE, $6 \
             WHERE (SELECT COALESCE(SUM(a.size), 0) FROM attachments a \
                    JOIN ciphers c ON c.id = a.cipher_id WHERE {column} = $7) \
                   + CAST($5 AS BIGINT) <= CAST($8 AS BIGINT)"
        );
        const TOUCH: &str = "UPDATE ciphers SET revision_date = $2 WHERE id = $1";
        on_pool!(&self.pool, p => {
            let mut tx = self.begin(p).await?;
            let n = sqlx::query(&sql)
                .bind(row.id.as_str())
                .bind(row.cipher_id.to_string())
                .bind(&row.file_name)
                .bind(&row.key)
                .bind(row.size)
                .bind(row.creation_date.0)
                .bind(&owner_id)
                .bind(limit_bytes)
                .execute(&mut *tx)
                .await
                .map_err(db)?
                .rows_affected();
            if n != 1 {
                return Ok(false);
            }
            sqlx::query(TOUCH)
                .bind(row.cipher_id.to_string())
                .bind(now.0)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
            insert_events(&mut *tx, events).await?;
            bump_owner(&mut *tx, owner, now).await?;
            tx.commit().await.map_err(db)?;
            Ok(true)
        })
    }

    async fn cipher_attachments(&self, cipher: CipherId) -> Result<Vec<AttachmentRow>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM attachments WHERE cipher_id = $1 AND uploaded \
             ORDER BY creation_date, id"
        );
        let recs: Vec<AttachmentRecord> = on_pool!(&self.pool, p => sqlx::query_as(&sql)
            .bind(cipher.to_string())
            .fetch_all(p)
            .await)
        .map_err(db)?;
        recs.into_iter().map(AttachmentRow::try_from).collect()
    }

    async fn attachment(
        &self,
        cipher: CipherId,
        attachment: &FileId,
    ) -> Result<Option<AttachmentRow>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM attachments WHERE cipher_id = $1 AND id = $2");
        let rec: Option<AttachmentRecord> = on_pool!(&self.pool, p => sqlx::query_as(&sql)
            .bind(cipher.to_string())
            .bind(attachment.as_str())
            .fetch_optional(p)
            .await)
        .map_err(db)?;
        rec.map(AttachmentRow::try_from).transpose()
    }

    async fn mark_attachment_uploaded(
        &self,
        cipher: CipherId,
        attachment: &FileId,
        owner: StorageOwner,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        const SQL: &str = "UPDATE attachments SET uploaded = TRUE WHERE cipher_id = $1 AND id = $2";
        on_pool!(&self.pool, p => {
            let mut tx = self.begin(p).await?;
            let n = sqlx::query(SQL)
                .bind(cipher.to_string())
                .bind(attachment.as_str())
                .execute(&mut *tx)
                .await
                .map_err(db)?
                .rows_affected();
            if n != 1 {
                return Ok(false);
            }
            bump_owner(&mut *tx, owner, now).await?;
            tx.commit().await.map_err(db)?;
            Ok(true)
        })
    }

    async fn delete_attachment(
        &self,
        cipher: CipherId,
        attachment: &FileId,
        owner: StorageOwner,
        events: &[EventRow],
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        const SQL: &str = "DELETE FROM attachments WHERE cipher_id = $1 AND id = $2";
        const TOUCH: &str = "UPDATE ciphers SET revision_date = $2 WHERE id = $1";
        on_pool!(&self.pool, p => {
            let mut tx = self.begin(p).await?;
            let n = sqlx::query(SQL)
                .bind(cipher.to_string())
                .bind(attachment.as_str())
                .execute(&mut *tx)
                .await
                .map_err(db)?
                .rows_affected();
            if n != 1 {
                return Ok(false);
            }
            sqlx::query(TOUCH)
                .bind(cipher.to_string())
                .bind(now.0)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
            insert_events(&mut *tx, events).await?;
            bump_owner(&mut *tx, owner, now).await?;
            tx.commit().await.map_err(db)?;
            Ok(true)
        })
    }

    async fn delete_stale_attachments(&self, before: Timestamp) -> Result<u64, StoreError> {
        const SQL: &str = "DELETE FROM attachments WHERE NOT uploaded AND creation_date < $1";
        on_pool!(&self.pool, p => sqlx::query(SQL)
            .bind(before.0)
            .execute(p)
            .await
            .map(|r| r.rows_affected()))
        .map_err(db)
    }

    async fn queued_file_deletions(
        &self,
        limit: i64,
    ) -> Result<Vec<(CipherId, FileId)>, StoreError> {
        const SQL: &str = "SELECT cipher_id, attachment_id FROM attachment_file_deletions \
            ORDER BY cipher_id, attachment_id LIMIT $1";
        let rows: Vec<(String, String)> = on_pool!(&self.pool, p => sqlx::query_as(SQL)
            .bind(limit)
            .fetch_all(p)
            .await)
        .map_err(db)?;
        rows.into_iter()
            .map(|(c, a)| {
                let a = FileId::parse(&a)
                    .ok_or_else(|| StoreError::Corrupt(format!("attachment id {a:?}")))?;
                Ok((id(&c)?, a))
            })
            .collect()
    }

    async fn forget_file_deletions(&self, done: &[(CipherId, FileId)]) -> Result<(), StoreError> {
        const SQL: &str =
            "DELETE FROM attachment_file_deletions WHERE cipher_id = $1 AND attachment_id = $2";
        on_pool!(&self.pool, p => {
            let mut tx = self.begin(p).await?;
            for (c, a) in done {
                sqlx::query(SQL)
                    .bind(c.to_string())
                    .bind(a.as_str())
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
            }
            tx.commit().await.map_err(db)
        })
    }
}
