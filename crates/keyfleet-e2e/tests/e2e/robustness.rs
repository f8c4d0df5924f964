//! Holding up under abuse, tried as an attacker with ordinary accounts would: sync responses
//! that are never read, connections that never finish their headers or their TLS handshake,
//! more connections than the server takes. Every other user must keep being answered, and every
//! refusal must be Bitwarden's JSON error with a `Retry-After`.

use crate::provider_support::{account, ok, OrgKeyPair, TwoStep};
use keyfleet_client::{Access, Method, Session};
use keyfleet_crypto::EncString;
use keyfleet_domain::SystemClock;
use keyfleet_testkit::{backends, spawn_server_with, Backend, TestServer};
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A plain HTTP client trusting the test CA, with a connection of its own.
fn raw_client(server: &TestServer) -> reqwest::Client {
    let ca = std::fs::read(&server.ca_pem).unwrap();
    reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(&ca).unwrap())
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

/// Items in the organization every hog reads.
const ITEMS: usize = 200;

/// Starts `GET /api/sync` as `s` on a connection of its own and keeps the answer unread.
async fn unread_sync(server: &TestServer, s: &Session) -> reqwest::Response {
    raw_client(server)
        .get(format!("{}/api/sync", server.base_url))
        .bearer_auth(&s.access_token)
        .send()
        .await
        .unwrap()
}

/// Nine users each leave syncs of a large vault unread (ten each: ninety in all) on a server
/// with only four database connections. Each account keeps four open — the rest are refused at
/// once with 503 and `Retry-After` — and none holds a database connection while it waits: a
/// tenth user's requests, database-backed, are answered, their own sync included.
async fn unread_syncs_starve_nobody(backend: Backend) {
    let server = spawn_server_with(backend, |c| {
        c.limits.db_connections = Some(4);
        c.limits.db_acquire_timeout = Duration::from_secs(3);
    })
    .await;
    let clock = SystemClock;
    // One organization whose items (200 × ~80 KB) every hog reads: a sync of about 16 MB, far
    // more than socket buffers and HTTP/2 windows take while the client does not read.
    let owner = account(&server, "owner@big.example", TwoStep::Off, &clock).await;
    let pair = OrgKeyPair::generate();
    let (org, key) = crate::provider_support::own_org(&owner.session, &pair, "Big Co").await;
    ok(
        &owner.session,
        Method::POST,
        &format!("/api/organizations/{org}/subscription"),
        Some(json!({ "seatAdjustment": 20 })),
    )
    .await;
    let collections = ok(
        &owner.session,
        Method::GET,
        &format!("/api/organizations/{org}/collections"),
        None,
    )
    .await;
    let collection = collections["data"][0]["id"].as_str().unwrap().to_string();
    let big = EncString::encrypt_str(&key, &"n".repeat(60_000)).to_string();
    for i in 0..ITEMS {
        let mut body =
            json!(owner
                .session
                .org_login_item_body(&org, &key, &format!("Item {i}"), "u", "p"));
        body["fields"] = json!([{ "type": 0, "name": big.clone(), "value": null }]);
        ok(
            &owner.session,
            Method::POST,
            "/api/ciphers/create",
            Some(json!({ "cipher": body, "collectionIds": [collection] })),
        )
        .await;
    }
    let mut hogs = Vec::new();
    for i in 0..9 {
        let s = account(
            &server,
            &format!("hog{i}@big.example"),
            TwoStep::Off,
            &clock,
        )
        .await
        .session;
        let invited = owner
            .session
            .invite_members(
                &org,
                &[&s.email],
                2,
                &[(collection.clone(), Access::READ_ONLY)],
            )
            .await
            .unwrap();
        let id = invited[0].id.as_str();
        s.accept_invite(&org, id, invited[0].token.as_deref().unwrap())
            .await
            .unwrap();
        owner.session.confirm_member(&org, id, &key).await.unwrap();
        hogs.push(s);
    }
    let bystander = account(&server, "bystander@big.example", TwoStep::Off, &clock)
        .await
        .session;

    // Read in full, a hog's sync has every item (pages of personal, then org items).
    let full = hogs[0].sync_json().await.unwrap();
    assert_eq!(full["ciphers"].as_array().unwrap().len(), ITEMS);
    let mut held = Vec::new();
    let (mut open, mut refused) = (0, 0);
    for s in &hogs {
        for _ in 0..10 {
            let res = unread_sync(&server, s).await;
            match res.status().as_u16() {
                200 => {
                    open += 1;
                    held.push(res);
                }
                503 => {
                    refused += 1;
                    assert!(res.headers().contains_key("retry-after"));
                    let body: Value = res.json().await.unwrap();
                    assert_eq!(body["object"], "error", "{body}");
                }
                other => panic!("unread sync answered {other}"),
            }
        }
    }
    assert_eq!((open, refused), (36, 54), "four open syncs per account");

    // Meanwhile every database-backed request of another user is answered — with 200, not a
    // "busy" 503 after waiting for a connection the stalled syncs would hold.
    for _ in 0..10 {
        for path in [
            "/api/accounts/profile",
            "/api/folders",
            "/api/accounts/revision-date",
        ] {
            let res = crate::provider_support::send(&bystander, Method::GET, path, None).await;
            assert_eq!(res.status, 200, "{path}: {}", res.body);
        }
    }
    let sync = bystander.sync_json().await.unwrap();
    assert_eq!(sync["object"], "sync");
    // A hog's own stalled syncs cost the hog, not the others: the organization's owner syncs
    // its items while they wait.
    let owner_sync = owner.session.sync_json().await.unwrap();
    assert_eq!(owner_sync["ciphers"].as_array().unwrap().len(), ITEMS);

    // Closing them frees the slots.
    drop(held);
    let mut freed = false;
    for _ in 0..50 {
        let res = unread_sync(&server, &hogs[0]).await;
        if res.status() == 200 {
            let body: Value = res.json().await.unwrap();
            assert_eq!(body["ciphers"].as_array().unwrap().len(), ITEMS);
            freed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(freed, "slots of closed syncs are given back");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unread_syncs_starve_nobody_on_sqlite() {
    unread_syncs_starve_nobody(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unread_syncs_starve_nobody_on_postgres() {
    if !backends().contains(&Backend::Postgres) {
        return;
    }
    unread_syncs_starve_nobody(Backend::Postgres).await;
}

/// Reads until the peer closes; `true` when it did within `within` (an error counts: the
/// server reset the connection).
async fn closed_by_server<S: tokio::io::AsyncRead + Unpin>(s: &mut S, within: Duration) -> bool {
    let mut buf = [0u8; 1024];
    let deadline = tokio::time::Instant::now() + within;
    loop {
        match tokio::time::timeout_at(deadline, s.read(&mut buf)).await {
            Err(_) => return false,
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            Ok(Ok(_)) => {}
        }
    }
}

fn tls_connector(server: &TestServer) -> tokio_rustls::TlsConnector {
    use rustls::pki_types::pem::PemObject;
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut roots = rustls::RootCertStore::empty();
    for cert in rustls::pki_types::CertificateDer::pem_file_iter(&server.ca_pem).unwrap() {
        roots.add(cert.unwrap()).unwrap();
    }
    let config = rustls::ClientConfig::builder()
        .with_root_certificates(roots)
        .with_no_client_auth();
    tokio_rustls::TlsConnector::from(Arc::new(config))
}

/// Slow and idle connections are closed, and the server takes no more connections than its
/// limit: a socket that never starts TLS, one that sends half its headers, one that sends a
/// request and then nothing — closed within their timeouts (the idle one no sooner than its
/// answer's `Keep-Alive` said); past the connection limit, new sockets are closed at once, and
/// a freed slot takes the next one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_idle_and_surplus_connections_are_closed() {
    let server = spawn_server_with(Backend::Sqlite, |c| {
        c.limits.header_read_timeout = Duration::from_secs(1);
        c.limits.idle_timeout = Duration::from_secs(2);
        c.limits.max_connections = 4;
    })
    .await;
    let addr = server.server.addr;
    let connector = tls_connector(&server);
    let name = rustls::pki_types::ServerName::try_from("127.0.0.1").unwrap();
    // Never starts TLS: closed after the handshake timeout.
    let mut silent = TcpStream::connect(addr).await.unwrap();
    assert!(closed_by_server(&mut silent, Duration::from_secs(5)).await);
    // Half the headers, then nothing: closed after the header timeout.
    let tcp = TcpStream::connect(addr).await.unwrap();
    let mut half = connector.connect(name.clone(), tcp).await.unwrap();
    half.write_all(b"GET /api/config HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        .await
        .unwrap();
    assert!(closed_by_server(&mut half, Duration::from_secs(5)).await);
    // A full request, then idle: answered with how long the connection is kept, kept that
    // long (a client that trusts it never sends into a closing socket), then closed.
    let tcp = TcpStream::connect(addr).await.unwrap();
    let mut idle = connector.connect(name.clone(), tcp).await.unwrap();
    idle.write_all(b"GET /api/config HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .await
        .unwrap();
    let mut head = Vec::new();
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let mut buf = [0u8; 1024];
        let n = idle.read(&mut buf).await.unwrap();
        assert!(n > 0, "closed before the answer's head");
        head.extend_from_slice(&buf[..n]);
    }
    let head = String::from_utf8_lossy(&head).to_lowercase();
    assert!(head.starts_with("http/1.1 200"), "{head}");
    assert!(head.contains("\r\nkeep-alive: timeout=1\r\n"), "{head}");
    assert!(!closed_by_server(&mut idle, Duration::from_millis(500)).await);
    assert!(closed_by_server(&mut idle, Duration::from_secs(8)).await);

    // Four connections fill the server; a fifth is closed as it is accepted.
    let mut full = Vec::new();
    for _ in 0..4 {
        let tcp = TcpStream::connect(addr).await.unwrap();
        full.push(connector.connect(name.clone(), tcp).await.unwrap());
    }
    let mut surplus = TcpStream::connect(addr).await.unwrap();
    assert!(closed_by_server(&mut surplus, Duration::from_secs(1)).await);
    drop(full.pop());
    let mut answered = false;
    for _ in 0..20 {
        let res = reqwest::Client::builder()
            .add_root_certificate(
                reqwest::Certificate::from_pem(&std::fs::read(&server.ca_pem).unwrap()).unwrap(),
            )
            .build()
            .unwrap()
            .get(format!("{}/api/config", server.base_url))
            .send()
            .await;
        if res.is_ok_and(|r| r.status() == 200) {
            answered = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(answered, "a freed slot takes the next connection");
    drop(full);
    server.stop().await;
}

/// Every error status answers Bitwarden's JSON envelope — also those axum produces itself (a
/// method the path does not take, a malformed query string, a path that is not UTF-8, a body
/// over the limit, a path nothing serves) — and every answer carries `nosniff`, `no-store`
/// (the token response above all) and, over Keyfleet's own TLS, HSTS.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_error_is_json_and_every_answer_carries_the_security_headers() {
    let server = spawn_server_with(Backend::Sqlite, |_| {}).await;
    let s = account(&server, "headers@example.com", TwoStep::Off, &SystemClock)
        .await
        .session;
    let http = raw_client(&server);
    let url = |path: &str| format!("{}{path}", server.base_url);
    let cases = [
        (reqwest::Method::DELETE, "/api/config", None, 405),
        (
            reqwest::Method::GET,
            "/api/sync?excludeDomains=maybe",
            None,
            400,
        ),
        (reqwest::Method::GET, "/api/ciphers/%FF%FE", None, 400),
        (reqwest::Method::GET, "/api/nothing-here", None, 404),
        (
            reqwest::Method::POST,
            "/api/folders",
            Some(vec![b'{'; 3 * 1024 * 1024]),
            413,
        ),
    ];
    for (method, path, body, expected) in cases {
        // A connection of its own per case, and for the oversized body a few tries: the server
        // answers 413 without reading the body and closes the connection, so a client still
        // writing may see a broken pipe instead of the answer (a race of the transport, not a
        // missing answer: one of the tries reads it).
        let mut tries = 0;
        let res = loop {
            tries += 1;
            let mut req = raw_client(&server)
                .request(method.clone(), url(path))
                .bearer_auth(&s.access_token);
            if let Some(b) = &body {
                req = req
                    .header("content-type", "application/json")
                    .body(b.clone());
            }
            match req.send().await {
                Ok(res) => break res,
                Err(e) if body.is_some() && tries < 10 => {
                    eprintln!("{method} {path}: {e}; trying again");
                }
                Err(e) => panic!("{method} {path}: {e}"),
            }
        };
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        let text = res.text().await.unwrap();
        assert_eq!(status, expected, "{method} {path}: {text}");
        let json: Value = serde_json::from_str(&text)
            .unwrap_or_else(|_| panic!("{method} {path} answered no JSON: {text:?}"));
        assert_eq!(json["object"], "error", "{method} {path}: {json}");
        assert!(json["message"].as_str().is_some_and(|m| !m.is_empty()));
        assert!(headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json"));
    }
    // The token response, a success and an error: no caching, no sniffing, HSTS.
    let token = http
        .post(url("/identity/connect/token"))
        .form(&[
            ("grant_type", "password"),
            ("username", "headers@example.com"),
            ("password", "d3Jvbmc="),
            ("scope", "api offline_access"),
            ("client_id", "cli"),
            ("deviceType", "25"),
            ("deviceIdentifier", "3b6d1a3c-0000-4000-8000-000000000009"),
            ("deviceName", "linux"),
        ])
        .send()
        .await
        .unwrap();
    let config = http.get(url("/api/config")).send().await.unwrap();
    let profile = http
        .get(url("/api/accounts/profile"))
        .bearer_auth(&s.access_token)
        .send()
        .await
        .unwrap();
    for res in [token, config, profile] {
        let h = res.headers();
        assert_eq!(h["x-content-type-options"], "nosniff", "{}", res.url());
        assert_eq!(h["cache-control"], "no-store", "{}", res.url());
        assert!(h["strict-transport-security"]
            .to_str()
            .unwrap()
            .starts_with("max-age="));
    }
    server.stop().await;
}

/// `POST /identity/connect/token` with a password grant, as the bw CLI sends it, optionally
/// through a proxy naming the client.
async fn token_attempt(
    http: &reqwest::Client,
    base: &str,
    email: &str,
    hash: &str,
    forwarded_for: Option<&str>,
) -> u16 {
    let mut req = http.post(format!("{base}/identity/connect/token")).form(&[
        ("grant_type", "password"),
        ("username", email),
        ("password", hash),
        ("scope", "api offline_access"),
        ("client_id", "cli"),
        ("deviceType", "25"),
        ("deviceIdentifier", "3b6d1a3c-0000-4000-8000-00000000000a"),
        ("deviceName", "linux"),
    ]);
    if let Some(f) = forwarded_for {
        req = req.header("x-forwarded-for", f);
    }
    req.send().await.unwrap().status().as_u16()
}

const WRONG: &str = "bm90IHRoZSBwYXNzd29yZA==";

/// A hundred concurrent wrong passwords for one account: each attempt is counted before its
/// password is verified, so exactly ten are judged (400) and the rest refused (429); the right
/// password is then refused too, until the window ends.
async fn concurrent_guesses_are_judged_ten_times(backend: Backend) {
    let server = spawn_server_with(backend, |_| {}).await;
    let victim = account(&server, "victim@example.com", TwoStep::Off, &SystemClock).await;
    let http = raw_client(&server);
    let attempts = (0..100).map(|_| {
        let (http, base) = (http.clone(), server.base_url.clone());
        tokio::spawn(
            async move { token_attempt(&http, &base, "victim@example.com", WRONG, None).await },
        )
    });
    let mut judged = 0;
    let mut refused = 0;
    for a in attempts.collect::<Vec<_>>() {
        match a.await.unwrap() {
            400 => judged += 1,
            429 => refused += 1,
            other => panic!("a guess answered {other}"),
        }
    }
    assert_eq!(
        (judged, refused),
        (10, 90),
        "judged against the limit of 10"
    );
    let right = token_attempt(
        &http,
        &server.base_url,
        "victim@example.com",
        &victim.hash,
        None,
    )
    .await;
    assert_eq!(right, 429, "locked for the window, right password or not");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_guesses_are_judged_ten_times_on_sqlite() {
    concurrent_guesses_are_judged_ten_times(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_guesses_are_judged_ten_times_on_postgres() {
    if !backends().contains(&Backend::Postgres) {
        return;
    }
    concurrent_guesses_are_judged_ten_times(Backend::Postgres).await;
}

/// Behind a trusted proxy, each client is throttled by its own address: fifty failures from
/// one lock out that address only. Without the proxy configured, the header is ignored (anyone
/// could send it) and the peer is the client.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_a_trusted_proxy_one_address_locks_out_only_itself() {
    let server = spawn_server_with(Backend::Sqlite, |c| {
        c.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
    })
    .await;
    let http = raw_client(&server);
    let base = &server.base_url;
    // Fifty failures from one client address, spread over accounts (so no account is locked).
    for i in 0..50 {
        let status = token_attempt(
            &http,
            base,
            &format!("nobody{}@example.com", i % 10),
            WRONG,
            Some("203.0.113.7"),
        )
        .await;
        assert_eq!(status, 400, "attempt {i}");
    }
    let locked = token_attempt(
        &http,
        base,
        "someone@example.com",
        WRONG,
        Some("203.0.113.7"),
    )
    .await;
    assert_eq!(locked, 429, "that address is locked out");
    // A forged earlier hop does not help the locked client: the proxy's hop counts.
    let forged = token_attempt(
        &http,
        base,
        "someone@example.com",
        WRONG,
        Some("198.51.100.1, 203.0.113.7"),
    )
    .await;
    assert_eq!(forged, 429);
    // Another client behind the same proxy is judged as usual.
    let other = token_attempt(
        &http,
        base,
        "someone@example.com",
        WRONG,
        Some("203.0.113.8"),
    )
    .await;
    assert_eq!(other, 400, "other addresses are not locked out");
    server.stop().await;

    // Not configured: the header names nobody, the proxy's own address counts.
    let server = spawn_server_with(Backend::Sqlite, |_| {}).await;
    let http = raw_client(&server);
    for i in 0..50 {
        let from = format!("203.0.113.{i}");
        let status = token_attempt(
            &http,
            &server.base_url,
            &format!("nobody{}@example.com", i % 10),
            WRONG,
            Some(&from),
        )
        .await;
        assert_eq!(status, 400);
    }
    let from_anywhere = token_attempt(
        &http,
        &server.base_url,
        "someone@example.com",
        WRONG,
        Some("198.51.100.99"),
    )
    .await;
    assert_eq!(from_anywhere, 429, "an untrusted header is ignored");
    server.stop().await;
}

/// Lock-outs live in the database: a restarted server keeps them, and a second instance on the
/// same database shares them.
async fn lockouts_survive_restarts_and_are_shared(backend: Backend) {
    let data = tempfile_dir();
    let (url, _db) = keyfleet_testkit::fresh_database_url(backend).await;
    let start = |port_dir: std::path::PathBuf| {
        let url = url.clone();
        async move {
            let mut config = keyfleet_server::Config::for_tests(port_dir);
            config.database_url = Some(url);
            keyfleet_server::start(config).await.unwrap()
        }
    };
    let first = start(data.join("a")).await;
    let ca = first.ca_cert_path.clone().unwrap();
    let http = |ca: &std::path::Path| {
        reqwest::Client::builder()
            .add_root_certificate(
                reqwest::Certificate::from_pem(&std::fs::read(ca).unwrap()).unwrap(),
            )
            .build()
            .unwrap()
    };
    let h = http(&ca);
    for _ in 0..10 {
        assert_eq!(
            token_attempt(&h, &first.base_url, "locked@example.com", WRONG, None).await,
            400
        );
    }
    assert_eq!(
        token_attempt(&h, &first.base_url, "locked@example.com", WRONG, None).await,
        429
    );
    // A second instance on the same database: the same lock-out.
    let second = start(data.join("b")).await;
    let h2 = http(second.ca_cert_path.as_deref().unwrap());
    assert_eq!(
        token_attempt(&h2, &second.base_url, "locked@example.com", WRONG, None).await,
        429
    );
    second.shutdown().await;
    // The first restarted: still locked.
    first.shutdown().await;
    let again = start(data.join("a")).await;
    assert_eq!(
        token_attempt(&h, &again.base_url, "locked@example.com", WRONG, None).await,
        429
    );
    again.shutdown().await;
    let _ = std::fs::remove_dir_all(&data);
}

fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("keyfleet-restart-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lockouts_survive_restarts_and_are_shared_on_sqlite() {
    lockouts_survive_restarts_and_are_shared(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lockouts_survive_restarts_and_are_shared_on_postgres() {
    if !backends().contains(&Backend::Postgres) {
        return;
    }
    lockouts_survive_restarts_and_are_shared(Backend::Postgres).await;
}

/// The operator's token: a short one stops the server from starting; wrong ones are refused
/// (401) until the address has sent thirty, then the address is locked out (429, JSON,
/// `Retry-After`) — the right token included.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_tokens_are_long_and_guessing_them_is_throttled() {
    let data = tempfile_dir();
    let mut config = keyfleet_server::Config::for_tests(data.clone());
    config.admin_token = Some("short-token".into());
    let err = keyfleet_server::start(config).await.err().unwrap();
    assert!(err.to_string().contains("at least 32 characters"), "{err}");
    let _ = std::fs::remove_dir_all(&data);

    let server = spawn_server_with(Backend::Sqlite, |_| {}).await;
    let http = raw_client(&server);
    let list = |token: &'static str| {
        http.get(format!("{}/admin/providers", server.base_url))
            .bearer_auth(token)
            .send()
    };
    assert_eq!(
        list(keyfleet_testkit::TEST_ADMIN_TOKEN)
            .await
            .unwrap()
            .status(),
        200
    );
    for i in 0..30 {
        let res = list("not-the-admin-token-but-long-enough-0000")
            .await
            .unwrap();
        assert_eq!(res.status(), 401, "wrong token {i}");
    }
    for token in [
        "not-the-admin-token-but-long-enough-0000",
        keyfleet_testkit::TEST_ADMIN_TOKEN,
    ] {
        let res = list(token).await.unwrap();
        assert_eq!(res.status(), 429);
        assert!(res.headers().contains_key("retry-after"));
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["object"], "error");
    }
    server.stop().await;
}

/// With `admin_bind`, the operator API answers only on its own address: the clients' address
/// does not know `/admin` (404), and the operator's serves nothing else.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_operator_api_can_listen_apart() {
    let server = spawn_server_with(Backend::Sqlite, |c| {
        c.admin_bind = Some("127.0.0.1:0".parse().unwrap());
    })
    .await;
    let http = raw_client(&server);
    let admin = server.server.admin_addr.unwrap();
    let on = |base: String, path: &'static str| {
        http.get(format!("{base}{path}"))
            .bearer_auth(keyfleet_testkit::TEST_ADMIN_TOKEN)
            .send()
    };
    let admin_base = format!("https://127.0.0.1:{}", admin.port());
    assert_eq!(
        on(server.base_url.clone(), "/admin/providers")
            .await
            .unwrap()
            .status(),
        404
    );
    assert_eq!(
        on(admin_base.clone(), "/admin/providers")
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(on(admin_base, "/api/config").await.unwrap().status(), 404);
    assert_eq!(
        on(server.base_url.clone(), "/api/config")
            .await
            .unwrap()
            .status(),
        200
    );
    server.stop().await;
}

/// A fresh data directory is the server's alone: the directory 0700, the database and its
/// journal files and the TLS key 0600.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fresh_data_directory_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let root = tempfile_dir();
    let data = root.join("data");
    let server = keyfleet_server::start(keyfleet_server::Config::for_tests(data.clone()))
        .await
        .unwrap();
    // A write, so the journal files exist.
    let http = reqwest::Client::builder()
        .add_root_certificate(
            reqwest::Certificate::from_pem(
                &std::fs::read(server.ca_cert_path.as_ref().unwrap()).unwrap(),
            )
            .unwrap(),
        )
        .build()
        .unwrap();
    let _ = token_attempt(&http, &server.base_url, "x@example.com", WRONG, None).await;
    let mode = |p: &std::path::Path| {
        std::fs::metadata(p)
            .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
            .permissions()
            .mode()
            & 0o777
    };
    assert_eq!(mode(&data), 0o700);
    for file in [
        "keyfleet.sqlite3",
        "keyfleet.sqlite3-wal",
        "keyfleet.sqlite3-shm",
    ] {
        assert_eq!(mode(&data.join(file)), 0o600, "{file}");
    }
    let keys: Vec<_> = std::fs::read_dir(data.join("tls"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().contains("key"))
        .collect();
    assert!(!keys.is_empty());
    for k in keys {
        assert_eq!(mode(&k), 0o600, "{}", k.display());
    }
    server.shutdown().await;
    let _ = std::fs::remove_dir_all(&root);
}

/// With a mail server, an address is proven before it gets an account: the registration token
/// goes to the address (the request answers 204 and no token), finishing needs it, and the
/// legacy tokenless registration is refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_smtp_registration_needs_the_mailed_token() {
    let sink = keyfleet_testkit::SmtpSink::start().await;
    let server = spawn_server_with(Backend::Sqlite, |c| {
        c.smtp = Some(sink.config());
    })
    .await;
    let http = raw_client(&server);
    let res = http
        .post(format!(
            "{}/identity/accounts/register/send-verification-email",
            server.base_url
        ))
        .json(&json!({ "email": "someone@victim.example", "receiveMarketingEmails": false }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    assert!(
        res.text().await.unwrap().is_empty(),
        "no token for the asker"
    );
    // Without the mailed token (a made-up one, or none on the legacy endpoint): refused.
    let c = crate::support::client(&server);
    let forged = c
        .finish_registration(
            "someone@victim.example",
            "a long enough passphrase",
            None,
            keyfleet_crypto::Kdf::default_pbkdf2(),
            "not-the-token",
        )
        .await
        .unwrap_err();
    assert!(forged.to_string().contains("Expired link"), "{forged}");
    let legacy = http
        .post(format!("{}/identity/accounts/register", server.base_url))
        .json(&json!({
            "email": "someone@victim.example", "masterPasswordHash": "aGFzaA==",
            "key": "2.AAAAAAAAAAAAAAAAAAAAAA==|AAAA|AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
            "kdf": 0, "kdfIterations": 600000,
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(legacy.status(), 400);
    let body: Value = legacy.json().await.unwrap();
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("verifies email addresses"),
        "{body}"
    );
    // The owner of the address finishes with the mailed link.
    let token = crate::support::mailed_registration_token(&sink, "someone@victim.example");
    c.finish_registration(
        "someone@victim.example",
        "a long enough passphrase",
        None,
        keyfleet_crypto::Kdf::default_pbkdf2(),
        &token,
    )
    .await
    .unwrap();
    c.login_password("someone@victim.example", "a long enough passphrase")
        .await
        .unwrap();
    server.stop().await;
}
