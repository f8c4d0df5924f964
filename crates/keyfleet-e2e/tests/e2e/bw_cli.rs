//! The official bw CLI (2026.9.0) against Keyfleet: everything a user does with a personal vault.

use crate::support::{self, PASSWORD};
use keyfleet_testkit::{backends, spawn_server, Backend, Bw, TestServer};
use serde_json::{json, Value};

fn ids_and_names(items: &Value) -> Vec<(String, String)> {
    let mut v: Vec<_> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["id"].as_str().unwrap().to_string(),
                i["name"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    v.sort_by(|a, b| a.1.cmp(&b.1));
    v
}

/// `bw get template item` with the type-specific part filled in.
fn item_from_template(bw: &Bw, name: &str, item_type: u8, part: &str, value: Value) -> Value {
    let mut item = bw.json(&["get", "template", "item"]);
    item["name"] = json!(name);
    item["type"] = json!(item_type);
    item["notes"] = json!(format!("notes of {name}"));
    for key in ["login", "secureNote", "card", "identity", "sshKey"] {
        item[key] = Value::Null;
    }
    item[part] = value;
    item
}

fn story(server: &TestServer, alice_id: &str) {
    let mut bw = Bw::new(server);
    // --- login, sync, status
    bw.login("alice@example.com", PASSWORD);
    assert_eq!(bw.run(&["sync"]).expect_ok().trim(), "Syncing complete.");
    let status = bw.json(&["status"]);
    assert_eq!(status["status"], "unlocked");
    assert_eq!(status["userEmail"], "alice@example.com");
    assert_eq!(status["userId"], alice_id);
    assert_eq!(status["serverUrl"], server.base_url);

    // --- folder
    let mut folder = bw.json(&["get", "template", "folder"]);
    folder["name"] = json!("Clients");
    let folder = bw.create("folder", &folder);
    let folder_id = folder["id"].as_str().unwrap().to_string();
    assert_eq!(bw.json(&["get", "folder", &folder_id])["name"], "Clients");

    // --- one item of each type
    let mut login = bw.json(&["get", "template", "item.login"]);
    login["username"] = json!("jdoe");
    login["password"] = json!("first-password");
    login["totp"] = json!("JBSWY3DPEHPK3PXP");
    login["uris"] = json!([{ "match": null, "uri": "https://bank.example" }]);
    let mut bank = item_from_template(&bw, "Bank", 1, "login", login);
    bank["folderId"] = json!(folder_id);
    bank["favorite"] = json!(true);
    bank["fields"] = json!([{ "name": "PIN", "value": "1234", "type": 1 }]);
    let bank = bw.create("item", &bank);
    let bank_id = bank["id"].as_str().unwrap().to_string();
    let note = item_from_template(&bw, "Note", 2, "secureNote", json!({ "type": 0 }));
    bw.create("item", &note);
    let mut card = bw.json(&["get", "template", "item.card"]);
    card["number"] = json!("4242424242424242");
    bw.create("item", &item_from_template(&bw, "Visa", 3, "card", card));
    let identity = bw.json(&["get", "template", "item.identity"]);
    bw.create(
        "item",
        &item_from_template(&bw, "Identity", 4, "identity", identity),
    );
    let ssh = json!({ "privateKey": "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----", "publicKey": "ssh-ed25519 AAAAC3 test", "keyFingerprint": "SHA256:abc" });
    bw.create(
        "item",
        &item_from_template(&bw, "Deploy key", 5, "sshKey", ssh),
    );

    // --- list, search, get
    let items = bw.json(&["list", "items"]);
    let names: Vec<String> = ids_and_names(&items).into_iter().map(|(_, n)| n).collect();
    assert_eq!(names, ["Bank", "Deploy key", "Identity", "Note", "Visa"]);
    assert_eq!(
        ids_and_names(&bw.json(&["list", "items", "--search", "visa"])).len(),
        1
    );
    assert_eq!(
        ids_and_names(&bw.json(&["list", "items", "--folderid", &folder_id])),
        [(bank_id.clone(), "Bank".to_string())]
    );
    let got = bw.json(&["get", "item", &bank_id]);
    assert_eq!(got["login"]["username"], "jdoe");
    assert_eq!(got["login"]["uris"][0]["uri"], "https://bank.example");
    assert_eq!(got["fields"][0]["value"], "1234");
    assert_eq!(got["favorite"], true);
    assert_eq!(
        bw.run(&["get", "password", &bank_id]).expect_ok(),
        "first-password"
    );
    assert_eq!(bw.run(&["get", "username", "Bank"]).expect_ok(), "jdoe");
    assert_eq!(
        bw.json(&["list", "items", "--search", "Visa"])[0]["card"]["number"],
        "4242424242424242"
    );
    assert_eq!(
        bw.json(&["list", "items", "--search", "Deploy"])[0]["sshKey"]["publicKey"],
        "ssh-ed25519 AAAAC3 test"
    );

    // --- edit: a new password lands in the history
    let mut edited = got.clone();
    edited["login"]["password"] = json!("second-password");
    edited["notes"] = json!("rotated");
    bw.edit("item", &bank_id, &edited);
    bw.run(&["sync"]).expect_ok();
    let after = bw.json(&["get", "item", &bank_id]);
    assert_eq!(after["login"]["password"], "second-password");
    assert_eq!(after["notes"], "rotated");
    assert_eq!(after["passwordHistory"][0]["password"], "first-password");

    // --- soft delete, restore, permanent delete
    let note_id = ids_and_names(&bw.json(&["list", "items"]))
        .into_iter()
        .find(|(_, name)| name == "Note")
        .unwrap()
        .0;
    bw.run(&["delete", "item", &note_id]).expect_ok();
    assert_eq!(
        ids_and_names(&bw.json(&["list", "items", "--trash"])),
        [(note_id.clone(), "Note".to_string())]
    );
    assert_eq!(bw.json(&["list", "items"]).as_array().unwrap().len(), 4);
    bw.run(&["restore", "item", &note_id]).expect_ok();
    assert!(bw
        .json(&["list", "items", "--trash"])
        .as_array()
        .unwrap()
        .is_empty());
    bw.run(&["delete", "item", &note_id, "--permanent"])
        .expect_ok();
    bw.run(&["sync"]).expect_ok();
    bw.run(&["get", "item", &note_id]).expect_err();
    assert_eq!(bw.json(&["list", "items"]).as_array().unwrap().len(), 4);

    // --- lock, wrong and right unlock, logout
    bw.run(&["lock"]).expect_ok();
    bw.forget_session();
    bw.run(&["unlock", "not the password", "--raw"])
        .expect_err();
    bw.unlock(PASSWORD);
    assert_eq!(bw.json(&["list", "items"]).as_array().unwrap().len(), 4);
    bw.run(&["logout"]).expect_ok();
    bw.forget_session();
    assert_eq!(bw.json(&["status"])["status"], "unauthenticated");
    bw.run(&["login", "alice@example.com", "wrong password", "--raw"])
        .expect_err();
}

fn api_key_story(server: &TestServer, client_id: &str, client_secret: &str) {
    let mut bw = Bw::new(server);
    bw.set_env("BW_CLIENTID", client_id);
    bw.set_env("BW_CLIENTSECRET", client_secret);
    bw.run(&["login", "--apikey"]).expect_ok();
    assert_eq!(bw.json(&["status"])["status"], "locked");
    bw.unlock(PASSWORD);
    assert_eq!(bw.json(&["list", "items"]).as_array().unwrap().len(), 4);

    let mut wrong = Bw::new(server);
    wrong.set_env("BW_CLIENTID", client_id);
    wrong.set_env("BW_CLIENTSECRET", "not-the-secret");
    wrong.run(&["login", "--apikey"]).expect_err();
}

fn stranger_sees_nothing(server: &TestServer) {
    let mut bw = Bw::new(server);
    bw.login("mallory@example.com", PASSWORD);
    assert!(bw.json(&["list", "items"]).as_array().unwrap().is_empty());
    assert_eq!(
        bw.json(&["list", "folders"]).as_array().unwrap().len(),
        1,
        "only the built-in 'No Folder'"
    );
}

async fn bw_cli_story(backend: Backend) {
    let server = spawn_server(backend).await;
    let alice = support::user(&server, "alice@example.com").await;
    let _mallory = support::user(&server, "mallory@example.com").await;
    let key = alice.api_key(PASSWORD).await.unwrap().api_key;
    let alice_id = alice.user_id.clone();
    tokio::task::block_in_place(|| {
        story(&server, &alice_id);
        api_key_story(&server, &format!("user.{alice_id}"), &key);
        stranger_sees_nothing(&server);
    });
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bw_cli_manages_a_personal_vault_on_sqlite() {
    bw_cli_story(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bw_cli_manages_a_personal_vault_on_postgres() {
    if !backends().contains(&Backend::Postgres) {
        return;
    }
    bw_cli_story(Backend::Postgres).await;
}
