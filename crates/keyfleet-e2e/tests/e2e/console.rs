//! The MSP web console: how the server serves it, and the console itself in a real Chromium
//! (Debian's package, driven by Playwright from `console/e2e/`, never a downloaded browser)
//! against a real Keyfleet. Rust starts the server, makes the fixtures with `keyfleet-client`
//! (so Rust crypto made them and the browser must read them), runs the Playwright specs, then
//! checks from the outside what the browser did: the stock bw CLI of an employee the console
//! invited and confirmed decrypts the item the console encrypted.
//!
//! Without Chromium or the console's npm packages the browser stories are skipped with a
//! message, unless `KEYFLEET_REQUIRE_BROWSER=1` (CI) makes that a failure
//! ([`keyfleet_testkit::browser`]).

use crate::provider_support::{
    account, create_client_item, enable_totp, Member, Provider, TwoStep, FAST_KDF,
};
use crate::support::{client, user_via_mail_with_kdf, PASSWORD};
use keyfleet_client::{MemberRole, ProviderCalls};
use keyfleet_domain::{Clock, ManualClock, SystemClock, Timestamp};
use keyfleet_testkit::{
    backends, spawn_server_for_browser, spawn_server_with, Backend, Bw, SmtpSink,
};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

/// `console/` in the repository.
fn console_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../console")
}

async fn get(url: &str, path: &str, headers: &[(&str, &str)]) -> reqwest::Response {
    let http = reqwest::Client::builder()
        .danger_accept_invalid_certs(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut req = http.get(format!("{url}{path}"));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    req.send().await.unwrap()
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Read;
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .expect("gzip");
    out
}

/// The console is served from the binary with its security headers, cached by ETag; `/`
/// redirects to it (so invitation links' fragments reach its screens) unless turned off.
#[tokio::test]
async fn the_console_is_served_from_the_binary_with_a_strict_policy() {
    let server = spawn_server_with(Backend::Sqlite, |_| {}).await;
    let url = &server.base_url;
    let page = get(url, "/console/", &[]).await;
    assert_eq!(page.status(), 200);
    let h = page.headers().clone();
    let csp = h["content-security-policy"].to_str().unwrap();
    for directive in [
        "default-src 'self'",
        "script-src 'self' 'wasm-unsafe-eval'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    ] {
        assert!(csp.contains(directive), "{csp}");
    }
    assert!(
        !csp.contains("unsafe-inline") && !csp.contains("'unsafe-eval'"),
        "{csp}"
    );
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["referrer-policy"], "no-referrer");
    assert_eq!(h["cache-control"], "no-cache");
    assert!(h["content-type"].to_str().unwrap().starts_with("text/html"));
    let html = page.text().await.unwrap();
    assert!(
        html.contains("app.js") && !html.contains("<script>"),
        "{html}"
    );
    // The page's <meta> copy of the policy (for when it is served some other way) says what the
    // header says, but for frame-ancestors, which a <meta> policy cannot carry.
    let meta = html
        .split("http-equiv=\"Content-Security-Policy\" content=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a CSP <meta>");
    let directives = |p: &str| -> Vec<String> {
        let mut d: Vec<String> = p
            .split(';')
            .map(|d| d.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|d| !d.is_empty() && !d.starts_with("frame-ancestors"))
            .collect();
        d.sort();
        d
    };
    assert_eq!(directives(meta), directives(csp));

    let agent = get(url, "/console/agent.js", &[]).await;
    assert_eq!(agent.status(), 200);
    let etag = agent.headers()["etag"].to_str().unwrap().to_string();
    assert!(agent.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("'wasm-unsafe-eval'"));
    assert!(agent.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/javascript"));
    let again = get(url, "/console/agent.js", &[("if-none-match", &etag)]).await;
    assert_eq!(again.status(), 304);
    assert!(again.bytes().await.unwrap().is_empty());

    // Browsers that accept gzip get the scripts gzipped, the same bytes once inflated.
    let plain = get(url, "/console/app.js", &[]).await;
    assert!(plain.headers().get("content-encoding").is_none());
    assert_eq!(plain.headers()["vary"], "accept-encoding");
    let plain = plain.bytes().await.unwrap();
    let zipped = get(
        url,
        "/console/app.js",
        &[("accept-encoding", "gzip, deflate, br")],
    )
    .await;
    assert_eq!(zipped.headers()["content-encoding"], "gzip");
    assert_eq!(zipped.headers()["vary"], "accept-encoding");
    let zipped = zipped.bytes().await.unwrap();
    assert!(
        zipped.len() * 3 < plain.len(),
        "{} of {}",
        zipped.len(),
        plain.len()
    );
    assert_eq!(gunzip(&zipped), plain);
    let refused = get(
        url,
        "/console/app.js",
        &[("accept-encoding", "gzip;q=0, br")],
    )
    .await;
    assert!(refused.headers().get("content-encoding").is_none());

    for missing in [
        "/console/nope.js",
        "/console/app.js.map",
        "/console/..%2FCargo.toml",
    ] {
        let r = get(url, missing, &[]).await;
        assert_eq!(r.status(), 404, "{missing}");
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["message"], "Resource not found.", "{missing}");
    }
    let root = get(url, "/", &[]).await;
    assert!(root.status().is_redirection());
    assert_eq!(root.headers()["location"], "/console/");
    let bare = get(url, "/console", &[]).await;
    assert_eq!(bare.headers()["location"], "/console/");
    server.stop().await;

    let server = spawn_server_with(Backend::Sqlite, |c| c.console_at_root = false).await;
    assert_eq!(get(&server.base_url, "/", &[]).await.status(), 404);
    assert_eq!(get(&server.base_url, "/console/", &[]).await.status(), 200);
    server.stop().await;
}

/// The provider's lists come gzipped to a browser that asks (the console's client list grows
/// with the MSP), and plain to a client that does not.
async fn provider_lists_are_gzipped_on_request(
    server: &keyfleet_testkit::TestServer,
    session: &keyfleet_client::Session,
    provider_id: &str,
) {
    let bearer = format!("Bearer {}", session.access_token);
    let path = format!("/api/providers/{provider_id}/clients");
    let plain = get(&server.base_url, &path, &[("authorization", &bearer)]).await;
    assert_eq!(plain.status(), 200);
    assert!(plain.headers().get("content-encoding").is_none());
    let plain: Value = serde_json::from_slice(&plain.bytes().await.unwrap()).unwrap();
    let zipped = get(
        &server.base_url,
        &path,
        &[("authorization", &bearer), ("accept-encoding", "gzip")],
    )
    .await;
    assert_eq!(zipped.headers()["content-encoding"], "gzip");
    let zipped: Value = serde_json::from_slice(&gunzip(&zipped.bytes().await.unwrap())).unwrap();
    assert_eq!(zipped, plain);
    assert_eq!(plain["data"].as_array().map(Vec::len), Some(2), "{plain}");
}

/// An item made the way the official apps make them (its own key, notes, a custom field, TOTP,
/// two URIs) that the console only half shows: the tabs spec edits its name, username and first
/// URI, and everything else must come through the edit untouched.
struct RichItem {
    token: String,
    org_id: String,
    key: keyfleet_crypto::SymmetricKey,
    id: String,
}

async fn rich_item(
    owner: &keyfleet_client::Session,
    client: &crate::provider_support::ClientOrg,
) -> RichItem {
    use keyfleet_crypto::{EncString, SymmetricKey};
    let item_key = SymmetricKey::generate();
    let e = |s: &str| EncString::encrypt_str(&item_key, s);
    let body = json!({
        "cipher": {
            "type": 1,
            "organizationId": client.org_id,
            "key": EncString::encrypt_aes(&client.key, &item_key.to_bytes()).to_string(),
            "name": e("Core router"),
            "notes": e("Rack 4, port 12"),
            "favorite": false,
            "reprompt": 0,
            "fields": [{ "type": 0, "name": e("VLAN"), "value": e("42"), "linkedId": null }],
            "login": {
                "username": e("admin"),
                "password": e("core-pw-1"),
                "totp": e("JBSWY3DPEHPK3PXP"),
                "uris": [
                    { "uri": e("https://core.example"), "match": null },
                    { "uri": e("https://backup.example"), "match": 3 },
                ],
            },
        },
        "collectionIds": [client.collection],
    });
    let made: Value = owner
        .call(
            keyfleet_client::Method::POST,
            "/api/ciphers/admin",
            Some(body),
        )
        .await
        .unwrap();
    RichItem {
        token: owner.access_token.clone(),
        org_id: client.org_id.clone(),
        key: client.key.clone(),
        id: made["id"].as_str().unwrap().to_string(),
    }
}

impl RichItem {
    async fn kept_what_the_console_did_not_edit(&self, server: &keyfleet_testkit::TestServer) {
        use keyfleet_crypto::{EncString, SymmetricKey};
        let bearer = format!("Bearer {}", self.token);
        let path = format!(
            "/api/ciphers/organization-details?organizationId={}",
            self.org_id
        );
        let list: Value = get(&server.base_url, &path, &[("authorization", &bearer)])
            .await
            .json()
            .await
            .unwrap();
        let c = list["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == self.id.as_str())
            .unwrap_or_else(|| panic!("the rich item in {list}"))
            .clone();
        let wrapped: EncString = c["key"]
            .as_str()
            .expect("its own key kept")
            .parse()
            .unwrap();
        let k = SymmetricKey::from_bytes(&wrapped.decrypt_aes(&self.key).unwrap()).unwrap();
        let d = |v: &Value| {
            EncString::decrypt_str(v.as_str().unwrap_or_else(|| panic!("{v}")), &k).unwrap()
        };
        // What the spec changed.
        assert_eq!(d(&c["name"]), "Core router (edited)");
        assert_eq!(d(&c["login"]["username"]), "netops");
        assert_eq!(d(&c["login"]["uris"][0]["uri"]), "https://core2.example");
        let digest = sha2_b64(b"https://core2.example");
        assert_eq!(
            d(&c["login"]["uris"][0]["uriChecksum"]),
            digest,
            "the apps' URI checksum"
        );
        // What it did not.
        assert_eq!(d(&c["login"]["password"]), "core-pw-1");
        assert!(
            c["passwordHistory"].as_array().is_none_or(Vec::is_empty),
            "{c}"
        );
        assert_eq!(d(&c["notes"]), "Rack 4, port 12");
        assert_eq!(d(&c["fields"][0]["name"]), "VLAN");
        assert_eq!(d(&c["fields"][0]["value"]), "42");
        assert_eq!(d(&c["login"]["totp"]), "JBSWY3DPEHPK3PXP");
        assert_eq!(d(&c["login"]["uris"][1]["uri"]), "https://backup.example");
        assert_eq!(c["login"]["uris"][1]["match"], 3);
        assert_eq!(c["type"], 1);
    }
}

fn sha2_b64(data: &[u8]) -> String {
    use base64::Engine as _;
    use sha2::Digest as _;
    base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(data))
}

/// A member of `client` makes an item there with the stock bw CLI (its own choice of encryption,
/// e.g. a key per item): the tabs spec decrypts it in the console.
async fn bw_made_item(
    server: &keyfleet_testkit::TestServer,
    admin: &keyfleet_client::Session,
    client: &crate::provider_support::ClientOrg,
) {
    const EMAIL: &str = "bw-user@other.test";
    let member = crate::support::user(server, EMAIL).await;
    let invited = admin
        .invite_members(
            &client.org_id,
            &[EMAIL],
            2,
            &[(client.collection.clone(), keyfleet_client::Access::EDIT)],
        )
        .await
        .unwrap();
    let invite = &invited[0];
    member
        .accept_invite(&client.org_id, &invite.id, invite.token.as_deref().unwrap())
        .await
        .unwrap();
    admin
        .confirm_member(&client.org_id, &invite.id, &client.key)
        .await
        .unwrap();
    let mut bw = Bw::new(server);
    tokio::task::block_in_place(|| {
        bw.login(EMAIL, PASSWORD);
        bw.run(&["sync"]).expect_ok();
        let mut item = bw.json(&["get", "template", "item"]);
        item["organizationId"] = json!(client.org_id);
        item["collectionIds"] = json!([client.collection]);
        item["name"] = json!("Made with bw");
        item["notes"] = json!("from the stock CLI");
        item["login"] =
            json!({ "username": "bw-admin", "password": "bw-made-pw-7", "uris": [], "totp": null });
        let made = bw.create("item", &item);
        assert_eq!(made["organizationId"], client.org_id.as_str(), "{made}");
    });
}

/// The member whose account the management spec recovers, and what Rust checks afterwards.
struct Recovery {
    email: String,
}

const RECOVERED_PASSWORD: &str = "a temporary password from the console";
const RECOVERED_ITEM: &str = "Payroll portal";

/// A client with Single organization and Account recovery on, its own owner and a user, both
/// enrolled in account recovery, the user with an item of their own: the management spec
/// recovers the user's account in the console and is refused the owner's (a provider member
/// never recovers the client's owners).
async fn recovery_client(
    server: &keyfleet_testkit::TestServer,
    provider: &Provider,
    msp: &keyfleet_client::Session,
) -> (Value, Recovery) {
    use keyfleet_client::api::kinds::PolicyType;
    use keyfleet_client::api::orgs::PolicyRequest;
    use keyfleet_client::OrgCalls;
    let client = provider.create_client(msp, "Recovery Co").await;
    let org = &client.org_id;
    msp.launch_into_client(&provider.id, &client.poid, None)
        .await
        .unwrap();
    let boss = join(server, msp, &client, "boss@recovery.test", 0).await;
    let user = join(server, &boss, &client, "user@recovery.test", 2).await;
    for (t, data) in [
        (PolicyType::SingleOrg, None),
        (
            PolicyType::ResetPassword,
            Some(json!({"autoEnrollEnabled": false})),
        ),
    ] {
        let req = PolicyRequest {
            enabled: true,
            data,
            metadata: None,
        };
        boss.save_org_policy(org, t, &req).await.unwrap();
    }
    for s in [&boss, &user] {
        s.enrol_in_account_recovery(org, PASSWORD).await.unwrap();
    }
    user.create_login(RECOVERED_ITEM, "user", "payroll-s3cret")
        .await
        .unwrap();
    let fixture = json!({
        "client": { "providerOrganizationId": client.poid, "organizationId": org, "name": "Recovery Co" },
        "owner": boss.email,
        "member": user.email,
        "newPassword": RECOVERED_PASSWORD,
    });
    (
        fixture,
        Recovery {
            email: user.email.clone(),
        },
    )
}

/// `email` joins `client` as `member_type`, invited and confirmed by `by`.
async fn join(
    server: &keyfleet_testkit::TestServer,
    by: &keyfleet_client::Session,
    client: &crate::provider_support::ClientOrg,
    email: &str,
    member_type: i32,
) -> keyfleet_client::Session {
    let org = &client.org_id;
    let a = account(server, email, TwoStep::Off, &SystemClock).await;
    let invite = by
        .invite_members(org, &[email], member_type, &[])
        .await
        .unwrap();
    let id = invite[0].id.clone();
    a.session
        .accept_invite(org, &id, invite[0].token.as_deref().unwrap())
        .await
        .unwrap();
    by.confirm_member(org, &id, &client.key).await.unwrap();
    a.session
}

impl Recovery {
    /// The member signs in with the password the console set, must choose their own, and reads
    /// their old item: the console re-wrapped the same user key.
    async fn the_member_reads_their_vault_under_the_new_password(
        &self,
        server: &keyfleet_testkit::TestServer,
    ) {
        use keyfleet_client::AccountCalls;
        let c = client(server);
        assert!(
            c.login_password(&self.email, PASSWORD).await.is_err(),
            "the old password is gone"
        );
        let member = c
            .login_password(&self.email, RECOVERED_PASSWORD)
            .await
            .unwrap();
        assert!(member.profile().await.unwrap().force_password_reset);
        let sync = member.sync_json().await.unwrap();
        let names: Vec<String> = sync["ciphers"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|i| i["name"].as_str().map(|n| member.decrypt(n).unwrap()))
            .collect();
        assert!(names.contains(&RECOVERED_ITEM.to_string()), "{names:?}");
    }
}

/// What the specs read: see `console/e2e/fixture.ts`.
async fn fixture(
    server: &keyfleet_testkit::TestServer,
    out_dir: &Path,
) -> (Value, RichItem, Recovery) {
    let c = client(server);
    let onboarding = c
        .admin_create_provider(
            keyfleet_testkit::TEST_ADMIN_TOKEN,
            "Fleet MSP",
            "owner@fleet.test",
            None,
            None,
        )
        .await
        .unwrap();
    let owner = account(server, "owner@ready.test", TwoStep::On, &SystemClock).await;
    let (provider, _) = Provider::set_up(server, "Ready MSP", &owner.session).await;
    let assigned = provider.create_client(&owner.session, "Assigned Co").await;
    let other = provider.create_client(&owner.session, "Other Co").await;
    create_client_item(&owner.session, &other, "Other secret", "never-shown-1").await;
    let rich = rich_item(&owner.session, &other).await;
    bw_made_item(server, &owner.session, &other).await;
    provider_lists_are_gzipped_on_request(server, &owner.session, &provider.id).await;
    let (recovery_json, recovery) = recovery_client(server, &provider, &owner.session).await;
    // More than a page (100) of provider events, for the console's "Load more".
    for _ in 0..100 {
        owner
            .session
            .launch_client(&provider.id, &other.poid, None)
            .await
            .unwrap();
    }
    // An organization of the owner's own, not a client yet: the console links it (P5b).
    let linkable = owner
        .session
        .create_org("Linkable Co", "owner@ready.test", 19, Some(5), "General")
        .await
        .unwrap();
    let tech = account(server, "tech@ready.test", TwoStep::On, &SystemClock).await;
    let puid = provider
        .join(
            &owner.session,
            &tech.session,
            MemberRole::Technician,
            &[&assigned.poid],
        )
        .await;
    let tech = Member {
        account: tech,
        puid,
    };
    let person = |a: &crate::provider_support::Account| {
        json!({
            "email": a.session.email,
            "password": PASSWORD,
            "totpSecret": a.totp,
        })
    };
    // The authenticator codes the fixture used are spent (the server refuses a replay): the
    // specs' `freshTotp` reads the steps used so far from `.totp-steps.json` in `outDir`.
    let step = SystemClock.now().unix_secs() / 30;
    let spent: serde_json::Map<String, Value> = [&owner, &tech.account]
        .iter()
        .filter_map(|a| a.totp.clone())
        .map(|secret| (secret, json!(step)))
        .collect();
    std::fs::write(
        out_dir.join(".totp-steps.json"),
        Value::Object(spent).to_string(),
    )
    .unwrap();
    let mut technician = person(&tech.account);
    technician["providerUserId"] = json!(tech.puid);
    let client_json = |c: &crate::provider_support::ClientOrg, name: &str| json!({ "providerOrganizationId": c.poid, "organizationId": c.org_id, "name": name });
    let fixture = json!({
        "url": server.base_url,
        "outDir": out_dir,
        "onboarding": {
            "providerName": "Fleet MSP",
            "ownerEmail": "owner@fleet.test",
            "setupLink": onboarding.setup_url,
        },
        "ready": {
            "providerId": provider.id,
            "providerName": "Ready MSP",
            "owner": person(&owner),
            "technician": technician,
            "assignedClient": client_json(&assigned, "Assigned Co"),
            "otherClient": client_json(&other, "Other Co"),
            "otherItem": { "name": "Other secret", "password": "never-shown-1" },
            "linkableOrganization": { "organizationId": linkable.org.id, "name": "Linkable Co" },
            "recovery": recovery_json,
        },
    });
    (fixture, rich, recovery)
}

/// Runs the Playwright `specs` (all when empty) against a fresh server on `backend`; answers
/// the server and the directory the specs wrote their results into, or `None` when skipped.
async fn run_specs(
    backend: Backend,
    specs: &[&str],
) -> Option<(
    keyfleet_testkit::TestServer,
    tempfile::TempDir,
    RichItem,
    Recovery,
)> {
    let browser = keyfleet_testkit::browser(&console_dir())?;
    let server = spawn_server_for_browser(backend).await;
    let work = tempfile::tempdir().unwrap();
    let out_dir = work.path().join("out");
    std::fs::create_dir_all(&out_dir).unwrap();
    let (fixture, rich, recovery) = fixture(&server, &out_dir).await;
    playwright(browser, &server, &work, &fixture, specs);
    Some((server, work, rich, recovery))
}

/// Runs Playwright's `specs` against `server` with `fixture` written into `work`.
fn playwright(
    (chromium, playwright): (PathBuf, PathBuf),
    server: &keyfleet_testkit::TestServer,
    work: &tempfile::TempDir,
    fixture: &Value,
    specs: &[&str],
) {
    assert!(server.base_url.starts_with("https://localhost:"));
    let fixture_path = work.path().join("fixture.json");
    std::fs::write(&fixture_path, serde_json::to_vec_pretty(fixture).unwrap()).unwrap();
    let status = tokio::task::block_in_place(|| {
        std::process::Command::new("node")
            .arg(&playwright)
            .arg("test")
            .args(specs)
            .current_dir(console_dir())
            .env("KEYFLEET_URL", &server.base_url)
            .env("KEYFLEET_FIXTURE", &fixture_path)
            .env("CHROMIUM_PATH", &chromium)
            .env("CI", "1")
            .status()
            .expect("node runs Playwright")
    });
    assert!(
        status.success(),
        "the Playwright specs failed ({status}); see their report above"
    );
}

/// The issue's MSP onboarding, every other browser story, then the checks from outside: the
/// employee's stock bw CLI decrypts what the console created and shared.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_msp_runs_its_clients_from_the_console_in_chromium_on_sqlite() {
    let Some((server, work, rich, recovery)) = run_specs(Backend::Sqlite, &[]).await else {
        return;
    };
    rich.kept_what_the_console_did_not_edit(&server).await;
    recovery
        .the_member_reads_their_vault_under_the_new_password(&server)
        .await;
    let out: Value = serde_json::from_slice(
        &std::fs::read(work.path().join("out/onboarding.json")).expect("onboarding.json"),
    )
    .unwrap();
    let s = |k: &str| {
        out[k]
            .as_str()
            .unwrap_or_else(|| panic!("{k} in {out}"))
            .to_string()
    };
    let (email, password, org) = (
        s("employeeEmail"),
        s("employeePassword"),
        s("organizationId"),
    );
    let mut bw = Bw::new(&server);
    tokio::task::block_in_place(|| {
        bw.login(&email, &password);
        bw.run(&["sync"]).expect_ok();
        let collections = bw.json(&["list", "collections", "--organizationid", &org]);
        assert!(
            collections
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["name"] == s("collectionName").as_str()),
            "{collections}"
        );
        let items = bw.json(&["list", "items", "--organizationid", &org]);
        let item = items
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["name"] == s("itemName").as_str())
            .unwrap_or_else(|| panic!("the console's item in {items}"));
        assert_eq!(item["login"]["username"], s("itemUsername").as_str());
        assert_eq!(item["login"]["password"], s("itemPassword").as_str());
    });
    // The CSV files the owner downloaded are the server's reports.
    let events = s("eventsCsv");
    assert!(events.lines().count() > 5, "{events}");
    assert!(
        events.contains("Client created") || events.contains("1904"),
        "{events}"
    );
    let usage = s("usageCsv");
    for name in ["Acme", "Globex", "Initech"] {
        assert!(usage.contains(name), "{name} in {usage}");
    }
    // What the server holds and sends is ciphertext: the employee's raw sync carries the item,
    // and not its password in clear.
    let c = client(&server);
    let employee = c.login_password(&email, &password).await.unwrap();
    let raw = employee.sync_json().await.unwrap().to_string();
    assert!(raw.contains(&org), "the item's organization in the sync");
    assert!(!raw.contains(&s("itemPassword")), "plaintext on the server");
    server.stop().await;
}

/// On PostgreSQL: a technician's console shows their client and nothing of another.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_technician_reaches_only_their_client_in_the_console_on_postgres() {
    if !backends().contains(&Backend::Postgres) {
        return;
    }
    if let Some((server, _work, _, _)) = run_specs(Backend::Postgres, &["isolation"]).await {
        server.stop().await;
    }
}

/// Two-step sign-in by every method but the security key (its own spec): a recovery code (which
/// turns two-step login off), a code mailed to a real loopback SMTP receiver, and a remembered
/// browser that skips the second step until it is forgotten. Its own server: with SMTP set, the
/// other stories' invitation links would be mailed instead of shown.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn people_sign_in_to_the_console_with_each_second_step() {
    let Some(browser) = keyfleet_testkit::browser(&console_dir()) else {
        return;
    };
    let sink = SmtpSink::start().await;
    let smtp = sink.config();
    // The server's clock starts a minute behind the wall clock while the email account is set
    // up, then follows the wall clock: for the server the set-up mail is over a minute old (it
    // sends one code mail a minute per account), for the authenticator codes no time passed.
    let clock = ManualClock::new(Timestamp(SystemClock.now().0 - 61_000));
    let server_clock = clock.clone();
    let server = spawn_server_with(Backend::Sqlite, |c| {
        c.public_host = Some("localhost".into());
        c.smtp = Some(smtp);
        c.clock = Some(server_clock);
    })
    .await;
    let work = tempfile::tempdir().unwrap();
    let out_dir = work.path().join("out");
    std::fs::create_dir_all(&out_dir).unwrap();

    let mailed = user_via_mail_with_kdf(&server, &sink, "mailed@signin.test", FAST_KDF).await;
    mailed
        .send_email_setup_code(PASSWORD, "mailed@signin.test")
        .await
        .unwrap();
    let setup = code_in(&sink.received().last().expect("the setup mail").decoded());
    mailed
        .enable_email_two_factor(PASSWORD, "mailed@signin.test", &setup)
        .await
        .unwrap();
    let follow = tokio::spawn(async move {
        loop {
            let behind = (SystemClock.now().0 - clock.now().0) / 1000;
            if behind > 0 {
                clock.advance_secs(behind);
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    });
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let recover = user_via_mail_with_kdf(&server, &sink, "recover@signin.test", FAST_KDF).await;
    let recover_totp = enable_totp(&recover, &SystemClock).await;
    let recovery_code = recover.recovery_code(PASSWORD).await.unwrap();
    let remember = user_via_mail_with_kdf(&server, &sink, "remember@signin.test", FAST_KDF).await;
    let remember_totp = enable_totp(&remember, &SystemClock).await;
    let step = SystemClock.now().unix_secs() / 30;
    std::fs::write(
        out_dir.join(".totp-steps.json"),
        json!({ &recover_totp: step, &remember_totp: step }).to_string(),
    )
    .unwrap();
    let person = |s: &keyfleet_client::Session, totp: &str| json!({ "email": s.email, "password": PASSWORD, "totpSecret": totp });
    // The spec reads the mail the server sends from a file this task keeps current.
    let mail_file = out_dir.join("mail.json");
    let mail_writer = {
        let (sink, path) = (sink, mail_file.clone());
        tokio::spawn(async move {
            loop {
                let mails: Vec<Value> = sink
                    .received()
                    .iter()
                    .map(|m| json!({ "to": m.to, "text": m.decoded() }))
                    .collect();
                let tmp = path.with_extension("tmp");
                std::fs::write(&tmp, Value::Array(mails).to_string()).unwrap();
                std::fs::rename(&tmp, &path).unwrap();
                tokio::time::sleep(std::time::Duration::from_millis(200)).await;
            }
        })
    };
    let fixture = json!({
        "url": server.base_url,
        "outDir": out_dir,
        "signIn": {
            "mailFile": mail_file,
            "recover": { "person": person(&recover, &recover_totp), "recoveryCode": recovery_code },
            "remember": person(&remember, &remember_totp),
            "mailed": person(&mailed, ""),
        },
    });
    playwright(browser, &server, &work, &fixture, &["signin"]);
    mail_writer.abort();
    follow.abort();

    // The recovery code turned two-step login off, as the console said.
    let c = client(&server);
    let again = c.login_password("recover@signin.test", PASSWORD).await;
    assert!(again.is_ok(), "no second step any more: {:?}", again.err());
    server.stop().await;
}

/// The six-digit code in a mail's text.
fn code_in(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .find(|l| l.len() == 6 && l.chars().all(|c| c.is_ascii_digit()))
        .unwrap_or_else(|| panic!("no code in {text}"))
        .to_string()
}
