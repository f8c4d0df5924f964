//! Soak benchmark (not a test): the release `keyfleet serve`, in a process of its own, under N
//! simulated users for M minutes — each syncing, creating and editing items and logging in,
//! from an address of its own behind a trusted proxy — plus attackers guessing passwords from
//! other addresses. Reports per operation the count, unexpected errors (anything but the
//! intended 429/503), p50/p99, and the server's peak RSS and open file descriptors, sampled
//! every 100 ms from /proc; then a burst of 200 concurrent wrong passwords from 200 addresses and
//! the server's RSS before it and at its peak. Loopback only.
//!
//! `cargo bench -p keyfleet-cli --bench soak -- [USERS] [SECONDS] [ITEMS] [sqlite|postgres|both]`
//! (defaults: 20 users, 120 seconds, 300 items each, both databases). `cargo test --all-targets`
//! runs it briefly (2 users, 5 s, 20 items) to prove it still works.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::disallowed_methods)]

mod support;

use keyfleet_client::{Client, Method, RawBody, Session};
use keyfleet_crypto::Kdf;
use keyfleet_testkit::{backends, fresh_database_url, Backend};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use support::{serve, token_form, Server};

const PASSWORD: &str = "a soak-test passphrase long enough";
const FAST: Kdf = Kdf::Argon2id {
    iterations: 2,
    memory_mib: 16,
    parallelism: 1,
};

/// (RSS MiB, open descriptors) of a process.
fn sample(pid: u32) -> (f64, usize) {
    let rss = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .unwrap_or(0.0)
        / 1024.0;
    let fds = std::fs::read_dir(format!("/proc/{pid}/fd"))
        .map(|d| d.count())
        .unwrap_or(0);
    (rss, fds)
}

#[derive(Default)]
struct Stats {
    latencies: BTreeMap<&'static str, Vec<Duration>>,
    errors: BTreeMap<&'static str, Vec<String>>,
    intended: BTreeMap<&'static str, u64>,
}

impl Stats {
    fn record(&mut self, op: &'static str, took: Duration, status: u16, intended: &[u16]) {
        self.latencies.entry(op).or_default().push(took);
        if intended.contains(&status) {
            *self.intended.entry(op).or_default() += 1;
        } else if !(200..300).contains(&status) {
            self.errors.entry(op).or_default().push(format!("{status}"));
        }
    }
}

struct User {
    session: Session,
    hash: String,
    address: String,
    items: Vec<String>,
}

async fn soak(backend: Backend, users: usize, seconds: u64, items: usize) {
    let dir = tempfile::tempdir().unwrap();
    let (db_url, _db) = match backend {
        Backend::Sqlite => (None, None),
        Backend::Postgres => {
            let (url, g) = fresh_database_url(Backend::Postgres).await;
            (Some(url), Some(g))
        }
    };
    let data = dir.path().join("data");
    let server = serve(&data, db_url.as_deref(), &[]);
    let pid = server.child.id();
    let ca = data.join("tls/ca.pem");
    let idle = sample(pid);

    // Users, each with a vault.
    let mut people = Vec::new();
    for u in 0..users {
        let c = Client::new(&server.url, Some(&ca)).unwrap();
        let email = format!("user{u}@soak.example");
        c.register(&email, PASSWORD, None, FAST).await.unwrap();
        let session = c.login_password(&email, PASSWORD).await.unwrap();
        let (hash, _) = c.password_hash(&email, PASSWORD).await.unwrap();
        let mut ids = Vec::new();
        for i in 0..items {
            ids.push(
                session
                    .create_login(&format!("item {i}"), "u", "p")
                    .await
                    .unwrap()
                    .id,
            );
        }
        people.push(User {
            session,
            hash,
            address: format!("198.51.100.{}", u % 250 + 1),
            items: ids,
        });
    }
    let seeded = sample(pid);

    let stats = Arc::new(Mutex::new(Stats::default()));
    let stop = Arc::new(AtomicBool::new(false));
    let peak_rss = Arc::new(AtomicU64::new(0));
    let peak_fds = Arc::new(AtomicU64::new(0));
    let sampler = {
        let (stop, peak_rss, peak_fds) = (stop.clone(), peak_rss.clone(), peak_fds.clone());
        tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                let (rss, fds) = sample(pid);
                peak_rss.fetch_max((rss * 10.0) as u64, Ordering::Relaxed);
                peak_fds.fetch_max(fds as u64, Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        })
    };
    let started = Instant::now();
    let deadline = started + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for (n, u) in people.into_iter().enumerate() {
        let stats = stats.clone();
        tasks.push(tokio::spawn(async move {
            let c = u.session.client();
            let xff = [("x-forwarded-for", u.address.as_str())];
            let device = format!("5b6d1a3c-0000-4000-8000-{n:012}");
            let mut step = n as u64;
            while Instant::now() < deadline {
                step = step
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let roll = (step >> 33) % 100;
                let t = Instant::now();
                let (op, status, intended): (&'static str, u16, &[u16]) = match roll {
                    0..=39 => {
                        let r = c
                            .raw_with_headers(
                                Method::GET,
                                "/api/sync?excludeDomains=true",
                                Some(&u.session.access_token),
                                RawBody::Empty,
                                &xff,
                            )
                            .await;
                        ("sync", r.map_or(0, |r| r.status), &[503])
                    }
                    40..=59 => {
                        let body = u.session.login_item_body("soak item", "u", "p");
                        let r = c
                            .raw_with_headers(
                                Method::POST,
                                "/api/ciphers",
                                Some(&u.session.access_token),
                                RawBody::typed(&body).unwrap(),
                                &xff,
                            )
                            .await;
                        ("create", r.map_or(0, |r| r.status), &[503])
                    }
                    60..=79 => {
                        let id = &u.items[(step as usize >> 7) % u.items.len()];
                        let body = u.session.login_item_body("soak edit", "u", "p");
                        let r = c
                            .raw_with_headers(
                                Method::PUT,
                                &format!("/api/ciphers/{id}"),
                                Some(&u.session.access_token),
                                RawBody::typed(&body).unwrap(),
                                &xff,
                            )
                            .await;
                        ("update", r.map_or(0, |r| r.status), &[503])
                    }
                    80..=89 => {
                        let r = c
                            .raw_with_headers(
                                Method::POST,
                                "/identity/connect/token",
                                None,
                                token_form(&u.session.email, &u.hash, &device, "soak"),
                                &xff,
                            )
                            .await;
                        ("login", r.map_or(0, |r| r.status), &[429, 503])
                    }
                    _ => {
                        // An attacker's guess at this user's password, from elsewhere.
                        let attacker = [("x-forwarded-for", "203.0.113.66")];
                        let r = c
                            .raw_with_headers(
                                Method::POST,
                                "/identity/connect/token",
                                None,
                                token_form("victim@soak.example", "d3Jvbmc=", &device, "soak"),
                                &attacker,
                            )
                            .await;
                        ("wrong-login", r.map_or(0, |r| r.status), &[400, 429, 503])
                    }
                };
                stats
                    .lock()
                    .unwrap()
                    .record(op, t.elapsed(), status, intended);
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    stop.store(true, Ordering::Relaxed);
    sampler.await.unwrap();
    let elapsed = started.elapsed();
    let stats = std::mem::take(&mut *stats.lock().unwrap());
    println!(
        "\n== {backend:?}: {users} users × {items} items, {:.0} s",
        elapsed.as_secs_f64()
    );
    println!(
        "server RSS: idle {:.0} MiB, seeded {:.0} MiB, peak under load {:.0} MiB; open fds: idle {}, peak {}",
        idle.0,
        seeded.0,
        peak_rss.load(Ordering::Relaxed) as f64 / 10.0,
        idle.1,
        peak_fds.load(Ordering::Relaxed)
    );
    println!("| op | count | per s | unexpected errors | intended 400/429/503 | p50 | p99 |");
    println!("|---|---|---|---|---|---|---|");
    for (op, mut lat) in stats.latencies {
        lat.sort_unstable();
        let pct = |p: f64| lat[((lat.len() as f64 - 1.0) * p).round() as usize];
        let errors = stats.errors.get(op).map_or(0, Vec::len);
        println!(
            "| {op} | {} | {:.0} | {errors} | {} | {:.1} ms | {:.1} ms |",
            lat.len(),
            lat.len() as f64 / elapsed.as_secs_f64(),
            stats.intended.get(op).copied().unwrap_or(0),
            pct(0.5).as_secs_f64() * 1000.0,
            pct(0.99).as_secs_f64() * 1000.0
        );
        if errors > 0 {
            let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
            for e in &stats.errors[op] {
                *kinds.entry(e.as_str()).or_default() += 1;
            }
            println!("  errors by status: {kinds:?}");
        }
    }
    burst(&server, &ca, pid, users).await;
    drop(server);
}

/// 200 concurrent wrong-password logins from 200 addresses, each for an account that exists
/// (so every one would reach Argon2id): the server's RSS before and at its peak, and how the
/// attempts were answered (400 judged, 503 busy beyond the hashing pool).
async fn burst(server: &Server, ca: &std::path::Path, pid: u32, users: usize) {
    const GUESSES: usize = 200;
    let before = sample(pid).0;
    let stop = Arc::new(AtomicBool::new(false));
    let peak = Arc::new(AtomicU64::new(0));
    let sampler = {
        let (stop, peak) = (stop.clone(), peak.clone());
        tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                peak.fetch_max((sample(pid).0 * 10.0) as u64, Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        })
    };
    let started = Instant::now();
    let mut tasks = Vec::new();
    for g in 0..GUESSES {
        let url = server.url.clone();
        let ca = ca.to_path_buf();
        tasks.push(tokio::spawn(async move {
            let c = Client::new(&url, Some(&ca)).unwrap();
            let address = format!("198.18.{}.{}", g / 250, g % 250 + 1);
            let email = format!("user{}@soak.example", g % users.max(1));
            let device = format!("5b6d1a3c-0000-4000-9000-{g:012}");
            c.raw_with_headers(
                Method::POST,
                "/identity/connect/token",
                None,
                token_form(&email, "d3Jvbmc=", &device, "soak"),
                &[("x-forwarded-for", address.as_str())],
            )
            .await
            .map_or(0, |r| r.status)
        }));
    }
    let mut answers: BTreeMap<u16, usize> = BTreeMap::new();
    for t in tasks {
        *answers.entry(t.await.unwrap()).or_default() += 1;
    }
    let took = started.elapsed();
    stop.store(true, Ordering::Relaxed);
    sampler.await.unwrap();
    println!(
        "{GUESSES} concurrent wrong passwords from {GUESSES} addresses: answered {answers:?} in {:.1} s; server RSS {before:.0} MiB before, peak {:.0} MiB",
        took.as_secs_f64(),
        peak.load(Ordering::Relaxed) as f64 / 10.0
    );
}

fn main() {
    let raw: Vec<String> = std::env::args().skip(1).collect();
    // `cargo test --all-targets` runs this once without `--bench`: a brief pass that proves it
    // still works; `cargo bench` soaks.
    let measuring = raw.iter().any(|a| a == "--bench");
    let args: Vec<&String> = raw.iter().filter(|a| !a.starts_with("--")).collect();
    let (users, seconds, items) = if measuring {
        (20, 120, 300)
    } else {
        (2, 5, 20)
    };
    let users = args.first().and_then(|a| a.parse().ok()).unwrap_or(users);
    let seconds = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(seconds);
    let items = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(items);
    let which = args.get(3).map_or("both", |a| a.as_str());
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    for backend in backends() {
        let name = format!("{backend:?}").to_lowercase();
        if which == "both" || which == name {
            rt.block_on(soak(backend, users, seconds, items));
        }
    }
}
