//! Account recovery (Bitwarden's "admin password reset", policy type 8) in a client company of
//! the standard provider world: members enrol with keyfleet-client (the user key wrapped to the
//! org public key), an admin of the client recovers a member's account, the member's old session
//! dies, and the stock bw CLI decrypts the member's old items under the new password; a launched
//! technician of the managing provider recovers a client member; and the refusals, each with the
//! stored state read back.

use crate::provider_support::{account, ok, send, Account, TwoStep, World};
use crate::support::PASSWORD;
use keyfleet_client::api::kinds::PolicyType;
use keyfleet_client::api::orgs::PolicyRequest;
use keyfleet_client::{
    recovery_credentials, AccountCalls, ClientError, Method, OrgCalls, ProviderCalls,
    ProviderEventFilter, Session,
};
use keyfleet_crypto::SymmetricKey;
use keyfleet_domain::ManualClock;
use keyfleet_testkit::spawn_server_with_clock as server_with_clock;
use keyfleet_testkit::{backends, Backend, Bw, TestServer};
use serde_json::{json, Value};

const NEW_PASSWORD: &str = "a temporary password from the helpdesk";
const OWN_PASSWORD: &str = "the member's own new password";
const ITEM: &str = "Payroll portal";
const ITEM_PASSWORD: &str = "payroll-s3cret";

/// The client company with its people, all of them members of client 1 and none of the
/// provider (SingleOrg is on).
pub(crate) struct Client1 {
    pub(crate) org: String,
    pub(crate) owner: Account,
    pub(crate) owner_member: String,
    pub(crate) admin: Account,
    pub(crate) admin_member: String,
    pub(crate) custom: Account,
    pub(crate) alice: Account,
    pub(crate) alice_member: String,
    pub(crate) bob: Account,
    pub(crate) bob_member: String,
    pub(crate) carol_member: String,
}

/// The message of a refused call (asserting its status).
pub(crate) fn refused<T: std::fmt::Debug>(r: Result<T, ClientError>, status: u16) -> String {
    match r {
        Err(ClientError::Api {
            status: s, message, ..
        }) if s == status => message,
        other => panic!("expected {status}, got {other:?}"),
    }
}

/// `email` joins client 1 with `member_type` (invited by `by`, confirmed with `key`); answers
/// the account and its organization-user id.
pub(crate) async fn join(
    server: &TestServer,
    clock: &ManualClock,
    by: &Session,
    org: &str,
    key: &SymmetricKey,
    email: &str,
    member_type: i32,
) -> (Account, String) {
    let a = account(server, email, TwoStep::Off, clock).await;
    let invite = by
        .invite_members(org, &[email], member_type, &[])
        .await
        .unwrap();
    let id = invite[0].id.clone();
    a.session
        .accept_invite(org, &id, invite[0].token.as_deref().unwrap())
        .await
        .unwrap();
    by.confirm_member(org, &id, key).await.unwrap();
    (a, id)
}

async fn save_policy(s: &Session, org: &str, t: PolicyType, enabled: bool, data: Option<Value>) {
    let req = PolicyRequest {
        enabled,
        data,
        metadata: None,
    };
    s.save_org_policy(org, t, &req).await.unwrap();
}

/// Client 1's owner (brought in by the provider's owner as the client's first owner), an admin,
/// a Custom member without `manageResetPassword`, and three users; SingleOrg and Account
/// recovery (no automatic enrolment) on.
pub(crate) async fn client1(server: &TestServer, clock: &ManualClock, w: &World) -> Client1 {
    let org = w.client1.org_id.clone();
    let key = w.client1.key.clone();
    let msp = w.owner.s();
    msp.launch_into_client(&w.provider.id, &w.client1.poid, None)
        .await
        .unwrap();
    let (owner, owner_member) =
        join(server, clock, msp, &org, &key, "boss@client1.example", 0).await;
    let boss = &owner.session;
    let (admin, admin_member) =
        join(server, clock, boss, &org, &key, "it@client1.example", 1).await;
    let (custom, _) = join(server, clock, boss, &org, &key, "custom@client1.example", 4).await;
    let (alice, alice_member) =
        join(server, clock, boss, &org, &key, "alice@client1.example", 2).await;
    let (bob, bob_member) = join(server, clock, boss, &org, &key, "bob@client1.example", 2).await;
    let (_carol, carol_member) =
        join(server, clock, boss, &org, &key, "carol@client1.example", 2).await;

    // Account recovery needs SingleOrg first, as on the official server.
    let early = PolicyRequest {
        enabled: true,
        data: Some(json!({"autoEnrollEnabled": false})),
        metadata: None,
    };
    let message = refused(
        boss.save_org_policy(&org, PolicyType::ResetPassword, &early)
            .await,
        400,
    );
    assert!(message.contains("Single organization"), "{message}");
    save_policy(boss, &org, PolicyType::SingleOrg, true, None).await;
    save_policy(
        boss,
        &org,
        PolicyType::ResetPassword,
        true,
        Some(json!({"autoEnrollEnabled": false})),
    )
    .await;
    Client1 {
        org,
        owner,
        owner_member,
        admin,
        admin_member,
        custom,
        alice,
        alice_member,
        bob,
        bob_member,
        carol_member,
    }
}

/// `member_id`'s `resetPasswordEnrolled` in the member list, as `by` reads it.
async fn enrolled(by: &Session, org: &str, member_id: &str) -> bool {
    let m = ok(
        by,
        Method::GET,
        &format!("/api/organizations/{org}/users/{member_id}"),
        None,
    )
    .await;
    m["resetPasswordEnrolled"].as_bool().unwrap()
}

/// `PUT …/users/{member}/recover-account` by `s` with a well-formed body; answers the status and
/// the message of a refusal.
async fn recover_raw(s: &Session, org: &str, member: &str) -> (u16, String) {
    let res = send(
        s,
        Method::PUT,
        &format!("/api/organizations/{org}/users/{member}/recover-account"),
        Some(json!({
            "resetMasterPassword": true,
            "resetTwoFactor": false,
            "newMasterPasswordHash": "bmV3IGhhc2g=",
            "key": "2.AAAAAAAAAAAAAAAAAAAAAA==|AAAAAAAAAAAAAAAAAAAAAA==|AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
        })),
    )
    .await;
    let message = res.json()["message"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    (res.status, message)
}

/// Whether `email` still logs in with `password` (its credentials untouched).
async fn logs_in(server: &TestServer, email: &str, password: &str) -> bool {
    crate::support::client(server)
        .login_password(email, password)
        .await
        .is_ok()
}

async fn story(backend: Backend, with_bw: bool) {
    let (server, clock) = server_with_clock(backend).await;
    let w = World::build(&server, &clock).await;
    let c = client1(&server, &clock, &w).await;
    let (org, boss, it) = (&c.org, &c.owner.session, &c.admin.session);

    // --- enrolment: a wrong password is refused, then the user key goes wrapped to the org key
    assert!(!enrolled(boss, org, &c.alice_member).await);
    let wrong = c
        .alice
        .session
        .enrol_in_account_recovery(org, "not my password")
        .await;
    assert_eq!(wrong.unwrap_err().status(), Some(400));
    assert!(!enrolled(boss, org, &c.alice_member).await);
    for a in [&c.alice, &c.bob, &c.owner, &c.admin] {
        a.session
            .enrol_in_account_recovery(org, PASSWORD)
            .await
            .unwrap();
    }
    assert!(enrolled(boss, org, &c.alice_member).await);
    let mine = c.alice.session.orgs().await.unwrap();
    let mine = mine.iter().find(|o| &o.id == org).unwrap();
    assert!(mine.reset_password_enrolled && mine.has_public_and_private_keys);
    assert!(mine.features.use_reset_password);

    // Alice has items of her own, and an API key for the CLI.
    let alice = &c.alice.session;
    alice
        .create_login(ITEM, "alice", ITEM_PASSWORD)
        .await
        .unwrap();
    let api_key = alice.api_key(PASSWORD).await.unwrap().api_key;

    // --- refusals (400 with the reason on recover-account, 404 on the details the client
    // reads first), each leaving the target's password as it was
    assert_eq!(
        recover_raw(boss, org, &c.owner_member).await,
        (400, "You cannot recover your own account.".to_string())
    );
    assert_eq!(
        recover_raw(it, org, &c.owner_member).await,
        (
            400,
            "Only an Owner can recover another Owner's account.".to_string()
        )
    );
    let denied = it
        .recover_account(org, &c.owner_member, NEW_PASSWORD, false)
        .await;
    assert_eq!(denied.unwrap_err().status(), Some(404));
    // A Custom member without manageResetPassword reaches nothing.
    let custom = &c.custom.session;
    assert_eq!(recover_raw(custom, org, &c.alice_member).await.0, 404);
    assert_eq!(
        custom
            .recovery_details(org, &c.alice_member)
            .await
            .unwrap_err()
            .status(),
        Some(404)
    );
    assert_eq!(
        recover_raw(boss, org, &c.carol_member).await,
        (400, "Organization User not valid".to_string()),
        "not enrolled"
    );
    // The technician launched into client 1 never recovers its owners or admins.
    let tech = w.tech_a.s();
    for target in [&c.owner_member, &c.admin_member] {
        let (status, message) = recover_raw(tech, org, target).await;
        assert_eq!(status, 400, "{message}");
        assert!(
            message.contains("Provider members cannot recover"),
            "{message}"
        );
        let details = tech.recovery_details(org, target).await.unwrap_err();
        assert_eq!(details.status(), Some(404));
    }
    // A member of the provider who is also a user of the client, enrolled, is recovered by
    // nobody there — not even the client's owner: their account reaches the provider's clients.
    let colleague = w.tech_b.s();
    let colleague_member =
        crate::support::join_org(boss, org, &w.client1.key, colleague, 2, &[]).await;
    colleague
        .enrol_in_account_recovery(org, PASSWORD)
        .await
        .unwrap();
    assert!(enrolled(boss, org, &colleague_member).await);
    for by in [boss, it] {
        assert_eq!(
            recover_raw(by, org, &colleague_member).await,
            (
                400,
                "You are not permitted to recover this Provider member's account.".to_string()
            )
        );
        assert_eq!(
            by.recovery_details(org, &colleague_member)
                .await
                .unwrap_err()
                .status(),
            Some(404)
        );
    }
    assert!(
        colleague.revision_date().await.is_ok(),
        "the provider member's session (and password) untouched"
    );
    // The bulk details decide member by member with the same rule: the named members the
    // caller may recover, nobody else (its own membership, a provider member, one not
    // enrolled, an id that is none); a caller without the right learns nothing.
    let recoverable = |list: Vec<
        keyfleet_client::api::org_responses::OrganizationUserResetPasswordDetailsResponse,
    >| {
        let mut ids: Vec<String> = list.into_iter().map(|d| d.organization_user_id).collect();
        ids.sort();
        ids
    };
    let mut expected = vec![c.alice_member.clone(), c.bob_member.clone()];
    expected.sort();
    let named = [
        c.alice_member.as_str(),
        c.bob_member.as_str(),
        c.owner_member.as_str(),
        colleague_member.as_str(),
        c.carol_member.as_str(),
        "junk",
    ];
    assert_eq!(
        recoverable(boss.recovery_details_of_many(org, &named).await.unwrap()),
        expected
    );
    assert_eq!(
        recoverable(tech.recovery_details_of_many(org, &named).await.unwrap()),
        expected,
        "the technician: no owner or admin"
    );
    assert_eq!(
        custom
            .recovery_details_of_many(org, &named)
            .await
            .unwrap_err()
            .status(),
        Some(404)
    );
    for (email, who) in [
        ("boss@client1.example", "owner"),
        ("it@client1.example", "admin"),
        ("carol@client1.example", "not enrolled"),
    ] {
        assert!(logs_in(&server, email, PASSWORD).await, "{who} untouched");
    }

    // --- the admin recovers Alice's account
    it.recover_account(org, &c.alice_member, NEW_PASSWORD, false)
        .await
        .unwrap();
    let old = alice.revision_date().await.unwrap_err();
    assert_eq!(old.status(), Some(401), "Alice's old session is over");
    assert!(!logs_in(&server, &c.alice.session.email, PASSWORD).await);
    let again = crate::support::client(&server)
        .login_password(&c.alice.session.email, NEW_PASSWORD)
        .await
        .unwrap();
    let profile = again.profile().await.unwrap();
    assert!(profile.force_password_reset);
    let items = again.sync_json().await.unwrap();
    let names: Vec<String> = items["ciphers"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["name"].as_str().map(|n| again.decrypt(n).unwrap()))
        .collect();
    assert!(names.contains(&ITEM.to_string()), "{names:?}");
    let events = boss
        .org_events(org, &Default::default())
        .await
        .unwrap()
        .data;
    assert!(events.iter().any(|e| e.event_type.code() == 1508
        && e.organization_user_id.as_deref() == Some(c.alice_member.as_str())
        && e.provider_id.is_none()));
    assert!(events.iter().any(|e| e.event_type.code() == 1506));

    if with_bw {
        // The stock CLI: `bw login` refuses a user whose password an admin set, the API key
        // login does not; `bw unlock` with the new password decrypts the old item.
        let email = c.alice.session.email.clone();
        let alice_id = c.alice.session.user_id.clone();
        let server_ref = &server;
        tokio::task::block_in_place(|| {
            let bw = Bw::new(server_ref);
            let refused = bw
                .run(&["login", &email, NEW_PASSWORD, "--raw"])
                .expect_err();
            assert!(refused.contains("administrator"), "{refused}");
            let mut bw = Bw::new(server_ref);
            bw.set_env("BW_CLIENTID", &format!("user.{alice_id}"));
            bw.set_env("BW_CLIENTSECRET", &api_key);
            bw.run(&["login", "--apikey"]).expect_ok();
            bw.unlock(NEW_PASSWORD);
            let item = bw.json(&["get", "item", ITEM]);
            assert_eq!(item["login"]["password"], ITEM_PASSWORD);
        });
    }

    // Alice sets a password of her own: the flag goes, and only once.
    again.update_temp_password(OWN_PASSWORD).await.unwrap();
    let mine = crate::support::client(&server)
        .login_password(&c.alice.session.email, OWN_PASSWORD)
        .await
        .unwrap();
    assert!(!mine.profile().await.unwrap().force_password_reset);
    assert_eq!(
        refused(mine.update_temp_password("again").await, 400),
        "User does not have a temporary password to update."
    );

    // --- the launched technician recovers Bob (a user of the client), logged on both logs
    tech.recover_account(org, &c.bob_member, NEW_PASSWORD, true)
        .await
        .unwrap();
    assert!(logs_in(&server, &c.bob.session.email, NEW_PASSWORD).await);
    let events = boss
        .org_events(org, &Default::default())
        .await
        .unwrap()
        .data;
    let by_tech = |e: &keyfleet_client::api::org_responses::EventResponse| {
        e.organization_user_id.as_deref() == Some(c.bob_member.as_str())
            && e.provider_id.as_deref() == Some(w.provider.id.as_str())
    };
    assert!(events
        .iter()
        .any(|e| e.event_type.code() == 1508 && by_tech(e)));
    assert!(events
        .iter()
        .any(|e| e.event_type.code() == 1519 && by_tech(e)));
    let provider_log = w
        .owner
        .s()
        .provider_events(&w.provider.id, &ProviderEventFilter::default())
        .await
        .unwrap()
        .data;
    assert!(provider_log
        .iter()
        .any(|e| e.event.event_type.code() == 1508 && by_tech(&e.event)));

    // --- automatic enrolment: no withdrawal, and acceptance needs the key
    save_policy(
        boss,
        org,
        PolicyType::ResetPassword,
        true,
        Some(json!({"autoEnrollEnabled": true})),
    )
    .await;
    assert_eq!(
        refused(it.withdraw_from_account_recovery(org).await, 400),
        "Due to an Enterprise policy, you are not allowed to withdraw from account recovery."
    );
    assert!(enrolled(boss, org, &c.admin_member).await);
    let dave = account(&server, "dave@client1.example", TwoStep::Off, &clock).await;
    let invite = boss
        .invite_members(org, &["dave@client1.example"], 2, &[])
        .await
        .unwrap();
    let (id, token) = (&invite[0].id, invite[0].token.as_deref().unwrap());
    assert_eq!(
        refused(dave.session.accept_invite(org, id, token).await, 400),
        "Master Password reset is required, but not provided."
    );
    dave.session
        .accept_invite_enrolling(org, id, token)
        .await
        .unwrap();
    assert!(enrolled(boss, org, id).await);
    // Withdrawal works again once the policy no longer enrols automatically.
    save_policy(
        boss,
        org,
        PolicyType::ResetPassword,
        true,
        Some(json!({"autoEnrollEnabled": false})),
    )
    .await;
    it.withdraw_from_account_recovery(org).await.unwrap();
    assert!(!enrolled(boss, org, &c.admin_member).await);

    // --- a Custom member with manageResetPassword recovers users, not admins
    let helpdesk = account(&server, "helpdesk@client1.example", TwoStep::Off, &clock).await;
    let invite = ok(
        boss,
        Method::POST,
        &format!("/api/organizations/{org}/users/invite"),
        Some(json!({
            "emails": ["helpdesk@client1.example"], "type": 4, "collections": [], "groups": [],
            "permissions": { "manageResetPassword": true },
        })),
    )
    .await;
    let (hid, htoken) = (
        invite["data"][0]["id"].as_str().unwrap(),
        invite["data"][0]["token"].as_str().unwrap(),
    );
    helpdesk
        .session
        .accept_invite_enrolling(org, hid, htoken)
        .await
        .unwrap();
    boss.confirm_member(org, hid, &w.client1.key).await.unwrap();
    it.enrol_in_account_recovery(org, PASSWORD).await.unwrap();
    // Without manageUsers, the member list holds the enrolled members only.
    let listed = ok(
        &helpdesk.session,
        Method::GET,
        &format!("/api/organizations/{org}/users"),
        None,
    )
    .await;
    let listed: Vec<&str> = listed["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert!(listed.contains(&id.as_str()) && listed.contains(&c.admin_member.as_str()));
    assert!(!listed.contains(&c.carol_member.as_str()), "{listed:?}");
    let carol = send(
        &helpdesk.session,
        Method::GET,
        &format!("/api/organizations/{org}/users/{}", c.carol_member),
        None,
    )
    .await;
    assert_eq!(carol.status, 404);
    assert_eq!(
        recover_raw(&helpdesk.session, org, &c.admin_member).await,
        (
            400,
            "Only Owners and Admins can recover an Admin's account.".to_string()
        )
    );
    assert!(logs_in(&server, "it@client1.example", PASSWORD).await);
    helpdesk
        .session
        .recover_account(org, id, NEW_PASSWORD, false)
        .await
        .unwrap();
    assert!(logs_in(&server, "dave@client1.example", NEW_PASSWORD).await);

    // --- removing two-step login revokes the member where it is required (the policy's own
    // revocation, restored once they turn it on again)
    let erin = account(&server, "erin@client1.example", TwoStep::On, &clock).await;
    let invite = boss
        .invite_members(org, &["erin@client1.example"], 2, &[])
        .await
        .unwrap();
    let erin_member = invite[0].id.clone();
    erin.session
        .accept_invite(org, &erin_member, invite[0].token.as_deref().unwrap())
        .await
        .unwrap();
    boss.confirm_member(org, &erin_member, &w.client1.key)
        .await
        .unwrap();
    erin.session
        .enrol_in_account_recovery(org, PASSWORD)
        .await
        .unwrap();
    save_policy(boss, org, PolicyType::TwoFactorAuthentication, true, None).await;
    let status = |m: &Value| m["status"].as_i64().unwrap();
    let path = format!("/api/organizations/{org}/users/{erin_member}");
    assert_eq!(status(&ok(boss, Method::GET, &path, None).await), 2);
    boss.recover_account(org, &erin_member, NEW_PASSWORD, true)
        .await
        .unwrap();
    assert!(
        logs_in(&server, "erin@client1.example", NEW_PASSWORD).await,
        "no second factor asked any more"
    );
    assert_eq!(status(&ok(boss, Method::GET, &path, None).await), -1);
    let events = boss
        .org_events(org, &Default::default())
        .await
        .unwrap()
        .data;
    let about_erin = |code: i32| {
        events.iter().any(|e| {
            e.event_type.code() == code
                && e.organization_user_id.as_deref() == Some(erin_member.as_str())
        })
    };
    assert!(about_erin(1519) && about_erin(1511));

    // --- the newer bodies: authenticationData with unlockData, the member's own KDF and salt
    let bob_email = c.bob.session.email.clone();
    let d = boss.recovery_details(org, &c.bob_member).await.unwrap();
    let (hash, key) = recovery_credentials(&d, &w.client1.key, "the newer form").unwrap();
    let kdf = json!({
        "kdfType": d.kdf, "iterations": d.kdf_iterations,
        "memory": d.kdf_memory, "parallelism": d.kdf_parallelism,
    });
    let newer = |hash: &str, key: &str, salt: &str| {
        json!({
            "resetMasterPassword": true, "resetTwoFactor": false,
            "authenticationData": {
                "kdf": kdf, "masterPasswordAuthenticationHash": hash, "salt": salt,
            },
            "unlockData": { "kdf": kdf, "masterKeyWrappedUserKey": key, "salt": salt },
        })
    };
    let recover = format!(
        "/api/organizations/{org}/users/{}/recover-account",
        c.bob_member
    );
    let mut half = newer(&hash, &key, &d.master_password_salt);
    half.as_object_mut().unwrap().remove("unlockData");
    for (body, why) in [
        (newer(&hash, &key, "another@salt.example"), "another salt"),
        (half, "authenticationData alone"),
    ] {
        let res = send(boss, Method::PUT, &recover, Some(body)).await;
        assert_eq!(res.status, 400, "{why}");
    }
    assert!(!logs_in(&server, &bob_email, "the newer form").await);
    ok(
        boss,
        Method::PUT,
        &recover,
        Some(newer(&hash, &key, &d.master_password_salt)),
    )
    .await;
    let bob = crate::support::client(&server)
        .login_password(&bob_email, "the newer form")
        .await
        .unwrap();
    assert!(bob.profile().await.unwrap().force_password_reset);
    let (own, own_key) = recovery_credentials(&d, &w.client1.key, OWN_PASSWORD).unwrap();
    let mut body = newer(&own, &own_key, &d.master_password_salt);
    body["masterPasswordHint"] = json!("mine");
    ok(
        &bob,
        Method::PUT,
        "/api/accounts/update-temp-password",
        Some(body),
    )
    .await;
    assert!(logs_in(&server, &bob_email, OWN_PASSWORD).await);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_admin_recovers_a_members_account_and_bw_reads_the_old_items_on_sqlite() {
    story(Backend::Sqlite, true).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn account_recovery_holds_on_postgres() {
    if !backends().contains(&Backend::Postgres) {
        return;
    }
    story(Backend::Postgres, false).await;
}
