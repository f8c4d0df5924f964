//! Golden tests: request bodies recorded from real clients (shared/protocol/traces) parse into our
//! wire types, and the responses we build carry the exact keys the bw CLI 2026.9 requires.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use keyfleet_api::config::ConfigResponse;
use keyfleet_api::identity::{
    AccountKeys, IdentityKdf, IdentityMasterPasswordUnlock, RegisterFinishRequest, TokenResponse,
    UserDecryptionOptions,
};
use keyfleet_api::vault::CipherRequest;
use serde_json::Value;

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

#[test]
fn a_real_clients_registration_parses_in_both_forms() {
    let req: RegisterFinishRequest =
        serde_json::from_str(&fixture("register_finish_request.json")).unwrap();
    assert_eq!(req.email, "owner-af0b9cb9@example.com");
    assert!(req.master_password_hash.as_deref().unwrap().ends_with('='));
    assert!(req.user_symmetric_key.as_deref().unwrap().starts_with("2."));
    assert!(req
        .user_asymmetric_keys
        .as_ref()
        .unwrap()
        .encrypted_private_key
        .starts_with("2."));
    let auth = req.master_password_authentication.unwrap();
    assert_eq!(
        (auth.kdf.kdf_type, auth.kdf.iterations, auth.kdf.memory),
        (0, 600_000, None)
    );
    assert_eq!(auth.salt, "owner-af0b9cb9@example.com");
    assert_eq!(
        req.master_password_unlock
            .unwrap()
            .master_key_wrapped_user_key,
        req.user_symmetric_key.unwrap()
    );
}

#[test]
fn the_bw_clis_item_bodies_parse() {
    for name in [
        "cipher_create_login_request.json",
        "cipher_edit_request.json",
    ] {
        let raw: Value = serde_json::from_str(&fixture(name)).unwrap();
        let req: CipherRequest = serde_json::from_value(raw.clone()).unwrap();
        assert_eq!(req.cipher_type, 1, "{name}");
        assert_eq!(req.name, raw["name"].as_str().unwrap());
        assert_eq!(
            req.login.as_ref().unwrap()["username"],
            raw["login"]["username"]
        );
        assert_eq!(req.encrypted_for.as_deref(), raw["encryptedFor"].as_str());
        assert_eq!(
            req.last_known_revision_date.as_deref(),
            raw["lastKnownRevisionDate"].as_str()
        );
    }
}

#[test]
fn another_servers_config_parses_as_our_config_type() {
    let config: ConfigResponse =
        serde_json::from_str(&fixture("config_response_vaultwarden.json")).unwrap();
    assert_eq!(config.object, "config");
    assert!(config.version.split('.').count() == 3, "semver");
}

#[test]
fn the_token_response_has_the_exact_keys_the_cli_requires() {
    let token = TokenResponse {
        access_token: "a.b.c".into(),
        expires_in: 3600,
        token_type: "Bearer".into(),
        refresh_token: Some("r".into()),
        scope: "api offline_access".into(),
        key: "2.k|k|k".into(),
        private_key: Some("2.p|p|p".into()),
        account_keys: Some(AccountKeys::v1("2.p|p|p".into(), "PUB".into())),
        kdf: 0,
        kdf_iterations: 600_000,
        kdf_memory: None,
        kdf_parallelism: None,
        reset_master_password: false,
        force_password_reset: false,
        master_password_policy: None,
        user_decryption_options: UserDecryptionOptions {
            has_master_password: true,
            master_password_unlock: Some(IdentityMasterPasswordUnlock {
                kdf: IdentityKdf {
                    kdf_type: 0,
                    iterations: 600_000,
                    memory: None,
                    parallelism: None,
                },
                master_key_encrypted_user_key: "2.k|k|k".into(),
                master_key_wrapped_user_key: "2.k|k|k".into(),
                salt: "a@example.com".into(),
            }),
            object: "userDecryptionOptions".into(),
        },
        two_factor_token: None,
    };
    let v = serde_json::to_value(&token).unwrap();
    for key in [
        "access_token",
        "token_type",
        "refresh_token",
        "Key",
        "Kdf",
        "KdfIterations",
        "AccountKeys",
        "UserDecryptionOptions",
    ] {
        assert!(v.get(key).is_some(), "missing {key}: {v}");
    }
    let pair = &v["AccountKeys"]["publicKeyEncryptionKeyPair"];
    assert_eq!(pair["wrappedPrivateKey"], "2.p|p|p");
    assert_eq!(pair["publicKey"], "PUB");
    assert!(
        v["AccountKeys"]["signatureKeyPair"].is_null()
            && v["AccountKeys"]["securityState"].is_null()
    );
    let unlock = &v["UserDecryptionOptions"]["MasterPasswordUnlock"];
    assert_eq!(unlock["Kdf"]["KdfType"], 0);
    assert_eq!(unlock["MasterKeyEncryptedUserKey"], "2.k|k|k");
    assert_eq!(unlock["Salt"], "a@example.com");
    assert!(
        v.get("TwoFactorToken").is_none(),
        "absent unless a device was remembered"
    );
}

#[test]
fn policy_writes_read_in_both_shapes_and_are_written_in_the_current_one() {
    use keyfleet_api::orgs::PolicyRequest;
    let nested: PolicyRequest = serde_json::from_str(
        r#"{"policy":{"enabled":true,"data":{"minLength":14}},"metadata":null}"#,
    )
    .unwrap();
    let flat: PolicyRequest =
        serde_json::from_str(r#"{"type":1,"enabled":true,"data":{"minLength":14}}"#).unwrap();
    assert_eq!(nested, flat);
    assert!(nested.enabled && nested.data.as_ref().unwrap()["minLength"] == 14);
    let owned: PolicyRequest = serde_json::from_str(
        r#"{"policy":{"enabled":false,"data":null},"metadata":{"defaultUserCollectionName":"2.x|y|z"}}"#,
    )
    .unwrap();
    assert!(!owned.enabled && owned.metadata.unwrap()["defaultUserCollectionName"] == "2.x|y|z");
    for bad in [r#"{"policy":{"data":null}}"#, r#"{"data":null}"#, r#"[]"#] {
        let e = serde_json::from_str::<PolicyRequest>(bad).unwrap_err();
        assert!(
            bad == "[]" || e.to_string().contains("enabled"),
            "{bad}: {e}"
        );
    }
    assert_eq!(
        serde_json::to_value(&flat).unwrap(),
        serde_json::json!({ "policy": { "enabled": true, "data": { "minLength": 14 } }, "metadata": null })
    );
}
