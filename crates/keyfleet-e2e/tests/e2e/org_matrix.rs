//! The organization authorization matrix: every org endpoint × every kind of caller → allowed
//! (2xx), refused (400) or not found (404) — generated from one table. A route under
//! `/api/organizations` that has no row here fails the test, so none can land unchecked.
//! Denials are asserted as exactly 404/400: a 401/403 would log the stock clients out.

use crate::support::{self, PASSWORD};
use keyfleet_client::{Access, Method, RawBody, Session};
use keyfleet_crypto::SymmetricKey;
use keyfleet_testkit::{backends, spawn_server, Backend, TestServer};
use serde_json::{json, Value};
use std::collections::BTreeSet;

/// Who calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Owner,
    Admin,
    Manager,
    User,
    CustomWith,
    CustomWithout,
    Revoked,
    Accepted,
    OtherOrgOwner,
    Stranger,
}

const ROLES: [Role; 10] = [
    Role::Owner,
    Role::Admin,
    Role::Manager,
    Role::User,
    Role::CustomWith,
    Role::CustomWithout,
    Role::Revoked,
    Role::Accepted,
    Role::OtherOrgOwner,
    Role::Stranger,
];

use Role::*;
const MEMBERS: &[Role] = &[Owner, Admin, Manager, User, CustomWith, CustomWithout];
const ADMINS: &[Role] = &[Owner, Admin, CustomWith];
const MEMBERS_ANY_STATUS: &[Role] = &[
    Owner,
    Admin,
    Manager,
    User,
    CustomWith,
    CustomWithout,
    Revoked,
    Accepted,
];
const ONLY_OWNER: &[Role] = &[Owner];
const OWNER_ADMIN: &[Role] = &[Owner, Admin];
const COLLECTION_CREATORS: &[Role] = &[Owner, Admin, Manager, CustomWith];
/// Those who reach collection A: by role, or assigned (the manager manages it, the user edits).
const SEE_A: &[Role] = &[Owner, Admin, Manager, User, CustomWith];
const MANAGE_A: &[Role] = &[Owner, Admin, Manager, CustomWith];
const EDIT_ITEM_A: &[Role] = &[Owner, Admin, Manager, User];
const NOBODY: &[Role] = &[];

/// A fresh object a row acts on, made by the owner before each call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    None,
    /// An invited member.
    Invite,
    /// A revoked invited member.
    RevokedInvite,
    /// A member who accepted (has an account), awaiting confirmation.
    AcceptedMember,
    /// A collection the manager and the user are assigned to.
    Collection,
    /// A group.
    Group,
    /// A group with the fixture's user in it.
    GroupWithUser,
    /// An org item in collection A.
    Item,
}

struct Row {
    method: &'static str,
    path: &'static str,
    target: Target,
    body: fn(&Fixture, &str) -> Value,
    allowed: &'static [Role],
    /// Callers answered 400 instead of 404 (their request is understood but refused).
    refused: &'static [Role],
}

fn none(_: &Fixture, _: &str) -> Value {
    Value::Null
}
fn ids(_: &Fixture, t: &str) -> Value {
    json!({ "ids": [t] })
}
fn org_update(_: &Fixture, _: &str) -> Value {
    json!({ "name": "Acme Renamed", "billingEmail": "billing@acme.example" })
}
fn seats(_: &Fixture, _: &str) -> Value {
    json!({ "seatAdjustment": 1 })
}
fn owner_password(f: &Fixture, _: &str) -> Value {
    json!({ "masterPasswordHash": f.owner_hash })
}
fn invite(_: &Fixture, _: &str) -> Value {
    json!({ "emails": [format!("new-{}@example.com", uuid::Uuid::new_v4())], "type": 2, "collections": [], "groups": [] })
}
fn member_update(_: &Fixture, _: &str) -> Value {
    json!({ "type": 2, "collections": [], "groups": [] })
}
fn confirm_one(f: &Fixture, _: &str) -> Value {
    json!({ "key": f.wrapped_for_target.lock().unwrap().clone() })
}
fn confirm_bulk(f: &Fixture, t: &str) -> Value {
    json!({ "keys": [{ "id": t, "key": f.wrapped_for_target.lock().unwrap().clone() }] })
}
fn accept(_: &Fixture, _: &str) -> Value {
    json!({ "token": "not-a-valid-token" })
}
fn collection(f: &Fixture, _: &str) -> Value {
    json!({ "name": f.enc_name, "users": [], "groups": [] })
}
fn collection_keep_access(f: &Fixture, _: &str) -> Value {
    json!({
        "name": f.enc_name,
        "users": [
            { "id": f.manager_member, "readOnly": false, "hidePasswords": false, "manage": false },
            { "id": f.user_member, "readOnly": false, "hidePasswords": false, "manage": false },
        ],
        "groups": [],
    })
}
fn group(_: &Fixture, _: &str) -> Value {
    json!({ "name": "Helpdesk", "collections": [], "users": [] })
}
fn policy(_: &Fixture, _: &str) -> Value {
    json!({ "enabled": true, "data": { "minLength": 14 } })
}
fn item(f: &Fixture, _: &str) -> Value {
    let mut body = f.item_body.clone();
    body["lastKnownRevisionDate"] = Value::Null;
    body
}
fn user_ids(f: &Fixture, _: &str) -> Value {
    json!({ "ids": [f.user_member] })
}
fn wrong_password(_: &Fixture, _: &str) -> Value {
    json!({ "masterPasswordHash": "bm90IHRoZSBwYXNzd29yZA==" })
}
fn create_org(f: &Fixture, _: &str) -> Value {
    f.create_body.clone()
}
fn org_keys(f: &Fixture, _: &str) -> Value {
    // The org has its pair already: the answer is that pair, unchanged.
    f.create_body["keys"].clone()
}
fn bulk_collections(f: &Fixture, t: &str) -> Value {
    json!({ "organizationId": f.org_id, "cipherIds": [t], "collectionIds": [f.collection_a], "removeCollections": false })
}
fn import_org(f: &Fixture, t: &str) -> Value {
    json!({
        "ciphers": [item(f, t)],
        "collections": [{ "id": f.collection_a, "name": f.enc_name, "externalId": null, "groups": [], "users": [] }],
        "collectionRelationships": [{ "key": 0, "value": 0 }],
        "folders": [],
        "folderRelationships": [],
    })
}
fn enrolment(f: &Fixture, _: &str) -> Value {
    json!({ "resetPasswordKey": "4.AAAA", "masterPasswordHash": f.owner_hash })
}
fn recover(f: &Fixture, _: &str) -> Value {
    json!({ "resetMasterPassword": true, "resetTwoFactor": false, "newMasterPasswordHash": f.owner_hash, "key": f.enc_name })
}
fn no_answers(_: &Fixture, _: &str) -> Value {
    json!([])
}
fn deny_one(_: &Fixture, _: &str) -> Value {
    json!({ "requestApproved": false })
}
fn item_collections(f: &Fixture, _: &str) -> Value {
    json!({ "collectionIds": [f.collection_a] })
}

/// The table. Destructive rows (leave, delete) come last; within a row, allowed callers go last.
#[rustfmt::skip]
fn rows() -> Vec<Row> {
    let r = |method, path, target, body, allowed, refused| Row {
        method,
        path,
        target,
        body,
        allowed,
        refused,
    };
    use Target as T;
    vec![
        r("GET", "/api/organizations", T::None, none, &ROLES, NOBODY),
        r("POST", "/api/organizations", T::None, create_org, &ROLES, NOBODY),
        r("POST", "/api/organizations/create-without-payment", T::None, create_org, &ROLES, NOBODY),
        r("GET", "/api/organizations/{org}", T::None, none, MEMBERS, NOBODY),
        r("PUT", "/api/organizations/{org}", T::None, org_update, OWNER_ADMIN, NOBODY),
        r("POST", "/api/organizations/{org}/subscription", T::None, seats, OWNER_ADMIN, NOBODY),
        // Anyone the organization holds a membership (any status) or invitation of: an invitee
        // wraps their user key to it before accepting (account recovery auto-enrolment).
        r("GET", "/api/organizations/{org}/public-key", T::None, none, MEMBERS_ANY_STATUS, NOBODY),
        r("GET", "/api/organizations/{org}/keys", T::None, none, MEMBERS_ANY_STATUS, NOBODY),
        r("POST", "/api/organizations/{org}/keys", T::None, org_keys, OWNER_ADMIN, NOBODY),
        r("POST", "/api/organizations/{org}/api-key", T::None, owner_password, ONLY_OWNER, NOBODY),
        r("POST", "/api/organizations/{org}/rotate-api-key", T::None, owner_password, ONLY_OWNER, NOBODY),
        r("GET", "/api/organizations/{org}/users", T::None, none, ADMINS, NOBODY),
        r("GET", "/api/organizations/{org}/users/mini-details", T::None, none, ADMINS, NOBODY),
        r("GET", "/api/organizations/{org}/users/{target}", T::Invite, none, ADMINS, NOBODY),
        r("POST", "/api/organizations/{org}/users/invite", T::None, invite, ADMINS, NOBODY),
        r("POST", "/api/organizations/{org}/users/reinvite", T::Invite, ids, ADMINS, NOBODY),
        r("POST", "/api/organizations/{org}/users/{target}/reinvite", T::Invite, none, ADMINS, NOBODY),
        r("POST", "/api/organizations/{org}/users/public-keys", T::None, user_ids, ADMINS, NOBODY),
        r("POST", "/api/organizations/{org}/users/{target}/confirm", T::AcceptedMember, confirm_one, ADMINS, NOBODY),
        r("POST", "/api/organizations/{org}/users/confirm", T::AcceptedMember, confirm_bulk, ADMINS, NOBODY),
        r("PUT", "/api/organizations/{org}/users/{target}", T::Invite, member_update, ADMINS, NOBODY),
        r("POST", "/api/organizations/{org}/users/{target}", T::Invite, member_update, ADMINS, NOBODY),
        r("PUT", "/api/organizations/{org}/users/{target}/revoke", T::Invite, none, ADMINS, NOBODY),
        r("PUT", "/api/organizations/{org}/users/revoke", T::Invite, ids, ADMINS, NOBODY),
        r("PUT", "/api/organizations/{org}/users/{target}/restore", T::RevokedInvite, none, ADMINS, NOBODY),
        r("PUT", "/api/organizations/{org}/users/{target}/restore/vnext", T::RevokedInvite, none, ADMINS, NOBODY),
        r("PUT", "/api/organizations/{org}/users/restore", T::RevokedInvite, ids, ADMINS, NOBODY),
        r("DELETE", "/api/organizations/{org}/users/{target}", T::Invite, none, ADMINS, NOBODY),
        r("POST", "/api/organizations/{org}/users/{target}/remove", T::Invite, none, ADMINS, NOBODY),
        r("DELETE", "/api/organizations/{org}/users", T::Invite, ids, ADMINS, NOBODY),
        r("POST", "/api/organizations/{org}/users/remove", T::Invite, ids, ADMINS, NOBODY),
        r("POST", "/api/organizations/{org}/users/{target}/accept", T::Invite, accept, NOBODY, &ROLES),
        r("GET", "/api/organizations/{org}/users/{target}/events", T::Invite, none, ADMINS, NOBODY),
        // Account recovery: the enrolment is the member's own (by USER id: another's is nobody's);
        // nobody reads the details of a member who is not enrolled; with the policy off, those
        // who may recover accounts are told so (400), everyone else learns nothing (404).
        r("PUT", "/api/organizations/{org}/users/{target}/reset-password-enrollment", T::Invite, enrolment, NOBODY, NOBODY),
        r("GET", "/api/organizations/{org}/users/{target}/reset-password-details", T::AcceptedMember, none, NOBODY, NOBODY),
        // The bulk details: those who may recover accounts get the list of the named members
        // they may recover (here none: nobody is enrolled), everyone else learns nothing (the
        // custom member here holds no manageResetPassword).
        r("POST", "/api/organizations/{org}/users/account-recovery-details", T::AcceptedMember, ids, OWNER_ADMIN, NOBODY),
        r("PUT", "/api/organizations/{org}/users/{target}/recover-account", T::AcceptedMember, recover, NOBODY, OWNER_ADMIN),
        r("PUT", "/api/organizations/{org}/users/{target}/reset-password", T::AcceptedMember, recover, NOBODY, OWNER_ADMIN),
        // Admin approval of device logins: those who may recover accounts; no request has a
        // member's id, so answering one is nobody's.
        r("GET", "/api/organizations/{org}/auth-requests", T::None, none, OWNER_ADMIN, NOBODY),
        r("POST", "/api/organizations/{org}/auth-requests", T::None, no_answers, OWNER_ADMIN, NOBODY),
        r("POST", "/api/organizations/{org}/auth-requests/deny", T::Invite, ids, OWNER_ADMIN, NOBODY),
        r("POST", "/api/organizations/{org}/auth-requests/{target}", T::Invite, deny_one, NOBODY, NOBODY),
        r("GET", "/api/organizations/{org}/collections", T::None, none, MEMBERS, NOBODY),
        r("GET", "/api/organizations/{org}/collections/details", T::None, none, MEMBERS, NOBODY),
        r("POST", "/api/organizations/{org}/collections", T::None, collection, COLLECTION_CREATORS, NOBODY),
        r("GET", "/api/organizations/{org}/collections/{target}", T::Collection, none, SEE_A, NOBODY),
        r("GET", "/api/organizations/{org}/collections/{target}/details", T::Collection, none, SEE_A, NOBODY),
        r("PUT", "/api/organizations/{org}/collections/{target}", T::Collection, collection_keep_access, MANAGE_A, NOBODY),
        r("POST", "/api/organizations/{org}/collections/{target}", T::Collection, collection_keep_access, MANAGE_A, NOBODY),
        r("DELETE", "/api/organizations/{org}/collections/{target}", T::Collection, none, MANAGE_A, NOBODY),
        r("POST", "/api/organizations/{org}/collections/{target}/delete", T::Collection, none, MANAGE_A, NOBODY),
        r("DELETE", "/api/organizations/{org}/collections", T::Collection, ids, MANAGE_A, NOBODY),
        r("POST", "/api/organizations/{org}/collections/delete", T::Collection, ids, MANAGE_A, NOBODY),
        r("GET", "/api/organizations/{org}/groups", T::None, none, ADMINS, NOBODY),
        r("GET", "/api/organizations/{org}/groups/details", T::None, none, ADMINS, NOBODY),
        r("POST", "/api/organizations/{org}/groups", T::None, group, ADMINS, NOBODY),
        r("GET", "/api/organizations/{org}/groups/{target}", T::Group, none, ADMINS, NOBODY),
        r("GET", "/api/organizations/{org}/groups/{target}/details", T::Group, none, ADMINS, NOBODY),
        r("GET", "/api/organizations/{org}/groups/{target}/users", T::Group, none, ADMINS, NOBODY),
        r("PUT", "/api/organizations/{org}/groups/{target}", T::Group, group, ADMINS, NOBODY),
        r("POST", "/api/organizations/{org}/groups/{target}", T::Group, group, ADMINS, NOBODY),
        r("DELETE", "/api/organizations/{org}/groups/{target}/user/{member}", T::GroupWithUser, none, ADMINS, NOBODY),
        r("DELETE", "/api/organizations/{org}/groups/{target}", T::Group, none, ADMINS, NOBODY),
        r("DELETE", "/api/organizations/{org}/groups", T::Group, ids, ADMINS, NOBODY),
        r("POST", "/api/organizations/{org}/groups/delete", T::Group, ids, ADMINS, NOBODY),
        r("POST", "/api/ciphers/bulk-collections", T::Item, bulk_collections, MANAGE_OR_ADMIN_ITEM_ALL, &[User, CustomWithout]),
        // Anonymous, with an invitation's token, email and member id in the query: a call
        // without them is nobody's.
        r("GET", "/api/organizations/{org}/policies/token", T::None, none, NOBODY, NOBODY),
        r("GET", "/api/organizations/{org}/policies", T::None, none, MEMBERS, NOBODY),
        r("GET", "/api/organizations/{org}/policies/{type}", T::None, none, MEMBERS, NOBODY),
        r("PUT", "/api/organizations/{org}/policies/{type}", T::None, policy, ADMINS, NOBODY),
        r("GET", "/api/organizations/{org}/events", T::None, none, ADMINS, NOBODY),
        r("GET", "/api/ciphers/organization-details?organizationId={org}", T::None, none, ADMINS, NOBODY),
        // Import: import/export rights, or managing every collection named (the manager manages
        // A; a custom member editing any collection does too); other members get the official 400.
        r("POST", "/api/ciphers/import-organization?organizationId={org}", T::None, import_org, MANAGE_A, &[User, CustomWithout]),
        // Export: the whole vault with import/export rights, else the collections one manages.
        r("GET", "/api/organizations/{org}/export", T::None, none, &[Owner, Admin, Manager], NOBODY),
        r("GET", "/api/ciphers/{target}", T::Item, none, EDIT_ITEM_A, NOBODY),
        r("PUT", "/api/ciphers/{target}", T::Item, item, EDIT_ITEM_A, NOBODY),
        r("PUT", "/api/ciphers/{target}/collections_v2", T::Item, item_collections, MANAGE_OR_ADMIN_ITEM, &[User]),
        r("PUT", "/api/ciphers/{target}/delete", T::Item, none, EDIT_ITEM_A, NOBODY),
        // Whoever sees every item in the admin vault view (custom: edit any collection) may purge one.
        r("DELETE", "/api/ciphers/{target}/admin", T::Item, none, ADMINS, NOBODY),
        // Destructive rows last: after `leave`, members are gone; `delete` ends the org.
        r("POST", "/api/organizations/{org}/leave", T::None, none, &[Admin, Manager, User, CustomWith, CustomWithout], ONLY_OWNER),
        r("POST", "/api/organizations/{org}/delete", T::None, wrong_password, NOBODY, ONLY_OWNER),
        r("DELETE", "/api/organizations/{org}", T::None, owner_password, ONLY_OWNER, NOBODY),
    ]
}

/// Items' collections change with manage rights on the item, or by role.
const MANAGE_OR_ADMIN_ITEM: &[Role] = &[Owner, Admin, Manager];
/// The same for many items at once, where a custom member managing every item counts too.
const MANAGE_OR_ADMIN_ITEM_ALL: &[Role] = &[Owner, Admin, Manager, CustomWith];

struct Fixture {
    org_id: String,
    org_key: SymmetricKey,
    collection_a: String,
    manager_member: String,
    user_member: String,
    accepted_member: String,
    owner_hash: String,
    enc_name: String,
    item_body: Value,
    create_body: Value,
    wrapped_for_target: std::sync::Mutex<String>,
    sessions: Vec<(Role, Session)>,
}

/// How a test account joins the organization.
struct JoinAs<'a> {
    member_type: i32,
    permissions: Value,
    collections: &'a [(String, Access)],
    /// Accept but wait for confirmation.
    stop_at_accept: bool,
}

/// Invites `session`'s account, accepts, and (unless `stop_at_accept`) confirms.
async fn join(
    owner: &Session,
    org_id: &str,
    org_key: &SymmetricKey,
    session: &Session,
    how: JoinAs<'_>,
) -> String {
    let JoinAs {
        member_type,
        permissions,
        collections,
        stop_at_accept,
    } = how;
    let body = json!({
        "emails": [session.email],
        "type": member_type,
        "permissions": permissions,
        "collections": collections.iter().map(|(id, a)| a.selection(id)).collect::<Vec<_>>(),
        "groups": [],
    });
    let invites: Value = owner
        .call(
            Method::POST,
            &format!("/api/organizations/{org_id}/users/invite"),
            Some(body),
        )
        .await
        .unwrap();
    let member = invites["data"][0]["id"].as_str().unwrap().to_string();
    let token = invites["data"][0]["token"].as_str().unwrap();
    session.accept_invite(org_id, &member, token).await.unwrap();
    if !stop_at_accept {
        owner
            .confirm_member(org_id, &member, org_key)
            .await
            .unwrap();
    }
    member
}

async fn fixture(server: &TestServer) -> Fixture {
    let owner = support::user(server, "owner@example.com").await;
    let created = owner
        .create_org("Acme", "billing@acme.example", 19, Some(1000), "A")
        .await
        .unwrap();
    let org_id = created.org.id.clone();
    let org_key = created.key;
    let collections: Value = owner
        .call(
            Method::GET,
            &format!("/api/organizations/{org_id}/collections"),
            None,
        )
        .await
        .unwrap();
    let collection_a = collections["data"][0]["id"].as_str().unwrap().to_string();
    let a = |access| vec![(collection_a.clone(), access)];
    let all_permissions = json!({
        "manageUsers": true, "manageGroups": true, "managePolicies": true,
        "accessEventLogs": true, "createNewCollections": true, "editAnyCollection": true,
        "deleteAnyCollection": true,
    });
    let mut sessions = Vec::new();
    let mut manager_member = String::new();
    let mut user_member = String::new();
    let mut accepted_member = String::new();
    for role in [
        Admin,
        Manager,
        User,
        CustomWith,
        CustomWithout,
        Revoked,
        Accepted,
    ] {
        let s = support::user(server, &format!("{role:?}@example.com").to_lowercase()).await;
        let (t, perms, access) = match role {
            Admin => (1, json!({}), vec![]),
            Manager => (3, json!({}), a(Access::EDIT)),
            User => (2, json!({}), a(Access::EDIT)),
            CustomWith => (4, all_permissions.clone(), vec![]),
            CustomWithout => (4, json!({}), vec![]),
            _ => (2, json!({}), a(Access::EDIT)),
        };
        let how = JoinAs {
            member_type: t,
            permissions: perms,
            collections: &access,
            stop_at_accept: role == Accepted,
        };
        let member = join(&owner, &org_id, &org_key, &s, how).await;
        match role {
            Manager => manager_member = member,
            User => user_member = member,
            Accepted => accepted_member = member,
            Revoked => {
                let _: Value = owner
                    .call(
                        Method::PUT,
                        &format!("/api/organizations/{org_id}/users/{member}/revoke"),
                        None,
                    )
                    .await
                    .unwrap();
            }
            _ => {}
        }
        sessions.push((role, s));
    }
    let other = support::user(server, "other@example.com").await;
    other
        .create_org("Other", "o@example.com", 17, Some(5), "Theirs")
        .await
        .unwrap();
    sessions.push((OtherOrgOwner, other));
    sessions.push((
        Stranger,
        support::user(server, "stranger@example.com").await,
    ));
    let (owner_hash, _) = owner
        .client()
        .password_hash("owner@example.com", PASSWORD)
        .await
        .unwrap();
    let enc_name = keyfleet_crypto::EncString::encrypt_str(&org_key, "Fresh");
    let item_body = json!(owner.org_login_item_body(&org_id, &org_key, "Item", "u", "p"));
    let (org_private, org_public) = keyfleet_crypto::generate_rsa_keypair().unwrap();
    let new_key = SymmetricKey::generate();
    let create_body = json!({
        "name": "Another",
        "billingEmail": "x@example.com",
        "planType": 0,
        "key": keyfleet_crypto::EncString::encrypt_rsa(&org_public, &new_key.to_bytes()).unwrap().to_string(),
        "keys": {
            "publicKey": org_public.to_spki_der_b64().unwrap(),
            "encryptedPrivateKey": keyfleet_crypto::EncString::encrypt_aes(&new_key, &org_private.to_pkcs8_der().unwrap()).to_string(),
        },
        "collectionName": keyfleet_crypto::EncString::encrypt_str(&new_key, "First"),
    });
    sessions.insert(0, (Owner, owner));
    Fixture {
        org_id,
        org_key,
        collection_a,
        manager_member,
        user_member,
        accepted_member,
        owner_hash,
        enc_name,
        item_body,
        create_body,
        wrapped_for_target: std::sync::Mutex::new(String::new()),
        sessions,
    }
}

fn session(f: &Fixture, role: Role) -> &Session {
    &f.sessions.iter().find(|(r, _)| *r == role).unwrap().1
}

/// Makes the row's fresh target (as the owner) and returns its id.
/// `allowed` says whether the call will act on the target: refused calls leave it as it is, so
/// they share the fixture's accepted member instead of registering a new account each.
async fn make_target(
    server: &TestServer,
    f: &Fixture,
    target: Target,
    n: usize,
    allowed: bool,
) -> String {
    let owner = session(f, Owner);
    let org = &f.org_id;
    let invite = |email: String| async move {
        let v = owner.invite_members(org, &[&email], 2, &[]).await.unwrap();
        v[0].id.as_str().to_string()
    };
    match target {
        Target::None => String::new(),
        Target::Invite => invite(format!("t{n}-{}@example.com", uuid::Uuid::new_v4())).await,
        Target::RevokedInvite => {
            let id = invite(format!("r{n}-{}@example.com", uuid::Uuid::new_v4())).await;
            let _: Value = owner
                .call(
                    Method::PUT,
                    &format!("/api/organizations/{org}/users/{id}/revoke"),
                    None,
                )
                .await
                .unwrap();
            id
        }
        Target::AcceptedMember if !allowed => f.accepted_member.clone(),
        Target::AcceptedMember => {
            let s = support::user(
                server,
                &format!("a{n}-{}@example.com", uuid::Uuid::new_v4()),
            )
            .await;
            let how = JoinAs {
                member_type: 2,
                permissions: json!({}),
                collections: &[],
                stop_at_accept: true,
            };
            let id = join(owner, org, &f.org_key, &s, how).await;
            let (public, _) = owner.member_public_key(org, &id).await.unwrap();
            *f.wrapped_for_target.lock().unwrap() =
                keyfleet_crypto::EncString::encrypt_rsa(&public, &f.org_key.to_bytes())
                    .unwrap()
                    .to_string();
            id
        }
        Target::Collection => {
            let users = [
                (f.manager_member.clone(), Access::EDIT),
                (f.user_member.clone(), Access::EDIT),
            ];
            owner
                .create_collection(org, &f.org_key, "Fresh", &users)
                .await
                .unwrap()
                .collection
                .id
        }
        Target::Group | Target::GroupWithUser => {
            let users = match target {
                Target::GroupWithUser => json!([f.user_member]),
                _ => json!([]),
            };
            let v: Value = owner
                .call(
                    Method::POST,
                    &format!("/api/organizations/{org}/groups"),
                    Some(json!({ "name": "G", "collections": [], "users": users })),
                )
                .await
                .unwrap();
            v["id"].as_str().unwrap().to_string()
        }
        Target::Item => {
            owner
                .create_org_login(org, &f.org_key, &[&f.collection_a], "Item", "u", "p")
                .await
                .unwrap()
                .id
        }
    }
}

async fn run_matrix(backend: Backend) {
    let server = spawn_server(backend).await;
    let f = fixture(&server).await;
    let mut failures = Vec::new();
    let mut n = 0;
    for row in rows() {
        // Denied callers first, so a destructive allowed call cannot hide a wrong denial.
        let mut order: Vec<Role> = ROLES
            .iter()
            .copied()
            .filter(|r| !row.allowed.contains(r))
            .collect();
        order.extend(ROLES.iter().copied().filter(|r| row.allowed.contains(r)));
        for role in order {
            n += 1;
            let target = make_target(&server, &f, row.target, n, row.allowed.contains(&role)).await;
            let path = row
                .path
                .replace("{org}", &f.org_id)
                .replace("{target}", &target)
                .replace("{type}", "2")
                .replace("{member}", &f.user_member);
            let body = match (row.body)(&f, &target) {
                Value::Null => RawBody::Empty,
                v => RawBody::Json(v),
            };
            let method: Method = row.method.parse().unwrap();
            let s = session(&f, role);
            let res = s
                .client()
                .raw(method, &path, Some(&s.access_token), body)
                .await
                .unwrap();
            let expected = if row.allowed.contains(&role) {
                "2xx"
            } else if row.refused.contains(&role) {
                "400"
            } else {
                "404"
            };
            let ok = match expected {
                "2xx" => (200..300).contains(&res.status),
                "400" => res.status == 400,
                _ => res.status == 404,
            };
            if !ok {
                failures.push(format!(
                    "{} {} as {role:?}: expected {expected}, got {} {}",
                    row.method,
                    row.path,
                    res.status,
                    res.body.chars().take(160).collect::<String>()
                ));
            }
        }
    }
    server.stop().await;
    assert!(
        failures.is_empty(),
        "{} cell(s) wrong:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Every org route the server declares has a row (paths read from the route modules).
#[test]
fn every_organization_route_has_a_row_in_the_matrix() {
    let mut declared = BTreeSet::new();
    for text in crate::support::route_sources() {
        for part in text.split("\"/api/organizations").skip(1) {
            let path = part.split('"').next().unwrap();
            declared.insert(format!("/api/organizations{path}"));
        }
    }
    let covered: BTreeSet<String> = rows()
        .iter()
        .map(|r| r.path.replace("{target}", "{id}"))
        .collect();
    let missing: Vec<_> = declared
        .iter()
        .filter(|p| !covered.contains(&p.to_string()))
        .collect();
    assert!(
        missing.is_empty(),
        "org routes without a matrix row: {missing:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_org_authorization_matrix_holds_on_sqlite() {
    run_matrix(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_org_authorization_matrix_holds_on_postgres() {
    if !backends().contains(&Backend::Postgres) {
        return;
    }
    run_matrix(Backend::Postgres).await;
}
