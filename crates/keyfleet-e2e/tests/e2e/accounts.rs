//! Account endpoints the apps use beyond the bw CLI's path: known devices and account deletion.

use crate::support::{self, client, PASSWORD};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use keyfleet_client::{Method, RawBody};
use keyfleet_testkit::{backends, spawn_server};
use serde_json::json;

#[tokio::test]
async fn a_device_is_known_only_after_it_logged_in_for_that_account() {
    let server = spawn_server(keyfleet_testkit::Backend::Sqlite).await;
    let c = client(&server);
    c.register(
        "alice@example.com",
        PASSWORD,
        None,
        keyfleet_crypto::Kdf::default_pbkdf2(),
    )
    .await
    .unwrap();
    let known = |email: &str, device: &str| {
        let (c, email, device) = (c.clone(), URL_SAFE_NO_PAD.encode(email), device.to_string());
        async move {
            let headers = [
                ("X-Request-Email", email.as_str()),
                ("X-Device-Identifier", device.as_str()),
            ];
            let r = c
                .raw_with_headers(
                    Method::GET,
                    "/api/devices/knowndevice",
                    None,
                    RawBody::Empty,
                    &headers,
                )
                .await
                .unwrap();
            assert_eq!(r.status, 200, "{}", r.body);
            r.json()
        }
    };
    let device = c.device_identifier().to_string();
    assert_eq!(known("alice@example.com", &device).await, json!(false));
    c.login_password("alice@example.com", PASSWORD)
        .await
        .unwrap();
    assert_eq!(known("alice@example.com", &device).await, json!(true));
    assert_eq!(
        known("bob@example.com", &device).await,
        json!(false),
        "unknown accounts are just unknown"
    );
    assert_eq!(
        known("alice@example.com", "another-device").await,
        json!(false)
    );
    let r = c
        .raw(
            Method::GET,
            "/api/devices/knowndevice",
            None,
            RawBody::Empty,
        )
        .await
        .unwrap();
    assert_eq!(r.status, 400, "headers are required");
    server.stop().await;
}

#[tokio::test]
async fn deleting_an_account_needs_the_password_and_removes_everything() {
    for backend in backends() {
        let server = spawn_server(backend).await;
        let alice = support::user(&server, "alice@example.com").await;
        alice.create_login("Bank", "jdoe", "pw").await.unwrap();
        alice.create_folder("Clients").await.unwrap();
        let c = client(&server);
        let token = Some(alice.access_token.as_str());

        let wrong = json!({ "masterPasswordHash": "d3Jvbmc=" });
        let r = c
            .raw(Method::DELETE, "/api/accounts", token, RawBody::Json(wrong))
            .await
            .unwrap();
        assert_eq!(r.status, 400);
        assert_eq!(
            alice.sync_json().await.unwrap()["ciphers"]
                .as_array()
                .unwrap()
                .len(),
            1,
            "nothing deleted"
        );

        let (hash, _) = c
            .password_hash("alice@example.com", PASSWORD)
            .await
            .unwrap();
        let r = c
            .raw(
                Method::DELETE,
                "/api/accounts",
                token,
                RawBody::Json(json!({ "masterPasswordHash": hash })),
            )
            .await
            .unwrap();
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(
            c.raw(Method::GET, "/api/sync", token, RawBody::Empty)
                .await
                .unwrap()
                .status,
            401
        );
        assert!(c
            .login_password("alice@example.com", PASSWORD)
            .await
            .is_err());
        let again = support::user(&server, "alice@example.com").await;
        let sync = again.sync_json().await.unwrap();
        assert!(
            sync["ciphers"].as_array().unwrap().is_empty()
                && sync["folders"].as_array().unwrap().is_empty()
        );
        server.stop().await;
    }
}
