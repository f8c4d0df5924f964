//! User key rotation (`rotate-user-account-keys`): Alice, with items, a folder, a Send, a
//! trusted contact holding her key and an enrolment in her company's account recovery, rotates
//! her user key with keyfleet-client. Refusals first (an item left out, someone else's item, an
//! organization she is not enrolled in, a wrong password), each leaving the stored key and her
//! session as they were. Then the rotation: her old session is dead, the stock bw CLI logs in
//! and decrypts her items, her Send's key opens under the new key, her trusted contact reads
//! her vault (the re-wrapped emergency access key) and her company's owner recovers her account
//! (the re-wrapped enrolment), after which her items still decrypt.

use crate::account_recovery::refused;
use crate::provider_support::{account, ok, own_org, Account, OrgKeyPair, TwoStep};
use crate::support::PASSWORD;
use keyfleet_client::api::kinds::{EmergencyAccessType, PolicyType};
use keyfleet_client::api::orgs::PolicyRequest;
use keyfleet_client::{AccountCalls, EmergencyAccessCalls, Method, OrgCalls, Session};
use keyfleet_crypto::{EncString, SymmetricKey};
use keyfleet_domain::Clock;
use keyfleet_testkit::spawn_server_with_clock as server_with_clock;
use keyfleet_testkit::{backends, Backend, Bw};
use serde_json::json;

const ITEM: &str = "Payroll portal";
const ITEM_PASSWORD: &str = "payroll-s3cret";
const NOTE_ITEM: &str = "Door codes";
const FOLDER: &str = "Work";
const RECOVERED: &str = "set by the helpdesk";

async fn policy(s: &Session, org: &str, t: PolicyType, data: Option<serde_json::Value>) {
    let req = PolicyRequest {
        enabled: true,
        data,
        metadata: None,
    };
    s.save_org_policy(org, t, &req).await.unwrap();
}

/// The names of `s`'s personal items, decrypted with its user key.
async fn item_names(s: &Session) -> Vec<String> {
    let mut names: Vec<String> = s
        .sync()
        .await
        .unwrap()
        .ciphers
        .iter()
        .filter(|c| c.organization_id.is_none())
        .map(|c| s.decrypt(&c.name).unwrap())
        .collect();
    names.sort();
    names
}

async fn story(backend: Backend, with_bw: bool) {
    let (server, clock) = server_with_clock(backend).await;
    let acct = |email: &'static str| account(&server, email, TwoStep::Off, &clock);
    let boss: Account = acct("boss@acme.example").await;
    let alice: Account = acct("alice@acme.example").await;
    let contact: Account = acct("contact@example.com").await;
    let mallory: Account = acct("mallory@example.com").await;
    let (b, a, c, m) = (
        &boss.session,
        &alice.session,
        &contact.session,
        &mallory.session,
    );

    // Her company: SingleOrg and account recovery on, Alice enrolled.
    let (org, org_key) = own_org(b, &OrgKeyPair::generate(), "Acme").await;
    policy(b, &org, PolicyType::SingleOrg, None).await;
    policy(
        b,
        &org,
        PolicyType::ResetPassword,
        Some(json!({"autoEnrollEnabled": false})),
    )
    .await;
    policy(b, &org, PolicyType::PasswordGenerator, None).await;
    b.save_org_policy(
        &org,
        PolicyType::PasswordGenerator,
        &PolicyRequest {
            enabled: false,
            data: None,
            metadata: None,
        },
    )
    .await
    .unwrap();
    // Before accepting, her web vault reads the enabled policies with the invitation alone.
    let invite = b.invite_members(&org, &[&a.email], 2, &[]).await.unwrap();
    let member = invite[0].id.clone();
    let token = invite[0].token.clone().unwrap();
    let anonymous = crate::support::client(&server);
    let mut types: Vec<i32> = anonymous
        .policies_by_invite(&org, &member, &a.email.to_uppercase(), &token)
        .await
        .unwrap()
        .iter()
        .map(|p| p.policy_type.code())
        .collect();
    types.sort();
    assert_eq!(
        types,
        vec![
            PolicyType::SingleOrg.code(),
            PolicyType::ResetPassword.code()
        ]
    );
    let elsewhere = "00000000-0000-4000-8000-000000000000";
    for (o, who, email, t) in [
        (
            org.as_str(),
            member.as_str(),
            "someone@else.example",
            token.as_str(),
        ),
        (
            org.as_str(),
            member.as_str(),
            a.email.as_str(),
            "not-a-token",
        ),
        (elsewhere, member.as_str(), a.email.as_str(), token.as_str()),
        (org.as_str(), "junk", a.email.as_str(), token.as_str()),
    ] {
        refused(anonymous.policies_by_invite(o, who, email, t).await, 404);
    }
    a.accept_invite(&org, &member, &token).await.unwrap();
    b.confirm_member(&org, &member, &org_key).await.unwrap();
    // A used invitation opens nothing.
    refused(
        anonymous
            .policies_by_invite(&org, &member, &a.email, &token)
            .await,
        404,
    );
    a.enrol_in_account_recovery(&org, PASSWORD).await.unwrap();
    let mine = a.orgs().await.unwrap();
    let mine = mine.iter().find(|o| o.id == org).unwrap();
    assert!(mine.features.use_reset_password && mine.reset_password_enrolled);
    // Mallory's own organization (she is its owner, not enrolled) and item.
    let (mallory_org, _) = own_org(m, &OrgKeyPair::generate(), "Other").await;
    let foreign_item = m.create_login("Mallory's", "m", "m-pw").await.unwrap().id;

    // Alice's vault: two items, a folder, a Send (its key material wrapped with her user key).
    a.create_login(ITEM, "alice", ITEM_PASSWORD).await.unwrap();
    a.create_login(NOTE_ITEM, "alice", "1234").await.unwrap();
    a.create_folder(FOLDER).await.unwrap();
    let material: Vec<u8> = SymmetricKey::generate().to_bytes()[..16].to_vec();
    let send_body = json!({
        "type": 0,
        "name": a.encrypt("a note for the auditor"),
        "key": EncString::encrypt_aes(a.user_key(), &material).to_string(),
        "text": {"text": a.encrypt("s3cret text"), "hidden": false},
        "deletionDate": clock.now().plus_secs(86_400).to_iso(),
    });
    ok(a, Method::POST, "/api/sends", Some(send_body)).await;

    // Her trusted contact (View), confirmed with her key, recovery approved.
    let invite = a
        .invite_emergency_contact(&c.email, EmergencyAccessType::View, 1)
        .await
        .unwrap();
    let grant = invite.id.clone();
    c.accept_emergency_access(&grant, invite.token.as_deref().unwrap())
        .await
        .unwrap();
    a.confirm_emergency_access(&grant).await.unwrap();
    c.initiate_emergency_access(&grant).await.unwrap();
    a.approve_emergency_access(&grant).await.unwrap();

    // --- refusals: 400 with the reason, nothing stored, the session alive
    let stored_key = a.profile().await.unwrap().key;
    let (full, _) = a.user_key_rotation(PASSWORD).await.unwrap();
    assert_eq!(full.account_data.ciphers.len(), 2);
    assert_eq!(full.account_data.folders.len(), 1);
    assert_eq!(full.account_data.sends.len(), 1);
    assert_eq!(
        full.account_unlock_data.emergency_access_unlock_data.len(),
        1
    );
    assert_eq!(
        full.account_unlock_data
            .organization_account_recovery_unlock_data
            .len(),
        1
    );
    let mut missing = full.clone();
    missing.account_data.ciphers.pop();
    assert_eq!(
        refused(a.post_user_key_rotation(&missing).await, 400),
        "All existing items must be included in the rotation."
    );
    let mut swapped = full.clone();
    swapped.account_data.ciphers[0].id = foreign_item.clone();
    let mut extra = full.clone();
    let mut theirs = full.account_data.ciphers[0].clone();
    theirs.id = foreign_item.clone();
    extra.account_data.ciphers.push(theirs);
    for r in [swapped, extra] {
        let message = refused(a.post_user_key_rotation(&r).await, 400);
        assert!(message.contains("own items"), "{message}");
    }
    let mut foreign_org = full.clone();
    foreign_org
        .account_unlock_data
        .organization_account_recovery_unlock_data[0]
        .organization_id = mallory_org.clone();
    let message = refused(a.post_user_key_rotation(&foreign_org).await, 400);
    assert!(message.contains("account recovery"), "{message}");
    let mut no_grant = full.clone();
    no_grant
        .account_unlock_data
        .emergency_access_unlock_data
        .clear();
    let message = refused(a.post_user_key_rotation(&no_grant).await, 400);
    assert!(message.contains("emergency access"), "{message}");
    let mut wrong = full.clone();
    wrong.old_master_key_authentication_hash = mallory.hash.clone();
    refused(a.post_user_key_rotation(&wrong).await, 400);
    // Mallory cannot rotate Alice's data into her own account either: none of it is hers.
    let (mut hijack, _) = m.user_key_rotation(PASSWORD).await.unwrap();
    hijack.account_data.folders = full.account_data.folders.clone();
    let message = refused(m.post_user_key_rotation(&hijack).await, 400);
    assert!(message.contains("own folders"), "{message}");
    assert_eq!(a.profile().await.unwrap().key, stored_key, "nothing stored");
    assert_eq!(item_names(a).await, vec![NOTE_ITEM, ITEM]);
    assert!(crate::support::client(&server)
        .login_password(&a.email, PASSWORD)
        .await
        .is_ok());

    // --- the rotation
    a.rotate_user_key(PASSWORD).await.unwrap();
    assert_eq!(
        a.revision_date().await.unwrap_err().status(),
        Some(401),
        "the old session is over"
    );
    let again = crate::support::client(&server)
        .login_password(&a.email, PASSWORD)
        .await
        .unwrap();
    assert_ne!(again.user_key(), a.user_key(), "a new user key");
    assert_ne!(again.profile().await.unwrap().key, stored_key);
    assert_eq!(
        again
            .private_key()
            .unwrap()
            .public_key()
            .to_spki_der_b64()
            .unwrap(),
        a.private_key()
            .unwrap()
            .public_key()
            .to_spki_der_b64()
            .unwrap(),
        "the same key pair, re-wrapped"
    );
    assert_eq!(item_names(&again).await, vec![NOTE_ITEM, ITEM]);
    let sync = again.sync().await.unwrap();
    assert_eq!(again.decrypt(&sync.head.folders[0].name).unwrap(), FOLDER);
    let sends = again.sends().await.unwrap();
    let opened = sends[0]
        .key
        .parse::<EncString>()
        .unwrap()
        .decrypt_aes(again.user_key())
        .unwrap();
    assert_eq!(
        opened.as_slice(),
        material.as_slice(),
        "the Send's key re-wrapped"
    );

    if with_bw {
        let email = a.email.clone();
        let server_ref = &server;
        tokio::task::block_in_place(|| {
            let mut bw = Bw::new(server_ref);
            bw.login(&email, PASSWORD);
            let item = bw.json(&["get", "item", ITEM]);
            assert_eq!(item["login"]["password"], ITEM_PASSWORD);
            let folders = bw.json(&["list", "folders"]);
            assert!(folders
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["name"] == FOLDER));
        });
    }

    // The trusted contact opens her vault with the re-wrapped key.
    let vault = c.emergency_view(&grant).await.unwrap();
    let mut names: Vec<String> = vault
        .view
        .ciphers
        .iter()
        .map(|i| vault.decrypt(&i.name).unwrap())
        .collect();
    names.sort();
    assert_eq!(names, vec![NOTE_ITEM, ITEM]);

    // Her company recovers her account with the re-wrapped enrolment: the new password opens
    // the new user key, and her items.
    b.recover_account(&org, &member, RECOVERED, false)
        .await
        .unwrap();
    let recovered = crate::support::client(&server)
        .login_password(&a.email, RECOVERED)
        .await
        .unwrap();
    assert_eq!(recovered.user_key(), again.user_key());
    assert_eq!(item_names(&recovered).await, vec![NOTE_ITEM, ITEM]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_user_rotates_their_key_and_every_way_back_to_it_follows_on_sqlite() {
    story(Backend::Sqlite, true).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn key_rotation_holds_on_postgres() {
    if !backends().contains(&Backend::Postgres) {
        return;
    }
    story(Backend::Postgres, false).await;
}
