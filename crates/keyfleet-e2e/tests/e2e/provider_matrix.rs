//! The provider authorization matrix: every provider endpoint of docs/provider-api.md, and the
//! client-organization endpoints reached through the provider, × every kind of caller → allowed
//! (2xx), refused (400), not found (404) or unauthenticated (401, only without a token) —
//! generated from one table. A route the server declares under `/api/providers` (or `/admin`)
//! without a row fails the companion test. Denials must be exactly 404 or 400: a 401/403 would
//! log the stock clients out.
//!
//! Custom-role callers come in pairs for every catalog permission — a role holding only that
//! permission and one holding all but it, both with scope "all" — plus all-permission roles with
//! scope "all", "assigned" (to client 1) and "assigned" elsewhere (client 2).

use crate::provider_support::{
    account, client_request, ok, operator, own_org, send, Account, Provider, TwoStep, World,
};
use crate::support::client;
use keyfleet_client::api::kinds::Permission as P;
use keyfleet_client::{new_client_body, Access, MemberRole, Method, RawBody, RoleScope, Session};
use keyfleet_crypto::EncString;
use keyfleet_domain::SystemClock;
use keyfleet_testkit::{
    backends, spawn_server, spawn_server_with, Backend, TestServer, TEST_ADMIN_TOKEN,
};
use serde_json::{json, Value};
use std::collections::BTreeSet;

/// The permission catalog, as the server knows it: a permission added there gets its "only"
/// and "all but" callers here without anyone remembering to.
const CATALOG: &[P] = P::ALL;

/// Who calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Owner,
    Admin,
    /// Technician assigned to client 1.
    TechA,
    /// Technician assigned to client 2 only.
    TechB,
    /// Custom role: every permission, scope all.
    CustomAll,
    /// Custom role: every permission, scope assigned; assigned to client 1.
    CustomAssigned,
    /// Custom role: every permission, scope assigned; assigned to client 2 only.
    CustomElsewhere,
    /// Custom role without permissions.
    CustomNone,
    /// Custom role with only this permission (scope all).
    Only(P),
    /// Custom role with every permission but this one (scope all).
    AllBut(P),
    /// Technician of client 1, suspended.
    Suspended,
    /// Technician of client 1, deleted (their old token still authenticates the account).
    Deleted,
    /// Invited to client 1 as a technician and accepted, not confirmed.
    Accepted,
    /// Technician of client 1 who never turned two-step login on.
    NoTwoStep,
    /// Owner of another provider.
    OtherProvider,
    /// A plain User of client 1's organization (not in the provider).
    ClientUser,
    /// An account with nothing to do with either.
    Stranger,
    /// No token at all.
    Anonymous,
}

use Who::*;

fn callers() -> Vec<Who> {
    let mut v = vec![
        Owner,
        Admin,
        TechA,
        TechB,
        CustomAll,
        CustomAssigned,
        CustomElsewhere,
        CustomNone,
    ];
    v.extend(CATALOG.iter().map(|p| Only(*p)));
    v.extend(CATALOG.iter().map(|p| AllBut(*p)));
    v.extend([
        Suspended,
        Deleted,
        Accepted,
        NoTwoStep,
        OtherProvider,
        ClientUser,
        Stranger,
        Anonymous,
    ]);
    v
}

/// What a caller's membership grants, as docs/provider-api.md defines the roles.
struct Rights {
    owner: bool,
    admin: bool,
    perms: Vec<P>,
    /// Whether the caller's scope covers client 1 (and the clients assigned like it).
    client1: bool,
}

fn rights(who: Who) -> Option<Rights> {
    let all = CATALOG.to_vec();
    let r = |owner, admin, perms, client1| {
        Some(Rights {
            owner,
            admin,
            perms,
            client1,
        })
    };
    match who {
        Owner => r(true, true, all, true),
        Admin => r(false, true, all, true),
        TechA => r(
            false,
            false,
            vec![P::ViewClients, P::LaunchIntoClient],
            true,
        ),
        TechB => r(
            false,
            false,
            vec![P::ViewClients, P::LaunchIntoClient],
            false,
        ),
        CustomAll | CustomAssigned => r(false, false, all, true),
        CustomElsewhere => r(false, false, all, false),
        CustomNone => r(false, false, vec![], false),
        Only(p) => r(false, false, vec![p], true),
        AllBut(p) => r(
            false,
            false,
            all.into_iter().filter(|q| *q != p).collect(),
            true,
        ),
        _ => None,
    }
}

/// What a row needs.
#[derive(Debug, Clone, Copy)]
enum Need {
    /// Any active member.
    Member,
    /// Owner or admin.
    Admins,
    /// The owner.
    OwnerOnly,
    /// A permission at provider level.
    Perm(P),
    /// Either permission at provider level.
    Either(P, P),
    /// Any of these permissions at provider level.
    AnyOf(&'static [P]),
    /// A permission on the target client (assigned like client 1).
    OnClient(P),
    /// Either permission on the target client.
    EitherOnClient(P, P),
    /// Acting inside client 1 through the provider (`launch_into_client` on it); the flag says
    /// whether a plain User of client 1 may do it as a member.
    InClient(bool),
    /// Never through the provider; the flag as for `InClient`.
    Never(bool),
    /// Setting up a provider that is already set up: its admins are told so, others don't see it.
    SetUpAlready,
    /// Understood and refused for everyone (an invitation token that is not valid).
    RefusedForAll,
}

use Need::*;

/// Expected answer: 0 means any 2xx.
fn expect(row: &Row, who: Who) -> u16 {
    if who == Anonymous {
        return 401;
    }
    if row.refused.contains(&who) {
        return 400;
    }
    match (row.need, who) {
        (RefusedForAll, _) | (_, NoTwoStep) => return 400,
        (InClient(true) | Never(true), ClientUser) => return 0,
        (SetUpAlready, Owner | Admin) => return 400,
        _ => {}
    }
    let Some(r) = rights(who) else { return 404 };
    let has = |p: P| r.perms.contains(&p);
    let pass = match row.need {
        Member => true,
        Admins => r.admin,
        OwnerOnly => r.owner,
        Perm(p) => has(p),
        Either(a, b) => has(a) || has(b),
        AnyOf(ps) => ps.iter().any(|p| has(*p)),
        OnClient(p) => has(p) && r.client1,
        EitherOnClient(a, b) => (has(a) || has(b)) && r.client1,
        InClient(_) => has(P::LaunchIntoClient) && r.client1,
        Never(_) | SetUpAlready | RefusedForAll => false,
    };
    if pass {
        0
    } else {
        404
    }
}

/// A fresh object a row acts on, made (by the owner, unless said otherwise) before each call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    None,
    /// An invited member (custom role without permissions).
    Invite,
    /// An invited member, suspended.
    SuspendedInvite,
    /// An accepted member awaiting confirmation (shared by denied calls).
    Accepted,
    /// The fixture's accepted member, for calls that change nothing.
    SharedAccepted,
    /// Technician A's membership.
    TechA,
    /// A custom role nobody holds (shared by denied calls).
    Role,
    /// Client 1.
    Client1,
    /// A client assigned like client 1 with a confirmed owner of its own (shared by denied calls).
    FreshClient,
    /// An organization the caller creates and owns.
    OwnOrg,
    /// A confirmed member with two-step login, able to take ownership (technician A for denied
    /// calls).
    Transferee,
    /// An item in client 1's default collection, made by its plain User (the fixture's item for
    /// denied calls).
    Item,
    /// Such an item, in the trash.
    TrashedItem,
}

#[derive(Default)]
struct Made {
    id: String,
    /// A key the body needs (the provider key wrapped to an accepted member, or an org key
    /// wrapped with the provider key).
    key: String,
}

type Body = fn(&Fx, &Made, Option<&Account>) -> Value;

struct Row {
    method: &'static str,
    path: &'static str,
    target: Target,
    body: Body,
    need: Need,
    /// Callers answered 400 although the rule would let them through (a refused request).
    refused: &'static [Who],
}

fn none(_: &Fx, _: &Made, _: Option<&Account>) -> Value {
    Value::Null
}
fn unique(prefix: &str) -> String {
    format!("{prefix}-{}", uuid::Uuid::new_v4())
}
fn provider_update(_: &Fx, _: &Made, _: Option<&Account>) -> Value {
    json!({ "name": "Acme MSP", "businessName": "Acme MSP Ltd", "billingEmail": "billing@msp.example" })
}
fn setup(_: &Fx, _: &Made, _: Option<&Account>) -> Value {
    json!({ "name": "Taken", "billingEmail": "b@msp.example", "token": "not-a-valid-token", "key": "4.bm90IGEga2V5" })
}
fn invite(f: &Fx, _: &Made, _: Option<&Account>) -> Value {
    json!({ "emails": [format!("{}@invited.example", unique("i"))], "role": "custom", "type": 1, "roleId": f.nothing_role, "clientIds": [] })
}
fn ids(_: &Fx, t: &Made, _: Option<&Account>) -> Value {
    json!({ "ids": [t.id] })
}
fn confirm_one(_: &Fx, t: &Made, _: Option<&Account>) -> Value {
    json!({ "key": t.key })
}
fn confirm_bulk(_: &Fx, t: &Made, _: Option<&Account>) -> Value {
    json!({ "keys": [{ "id": t.id, "key": t.key }] })
}
fn role_change(f: &Fx, _: &Made, _: Option<&Account>) -> Value {
    json!({ "role": "custom", "type": 1, "roleId": f.nothing_role })
}
fn assign_client1(f: &Fx, _: &Made, _: Option<&Account>) -> Value {
    json!({ "clientIds": [f.w.client1.poid] })
}
fn accept(_: &Fx, _: &Made, _: Option<&Account>) -> Value {
    json!({ "token": "not-a-valid-token" })
}
fn wrong_password(_: &Fx, _: &Made, _: Option<&Account>) -> Value {
    json!({ "masterPasswordHash": "bm90IHRoZSBwYXNzd29yZA==" })
}
fn own_password(f: &Fx, t: &Made, caller: Option<&Account>) -> Value {
    match caller {
        Some(a) => json!({ "masterPasswordHash": a.hash }),
        None => wrong_password(f, t, caller),
    }
}
fn role_body(_: &Fx, _: &Made, _: Option<&Account>) -> Value {
    json!({ "name": unique("role"), "permissions": [], "scope": "assigned" })
}
fn clone_body(_: &Fx, _: &Made, _: Option<&Account>) -> Value {
    json!({ "name": unique("clone") })
}
fn create_client(f: &Fx, _: &Made, _: Option<&Account>) -> Value {
    f.create_client_body.clone()
}
fn link(f: &Fx, t: &Made, caller: Option<&Account>) -> Value {
    json!({
        "organizationId": t.id,
        "key": t.key,
        "masterPasswordHash": own_password(f, t, caller)["masterPasswordHash"],
    })
}
fn client_edit(_: &Fx, _: &Made, _: Option<&Account>) -> Value {
    json!({ "notes": "Edited by the matrix" })
}
fn client1_members(f: &Fx, _: &Made, _: Option<&Account>) -> Value {
    json!({ "memberIds": f.client1_group })
}
fn org_invite(_: &Fx, _: &Made, _: Option<&Account>) -> Value {
    json!({ "emails": [format!("{}@client.example", unique("u"))], "type": 2, "collections": [], "groups": [], "permissions": {} })
}
fn item(f: &Fx, _: &Made, _: Option<&Account>) -> Value {
    let c = &f.w.client1;
    json!(f
        .w
        .owner
        .s()
        .org_login_item_body(&c.org_id, &c.key, "Matrix item", "u", "p"))
}
fn item_with_collection(f: &Fx, t: &Made, a: Option<&Account>) -> Value {
    json!({ "cipher": item(f, t, a), "collectionIds": [f.w.client1.collection] })
}
fn collection(f: &Fx, _: &Made, _: Option<&Account>) -> Value {
    json!({ "name": EncString::encrypt_str(&f.w.client1.key, "Made in the matrix"), "users": [], "groups": [] })
}

const NOBODY: &[Who] = &[];
const MM: P = P::ManageMembers;

/// The table. Rows that destroy fixture state come last; within a row, allowed callers go last.
#[rustfmt::skip]
fn rows() -> Vec<Row> {
    let r = |method, path, target, body, need, refused| Row { method, path, target, body, need, refused };
    use Target as T;
    vec![
        r("GET", "/api/providers/{provider}", T::None, none, Member, NOBODY),
        r("PUT", "/api/providers/{provider}", T::None, provider_update, Admins, NOBODY),
        r("POST", "/api/providers/{provider}", T::None, provider_update, Admins, NOBODY),
        r("POST", "/api/providers/{provider}/setup", T::None, setup, SetUpAlready, NOBODY),
        r("GET", "/api/providers/{provider}/users", T::None, none, Perm(MM), NOBODY),
        r("GET", "/api/providers/{provider}/users/names", T::None, none, AnyOf(&[P::ViewClients, P::ViewEvents, MM]), NOBODY),
        r("GET", "/api/providers/{provider}/users/{member}", T::TechA, none, Perm(MM), NOBODY),
        r("POST", "/api/providers/{provider}/users/invite", T::None, invite, Perm(MM), NOBODY),
        r("POST", "/api/providers/{provider}/users/reinvite", T::Invite, ids, Perm(MM), NOBODY),
        r("POST", "/api/providers/{provider}/users/{member}/reinvite", T::Invite, none, Perm(MM), NOBODY),
        r("POST", "/api/providers/{provider}/users/public-keys", T::SharedAccepted, ids, Perm(MM), NOBODY),
        r("POST", "/api/providers/{provider}/users/{member}/confirm", T::Accepted, confirm_one, Perm(MM), NOBODY),
        r("POST", "/api/providers/{provider}/users/confirm", T::Accepted, confirm_bulk, Perm(MM), NOBODY),
        r("PUT", "/api/providers/{provider}/users/{member}", T::Invite, role_change, Perm(MM), NOBODY),
        r("POST", "/api/providers/{provider}/users/{member}", T::Invite, role_change, Perm(MM), NOBODY),
        r("PUT", "/api/providers/{provider}/users/{member}/clients", T::Invite, assign_client1, Perm(MM), &[CustomElsewhere]),
        r("POST", "/api/providers/{provider}/users/{member}/suspend", T::Invite, none, Perm(MM), NOBODY),
        r("POST", "/api/providers/{provider}/users/{member}/restore", T::SuspendedInvite, none, Perm(MM), NOBODY),
        r("DELETE", "/api/providers/{provider}/users/{member}", T::Invite, none, Perm(MM), NOBODY),
        r("POST", "/api/providers/{provider}/users/{member}/delete", T::Invite, none, Perm(MM), NOBODY),
        r("DELETE", "/api/providers/{provider}/users", T::Invite, ids, Perm(MM), NOBODY),
        r("POST", "/api/providers/{provider}/users/delete", T::Invite, ids, Perm(MM), NOBODY),
        r("POST", "/api/providers/{provider}/users/{member}/accept", T::Invite, accept, RefusedForAll, NOBODY),
        r("GET", "/api/providers/{provider}/users/{member}/events", T::TechA, none, Perm(P::ViewEvents), NOBODY),
        r("GET", "/api/providers/{provider}/roles", T::None, none, Either(P::ManageRoles, MM), NOBODY),
        r("POST", "/api/providers/{provider}/roles", T::None, role_body, Perm(P::ManageRoles), NOBODY),
        r("PUT", "/api/providers/{provider}/roles/{role}", T::Role, role_body, Perm(P::ManageRoles), NOBODY),
        r("POST", "/api/providers/{provider}/roles/{role}/clone", T::Role, clone_body, Perm(P::ManageRoles), NOBODY),
        r("DELETE", "/api/providers/{provider}/roles/{role}", T::Role, none, Perm(P::ManageRoles), NOBODY),
        r("GET", "/api/providers/{provider}/organizations", T::None, none, Either(P::ViewClients, P::LaunchIntoClient), NOBODY),
        r("GET", "/api/providers/{provider}/clients", T::None, none, Either(P::ViewClients, P::LaunchIntoClient), NOBODY),
        r("GET", "/api/providers/{provider}/clients/{client}", T::Client1, none, EitherOnClient(P::ViewClients, P::LaunchIntoClient), NOBODY),
        r("POST", "/api/providers/{provider}/organizations", T::None, create_client, Perm(P::AddOrLinkClient), NOBODY),
        r("POST", "/api/providers/{provider}/clients", T::None, create_client, Perm(P::AddOrLinkClient), NOBODY),
        r("GET", "/api/providers/{provider}/clients/addable", T::None, none, Perm(P::AddOrLinkClient), NOBODY),
        r("POST", "/api/providers/{provider}/organizations/add", T::OwnOrg, link, Perm(P::AddOrLinkClient), NOBODY),
        r("POST", "/api/providers/{provider}/clients/existing", T::OwnOrg, link, Perm(P::AddOrLinkClient), NOBODY),
        r("PUT", "/api/providers/{provider}/clients/{client}", T::Client1, client_edit, OnClient(P::EditClientInfo), NOBODY),
        r("PUT", "/api/providers/{provider}/clients/{client}/members", T::Client1, client1_members, OnClient(MM), NOBODY),
        r("POST", "/api/providers/{provider}/clients/{client}/launch", T::Client1, none, OnClient(P::LaunchIntoClient), NOBODY),
        r("DELETE", "/api/providers/{provider}/organizations/{client}", T::FreshClient, none, OnClient(P::UnlinkClient), NOBODY),
        r("POST", "/api/providers/{provider}/organizations/{client}/delete", T::FreshClient, none, OnClient(P::UnlinkClient), NOBODY),
        r("DELETE", "/api/providers/{provider}/clients/{client}", T::FreshClient, none, OnClient(P::UnlinkClient), NOBODY),
        r("GET", "/api/providers/{provider}/events", T::None, none, Perm(P::ViewEvents), NOBODY),
        r("GET", "/api/providers/{provider}/events?format=csv", T::None, none, Perm(P::ViewEvents), NOBODY),
        r("GET", "/api/providers/{provider}/reports/usage", T::None, none, Perm(P::ViewUsageAndBilling), NOBODY),
        r("GET", "/api/providers/{provider}/reports/usage?format=csv", T::None, none, Perm(P::ViewUsageAndBilling), NOBODY),
        // Client 1 through the provider (and, as a member, its plain User).
        r("GET", "/api/organizations/{org}", T::None, none, InClient(true), NOBODY),
        r("GET", "/api/organizations/{org}/users", T::None, none, InClient(false), NOBODY),
        r("POST", "/api/organizations/{org}/users/invite", T::None, org_invite, InClient(false), NOBODY),
        r("GET", "/api/organizations/{org}/collections", T::None, none, InClient(true), NOBODY),
        r("GET", "/api/organizations/{org}/collections/details", T::None, none, InClient(true), NOBODY),
        r("POST", "/api/organizations/{org}/collections", T::None, collection, InClient(false), NOBODY),
        r("GET", "/api/organizations/{org}/groups", T::None, none, InClient(false), NOBODY),
        r("GET", "/api/organizations/{org}/policies", T::None, none, InClient(true), NOBODY),
        r("GET", "/api/organizations/{org}/events", T::None, none, InClient(false), NOBODY),
        r("GET", "/api/ciphers/organization-details?organizationId={org}", T::None, none, InClient(false), NOBODY),
        r("POST", "/api/ciphers/create", T::None, item_with_collection, InClient(true), NOBODY),
        r("POST", "/api/ciphers/admin", T::None, item_with_collection, InClient(true), NOBODY),
        r("PUT", "/api/ciphers/{item}/admin", T::Item, item, InClient(true), NOBODY),
        r("PUT", "/api/ciphers/{item}/delete-admin", T::Item, none, InClient(false), NOBODY),
        r("PUT", "/api/ciphers/{item}/restore-admin", T::TrashedItem, none, InClient(false), NOBODY),
        r("DELETE", "/api/ciphers/{item}/admin", T::Item, none, InClient(false), NOBODY),
        r("POST", "/api/organizations/{org}/api-key", T::None, own_password, Never(false), NOBODY),
        r("POST", "/api/organizations/{org}/rotate-api-key", T::None, own_password, Never(false), NOBODY),
        // Destructive rows last: the plain User leaves; deleting the org must fail for everyone;
        // the owner hands the provider over.
        r("POST", "/api/organizations/{org}/leave", T::None, none, Never(true), NOBODY),
        r("POST", "/api/organizations/{org}/delete", T::None, own_password, Never(false), NOBODY),
        r("DELETE", "/api/organizations/{org}", T::None, own_password, Never(false), NOBODY),
        r("POST", "/api/providers/{provider}/users/{member}/transfer-ownership", T::TechA, wrong_password, OwnerOnly, &[Owner]),
        r("POST", "/api/providers/{provider}/users/{member}/transfer-ownership", T::Transferee, own_password, OwnerOnly, NOBODY),
    ]
}

struct Fx {
    w: World,
    extra: Vec<(Who, Account)>,
    nothing_role: String,
    spare_role: String,
    spare_client: String,
    accepted_puid: String,
    accepted_wrapped: String,
    /// Members assigned to client 1 (and to every fresh client made for unlink rows).
    client1_group: Vec<String>,
    create_client_body: Value,
    /// A trashed item of client 1, for denied restores.
    trashed_item: String,
}

impl Fx {
    fn account(&self, who: Who) -> Option<&Account> {
        match who {
            Owner => Some(&self.w.owner.account),
            Admin => Some(&self.w.admin.account),
            TechA => Some(&self.w.tech_a.account),
            TechB => Some(&self.w.tech_b.account),
            _ => self.extra.iter().find(|(w, _)| *w == who).map(|(_, a)| a),
        }
    }
}

fn email_of(who: Who) -> String {
    let name: String = format!("{who:?}")
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("{}@callers.example", name.trim_matches('-'))
}

/// A member of `w`'s provider with `role` and `clients`, confirmed by the owner.
async fn joined(
    server: &TestServer,
    w: &World,
    email: &str,
    role: MemberRole,
    clients: &[&str],
) -> (Account, String) {
    let m = w.member(server, &SystemClock, email, role, clients).await;
    (m.account, m.puid)
}

/// A client linked from an org the owner owns (so it has a confirmed owner of its own and can
/// be unlinked), assigned like client 1.
async fn fresh_client(w: &World, group: &[String]) -> String {
    let (org_id, _) = own_org(w.owner.s(), &w.pair, "Linked client").await;
    let poid = w.provider.link(w.owner.s(), &org_id).await;
    let group: Vec<&str> = group.iter().map(String::as_str).collect();
    w.provider.assign(w.owner.s(), &poid, &group).await;
    poid
}

async fn fixture(server: &TestServer) -> Fx {
    let clock = SystemClock;
    let w = World::build(server, &clock).await;
    let owner = w.owner.s();
    let p = &w.provider;
    let all = CATALOG.to_vec();
    let nothing_role = p
        .create_role(owner, "Nothing", &[], RoleScope::Assigned)
        .await;
    let spare_role = p
        .create_role(owner, "Spare", &[], RoleScope::Assigned)
        .await;
    let all_all = p
        .create_role(owner, "Everything", &all, RoleScope::All)
        .await;
    let all_assigned = p
        .create_role(owner, "Everything, assigned", &all, RoleScope::Assigned)
        .await;
    let c1 = w.client1.poid.clone();
    let c2 = w.client2.poid.clone();
    let mut extra = Vec::new();
    let mut group = vec![w.tech_a.puid.clone()];
    let mut accepted = (String::new(), String::new());
    for who in callers() {
        let email = email_of(who);
        let (acc, puid) = match who {
            Owner | Admin | TechA | TechB | Anonymous => continue,
            CustomAll => joined(server, &w, &email, MemberRole::Custom(all_all.clone()), &[]).await,
            CustomAssigned => {
                joined(
                    server,
                    &w,
                    &email,
                    MemberRole::Custom(all_assigned.clone()),
                    &[&c1],
                )
                .await
            }
            CustomElsewhere => {
                joined(
                    server,
                    &w,
                    &email,
                    MemberRole::Custom(all_assigned.clone()),
                    &[&c2],
                )
                .await
            }
            CustomNone => {
                joined(
                    server,
                    &w,
                    &email,
                    MemberRole::Custom(nothing_role.clone()),
                    &[],
                )
                .await
            }
            Only(perm) => {
                let role = p
                    .create_role(
                        owner,
                        &format!("Only {}", perm.name()),
                        &[perm],
                        RoleScope::All,
                    )
                    .await;
                joined(server, &w, &email, MemberRole::Custom(role.clone()), &[]).await
            }
            AllBut(perm) => {
                let rest: Vec<P> = all.iter().copied().filter(|p| *p != perm).collect();
                let role = p
                    .create_role(
                        owner,
                        &format!("All but {}", perm.name()),
                        &rest,
                        RoleScope::All,
                    )
                    .await;
                joined(server, &w, &email, MemberRole::Custom(role.clone()), &[]).await
            }
            Suspended => {
                let (acc, puid) = joined(server, &w, &email, MemberRole::Technician, &[&c1]).await;
                ok(
                    owner,
                    Method::POST,
                    &p.path(&format!("/users/{puid}/suspend")),
                    None,
                )
                .await;
                (acc, puid)
            }
            Deleted => {
                let (acc, puid) = joined(server, &w, &email, MemberRole::Technician, &[&c1]).await;
                ok(
                    owner,
                    Method::DELETE,
                    &p.path(&format!("/users/{puid}")),
                    None,
                )
                .await;
                (acc, String::new())
            }
            Accepted => {
                let acc = account(server, &email, TwoStep::On, &clock).await;
                let (puid, token) = p
                    .invite(owner, &email, MemberRole::Technician, &[&c1])
                    .await;
                p.accept(&acc.session, &puid, &token).await;
                accepted = (puid.clone(), p.wrapped_for(owner, &puid).await);
                (acc, puid)
            }
            NoTwoStep => {
                let acc = account(server, &email, TwoStep::Off, &clock).await;
                let puid = p
                    .join(owner, &acc.session, MemberRole::Technician, &[&c1])
                    .await;
                (acc, puid)
            }
            OtherProvider => {
                let acc = account(server, &email, TwoStep::On, &clock).await;
                Provider::set_up(server, "Other MSP", &acc.session).await;
                (acc, String::new())
            }
            ClientUser => {
                let acc = account(server, &email, TwoStep::Off, &clock).await;
                let c = &w.client1;
                let invited = owner
                    .invite_members(
                        &c.org_id,
                        &[&email],
                        2,
                        &[(c.collection.clone(), Access::EDIT)],
                    )
                    .await
                    .unwrap();
                let id = invited[0].id.as_str();
                let token = invited[0].token.as_deref().unwrap();
                acc.session
                    .accept_invite(&c.org_id, id, token)
                    .await
                    .unwrap();
                owner.confirm_member(&c.org_id, id, &c.key).await.unwrap();
                (acc, String::new())
            }
            Stranger => (
                account(server, &email, TwoStep::Off, &clock).await,
                String::new(),
            ),
        };
        if matches!(who, CustomAssigned | Suspended | Accepted | NoTwoStep) {
            group.push(puid);
        }
        extra.push((who, acc));
    }
    let spare_client = fresh_client(&w, &group).await;
    let client_user = &extra.iter().find(|(w, _)| *w == ClientUser).unwrap().1;
    let trashed_item = client_item(&w, &client_user.session, true).await;
    let (create_client_body, _) =
        new_client_body(&p.key, &client_request("Matrix client")).unwrap();
    let create_client_body = serde_json::to_value(&create_client_body).unwrap();
    Fx {
        w,
        extra,
        nothing_role,
        spare_role,
        spare_client,
        accepted_puid: accepted.0,
        accepted_wrapped: accepted.1,
        client1_group: group,
        create_client_body,
        trashed_item,
    }
}

/// An item client 1's plain User makes in the default collection (and trashes, when asked).
async fn client_item(w: &World, user: &Session, trashed: bool) -> String {
    let c = &w.client1;
    let id = user
        .create_org_login(&c.org_id, &c.key, &[&c.collection], "Matrix item", "u", "p")
        .await
        .unwrap()
        .id;
    if trashed {
        ok(
            user,
            Method::PUT,
            &format!("/api/ciphers/{id}/delete"),
            None,
        )
        .await;
    }
    id
}

/// Makes the row's fresh target and returns it. Calls that will be refused leave their target as
/// it is, so they share one instead of making their own.
async fn make_target(server: &TestServer, f: &Fx, target: Target, who: Who, allowed: bool) -> Made {
    let owner = f.w.owner.s();
    let p = &f.w.provider;
    let clock = SystemClock;
    let invite = || async {
        let email = format!("{}@invited.example", unique("t"));
        p.invite(
            owner,
            &email,
            MemberRole::Custom(f.nothing_role.clone()),
            &[],
        )
        .await
        .0
    };
    let id = |id: &str| Made {
        id: id.to_string(),
        key: String::new(),
    };
    match target {
        Target::None => Made::default(),
        Target::Invite => id(&invite().await),
        Target::SuspendedInvite => {
            let puid = invite().await;
            ok(
                owner,
                Method::POST,
                &p.path(&format!("/users/{puid}/suspend")),
                None,
            )
            .await;
            id(&puid)
        }
        Target::SharedAccepted => Made {
            id: f.accepted_puid.clone(),
            key: f.accepted_wrapped.clone(),
        },
        Target::Accepted if !allowed => Made {
            id: f.accepted_puid.clone(),
            key: f.accepted_wrapped.clone(),
        },
        Target::Accepted => {
            let email = format!("{}@accepted.example", unique("a"));
            let acc = account(server, &email, TwoStep::Off, &clock).await;
            let (puid, token) = p
                .invite(
                    owner,
                    &email,
                    MemberRole::Custom(f.nothing_role.clone()),
                    &[],
                )
                .await;
            p.accept(&acc.session, &puid, &token).await;
            Made {
                key: p.wrapped_for(owner, &puid).await,
                id: puid,
            }
        }
        Target::TechA => id(&f.w.tech_a.puid),
        Target::Role if !allowed => id(&f.spare_role),
        Target::Role => id(&p
            .create_role(owner, &unique("target"), &[], RoleScope::Assigned)
            .await),
        Target::Client1 => id(&f.w.client1.poid),
        Target::FreshClient if !allowed => id(&f.spare_client),
        Target::FreshClient => id(&fresh_client(&f.w, &f.client1_group).await),
        Target::OwnOrg => match f.account(who) {
            Some(a) => {
                let (org_id, key) = own_org(&a.session, &f.w.pair, "Own org").await;
                Made {
                    id: org_id,
                    key: p.wrap(&key),
                }
            }
            None => id(&f.w.client2.org_id),
        },
        Target::Item if !allowed => id(&f.w.item),
        Target::TrashedItem if !allowed => id(&f.trashed_item),
        Target::Item | Target::TrashedItem => {
            let user = &f.account(ClientUser).unwrap().session;
            id(&client_item(&f.w, user, target == Target::TrashedItem).await)
        }
        Target::Transferee if !allowed => id(&f.w.tech_a.puid),
        Target::Transferee => {
            let email = format!("{}@heir.example", unique("h"));
            id(&f
                .w
                .member(server, &clock, &email, MemberRole::Technician, &[])
                .await
                .puid)
        }
    }
}

async fn run_matrix(backend: Backend) {
    let server = spawn_server(backend).await;
    let f = fixture(&server).await;
    let mut failures = Vec::new();
    let mut cells = 0;
    for row in rows() {
        // Denied callers first, so an allowed destructive call cannot hide a wrong denial.
        let mut order: Vec<Who> = callers()
            .into_iter()
            .filter(|w| expect(&row, *w) != 0)
            .collect();
        order.extend(callers().into_iter().filter(|w| expect(&row, *w) == 0));
        for who in order {
            cells += 1;
            let expected = expect(&row, who);
            let caller = f.account(who);
            let made = make_target(&server, &f, row.target, who, expected == 0).await;
            let path = row
                .path
                .replace("{provider}", &f.w.provider.id)
                .replace("{member}", &made.id)
                .replace("{role}", &made.id)
                .replace("{client}", &made.id)
                .replace("{item}", &made.id)
                .replace("{org}", &f.w.client1.org_id);
            let body = match (row.body)(&f, &made, caller) {
                Value::Null => None,
                v => Some(v),
            };
            let method: Method = row.method.parse().unwrap();
            let res = match caller {
                Some(a) => send(&a.session, method, &path, body).await,
                None => client(&server)
                    .raw(
                        method,
                        &path,
                        None,
                        body.map_or(RawBody::Empty, RawBody::Json),
                    )
                    .await
                    .unwrap(),
            };
            let good = match expected {
                0 => (200..300).contains(&res.status),
                // Accepting an invitation needs no two-step login: that refusal is the token's.
                400 if who == NoTwoStep && !matches!(row.need, RefusedForAll) => {
                    res.status == 400 && res.body.contains("Two-step login is required")
                }
                e => res.status == e,
            };
            if !good {
                let expected = match expected {
                    0 => "2xx".to_string(),
                    e => e.to_string(),
                };
                failures.push(format!(
                    "{} {} as {who:?}: expected {expected}, got {} {}",
                    row.method,
                    row.path,
                    res.status,
                    res.body.chars().take(160).collect::<String>()
                ));
            }
        }
    }
    server.stop().await;
    eprintln!("provider matrix on {backend:?}: {cells} cells");
    assert!(
        failures.is_empty(),
        "{} cell(s) wrong:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The operator's routes: what each bearer gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bearer {
    Missing,
    Wrong,
    /// A user's valid access token (not the admin token).
    UserToken,
    AdminToken,
}

struct OperatorRow {
    method: &'static str,
    path: &'static str,
    body: fn() -> Value,
}

fn no_body() -> Value {
    Value::Null
}
fn new_provider() -> Value {
    json!({ "name": "Operator made", "ownerEmail": format!("{}@owner.example", unique("o")) })
}

#[rustfmt::skip]
fn operator_rows() -> Vec<OperatorRow> {
    let r = |method, path, body| OperatorRow { method, path, body };
    vec![
        r("GET", "/admin/providers", no_body),
        r("POST", "/admin/providers", new_provider),
        r("POST", "/admin/providers/{id}/disable", no_body),
        r("POST", "/admin/providers/{id}/enable", no_body),
    ]
}

async fn run_operator_matrix(backend: Backend) {
    let mut failures = Vec::new();
    let server = spawn_server(backend).await;
    let user = account(&server, "user@example.com", TwoStep::Off, &SystemClock).await;
    let target = operator(
        &server,
        Method::POST,
        "/admin/providers",
        Some(TEST_ADMIN_TOKEN),
        Some(new_provider()),
    )
    .await
    .json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    for row in operator_rows() {
        for bearer in [
            Bearer::Missing,
            Bearer::Wrong,
            Bearer::UserToken,
            Bearer::AdminToken,
        ] {
            let token = match bearer {
                Bearer::Missing => None,
                Bearer::Wrong => Some("not-the-admin-token"),
                Bearer::UserToken => Some(user.session.access_token.as_str()),
                Bearer::AdminToken => Some(TEST_ADMIN_TOKEN),
            };
            let path = row.path.replace("{id}", &target);
            let body = match (row.body)() {
                Value::Null => None,
                v => Some(v),
            };
            let res = operator(&server, row.method.parse().unwrap(), &path, token, body).await;
            let good = match bearer {
                Bearer::AdminToken => (200..300).contains(&res.status),
                _ => res.status == 401 && res.json()["message"] == "Invalid admin token.",
            };
            if !good {
                failures.push(format!(
                    "{} {} with {bearer:?}: got {} {}",
                    row.method, row.path, res.status, res.body
                ));
            }
        }
    }
    server.stop().await;
    // Without a configured admin token the operator API does not exist.
    let server = spawn_server_with(backend, |c| c.admin_token = None).await;
    for row in operator_rows() {
        for token in [None, Some(TEST_ADMIN_TOKEN)] {
            let path = row.path.replace("{id}", &target);
            let body = Some((row.body)()).filter(|b| !b.is_null());
            let res = operator(&server, row.method.parse().unwrap(), &path, token, body).await;
            if res.status != 404 {
                failures.push(format!(
                    "{} {} with no admin token configured: expected 404, got {} {}",
                    row.method, row.path, res.status, res.body
                ));
            }
        }
    }
    server.stop().await;
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `(method, path)` pairs a route module declares: `.route(PATH, get(..).post(..))` where PATH is
/// a literal, the module's `P` prefix constant, or `&r("/suffix")` under it.
fn declared_routes(source: &str) -> BTreeSet<(String, String)> {
    let prefix = source
        .split("const P: &str = \"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap_or("");
    let mut out = BTreeSet::new();
    for chunk in source.split(".route(").skip(1) {
        // The call's extent: up to the parenthesis closing `.route(`.
        let mut depth = 1;
        let mut end = chunk.len();
        let mut comma = None;
        for (i, c) in chunk.char_indices() {
            match c {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        end = i;
                        break;
                    }
                }
                ',' if depth == 1 && comma.is_none() => comma = Some(i),
                _ => {}
            }
        }
        let call = &chunk[..end];
        let (path_expr, handlers) = call.split_at(comma.unwrap_or(end));
        let literal = path_expr.split('"').nth(1);
        let path = match (path_expr.trim(), literal) {
            ("P", _) => prefix.to_string(),
            (e, Some(l)) if e.starts_with("&r(") || e.starts_with("r(") => format!("{prefix}{l}"),
            (_, Some(l)) => l.to_string(),
            _ => continue,
        };
        for method in ["get", "post", "put", "delete", "patch"] {
            let needle = format!("{method}(");
            let found = handlers.match_indices(&needle).any(|(i, _)| {
                !handlers[..i]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
            });
            if found {
                out.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    // `route_table!` lines: `get "/path" => handler,`.
    for line in source.lines() {
        let mut words = line.trim().splitn(2, ' ');
        let (Some(method), Some(rest)) = (words.next(), words.next()) else {
            continue;
        };
        if !["get", "post", "put", "delete", "patch"].contains(&method) {
            continue;
        }
        if let Some(path) = rest
            .strip_prefix('"')
            .and_then(|r| r.split_once("\" =>"))
            .map(|(p, _)| p)
        {
            out.insert((method.to_uppercase(), path.to_string()));
        }
    }
    out
}

fn normalized(path: &str) -> String {
    let path = path.split('?').next().unwrap_or(path);
    let mut out = String::new();
    let mut in_brace = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_brace = true;
                out.push_str("{}");
            }
            '}' => in_brace = false,
            _ if in_brace => {}
            _ => out.push(c),
        }
    }
    out
}

/// Every provider and operator route the server declares has a row (read from the route
/// modules' source — `.route(…)` calls and `route_table!` lines — so a new route cannot land
/// unchecked).
#[test]
fn every_provider_route_has_a_row_in_the_matrix() {
    let mut declared = BTreeSet::new();
    for text in crate::support::route_sources() {
        declared.extend(
            declared_routes(&text)
                .into_iter()
                .filter(|(_, p)| p.starts_with("/api/providers") || p.starts_with("/admin")),
        );
    }
    assert!(
        declared.len() > 40,
        "the route parser found only {declared:?}: has the router's shape changed?"
    );
    let covered: BTreeSet<(String, String)> = rows()
        .iter()
        .map(|r| (r.method.to_string(), normalized(r.path)))
        .chain(
            operator_rows()
                .iter()
                .map(|r| (r.method.to_string(), normalized(r.path))),
        )
        .collect();
    let missing: Vec<String> = declared
        .iter()
        .filter(|(m, p)| !covered.contains(&(m.clone(), normalized(p))))
        .map(|(m, p)| format!("{m} {p}"))
        .collect();
    assert!(
        missing.is_empty(),
        "provider routes without a matrix row:\n{}",
        missing.join("\n")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_provider_authorization_matrix_holds_on_sqlite() {
    run_matrix(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_provider_authorization_matrix_holds_on_postgres() {
    if backends().contains(&Backend::Postgres) {
        run_matrix(Backend::Postgres).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_operator_routes_need_the_admin_token_on_sqlite() {
    run_operator_matrix(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_operator_routes_need_the_admin_token_on_postgres() {
    if backends().contains(&Backend::Postgres) {
        run_operator_matrix(Backend::Postgres).await;
    }
}
