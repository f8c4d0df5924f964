//! Benchmark (not a test): the web console's speed targets from the issue — a provider with
//! 2,000 clients lists, searches and sorts without freezing; the first screen is interactive in
//! under 1 s on loopback; the assets are under 300 KB gzipped. Starts a server on
//! `https://localhost:PORT`, seeds an owner with TOTP, a set-up provider and N real client
//! organizations through the API, then runs `console/bench/console-bench.mjs` in Debian's
//! Chromium (Playwright's library, no test runner), which measures and prints the figures. Run
//! with `cargo bench -p keyfleet-e2e --bench console` (optionally `-- CLIENTS`).
//!
//! Without Chromium or the console's npm packages it says so and measures nothing
//! ([`keyfleet_testkit::browser`]).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::disallowed_methods)]

use keyfleet_client::{new_client_body, Client, Method, NewClient, RawBody, Session};
use keyfleet_crypto::Kdf;
use keyfleet_testkit::{spawn_server_for_browser, totp_code, Backend, TEST_ADMIN_TOKEN};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

const PASSWORD: &str = "benchmark passphrase";
const OWNER: &str = "owner@bench.example";
const WRITERS: usize = 8;

fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// `console/` in the repository.
fn console_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../console")
}

/// The owner, registered with TOTP on (provider members must have two-step login); answers the
/// session, the TOTP secret and the 30-second step whose code is now spent.
async fn owner(client: &Client) -> (Arc<Session>, String, i64) {
    client
        .register(OWNER, PASSWORD, None, Kdf::default_pbkdf2())
        .await
        .unwrap();
    let session = client.login_password(OWNER, PASSWORD).await.unwrap();
    let (_, secret) = session.authenticator_setup(PASSWORD).await.unwrap();
    let now = now_secs();
    session
        .enable_authenticator(PASSWORD, &secret, &totp_code(&secret, now))
        .await
        .unwrap();
    (Arc::new(session), secret, now / 30)
}

/// Creates clients "Client 0001" … "Client {count}" with `WRITERS` concurrent writers; the
/// bodies reuse one set of keys (the server only stores ciphertext, and the list the console
/// shows decrypts nothing per client).
async fn add_clients(owner: &Arc<Session>, provider: &str, template: &Value, count: usize) {
    let per_writer = count.div_ceil(WRITERS).max(1);
    let mut tasks = Vec::new();
    for w in 0..WRITERS {
        let owner = owner.clone();
        let template = template.clone();
        let path = format!("/api/providers/{provider}/clients");
        let range = (1 + w * per_writer)..(1 + ((w + 1) * per_writer).min(count));
        tasks.push(tokio::spawn(async move {
            for i in range {
                let mut body = template.clone();
                body["name"] = Value::String(format!("Client {i:04}"));
                let r = owner
                    .client()
                    .raw(
                        Method::POST,
                        &path,
                        Some(&owner.access_token),
                        RawBody::Json(body),
                    )
                    .await
                    .unwrap();
                assert_eq!(r.status, 200, "{}", r.body);
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
}

async fn run(clients: usize, chromium: &Path) {
    let server = spawn_server_for_browser(Backend::Sqlite).await;
    let client = Client::new(&server.base_url, Some(&server.ca_pem)).unwrap();
    let (owner, secret, spent_step) = owner(&client).await;
    let created = client
        .admin_create_provider(TEST_ADMIN_TOKEN, "Bench MSP", OWNER, None, None)
        .await
        .unwrap();
    let provider = created.provider.id.clone();
    let (_, provider_key) = owner
        .setup_provider(
            &provider,
            &created.token,
            "Bench MSP",
            None,
            "billing@bench.example",
        )
        .await
        .unwrap();
    let (template, _) = new_client_body(
        &provider_key,
        &NewClient {
            name: "template".into(),
            plan_type: 17,
            seats: Some(10),
            owner_email: None,
            collection_name: Some("Default".into()),
            billing_email: None,
            website: None,
            region: None,
            notes: None,
        },
    )
    .unwrap();
    let template = serde_json::to_value(&template).unwrap();
    let started = Instant::now();
    add_clients(&owner, &provider, &template, clients).await;
    let took = started.elapsed();
    println!(
        "seeded {clients} clients in {:.1} s ({:.0} clients/s)",
        took.as_secs_f64(),
        clients as f64 / took.as_secs_f64().max(1e-9)
    );

    // What the Clients screen fetches (the console's key agent, a SharedWorker, fetches it: the
    // page's network log does not show it).
    let list = owner
        .client()
        .raw(
            Method::GET,
            &format!("/api/providers/{provider}/clients"),
            Some(&owner.access_token),
            RawBody::Empty,
        )
        .await
        .unwrap();
    assert_eq!(list.status, 200, "{}", list.body);

    let work = tempfile::tempdir().unwrap();
    let input = work.path().join("bench.json");
    let assets = Path::new(env!("CARGO_MANIFEST_DIR")).join("../keyfleet-console/assets");
    let fixture = json!({
        "url": server.base_url,
        "owner": { "email": OWNER, "password": PASSWORD, "totpSecret": secret },
        "spentTotpStep": spent_step,
        "providerId": provider,
        "clients": clients,
        "clientListBytes": list.body.len(),
        "assetsDir": assets,
        "cores": std::thread::available_parallelism().map_or(0, |n| n.get()),
    });
    std::fs::write(&input, serde_json::to_vec_pretty(&fixture).unwrap()).unwrap();
    let script = console_dir().join("bench/console-bench.mjs");
    let status = tokio::task::block_in_place(|| {
        std::process::Command::new("node")
            .arg(&script)
            .arg(&input)
            .current_dir(console_dir())
            .env("CHROMIUM_PATH", chromium)
            .status()
            .expect("node runs the console benchmark")
    });
    assert!(status.success(), "console-bench.mjs failed ({status})");
    // Let the server finish any request the browser left behind before stopping it.
    tokio::time::sleep(Duration::from_millis(100)).await;
    server.stop().await;
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let raw: Vec<String> = std::env::args().skip(1).collect();
    // `cargo test --all-targets` runs this once without `--bench`: starting a server, seeding
    // and driving a browser is no quick pass, so test mode only checks the script is there.
    let measuring = raw.iter().any(|a| a == "--bench");
    let script = console_dir().join("bench/console-bench.mjs");
    assert!(script.exists(), "{} is missing", script.display());
    if !measuring {
        println!(
            "console bench: measures only under `cargo bench -p keyfleet-e2e --bench console`"
        );
        return;
    }
    let clients = raw
        .iter()
        .filter_map(|a| a.parse::<usize>().ok())
        .next()
        .unwrap_or(2_000)
        .max(2);
    let Some((chromium, _)) = keyfleet_testkit::browser(&console_dir()) else {
        return;
    };
    run(clients, &chromium).await;
}
