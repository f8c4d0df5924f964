//! The official clients keep changing what they send. `tests/fixtures/client-requests/` holds
//! one request body per organization write as the current Bitwarden web vault / admin console /
//! SDK send it (read from their request models; each file names its source), with placeholders
//! (`{org}`, `{member1}`, `{enc}`, …) for what differs per run. Every call of every fixture is
//! sent to a real server, on SQLite and PostgreSQL, and must succeed: when a client changes a
//! shape, the new fixture fails here first. A companion test fails when an organization write
//! route has no fixture.

use crate::provider_support::{account, ok, send, OrgKeyPair, TwoStep};
use crate::support::PASSWORD;
use keyfleet_client::keys::wrap_to_public;
use keyfleet_client::recovery_key;
use keyfleet_client::{Access, Method, Session};
use keyfleet_crypto::{EncString, SymmetricKey};
use keyfleet_domain::SystemClock;
use keyfleet_testkit::{backends, spawn_server, workspace_root, Backend, TestServer};
use serde_json::{json, Value};
use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;

/// One fixture file.
struct Fixture {
    /// `METHOD /path` of each route taking this body (obsolete aliases included).
    calls: Vec<String>,
    /// Who sends it: `owner`, or the account behind a placeholder (`member1`, `invitee`).
    sender: String,
    /// Where the shape comes from.
    source: String,
    /// The body; `null` when the client sends none.
    body: Value,
}

impl Fixture {
    fn parse(name: &str, v: &Value) -> Fixture {
        let text = |key: &str| {
            v[key]
                .as_str()
                .unwrap_or_else(|| panic!("{name}: no {key}"))
                .to_string()
        };
        Fixture {
            calls: v["calls"]
                .as_array()
                .unwrap_or_else(|| panic!("{name}: no calls"))
                .iter()
                .map(|c| c.as_str().unwrap().to_string())
                .collect(),
            sender: text("as"),
            source: text("source"),
            body: v["body"].clone(),
        }
    }
}

fn fixture_dir() -> PathBuf {
    workspace_root().join("crates/keyfleet-e2e/tests/fixtures/client-requests")
}

fn fixtures() -> Vec<(String, Fixture)> {
    let mut out: Vec<(String, Fixture)> = std::fs::read_dir(fixture_dir())
        .unwrap()
        .map(|e| {
            let path = e.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            let v: Value =
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name} is not JSON: {e}"));
            let f = Fixture::parse(&name, &v);
            (name, f)
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// The placeholders of `text`, in order (`{name}` or `{kind:name}`).
fn placeholders(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end)
                if after[..end]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == ':' || c == '_') =>
            {
                let name = after[..end].to_string();
                if !name.is_empty() && !out.contains(&name) {
                    out.push(name);
                }
                rest = &after[end + 1..];
            }
            _ => rest = after,
        }
    }
    out
}

/// What one call needs, made fresh by the organization's owner.
struct Ctx<'a> {
    server: &'a TestServer,
    owner: &'a Session,
    owner_hash: &'a str,
    org: &'a str,
    key: &'a SymmetricKey,
    pair: &'a OrgKeyPair,
    values: HashMap<String, String>,
    sessions: HashMap<String, Session>,
}

impl Ctx<'_> {
    fn o(&self, rest: &str) -> String {
        format!("/api/organizations/{}{rest}", self.org)
    }

    fn fresh_email(&self) -> String {
        format!("c-{}@client.example", uuid::Uuid::new_v4())
    }

    async fn new_account(&self) -> Session {
        account(self.server, &self.fresh_email(), TwoStep::Off, &SystemClock)
            .await
            .session
    }

    /// Invites `email` as a User; answers the membership and its token.
    async fn invite(&self, email: &str) -> (String, String) {
        let v = ok(
            self.owner,
            Method::POST,
            &self.o("/users/invite"),
            Some(json!({ "emails": [email], "type": 2, "collections": [], "groups": [] })),
        )
        .await;
        (
            v["data"][0]["id"].as_str().unwrap().to_string(),
            v["data"][0]["token"].as_str().unwrap().to_string(),
        )
    }

    /// A fresh account invited and accepted (confirmed too unless `stop_at_accept`).
    async fn member(&mut self, name: &str, stop_at_accept: bool) -> String {
        let s = self.new_account().await;
        let (id, token) = self.invite(&s.email).await;
        s.accept_invite(self.org, &id, &token).await.unwrap();
        if stop_at_accept {
            let (public, _) = self.owner.member_public_key(self.org, &id).await.unwrap();
            self.values.insert(
                format!("key:{name}"),
                wrap_to_public(&public, self.key).unwrap(),
            );
        } else {
            self.owner
                .confirm_member(self.org, &id, self.key)
                .await
                .unwrap();
        }
        self.sessions.insert(name.to_string(), s);
        id
    }

    async fn item(&self, collection: &str) -> (String, String) {
        let c = self
            .owner
            .create_org_login(self.org, self.key, &[collection], "Item", "u", "p")
            .await
            .unwrap();
        (c.id, c.revision_date)
    }

    /// Single organization and Account recovery (which needs it) on; `effects_are_the_ones_asked`
    /// turns them off again before it toggles every policy.
    async fn recovery_policies_on(&self) {
        for t in [3, 8] {
            ok(
                self.owner,
                Method::PUT,
                &self.o(&format!("/policies/{t}")),
                Some(json!({ "enabled": true, "data": { "autoEnrollEnabled": false } })),
            )
            .await;
        }
    }

    /// The value of placeholder `name`, made on first use.
    async fn resolve(&mut self, name: &str) -> String {
        if let Some(v) = self.values.get(name) {
            return v.clone();
        }
        let v = match name {
            "org" => self.org.to_string(),
            "enc" => EncString::encrypt_str(self.key, "value").to_string(),
            "userId" => self.owner.user_id.clone(),
            "masterPasswordHash" => self.owner_hash.to_string(),
            "email1" | "email2" => self.fresh_email(),
            "publicKey" | "encPrivateKey" | "orgKeyForMe" => {
                let key = SymmetricKey::generate();
                let keys = self.pair.wire(&key);
                let me = self.owner.private_key().unwrap().public_key();
                self.values.insert(
                    "publicKey".into(),
                    keys["publicKey"].as_str().unwrap().into(),
                );
                self.values.insert(
                    "encPrivateKey".into(),
                    keys["encryptedPrivateKey"].as_str().unwrap().into(),
                );
                self.values
                    .insert("orgKeyForMe".into(), wrap_to_public(&me, &key).unwrap());
                return self.values[name].clone();
            }
            "collection1" | "collection2" => {
                self.owner
                    .create_collection(self.org, self.key, name, &[])
                    .await
                    .unwrap()
                    .collection
                    .id
            }
            "group1" | "group2" => ok(
                self.owner,
                Method::POST,
                &self.o("/groups"),
                Some(json!({ "name": name, "collections": [], "users": [] })),
            )
            .await["id"]
                .as_str()
                .unwrap()
                .to_string(),
            "member1" | "member2" => self.member(name, false).await,
            "accepted1" | "accepted2" => self.member(name, true).await,
            "key:accepted1" | "key:accepted2" => {
                Box::pin(self.resolve(&name["key:".len()..])).await;
                return self.values[name].clone();
            }
            "invited1" | "invited2" => self.invite(&self.fresh_email()).await.0,
            // A confirmed member about to enrol in account recovery (the policies it needs on),
            // with their user id, password hash and user key wrapped to the org public key.
            "enrollee"
            | "userId:enrollee"
            | "masterPasswordHash:enrollee"
            | "resetPasswordKey:enrollee" => {
                self.recovery_policies_on().await;
                self.member("enrollee", false).await;
                let s = &self.sessions["enrollee"];
                let (hash, _) = s.client().password_hash(&s.email, PASSWORD).await.unwrap();
                let public = self.pair.wire(self.key)["publicKey"]
                    .as_str()
                    .unwrap()
                    .to_string();
                let wrapped = recovery_key(&public, s.user_key()).unwrap();
                let user_id = s.user_id.clone();
                self.values.insert("userId:enrollee".into(), user_id);
                self.values
                    .insert("masterPasswordHash:enrollee".into(), hash);
                self.values
                    .insert("resetPasswordKey:enrollee".into(), wrapped);
                self.values.insert("enrollee".into(), String::new());
                return self.values[name].clone();
            }
            // A confirmed member enrolled in account recovery.
            "enrolled1" => {
                self.recovery_policies_on().await;
                let id = self.member("enrolled1", false).await;
                self.sessions["enrolled1"]
                    .enrol_in_account_recovery(self.org, PASSWORD)
                    .await
                    .unwrap();
                id
            }
            // A pending admin approval request (device login) of a member enrolled in account
            // recovery, asked from the device their session logged in on.
            "adminRequest1" | "adminRequest2" | "adminRequest3" => {
                if !self.sessions.contains_key("asker") {
                    self.recovery_policies_on().await;
                    self.member("asker", false).await;
                    self.sessions["asker"]
                        .enrol_in_account_recovery(self.org, PASSWORD)
                        .await
                        .unwrap();
                }
                let s = &self.sessions["asker"];
                s.client()
                    .request_admin_approval(&s.email)
                    .await
                    .unwrap()
                    .id
            }
            "revoked1" | "revoked2" => {
                let id = self.invite(&self.fresh_email()).await.0;
                ok(
                    self.owner,
                    Method::PUT,
                    &self.o(&format!("/users/{id}/revoke")),
                    None,
                )
                .await;
                id
            }
            "invitee" | "token:invitee" => {
                let s = self.new_account().await;
                let (id, token) = self.invite(&s.email).await;
                self.sessions.insert("invitee".into(), s);
                self.values.insert("invitee".into(), id);
                self.values.insert("token:invitee".into(), token);
                return self.values[name].clone();
            }
            // A confirmed member in a group, and that group.
            "grouped" | "grouped:group" => {
                let member = self.member("grouped", false).await;
                let group = ok(
                    self.owner,
                    Method::POST,
                    &self.o("/groups"),
                    Some(json!({ "name": "Grouped", "collections": [], "users": [member] })),
                )
                .await["id"]
                    .as_str()
                    .unwrap()
                    .to_string();
                self.values.insert("grouped".into(), member);
                self.values.insert("grouped:group".into(), group);
                return self.values[name].clone();
            }
            "cipher1" | "cipher2" | "rev:cipher1" | "rev:cipher2" => {
                let which = name.trim_start_matches("rev:");
                let collection = Box::pin(self.resolve("collection1")).await;
                let (id, rev) = self.item(&collection).await;
                self.values.insert(which.into(), id);
                self.values.insert(format!("rev:{which}"), rev);
                return self.values[name].clone();
            }
            "personal1" | "personal2" | "rev:personal1" | "rev:personal2" => {
                let which = name.trim_start_matches("rev:");
                let c = self.owner.create_login("Mine", "u", "p").await.unwrap();
                self.values.insert(which.into(), c.id);
                self.values.insert(format!("rev:{which}"), c.revision_date);
                return self.values[name].clone();
            }
            "spareOrg" => {
                self.owner
                    .create_org("Spare", "spare@client.example", 0, None, "First")
                    .await
                    .unwrap()
                    .org
                    .id
            }
            other => panic!("unknown placeholder {{{other}}}"),
        };
        self.values.insert(name.to_string(), v.clone());
        v
    }

    async fn fill(&mut self, text: &str) -> String {
        let mut out = text.to_string();
        for p in placeholders(text) {
            let v = self.resolve(&p).await;
            out = out.replace(&format!("{{{p}}}"), &v);
        }
        out
    }
}

async fn run_fixtures(backend: Backend) {
    let server = spawn_server(backend).await;
    let owner = account(&server, "owner@client.example", TwoStep::Off, &SystemClock).await;
    let pair = OrgKeyPair::generate();
    let (org, key) = crate::provider_support::own_org(&owner.session, &pair, "Client Co").await;
    // Room for every member the fixtures invite.
    ok(
        &owner.session,
        Method::POST,
        &format!("/api/organizations/{org}/subscription"),
        Some(json!({ "seatAdjustment": 1000 })),
    )
    .await;
    let mut failures = Vec::new();
    let mut calls = 0;
    for (name, f) in fixtures() {
        for call in &f.calls {
            let mut ctx = Ctx {
                server: &server,
                owner: &owner.session,
                owner_hash: &owner.hash,
                org: &org,
                key: &key,
                pair: &pair,
                values: HashMap::new(),
                sessions: HashMap::new(),
            };
            if f.sender != "owner" {
                ctx.resolve(&f.sender).await;
            }
            let (method, path) = call.split_once(' ').unwrap();
            let path = ctx.fill(path).await;
            let body = match &f.body {
                Value::Null => None,
                b => Some(serde_json::from_str(&ctx.fill(&b.to_string()).await).unwrap()),
            };
            let sender = match f.sender.as_str() {
                "owner" => &owner.session,
                who => &ctx.sessions[who],
            };
            let res = send(sender, method.parse().unwrap(), &path, body).await;
            calls += 1;
            if !(200..300).contains(&res.status) {
                failures.push(format!(
                    "{name}: {call} → {} {} (shape from {})",
                    res.status,
                    res.body.chars().take(200).collect::<String>(),
                    f.source
                ));
            }
        }
    }
    assert!(calls >= 61, "only {calls} calls");
    assert!(
        failures.is_empty(),
        "{} of {calls} client requests refused:\n{}",
        failures.len(),
        failures.join("\n")
    );
    effects_are_the_ones_asked(&server, &owner.session, &owner.hash, &org, &key, &pair).await;
    server.stop().await;
}

/// Beyond "accepted": the two shape changes with a meaning of their own do what the clients
/// mean — every policy turns on and off with the current nested body and the older flat one,
/// and a member update without `groups` leaves the member's groups as they are.
async fn effects_are_the_ones_asked(
    server: &TestServer,
    owner: &Session,
    owner_hash: &str,
    org: &str,
    key: &SymmetricKey,
    pair: &OrgKeyPair,
) {
    let policies = ok(
        owner,
        Method::GET,
        &format!("/api/organizations/{org}/policies"),
        None,
    )
    .await;
    assert!(policies["data"].is_array());
    // Every policy type Keyfleet knows, on then off, in both shapes (two-step login last: on,
    // it would revoke members without it). Account recovery (8) needs Single organization (3)
    // on, which cannot go off while 8 is on: 8 goes off first, and 3 is on around 8's turn.
    let policy_body = |on: bool| json!({ "enabled": on, "data": null });
    let path_of = |t: i32| format!("/api/organizations/{org}/policies/{t}");
    ok(owner, Method::PUT, &path_of(8), Some(policy_body(false))).await;
    let types: Vec<i32> = (0..=20).filter(|t| *t != 0).chain([0]).collect();
    for t in types {
        let path = path_of(t);
        let known = send(owner, Method::GET, &path, None).await.status == 200;
        if !known {
            continue;
        }
        if t == 8 {
            let refused = send(owner, Method::PUT, &path, Some(policy_body(true))).await;
            assert_eq!(refused.status, 400, "8 without 3: {}", refused.body);
            ok(owner, Method::PUT, &path_of(3), Some(policy_body(true))).await;
        }
        for (enabled, body) in [
            (
                true,
                json!({ "policy": { "enabled": true, "data": null }, "metadata": null }),
            ),
            (
                false,
                json!({ "policy": { "enabled": false, "data": null }, "metadata": {} }),
            ),
            (true, json!({ "enabled": true, "data": null })),
            (false, json!({ "type": t, "enabled": false })),
        ] {
            let answer = ok(owner, Method::PUT, &path, Some(body.clone())).await;
            assert_eq!(answer["enabled"], enabled, "policy {t} with {body}");
            assert_eq!(answer["type"], t);
            let stored = ok(owner, Method::GET, &path, None).await;
            assert_eq!(stored["enabled"], enabled, "policy {t} read back");
        }
        if t == 8 {
            ok(owner, Method::PUT, &path_of(3), Some(policy_body(false))).await;
        }
    }
    let res = send(
        owner,
        Method::PUT,
        &format!("/api/organizations/{org}/policies/1"),
        Some(json!({ "policy": { "data": null }, "metadata": null })),
    )
    .await;
    assert_eq!(res.status, 400, "{}", res.body);
    assert!(res.body.contains("enabled"), "{}", res.body);

    let mut ctx = Ctx {
        server,
        owner,
        owner_hash,
        org,
        key,
        pair,
        values: HashMap::new(),
        sessions: HashMap::new(),
    };
    let member = ctx.resolve("grouped").await;
    let group = ctx.resolve("grouped:group").await;
    let collection = ctx.resolve("collection1").await;
    ok(
        owner,
        Method::PUT,
        &format!("/api/organizations/{org}/users/{member}"),
        Some(
            json!({ "type": 2, "accessSecretsManager": false, "accessPam": false,
                     "collections": [Access::MANAGE.selection(&collection)],
                     "permissions": { "response": null } }),
        ),
    )
    .await;
    let stored = ok(
        owner,
        Method::GET,
        &format!("/api/organizations/{org}/users/{member}?includeGroups=true"),
        None,
    )
    .await;
    assert_eq!(stored["groups"], json!([group]), "{stored}");
    assert_eq!(stored["collections"][0]["id"], collection.as_str());
    // An empty list does clear them.
    ok(
        owner,
        Method::PUT,
        &format!("/api/organizations/{org}/users/{member}"),
        Some(json!({ "type": 2, "collections": [], "groups": [] })),
    )
    .await;
    let stored = ok(
        owner,
        Method::GET,
        &format!("/api/organizations/{org}/users/{member}"),
        None,
    )
    .await;
    assert_eq!(stored["groups"], json!([]), "{stored}");
    // `GET …/keys` answers the public key only, as the official server does since 2023.8.
    let keys = ok(
        owner,
        Method::GET,
        &format!("/api/organizations/{org}/keys"),
        None,
    )
    .await;
    assert_eq!(keys["object"], "organizationPublicKey");
    assert!(keys["publicKey"].is_string() && keys.get("privateKey").is_none());
}

/// Every organization write route (a method other than GET on a path under
/// `/api/organizations`, read from the route modules) is sent by at least one fixture.
#[test]
fn every_organization_write_route_has_a_client_fixture() {
    let generic = |path: &str| {
        path.split('/')
            .map(|seg| {
                if seg.starts_with('{') || seg.parse::<i32>().is_ok() {
                    "{}"
                } else {
                    seg
                }
            })
            .collect::<Vec<_>>()
            .join("/")
    };
    let mut declared = BTreeSet::new();
    for text in crate::support::route_sources() {
        for part in text.split(".route(").skip(1) {
            let Some(path) = part.split('"').nth(1) else {
                continue;
            };
            if !path.starts_with("/api/organizations") {
                continue;
            }
            // This route's handlers: up to the next `.route(` (this chunk), or the end of
            // the routes function for the last one.
            let handlers = part.split("\n}").next().unwrap_or("");
            for (token, method) in [
                ("post(", "POST"),
                ("put(", "PUT"),
                ("delete(", "DELETE"),
                ("patch(", "PATCH"),
            ] {
                if handlers.contains(token) {
                    declared.insert(format!("{method} {}", generic(path)));
                }
            }
        }
    }
    assert!(declared.len() > 40, "{declared:?}");
    let covered: BTreeSet<String> = fixtures()
        .iter()
        .flat_map(|(_, f)| f.calls.clone())
        .map(|c| {
            let (m, p) = c.split_once(' ').unwrap();
            format!("{m} {}", generic(p))
        })
        .collect();
    let missing: Vec<_> = declared.difference(&covered).collect();
    assert!(
        missing.is_empty(),
        "organization write routes without a client fixture: {missing:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_current_clients_org_requests_are_understood_on_sqlite() {
    run_fixtures(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_current_clients_org_requests_are_understood_on_postgres() {
    if !backends().contains(&Backend::Postgres) {
        return;
    }
    run_fixtures(Backend::Postgres).await;
}
