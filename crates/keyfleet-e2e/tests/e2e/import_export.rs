//! Data in and out with the stock bw CLI (`bw import` in Bitwarden CSV, Bitwarden JSON with
//! folders, LastPass CSV and into an organization's collections; `bw export` personal and
//! `--organizationid`), and Keyfleet's own rules around it: who may import into or export an
//! organization, all-or-nothing imports, limits, and a launched technician's reach.

use crate::provider_support::{ok, send, World};
use crate::support::{self, PASSWORD};
use keyfleet_client::{
    org_import_request, parse_import, Access, ClientError, ImportFormat, Method, OrgCalls,
    OrgEventFilter, Session, TransferCalls,
};
use keyfleet_crypto::{EncString, SymmetricKey};
use keyfleet_testkit::{backends, spawn_server, spawn_server_with_clock, Backend, Bw, TestServer};
use serde_json::{json, Value};
use std::path::Path;

const PERSONAL_CSV: &str = "folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp\n\
Work,1,login,Webmail,,\"pin: 4321\",0,https://mail.example,alice,mail-pw,\n\
,,note,Alarm code,\"front door 1234\",,0,,,,\n";

const LASTPASS_CSV: &str = "url,username,password,totp,extra,name,grouping,fav\n\
https://router.example,admin,router-pw,,,Router,Network,0\n\
http://sn,,,,the wifi key is hunter2,Wifi,Network,0\n";

fn personal_json() -> String {
    json!({
        "encrypted": false,
        "folders": [{ "id": "6b9c5f0e-58f4-4e57-9b6a-3f0d8f4f7a11", "name": "Banking" }],
        "items": [{
            "id": "0f5d2a55-5a6b-4c5e-8c43-4e0e7c1e9c01", "organizationId": null,
            "folderId": "6b9c5f0e-58f4-4e57-9b6a-3f0d8f4f7a11", "type": 1, "reprompt": 0,
            "name": "Bank", "notes": "json notes", "favorite": false,
            "fields": [{ "name": "customer no", "value": "778", "type": 0, "linkedId": null }],
            "login": { "uris": [{ "match": null, "uri": "https://bank.example" }],
                       "username": "jdoe", "password": "bank-pw", "totp": null },
            "collectionIds": null
        }, {
            "id": "0f5d2a55-5a6b-4c5e-8c43-4e0e7c1e9c02", "organizationId": null,
            "folderId": null, "type": 3, "reprompt": 0, "name": "Visa", "notes": null,
            "favorite": false,
            "card": { "cardholderName": "J Doe", "brand": "Visa", "number": "4242424242424242",
                      "expMonth": "1", "expYear": "2030", "code": "123" },
            "collectionIds": null
        }]
    })
    .to_string()
}

const ORG_CSV: &str = "collections,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp\n\
Servers,login,Db server,,,0,ssh://db.example,root,db-pw,\n\
\"Ops,Servers\",login,Backup box,,,0,ssh://backup.example,backup,bk-pw,\n";

fn org_json(org_id: &str) -> String {
    json!({
        "encrypted": false,
        "collections": [{ "id": "3c1d1b8a-1c7e-4b8e-9f7e-1d6b3b9a0a01", "organizationId": org_id,
                          "name": "Finance", "externalId": null }],
        "items": [{
            "id": "9a4c0d6e-0b3f-4a3b-8a55-0c2b6d1e7f01", "organizationId": org_id,
            "folderId": null, "type": 1, "reprompt": 0, "name": "Payroll", "notes": null,
            "favorite": false,
            "login": { "uris": [], "username": "hr", "password": "payroll-pw", "totp": null },
            "collectionIds": ["3c1d1b8a-1c7e-4b8e-9f7e-1d6b3b9a0a01"]
        }]
    })
    .to_string()
}

fn write(dir: &Path, name: &str, content: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, content).unwrap();
    p.to_str().unwrap().to_string()
}

fn by_name<'a>(items: &'a Value, name: &str) -> &'a Value {
    items
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["name"] == name)
        .unwrap_or_else(|| panic!("no {name} in {items}"))
}

fn sorted_names(items: &Value) -> Vec<String> {
    let mut v: Vec<String> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap().to_string())
        .collect();
    v.sort();
    v
}

fn personal_story(server: &TestServer, dir: &Path) {
    let mut bw = Bw::new(server);
    bw.login("alice@example.com", PASSWORD);
    let csv = write(dir, "personal.csv", PERSONAL_CSV);
    let out = bw.run(&["import", "bitwardencsv", &csv]).expect_ok();
    assert!(out.contains("Imported"), "{out}");
    let lp = write(dir, "lastpass.csv", LASTPASS_CSV);
    bw.run(&["import", "lastpasscsv", &lp]).expect_ok();
    let js = write(dir, "personal.json", &personal_json());
    bw.run(&["import", "bitwardenjson", &js]).expect_ok();
    bw.run(&["sync"]).expect_ok();

    let items = bw.json(&["list", "items"]);
    assert_eq!(
        sorted_names(&items),
        ["Alarm code", "Bank", "Router", "Visa", "Webmail", "Wifi"]
    );
    let webmail = by_name(&items, "Webmail");
    assert_eq!(webmail["login"]["username"], "alice");
    assert_eq!(webmail["login"]["password"], "mail-pw");
    assert_eq!(webmail["login"]["uris"][0]["uri"], "https://mail.example");
    assert_eq!(webmail["fields"][0]["value"], "4321");
    assert_eq!(webmail["favorite"], true);
    assert_eq!(by_name(&items, "Alarm code")["notes"], "front door 1234");
    assert_eq!(by_name(&items, "Router")["login"]["password"], "router-pw");
    assert_eq!(by_name(&items, "Wifi")["notes"], "the wifi key is hunter2");
    assert_eq!(
        by_name(&items, "Visa")["card"]["number"],
        "4242424242424242"
    );
    let bank = by_name(&items, "Bank");
    assert_eq!(bank["login"]["password"], "bank-pw");
    assert_eq!(bank["fields"][0]["value"], "778");
    // Folders: items land in the folders their file named (LastPass groups become folders).
    let folders = bw.json(&["list", "folders"]);
    for (folder, expected) in [
        ("Work", vec!["Webmail"]),
        ("Banking", vec!["Bank"]),
        ("Network", vec!["Router", "Wifi"]),
    ] {
        let id = by_name(&folders, folder)["id"]
            .as_str()
            .unwrap()
            .to_string();
        assert_eq!(
            sorted_names(&bw.json(&["list", "items", "--folderid", &id])),
            expected,
            "{folder}"
        );
    }

    // Export: plain JSON holds every item decrypted, with its folder.
    let plain: Value =
        serde_json::from_str(&bw.run(&["export", "--format", "json", "--raw"]).expect_ok())
            .unwrap();
    assert_eq!(plain["encrypted"], false);
    assert_eq!(sorted_names(&plain["items"]).len(), 6);
    assert_eq!(
        by_name(&plain["items"], "Bank")["login"]["password"],
        "bank-pw"
    );
    let banking = by_name(&plain["folders"], "Banking")["id"].clone();
    assert_eq!(by_name(&plain["items"], "Bank")["folderId"], banking);
    // Account-encrypted JSON: every name an EncString, nothing in clear.
    let enc = bw
        .run(&["export", "--format", "encrypted_json", "--raw"])
        .expect_ok();
    assert!(
        !enc.contains("bank-pw") && !enc.contains("\"Bank\""),
        "{enc}"
    );
    let enc: Value = serde_json::from_str(&enc).unwrap();
    assert_eq!(enc["encrypted"], true);
    assert_eq!(enc["items"].as_array().unwrap().len(), 6);
    assert!(enc["items"][0]["name"].as_str().unwrap().starts_with("2."));
    // Password-protected: bob imports it with the file's password and reads the same items.
    let protected = bw
        .run(&[
            "export",
            "--format",
            "encrypted_json",
            "--password",
            "file-pass-123",
            "--raw",
        ])
        .expect_ok();
    assert!(!protected.contains("bank-pw"));
    let protected = write(dir, "protected.json", &protected);
    let pwfile = write(dir, "pw.txt", "file-pass-123\n");
    let mut bob = Bw::new(server);
    bob.login("bob@example.com", PASSWORD);
    bob.run(&[
        "import",
        "bitwardenjson",
        &protected,
        "--passwordfile",
        &pwfile,
    ])
    .expect_ok();
    bob.run(&["sync"]).expect_ok();
    let bobs = bob.json(&["list", "items"]);
    assert_eq!(sorted_names(&bobs), sorted_names(&items));
    assert_eq!(by_name(&bobs, "Webmail")["login"]["password"], "mail-pw");
}

fn org_story(server: &TestServer, dir: &Path, org_id: &str) {
    let mut bw = Bw::new(server);
    bw.login("alice@example.com", PASSWORD);
    let csv = write(dir, "org.csv", ORG_CSV);
    bw.run(&["import", "--organizationid", org_id, "bitwardencsv", &csv])
        .expect_ok();
    let js = write(dir, "org.json", &org_json(org_id));
    bw.run(&["import", "--organizationid", org_id, "bitwardenjson", &js])
        .expect_ok();
    bw.run(&["sync"]).expect_ok();
    let collections = bw.json(&["list", "org-collections", "--organizationid", org_id]);
    assert_eq!(
        sorted_names(&collections),
        ["Default", "Finance", "Ops", "Servers"]
    );
    let id_of = |n: &str| by_name(&collections, n)["id"].as_str().unwrap().to_string();
    let items = bw.json(&["list", "items", "--organizationid", org_id]);
    assert_eq!(sorted_names(&items), ["Backup box", "Db server", "Payroll"]);
    let mut backup: Vec<String> = by_name(&items, "Backup box")["collectionIds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect();
    backup.sort();
    let mut expected = vec![id_of("Ops"), id_of("Servers")];
    expected.sort();
    assert_eq!(backup, expected);
    assert_eq!(
        by_name(&items, "Db server")["collectionIds"],
        json!([id_of("Servers")])
    );
    assert_eq!(
        by_name(&items, "Payroll")["collectionIds"],
        json!([id_of("Finance")])
    );
    assert_eq!(by_name(&items, "Db server")["login"]["password"], "db-pw");
    assert_eq!(
        sorted_names(&bw.json(&["list", "items", "--collectionid", &id_of("Servers")])),
        ["Backup box", "Db server"]
    );

    // The organization export, decrypted by bw with the org key.
    let export: Value = serde_json::from_str(
        &bw.run(&[
            "export",
            "--organizationid",
            org_id,
            "--format",
            "json",
            "--raw",
        ])
        .expect_ok(),
    )
    .unwrap();
    assert_eq!(export["encrypted"], false);
    assert_eq!(
        sorted_names(&export["collections"]),
        ["Default", "Finance", "Ops", "Servers"]
    );
    assert_eq!(
        sorted_names(&export["items"]),
        ["Backup box", "Db server", "Payroll"]
    );
    let payroll = by_name(&export["items"], "Payroll");
    assert_eq!(payroll["login"]["password"], "payroll-pw");
    assert_eq!(payroll["collectionIds"], json!([id_of("Finance")]));
}

async fn bw_story(backend: Backend) {
    let server = spawn_server(backend).await;
    let alice = support::user(&server, "alice@example.com").await;
    let _bob = support::user(&server, "bob@example.com").await;
    let org = alice
        .create_org("Acme", "it@acme.example", 19, Some(5), "Default")
        .await
        .unwrap();
    let org_id = org.org.id.clone();
    let dir = tempfile::tempdir().unwrap();
    tokio::task::block_in_place(|| {
        personal_story(&server, dir.path());
        org_story(&server, dir.path(), &org_id);
    });
    // One event per imported item and per collection created; the export is logged once.
    let events = alice
        .org_events(&org_id, &OrgEventFilter::default())
        .await
        .unwrap()
        .data;
    let count = |t: i32| events.iter().filter(|e| e.event_type.code() == t).count();
    assert_eq!(count(1100), 3, "items created");
    // Default (made with the organization), then Servers, Ops and Finance by the imports.
    assert_eq!(count(1300), 4, "collections created");
    assert_eq!(count(1602), 1, "organization exported");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bw_cli_imports_and_exports_on_sqlite() {
    bw_story(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bw_cli_imports_and_exports_on_postgres() {
    if !backends().contains(&Backend::Postgres) {
        return;
    }
    bw_story(Backend::Postgres).await;
}

// ------------------------------------------------------------------ Keyfleet's own rules

fn api_status(r: Result<impl std::fmt::Debug, ClientError>) -> (u16, String) {
    match r {
        Err(ClientError::Api {
            status, message, ..
        }) => (status, message),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn lastpass(rows: usize, grouping: &str) -> String {
    let mut s = String::from("url,username,password,totp,extra,name,grouping,fav\n");
    for i in 0..rows {
        s.push_str(&format!(
            "https://h{i}.example,user{i},pw-{i},,,Item {i},{grouping},0\n"
        ));
    }
    s
}

async fn org_item_count(owner: &Session, org_id: &str) -> usize {
    ok(
        owner,
        Method::GET,
        &format!("/api/ciphers/organization-details?organizationId={org_id}"),
        None,
    )
    .await["data"]
        .as_array()
        .unwrap()
        .len()
}

async fn collection_count(owner: &Session, org_id: &str) -> usize {
    owner.org_collection_details(org_id).await.unwrap().len()
}

/// Existing collections of the org by decrypted name, as `keyfleet org import` reads them.
async fn named_collections(s: &Session, org_id: &str, key: &SymmetricKey) -> Vec<(String, String)> {
    s.org_collection_details(org_id)
        .await
        .unwrap()
        .into_iter()
        .map(|c| {
            let name = EncString::decrypt_str(&c.collection.name, key).unwrap();
            (c.collection.id, name)
        })
        .collect()
}

async fn rules_story(backend: Backend) {
    let server = spawn_server(backend).await;
    let owner = support::user(&server, "owner@acme.example").await;
    let member = support::user(&server, "member@acme.example").await;
    let stranger = support::user(&server, "stranger@example.com").await;
    let created = owner
        .create_org("Acme", "it@acme.example", 19, Some(5), "Default")
        .await
        .unwrap();
    let org_id = created.org.id.clone();
    let key = created.key;
    let existing = named_collections(&owner, &org_id, &key).await;
    let default_id = existing[0].0.clone();
    // A plain member who can edit items in Default, but manages nothing.
    let invited = owner
        .invite_members(
            &org_id,
            &["member@acme.example"],
            2,
            &[(default_id.clone(), Access::EDIT)],
        )
        .await
        .unwrap();
    let token = invited[0].token.clone().unwrap();
    member
        .accept_invite(&org_id, &invited[0].id, &token)
        .await
        .unwrap();
    owner
        .confirm_member(&org_id, &invited[0].id, &key)
        .await
        .unwrap();

    let plain = parse_import(ImportFormat::LastPassCsv, &lastpass(5, "Default")).unwrap();
    let req = org_import_request(&org_id, &key, &member.user_id, &plain, &existing);
    // Without import rights (and without managing Default): the official 400, nothing stored.
    let (status, message) = api_status(member.import_org_ciphers(&org_id, &req).await);
    assert_eq!(status, 400);
    assert!(message.contains("Not enough privileges"), "{message}");
    let (status, _) = api_status(member.org_export(&org_id).await);
    assert_eq!(status, 404);
    // Not a member at all: 404 for both.
    assert_eq!(
        api_status(stranger.import_org_ciphers(&org_id, &req).await).0,
        404
    );
    assert_eq!(api_status(stranger.org_export(&org_id).await).0, 404);
    assert_eq!(org_item_count(&owner, &org_id).await, 0);
    assert_eq!(collection_count(&owner, &org_id).await, 1);

    // One bad item among many: the whole import is refused, naming it, and nothing is stored.
    let plain = parse_import(ImportFormat::LastPassCsv, &lastpass(50, "New place")).unwrap();
    let mut bad = org_import_request(&org_id, &key, &owner.user_id, &plain, &existing);
    bad.ciphers[36].name = "Plain text name".into();
    let (status, message) = api_status(owner.import_org_ciphers(&org_id, &bad).await);
    assert_eq!(status, 400);
    assert!(message.contains("Item 37"), "{message}");
    assert_eq!(org_item_count(&owner, &org_id).await, 0);
    assert_eq!(
        collection_count(&owner, &org_id).await,
        1,
        "no collection made"
    );
    // A relationship pointing outside the import is refused too.
    let mut bad = org_import_request(&org_id, &key, &owner.user_id, &plain, &existing);
    bad.collection_relationships[0].value = 7;
    assert_eq!(
        api_status(owner.import_org_ciphers(&org_id, &bad).await).0,
        400
    );
    // The same in the personal vault: refused whole, no folder left behind.
    let mut personal = keyfleet_client::api::imports::ImportCiphersRequest {
        folders: vec![keyfleet_client::api::imports::ImportFolderRequest {
            id: None,
            name: owner.encrypt("Folder"),
        }],
        ciphers: (0..20)
            .map(|i| owner.login_item_body(&format!("p{i}"), "u", "p"))
            .collect(),
        folder_relationships: vec![keyfleet_client::api::imports::ImportRelationship {
            key: 0,
            value: 0,
        }],
    };
    personal.ciphers[19].login = Some(json!({ "username": "cleartext" }));
    let (status, message) = api_status(owner.import_ciphers(&personal).await);
    assert_eq!(status, 400);
    assert!(message.contains("Item 20"), "{message}");
    let sync = owner.sync_json().await.unwrap();
    assert_eq!(sync["folders"], json!([]));
    assert_eq!(sync["ciphers"], json!([]));
    // Too big a body: 413 with what to do.
    let huge = format!(
        "{{\"ciphers\":[],\"folders\":[],\"pad\":\"{}\"}}",
        "x".repeat(33 << 20)
    );
    let huge: serde_json::Value = serde_json::from_str(&huge).unwrap();
    // A client of its own, and a few tries: the server answers 413 without reading the body
    // and closes the connection, so a client still writing may see a broken pipe instead of the
    // answer (a race of the transport, not a missing answer: one of the tries reads it), and the
    // owner's pooled connection is not the one closed under the next call.
    let mut tries = 0;
    let r = loop {
        tries += 1;
        let sent = support::client(&server)
            .raw(
                Method::POST,
                "/api/ciphers/import",
                Some(&owner.access_token),
                keyfleet_client::RawBody::Json(huge.clone()),
            )
            .await;
        match sent {
            Ok(r) => break r,
            Err(e @ keyfleet_client::ClientError::Transport(_)) if tries < 10 => {
                eprintln!("oversized import: {e}; trying again");
            }
            Err(e) => panic!("oversized import: {e}"),
        }
    };
    assert_eq!(r.status, 413);
    assert!(r.body.contains("Split the file"), "{}", r.body);

    // Good imports: the owner's lands; the member's export is still refused.
    let good = org_import_request(&org_id, &key, &owner.user_id, &plain, &existing);
    owner.import_org_ciphers(&org_id, &good).await.unwrap();
    assert_eq!(org_item_count(&owner, &org_id).await, 50);
    assert_eq!(collection_count(&owner, &org_id).await, 2);
    assert_eq!(owner.org_export(&org_id).await.unwrap().ciphers.len(), 50);
    assert_eq!(api_status(member.org_export(&org_id).await).0, 404);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_and_export_rights_and_all_or_nothing_on_sqlite() {
    rules_story(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_and_export_rights_and_all_or_nothing_on_postgres() {
    if !backends().contains(&Backend::Postgres) {
        return;
    }
    rules_story(Backend::Postgres).await;
}

async fn technician_story(backend: Backend) {
    let (server, clock) = spawn_server_with_clock(backend).await;
    let w = World::build(&server, &clock).await;
    let (c1, c2) = (&w.client1, &w.client2);
    let tech = w.tech_a.s();
    let before = org_item_count(w.owner.s(), &c1.org_id).await;
    let existing = named_collections(tech, &c1.org_id, &c1.key).await;
    let plain = parse_import(ImportFormat::LastPassCsv, &lastpass(3, "Imported")).unwrap();
    let req = org_import_request(&c1.org_id, &c1.key, &tech.user_id, &plain, &existing);
    tech.import_org_ciphers(&c1.org_id, &req).await.unwrap();
    assert_eq!(org_item_count(w.owner.s(), &c1.org_id).await, before + 3);
    let export = tech.org_export(&c1.org_id).await.unwrap();
    assert_eq!(export.ciphers.len(), before + 3);
    let item = export
        .ciphers
        .iter()
        .find(|c| EncString::decrypt_str(&c.name, &c1.key).unwrap() == "Item 2")
        .unwrap();
    let password = item.login.as_ref().unwrap()["password"].as_str().unwrap();
    assert_eq!(EncString::decrypt_str(password, &c1.key).unwrap(), "pw-2");
    // The events carry the provider, so they show in both logs.
    let events = w
        .owner
        .s()
        .org_events(&c1.org_id, &OrgEventFilter::default())
        .await
        .unwrap()
        .data;
    assert!(events
        .iter()
        .any(|e| e.event_type.code() == 1602 && e.provider_id.is_some()));
    assert_eq!(
        events
            .iter()
            .filter(|e| e.event_type.code() == 1100 && e.provider_id.is_some())
            .count(),
        before + 3
    );

    // The unassigned client: 404, nothing stored.
    let before2 = org_item_count(w.owner.s(), &c2.org_id).await;
    let req2 = org_import_request(&c2.org_id, &c2.key, &tech.user_id, &plain, &[]);
    assert_eq!(
        api_status(tech.import_org_ciphers(&c2.org_id, &req2).await).0,
        404
    );
    assert_eq!(api_status(tech.org_export(&c2.org_id).await).0, 404);
    assert_eq!(org_item_count(w.owner.s(), &c2.org_id).await, before2);
    let _ = send;
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_launched_technician_imports_into_the_assigned_client_only_on_sqlite() {
    technician_story(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_launched_technician_imports_into_the_assigned_client_only_on_postgres() {
    if !backends().contains(&Backend::Postgres) {
        return;
    }
    technician_story(Backend::Postgres).await;
}
