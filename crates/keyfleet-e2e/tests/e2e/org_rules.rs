//! Organization rules through the Rust client, on both databases: seats, the last owner,
//! invitation expiry, the two-step login, single-organization and personal-ownership policies,
//! master password requirements at login, and the event log.

use crate::support::{self, client, PASSWORD};
use keyfleet_client::{Access, ClientError, Method, OrgCalls, RawBody, Session};
use keyfleet_domain::{Clock, ManualClock};
use keyfleet_testkit::spawn_server_with_clock as server_with_clock;
use keyfleet_testkit::{backends, totp_code, Backend, TestServer};
use serde_json::{json, Value};

fn status(e: &ClientError) -> u16 {
    match e {
        ClientError::Api { status, .. } => *status,
        other => panic!("expected an API error, got {other:?}"),
    }
}

fn message(e: &ClientError) -> String {
    format!("{e}")
}

async fn call(
    s: &Session,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> Result<Value, ClientError> {
    s.call(method, path, body).await
}

/// Invites `member` with edit access to `collection`, accepts, and confirms; answers the member id.
async fn add_member(
    owner: &Session,
    org: &str,
    member: &Session,
    member_type: i32,
    collection: &str,
) -> String {
    let key = owner.org_key(org).await.unwrap();
    let grants = [(collection.to_string(), Access::EDIT)];
    support::join_org(owner, org, &key, member, member_type, &grants).await
}

async fn first_collection(owner: &Session, org: &str) -> String {
    let v = call(
        owner,
        Method::GET,
        &format!("/api/organizations/{org}/collections"),
        None,
    )
    .await
    .unwrap();
    v["data"][0]["id"].as_str().unwrap().to_string()
}

async fn seats_and_owners(server: &TestServer) {
    let owner = support::user(server, "owner@example.com").await;
    let bob = support::user(server, "bob@example.com").await;
    let free = owner
        .create_org("Free Co", "b@example.com", 0, None, "Stuff")
        .await
        .unwrap();
    let org = free.org.id.clone();
    assert_eq!(free.org.seats, 2);
    owner
        .invite_members(&org, &["one@example.com"], 2, &[])
        .await
        .unwrap();
    let full = owner
        .invite_members(&org, &["two@example.com"], 2, &[])
        .await
        .unwrap_err();
    assert_eq!(status(&full), 400);
    assert!(message(&full).contains("Seat limit"), "{full}");
    let adjust = call(
        &owner,
        Method::POST,
        &format!("/api/organizations/{org}/subscription"),
        Some(json!({ "seatAdjustment": 5 })),
    )
    .await
    .unwrap_err();
    assert_eq!(status(&adjust), 400);

    let teams = owner
        .create_org("Teams Co", "b@example.com", 17, Some(3), "General")
        .await
        .unwrap();
    let org = teams.org.id.clone();
    let general = first_collection(&owner, &org).await;
    let bob_id = add_member(&owner, &org, &bob, 1, &general).await;
    let below = call(
        &owner,
        Method::POST,
        &format!("/api/organizations/{org}/subscription"),
        Some(json!({ "seatAdjustment": -2 })),
    )
    .await
    .unwrap_err();
    assert!(message(&below).contains("in use"), "{below}");
    let raised = call(
        &owner,
        Method::POST,
        &format!("/api/organizations/{org}/subscription"),
        Some(json!({ "seatAdjustment": 7 })),
    )
    .await
    .unwrap();
    assert_eq!(raised["seats"], 10);

    // The last owner stays; an admin cannot touch an owner.
    let owner_member = owner.org_members(&org).await.unwrap()[0].id.clone();
    let leave = call(
        &owner,
        Method::POST,
        &format!("/api/organizations/{org}/leave"),
        None,
    )
    .await
    .unwrap_err();
    assert!(
        message(&leave).contains("at least one confirmed owner"),
        "{leave}"
    );
    let revoke = call(
        &bob,
        Method::PUT,
        &format!("/api/organizations/{org}/users/{owner_member}/revoke"),
        None,
    )
    .await
    .unwrap_err();
    assert!(
        message(&revoke).ends_with("Only an Owner can manage another Owner's account."),
        "{revoke}"
    );
    // Nobody changes their own membership, owners included.
    let demote_self = call(
        &owner,
        Method::PUT,
        &format!("/api/organizations/{org}/users/{owner_member}"),
        Some(json!({ "type": 1, "collections": [], "groups": [] })),
    )
    .await
    .unwrap_err();
    assert!(
        message(&demote_self).ends_with("You cannot change your own membership."),
        "{demote_self}"
    );
    // With a second owner, the first may be stepped down by them.
    call(
        &owner,
        Method::PUT,
        &format!("/api/organizations/{org}/users/{bob_id}"),
        Some(json!({ "type": 0, "collections": [], "groups": [] })),
    )
    .await
    .unwrap();
    call(
        &bob,
        Method::PUT,
        &format!("/api/organizations/{org}/users/{owner_member}"),
        Some(json!({ "type": 1, "collections": [], "groups": [] })),
    )
    .await
    .unwrap();
}

async fn invitations_expire(server: &TestServer, clock: &ManualClock) {
    let mut owner = support::user(server, "inviter@example.com").await;
    let mut late = support::user(server, "late@example.com").await;
    let created = owner
        .create_org("Slow Co", "b@example.com", 17, Some(5), "General")
        .await
        .unwrap();
    let org = created.org.id.as_str();
    let invite = owner
        .invite_members(org, &["late@example.com"], 2, &[])
        .await
        .unwrap();
    let id = invite[0].id.as_str();
    let token = invite[0].token.as_deref().unwrap();
    clock.advance_secs(5 * 24 * 3600 + 60);
    // Access tokens live an hour; the sessions refresh as clients do.
    owner.refresh().await.unwrap();
    late.refresh().await.unwrap();
    let expired = late.accept_invite(org, id, token).await.unwrap_err();
    assert!(message(&expired).contains("expired"), "{expired}");
    // A reinvite gives a fresh link; the old one stays dead.
    let again = call(
        &owner,
        Method::POST,
        &format!("/api/organizations/{org}/users/{id}/reinvite"),
        None,
    )
    .await
    .unwrap();
    let fresh = again["data"][0]["token"].as_str().unwrap();
    assert!(late.accept_invite(org, id, token).await.is_err());
    late.accept_invite(org, id, fresh).await.unwrap();
}

async fn two_step_policy(server: &TestServer, clock: &ManualClock) {
    let owner = support::user(server, "boss@example.com").await;
    let worker = support::user(server, "worker@example.com").await;
    let created = owner
        .create_org("Strict Co", "b@example.com", 19, Some(10), "General")
        .await
        .unwrap();
    let org = created.org.id.clone();
    let general = first_collection(&owner, &org).await;
    let worker_id = add_member(&owner, &org, &worker, 2, &general).await;
    assert_eq!(
        worker.sync_json().await.unwrap()["profile"]["organizations"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    call(
        &owner,
        Method::PUT,
        &format!("/api/organizations/{org}/policies/0"),
        Some(json!({ "enabled": true })),
    )
    .await
    .unwrap();
    let members = owner.org_members(&org).await.unwrap();
    let w = members.iter().find(|m| m.id == worker_id).unwrap();
    assert_eq!(w.status.code(), -1, "revoked for lack of two-step login");
    assert!(
        worker.sync_json().await.unwrap()["profile"]["organizations"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    // A newcomer without two-step login cannot join.
    let newcomer = support::user(server, "newcomer@example.com").await;
    let invite = owner
        .invite_members(&org, &["newcomer@example.com"], 2, &[])
        .await
        .unwrap();
    let refused = newcomer
        .accept_invite(
            &org,
            invite[0].id.as_str(),
            invite[0].token.as_deref().unwrap(),
        )
        .await
        .unwrap_err();
    assert!(message(&refused).contains("two-step login"), "{refused}");

    // Turning it on restores the membership.
    let (_, key) = worker.authenticator_setup(PASSWORD).await.unwrap();
    worker
        .enable_authenticator(PASSWORD, &key, &totp_code(&key, clock.now().unix_secs()))
        .await
        .unwrap();
    let orgs = worker.sync_json().await.unwrap()["profile"]["organizations"].clone();
    assert_eq!(orgs[0]["id"], org.as_str());
    assert_eq!(orgs[0]["status"], 2);

    // Master password requirements reach the login response.
    call(
        &owner,
        Method::PUT,
        &format!("/api/organizations/{org}/policies/1"),
        Some(json!({ "enabled": true, "data": { "minLength": 16, "enforceOnLogin": true } })),
    )
    .await
    .unwrap();
    let again = client(server)
        .login_password("worker@example.com", PASSWORD)
        .await;
    // The worker has two-step login now; the owner's login shows the policy too.
    assert!(again.is_err());
    let policy = client(server)
        .login_password("boss@example.com", PASSWORD)
        .await
        .unwrap()
        .master_password_policy
        .unwrap();
    let policy = serde_json::to_value(policy).unwrap();
    assert_eq!(policy["minLength"], 16);
    assert_eq!(policy["enforceOnLogin"], true);
    assert_eq!(policy["object"], "masterPasswordPolicy");

    // Every step is in the log, newest first, with the acting user.
    let events = call(
        &owner,
        Method::GET,
        &format!("/api/organizations/{org}/events"),
        None,
    )
    .await
    .unwrap();
    let types: Vec<i64> = events["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_i64().unwrap())
        .collect();
    for t in [1500, 1501, 1511, 1512, 1700] {
        assert!(types.contains(&t), "event {t} missing from {types:?}");
    }
    let invited = events["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["type"] == 1500)
        .unwrap();
    assert_eq!(invited["actingUserId"], owner.user_id.as_str());
    let member_log = call(
        &owner,
        Method::GET,
        &format!("/api/organizations/{org}/users/{worker_id}/events"),
        None,
    )
    .await
    .unwrap();
    assert!(member_log["data"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["organizationUserId"] == worker_id.as_str()
            || e["userId"] == worker.user_id.as_str()
            || e["actingUserId"] == worker.user_id.as_str()));
}

async fn single_org_policy(server: &TestServer) {
    let a_owner = support::user(server, "a-owner@example.com").await;
    let b_owner = support::user(server, "b-owner@example.com").await;
    let dual = support::user(server, "dual@example.com").await;
    let a = a_owner
        .create_org("A", "a@example.com", 17, Some(5), "G")
        .await
        .unwrap();
    let a_id = a.org.id.clone();
    let b = b_owner
        .create_org("B", "b@example.com", 17, Some(5), "G")
        .await
        .unwrap();
    let b_id = b.org.id.clone();
    let general = first_collection(&a_owner, &a_id).await;
    add_member(&a_owner, &a_id, &dual, 2, &general).await;
    call(
        &b_owner,
        Method::PUT,
        &format!("/api/organizations/{b_id}/policies/3"),
        Some(json!({ "enabled": true })),
    )
    .await
    .unwrap();
    let invite = b_owner
        .invite_members(&b_id, &["dual@example.com"], 2, &[])
        .await
        .unwrap();
    let refused = dual
        .accept_invite(
            &b_id,
            invite[0].id.as_str(),
            invite[0].token.as_deref().unwrap(),
        )
        .await
        .unwrap_err();
    assert!(
        message(&refused).contains("leave or remove all other organizations"),
        "{refused}"
    );
}

async fn set_personal_ownership(owner: &Session, org: &str, enabled: bool) {
    let path = format!("/api/organizations/{org}/policies/5");
    call(
        owner,
        Method::PUT,
        &path,
        Some(json!({ "enabled": enabled })),
    )
    .await
    .unwrap();
}

/// Removing the individual vault binds a member through each organization on its own: the
/// policy in an organization they own does not stop them, the same policy in one where they are
/// a User does, and turning it off there frees them again.
async fn personal_ownership_across_organizations(server: &TestServer) {
    let p_owner = support::user(server, "po-owner@example.com").await;
    let both = support::user(server, "po-both@example.com").await;
    let policy = p_owner
        .create_org("Policy Co", "po@example.com", 17, Some(5), "G")
        .await
        .unwrap();
    let policy_id = policy.org.id.clone();
    let mine = both
        .create_org("Own Co", "own@example.com", 17, Some(5), "G")
        .await
        .unwrap();
    let mine_id = mine.org.id.clone();
    let general = first_collection(&p_owner, &policy_id).await;
    add_member(&p_owner, &policy_id, &both, 2, &general).await;
    set_personal_ownership(&both, &mine_id, true).await;
    both.create_login("Mine still", "u", "p").await.unwrap();
    set_personal_ownership(&p_owner, &policy_id, true).await;
    let refused = both.create_login("Refused", "u", "p").await.unwrap_err();
    assert!(message(&refused).contains("personal vault"), "{refused}");
    set_personal_ownership(&p_owner, &policy_id, false).await;
    both.create_login("Free again", "u", "p").await.unwrap();
    let personal: Vec<String> = both
        .sync()
        .await
        .unwrap()
        .ciphers
        .iter()
        .filter(|c| c.organization_id.is_none())
        .map(|c| c.id.clone())
        .collect();
    assert_eq!(personal.len(), 2, "the refused item was not stored");
}

async fn client_events(server: &TestServer) {
    let owner = support::user(server, "viewer@example.com").await;
    let created = owner
        .create_org("Seen Co", "b@example.com", 17, Some(5), "General")
        .await
        .unwrap();
    let org = created.org.id.clone();
    let general = first_collection(&owner, &org).await;
    let item = owner
        .create_org_login(&org, &created.key, &[&general], "Shared", "u", "p")
        .await
        .unwrap();
    let personal = owner.create_login("Mine", "u", "p").await.unwrap();
    let body = json!([
        { "type": 1107, "cipherId": item.id, "date": "2026-01-01T00:00:00Z" },
        { "type": 1107, "cipherId": personal.id, "date": "2026-01-01T00:00:00Z" },
        { "type": 1500, "organizationId": org },
    ]);
    call(&owner, Method::POST, "/events/collect", Some(body))
        .await
        .unwrap();
    let log = call(
        &owner,
        Method::GET,
        &format!("/api/ciphers/{}/events", item.id),
        None,
    )
    .await
    .unwrap();
    let types: Vec<i64> = log["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_i64().unwrap())
        .collect();
    assert!(types.contains(&1107) && types.contains(&1100), "{types:?}");
    let all = call(
        &owner,
        Method::GET,
        &format!("/api/organizations/{org}/events"),
        None,
    )
    .await
    .unwrap();
    let viewed = all["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == 1107)
        .count();
    assert_eq!(viewed, 1, "the personal item's view is not an org event");
    assert!(
        !all["data"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["type"] == 1500 && e["organizationUserId"].is_null()),
        "clients cannot forge admin events"
    );
}

async fn item_rules(server: &TestServer) {
    let owner = support::user(server, "keeper@example.com").await;
    let member = support::user(server, "filer@example.com").await;
    let created = owner
        .create_org("Items Co", "b@example.com", 17, Some(5), "General")
        .await
        .unwrap();
    let org = created.org.id.clone();
    let general = first_collection(&owner, &org).await;
    add_member(&owner, &org, &member, 2, &general).await;

    // Two personal items shared in one call, re-encrypted under the org key.
    let a = owner.create_login("A", "u", "p").await.unwrap();
    let b = owner.create_login("B", "u", "p").await.unwrap();
    let mut body_a = json!(owner.org_login_item_body(&org, &created.key, "A", "u", "p"));
    body_a["id"] = json!(a.id);
    let mut body_b = json!(owner.org_login_item_body(&org, &created.key, "B", "u", "p"));
    body_b["id"] = json!(b.id);
    let shared = call(
        &owner,
        Method::PUT,
        "/api/ciphers/share",
        Some(json!({ "ciphers": [body_a, body_b], "collectionIds": [general] })),
    )
    .await
    .unwrap();
    assert_eq!(shared["data"].as_array().unwrap().len(), 2);
    assert!(shared["data"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["organizationId"] == org.as_str()));

    // A member files an org item in their own folder; nobody else sees that folder.
    let folder = member.create_folder("Mine").await.unwrap();
    call(
        &member,
        Method::PUT,
        "/api/ciphers/move",
        Some(json!({ "ids": [a.id], "folderId": folder.id })),
    )
    .await
    .unwrap();
    let sync = member.sync_json().await.unwrap();
    let filed = sync["ciphers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == a.id.as_str())
        .unwrap();
    assert_eq!(filed["folderId"], folder.id.as_str());
    let owner_view = owner.get_cipher(&a.id).await.unwrap();
    assert!(owner_view.folder_id.is_none());

    // Removing the individual vault stops personal items for members, not for owners.
    call(
        &owner,
        Method::PUT,
        &format!("/api/organizations/{org}/policies/5"),
        Some(json!({ "enabled": true })),
    )
    .await
    .unwrap();
    let refused = member.create_login("Private", "u", "p").await.unwrap_err();
    assert!(message(&refused).contains("personal vault"), "{refused}");
    let mine = owner.create_login("Still mine", "u", "p").await.unwrap();
    // Nobody shares another user's personal item.
    let mut theirs = json!(member.org_login_item_body(&org, &created.key, "Stolen", "u", "p"));
    theirs["id"] = json!(mine.id);
    let refused = call(
        &member,
        Method::PUT,
        "/api/ciphers/share",
        Some(json!({ "ciphers": [theirs], "collectionIds": [general] })),
    )
    .await
    .unwrap_err();
    assert_eq!(status(&refused), 404);

    // Bulk trash and restore reach org items the member may edit, in one call with the rest.
    call(
        &member,
        Method::PUT,
        "/api/ciphers/delete",
        Some(json!({ "ids": [a.id, b.id, mine.id] })),
    )
    .await
    .unwrap();
    let trashed = |sync: &Value, id: &str| {
        !sync["ciphers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id)
            .unwrap()["deletedDate"]
            .is_null()
    };
    let sync = owner.sync_json().await.unwrap();
    assert!(trashed(&sync, &a.id) && trashed(&sync, &b.id));
    assert!(
        !trashed(&sync, &mine.id),
        "the owner's personal item is out of the member's reach"
    );
    call(
        &member,
        Method::PUT,
        "/api/ciphers/restore",
        Some(json!({ "ids": [a.id, b.id] })),
    )
    .await
    .unwrap();
    let sync = owner.sync_json().await.unwrap();
    assert!(!trashed(&sync, &a.id) && !trashed(&sync, &b.id));
    let log = call(
        &owner,
        Method::GET,
        &format!("/api/organizations/{org}/events"),
        None,
    )
    .await
    .unwrap();
    let soft_deleted = log["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == 1115)
        .count();
    assert_eq!(soft_deleted, 2, "one event per item");
}

async fn org_token(server: &TestServer, org: &str, secret: &str) -> (u16, Value) {
    let form = vec![
        ("grant_type".to_string(), "client_credentials".to_string()),
        ("client_id".into(), format!("organization.{org}")),
        ("client_secret".into(), secret.to_string()),
        ("scope".into(), "api.organization".into()),
    ];
    let res = client(server)
        .raw(
            Method::POST,
            "/identity/connect/token",
            None,
            RawBody::Form(form),
        )
        .await
        .unwrap();
    (
        res.status,
        serde_json::from_str(&res.body).unwrap_or(Value::Null),
    )
}

async fn org_api_key(server: &TestServer) {
    let owner = support::user(server, "scripter@example.com").await;
    let created = owner
        .create_org("Scripted Co", "b@example.com", 17, Some(5), "General")
        .await
        .unwrap();
    let org = created.org.id.clone();
    let (hash, _) = owner
        .client()
        .password_hash("scripter@example.com", PASSWORD)
        .await
        .unwrap();
    let key = call(
        &owner,
        Method::POST,
        &format!("/api/organizations/{org}/api-key"),
        Some(json!({ "masterPasswordHash": hash })),
    )
    .await
    .unwrap();
    let secret = key["apiKey"].as_str().unwrap().to_string();
    // Only a digest is kept: the key is shown once.
    let again = call(
        &owner,
        Method::POST,
        &format!("/api/organizations/{org}/api-key"),
        Some(json!({ "masterPasswordHash": hash })),
    )
    .await
    .unwrap_err();
    assert!(again.to_string().contains("Rotate the API key"), "{again}");
    let (status, wrong) = org_token(server, &org, "not-the-secret").await;
    assert_eq!(
        (status, wrong["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    let (status, token) = org_token(server, &org, &secret).await;
    assert_eq!(status, 200, "{token}");
    assert_eq!(token["scope"], "api.organization");
    let bearer = token["access_token"].as_str().unwrap().to_string();
    let get = |path: &'static str, bearer: String| async move {
        client(server)
            .raw(Method::GET, path, Some(&bearer), RawBody::Empty)
            .await
            .unwrap()
    };
    let members = get("/api/public/members", bearer.clone()).await;
    assert_eq!(members.status, 200);
    let members: Value = serde_json::from_str(&members.body).unwrap();
    assert_eq!(members["data"][0]["email"], "scripter@example.com");
    assert_eq!(
        get("/api/public/collections", bearer.clone()).await.status,
        200
    );
    assert_eq!(get("/api/public/events", bearer.clone()).await.status, 200);
    // An org token is no user's token, and a user's token is no org token.
    assert_eq!(get("/api/sync", bearer.clone()).await.status, 401);
    assert_eq!(
        get("/api/public/members", owner.access_token.clone())
            .await
            .status,
        401
    );
    // Rotating the key ends the tokens issued with the old one.
    call(
        &owner,
        Method::POST,
        &format!("/api/organizations/{org}/rotate-api-key"),
        Some(json!({ "masterPasswordHash": hash })),
    )
    .await
    .unwrap();
    assert_eq!(get("/api/public/members", bearer).await.status, 401);
    assert_eq!(org_token(server, &org, &secret).await.0, 400);
}

async fn rules(backend: Backend) {
    let (server, clock) = server_with_clock(backend).await;
    seats_and_owners(&server).await;
    two_step_policy(&server, &clock).await;
    single_org_policy(&server).await;
    personal_ownership_across_organizations(&server).await;
    client_events(&server).await;
    org_api_key(&server).await;
    item_rules(&server).await;
    invitations_expire(&server, &clock).await;
    server.stop().await;
}

/// With a mail server configured, an invitation is mailed (and never handed to the admin), and
/// the link in the mail works.
#[tokio::test]
async fn invitations_are_mailed_when_smtp_is_configured() {
    let sink = keyfleet_testkit::SmtpSink::start().await;
    let server =
        keyfleet_testkit::spawn_server_with(Backend::Sqlite, |c| c.smtp = Some(sink.config()))
            .await;
    let owner = support::user_via_mail(&server, &sink, "mailer@example.com").await;
    let guest = support::user_via_mail(&server, &sink, "guest@example.com").await;
    let before = sink.received().len();
    let created = owner
        .create_org("Mail Co", "b@example.com", 17, Some(5), "General")
        .await
        .unwrap();
    let org = created.org.id.clone();
    let invite = owner
        .invite_members(&org, &["guest@example.com"], 2, &[])
        .await
        .unwrap();
    assert!(invite[0].mailed);
    assert!(invite[0].token.is_none() && invite[0].invite_url.is_none());
    let member = invite[0].id.as_str();
    let mail = sink.received().split_off(before);
    assert_eq!(mail.len(), 1);
    assert_eq!(mail[0].to, ["guest@example.com"]);
    let text = mail[0].decoded();
    assert!(text.contains("Subject: Join Mail Co on Keyfleet"), "{text}");
    let token = text
        .split("&token=")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap();
    let token = token
        .replace("%2E", ".")
        .replace("%2D", "-")
        .replace("%5F", "_");
    guest.accept_invite(&org, member, &token).await.unwrap();
    server.stop().await;
}

#[tokio::test]
async fn organization_rules_hold_on_sqlite() {
    rules(Backend::Sqlite).await;
}

#[tokio::test]
async fn organization_rules_hold_on_postgres() {
    if !backends().contains(&Backend::Postgres) {
        return;
    }
    rules(Backend::Postgres).await;
}
