//! `keyfleet serve`: flags and `KEYFLEET_*` variables → server configuration.

use crate::Failure;
use clap::{Args, ValueEnum};
use keyfleet_server::{
    Config, FilesBackend, Limits, S3Addressing, S3Config, SmtpConfig, SmtpSecurity, TlsMode,
};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Clone, Copy, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum SmtpSecurityArg {
    /// STARTTLS on the submission port (refused if the server cannot upgrade).
    Starttls,
    /// Implicit TLS.
    Tls,
    /// Plain text, for a relay on a trusted local network only.
    None,
}

#[derive(Args)]
pub struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, env = "KEYFLEET_BIND", default_value = "127.0.0.1:8443")]
    bind: SocketAddr,
    /// Directory for the SQLite file and generated TLS material.
    #[arg(long, env = "KEYFLEET_DATA_DIR", default_value = "./data")]
    data_dir: PathBuf,
    /// Largest attachment, in MiB.
    #[arg(long, env = "KEYFLEET_MAX_ATTACHMENT_MIB", default_value_t = 500)]
    max_attachment_mib: u32,
    /// Attachment storage of one user's personal items, in MiB.
    #[arg(
        long,
        env = "KEYFLEET_ATTACHMENT_STORAGE_PER_USER_MIB",
        default_value_t = 1024
    )]
    attachment_storage_per_user_mib: u32,
    /// Attachment storage of one organization's items, in MiB.
    #[arg(
        long,
        env = "KEYFLEET_ATTACHMENT_STORAGE_PER_ORG_MIB",
        default_value_t = 1024
    )]
    attachment_storage_per_org_mib: u32,
    /// `sqlite://…` or `postgres://…` (default: SQLite in the data directory).
    #[arg(long, env = "KEYFLEET_DATABASE_URL")]
    database_url: Option<String>,
    /// PEM certificate chain (with --tls-key); default: a self-signed certificate.
    #[arg(long, env = "KEYFLEET_TLS_CERT", requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// PEM private key (with --tls-cert).
    #[arg(long, env = "KEYFLEET_TLS_KEY", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// Serve plain HTTP: only behind a TLS-terminating reverse proxy.
    #[arg(long, env = "KEYFLEET_INSECURE_HTTP", conflicts_with_all = ["tls_cert", "tls_key"])]
    insecure_http: bool,
    /// The URL clients use to reach this server.
    #[arg(long, env = "KEYFLEET_PUBLIC_URL")]
    public_url: Option<String>,
    /// Do not redirect `/` to the web console (`/console/`), e.g. when a reverse proxy serves a
    /// Bitwarden web vault at `/`.
    #[arg(long, env = "KEYFLEET_NO_CONSOLE_AT_ROOT")]
    no_console_at_root: bool,
    /// Refuse new accounts (people invited to an organization or a provider can still create
    /// theirs from the invitation).
    #[arg(long, env = "KEYFLEET_DISABLE_REGISTRATION")]
    disable_registration: bool,
    /// With SMTP configured, still accept the legacy registration endpoint, which proves no
    /// email address (old apps).
    #[arg(long, env = "KEYFLEET_ALLOW_UNVERIFIED_REGISTRATION")]
    allow_unverified_registration: bool,
    /// SMTP server for invitation mail (without one, invitation links go to the inviting admin).
    #[arg(long, env = "KEYFLEET_SMTP_HOST", requires = "smtp_from")]
    smtp_host: Option<String>,
    /// SMTP port.
    #[arg(long, env = "KEYFLEET_SMTP_PORT", default_value_t = 587)]
    smtp_port: u16,
    /// SMTP connection protection.
    #[arg(
        long,
        env = "KEYFLEET_SMTP_SECURITY",
        value_enum,
        default_value = "starttls"
    )]
    smtp_security: SmtpSecurityArg,
    /// SMTP login.
    #[arg(long, env = "KEYFLEET_SMTP_USERNAME", requires = "smtp_password")]
    smtp_username: Option<String>,
    /// SMTP password (prefer the environment variable to the flag).
    #[arg(long, env = "KEYFLEET_SMTP_PASSWORD", hide_env_values = true)]
    smtp_password: Option<String>,
    /// Sender address of invitation mail, e.g. "Keyfleet <keyfleet@msp.example>".
    #[arg(long, env = "KEYFLEET_SMTP_FROM")]
    smtp_from: Option<String>,
    /// Store attachments and file Sends in this S3-compatible bucket (created beforehand), not
    /// under the data directory: what several instances sharing one PostgreSQL need.
    #[arg(
        long,
        env = "KEYFLEET_FILES_S3_BUCKET",
        requires = "files_s3_access_key_id",
        requires = "files_s3_secret_access_key"
    )]
    files_s3_bucket: Option<String>,
    /// The S3 server's URL, e.g. http://minio:9000 (default: AWS's endpoint for the region).
    #[arg(long, env = "KEYFLEET_FILES_S3_ENDPOINT", requires = "files_s3_bucket")]
    files_s3_endpoint: Option<String>,
    /// The region requests are signed for.
    #[arg(long, env = "KEYFLEET_FILES_S3_REGION", default_value = "us-east-1")]
    files_s3_region: String,
    /// Keep the files under this key prefix (for a bucket shared with other data).
    #[arg(long, env = "KEYFLEET_FILES_S3_PREFIX", requires = "files_s3_bucket")]
    files_s3_prefix: Option<String>,
    /// The S3 access key id.
    #[arg(
        long,
        env = "KEYFLEET_FILES_S3_ACCESS_KEY_ID",
        requires = "files_s3_bucket"
    )]
    files_s3_access_key_id: Option<String>,
    /// The S3 secret access key. Prefer the environment variable to the flag.
    #[arg(
        long,
        env = "KEYFLEET_FILES_S3_SECRET_ACCESS_KEY",
        hide_env_values = true,
        requires = "files_s3_bucket"
    )]
    files_s3_secret_access_key: Option<String>,
    /// Path-style URLs (endpoint/bucket/key), as MinIO, Ceph and most self-hosted servers
    /// want; default: virtual-hosted (bucket.endpoint/key).
    #[arg(
        long,
        env = "KEYFLEET_FILES_S3_PATH_STYLE",
        requires = "files_s3_bucket"
    )]
    files_s3_path_style: bool,
    /// The operator's secret for `keyfleet admin …` (creating providers); without it the admin
    /// API is off. Prefer the environment variable to the flag.
    #[arg(long, env = "KEYFLEET_ADMIN_TOKEN", hide_env_values = true)]
    admin_token: Option<String>,
    /// Serve the operator API (`/admin`) only on this address (e.g. 127.0.0.1:8444), not on
    /// --bind.
    #[arg(long, env = "KEYFLEET_ADMIN_BIND")]
    admin_bind: Option<SocketAddr>,
    /// A reverse proxy (address or CIDR block, repeatable or comma separated) whose `Forwarded` /
    /// `X-Forwarded-For` headers name the client: login throttles then count each client by
    /// its own address instead of the proxy's.
    #[arg(
        long = "trusted-proxy",
        env = "KEYFLEET_TRUSTED_PROXIES",
        value_delimiter = ','
    )]
    trusted_proxies: Vec<String>,
    /// Log output format (level via RUST_LOG, default info).
    #[arg(long, env = "KEYFLEET_LOG_FORMAT", value_enum, default_value = "text")]
    log_format: LogFormat,
}

fn init_logging(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
}

pub async fn run(args: ServeArgs) -> Result<(), Failure> {
    init_logging(args.log_format);
    let tls = match (args.insecure_http, args.tls_cert, args.tls_key) {
        (true, _, _) => TlsMode::InsecureHttp,
        (false, Some(cert), Some(key)) => TlsMode::Files { cert, key },
        _ => TlsMode::SelfSigned,
    };
    let smtp = args.smtp_host.map(|host| SmtpConfig {
        host,
        port: args.smtp_port,
        security: match args.smtp_security {
            SmtpSecurityArg::Starttls => SmtpSecurity::Starttls,
            SmtpSecurityArg::Tls => SmtpSecurity::Tls,
            SmtpSecurityArg::None => SmtpSecurity::None,
        },
        username: args.smtp_username,
        password: args.smtp_password,
        from: args.smtp_from.unwrap_or_default(),
    });
    let config = Config {
        bind: args.bind,
        data_dir: args.data_dir,
        database_url: args.database_url,
        tls,
        public_url: args.public_url,
        public_host: None,
        console_at_root: !args.no_console_at_root,
        disable_registration: args.disable_registration,
        allow_unverified_registration: args.allow_unverified_registration,
        smtp,
        admin_token: args.admin_token.filter(|t| !t.trim().is_empty()),
        admin_bind: args.admin_bind,
        limits: Limits {
            max_attachment_bytes: i64::from(args.max_attachment_mib) * 1024 * 1024,
            attachment_storage_per_user: i64::from(args.attachment_storage_per_user_mib)
                * 1024
                * 1024,
            attachment_storage_per_org: i64::from(args.attachment_storage_per_org_mib)
                * 1024
                * 1024,
            ..Limits::default()
        },
        files: match args.files_s3_bucket {
            None => FilesBackend::Local,
            Some(bucket) => FilesBackend::S3(S3Config {
                endpoint: args.files_s3_endpoint,
                region: args.files_s3_region,
                bucket,
                prefix: args.files_s3_prefix,
                access_key_id: args.files_s3_access_key_id.unwrap_or_default(),
                secret_access_key: args.files_s3_secret_access_key.unwrap_or_default().into(),
                addressing: if args.files_s3_path_style {
                    S3Addressing::Path
                } else {
                    S3Addressing::VirtualHosted
                },
            }),
        },
        trusted_proxies: args
            .trusted_proxies
            .iter()
            .map(|c| c.parse().map_err(Failure::usage))
            .collect::<Result<_, _>>()?,
        clock: None,
    };
    let server = keyfleet_server::start(config)
        .await
        .map_err(Failure::server)?;
    eprintln!("Keyfleet is listening on {}", server.base_url);
    match server.base_url.strip_prefix("https://127.0.0.1:") {
        // Security keys (WebAuthn) need a host name, not an address.
        Some(port) => eprintln!("Web console: https://localhost:{port}/console/"),
        None => eprintln!("Web console: {}/console/", server.base_url),
    }
    if let Some(admin) = server.admin_addr {
        eprintln!("The operator API (/admin) listens on {admin} only.");
    }
    if let Some(ca) = &server.ca_cert_path {
        eprintln!(
            "Self-signed TLS. Trust this CA in clients: {}",
            ca.display()
        );
        eprintln!(
            "  e.g.  NODE_EXTRA_CA_CERTS={} bw config server {}",
            ca.display(),
            server.base_url
        );
    }
    wait_for_shutdown_signal().await;
    eprintln!("shutting down");
    server.shutdown().await;
    Ok(())
}

async fn wait_for_shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(_) => {
                    let _ = ctrl_c.await;
                    return;
                }
            };
        tokio::select! {
            _ = ctrl_c => {},
            _ = term.recv() => {},
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}
