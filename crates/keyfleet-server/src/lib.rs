//! keyfleet-server: the HTTP edge. Owns axum routes, extractors, the `ApiError` -> Bitwarden
//! error JSON mapping, TLS and configuration. It must not contain SQL or crypto: handlers parse,
//! call one domain service and map the result.

pub mod client_ip;
pub mod config;
mod conn;
mod console;
mod data_dir;
mod error;
mod extract;
pub mod hub;
mod jobs;
mod limits;
mod mail;
pub mod openapi;
mod org_views;
mod provider_views;
mod routes;
mod state;
mod tls;
mod views;

pub use config::{
    Config, FilesBackend, Limits, S3Addressing, S3Config, SmtpConfig, SmtpSecurity, TlsMode,
};

use conn::GuardAcceptor;
use keyfleet_domain::{Domain, DomainSettings, SystemClock};
use keyfleet_storage::SqlStore;
use state::AppState;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// Bad or inconsistent configuration.
    #[error("configuration: {0}")]
    Config(String),
    /// Files or sockets.
    #[error("i/o: {0}")]
    Io(#[from] std::io::Error),
    /// The database could not be opened or migrated.
    #[error(transparent)]
    Storage(#[from] keyfleet_storage::OpenError),
    /// The domain could not be initialised.
    #[error("startup: {0}")]
    Domain(#[from] keyfleet_domain::DomainError),
}

/// A server started in this process; dropping it does not stop it, call [`RunningServer::shutdown`].
pub struct RunningServer {
    /// The address actually bound (useful with port 0).
    pub addr: SocketAddr,
    /// `https://127.0.0.1:PORT` or `http://…` when TLS is off.
    pub base_url: String,
    /// PEM file of the CA that signed the self-signed certificate, when one was generated.
    pub ca_cert_path: Option<PathBuf>,
    /// The operator API's own address, when `/admin` is served apart (`admin_bind`).
    pub admin_addr: Option<SocketAddr>,
    listeners: Vec<Listening>,
    jobs: jobs::Jobs,
    store: SqlStore,
    hub: Arc<hub::Hub>,
    relay: Vec<tokio::task::JoinHandle<()>>,
}

impl RunningServer {
    /// Stops accepting connections, lets in-flight requests finish, and closes the database.
    pub async fn shutdown(self) {
        // Hub connections would hold the graceful shutdown: they are told to go first.
        self.hub.close();
        for task in self.relay {
            task.abort();
            let _ = task.await;
        }
        for l in &self.listeners {
            l.handle
                .graceful_shutdown(Some(std::time::Duration::from_secs(10)));
        }
        for l in self.listeners {
            let _ = l.task.await;
        }
        self.jobs.stop().await;
        self.store.close().await;
    }
}

/// Opens storage (running migrations), binds `config.bind`, and serves until shut down.
pub async fn start(config: Config) -> Result<RunningServer, ServerError> {
    // Both ring and the platform may offer a provider; pick ours explicitly once per process.
    let _ = rustls::crypto::ring::default_provider().install_default();
    data_dir::ensure_private_dir(&config.data_dir)?;
    let database_url = match &config.database_url {
        Some(url) => url.clone(),
        None => format!(
            "sqlite://{}",
            config.data_dir.join("keyfleet.sqlite3").display()
        ),
    };
    if let Some(file) = data_dir::sqlite_file(&database_url) {
        data_dir::ensure_private_file(file)?;
    }
    let admin_token = config
        .admin_token
        .as_deref()
        .map(keyfleet_domain::operator::OperatorToken::parse)
        .transpose()
        .map_err(ServerError::Config)?
        .map(Arc::new);
    let store = SqlStore::open_with(
        &database_url,
        keyfleet_storage::PoolSettings {
            max_connections: config.limits.db_connections,
            acquire_timeout: config.limits.db_acquire_timeout,
        },
    )
    .await?;

    let listener = std::net::TcpListener::bind(config.bind)?;
    listener.set_nonblocking(true)?;
    let addr = listener.local_addr()?;
    let scheme = if matches!(config.tls, TlsMode::InsecureHttp) {
        "http"
    } else {
        "https"
    };
    let host = match addr.ip() {
        _ if config.public_host.is_some() => config.public_host.clone().unwrap_or_default(),
        ip if ip.is_unspecified() => "127.0.0.1".to_string(),
        std::net::IpAddr::V6(ip) => format!("[{ip}]"),
        ip => ip.to_string(),
    };
    let base_url = format!("{scheme}://{host}:{}", addr.port());
    let public_url = config
        .public_url
        .clone()
        .unwrap_or_else(|| base_url.clone())
        .trim_end_matches('/')
        .to_string();

    let mut settings = DomainSettings::new(public_url.clone());
    settings.registration_open = !config.disable_registration;
    settings.unverified_registration = config.allow_unverified_registration;
    settings.send_file_max_bytes = config.limits.send_file_max_bytes;
    settings.send_storage_per_user_bytes = config.limits.send_storage_per_user_bytes;
    settings.attachments = keyfleet_domain::vault::attachments::AttachmentLimits {
        max_file_bytes: config.limits.max_attachment_bytes,
        user_storage_bytes: config.limits.attachment_storage_per_user,
        org_storage_bytes: config.limits.attachment_storage_per_org,
    };
    let clock: Arc<dyn keyfleet_domain::Clock> = match &config.clock {
        Some(manual) => Arc::new(manual.clone()),
        None => Arc::new(SystemClock),
    };
    let files: Arc<dyn keyfleet_domain::files::FileStore> = match &config.files {
        FilesBackend::Local => Arc::new(
            keyfleet_storage::files::LocalFiles::open(config.data_dir.join("files"))
                .await
                .map_err(|e| ServerError::Config(e.to_string()))?,
        ),
        FilesBackend::S3(s3) => Arc::new(
            keyfleet_storage::files::S3Files::connect(s3.clone())
                .await
                .map_err(|e| ServerError::Config(e.to_string()))?,
        ),
    };
    tracing::info!(files = %files.describe(), "attachments and file Sends are stored here");
    let hub = hub::Hub::new(hub::HubLimits {
        connections: config.limits.hub_connections,
        per_user: config.limits.hub_connections_per_user,
    });
    let relay = match store.push_relay() {
        Some(relay) => hub::start_relay(&hub, relay)
            .await
            .map_err(|e| ServerError::Config(format!("listening for other instances: {e}")))?,
        None => Vec::new(),
    };
    let mut domain = Domain::new(Arc::new(store.clone()), files, clock, settings)
        .await?
        .with_pusher(Arc::new(hub::HubPusher(hub.clone())));
    if let Some(smtp) = &config.smtp {
        let mailer = mail::SmtpMailer::new(smtp).map_err(ServerError::Config)?;
        domain = domain.with_mailer(Arc::new(mailer));
    }
    let state = AppState {
        domain: Arc::new(domain),
        public_url: public_url.clone().into(),
        admin_token,
        trusted_proxies: config.trusted_proxies.clone().into(),
        sync_slots: limits::SyncSlots::new(
            config.limits.open_syncs,
            config.limits.open_syncs_per_user,
        ),
        hub: hub.clone(),
    };
    let jobs_domain = state.domain.clone();
    let hsts = !matches!(config.tls, TlsMode::InsecureHttp);
    let timeout = config.limits.request_timeout;
    let (main_surface, admin_listener) = match config.admin_bind {
        Some(bind) => {
            let l = std::net::TcpListener::bind(bind)?;
            l.set_nonblocking(true)?;
            (routes::Surface::Clients, Some(l))
        }
        None => (routes::Surface::All, None),
    };
    let tls = match &config.tls {
        TlsMode::InsecureHttp => None,
        mode => {
            let files = match mode {
                TlsMode::Files { cert, key } => tls::TlsFiles {
                    cert: cert.clone(),
                    key: key.clone(),
                    ca: None,
                },
                _ => tls::self_signed(&config.data_dir, &public_host(&public_url))?,
            };
            let rustls =
                axum_server::tls_rustls::RustlsConfig::from_pem_file(&files.cert, &files.key)
                    .await
                    .map_err(|e| ServerError::Config(format!("TLS certificate/key: {e}")))?;
            Some((rustls, files.ca))
        }
    };
    let ca_cert_path = tls.as_ref().and_then(|(_, ca)| ca.clone());
    let rustls = tls.map(|(r, _)| r);
    let main = serve_on(
        listener,
        routes::router(
            state.clone(),
            main_surface,
            routes::Edge {
                request_timeout: timeout,
                hsts,
                console_at_root: config.console_at_root,
                keep_alive: config.limits.header_read_timeout,
            },
        ),
        rustls.clone(),
        &config.limits,
    );
    let admin = match admin_listener {
        Some(l) => {
            let admin_addr = l.local_addr()?;
            tracing::info!(%admin_addr, "operator API (/admin) listening on its own address");
            Some((
                admin_addr,
                serve_on(
                    l,
                    routes::router(
                        state,
                        routes::Surface::Operator,
                        routes::Edge {
                            request_timeout: timeout,
                            hsts,
                            console_at_root: false,
                            keep_alive: config.limits.header_read_timeout,
                        },
                    ),
                    rustls,
                    &config.limits,
                ),
            ))
        }
        None => None,
    };
    // Started last, once nothing can fail, so a failed start leaves no task behind.
    let jobs = jobs::Jobs::start(jobs_domain);
    tracing::info!(%base_url, "keyfleet listening");
    Ok(RunningServer {
        addr,
        base_url,
        ca_cert_path,
        admin_addr: admin.as_ref().map(|(a, _)| *a),
        listeners: std::iter::once(main).chain(admin.map(|(_, l)| l)).collect(),
        jobs,
        store,
        hub,
        relay,
    })
}

/// One listener being served: its shutdown handle and task.
struct Listening {
    handle: axum_server::Handle,
    task: tokio::task::JoinHandle<()>,
}

/// Serves `app` on `listener` — over TLS with `rustls`, plain HTTP without — behind the
/// connection guard (see `conn`) and the HTTP bounds.
fn serve_on(
    listener: std::net::TcpListener,
    app: axum::Router,
    rustls: Option<axum_server::tls_rustls::RustlsConfig>,
    limits: &Limits,
) -> Listening {
    let app = app.into_make_service_with_connect_info::<SocketAddr>();
    let guard = GuardAcceptor::new(limits.max_connections, limits.idle_timeout);
    let handle = axum_server::Handle::new();
    let task = match rustls {
        None => {
            let mut server = axum_server::from_tcp(listener)
                .acceptor(guard)
                .handle(handle.clone());
            tune_http(server.http_builder(), limits);
            tokio::spawn(async move { log_exit(server.serve(app).await) })
        }
        Some(rustls) => {
            // Below TLS: the connection cap, TCP_NODELAY and the idle timeout (see `conn`); the
            // TLS handshake itself has its own timeout in the rustls acceptor.
            let acceptor = axum_server::tls_rustls::RustlsAcceptor::new(rustls)
                .handshake_timeout(limits.header_read_timeout)
                .acceptor(guard);
            let mut server = axum_server::from_tcp(listener)
                .acceptor(acceptor)
                .handle(handle.clone());
            tune_http(server.http_builder(), limits);
            tokio::spawn(async move { log_exit(server.serve(app).await) })
        }
    };
    Listening { handle, task }
}

/// Where `keyfleet backup` puts the copy of the stored files: beside the database copy `out`,
/// named after it with `.files` appended (restore it as the data directory's `files/`).
pub fn backup_files_dir(out: &std::path::Path) -> std::path::PathBuf {
    let mut name = out.as_os_str().to_owned();
    name.push(".files");
    std::path::PathBuf::from(name)
}

/// `keyfleet backup`: an online, consistent copy of the SQLite database at `database_url` into
/// the new file `out` (readable by its owner only), then of the stored files under `files`
/// (the data directory's `files/`, when it exists) into [`backup_files_dir`]. The database
/// goes first: a file is written before its row says it is uploaded, so every attachment the
/// copy names has its file (unless deleted meanwhile, which only a later deletion can do).
/// PostgreSQL: use `pg_dump`.
pub async fn backup(
    database_url: &str,
    out: &std::path::Path,
    files: Option<&std::path::Path>,
) -> Result<(), ServerError> {
    use std::os::unix::fs::PermissionsExt;
    if out.exists() {
        return Err(ServerError::Config(format!(
            "{} exists already: choose a new file",
            out.display()
        )));
    }
    if keyfleet_storage::Backend::of_url(database_url) != Some(keyfleet_storage::Backend::Sqlite) {
        return Err(ServerError::Config(
            "only SQLite is backed up by Keyfleet; for PostgreSQL use pg_dump (see README)".into(),
        ));
    }
    let store = SqlStore::open(database_url).await?;
    let copied = store.backup_sqlite(out).await;
    store.close().await;
    copied.map_err(|e| ServerError::Config(format!("backup failed: {e:?}")))?;
    std::fs::set_permissions(out, std::fs::Permissions::from_mode(0o600))?;
    if let Some(files) = files.filter(|f| f.is_dir()) {
        copy_tree(files, &backup_files_dir(out))?;
    }
    Ok(())
}

/// Copies a directory tree (private directories), leaving out uploads in progress (`tmp/`).
fn copy_tree(from: &std::path::Path, to: &std::path::Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        let kind = entry.file_type()?;
        if kind.is_dir() {
            if from.join("tmp") == entry.path() {
                continue;
            }
            copy_tree(&entry.path(), &target)?;
        } else if kind.is_file() {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

/// HTTP-level bounds: a client has `header_read_timeout` to send a request's headers, HTTP/2
/// connections are pinged and dropped when the peer stops answering, and a client cannot open
/// more than 100 concurrent streams on one connection.
fn tune_http(
    builder: &mut hyper_util::server::conn::auto::Builder<hyper_util::rt::TokioExecutor>,
    limits: &Limits,
) {
    builder
        .http1()
        .timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .keep_alive(true);
    builder
        .http2()
        .timer(hyper_util::rt::TokioTimer::new())
        .keep_alive_interval(Some(std::time::Duration::from_secs(30)))
        .keep_alive_timeout(std::time::Duration::from_secs(10))
        .max_concurrent_streams(100);
}

fn public_host(public_url: &str) -> Vec<String> {
    let rest = public_url.split("://").nth(1).unwrap_or("");
    let host_port = rest.split('/').next().unwrap_or("");
    let host = host_port
        .rsplit_once(':')
        .map(|(h, _)| h)
        .unwrap_or(host_port);
    match host {
        "" | "localhost" | "127.0.0.1" => vec![],
        h => vec![h.trim_matches(|c| c == '[' || c == ']').to_string()],
    }
}

fn log_exit(result: std::io::Result<()>) {
    if let Err(e) = result {
        tracing::error!(error = %e, "server stopped with an error");
    }
}
