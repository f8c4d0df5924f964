//! Two-step login with an authenticator app: the stock bw CLI's `--method 0 --code`, codes used
//! once, remembered devices, the recovery code, and throttling of wrong codes. The server runs on
//! a clock the test moves, so codes for the next time step can be used without waiting.

use crate::support::{self, client, PASSWORD};
use keyfleet_client::{ClientError, SecondFactor, Session};
use keyfleet_domain::{Clock, ManualClock};
use keyfleet_testkit::spawn_server_with_clock as server_with_clock;
use keyfleet_testkit::{backends, totp_code, Backend, Bw};

async fn enable_totp(alice: &Session, clock: &ManualClock) -> String {
    let (enabled, key) = alice.authenticator_setup(PASSWORD).await.unwrap();
    assert!(!enabled);
    alice
        .enable_authenticator(PASSWORD, &key, &totp_code(&key, clock.now().unix_secs()))
        .await
        .unwrap();
    assert_eq!(alice.two_factor_status().await.unwrap(), vec![(0, true)]);
    assert_eq!(
        alice.sync_json().await.unwrap()["profile"]["twoFactorEnabled"],
        true
    );
    key
}

fn code(kind: i32, token: &str, remember: bool) -> SecondFactor {
    SecondFactor {
        provider: kind,
        token: token.to_string(),
        remember,
    }
}

async fn bw_story(backend: Backend) {
    let (server, clock) = server_with_clock(backend).await;
    let alice = support::user(&server, "alice@example.com").await;
    alice.create_login("Bank", "jdoe", "pw").await.unwrap();
    let key = enable_totp(&alice, &clock).await;
    let used_at_enable = totp_code(&key, clock.now().unix_secs());
    clock.advance_secs(30);
    let fresh = totp_code(&key, clock.now().unix_secs());
    tokio::task::block_in_place(|| {
        let mut bw = Bw::new(&server);
        let out = bw
            .run(&["login", "alice@example.com", PASSWORD, "--raw"])
            .expect_err();
        assert!(
            !out.contains("Invalid master password"),
            "the password was right: {out}"
        );
        bw.run(&[
            "login",
            "alice@example.com",
            PASSWORD,
            "--method",
            "0",
            "--code",
            "000000",
            "--raw",
        ])
        .expect_err();
        bw.run(&[
            "login",
            "alice@example.com",
            PASSWORD,
            "--method",
            "0",
            "--code",
            &used_at_enable,
            "--raw",
        ])
        .expect_err();
        let session = bw
            .run(&[
                "login",
                "alice@example.com",
                PASSWORD,
                "--method",
                "0",
                "--code",
                &fresh,
                "--raw",
            ])
            .expect_ok();
        assert!(!session.trim().is_empty());
        bw.unlock(PASSWORD);
        assert_eq!(bw.json(&["list", "items"]).as_array().unwrap().len(), 1);
        bw.run(&["logout"]).expect_ok();
        bw.forget_session();
        let out = bw
            .run(&[
                "login",
                "alice@example.com",
                PASSWORD,
                "--method",
                "0",
                "--code",
                &fresh,
                "--raw",
            ])
            .expect_err();
        assert!(
            out.contains("Two-step token is invalid"),
            "a code works once: {out}"
        );
    });
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bw_cli_logs_in_with_an_authenticator_code_on_sqlite() {
    bw_story(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bw_cli_logs_in_with_an_authenticator_code_on_postgres() {
    if backends().contains(&Backend::Postgres) {
        bw_story(Backend::Postgres).await;
    }
}

#[tokio::test]
async fn a_remembered_device_skips_the_code_until_the_password_changes() {
    for backend in backends() {
        let (server, clock) = server_with_clock(backend).await;
        let alice = support::user(&server, "alice@example.com").await;
        let key = enable_totp(&alice, &clock).await;
        clock.advance_secs(30);
        let c = client(&server);
        let err = c
            .login_password("alice@example.com", PASSWORD)
            .await
            .unwrap_err();
        assert!(
            matches!(err, ClientError::TwoFactorRequired { ref providers, .. } if providers == &vec![0]),
            "{err}"
        );

        let first = c
            .login_password_with(
                "alice@example.com",
                PASSWORD,
                Some(&code(0, &totp_code(&key, clock.now().unix_secs()), true)),
            )
            .await
            .unwrap();
        let remember = first.two_factor_token.clone().expect("remember token");
        c.login_password_with(
            "alice@example.com",
            PASSWORD,
            Some(&code(5, &remember, false)),
        )
        .await
        .unwrap();
        // Another device cannot use this device's token.
        let other = client(&server);
        let err = other
            .login_password_with(
                "alice@example.com",
                PASSWORD,
                Some(&code(5, &remember, false)),
            )
            .await
            .unwrap_err();
        assert!(
            matches!(err, ClientError::TwoFactorRequired { .. }),
            "{err}"
        );

        first
            .change_password(PASSWORD, "a new passphrase")
            .await
            .unwrap();
        let err = c
            .login_password_with(
                "alice@example.com",
                "a new passphrase",
                Some(&code(5, &remember, false)),
            )
            .await
            .unwrap_err();
        assert!(
            matches!(err, ClientError::TwoFactorRequired { .. }),
            "a password change forgets remembered devices: {err}"
        );
        server.stop().await;
    }
}

#[tokio::test]
async fn the_recovery_code_turns_two_step_login_off_once() {
    let (server, clock) = server_with_clock(Backend::Sqlite).await;
    let alice = support::user(&server, "alice@example.com").await;
    enable_totp(&alice, &clock).await;
    let recovery = alice.recovery_code(PASSWORD).await.unwrap();
    let newer = alice.recovery_code(PASSWORD).await.unwrap();
    assert_ne!(recovery, newer);
    let c = client(&server);
    let err = c
        .login_password_with(
            "alice@example.com",
            PASSWORD,
            Some(&code(8, &recovery, false)),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err, ClientError::Api { status: 400, .. }),
        "the replaced code no longer works: {err}"
    );
    let session = c
        .login_password_with(
            "alice@example.com",
            PASSWORD,
            Some(&code(8, &newer.to_lowercase(), false)),
        )
        .await
        .unwrap();
    assert!(
        session.two_factor_status().await.unwrap().is_empty(),
        "two-step login is off"
    );
    c.login_password("alice@example.com", PASSWORD)
        .await
        .unwrap();
    server.stop().await;
}

#[tokio::test]
async fn wrong_codes_lock_further_attempts_for_a_while() {
    let (server, clock) = server_with_clock(Backend::Sqlite).await;
    let alice = support::user(&server, "alice@example.com").await;
    let key = enable_totp(&alice, &clock).await;
    clock.advance_secs(30);
    let c = client(&server);
    for _ in 0..5 {
        let err = c
            .login_password_with(
                "alice@example.com",
                PASSWORD,
                Some(&code(0, "123456", false)),
            )
            .await
            .unwrap_err();
        assert!(
            matches!(&err, ClientError::Api { status: 400, message, .. } if message.contains("Two-step token is invalid")),
            "{err}"
        );
    }
    let right = totp_code(&key, clock.now().unix_secs());
    let err = c
        .login_password_with("alice@example.com", PASSWORD, Some(&code(0, &right, false)))
        .await
        .unwrap_err();
    assert_eq!(
        err.status(),
        Some(429),
        "locked even with the right code: {err}"
    );
    // A wrong password never reaches the second-factor check, so it reveals nothing about it.
    let err = c
        .login_password_with("alice@example.com", "wrong", Some(&code(0, &right, false)))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, ClientError::Api { status: 400, message, .. } if message.contains("Username or password")),
        "{err}"
    );
    clock.advance_secs(15 * 60 + 1);
    let right = totp_code(&key, clock.now().unix_secs());
    c.login_password_with("alice@example.com", PASSWORD, Some(&code(0, &right, false)))
        .await
        .unwrap();
    server.stop().await;
}

#[tokio::test]
async fn turning_the_authenticator_on_needs_the_password_and_a_right_code() {
    let (server, clock) = server_with_clock(Backend::Sqlite).await;
    let alice = support::user(&server, "alice@example.com").await;
    let (_, key) = alice.authenticator_setup(PASSWORD).await.unwrap();
    let now = totp_code(&key, clock.now().unix_secs());
    assert_eq!(
        alice
            .enable_authenticator("wrong", &key, &now)
            .await
            .unwrap_err()
            .status(),
        Some(400)
    );
    assert_eq!(
        alice
            .enable_authenticator(PASSWORD, &key, "000000")
            .await
            .unwrap_err()
            .status(),
        Some(400)
    );
    assert!(alice.two_factor_status().await.unwrap().is_empty());
    alice
        .enable_authenticator(PASSWORD, &key, &now)
        .await
        .unwrap();
    alice.disable_authenticator(PASSWORD).await.unwrap();
    assert!(alice.two_factor_status().await.unwrap().is_empty());
    client(&server)
        .login_password("alice@example.com", PASSWORD)
        .await
        .unwrap();
    server.stop().await;
}
