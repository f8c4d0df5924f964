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

use keyfleet_client::{Client, Method, RawBody};
use keyfleet_testkit::{spawn_server_for_browser, Backend};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const OWNER: &str = "owner@bench.example";

/// `console/` in the repository.
fn console_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../console")
}

#[path = "support/mod.rs"]
mod support;
use support::{add_clients, member, provider_with_template, PASSWORD};

/// "Client 0001" … (the console's search is measured on "Client 1999").
fn client_name(i: usize) -> String {
    format!("Client {i:04}")
}

async fn run(clients: usize, chromium: &Path) {
    let server = spawn_server_for_browser(Backend::Sqlite).await;
    let client = Client::new(&server.base_url, Some(&server.ca_pem)).unwrap();
    let (owner, secret, spent_step) = member(&client, OWNER).await;
    let (provider, template) =
        provider_with_template(&client, &owner, "billing@bench.example").await;
    let started = Instant::now();
    add_clients(&owner, &provider, &template, 1, clients, client_name).await;
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
