//! Load benchmark (not a test): the release `keyfleet serve` in a process of its own, on plain
//! HTTP over loopback, driven by a load generator in this process (reqwest, one keep-alive
//! connection per simulated client, bodies built and encrypted before the clock starts). For each
//! operation and concurrency it reports p50/p99 latency, throughput, the **server's** CPU per
//! request (utime + stime of the server process from `/proc`, before and after) and the server's
//! peak RSS during that phase (`/proc/PID/clear_refs` resets the high-water mark, `VmHWM` reads
//! it):
//!
//! - sync of 1,000 and 10,000 personal items, 1 and 8 concurrent clients (8 accounts: a sync
//!   holds one of 4 slots per account);
//! - item create and update, 1 and 8 concurrent clients;
//! - login (password grant; the server's Argon2id of the master password hash dominates);
//! - a large organization: a member of an organization with ITEMS items and MEMBERS confirmed
//!   members syncs it, so does its owner, and so does a member granted only a collection of 50
//!   of its items; then items are created in it (a write bumps every member's revision date).
//!
//! On PostgreSQL each seeding is followed by `VACUUM ANALYZE` (see [`settle`]). When measuring,
//! the PostgreSQL cluster syncs as a deployment's does (`KEYFLEET_PG_DURABLE=1`: fsync,
//! synchronous commits and full page writes on; the tests' throwaway clusters have them off), so
//! its write figures compare with SQLite's, whose commits reach the WAL file in either case.
//!
//! `cargo bench -p keyfleet-cli --bench load -- [ITEMS] [MEMBERS] [sqlite|postgres|both] [SYNCS]`
//! (defaults 10,000 items, 500 members, both databases, 30 syncs per phase; `KEYFLEET_BIN=path` measures another
//! build of the server, e.g. a copy made before a change). `cargo test --all-targets` runs it
//! briefly (200 items, 5 members, small counts) to prove it still works. The load generator
//! shares the machine with the server: run it on an otherwise idle machine and give its core
//! count with the figures.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::disallowed_methods)]

mod support;

use keyfleet_client::{Access, Client, CreatedOrg, Session};
use keyfleet_crypto::Kdf;
use keyfleet_testkit::{backends, fresh_database_url, Backend};
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use support::{serve, token_form};

const PASSWORD: &str = "a load-test passphrase long enough";
const FAST: Kdf = Kdf::Argon2id {
    iterations: 2,
    memory_mib: 16,
    parallelism: 1,
};
/// Items per import request while seeding.
const IMPORT_BATCH: usize = 5_000;
/// Items of the small collection in the large organization.
const FEW_ITEMS: usize = 50;

/// The server's CPU time so far (user + system), from `/proc/PID/stat` (clock ticks of 10 ms).
fn cpu(pid: u32) -> Duration {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    let rest = &stat[stat.rfind(')').unwrap() + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = f[11].parse::<u64>().unwrap() + f[12].parse::<u64>().unwrap();
    Duration::from_millis(ticks * 10)
}

/// Resets the server's peak RSS (`VmHWM`) to its current RSS.
fn reset_peak(pid: u32) {
    let _ = std::fs::write(format!("/proc/{pid}/clear_refs"), "5");
}

fn peak_mib(pid: u32) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .unwrap_or(0.0)
        / 1024.0
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// One simulated client: an account's token and a connection of its own.
#[derive(Clone)]
struct Agent {
    http: reqwest::Client,
    base: String,
    token: String,
}

impl Agent {
    fn new(base: &str, session: &Session) -> Agent {
        Agent {
            http: reqwest::Client::builder()
                .pool_max_idle_per_host(1)
                .build()
                .unwrap(),
            base: base.to_string(),
            token: session.access_token.clone(),
        }
    }

    /// Sends one request, reads the whole answer, and answers (status, body length).
    async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&Value>,
    ) -> (u16, usize) {
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&self.token);
        if let Some(body) = body {
            req = req.json(body);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status().as_u16();
        let len = resp.bytes().await.unwrap().len();
        (status, len)
    }
}

/// A request to make: method, path, body.
type Call = (reqwest::Method, String, Option<Value>);

/// Runs each agent's calls in order, the agents concurrently; prints one line of figures.
async fn phase(pid: u32, label: &str, work: Vec<(Agent, Vec<Call>)>) {
    let requests: usize = work.iter().map(|(_, calls)| calls.len()).sum();
    reset_peak(pid);
    let cpu_before = cpu(pid);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (agent, calls) in work {
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(calls.len());
            let mut bytes = 0;
            for (method, path, body) in calls {
                let t = Instant::now();
                let (status, len) = agent.send(method, &path, body.as_ref()).await;
                latencies.push(t.elapsed());
                assert!(status < 300, "{path}: {status}");
                bytes = len;
            }
            (latencies, bytes)
        }));
    }
    let mut latencies = Vec::new();
    let mut bytes = 0;
    for t in tasks {
        let (l, b) = t.await.unwrap();
        latencies.extend(l);
        bytes = b;
    }
    let elapsed = started.elapsed();
    let server_cpu = cpu(pid).saturating_sub(cpu_before);
    latencies.sort();
    println!(
        "  {label:<34} n={requests:<5} p50 {:>8.1} ms  p99 {:>8.1} ms  {:>8.1}/s  server CPU {:>6.1} ms/req  peak RSS {:>6.1} MiB  ({:.1} MiB answers)",
        ms(percentile(&latencies, 0.5)),
        ms(percentile(&latencies, 0.99)),
        requests as f64 / elapsed.as_secs_f64(),
        ms(server_cpu) / requests as f64,
        peak_mib(pid),
        bytes as f64 / 1024.0 / 1024.0,
    );
}

async fn account(client: &Client, email: &str) -> Session {
    client.register(email, PASSWORD, None, FAST).await.unwrap();
    client.login_password(email, PASSWORD).await.unwrap()
}

/// An item body the size of a typical login with a URI and a note (about 1.3 KB stored).
fn item_body(s: &Session, i: usize) -> Value {
    let mut body = json!(s.login_item_body(
        &format!("Item {i}"),
        &format!("user{i}@example.com"),
        &format!("password-{i}-0123456789"),
    ));
    body["notes"] = json!(s.encrypt(&"Some notes about this login. ".repeat(6)));
    body["login"]["uris"] =
        json!([{"uri": s.encrypt(&format!("https://site{i}.example.com/login")), "match": null}]);
    body
}

/// Gives `session` `items` personal items through the import route.
async fn seed(base: &str, session: &Session, items: usize) {
    let agent = Agent::new(base, session);
    let mut start = 0;
    while start < items {
        let end = (start + IMPORT_BATCH).min(items);
        let ciphers: Vec<Value> = (start..end).map(|i| item_body(session, i)).collect();
        let body = json!({"ciphers": ciphers, "folders": [], "folderRelationships": []});
        let (status, _) = agent
            .send(reqwest::Method::POST, "/api/ciphers/import", Some(&body))
            .await;
        assert_eq!(status, 200);
        start = end;
    }
}

fn syncs(agents: &[Agent], each: usize) -> Vec<(Agent, Vec<Call>)> {
    agents
        .iter()
        .map(|a| {
            let calls = (0..each)
                .map(|_| {
                    (
                        reqwest::Method::GET,
                        "/api/sync?excludeDomains=true".to_string(),
                        None,
                    )
                })
                .collect();
            (a.clone(), calls)
        })
        .collect()
}

struct Sizes {
    items: usize,
    members: usize,
    syncs: usize,
    writes: usize,
    logins: usize,
}

async fn run(backend: Backend, sz: &Sizes) {
    let dir = tempfile::tempdir().unwrap();
    let (db_url, _db) = match backend {
        Backend::Sqlite => (None, None),
        Backend::Postgres => {
            let (url, g) = fresh_database_url(Backend::Postgres).await;
            (Some(url), Some(g))
        }
    };
    let server = serve(
        &dir.path().join("data"),
        db_url.as_deref(),
        &["--insecure-http"],
    );
    let pid = server.child.id();
    let base = server.url.clone();
    let client = Client::new(&base, None).unwrap();
    let synced = match backend {
        Backend::Sqlite => "",
        _ if keyfleet_testkit::pg_durable() => ", cluster syncing",
        _ => ", cluster not syncing: write figures flattered",
    };
    println!(
        "{backend:?} ({} cores{synced}):",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );

    // Eight accounts with `items` items, eight with a tenth of that.
    let mut big = Vec::new();
    let mut small = Vec::new();
    for n in 0..8 {
        let s = account(&client, &format!("big{n}@load.example")).await;
        seed(&base, &s, sz.items).await;
        big.push(s);
        let s = account(&client, &format!("small{n}@load.example")).await;
        seed(&base, &s, sz.items / 10).await;
        small.push(s);
    }
    settle(db_url.as_deref());
    let big_agents: Vec<Agent> = big.iter().map(|s| Agent::new(&base, s)).collect();
    let small_agents: Vec<Agent> = small.iter().map(|s| Agent::new(&base, s)).collect();
    let (k, k10) = (sz.items, sz.items / 10);
    let each8 = sz.syncs.div_ceil(8).max(2);
    phase(
        pid,
        &format!("sync {k10} items, 1 client"),
        syncs(&small_agents[..1], sz.syncs),
    )
    .await;
    phase(
        pid,
        &format!("sync {k10} items, 8 clients"),
        syncs(&small_agents, each8),
    )
    .await;
    phase(
        pid,
        &format!("sync {k} items, 1 client"),
        syncs(&big_agents[..1], sz.syncs),
    )
    .await;
    phase(
        pid,
        &format!("sync {k} items, 8 clients"),
        syncs(&big_agents, each8),
    )
    .await;

    // Writes into the small vaults: creates, then updates of what was created.
    for clients in [1usize, 8] {
        let per = sz.writes / clients;
        let work = small_agents[..clients]
            .iter()
            .zip(&small)
            .map(|(a, s)| {
                let calls = (0..per)
                    .map(|i| {
                        (
                            reqwest::Method::POST,
                            "/api/ciphers".to_string(),
                            Some(item_body(s, i)),
                        )
                    })
                    .collect();
                (a.clone(), calls)
            })
            .collect();
        phase(pid, &format!("create, {clients} client(s)"), work).await;
    }
    for clients in [1usize, 8] {
        let per = sz.writes / clients;
        let mut work = Vec::new();
        for (a, s) in small_agents[..clients].iter().zip(&small) {
            let sync = s.sync_json().await.unwrap();
            let ids: Vec<String> = sync["ciphers"]
                .as_array()
                .unwrap()
                .iter()
                .take(per)
                .map(|c| c["id"].as_str().unwrap().to_string())
                .collect();
            let calls = ids
                .iter()
                .enumerate()
                .map(|(i, id)| {
                    (
                        reqwest::Method::PUT,
                        format!("/api/ciphers/{id}"),
                        Some(item_body(s, i + 1)),
                    )
                })
                .collect();
            work.push((a.clone(), calls));
        }
        phase(pid, &format!("update, {clients} client(s)"), work).await;
    }

    // Logins: the password grant as the official clients send it.
    for clients in [1usize, 8] {
        let mut tasks = Vec::new();
        reset_peak(pid);
        let cpu_before = cpu(pid);
        let started = Instant::now();
        for (n, s) in small[..clients].iter().enumerate() {
            let c = Client::new(&base, None).unwrap();
            let email = s.email.clone();
            let count = sz.logins;
            tasks.push(tokio::spawn(async move {
                let (hash, _) = c.password_hash(&email, PASSWORD).await.unwrap();
                let address = format!("198.51.100.{}", n + 1);
                let mut lat = Vec::new();
                for _ in 0..count {
                    let t = Instant::now();
                    let r = c
                        .raw_with_headers(
                            keyfleet_client::Method::POST,
                            "/identity/connect/token",
                            None,
                            token_form(&email, &hash, c.device_identifier(), "load"),
                            &[("x-forwarded-for", address.as_str())],
                        )
                        .await
                        .unwrap();
                    assert_eq!(r.status, 200, "{}", r.body);
                    lat.push(t.elapsed());
                }
                lat
            }));
        }
        let mut lat = Vec::new();
        for t in tasks {
            lat.extend(t.await.unwrap());
        }
        let elapsed = started.elapsed();
        let server_cpu = cpu(pid).saturating_sub(cpu_before);
        lat.sort();
        println!(
            "  {:<34} n={:<5} p50 {:>8.1} ms  p99 {:>8.1} ms  {:>8.1}/s  server CPU {:>6.1} ms/req  peak RSS {:>6.1} MiB",
            format!("login, {clients} client(s)"),
            lat.len(),
            ms(percentile(&lat, 0.5)),
            ms(percentile(&lat, 0.99)),
            lat.len() as f64 / elapsed.as_secs_f64(),
            ms(server_cpu) / lat.len() as f64,
            peak_mib(pid),
        );
    }

    large_org(&base, pid, &client, sz, db_url.as_deref()).await;
    println!(
        "  server peak RSS over the whole run: {:.1} MiB",
        peak_mib(pid)
    );
}

/// New accounts for `emails`, confirmed as Users of `org` with edit access to `collection`.
async fn join(
    client: &Client,
    owner: &Session,
    org: &CreatedOrg,
    emails: &[&str],
    collection: &str,
) -> Vec<Session> {
    let org_id = &org.org.id;
    let invites = owner
        .invite_members(org_id, emails, 2, &[(collection.to_string(), Access::EDIT)])
        .await
        .unwrap();
    let mut members = Vec::with_capacity(emails.len());
    for (email, invite) in emails.iter().zip(&invites) {
        let member = account(client, email).await;
        member
            .accept_invite(org_id, &invite.id, invite.token.as_deref().unwrap())
            .await
            .unwrap();
        owner
            .confirm_member(org_id, &invite.id, &org.key)
            .await
            .unwrap();
        members.push(member);
    }
    members
}

/// After seeding, on PostgreSQL: `VACUUM ANALYZE`, the state autovacuum leaves a table in
/// soon after a large import. Measured right after the import instead, a sync also pays for
/// the new rows' first reads (hint bits, no visibility map, no statistics), once.
fn settle(db_url: Option<&str>) {
    if let Some(url) = db_url {
        let done = std::process::Command::new(keyfleet_testkit::pg_tool("psql"))
            .args([url, "-qc", "VACUUM ANALYZE"])
            .status()
            .unwrap();
        assert!(done.success(), "VACUUM ANALYZE failed");
    }
}

/// An organization with `items` items and `members` confirmed members: a member's, its owner's
/// and a 50-item member's sync, and item creation in it.
async fn large_org(base: &str, pid: u32, client: &Client, sz: &Sizes, db_url: Option<&str>) {
    let owner = account(client, "owner@load.example").await;
    let org = owner
        .create_org(
            "Load Co",
            "owner@load.example",
            19,
            Some(sz.members as i32 + 10),
            "Everything",
        )
        .await
        .unwrap();
    let org_id = org.org.id.clone();
    let collections: Value = owner
        .call(
            keyfleet_client::Method::GET,
            &format!("/api/organizations/{org_id}/collections"),
            None,
        )
        .await
        .unwrap();
    let collection = collections["data"][0]["id"].as_str().unwrap().to_string();
    let mut first_member = None;
    let emails: Vec<String> = (0..sz.members)
        .map(|n| format!("member{n}@load.example"))
        .collect();
    for batch in emails.chunks(20) {
        let refs: Vec<&str> = batch.iter().map(String::as_str).collect();
        let joined = join(client, &owner, &org, &refs, &collection).await;
        if first_member.is_none() {
            first_member = joined.into_iter().next();
        }
    }
    let member = first_member.expect("at least one member");
    // The items, imported into the collection by the owner.
    let owner_agent = Agent::new(base, &owner);
    let mut start = 0;
    while start < sz.items {
        let end = (start + IMPORT_BATCH).min(sz.items);
        let ciphers: Vec<Value> = (start..end)
            .map(|i| {
                json!(owner.org_login_item_body(
                    &org_id,
                    &org.key,
                    &format!("Org item {i}"),
                    "u",
                    "p"
                ))
            })
            .collect();
        let relationships: Vec<Value> = (0..end - start)
            .map(|i| json!({"key": i, "value": 0}))
            .collect();
        let body = json!({
            "ciphers": ciphers,
            "collections": [{"id": collection, "name": owner.encrypt("x")}],
            "collectionRelationships": relationships,
        });
        let (status, _) = owner_agent
            .send(
                reqwest::Method::POST,
                &format!("/api/ciphers/import-organization?organizationId={org_id}"),
                Some(&body),
            )
            .await;
        assert_eq!(status, 200);
        start = end;
    }
    // A member granted a small collection of the same organization: their sync reads their
    // items, not the organization's.
    let few = owner
        .create_collection(&org_id, &org.key, "Few", &[])
        .await
        .unwrap()
        .collection
        .id
        .to_string();
    let few_member = join(client, &owner, &org, &["few@load.example"], &few)
        .await
        .remove(0);
    for i in 0..FEW_ITEMS {
        let body = json!({
            "cipher": owner.org_login_item_body(&org_id, &org.key, &format!("Few {i}"), "u", "p"),
            "collectionIds": [few],
        });
        let (status, _) = owner_agent
            .send(reqwest::Method::POST, "/api/ciphers/create", Some(&body))
            .await;
        assert_eq!(status, 200);
    }
    settle(db_url);
    let member_agent = Agent::new(base, &member);
    let k = sz.items;
    phase(
        pid,
        &format!("org member sync {k}, {} members", sz.members),
        syncs(std::slice::from_ref(&member_agent), sz.syncs),
    )
    .await;
    phase(
        pid,
        &format!("org owner sync {}", k + FEW_ITEMS),
        syncs(std::slice::from_ref(&owner_agent), sz.syncs),
    )
    .await;
    phase(
        pid,
        &format!("org member sync {FEW_ITEMS} of {}", k + FEW_ITEMS),
        syncs(&[Agent::new(base, &few_member)], sz.syncs),
    )
    .await;
    let calls = (0..sz.writes)
        .map(|i| {
            (
                reqwest::Method::POST,
                "/api/ciphers/create".to_string(),
                Some(json!({
                    "cipher": owner.org_login_item_body(&org_id, &org.key, &format!("New {i}"), "u", "p"),
                    "collectionIds": [collection],
                })),
            )
        })
        .collect();
    phase(
        pid,
        &format!("org create, {} members, 1 client", sz.members),
        vec![(owner_agent, calls)],
    )
    .await;
}

fn main() {
    let raw: Vec<String> = std::env::args().skip(1).collect();
    // `cargo test --all-targets` runs this once without `--bench`: a brief pass that proves it
    // still works; `cargo bench` measures.
    let measuring = raw.iter().any(|a| a == "--bench");
    if measuring {
        // Read when the cluster starts, on first use; no other thread runs yet.
        std::env::set_var("KEYFLEET_PG_DURABLE", "1");
    }
    let args: Vec<&String> = raw.iter().filter(|a| !a.starts_with("--")).collect();
    let mut sz = if measuring {
        Sizes {
            items: 10_000,
            members: 500,
            syncs: 30,
            writes: 2_000,
            logins: 10,
        }
    } else {
        Sizes {
            items: 200,
            members: 5,
            syncs: 2,
            writes: 16,
            logins: 1,
        }
    };
    if let Some(items) = args.first().and_then(|a| a.parse().ok()) {
        sz.items = items;
    }
    if let Some(members) = args.get(1).and_then(|a| a.parse().ok()) {
        sz.members = members;
    }
    let which = args.get(2).map_or("both", |a| a.as_str());
    if let Some(syncs) = args.get(3).and_then(|a| a.parse().ok()) {
        sz.syncs = syncs;
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    for backend in backends() {
        let name = format!("{backend:?}").to_lowercase();
        if which == "both" || which == name {
            rt.block_on(run(backend, &sz));
        }
    }
}
