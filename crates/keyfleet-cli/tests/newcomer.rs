//! The README's path, run as a newcomer would: start `keyfleet serve` (SQLite, self-signed TLS,
//! no other set-up), then create an account, log in and check the session with the same binary.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};

const KEYFLEET: &str = env!("CARGO_BIN_EXE_keyfleet");

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `keyfleet serve` on a free port and returns its URL once it is listening.
fn serve(data_dir: &std::path::Path) -> (Server, String) {
    let mut child = Command::new(KEYFLEET)
        .args(["serve", "--bind", "127.0.0.1:0", "--data-dir"])
        .arg(data_dir)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut lines = BufReader::new(stderr).lines();
    let url = loop {
        let line = lines
            .next()
            .expect("server exited before listening")
            .unwrap();
        if let Some(url) = line.strip_prefix("Keyfleet is listening on ") {
            break url.trim().to_string();
        }
    };
    // Keep draining stderr so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (Server(child), url)
}

fn keyfleet(args: &[&str], stdin: &str, cli_home: &std::path::Path) -> (i32, String, String) {
    let mut child = Command::new(KEYFLEET)
        .args(args)
        .env("KEYFLEET_CLI_HOME", cli_home)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_newcomer_starts_the_server_registers_and_logs_in_with_the_keyfleet_binary() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let home = dir.path().join("cli");
    let (_server, url) = serve(&data);
    let ca = data.join("tls/ca.pem");
    assert!(
        ca.exists(),
        "serve generates a CA for the self-signed certificate"
    );
    assert!(data.join("keyfleet.sqlite3").exists(), "SQLite by default");
    let ca = ca.to_str().unwrap();
    let server = ["--server", url.as_str(), "--ca-cert", ca];

    let mut register = vec![
        "account",
        "register",
        "--email",
        "newcomer@example.com",
        "--password-stdin",
        "--json",
    ];
    register.extend(server);
    let (code, out, err) = keyfleet(&register, "a long master passphrase\n", &home);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&out).unwrap()["registered"],
        true
    );

    let (code, _, err) = keyfleet(&register, "a long master passphrase\n", &home);
    assert_eq!(code, 1, "a second registration is a server error");
    assert!(err.contains("taken"), "{err}");

    let mut login = vec![
        "account",
        "login",
        "--email",
        "newcomer@example.com",
        "--password-stdin",
        "--json",
    ];
    login.extend(server);
    let (code, out, err) = keyfleet(&login, "the wrong passphrase\n", &home);
    assert_eq!(code, 3, "authentication failure: {out}{err}");
    assert!(!err.contains("passphrase"), "the password is never echoed");

    let (code, out, err) = keyfleet(&login, "a long master passphrase\n", &home);
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = keyfleet(&["account", "status", "--json"], "", &home);
    assert_eq!(code, 0, "{out}{err}");
    let status: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(status["loggedIn"], true);
    assert_eq!(status["email"], "newcomer@example.com");
    assert_eq!(status["server"], url);

    // Two-step login with the authenticator app, set up from the same binary.
    let pw = "a long master passphrase\n";
    let (code, out, err) = keyfleet(
        &["account", "2fa", "setup-totp", "--password-stdin", "--json"],
        pw,
        &home,
    );
    assert_eq!(code, 0, "{out}{err}");
    let key = serde_json::from_str::<serde_json::Value>(&out).unwrap()["key"]
        .as_str()
        .unwrap()
        .to_string();
    let now = || {
        i64::try_from(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_secs(),
        )
        .unwrap()
    };
    let totp = keyfleet_testkit::totp_code(&key, now());
    let enable = [
        "account",
        "2fa",
        "enable-totp",
        "--password-stdin",
        "--json",
        "--key",
        key.as_str(),
        "--code",
        totp.as_str(),
    ];
    let (code, out, err) = keyfleet(&enable, pw, &home);
    assert_eq!(code, 0, "{out}{err}");
    let recovery = serde_json::from_str::<serde_json::Value>(&out).unwrap()["recoveryCode"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(recovery.len() >= 32);
    let (_, out, _) = keyfleet(&["account", "2fa", "status", "--json"], "", &home);
    let status = serde_json::from_str::<serde_json::Value>(&out).unwrap();
    assert_eq!(status["authenticator"], true);
    assert_eq!(status["webauthn"], false);
    let (code, out, err) = keyfleet(
        &["account", "2fa", "keys", "--password-stdin", "--json"],
        pw,
        &home,
    );
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&out).unwrap(),
        serde_json::json!({ "enabled": false, "keys": [] })
    );

    let (code, _, err) = keyfleet(&login, pw, &home);
    assert_eq!(code, 3, "a code is now required: {err}");
    assert!(err.contains("--code"), "{err}");
    // The code used to enable was spent; the next step's code is accepted (±1 step of drift).
    let next = keyfleet_testkit::totp_code(&key, now() + 30);
    let mut with_code = login.clone();
    with_code.extend(["--code", next.as_str()]);
    let (code, out, err) = keyfleet(&with_code, pw, &home);
    assert_eq!(code, 0, "{out}{err}");

    let (code, _, _) = keyfleet(&["account", "logout"], "", &home);
    assert_eq!(code, 0);
    let (code, _, _) = keyfleet(&["account", "status", "--json"], "", &home);
    assert_eq!(code, 3, "logged out");
}
