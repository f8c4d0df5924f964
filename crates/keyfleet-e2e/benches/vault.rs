//! Benchmark (not a test): seed a 10,000-item vault through the API and measure cipher-create
//! throughput and `/api/sync` latency on SQLite and PostgreSQL. Run with
//! `cargo bench -p keyfleet-e2e --bench vault` (optionally `-- ITEMS SYNCS`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::disallowed_methods)]

use keyfleet_client::{Client, Method, RawBody};
use keyfleet_crypto::Kdf;
use keyfleet_testkit::{backends, spawn_server, Backend};
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

async fn run(backend: Backend, items: usize, syncs: usize) {
    let server = spawn_server(backend).await;
    let client = Client::new(&server.base_url, Some(&server.ca_pem)).unwrap();
    client
        .register("bench@example.com", PASSWORD, None, Kdf::default_pbkdf2())
        .await
        .unwrap();
    let session = Arc::new(
        client
            .login_password("bench@example.com", PASSWORD)
            .await
            .unwrap(),
    );

    // Encrypt up front so the timing measures the server, not client-side AES.
    let bodies: Vec<_> = (0..items)
        .map(|i| {
            session.login_item_body(
                &format!("Item {i}"),
                &format!("user{i}@example.com"),
                &format!("password-{i}"),
            )
        })
        .collect();
    let per_writer = items.div_ceil(WRITERS);
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
                        "/api/ciphers",
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
    let create_elapsed = started.elapsed();

    let mut latencies = Vec::with_capacity(syncs);
    let mut size = 0;
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
        size = r.body.len();
    }
    let check: serde_json::Value = serde_json::from_str(
        &session
            .client()
            .raw(
                Method::GET,
                "/api/sync?excludeDomains=true",
                Some(&session.access_token),
                RawBody::Empty,
            )
            .await
            .unwrap()
            .body,
    )
    .unwrap();
    assert_eq!(check["ciphers"].as_array().unwrap().len(), items);
    latencies.sort();
    println!(
        "{backend:?}: create {items} items with {WRITERS} writers: {:.0} items/s ({:.2} ms/item) | sync of {items} items ({:.1} MiB): p50 {} p99 {} (n={syncs}) | peak RSS of bench process {:.0} MiB",
        items as f64 / create_elapsed.as_secs_f64(),
        create_elapsed.as_secs_f64() * 1000.0 / items as f64,
        size as f64 / 1024.0 / 1024.0,
        ms(percentile(&latencies, 0.5)),
        ms(percentile(&latencies, 0.99)),
        peak_rss_mib(),
    );
    server.stop().await;
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let items = args.first().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let syncs = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(50);
    for backend in backends() {
        run(backend, items, syncs).await;
    }
}
