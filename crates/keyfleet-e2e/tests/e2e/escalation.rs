//! Rights that cannot grow. The route matrices check who may *call* a route; this suite checks
//! what a call *grants*. Every route that grants or changes rights — org members (invite,
//! update, confirm, revoke, restore, remove), groups, collections, provider members, roles and
//! assignments — is tried by every kind of caller an attacker could be (a Custom member with
//! each single permission, a Manager, an Admin, the client's Owner, launched technicians and a
//! launched provider admin, a provider member manager, and technicians suspended or removed
//! after their token was issued), with every escalation: grant themselves more, grant others
//! more than they hold, touch an Owner, make themselves a member, keep access after removal.
//! The attempts come from one table. Each must be refused (400 or 404 — never 2xx, and never
//! 401/403, which log the stock apps out) **and** leave the stored state as it was, read back by
//! the client's own owner and the provider's owner.
//!
//! Beside the table: the same callers' legitimate jobs still work, the two attack stories of
//! the issue are replayed with their exact requests, and the provider log answers who gave
//! whom access to which client, from either side.

use crate::provider_support::{account, client_request, ok, send, Account, Member, TwoStep, World};
use keyfleet_client::api::kinds::Permission;
use keyfleet_client::keys::wrap_to_public;
use keyfleet_client::{Access, MemberRole, Method, NewClient, RoleScope, Session};
use keyfleet_crypto::{EncString, SymmetricKey};
use keyfleet_domain::ManualClock;
use keyfleet_testkit::spawn_server_with_clock as server_with_clock;
use keyfleet_testkit::{backends, Backend, TestServer};
use serde_json::{json, Value};

/// The custom permissions, one Custom member holding each alone.
const PERMISSIONS: [&str; 12] = [
    "accessEventLogs",
    "accessImportExport",
    "accessReports",
    "createNewCollections",
    "editAnyCollection",
    "deleteAnyCollection",
    "manageGroups",
    "managePolicies",
    "manageSso",
    "manageUsers",
    "manageResetPassword",
    "manageScim",
];

/// Who attempts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    /// A Custom member of the client holding only `PERMISSIONS[i]` (and Can manage on
    /// collection A).
    Custom(usize),
    /// A Manager of the client (Can manage on collection A).
    Manager,
    /// An Admin of the client.
    Admin,
    /// The client's own Owner.
    Owner,
    /// A provider technician assigned to the client, launched in. Their account also has an
    /// accepted (not confirmed) membership the client's owner invited.
    Tech,
    /// A provider technician assigned to the client who is also a confirmed User of it (made by
    /// the client's owner, in group T, with no collection), launched in.
    TechMember,
    /// A provider admin, launched in.
    ProviderAdmin,
    /// A provider member whose custom role manages members (scope: assigned, client one).
    ProviderManager,
    /// A technician assigned to the client, suspended after their token was issued.
    Suspended,
    /// A technician assigned to the client, deleted after their token was issued.
    Removed,
    /// The technician assigned to client one, which the provider created without an owner.
    OwnerlessTech,
    /// A provider member whose custom role manages roles (scope: assigned, client one).
    RoleManager,
}

use Who::*;

fn customs() -> Vec<Who> {
    (0..PERMISSIONS.len()).map(Custom).collect()
}

/// The Custom members, the Manager, and `more`.
fn members_and(more: &[Who]) -> Vec<Who> {
    let mut v = customs();
    v.push(Manager);
    v.extend_from_slice(more);
    v
}

const LAUNCHED: [Who; 3] = [Tech, TechMember, ProviderAdmin];
const GONE: [Who; 2] = [Suspended, Removed];

/// One caller of the fixture.
struct Caller {
    who: Who,
    /// Their session (`None`: the client's owner's or the provider admin's, kept in `Fx`).
    own_session: Option<Session>,
    /// Their own membership of the client (any status), if any.
    member: Option<String>,
    /// Their provider membership, if any.
    puid: Option<String>,
}

/// The fixture: the standard provider world plus "Acme", a client created by the provider with
/// an owner of its own, and everyone who attempts.
struct Fx {
    w: World,
    boss: Account,
    org: String,
    poid: String,
    key: SymmetricKey,
    col_a: String,
    col_b: String,
    group_a: String,
    group_b: String,
    group_t: String,
    boss_member: String,
    org_admin_member: String,
    user_member: String,
    rich_member: String,
    revoked_owner_member: String,
    pending_owner: (String, String),
    /// An Owner invitation (not accepted) and its link's token.
    invited_owner: (String, String),
    /// Custom roles: one wider than anyone but admins, one narrow, the role manager's own.
    wide_role: String,
    narrow_role: String,
    role_managers_role: String,
    pending_rich: (String, String),
    tech_pending: (String, String),
    item_b: String,
    callers: Vec<Caller>,
}

impl Fx {
    fn caller(&self, who: Who) -> &Caller {
        self.callers.iter().find(|c| c.who == who).unwrap()
    }

    fn session(&self, who: Who) -> &Session {
        match (who, &self.caller(who).own_session) {
            (_, Some(s)) => s,
            (Owner, None) => &self.boss.session,
            (OwnerlessTech, None) => self.w.tech_a.s(),
            _ => self.w.admin.s(),
        }
    }

    fn o(&self, rest: &str) -> String {
        format!("/api/organizations/{}{rest}", self.org)
    }
}

/// The org key wrapped to accepted member `id`'s public key, as the confirming app sends it.
async fn wrapped_for(by: &Session, org: &str, id: &str, key: &SymmetricKey) -> String {
    let (public, _) = by.member_public_key(org, id).await.unwrap();
    wrap_to_public(&public, key).unwrap()
}

/// `session` joins `org` as invited by `boss` (type, permissions, collections); confirmed
/// unless `confirm` is false. Answers the membership id.
async fn join(
    boss: &Session,
    org: &str,
    key: &SymmetricKey,
    session: &Session,
    body: Value,
    confirm: bool,
) -> String {
    let mut body = body;
    body["emails"] = json!([session.email]);
    let invites = ok(
        boss,
        Method::POST,
        &format!("/api/organizations/{org}/users/invite"),
        Some(body),
    )
    .await;
    let id = invites["data"][0]["id"].as_str().unwrap().to_string();
    session
        .accept_invite(org, &id, invites["data"][0]["token"].as_str().unwrap())
        .await
        .unwrap();
    if confirm {
        boss.confirm_member(org, &id, key).await.unwrap();
    }
    id
}

fn member_body(t: i32, permissions: Value, collections: Value) -> Value {
    json!({ "type": t, "permissions": permissions, "collections": collections, "groups": [] })
}

fn all_permissions() -> Value {
    Value::Object(
        PERMISSIONS
            .iter()
            .map(|p| (p.to_string(), Value::Bool(true)))
            .collect(),
    )
}

async fn fixture(server: &TestServer, clock: &ManualClock) -> Fx {
    let w = World::build(server, clock).await;
    let powner = w.owner.s();
    // Acme: created by the provider with an owner of its own, whom a launched provider admin
    // confirms (the one Owner a provider member may bring in: the client's first).
    let boss = account(server, "boss@acme.example", TwoStep::Off, clock).await;
    let created = powner
        .create_provider_client(
            &w.provider.id,
            &NewClient {
                owner_email: Some(boss.session.email.clone()),
                ..client_request("Acme")
            },
        )
        .await
        .unwrap();
    let key = created.key;
    let org = created.client.client.organization_id.clone();
    let poid = created.client.client.id.clone();
    let invite = created.client.owner_invite.as_ref().unwrap();
    let boss_member = invite.id.clone();
    boss.session
        .accept_invite(&org, &boss_member, &invite.token)
        .await
        .unwrap();
    w.admin
        .s()
        .confirm_member(&org, &boss_member, &key)
        .await
        .unwrap();
    let b = &boss.session;
    let o = |rest: &str| format!("/api/organizations/{org}{rest}");
    let collections = ok(b, Method::GET, &o("/collections"), None).await;
    let col_a = collections["data"][0]["id"].as_str().unwrap().to_string();
    let col_b = b
        .create_collection(&org, &key, "Vault B", &[])
        .await
        .unwrap()
        .collection
        .id;
    let item_b = b
        .create_org_login(&org, &key, &[&col_b], "B secret", "root", "b-pass")
        .await
        .unwrap()
        .id;

    let new_account =
        |email: String| async move { account(server, &email, TwoStep::Off, clock).await.session };
    let manage_a = json!([Access::MANAGE.selection(&col_a)]);
    let mut callers = Vec::new();
    for (i, p) in PERMISSIONS.iter().enumerate() {
        let s = new_account(format!("custom-{i}@acme.example")).await;
        let body = member_body(4, json!({ *p: true }), manage_a.clone());
        let member = join(b, &org, &key, &s, body, true).await;
        callers.push(Caller {
            who: Custom(i),
            own_session: Some(s),
            member: Some(member),
            puid: None,
        });
    }
    for (who, t, collections) in [(Manager, 3, manage_a.clone()), (Admin, 1, json!([]))] {
        let s = new_account(format!("{who:?}@acme.example").to_lowercase()).await;
        let member = join(
            b,
            &org,
            &key,
            &s,
            member_body(t, json!({}), collections),
            true,
        )
        .await;
        callers.push(Caller {
            who,
            own_session: Some(s),
            member: Some(member),
            puid: None,
        });
    }
    let org_admin_member = callers.last().unwrap().member.clone().unwrap();
    let target = |email: &str, t: i32, p: Value, c: Value, confirm: bool| {
        let email = email.to_string();
        let (org, key) = (org.clone(), key.clone());
        async move {
            let s = new_account(email).await;
            let id = join(b, &org, &key, &s, member_body(t, p, c), confirm).await;
            (s, id)
        }
    };
    let (_, user_member) = target(
        "user@acme.example",
        2,
        json!({}),
        json!([Access::READ_ONLY.selection(&col_a)]),
        true,
    )
    .await;
    let (_, rich_member) = target("rich@acme.example", 4, all_permissions(), json!([]), true).await;
    let (_, revoked_owner_member) =
        target("owner2@acme.example", 0, json!({}), json!([]), true).await;
    ok(
        b,
        Method::PUT,
        &o(&format!("/users/{revoked_owner_member}/revoke")),
        None,
    )
    .await;
    let (_, pending_owner_id) =
        target("pending-owner@acme.example", 0, json!({}), json!([]), false).await;
    let pending_owner_key = wrapped_for(b, &org, &pending_owner_id, &key).await;
    let (_, pending_rich_id) = target(
        "pending-rich@acme.example",
        4,
        all_permissions(),
        json!([]),
        false,
    )
    .await;
    let pending_rich_key = wrapped_for(b, &org, &pending_rich_id, &key).await;
    let invited = ok(
        b,
        Method::POST,
        &o("/users/invite"),
        Some(json!({ "emails": ["ceo@acme.example"], "type": 0, "collections": [], "groups": [] })),
    )
    .await;
    let invited_owner = (
        invited["data"][0]["id"].as_str().unwrap().to_string(),
        invited["data"][0]["token"].as_str().unwrap().to_string(),
    );

    // Provider members.
    let add = |email: &'static str, role: MemberRole, clients: Vec<String>| {
        let w = &w;
        async move {
            let clients: Vec<&str> = clients.iter().map(String::as_str).collect();
            w.member(server, clock, email, role, &clients).await
        }
    };
    let tech = add(
        "tech@msp.example",
        MemberRole::Technician,
        vec![poid.clone()],
    )
    .await;
    let tech_member = add(
        "tech-m@msp.example",
        MemberRole::Technician,
        vec![poid.clone()],
    )
    .await;
    let suspended = add(
        "tech-s@msp.example",
        MemberRole::Technician,
        vec![poid.clone()],
    )
    .await;
    let removed = add(
        "tech-r@msp.example",
        MemberRole::Technician,
        vec![poid.clone()],
    )
    .await;
    let role = w
        .provider
        .create_role(
            powner,
            "Member managers",
            &[Permission::ManageMembers, Permission::ViewClients],
            RoleScope::Assigned,
        )
        .await;
    let manager = add(
        "member-manager@msp.example",
        MemberRole::Custom(role),
        vec![w.client1.poid.clone()],
    )
    .await;
    let role_managers_role = w
        .provider
        .create_role(
            powner,
            "Role managers",
            &[Permission::ManageRoles, Permission::ViewClients],
            RoleScope::Assigned,
        )
        .await;
    let role_manager = add(
        "role-manager@msp.example",
        MemberRole::Custom(role_managers_role.clone()),
        vec![w.client1.poid.clone()],
    )
    .await;
    let wide_role = w
        .provider
        .create_role(
            powner,
            "Wide",
            &[
                Permission::ViewClients,
                Permission::LaunchIntoClient,
                Permission::ManageRoles,
                Permission::ViewEvents,
            ],
            RoleScope::All,
        )
        .await;
    let narrow_role = w
        .provider
        .create_role(
            powner,
            "Narrow",
            &[Permission::ViewClients],
            RoleScope::Assigned,
        )
        .await;
    // The client's owner makes one technician a User of the client (in group T, no collection)
    // and invites another, who accepts.
    let tm_member = join(
        b,
        &org,
        &key,
        tech_member.s(),
        member_body(2, json!({}), json!([])),
        true,
    )
    .await;
    let tech_pending_id = join(
        b,
        &org,
        &key,
        tech.s(),
        member_body(2, json!({}), json!([])),
        false,
    )
    .await;
    let tech_pending_key = wrapped_for(b, &org, &tech_pending_id, &key).await;
    let group = |name: &str, collections: Value, users: Value| {
        let body = json!({ "name": name, "collections": collections, "users": users });
        let path = o("/groups");
        async move {
            ok(b, Method::POST, &path, Some(body)).await["id"]
                .as_str()
                .unwrap()
                .to_string()
        }
    };
    let group_a = group("A", json!([Access::EDIT.selection(&col_a)]), json!([])).await;
    let group_b = group("B", json!([Access::EDIT.selection(&col_b)]), json!([])).await;
    let group_t = group("T", json!([]), json!([tm_member])).await;

    // Suspended and removed after their tokens were issued — and after they reached the client.
    for m in [&suspended, &removed] {
        let details = format!("/api/ciphers/organization-details?organizationId={org}");
        ok(m.s(), Method::GET, &details, None).await;
    }
    ok(
        powner,
        Method::POST,
        &w.path(&format!("/users/{}/suspend", suspended.puid)),
        None,
    )
    .await;
    ok(
        powner,
        Method::DELETE,
        &w.path(&format!("/users/{}", removed.puid)),
        None,
    )
    .await;

    let provider_caller = |who: Who, m: Member, member: Option<String>| Caller {
        who,
        puid: Some(m.puid),
        own_session: Some(m.account.session),
        member,
    };
    callers.push(Caller {
        who: Owner,
        own_session: None,
        member: Some(boss_member.clone()),
        puid: None,
    });
    callers.push(provider_caller(Tech, tech, Some(tech_pending_id.clone())));
    callers.push(provider_caller(TechMember, tech_member, Some(tm_member)));
    callers.push(Caller {
        who: ProviderAdmin,
        own_session: None,
        member: None,
        puid: Some(w.admin.puid.clone()),
    });
    callers.push(provider_caller(ProviderManager, manager, None));
    callers.push(provider_caller(RoleManager, role_manager, None));
    callers.push(Caller {
        who: OwnerlessTech,
        own_session: None,
        member: None,
        puid: Some(w.tech_a.puid.clone()),
    });
    callers.push(provider_caller(Suspended, suspended, None));
    callers.push(provider_caller(Removed, removed, None));
    Fx {
        w,
        boss,
        org,
        poid,
        key,
        col_a,
        col_b,
        group_a,
        group_b,
        group_t,
        boss_member,
        org_admin_member,
        user_member,
        rich_member,
        revoked_owner_member,
        pending_owner: (pending_owner_id, pending_owner_key),
        invited_owner,
        wide_role,
        narrow_role,
        role_managers_role,
        pending_rich: (pending_rich_id, pending_rich_key),
        tech_pending: (tech_pending_id, tech_pending_key),
        item_b,
        callers,
    }
}

/// One escalation attempt, tried by each of `callers`. In `path` and `body`, `{me}` is the
/// caller's own client membership, `{me_puid}` their provider membership and `{me_email}` their
/// address.
struct Attempt {
    what: &'static str,
    method: Method,
    path: String,
    body: Option<Value>,
    callers: Vec<Who>,
}

#[rustfmt::skip]
fn attempts(f: &Fx) -> Vec<Attempt> {
    let a = |what, method, path: String, body: Option<Value>, callers: Vec<Who>| Attempt {
        what, method, path, body, callers,
    };
    let o = |rest: &str| f.o(rest);
    let p = |rest: &str| f.w.path(rest);
    let sel = |id: &str, access: Access| access.selection(id);
    let fresh = || format!("new-{}@acme.example", uuid::Uuid::new_v4());
    let invite = |t: i32, permissions: Value, collections: Value, groups: Value| {
        json!({ "emails": [fresh()], "type": t, "permissions": permissions, "collections": collections, "groups": groups })
    };
    let user_a = json!([sel(&f.col_a, Access::READ_ONLY)]);
    let everyone_in_org = members_and(&[Admin, Owner]);
    let launched_and = |more: &[Who]| {
        let mut v = members_and(more);
        v.extend(LAUNCHED);
        v
    };
    let (pending_owner, pending_owner_key) = &f.pending_owner;
    let (pending_rich, pending_rich_key) = &f.pending_rich;
    let (tech_pending, tech_pending_key) = &f.tech_pending;
    vec![
        // ---- grant themselves more
        a("grant own membership every permission", Method::PUT, o("/users/{me}"),
          Some(member_body(4, all_permissions(), json!([]))),
          { let mut v = everyone_in_org.clone(); v.push(TechMember); v }),
        a("give own membership an unmanaged collection", Method::PUT, o("/users/{me}"),
          Some(member_body(4, json!({}), json!([sel(&f.col_b, Access::MANAGE)]))),
          { let mut v = everyone_in_org.clone(); v.push(TechMember); v }),
        a("put own membership in a group", Method::PUT, o("/users/{me}"),
          Some(json!({ "type": 2, "collections": [], "groups": [f.group_b] })),
          { let mut v = everyone_in_org.clone(); v.push(TechMember); v }),
        a("add self to a group", Method::PUT, o(&format!("/groups/{}", f.group_a)),
          Some(json!({ "name": "A", "collections": [sel(&f.col_a, Access::EDIT)], "users": ["{me}"] })),
          { let mut v = everyone_in_org.clone(); v.push(TechMember); v }),
        a("create a group reaching an unmanaged collection, with self in it", Method::POST, o("/groups"),
          Some(json!({ "name": "Mine", "collections": [sel(&f.col_b, Access::MANAGE)], "users": ["{me}"] })),
          { let mut v = everyone_in_org.clone(); v.push(TechMember); v }),
        a("give self access to a collection", Method::PUT, o(&format!("/collections/{}", f.col_b)),
          Some(json!({ "name": EncString::encrypt_str(&f.key, "Vault B"), "users": [sel("{me}", Access::MANAGE)], "groups": [] })),
          { let mut v = everyone_in_org.clone(); v.push(TechMember); v }),
        a("give own group a collection", Method::PUT, o(&format!("/groups/{}", f.group_t)),
          Some(json!({ "name": "T", "collections": [sel(&f.col_b, Access::EDIT)], "users": [f.caller(TechMember).member] })),
          members_and(&[TechMember])),
        a("give a collection to own group", Method::PUT, o(&format!("/collections/{}", f.col_b)),
          Some(json!({ "name": EncString::encrypt_str(&f.key, "Vault B"), "users": [], "groups": [sel(&f.group_t, Access::EDIT)] })),
          // A Custom member editing any collection holds Vault B: handing it to a group is its job.
          customs().into_iter().filter(|w| *w != Custom(4)).chain([Manager, TechMember]).collect()),
        a("create a collection for self", Method::POST, o("/collections"),
          Some(json!({ "name": EncString::encrypt_str(&f.key, "Mine"), "users": [sel("{me}", Access::MANAGE)], "groups": [] })),
          vec![TechMember]),
        // ---- grant others more than they hold
        a("invite a Custom member with every permission", Method::POST, o("/users/invite"),
          Some(invite(4, all_permissions(), json!([]), json!([]))), members_and(&[])),
        a("invite with an unmanaged collection", Method::POST, o("/users/invite"),
          Some(invite(2, json!({}), json!([sel(&f.col_b, Access::MANAGE)]), json!([]))), members_and(&[])),
        a("invite into a group reaching an unmanaged collection", Method::POST, o("/users/invite"),
          Some(invite(2, json!({}), json!([]), json!([f.group_b]))), members_and(&[])),
        a("invite a Manager", Method::POST, o("/users/invite"),
          Some(invite(3, json!({}), json!([]), json!([]))),
          customs().into_iter().filter(|w| *w != Custom(3)).collect()),
        a("raise a member to every permission", Method::PUT, o(&format!("/users/{}", f.user_member)),
          Some(member_body(4, all_permissions(), user_a.clone())), members_and(&[])),
        a("give a member an unmanaged collection", Method::PUT, o(&format!("/users/{}", f.user_member)),
          Some(member_body(2, json!({}), json!([sel(&f.col_a, Access::READ_ONLY), sel(&f.col_b, Access::EDIT)]))),
          members_and(&[])),
        a("put a member in a group reaching an unmanaged collection", Method::PUT, o(&format!("/users/{}", f.user_member)),
          Some(json!({ "type": 2, "collections": user_a, "groups": [f.group_b] })), members_and(&[])),
        a("demote a member holding more", Method::PUT, o(&format!("/users/{}", f.rich_member)),
          Some(member_body(2, json!({}), json!([]))), members_and(&[])),
        a("revoke a member holding more", Method::PUT, o(&format!("/users/{}/revoke", f.rich_member)),
          None, members_and(&[])),
        a("confirm a member holding more", Method::POST, o(&format!("/users/{pending_rich}/confirm")),
          Some(json!({ "key": pending_rich_key })), members_and(&[])),
        a("give a group an unmanaged collection", Method::PUT, o(&format!("/groups/{}", f.group_a)),
          Some(json!({ "name": "A", "collections": [sel(&f.col_a, Access::EDIT), sel(&f.col_b, Access::EDIT)], "users": [] })),
          members_and(&[])),
        a("add a member to a group reaching an unmanaged collection", Method::PUT, o(&format!("/groups/{}", f.group_b)),
          Some(json!({ "name": "B", "collections": [sel(&f.col_b, Access::EDIT)], "users": [f.user_member] })),
          members_and(&[])),
        a("give a member access to an unmanaged collection", Method::PUT, o(&format!("/collections/{}", f.col_b)),
          Some(json!({ "name": EncString::encrypt_str(&f.key, "Vault B"), "users": [sel(&f.user_member, Access::MANAGE)], "groups": [] })),
          customs().into_iter().filter(|w| *w != Custom(4)).chain([Manager]).collect()),
        // ---- touch an Owner (or an Admin)
        a("demote the owner", Method::PUT, o(&format!("/users/{}", f.boss_member)),
          Some(member_body(2, json!({}), json!([]))), launched_and(&[Admin])),
        a("revoke the owner", Method::PUT, o(&format!("/users/{}/revoke", f.boss_member)),
          None, launched_and(&[Admin])),
        a("remove the owner", Method::DELETE, o(&format!("/users/{}", f.boss_member)),
          None, launched_and(&[Admin])),
        a("restore a revoked owner", Method::PUT, o(&format!("/users/{}/restore", f.revoked_owner_member)),
          None, launched_and(&[Admin])),
        a("make a member an owner", Method::PUT, o(&format!("/users/{}", f.user_member)),
          Some(member_body(0, json!({}), json!([]))), launched_and(&[Admin])),
        a("invite an owner", Method::POST, o("/users/invite"),
          Some(invite(0, json!({}), json!([]), json!([]))), launched_and(&[Admin])),
        a("confirm an owner", Method::POST, o(&format!("/users/{pending_owner}/confirm")),
          Some(json!({ "key": pending_owner_key })), launched_and(&[Admin])),
        a("make a member an admin", Method::PUT, o(&format!("/users/{}", f.user_member)),
          Some(member_body(1, json!({}), json!([]))), launched_and(&[])),
        a("invite an admin", Method::POST, o("/users/invite"),
          Some(invite(1, json!({}), json!([]), json!([]))), launched_and(&[])),
        a("revoke an admin", Method::PUT, o(&format!("/users/{}/revoke", f.org_admin_member)),
          None, launched_and(&[])),
        a("read the client's API key", Method::POST, o("/api-key"),
          Some(json!({ "masterPasswordHash": "bm90IHRoZSBwYXNzd29yZA==" })), launched_and(&[Admin])),
        a("delete the client", Method::DELETE, o(""),
          Some(json!({ "masterPasswordHash": "bm90IHRoZSBwYXNzd29yZA==" })), launched_and(&[Admin])),
        // ---- make themselves a member of the client
        a("invite self", Method::POST, o("/users/invite"),
          Some(json!({ "emails": ["{me_email}"], "type": 2, "collections": [], "groups": [] })),
          vec![Tech, ProviderAdmin, ProviderManager, Suspended, Removed]),
        a("invite self as owner", Method::POST, o("/users/invite"),
          Some(json!({ "emails": ["{me_email}"], "type": 0, "collections": [], "groups": [] })),
          vec![Tech, ProviderAdmin, Suspended, Removed]),
        a("bring an owner into a client that has none", Method::POST,
          format!("/api/organizations/{}/users/invite", f.w.client1.org_id),
          Some(invite(0, json!({}), json!([]), json!([]))), vec![OwnerlessTech, Tech]),
        a("accept someone else's invitation with its link", Method::POST, o(&format!("/users/{}/accept", f.invited_owner.0)),
          Some(json!({ "token": f.invited_owner.1 })),
          { let mut v = everyone_in_org.clone(); v.extend(LAUNCHED); v.extend(GONE); v }),
        a("invite a fellow provider member", Method::POST, o("/users/invite"),
          Some(json!({ "emails": [f.w.tech_b.s().email], "type": 2, "collections": [], "groups": [] })),
          vec![Tech, TechMember, ProviderAdmin]),
        a("confirm own membership", Method::POST, o(&format!("/users/{tech_pending}/confirm")),
          Some(json!({ "key": tech_pending_key })), vec![Tech, ProviderAdmin, Suspended, Removed]),
        a("raise a provider member's membership", Method::PUT, o(&format!("/users/{}", f.caller(TechMember).member.clone().unwrap())),
          Some(member_body(4, json!({ "editAnyCollection": true }), json!([]))), vec![Tech, ProviderAdmin]),
        a("give a provider member's membership a collection", Method::PUT, o(&format!("/users/{}", f.caller(TechMember).member.clone().unwrap())),
          Some(member_body(2, json!({}), json!([sel(&f.col_b, Access::EDIT)]))), vec![Tech, ProviderAdmin]),
        // ---- provider side
        a("give self a wider provider role", Method::PUT, p("/users/{me_puid}"),
          Some(json!({ "role": "admin" })), vec![Tech, ProviderManager, ProviderAdmin]),
        a("assign self a client", Method::PUT, p("/users/{me_puid}/clients"),
          Some(json!({ "clientIds": [f.w.client1.poid, f.w.client2.poid, f.poid] })), vec![Tech, ProviderManager, ProviderAdmin, Suspended, Removed]),
        a("add self to a client's managers", Method::PUT, p(&format!("/clients/{}/members", f.w.client2.poid)),
          Some(json!({ "memberIds": [f.w.tech_b.puid, "{me_puid}"] })), vec![Tech, ProviderManager, ProviderAdmin, Suspended, Removed]),
        a("invite a provider admin", Method::POST, p("/users/invite"),
          Some(json!({ "emails": [format!("new-{}@msp.example", uuid::Uuid::new_v4())], "role": "admin" })), vec![Tech, ProviderManager]),
        a("invite a member onto a client outside own scope", Method::POST, p("/users/invite"),
          Some(json!({ "emails": [format!("new-{}@msp.example", uuid::Uuid::new_v4())], "role": "technician", "clientIds": [f.w.client2.poid] })), vec![ProviderManager]),
        a("make a technician an admin", Method::PUT, p(&format!("/users/{}", f.w.tech_b.puid)),
          Some(json!({ "role": "admin" })), vec![Tech, ProviderManager]),
        a("assign a client outside own scope", Method::PUT, p(&format!("/users/{}/clients", f.w.tech_a.puid)),
          Some(json!({ "clientIds": [f.w.client1.poid, f.w.client2.poid] })), vec![Tech, ProviderManager]),
        a("create a role wider than own", Method::POST, p("/roles"),
          Some(json!({ "name": "Everything", "permissions": ["view_clients", "launch_into_client", "manage_members", "manage_roles"], "scope": "all" })),
          vec![Tech, ProviderManager]),
        a("widen a role", Method::PUT, p(&format!("/roles/{}", f.narrow_role)),
          Some(json!({ "name": "Narrow", "permissions": ["view_clients", "manage_roles", "launch_into_client"], "scope": "all" })),
          vec![RoleManager, ProviderManager, Tech]),
        a("widen the role one holds", Method::PUT, p(&format!("/roles/{}", f.role_managers_role)),
          Some(json!({ "name": "Role managers", "permissions": ["manage_roles", "view_clients", "manage_members"], "scope": "all" })),
          vec![RoleManager]),
        a("clone a role wider than own", Method::POST, p(&format!("/roles/{}/clone", f.wide_role)),
          Some(json!({ "name": "Wide too" })), vec![RoleManager, ProviderManager, Tech]),
        a("delete the role one holds", Method::DELETE, p(&format!("/roles/{}", f.role_managers_role)),
          None, vec![RoleManager]),
        a("give oneself a custom role", Method::PUT, p("/users/{me_puid}"),
          Some(json!({ "role": "custom", "roleId": f.wide_role })), vec![RoleManager, ProviderManager]),
        a("suspend the provider owner", Method::POST, p(&format!("/users/{}/suspend", f.w.owner.puid)),
          None, vec![ProviderAdmin, ProviderManager, Tech]),
        a("delete the provider owner", Method::DELETE, p(&format!("/users/{}", f.w.owner.puid)),
          None, vec![ProviderAdmin, ProviderManager, Tech]),
        a("take provider ownership", Method::POST, p("/users/{me_puid}/transfer-ownership"),
          Some(json!({ "masterPasswordHash": "bm90IHRoZSBwYXNzd29yZA==" })), vec![ProviderAdmin, ProviderManager, Tech]),
        // ---- keep access after removal
        a("launch into the client", Method::POST, p(&format!("/clients/{}/launch", f.poid)),
          None, GONE.to_vec()),
        a("read the client's items", Method::GET, format!("/api/ciphers/organization-details?organizationId={}", f.org),
          None, GONE.to_vec()),
        a("read an item of the client", Method::GET, format!("/api/ciphers/{}", f.item_b),
          None, GONE.iter().copied().chain([Tech, TechMember]).collect()),
        a("read the client's members", Method::GET, o("/users"), None, GONE.to_vec()),
        a("read the client's collections", Method::GET, o("/collections/details"), None, GONE.to_vec()),
        a("read the client's event log", Method::GET, o("/events"), None, GONE.to_vec()),
        a("invite into the client", Method::POST, o("/users/invite"),
          Some(invite(2, json!({}), json!([]), json!([]))), GONE.to_vec()),
        a("reach the client's key through sync's provider list", Method::GET, p("/clients"), None, GONE.to_vec()),
    ]
}

/// Sorts arrays of ids or of objects with an id, so two reads of the same state compare equal.
fn normalized(mut v: Value) -> Value {
    fn walk(v: &mut Value) {
        match v {
            Value::Array(items) => {
                items.iter_mut().for_each(walk);
                items.sort_by_key(|i| match i {
                    Value::Object(o) => o.get("id").map(Value::to_string).unwrap_or_default(),
                    other => other.to_string(),
                });
            }
            Value::Object(o) => o.values_mut().for_each(walk),
            _ => {}
        }
    }
    walk(&mut v);
    v
}

/// Everything that decides rights, read back by the client's owner and the provider's owner.
async fn stored_rights(f: &Fx) -> Value {
    let b = &f.boss.session;
    let powner = f.w.owner.s();
    normalized(json!({
        "members": ok(b, Method::GET, &f.o("/users?includeCollections=true&includeGroups=true"), None).await,
        "groups": ok(b, Method::GET, &f.o("/groups/details"), None).await,
        "collections": ok(b, Method::GET, &f.o("/collections/details"), None).await,
        "org": ok(b, Method::GET, &f.o(""), None).await,
        "providerMembers": ok(powner, Method::GET, &f.w.path("/users"), None).await,
        "roles": ok(powner, Method::GET, &f.w.path("/roles"), None).await,
        "clients": ok(powner, Method::GET, &f.w.path("/clients"), None).await,
        "ownerlessClient": ok(powner, Method::GET, &format!("/api/organizations/{}/users", f.w.client1.org_id), None).await,
    }))
}

fn substitute(text: &str, c: &Caller, s: &Session) -> String {
    text.replace("{me_puid}", c.puid.as_deref().unwrap_or("none"))
        .replace("{me_email}", &s.email)
        .replace("{me}", c.member.as_deref().unwrap_or("none"))
}

async fn run_attempts(server: &TestServer, clock: &ManualClock) {
    let f = fixture(server, clock).await;
    let mut state = stored_rights(&f).await;
    assert_eq!(
        state,
        stored_rights(&f).await,
        "reading the state changes it"
    );
    let mut failures = Vec::new();
    let mut tried = 0;
    for attempt in attempts(&f) {
        for who in &attempt.callers {
            let (c, s) = (f.caller(*who), f.session(*who));
            let path = substitute(&attempt.path, c, s);
            let body = attempt
                .body
                .as_ref()
                .map(|b| serde_json::from_str(&substitute(&b.to_string(), c, s)).unwrap());
            let res = send(s, attempt.method.clone(), &path, body).await;
            tried += 1;
            if res.status != 400 && res.status != 404 {
                failures.push(format!(
                    "{} as {who:?}: {} {}",
                    attempt.what,
                    res.status,
                    res.body.chars().take(200).collect::<String>()
                ));
            }
            let after = stored_rights(&f).await;
            if after != state {
                failures.push(format!(
                    "{} as {who:?} ({}) changed the stored rights",
                    attempt.what, res.status
                ));
                state = after;
            }
        }
    }
    assert!(tried > 400, "only {tried} attempts");
    assert!(
        failures.is_empty(),
        "{} escalation(s) of {tried} attempts went through:\n{}",
        failures.len(),
        failures.join("\n")
    );
    after_the_attempts(&f).await;
}

/// After the attempts: the suspended and removed technicians' sync carries nothing of the
/// client; the two attack stories, replayed with their exact requests, change nothing;
/// and the same callers' legitimate jobs still work.
async fn after_the_attempts(f: &Fx) {
    for who in GONE {
        let sync = f.session(who).sync_json().await.unwrap();
        let text = sync.to_string();
        assert!(
            !text.contains(&f.org),
            "{who:?}'s sync names the client: {text}"
        );
        assert_eq!(sync["profile"]["providerOrganizations"], json!([]));
    }
    a_custom_member_cannot_make_itself_an_admin(f).await;
    a_launched_technician_cannot_become_the_clients_owner(f).await;
    legitimate_jobs_still_work(f).await;
}

fn refused_with(res: &keyfleet_client::RawResponse, message: &str) {
    assert_eq!(res.status, 400, "{}", res.body);
    assert_eq!(res.json()["message"], message, "{}", res.body);
}

/// Story 1: a Custom member with only "manage users" gives itself every permission, gives
/// itself Can manage on a collection it has no access to, and invites a Custom member with
/// permissions it lacks; with "manage groups", gives a group any collection and adds itself.
async fn a_custom_member_cannot_make_itself_an_admin(f: &Fx) {
    let users = f.caller(Custom(9));
    let s = f.session(Custom(9));
    let me = users.member.as_deref().unwrap();
    let before = stored_rights(f).await;
    let mut everything = all_permissions();
    everything["manageUsers"] = json!(true);
    let res = send(
        s,
        Method::PUT,
        &f.o(&format!("/users/{me}")),
        Some(json!({ "type": 4, "permissions": everything, "collections": [], "groups": [] })),
    )
    .await;
    refused_with(&res, "You cannot change your own membership.");
    for path in [
        format!("/api/ciphers/organization-details?organizationId={}", f.org),
        f.o("/events"),
    ] {
        assert_eq!(
            send(s, Method::GET, &path, None).await.status,
            404,
            "{path}"
        );
    }
    let res = send(
        s,
        Method::POST,
        &f.o("/users/invite"),
        Some(json!({ "emails": ["accomplice@acme.example"], "type": 4,
                     "permissions": { "manageUsers": true, "accessEventLogs": true, "editAnyCollection": true },
                     "collections": [], "groups": [] })),
    )
    .await;
    refused_with(
        &res,
        "Custom users can only grant the same custom permissions that they have.",
    );
    let res = send(
        s,
        Method::POST,
        &f.o("/users/invite"),
        Some(json!({ "emails": ["accomplice@acme.example"], "type": 2,
                     "collections": [Access::MANAGE.selection(&f.col_b)], "groups": [] })),
    )
    .await;
    refused_with(
        &res,
        "You must have Can Manage permission on a collection to give access to it.",
    );
    let groups = f.caller(Custom(6));
    let res = send(
        f.session(Custom(6)),
        Method::POST,
        &f.o("/groups"),
        Some(
            json!({ "name": "Back door", "collections": [Access::MANAGE.selection(&f.col_b)],
                     "users": [groups.member] }),
        ),
    )
    .await;
    refused_with(&res, "You cannot add yourself to groups.");
    let res = send(
        f.session(Custom(6)),
        Method::POST,
        &f.o("/groups"),
        Some(json!({ "name": "Back door", "collections": [Access::MANAGE.selection(&f.col_b)], "users": [] })),
    )
    .await;
    refused_with(
        &res,
        "You must have Can Manage permission on a collection to give access to it.",
    );
    assert_eq!(stored_rights(f).await, before);
}

/// Story 2: a launched technician invites their own address as Owner (to accept and confirm
/// it with the org key the provider gave them), confirms the membership the client's owner
/// offered them, reads the client's API key, removes the client's owner — and once removed from
/// the provider, still reads the client.
async fn a_launched_technician_cannot_become_the_clients_owner(f: &Fx) {
    let s = f.session(Tech);
    let before = stored_rights(f).await;
    let res = send(
        s,
        Method::POST,
        &f.o("/users/invite"),
        Some(json!({ "emails": [s.email], "type": 0, "collections": [], "groups": [] })),
    )
    .await;
    refused_with(&res, "You cannot invite yourself.");
    let (own, key) = &f.tech_pending;
    let res = send(
        s,
        Method::POST,
        &f.o(&format!("/users/{own}/confirm")),
        Some(json!({ "key": key })),
    )
    .await;
    refused_with(&res, "You cannot change your own membership.");
    let res = send(
        s,
        Method::POST,
        &f.o(&format!("/users/{}/confirm", f.pending_owner.0)),
        Some(json!({ "key": f.pending_owner.1 })),
    )
    .await;
    refused_with(
        &res,
        "Provider members cannot add or change the client's owners and admins: the client's own owners do.",
    );
    for (method, path) in [
        (Method::POST, f.o("/api-key")),
        (Method::DELETE, f.o(&format!("/users/{}", f.boss_member))),
    ] {
        let res = send(
            s,
            method,
            &path,
            Some(json!({ "masterPasswordHash": "bm90IHRoZSBwYXNzd29yZA==" })),
        )
        .await;
        assert!(matches!(res.status, 400 | 404), "{path}: {}", res.body);
    }
    assert_eq!(stored_rights(f).await, before);
    // Still a technician: the client is theirs to administer (not vacuous).
    let details = format!("/api/ciphers/organization-details?organizationId={}", f.org);
    let items = ok(s, Method::GET, &details, None).await;
    assert!(items.to_string().contains(&f.item_b));
}

/// What the attackers' roles are for still works.
async fn legitimate_jobs_still_work(f: &Fx) {
    // A Custom "manage users" member invites a User with the collection it manages, and changes
    // a member's access to it, keeping what it does not manage.
    let users = f.session(Custom(9));
    let invited = ok(
        users,
        Method::POST,
        &f.o("/users/invite"),
        Some(json!({ "emails": ["helpdesk@acme.example"], "type": 2,
                     "collections": [Access::EDIT.selection(&f.col_a)], "groups": [] })),
    )
    .await;
    let new_member = invited["data"][0]["id"].as_str().unwrap().to_string();
    ok(
        users,
        Method::PUT,
        &f.o(&format!("/users/{}", f.user_member)),
        Some(json!({ "type": 2, "collections": [Access::EDIT.selection(&f.col_a)], "groups": [] })),
    )
    .await;
    let stored = ok(
        &f.boss.session,
        Method::GET,
        &f.o(&format!("/users/{new_member}")),
        None,
    )
    .await;
    assert_eq!(stored["collections"][0]["id"], f.col_a.as_str(), "{stored}");
    // A Custom member with the same permissions may be made by it.
    ok(
        users,
        Method::POST,
        &f.o("/users/invite"),
        Some(json!({ "emails": ["deputy@acme.example"], "type": 4,
                     "permissions": { "manageUsers": true }, "collections": [], "groups": [] })),
    )
    .await;
    // A "manage groups" member makes a group of a collection it manages, with another member.
    let groups = f.session(Custom(6));
    ok(
        groups,
        Method::POST,
        &f.o("/groups"),
        Some(
            json!({ "name": "Helpdesk", "collections": [Access::EDIT.selection(&f.col_a)],
                     "users": [f.user_member] }),
        ),
    )
    .await;
    // A launched technician administers the client: members, collections, groups, policies,
    // items and events.
    let tech = f.session(Tech);
    let invited = ok(
        tech,
        Method::POST,
        &f.o("/users/invite"),
        Some(json!({ "emails": ["staff@acme.example"], "type": 4,
                     "permissions": { "manageUsers": true, "accessEventLogs": true },
                     "collections": [Access::MANAGE.selection(&f.col_b)], "groups": [f.group_b] })),
    )
    .await;
    let staff = invited["data"][0]["id"].as_str().unwrap().to_string();
    ok(
        tech,
        Method::PUT,
        &f.o(&format!("/users/{}", f.user_member)),
        Some(json!({ "type": 2, "collections": [Access::READ_ONLY.selection(&f.col_b)], "groups": [] })),
    )
    .await;
    let collection = tech
        .create_collection(
            &f.org,
            &f.key,
            "Servers",
            &[(f.user_member.clone(), Access::EDIT)],
        )
        .await
        .unwrap();
    let collection = collection.collection.id.as_str();
    ok(
        tech,
        Method::POST,
        &f.o("/groups"),
        Some(
            json!({ "name": "Ops", "collections": [Access::EDIT.selection(collection)],
                     "users": [f.user_member] }),
        ),
    )
    .await;
    ok(
        tech,
        Method::PUT,
        // The password generator policy (two-step login would revoke members without it).
        &f.o("/policies/2"),
        Some(json!({ "enabled": true, "data": { "minLength": 14 } })),
    )
    .await;
    tech.create_org_login(&f.org, &f.key, &[collection], "Router", "admin", "r-pass")
        .await
        .unwrap();
    ok(tech, Method::GET, &f.o("/events"), None).await;
    ok(tech, Method::DELETE, &f.o(&format!("/users/{staff}")), None).await;
    // The provider's admin (who may add clients) brings in the first owner of a client that has
    // none.
    ok(
        f.w.admin.s(),
        Method::POST,
        &format!("/api/organizations/{}/users/invite", f.w.client2.org_id),
        Some(json!({ "emails": ["boss@client-two.example"], "type": 0, "collections": [], "groups": [] })),
    )
    .await;
    // The client's owner and an admin confirm what they hold.
    let admin = f.session(Admin);
    admin
        .confirm_member(&f.org, &f.pending_rich.0, &f.key)
        .await
        .unwrap();
    f.boss
        .session
        .confirm_member(&f.org, &f.pending_owner.0, &f.key)
        .await
        .unwrap();
    // The client's owner makes the technician's pending membership real.
    f.boss
        .session
        .confirm_member(&f.org, &f.tech_pending.0, &f.key)
        .await
        .unwrap();
    let members = ok(&f.boss.session, Method::GET, &f.o("/users"), None).await;
    let confirmed = |id: &str| {
        members["data"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["id"] == id && m["status"] == 2)
    };
    assert!(
        confirmed(&f.pending_rich.0)
            && confirmed(&f.pending_owner.0)
            && confirmed(&f.tech_pending.0)
    );
    assert_eq!(f.poid.len(), 36);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_call_grants_more_than_its_caller_holds_on_sqlite() {
    let (server, clock) = server_with_clock(Backend::Sqlite).await;
    run_attempts(&server, &clock).await;
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_call_grants_more_than_its_caller_holds_on_postgres() {
    if !backends().contains(&Backend::Postgres) {
        return;
    }
    let (server, clock) = server_with_clock(Backend::Postgres).await;
    run_attempts(&server, &clock).await;
    server.stop().await;
}
