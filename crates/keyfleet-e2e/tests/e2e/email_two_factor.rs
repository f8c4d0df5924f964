//! Two-step login by mailed codes (provider 1): set-up, the login challenge, `send-email-login`,
//! codes used once and expiring, the shared lock-out, the sending limit, and a server without
//! SMTP. Mail goes to a real loopback SMTP receiver; the server runs on a clock the test moves.

use crate::support::{self, client, PASSWORD};
use keyfleet_client::{ClientError, Method, RawBody, SecondFactor, Session};
use keyfleet_domain::{Clock, ManualClock, SystemClock, Timestamp};
use keyfleet_testkit::{backends, spawn_server_with, totp_code, Backend, Bw, SmtpSink, TestServer};

const CODES_TO: &str = "alice.codes@mail.example";
const NEEDS_SMTP: &str =
    "Email two-step login needs a mail server (SMTP) configured by the operator.";

fn smtp(port: u16) -> keyfleet_server::SmtpConfig {
    keyfleet_server::SmtpConfig {
        host: "127.0.0.1".into(),
        port,
        security: keyfleet_server::SmtpSecurity::None,
        username: None,
        password: None,
        from: "Keyfleet <keyfleet@msp.example>".into(),
    }
}

fn clock() -> ManualClock {
    // Mid-step, so TOTP codes for "now" and "now + 30 s" differ.
    let now = SystemClock.now();
    ManualClock::new(Timestamp(now.0 - now.0.rem_euclid(30_000) + 15_000))
}

async fn mailing_server(backend: Backend) -> (TestServer, ManualClock, SmtpSink) {
    let sink = SmtpSink::start().await;
    let clock = clock();
    let (moved, port) = (clock.clone(), sink.port);
    let server = spawn_server_with(backend, |c| {
        c.clock = Some(moved);
        c.smtp = Some(smtp(port));
    })
    .await;
    (server, clock, sink)
}

/// The code in the newest mail, after checking where it went.
fn last_code(sink: &SmtpSink, to: &str) -> String {
    let mail = sink.received();
    let last = mail.last().expect("a mail was sent");
    assert_eq!(last.to, [to]);
    let text = last.decoded();
    text.lines()
        .map(str::trim)
        .find(|l| l.len() == 6 && l.chars().all(|c| c.is_ascii_digit()))
        .unwrap_or_else(|| panic!("no code in {text}"))
        .to_string()
}

fn email_code(token: &str) -> SecondFactor {
    SecondFactor {
        provider: 1,
        token: token.to_string(),
        remember: false,
    }
}

async fn enable_email(alice: &Session, sink: &SmtpSink) {
    alice
        .send_email_setup_code(PASSWORD, CODES_TO)
        .await
        .unwrap();
    let code = last_code(sink, CODES_TO);
    alice
        .enable_email_two_factor(PASSWORD, CODES_TO, &code)
        .await
        .unwrap();
}

/// Another code of the same digits count, guaranteed wrong.
fn wrong(code: &str) -> String {
    if code == "000000" { "000001" } else { "000000" }.to_string()
}

async fn setup_and_login(backend: Backend) {
    let (server, clock, sink) = mailing_server(backend).await;
    let alice = support::user_via_mail(&server, &sink, "alice@example.com").await;
    assert_eq!(
        alice.email_two_factor(PASSWORD).await.unwrap(),
        (false, None)
    );

    // Set-up: the code goes to the address being set up; a wrong code is refused.
    alice
        .send_email_setup_code(PASSWORD, CODES_TO)
        .await
        .unwrap();
    let setup = last_code(&sink, CODES_TO);
    let err = alice
        .enable_email_two_factor(PASSWORD, CODES_TO, &wrong(&setup))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, ClientError::Api { status: 400, message, .. } if message.contains("Invalid token")),
        "{err}"
    );
    let err = alice
        .enable_email_two_factor(PASSWORD, "someone.else@mail.example", &setup)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(400), "the code is for one address");
    assert!(!alice
        .two_factor_status()
        .await
        .unwrap()
        .contains(&(1, true)));
    alice
        .enable_email_two_factor(PASSWORD, CODES_TO, &setup)
        .await
        .unwrap();
    assert!(alice
        .two_factor_status()
        .await
        .unwrap()
        .contains(&(1, true)));
    assert_eq!(
        alice.email_two_factor(PASSWORD).await.unwrap(),
        (true, Some(CODES_TO.to_string()))
    );
    assert_eq!(
        alice.sync_json().await.unwrap()["profile"]["twoFactorEnabled"],
        true
    );

    // The challenge offers provider 1 with the masked address, plus a resend session token.
    let c = client(&server);
    let err = c
        .login_password("alice@example.com", PASSWORD)
        .await
        .unwrap_err();
    let ClientError::TwoFactorRequired { providers, params } = &err else {
        panic!("{err}");
    };
    assert_eq!(providers, &vec![1]);
    assert_eq!(params["1"]["Email"], "al*********@mail.example");
    let (hash, _) = c
        .password_hash("alice@example.com", PASSWORD)
        .await
        .unwrap();
    let raw = c
        .raw(
            Method::POST,
            "/identity/connect/token",
            None,
            RawBody::Form(
                [
                    ("grant_type", "password"),
                    ("username", "alice@example.com"),
                    ("password", hash.as_str()),
                    ("scope", "api offline_access"),
                    ("client_id", "cli"),
                    ("deviceType", "25"),
                    ("deviceIdentifier", "3a4f0c1e-0000-4000-8000-000000000001"),
                    ("deviceName", "linux"),
                ]
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            ),
        )
        .await
        .unwrap();
    let challenge = raw.json();
    assert_eq!(raw.status, 400);
    assert_eq!(challenge["Email"], "alice@example.com");
    let session_token = challenge["SsoEmail2faSessionToken"]
        .as_str()
        .expect("session token")
        .to_string();

    // Asking for a code needs the password (or the session token); failures look alike.
    clock.advance_secs(61);
    let refused = |r: &keyfleet_client::RawResponse| {
        r.status == 400 && r.body.contains("Cannot send two-factor email.")
    };
    for (email, hash) in [
        ("alice@example.com", "d3JvbmcgaGFzaA=="),
        ("nobody@example.com", hash.as_str()),
    ] {
        let r = c
            .raw(
                Method::POST,
                "/api/two-factor/send-email-login",
                None,
                RawBody::Json(serde_json::json!({ "email": email, "masterPasswordHash": hash })),
            )
            .await
            .unwrap();
        assert!(refused(&r), "{} {}", r.status, r.body);
    }
    let mails = sink.received().len();
    c.send_email_login_code("alice@example.com", PASSWORD)
        .await
        .unwrap();
    assert_eq!(sink.received().len(), mails + 1);
    let code = last_code(&sink, CODES_TO);
    let session = c
        .login_password_with("alice@example.com", PASSWORD, Some(&email_code(&code)))
        .await
        .unwrap();
    session.sync().await.unwrap();
    let err = c
        .login_password_with("alice@example.com", PASSWORD, Some(&email_code(&code)))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, ClientError::Api { status: 400, message, .. } if message.contains("Two-step token is invalid")),
        "a code works once: {err}"
    );

    // The challenge's session token also asks for a code, without the password.
    clock.advance_secs(61);
    let r = c
        .raw(
            Method::POST,
            "/api/two-factor/send-email-login",
            None,
            RawBody::Json(serde_json::json!({
                "email": "alice@example.com",
                "ssoEmail2FaSessionToken": session_token,
            })),
        )
        .await
        .unwrap();
    assert_eq!(r.status, 200, "{}", r.body);

    // A code expires after five minutes.
    let late = last_code(&sink, CODES_TO);
    clock.advance_secs(5 * 60 + 1);
    let err = c
        .login_password_with("alice@example.com", PASSWORD, Some(&email_code(&late)))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, ClientError::Api { status: 400, message, .. } if message.contains("Two-step token is invalid")),
        "an expired code is refused: {err}"
    );

    // Turning it off (official per-provider DELETE) ends the challenge.
    alice.disable_email_two_factor(PASSWORD).await.unwrap();
    assert!(alice.two_factor_status().await.unwrap().is_empty());
    c.login_password("alice@example.com", PASSWORD)
        .await
        .unwrap();
    server.stop().await;
}

#[tokio::test]
async fn email_codes_are_set_up_and_log_in_once_on_sqlite() {
    setup_and_login(Backend::Sqlite).await;
}

#[tokio::test]
async fn email_codes_are_set_up_and_log_in_once_on_postgres() {
    if backends().contains(&Backend::Postgres) {
        setup_and_login(Backend::Postgres).await;
    }
}

#[tokio::test]
async fn code_mails_are_limited_per_account() {
    let (server, clock, sink) = mailing_server(Backend::Sqlite).await;
    let mut alice = support::user_via_mail(&server, &sink, "alice@example.com").await;
    enable_email(&alice, &sink).await;
    let c = client(&server);
    // The set-up mail counts: a minute must pass.
    let err = c
        .send_email_login_code("alice@example.com", PASSWORD)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, ClientError::Api { status: 429, message, .. } if message.contains("Try again in")),
        "{err}"
    );
    for _ in 0..4 {
        clock.advance_secs(61);
        c.send_email_login_code("alice@example.com", PASSWORD)
            .await
            .unwrap();
    }
    // Five code mails (set-up and four logins), after the registration's verification mail.
    assert_eq!(sink.received().len(), 1 + 5);
    clock.advance_secs(61);
    let err = c
        .send_email_login_code("alice@example.com", PASSWORD)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(429), "five an hour: {err}");
    assert_eq!(sink.received().len(), 1 + 5);
    clock.advance_secs(3600);
    c.send_email_login_code("alice@example.com", PASSWORD)
        .await
        .unwrap();
    assert_eq!(sink.received().len(), 1 + 6);

    // The older clients' generic disable turns it off too (after an hour: a fresh access token).
    alice.refresh().await.unwrap();
    let (hash, _) = c
        .password_hash("alice@example.com", PASSWORD)
        .await
        .unwrap();
    let off: serde_json::Value = alice
        .call(
            Method::PUT,
            "/api/two-factor/disable",
            Some(serde_json::json!({ "type": 1, "masterPasswordHash": hash })),
        )
        .await
        .unwrap();
    assert_eq!(off["enabled"], false);
    assert!(alice.two_factor_status().await.unwrap().is_empty());
    server.stop().await;
}

#[tokio::test]
async fn wrong_email_codes_count_toward_the_shared_lock_out() {
    let (server, clock, sink) = mailing_server(Backend::Sqlite).await;
    let alice = support::user_via_mail(&server, &sink, "alice@example.com").await;
    let (_, key) = alice.authenticator_setup(PASSWORD).await.unwrap();
    alice
        .enable_authenticator(PASSWORD, &key, &totp_code(&key, clock.now().unix_secs()))
        .await
        .unwrap();
    enable_email(&alice, &sink).await;
    let c = client(&server);
    let err = c
        .login_password("alice@example.com", PASSWORD)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, ClientError::TwoFactorRequired { providers, .. } if providers == &vec![0, 1]),
        "{err}"
    );
    clock.advance_secs(61);
    c.send_email_login_code("alice@example.com", PASSWORD)
        .await
        .unwrap();
    let code = last_code(&sink, CODES_TO);
    for factor in [
        email_code(&wrong(&code)),
        email_code(&wrong(&code)),
        email_code(&wrong(&code)),
        SecondFactor {
            provider: 0,
            token: "123456".into(),
            remember: false,
        },
        SecondFactor {
            provider: 0,
            token: "654321".into(),
            remember: false,
        },
    ] {
        let err = c
            .login_password_with("alice@example.com", PASSWORD, Some(&factor))
            .await
            .unwrap_err();
        assert_eq!(err.status(), Some(400), "{err}");
    }
    let err = c
        .login_password_with("alice@example.com", PASSWORD, Some(&email_code(&code)))
        .await
        .unwrap_err();
    assert_eq!(
        err.status(),
        Some(429),
        "locked even with the right code: {err}"
    );
    server.stop().await;
}

async fn without_smtp(backend: Backend) {
    // One database, two servers: one with SMTP, one without (the operator removed it).
    let sink = SmtpSink::start().await;
    let clock = clock();
    let mut url = None;
    let (moved, port) = (clock.clone(), sink.port);
    let mailing = spawn_server_with(backend, |c| {
        url = c.database_url.clone();
        c.clock = Some(moved);
        c.smtp = Some(smtp(port));
    })
    .await;
    let moved = clock.clone();
    let mailless = spawn_server_with(backend, |c| {
        c.database_url = url;
        c.clock = Some(moved);
    })
    .await;

    let bob = support::user(&mailless, "bob@example.com").await;
    for err in [
        bob.email_two_factor(PASSWORD).await.unwrap_err(),
        bob.send_email_setup_code(PASSWORD, "bob@example.com")
            .await
            .unwrap_err(),
        bob.enable_email_two_factor(PASSWORD, "bob@example.com", "123456")
            .await
            .unwrap_err(),
    ] {
        assert!(
            matches!(&err, ClientError::Api { status: 400, message, .. } if message == NEEDS_SMTP),
            "{err}"
        );
    }

    // Alice turns on email codes and the authenticator while SMTP is there.
    let alice = support::user_via_mail(&mailing, &sink, "alice@example.com").await;
    enable_email(&alice, &sink).await;
    let (_, key) = alice.authenticator_setup(PASSWORD).await.unwrap();
    alice
        .enable_authenticator(PASSWORD, &key, &totp_code(&key, clock.now().unix_secs()))
        .await
        .unwrap();
    let recovery = alice.recovery_code(PASSWORD).await.unwrap();
    let c = client(&mailless);
    let err = c
        .login_password("alice@example.com", PASSWORD)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, ClientError::TwoFactorRequired { providers, .. } if providers == &vec![0]),
        "only the authenticator is offered without SMTP: {err}"
    );
    let err = c
        .send_email_login_code("alice@example.com", PASSWORD)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, ClientError::Api { status: 400, message, .. } if message == NEEDS_SMTP),
        "{err}"
    );

    // With email as the only provider left, the login says why instead of letting anyone in.
    alice.disable_authenticator(PASSWORD).await.unwrap();
    let err = c
        .login_password("alice@example.com", PASSWORD)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, ClientError::Api { status: 400, message, .. } if message.contains("cannot send mail")),
        "{err}"
    );
    // The recovery code still works (and turns two-step login off).
    let recovered = c
        .login_password_with(
            "alice@example.com",
            PASSWORD,
            Some(&SecondFactor {
                provider: 8,
                token: recovery,
                remember: false,
            }),
        )
        .await
        .unwrap();
    assert!(recovered.two_factor_status().await.unwrap().is_empty());
    mailless.stop().await;
    mailing.stop().await;
}

#[tokio::test]
async fn without_smtp_email_codes_are_refused_and_never_offered_on_sqlite() {
    without_smtp(Backend::Sqlite).await;
}

#[tokio::test]
async fn without_smtp_email_codes_are_refused_and_never_offered_on_postgres() {
    if backends().contains(&Backend::Postgres) {
        without_smtp(Backend::Postgres).await;
    }
}

/// The stock bw CLI: `--method 1` without a code makes it call `send-email-login` itself; with
/// `--code` it logs in.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bw_cli_logs_in_with_a_mailed_code() {
    let (server, clock, sink) = mailing_server(Backend::Sqlite).await;
    let alice = support::user_via_mail(&server, &sink, "alice@example.com").await;
    alice.create_login("Bank", "jdoe", "pw").await.unwrap();
    enable_email(&alice, &sink).await;
    clock.advance_secs(61);
    let mails = sink.received().len();
    tokio::task::block_in_place(|| {
        let mut bw = Bw::new(&server);
        let out = bw
            .run(&[
                "login",
                "alice@example.com",
                PASSWORD,
                "--method",
                "1",
                "--raw",
            ])
            .expect_err();
        assert!(out.contains("Code is required"), "{out}");
        assert_eq!(sink.received().len(), mails + 1, "bw asked for a mail");
        let code = last_code(&sink, CODES_TO);
        bw.run(&[
            "login",
            "alice@example.com",
            PASSWORD,
            "--method",
            "1",
            "--code",
            &wrong(&code),
            "--raw",
        ])
        .expect_err();
        let session = bw
            .run(&[
                "login",
                "alice@example.com",
                PASSWORD,
                "--method",
                "1",
                "--code",
                &code,
                "--raw",
            ])
            .expect_ok();
        assert!(!session.trim().is_empty());
        bw.unlock(PASSWORD);
        assert_eq!(bw.json(&["list", "items"]).as_array().unwrap().len(), 1);
    });
    server.stop().await;
}
