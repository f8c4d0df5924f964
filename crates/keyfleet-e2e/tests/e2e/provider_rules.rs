//! Provider (MSP) rules through the Rust client, each story on both databases: the key chain a
//! technician decrypts client data with, what deletion, suspension and a disabled provider take
//! away (tokens already issued included), ownership transfer, custom roles in use, unlinking,
//! the event logs on both sides, the usage report, and that a technician never receives a byte
//! about a client they are not assigned to.

use crate::provider_support::{
    account, client_key_from_sync, create_client_item, ok, operator, own_org, send, Account,
    TwoStep, World, ITEM_NAME, ITEM_PASSWORD,
};
use crate::support::{client, PASSWORD};
use keyfleet_client::api::kinds::Permission;
use keyfleet_client::{Access, MemberRole, Method, RoleScope, SecondFactor, Session};
use keyfleet_crypto::EncString;
use keyfleet_domain::{Clock, ManualClock, SystemClock, Timestamp};
use keyfleet_testkit::spawn_server_with_clock as server_with_clock;
use keyfleet_testkit::{
    backends, spawn_server_with, totp_code, Backend, TestServer, TEST_ADMIN_TOKEN,
};
use serde_json::{json, Value};

/// A fresh login with password and authenticator code (a new step, so the code is unused).
async fn login_afresh(server: &TestServer, clock: &ManualClock, a: &Account) -> Session {
    clock.advance_secs(30);
    let code = totp_code(a.totp.as_deref().unwrap(), clock.now().unix_secs());
    let factor = SecondFactor {
        provider: 0,
        token: code,
        remember: false,
    };
    client(server)
        .login_password_with(&a.session.email, PASSWORD, Some(&factor))
        .await
        .unwrap()
}

fn ids_of(list: &Value, field: &str) -> Vec<String> {
    list.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v[field].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

async fn status(s: &Session, method: Method, path: &str) -> u16 {
    send(s, method, path, None).await.status
}

fn org_details(org: &str) -> String {
    format!("/api/ciphers/organization-details?organizationId={org}")
}

/// The answer's error message.
fn message(res: &keyfleet_client::RawResponse) -> String {
    res.json()["message"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

// ------------------------------------------------------------------ keys

/// Technician A finds the provider key in sync, unwraps client 1's org key with it, and reads
/// the item a launched member created — while client 2 is nowhere in their sync.
async fn a_technician_decrypts_a_client_item(_: &TestServer, _: &ManualClock, w: &World) {
    let tech = w.tech_a.s();
    let sync = tech.sync_json().await.unwrap();
    let profile = &sync["profile"];
    assert_eq!(
        ids_of(&profile["providers"], "id"),
        [w.provider.id.as_str()]
    );
    assert_eq!(
        profile["providers"][0]["type"], 1,
        "a technician is a ServiceUser"
    );
    assert_eq!(profile["providers"][0]["status"], 2);
    assert_eq!(profile["providers"][0]["role"], "technician");
    assert_eq!(
        ids_of(&profile["providerOrganizations"], "id"),
        [w.client1.org_id.as_str()],
        "sync lists exactly the assigned client"
    );
    let entry = &profile["providerOrganizations"][0];
    assert_eq!(entry["providerId"], w.provider.id.as_str());
    assert_eq!(entry["type"], 0);
    assert_eq!(entry["status"], 2);
    assert!(entry["key"].as_str().unwrap().starts_with("2."));
    // Client items are read through the admin endpoint, not sync.
    assert!(!ids_of(&sync["ciphers"], "id").contains(&w.item));

    let key = client_key_from_sync(tech, &sync, &w.client1.org_id).expect("client 1's key");
    assert_eq!(*key.to_bytes(), *w.client1.key.to_bytes());
    let items = ok(tech, Method::GET, &org_details(&w.client1.org_id), None).await;
    let item = items["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == w.item.as_str())
        .expect("the item is listed");
    let name = EncString::decrypt_str(item["name"].as_str().unwrap(), &key).unwrap();
    let password =
        EncString::decrypt_str(item["login"]["password"].as_str().unwrap(), &key).unwrap();
    assert_eq!(
        (name.as_str(), password.as_str()),
        (ITEM_NAME, ITEM_PASSWORD)
    );
    assert!(client_key_from_sync(tech, &sync, &w.client2.org_id).is_none());
    assert_eq!(
        status(tech, Method::GET, &org_details(&w.client2.org_id)).await,
        404
    );
}

/// Until a member turns two-step login on, sync carries nothing of the provider and every
/// provider call says why; turning it on brings everything.
async fn two_step_login_is_required(server: &TestServer, clock: &ManualClock, w: &World) {
    let a = account(server, "late@msp.example", TwoStep::Off, clock).await;
    w.provider
        .join(
            w.owner.s(),
            &a.session,
            MemberRole::Technician,
            &[&w.client1.poid],
        )
        .await;
    let s = &a.session;
    let sync = s.sync_json().await.unwrap();
    assert_eq!(sync["profile"]["providers"], json!([]));
    assert_eq!(sync["profile"]["providerOrganizations"], json!([]));
    for path in [
        w.path(""),
        w.path("/clients"),
        w.path(&format!("/clients/{}/launch", w.client1.poid)),
        org_details(&w.client1.org_id),
        format!("/api/organizations/{}", w.client1.org_id),
    ] {
        let method = if path.ends_with("/launch") {
            Method::POST
        } else {
            Method::GET
        };
        let res = send(s, method, &path, None).await;
        assert_eq!(res.status, 400, "{path}: {}", res.body);
        assert!(
            message(&res).starts_with("Two-step login is required for provider members."),
            "{path}: {}",
            res.body
        );
        // The stable marker a console leads the member to the set-up screen by.
        assert!(
            res.json()["validationErrors"]["twoStepLoginRequired"].is_array(),
            "{path}: {}",
            res.body
        );
    }
    crate::provider_support::enable_totp(s, clock).await;
    let sync = s.sync_json().await.unwrap();
    assert_eq!(
        ids_of(&sync["profile"]["providerOrganizations"], "id"),
        [w.client1.org_id.as_str()]
    );
    ok(s, Method::GET, &org_details(&w.client1.org_id), None).await;
}

// ------------------------------------------------------------------ losing access

/// A deleted member who logs in afresh finds no provider and no client, and is refused (404).
async fn a_deleted_member_keeps_nothing(server: &TestServer, clock: &ManualClock, w: &World) {
    let gone = w
        .member(
            server,
            clock,
            "gone@msp.example",
            MemberRole::Technician,
            &[&w.client1.poid],
        )
        .await;
    let before = gone.s().sync_json().await.unwrap();
    assert_eq!(
        ids_of(&before["profile"]["providerOrganizations"], "id"),
        [w.client1.org_id.as_str()]
    );
    ok(
        w.owner.s(),
        Method::DELETE,
        &w.path(&format!("/users/{}", gone.puid)),
        None,
    )
    .await;
    let fresh = login_afresh(server, clock, &gone.account).await;
    let sync = fresh.sync_json().await.unwrap();
    assert_eq!(sync["profile"]["providers"], json!([]));
    assert_eq!(sync["profile"]["providerOrganizations"], json!([]));
    for (method, path) in [
        (
            Method::GET,
            format!("/api/organizations/{}", w.client1.org_id),
        ),
        (Method::GET, org_details(&w.client1.org_id)),
        (Method::GET, w.path("")),
        (
            Method::POST,
            w.path(&format!("/clients/{}/launch", w.client1.poid)),
        ),
    ] {
        assert_eq!(status(&fresh, method, &path).await, 404, "{path}");
    }
    // The membership is gone for good: the member list no longer has it.
    let members = ok(w.owner.s(), Method::GET, &w.path("/users"), None).await;
    assert!(!ids_of(&members["data"], "id").contains(&gone.puid));
}

/// Suspension applies to the token the member already holds; restoring brings access back.
async fn suspension_applies_to_issued_tokens(_: &TestServer, _: &ManualClock, w: &World) {
    let tech = w.tech_a.s();
    let details = org_details(&w.client1.org_id);
    let launch = w.path(&format!("/clients/{}/launch", w.client1.poid));
    ok(tech, Method::GET, &details, None).await;
    let suspended = ok(
        w.owner.s(),
        Method::POST,
        &w.path(&format!("/users/{}/suspend", w.tech_a.puid)),
        None,
    )
    .await;
    assert_eq!(suspended["suspended"], true);
    for (method, path) in [
        (Method::GET, details.clone()),
        (Method::POST, launch.clone()),
        (Method::GET, w.path("")),
        (Method::GET, w.path("/clients")),
    ] {
        assert_eq!(status(tech, method, &path).await, 404, "suspended: {path}");
    }
    let sync = tech.sync_json().await.unwrap();
    assert_eq!(sync["profile"]["providers"], json!([]));
    assert_eq!(sync["profile"]["providerOrganizations"], json!([]));

    let restored = ok(
        w.owner.s(),
        Method::POST,
        &w.path(&format!("/users/{}/restore", w.tech_a.puid)),
        None,
    )
    .await;
    assert_eq!(restored["suspended"], false);
    ok(tech, Method::GET, &details, None).await;
    ok(tech, Method::POST, &launch, None).await;
    let sync = tech.sync_json().await.unwrap();
    assert_eq!(
        ids_of(&sync["profile"]["providerOrganizations"], "id"),
        [w.client1.org_id.as_str()]
    );
    let events = ok(w.owner.s(), Method::GET, &w.path("/events"), None).await;
    let types: Vec<i64> = events["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["providerUserId"] == w.tech_a.puid.as_str())
        .filter_map(|e| e["type"].as_i64())
        .collect();
    assert!(types.contains(&1853) && types.contains(&1854), "{types:?}");
}

/// The operator disables the provider: no member reaches it or a client through it (the
/// client's own members keep working); enabling restores it.
async fn a_disabled_provider_lets_nobody_in(server: &TestServer, clock: &ManualClock, w: &World) {
    let member = account(server, "staff@client-one.example", TwoStep::Off, clock).await;
    let c = &w.client1;
    let invited = w
        .owner
        .s()
        .invite_members(
            &c.org_id,
            &[&member.session.email],
            2,
            &[(c.collection.clone(), Access::EDIT)],
        )
        .await
        .unwrap();
    let id = invited[0].id.as_str();
    member
        .session
        .accept_invite(&c.org_id, id, invited[0].token.as_deref().unwrap())
        .await
        .unwrap();
    w.owner
        .s()
        .confirm_member(&c.org_id, id, &c.key)
        .await
        .unwrap();

    let toggle = |what: &'static str| {
        let path = format!("/admin/providers/{}/{what}", w.provider.id);
        async move {
            let res = operator(server, Method::POST, &path, Some(TEST_ADMIN_TOKEN), None).await;
            assert_eq!(res.status, 200, "{path}: {}", res.body);
            res.json()
        }
    };
    let disabled = toggle("disable").await;
    assert_eq!(disabled["enabled"], false);
    let org = format!("/api/organizations/{}", c.org_id);
    for m in [&w.owner, &w.admin, &w.tech_a] {
        let s = m.s();
        for (method, path) in [
            (Method::GET, w.path("")),
            (Method::GET, w.path("/clients")),
            (Method::GET, org.clone()),
            (Method::GET, org_details(&c.org_id)),
        ] {
            assert_eq!(
                status(s, method, &path).await,
                404,
                "{} with the provider off: {path}",
                s.email
            );
        }
        let sync = s.sync_json().await.unwrap();
        assert_eq!(sync["profile"]["providers"], json!([]), "{}", s.email);
        assert_eq!(sync["profile"]["providerOrganizations"], json!([]));
    }
    ok(&member.session, Method::GET, &org, None).await;
    let mine = member.session.sync_json().await.unwrap();
    assert!(ids_of(&mine["profile"]["organizations"], "id").contains(&c.org_id));

    assert_eq!(toggle("enable").await["enabled"], true);
    ok(w.tech_a.s(), Method::GET, &org_details(&c.org_id), None).await;
    ok(w.owner.s(), Method::GET, &w.path(""), None).await;
    let sync = w.tech_a.s().sync_json().await.unwrap();
    assert_eq!(
        ids_of(&sync["profile"]["providers"], "id"),
        [w.provider.id.as_str()]
    );
}

// ------------------------------------------------------------------ ownership

/// Ownership moves only with the owner's master password; the old owner becomes an admin; the
/// owner can be neither removed, suspended nor demoted by anyone.
async fn ownership_transfer(_: &TestServer, _: &ManualClock, w: &World) {
    let owner = w.owner.s();
    let admin = w.admin.s();
    let transfer = w.path(&format!("/users/{}/transfer-ownership", w.admin.puid));
    let owner_member = |rest: &str| w.path(&format!("/users/{}{rest}", w.owner.puid));

    // Nobody touches the owner's membership.
    for (method, path, body) in [
        (Method::DELETE, owner_member(""), None),
        (Method::POST, owner_member("/suspend"), None),
        (
            Method::PUT,
            owner_member(""),
            Some(json!({ "role": "admin" })),
        ),
        (
            Method::PUT,
            owner_member(""),
            Some(json!({ "role": "technician" })),
        ),
    ] {
        let res = send(admin, method, &path, body).await;
        assert_eq!(res.status, 400, "admin on the owner: {path}: {}", res.body);
    }
    // An admin cannot take ownership for themselves.
    let res = send(
        admin,
        Method::POST,
        &transfer,
        Some(json!({ "masterPasswordHash": w.admin.account.hash })),
    )
    .await;
    assert_eq!(res.status, 404, "{}", res.body);
    // The owner needs the master password.
    for body in [
        json!({}),
        json!({ "masterPasswordHash": "bm90IHRoZSBwYXNzd29yZA==" }),
    ] {
        let res = send(owner, Method::POST, &transfer, Some(body)).await;
        assert_eq!(res.status, 400, "{}", res.body);
    }
    let me = ok(owner, Method::GET, &owner_member(""), None).await;
    assert_eq!(me["role"], "owner");

    ok(
        owner,
        Method::POST,
        &transfer,
        Some(json!({ "masterPasswordHash": w.owner.account.hash })),
    )
    .await;
    let new_owner = ok(
        admin,
        Method::GET,
        &w.path(&format!("/users/{}", w.admin.puid)),
        None,
    )
    .await;
    assert_eq!(new_owner["role"], "owner");
    assert_eq!(new_owner["type"], 0);
    let old_owner = ok(admin, Method::GET, &owner_member(""), None).await;
    assert_eq!(old_owner["role"], "admin");
    assert_eq!(old_owner["type"], 0);
    // Exactly one owner.
    let members = ok(admin, Method::GET, &w.path("/users"), None).await;
    let owners = members["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["role"] == "owner")
        .count();
    assert_eq!(owners, 1);
    // The old owner, now an admin, cannot touch the new owner nor transfer again.
    let new_owner_path = |rest: &str| w.path(&format!("/users/{}{rest}", w.admin.puid));
    for (method, path, body) in [
        (Method::DELETE, new_owner_path(""), None),
        (Method::POST, new_owner_path("/suspend"), None),
        (
            Method::PUT,
            new_owner_path(""),
            Some(json!({ "role": "admin" })),
        ),
    ] {
        let res = send(owner, method, &path, body).await;
        assert_eq!(
            res.status, 400,
            "old owner on the new owner: {path}: {}",
            res.body
        );
    }
    let back = w.path(&format!("/users/{}/transfer-ownership", w.owner.puid));
    let res = send(
        owner,
        Method::POST,
        &back,
        Some(json!({ "masterPasswordHash": w.owner.account.hash })),
    )
    .await;
    assert_eq!(res.status, 404, "only the owner transfers: {}", res.body);
    let events = ok(admin, Method::GET, &w.path("/events?type=1855"), None).await;
    assert_eq!(events["data"].as_array().unwrap().len(), 1);
}

// ------------------------------------------------------------------ roles and clients

/// A custom role cannot be deleted while someone holds it; a name outside the catalog is refused
/// for the `permissions` field, naming the catalog.
async fn a_role_in_use_stays(server: &TestServer, clock: &ManualClock, w: &World) {
    let owner = w.owner.s();
    let role = w
        .provider
        .create_role(
            owner,
            "Helpdesk",
            &[Permission::ViewClients],
            RoleScope::Assigned,
        )
        .await;
    let m = w
        .member(
            server,
            clock,
            "helpdesk@msp.example",
            MemberRole::Custom(role.clone()),
            &[],
        )
        .await;
    let path = w.path(&format!("/roles/{role}"));
    let res = send(owner, Method::DELETE, &path, None).await;
    assert_eq!(res.status, 400, "{}", res.body);
    // The contract's message (the server may add advice after it).
    assert!(
        message(&res).starts_with("The role is in use by 1 member(s)."),
        "{}",
        res.body
    );
    let roles = ok(owner, Method::GET, &w.path("/roles"), None).await;
    let listed = roles["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == role.as_str())
        .cloned()
        .unwrap();
    assert_eq!(listed["members"], 1);
    assert_eq!(listed["scope"], "assigned");
    assert_eq!(listed["permissions"], json!(["view_clients"]));
    ok(
        owner,
        Method::PUT,
        &w.path(&format!("/users/{}", m.puid)),
        Some(json!({ "role": "technician" })),
    )
    .await;
    ok(owner, Method::DELETE, &path, None).await;
    let roles = ok(owner, Method::GET, &w.path("/roles"), None).await;
    assert!(!ids_of(&roles["data"], "id").contains(&role));

    let res = send(
        owner,
        Method::POST,
        &w.path("/roles"),
        Some(json!({ "name": "Pilot", "permissions": ["view_clients", "fly"], "scope": "all" })),
    )
    .await;
    assert_eq!(res.status, 400, "{}", res.body);
    let catalog: Vec<&str> = Permission::ALL.iter().map(|p| p.name()).collect();
    assert_eq!(
        res.json()["validationErrors"]["permissions"][0],
        format!(
            "Unknown permission \"fly\". Choose from: {}.",
            catalog.join(", ")
        ),
        "{}",
        res.body
    );
}

/// A client without a confirmed owner of its own cannot be unlinked. An organization linked by
/// its owner (who consents with the master password) can: the provider loses access and the
/// organization keeps its owner.
async fn unlinking(_: &TestServer, _: &ManualClock, w: &World) {
    let owner = w.owner.s();
    let res = send(
        owner,
        Method::DELETE,
        &w.path(&format!("/clients/{}", w.client1.poid)),
        None,
    )
    .await;
    assert_eq!(res.status, 400, "{}", res.body);
    assert_eq!(
        message(&res),
        "Organization must have at least one confirmed owner."
    );

    // The admin links an organization of their own.
    let admin = &w.admin.account;
    let (org, key) = own_org(&admin.session, &w.pair, "Admin's company").await;
    let addable = ok(
        &admin.session,
        Method::GET,
        &w.path("/clients/addable"),
        None,
    )
    .await;
    assert!(ids_of(&addable, "id").contains(&org), "{addable}");
    let wrapped = EncString::encrypt_aes(&w.provider.key, &key.to_bytes()).to_string();
    for hash in [None, Some("bm90IHRoZSBwYXNzd29yZA==")] {
        let res = send(
            &admin.session,
            Method::POST,
            &w.path("/clients/existing"),
            Some(json!({ "organizationId": org, "key": wrapped, "masterPasswordHash": hash })),
        )
        .await;
        assert_eq!(res.status, 400, "linking without consent: {}", res.body);
    }
    let poid = w.provider.link(&admin.session, &org).await;
    let res = send(
        &admin.session,
        Method::POST,
        &w.path("/organizations/add"),
        Some(json!({ "organizationId": org, "key": wrapped, "masterPasswordHash": admin.hash })),
    )
    .await;
    assert_eq!(res.status, 400, "{}", res.body);
    assert_eq!(message(&res), "Organization already belongs to a provider.");
    w.provider.assign(owner, &poid, &[&w.tech_a.puid]).await;
    let tech = w.tech_a.s();
    let sync = tech.sync_json().await.unwrap();
    assert!(ids_of(&sync["profile"]["providerOrganizations"], "id").contains(&org));
    let found = client_key_from_sync(tech, &sync, &org).unwrap();
    assert_eq!(*found.to_bytes(), *key.to_bytes());
    ok(tech, Method::GET, &org_details(&org), None).await;
    ok(
        owner,
        Method::GET,
        &format!("/api/organizations/{org}"),
        None,
    )
    .await;

    ok(
        owner,
        Method::DELETE,
        &w.path(&format!("/organizations/{poid}")),
        None,
    )
    .await;
    let sync = tech.sync_json().await.unwrap();
    assert!(!ids_of(&sync["profile"]["providerOrganizations"], "id").contains(&org));
    for s in [tech, owner] {
        assert_eq!(status(s, Method::GET, &org_details(&org)).await, 404);
        assert_eq!(
            status(s, Method::GET, &format!("/api/organizations/{org}")).await,
            404
        );
    }
    let clients = ok(owner, Method::GET, &w.path("/clients"), None).await;
    assert!(!ids_of(&clients["data"], "id").contains(&poid));
    // The organization's own owner keeps it.
    ok(&admin.session, Method::GET, &org_details(&org), None).await;
    let events = ok(owner, Method::GET, &w.path("/events?type=1902"), None).await;
    assert_eq!(ids_of(&events["data"], "providerOrganizationId"), [poid]);
}

// ------------------------------------------------------------------ events and reports

/// A launch is logged on both sides (1903 / 1603); an action inside the client is in the
/// client's log with the provider member as the actor; the provider log filters by member,
/// client and type, and exports as CSV.
async fn events_on_both_sides(_: &TestServer, clock: &ManualClock, w: &World) {
    let tech = w.tech_a.s();
    let owner = w.owner.s();
    ok(
        tech,
        Method::POST,
        &w.path(&format!("/clients/{}/launch", w.client1.poid)),
        None,
    )
    .await;
    ok(
        w.tech_b.s(),
        Method::POST,
        &w.path(&format!("/clients/{}/launch", w.client2.poid)),
        None,
    )
    .await;
    let made = tech
        .create_collection(&w.client1.org_id, &w.client1.key, "Made by tech A", &[])
        .await
        .unwrap();
    let collection = made.collection.id.clone();
    clock.advance_secs(1);

    let launches = ok(owner, Method::GET, &w.path("/events?type=1903"), None).await;
    let launches = launches["data"].as_array().unwrap();
    assert!(launches.iter().all(|e| e["type"] == 1903));
    // As in the protocol, 1903 names the provider, the client and the acting user.
    let mine = launches
        .iter()
        .find(|e| e["actingUserId"] == tech.user_id.as_str())
        .expect("tech A's launch in the provider log");
    assert_eq!(mine["providerOrganizationId"], w.client1.poid.as_str());
    assert_eq!(mine["providerId"], w.provider.id.as_str());

    let client_log = ok(
        owner,
        Method::GET,
        &format!("/api/organizations/{}/events", w.client1.org_id),
        None,
    )
    .await;
    let client_log = client_log["data"].as_array().unwrap();
    let by_tech = |t: i64| {
        client_log
            .iter()
            .find(|e| e["type"] == t && e["actingUserId"] == tech.user_id.as_str())
    };
    let accessed = by_tech(1603).expect("1603 in the client's log");
    assert_eq!(accessed["providerId"], w.provider.id.as_str());
    let created = by_tech(1300).expect("the collection tech A made, in the client's log");
    assert_eq!(created["collectionId"], collection.as_str());
    assert_eq!(created["providerId"], w.provider.id.as_str());
    assert_eq!(created["providerUserId"], w.tech_a.puid.as_str());
    // Nothing of tech B's launch into client 2 shows up in client 1's log.
    assert!(!client_log
        .iter()
        .any(|e| e["actingUserId"] == w.tech_b.s().user_id.as_str()));

    // Filters.
    let by_member = ok(
        owner,
        Method::GET,
        &w.path(&format!("/events?member={}", w.tech_b.puid)),
        None,
    )
    .await;
    let by_member = by_member["data"].as_array().unwrap();
    assert!(!by_member.is_empty());
    assert!(by_member
        .iter()
        .all(|e| e["providerUserId"] == w.tech_b.puid.as_str()
            || e["actingUserId"] == w.tech_b.s().user_id.as_str()));
    let by_client = ok(
        owner,
        Method::GET,
        &w.path(&format!("/events?client={}", w.client2.poid)),
        None,
    )
    .await;
    let by_client = by_client["data"].as_array().unwrap();
    assert!(by_client.iter().any(|e| e["type"] == 1900));
    assert!(by_client
        .iter()
        .all(|e| e["providerOrganizationId"] == w.client2.poid.as_str()));
    let member_route = ok(
        owner,
        Method::GET,
        &w.path(&format!("/users/{}/events", w.tech_b.puid)),
        None,
    )
    .await;
    assert_eq!(
        member_route["data"].as_array().unwrap().len(),
        by_member.len(),
        "GET /users/{{id}}/events and ?member= agree"
    );
    let res = send(owner, Method::GET, &w.path("/events?type=nope"), None).await;
    assert_eq!(res.status, 400, "{}", res.body);

    // CSV: a header, then one line per event.
    let all = ok(owner, Method::GET, &w.path("/events"), None).await;
    assert!(all["continuationToken"].is_null(), "fewer than a page");
    let n = all["data"].as_array().unwrap().len();
    let csv = send(owner, Method::GET, &w.path("/events?format=csv"), None).await;
    assert_eq!(csv.status, 200);
    let lines: Vec<&str> = csv.body.lines().collect();
    assert_eq!(
        lines[0],
        "date,type,event,actingUserId,actingUserEmail,providerUserId,providerOrganizationId,organizationId"
    );
    assert_eq!(lines.len(), n + 1, "{}", csv.body);
    let csv_1903 = send(
        owner,
        Method::GET,
        &w.path("/events?type=1903&format=csv"),
        None,
    )
    .await;
    assert_eq!(csv_1903.body.lines().count(), launches.len() + 1);
    assert!(csv_1903.body.contains(&w.tech_a.s().email));
}

fn csv_rows(body: &str) -> Vec<Vec<String>> {
    body.lines()
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

/// The usage report: JSON and CSV list the same clients and the CSV's TOTAL row adds them up.
async fn usage_adds_up(_: &TestServer, _: &ManualClock, w: &World) {
    // Some variety: an invited member in client 2 and a second item in client 1.
    w.owner
        .s()
        .invite_members(&w.client2.org_id, &["someone@client-two.example"], 2, &[])
        .await
        .unwrap();
    create_client_item(w.owner.s(), &w.client1, "Second", "pw-2").await;

    let report = ok(w.owner.s(), Method::GET, &w.path("/reports/usage"), None).await;
    let rows = report["data"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    let row = |poid: &str| {
        rows.iter()
            .find(|r| r["providerOrganizationId"] == poid)
            .unwrap()
    };
    assert_eq!(row(&w.client1.poid)["items"], 2);
    assert_eq!(row(&w.client2.poid)["membersInvited"], 1);
    for r in rows {
        assert_eq!(
            r["seatsUsed"].as_i64().unwrap(),
            r["membersConfirmed"].as_i64().unwrap()
                + r["membersAccepted"].as_i64().unwrap()
                + r["membersInvited"].as_i64().unwrap()
        );
    }
    let csv = send(
        w.owner.s(),
        Method::GET,
        &w.path("/reports/usage?format=csv"),
        None,
    )
    .await;
    assert_eq!(csv.status, 200);
    let lines = csv_rows(&csv.body);
    assert_eq!(
        lines[0].join(","),
        "client,organizationId,plan,seats,seatsUsed,confirmed,accepted,invited,revoked,items,twoStepLogin,lastActivity"
    );
    assert_eq!(
        lines.len(),
        rows.len() + 2,
        "header, one line per client, TOTAL"
    );
    let total = lines.last().unwrap();
    assert_eq!(total[0], "TOTAL");
    let fields = [
        "seats",
        "seatsUsed",
        "membersConfirmed",
        "membersAccepted",
        "membersInvited",
        "membersRevoked",
        "items",
        "membersWithTwoStepLogin",
    ];
    for (i, field) in fields.iter().enumerate() {
        let json_sum: i64 = rows.iter().map(|r| r[*field].as_i64().unwrap()).sum();
        let csv_sum: i64 = lines[1..lines.len() - 1]
            .iter()
            .map(|l| l[3 + i].parse::<i64>().unwrap())
            .sum();
        let csv_total: i64 = total[3 + i].parse().unwrap();
        assert_eq!(json_sum, csv_total, "TOTAL {field}");
        assert_eq!(csv_sum, csv_total, "CSV lines add up to TOTAL {field}");
    }
    for r in rows {
        let line = lines
            .iter()
            .find(|l| l[1] == r["organizationId"].as_str().unwrap())
            .expect("every client has a CSV line");
        assert_eq!(line[0], r["name"].as_str().unwrap());
    }
}

// ------------------------------------------------------------------ scope

/// A technician and an assigned-scope role never receive anything about a client outside their
/// assignment: not in the client list, sync, events, usage or member list.
async fn unassigned_clients_never_leak(server: &TestServer, clock: &ManualClock, w: &World) {
    let role = w
        .provider
        .create_role(
            w.owner.s(),
            "Account manager",
            &[
                Permission::ViewClients,
                Permission::LaunchIntoClient,
                Permission::ViewEvents,
                Permission::ViewUsageAndBilling,
                Permission::ManageMembers,
                Permission::EditClientInfo,
            ],
            RoleScope::Assigned,
        )
        .await;
    let manager = w
        .member(
            server,
            clock,
            "manager@msp.example",
            MemberRole::Custom(role.clone()),
            &[&w.client1.poid],
        )
        .await;
    // Give client 2 some history the log could leak.
    ok(
        w.tech_b.s(),
        Method::POST,
        &w.path(&format!("/clients/{}/launch", w.client2.poid)),
        None,
    )
    .await;
    let secret = [w.client2.org_id.as_str(), w.client2.poid.as_str()];
    let paths = [
        w.path("/clients"),
        w.path("/organizations"),
        "/api/sync?excludeDomains=true".to_string(),
        w.path("/events"),
        w.path("/events?format=csv"),
        w.path(&format!("/events?client={}", w.client2.poid)),
        w.path("/reports/usage"),
        w.path("/reports/usage?format=csv"),
        w.path("/users"),
        w.path(&format!("/users/{}", w.tech_b.puid)),
        w.path(&format!("/users/{}/events", w.tech_b.puid)),
        w.path(&format!("/clients/{}", w.client2.poid)),
    ];
    for m in [&w.tech_a, &manager] {
        let s = m.s();
        for path in &paths {
            let res = send(s, Method::GET, path, None).await;
            for id in secret {
                assert!(
                    !res.body.contains(id),
                    "{} got client 2's id from {path}: {}",
                    s.email,
                    res.body
                );
            }
        }
        // Not vacuous: they do see client 1.
        let clients = ok(s, Method::GET, &w.path("/clients"), None).await;
        assert_eq!(ids_of(&clients["data"], "id"), [w.client1.poid.as_str()]);
    }
    let usage = ok(manager.s(), Method::GET, &w.path("/reports/usage"), None).await;
    assert_eq!(
        ids_of(&usage["data"], "providerOrganizationId"),
        [w.client1.poid.as_str()]
    );
    let events = ok(manager.s(), Method::GET, &w.path("/events"), None).await;
    assert!(!events["data"].as_array().unwrap().is_empty());
    let tech_b = ok(
        manager.s(),
        Method::GET,
        &w.path(&format!("/users/{}", w.tech_b.puid)),
        None,
    )
    .await;
    assert_eq!(tech_b["assignedClients"], json!([]));
}

/// Who gave whom access to which client, and when: every assignment change — from the client's
/// side ("Managed by") or the member's, and at invitation — logs one event per (member, client)
/// pair naming both, so the log filtered by either finds it.
async fn assignments_are_logged_per_pair(_: &TestServer, _: &ManualClock, w: &World) {
    let owner = w.owner.s();
    let admin = w.admin.s();
    let (c1, c2) = (&w.client1.poid, &w.client2.poid);
    ok(
        owner,
        Method::PUT,
        &w.path(&format!("/clients/{c1}/members")),
        Some(json!({ "memberIds": [w.tech_a.puid, w.tech_b.puid] })),
    )
    .await;
    ok(
        admin,
        Method::PUT,
        &w.path(&format!("/users/{}/clients", w.tech_a.puid)),
        Some(json!({ "clientIds": [c2] })),
    )
    .await;
    let events = |query: String| async move {
        ok(
            owner,
            Method::GET,
            &w.path(&format!("/events?{query}")),
            None,
        )
        .await["data"]
            .as_array()
            .unwrap()
            .clone()
    };
    let pair = |list: &[Value], t: i64, member: &str, client: &str, by: &Session| {
        list.iter()
            .filter(|e| {
                e["type"] == t
                    && e["providerUserId"] == member
                    && e["providerOrganizationId"] == client
                    && e["actingUserId"] == by.user_id.as_str()
                    && e["date"].is_string()
            })
            .count()
    };
    // Technician B was given client 1 by the owner: found by member and by client.
    for list in [
        events(format!("member={}", w.tech_b.puid)).await,
        events(format!("client={c1}")).await,
    ] {
        assert_eq!(pair(&list, 1856, &w.tech_b.puid, c1, owner), 1, "{list:?}");
    }
    // Technician A: client 1 at invitation (the owner), client 2 given and client 1 taken by the
    // admin — each pair once, from either filter.
    let by_member = events(format!("member={}", w.tech_a.puid)).await;
    assert_eq!(pair(&by_member, 1856, &w.tech_a.puid, c1, owner), 1);
    assert_eq!(pair(&by_member, 1856, &w.tech_a.puid, c2, admin), 1);
    assert_eq!(pair(&by_member, 1859, &w.tech_a.puid, c1, admin), 1);
    let by_client = events(format!("client={c2}")).await;
    assert_eq!(pair(&by_client, 1856, &w.tech_a.puid, c2, admin), 1);
    assert_eq!(
        pair(&by_client, 1856, &w.tech_b.puid, c2, owner),
        1,
        "B's invitation"
    );
    // Unchanged assignments log nothing.
    let before = events(format!("client={c2}")).await.len();
    ok(
        admin,
        Method::PUT,
        &w.path(&format!("/users/{}/clients", w.tech_a.puid)),
        Some(json!({ "clientIds": [c2] })),
    )
    .await;
    assert_eq!(events(format!("client={c2}")).await.len(), before);
}

/// The token of the invitation mail sent to `to`, the newest one.
fn mailed_token(sink: &keyfleet_testkit::SmtpSink, to: &str) -> String {
    let mail = sink.received();
    let text = mail
        .iter()
        .rev()
        .find(|m| m.to == [to])
        .map(keyfleet_testkit::ReceivedMail::decoded)
        .unwrap_or_else(|| panic!("no mail to {to}"));
    text.split("&token=")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap()
        .replace("%2E", ".")
        .replace("%2D", "-")
        .replace("%5F", "_")
}

/// When an owner or admin is added to a client a provider manages, the client's other confirmed
/// owners are told by mail (and the event is in the client's log).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_owner_or_admin_of_a_managed_client_is_announced_to_its_owners() {
    let sink = keyfleet_testkit::SmtpSink::start().await;
    let now = SystemClock.now();
    let clock = ManualClock::new(Timestamp(now.0 - now.0.rem_euclid(30_000) + 15_000));
    let moved = clock.clone();
    let server = spawn_server_with(Backend::Sqlite, |c| {
        c.clock = Some(moved);
        c.smtp = Some(sink.config());
    })
    .await;
    let owner_session = crate::support::user_via_mail(&server, &sink, "owner@msp.example").await;
    crate::provider_support::enable_totp(&owner_session, &clock).await;
    let (provider, _) =
        crate::provider_support::Provider::set_up(&server, "Mail MSP", &owner_session).await;
    let o = &owner_session;
    let pair = crate::provider_support::OrgKeyPair::generate();
    let (org, key) = own_org(o, &pair, "Managed Co").await;
    provider.link(o, &org).await;
    let join = |email: &'static str, t: i32| {
        let (org, key) = (org.clone(), key.clone());
        let server = &server;
        let sink = &sink;
        async move {
            let s = crate::support::user_via_mail(server, sink, email).await;
            let invited = o.invite_members(&org, &[email], t, &[]).await.unwrap();
            let id = invited[0].id.as_str().to_string();
            s.accept_invite(&org, &id, &mailed_token(sink, email))
                .await
                .unwrap();
            o.confirm_member(&org, &id, &key).await.unwrap();
            (s, id)
        }
    };
    let (second, _) = join("second-owner@managed.example", 0).await;
    let (_, helper) = join("helper@managed.example", 2).await;
    let mails_before = sink.received().len();
    // The second owner makes the helper an admin: the first owner hears of it.
    ok(
        &second,
        Method::PUT,
        &format!("/api/organizations/{org}/users/{helper}"),
        Some(json!({ "type": 1, "collections": [], "groups": [] })),
    )
    .await;
    let mails = sink.received();
    let notices: Vec<_> = mails[mails_before..]
        .iter()
        .filter(|m| m.decoded().contains("Subject: New admin of Managed Co"))
        .collect();
    assert_eq!(notices.len(), 1, "{mails:?}");
    assert_eq!(notices[0].to, [o.email.as_str()]);
    let text = notices[0].decoded();
    assert!(
        text.contains("helper@managed.example is now an admin")
            && text.contains("added by second-owner@managed.example"),
        "{text}"
    );
    let events = ok(
        o,
        Method::GET,
        &format!("/api/organizations/{org}/events"),
        None,
    )
    .await;
    assert!(events["data"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["type"] == 1502 && e["organizationUserId"] == helper.as_str()));
    server.stop().await;
}

// ------------------------------------------------------------------ one membership lifecycle

/// Organizations and providers run one membership lifecycle: the same refusals with the same
/// texts at each step, the same bulk answer, and tokens that do not cross tables. Stored rows are
/// read back after each refusal.
async fn one_membership_lifecycle(server: &TestServer, clock: &ManualClock, w: &World) {
    use keyfleet_domain::membership::refusal;
    let o = w.owner.s();
    let (org, org_key) = own_org(o, &w.pair, "Lifecycle Co").await;
    let x = account(server, "joiner@msp.example", TwoStep::On, clock).await;
    let xs = &x.session;
    let org_invite = o
        .invite_members(&org, &[xs.email.as_str()], 2, &[])
        .await
        .unwrap();
    let (ou, org_token) = (
        org_invite[0].id.clone(),
        org_invite[0].token.clone().unwrap(),
    );
    let (pu, provider_token) = w
        .provider
        .invite(o, &xs.email, MemberRole::Technician, &[])
        .await;
    let org_member = format!("/api/organizations/{org}/users/{ou}");
    let provider_member = w.provider.path(&format!("/users/{pu}"));
    let status_of =
        |path: String| async move { ok(o, Method::GET, &path, None).await["status"].clone() };

    // A token of one table does not accept the other's invitation, with the same text; nothing
    // changes.
    for (path, token) in [
        (format!("{org_member}/accept"), &provider_token),
        (format!("{provider_member}/accept"), &org_token),
        (format!("{org_member}/accept"), &"forged".to_string()),
    ] {
        let res = send(xs, Method::POST, &path, Some(json!({ "token": token }))).await;
        assert_eq!(res.status, 400, "{path}: {}", res.body);
        assert_eq!(message(&res), refusal::INVALID_TOKEN, "{path}");
    }
    assert_eq!(status_of(org_member.clone()).await, 0);
    assert_eq!(status_of(provider_member.clone()).await, 0);

    // Someone else holding the right token: the same refusal on both.
    let other = account(server, "other@msp.example", TwoStep::On, clock).await;
    for (path, token) in [
        (format!("{org_member}/accept"), &org_token),
        (format!("{provider_member}/accept"), &provider_token),
    ] {
        let res = send(
            &other.session,
            Method::POST,
            &path,
            Some(json!({ "token": token })),
        )
        .await;
        assert_eq!(message(&res), refusal::EMAIL_MISMATCH, "{path}");
    }

    // Confirming before acceptance: the same text, in the single and the bulk call.
    let early = send(
        o,
        Method::POST,
        &format!("{org_member}/confirm"),
        Some(json!({"key": "4.x"})),
    )
    .await;
    assert_eq!(message(&early), refusal::NOT_ACCEPTED);
    let early = send(
        o,
        Method::POST,
        &format!("{provider_member}/confirm"),
        Some(json!({"key": "4.x"})),
    )
    .await;
    assert_eq!(message(&early), refusal::NOT_ACCEPTED);

    xs.accept_invite(&org, &ou, &org_token).await.unwrap();
    w.provider.accept(xs, &pu, &provider_token).await;
    assert_eq!(status_of(org_member.clone()).await, 1);
    assert_eq!(status_of(provider_member.clone()).await, 1);
    // A link works once.
    for (path, token) in [
        (format!("{org_member}/accept"), &org_token),
        (format!("{provider_member}/accept"), &provider_token),
    ] {
        let res = send(xs, Method::POST, &path, Some(json!({ "token": token }))).await;
        assert_eq!(message(&res), refusal::ALREADY_ACCEPTED, "{path}");
    }

    // Bulk calls answer the same list: one entry per id in order, the refusal's text, or
    // "User invalid." for what the caller cannot manage (a missing id, a malformed one).
    let missing = uuid::Uuid::new_v4().to_string();
    for (base, accepted, object) in [
        (
            format!("/api/organizations/{org}/users"),
            &ou,
            "OrganizationBulkConfirmResponseModel",
        ),
        (
            w.provider.path("/users"),
            &pu,
            "providerBulkConfirmResponseModel",
        ),
    ] {
        let ids = json!({ "ids": [accepted, missing, "junk"] });
        let answer = ok(o, Method::POST, &format!("{base}/reinvite"), Some(ids)).await;
        let errors: Vec<&str> = answer["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                assert_eq!(e["object"], object);
                e["error"].as_str().unwrap()
            })
            .collect();
        assert_eq!(
            errors,
            [
                refusal::NOT_INVITED,
                refusal::USER_INVALID,
                refusal::USER_INVALID
            ],
            "{base}"
        );
        let keys = json!({ "keys": [{ "id": accepted, "key": "not a wrapped key" }] });
        let answer = ok(o, Method::POST, &format!("{base}/confirm"), Some(keys)).await;
        assert!(
            answer["data"][0]["error"].as_str().unwrap().contains("key"),
            "{base}: {answer}"
        );
        let many: Vec<String> = (0..101).map(|_| missing.clone()).collect();
        let res = send(
            o,
            Method::POST,
            &format!("{base}/reinvite"),
            Some(json!({ "ids": many })),
        )
        .await;
        assert_eq!(res.status, 400, "{base}");
        assert_eq!(
            res.json()["validationErrors"]["ids"][0],
            refusal::TOO_MANY_IDS,
            "{base}: {}",
            res.body
        );
    }
    assert_eq!(status_of(org_member.clone()).await, 1);
    assert_eq!(status_of(provider_member.clone()).await, 1);

    // Confirmed once, a second confirmation is refused alike.
    o.confirm_member(&org, &ou, &org_key).await.unwrap();
    w.provider.confirm(o, &pu).await;
    assert_eq!(status_of(org_member.clone()).await, 2);
    assert_eq!(status_of(provider_member.clone()).await, 2);
    for base in [
        format!("/api/organizations/{org}/users"),
        w.provider.path("/users"),
    ] {
        let keys = json!({ "keys": [{ "id": if base.contains("providers") { &pu } else { &ou }, "key": "4.x" }] });
        let answer = ok(o, Method::POST, &format!("{base}/confirm"), Some(keys)).await;
        assert_eq!(answer["data"][0]["error"], refusal::NOT_ACCEPTED, "{base}");
    }
}

/// What the web console needs from the server, and that it grants nothing: each member reads
/// their own rights in their profile (a custom role's exact permissions and scope); names for
/// "Managed by" go to whoever sees clients, and to nobody else; the launch step-up is checked by
/// the server (a wrong password launches nothing and logs nothing) and, once the provider
/// requires it, a launch without it is refused — a setting only the owner or an admin changes.
async fn what_the_console_needs(server: &TestServer, clock: &ManualClock, w: &World) {
    let owner = w.owner.s();
    let helpdesk_role = w
        .provider
        .create_role(
            owner,
            "Reports",
            &[Permission::ViewUsageAndBilling],
            RoleScope::Assigned,
        )
        .await;
    let reporter = w
        .member(
            server,
            clock,
            "reports@msp.example",
            MemberRole::Custom(helpdesk_role),
            &[],
        )
        .await;
    let mine = |profile: &Value| profile["providers"][0].clone();
    let p = mine(&ok(w.tech_a.s(), Method::GET, "/api/accounts/profile", None).await);
    assert_eq!(
        p["rolePermissions"],
        json!(["view_clients", "launch_into_client"])
    );
    assert_eq!(p["roleScope"], "assigned");
    let p = mine(&ok(reporter.s(), Method::GET, "/api/accounts/profile", None).await);
    assert_eq!(p["rolePermissions"], json!(["view_usage_and_billing"]));
    assert_eq!(p["roleScope"], "assigned");
    // Owners and admins too: the console takes their rights from here alone.
    for who in [owner, w.admin.s()] {
        let p = mine(&ok(who, Method::GET, "/api/accounts/profile", None).await);
        assert_eq!(p["rolePermissions"], json!(Permission::ALL));
        assert_eq!(p["roleScope"], "all");
    }

    // Names: a technician sees who manages what, and nothing more about them.
    let names = ok(w.tech_a.s(), Method::GET, &w.path("/users/names"), None).await;
    let emails = ids_of(&names["data"], "email");
    for who in [
        "owner@msp.example",
        "reports@msp.example",
        &w.tech_b.account.session.email,
    ] {
        assert!(emails.iter().any(|e| e == who), "{who} in {emails:?}");
    }
    for n in names["data"].as_array().unwrap() {
        let mut keys: Vec<&str> = n.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["email", "id", "name", "object", "userId"], "{n}");
    }
    // Someone who sees neither clients nor events gets nothing.
    let res = send(reporter.s(), Method::GET, &w.path("/users/names"), None).await;
    assert_eq!(res.status, 404, "{}", res.body);

    // The launch step-up.
    let launch = w.path(&format!("/clients/{}/launch", w.client1.poid));
    let launches = w.path("/events?type=1903");
    let events = || async {
        ok(owner, Method::GET, &launches, None).await["data"]
            .as_array()
            .map_or(0, Vec::len)
    };
    let before = events().await;
    let wrong = send(
        w.tech_a.s(),
        Method::POST,
        &launch,
        Some(json!({ "masterPasswordHash": "bm90IHRoZSBoYXNo" })),
    )
    .await;
    assert_eq!(wrong.status, 400, "{}", wrong.body);
    assert_eq!(events().await, before, "a refused step-up logs no launch");
    let right = send(
        w.tech_a.s(),
        Method::POST,
        &launch,
        Some(json!({ "masterPasswordHash": w.tech_a.account.hash })),
    )
    .await;
    assert_eq!(right.status, 200, "{}", right.body);
    assert_eq!(events().await, before + 1);
    // Without a body it still works until the provider requires the password…
    assert_eq!(status(w.tech_a.s(), Method::POST, &launch).await, 200);
    let settings = json!({ "name": "Acme MSP", "launchRequiresPassword": true });
    for outsider in [w.tech_a.s(), reporter.s()] {
        let res = send(outsider, Method::PUT, &w.path(""), Some(settings.clone())).await;
        assert_eq!(
            res.status, 404,
            "only the owner or an admin changes it: {}",
            res.body
        );
    }
    let stored = ok(owner, Method::GET, &w.path(""), None).await;
    assert_eq!(stored["launchRequiresPassword"], false);
    let changed = ok(w.admin.s(), Method::PUT, &w.path(""), Some(settings)).await;
    assert_eq!(changed["launchRequiresPassword"], true);
    assert_eq!(
        ok(owner, Method::GET, &w.path(""), None).await["launchRequiresPassword"],
        true
    );
    // …then a launch without it is refused, and one with it goes through.
    let bare = send(w.tech_a.s(), Method::POST, &launch, None).await;
    assert_eq!(bare.status, 400, "{}", bare.body);
    assert!(bare.body.contains("masterPasswordHash"), "{}", bare.body);
    let launched = w
        .tech_a
        .s()
        .launch_into_client(
            &w.provider.id,
            &w.client1.poid,
            Some(&w.tech_a.account.hash),
        )
        .await
        .unwrap();
    assert_eq!(launched.organization_id, w.client1.org_id);

    // In the launched client, the admin vault view's calls work for the technician, who reaches
    // the item through no collection of their own: a password reveal is logged, and the item's
    // collections change (collections-admin).
    let tech = w.tech_a.s();
    let org = &w.client1.org_id;
    let reveal = json!([{ "type": 1108, "cipherId": w.item, "date": "2026-01-01T00:00:00Z" }]);
    send(tech, Method::POST, "/events/collect", Some(reveal)).await;
    let logged = ok(
        owner,
        Method::GET,
        &format!("/api/organizations/{org}/events"),
        None,
    )
    .await;
    assert!(
        logged["data"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["type"] == 1108
                && e["cipherId"] == w.item.as_str()
                && e["actingUserId"] == tech.user_id.as_str()),
        "the technician's reveal is in the client's log: {logged}"
    );
    let second = tech
        .create_collection(org, &w.client1.key, "Second", &[])
        .await
        .unwrap();
    let moved = ok(
        tech,
        Method::PUT,
        &format!("/api/ciphers/{}/collections-admin", w.item),
        Some(json!({ "collectionIds": [second.collection.id] })),
    )
    .await;
    assert_eq!(
        moved["collectionIds"],
        json!([second.collection.id]),
        "{moved}"
    );
    let admin_view = ok(tech, Method::GET, &org_details(org), None).await;
    let item = admin_view["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == w.item.as_str())
        .cloned()
        .unwrap();
    assert_eq!(
        item["collectionIds"],
        json!([second.collection.id]),
        "stored: {item}"
    );
}

macro_rules! on_both_backends {
    ($($story:ident => $sqlite:ident, $postgres:ident;)*) => {$(
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $sqlite() {
            let (server, clock) = server_with_clock(Backend::Sqlite).await;
            let w = World::build(&server, &clock).await;
            $story(&server, &clock, &w).await;
            server.stop().await;
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $postgres() {
            if !backends().contains(&Backend::Postgres) {
                return;
            }
            let (server, clock) = server_with_clock(Backend::Postgres).await;
            let w = World::build(&server, &clock).await;
            $story(&server, &clock, &w).await;
            server.stop().await;
        }
    )*};
}

on_both_backends! {
    a_technician_decrypts_a_client_item => a_technician_decrypts_a_client_item_through_the_provider_key_on_sqlite, a_technician_decrypts_a_client_item_through_the_provider_key_on_postgres;
    two_step_login_is_required => provider_members_need_two_step_login_on_sqlite, provider_members_need_two_step_login_on_postgres;
    a_deleted_member_keeps_nothing => a_deleted_member_keeps_nothing_on_sqlite, a_deleted_member_keeps_nothing_on_postgres;
    suspension_applies_to_issued_tokens => suspension_applies_to_issued_tokens_on_sqlite, suspension_applies_to_issued_tokens_on_postgres;
    a_disabled_provider_lets_nobody_in => a_disabled_provider_lets_nobody_in_on_sqlite, a_disabled_provider_lets_nobody_in_on_postgres;
    ownership_transfer => ownership_moves_only_with_the_owners_password_on_sqlite, ownership_moves_only_with_the_owners_password_on_postgres;
    a_role_in_use_stays => a_custom_role_in_use_cannot_be_deleted_on_sqlite, a_custom_role_in_use_cannot_be_deleted_on_postgres;
    unlinking => unlinking_needs_an_owner_and_ends_provider_access_on_sqlite, unlinking_needs_an_owner_and_ends_provider_access_on_postgres;
    events_on_both_sides => launches_and_client_actions_are_logged_on_both_sides_on_sqlite, launches_and_client_actions_are_logged_on_both_sides_on_postgres;
    usage_adds_up => the_usage_report_adds_up_on_sqlite, the_usage_report_adds_up_on_postgres;
    unassigned_clients_never_leak => a_technician_never_receives_an_unassigned_client_on_sqlite, a_technician_never_receives_an_unassigned_client_on_postgres;
    assignments_are_logged_per_pair => assignments_are_logged_per_member_and_client_on_sqlite, assignments_are_logged_per_member_and_client_on_postgres;
    one_membership_lifecycle => orgs_and_providers_share_one_membership_lifecycle_on_sqlite, orgs_and_providers_share_one_membership_lifecycle_on_postgres;
    what_the_console_needs => the_console_learns_its_rights_and_the_server_checks_the_step_up_on_sqlite, the_console_learns_its_rights_and_the_server_checks_the_step_up_on_postgres;
}

/// Integrators fetch the contract from the server itself: no token needed, and it is the
/// document committed as docs/openapi.json (which its own test keeps in step with the code).
#[tokio::test]
async fn the_openapi_document_is_served_without_a_token() {
    let server = spawn_server_with(Backend::Sqlite, |_| {}).await;
    let r = client(&server)
        .raw(
            Method::GET,
            "/api/docs/openapi.json",
            None,
            keyfleet_client::RawBody::Empty,
        )
        .await
        .unwrap();
    assert_eq!(r.status, 200);
    let committed = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/openapi.json"),
    )
    .unwrap();
    assert_eq!(r.body, committed);
    let doc = r.json();
    assert_eq!(doc["openapi"], "3.1.0");
    assert!(doc["paths"]["/admin/providers"]["post"].is_object());
}

/// With open registration off, the people an invitation names can still create their account
/// from it — the provider's owner from the setup link, a client's employee from the
/// organization's invitation — and nobody else can: not another address with the same token,
/// not a made-up member id, not a plain registration.
#[tokio::test]
async fn invited_people_create_their_account_when_registration_is_closed() {
    use keyfleet_crypto::Kdf;
    let server = spawn_server_with(Backend::Sqlite, |c| c.disable_registration = true).await;
    let c = client(&server);
    let refused = c
        .register("walk-in@msp.example", PASSWORD, None, Kdf::default_pbkdf2())
        .await;
    assert!(refused.is_err(), "closed: {refused:?}");
    let created = c
        .admin_create_provider(
            TEST_ADMIN_TOKEN,
            "Closed MSP",
            "owner@closed.example",
            None,
            None,
        )
        .await
        .unwrap();
    assert!(created
        .setup_url
        .contains(&format!("providerUserId={}", created.owner_id)));
    let kdf = || Kdf::default_pbkdf2();
    for (email, member) in [
        ("someone@closed.example", created.owner_id.as_str()),
        ("owner@closed.example", created.provider.id.as_str()),
    ] {
        let res = c
            .register_from_invitation(email, PASSWORD, kdf(), true, member, &created.token)
            .await;
        assert!(res.is_err(), "{email} / {member}: {res:?}");
    }
    c.register_from_invitation(
        "Owner@Closed.example",
        PASSWORD,
        kdf(),
        true,
        &created.owner_id,
        &created.token,
    )
    .await
    .unwrap();
    let owner = c
        .login_password("owner@closed.example", PASSWORD)
        .await
        .unwrap();
    let pair = crate::provider_support::OrgKeyPair::generate();
    let (org, _) = own_org(&owner, &pair, "Closed Co").await;
    let invited = owner
        .invite_members(&org, &["staff@closed.example"], 2, &[])
        .await
        .unwrap();
    let token = invited[0].token.clone().unwrap();
    // An organization token is not a provider one.
    let crossed = c
        .register_from_invitation(
            "staff@closed.example",
            PASSWORD,
            kdf(),
            true,
            &invited[0].id,
            &token,
        )
        .await;
    assert!(crossed.is_err(), "{crossed:?}");
    c.register_from_invitation(
        "staff@closed.example",
        PASSWORD,
        kdf(),
        false,
        &invited[0].id,
        &token,
    )
    .await
    .unwrap();
    let staff = c
        .login_password("staff@closed.example", PASSWORD)
        .await
        .unwrap();
    staff
        .accept_invite(&org, &invited[0].id, &token)
        .await
        .unwrap();
    // Once used to create the account, the same invitation makes no second one.
    let again = c
        .register_from_invitation(
            "staff@closed.example",
            PASSWORD,
            kdf(),
            false,
            &invited[0].id,
            &token,
        )
        .await;
    assert!(again.is_err(), "{again:?}");
    server.stop().await;
}
