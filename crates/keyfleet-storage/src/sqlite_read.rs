//! SQLite reads of many rows (sync pages) and the hottest writes (an item's create and update),
//! each run as one blocking call.
//!
//! sqlx hands every SQLite row from its worker thread to the async task on its own (a channel
//! send and a wake-up each): a 10,000-item sync read that way spent most of its CPU on thread
//! hand-offs. A sync page is instead read on a blocking thread, on a read-only connection of
//! this module's own (same file, WAL: readers never wait for the writer), its statement prepared
//! once per connection, rows decoded straight into records. Connections are kept between pages;
//! at most as many pages are read at once as the main pool has connections, and a page that
//! waits longer than the pool's acquire timeout is "busy", as the pool answers.

use crate::attachments::{attach, attachment_from_sqlite, ids_json, SQLITE_ATTACHMENTS_OF};
use crate::records::CipherColumns;
use crate::vault::{Page, PageBound, PageFill, PageQuery};
use keyfleet_domain::store::CipherView;
use keyfleet_domain::StoreError;
use rusqlite::{Connection, OpenFlags};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Semaphore;

pub(crate) fn lite(e: rusqlite::Error) -> StoreError {
    StoreError::Db(Box::new(e))
}

/// Read-only connections to one SQLite database file.
#[derive(Debug)]
pub(crate) struct SqliteReads {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
    /// The read-write connection of [`SqliteReads::write`].
    writer: Mutex<Option<Connection>>,
    permits: Arc<Semaphore>,
    wait: Duration,
}

impl SqliteReads {
    /// Reads of the database at `path`, `at_once` at most, each waiting `wait` at most for its
    /// turn.
    pub(crate) fn new(path: PathBuf, at_once: usize, wait: Duration) -> Self {
        SqliteReads {
            path,
            idle: Mutex::new(Vec::new()),
            writer: Mutex::new(None),
            permits: Arc::new(Semaphore::new(at_once.max(1))),
            wait,
        }
    }

    fn connection(&self) -> Result<Connection, StoreError> {
        if let Some(c) = self.idle.lock().ok().and_then(|mut idle| idle.pop()) {
            return Ok(c);
        }
        let c = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(lite)?;
        c.busy_timeout(Duration::from_secs(10)).map_err(lite)?;
        // A small page cache of its own (1 MiB, not SQLite's 2 MiB default): the file's pages
        // are in the OS cache anyway, and these connections stay open between syncs.
        c.pragma_update(None, "cache_size", -1024).map_err(lite)?;
        Ok(c)
    }

    fn give_back(&self, c: Connection) {
        if let Ok(mut idle) = self.idle.lock() {
            idle.push(c);
        }
    }

    /// Runs a page's statement and reads its items within `bound` with their attachments,
    /// both in the one blocking call, which also runs `finish` on them.
    pub(crate) async fn cipher_page<T: Send + 'static>(
        self: &Arc<Self>,
        q: PageQuery,
        bound: PageBound,
        finish: impl FnOnce(Vec<CipherView>) -> T + Send + 'static,
    ) -> Result<Page<T>, StoreError> {
        let permit = tokio::time::timeout(self.wait, self.permits.clone().acquire_owned())
            .await
            .map_err(|_| StoreError::Busy)?
            .map_err(|_| StoreError::Busy)?;
        let reads = self.clone();
        let page = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let c = reads.connection()?;
            let page = read_page(&c, &q, bound);
            // A connection that failed is dropped rather than kept.
            if page.is_ok() {
                reads.give_back(c);
            }
            page.map(|page| page.finish(finish))
        })
        .await;
        page.map_err(|e| StoreError::Db(Box::new(e)))?
    }
}

/// WAL pages at which a committing connection checkpoints the WAL itself (SQLite's
/// `wal_autocheckpoint`, 1,000 by default): only a backstop, the checkpointer thread
/// ([`SqliteReads::start_checkpoints`]) keeps the WAL far below it.
pub(crate) const WAL_BACKSTOP_PAGES: u32 = 4096;

/// How often the checkpointer looks at the WAL while it does not change; while it grows, it
/// looks again after [`CHECKPOINT_SOON`] (a stream of writes fills the WAL's first 1,000
/// frames in 50 ms).
const CHECKPOINT_EVERY: Duration = Duration::from_millis(100);
const CHECKPOINT_SOON: Duration = Duration::from_millis(10);

/// WAL frames from which the checkpointer starts the WAL over (see
/// [`SqliteReads::start_checkpoints`]): 16 MiB at 16 KiB pages.
const RESTART_FROM: i64 = 1024;

impl SqliteReads {
    /// Checkpoints the WAL on a thread of its own, every [`CHECKPOINT_EVERY`] or
    /// [`CHECKPOINT_SOON`] while it grows, until these reads are dropped. A checkpoint copies the WAL's pages into the database file and syncs
    /// it: left to SQLite's automatic checkpoint, that work fell on whichever write committed
    /// the 1,000th page, and made the writes' p99. It changes nothing of durability: a commit
    /// is in the WAL either way.
    ///
    /// The checkpoint is `PASSIVE`: it never waits for, nor blocks, readers and writers. But
    /// the WAL only starts over from its beginning once every frame of it is in the database
    /// file, and a checkpoint beside writes that never pause always leaves the frames written
    /// while it copied. Under a steady stream of writes the WAL then grew to the backstop,
    /// where the committing write copied all of it itself: 25–50 ms, several times a second,
    /// the creates' p99 at 8 clients. So once the WAL is past [`RESTART_FROM`] frames, the
    /// checkpointer copies what is left holding `turn` (the process's write turn, which item
    /// writes and every transaction hold): only the frames written during its own pass, a few
    /// milliseconds, and the next write starts the WAL over. (A lone statement written
    /// outside the turn may still leave a frame behind; the WAL then starts over at a later
    /// pass.)
    pub(crate) fn start_checkpoints(self: &Arc<Self>, turn: Arc<tokio::sync::Mutex<()>>) {
        let reads = Arc::downgrade(self);
        let path = self.path.clone();
        let spawned = std::thread::Builder::new()
            .name("sqlite-checkpoint".into())
            .spawn(move || {
                let mut conn: Option<Connection> = None;
                let (mut frames, mut before) = (0, 0);
                loop {
                    std::thread::sleep(if frames != before {
                        CHECKPOINT_SOON
                    } else {
                        CHECKPOINT_EVERY
                    });
                    // Until the store, and these reads with it, are dropped.
                    if reads.strong_count() == 0 {
                        return;
                    }
                    let c = match conn.take() {
                        Some(c) => c,
                        None => match open_read_write(&path) {
                            Ok(c) => c,
                            Err(e) => {
                                tracing::warn!(error = %e, "cannot open the WAL checkpointer's connection");
                                continue;
                            }
                        },
                    };
                    let done = pass(&c, &turn);
                    // A failed checkpoint drops its connection; the backstop still bounds the WAL.
                    before = frames;
                    frames = match done {
                        Ok(found) => {
                            conn = Some(c);
                            found
                        }
                        Err(e) => {
                            tracing::warn!(error = %e, "WAL checkpoint failed");
                            0
                        }
                    };
                }
            });
        if let Err(e) = spawned {
            tracing::warn!(error = %e, "cannot start the WAL checkpointer");
        }
    }

    /// Runs `work` as one write transaction (`BEGIN IMMEDIATE` … `COMMIT`) in one blocking
    /// call on a read-write connection of this module's own: the hottest writes (an item's
    /// create and update) cost one hand-off to a thread instead of one per statement. The
    /// caller holds the process's write turn (`SqlStore::write_turn`), as every writer does;
    /// an error rolls the transaction back.
    pub(crate) async fn write<T: Send + 'static>(
        self: &Arc<Self>,
        work: impl FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let this = self.clone();
        let done = tokio::task::spawn_blocking(move || {
            let mut slot = this
                .writer
                .lock()
                .map_err(|_| StoreError::Corrupt("the write connection was poisoned".into()))?;
            let mut c = match slot.take() {
                Some(c) => c,
                None => {
                    let c = open_read_write(&this.path).map_err(lite)?;
                    c.busy_timeout(Duration::from_secs(10)).map_err(lite)?;
                    // As the pool's connections: foreign keys on, the WAL checkpointed by the
                    // checkpointer thread.
                    c.pragma_update(None, "foreign_keys", "ON").map_err(lite)?;
                    c.pragma_update(None, "cache_size", -1024).map_err(lite)?;
                    c.pragma_update(None, "wal_autocheckpoint", WAL_BACKSTOP_PAGES)
                        .map_err(lite)?;
                    c
                }
            };
            let out = (|| {
                let tx = c
                    .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
                    .map_err(lite)?;
                let out = work(&tx)?;
                tx.commit().map_err(lite)?;
                Ok(out)
            })();
            *slot = Some(c);
            out
        })
        .await;
        done.map_err(|e| StoreError::Db(Box::new(e)))?
    }
}

/// One pass of the checkpointer ([`SqliteReads::start_checkpoints`]): a checkpoint beside the
/// writes, then, past [`RESTART_FROM`] frames, one holding `turn`, which copies what was
/// written during the first, so that the next write starts the WAL over. Answers the WAL's
/// frames as the pass began (-1 when another checkpoint was running).
fn pass(c: &Connection, turn: &tokio::sync::Mutex<()>) -> Result<i64, rusqlite::Error> {
    let found = checkpoint(c)?;
    if found >= RESTART_FROM {
        let _turn = turn.blocking_lock();
        checkpoint(c)?;
    }
    Ok(found)
}

/// A `PASSIVE` checkpoint: answers the WAL's frames as it began (-1 when another checkpoint
/// was running).
fn checkpoint(c: &Connection) -> Result<i64, rusqlite::Error> {
    c.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |row| row.get(1))
}

/// A read-write connection (the writer's, the checkpointer's), syncing as the pool's
/// connections do (`synchronous=NORMAL`, WAL).
fn open_read_write(path: &std::path::Path) -> Result<Connection, rusqlite::Error> {
    let c = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    c.pragma_update(None, "synchronous", "NORMAL")?;
    Ok(c)
}

/// Runs one statement written with `$1`, `$2`, … placeholders; answers the rows it changed.
pub(crate) fn execute(
    c: &Connection,
    sql: &str,
    args: &[&dyn rusqlite::ToSql],
) -> Result<usize, StoreError> {
    let mut stmt = c.prepare_cached(sql).map_err(lite)?;
    bind_numbered(&mut stmt, args)?;
    stmt.raw_execute().map_err(written)
}

/// A write's error: a unique key taken is a conflict, as the pool's errors say.
fn written(e: rusqlite::Error) -> StoreError {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::ConstraintViolation)
            if matches!(
                &e,
                rusqlite::Error::SqliteFailure(f, _)
                    if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                        || f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY
            ) =>
        {
            StoreError::Conflict
        }
        _ => lite(e),
    }
}

fn read_page(c: &Connection, q: &PageQuery, bound: PageBound) -> Result<PageFill, StoreError> {
    let mut stmt = c.prepare_cached(q.sql).map_err(lite)?;
    let limit = bound.rows as i64;
    let orgs = q.org_ids();
    let mut args: Vec<&dyn rusqlite::ToSql> = vec![&q.user, &q.after, &limit];
    args.extend(orgs.iter().map(|o| o as &dyn rusqlite::ToSql));
    bind_numbered(&mut stmt, &args)?;
    let cols = CipherColumns::of(&stmt, q.own_items_of.is_some()).map_err(lite)?;
    let mut page = q.fill(bound);
    let mut rows = stmt.raw_query();
    while let Some(row) = rows.next().map_err(lite)? {
        if page.take(cols.view(row)?)? {
            break;
        }
    }
    drop(rows);
    if page.views.is_empty() {
        return Ok(page);
    }
    let ids = ids_json(&page.views);
    let mut stmt = c.prepare_cached(SQLITE_ATTACHMENTS_OF).map_err(lite)?;
    let found = stmt
        .query_map([&ids], attachment_from_sqlite)
        .map_err(lite)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(lite)?;
    attach(&mut page.views, found);
    Ok(page)
}

/// Binds `args` to a statement written with `$1`, `$2`, … placeholders (as every statement
/// here is, for both databases): SQLite numbers parameters by first appearance, so each is bound
/// by the number in its name.
fn bind_numbered(
    stmt: &mut rusqlite::Statement<'_>,
    args: &[&dyn rusqlite::ToSql],
) -> Result<(), StoreError> {
    for index in 1..=stmt.parameter_count() {
        let number = stmt
            .parameter_name(index)
            .and_then(|name| name.strip_prefix('$'))
            .and_then(|n| n.parse::<usize>().ok())
            .filter(|n| (1..=args.len()).contains(n))
            .ok_or_else(|| StoreError::Corrupt(format!("unbound parameter {index}")))?;
        stmt.raw_bind_parameter(index, args[number - 1])
            .map_err(lite)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

    /// A pass over a WAL past [`RESTART_FROM`] frames, beside a writer that never pauses (each
    /// write in the turn, as the store's are), leaves nothing of it to copy: the next write
    /// starts the WAL over. A checkpoint beside the writes alone always left the frames written
    /// while it copied, and the WAL grew to the backstop.
    #[test]
    fn a_pass_beside_steady_writes_lets_the_next_write_start_the_wal_over() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.sqlite3");
        drop(Connection::open(&path).unwrap());
        let open = || {
            let c = open_read_write(&path).unwrap();
            c.busy_timeout(Duration::from_secs(10)).unwrap();
            // No backstop here: only the pass checkpoints.
            c.pragma_update(None, "wal_autocheckpoint", 0).unwrap();
            c
        };
        let first = open();
        first
            .execute_batch(
                "PRAGMA journal_mode = WAL; CREATE TABLE t (x BLOB);
                 WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1500)
                 INSERT INTO t SELECT randomblob(3000) FROM n;",
            )
            .unwrap();
        let turn = Arc::new(tokio::sync::Mutex::new(()));
        let (stop, written) = (
            Arc::new(AtomicBool::new(false)),
            Arc::new(AtomicUsize::new(0)),
        );
        let writer = {
            let (turn, stop, written, w) = (turn.clone(), stop.clone(), written.clone(), open());
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let _turn = turn.blocking_lock();
                    w.execute("INSERT INTO t VALUES (randomblob(3000))", [])
                        .unwrap();
                    written.fetch_add(1, Ordering::Relaxed);
                }
            })
        };
        while written.load(Ordering::Relaxed) < 10 {
            std::thread::yield_now();
        }
        let checkpointer = open();
        // A connection checkpoints only once it has read the database (and found it in WAL).
        checkpointer
            .query_row("SELECT count(*) FROM t", [], |r| r.get::<_, i64>(0))
            .unwrap();
        let found = pass(&checkpointer, &turn).unwrap();
        assert!(found >= RESTART_FROM, "the WAL held {found} frames");
        // The next write after the pass (the writer's, or this one, in the turn) started the
        // WAL over: it holds that write's frames, not the thousands before.
        let held = turn.blocking_lock();
        stop.store(true, Ordering::Relaxed);
        first
            .execute("INSERT INTO t VALUES (randomblob(3000))", [])
            .unwrap();
        let left = checkpoint(&checkpointer).unwrap();
        assert!(left < 100, "the WAL went on from {left} frames");
        drop(held);
        writer.join().unwrap();
    }
}
