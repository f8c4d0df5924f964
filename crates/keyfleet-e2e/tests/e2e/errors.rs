//! Bad input and bad credentials through the Rust client: each answers Bitwarden's error JSON
//! with the right status, and nothing is changed or revealed.

use crate::support::{self, client, PASSWORD};
use keyfleet_client::{ClientError, Method, RawBody};
use keyfleet_domain::{Clock, ManualClock, SystemClock};
use keyfleet_testkit::{backends, spawn_server, spawn_server_with, Backend};
use serde_json::json;

fn assert_error_envelope(status: u16, body: &serde_json::Value, expected_status: u16) {
    assert_eq!(status, expected_status, "body: {body}");
    assert_eq!(
        body["object"], "error",
        "not the Bitwarden envelope: {body}"
    );
    assert!(
        body["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{body}"
    );
}

fn token_form(email: &str, hash: &str) -> RawBody {
    RawBody::Form(
        [
            ("grant_type", "password"),
            ("username", email),
            ("password", hash),
            ("scope", "api offline_access"),
            ("client_id", "cli"),
            ("deviceType", "25"),
            ("deviceIdentifier", "3b6d1a3c-0000-4000-8000-000000000001"),
            ("deviceName", "linux"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect(),
    )
}

#[tokio::test]
async fn wrong_passwords_and_unknown_emails_get_the_same_answer() {
    for backend in backends() {
        let server = spawn_server(backend).await;
        let _alice = support::user(&server, "alice@example.com").await;
        let c = client(&server);
        let wrong = c
            .raw(
                Method::POST,
                "/identity/connect/token",
                None,
                token_form("alice@example.com", "d3Jvbmc="),
            )
            .await
            .unwrap();
        let unknown = c
            .raw(
                Method::POST,
                "/identity/connect/token",
                None,
                token_form("nobody@example.com", "d3Jvbmc="),
            )
            .await
            .unwrap();
        assert_eq!(wrong.status, 400);
        assert_eq!(
            wrong.body, unknown.body,
            "must not reveal which accounts exist"
        );
        assert_eq!(
            wrong.json()["ErrorModel"]["Message"],
            "Username or password is incorrect. Try again."
        );
        assert_eq!(wrong.json()["error"], "invalid_grant");

        let prelogin_known = c
            .raw(
                Method::POST,
                "/identity/accounts/prelogin/password",
                None,
                RawBody::Json(json!({"email": "alice@example.com"})),
            )
            .await
            .unwrap();
        let prelogin_unknown = c
            .raw(
                Method::POST,
                "/identity/accounts/prelogin/password",
                None,
                RawBody::Json(json!({"email": "nobody@example.com"})),
            )
            .await
            .unwrap();
        assert_eq!(
            prelogin_known.json()["kdfSettings"],
            prelogin_unknown.json()["kdfSettings"]
        );
        server.stop().await;
    }
}

#[tokio::test]
async fn malformed_and_oversized_bodies_are_refused_with_the_error_envelope() {
    let server = spawn_server(Backend::Sqlite).await;
    let alice = support::user(&server, "alice@example.com").await;
    let c = client(&server);
    let token = Some(alice.access_token.as_str());

    let r = c
        .raw(
            Method::POST,
            "/api/folders",
            token,
            RawBody::Bytes(b"{\"name\": ".to_vec(), "application/json"),
        )
        .await
        .unwrap();
    assert_error_envelope(r.status, &r.json(), 400);
    let r = c
        .raw(
            Method::POST,
            "/api/ciphers",
            token,
            RawBody::Json(json!({"type": "login"})),
        )
        .await
        .unwrap();
    assert_error_envelope(r.status, &r.json(), 400);

    let huge = vec![b'a'; 3 * 1024 * 1024];
    let mut body = b"{\"name\":\"".to_vec();
    body.extend_from_slice(&huge);
    body.extend_from_slice(b"\"}");
    let r = c
        .raw(
            Method::POST,
            "/api/folders",
            token,
            RawBody::Bytes(body, "application/json"),
        )
        .await
        .unwrap();
    assert_error_envelope(r.status, &r.json(), 413);
    assert!(
        alice.sync_json().await.unwrap()["folders"]
            .as_array()
            .unwrap()
            .is_empty(),
        "nothing was stored"
    );
    server.stop().await;
}

#[tokio::test]
async fn plaintext_where_an_encstring_belongs_is_refused_and_nothing_is_stored() {
    let server = spawn_server(Backend::Sqlite).await;
    let alice = support::user(&server, "alice@example.com").await;
    let err = alice
        .call::<serde_json::Value>(
            Method::POST,
            "/api/folders",
            Some(json!({"name": "Clients"})),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&err, ClientError::Api { status: 400, message, .. } if message.contains("not a valid encrypted string")),
        "{err}"
    );

    let mut item = json!(alice.login_item_body("Bank", "jdoe", "pw"));
    item["login"]["password"] = json!("hunter2");
    let err = alice
        .call::<serde_json::Value>(Method::POST, "/api/ciphers", Some(item))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(400));
    let sync = alice.sync_json().await.unwrap();
    assert!(sync["ciphers"].as_array().unwrap().is_empty());
    assert!(sync["folders"].as_array().unwrap().is_empty());
    server.stop().await;
}

#[tokio::test]
async fn another_users_items_and_folders_are_not_found() {
    for backend in backends() {
        let server = spawn_server(backend).await;
        let alice = support::user(&server, "alice@example.com").await;
        let mallory = support::user(&server, "mallory@example.com").await;
        let item = alice.create_login("Bank", "jdoe", "pw").await.unwrap();
        let folder = alice.create_folder("Clients").await.unwrap();
        let c = client(&server);
        let m = Some(mallory.access_token.as_str());
        let cipher_path = format!("/api/ciphers/{}", item.id);
        let folder_path = format!("/api/folders/{}", folder.id);
        let attempts = [
            (Method::GET, cipher_path.clone(), RawBody::Empty),
            (
                Method::PUT,
                cipher_path.clone(),
                RawBody::Json(json!(mallory.login_item_body("x", "y", "z"))),
            ),
            (Method::DELETE, cipher_path.clone(), RawBody::Empty),
            (Method::PUT, format!("{cipher_path}/delete"), RawBody::Empty),
            (
                Method::PUT,
                format!("{cipher_path}/restore"),
                RawBody::Empty,
            ),
            (
                Method::PUT,
                format!("{cipher_path}/partial"),
                RawBody::Json(json!({"favorite": true})),
            ),
            (Method::GET, folder_path.clone(), RawBody::Empty),
            (
                Method::PUT,
                folder_path.clone(),
                RawBody::Json(json!({"name": mallory.encrypt("x")})),
            ),
            (Method::DELETE, folder_path.clone(), RawBody::Empty),
            (
                Method::GET,
                "/api/ciphers/not-a-uuid".to_string(),
                RawBody::Empty,
            ),
        ];
        for (method, path, body) in attempts {
            let r = c.raw(method.clone(), &path, m, body).await.unwrap();
            assert_error_envelope(r.status, &r.json(), 404);
        }
        // Bulk calls ignore ids the caller does not own.
        let r = c
            .raw(
                Method::DELETE,
                "/api/ciphers",
                m,
                RawBody::Json(json!({"ids": [item.id]})),
            )
            .await
            .unwrap();
        assert_eq!(r.status, 200);
        let r = c
            .raw(
                Method::PUT,
                "/api/ciphers/move",
                m,
                RawBody::Json(json!({"ids": [item.id], "folderId": null})),
            )
            .await
            .unwrap();
        assert_eq!(r.status, 200);
        let still = alice.get_cipher(&item.id).await.unwrap();
        assert_eq!(still.name, item.name);
        assert_eq!(still.revision_date, item.revision_date, "untouched");
        assert!(mallory.sync_json().await.unwrap()["ciphers"]
            .as_array()
            .unwrap()
            .is_empty());
        server.stop().await;
    }
}

#[tokio::test]
async fn missing_forged_and_expired_access_tokens_are_401() {
    let clock = ManualClock::new(SystemClock.now());
    let moved = clock.clone();
    let server = spawn_server_with(Backend::Sqlite, |c| c.clock = Some(moved)).await;
    let alice = support::user(&server, "alice@example.com").await;
    let c = client(&server);

    let r = c
        .raw(Method::GET, "/api/sync", None, RawBody::Empty)
        .await
        .unwrap();
    assert_error_envelope(r.status, &r.json(), 401);
    let mut forged = alice.access_token.clone();
    forged.pop();
    forged.push(if alice.access_token.ends_with('A') {
        'B'
    } else {
        'A'
    });
    let r = c
        .raw(Method::GET, "/api/sync", Some(&forged), RawBody::Empty)
        .await
        .unwrap();
    assert_error_envelope(r.status, &r.json(), 401);

    assert_eq!(
        c.raw(
            Method::GET,
            "/api/sync",
            Some(&alice.access_token),
            RawBody::Empty
        )
        .await
        .unwrap()
        .status,
        200
    );
    clock.advance_secs(3601);
    let r = c
        .raw(
            Method::GET,
            "/api/sync",
            Some(&alice.access_token),
            RawBody::Empty,
        )
        .await
        .unwrap();
    assert_error_envelope(r.status, &r.json(), 401);
    server.stop().await;
}

#[tokio::test]
async fn a_password_change_revokes_every_token_issued_before_it() {
    for backend in backends() {
        let server = spawn_server(backend).await;
        let alice = support::user(&server, "alice@example.com").await;
        let item = alice.create_login("Bank", "jdoe", "pw").await.unwrap();
        alice
            .change_password(PASSWORD, "a brand new passphrase")
            .await
            .unwrap();
        let c = client(&server);
        let r = c
            .raw(
                Method::GET,
                "/api/sync",
                Some(&alice.access_token),
                RawBody::Empty,
            )
            .await
            .unwrap();
        assert_error_envelope(r.status, &r.json(), 401);
        let err = c
            .refresh(alice.refresh_token.as_deref().unwrap())
            .await
            .unwrap_err();
        assert!(
            matches!(err, ClientError::Api { status: 400, oauth_error: Some(ref e), .. } if e == "invalid_grant"),
            "{err}"
        );

        assert!(c
            .login_password("alice@example.com", PASSWORD)
            .await
            .is_err());
        let again = c
            .login_password("alice@example.com", "a brand new passphrase")
            .await
            .unwrap();
        let back = again.get_cipher(&item.id).await.unwrap();
        assert_eq!(
            again.decrypt(&back.name).unwrap(),
            "Bank",
            "the same user key, re-wrapped"
        );
        server.stop().await;
    }
}

#[tokio::test]
async fn a_reused_refresh_token_revokes_its_whole_family() {
    for backend in backends() {
        let server = spawn_server(backend).await;
        let mut alice = support::user(&server, "alice@example.com").await;
        let first = alice.refresh_token.clone().unwrap();
        alice.refresh().await.unwrap();
        let second = alice.refresh_token.clone().unwrap();
        assert_ne!(first, second, "refresh tokens rotate");
        assert_eq!(alice.revision_date().await.map(|_| ()).ok(), Some(()));

        let c = client(&server);
        let err = c.refresh(&first).await.unwrap_err();
        assert_eq!(err.status(), Some(400));
        let err = c.refresh(&second).await.unwrap_err();
        assert!(
            matches!(err, ClientError::Api { oauth_error: Some(ref e), .. } if e == "invalid_grant"),
            "the live token died with the family: {err}"
        );
        server.stop().await;
    }
}

#[tokio::test]
async fn repeated_failed_logins_are_throttled_per_account() {
    let server = spawn_server(Backend::Sqlite).await;
    let _alice = support::user(&server, "alice@example.com").await;
    let _bob = support::user(&server, "bob@example.com").await;
    let c = client(&server);
    for _ in 0..10 {
        let r = c
            .raw(
                Method::POST,
                "/identity/connect/token",
                None,
                token_form("alice@example.com", "d3Jvbmc="),
            )
            .await
            .unwrap();
        assert_eq!(r.status, 400);
    }
    let locked = c
        .raw(
            Method::POST,
            "/identity/connect/token",
            None,
            token_form("alice@example.com", "d3Jvbmc="),
        )
        .await
        .unwrap();
    assert_eq!(locked.status, 429);
    assert!(locked.json()["ErrorModel"]["Message"]
        .as_str()
        .unwrap()
        .contains("Too many failed login attempts"));
    // Even the right password waits out the lock, and other accounts are unaffected.
    assert_eq!(
        c.login_password("alice@example.com", PASSWORD)
            .await
            .unwrap_err()
            .status(),
        Some(429)
    );
    c.login_password("bob@example.com", PASSWORD).await.unwrap();
    server.stop().await;
}

#[tokio::test]
async fn a_stale_edit_is_refused_and_the_newer_version_kept() {
    let server = spawn_server(Backend::Sqlite).await;
    let alice = support::user(&server, "alice@example.com").await;
    let item = alice.create_login("Bank", "jdoe", "pw").await.unwrap();
    let path = format!("/api/ciphers/{}", item.id);
    let mut edit = json!(alice.login_item_body("Bank v2", "jdoe", "pw2"));
    edit["lastKnownRevisionDate"] = json!(item.revision_date);
    alice
        .call::<serde_json::Value>(Method::PUT, &path, Some(edit))
        .await
        .unwrap();

    let mut stale = json!(alice.login_item_body("Bank stale", "jdoe", "pw3"));
    stale["lastKnownRevisionDate"] = json!("2000-01-01T00:00:00.000Z");
    let err = alice
        .call::<serde_json::Value>(Method::PUT, &path, Some(stale))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, ClientError::Api { status: 400, message, .. } if message.contains("out of date")),
        "{err}"
    );
    let kept = alice.get_cipher(&item.id).await.unwrap();
    assert_eq!(alice.decrypt(&kept.name).unwrap(), "Bank v2");
    server.stop().await;
}

#[tokio::test]
async fn registration_refuses_duplicates_bad_kdfs_and_can_be_disabled() {
    let server = spawn_server(Backend::Sqlite).await;
    let c = client(&server);
    c.register(
        "dup@example.com",
        PASSWORD,
        None,
        keyfleet_crypto::Kdf::default_pbkdf2(),
    )
    .await
    .unwrap();
    let err = c
        .register(
            "DUP@example.com",
            PASSWORD,
            None,
            keyfleet_crypto::Kdf::default_pbkdf2(),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&err, ClientError::Api { status: 400, message, .. } if message.contains("taken")),
        "{err}"
    );
    let weak = keyfleet_crypto::Kdf::Pbkdf2 { iterations: 5000 };
    assert_eq!(
        c.register("weak@example.com", PASSWORD, None, weak)
            .await
            .unwrap_err()
            .status(),
        Some(400)
    );
    server.stop().await;

    let closed = spawn_server_with(Backend::Sqlite, |c| c.disable_registration = true).await;
    let err = client(&closed)
        .register(
            "new@example.com",
            PASSWORD,
            None,
            keyfleet_crypto::Kdf::default_pbkdf2(),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&err, ClientError::Api { status: 400, message, .. } if message.contains("disabled")),
        "{err}"
    );
    closed.stop().await;
}

#[tokio::test]
async fn the_api_key_needs_the_master_password_and_rotation_invalidates_the_old_one() {
    let server = spawn_server(Backend::Sqlite).await;
    let alice = support::user(&server, "alice@example.com").await;
    assert_eq!(
        alice.api_key("wrong password").await.unwrap_err().status(),
        Some(400)
    );
    let old = alice.api_key(PASSWORD).await.unwrap().api_key;
    assert_eq!(old.len(), 30);
    // Only a digest is kept: the key is shown once, and "view" says how to get another.
    let again = alice.api_key(PASSWORD).await.unwrap_err();
    assert_eq!(again.status(), Some(400));
    assert!(again.to_string().contains("Rotate the API key"), "{again}");
    let c = client(&server);
    let client_id = format!("user.{}", alice.user_id);
    let token = c.login_api_key(&client_id, &old).await.unwrap();
    assert!(token.refresh_token.is_none());
    let new = alice.rotate_api_key(PASSWORD).await.unwrap().api_key;
    assert_ne!(new, old);
    assert_eq!(
        c.login_api_key(&client_id, &old)
            .await
            .unwrap_err()
            .status(),
        Some(400)
    );
    c.login_api_key(&client_id, &new).await.unwrap();
    server.stop().await;
}
