//! Send on both databases: the stock bw CLI creates, lists, edits and deletes text Sends and an
//! anonymous bw (not logged in) receives them — password, access limit, disabled, deletion date;
//! then Keyfleet's own rules through the Rust client: strangers get 404, the Disable Send and
//! Send options policies, limits, the legacy access call and the `send_access` grant.

use crate::support::{self, client, PASSWORD};
use keyfleet_client::{ClientError, Method, RawBody, Session};
use keyfleet_domain::{Clock, ManualClock};
use keyfleet_testkit::{
    backends, encode, spawn_server_with, spawn_server_with_clock, Backend, Bw, TestServer,
};
use serde_json::{json, Value};

/// A well-formed type-2 EncString (the server cannot tell it from real ciphertext).
fn enc(tag: u8) -> String {
    use base64::Engine;
    let b = |n: usize| base64::engine::general_purpose::STANDARD.encode(vec![tag; n]);
    format!("2.{}|{}|{}", b(16), b(32), b(32))
}

fn status(e: &ClientError) -> u16 {
    match e {
        ClientError::Api { status, .. } => *status,
        other => panic!("expected an API error, got {other:?}"),
    }
}

fn access_url(send: &Value) -> String {
    send["accessUrl"].as_str().unwrap().to_string()
}

fn bw_story(server: &TestServer, clock: &ManualClock) -> Bw {
    let mut alice = Bw::new(server);
    alice.login("alice@example.com", PASSWORD);
    // Each access by someone new: the CLI caches a Send access token per Send for its five
    // minutes (as it does against the official server), so a second `bw receive` from the same
    // profile would skip the password check this story is about. A stranger is a copy of a
    // profile that is only configured, which saves a `bw config server` run per access.
    let blank = Bw::new(server);
    let stranger = || blank.copy_profile();
    let day = 86_400;

    // --- the quick form, received by someone with no account
    let quick = alice.json(&["send", "-n", "Quick", "hello there"]);
    assert_eq!(quick["name"], "Quick");
    let quick_id = quick["id"].as_str().unwrap().to_string();
    assert_eq!(
        stranger()
            .run(&["receive", &access_url(&quick)])
            .expect_ok(),
        "hello there"
    );

    // --- every option, from the template
    let mut template = alice.json(&["send", "template", "send.text"]);
    template["name"] = json!("Protected");
    template["notes"] = json!("for the auditor");
    template["text"] = json!({ "text": "s3cret text", "hidden": true });
    template["password"] = json!("pw-123");
    template["maxAccessCount"] = json!(3);
    template["hideEmail"] = json!(true);
    template["expirationDate"] = json!(clock.now().plus_secs(2 * day).to_iso());
    template["deletionDate"] = json!(clock.now().plus_secs(3 * day).to_iso());
    let protected = alice.json(&["send", "create", &encode(&template)]);
    let protected_id = protected["id"].as_str().unwrap().to_string();
    assert_eq!(protected["maxAccessCount"], 3);
    assert_eq!(protected["passwordSet"], true, "{protected}");
    assert_eq!(protected["hideEmail"], true);
    let url = access_url(&protected);
    let refused = stranger().run(&["receive", &url]).expect_err();
    assert!(refused.contains("Password required"), "{refused}");
    let refused = stranger()
        .run(&["receive", &url, "--password", "wrong"])
        .expect_err();
    assert!(refused.contains("Invalid password"), "{refused}");
    assert_eq!(
        stranger()
            .run(&["receive", &url, "--password", "pw-123"])
            .expect_ok(),
        "s3cret text"
    );

    // --- list, get, edit with a new password, remove-password
    let list = alice.json(&["send", "list"]);
    let mut names: Vec<_> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap().to_string())
        .collect();
    names.sort();
    assert_eq!(names, ["Protected", "Quick"]);
    alice.run(&["sync", "--force"]).expect_ok();
    let mut got = alice.json(&["send", "get", &protected_id]);
    assert_eq!(got["notes"], "for the auditor");
    assert_eq!(got["accessCount"], 1);
    got["name"] = json!("Protected (renamed)");
    let edited = alice.json(&["send", "edit", "--password", "pw-456", &encode(&got)]);
    assert_eq!(edited["name"], "Protected (renamed)");
    assert_eq!(edited["passwordSet"], true);
    let refused = stranger()
        .run(&["receive", &url, "--password", "pw-123"])
        .expect_err();
    assert!(refused.contains("Invalid password"), "{refused}");
    assert_eq!(
        stranger()
            .run(&["receive", &url, "--password", "pw-456"])
            .expect_ok(),
        "s3cret text"
    );
    alice
        .run(&["send", "remove-password", &protected_id])
        .expect_ok();
    assert_eq!(
        stranger().run(&["receive", &url]).expect_ok(),
        "s3cret text",
        "no password any more"
    );
    stranger().run(&["receive", &url]).expect_err();
    alice.run(&["sync", "--force"]).expect_ok();
    assert_eq!(
        alice.json(&["send", "get", &protected_id])["accessCount"],
        3
    );

    // --- a Send allowed two accesses refuses the third
    let mut template = alice.json(&["send", "template", "send.text"]);
    template["name"] = json!("Twice");
    template["text"] = json!({ "text": "only twice", "hidden": false });
    template["maxAccessCount"] = json!(2);
    let twice = alice.json(&["send", "create", &encode(&template)]);
    for _ in 0..2 {
        assert_eq!(
            stranger()
                .run(&["receive", &access_url(&twice)])
                .expect_ok(),
            "only twice"
        );
    }
    stranger()
        .run(&["receive", &access_url(&twice)])
        .expect_err();

    // --- disabled, then deleted
    let mut quick = alice.json(&["send", "get", &quick_id]);
    quick["disabled"] = json!(true);
    alice.json(&["send", "edit", &encode(&quick)]);
    stranger()
        .run(&["receive", &access_url(&quick)])
        .expect_err();
    alice.run(&["send", "delete", &quick_id]).expect_ok();
    let left = alice.json(&["send", "list"]);
    assert_eq!(left.as_array().unwrap().len(), 2);
    alice
}

/// Past its deletion date a Send is gone (the clock moves a day: last in the story).
fn bw_deletion_story(server: &TestServer, clock: &ManualClock, alice: &Bw) {
    let blank = Bw::new(server);
    let stranger = || blank.copy_profile();
    let day = 86_400;
    let mut template = alice.json(&["send", "template", "send.text"]);
    template["name"] = json!("Short-lived");
    template["text"] = json!({ "text": "soon gone", "hidden": false });
    template["deletionDate"] = json!(clock.now().plus_secs(day).to_iso());
    let short = alice.json(&["send", "create", &encode(&template)]);
    assert_eq!(
        stranger()
            .run(&["receive", &access_url(&short)])
            .expect_ok(),
        "soon gone"
    );
    clock.advance_secs(day + 60);
    stranger()
        .run(&["receive", &access_url(&short)])
        .expect_err();
}

async fn sends_of(s: &Session) -> Vec<Value> {
    let v: Value = s.call(Method::GET, "/api/sends", None).await.unwrap();
    v["data"].as_array().unwrap().clone()
}

fn send_body(clock: &ManualClock, name: u8, hide_email: bool) -> Value {
    json!({
        "type": 0,
        "name": enc(name),
        "notes": null,
        "key": enc(9),
        "text": { "text": enc(7), "hidden": false },
        "maxAccessCount": null,
        "expirationDate": null,
        "deletionDate": clock.now().plus_secs(7 * 86_400).to_iso(),
        "password": null,
        "disabled": false,
        "hideEmail": hide_email,
        "authType": 2,
    })
}

async fn rules(server: &TestServer, clock: &ManualClock) {
    let alice = support::user(server, "alice@example.com").await;
    let bob = support::user(server, "bob@example.com").await;
    let created: Value = alice
        .call(Method::POST, "/api/sends", Some(send_body(clock, 1, false)))
        .await
        .unwrap();
    let id = created["id"].as_str().unwrap().to_string();
    let access_id = created["accessId"].as_str().unwrap().to_string();
    assert_eq!(created["object"], "send");
    assert_eq!(created["authType"], 2);
    let sync = alice.sync_json().await.unwrap();
    assert_eq!(sync["sends"][0]["id"], id.as_str(), "sync lists the Send");

    // --- another user: 404 on every call, nothing changed
    let path = format!("/api/sends/{id}");
    for (method, body) in [
        (Method::GET, None),
        (Method::PUT, Some(send_body(clock, 2, false))),
        (Method::DELETE, None),
    ] {
        let body = body.map(RawBody::Json).unwrap_or(RawBody::Empty);
        let r = client(server)
            .raw(method, &path, Some(bob.access_token.as_str()), body)
            .await
            .unwrap();
        assert_eq!(r.status, 404, "{}", r.body);
    }
    let e = bob
        .call::<Value>(Method::PUT, &format!("{path}/remove-password"), None)
        .await
        .unwrap_err();
    assert_eq!(status(&e), 404);
    assert!(sends_of(&bob).await.is_empty());
    let mine = sends_of(&alice).await;
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0]["name"], enc(1).as_str(), "unchanged");
    let c = client(server);
    let r = c
        .raw(Method::GET, "/api/sends", None, RawBody::Empty)
        .await
        .unwrap();
    assert_eq!(r.status, 401);

    // --- limits and checks: clear 400s, nothing stored
    let mut too_far = send_body(clock, 3, false);
    too_far["deletionDate"] = json!(clock.now().plus_secs(40 * 86_400).to_iso());
    let mut long_name = send_body(clock, 3, false);
    long_name["name"] = json!(format!("2.{}|AAAA|AAAA", "A".repeat(6_000)));
    let mut plain_text = send_body(clock, 3, false);
    plain_text["text"] = json!({ "text": "not encrypted", "hidden": false });
    let mut no_limit = send_body(clock, 3, false);
    no_limit["maxAccessCount"] = json!(0);
    let mut late_expiry = send_body(clock, 3, false);
    late_expiry["expirationDate"] = json!(clock.now().plus_secs(8 * 86_400).to_iso());
    for (body, says) in [
        (too_far, "that far into the future"),
        (long_name, "too long"),
        (plain_text, "text"),
        (no_limit, "MaxAccessCount"),
        (late_expiry, "greater than the deletion date"),
    ] {
        let e = alice
            .call::<Value>(Method::POST, "/api/sends", Some(body))
            .await
            .unwrap_err();
        assert_eq!(status(&e), 400);
        assert!(format!("{e}").contains(says), "{e}");
    }
    assert_eq!(sends_of(&alice).await.len(), 1);

    // --- anonymous access: the legacy call and the send_access grant
    let r = c
        .raw(
            Method::POST,
            &format!("/api/sends/access/{access_id}"),
            None,
            RawBody::Json(json!({})),
        )
        .await
        .unwrap();
    assert_eq!(r.status, 200, "{}", r.body);
    let read: Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(read["object"], "send-access");
    assert_eq!(read["creatorIdentifier"], "alice@example.com");
    assert_eq!(read["text"]["text"], enc(7).as_str());
    assert!(read.get("key").is_none() && read.get("notes").is_none());
    let grant = |send_id: &str| {
        RawBody::Form(vec![
            ("grant_type".into(), "send_access".into()),
            ("client_id".into(), "send".into()),
            ("scope".into(), "api.send.access".into()),
            ("send_id".into(), send_id.into()),
        ])
    };
    let r = c
        .raw(
            Method::POST,
            "/identity/connect/token",
            None,
            grant("AAAAAAAAAAAAAAAAAAAAAA"),
        )
        .await
        .unwrap();
    assert_eq!(r.status, 400);
    let err: Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(err["send_access_error_type"], "send_id_invalid");
    let r = c
        .raw(
            Method::POST,
            "/identity/connect/token",
            None,
            grant(&access_id),
        )
        .await
        .unwrap();
    assert_eq!(r.status, 200, "{}", r.body);
    let token: Value = serde_json::from_str(&r.body).unwrap();
    let send_token = token["access_token"].as_str().unwrap();
    // A Send access token opens nothing else, and a user's token opens no Send.
    let r = c
        .raw(Method::GET, "/api/sync", Some(send_token), RawBody::Empty)
        .await
        .unwrap();
    assert_eq!(r.status, 401);
    let r = c
        .raw(
            Method::POST,
            "/api/sends/access",
            Some(alice.access_token.as_str()),
            RawBody::Empty,
        )
        .await
        .unwrap();
    assert_eq!(r.status, 404);
    let r = c
        .raw(
            Method::POST,
            "/api/sends/access",
            Some(send_token),
            RawBody::Empty,
        )
        .await
        .unwrap();
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(sends_of(&alice).await[0]["accessCount"], 2);

    // --- policies: Disable Send refuses a member's creates and edits (not deletes, not owners)
    let org = alice
        .create_org("Acme", "it@acme.example", 17, Some(5), "General")
        .await
        .unwrap();
    let org_id = org.org.id.clone();
    let carol = support::user(server, "carol@example.com").await;
    let carols: Value = carol
        .call(Method::POST, "/api/sends", Some(send_body(clock, 4, true)))
        .await
        .unwrap();
    let invite = alice
        .invite_members(&org_id, &["carol@example.com"], 2, &[])
        .await
        .unwrap();
    carol
        .accept_invite(
            &org_id,
            invite[0].id.as_str(),
            invite[0].token.as_deref().unwrap(),
        )
        .await
        .unwrap();
    let policy = |t: u8, body: Value| {
        let alice = &alice;
        let path = format!("/api/organizations/{org_id}/policies/{t}");
        async move {
            alice
                .call::<Value>(Method::PUT, &path, Some(body))
                .await
                .unwrap()
        }
    };
    policy(6, json!({ "enabled": true })).await;
    let e = carol
        .call::<Value>(Method::POST, "/api/sends", Some(send_body(clock, 5, false)))
        .await
        .unwrap_err();
    assert_eq!(status(&e), 400);
    assert!(format!("{e}").contains("only able to delete"), "{e}");
    let carol_path = format!("/api/sends/{}", carols["id"].as_str().unwrap());
    let e = carol
        .call::<Value>(Method::PUT, &carol_path, Some(send_body(clock, 6, false)))
        .await
        .unwrap_err();
    assert_eq!(status(&e), 400);
    let kept = sends_of(&carol).await;
    assert_eq!(kept.len(), 1);
    assert_eq!(
        kept[0]["name"],
        enc(4).as_str(),
        "the refused edit changed nothing"
    );
    let _: Value = alice
        .call(Method::POST, "/api/sends", Some(send_body(clock, 5, false)))
        .await
        .expect("owners are exempt");
    // --- Send options: hiding the email is refused, the rest allowed
    policy(6, json!({ "enabled": false })).await;
    policy(
        7,
        json!({ "enabled": true, "data": { "disableHideEmail": true } }),
    )
    .await;
    let e = carol
        .call::<Value>(Method::PUT, &carol_path, Some(send_body(clock, 6, true)))
        .await
        .unwrap_err();
    assert_eq!(status(&e), 400);
    assert!(format!("{e}").contains("hide your email"), "{e}");
    let edited: Value = carol
        .call(Method::PUT, &carol_path, Some(send_body(clock, 6, false)))
        .await
        .unwrap();
    assert_eq!(edited["hideEmail"], false);
    policy(6, json!({ "enabled": true })).await;
    let r = c
        .raw(
            Method::DELETE,
            &carol_path,
            Some(carol.access_token.as_str()),
            RawBody::Empty,
        )
        .await
        .unwrap();
    assert_eq!(r.status, 200, "deleting stays allowed: {}", r.body);
    assert!(sends_of(&carol).await.is_empty());
}

/// File Sends on the first server: at most 3 MiB a file, 5 MiB a user.
const FILE_LIMIT: u64 = 3 * 1024 * 1024;
const STORAGE_LIMIT: u64 = 5 * 1024 * 1024;

async fn story(backend: Backend) {
    let now = keyfleet_domain::SystemClock.now();
    let clock = ManualClock::new(keyfleet_domain::Timestamp(
        now.0 - now.0.rem_euclid(30_000) + 15_000,
    ));
    let moved = clock.clone();
    let server = spawn_server_with(backend, |c| {
        c.clock = Some(moved);
        c.limits.send_file_max_bytes = FILE_LIMIT;
        c.limits.send_storage_per_user_bytes = STORAGE_LIMIT;
    })
    .await;
    let alice = support::user(&server, "alice@example.com").await;
    let alice_bw = tokio::task::block_in_place(|| {
        let alice_bw = bw_story(&server, &clock);
        bw_file_story(&server, &alice_bw);
        alice_bw
    });
    throttle_story(&server, &alice_bw).await;
    let (file_send, access_id) = file_rules(&server, &alice, &clock).await;
    tokio::task::block_in_place(|| bw_deletion_story(&server, &clock, &alice_bw));
    // A file Send past its deletion date goes with its file when a recipient asks for it.
    clock.advance_secs(7 * 86_400);
    let r = client(&server)
        .raw(
            Method::POST,
            "/identity/connect/token",
            None,
            send_grant(&access_id, None),
        )
        .await
        .unwrap();
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(
        stored_files(&server, &file_send).is_empty(),
        "deleted with its Send"
    );
    server.stop().await;
    let (server, clock) = spawn_server_with_clock(backend).await;
    rules(&server, &clock).await;
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn text_sends_work_with_the_bw_cli_and_keep_their_rules_on_sqlite() {
    story(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn text_sends_work_with_the_bw_cli_and_keep_their_rules_on_postgres() {
    if !backends().contains(&Backend::Postgres) {
        return;
    }
    story(Backend::Postgres).await;
}

/// Pseudo-random bytes (xorshift): incompressible enough to stand for a real file.
fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

/// The files stored for Send `id` under the server's data directory.
fn stored_files(server: &TestServer, id: &str) -> Vec<std::path::PathBuf> {
    let dir = server.data_dir().join("files/sends").join(id);
    match std::fs::read_dir(&dir) {
        Ok(entries) => entries.map(|e| e.unwrap().path()).collect(),
        Err(_) => Vec::new(),
    }
}

/// `bw send -f` and `bw receive` of a 2 MB file with a password and a one-access limit, then
/// list and delete (the file leaves the disk), and a file over the size limit stores nothing.
/// Answers alice's logged-in bw for the throttle story.
fn bw_file_story(server: &TestServer, alice: &Bw) {
    let blank = Bw::new(server);
    let stranger = || blank.copy_profile();
    let dir = tempfile::tempdir().unwrap();
    let original = noise(2_000_000, 0x5eed);
    let path = dir.path().join("report.bin");
    std::fs::write(&path, &original).unwrap();
    let path = path.to_str().unwrap();

    let sent = alice.json(&[
        "send",
        "-f",
        path,
        "--password",
        "pw-file",
        "-a",
        "1",
        "--fullObject",
    ]);
    assert_eq!(sent["type"], 1, "{sent}");
    assert_eq!(sent["file"]["fileName"], "report.bin", "{sent}");
    let id = sent["id"].as_str().unwrap().to_string();
    let url = access_url(&sent);
    let stored = stored_files(server, &id);
    assert_eq!(stored.len(), 1, "one file stored for the Send");
    assert!(
        std::fs::metadata(&stored[0]).unwrap().len() > 2_000_000,
        "ciphertext"
    );

    let refused = stranger()
        .run(&["receive", &url, "--password", "wrong"])
        .expect_err();
    assert!(refused.contains("Invalid password"), "{refused}");
    let out = dir.path().join("received.bin");
    stranger()
        .run(&[
            "receive",
            &url,
            "--password",
            "pw-file",
            "--output",
            out.to_str().unwrap(),
        ])
        .expect_ok();
    assert!(
        std::fs::read(&out).unwrap() == original,
        "the file comes back byte for byte"
    );
    // The download was the one access allowed.
    stranger()
        .run(&[
            "receive",
            &url,
            "--password",
            "pw-file",
            "--output",
            out.to_str().unwrap(),
        ])
        .expect_err();

    // Listed with its file; deleting it removes the file from the disk.
    alice.run(&["sync", "--force"]).expect_ok();
    let list = alice.json(&["send", "list"]);
    let listed = list
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id.as_str())
        .expect("listed")
        .clone();
    assert_eq!(listed["file"]["fileName"], "report.bin", "{listed}");
    assert_eq!(listed["accessCount"], 1, "{listed}");
    alice.run(&["send", "delete", &id]).expect_ok();
    assert!(stored_files(server, &id).is_empty(), "the file is gone");

    // Over the (lowered) size limit: refused with the official wording, nothing kept.
    let big = dir.path().join("big.bin");
    std::fs::write(&big, noise(FILE_LIMIT as usize + 1, 7)).unwrap();
    let before = alice.json(&["send", "list"]).as_array().unwrap().len();
    let refused = alice
        .run(&["send", "-f", big.to_str().unwrap()])
        .expect_err();
    assert!(refused.contains("Max file size is 3 MB."), "{refused}");
    assert_eq!(
        alice.json(&["send", "list"]).as_array().unwrap().len(),
        before
    );
    let sends_dir = server.data_dir().join("files/sends");
    let left = std::fs::read_dir(&sends_dir)
        .map(|d| d.count())
        .unwrap_or(0);
    assert_eq!(left, 0, "no file stored");
}

fn multipart(data: &[u8]) -> Vec<u8> {
    let mut body = b"--kfboundary\r\nContent-Disposition: form-data; name=\"data\"; filename=\"2.x|y|z\"\r\nContent-Type: application/octet-stream\r\n\r\n".to_vec();
    body.extend_from_slice(data);
    body.extend_from_slice(b"\r\n--kfboundary--\r\n");
    body
}

const MULTIPART: &str = "multipart/form-data; boundary=kfboundary";

fn file_send_body(clock: &ManualClock, len: u64) -> Value {
    let mut body = send_body(clock, 1, false);
    body["type"] = json!(1);
    body["text"] = Value::Null;
    body["file"] = json!({ "fileName": enc(8) });
    body["fileLength"] = json!(len);
    body
}

fn send_grant(access_id: &str, password_hash_b64: Option<&str>) -> RawBody {
    let mut form = vec![
        ("grant_type".into(), "send_access".into()),
        ("client_id".into(), "send".into()),
        ("scope".into(), "api.send.access".into()),
        ("send_id".into(), access_id.into()),
    ];
    if let Some(hash) = password_hash_b64 {
        form.push(("password_hash_b64".into(), hash.into()));
    }
    RawBody::Form(form)
}

/// Keyfleet's own file Send rules through the Rust client: an upload of the wrong length and a
/// file never uploaded open nothing, the storage limit, strangers. Answers the uploaded Send's
/// id and access id.
async fn file_rules(server: &TestServer, alice: &Session, clock: &ManualClock) -> (String, String) {
    let c = client(server);
    let created: Value = alice
        .call(
            Method::POST,
            "/api/sends/file/v2",
            Some(file_send_body(clock, 1000)),
        )
        .await
        .unwrap();
    assert_eq!(created["object"], "send-fileUpload");
    assert_eq!(created["fileUploadType"], 0);
    let send = &created["sendResponse"];
    let id = send["id"].as_str().unwrap().to_string();
    let file_id = send["file"]["id"].as_str().unwrap().to_string();
    assert_eq!(send["file"]["size"], "1000");
    let access_id = send["accessId"].as_str().unwrap().to_string();
    let upload = format!("/api/sends/{id}/file/{file_id}");
    // Not uploaded yet: nobody can open it.
    let r = c
        .raw(
            Method::POST,
            "/identity/connect/token",
            None,
            send_grant(&access_id, None),
        )
        .await
        .unwrap();
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.body.contains("send_id_invalid"), "{}", r.body);
    // One byte short, one byte over: 400, nothing stored.
    for len in [999, 1001] {
        let r = c
            .raw(
                Method::POST,
                &upload,
                Some(alice.access_token.as_str()),
                RawBody::Bytes(multipart(&noise(len, 3)), MULTIPART),
            )
            .await
            .unwrap();
        assert_eq!(r.status, 400, "{}", r.body);
        assert!(
            r.body.contains("does not match expected file length"),
            "{}",
            r.body
        );
        assert!(stored_files(server, &id).is_empty());
    }
    // Someone else cannot upload it.
    let bob = support::user(server, "bob@example.com").await;
    let r = c
        .raw(
            Method::POST,
            &upload,
            Some(bob.access_token.as_str()),
            RawBody::Bytes(multipart(&noise(1000, 3)), MULTIPART),
        )
        .await
        .unwrap();
    assert_eq!(r.status, 404, "{}", r.body);
    // The right length goes in; the legacy file access then counts and answers a URL.
    let r = c
        .raw(
            Method::POST,
            &upload,
            Some(alice.access_token.as_str()),
            RawBody::Bytes(multipart(&noise(1000, 3)), MULTIPART),
        )
        .await
        .unwrap();
    assert_eq!(r.status, 200, "{}", r.body);
    let r = c
        .raw(
            Method::POST,
            &format!("/api/sends/{access_id}/access/file/{file_id}"),
            None,
            RawBody::Json(json!({})),
        )
        .await
        .unwrap();
    assert_eq!(r.status, 200, "{}", r.body);
    let download: Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(download["object"], "send-fileDownload");
    let url = download["url"].as_str().unwrap();
    let path = &url[url.find("/api/").unwrap()..];
    let r = c
        .raw(Method::GET, path, None, RawBody::Empty)
        .await
        .unwrap();
    assert_eq!(r.status, 200);
    let tampered = format!("{}x", path);
    let r = c
        .raw(Method::GET, &tampered, None, RawBody::Empty)
        .await
        .unwrap();
    assert_eq!(r.status, 404);
    // Uploaded once: a second upload is refused.
    let r = c
        .raw(
            Method::POST,
            &upload,
            Some(alice.access_token.as_str()),
            RawBody::Bytes(multipart(&noise(1000, 3)), MULTIPART),
        )
        .await
        .unwrap();
    assert_eq!(r.status, 404, "{}", r.body);
    // Storage: what is announced counts, whether uploaded or not.
    let e = alice
        .call::<Value>(
            Method::POST,
            "/api/sends/file/v2",
            Some(file_send_body(clock, FILE_LIMIT + 1)),
        )
        .await
        .unwrap_err();
    assert_eq!(status(&e), 400);
    assert!(format!("{e}").contains("Max file size is 3 MB."), "{e}");
    let _: Value = alice
        .call(
            Method::POST,
            "/api/sends/file/v2",
            Some(file_send_body(clock, FILE_LIMIT)),
        )
        .await
        .unwrap();
    let e = alice
        .call::<Value>(
            Method::POST,
            "/api/sends/file/v2",
            Some(file_send_body(clock, STORAGE_LIMIT - FILE_LIMIT)),
        )
        .await
        .unwrap_err();
    assert_eq!(status(&e), 400);
    assert!(
        format!("{e}").contains("Not enough storage available."),
        "{e}"
    );
    (id, access_id)
}

/// Guessing a Send's password: after ten wrong tries (per Send) even the right one is refused
/// with a 429, as the official server's rate limit answers, and the bw CLI says so.
async fn throttle_story(server: &TestServer, alice: &Bw) {
    let sent = tokio::task::block_in_place(|| {
        alice.json(&[
            "send",
            "guarded text",
            "--password",
            "right",
            "--fullObject",
        ])
    });
    let url = access_url(&sent);
    let access_id = sent["accessId"].as_str().unwrap().to_string();
    let c = client(server);
    for _ in 0..10 {
        let r = c
            .raw(
                Method::POST,
                "/identity/connect/token",
                None,
                send_grant(&access_id, Some("d3JvbmcgaGFzaA==")),
            )
            .await
            .unwrap();
        assert_eq!(r.status, 400, "{}", r.body);
        assert!(r.body.contains("password_hash_b64_invalid"), "{}", r.body);
    }
    let refused = tokio::task::block_in_place(|| {
        Bw::new(server)
            .run(&["receive", &url, "--password", "right"])
            .expect_err()
    });
    // The CLI reports the official server's rate-limit answer as it is.
    assert!(refused.contains("429 Too Many Requests"), "{refused}");
}
