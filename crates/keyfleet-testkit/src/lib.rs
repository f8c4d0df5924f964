//! keyfleet-testkit (dev-dependency only): start the real server over TLS on SQLite or on a
//! throwaway PostgreSQL cluster, and drive the pinned official `bw` CLI against it; start moto's
//! S3-compatible server for the S3 file backend.
//!
//! Every test gets its own data directory or its own PostgreSQL database; no fixed ports, no
//! shared state between tests.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::disallowed_methods)]

mod bw;
mod moto;
mod postgres;
mod signalr;
mod smtp;

pub use bw::{encode, Bw, BwOutput};
pub use moto::{MotoServer, MOTO_ACCESS_KEY_ID, MOTO_SECRET_ACCESS_KEY};
pub use postgres::{durable as pg_durable, pg_tool, PgDatabase};
pub use signalr::{HubConnect, HubListener, HubProtocol, TokenIn};
pub use smtp::{ReceivedMail, SmtpSink};

use keyfleet_server::{Config, RunningServer};
use std::path::PathBuf;
use tempfile::TempDir;

/// A storage backend under test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// A fresh SQLite file.
    Sqlite,
    /// A fresh database in the throwaway cluster.
    Postgres,
}

/// The backends this machine can test: SQLite always, PostgreSQL when its server binaries exist.
/// With `KEYFLEET_REQUIRE_POSTGRES=1` (CI) missing binaries are a failure, not a silent skip.
pub fn backends() -> Vec<Backend> {
    if postgres::bin_dir().is_some() {
        return vec![Backend::Sqlite, Backend::Postgres];
    }
    if std::env::var("KEYFLEET_REQUIRE_POSTGRES").is_ok_and(|v| v == "1") {
        panic!("KEYFLEET_REQUIRE_POSTGRES=1 but no PostgreSQL server binaries were found (install postgresql, or set KEYFLEET_PG_BIN)");
    }
    eprintln!("note: PostgreSQL binaries not found; testing SQLite only");
    vec![Backend::Sqlite]
}

/// Debian's Chromium and Playwright's command line (from `console/node_modules`) for the web
/// console's browser stories, or `None` after saying why they are skipped. With
/// `KEYFLEET_REQUIRE_BROWSER=1` (CI) a missing piece is a failure, not a skip. `CHROMIUM_PATH`
/// overrides `/usr/bin/chromium`.
pub fn browser(console_dir: &std::path::Path) -> Option<(PathBuf, PathBuf)> {
    let chromium = std::env::var_os("CHROMIUM_PATH")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    let playwright = console_dir.join("node_modules/@playwright/test/cli.js");
    let missing = if !chromium.exists() {
        format!(
            "no Chromium at {} (apt-get install chromium, or set CHROMIUM_PATH)",
            chromium.display()
        )
    } else if !playwright.exists() {
        "the console's npm packages are not installed (scripts/install-console)".to_string()
    } else {
        return Some((chromium, playwright));
    };
    if std::env::var("KEYFLEET_REQUIRE_BROWSER").is_ok_and(|v| v == "1") {
        panic!("KEYFLEET_REQUIRE_BROWSER=1 but {missing}");
    }
    eprintln!("note: skipping the console's browser stories: {missing}");
    None
}

/// Keeps a test database alive; dropping it removes the database.
pub enum DbGuard {
    /// The directory holding the SQLite file.
    Sqlite(TempDir),
    /// A database in the shared cluster.
    Postgres(PgDatabase),
    /// Another server's database (that server keeps it).
    Shared,
}

/// A fresh, empty database URL for `backend`.
pub async fn fresh_database_url(backend: Backend) -> (String, DbGuard) {
    match backend {
        Backend::Sqlite => {
            let dir = tempfile::tempdir().unwrap();
            let url = format!("sqlite://{}", dir.path().join("test.sqlite3").display());
            (url, DbGuard::Sqlite(dir))
        }
        Backend::Postgres => {
            let db = tokio::task::spawn_blocking(PgDatabase::create)
                .await
                .unwrap();
            (db.url.clone(), DbGuard::Postgres(db))
        }
    }
}

/// The real server, started in this process over TLS with a throwaway CA.
pub struct TestServer {
    /// The running server.
    pub server: RunningServer,
    /// `https://127.0.0.1:PORT` (`https://localhost:PORT` for browser tests).
    pub base_url: String,
    /// The CA that signed the server's certificate.
    pub ca_pem: PathBuf,
    /// Which backend it stores into.
    pub backend: Backend,
    /// Its database.
    pub database_url: String,
    _db: DbGuard,
    _data: TempDir,
}

/// The operator admin token every test server is started with.
pub const TEST_ADMIN_TOKEN: &str = "test-operator-admin-token-0123456789";

/// Starts a server on a random loopback port with a fresh database.
pub async fn spawn_server(backend: Backend) -> TestServer {
    spawn_server_with(backend, |_| {}).await
}

/// A server whose clock the test moves, started in the middle of a 30 s step (so "now" and
/// "now + 30 s" are distinct authenticator steps).
pub async fn spawn_server_with_clock(
    backend: Backend,
) -> (TestServer, keyfleet_domain::ManualClock) {
    use keyfleet_domain::{Clock, ManualClock, SystemClock, Timestamp};
    let now = SystemClock.now();
    let clock = ManualClock::new(Timestamp(now.0 - now.0.rem_euclid(30_000) + 15_000));
    let moved = clock.clone();
    (
        spawn_server_with(backend, |c| c.clock = Some(moved)).await,
        clock,
    )
}

/// Like [`spawn_server`], letting the test adjust the configuration first.
pub async fn spawn_server_with(backend: Backend, adjust: impl FnOnce(&mut Config)) -> TestServer {
    let data = tempfile::tempdir().unwrap();
    let (url, db) = fresh_database_url(backend).await;
    let mut config = Config::for_tests(data.path().to_path_buf());
    config.database_url = Some(url.clone());
    config.admin_token = Some(TEST_ADMIN_TOKEN.to_string());
    adjust(&mut config);
    let server = keyfleet_server::start(config)
        .await
        .unwrap_or_else(|e| panic!("server did not start on {backend:?}: {e}"));
    TestServer {
        base_url: server.base_url.clone(),
        ca_pem: server.ca_cert_path.clone().expect("self-signed CA"),
        server,
        backend,
        database_url: url,
        _db: db,
        _data: data,
    }
}

/// Another instance on `first`'s database and with its public URL (several instances behind a
/// load balancer share one PostgreSQL and one address: tokens name that address as their
/// issuer): its own listening address, data directory and certificate. Stop it before `first`.
pub async fn spawn_instance_sharing(first: &TestServer) -> TestServer {
    let data = tempfile::tempdir().unwrap();
    let mut config = Config::for_tests(data.path().to_path_buf());
    config.database_url = Some(first.database_url.clone());
    config.public_url = Some(first.base_url.clone());
    config.admin_token = Some(TEST_ADMIN_TOKEN.to_string());
    let server = keyfleet_server::start(config)
        .await
        .unwrap_or_else(|e| panic!("a second instance did not start: {e}"));
    TestServer {
        base_url: server.base_url.clone(),
        ca_pem: server.ca_cert_path.clone().expect("self-signed CA"),
        server,
        backend: first.backend,
        database_url: first.database_url.clone(),
        _db: DbGuard::Shared,
        _data: data,
    }
}

/// Starts a server whose URL names `localhost` (`https://localhost:PORT`) instead of the
/// loopback address: a browser's WebAuthn needs a host name for its relying party.
pub async fn spawn_server_for_browser(backend: Backend) -> TestServer {
    spawn_server_with(backend, |c| c.public_host = Some("localhost".into())).await
}

impl TestServer {
    /// The server's data directory (its stored files are under `files/`).
    pub fn data_dir(&self) -> &std::path::Path {
        self._data.path()
    }

    /// Stops the server and closes its database before the database is dropped.
    pub async fn stop(self) {
        let TestServer {
            server, _db, _data, ..
        } = self;
        server.shutdown().await;
        drop(_db);
    }
}

/// The workspace root (for `.tools/`).
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// What an authenticator app shows for a Base32 `secret` at `unix_secs` (RFC 6238, SHA-1, 6 digits, 30 s).
pub fn totp_code(secret_b32: &str, unix_secs: i64) -> String {
    let secret = data_encoding::BASE32_NOPAD
        .decode(secret_b32.trim_end_matches('=').as_bytes())
        .unwrap();
    let totp = totp_rs::Builder::new()
        .with_algorithm(totp_rs::Algorithm::SHA1)
        .with_digits(6)
        .with_step_duration(30)
        .with_secret(secret)
        .build()
        .unwrap();
    totp.generate(u64::try_from(unix_secs).unwrap()).to_string()
}
