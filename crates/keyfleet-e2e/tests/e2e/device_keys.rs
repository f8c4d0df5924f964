//! Trusted-device keys (served for protocol completeness: the official apps use them only with
//! SSO trusted-device encryption, which Keyfleet does not offer): a user stores keys for one of
//! their devices, the device list shows it trusted with its keys, `retrieve-keys` hands them back,
//! `untrust` and `lost-trust` clear them; another account touches none of them. Then, on SQLite
//! and PostgreSQL, trust follows a new user key: `update-trust` and the key rotation re-key the
//! devices they list and untrust the others, and refuse (writing nothing) a wrong password,
//! someone else's device or a device that is not trusted.

use crate::account_recovery::refused;
use crate::provider_support::FAST_KDF;
use crate::support::{client, PASSWORD};
use keyfleet_client::api::devices::{
    DeviceKeysRequest, DeviceKeysUpdateRequest, DeviceResponse, OtherDeviceKeysUpdateRequest,
    UpdateDevicesTrustRequest,
};
use keyfleet_client::{
    rewrap_device_keys, AccountCalls, ClientError, DeviceCalls, RawBody, Session,
};
use keyfleet_crypto::{generate_rsa_keypair, EncString, PrivateKey, SymmetricKey};
use keyfleet_testkit::{backends, spawn_server, Backend, TestServer};
use reqwest::Method;

const WRAPPED: &str = "4.AAAA";
const UNDER_KEY: &str = "2.AAAAAAAAAAAAAAAAAAAAAA==|AAAAAAAAAAAAAAAAAAAAAA==|AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

async fn account(server: &TestServer, email: &str) -> Session {
    let c = client(server);
    c.register(email, PASSWORD, None, FAST_KDF).await.unwrap();
    c.login_password(email, PASSWORD).await.unwrap()
}

fn status<T: std::fmt::Debug>(r: Result<T, ClientError>) -> u16 {
    r.unwrap_err().status().unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn trusted_device_keys_are_set_read_and_cleared_only_by_their_owner() {
    let server = spawn_server(Backend::Sqlite).await;
    let alice = account(&server, "alice@trust.test").await;
    let mallory = account(&server, "mallory@trust.test").await;
    let me = alice.client().device_identifier().to_string();
    let keys = DeviceKeysRequest {
        encrypted_user_key: WRAPPED.into(),
        encrypted_public_key: UNDER_KEY.into(),
        encrypted_private_key: UNDER_KEY.into(),
    };

    // Not ciphertext of the right kind: refused, nothing stored.
    let plain = DeviceKeysRequest {
        encrypted_user_key: "the user key".into(),
        ..keys.clone()
    };
    assert_eq!(status(alice.set_device_keys(&me, &plain).await), 400);
    let unwrapped = DeviceKeysRequest {
        encrypted_user_key: UNDER_KEY.into(),
        ..keys.clone()
    };
    assert_eq!(status(alice.set_device_keys(&me, &unwrapped).await), 400);
    assert!(!alice.device_by_identifier(&me).await.unwrap().is_trusted);

    let set = alice.set_device_keys(&me, &keys).await.unwrap();
    assert!(set.is_trusted);
    let listed = alice.devices().await.unwrap();
    let mine = listed.iter().find(|d| d.identifier == me).unwrap();
    assert!(mine.is_trusted);
    assert_eq!(mine.encrypted_user_key.as_deref(), Some(WRAPPED));
    assert_eq!(mine.encrypted_public_key.as_deref(), Some(UNDER_KEY));
    let protected = alice.retrieve_device_keys(&me).await.unwrap();
    assert_eq!(protected.object, "protectedDevice");
    assert_eq!(protected.encrypted_user_key.as_deref(), Some(WRAPPED));

    // Another account: not found / refused, and Alice's keys stay.
    assert_eq!(status(mallory.set_device_keys(&me, &keys).await), 404);
    assert_eq!(status(mallory.retrieve_device_keys(&me).await), 404);
    assert_eq!(
        status(mallory.untrust_devices(&[mine.id.as_str()]).await),
        400
    );
    assert!(alice.device_by_identifier(&me).await.unwrap().is_trusted);
    assert!(!mallory.devices().await.unwrap()[0].is_trusted);

    // Untrust clears them.
    alice.untrust_devices(&[mine.id.as_str()]).await.unwrap();
    let after = alice.device_by_identifier(&me).await.unwrap();
    assert!(!after.is_trusted && after.encrypted_user_key.is_none());
    assert!(alice
        .retrieve_device_keys(&me)
        .await
        .unwrap()
        .encrypted_user_key
        .is_none());

    // Lost trust: the calling device forgets its keys.
    alice.set_device_keys(&me, &keys).await.unwrap();
    let r = alice
        .client()
        .raw_with_headers(
            Method::POST,
            "/api/devices/lost-trust",
            Some(&alice.access_token),
            RawBody::Empty,
            &[("Device-Identifier", me.as_str())],
        )
        .await
        .unwrap();
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(!alice.device_by_identifier(&me).await.unwrap().is_trusted);
    server.stop().await;
}

/// Trusts `s`'s device `identifier` as the official clients do: the user key wrapped to a fresh
/// device key pair's public key, that public key under the user key, the private key under a
/// device key (which the server never sees).
async fn trust(s: &Session, identifier: &str, private: &PrivateKey) {
    let public = private.public_key();
    let keys = DeviceKeysRequest {
        encrypted_user_key: EncString::encrypt_rsa(&public, &s.user_key().to_bytes())
            .unwrap()
            .to_string(),
        encrypted_public_key: EncString::encrypt_aes(s.user_key(), &public.to_spki_der().unwrap())
            .to_string(),
        encrypted_private_key: EncString::encrypt_aes(
            &SymmetricKey::generate(),
            &private.to_pkcs8_der().unwrap(),
        )
        .to_string(),
    };
    assert!(
        s.set_device_keys(identifier, &keys)
            .await
            .unwrap()
            .is_trusted
    );
}

/// `s`'s device `identifier` as stored now.
async fn stored(s: &Session, identifier: &str) -> DeviceResponse {
    s.device_by_identifier(identifier).await.unwrap()
}

/// The device holds `key`: its wrapped user key opens with its private key to `key`, and its
/// public key opens with `key` to the device's public key.
fn holds(d: &DeviceResponse, private: &PrivateKey, key: &SymmetricKey) {
    let user_key = d
        .encrypted_user_key
        .as_deref()
        .unwrap()
        .parse::<EncString>()
        .unwrap()
        .decrypt_rsa(private)
        .unwrap();
    assert_eq!(
        user_key.as_slice(),
        key.to_bytes().as_slice(),
        "{}",
        d.identifier
    );
    let public = d
        .encrypted_public_key
        .as_deref()
        .unwrap()
        .parse::<EncString>()
        .unwrap()
        .decrypt_aes(key)
        .unwrap();
    assert_eq!(
        public.as_slice(),
        private.public_key().to_spki_der().unwrap().as_slice()
    );
}

async fn trust_follows_the_user_key(backend: Backend) {
    let server = spawn_server(backend).await;
    let alice = account(&server, "alice@rekey.test").await;
    let mallory = account(&server, "mallory@rekey.test").await;
    // Alice's devices: this laptop and a phone (trusted, keys made here), a tablet (trusted by
    // another client: its keys do not open here) and a desktop she never trusted.
    let laptop = alice.client().device_identifier().to_string();
    let other_device = || async {
        let c = client(&server);
        let id = c.device_identifier().to_string();
        c.login_password("alice@rekey.test", PASSWORD)
            .await
            .unwrap();
        id
    };
    let (phone, tablet, desktop) = (
        other_device().await,
        other_device().await,
        other_device().await,
    );
    let (device_key, _) = generate_rsa_keypair().unwrap();
    trust(&alice, &laptop, &device_key).await;
    trust(&alice, &phone, &device_key).await;
    let foreign_keys = DeviceKeysRequest {
        encrypted_user_key: WRAPPED.into(),
        encrypted_public_key: UNDER_KEY.into(),
        encrypted_private_key: UNDER_KEY.into(),
    };
    alice.set_device_keys(&tablet, &foreign_keys).await.unwrap();
    let mallorys_device = mallory.client().device_identifier().to_string();
    mallory
        .set_device_keys(&mallorys_device, &foreign_keys)
        .await
        .unwrap();
    let mallorys_id = stored(&mallory, &mallorys_device).await.id;
    let id_of = |identifier: &str| {
        let identifier = identifier.to_string();
        let alice = &alice;
        async move { stored(alice, &identifier).await.id }
    };
    let (phone_id, desktop_id) = (id_of(&phone).await, id_of(&desktop).await);
    let snapshot = || async {
        let mut v = Vec::new();
        for d in [&laptop, &phone, &tablet, &desktop] {
            let d = stored(&alice, d).await;
            v.push((d.encrypted_user_key, d.encrypted_public_key));
        }
        let m = stored(&mallory, &mallorys_device).await;
        v.push((m.encrypted_user_key, m.encrypted_public_key));
        v
    };

    // update-trust, with the user key as it is (a fresh wrapping of the same key).
    let key = alice.user_key();
    let rewrap = |identifier: &str| {
        let identifier = identifier.to_string();
        let alice = &alice;
        async move {
            let enc = stored(alice, &identifier)
                .await
                .encrypted_public_key
                .unwrap();
            rewrap_device_keys(&enc, key, key).unwrap()
        }
    };
    let other = |device_id: &str, k: &DeviceKeysUpdateRequest| OtherDeviceKeysUpdateRequest {
        device_id: device_id.to_string(),
        encrypted_public_key: k.encrypted_public_key.clone(),
        encrypted_user_key: k.encrypted_user_key.clone(),
    };
    let (hash, _) = alice
        .client()
        .password_hash(&alice.email, PASSWORD)
        .await
        .unwrap();
    let (laptop_keys, phone_keys) = (rewrap(&laptop).await, rewrap(&phone).await);
    let request =
        |others: Vec<OtherDeviceKeysUpdateRequest>, hash: &str| UpdateDevicesTrustRequest {
            master_password_hash: Some(hash.to_string()),
            current_device: laptop_keys.clone(),
            other_devices: Some(others),
        };
    let before = snapshot().await;
    // A wrong password, Mallory's device, a device Alice never trusted, the current device
    // named again, or a calling device that is not trusted: 400, nothing written.
    let wrong = request(vec![other(&phone_id, &phone_keys)], "bm90IHRoZSBoYXNo");
    let r = alice.update_devices_trust(&laptop, &wrong).await;
    assert_eq!(refused(r, 400), "Invalid password.");
    for others in [
        vec![
            other(&phone_id, &phone_keys),
            other(&mallorys_id, &phone_keys),
        ],
        vec![other(&desktop_id, &phone_keys)],
        vec![other(&id_of(&laptop).await, &phone_keys)],
    ] {
        let r = alice
            .update_devices_trust(&laptop, &request(others, &hash))
            .await;
        assert_eq!(refused(r, 400), "Invalid device.");
    }
    let r = alice
        .update_devices_trust(&desktop, &request(vec![], &hash))
        .await;
    assert_eq!(refused(r, 400), "Invalid device.");
    // Not ciphertext of the right kind.
    let mut plain = request(vec![], &hash);
    plain.current_device.encrypted_user_key = UNDER_KEY.into();
    assert_eq!(
        status(alice.update_devices_trust(&laptop, &plain).await),
        400
    );
    let anonymous = alice
        .client()
        .raw(
            Method::POST,
            "/api/devices/update-trust",
            None,
            RawBody::typed(&request(vec![], &hash)).unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(anonymous.status, 401);
    assert_eq!(snapshot().await, before, "refusals write nothing");

    // The laptop and the phone get their new keys; the tablet, not named, loses its trust.
    alice
        .update_devices_trust(
            &laptop,
            &request(vec![other(&phone_id, &phone_keys)], &hash),
        )
        .await
        .unwrap();
    let l = stored(&alice, &laptop).await;
    assert_eq!(
        l.encrypted_user_key.as_deref(),
        Some(laptop_keys.encrypted_user_key.as_str())
    );
    holds(&l, &device_key, key);
    let p = stored(&alice, &phone).await;
    assert_eq!(
        p.encrypted_user_key.as_deref(),
        Some(phone_keys.encrypted_user_key.as_str())
    );
    holds(&p, &device_key, key);
    assert!(!stored(&alice, &tablet).await.is_trusted);
    assert!(!stored(&alice, &desktop).await.is_trusted);
    assert!(
        stored(&mallory, &mallorys_device).await.is_trusted,
        "Mallory's untouched"
    );

    // The key rotation: keyfleet-client re-wraps the laptop and the phone (it opens their
    // public keys), not the tablet (trusted again by another client, keys it cannot open).
    alice.set_device_keys(&tablet, &foreign_keys).await.unwrap();
    let (rotation, new_key) = alice.user_key_rotation(PASSWORD).await.unwrap();
    let mut listed: Vec<&str> = rotation
        .account_unlock_data
        .device_key_unlock_data
        .iter()
        .map(|d| d.device_id.as_str())
        .collect();
    listed.sort();
    let mut expected = vec![id_of(&laptop).await, phone_id.clone()];
    expected.sort();
    assert_eq!(listed, expected);
    // Mallory's device, or Alice's untrusted desktop, in the list: refused, nothing written.
    let before = snapshot().await;
    let stored_key = alice.profile().await.unwrap().key;
    for (id, what) in [
        (&mallorys_id, "someone else's"),
        (&desktop_id, "not trusted"),
    ] {
        let mut r = rotation.clone();
        let mut extra = r.account_unlock_data.device_key_unlock_data[0].clone();
        extra.device_id = id.clone();
        r.account_unlock_data.device_key_unlock_data.push(extra);
        let msg = refused(alice.post_user_key_rotation(&r).await, 400);
        assert!(msg.contains("own trusted devices"), "{what}: {msg}");
    }
    assert_eq!(snapshot().await, before, "refused rotations write nothing");
    assert_eq!(alice.profile().await.unwrap().key, stored_key);

    alice.post_user_key_rotation(&rotation).await.unwrap();
    let again = alice
        .client()
        .login_password(&alice.email, PASSWORD)
        .await
        .unwrap();
    assert_eq!(
        again.user_key().to_bytes().as_slice(),
        new_key.to_bytes().as_slice()
    );
    for d in [&laptop, &phone] {
        let d = stored(&again, d).await;
        assert!(d.is_trusted);
        holds(&d, &device_key, &new_key);
    }
    let t = stored(&again, &tablet).await;
    assert!(
        !t.is_trusted && t.encrypted_user_key.is_none(),
        "left out: untrusted"
    );
    assert!(!stored(&again, &desktop).await.is_trusted);
    let m = stored(&mallory, &mallorys_device).await;
    assert_eq!(
        m.encrypted_user_key.as_deref(),
        Some(WRAPPED),
        "Mallory's untouched"
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn trusted_devices_follow_a_new_user_key_on_sqlite() {
    trust_follows_the_user_key(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn trusted_devices_follow_a_new_user_key_on_postgres() {
    if !backends().contains(&Backend::Postgres) {
        return;
    }
    trust_follows_the_user_key(Backend::Postgres).await;
}
