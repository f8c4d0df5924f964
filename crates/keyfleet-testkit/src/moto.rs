//! A real S3-compatible server for the S3 file backend's tests: moto's standalone server
//! (`moto_server`, Python), started per test on a free loopback port. It runs under a small
//! shell whose stdin is a pipe held here: dropping the [`MotoServer`], or the test process
//! exiting (even killed), closes the pipe and the shell stops moto.
//!
//! moto does not check signatures; `keyfleet-storage`'s SigV4 unit tests check ours against
//! AWS's worked examples and botocore.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The access key moto is given (it accepts any).
pub const MOTO_ACCESS_KEY_ID: &str = "keyfleet-test";
/// The secret moto is given (it accepts any).
pub const MOTO_SECRET_ACCESS_KEY: &str = "keyfleet-test-secret";

/// A running moto server; stopped when dropped.
pub struct MotoServer {
    port: u16,
    child: Child,
}

/// `KEYFLEET_MOTO_SERVER`, else the repository's `.tools/moto/bin/moto_server`
/// (`scripts/install-moto`), else `moto_server` on `PATH`.
fn executable() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("KEYFLEET_MOTO_SERVER") {
        let path = PathBuf::from(path);
        return path.exists().then_some(path);
    }
    let tools = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../.tools/moto/bin/moto_server");
    if tools.exists() {
        return Some(tools);
    }
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join("moto_server"))
        .find(|p| p.exists())
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl MotoServer {
    /// Starts moto, or `None` after saying why the S3 tests are skipped. With
    /// `KEYFLEET_REQUIRE_MOTO=1` (CI) a missing moto is a failure, not a skip.
    pub fn start() -> Option<MotoServer> {
        let Some(exe) = executable() else {
            let missing =
                "moto_server was not found (run scripts/install-moto, or set KEYFLEET_MOTO_SERVER)";
            if std::env::var("KEYFLEET_REQUIRE_MOTO").is_ok_and(|v| v == "1") {
                panic!("KEYFLEET_REQUIRE_MOTO=1 but {missing}");
            }
            eprintln!("note: skipping the S3 tests: {missing}");
            return None;
        };
        let port = free_port();
        let child = Command::new("sh")
            .arg("-c")
            .arg(r#""$0" -H 127.0.0.1 -p "$1" >/dev/null 2>&1 & m=$!; cat >/dev/null; kill $m; wait $m"#)
            .arg(&exe)
            .arg(port.to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut moto = MotoServer { port, child };
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if moto.http("GET", "/").is_some() {
                return Some(moto);
            }
            if let Ok(Some(status)) = moto.child.try_wait() {
                panic!("{} exited ({status}) before answering", exe.display());
            }
            assert!(
                Instant::now() < deadline,
                "{} did not answer on port {port} within 60 s",
                exe.display()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The endpoint URL (path-style addressing).
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Creates a bucket with a fresh name and returns the name.
    pub fn create_bucket(&self) -> String {
        let name = format!("keyfleet-{}", uuid::Uuid::new_v4().simple());
        let status = self.http("PUT", &format!("/{name}"));
        assert_eq!(status, Some(200), "moto did not create bucket {name}");
        name
    }

    /// One unsigned HTTP/1.1 request (moto does not check signatures); the status, or `None`
    /// when nothing answered.
    fn http(&self, method: &str, path: &str) -> Option<u16> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).ok()?;
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .ok()?;
        let request = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            self.port
        );
        stream.write_all(request.as_bytes()).ok()?;
        let mut answer = String::new();
        stream.read_to_string(&mut answer).ok()?;
        answer.split(' ').nth(1)?.parse().ok()
    }
}

impl Drop for MotoServer {
    fn drop(&mut self) {
        // Closing the pipe makes the shell stop moto.
        drop(self.child.stdin.take());
        let _ = self.child.wait();
    }
}
