//! Provider (MSP) fixtures built through the real HTTP API with keyfleet-client, doing the
//! client-side crypto the apps do (docs/provider-api.md, shared/protocol/providers.md §5–§7):
//! the operator creates the provider, its owner sets it up with a fresh 64-byte provider key
//! wrapped to their own public key (type 4), members are confirmed with the provider key wrapped
//! to theirs, and each client's org key travels wrapped with the provider key (type 2).
//!
//! Kept local and small on purpose: typed provider calls in keyfleet-client are being written
//! elsewhere; until they land these helpers speak raw JSON.

use crate::support::{client, PASSWORD};
use keyfleet_client::{Method, RawBody, RawResponse, Session};
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

/// The role a member joins with.
#[derive(Debug, Clone, Copy)]
pub enum Role<'a> {
    /// `admin` (ProviderAdmin).
    Admin,
    /// `technician` (ServiceUser, assigned clients).
    Technician,
    /// `custom` with this custom role id.
    Custom(&'a str),
}

impl Role<'_> {
    fn fields(self) -> Value {
        match self {
            Role::Admin => json!({ "role": "admin", "type": 0 }),
            Role::Technician => json!({ "role": "technician", "type": 1 }),
            Role::Custom(id) => json!({ "role": "custom", "type": 1, "roleId": id }),
        }
    }
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
        let created = operator(
            server,
            Method::POST,
            "/admin/providers",
            Some(TEST_ADMIN_TOKEN),
            Some(json!({ "name": name, "ownerEmail": owner.email })),
        )
        .await;
        assert_eq!(created.status, 200, "create provider: {}", created.body);
        let created = created.json();
        assert_eq!(created["status"], 0);
        let id = created["id"].as_str().unwrap().to_string();
        let key = SymmetricKey::generate();
        let me = owner.private_key().unwrap().public_key();
        let p = Provider { id, key };
        let body = json!({
            "name": name,
            "businessName": format!("{name} Ltd"),
            "billingEmail": owner.email,
            "token": created["token"],
            "key": EncString::encrypt_rsa(&me, &p.key.to_bytes()).unwrap().to_string(),
        });
        let set_up = ok(owner, Method::POST, &p.path("/setup"), Some(body)).await;
        assert_eq!(set_up["status"], 1);
        let members = ok(owner, Method::GET, &p.path("/users"), None).await;
        let owner_puid = members["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["userId"] == owner.user_id.as_str())
            .map(|m| m["id"].as_str().unwrap().to_string())
            .expect("the owner is listed");
        (p, owner_puid)
    }

    /// Invites `email` with `role` and assigned clients; answers the member id and token.
    pub async fn invite(
        &self,
        by: &Session,
        email: &str,
        role: Role<'_>,
        clients: &[&str],
    ) -> (String, String) {
        let mut body = role.fields();
        body["emails"] = json!([email]);
        body["clientIds"] = json!(clients);
        let v = ok(by, Method::POST, &self.path("/users/invite"), Some(body)).await;
        let first = &v["data"][0];
        (
            first["id"].as_str().unwrap().to_string(),
            first["token"].as_str().unwrap().to_string(),
        )
    }

    /// `member` accepts invitation `puid`.
    pub async fn accept(&self, member: &Session, puid: &str, token: &str) {
        ok(
            member,
            Method::POST,
            &self.path(&format!("/users/{puid}/accept")),
            Some(json!({ "token": token })),
        )
        .await;
    }

    /// The provider key wrapped (type 4) to accepted member `puid`'s public key, read through
    /// `POST /users/public-keys` by `by`.
    pub async fn wrapped_for(&self, by: &Session, puid: &str) -> String {
        let keys = ok(
            by,
            Method::POST,
            &self.path("/users/public-keys"),
            Some(json!({ "ids": [puid] })),
        )
        .await;
        let public = keys["data"][0]["key"].as_str().unwrap();
        let public = PublicKey::from_spki_der_b64(public).unwrap();
        EncString::encrypt_rsa(&public, &self.key.to_bytes())
            .unwrap()
            .to_string()
    }

    /// Confirms accepted member `puid`.
    pub async fn confirm(&self, by: &Session, puid: &str) {
        let key = self.wrapped_for(by, puid).await;
        ok(
            by,
            Method::POST,
            &self.path(&format!("/users/{puid}/confirm")),
            Some(json!({ "key": key })),
        )
        .await;
    }

    /// Invite, accept and confirm; answers the member id.
    pub async fn join(
        &self,
        by: &Session,
        member: &Session,
        role: Role<'_>,
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
        permissions: &[&str],
        scope: &str,
    ) -> String {
        let v = ok(
            by,
            Method::POST,
            &self.path("/roles"),
            Some(json!({ "name": name, "permissions": permissions, "scope": scope })),
        )
        .await;
        v["id"].as_str().unwrap().to_string()
    }

    /// The body creating client `name` whose org key is `org_key`: the key wrapped with the
    /// provider key (type 2), the org pair, the default collection's name under the org key.
    pub fn client_body(&self, name: &str, org_key: &SymmetricKey, pair: &OrgKeyPair) -> Value {
        json!({
            "name": name,
            "planType": 19,
            // Room for every invitation the matrix sends into a client.
            "seats": 1000,
            "key": EncString::encrypt_aes(&self.key, &org_key.to_bytes()).to_string(),
            "keyPair": pair.wire(org_key),
            "collectionName": EncString::encrypt_str(org_key, "Default collection"),
            "website": "https://client.example",
            "region": "EU",
        })
    }

    /// Creates a client company (by a member with `add_or_link_client`).
    pub async fn create_client(&self, by: &Session, name: &str, pair: &OrgKeyPair) -> ClientOrg {
        let key = SymmetricKey::generate();
        let v = ok(
            by,
            Method::POST,
            &self.path("/clients"),
            Some(self.client_body(name, &key, pair)),
        )
        .await;
        let poid = v["id"].as_str().unwrap().to_string();
        let org_id = v["organizationId"].as_str().unwrap().to_string();
        assert_eq!(v["organizationName"], name);
        let collections = ok(
            by,
            Method::GET,
            &format!("/api/organizations/{org_id}/collections"),
            None,
        )
        .await;
        let collection = collections["data"][0]["id"].as_str().unwrap().to_string();
        ClientOrg {
            poid,
            org_id,
            key,
            collection,
        }
    }

    /// Links an organization `by` owns (with their master password), its key wrapped with the
    /// provider key; answers the client's link id.
    pub async fn link(&self, by: &Account, org_id: &str, org_key: &SymmetricKey) -> String {
        let v = ok(
            &by.session,
            Method::POST,
            &self.path("/clients/existing"),
            Some(json!({
                "organizationId": org_id,
                "key": EncString::encrypt_aes(&self.key, &org_key.to_bytes()).to_string(),
                "masterPasswordHash": by.hash,
            })),
        )
        .await;
        v["id"].as_str().unwrap().to_string()
    }

    /// Replaces the members assigned to client `poid`.
    pub async fn assign(&self, by: &Session, poid: &str, members: &[&str]) {
        ok(
            by,
            Method::PUT,
            &self.path(&format!("/clients/{poid}/members")),
            Some(json!({ "memberIds": members })),
        )
        .await;
    }
}

/// Creates a login item in `c`'s default collection through `/api/ciphers/create`, as a member
/// acting in the client (launched in through the provider); answers its id.
pub async fn create_client_item(s: &Session, c: &ClientOrg, name: &str, password: &str) -> String {
    let body = json!({
        "cipher": s.org_login_item_body(&c.org_id, &c.key, name, "admin", password),
        "collectionIds": [c.collection],
    });
    let v = ok(s, Method::POST, "/api/ciphers/create", Some(body)).await;
    v["id"].as_str().unwrap().to_string()
}

/// The org key of client `org_id` the way the apps find it: the provider key from
/// `profile.providers[].key` (RSA, with the member's private key), then
/// `profile.providerOrganizations[].key` unwrapped with it. `None` when sync lists neither.
pub fn client_key_from_sync(s: &Session, sync: &Value, org_id: &str) -> Option<SymmetricKey> {
    let profile = &sync["profile"];
    let entry = profile["providerOrganizations"]
        .as_array()?
        .iter()
        .find(|o| o["id"] == org_id)?;
    let provider = profile["providers"]
        .as_array()?
        .iter()
        .find(|p| p["id"] == entry["providerId"])?;
    let provider_key = provider["key"]
        .as_str()?
        .parse::<EncString>()
        .unwrap()
        .decrypt_rsa(s.private_key().unwrap())
        .unwrap();
    let provider_key = SymmetricKey::from_bytes(&provider_key).unwrap();
    let org_key = entry["key"]
        .as_str()?
        .parse::<EncString>()
        .unwrap()
        .decrypt_aes(&provider_key)
        .unwrap();
    Some(SymmetricKey::from_bytes(&org_key).unwrap())
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
        let client1 = provider
            .create_client(&owner.session, "Client One", &pair)
            .await;
        let client2 = provider
            .create_client(&owner.session, "Client Two", &pair)
            .await;
        let admin = World::add(
            server,
            clock,
            &provider,
            &owner.session,
            "admin@msp.example",
            Role::Admin,
            &[],
        )
        .await;
        let tech_a = World::add(
            server,
            clock,
            &provider,
            &owner.session,
            "tech-a@msp.example",
            Role::Technician,
            &[&client1.poid],
        )
        .await;
        let tech_b = World::add(
            server,
            clock,
            &provider,
            &owner.session,
            "tech-b@msp.example",
            Role::Technician,
            &[&client2.poid],
        )
        .await;
        ok(
            tech_a.s(),
            Method::POST,
            &provider.path(&format!("/clients/{}/launch", client1.poid)),
            None,
        )
        .await;
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
        role: Role<'_>,
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
        role: Role<'_>,
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
