//! keyfleet-storage: the one implementation of the domain's `Store` trait, for SQLite and
//! PostgreSQL. Each method is written once; `on_pool!` runs its body on whichever driver is live,
//! so the body is type-checked against both. Statements shared by several writes (audit events,
//! revision bumps, row inserts) are plain `async fn`s over `conn::Conn`, called inside a
//! transaction as `helper(&mut *tx, …).await?`: one function, checked for both drivers, with
//! its `?` at the call. Migrations for both backends live side by side with the same version
//! numbers. This crate is the only one that names sqlx.

mod attachments;
mod audit;
mod auth_requests;
mod codes;
mod collections;
mod conn;
mod emergency_access;
pub mod files;
mod imports;
mod key_rotation;
mod org_items;
mod org_records;
mod orgs;
mod provider_clients;
mod provider_records;
mod providers;
mod records;
pub mod relay;
mod rows;
mod sends;
mod sqlite_read;
mod throttles;
mod two_factor;
mod users;
mod vault;

pub use vault::SYNC_PAGE_BYTES;

use keyfleet_domain::StoreError;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

/// How long a PostgreSQL connection may sit idle in the pool before it is pinged before use:
/// under load none is, and after a lull (or a restarted database) each one is checked once.
const PING_IDLE_AFTER: Duration = Duration::from_secs(1);

/// The page size of a new SQLite database (an existing one keeps its own: WAL cannot change
/// it): 16 KiB, against SQLite's default 4 KiB, so a sync reads a quarter as many pages, each
/// one read call and one page-cache entry (8% of a 10,000-item sync's CPU).
const SQLITE_PAGE_SIZE: u32 = 16 * 1024;

/// A live connection pool on one of the two supported backends.
#[derive(Debug, Clone)]
pub enum Pool {
    /// SQLite (default; a file under the data directory).
    Sqlite(sqlx::SqlitePool),
    /// PostgreSQL.
    Postgres(sqlx::PgPool),
}

/// Runs one body against the live driver; the body is type-checked for both. The one macro
/// left: it is a dispatch (a `match` with the same arm twice, which no function can express,
/// since the body is generic over the driver), and it hides no control flow — a `?` or `return`
/// in the body is the body's own.
macro_rules! on_pool {
    ($pool:expr, $p:ident => $body:expr) => {
        match $pool {
            $crate::Pool::Sqlite($p) => $body,
            $crate::Pool::Postgres($p) => $body,
        }
    };
}
pub(crate) use on_pool;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// Which backend a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// `sqlite:` URLs.
    Sqlite,
    /// `postgres:` / `postgresql:` URLs.
    Postgres,
}

impl Backend {
    /// Picks the backend from a database URL.
    pub fn of_url(url: &str) -> Option<Backend> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }
}

/// Maps a driver error to the domain's storage error.
pub(crate) fn db(e: sqlx::Error) -> StoreError {
    if matches!(e, sqlx::Error::PoolTimedOut) {
        return StoreError::Busy;
    }
    if e.as_database_error()
        .is_some_and(|d| d.is_unique_violation())
    {
        return StoreError::Conflict;
    }
    StoreError::Db(Box::new(e))
}

/// Why storage could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// Neither `sqlite:` nor `postgres:`.
    #[error("unsupported database URL (use sqlite:… or postgres://…)")]
    UnsupportedUrl,
    /// Could not connect.
    #[error("could not connect to the database: {0}")]
    Connect(#[source] sqlx::Error),
    /// Migrations failed, or the database was written by a newer Keyfleet.
    #[error("could not migrate the database: {0}")]
    Migrate(#[source] sqlx::migrate::MigrateError),
    /// Bringing data written by an older Keyfleet up to date failed.
    #[error("could not upgrade stored data: {0}")]
    Upgrade(#[source] StoreError),
}

/// The SQL-backed `Store`.
#[derive(Debug, Clone)]
pub struct SqlStore {
    pool: Pool,
    /// SQLite: whose turn it is to write ([`SqlStore::begin`]).
    writer: Arc<tokio::sync::Mutex<()>>,
    /// How long a write waits for its turn (the pool's acquire timeout) before it is "busy".
    write_wait: Duration,
    /// SQLite on a file: sync pages read in one blocking call each (`sqlite_read`).
    sqlite_reads: Option<Arc<sqlite_read::SqliteReads>>,
}

/// A write transaction ([`SqlStore::begin`]): the transaction, and on SQLite this store's turn at
/// the database's one write lock. It dereferences to the connection, as a transaction does.
pub(crate) struct WriteTx<DB: sqlx::Database> {
    tx: sqlx::Transaction<'static, DB>,
    _turn: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl<DB: sqlx::Database> WriteTx<DB> {
    pub(crate) async fn commit(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await
    }
}

impl<DB: sqlx::Database> std::ops::Deref for WriteTx<DB> {
    type Target = DB::Connection;
    fn deref(&self) -> &DB::Connection {
        &self.tx
    }
}

impl<DB: sqlx::Database> std::ops::DerefMut for WriteTx<DB> {
    fn deref_mut(&mut self) -> &mut DB::Connection {
        &mut self.tx
    }
}

/// How many database connections the store keeps and how long a request waits for one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolSettings {
    /// Most open connections; `None`: 8 on SQLite (one writer at a time anyway), 16 on
    /// PostgreSQL.
    pub max_connections: Option<u32>,
    /// How long a request waits for a free connection before it is answered "busy" (503)
    /// instead of piling up.
    pub acquire_timeout: Duration,
}

impl Default for PoolSettings {
    fn default() -> Self {
        PoolSettings {
            max_connections: None,
            acquire_timeout: Duration::from_secs(5),
        }
    }
}

impl SqlStore {
    /// Begins a write transaction. On SQLite, writers first queue here, in the process, for the
    /// database's one write lock: first come, first served, and woken the moment the writer
    /// before them commits. Left to SQLite, a writer that finds the lock taken sleeps in the busy
    /// handler (1, 2, 5, 10 … 100 ms between tries), which made the long tail of write latency;
    /// and a transaction that read before writing could fail outright when another committed
    /// in between. Waiting longer than the pool's acquire timeout answers "busy", as a pool
    /// does. PostgreSQL writers go straight to the database (row locks, no queue).
    pub(crate) async fn begin<DB: sqlx::Database>(
        &self,
        p: &sqlx::Pool<DB>,
    ) -> Result<WriteTx<DB>, StoreError> {
        let turn = if matches!(self.pool, Pool::Sqlite(_)) {
            Some(self.write_turn().await?)
        } else {
            None
        };
        let tx = p.begin().await.map_err(db)?;
        Ok(WriteTx { tx, _turn: turn })
    }

    /// This process's turn to write to SQLite (see [`SqlStore::begin`]); also taken by the
    /// writes `sqlite_read` runs in one blocking call.
    pub(crate) async fn write_turn(&self) -> Result<tokio::sync::OwnedMutexGuard<()>, StoreError> {
        tokio::time::timeout(self.write_wait, self.writer.clone().lock_owned())
            .await
            .map_err(|_| StoreError::Busy)
    }

    /// [`SqlStore::open_with`] the default pool settings.
    pub async fn open(url: &str) -> Result<Self, OpenError> {
        Self::open_with(url, PoolSettings::default()).await
    }

    /// Connects and applies pending migrations. A database whose schema is newer than this
    /// binary is refused (sqlx reports the applied-but-unknown version) rather than misread.
    pub async fn open_with(url: &str, settings: PoolSettings) -> Result<Self, OpenError> {
        let mut sqlite_reads = None;
        let writer = Arc::new(tokio::sync::Mutex::new(()));
        let pool = match Backend::of_url(url).ok_or(OpenError::UnsupportedUrl)? {
            Backend::Sqlite => {
                let options = SqliteConnectOptions::from_str(url)
                    .map_err(OpenError::Connect)?
                    .create_if_missing(true)
                    .page_size(SQLITE_PAGE_SIZE)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    // Checkpoints are the checkpointer thread's (`sqlite_read`), not a write's.
                    .pragma(
                        "wal_autocheckpoint",
                        sqlite_read::WAL_BACKSTOP_PAGES.to_string(),
                    )
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(10));
                let path = options.get_filename().to_path_buf();
                let max_connections = settings.max_connections.unwrap_or(8);
                // sqlx names an in-memory database (`sqlite::memory:`, `mode=memory`) by a
                // `file:` URI of its own, which the direct reader and writer cannot open.
                let in_memory = path.as_os_str().is_empty()
                    || url.contains(":memory:")
                    || url.contains("mode=memory");
                sqlite_reads = (!in_memory).then(|| {
                    Arc::new(sqlite_read::SqliteReads::new(
                        path,
                        max_connections as usize,
                        settings.acquire_timeout,
                    ))
                });
                // No ping before each use: a connection to a file does not go stale, and
                // sqlx's ping is one more hand-off to its worker thread per request.
                let pool = SqlitePoolOptions::new()
                    .test_before_acquire(false)
                    .max_connections(max_connections)
                    .acquire_timeout(settings.acquire_timeout)
                    .connect_with(options)
                    .await
                    .map_err(OpenError::Connect)?;
                SQLITE_MIGRATIONS
                    .run(&pool)
                    .await
                    .map_err(OpenError::Migrate)?;
                if let Some(reads) = &sqlite_reads {
                    reads.start_checkpoints(writer.clone());
                }
                Pool::Sqlite(pool)
            }
            Backend::Postgres => {
                let options = PgConnectOptions::from_str(url).map_err(OpenError::Connect)?;
                // No ping before each use (sqlx's default): a round trip to the database
                // before every statement, on every request's path. Only a connection idle for a
                // moment (which a restarted database or a firewall's idle timeout may have
                // dropped) is checked first; a broken one is replaced, not handed out.
                // (sqlx still checks each connection as it comes back, off the request's path.)
                let pool = PgPoolOptions::new()
                    .test_before_acquire(false)
                    .before_acquire(|conn, meta| {
                        Box::pin(async move {
                            if meta.idle_for >= PING_IDLE_AFTER {
                                sqlx::Connection::ping(conn).await?;
                            }
                            Ok(true)
                        })
                    })
                    .max_connections(settings.max_connections.unwrap_or(16))
                    .acquire_timeout(settings.acquire_timeout)
                    .connect_with(options)
                    .await
                    .map_err(OpenError::Connect)?;
                POSTGRES_MIGRATIONS
                    .run(&pool)
                    .await
                    .map_err(OpenError::Migrate)?;
                Pool::Postgres(pool)
            }
        };
        let store = SqlStore {
            pool,
            writer,
            write_wait: settings.acquire_timeout,
            sqlite_reads,
        };
        store
            .digest_clear_api_keys()
            .await
            .map_err(OpenError::Upgrade)?;
        Ok(store)
    }

    /// Keyfleet before stop 9 stored API keys in clear; they are replaced by their digests
    /// (the keys keep working, they can no longer be shown). Idempotent; a no-op once done.
    async fn digest_clear_api_keys(&self) -> Result<(), StoreError> {
        use keyfleet_domain::identity::tokens::{api_key_digest, API_KEY_DIGEST_PREFIX};
        for table in ["users", "organizations"] {
            let select = format!(
                "SELECT id, api_key FROM {table} WHERE api_key <> '' AND api_key NOT LIKE $1"
            );
            let update = format!("UPDATE {table} SET api_key = $2 WHERE id = $1 AND api_key = $3");
            let pattern = format!("{API_KEY_DIGEST_PREFIX}%");
            on_pool!(&self.pool, p => {
                let clear: Vec<(String, String)> = sqlx::query_as(&select)
                    .bind(&pattern)
                    .fetch_all(p)
                    .await
                    .map_err(db)?;
                for (id, key) in clear {
                    sqlx::query(&update)
                        .bind(&id)
                        .bind(api_key_digest(&key))
                        .bind(&key)
                        .execute(p)
                        .await
                        .map_err(db)?;
                }
                Ok::<_, StoreError>(())
            })?;
        }
        Ok(())
    }

    /// Which backend is live.
    pub(crate) fn backend(&self) -> Backend {
        match self.pool {
            Pool::Sqlite(_) => Backend::Sqlite,
            Pool::Postgres(_) => Backend::Postgres,
        }
    }

    /// The pool (for tests and tools).
    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    /// Closes every connection.
    pub async fn close(&self) {
        on_pool!(&self.pool, p => p.close().await)
    }

    /// A consistent copy of a SQLite database into the new file `out`, taken online
    /// (`VACUUM INTO`: readers and writers go on meanwhile; the copy is one snapshot). PostgreSQL
    /// is backed up with its own tools (`pg_dump`).
    pub async fn backup_sqlite(&self, out: &std::path::Path) -> Result<(), StoreError> {
        let Pool::Sqlite(p) = &self.pool else {
            return Err(StoreError::Db(
                "PostgreSQL is backed up with pg_dump, not by Keyfleet".into(),
            ));
        };
        let out = out
            .to_str()
            .ok_or_else(|| StoreError::Db("the backup path is not UTF-8".into()))?;
        sqlx::query("VACUUM INTO $1")
            .bind(out)
            .execute(p)
            .await
            .map_err(db)?;
        Ok(())
    }

    /// The database's own consistency check: SQLite's `PRAGMA integrity_check` ("ok" when
    /// sound); on PostgreSQL, which checks pages itself, that every table reads.
    pub async fn integrity_check(&self) -> Result<String, StoreError> {
        match &self.pool {
            Pool::Sqlite(p) => {
                let rows: Vec<(String,)> = sqlx::query_as("PRAGMA integrity_check")
                    .fetch_all(p)
                    .await
                    .map_err(db)?;
                Ok(rows
                    .into_iter()
                    .map(|(r,)| r)
                    .collect::<Vec<_>>()
                    .join("; "))
            }
            Pool::Postgres(p) => {
                let tables: Vec<(String,)> = sqlx::query_as(
                    "SELECT tablename::text FROM pg_tables WHERE schemaname = 'public'",
                )
                .fetch_all(p)
                .await
                .map_err(db)?;
                for (t,) in tables {
                    sqlx::query(&format!("SELECT count(*) FROM \"{t}\""))
                        .execute(p)
                        .await
                        .map_err(db)?;
                }
                Ok("ok".into())
            }
        }
    }
}

/// `$from, $from+1, …` placeholders for an `IN (…)` list of `n` values.
pub(crate) fn placeholders(from: usize, n: usize) -> String {
    (from..from + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_backends_have_the_same_migration_versions() {
        let versions =
            |m: &sqlx::migrate::Migrator| m.iter().map(|x| x.version).collect::<Vec<_>>();
        assert_eq!(versions(&SQLITE_MIGRATIONS), versions(&POSTGRES_MIGRATIONS));
        assert!(!versions(&SQLITE_MIGRATIONS).is_empty());
    }

    /// A new database file is made with 16 KiB pages; one made before (4 KiB, WAL) opens,
    /// migrates and keeps its page size (WAL cannot change it).
    #[tokio::test]
    async fn a_new_sqlite_file_has_16_kib_pages_and_an_existing_one_keeps_its_own() {
        use keyfleet_domain::store::AccountStore;
        let dir = tempfile::tempdir().unwrap();
        let page_size = |p: &std::path::Path| -> i64 {
            rusqlite::Connection::open(p)
                .unwrap()
                .query_row("PRAGMA page_size", [], |r| r.get(0))
                .unwrap()
        };
        let new = dir.path().join("new.sqlite3");
        let store = SqlStore::open(&format!("sqlite://{}", new.display()))
            .await
            .unwrap();
        assert_eq!(page_size(&new), 16 * 1024);
        drop(store);

        let old = dir.path().join("old.sqlite3");
        rusqlite::Connection::open(&old)
            .unwrap()
            .execute_batch("PRAGMA page_size = 4096; PRAGMA journal_mode = WAL; CREATE TABLE t (x)")
            .unwrap();
        let store = SqlStore::open(&format!("sqlite://{}", old.display()))
            .await
            .unwrap();
        assert_eq!(page_size(&old), 4096);
        let found = store.user_by_email("nobody@example.test").await.unwrap();
        assert!(found.is_none());
    }

    /// Committed writes reach the database file itself (read here ignoring the WAL, as
    /// `immutable=1` does) through the checkpointer thread: no write checkpoints below the
    /// backstop, which these few pages are far from.
    #[tokio::test]
    async fn the_checkpointer_moves_committed_writes_into_the_database_file() {
        use keyfleet_domain::store::AccountStore;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.sqlite3");
        let store = SqlStore::open(&format!("sqlite://{}", path.display()))
            .await
            .unwrap();
        store
            .insert_user(&user_row("wal@example.test"))
            .await
            .unwrap();
        let in_file = || -> i64 {
            let c = rusqlite::Connection::open_with_flags(
                format!("file:{}?immutable=1", path.display()),
                rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_URI,
            )
            .unwrap();
            c.query_row(
                "SELECT count(*) FROM users WHERE email = 'wal@example.test'",
                [],
                |r| r.get(0),
            )
            .unwrap_or(0)
        };
        let mut waited = 0;
        while in_file() == 0 {
            assert!(waited < 100, "the write never reached the database file");
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            waited += 1;
        }
        drop(store);
    }

    /// A user's row, as an account's registration writes it.
    fn user_row(email: &str) -> keyfleet_domain::store::UserRow {
        keyfleet_domain::store::UserRow {
            id: keyfleet_domain::ids::UserId::new(),
            email: email.into(),
            name: None,
            password_hash: "$argon2id$x".into(),
            password_hint: None,
            kdf: keyfleet_domain::store::KdfParams {
                kdf_type: 0,
                iterations: 600_000,
                memory: None,
                parallelism: None,
            },
            key: "2.a|b|c".into(),
            public_key: None,
            private_key: None,
            security_stamp: "s".into(),
            user_key_id: None,
            api_key_digest: String::new(),
            culture: "en-US".into(),
            force_password_reset: false,
            creation_date: keyfleet_domain::Timestamp(1),
            revision_date: keyfleet_domain::Timestamp(1),
        }
    }

    #[test]
    fn placeholders_are_numbered_from_the_given_index() {
        assert_eq!(placeholders(3, 3), "$3, $4, $5");
        assert_eq!(placeholders(1, 0), "");
    }
}
