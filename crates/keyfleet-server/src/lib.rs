//! keyfleet-server: the HTTP edge. Owns axum routes, extractors, the `ApiError` -> Bitwarden
//! error JSON mapping, TLS and configuration. It must not contain SQL or crypto: handlers parse,
//! call one domain service and map the result.

pub mod config;

pub use config::{Config, TlsMode};

use std::net::SocketAddr;
use std::path::PathBuf;

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error("configuration: {0}")]
    Config(String),
    #[error("i/o: {0}")]
    Io(#[from] std::io::Error),
}

/// A server started in this process; dropping it does not stop it, call [`RunningServer::shutdown`].
pub struct RunningServer {
    /// The address actually bound (useful with port 0).
    pub addr: SocketAddr,
    /// `https://127.0.0.1:PORT` or `http://…` when TLS is off.
    pub base_url: String,
    /// PEM file of the CA that signed the self-signed certificate, when one was generated.
    pub ca_cert_path: Option<PathBuf>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<()>,
}

impl RunningServer {
    /// Stops accepting connections and waits for the server task to end.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        let _ = (&mut self.task).await;
    }
}

/// Opens storage (running migrations), binds `config.bind`, and serves until shut down.
pub async fn start(config: Config) -> Result<RunningServer, ServerError> {
    let _ = config;
    Err(ServerError::Config("not implemented yet".into()))
}
