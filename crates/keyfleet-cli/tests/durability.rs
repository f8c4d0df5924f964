//! Nothing acknowledged is lost. The real `keyfleet serve` runs a write load (items created and
//! updated, organization members invited) and is killed with SIGKILL at random moments, then
//! started again on the same database, several times; at the end every write the client saw
//! acknowledged is there, and the database passes its own integrity check. On SQLite and on
//! PostgreSQL. Then a backup taken while the server runs, restored into a fresh data directory,
//! serves the same vault to the stock bw CLI.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use keyfleet_client::{Client, Method, OrgCalls, Session};
use keyfleet_crypto::Kdf;
use keyfleet_testkit::{backends, fresh_database_url, Backend};
use serde_json::Value;
use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use support::KEYFLEET;

const PASSWORD: &str = "a long enough crash-test passphrase";
const FAST: Kdf = Kdf::Argon2id {
    iterations: 2,
    memory_mib: 16,
    parallelism: 1,
};

/// `keyfleet serve` in a process of its own, so it can be killed for real.
struct Server {
    child: Child,
    url: String,
}

impl Server {
    fn start(data_dir: &Path, database_url: Option<&str>) -> Server {
        let mut cmd = Command::new(KEYFLEET);
        cmd.args(["serve", "--bind", "127.0.0.1:0", "--data-dir"])
            .arg(data_dir)
            .env("RUST_LOG", "warn")
            .env_remove("KEYFLEET_ADMIN_TOKEN")
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        if let Some(url) = database_url {
            cmd.args(["--database-url", url]);
        }
        let mut child = cmd.spawn().unwrap();
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let url = loop {
            let line = lines
                .next()
                .expect("server exited before listening")
                .unwrap();
            if let Some(url) = line.strip_prefix("Keyfleet is listening on ") {
                break url.trim().to_string();
            }
        };
        std::thread::spawn(move || for _ in lines {});
        Server { child, url }
    }

    /// SIGKILL: no shutdown, no flush, no goodbye.
    fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A small deterministic generator for kill moments and choices.
struct Jitter(u64);

impl Jitter {
    fn next(&mut self, below: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % below
    }
}

/// What the client saw acknowledged.
#[derive(Default)]
struct Acked {
    /// Items created.
    items: Vec<String>,
    /// The last acknowledged update of an item (its name is `updated-<n>`).
    updates: HashMap<String, u64>,
    /// Members invited.
    invites: Vec<String>,
}

async fn login(server: &Server, ca: &Path, email: &str) -> Session {
    let c = Client::new(&server.url, Some(ca)).unwrap();
    c.login_password(email, PASSWORD).await.unwrap()
}

/// Writes until the task is aborted, recording each acknowledged write. Write numbers start at
/// `first`, above every number an earlier round used: an update the client never saw answered
/// may still have been stored, and a later round's update must never count as older than it.
async fn load(s: Session, org: String, acked: Arc<Mutex<Acked>>, seed: u64, first: u64) {
    let mut rng = Jitter(seed | 1);
    let mut n = first;
    loop {
        n += 1;
        match rng.next(3) {
            0 => {
                if let Ok(item) = s.create_login(&format!("created-{n}"), "user", "pw").await {
                    acked.lock().unwrap().items.push(item.id);
                }
            }
            1 => {
                let target = {
                    let a = acked.lock().unwrap();
                    (!a.items.is_empty())
                        .then(|| a.items[rng.next(a.items.len() as u64) as usize].clone())
                };
                let Some(id) = target else { continue };
                let body =
                    serde_json::json!(s.login_item_body(&format!("updated-{n}"), "user", "pw"));
                let res: Result<Value, _> = s
                    .call(Method::PUT, &format!("/api/ciphers/{id}"), Some(body))
                    .await;
                if res.is_ok() {
                    acked.lock().unwrap().updates.insert(id, n);
                }
            }
            _ => {
                let email = format!("member-{n}-{seed}@crash.example");
                if let Ok(v) = s.invite_members(&org, &[&email], 2, &[]).await {
                    if let Some(invite) = v.first() {
                        acked.lock().unwrap().invites.push(invite.id.clone());
                    }
                }
            }
        }
    }
}

async fn nothing_acknowledged_is_lost(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let (pg_url, _db) = match backend {
        Backend::Sqlite => (None, None),
        Backend::Postgres => {
            let (url, guard) = fresh_database_url(Backend::Postgres).await;
            (Some(url), Some(guard))
        }
    };
    let email = "crash@example.com";
    let ca = data.join("tls/ca.pem");
    let mut server = Server::start(&data, pg_url.as_deref());
    let c = Client::new(&server.url, Some(&ca)).unwrap();
    c.register(email, PASSWORD, None, FAST).await.unwrap();
    let s = c.login_password(email, PASSWORD).await.unwrap();
    let org = s
        .create_org("Crash Co", email, 19, Some(10_000), "General")
        .await
        .unwrap()
        .org
        .id;
    let acked = Arc::new(Mutex::new(Acked::default()));
    let mut rng = Jitter(0x9e37_79b9_7f4a_7c15 ^ u64::from(std::process::id()));
    for round in 0..6 {
        let s = login(&server, &ca, email).await;
        let first = round * 1_000_000_000;
        let task = tokio::spawn(load(
            s,
            org.clone(),
            acked.clone(),
            rng.next(u64::MAX),
            first,
        ));
        tokio::time::sleep(std::time::Duration::from_millis(300 + rng.next(900))).await;
        server.kill();
        task.abort();
        let _ = task.await;
        server = Server::start(&data, pg_url.as_deref());
        let progressed = !acked.lock().unwrap().items.is_empty();
        assert!(
            progressed || round == 0,
            "the load made no progress by round {round}"
        );
    }
    // Everything acknowledged is there after the last restart.
    let s = login(&server, &ca, email).await;
    let sync = s.sync_json().await.unwrap();
    let stored: HashMap<String, String> = sync["ciphers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap().to_string(),
                s.decrypt(c["name"].as_str().unwrap()).unwrap(),
            )
        })
        .collect();
    let members: Vec<String> = s
        .org_members(&org)
        .await
        .unwrap()
        .iter()
        .map(|m| m.id.clone())
        .collect();
    let a = std::mem::take(&mut *acked.lock().unwrap());
    assert!(
        a.items.len() > 20 && a.invites.len() > 5,
        "too little load to judge"
    );
    for id in &a.items {
        assert!(stored.contains_key(id), "acknowledged item {id} lost");
    }
    for (id, n) in &a.updates {
        let name = &stored[id];
        let kept: u64 = name
            .strip_prefix("updated-")
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("acknowledged update {n} of {id} lost: {name}"));
        assert!(kept >= *n, "update {n} of {id} lost (stored: {name})");
    }
    for id in &a.invites {
        assert!(members.contains(id), "acknowledged invitation {id} lost");
    }
    eprintln!(
        "{backend:?}: 6 kills; {} items, {} updates, {} invitations acknowledged, all kept",
        a.items.len(),
        a.updates.len(),
        a.invites.len()
    );
    server.kill();
    // The database's own check, the server gone.
    let url =
        pg_url.unwrap_or_else(|| format!("sqlite://{}", data.join("keyfleet.sqlite3").display()));
    let store = keyfleet_storage::SqlStore::open(&url).await.unwrap();
    assert_eq!(store.integrity_check().await.unwrap(), "ok");
    store.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nothing_acknowledged_is_lost_on_sqlite() {
    nothing_acknowledged_is_lost(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nothing_acknowledged_is_lost_on_postgres() {
    if !backends().contains(&Backend::Postgres) {
        return;
    }
    nothing_acknowledged_is_lost(Backend::Postgres).await;
}

/// A backup taken while the server runs, restored into a fresh place, serves the same vault —
/// and only what the backup held — to the stock bw CLI. SQLite with `keyfleet backup`;
/// PostgreSQL with `pg_dump` and `psql`, as the README shows.
async fn a_restored_backup_serves_the_vault_to_the_bw_cli(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let (url, _db) = fresh_database_url(backend).await;
    let email = "backup@example.com";
    let original = keyfleet_testkit::spawn_server_with(backend, |c| {
        c.database_url = Some(url.clone());
    })
    .await;
    let c = Client::new(&original.base_url, Some(&original.ca_pem)).unwrap();
    c.register(email, PASSWORD, None, Kdf::default_pbkdf2())
        .await
        .unwrap();
    let s = c.login_password(email, PASSWORD).await.unwrap();
    for name in ["Router", "Firewall", "NAS"] {
        s.create_login(name, "admin", "pw").await.unwrap();
    }
    // An attachment on the router, made by the stock CLI.
    let config_file = dir.path().join("router.conf");
    let config_bytes: Vec<u8> = (0..50_000u32).map(|i| (i * 7 % 251) as u8).collect();
    std::fs::write(&config_file, &config_bytes).unwrap();
    let router_id = tokio::task::block_in_place(|| {
        let mut bw = keyfleet_testkit::Bw::new(&original);
        bw.login(email, PASSWORD);
        let items = bw.json(&["list", "items", "--search", "Router"]);
        let id = items[0]["id"].as_str().unwrap().to_string();
        bw.run(&[
            "create",
            "attachment",
            "--file",
            config_file.to_str().unwrap(),
            "--itemid",
            &id,
        ])
        .expect_ok();
        id
    });
    // The backup, online.
    let mut _restored_db = None;
    let restored_url = match backend {
        Backend::Sqlite => {
            let copy = dir.path().join("backup.sqlite3");
            let (code, out, err) = support::keyfleet(
                &[
                    "backup",
                    "--data-dir",
                    original.data_dir().to_str().unwrap(),
                    "--database-url",
                    &url,
                    "--out",
                    copy.to_str().unwrap(),
                ],
                "",
                dir.path(),
            );
            assert_eq!(code, 0, "{out}{err}");
            let restored = dir.path().join("restored");
            std::fs::create_dir_all(&restored).unwrap();
            std::fs::copy(&copy, restored.join("keyfleet.sqlite3")).unwrap();
            // The stored files, beside the copy: the data directory's files/.
            copy_tree(
                &keyfleet_server::backup_files_dir(&copy),
                &restored.join("files"),
            );
            format!("sqlite://{}", restored.join("keyfleet.sqlite3").display())
        }
        Backend::Postgres => {
            let dump = dir.path().join("keyfleet.sql");
            let out = Command::new(keyfleet_testkit::pg_tool("pg_dump"))
                .args(["--dbname", &url, "--no-owner", "--file"])
                .arg(&dump)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            // With PostgreSQL the files are copied as they are (README).
            copy_tree(
                &original.data_dir().join("files"),
                &dir.path().join("restored/files"),
            );
            let (target, guard) = fresh_database_url(Backend::Postgres).await;
            _restored_db = Some(guard);
            let out = Command::new(keyfleet_testkit::pg_tool("psql"))
                .args(["-v", "ON_ERROR_STOP=1", "-q", "-d", &target, "-f"])
                .arg(&dump)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            target
        }
    };
    // Written after the backup: not in it.
    s.create_login("After the backup", "x", "y").await.unwrap();
    original.stop().await;

    let restored_dir = dir.path().join("restored");
    let restored = keyfleet_testkit::spawn_server_with(backend, |c| {
        c.database_url = Some(restored_url.clone());
        c.data_dir = restored_dir.clone();
    })
    .await;
    let mut bw = keyfleet_testkit::Bw::new(&restored);
    bw.login(email, PASSWORD);
    let items = bw.json(&["list", "items"]);
    let mut names: Vec<&str> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap())
        .collect();
    names.sort_unstable();
    assert_eq!(names, ["Firewall", "NAS", "Router"]);
    // The restored server serves the attachment, byte for byte.
    let out = dir.path().join("router-restored.conf");
    bw.run(&[
        "get",
        "attachment",
        "router.conf",
        "--itemid",
        &router_id,
        "--output",
        out.to_str().unwrap(),
    ])
    .expect_ok();
    assert_eq!(std::fs::read(&out).unwrap(), config_bytes);
    restored.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restored_backup_serves_the_vault_to_the_bw_cli_on_sqlite() {
    a_restored_backup_serves_the_vault_to_the_bw_cli(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restored_backup_serves_the_vault_to_the_bw_cli_on_postgres() {
    if !backends().contains(&Backend::Postgres) {
        return;
    }
    a_restored_backup_serves_the_vault_to_the_bw_cli(Backend::Postgres).await;
}

/// Copies a directory tree as a restore would (`cp -r`).
fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
