//! Server configuration: defaults < environment (`KEYFLEET_*`) < flags. Only this module reads
//! the environment.

use std::net::SocketAddr;
use std::path::PathBuf;

/// How the server speaks to clients.
#[derive(Debug, Clone)]
pub enum TlsMode {
    /// Generate (once, under the data dir) a local CA and a certificate for localhost/127.0.0.1.
    SelfSigned,
    /// Use these PEM files.
    Files { cert: PathBuf, key: PathBuf },
    /// Plain HTTP, for use behind a TLS-terminating reverse proxy only.
    InsecureHttp,
}

/// Everything `keyfleet serve` needs.
#[derive(Debug, Clone)]
pub struct Config {
    pub bind: SocketAddr,
    pub data_dir: PathBuf,
    /// `sqlite://…` or `postgres://…`; `None` means `<data_dir>/keyfleet.sqlite3`.
    pub database_url: Option<String>,
    pub tls: TlsMode,
    /// The URL clients use to reach this server (for `/api/config`); derived from bind when unset.
    pub public_url: Option<String>,
    /// When true, `/identity/accounts/register*` answer 400.
    pub disable_registration: bool,
    /// Tests only: a clock the test can move (token expiry, throttling windows). `None` = real time.
    pub clock: Option<keyfleet_domain::ManualClock>,
}

impl Config {
    /// A configuration for tests: random port on loopback, self-signed TLS, SQLite in `data_dir`.
    pub fn for_tests(data_dir: PathBuf) -> Self {
        Config {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            data_dir,
            database_url: None,
            tls: TlsMode::SelfSigned,
            public_url: None,
            disable_registration: false,
            clock: None,
        }
    }
}
