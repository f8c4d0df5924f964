//! Attachments on both databases, one story each: the stock bw CLI attaches a 200 KB and a
//! 20 MB file (100 KB on PostgreSQL) to a personal item, downloads both byte for byte, deletes
//! one (its file leaves the data directory); an org item's file is downloaded by a member through
//! their collection, and a read-only member can neither add nor delete, and a personal item moved
//! into the org keeps a file the member opens; then the refusals, read back from stored state:
//! an over-limit file, storage past the user's total and an upload of the wrong length store
//! nothing; a stranger gets 404; purging an item removes its files.

use crate::support::{self, PASSWORD};
use keyfleet_client::{Access, Client, Method, RawBody, Session};
use keyfleet_testkit::{backends, encode, spawn_server_with, Backend, Bw, TestServer};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

const MIB: i64 = 1024 * 1024;
const BOUNDARY: &str = "multipart/form-data; boundary=KeyfleetTestBoundary";

pub(crate) fn random_file(dir: &Path, name: &str, len: usize) -> PathBuf {
    let path = dir.join(name);
    // xorshift: incompressible bytes, different per file.
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15 ^ (len as u64) ^ (name.len() as u64) << 32;
    let bytes: Vec<u8> = (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect();
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Files stored for an item under the data directory.
fn stored_files(server: &TestServer, item: &str) -> usize {
    let dir = server.data_dir().join("files/attachments").join(item);
    std::fs::read_dir(dir).map(|d| d.count()).unwrap_or(0)
}

pub(crate) fn attachments(item: &Value) -> Vec<Value> {
    item["attachments"].as_array().cloned().unwrap_or_default()
}

pub(crate) fn create_item(bw: &mut Bw, name: &str, org: Option<(&str, &str)>) -> String {
    let mut item = bw.json(&["get", "template", "item"]);
    item["name"] = json!(name);
    item["login"] = json!({ "username": "u", "password": "p" });
    item["notes"] = Value::Null;
    if let Some((org, collection)) = org {
        item["organizationId"] = json!(org);
        item["collectionIds"] = json!([collection]);
    }
    let created = bw.json(&["create", "item", &encode(&item)]);
    created["id"].as_str().unwrap().to_string()
}

pub(crate) fn download(bw: &Bw, name: &str, item: &str, out: &Path) -> Vec<u8> {
    bw.run(&[
        "get",
        "attachment",
        name,
        "--itemid",
        item,
        "--output",
        out.to_str().unwrap(),
    ])
    .expect_ok();
    std::fs::read(out).unwrap()
}

struct Org {
    id: String,
    collection: String,
}

fn bw_story(server: &TestServer, dir: &Path, org: &Org, big: bool) -> String {
    let mut alice = Bw::new(server);
    alice.login("alice@example.com", PASSWORD);
    let item = create_item(&mut alice, "With files", None);

    // --- a 200 KB file and a second one, attached and read back byte for byte
    let small = random_file(dir, "small.bin", 200 * 1024);
    let with_small = alice.json(&[
        "create",
        "attachment",
        "--file",
        small.to_str().unwrap(),
        "--itemid",
        &item,
    ]);
    let listed = attachments(&with_small);
    assert_eq!(listed.len(), 1, "{with_small}");
    assert_eq!(listed[0]["fileName"], "small.bin");
    let small_id = listed[0]["id"].as_str().unwrap().to_string();
    let mut names = vec!["small.bin"];
    // The second file: 20 MB, or (without `big`) 100 KB.
    let (second, len) = if big {
        ("large.bin", 20 * 1024 * 1024)
    } else {
        ("second.bin", 100 * 1024)
    };
    let second_file = random_file(dir, second, len);
    alice
        .run(&[
            "create",
            "attachment",
            "--file",
            second_file.to_str().unwrap(),
            "--itemid",
            &item,
        ])
        .expect_ok();
    names.push(second);
    alice.run(&["sync"]).expect_ok();
    let got = alice.json(&["get", "item", &item]);
    let mut seen: Vec<String> = attachments(&got)
        .iter()
        .map(|a| a["fileName"].as_str().unwrap().to_string())
        .collect();
    seen.sort();
    let mut expected: Vec<String> = names.iter().map(|s| s.to_string()).collect();
    expected.sort();
    assert_eq!(seen, expected, "{got}");
    let small_size: i64 = attachments(&got)
        .iter()
        .find(|a| a["id"] == small_id.as_str())
        .unwrap()["size"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(small_size > 200 * 1024, "the encrypted size is stored");
    for name in &names {
        let out = dir.join(format!("out-{name}"));
        assert_eq!(
            download(&alice, name, &item, &out),
            std::fs::read(dir.join(name)).unwrap(),
            "{name} comes back as it went"
        );
    }
    assert_eq!(stored_files(server, &item), names.len());

    // --- deleted: gone from the item and from the data directory
    alice
        .run(&["delete", "attachment", &small_id, "--itemid", &item])
        .expect_ok();
    alice.run(&["sync"]).expect_ok();
    let got = alice.json(&["get", "item", &item]);
    assert!(attachments(&got)
        .iter()
        .all(|a| a["id"] != small_id.as_str()));
    assert_eq!(stored_files(server, &item), names.len() - 1);

    // --- an org item's file, read by a member through their collection
    let org_item = create_item(
        &mut alice,
        "Shared runbook",
        Some((&org.id, &org.collection)),
    );
    let runbook = random_file(dir, "runbook.pdf", 50 * 1024);
    alice
        .run(&[
            "create",
            "attachment",
            "--file",
            runbook.to_str().unwrap(),
            "--itemid",
            &org_item,
        ])
        .expect_ok();
    let mut carol = Bw::new(server);
    carol.login("carol@example.com", PASSWORD);
    assert_eq!(
        download(&carol, "runbook.pdf", &org_item, &dir.join("carol-runbook")),
        std::fs::read(&runbook).unwrap()
    );
    // Carol only reads the collection: she can neither add nor delete.
    let refused = carol
        .run(&[
            "create",
            "attachment",
            "--file",
            small.to_str().unwrap(),
            "--itemid",
            &org_item,
        ])
        .expect_err();
    assert!(refused.contains("permission"), "{refused}");
    let runbook_id = attachments(&carol.json(&["get", "item", &org_item]))[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    carol
        .run(&["delete", "attachment", &runbook_id, "--itemid", &org_item])
        .expect_err();
    alice.run(&["sync"]).expect_ok();
    assert_eq!(
        attachments(&alice.json(&["get", "item", &org_item])).len(),
        1,
        "nothing added or removed by a reader"
    );
    assert_eq!(stored_files(server, &org_item), 1);

    // --- a personal item with a file moves into the org (`bw move` re-wraps the file's key
    // with the org key, in the same write): a member reads the file
    let moved = create_item(&mut alice, "Moved doc", None);
    let doc = random_file(dir, "moved.txt", 30 * 1024);
    alice
        .run(&[
            "create",
            "attachment",
            "--file",
            doc.to_str().unwrap(),
            "--itemid",
            &moved,
        ])
        .expect_ok();
    alice
        .run(&["move", &moved, &org.id, &encode(&json!([org.collection]))])
        .expect_ok();
    carol.run(&["sync"]).expect_ok();
    assert_eq!(
        download(&carol, "moved.txt", &moved, &dir.join("carol-moved")),
        std::fs::read(&doc).unwrap(),
        "the moved item's file opens with the org key"
    );

    // --- a purged item takes its files along
    alice
        .run(&["delete", "item", &org_item, "--permanent"])
        .expect_ok();
    assert_eq!(stored_files(server, &org_item), 0);
    item
}

/// A multipart body with the file as part `data`, as the clients send it.
fn multipart(data: &[u8]) -> Vec<u8> {
    let mut body = b"--KeyfleetTestBoundary\r\nContent-Disposition: form-data; name=\"data\"; \
        filename=\"x\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        .to_vec();
    body.extend_from_slice(data);
    body.extend_from_slice(b"\r\n--KeyfleetTestBoundary--\r\n");
    body
}

fn enc(tag: u8) -> String {
    use base64::Engine;
    let b = |n: usize| base64::engine::general_purpose::STANDARD.encode(vec![tag; n]);
    format!("2.{}|{}|{}", b(16), b(32), b(32))
}

async fn announce(c: &Client, s: &Session, item: &str, size: i64) -> (u16, Value) {
    let r = c
        .raw(
            Method::POST,
            &format!("/api/ciphers/{item}/attachment/v2"),
            Some(&s.access_token),
            RawBody::Json(json!({
                "key": enc(1), "fileName": enc(2), "fileSize": size, "adminRequest": false
            })),
        )
        .await
        .unwrap();
    (
        r.status,
        serde_json::from_str(&r.body).unwrap_or(Value::Null),
    )
}

async fn item_attachments(s: &Session, item: &str) -> Vec<Value> {
    let v: Value = s
        .call(Method::GET, &format!("/api/ciphers/{item}"), None)
        .await
        .unwrap();
    attachments(&v)
}

/// An item's update carries new names and keys for its attachments (`attachments2`, as the
/// clients send them when they re-encrypt): its answer shows them as a read afterwards does,
/// renamed.
async fn an_update_renames_attachments(s: &Session, item: &str) {
    let current: Value = s
        .call(Method::GET, &format!("/api/ciphers/{item}"), None)
        .await
        .unwrap();
    let renamed = attachments(&current)[0]["id"].as_str().unwrap().to_string();
    let mut body = current.clone();
    body["attachments2"] = json!({ &renamed: { "fileName": enc(7), "key": enc(8) } });
    body["lastKnownRevisionDate"] = current["revisionDate"].clone();
    let updated: Value = s
        .call(Method::PUT, &format!("/api/ciphers/{item}"), Some(body))
        .await
        .unwrap();
    // The links carry a token of their own each time: the rest must be the same.
    let unlinked = |list: Vec<Value>| -> Vec<Value> {
        list.into_iter()
            .map(|mut a| {
                a["url"] = Value::Null;
                a
            })
            .collect()
    };
    let answered = unlinked(attachments(&updated));
    assert_eq!(answered, unlinked(item_attachments(s, item).await));
    assert_eq!(answered.len(), attachments(&current).len());
    let first = answered
        .iter()
        .find(|a| a["id"] == renamed.as_str())
        .unwrap();
    assert_eq!(first["fileName"], enc(7));
    assert_eq!(first["key"], enc(8));
}

/// Keyfleet's refusals, each read back from what is stored.
async fn refusals(server: &TestServer, alice: &Session, mallory: &Session, item: &str) {
    let c = support::client(server);
    let before = item_attachments(alice, item).await;
    let files_before = stored_files(server, item);

    // Over the per-file limit (lowered to 25 MiB for this server).
    let (status, body) = announce(&c, alice, item, 26 * MIB).await;
    assert_eq!(status, 400, "{body}");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("Max file size is 25 MB"),
        "{body}"
    );
    // Past the user's total (30 MiB here and the 20 MB file is stored, or 12 MiB without it).
    let (status, body) = announce(&c, alice, item, 12 * MIB).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["message"], "Not enough storage available.");

    // Announced 1,000 bytes, sent 999: refused, nothing stored, the announcement is gone.
    let (status, body) = announce(&c, alice, item, 1000).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["object"], "attachment-fileUpload");
    assert_eq!(body["fileUploadType"], 0);
    let pending = body["attachmentId"].as_str().unwrap().to_string();
    // Not uploaded yet: not downloadable, not shown.
    let r = alice
        .call::<Value>(
            Method::GET,
            &format!("/api/ciphers/{item}/attachment/{pending}"),
            None,
        )
        .await;
    assert_eq!(r.unwrap_err().status(), Some(404));
    assert_eq!(item_attachments(alice, item).await.len(), before.len());
    let upload = |data: Vec<u8>, who: &Session| {
        let client = support::client(server);
        let token = who.access_token.clone();
        let path = format!("/api/ciphers/{item}/attachment/{pending}");
        async move {
            client
                .raw(
                    Method::POST,
                    &path,
                    Some(&token),
                    RawBody::Bytes(multipart(&data), BOUNDARY),
                )
                .await
                .unwrap()
        }
    };
    // A stranger cannot upload into it.
    assert_eq!(upload(vec![7; 1000], mallory).await.status, 404);
    let r = upload(vec![7; 999], alice).await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(
        r.body.contains("does not match expected file length"),
        "{}",
        r.body
    );
    assert_eq!(
        upload(vec![7; 1000], alice).await.status,
        404,
        "the announcement went"
    );
    assert_eq!(item_attachments(alice, item).await.len(), before.len());
    assert_eq!(stored_files(server, item), files_before);

    // A stranger neither reads nor deletes the stored ones.
    let stored = before[0]["id"].as_str().unwrap();
    for method in [Method::GET, Method::DELETE] {
        let r = mallory
            .call::<Value>(
                method,
                &format!("/api/ciphers/{item}/attachment/{stored}"),
                None,
            )
            .await;
        assert_eq!(r.unwrap_err().status(), Some(404));
    }
    // The download link works without a bearer token, and only with its token.
    let got: Value = alice
        .call(
            Method::GET,
            &format!("/api/ciphers/{item}/attachment/{stored}"),
            None,
        )
        .await
        .unwrap();
    assert_eq!(got["object"], "attachment");
    let url = got["url"].as_str().unwrap();
    let path = &url[url.find("/api/").unwrap()..];
    let anonymous = support::client(server);
    let r = anonymous
        .raw(Method::GET, path, None, RawBody::Empty)
        .await
        .unwrap();
    assert_eq!(r.status, 200);
    let r = anonymous
        .raw(
            Method::GET,
            "/api/ciphers/attachment/download?token=forged",
            None,
            RawBody::Empty,
        )
        .await
        .unwrap();
    assert_eq!(r.status, 404);
    assert_eq!(item_attachments(alice, item).await.len(), before.len());
    assert_eq!(stored_files(server, item), files_before);
}

/// `big`: also a 20 MB file (20 MB more for bw to encrypt and decrypt: SQLite only, to keep CI
/// short); without it the user's total is lowered so that the refusals still reach it.
async fn story(backend: Backend, big: bool) {
    let server = spawn_server_with(backend, |c| {
        c.limits.max_attachment_bytes = 25 * MIB;
        c.limits.attachment_storage_per_user = if big { 30 * MIB } else { 12 * MIB };
    })
    .await;
    let alice = support::user(&server, "alice@example.com").await;
    let carol = support::user(&server, "carol@example.com").await;
    let mallory = support::user(&server, "mallory@example.com").await;
    let created = alice
        .create_org("Acme", "it@acme.example", 17, Some(5), "General")
        .await
        .unwrap();
    let org_id = created.org.id.clone();
    let collections: Value = alice
        .call(
            Method::GET,
            &format!("/api/organizations/{org_id}/collections"),
            None,
        )
        .await
        .unwrap();
    let collection = collections["data"][0]["id"].as_str().unwrap().to_string();
    let invite = alice
        .invite_members(
            &org_id,
            &["carol@example.com"],
            2,
            &[(collection.clone(), Access::READ_ONLY)],
        )
        .await
        .unwrap();
    let member = invite[0].id.as_str().to_string();
    carol
        .accept_invite(&org_id, &member, invite[0].token.as_deref().unwrap())
        .await
        .unwrap();
    let key = alice.org_key(&org_id).await.unwrap();
    alice.confirm_member(&org_id, &member, &key).await.unwrap();
    let org = Org {
        id: org_id,
        collection,
    };
    let dir = tempfile::tempdir().unwrap();
    let item = tokio::task::block_in_place(|| bw_story(&server, dir.path(), &org, big));
    refusals(&server, &alice, &mallory, &item).await;
    an_update_renames_attachments(&alice, &item).await;
    // Purging the personal item removes its remaining files.
    alice
        .call::<Value>(Method::DELETE, &format!("/api/ciphers/{item}"), None)
        .await
        .unwrap();
    assert_eq!(stored_files(&server, &item), 0);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn attachments_work_with_the_bw_cli_and_keep_their_limits_on_sqlite() {
    story(Backend::Sqlite, true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn attachments_work_with_the_bw_cli_and_keep_their_limits_on_postgres() {
    if !backends().contains(&Backend::Postgres) {
        return;
    }
    story(Backend::Postgres, false).await;
}
