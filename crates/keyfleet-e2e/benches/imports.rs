//! Benchmark (not a test): one `bw import`-sized request of 10,000 logins into an organization
//! (new collections, one event per item) and into a personal vault (with folders), timed from
//! the request to the answer — the body's transfer and parsing, every item's validation and the
//! one transaction. The items are encrypted beforehand, outside the timing, as a client would.
//! Run with `cargo bench -p keyfleet-e2e --bench imports` (optionally `-- ITEMS`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::disallowed_methods)]

use keyfleet_client::api::imports::{
    ImportCiphersRequest, ImportFolderRequest, ImportRelationship,
};
use keyfleet_client::{org_import_request, parse_import, Client, ImportFormat, TransferCalls};
use keyfleet_crypto::Kdf;
use keyfleet_testkit::{backends, spawn_server, Backend};
use std::time::{Duration, Instant};

const PASSWORD: &str = "benchmark passphrase";

fn lastpass(items: usize) -> String {
    let mut s = String::from("url,username,password,totp,extra,name,grouping,fav\n");
    for i in 0..items {
        s.push_str(&format!(
            "https://host{i}.client.example/login,user{i}@client.example,S3cret-{i}-pw,,note {i},Item {i},Shared-Client\\Group {},0\n",
            i % 20
        ));
    }
    s
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

async fn run(backend: Backend, items: usize) {
    let server = spawn_server(backend).await;
    let client = Client::new(&server.base_url, Some(&server.ca_pem)).unwrap();
    let email = "bench@msp.example";
    client
        .register(email, PASSWORD, None, Kdf::default_pbkdf2())
        .await
        .unwrap();
    let s = client.login_password(email, PASSWORD).await.unwrap();
    let org = s
        .create_org("Bench client", "it@client.example", 19, Some(10), "General")
        .await
        .unwrap();
    let plain = parse_import(ImportFormat::LastPassCsv, &lastpass(items)).unwrap();

    let req = org_import_request(&org.org.id, &org.key, &s.user_id, &plain, &[]);
    let body = serde_json::to_vec(&req).unwrap().len();
    let t = Instant::now();
    s.import_org_ciphers(&org.org.id, &req).await.unwrap();
    let org_time = t.elapsed();

    let personal = ImportCiphersRequest {
        folders: (0..20)
            .map(|i| ImportFolderRequest {
                id: None,
                name: s.encrypt(&format!("Folder {i}")),
            })
            .collect(),
        ciphers: (0..items)
            .map(|i| s.login_item_body(&format!("Item {i}"), &format!("user{i}"), "S3cret-pw"))
            .collect(),
        folder_relationships: (0..items)
            .map(|i| ImportRelationship {
                key: i as i64,
                value: (i % 20) as i64,
            })
            .collect(),
    };
    let t = Instant::now();
    s.import_ciphers(&personal).await.unwrap();
    let personal_time = t.elapsed();
    let synced = s.sync_json().await.unwrap()["ciphers"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(synced, 2 * items);
    println!(
        "{backend:?}: {items} items ({:.1} MiB body) into an organization in {} (20 new collections, {items} events); \
         {items} personal items with 20 folders in {}",
        body as f64 / (1024.0 * 1024.0),
        secs(org_time),
        secs(personal_time)
    );
    server.stop().await;
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let raw: Vec<String> = std::env::args().skip(1).collect();
    // `cargo test --all-targets` runs this once without `--bench`: a quick pass that proves it
    // still works; `cargo bench` measures.
    let measuring = raw.iter().any(|a| a == "--bench");
    let args: Vec<&String> = raw.iter().filter(|a| !a.starts_with("--")).collect();
    let items = args
        .first()
        .and_then(|a| a.parse().ok())
        .unwrap_or(if measuring { 10_000 } else { 200 });
    for backend in backends() {
        run(backend, items).await;
    }
}
