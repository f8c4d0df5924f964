//! Provider (MSP) fixtures built through the real HTTP API with keyfleet-client, doing the
//! client-side crypto the apps do (docs/provider-api.md, shared/protocol/providers.md §5–§7):
//! the operator creates the provider, its owner sets it up with a fresh 64-byte provider key
//! wrapped to their own public key (type 4), members are confirmed with the provider key wrapped
//! to theirs, and each client's org key travels wrapped with the provider key (type 2).
//!
//! The calls themselves are keyfleet-client's typed provider calls (`ProviderCalls`, the keyed
//! `Session` methods, the operator's `Client` methods); raw requests remain where a test needs
//! the exact status of an answer.

use crate::support::{client, PASSWORD};
use keyfleet_client::api::accounts::ProfileResponse;
use keyfleet_client::api::kinds::Permission;
use keyfleet_client::keys::{provider_key_in_profile, unwrap_with, wrap_to_public, wrap_with};
use keyfleet_client::{
    MemberRole, Method, NewClient, ProviderCalls, RawBody, RawResponse, RoleScope, Session,
};
use keyfleet_crypto::{generate_rsa_keypair, EncString, Kdf, PrivateKey, PublicKey, SymmetricKey};
use keyfleet_domain::Clock;
use keyfleet_testkit::{totp_code, TestServer, TEST_ADMIN_TOKEN};
use serde_json::{json, Value};

/// The cheapest KDF a client accepts: fixture accounts are many, and what is under test here is
/// authorization, not key derivation (bw stories use the default KDF instead).
pub const FAST_KDF: Kdf = Kdf::Argon2id {
    iterations: 2,
    memory_mib: 16,
    parallelism: 1,
};

/// Sends an authenticated request and returns the answer whatever its status.
pub async fn send(s: &Session, method: Method, path: &str, body: Option<Value>) -> RawResponse {
    let body = body.map_or(RawBody::Empty, RawBody::Json);
    s.client()
        .raw(method, path, Some(&s.access_token), body)
        .await
        .unwrap()
}

/// Sends an authenticated request that must succeed; answers its JSON (`Null` when empty).
pub async fn ok(s: &Session, method: Method, path: &str, body: Option<Value>) -> Value {
    let m = method.clone();
    let res = send(s, method, path, body).await;
    assert!(
        (200..300).contains(&res.status),
        "{m} {path} as {}: {} {}",
        s.email,
        res.status,
        res.body
    );
    res.json()
}

/// A request the operator makes to `/admin/…` with `token` as the bearer (the admin token, a
/// wrong one, or none).
pub async fn operator(
    server: &TestServer,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> RawResponse {
    client(server)
        .raw(
            method,
            path,
            token,
            body.map_or(RawBody::Empty, RawBody::Json),
        )
        .await
        .unwrap()
}

/// A registered, logged-in account, with its master password hash at hand and, when two-step
/// login is on, its authenticator secret.
pub struct Account {
    /// The logged-in session.
    pub session: Session,
    /// The master password hash (for calls that re-check the password).
    pub hash: String,
    /// The authenticator secret, when TOTP is on.
    pub totp: Option<String>,
}

/// Two-step login for a new account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TwoStep {
    /// Authenticator (TOTP) on, as every provider member must have it.
    On,
    /// Nothing: the account may not use its provider membership.
    Off,
}

/// Registers `email` with [`FAST_KDF`], logs in and (with [`TwoStep::On`]) turns the
/// authenticator on with a code for `clock`'s time.
pub async fn account(
    server: &TestServer,
    email: &str,
    two_step: TwoStep,
    clock: &dyn Clock,
) -> Account {
    account_with_kdf(server, email, two_step, clock, FAST_KDF).await
}

/// [`account`] with a chosen KDF (the stock bw CLI's stories use the default one).
pub async fn account_with_kdf(
    server: &TestServer,
    email: &str,
    two_step: TwoStep,
    clock: &dyn Clock,
    kdf: Kdf,
) -> Account {
    let c = client(server);
    c.register(email, PASSWORD, Some(email), kdf).await.unwrap();
    let session = c.login_password(email, PASSWORD).await.unwrap();
    let (hash, _) = c.password_hash(email, PASSWORD).await.unwrap();
    let totp = match two_step {
        TwoStep::Off => None,
        TwoStep::On => Some(enable_totp(&session, clock).await),
    };
    Account {
        session,
        hash,
        totp,
    }
}

/// Turns the authenticator on for `s`; answers the secret.
pub async fn enable_totp(s: &Session, clock: &dyn Clock) -> String {
    let (_, key) = s.authenticator_setup(PASSWORD).await.unwrap();
    s.enable_authenticator(PASSWORD, &key, &totp_code(&key, clock.now().unix_secs()))
        .await
        .unwrap();
    key
}

/// A client company: its link id, its organization, and the org key (client side only).
pub struct ClientOrg {
    /// providerOrganizationId.
    pub poid: String,
    /// The organization.
    pub org_id: String,
    /// The org key.
    pub key: SymmetricKey,
    /// The default collection made with the client.
    pub collection: String,
}

/// A set-up provider and its key (kept client side, as every member's app holds it).
pub struct Provider {
    /// Provider id.
    pub id: String,
    /// The 64-byte provider key.
    pub key: SymmetricKey,
}

/// The org RSA pair every fixture organization reuses: generating one per organization would
/// dominate the run time, and the server never looks inside it.
pub struct OrgKeyPair {
    private: PrivateKey,
    public: PublicKey,
}

impl OrgKeyPair {
    /// A fresh pair.
    pub fn generate() -> OrgKeyPair {
        let (private, public) = generate_rsa_keypair().unwrap();
        OrgKeyPair { private, public }
    }

    /// `{publicKey, encryptedPrivateKey}` for an org whose key is `org_key`.
    pub fn wire(&self, org_key: &SymmetricKey) -> Value {
        json!({
            "publicKey": self.public.to_spki_der_b64().unwrap(),
            "encryptedPrivateKey": EncString::encrypt_aes(org_key, &self.private.to_pkcs8_der().unwrap()).to_string(),
        })
    }
}

/// An organization `s` creates and owns (outside any provider); answers its id and key.
pub async fn own_org(s: &Session, pair: &OrgKeyPair, name: &str) -> (String, SymmetricKey) {
    let key = SymmetricKey::generate();
    let me = s.private_key().unwrap().public_key();
    let body = json!({
        "name": name,
        "billingEmail": s.email,
        "planType": 19,
        "additionalSeats": 10,
        "key": EncString::encrypt_rsa(&me, &key.to_bytes()).unwrap().to_string(),
        "keys": pair.wire(&key),
        "collectionName": EncString::encrypt_str(&key, "Default collection"),
    });
    let org = ok(s, Method::POST, "/api/organizations", Some(body)).await;
    (org["id"].as_str().unwrap().to_string(), key)
}

impl Provider {
    /// `/api/providers/{id}{rest}`.
    pub fn path(&self, rest: &str) -> String {
        format!("/api/providers/{}{rest}", self.id)
    }

    /// The operator creates a provider for `owner`, who sets it up with a fresh provider key
    /// wrapped to their own public key. Answers the provider and the owner's member id.
    pub async fn set_up(server: &TestServer, name: &str, owner: &Session) -> (Provider, String) {
        let created = client(server)
            .admin_create_provider(TEST_ADMIN_TOKEN, name, &owner.email, None, None)
            .await
            .unwrap();
        assert_eq!(created.provider.status.code(), 0);
        let id = created.provider.id.clone();
        let (set_up, key) = owner
            .setup_provider(
                &id,
                &created.token,
                name,
                Some(&format!("{name} Ltd")),
                &owner.email,
            )
            .await
            .unwrap();
        assert_eq!(set_up.status.code(), 1);
        let owner_puid = created.owner_id.clone();
        let me = owner.provider_member(&id, &owner_puid).await.unwrap();
        assert_eq!(me.role.name(), "owner");
        assert_eq!(me.user_id.as_deref(), Some(owner.user_id.as_str()));
        (Provider { id, key }, owner_puid)
    }

    /// Invites `email` with `role` and assigned clients; answers the member id and token.
    pub async fn invite(
        &self,
        by: &Session,
        email: &str,
        role: MemberRole,
        clients: &[&str],
    ) -> (String, String) {
        let clients: Vec<String> = clients.iter().map(|c| c.to_string()).collect();
        let invites = by
            .invite_provider_members(&self.id, &[email.to_string()], &role, &clients)
            .await
            .unwrap();
        (invites[0].id.clone(), invites[0].token.clone())
    }

    /// `member` accepts invitation `puid`.
    pub async fn accept(&self, member: &Session, puid: &str, token: &str) {
        member
            .accept_provider_invite(&self.id, puid, token)
            .await
            .unwrap();
    }

    /// The provider key wrapped (type 4) to accepted member `puid`'s public key, read through
    /// `POST /users/public-keys` by `by`.
    pub async fn wrapped_for(&self, by: &Session, puid: &str) -> String {
        let (public, _) = by.provider_member_public_key(&self.id, puid).await.unwrap();
        wrap_to_public(&public, &self.key).unwrap()
    }

    /// Confirms accepted member `puid`, with the provider key `by`'s own sync holds.
    pub async fn confirm(&self, by: &Session, puid: &str) {
        by.confirm_provider_member(&self.id, puid).await.unwrap();
    }

    /// Invite, accept and confirm; answers the member id.
    pub async fn join(
        &self,
        by: &Session,
        member: &Session,
        role: MemberRole,
        clients: &[&str],
    ) -> String {
        let (puid, token) = self.invite(by, &member.email, role, clients).await;
        self.accept(member, &puid, &token).await;
        self.confirm(by, &puid).await;
        puid
    }

    /// A custom role; answers its id.
    pub async fn create_role(
        &self,
        by: &Session,
        name: &str,
        permissions: &[Permission],
        scope: RoleScope,
    ) -> String {
        let role = by
            .create_provider_role(&self.id, name, permissions, scope)
            .await
            .unwrap();
        role.id
    }

    /// Creates a client company (by a member with `add_or_link_client`): its org key made and
    /// wrapped with the provider key from `by`'s own sync.
    pub async fn create_client(&self, by: &Session, name: &str) -> ClientOrg {
        let created = by
            .create_provider_client(&self.id, &client_request(name))
            .await
            .unwrap();
        let v = created.client.client;
        assert_eq!(v.organization_name, name);
        assert_eq!(
            *unwrap_with(&self.key, v.key.as_deref().unwrap())
                .unwrap()
                .to_bytes(),
            *created.key.to_bytes(),
            "the client's key is the org key wrapped with the provider key"
        );
        let org_id = v.organization_id.clone();
        let collections = ok(
            by,
            Method::GET,
            &format!("/api/organizations/{org_id}/collections"),
            None,
        )
        .await;
        ClientOrg {
            poid: v.id.clone(),
            collection: collections["data"][0]["id"].as_str().unwrap().to_string(),
            org_id,
            key: created.key,
        }
    }

    /// Links an organization `by` owns (consenting with their master password); answers the
    /// client's link id.
    pub async fn link(&self, by: &Session, org_id: &str) -> String {
        let client = by
            .link_org_to_provider(&self.id, org_id, PASSWORD)
            .await
            .unwrap();
        client.id
    }

    /// Replaces the members assigned to client `poid`.
    pub async fn assign(&self, by: &Session, poid: &str, members: &[&str]) {
        let members: Vec<String> = members.iter().map(|m| m.to_string()).collect();
        by.assign_client_members(&self.id, poid, &members)
            .await
            .unwrap();
    }

    /// The org key wrapped with this provider's key, as a link request carries it.
    pub fn wrap(&self, org_key: &SymmetricKey) -> String {
        wrap_with(&self.key, org_key)
    }
}

/// What the fixtures create a client with: Enterprise, room for every invitation a test sends.
pub fn client_request(name: &str) -> NewClient {
    NewClient {
        name: name.to_string(),
        plan_type: 19,
        seats: Some(1000),
        collection_name: Some("Default collection".into()),
        website: Some("https://client.example".into()),
        region: Some("EU".into()),
        ..NewClient::default()
    }
}

/// Creates a login item in `c`'s default collection through `/api/ciphers/create`, as a member
/// acting in the client (launched in through the provider); answers its id.
pub async fn create_client_item(s: &Session, c: &ClientOrg, name: &str, password: &str) -> String {
    s.create_org_login(&c.org_id, &c.key, &[&c.collection], name, "admin", password)
        .await
        .unwrap()
        .id
}

/// The org key of client `org_id` the way the apps find it: the provider key from
/// `profile.providers[].key` (RSA, with the member's private key), then
/// `profile.providerOrganizations[].key` unwrapped with it. `None` when sync lists neither.
pub fn client_key_from_sync(s: &Session, sync: &Value, org_id: &str) -> Option<SymmetricKey> {
    let profile: ProfileResponse = serde_json::from_value(sync["profile"].clone()).unwrap();
    let entry = profile
        .provider_organizations
        .iter()
        .find(|o| o.id == org_id)?;
    let private = s.private_key().unwrap();
    let provider_key =
        provider_key_in_profile(&profile, entry.provider_id.as_deref()?, private).ok()?;
    Some(unwrap_with(&provider_key, entry.key.as_deref()?).unwrap())
}

/// A provider member of the standard fixture.
pub struct Member {
    /// The account.
    pub account: Account,
    /// providerUserId.
    pub puid: String,
}

impl Member {
    /// The session.
    pub fn s(&self) -> &Session {
        &self.account.session
    }
}

/// The standard provider world: a set-up provider; owner, admin, technician A (assigned
/// client 1) and technician B (assigned client 2), all with TOTP; clients 1 and 2 made by the
/// provider; client 1 holds an item created in its default collection by technician A after
/// launching in.
pub struct World {
    /// The provider.
    pub provider: Provider,
    /// The owner.
    pub owner: Member,
    /// An admin.
    pub admin: Member,
    /// Technician assigned to client 1.
    pub tech_a: Member,
    /// Technician assigned to client 2.
    pub tech_b: Member,
    /// Client 1.
    pub client1: ClientOrg,
    /// Client 2.
    pub client2: ClientOrg,
    /// The item in client 1's default collection.
    pub item: String,
    /// The org pair reused for fixture organizations.
    pub pair: OrgKeyPair,
}

/// Item name and password in client 1.
pub const ITEM_NAME: &str = "Client 1 firewall";
/// The item's password.
pub const ITEM_PASSWORD: &str = "fw-s3cret-1";

impl World {
    /// Builds the world on `server` whose time is `clock`.
    pub async fn build(server: &TestServer, clock: &dyn Clock) -> World {
        let owner = account(server, "owner@msp.example", TwoStep::On, clock).await;
        let (provider, owner_puid) = Provider::set_up(server, "Acme MSP", &owner.session).await;
        let pair = OrgKeyPair::generate();
        let client1 = provider.create_client(&owner.session, "Client One").await;
        let client2 = provider.create_client(&owner.session, "Client Two").await;
        let admin = World::add(
            server,
            clock,
            &provider,
            &owner.session,
            "admin@msp.example",
            MemberRole::Admin,
            &[],
        )
        .await;
        let tech_a = World::add(
            server,
            clock,
            &provider,
            &owner.session,
            "tech-a@msp.example",
            MemberRole::Technician,
            &[&client1.poid],
        )
        .await;
        let tech_b = World::add(
            server,
            clock,
            &provider,
            &owner.session,
            "tech-b@msp.example",
            MemberRole::Technician,
            &[&client2.poid],
        )
        .await;
        let launched = tech_a
            .s()
            .launch_into_client(&provider.id, &client1.poid, None)
            .await
            .unwrap();
        assert_eq!(launched.organization_id, client1.org_id);
        assert_eq!(*launched.key.to_bytes(), *client1.key.to_bytes());
        let item = create_client_item(tech_a.s(), &client1, ITEM_NAME, ITEM_PASSWORD).await;
        World {
            provider,
            owner: Member {
                account: owner,
                puid: owner_puid,
            },
            admin,
            tech_a,
            tech_b,
            client1,
            client2,
            item,
            pair,
        }
    }

    /// A new member (TOTP on) who joined with `role` and `clients`, confirmed by `by`.
    pub async fn add(
        server: &TestServer,
        clock: &dyn Clock,
        provider: &Provider,
        by: &Session,
        email: &str,
        role: MemberRole,
        clients: &[&str],
    ) -> Member {
        let account = account(server, email, TwoStep::On, clock).await;
        let puid = provider.join(by, &account.session, role, clients).await;
        Member { account, puid }
    }

    /// A new member of this world's provider, confirmed by the owner.
    pub async fn member(
        &self,
        server: &TestServer,
        clock: &dyn Clock,
        email: &str,
        role: MemberRole,
        clients: &[&str],
    ) -> Member {
        World::add(
            server,
            clock,
            &self.provider,
            self.owner.s(),
            email,
            role,
            clients,
        )
        .await
    }

    /// `/api/providers/{id}{rest}`.
    pub fn path(&self, rest: &str) -> String {
        self.provider.path(rest)
    }
}
