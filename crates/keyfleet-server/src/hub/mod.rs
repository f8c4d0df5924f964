//! The notifications hub (`/notifications/hub`): the official apps keep a WebSocket here and
//! sync when told something changed. The domain decides who is told what (`keyfleet_domain::
//! push`); this module holds the connections, speaks SignalR (`signalr`), and — on PostgreSQL —
//! relays every push to the other instances and delivers theirs (`keyfleet_storage::relay`).
//!
//! A connection authenticates with its access token (`access_token` query, as the JavaScript
//! SignalR client sends it for WebSockets, or `Authorization: Bearer`), says which protocol it
//! speaks, then only receives. `/notifications/anonymous-hub?Token=<login request id>` takes a
//! device with no session that waits for the answer to its login request: it hears only
//! `AuthRequestResponseRecieved` (sic, the protocol's spelling) for that request. Bounds: connections per account and overall; a connection whose
//! queue fills (a client that does not read) is closed; the server pings every 15 s and closes a
//! connection it has heard nothing from (the clients ping every 15 s) for 60 s.
//!
//! A connection lasts no longer than its credentials: it is closed when its access token
//! expires (by the domain's clock: checked at every ping and before every notification, so a
//! moved test clock is seen too) and, on every instance, right after a `LogOut` to its account
//! (new password or KDF, account recovery, takeover, account deleted) has been queued to it —
//! the apps reconnect with a fresh token, which a stale security stamp will not get.

pub mod signalr;

use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use keyfleet_domain::ids::UserId;
use keyfleet_domain::push::{Push, Pusher};
use keyfleet_domain::{Domain, DomainError, Timestamp};
use serde_json::Value;
use signalr::Frame;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{mpsc, watch};

/// How often the server pings (the clients give up after 30 s of silence).
const PING_EVERY: Duration = Duration::from_secs(15);
/// A client not heard from for this long is gone.
const CLIENT_SILENCE: Duration = Duration::from_secs(60);
/// Time a new connection has to send its handshake.
const HANDSHAKE_WITHIN: Duration = Duration::from_secs(10);
/// Notifications waiting for one connection; a connection that falls this far behind is closed.
const QUEUE: usize = 256;
/// Largest message a client may send (they only send pings and a close).
const MAX_INBOUND_BYTES: usize = 4096;
/// The client method every notification invokes …
const RECEIVE_MESSAGE: &str = "ReceiveMessage";
/// … but on the anonymous hub.
const AUTH_REQUEST_RESPONSE: &str = "AuthRequestResponseRecieved";
/// Anonymous connections at once (overall; the rest of the hub's bound is for accounts) …
const ANONYMOUS_CONNECTIONS: usize = 256;
/// … and waiting on one login request.
const ANONYMOUS_PER_REQUEST: usize = 2;
/// `LogOut`: after it the account's connections are closed.
const LOG_OUT: i64 = keyfleet_api::kinds::PushType::LogOut as i64;

/// When an authenticated connection's token expires, by the domain's clock.
struct Expiry {
    at: Timestamp,
    domain: Arc<Domain>,
}

impl Expiry {
    fn passed(&self) -> bool {
        self.domain.now() >= self.at
    }

    /// The moment it passes on the real clock (a moved test clock is caught by `passed`).
    fn deadline(&self) -> tokio::time::Instant {
        let left = u64::try_from(self.at.0.saturating_sub(self.domain.now().0)).unwrap_or(0);
        tokio::time::Instant::now() + Duration::from_millis(left)
    }
}

/// Bounds on open hub connections.
#[derive(Debug, Clone, Copy)]
pub struct HubLimits {
    /// Overall.
    pub connections: usize,
    /// For one account (its browser extension, desktop app, web vault tabs, …).
    pub per_user: usize,
}

struct Connection {
    id: u64,
    queue: mpsc::Sender<Arc<Value>>,
}

/// Whom a connection listens for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Audience {
    /// An account (the hub).
    User(UserId),
    /// A login request (the anonymous hub).
    AuthRequest(String),
}

/// The open connections of this instance, by account or login request, with their counts kept
/// as they change (a connect checks the bounds without walking the map).
#[derive(Default)]
struct Connections {
    by: HashMap<Audience, Vec<Connection>>,
    total: usize,
    anonymous: usize,
}

impl Connections {
    fn counted(&mut self, audience: &Audience, added: usize, removed: usize) {
        self.total = self.total + added - removed;
        if matches!(audience, Audience::AuthRequest(_)) {
            self.anonymous = self.anonymous + added - removed;
        }
    }

    fn add(&mut self, audience: Audience, connection: Connection) {
        self.counted(&audience, 1, 0);
        self.by.entry(audience).or_default().push(connection);
    }

    /// Keeps the connections of `audience` for which `keep` holds; an audience left with none
    /// leaves the map (so an empty map means nobody listens).
    fn retain(&mut self, audience: &Audience, keep: impl FnMut(&Connection) -> bool) {
        let Some(mine) = self.by.get_mut(audience) else {
            return;
        };
        let before = mine.len();
        mine.retain(keep);
        let after = mine.len();
        if after == 0 {
            self.by.remove(audience);
        }
        self.counted(audience, 0, before - after);
    }

    fn count(&self, audience: &Audience) -> usize {
        self.by.get(audience).map_or(0, Vec::len)
    }

    fn is_empty(&self) -> bool {
        self.by.is_empty()
    }

    fn clear(&mut self) {
        *self = Connections::default();
    }
}

/// The open connections of this instance, by account or login request.
pub struct Hub {
    connections: Mutex<Connections>,
    next_id: AtomicU64,
    limits: HubLimits,
    /// Turns `true` when the server stops: every connection says goodbye.
    closing: watch::Sender<bool>,
    /// Names this instance in relayed pushes (it skips its own).
    instance: String,
    /// Pushes to relay to the other instances (PostgreSQL only).
    relay: Mutex<Option<mpsc::Sender<Push>>>,
}

impl Hub {
    /// An empty hub.
    pub fn new(limits: HubLimits) -> Arc<Hub> {
        Arc::new(Hub {
            connections: Mutex::new(Connections::default()),
            next_id: AtomicU64::new(1),
            limits,
            closing: watch::channel(false).0,
            instance: uuid::Uuid::new_v4().to_string(),
            relay: Mutex::new(None),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Connections> {
        self.connections
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Registers a connection for `audience`, if the bounds allow.
    fn join(&self, audience: Audience) -> Option<(u64, mpsc::Receiver<Arc<Value>>)> {
        let mut all = self.lock();
        let (full, per) = match audience {
            Audience::User(_) => (all.total >= self.limits.connections, self.limits.per_user),
            Audience::AuthRequest(_) => (
                all.total >= self.limits.connections || all.anonymous >= ANONYMOUS_CONNECTIONS,
                ANONYMOUS_PER_REQUEST,
            ),
        };
        if full || all.count(&audience) >= per {
            return None;
        }
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let (queue, rx) = mpsc::channel(QUEUE);
        all.add(audience, Connection { id, queue });
        Some((id, rx))
    }

    fn leave(&self, audience: &Audience, id: u64) {
        self.lock().retain(audience, |c| c.id != id);
    }

    /// How many connections are open (for tests and logs).
    pub fn open_connections(&self) -> usize {
        self.lock().total
    }

    /// Hands `push` to this instance's connections of its recipients. A connection whose queue
    /// is full is dropped from the hub; its task then ends it.
    pub fn deliver(&self, push: &Push) {
        if let Ok(v) = serde_json::to_value(&push.notification) {
            self.deliver_value(&push.to, push.auth_request.as_deref(), Arc::new(v));
        }
    }

    /// Ends every connection (the server is stopping) and the relay.
    pub fn close(&self) {
        let _ = self.closing.send(true);
        self.relay
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take();
        self.lock().clear();
    }
}

/// The domain's `Pusher`: delivers here, and queues for the other instances.
pub struct HubPusher(pub Arc<Hub>);

impl Pusher for HubPusher {
    fn listening(&self) -> bool {
        // Entries leave the map with their last connection: non-empty means someone listens.
        !self.0.lock().is_empty()
            || self
                .0
                .relay
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .is_some()
    }

    fn push(&self, push: Push) {
        self.0.deliver(&push);
        let relay = self
            .0
            .relay
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
        if let Some(relay) = relay {
            if relay.try_send(push).is_err() {
                tracing::warn!(
                    "the push relay is behind; a notification for other instances was dropped"
                );
            }
        }
    }
}

/// `GET /notifications/hub` and `GET /notifications/anonymous-hub`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/notifications/hub", get(connect))
        .route("/notifications/anonymous-hub", get(connect_anonymous))
}

#[derive(serde::Deserialize)]
struct HubQuery {
    access_token: Option<String>,
}

#[derive(serde::Deserialize)]
struct AnonymousQuery {
    #[serde(rename = "Token")]
    token: Option<String>,
}

/// A device without a session waits for the answer to its login request (named by its id).
async fn connect_anonymous(
    State(app): State<AppState>,
    Query(q): Query<AnonymousQuery>,
    upgrade: WebSocketUpgrade,
) -> Result<Response, ApiError> {
    let request = q
        .token
        .as_deref()
        .and_then(|t| uuid::Uuid::parse_str(t).ok())
        .ok_or(ApiError(DomainError::NotFound))?;
    accept(
        app.hub.clone(),
        Audience::AuthRequest(request.hyphenated().to_string()),
        AUTH_REQUEST_RESPONSE,
        None,
        upgrade,
    )
}

async fn connect(
    State(app): State<AppState>,
    Query(q): Query<HubQuery>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Result<Response, ApiError> {
    let header_token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let token = match (&q.access_token, header_token) {
        (Some(t), _) => t.as_str(),
        (None, Some(t)) => t,
        (None, None) => return Err(ApiError(DomainError::Unauthorized)),
    };
    let caller = app.domain.authenticate(token).await?;
    let expiry = Expiry {
        at: Timestamp(caller.claims().exp.saturating_mul(1000)),
        domain: app.domain.clone(),
    };
    accept(
        app.hub.clone(),
        Audience::User(caller.user().id),
        RECEIVE_MESSAGE,
        Some(expiry),
        upgrade,
    )
}

/// Registers the connection (or answers 503 when the hub is full) and serves it once upgraded.
fn accept(
    hub: Arc<Hub>,
    audience: Audience,
    target: &'static str,
    expiry: Option<Expiry>,
    upgrade: WebSocketUpgrade,
) -> Result<Response, ApiError> {
    let Some((id, queue)) = hub.join(audience.clone()) else {
        return Err(ApiError(DomainError::Busy {
            retry_after_secs: 60,
        }));
    };
    let closing = hub.closing.subscribe();
    let failed = (hub.clone(), audience.clone());
    Ok(upgrade
        .max_message_size(MAX_INBOUND_BYTES)
        .max_frame_size(MAX_INBOUND_BYTES)
        .on_failed_upgrade(move |_| failed.0.leave(&failed.1, id))
        .on_upgrade(move |socket| async move {
            serve(socket, target, queue, closing, expiry).await;
            hub.leave(&audience, id);
        }))
}

fn message(frame: Frame) -> Message {
    match frame {
        Frame::Text(t) => Message::Text(t.into()),
        Frame::Binary(b) => Message::Binary(b.into()),
    }
}

/// One connection: handshake, then notifications and pings out, pings in, until either side
/// closes, the client falls silent or behind, its token expires, it is logged out, or the
/// server stops.
async fn serve(
    mut socket: WebSocket,
    target: &'static str,
    mut queue: mpsc::Receiver<Arc<Value>>,
    mut closing: watch::Receiver<bool>,
    expiry: Option<Expiry>,
) {
    let expired = || expiry.as_ref().is_some_and(Expiry::passed);
    // The anonymous hub has no token: its connections end by silence or the bounds.
    let deadline = expiry
        .as_ref()
        .map(Expiry::deadline)
        .unwrap_or_else(|| tokio::time::Instant::now() + Duration::from_secs(365 * 86_400));
    let expires = tokio::time::sleep_until(deadline);
    tokio::pin!(expires);
    let protocol = match tokio::time::timeout(HANDSHAKE_WITHIN, socket.recv()).await {
        Ok(Some(Ok(Message::Text(t)))) => signalr::handshake(t.as_bytes()),
        Ok(Some(Ok(Message::Binary(b)))) => signalr::handshake(&b),
        _ => return,
    };
    let protocol = match protocol {
        Ok(p) => p,
        Err(e) => {
            let _ = socket
                .send(Message::Text(signalr::handshake_answer(Some(e)).into()))
                .await;
            return;
        }
    };
    if socket
        .send(Message::Text(signalr::handshake_answer(None).into()))
        .await
        .is_err()
    {
        return;
    }
    let mut ping = tokio::time::interval(PING_EVERY);
    ping.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut heard = tokio::time::Instant::now();
    loop {
        tokio::select! {
            next = queue.recv() => {
                // `None`: the hub dropped this connection (it fell behind, or the server stops).
                let Some(n) = next else { break };
                if expired() {
                    break;
                }
                if socket.send(message(protocol.invocation(target, &[&n]))).await.is_err() {
                    return;
                }
            }
            incoming = socket.recv() => {
                let frame = match incoming {
                    Some(Ok(Message::Binary(b))) => b.to_vec(),
                    Some(Ok(Message::Text(t))) => t.as_bytes().to_vec(),
                    Some(Ok(Message::Ping(_) | Message::Pong(_))) => Vec::new(),
                    Some(Ok(Message::Close(_))) | Some(Err(_)) | None => return,
                };
                heard = tokio::time::Instant::now();
                if !frame.is_empty() && protocol.closes(&frame) {
                    break;
                }
            }
            _ = ping.tick() => {
                if heard.elapsed() > CLIENT_SILENCE || expired() {
                    break;
                }
                if socket.send(message(protocol.ping())).await.is_err() {
                    return;
                }
            }
            _ = &mut expires => break,
            _ = closing.changed() => {
                let _ = socket.send(message(protocol.close(None, true))).await;
                let _ = socket.send(Message::Close(None)).await;
                return;
            }
        }
    }
    let _ = socket.send(message(protocol.close(None, true))).await;
    let _ = socket.send(Message::Close(None)).await;
}

/// Most pushes relayed in one statement.
const RELAY_BATCH: usize = 64;

/// A push as it travels between instances.
#[derive(serde::Serialize, serde::Deserialize)]
struct Relayed {
    /// The sending instance.
    o: String,
    /// Recipients.
    to: Vec<UserId>,
    /// The login request, for the anonymous hub.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    a: Option<String>,
    /// The notification, as clients receive it.
    n: Value,
}

/// Starts relaying pushes to the other instances and delivering theirs here (PostgreSQL).
pub async fn start_relay(
    hub: &Arc<Hub>,
    relay: keyfleet_storage::relay::PushRelay,
) -> Result<Vec<tokio::task::JoinHandle<()>>, keyfleet_domain::StoreError> {
    let mut listener = relay.listen().await?;
    let (tx, mut rx) = mpsc::channel::<Push>(10_000);
    *hub.relay
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(tx);
    let instance = hub.instance.clone();
    let publish = tokio::spawn(async move {
        // What has queued up while the last batch was sent goes in one statement: under a
        // burst of writes, one round trip for many pushes instead of one each.
        let mut pushes = Vec::new();
        while rx.recv_many(&mut pushes, RELAY_BATCH).await > 0 {
            let payloads: Vec<String> = pushes
                .drain(..)
                .filter_map(|push| {
                    let n = serde_json::to_value(&push.notification).ok()?;
                    Some(relay_payloads(&instance, &push, &n))
                })
                .flatten()
                .collect();
            if let Err(e) = relay.publish(&payloads).await {
                tracing::warn!(error = ?e, "relaying notifications to other instances failed");
            }
        }
    });
    let me = hub.instance.clone();
    let weak = Arc::downgrade(hub);
    let mut closing = hub.closing.subscribe();
    let receive = tokio::spawn(async move {
        loop {
            let payload = tokio::select! {
                p = listener.recv() => p,
                _ = closing.changed() => return,
            };
            let payload = match payload {
                Ok(p) => p,
                Err(e) => {
                    tracing::warn!(error = ?e, "listening for other instances' notifications failed");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    continue;
                }
            };
            let Ok(r) = serde_json::from_str::<Relayed>(&payload) else {
                continue;
            };
            if r.o == me {
                continue;
            }
            let Some(hub) = weak.upgrade() else { return };
            hub.deliver_value(&r.to, r.a.as_deref(), Arc::new(r.n));
        }
    });
    Ok(vec![publish, receive])
}

impl Hub {
    fn deliver_value(&self, to: &[UserId], auth_request: Option<&str>, n: Arc<Value>) {
        // Dropping a connection's queue ends it once it has sent what is queued: the LogOut.
        let logs_out = n.get("Type").and_then(Value::as_i64) == Some(LOG_OUT);
        let mut all = self.lock();
        let audiences = to
            .iter()
            .map(|u| Audience::User(*u))
            .chain(auth_request.map(|r| Audience::AuthRequest(r.to_string())));
        for audience in audiences {
            all.retain(&audience, |c| {
                c.queue.try_send(n.clone()).is_ok() && !logs_out
            });
        }
    }
}

/// The relay messages for one push: its recipients split so that each fits a notification.
fn relay_payloads(instance: &str, push: &Push, n: &Value) -> Vec<String> {
    let to = &push.to;
    let mut out = Vec::new();
    if let Some(request) = &push.auth_request {
        out.extend(
            serde_json::to_string(&Relayed {
                o: instance.to_string(),
                to: Vec::new(),
                a: Some(request.clone()),
                n: n.clone(),
            })
            .ok(),
        );
    }
    let mut chunk = to.len().max(1);
    let mut start = 0;
    while start < to.len() {
        let end = (start + chunk).min(to.len());
        let payload = serde_json::to_string(&Relayed {
            o: instance.to_string(),
            to: to[start..end].to_vec(),
            a: None,
            n: n.clone(),
        })
        .unwrap_or_default();
        if payload.len() > keyfleet_storage::relay::MAX_PAYLOAD_BYTES && end - start > 1 {
            chunk = (end - start).div_ceil(2);
            continue;
        }
        out.push(payload);
        start = end;
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn sync_vault(user: UserId) -> keyfleet_api::push::PushNotification {
        keyfleet_api::push::PushNotification {
            context_id: None,
            push_type: keyfleet_api::kinds::PushType::SyncVault,
            payload: keyfleet_api::push::PushPayload::User(keyfleet_api::push::UserPayload {
                user_id: user.to_string(),
                date: "2026-01-01T00:00:00.000Z".into(),
            }),
        }
    }

    #[test]
    fn an_auth_request_answer_reaches_only_the_anonymous_connection_waiting_on_it() {
        let hub = Hub::new(HubLimits {
            connections: 10,
            per_user: 10,
        });
        let user = UserId::new();
        let (_a, mut account) = hub.join(Audience::User(user)).unwrap();
        let (_w, mut waiting) = hub.join(Audience::AuthRequest("req-1".into())).unwrap();
        let (_o, mut other) = hub.join(Audience::AuthRequest("req-2".into())).unwrap();
        hub.deliver(&Push {
            to: Vec::new(),
            auth_request: Some("req-1".into()),
            notification: sync_vault(user),
        });
        assert!(waiting.try_recv().is_ok());
        assert!(other.try_recv().is_err());
        assert!(account.try_recv().is_err());
    }

    #[test]
    fn relayed_pushes_fit_a_notification() {
        let to: Vec<UserId> = (0..1000).map(|_| UserId::new()).collect();
        let n = serde_json::json!({"Type": 0, "Payload": {"Id": "x"}});
        let push = Push {
            to: to.clone(),
            auth_request: None,
            notification: sync_vault(UserId::new()),
        };
        let payloads = relay_payloads("me", &push, &n);
        assert!(payloads.len() > 1);
        let mut back = Vec::new();
        for p in &payloads {
            assert!(p.len() <= keyfleet_storage::relay::MAX_PAYLOAD_BYTES);
            let r: Relayed = serde_json::from_str(p).unwrap();
            back.extend(r.to);
        }
        assert_eq!(back, to);
    }

    #[test]
    fn connections_are_bounded_per_user_and_overall() {
        let hub = Hub::new(HubLimits {
            connections: 3,
            per_user: 2,
        });
        let (a, b) = (Audience::User(UserId::new()), Audience::User(UserId::new()));
        let first = hub.join(a.clone()).unwrap();
        let _second = hub.join(a.clone()).unwrap();
        assert!(hub.join(a.clone()).is_none(), "a third for one user");
        let _third = hub.join(b.clone()).unwrap();
        assert!(hub.join(b.clone()).is_none(), "over the total");
        hub.leave(&a, first.0);
        assert!(hub.join(b).is_some());
        let hub = Hub::new(HubLimits {
            connections: 1000,
            per_user: 16,
        });
        let request = Audience::AuthRequest("r".into());
        let _one = hub.join(request.clone()).unwrap();
        let _two = hub.join(request.clone()).unwrap();
        assert!(hub.join(request).is_none(), "a third for one login request");
    }

    /// The counts kept with the map are the map's.
    fn counts_match(hub: &Hub) {
        let all = hub.lock();
        let walked: usize = all.by.values().map(Vec::len).sum();
        let anonymous: usize = all
            .by
            .iter()
            .filter(|(a, _)| matches!(a, Audience::AuthRequest(_)))
            .map(|(_, c)| c.len())
            .sum();
        assert_eq!((all.total, all.anonymous), (walked, anonymous));
    }

    #[test]
    fn the_connection_counts_follow_joins_leaves_and_drops() {
        let hub = Hub::new(HubLimits {
            connections: 100,
            per_user: 10,
        });
        let (user, request) = (
            Audience::User(UserId::new()),
            Audience::AuthRequest("r".into()),
        );
        let (first, _rx1) = hub.join(user.clone()).unwrap();
        let (_second, rx2) = hub.join(user.clone()).unwrap();
        let (waiting, _rx3) = hub.join(request.clone()).unwrap();
        counts_match(&hub);
        assert_eq!(hub.open_connections(), 3);
        hub.leave(&user, first);
        hub.leave(&request, waiting);
        hub.leave(&request, waiting);
        counts_match(&hub);
        assert_eq!(hub.open_connections(), 1);
        // A connection whose receiver is gone is dropped by the next delivery.
        drop(rx2);
        let Audience::User(id) = user else {
            unreachable!()
        };
        hub.deliver(&Push {
            to: vec![id],
            auth_request: None,
            notification: sync_vault(id),
        });
        counts_match(&hub);
        assert_eq!(hub.open_connections(), 0);
        assert!(hub.lock().is_empty());
    }

    #[test]
    fn a_log_out_ends_the_accounts_connections_after_delivering_it() {
        let hub = Hub::new(HubLimits {
            connections: 10,
            per_user: 10,
        });
        let (gone, stays) = (UserId::new(), UserId::new());
        let (_a, mut first) = hub.join(Audience::User(gone)).unwrap();
        let (_b, mut second) = hub.join(Audience::User(gone)).unwrap();
        let (_c, mut other) = hub.join(Audience::User(stays)).unwrap();
        let mut log_out = sync_vault(gone);
        log_out.push_type = keyfleet_api::kinds::PushType::LogOut;
        hub.deliver(&Push {
            to: vec![gone],
            auth_request: None,
            notification: log_out,
        });
        for rx in [&mut first, &mut second] {
            assert_eq!(rx.try_recv().unwrap()["Type"], LOG_OUT);
            assert!(matches!(
                rx.try_recv(),
                Err(mpsc::error::TryRecvError::Disconnected)
            ));
        }
        assert!(matches!(
            other.try_recv(),
            Err(mpsc::error::TryRecvError::Empty)
        ));
        assert_eq!(hub.open_connections(), 1);
    }

    #[test]
    fn a_connection_that_does_not_read_is_dropped() {
        let hub = Hub::new(HubLimits {
            connections: 10,
            per_user: 10,
        });
        let user = UserId::new();
        let (_id, mut rx) = hub.join(Audience::User(user)).unwrap();
        let push = Push {
            to: vec![user],
            auth_request: None,
            notification: sync_vault(user),
        };
        hub.deliver(&push);
        assert_eq!(rx.try_recv().unwrap()["Type"], 5);
        for _ in 0..=QUEUE {
            hub.deliver(&push);
        }
        assert_eq!(hub.open_connections(), 0, "dropped once its queue was full");
    }
}
