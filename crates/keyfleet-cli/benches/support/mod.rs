//! What the benchmarks share: the release `keyfleet serve` in a process of its own, and the
//! password grant as the official clients send it.

use keyfleet_client::RawBody;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// A running server process, killed when dropped.
pub struct Server {
    pub child: Child,
    /// What it printed as its address.
    pub url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `keyfleet serve` on a free loopback port with its data under `data`, trusting
/// 127.0.0.1 as a proxy (so each simulated client can log in from an address of its own), on
/// `database_url` (SQLite under `data` when `None`), with `extra` arguments. `KEYFLEET_BIN`
/// runs another build of the server instead (e.g. a copy made before a change).
pub fn serve(data: &Path, database_url: Option<&str>, extra: &[&str]) -> Server {
    let bin =
        std::env::var("KEYFLEET_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_keyfleet").into());
    let mut cmd = Command::new(bin);
    cmd.args([
        "serve",
        "--bind",
        "127.0.0.1:0",
        "--trusted-proxy",
        "127.0.0.1",
    ])
    .args(extra)
    .arg("--data-dir")
    .arg(data)
    .env("RUST_LOG", "error")
    .env_remove("KEYFLEET_ADMIN_TOKEN")
    .stdout(Stdio::null())
    .stderr(Stdio::piped());
    if let Some(url) = database_url {
        cmd.args(["--database-url", url]);
    }
    let mut child = cmd.spawn().unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let url = loop {
        let line = lines.next().expect("server exited").unwrap();
        if let Some(url) = line.strip_prefix("Keyfleet is listening on ") {
            break url.trim().to_string();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    Server { child, url }
}

/// The password grant's form, naming the device `device` / `name`.
pub fn token_form(email: &str, hash: &str, device: &str, name: &str) -> RawBody {
    RawBody::Form(keyfleet_client::password_grant_form(
        email, hash, device, name,
    ))
}
