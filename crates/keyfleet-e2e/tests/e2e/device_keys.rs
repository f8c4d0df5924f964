//! Trusted-device keys (served for protocol completeness: the official apps use them only with
//! SSO trusted-device encryption, which Keyfleet does not offer): a user stores keys for one of
//! their devices, the device list shows it trusted with its keys, `retrieve-keys` hands them back,
//! `untrust` and `lost-trust` clear them; another account touches none of them.

use crate::provider_support::FAST_KDF;
use crate::support::{client, PASSWORD};
use keyfleet_client::api::devices::DeviceKeysRequest;
use keyfleet_client::{ClientError, DeviceCalls, RawBody, Session};
use keyfleet_testkit::{spawn_server, Backend, TestServer};
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
