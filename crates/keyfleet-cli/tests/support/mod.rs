//! What the CLI tests share: running the built `keyfleet` binary with its own CLI home, and
//! creating logged-in accounts with it.
// Each test binary uses its own part of this module.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

pub const KEYFLEET: &str = env!("CARGO_BIN_EXE_keyfleet");

/// Runs `keyfleet ARGS` with `stdin` and the session saved under `cli_home`: exit code, stdout,
/// stderr.
pub fn keyfleet(args: &[&str], stdin: &str, cli_home: &Path) -> (i32, String, String) {
    keyfleet_with_env(args, stdin, cli_home, &[])
}

/// [`keyfleet`] with extra environment variables.
pub fn keyfleet_with_env(
    args: &[&str],
    stdin: &str,
    cli_home: &Path,
    env: &[(&str, &str)],
) -> (i32, String, String) {
    let mut child = Command::new(KEYFLEET)
        .args(args)
        .env("KEYFLEET_CLI_HOME", cli_home)
        .env_remove("KEYFLEET_ADMIN_TOKEN")
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A command that needs no input may have exited already: a closed pipe is no failure.
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Parses a command's JSON output.
pub fn json(out: &str) -> serde_json::Value {
    serde_json::from_str(out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}"))
}

/// `keyfleet account register` then `account login`, both with the password on stdin.
pub fn register_and_login(server: &[&str], email: &str, password: &str, home: &Path) {
    let stdin = format!("{password}\n");
    for command in ["register", "login"] {
        let mut args = vec!["account", command, "--email", email, "--password-stdin"];
        args.extend(server);
        let (code, out, err) = keyfleet(&args, &stdin, home);
        assert_eq!(code, 0, "{command} {email}: {out}{err}");
    }
}

/// Seconds since the epoch, for authenticator codes.
pub fn now_secs() -> i64 {
    i64::try_from(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs(),
    )
    .unwrap()
}

/// Turns the authenticator app (TOTP) on with `keyfleet account 2fa setup-totp|enable-totp`:
/// the authenticator key and `enable-totp`'s answer (with the recovery code).
pub fn enable_totp(password: &str, home: &Path) -> (String, serde_json::Value) {
    let pw = format!("{password}\n");
    let (code, out, err) = keyfleet(
        &["account", "2fa", "setup-totp", "--password-stdin", "--json"],
        &pw,
        home,
    );
    assert_eq!(code, 0, "{out}{err}");
    let key = json(&out)["key"].as_str().unwrap().to_string();
    let totp = keyfleet_testkit::totp_code(&key, now_secs());
    let (code, out, err) = keyfleet(
        &[
            "account",
            "2fa",
            "enable-totp",
            "--password-stdin",
            "--json",
            "--key",
            &key,
            "--code",
            &totp,
        ],
        &pw,
        home,
    );
    assert_eq!(code, 0, "{out}{err}");
    (key, json(&out))
}
