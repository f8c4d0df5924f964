//! Server configuration: defaults < environment (`KEYFLEET_*`) < flags. Only this module reads
//! the environment.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

pub use keyfleet_storage::files::{S3Addressing, S3Config};

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

/// Bounds on connections, time and concurrent work: what keeps one client (or one attacker
/// with an account) from taking the server from every other tenant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Most database connections (`None`: 8 on SQLite, 16 on PostgreSQL).
    pub db_connections: Option<u32>,
    /// How long a request waits for a database connection before a 503.
    pub db_acquire_timeout: Duration,
    /// Sync (and item list) responses open at once, overall.
    pub open_syncs: usize,
    /// … and for one account.
    pub open_syncs_per_user: usize,
    /// Time a client has to send a request's headers once it started (or between requests).
    pub header_read_timeout: Duration,
    /// A connection on which no byte moves either way for this long is closed (a streamed
    /// response the client stopped reading included).
    pub idle_timeout: Duration,
    /// Longest a handler may take to produce its answer.
    pub request_timeout: Duration,
    /// Most client connections at once; further ones are closed as they are accepted.
    pub max_connections: usize,
    /// Most notification hub connections at once (each also holds a client connection) …
    pub hub_connections: usize,
    /// … and for one account.
    pub hub_connections_per_user: usize,
    /// Largest file Send, in bytes (Bitwarden: 500 MiB); its upload route takes bodies this
    /// large (plus the multipart framing), every other route keeps its own limit.
    pub send_file_max_bytes: u64,
    /// Most bytes one user's file Sends may hold together.
    pub send_storage_per_user_bytes: u64,
    /// Largest attachment, in bytes (the official server's 500 MiB).
    pub max_attachment_bytes: i64,
    /// Attachment storage of one user's personal items, in bytes (1 GiB, as a premium plan).
    pub attachment_storage_per_user: i64,
    /// Attachment storage of one organization's items, in bytes (1 GiB).
    pub attachment_storage_per_org: i64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            db_connections: None,
            db_acquire_timeout: Duration::from_secs(5),
            open_syncs: 256,
            open_syncs_per_user: 4,
            header_read_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
            request_timeout: Duration::from_secs(30),
            max_connections: 4096,
            hub_connections: 3072,
            hub_connections_per_user: 16,
            send_file_max_bytes: 500 * 1024 * 1024,
            send_storage_per_user_bytes: 10 * 1024 * 1024 * 1024,
            max_attachment_bytes: 500 * 1024 * 1024,
            attachment_storage_per_user: 1024 * 1024 * 1024,
            attachment_storage_per_org: 1024 * 1024 * 1024,
        }
    }
}

/// Where attachments and file Sends are stored.
#[derive(Debug, Clone, Default)]
pub enum FilesBackend {
    /// Under the data directory's `files/` (one instance, or a shared filesystem).
    #[default]
    Local,
    /// In an S3-compatible bucket (several instances sharing one PostgreSQL); checked at start.
    S3(S3Config),
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
    /// The host name of the URL derived from the bound address when `public_url` is unset
    /// (tests use `localhost`: WebAuthn needs a name, and the port is known only once bound).
    pub public_host: Option<String>,
    /// Redirect `/` to the web console at `/console/` (turn off when a Bitwarden web vault is
    /// served at `/`).
    pub console_at_root: bool,
    /// When true, `/identity/accounts/register*` answer 400.
    pub disable_registration: bool,
    /// With SMTP, still accept the legacy registration that proves no address.
    pub allow_unverified_registration: bool,
    /// Mail server for invitations; `None` hands invitation links to the inviting admin.
    pub smtp: Option<SmtpConfig>,
    /// The operator's secret for `/admin` (creating providers); `None` turns `/admin` off.
    pub admin_token: Option<String>,
    /// Serve `/admin` only on this address (e.g. loopback or a management network), not on
    /// `bind`; `None`: on `bind` with everything else.
    pub admin_bind: Option<SocketAddr>,
    /// Bounds on connections, time and concurrent work.
    pub limits: Limits,
    /// Where attachments and file Sends are stored.
    pub files: FilesBackend,
    /// Reverse proxies whose `Forwarded`/`X-Forwarded-For` headers name the client (the login
    /// throttles count by client address); empty: the socket's peer is the client.
    pub trusted_proxies: Vec<crate::client_ip::Cidr>,
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
            public_host: None,
            console_at_root: true,
            disable_registration: false,
            allow_unverified_registration: false,
            smtp: None,
            admin_token: None,
            admin_bind: None,
            limits: Limits::default(),
            files: FilesBackend::default(),
            trusted_proxies: vec![],
            clock: None,
        }
    }
}
