//! Send on both databases: the stock bw CLI creates, lists, edits and deletes text Sends and an
//! anonymous bw (not logged in) receives them — password, access limit, disabled, deletion date;
//! then Keyfleet's own rules through the Rust client: strangers get 404, the Disable Send and
//! Send options policies, limits, the legacy access call and the `send_access` grant.

use crate::support::{self, client, PASSWORD};
use keyfleet_client::{ClientError, Method, RawBody, Session};
use keyfleet_domain::{Clock, ManualClock};
use keyfleet_testkit::{backends, encode, spawn_server_with_clock, Backend, Bw, TestServer};
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

fn bw_story(server: &TestServer, clock: &ManualClock) {
    let mut alice = Bw::new(server);
    alice.login("alice@example.com", PASSWORD);
    // Each access by someone new: the CLI caches a Send access token per Send for its five
    // minutes (as it does against the official server), so a second `bw receive` from the same
    // profile would skip the password check this story is about.
    let stranger = || Bw::new(server);
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

    // --- past its deletion date it is gone
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

async fn story(backend: Backend) {
    let (server, clock) = spawn_server_with_clock(backend).await;
    support::user(&server, "alice@example.com").await;
    tokio::task::block_in_place(|| bw_story(&server, &clock));
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
