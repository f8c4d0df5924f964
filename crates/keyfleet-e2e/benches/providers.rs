//! Benchmark (not a test): does the cost of a provider member's requests stay flat as the
//! provider grows into thousands of clients? Seeds a provider through the API, then measures a
//! technician assigned to one client (sync, a client-org call through the provider, the client
//! list) and the owner (client list, usage report, sync listing every client) at a small and a
//! large client count, on SQLite and PostgreSQL. Run with
//! `cargo bench -p keyfleet-e2e --bench providers` (optionally `-- CLIENTS REPEATS`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::disallowed_methods)]

use keyfleet_client::{Client, MemberRole, Method, ProviderCalls, RawBody, Session};
use keyfleet_testkit::{backends, spawn_server, Backend};
use std::time::{Duration, Instant};

const SMALL: usize = 10;

#[path = "support/mod.rs"]
mod support;
use support::{add_clients, member, provider_with_template};

fn client_name(i: usize) -> String {
    format!("Client {i:05}")
}

/// p50 and p99 of `repeats` timed GETs of `path` by `who`.
async fn time_get(who: &Session, path: &str, repeats: usize) -> String {
    let mut times = Vec::with_capacity(repeats);
    let mut bytes = 0;
    for _ in 0..repeats {
        let t = Instant::now();
        let r = who
            .client()
            .raw(Method::GET, path, Some(&who.access_token), RawBody::Empty)
            .await
            .unwrap();
        times.push(t.elapsed());
        assert_eq!(r.status, 200, "{path}: {}", r.body);
        bytes = r.body.len();
    }
    times.sort();
    let at = |p: f64| times[((times.len() - 1) as f64 * p).round() as usize];
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    format!(
        "p50 {:>7.1} ms  p99 {:>7.1} ms  ({:.0} KiB)",
        ms(at(0.5)),
        ms(at(0.99)),
        bytes as f64 / 1024.0
    )
}

async fn measure(
    label: &str,
    owner: &Session,
    tech: &Session,
    provider: &str,
    org: &str,
    repeats: usize,
) {
    println!("  {label}");
    println!(
        "    technician sync                  {}",
        time_get(tech, "/api/sync?excludeDomains=true", repeats).await
    );
    println!(
        "    technician client org members    {}",
        time_get(tech, &format!("/api/organizations/{org}/users"), repeats).await
    );
    println!(
        "    technician client list           {}",
        time_get(
            tech,
            &format!("/api/providers/{provider}/organizations"),
            repeats
        )
        .await
    );
    println!(
        "    owner client list                {}",
        time_get(
            owner,
            &format!("/api/providers/{provider}/organizations"),
            repeats
        )
        .await
    );
    println!(
        "    owner usage report               {}",
        time_get(
            owner,
            &format!("/api/providers/{provider}/reports/usage"),
            repeats
        )
        .await
    );
    println!(
        "    owner sync (every client)        {}",
        time_get(owner, "/api/sync?excludeDomains=true", repeats).await
    );
}

async fn run(backend: Backend, clients: usize, repeats: usize) {
    let server = spawn_server(backend).await;
    let client = Client::new(&server.base_url, Some(&server.ca_pem)).unwrap();
    let (owner, _, _) = member(&client, "owner@msp.example").await;
    let (provider, template) = provider_with_template(&client, &owner, "billing@msp.example").await;

    add_clients(&owner, &provider, &template, 0, SMALL, client_name).await;
    let list = owner.provider_clients(&provider).await.unwrap();
    let assigned = &list[0];
    let poid = assigned.id.clone();
    let org = assigned.organization_id.clone();

    let (tech, _, _) = member(&client, "tech@msp.example").await;
    let invite = owner
        .invite_provider_members(
            &provider,
            &["tech@msp.example".into()],
            &MemberRole::Technician,
            &[poid],
        )
        .await
        .unwrap();
    let tech_id = invite[0].id.clone();
    tech.accept_provider_invite(&provider, &tech_id, &invite[0].token)
        .await
        .unwrap();
    owner
        .confirm_provider_member(&provider, &tech_id)
        .await
        .unwrap();

    println!("{backend:?}: one provider, a technician assigned to one client");
    measure(
        &format!("{SMALL} clients"),
        &owner,
        &tech,
        &provider,
        &org,
        repeats,
    )
    .await;
    let took = add_clients(
        &owner,
        &provider,
        &template,
        SMALL,
        clients - SMALL,
        client_name,
    )
    .await;
    println!(
        "  created {} more clients in {:.1} s ({:.0} clients/s)",
        clients - SMALL,
        took.as_secs_f64(),
        (clients - SMALL) as f64 / took.as_secs_f64()
    );
    measure(
        &format!("{clients} clients"),
        &owner,
        &tech,
        &provider,
        &org,
        repeats,
    )
    .await;
    server.stop().await;
}

#[tokio::main]
async fn main() {
    let raw: Vec<String> = std::env::args().skip(1).collect();
    // `cargo test --all-targets` runs this once without `--bench`: a quick pass that proves it
    // still works; `cargo bench` measures.
    let measuring = raw.iter().any(|a| a == "--bench");
    let args: Vec<usize> = raw.iter().filter_map(|a| a.parse().ok()).collect();
    let (default_clients, default_repeats) = if measuring {
        (2_000, 30)
    } else {
        (SMALL + 5, 2)
    };
    let clients = args
        .first()
        .copied()
        .unwrap_or(default_clients)
        .max(SMALL + 1);
    let repeats = args.get(1).copied().unwrap_or(default_repeats).max(1);
    for backend in backends() {
        run(backend, clients, repeats).await;
    }
}
