//! The README's path, run as a newcomer would: start `keyfleet serve` (SQLite, self-signed TLS,
//! no other set-up), then create an account, log in and check the session with the same binary;
//! and the README's organization flow, driven by an MSP admin and a technician.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use support::{enable_totp, json, keyfleet, now_secs, register_and_login, KEYFLEET};

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
    let (key, enabled) = enable_totp(pw.trim_end(), &home);
    let recovery = enabled["recoveryCode"].as_str().unwrap().to_string();
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
    let next = keyfleet_testkit::totp_code(&key, now_secs() + 30);
    let mut with_code = login.clone();
    with_code.extend(["--code", next.as_str()]);
    let (code, out, err) = keyfleet(&with_code, pw, &home);
    assert_eq!(code, 0, "{out}{err}");

    let (code, _, _) = keyfleet(&["account", "logout"], "", &home);
    assert_eq!(code, 0);
    let (code, _, _) = keyfleet(&["account", "status", "--json"], "", &home);
    assert_eq!(code, 3, "logged out");
}

#[test]
fn an_msp_admin_sets_up_an_organization_and_a_technician_joins_it() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let (_server, url) = serve(&data);
    let ca = data.join("tls/ca.pem");
    let server = ["--server", url.as_str(), "--ca-cert", ca.to_str().unwrap()];
    let admin = dir.path().join("admin");
    let tech = dir.path().join("tech");
    let admin_pw = "the admin's long passphrase\n";
    register_and_login(&server, "admin@msp.example", admin_pw.trim_end(), &admin);
    register_and_login(
        &server,
        "tech@msp.example",
        "the technician's passphrase",
        &tech,
    );
    let run = |args: &[&str], stdin: &str, home: &std::path::Path| {
        let (code, out, err) = keyfleet(args, stdin, home);
        assert_eq!(code, 0, "{args:?}: {out}{err}");
        json(&out)
    };

    let org = run(
        &[
            "org",
            "create",
            "--name",
            "Acme Ltd",
            "--billing-email",
            "billing@acme.example",
            "--plan",
            "teams",
            "--seats",
            "5",
            "--collection",
            "Servers",
            "--password-stdin",
            "--json",
        ],
        admin_pw,
        &admin,
    );
    let org_id = org["id"].as_str().unwrap().to_string();
    assert_eq!(org["seats"], 5);

    // Collection names are decrypted here, with the org key unwrapped from the admin's sync.
    let collections = run(
        &[
            "org",
            "collections",
            "acme ltd",
            "--password-stdin",
            "--json",
        ],
        admin_pw,
        &admin,
    );
    assert_eq!(collections[0]["name"], "Servers", "{collections}");
    let servers = collections[0]["id"].as_str().unwrap().to_string();

    let invited = run(
        &[
            "org",
            "invite",
            "Acme Ltd",
            "tech@msp.example",
            "--role",
            "user",
            "--collection",
            &format!("{servers}:read-only"),
            "--json",
        ],
        "",
        &admin,
    );
    let link = invited[0]["link"].as_str().unwrap().to_string();
    let member_id = invited[0]["id"].as_str().unwrap().to_string();
    assert!(
        link.contains("accept-organization") && link.contains(&member_id),
        "{link}"
    );

    let accepted = run(&["org", "accept", "--link", &link, "--json"], "", &tech);
    assert_eq!(accepted["accepted"], true);

    // Without a terminal, confirming needs --yes; the fingerprint is shown either way.
    let (code, _, err) = keyfleet(
        &[
            "org",
            "confirm",
            &org_id,
            "tech@msp.example",
            "--password-stdin",
        ],
        admin_pw,
        &admin,
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("Fingerprint") && err.contains("--yes"),
        "{err}"
    );
    let confirmed = run(
        &[
            "org",
            "confirm",
            &org_id,
            &member_id,
            "--yes",
            "--password-stdin",
            "--json",
        ],
        admin_pw,
        &admin,
    );
    assert_eq!(confirmed["confirmed"], true);
    // What the technician reads out, computed from their own private key, is what the admin saw.
    let theirs = run(
        &["org", "fingerprint", "--password-stdin", "--json"],
        "the technician's passphrase\n",
        &tech,
    );
    assert_eq!(theirs["fingerprint"], confirmed["fingerprint"]);

    let members = run(&["org", "members", "Acme Ltd", "--json"], "", &admin);
    let tech_row = members
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["email"] == "tech@msp.example")
        .unwrap_or_else(|| panic!("{members}"));
    assert_eq!(tech_row["status"], 2, "confirmed: {tech_row}");
    assert_eq!(tech_row["collections"][0]["readOnly"], true);
    // The technician now sees the organization in their own list.
    let mine = run(&["org", "list", "--json"], "", &tech);
    assert_eq!(mine[0]["name"], "Acme Ltd", "{mine}");

    let created = run(
        &[
            "org",
            "collection",
            "create",
            "Acme Ltd",
            "Network",
            "--member",
            "tech@msp.example:manage",
            "--password-stdin",
            "--json",
        ],
        admin_pw,
        &admin,
    );
    assert_eq!(created["name"], "Network");
    let collections = run(
        &["org", "collections", &org_id, "--password-stdin", "--json"],
        admin_pw,
        &admin,
    );
    let names: Vec<&str> = collections
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"Network") && names.contains(&"Servers"),
        "{names:?}"
    );

    let policy = run(
        &[
            "org",
            "policy",
            "set",
            "Acme Ltd",
            "single-org",
            "--enabled",
            "true",
            "--json",
        ],
        "",
        &admin,
    );
    assert_eq!(
        (policy["type"].as_i64(), policy["enabled"].as_bool()),
        (Some(3), Some(true))
    );
    let policies = run(&["org", "policies", "Acme Ltd", "--json"], "", &admin);
    assert!(
        policies
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["type"] == 3 && p["enabled"] == true),
        "{policies}"
    );

    let seats = run(&["org", "seats", "Acme Ltd", "--json"], "", &admin);
    assert_eq!(
        (seats["seats"].as_i64(), seats["used"].as_i64()),
        (Some(5), Some(2))
    );

    let events = run(
        &["org", "events", "Acme Ltd", "--all", "--json"],
        "",
        &admin,
    );
    let types: Vec<i64> = events["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["organizationUserId"] == member_id.as_str())
        .filter_map(|e| e["type"].as_i64())
        .collect();
    assert!(
        types.contains(&1500) && types.contains(&1501),
        "invited and confirmed: {events}"
    );

    let (code, _, err) = keyfleet(
        &["org", "collections", "Acme Ltd", "--password-stdin"],
        "not the admin's passphrase\n",
        &admin,
    );
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("master password is wrong"), "{err}");
    let (code, _, err) = keyfleet(&["org", "members", "No Such Org"], "", &admin);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("no organization \"No Such Org\""), "{err}");
    let (code, _, err) = keyfleet(&["org", "members", "Acme Ltd", "--bogus"], "", &admin);
    assert_eq!(code, 2, "{err}");
    let (code, _, _) = keyfleet(
        &[
            "org",
            "invite",
            "Acme Ltd",
            "x@example.com",
            "--role",
            "emperor",
        ],
        "",
        &admin,
    );
    assert_eq!(code, 2, "an unknown role is a usage error");
    let (code, _, err) = keyfleet(&["org", "members", "Acme Ltd"], "", &tech);
    assert_eq!(code, 1, "a plain user may not list members: {err}");
}

/// Runs the CLI with the password on standard input, waits for its prompt for a mailed code, and
/// answers with `code()` (called once the prompt shows, so the mail has been sent).
fn keyfleet_answering_mailed_code(
    args: &[&str],
    password_line: &str,
    cli_home: &std::path::Path,
    code: impl FnOnce() -> String,
) -> (i32, String, String) {
    use std::io::Read;
    let mut child = Command::new(KEYFLEET)
        .args(args)
        .env("KEYFLEET_CLI_HOME", cli_home)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(password_line.as_bytes()).unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let mut seen = Vec::new();
    let mut byte = [0u8; 1];
    let prompted = loop {
        match stderr.read(&mut byte) {
            Ok(1) => {
                seen.push(byte[0]);
                let text = String::from_utf8_lossy(&seen);
                if text.contains("Code from the mail sent to ") && text.ends_with(": ") {
                    break true;
                }
            }
            _ => break false,
        }
    };
    if prompted {
        stdin.write_all(format!("{}\n", code()).as_bytes()).unwrap();
    }
    drop(stdin);
    stderr.read_to_end(&mut seen).unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&seen).into_owned(),
    )
}

/// The six-digit code in the newest mail the sink received.
fn mailed_code(sink: &keyfleet_testkit::SmtpSink) -> String {
    let text = sink.received().last().expect("a mail").decoded();
    text.lines()
        .map(str::trim)
        .find(|l| l.len() == 6 && l.chars().all(|c| c.is_ascii_digit()))
        .unwrap_or_else(|| panic!("no code in {text}"))
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_keyfleet_binary_turns_on_email_codes_and_logs_in_with_one() {
    use keyfleet_domain::{Clock, ManualClock, SystemClock};
    let sink = keyfleet_testkit::SmtpSink::start().await;
    let clock = ManualClock::new(SystemClock.now());
    let moved = clock.clone();
    let server = keyfleet_testkit::spawn_server_with(keyfleet_testkit::Backend::Sqlite, |c| {
        c.clock = Some(moved);
        c.smtp = Some(sink.config());
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("cli");
    let ca = server.ca_pem.to_str().unwrap().to_string();
    let url = server.base_url.clone();
    let pw = "a long master passphrase\n";
    tokio::task::block_in_place(|| {
        let target = ["--server", url.as_str(), "--ca-cert", ca.as_str()];
        // With mail, the address is proven first: the link goes there, and finishes the account.
        let mut register = vec!["account", "register", "--email", "mail@example.com"];
        register.extend(["--password-stdin", "--json"]);
        register.extend(target);
        let (code, out, err) = keyfleet(&register, pw, &home);
        assert_eq!(code, 0, "{out}{err}");
        assert_eq!(json(&out)["verificationMailed"], true, "{out}");
        let link = sink
            .received()
            .iter()
            .map(keyfleet_testkit::ReceivedMail::decoded)
            .find_map(|m| {
                m.split_whitespace()
                    .find(|w| w.contains("finish-signup?token="))
                    .map(str::to_string)
            })
            .expect("a verification mail");
        register.extend(["--link", link.as_str()]);
        let (code, out, err) = keyfleet(&register, pw, &home);
        assert_eq!(code, 0, "{out}{err}");
        assert_eq!(json(&out)["registered"], true);
        let mut login = vec!["account", "login", "--email", "mail@example.com"];
        login.extend(["--password-stdin", "--json"]);
        login.extend(target);
        assert_eq!(keyfleet(&login, pw, &home).0, 0);

        let enable = [
            "account",
            "2fa",
            "enable-email",
            "--password-stdin",
            "--json",
        ];
        let (code, out, err) =
            keyfleet_answering_mailed_code(&enable, pw, &home, || mailed_code(&sink));
        assert_eq!(code, 0, "{out}{err}");
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&out).unwrap(),
            serde_json::json!({ "enabled": true, "email": "mail@example.com" })
        );
        let (_, out, _) = keyfleet(&["account", "2fa", "status", "--json"], "", &home);
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&out).unwrap()["email"],
            true
        );

        // Email is the only method: login mails a code and asks for it.
        clock.advance_secs(61);
        let mails = sink.received().len();
        let (code, out, err) =
            keyfleet_answering_mailed_code(&login, pw, &home, || mailed_code(&sink));
        assert_eq!(code, 0, "{out}{err}");
        assert!(
            err.contains("m***@example.com"),
            "the masked address: {err}"
        );
        assert_eq!(sink.received().len(), mails + 1);
        // The code was used; with --code it is refused.
        let used = mailed_code(&sink);
        let mut again = login.clone();
        again.extend(["--method", "email", "--code", used.as_str()]);
        let (code, _, err) = keyfleet(&again, pw, &home);
        assert_eq!(code, 3, "a code works once: {err}");

        let (code, out, err) = keyfleet(
            &[
                "account",
                "2fa",
                "disable-email",
                "--password-stdin",
                "--json",
            ],
            pw,
            &home,
        );
        assert_eq!(code, 0, "{out}{err}");
        assert_eq!(keyfleet(&login, pw, &home).0, 0, "no code needed any more");
    });
    server.stop().await;
}
