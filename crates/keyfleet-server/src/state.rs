//! Shared state handed to every handler.

use keyfleet_domain::Domain;
use std::sync::Arc;

/// What handlers can reach: the domain, and the public URL for `/api/config`.
#[derive(Clone)]
pub struct AppState {
    /// Every use case.
    pub domain: Arc<Domain>,
    /// The base URL clients use.
    pub public_url: Arc<str>,
    /// The operator's secret for `/admin`; `None` turns `/admin` off.
    pub admin_token: Option<Arc<keyfleet_domain::operator::OperatorToken>>,
    /// Proxies whose forwarding headers name the client.
    pub trusted_proxies: Arc<[crate::client_ip::Cidr]>,
    /// Open sync responses, per user and overall.
    pub sync_slots: Arc<crate::limits::SyncSlots>,
    /// The notification hub's connections.
    pub hub: Arc<crate::hub::Hub>,
}
