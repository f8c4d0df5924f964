//! Organizations end to end: an owner sets one up with keyfleet-client, invites two members who
//! accept and are confirmed (one by the stock bw CLI), and each member's bw CLI sees exactly the
//! collections granted to them — editing where they may, refused where they may not.

use crate::support::{self, PASSWORD};
use keyfleet_client::api::org_responses::OrganizationUserInviteResponse;
use keyfleet_client::{Access, Session};
use keyfleet_crypto::SymmetricKey;
use keyfleet_testkit::{backends, encode, spawn_server, Backend, Bw, TestServer};
use serde_json::{json, Value};

/// What the Rust-client part of the story set up.
struct Fixture {
    org_id: String,
    general: String,
    finance: String,
    carol_member: String,
    org_key: SymmetricKey,
}

fn names(items: &Value) -> Vec<String> {
    let mut v: Vec<String> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap().to_string())
        .collect();
    v.sort();
    v
}

fn invite_token(invites: &[OrganizationUserInviteResponse]) -> (String, String) {
    let first = &invites[0];
    (first.id.clone(), first.token.clone().unwrap())
}

async fn set_up(alice: &Session, bob: &Session, carol: &Session) -> Fixture {
    let created = alice
        .create_org("Acme Corp", "billing@acme.example", 17, Some(5), "General")
        .await
        .unwrap();
    let org_id = created.org.id.clone();
    assert_eq!(created.org.seats, 5);
    let org_key = alice.org_key(&org_id).await.unwrap();
    let collections: Value = alice
        .call(
            keyfleet_client::Method::GET,
            &format!("/api/organizations/{org_id}/collections"),
            None,
        )
        .await
        .unwrap();
    let general = collections["data"][0]["id"].as_str().unwrap().to_string();
    let finance = alice
        .create_collection(&org_id, &org_key, "Finance", &[])
        .await
        .unwrap()
        .collection
        .id;

    // Bob may edit Finance; Carol may only read General.
    let invite = alice
        .invite_members(
            &org_id,
            &["bob@example.com"],
            2,
            &[(finance.clone(), Access::MANAGE)],
        )
        .await
        .unwrap();
    let (bob_member, token) = invite_token(&invite);
    bob.accept_invite(&org_id, &bob_member, &token)
        .await
        .unwrap();
    // An invitation is good once.
    assert!(bob
        .accept_invite(&org_id, &bob_member, &token)
        .await
        .is_err());
    let invite = alice
        .invite_members(
            &org_id,
            &["carol@example.com"],
            2,
            &[(general.clone(), Access::READ_ONLY)],
        )
        .await
        .unwrap();
    let (carol_member, token) = invite_token(&invite);
    // Someone else cannot use Carol's link.
    assert!(bob
        .accept_invite(&org_id, &carol_member, &token)
        .await
        .is_err());
    carol
        .accept_invite(&org_id, &carol_member, &token)
        .await
        .unwrap();
    alice
        .confirm_member(&org_id, &bob_member, &org_key)
        .await
        .unwrap();

    alice
        .create_org_login(
            &org_id,
            &org_key,
            &[&finance],
            "Bank",
            "treasurer",
            "s3cret-bank",
        )
        .await
        .unwrap();
    alice
        .create_org_login(
            &org_id,
            &org_key,
            &[&general],
            "Wifi",
            "guest",
            "s3cret-wifi",
        )
        .await
        .unwrap();
    Fixture {
        org_id,
        general,
        finance,
        carol_member,
        org_key,
    }
}

fn owner_story(server: &TestServer, f: &Fixture) {
    let mut bw = Bw::new(server);
    bw.login("alice@example.com", PASSWORD);
    let orgs = bw.json(&["list", "organizations"]);
    assert_eq!(orgs[0]["id"], f.org_id.as_str());
    assert_eq!(orgs[0]["name"], "Acme Corp");
    assert_eq!(
        names(&bw.json(&["list", "collections"])),
        ["Finance", "General"]
    );
    assert_eq!(
        names(&bw.json(&["list", "org-collections", "--organizationid", &f.org_id])),
        ["Finance", "General"]
    );
    assert_eq!(names(&bw.json(&["list", "items"])), ["Bank", "Wifi"]);

    // A collection made with the bw CLI.
    let mut collection = bw.json(&["get", "template", "org-collection"]);
    collection["organizationId"] = json!(f.org_id);
    collection["name"] = json!("Ops");
    collection["groups"] = json!([]);
    collection["users"] = json!([]);
    let ops = bw.json(&[
        "create",
        "org-collection",
        &encode(&collection),
        "--organizationid",
        &f.org_id,
    ]);
    assert_eq!(ops["name"], "Ops");
    let ops_id = ops["id"].as_str().unwrap().to_string();

    // An item created straight into a collection, and a personal one moved into the org.
    let mut item = bw.json(&["get", "template", "item"]);
    let mut login = bw.json(&["get", "template", "item.login"]);
    login["username"] = json!("root");
    login["password"] = json!("ops-password");
    item["name"] = json!("Server");
    item["type"] = json!(1);
    item["login"] = login;
    item["organizationId"] = json!(f.org_id);
    item["collectionIds"] = json!([ops_id]);
    item["notes"] = Value::Null;
    let server_item = bw.create("item", &item);
    assert_eq!(server_item["organizationId"], f.org_id.as_str());
    let mut note = bw.json(&["get", "template", "item"]);
    note["name"] = json!("Runbook");
    note["type"] = json!(2);
    note["secureNote"] = json!({ "type": 0 });
    note["login"] = Value::Null;
    note["notes"] = json!("restart the thing");
    let note = bw.create("item", &note);
    let note_id = note["id"].as_str().unwrap().to_string();
    bw.run(&["move", &note_id, &f.org_id, &encode(&json!([f.general]))])
        .expect_ok();
    bw.run(&["sync"]).expect_ok();
    let moved = bw.json(&["get", "item", &note_id]);
    assert_eq!(moved["organizationId"], f.org_id.as_str());
    assert_eq!(moved["notes"], "restart the thing");

    // Members, and Carol confirmed with the stock CLI.
    let members = bw.json(&["list", "org-members", "--organizationid", &f.org_id]);
    let emails: Vec<&str> = members
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["email"].as_str().unwrap())
        .collect();
    assert_eq!(emails.len(), 3, "{members}");
    assert!(emails.contains(&"carol@example.com"));
    bw.run(&[
        "confirm",
        "org-member",
        &f.carol_member,
        "--organizationid",
        &f.org_id,
    ])
    .expect_ok();
    let members = bw.json(&["list", "org-members", "--organizationid", &f.org_id]);
    let carol = members
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["email"] == "carol@example.com")
        .unwrap();
    assert_eq!(carol["status"], 2, "confirmed");
}

fn bob_story(server: &TestServer, f: &Fixture) {
    let mut bw = Bw::new(server);
    bw.login("bob@example.com", PASSWORD);
    assert_eq!(names(&bw.json(&["list", "collections"])), ["Finance"]);
    let items = bw.json(&["list", "items"]);
    assert_eq!(names(&items), ["Bank"]);
    let bank = items[0].clone();
    assert_eq!(bank["login"]["password"], "s3cret-bank");
    let mut edited = bank.clone();
    edited["login"]["password"] = json!("rotated-by-bob");
    let saved = bw.edit("item", bank["id"].as_str().unwrap(), &edited);
    assert_eq!(saved["login"]["password"], "rotated-by-bob");
    // Nothing of General, where Bob has no access, by id either.
    assert!(bw
        .json(&["list", "items", "--collectionid", &f.general])
        .as_array()
        .unwrap()
        .is_empty());
}

fn carol_story(server: &TestServer, f: &Fixture) {
    let mut bw = Bw::new(server);
    bw.login("carol@example.com", PASSWORD);
    assert_eq!(names(&bw.json(&["list", "collections"])), ["General"]);
    let items = bw.json(&["list", "items"]);
    assert_eq!(names(&items), ["Runbook", "Wifi"]);
    let wifi = items
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["name"] == "Wifi")
        .unwrap()
        .clone();
    assert_eq!(wifi["organizationId"], f.org_id.as_str());
    let mut edited = wifi.clone();
    edited["login"]["password"] = json!("carol-was-here");
    let encoded = encode(&edited);
    bw.run(&["edit", "item", wifi["id"].as_str().unwrap(), &encoded])
        .expect_err();
    bw.run(&["sync"]).expect_ok();
    assert_eq!(
        bw.json(&["get", "item", wifi["id"].as_str().unwrap()])["login"]["password"],
        "s3cret-wifi"
    );
}

fn stranger_story(server: &TestServer) {
    let mut bw = Bw::new(server);
    bw.login("mallory@example.com", PASSWORD);
    assert_eq!(names(&bw.json(&["list", "organizations"])), ["Mallory Inc"]);
    assert!(bw.json(&["list", "items"]).as_array().unwrap().is_empty());
    assert!(bw.json(&["list", "collections"]).as_array().unwrap().len() == 1);
}

async fn org_story(backend: Backend) {
    let server = spawn_server(backend).await;
    let alice = support::user(&server, "alice@example.com").await;
    let bob = support::user(&server, "bob@example.com").await;
    let carol = support::user(&server, "carol@example.com").await;
    let mallory = support::user(&server, "mallory@example.com").await;
    mallory
        .create_org("Mallory Inc", "m@example.com", 0, None, "Loot")
        .await
        .unwrap();
    let f = set_up(&alice, &bob, &carol).await;
    tokio::task::block_in_place(|| {
        owner_story(&server, &f);
        bob_story(&server, &f);
        carol_story(&server, &f);
        stranger_story(&server);
    });
    // The item Bob edited decrypts for the owner with the same org key.
    let sync = alice.sync_json().await.unwrap();
    let bank = sync["ciphers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["collectionIds"][0] == f.finance.as_str())
        .unwrap();
    let password = keyfleet_crypto::EncString::decrypt_str(
        bank["login"]["password"].as_str().unwrap(),
        &f.org_key,
    )
    .unwrap();
    assert_eq!(password, "rotated-by-bob");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn members_see_exactly_their_collections_in_the_bw_cli_on_sqlite() {
    org_story(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn members_see_exactly_their_collections_in_the_bw_cli_on_postgres() {
    if !backends().contains(&Backend::Postgres) {
        return;
    }
    org_story(Backend::Postgres).await;
}

/// The collections of a sync, by id: `(readOnly, hidePasswords, manage)`.
fn collections_of(sync: &Value) -> std::collections::BTreeMap<String, (bool, bool, bool)> {
    sync["collections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let flag = |k: &str| c[k].as_bool().unwrap();
            (
                c["id"].as_str().unwrap().to_string(),
                (flag("readOnly"), flag("hidePasswords"), flag("manage")),
            )
        })
        .collect()
}

/// The org items of a sync, by id: `(collection ids sorted, edit, viewPassword)`.
fn reach_of(sync: &Value) -> std::collections::BTreeMap<String, (Vec<String>, bool, bool)> {
    sync["ciphers"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| !c["organizationId"].is_null())
        .map(|c| {
            let mut collections: Vec<String> = c["collectionIds"]
                .as_array()
                .unwrap()
                .iter()
                .map(|id| id.as_str().unwrap().to_string())
                .collect();
            collections.sort();
            (
                c["id"].as_str().unwrap().to_string(),
                (
                    collections,
                    c["edit"].as_bool().unwrap(),
                    c["viewPassword"].as_bool().unwrap(),
                ),
            )
        })
        .collect()
}

/// A member reaches the same collections directly and through groups: each item comes once,
/// with each of its reachable collections listed once and the widest right of any path (a
/// read-only, hidden grant does not narrow an editing one); the sync's collections likewise. An
/// admin who is also granted a collection directly sees every item and collection once, with
/// every right.
async fn rights_through_several_grants(backend: Backend) {
    use crate::provider_support::ok;
    use keyfleet_client::Method;
    let server = spawn_server(backend).await;
    let alice = support::user(&server, "alice@example.com").await;
    let bob = support::user(&server, "bob@example.com").await;
    let carol = support::user(&server, "carol@example.com").await;
    let created = alice
        .create_org("Acme Corp", "billing@acme.example", 17, Some(5), "General")
        .await
        .unwrap();
    let (org, key) = (created.org.id, created.key);
    let path = format!("/api/organizations/{org}/collections");
    let listed = ok(&alice, Method::GET, &path, None).await;
    let general = listed["data"][0]["id"].as_str().unwrap().to_string();
    let mut made = Vec::new();
    for name in ["Finance", "Ops"] {
        let c = alice
            .create_collection(&org, &key, name, &[])
            .await
            .unwrap();
        made.push(c.collection.id);
    }
    let [finance, ops] = <[String; 2]>::try_from(made).unwrap();
    let hidden = Access {
        read_only: true,
        hide_passwords: true,
        manage: false,
    };
    let direct = [(general.clone(), hidden), (ops.clone(), Access::READ_ONLY)];
    let bob_member = support::join_org(&alice, &org, &key, &bob, 2, &direct).await;
    support::join_org(&alice, &org, &key, &carol, 1, &[(finance.clone(), hidden)]).await;
    let path = format!("/api/organizations/{org}/groups");
    for (name, grant) in [
        ("Editors", Access::EDIT.selection(&general)),
        ("Finance readers", hidden.selection(&finance)),
        ("Ops readers", Access::READ_ONLY.selection(&ops)),
    ] {
        let body = json!({ "name": name, "collections": [grant], "users": [bob_member] });
        ok(&alice, Method::POST, &path, Some(body)).await;
    }

    let mut ids = std::collections::BTreeMap::new();
    for (name, collections) in [
        ("Wifi", vec![&general]),
        ("Bank", vec![&general, &finance]),
        ("Runbook", vec![&ops]),
        ("Payroll", vec![&finance]),
        ("Unfiled", vec![]),
    ] {
        let collections: Vec<&str> = collections.iter().map(|c| c.as_str()).collect();
        let item = alice
            .create_org_login(&org, &key, &collections, name, "u", "p")
            .await
            .unwrap();
        ids.insert(name, item.id);
    }
    let entry = |name: &str, collections: &[&String], edit: bool, view: bool| {
        let mut collections: Vec<String> = collections.iter().map(|c| c.to_string()).collect();
        collections.sort();
        (ids[name].clone(), (collections, edit, view))
    };

    // Bob: Wifi through a hidden read-only grant and an editing group (edits, sees the
    // password); Bank as well, with Finance (hidden) beside it; Runbook read-only twice; Payroll
    // hidden only; the item in no collection not at all.
    let want: std::collections::BTreeMap<_, _> = [
        entry("Wifi", &[&general], true, true),
        entry("Bank", &[&general, &finance], true, true),
        entry("Runbook", &[&ops], false, true),
        entry("Payroll", &[&finance], false, false),
    ]
    .into_iter()
    .collect();
    let bob_sync = bob.sync_json().await.unwrap();
    assert_eq!(
        reach_of(&bob_sync),
        want,
        "bob's items, collections and rights"
    );
    // His collections, each once, with the widest grant reaching it.
    let want: std::collections::BTreeMap<_, _> = [
        (general.clone(), (false, false, false)),
        (finance.clone(), (true, true, false)),
        (ops.clone(), (true, false, false)),
    ]
    .into_iter()
    .collect();
    assert_eq!(collections_of(&bob_sync), want, "bob's collections");

    // Carol administers the organization and is granted Finance hidden: every item, its
    // collections once, every right.
    let want: std::collections::BTreeMap<_, _> = [
        entry("Wifi", &[&general], true, true),
        entry("Bank", &[&general, &finance], true, true),
        entry("Runbook", &[&ops], true, true),
        entry("Payroll", &[&finance], true, true),
        entry("Unfiled", &[], true, true),
    ]
    .into_iter()
    .collect();
    let carol_sync = carol.sync_json().await.unwrap();
    assert_eq!(
        reach_of(&carol_sync),
        want,
        "carol's items, collections and rights"
    );
    let want: std::collections::BTreeMap<_, _> = [&general, &finance, &ops]
        .into_iter()
        .map(|c| (c.clone(), (false, false, true)))
        .collect();
    assert_eq!(collections_of(&carol_sync), want, "carol's collections");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rights_through_several_grants_are_the_widest_on_sqlite() {
    rights_through_several_grants(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rights_through_several_grants_are_the_widest_on_postgres() {
    if !backends().contains(&Backend::Postgres) {
        return;
    }
    rights_through_several_grants(Backend::Postgres).await;
}
