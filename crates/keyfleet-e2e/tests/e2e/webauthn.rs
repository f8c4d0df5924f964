//! Two-step login with WebAuthn (provider 7), driven the way the web vault and its WebAuthn
//! connector drive it, with a software authenticator that signs real attestations and
//! assertions: registration, the assertion options in the token endpoint's challenge, a login
//! with `twoFactorProvider=7`, and the refusals (replayed, tampered, reused challenge, cloned
//! key whose counter went backwards).

use crate::support::{self, client, PASSWORD};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use keyfleet_client::api::two_factor::TwoFactorWebAuthnResponse;
use keyfleet_client::{Client, ClientError, Method, SecondFactor, Session};
use keyfleet_testkit::{backends, spawn_server, spawn_server_with, Backend, TestServer};
use serde_json::{json, Value};
use url::Url;
use webauthn_authenticator_rs::prelude::{
    CreationChallengeResponse, PublicKeyCredential, RegisterPublicKeyCredential,
    RequestChallengeResponse, WebauthnAuthenticator,
};
use webauthn_authenticator_rs::softpasskey::SoftPasskey;

/// The relying party the server is configured for. The test client still connects to
/// 127.0.0.1: WebAuthn only sees the origin the browser (here: the test) reports.
const PUBLIC_URL: &str = "https://localhost";
const EMAIL: &str = "alice@example.com";

async fn server(backend: Backend) -> TestServer {
    spawn_server_with(backend, |c| c.public_url = Some(PUBLIC_URL.into())).await
}

fn origin() -> Url {
    Url::parse(PUBLIC_URL).unwrap()
}

fn url_b64_to_std(v: &Value) -> String {
    STANDARD.encode(URL_SAFE_NO_PAD.decode(v.as_str().unwrap()).unwrap())
}

/// The body the web vault PUTs as `deviceResponse`: `rawId` is `btoa(id)`, the attestation and
/// client data in standard base64, under `AttestationObject` / `clientDataJson`.
fn web_vault_attestation(reg: &RegisterPublicKeyCredential) -> Value {
    let v = serde_json::to_value(reg).unwrap();
    let id = v["id"].as_str().unwrap();
    json!({
        "id": id,
        "rawId": STANDARD.encode(id),
        "type": "public-key",
        "extensions": { "credProps": { "rk": false } },
        "response": {
            "AttestationObject": url_b64_to_std(&v["response"]["attestationObject"]),
            "clientDataJson": url_b64_to_std(&v["response"]["clientDataJSON"]),
        },
    })
}

/// The `twoFactorToken` the WebAuthn connector posts: JSON with base64url members and
/// `clientDataJson` spelled as Bitwarden spells it.
fn connector_token(assertion: &PublicKeyCredential) -> String {
    let v = serde_json::to_value(assertion).unwrap();
    json!({
        "id": v["id"],
        "rawId": v["rawId"],
        "type": "public-key",
        "extensions": {},
        "response": {
            "authenticatorData": v["response"]["authenticatorData"],
            "clientDataJson": v["response"]["clientDataJSON"],
            "signature": v["response"]["signature"],
        },
    })
    .to_string()
}

fn webauthn(token: String) -> SecondFactor {
    SecondFactor {
        provider: 7,
        token,
        remember: false,
    }
}

/// Registers a software key into `slot` through the same calls the web vault makes.
async fn register_key(
    alice: &Session,
    key: &mut SoftPasskey,
    slot: i32,
    name: &str,
) -> TwoFactorWebAuthnResponse {
    let options = alice.webauthn_challenge(PASSWORD).await.unwrap();
    let creation: CreationChallengeResponse =
        serde_json::from_value(json!({ "publicKey": options })).unwrap();
    let attestation = key.do_registration(origin(), creation).unwrap();
    alice
        .register_webauthn_key(PASSWORD, slot, name, web_vault_attestation(&attestation))
        .await
        .unwrap()
}

/// Logs in with the password only and returns the assertion options of provider 7.
async fn login_challenge(c: &Client) -> Value {
    match c.login_password(EMAIL, PASSWORD).await {
        Err(ClientError::TwoFactorRequired { providers, params }) => {
            assert_eq!(providers, vec![7]);
            params["7"].clone()
        }
        other => panic!("expected a two-step challenge, got {:?}", other.err()),
    }
}

fn sign(key: &mut SoftPasskey, options: &Value) -> String {
    let request: RequestChallengeResponse =
        serde_json::from_value(json!({ "publicKey": options })).unwrap();
    connector_token(&key.do_authentication(origin(), request).unwrap())
}

fn is_invalid_token(err: &ClientError) -> bool {
    matches!(err, ClientError::Api { status: 400, message, .. } if message.contains("Two-step token is invalid"))
}

async fn register_and_log_in(backend: Backend) {
    let server = server(backend).await;
    let alice = support::user(&server, EMAIL).await;
    let (enabled, keys) = alice.webauthn_keys(PASSWORD).await.unwrap();
    assert!(!enabled && keys.is_empty());

    let options = alice.webauthn_challenge(PASSWORD).await.unwrap();
    assert_eq!(options["rp"]["id"], "localhost");
    assert_eq!(options["user"]["name"], EMAIL);
    assert_eq!(options["attestation"], "none");
    assert_eq!(options["status"], "ok");
    assert!(options["challenge"].as_str().unwrap().len() >= 22);

    let mut key = SoftPasskey::new(true);
    let creation: CreationChallengeResponse =
        serde_json::from_value(json!({ "publicKey": options })).unwrap();
    let attestation = web_vault_attestation(&key.do_registration(origin(), creation).unwrap());
    let answer = json!(alice
        .register_webauthn_key(PASSWORD, 1, "Soft key", attestation.clone())
        .await
        .unwrap());
    assert_eq!(answer["object"], "twoFactorWebAuthn");
    assert_eq!(answer["enabled"], true);
    assert_eq!(
        answer["keys"],
        json!([{ "name": "Soft key", "id": 1, "migrated": false }])
    );
    let replayed = alice
        .register_webauthn_key(PASSWORD, 2, "Again", attestation)
        .await
        .unwrap_err();
    assert_eq!(
        replayed.status(),
        Some(400),
        "a registration challenge answers once"
    );
    assert_eq!(alice.two_factor_status().await.unwrap(), vec![(7, true)]);
    assert_eq!(
        alice.sync_json().await.unwrap()["profile"]["twoFactorEnabled"],
        true
    );

    let c = client(&server);
    let options = login_challenge(&c).await;
    assert_eq!(options["rpId"], "localhost");
    assert_eq!(options["allowCredentials"].as_array().unwrap().len(), 1);
    assert_eq!(options["status"], "ok");
    let token = sign(&mut key, &options);
    let session = c
        .login_password_with(EMAIL, PASSWORD, Some(&webauthn(token.clone())))
        .await
        .unwrap();
    assert_eq!(session.email, EMAIL);

    let err = c
        .login_password_with(EMAIL, PASSWORD, Some(&webauthn(token)))
        .await
        .unwrap_err();
    assert!(
        is_invalid_token(&err),
        "a replayed assertion is refused: {err}"
    );

    // A second key, then removing both: the last removal turns two-step login off.
    let mut second = SoftPasskey::new(true);
    let answer = json!(register_key(&session, &mut second, 3, "Backup").await);
    assert_eq!(answer["keys"].as_array().unwrap().len(), 2);
    let options = login_challenge(&c).await;
    assert_eq!(options["allowCredentials"].as_array().unwrap().len(), 2);
    c.login_password_with(
        EMAIL,
        PASSWORD,
        Some(&webauthn(sign(&mut second, &options))),
    )
    .await
    .unwrap();
    let answer = json!(session.delete_webauthn_key(PASSWORD, 1).await.unwrap());
    assert_eq!(answer["enabled"], true);
    assert_eq!(answer["keys"][0]["id"], 3);
    let answer = json!(session.delete_webauthn_key(PASSWORD, 3).await.unwrap());
    assert_eq!(answer["enabled"], false);
    assert!(session.two_factor_status().await.unwrap().is_empty());
    c.login_password(EMAIL, PASSWORD).await.unwrap();
    server.stop().await;
}

#[tokio::test]
async fn a_software_key_registers_and_logs_in_through_the_token_endpoint() {
    for backend in backends() {
        register_and_log_in(backend).await;
    }
}

async fn refusals(backend: Backend) {
    let server = server(backend).await;
    let alice = support::user(&server, EMAIL).await;
    let mut key = SoftPasskey::new(true);
    register_key(&alice, &mut key, 1, "Soft key").await;
    let c = client(&server);

    // A tampered signature is refused, and the challenge it answered is spent with it.
    let options = login_challenge(&c).await;
    let good = sign(&mut key, &options);
    let mut tampered: Value = serde_json::from_str(&good).unwrap();
    let mut sig = URL_SAFE_NO_PAD
        .decode(tampered["response"]["signature"].as_str().unwrap())
        .unwrap();
    let last = sig.len() - 1;
    sig[last] ^= 1;
    tampered["response"]["signature"] = json!(URL_SAFE_NO_PAD.encode(&sig));
    let err = c
        .login_password_with(EMAIL, PASSWORD, Some(&webauthn(tampered.to_string())))
        .await
        .unwrap_err();
    assert!(is_invalid_token(&err), "{err}");
    let err = c
        .login_password_with(EMAIL, PASSWORD, Some(&webauthn(good)))
        .await
        .unwrap_err();
    assert!(
        is_invalid_token(&err),
        "a challenge cannot be used again: {err}"
    );

    // A key clone: an assertion made earlier (lower counter) arrives after a later one.
    let earlier_options = login_challenge(&c).await;
    let earlier = sign(&mut key, &earlier_options);
    let later_options = login_challenge(&c).await;
    let later = sign(&mut key, &later_options);
    c.login_password_with(EMAIL, PASSWORD, Some(&webauthn(later)))
        .await
        .unwrap();
    let err = c
        .login_password_with(EMAIL, PASSWORD, Some(&webauthn(earlier)))
        .await
        .unwrap_err();
    assert!(
        is_invalid_token(&err),
        "the stored counter moved on, so an older signature is refused: {err}"
    );

    // Garbage is a wrong token, not a server error.
    let err = c
        .login_password_with(EMAIL, PASSWORD, Some(&webauthn("{\"id\":1}".into())))
        .await
        .unwrap_err();
    assert!(is_invalid_token(&err), "{err}");
    server.stop().await;
}

#[tokio::test]
async fn wrong_replayed_and_cloned_assertions_are_refused() {
    for backend in backends() {
        refusals(backend).await;
    }
}

#[tokio::test]
async fn with_an_authenticator_app_too_the_client_may_pick_either() {
    use keyfleet_domain::{Clock, ManualClock, SystemClock, Timestamp};
    use keyfleet_testkit::totp_code;
    let now = SystemClock.now();
    let clock = ManualClock::new(Timestamp(now.0 - now.0.rem_euclid(30_000) + 15_000));
    let moved = clock.clone();
    let server = spawn_server_with(Backend::Sqlite, |c| {
        c.public_url = Some(PUBLIC_URL.into());
        c.clock = Some(moved);
    })
    .await;
    let alice = support::user(&server, EMAIL).await;
    let mut key = SoftPasskey::new(true);
    register_key(&alice, &mut key, 1, "Soft key").await;
    let (_, secret) = alice.authenticator_setup(PASSWORD).await.unwrap();
    alice
        .enable_authenticator(
            PASSWORD,
            &secret,
            &totp_code(&secret, clock.now().unix_secs()),
        )
        .await
        .unwrap();
    assert_eq!(
        alice.two_factor_status().await.unwrap(),
        vec![(0, true), (7, true)]
    );

    let c = client(&server);
    let Err(ClientError::TwoFactorRequired { providers, params }) =
        c.login_password(EMAIL, PASSWORD).await
    else {
        panic!("expected a two-step challenge");
    };
    assert_eq!(providers, vec![0, 7]);
    assert_eq!(params["0"], Value::Null);
    c.login_password_with(
        EMAIL,
        PASSWORD,
        Some(&webauthn(sign(&mut key, &params["7"]))),
    )
    .await
    .unwrap();
    clock.advance_secs(30);
    let code = totp_code(&secret, clock.now().unix_secs());
    c.login_password_with(
        EMAIL,
        PASSWORD,
        Some(&SecondFactor {
            provider: 0,
            token: code,
            remember: false,
        }),
    )
    .await
    .unwrap();

    // Turning the authenticator off leaves WebAuthn on.
    alice.disable_authenticator(PASSWORD).await.unwrap();
    assert_eq!(login_challenge(&c).await["rpId"], "localhost");
    server.stop().await;
}

#[tokio::test]
async fn key_management_needs_the_password_or_a_verification_token() {
    let server = server(Backend::Sqlite).await;
    let alice = support::user(&server, EMAIL).await;
    assert_eq!(
        alice
            .webauthn_challenge("wrong")
            .await
            .unwrap_err()
            .status(),
        Some(400)
    );
    let v: Value = alice
        .call(
            Method::POST,
            "/api/two-factor/get-webauthn",
            Some(json!({ "masterPasswordHash": client(&server).password_hash(EMAIL, PASSWORD).await.unwrap().0 })),
        )
        .await
        .unwrap();
    let token = v["userVerificationToken"].as_str().unwrap().to_string();
    let options: Value = alice
        .call(
            Method::POST,
            "/api/two-factor/get-webauthn-challenge",
            Some(json!({ "userVerificationToken": token })),
        )
        .await
        .unwrap();
    assert!(options["challenge"].is_string());

    let mut key = SoftPasskey::new(true);
    let options = alice.webauthn_challenge(PASSWORD).await.unwrap();
    let creation: CreationChallengeResponse =
        serde_json::from_value(json!({ "publicKey": options })).unwrap();
    let attestation = web_vault_attestation(&key.do_registration(origin(), creation).unwrap());
    for slot in [0, 6] {
        let err = alice
            .register_webauthn_key(PASSWORD, slot, "Key", attestation.clone())
            .await
            .unwrap_err();
        assert_eq!(err.status(), Some(400), "slot {slot}");
    }
    let raw = client(&server)
        .raw(
            Method::PUT,
            "/api/two-factor/webauthn",
            Some(&alice.access_token),
            keyfleet_client::RawBody::Json(
                json!({ "id": 1, "name": "Key", "masterPasswordHash": "x" }),
            ),
        )
        .await
        .unwrap();
    assert_eq!(raw.status, 400);
    assert_eq!(
        raw.json()["object"],
        "error",
        "Bitwarden's error envelope: {}",
        raw.body
    );
    let err = alice.delete_webauthn_key(PASSWORD, 2).await.unwrap_err();
    assert_eq!(err.status(), Some(400), "no key in that slot");

    let raw = client(&server)
        .raw(
            Method::POST,
            "/api/two-factor/get-webauthn-challenge",
            None,
            keyfleet_client::RawBody::Json(json!({})),
        )
        .await
        .unwrap();
    assert_eq!(raw.status, 401);
    server.stop().await;
}

#[tokio::test]
async fn webauthn_is_refused_when_the_public_url_is_an_ip_address() {
    let server = spawn_server(Backend::Sqlite).await;
    let alice = support::user(&server, EMAIL).await;
    let err = alice.webauthn_challenge(PASSWORD).await.unwrap_err();
    assert!(
        matches!(&err, ClientError::Api { status: 400, message, .. } if message.contains("host name")),
        "{err}"
    );
    server.stop().await;
}
