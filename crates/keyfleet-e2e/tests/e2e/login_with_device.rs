//! Devices and log in with a device, end to end: a user logged in on device A (keyfleet-client)
//! and in the stock bw CLI lists their devices; a logged-out device B the account used before
//! asks to log in, A checks the fingerprint phrase and approves with the user key wrapped to
//! B's request key, and B logs in with its access code and reads A's item. What the approval
//! grants is checked from every side: one login only, nothing after a denial or expiry, nothing
//! for another account, the same refusal for an unknown email and an unknown device, and a
//! removed device loses its refresh token and is no longer known. A's app connected to the
//! notification hub hears of the request, and B, waiting on the anonymous hub, of the approval
//! (the `@microsoft/signalr` client the apps use).

use crate::provider_support::FAST_KDF;
use crate::support::{client, PASSWORD};
use keyfleet_client::api::devices::{AuthRequestResponse, AuthRequestUpdateRequest};
use keyfleet_client::{
    auth_request_fingerprint, AccountCalls, Client, ClientError, DeviceCalls, RawBody,
    SecondFactor, Session,
};
use keyfleet_domain::Clock as _;
use keyfleet_testkit::spawn_server_with_clock as server_with_clock;
use keyfleet_testkit::{totp_code, Backend, Bw, HubListener, HubProtocol, TestServer, TokenIn};
use reqwest::Method;
use serde_json::json;

const ALICE: &str = "alice@devices.test";
const ITEM: &str = "Payroll portal";
const UNKNOWN: &str = "User or known device not found.";
/// How long a hub notification may take.
const PUSHED_WITHIN: std::time::Duration = std::time::Duration::from_secs(10);

/// The status of a refused call (and its message).
fn refused<T: std::fmt::Debug>(r: Result<T, ClientError>) -> (u16, String) {
    match r {
        Err(ClientError::Api {
            status, message, ..
        }) => (status, message),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// Registers `email` with a fast KDF and logs in on a new device.
async fn account(server: &TestServer, email: &str) -> Session {
    let c = client(server);
    c.register(email, PASSWORD, Some("Test User"), FAST_KDF)
        .await
        .unwrap();
    c.login_password(email, PASSWORD).await.unwrap()
}

/// `GET /api/devices/knowndevice` as the clients ask it.
async fn known_device(c: &Client, email: &str, identifier: &str) -> bool {
    use base64::Engine as _;
    let email = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(email);
    let r = c
        .raw_with_headers(
            Method::GET,
            "/api/devices/knowndevice",
            None,
            RawBody::Empty,
            &[
                ("X-Request-Email", email.as_str()),
                ("X-Device-Identifier", identifier),
            ],
        )
        .await
        .unwrap();
    assert_eq!(r.status, 200, "{}", r.body);
    r.body.trim() == "true"
}

/// Device A's session and item, device B (known: it logged in once and logged out), and B's
/// device id.
async fn two_devices(server: &TestServer) -> (Session, String, Client, String) {
    let a = account(server, ALICE).await;
    let item = a.create_login(ITEM, "alice", "hunter2").await.unwrap().id;
    let b = client(server);
    let first = b.login_password(ALICE, PASSWORD).await.unwrap();
    drop(first); // logged out
    let b_device = a.device_by_identifier(b.device_identifier()).await.unwrap();
    assert_eq!(b_device.device_type, 21);
    (a, item, b, b_device.id)
}

/// The core path: B asks, A approves after comparing phrases, B logs in once and decrypts A's
/// item; B's device removed afterwards ends its session.
async fn approved_login_story(server: &TestServer) -> (Session, Client, Session) {
    let (a, item, b, b_device) = two_devices(server).await;
    // A's app is connected to the notification hub: it hears of the request at once.
    let mut a_app = HubListener::connected(
        &server.base_url,
        &server.ca_pem,
        &a.access_token,
        HubProtocol::MessagePack,
        TokenIn::Query,
    )
    .await;
    let request = b.request_device_login(ALICE).await.unwrap();
    assert_eq!(request.access_code.len(), 25);
    let heard = a_app.expect_type(15, PUSHED_WITHIN).await;
    assert_eq!(heard["Payload"]["Id"], request.id.as_str());
    assert_eq!(heard["Payload"]["UserId"], a.user_id.as_str());
    a_app.stop().await;
    // B, logged out, waits for the answer on the anonymous hub.
    let mut b_waits = HubListener::connected(
        &server.base_url,
        &server.ca_pem,
        &request.id,
        HubProtocol::MessagePack,
        TokenIn::None,
    )
    .await;

    let pending = a.pending_auth_requests().await.unwrap();
    assert_eq!(pending.len(), 1);
    let seen = &pending[0];
    assert_eq!(seen.id, request.id);
    assert_eq!(seen.request_device_identifier, b.device_identifier());
    assert_eq!(seen.request_device_id.as_deref(), Some(b_device.as_str()));
    assert_eq!(
        (
            seen.request_device_type_value,
            seen.request_device_type.as_str()
        ),
        (21, "SDK")
    );
    assert!(seen.creation_date.ends_with('Z'));
    assert!(seen.response_date.is_none() && !seen.request_approved && seen.key.is_none());
    assert_eq!(
        auth_request_fingerprint(&a.email, &seen.public_key).unwrap(),
        request.fingerprint_phrase().unwrap(),
        "both devices show the same phrase"
    );
    // Not answered yet: the answer is pending and the code logs nobody in.
    let early = b
        .auth_request_response(&request.id, &request.access_code)
        .await
        .unwrap();
    assert!(early.response_date.is_none() && early.key.is_none());
    assert_eq!(
        refused(b.login_auth_request_token(&request, None).await).0,
        400
    );

    let approved = a.approve_auth_request(seen).await.unwrap();
    assert!(approved.request_approved && approved.response_date.is_some());
    let (target, answer) = b_waits.next_invocation(PUSHED_WITHIN).await.unwrap();
    assert_eq!(target, "AuthRequestResponseRecieved");
    assert_eq!(
        (answer["Type"].as_i64(), answer["Payload"]["Id"].as_str()),
        (Some(16), Some(request.id.as_str()))
    );
    b_waits.stop().await;
    let stored = a.auth_request(&request.id).await.unwrap();
    assert!(stored.key.as_deref().is_some_and(|k| k.starts_with("4.")));
    assert!(stored.master_password_hash.is_none());
    assert!(a.pending_auth_requests().await.unwrap().is_empty());

    // The answer needs the access code.
    assert_eq!(
        refused(b.auth_request_response(&request.id, "not-the-code").await).0,
        404
    );
    let b_session = b.login_with_device(&request).await.unwrap();
    let cipher = b_session.get_cipher(&item).await.unwrap();
    assert_eq!(b_session.decrypt(&cipher.name).unwrap(), ITEM);
    assert_eq!(b_session.user_id, a.user_id);

    // One login per approval.
    let (status, message) = refused(b.login_auth_request_token(&request, None).await);
    assert_eq!(status, 400, "{message}");
    // Answering again is refused.
    assert_eq!(refused(a.approve_auth_request(seen).await).0, 400);

    // Removing B ends its sessions: no new access token, no longer a known device.
    assert!(known_device(&b, ALICE, b.device_identifier()).await);
    a.deactivate_device(&b_device).await.unwrap();
    let refresh = b_session.refresh_token.clone().unwrap();
    assert_eq!(refused(b.refresh(&refresh).await).0, 400);
    assert!(!known_device(&b, ALICE, b.device_identifier()).await);
    assert_eq!(refused(a.device(&b_device).await).0, 404);
    assert!(!a.devices().await.unwrap().iter().any(|d| d.id == b_device));
    // Its access token lives out its hour (ending it at once would need a new security
    // stamp, logging every device out).
    b_session.account_revision_date().await.unwrap();
    // And a removed device cannot ask to log in with a device any more.
    assert_eq!(
        refused(b.request_device_login(ALICE).await),
        (400, UNKNOWN.to_string())
    );
    (a, b, b_session)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_login_is_approved_from_another_device_and_grants_nothing_more_on_sqlite() {
    let (server, clock) = server_with_clock(Backend::Sqlite).await;
    let (a, _, _) = approved_login_story(&server).await;

    // The stock CLI's device shows in the list with its type and name.
    let mut bw = Bw::new(&server);
    bw.login(ALICE, PASSWORD);
    let devices = a.devices().await.unwrap();
    let cli = devices
        .iter()
        .find(|d| d.device_type == 25)
        .expect("bw's device is listed");
    assert!(!cli.name.is_empty());
    assert!(!cli.is_trusted && cli.encrypted_user_key.is_none());
    let renamed = a.rename_device(&cli.id, "ops laptop").await.unwrap();
    assert_eq!(renamed.name, "ops laptop");
    assert_eq!(
        a.device_by_identifier(&cli.identifier).await.unwrap().name,
        "ops laptop"
    );
    assert_eq!(refused(a.rename_device(&cli.id, " ").await).0, 400);

    // A fresh device B2 that logged in once.
    let b = client(&server);
    b.login_password(ALICE, PASSWORD).await.unwrap();
    let b_id = b.device_identifier().to_string();

    // Only the newest pending request of a device can be approved.
    let older = b.request_device_login(ALICE).await.unwrap();
    let newer = b.request_device_login(ALICE).await.unwrap();
    let older_seen = a.auth_request(&older.id).await.unwrap();
    let (status, message) = refused(a.approve_auth_request(&older_seen).await);
    assert_eq!(status, 400);
    assert!(message.contains("most recent request"), "{message}");
    let listed = a.devices().await.unwrap();
    let b_listed = listed.iter().find(|d| d.identifier == b_id).unwrap();
    assert_eq!(
        b_listed
            .device_pending_auth_request
            .as_ref()
            .map(|p| p.id.as_str()),
        Some(newer.id.as_str())
    );

    // The approver names one of its own devices and sends a key wrapped to the request key.
    let newer_seen = a.auth_request(&newer.id).await.unwrap();
    let mut body = AuthRequestUpdateRequest {
        key: Some("4.AAAA".into()),
        master_password_hash: None,
        device_identifier: "not-a-device-of-alice".into(),
        request_approved: true,
    };
    assert_eq!(
        refused(a.answer_auth_request(&newer.id, &body).await),
        (400, "Invalid device.".to_string())
    );
    body.device_identifier = a.client().device_identifier().to_string();
    body.key = Some("2.AAAA|BBBB|CCCC".into());
    assert_eq!(
        refused(a.answer_auth_request(&newer.id, &body).await).0,
        400
    );

    // Another account sees nothing and answers nothing.
    let mallory = account(&server, "mallory@devices.test").await;
    assert_eq!(refused(mallory.auth_request(&newer.id).await).0, 404);
    assert_eq!(
        refused(mallory.approve_auth_request(&newer_seen).await).0,
        404
    );
    assert!(mallory.pending_auth_requests().await.unwrap().is_empty());
    assert!(mallory.auth_requests().await.unwrap().is_empty());
    let a_device = a
        .device_by_identifier(a.client().device_identifier())
        .await
        .unwrap();
    assert_eq!(refused(mallory.device(&a_device.id).await).0, 404);
    assert_eq!(
        refused(mallory.deactivate_device(&a_device.id).await).0,
        404
    );
    assert_eq!(
        refused(mallory.rename_device(&a_device.id, "x").await).0,
        404
    );
    assert!(a.device(&a_device.id).await.is_ok());
    // Nor can mallory log in with alice's request using a code she does not have.
    let stolen = a.auth_request(&newer.id).await.unwrap();
    assert!(stolen.response_date.is_none());

    // A denial is an answer: readable by the requester, unusable for a login.
    let denied = a.deny_auth_request(&newer.id).await.unwrap();
    assert!(!denied.request_approved && denied.response_date.is_some());
    let answer = b
        .auth_request_response(&newer.id, &newer.access_code)
        .await
        .unwrap();
    assert!(!answer.request_approved && answer.response_date.is_some() && answer.key.is_none());
    assert!(b.login_with_device(&newer).await.is_err());
    assert_eq!(
        refused(b.login_auth_request_token(&newer, None).await).0,
        400
    );
    assert_eq!(refused(a.deny_auth_request(&newer.id).await).0, 400);

    // Expiry: 15 minutes to answer, read and use.
    let late = b.request_device_login(ALICE).await.unwrap();
    let approved_late = b.request_device_login(ALICE).await.unwrap();
    let seen = a.auth_request(&approved_late.id).await.unwrap();
    a.approve_auth_request(&seen).await.unwrap();
    clock.advance_secs(15 * 60);
    assert_eq!(refused(a.deny_auth_request(&late.id).await).0, 404);
    assert_eq!(
        refused(b.auth_request_response(&late.id, &late.access_code).await).0,
        404
    );
    assert_eq!(
        refused(
            b.auth_request_response(&approved_late.id, &approved_late.access_code)
                .await
        )
        .0,
        404
    );
    assert_eq!(
        refused(b.login_auth_request_token(&approved_late, None).await).0,
        400
    );
    assert!(a.pending_auth_requests().await.unwrap().is_empty());

    // An unknown email and an unknown device get the same answer.
    let stranger = client(&server);
    assert_eq!(
        refused(stranger.request_device_login(ALICE).await),
        (400, UNKNOWN.to_string())
    );
    assert_eq!(
        refused(b.request_device_login("nobody@devices.test").await),
        (400, UNKNOWN.to_string())
    );
    // Admin approval is not offered; the anonymous create needs the device type.
    let public_key = older_seen.public_key.clone();
    let admin = stranger
        .raw(
            Method::POST,
            "/api/auth-requests",
            None,
            RawBody::Json(json!({
                "email": ALICE, "publicKey": public_key, "deviceIdentifier": b_id,
                "accessCode": "x".repeat(25), "type": 2,
            })),
        )
        .await
        .unwrap();
    assert_eq!(admin.status, 400, "{}", admin.body);
    let untyped = stranger
        .raw_with_headers(
            Method::POST,
            "/api/auth-requests/",
            None,
            RawBody::Json(json!({
                "email": ALICE, "publicKey": older_seen.public_key, "deviceIdentifier": b_id,
                "accessCode": "x".repeat(25), "type": 0,
            })),
            &[("Device-Type", "")],
        )
        .await
        .unwrap();
    assert_eq!(untyped.status, 400, "{}", untyped.body);
    assert!(
        untyped.body.contains("Device type not provided."),
        "{}",
        untyped.body
    );
    // The account's calls need its token.
    for path in [
        "/api/devices",
        "/api/auth-requests",
        "/api/auth-requests/pending",
    ] {
        let r = stranger
            .raw(Method::GET, path, None, RawBody::Empty)
            .await
            .unwrap();
        assert_eq!(r.status, 401, "{path}");
    }
    // Lists answer only the caller's.
    let all: Vec<AuthRequestResponse> = a.auth_requests().await.unwrap();
    assert!(all.len() >= 5 && all.iter().all(|r| r.object == "auth-request"));

    // Two-step login applies after the access code as after a password; a login stopped there
    // does not use the request up.
    let (_, key) = a.authenticator_setup(PASSWORD).await.unwrap();
    a.enable_authenticator(PASSWORD, &key, &totp_code(&key, clock.now().unix_secs()))
        .await
        .unwrap();
    let two_step = b.request_device_login(ALICE).await.unwrap();
    let seen = a.auth_request(&two_step.id).await.unwrap();
    a.approve_auth_request(&seen).await.unwrap();
    match b.login_with_device(&two_step).await {
        Err(ClientError::TwoFactorRequired { providers, .. }) => assert!(providers.contains(&0)),
        other => panic!("expected a second factor to be asked, got {other:?}"),
    }
    clock.advance_secs(30);
    let code = SecondFactor {
        provider: 0,
        token: totp_code(&key, clock.now().unix_secs()),
        remember: false,
    };
    let with_code = b
        .login_with_device_and(&two_step, Some(&code))
        .await
        .unwrap();
    assert_eq!(with_code.user_id, a.user_id);
    clock.advance_secs(30);
    let next = SecondFactor {
        token: totp_code(&key, clock.now().unix_secs()),
        ..code
    };
    assert_eq!(
        refused(b.login_auth_request_token(&two_step, Some(&next)).await).0,
        400,
        "used once"
    );
}

#[tokio::test]
async fn a_login_is_approved_from_another_device_on_postgres() {
    let (server, _clock) = server_with_clock(Backend::Postgres).await;
    let (a, _, _) = approved_login_story(&server).await;

    // Two logins racing with one approval: exactly one gets tokens.
    let b = client(&server);
    b.login_password(ALICE, PASSWORD).await.unwrap();
    let request = b.request_device_login(ALICE).await.unwrap();
    let seen = a.auth_request(&request.id).await.unwrap();
    a.approve_auth_request(&seen).await.unwrap();
    let (first, second) = tokio::join!(
        b.login_auth_request_token(&request, None),
        b.login_auth_request_token(&request, None)
    );
    assert_eq!(
        [first.is_ok(), second.is_ok()]
            .iter()
            .filter(|ok| **ok)
            .count(),
        1,
        "{first:?} / {second:?}"
    );
}
