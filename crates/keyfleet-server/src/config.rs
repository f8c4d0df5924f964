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

/// How the SMTP connection is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpSecurity {
    /// Implicit TLS (port 465).
    Tls,
    /// STARTTLS, refused if the server cannot upgrade (port 587).
    Starttls,
    /// Plain text: only for a relay on a trusted local network.
    None,
}

/// The mail server invitations go through.
#[derive(Clone)]
pub struct SmtpConfig {
    /// Host name (also checked against its TLS certificate).
    pub host: String,
    /// Port.
    pub port: u16,
    /// Protection.
    pub security: SmtpSecurity,
    /// Login, when the server wants one.
    pub username: Option<String>,
    /// Password for that login.
    pub password: Option<String>,
    /// Sender address, e.g. `Keyfleet <keyfleet@msp.example>`.
    pub from: String,
}

impl std::fmt::Debug for SmtpConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "[redacted]"))
            .field("from", &self.from)
            .finish()
    }
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
    /// Mail server for invitations; `None` hands invitation links to the inviting admin.
    pub smtp: Option<SmtpConfig>,
    /// The operator's secret for `/admin` (creating providers); `None` turns `/admin` off.
    pub admin_token: Option<String>,
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
            smtp: None,
            admin_token: None,
            clock: None,
        }
    }
}
