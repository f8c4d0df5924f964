//! Benchmark (not a test): seed a 10,000-item vault through the API and measure cipher-create
//! throughput and `/api/sync` latency on SQLite and PostgreSQL — for a personal vault, and for an
//! organization whose items a member reaches through a collection. Run with
//! `cargo bench -p keyfleet-e2e --bench vault` (optionally `-- ITEMS SYNCS`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::disallowed_methods)]

use keyfleet_client::{Access, Client, Method, RawBody, Session};
use keyfleet_crypto::Kdf;
use keyfleet_testkit::{backends, spawn_server, Backend};
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::{Duration, Instant};

const PASSWORD: &str = "benchmark passphrase";
const WRITERS: usize = 8;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(str::to_string)
        })
        .and_then(|l| {
            l.split_whitespace()
                .nth(1)
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

/// Posts every body to `path` with `WRITERS` concurrent writers; answers the elapsed time.
async fn create_all(session: &Arc<Session>, path: &'static str, bodies: Vec<Value>) -> Duration {
    let per_writer = bodies.len().div_ceil(WRITERS).max(1);
    let chunks: Vec<Vec<_>> = bodies.chunks(per_writer).map(|c| c.to_vec()).collect();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for chunk in chunks {
        let session = session.clone();
        tasks.push(tokio::spawn(async move {
            for body in chunk {
                let r = session
                    .client()
                    .raw(
                        Method::POST,
                        path,
                        Some(&session.access_token),
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
    started.elapsed()
}

/// Times `syncs` full syncs; answers "p50 … p99 …", the body size and the item count.
async fn measure_sync(session: &Session, syncs: usize) -> (String, f64, usize) {
    let mut latencies = Vec::with_capacity(syncs);
    let mut body = String::new();
    for _ in 0..syncs {
        let t = Instant::now();
        let r = session
            .client()
            .raw(
                Method::GET,
                "/api/sync?excludeDomains=true",
                Some(&session.access_token),
                RawBody::Empty,
            )
            .await
            .unwrap();
        latencies.push(t.elapsed());
        assert_eq!(r.status, 200);
        body = r.body;
    }
    latencies.sort();
    let parsed: Value = serde_json::from_str(&body).unwrap();
    (
        format!(
            "p50 {} p99 {} (n={syncs})",
            ms(percentile(&latencies, 0.5)),
            ms(percentile(&latencies, 0.99))
        ),
        body.len() as f64 / 1024.0 / 1024.0,
        parsed["ciphers"].as_array().unwrap().len(),
    )
}

async fn user(client: &Client, email: &str) -> Arc<Session> {
    client
        .register(email, PASSWORD, None, Kdf::default_pbkdf2())
        .await
        .unwrap();
    Arc::new(client.login_password(email, PASSWORD).await.unwrap())
}

async fn run(backend: Backend, items: usize, syncs: usize) {
    let server = spawn_server(backend).await;
    let client = Client::new(&server.base_url, Some(&server.ca_pem)).unwrap();
    let session = user(&client, "bench@example.com").await;

    // Encrypt up front so the timing measures the server, not client-side AES.
    let bodies: Vec<_> = (0..items)
        .map(|i| {
            json!(session.login_item_body(
                &format!("Item {i}"),
                &format!("user{i}@example.com"),
                &format!("password-{i}"),
            ))
        })
        .collect();
    let create_elapsed = create_all(&session, "/api/ciphers", bodies).await;
    let (sync, size, count) = measure_sync(&session, syncs).await;
    assert_eq!(count, items);
    println!(
        "{backend:?} personal: create {items} items with {WRITERS} writers: {:.0} items/s ({:.2} ms/item) | sync of {items} items ({size:.1} MiB): {sync} | peak RSS of bench process {:.0} MiB",
        items as f64 / create_elapsed.as_secs_f64(),
        create_elapsed.as_secs_f64() * 1000.0 / items as f64,
        peak_rss_mib(),
    );

    // The same volume in an organization: a member reaches it through a collection grant.
    let org = session
        .create_org("Bench Co", "b@example.com", 19, Some(10), "Shared")
        .await
        .unwrap();
    let org_id = org.org.id.clone();
    let collections: Value = session
        .call(
            Method::GET,
            &format!("/api/organizations/{org_id}/collections"),
            None,
        )
        .await
        .unwrap();
    let shared = collections["data"][0]["id"].as_str().unwrap().to_string();
    let member = user(&client, "member@example.com").await;
    let invite = session
        .invite_members(
            &org_id,
            &["member@example.com"],
            2,
            &[(shared.clone(), Access::EDIT)],
        )
        .await
        .unwrap();
    let member_id = invite[0].id.as_str();
    member
        .accept_invite(&org_id, member_id, invite[0].token.as_deref().unwrap())
        .await
        .unwrap();
    session
        .confirm_member(&org_id, member_id, &org.key)
        .await
        .unwrap();
    let bodies: Vec<_> = (0..items)
        .map(|i| {
            json!({
                "cipher": session.org_login_item_body(&org_id, &org.key, &format!("Org item {i}"), "u", "p"),
                "collectionIds": [shared],
            })
        })
        .collect();
    let create_elapsed = create_all(&session, "/api/ciphers/create", bodies).await;
    let (member_sync, size, count) = measure_sync(&member, syncs).await;
    assert_eq!(count, items);
    let (owner_sync, owner_size, owner_count) = measure_sync(&session, syncs).await;
    assert_eq!(owner_count, 2 * items);
    println!(
        "{backend:?} organization: create {items} org items: {:.0} items/s | member sync of {items} items via a collection ({size:.1} MiB): {member_sync} | owner sync of {owner_count} items ({owner_size:.1} MiB): {owner_sync} | peak RSS {:.0} MiB",
        items as f64 / create_elapsed.as_secs_f64(),
        peak_rss_mib(),
    );
    server.stop().await;
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let raw: Vec<String> = std::env::args().skip(1).collect();
    // `cargo test --all-targets` runs this once without `--bench`: a quick pass that proves it
    // still works; `cargo bench` measures.
    let measuring = raw.iter().any(|a| a == "--bench");
    let args: Vec<&String> = raw.iter().filter(|a| !a.starts_with("--")).collect();
    let (default_items, default_syncs) = if measuring { (10_000, 50) } else { (500, 3) };
    let items = args
        .first()
        .and_then(|a| a.parse().ok())
        .unwrap_or(default_items);
    let syncs = args
        .get(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(default_syncs);
    for backend in backends() {
        run(backend, items, syncs).await;
    }
}
