//! What the provider benchmarks share (included with `#[path]` by `providers.rs` and
//! `console.rs`): a member with TOTP on, a set-up provider with a client body to copy, and
//! clients seeded by concurrent writers.
// Each benchmark binary uses a part of it.
#![allow(dead_code)]

use keyfleet_client::{new_client_body, Client, Method, NewClient, RawBody, Session};
use keyfleet_crypto::Kdf;
use keyfleet_testkit::{totp_code, TEST_ADMIN_TOKEN};
use serde_json::Value;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Every benchmark account's password.
pub const PASSWORD: &str = "benchmark passphrase";
/// Concurrent writers seeding clients.
pub const WRITERS: usize = 8;

pub fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// A registered user with TOTP on (provider members must have two-step login); answers the
/// session, the TOTP secret and the 30-second step whose code is now spent.
pub async fn member(client: &Client, email: &str) -> (Arc<Session>, String, i64) {
    client
        .register(email, PASSWORD, None, Kdf::default_pbkdf2())
        .await
        .unwrap();
    let session = client.login_password(email, PASSWORD).await.unwrap();
    let (_, secret) = session.authenticator_setup(PASSWORD).await.unwrap();
    let now = now_secs();
    session
        .enable_authenticator(PASSWORD, &secret, &totp_code(&secret, now))
        .await
        .unwrap();
    (Arc::new(session), secret, now / 30)
}

/// The operator creates a provider for `owner`, who sets it up; answers its id and a client
/// body (keys made once) to copy for every client: the server only stores ciphertext, so the
/// benchmarks measure the server, not key generation.
pub async fn provider_with_template(
    client: &Client,
    owner: &Session,
    billing: &str,
) -> (String, Value) {
    let created = client
        .admin_create_provider(TEST_ADMIN_TOKEN, "Bench MSP", &owner.email, None, None)
        .await
        .unwrap();
    let provider = created.provider.id.clone();
    let (_, provider_key) = owner
        .setup_provider(&provider, &created.token, "Bench MSP", None, billing)
        .await
        .unwrap();
    let (template, _) = new_client_body(
        &provider_key,
        &NewClient {
            name: "template".into(),
            plan_type: 17,
            seats: Some(10),
            owner_email: None,
            collection_name: Some("Default".into()),
            billing_email: None,
            website: None,
            region: None,
            notes: None,
        },
    )
    .unwrap();
    (provider, serde_json::to_value(&template).unwrap())
}

/// Creates the clients `first..first + count`, named by `name`, with `WRITERS` concurrent
/// writers; answers how long it took.
pub async fn add_clients(
    owner: &Arc<Session>,
    provider: &str,
    template: &Value,
    first: usize,
    count: usize,
    name: fn(usize) -> String,
) -> Duration {
    let started = Instant::now();
    let per_writer = count.div_ceil(WRITERS).max(1);
    let mut tasks = Vec::new();
    for w in 0..WRITERS {
        let owner = owner.clone();
        let template = template.clone();
        let path = format!("/api/providers/{provider}/clients");
        let range = (first + w * per_writer)..(first + ((w + 1) * per_writer).min(count));
        tasks.push(tokio::spawn(async move {
            for i in range {
                let mut body = template.clone();
                body["name"] = Value::String(name(i));
                let r = owner
                    .client()
                    .raw(
                        Method::POST,
                        &path,
                        Some(&owner.access_token),
                        RawBody::Json(body),
                    )
                    .await
                    .unwrap();
                assert_eq!(r.status, 200, "{}", r.body);
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    started.elapsed()
}
