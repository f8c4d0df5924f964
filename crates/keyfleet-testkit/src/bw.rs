//! A driver for the official `bw` CLI (pinned by `scripts/install-bw`). Each `Bw` has its own
//! profile directory and trusts the test server's CA; every failure message carries the command,
//! exit code and both output streams so CI logs explain themselves.

use crate::{workspace_root, TestServer};
use base64::Engine as _;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use tempfile::TempDir;

/// How long one `bw` invocation may take before it is killed.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(120);

/// The result of one `bw` invocation.
#[derive(Debug, Clone)]
pub struct BwOutput {
    /// The arguments, for messages.
    pub command: String,
    /// Exit code (-1 when killed).
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl BwOutput {
    /// Whether it exited 0.
    pub fn success(&self) -> bool {
        self.code == 0
    }

    /// Panics with everything that was printed unless it succeeded; returns stdout.
    pub fn expect_ok(self) -> String {
        assert!(self.success(), "{}", self.describe());
        self.stdout
    }

    /// Panics unless it failed; returns stdout and stderr joined.
    pub fn expect_err(self) -> String {
        assert!(
            !self.success(),
            "expected failure but succeeded: {}",
            self.describe()
        );
        format!("{}{}", self.stdout, self.stderr)
    }

    fn describe(&self) -> String {
        format!(
            "`bw {}` exited {}\n--- stdout\n{}\n--- stderr\n{}",
            self.command, self.code, self.stdout, self.stderr
        )
    }
}

/// One isolated bw CLI profile pointed at a test server.
pub struct Bw {
    bin: PathBuf,
    ca: PathBuf,
    profile: TempDir,
    session: Option<String>,
    env: Vec<(String, String)>,
}

/// The pinned bw binary: `KEYFLEET_BW_BIN`, else `.tools/bw/node_modules/.bin/bw`.
pub fn bw_bin() -> PathBuf {
    if let Ok(bin) = std::env::var("KEYFLEET_BW_BIN") {
        return PathBuf::from(bin);
    }
    let bin = workspace_root().join(".tools/bw/node_modules/.bin/bw");
    assert!(
        bin.exists(),
        "the bw CLI is not installed at {}: run scripts/install-bw (or scripts/test, which does it)",
        bin.display()
    );
    bin
}

impl Bw {
    /// A new profile configured for `server`.
    pub fn new(server: &TestServer) -> Bw {
        let bw = Bw {
            bin: bw_bin(),
            ca: server.ca_pem.clone(),
            profile: tempfile::tempdir().unwrap(),
            session: None,
            env: Vec::new(),
        };
        bw.run(&["config", "server", &server.base_url]).expect_ok();
        bw
    }

    /// Adds an environment variable to every later command (e.g. `BW_CLIENTID`).
    pub fn set_env(&mut self, key: &str, value: &str) {
        self.env.retain(|(k, _)| k != key);
        self.env.push((key.into(), value.into()));
    }

    /// A new, separate profile with this one's files copied: for a profile that is only
    /// configured (never logged in, never received), a fresh stranger without paying for another
    /// `bw config server` run.
    pub fn copy_profile(&self) -> Bw {
        let profile = tempfile::tempdir().unwrap();
        for entry in std::fs::read_dir(self.profile.path()).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_file() {
                std::fs::copy(entry.path(), profile.path().join(entry.file_name())).unwrap();
            }
        }
        Bw {
            bin: self.bin.clone(),
            ca: self.ca.clone(),
            profile,
            session: self.session.clone(),
            env: self.env.clone(),
        }
    }

    /// Runs `bw ARGS`.
    pub fn run(&self, args: &[&str]) -> BwOutput {
        self.run_with_stdin(args, None)
    }

    /// Runs `bw ARGS` feeding `stdin`.
    pub fn run_with_stdin(&self, args: &[&str], stdin: Option<&str>) -> BwOutput {
        let mut cmd = Command::new(&self.bin);
        cmd.args(args)
            .env("BITWARDENCLI_APPDATA_DIR", self.profile.path())
            .env("NODE_EXTRA_CA_CERTS", &self.ca)
            .env("BW_NOINTERACTION", "true")
            .env_remove("BW_SESSION")
            .stdin(if stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some(s) = &self.session {
            cmd.env("BW_SESSION", s);
        }
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        let mut child = cmd
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", self.bin.display()));
        if let (Some(input), Some(mut pipe)) = (stdin, child.stdin.take()) {
            pipe.write_all(input.as_bytes()).unwrap();
        }
        let mut stdout = child.stdout.take().unwrap();
        let mut stderr = child.stderr.take().unwrap();
        let out_reader = std::thread::spawn(move || read_all(&mut stdout));
        let err_reader = std::thread::spawn(move || read_all(&mut stderr));
        let deadline = Instant::now() + COMMAND_TIMEOUT;
        let code = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status.code().unwrap_or(-1);
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                break -1;
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        BwOutput {
            command: args.join(" "),
            code,
            stdout: out_reader.join().unwrap(),
            stderr: err_reader.join().unwrap(),
        }
    }

    /// Runs a command that must succeed and prints JSON; returns it parsed.
    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        let out = self.run(args).expect_ok();
        serde_json::from_str(&out)
            .unwrap_or_else(|e| panic!("`bw {}` printed non-JSON ({e}): {out}", args.join(" ")))
    }

    /// `bw login EMAIL PASSWORD --raw`; keeps the session key for later commands.
    pub fn login(&mut self, email: &str, password: &str) -> String {
        let session = self.run(&["login", email, password, "--raw"]).expect_ok();
        assert!(
            !session.trim().is_empty(),
            "bw login printed no session key"
        );
        self.session = Some(session.trim().to_string());
        session
    }

    /// `bw unlock PASSWORD --raw`; keeps the new session key.
    pub fn unlock(&mut self, password: &str) -> String {
        let session = self.run(&["unlock", password, "--raw"]).expect_ok();
        self.session = Some(session.trim().to_string());
        session
    }

    /// Forgets the session key (as after `bw lock` or `bw logout`).
    pub fn forget_session(&mut self) {
        self.session = None;
    }

    /// `bw create OBJECT <base64 json>`, returning the created object. The argument is encoded
    /// here (`bw encode` is plain base64 of the JSON; a node start saved per create).
    pub fn create(&self, object: &str, value: &serde_json::Value) -> serde_json::Value {
        self.json(&["create", object, &encode(value)])
    }

    /// `bw edit OBJECT ID <base64 json>`.
    pub fn edit(&self, object: &str, id: &str, value: &serde_json::Value) -> serde_json::Value {
        self.json(&["edit", object, id, &encode(value)])
    }
}

/// A JSON value as the base64 argument `bw create`/`bw edit`/`bw move` take.
pub fn encode(value: &serde_json::Value) -> String {
    base64::engine::general_purpose::STANDARD.encode(value.to_string())
}

fn read_all(r: &mut impl std::io::Read) -> String {
    let mut s = String::new();
    let _ = r.read_to_string(&mut s);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pinned_bw_cli_is_installed() {
        let out = Command::new(bw_bin()).arg("--version").output().unwrap();
        assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "2026.9.0");
    }

    #[test]
    fn encode_is_what_bw_encode_prints() {
        let value = serde_json::json!({ "name": "ünïcode & \"quotes\"", "n": [1, 2] });
        let mut child = Command::new(bw_bin())
            .arg("encode")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(value.to_string().as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), encode(&value));
    }
}
