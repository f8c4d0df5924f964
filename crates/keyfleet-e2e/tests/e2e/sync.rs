//! `SyncResponse` against the wire: every key the server's hand-written, streamed sync sends
//! survives a round trip through the typed struct, and the struct adds none.

use crate::support;
use keyfleet_client::api::accounts::SyncResponse;
use keyfleet_client::api::kinds::PolicyType;
use keyfleet_client::api::orgs::PolicyRequest;
use keyfleet_client::{Access, OrgCalls};
use keyfleet_testkit::{spawn_server, Backend};
use serde_json::{json, Value};

/// Every path where `a` and `b` differ: a key only one side has, or a different leaf value.
fn differences(path: &str, a: &Value, b: &Value, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, v) in x {
                match y.get(k) {
                    Some(w) => differences(&format!("{path}.{k}"), v, w, out),
                    None => out.push(format!("{path}.{k}: only in the server's answer")),
                }
            }
            for k in y.keys().filter(|k| !x.contains_key(*k)) {
                out.push(format!("{path}.{k}: only in the typed struct"));
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (v, w)) in x.iter().zip(y).enumerate() {
                differences(&format!("{path}[{i}]"), v, w, out);
            }
        }
        _ if a != b => out.push(format!("{path}: {a} became {b}")),
        _ => {}
    }
}

#[tokio::test]
async fn a_typed_sync_keeps_every_field_the_server_sends() {
    let server = spawn_server(Backend::Sqlite).await;
    let owner = support::user(&server, "owner@example.com").await;
    let member = support::user(&server, "member@example.com").await;
    let created = owner
        .create_org("Acme", "billing@example.com", 0, None, "Shared")
        .await
        .unwrap();
    let org = created.org.id.clone();
    let shared = owner.org_collection_details(&org).await.unwrap()[0]
        .collection
        .id
        .clone();
    let invite = owner
        .invite_members(
            &org,
            &["member@example.com"],
            2,
            &[(shared.clone(), Access::EDIT)],
        )
        .await
        .unwrap();
    member
        .accept_invite(&org, &invite[0].id, invite[0].token.as_deref().unwrap())
        .await
        .unwrap();
    owner
        .confirm_member(&org, &invite[0].id, &created.key)
        .await
        .unwrap();
    let policy = PolicyRequest {
        enabled: true,
        data: Some(json!({ "minLength": 14, "requireUpper": true })),
        metadata: None,
    };
    owner
        .save_org_policy(&org, PolicyType::MasterPassword, &policy)
        .await
        .unwrap();
    let folder = member.create_folder("Work").await.unwrap();
    let mine = member.create_login("Bank", "me", "pw").await.unwrap();
    owner
        .create_org_login(&org, &created.key, &[&shared], "Router", "admin", "pw")
        .await
        .unwrap();

    let raw = member.sync_json().await.unwrap();
    let typed: SyncResponse = serde_json::from_value(raw.clone()).unwrap();
    let back = serde_json::to_value(&typed).unwrap();

    let mut diffs = Vec::new();
    differences("sync", &raw, &back, &mut diffs);
    assert!(diffs.is_empty(), "{diffs:#?}");
    assert_eq!(back, raw);
    // The answer had something in every part the round trip covers.
    assert_eq!(typed.head.folders[0].id, folder.id);
    assert_eq!(typed.ciphers.len(), 2);
    assert!(typed.ciphers.iter().any(|c| c.id == mine.id));
    assert!(typed
        .ciphers
        .iter()
        .any(|c| c.organization_id.as_deref() == Some(org.as_str())));
    assert_eq!(typed.head.collections[0].collection.id, shared);
    assert_eq!(typed.head.profile.organizations[0].id, org);
    assert!(typed.head.profile.organizations[0].key.is_some());
    assert_eq!(typed.head.policies.len(), 1);
    // And the typed call reads the same answer.
    assert_eq!(member.sync().await.unwrap().ciphers.len(), 2);
    server.stop().await;
}
