//! One throwaway PostgreSQL cluster per test process, started on first use. It runs in the
//! foreground under a small shell whose stdin is a pipe held by this process: when the test
//! process exits (even when killed), the pipe closes, the shell stops postgres and removes the
//! cluster directory. Nothing is left behind and no port is fixed.

use std::io::Read;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// Finds the directory holding `initdb` and `postgres`.
pub(crate) fn bin_dir() -> Option<PathBuf> {
    if let Ok(dir) = std::env::var("KEYFLEET_PG_BIN") {
        let dir = PathBuf::from(dir);
        return dir.join("initdb").exists().then_some(dir);
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok())
        .map(|e| e.path().join("bin"))
        .filter(|bin| bin.join("initdb").exists() && bin.join("postgres").exists())
        .collect();
    found.sort();
    found.pop()
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// Runs a PostgreSQL tool as the `postgres` user when we are root (initdb refuses root).
fn pg_command(bin: &std::path::Path, tool: &str, as_postgres: bool) -> Command {
    if as_postgres {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(bin.join(tool));
        c
    } else {
        Command::new(bin.join(tool))
    }
}

struct Cluster {
    bin: PathBuf,
    port: u16,
    // Held for the life of the process: closing it stops the cluster.
    _guard: Mutex<Child>,
}

static CLUSTER: OnceLock<Cluster> = OnceLock::new();

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start_cluster() -> Cluster {
    let bin = bin_dir().expect("PostgreSQL binaries not found");
    let as_postgres = is_root();
    let root = tempfile::Builder::new()
        .prefix("keyfleet-pg-")
        .tempdir()
        .unwrap()
        .keep();
    let data = root.join("data");
    if as_postgres {
        let status = Command::new("chown")
            .args(["-R", "postgres:postgres"])
            .arg(&root)
            .status()
            .unwrap();
        assert!(status.success(), "chown of the cluster directory failed");
    }
    let out = pg_command(&bin, "initdb", as_postgres)
        .args([
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--no-sync",
            "-D",
        ])
        .arg(&data)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "initdb failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );

    let port = free_port();
    let postgres = bin.join("postgres");
    // A throwaway cluster need not survive a power cut: tests run it without syncing. With
    // `KEYFLEET_PG_DURABLE=1` (the load bench's) it syncs as a deployment's does, so its write
    // figures are a deployment's too.
    let durability = if durable() {
        ""
    } else {
        "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    };
    let script = format!(
        "'{pg}' -D '{data}' -p {port} -c listen_addresses=127.0.0.1 -k '{root}' {durability} \
         -c max_connections=300 >'{root}/log' 2>&1 & pid=$!; \
         read _; kill -INT $pid; wait $pid; rm -rf '{root}'",
        pg = postgres.display(),
        data = data.display(),
        root = root.display(),
    );
    let mut cmd = if as_postgres {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--", "sh", "-c", &script]);
        c
    } else {
        let mut c = Command::new("sh");
        c.args(["-c", &script]);
        c
    };
    let child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();

    // Wait for the server to accept connections (an external process: polling is the only way).
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let ready = pg_command(&bin, "pg_isready", false)
            .args(["-h", "127.0.0.1", "-p", &port.to_string(), "-U", "postgres"])
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if ready {
            break;
        }
        if Instant::now() > deadline {
            let mut log = String::new();
            let _ =
                std::fs::File::open(root.join("log")).and_then(|mut f| f.read_to_string(&mut log));
            panic!("PostgreSQL did not start within 60 s:\n{log}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Cluster {
        bin,
        port,
        _guard: Mutex::new(child),
    }
}

/// Whether the cluster syncs as a deployment's does (`KEYFLEET_PG_DURABLE=1`, the load bench's
/// setting), read when it starts.
pub fn durable() -> bool {
    std::env::var_os("KEYFLEET_PG_DURABLE").is_some_and(|v| v == "1")
}

fn run_psql(cluster: &Cluster, sql: &str) -> std::process::Output {
    pg_command(&cluster.bin, "psql", false)
        .args([
            "-h",
            "127.0.0.1",
            "-p",
            &cluster.port.to_string(),
            "-U",
            "postgres",
            "-d",
            "postgres",
        ])
        .args(["-v", "ON_ERROR_STOP=1", "-q", "-c", sql])
        .output()
        .unwrap()
}

fn psql(cluster: &Cluster, sql: &str) {
    let out = run_psql(cluster, sql);
    assert!(
        out.status.success(),
        "psql {sql:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A PostgreSQL client tool (`pg_dump`, `psql`) of the installed server binaries.
pub fn pg_tool(name: &str) -> PathBuf {
    bin_dir().expect("PostgreSQL binaries not found").join(name)
}

/// A uniquely named database in the process's cluster; dropped when this value is.
pub struct PgDatabase {
    /// `postgres://postgres@127.0.0.1:PORT/NAME`.
    pub url: String,
    name: String,
}

impl PgDatabase {
    /// Creates a fresh database (starting the cluster on first use).
    pub fn create() -> PgDatabase {
        let cluster = CLUSTER.get_or_init(start_cluster);
        let name = format!("kf_{}", uuid::Uuid::new_v4().simple());
        psql(cluster, &format!("CREATE DATABASE {name}"));
        PgDatabase {
            url: format!("postgres://postgres@127.0.0.1:{}/{name}", cluster.port),
            name,
        }
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        if let Some(cluster) = CLUSTER.get() {
            // Best effort: the whole cluster is removed when the test process exits anyway.
            let _ = run_psql(
                cluster,
                &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_fresh_databases_are_distinct_and_usable() {
        if bin_dir().is_none() {
            eprintln!("skipped: no PostgreSQL binaries");
            return;
        }
        let a = PgDatabase::create();
        let b = PgDatabase::create();
        assert_ne!(a.url, b.url);
        let cluster = CLUSTER.get().unwrap();
        for db in [&a, &b] {
            let out = Command::new(cluster.bin.join("psql"))
                .args([&db.url, "-tAc", "select 1"])
                .output()
                .unwrap();
            assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "1");
        }
    }
}
