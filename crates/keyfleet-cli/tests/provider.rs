//! The provider (MSP) story, run as an operator and an MSP's staff would run it with the built
//! `keyfleet` binary against a real server: the operator creates the provider, its owner sets it
//! up, staff with two-step login join with roles, client companies are created, linked and
//! unlinked, technicians reach only their clients, ownership moves, a suspension bites at once,
//! and the event log and usage report account for it all.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use support::{enable_totp, json, keyfleet, keyfleet_with_env, register_and_login};

/// One person with their own CLI home (saved session) and master password.
struct Person {
    email: &'static str,
    password: String,
    home: PathBuf,
}

impl Person {
    fn new(dir: &Path, server: &[&str], email: &'static str) -> Person {
        let p = Person {
            email,
            password: format!("{email} has a long passphrase"),
            home: dir.join(email),
        };
        register_and_login(server, email, &p.password, &p.home);
        p
    }

    /// A command that must succeed; its `--json` output. The master password is on stdin for
    /// the commands that read it.
    fn ok(&self, args: &[&str]) -> Value {
        let (code, out, err) = keyfleet(args, &format!("{}\n", self.password), &self.home);
        assert_eq!(code, 0, "{} {args:?}: {out}{err}", self.email);
        json(&out)
    }

    /// A command that must succeed; its text output.
    fn text(&self, args: &[&str]) -> String {
        let (code, out, err) = keyfleet(args, &format!("{}\n", self.password), &self.home);
        assert_eq!(code, 0, "{} {args:?}: {out}{err}", self.email);
        out
    }

    /// A command that must fail with `code`; its error output.
    fn fails(&self, code: i32, args: &[&str]) -> String {
        let (got, out, err) = keyfleet(args, &format!("{}\n", self.password), &self.home);
        assert_eq!(got, code, "{} {args:?} should fail: {out}{err}", self.email);
        err
    }
}

fn s(v: &Value, key: &str) -> String {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("no {key} in {v}"))
        .to_string()
}

fn member<'a>(members: &'a Value, email: &str) -> &'a Value {
    members
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["email"] == email)
        .unwrap_or_else(|| panic!("no {email} in {members}"))
}

fn names(list: &Value, key: &str) -> BTreeSet<String> {
    list.as_array().unwrap().iter().map(|v| s(v, key)).collect()
}

/// Invites `who` with `role` (extra flags after it), has them accept the link and confirms them
/// after comparing fingerprints.
fn join(owner: &Person, who: &Person, role: &[&str]) -> String {
    let mut args = vec!["provider", "invite", who.email, "--json", "--role"];
    args.extend(role);
    let invited = owner.ok(&args);
    let link = s(&invited[0], "link");
    assert!(link.contains("accept-provider"), "{link}");
    let accepted = who.ok(&["provider", "accept", "--link", &link, "--json"]);
    assert_eq!(accepted["accepted"], true);
    let confirmed = owner.ok(&[
        "provider",
        "confirm",
        who.email,
        "--yes",
        "--password-stdin",
        "--json",
    ]);
    let theirs = who.ok(&["org", "fingerprint", "--password-stdin", "--json"]);
    assert_eq!(
        confirmed["fingerprint"], theirs["fingerprint"],
        "the phrase the owner checked is the member's own"
    );
    s(&invited[0], "id")
}

fn create_client(by: &Person, name: &str, extra: &[&str]) -> Value {
    let mut args = vec![
        "provider",
        "client",
        "create",
        name,
        "--plan",
        "teams",
        "--seats",
        "5",
        "--password-stdin",
        "--json",
    ];
    args.extend(extra);
    by.ok(&args)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_msp_runs_its_clients_through_the_provider_commands() {
    let server = keyfleet_testkit::spawn_server(keyfleet_testkit::Backend::Sqlite).await;
    let dir = tempfile::tempdir().unwrap();
    let (url, ca) = (
        server.base_url.clone(),
        server.ca_pem.to_str().unwrap().to_string(),
    );
    tokio::task::block_in_place(|| story(&url, &ca, dir.path()));
    server.stop().await;
}

fn story(url: &str, ca: &str, dir: &Path) {
    let target = ["--server", url, "--ca-cert", ca];
    let token = keyfleet_testkit::TEST_ADMIN_TOKEN;
    let owner = Person::new(dir, &target, "owner@msp.example");
    let admin = Person::new(dir, &target, "admin@msp.example");
    let tech1 = Person::new(dir, &target, "tech1@msp.example");
    let tech2 = Person::new(dir, &target, "tech2@msp.example");
    let linker = Person::new(dir, &target, "linker@msp.example");
    for p in [&owner, &admin, &tech1, &tech2, &linker] {
        enable_totp(&p.password, &p.home);
    }

    // The operator creates the provider for its owner; a wrong admin token is refused.
    let mut create = vec![
        "admin",
        "provider",
        "create",
        "--name",
        "Fleet MSP",
        "--owner-email",
        owner.email,
        "--json",
        "--admin-token",
    ];
    let (code, _, err) = keyfleet(
        &[create.as_slice(), &["not-the-token"], &target].concat(),
        "",
        &owner.home,
    );
    assert_eq!(code, 3, "a wrong admin token: {err}");
    create.push(token);
    create.extend(target);
    let (code, out, err) = keyfleet(&create, "", &owner.home);
    assert_eq!(code, 0, "{out}{err}");
    let created = json(&out);
    let provider_id = s(&created, "id");
    let setup_link = s(&created, "setupUrl");
    let env = [("KEYFLEET_ADMIN_TOKEN", token)];
    let (code, out, err) = keyfleet_with_env(
        &["admin", "provider", "list", "--json"],
        "",
        &owner.home,
        &env,
    );
    assert_eq!(
        code, 0,
        "the token from the environment, the server from the session: {err}"
    );
    assert_eq!(json(&out)[0]["status"], 0, "waiting for set-up: {out}");

    // The owner sets it up (the provider key is made on their machine) and invites staff.
    let set_up = owner.ok(&[
        "provider",
        "setup",
        "--link",
        &setup_link,
        "--name",
        "Fleet MSP",
        "--billing-email",
        "billing@msp.example",
        "--password-stdin",
        "--json",
    ]);
    assert_eq!(set_up["id"], provider_id.as_str());
    let mine = owner.ok(&["provider", "list", "--json"]);
    assert_eq!(names(&mine, "id"), BTreeSet::from([provider_id.clone()]));
    owner.ok(&[
        "provider",
        "update",
        "--business-name",
        "Fleet MSP Ltd",
        "--json",
    ]);
    assert_eq!(
        owner.ok(&["provider", "show", "--json"])["businessName"],
        "Fleet MSP Ltd"
    );
    join(&owner, &admin, &["admin"]);
    let tech1_id = join(&owner, &tech1, &["technician"]);
    join(&owner, &tech2, &["technician"]);

    // Three client companies, one per technician (by member and by client).
    let acme = create_client(&owner, "Acme", &["--owner-email", "it@acme.example"]);
    let globex = create_client(&owner, "Globex", &["--region", "EU"]);
    create_client(&owner, "Initech", &[]);
    let acme_org = s(&acme, "organizationId");
    let globex_org = s(&globex, "organizationId");
    let owner_invite = s(&acme["ownerInvite"], "inviteUrl");
    owner.ok(&[
        "provider",
        "assign",
        "tech1@msp.example",
        "--client",
        "Acme",
        "--json",
    ]);
    // Replacing who manages a client: both technicians, then the second alone.
    for managers in [vec![tech1_id.as_str(), tech2.email], vec![tech2.email]] {
        let mut args = vec!["provider", "client", "technicians", "Globex", "--json"];
        for m in managers {
            args.extend(["--member", m]);
        }
        owner.ok(&args);
    }
    owner.ok(&[
        "provider",
        "client",
        "edit",
        "Initech",
        "--notes",
        "no technician yet",
        "--json",
    ]);
    let members = owner.ok(&["provider", "members", "--json"]);
    assert_eq!(
        member(&members, tech1.email)["assignedClients"],
        serde_json::json!([s(&acme, "id")])
    );
    assert_eq!(member(&members, tech2.email)["role"], "technician");
    assert_eq!(
        names(
            &owner.ok(&["provider", "clients", "--json"]),
            "organizationName"
        ),
        BTreeSet::from(["Acme".into(), "Globex".into(), "Initech".into()])
    );

    // Each technician sees and administers only their client.
    let seen = tech1.ok(&["provider", "clients", "--json"]);
    assert_eq!(
        names(&seen, "organizationName"),
        BTreeSet::from(["Acme".into()])
    );
    let launched = tech1.ok(&["provider", "launch", "Acme", "--password-stdin", "--json"]);
    assert_eq!(launched["organizationId"], acme_org.as_str());
    // The owner makes the step-up mandatory; the CLI always sends it, so launching still works.
    let settings = owner.ok(&[
        "provider",
        "update",
        "--launch-requires-password",
        "on",
        "--json",
    ]);
    assert_eq!(settings["launchRequiresPassword"], true);
    let launched = tech1.ok(&["provider", "launch", "Acme", "--password-stdin", "--json"]);
    assert_eq!(launched["organizationId"], acme_org.as_str());
    let acme_members = tech1.ok(&["org", "members", &acme_org, "--json"]);
    assert_eq!(
        member(&acme_members, "it@acme.example")["status"],
        0,
        "invited owner"
    );
    let collections = tech1.ok(&[
        "org",
        "collections",
        &acme_org,
        "--password-stdin",
        "--json",
    ]);
    assert_eq!(
        collections[0]["name"], "Default collection",
        "{collections}"
    );
    tech1.ok(&[
        "org",
        "collection",
        "create",
        &acme_org,
        "Servers",
        "--password-stdin",
        "--json",
    ]);
    // The client's owner joins. A technician may not make anyone the client's owner; the
    // provider's admin (who may add clients, with their owners) confirms them with the org key
    // from the provider.
    let client_owner = Person::new(dir, &target, "it@acme.example");
    client_owner.ok(&["org", "accept", "--link", &owner_invite, "--json"]);
    let refused = tech1.fails(
        1,
        &[
            "org",
            "confirm",
            &acme_org,
            "it@acme.example",
            "--yes",
            "--password-stdin",
            "--json",
        ],
    );
    assert!(refused.contains("client's own owners"), "{refused}");
    let confirmed = admin.ok(&[
        "org",
        "confirm",
        &acme_org,
        "it@acme.example",
        "--yes",
        "--password-stdin",
        "--json",
    ]);
    assert_eq!(confirmed["confirmed"], true);
    let names_seen = names(
        &client_owner.ok(&["org", "collections", "Acme", "--password-stdin", "--json"]),
        "name",
    );
    assert!(names_seen.contains("Servers"), "{names_seen:?}");
    // Another client: refused by the server, whether named by org id or link id.
    tech1.fails(1, &["org", "members", &globex_org]);
    tech1.fails(1, &["org", "collections", &globex_org, "--password-stdin"]);
    tech1.fails(
        1,
        &["provider", "launch", &s(&globex, "id"), "--password-stdin"],
    );
    tech1.fails(1, &["provider", "members"]);
    let seen = tech2.ok(&["provider", "clients", "--json"]);
    assert_eq!(
        names(&seen, "organizationName"),
        BTreeSet::from(["Globex".into()])
    );
    tech2.ok(&["org", "members", &globex_org, "--json"]);
    tech2.fails(1, &["org", "members", &acme_org]);

    // A custom role that adds and unlinks clients but may not launch into one.
    let role = owner.ok(&[
        "provider",
        "role",
        "create",
        "link-only",
        "--permission",
        "add_or_link_client",
        "--permission",
        "unlink_client",
        "--permission",
        "view_clients",
        "--scope",
        "all",
        "--json",
    ]);
    assert_eq!(role["scope"], "all");
    join(&owner, &linker, &["custom", "--role-id", "link-only"]);
    let hooli = create_client(&linker, "Hooli", &[]);
    linker.ok(&[
        "org",
        "create",
        "--name",
        "Linker Labs",
        "--billing-email",
        "labs@msp.example",
        "--plan",
        "teams",
        "--seats",
        "2",
        "--password-stdin",
        "--json",
    ]);
    let linked = linker.ok(&[
        "provider",
        "client",
        "link",
        "Linker Labs",
        "--password-stdin",
        "--json",
    ]);
    assert_eq!(linked["organizationName"], "Linker Labs");
    let err = linker.fails(1, &["provider", "launch", "Hooli", "--password-stdin"]);
    assert!(!err.is_empty());
    linker.fails(1, &["org", "members", &s(&hooli, "organizationId")]);
    linker.ok(&["provider", "client", "unlink", "Linker Labs", "--json"]);
    assert!(!names(
        &linker.ok(&["provider", "clients", "--json"]),
        "organizationName"
    )
    .contains("Linker Labs"));
    linker.fails(1, &["provider", "members"]);

    // The owner hands the provider over to the admin.
    let (code, _, err) = keyfleet(
        &[
            "provider",
            "transfer-ownership",
            admin.email,
            "--password-stdin",
        ],
        "not the owner's passphrase\n",
        &owner.home,
    );
    assert_eq!(code, 1, "the server re-checks the master password: {err}");
    owner.ok(&[
        "provider",
        "transfer-ownership",
        admin.email,
        "--password-stdin",
        "--json",
    ]);
    let members = admin.ok(&["provider", "members", "--json"]);
    assert_eq!(member(&members, admin.email)["role"], "owner");
    assert_eq!(member(&members, owner.email)["role"], "admin");

    // A suspended technician loses access with their very next request.
    tech2.ok(&["provider", "clients", "--json"]);
    admin.ok(&["provider", "suspend", tech2.email, "--json"]);
    tech2.fails(1, &["provider", "clients", "--provider", &provider_id]);
    tech2.fails(1, &["org", "members", &globex_org]);
    assert_eq!(
        tech2.ok(&["provider", "list", "--json"]),
        serde_json::json!([])
    );

    // Disabled by the operator, the provider reaches nothing; enabled, it works again.
    let operator = |cmd: &str| {
        let (code, out, err) = keyfleet_with_env(
            &["admin", "provider", cmd, &provider_id, "--json"],
            "",
            &owner.home,
            &env,
        );
        assert_eq!(code, 0, "{cmd}: {out}{err}");
    };
    operator("disable");
    tech1.fails(1, &["provider", "clients", "--provider", &provider_id]);
    tech1.fails(1, &["org", "members", &acme_org]);
    operator("enable");
    tech1.ok(&["provider", "clients", "--json"]);

    // Every step is in the provider's event log.
    let events = admin.ok(&["provider", "events", "--all", "--json"]);
    let types: BTreeSet<i64> = events["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["type"].as_i64())
        .collect();
    for (t, what) in [
        (1858, "set up"),
        (1857, "provider updated"),
        (1800, "member invited"),
        (1801, "member confirmed"),
        (1900, "client created"),
        (1856, "assignment changed"),
        (1904, "client edited"),
        (1903, "launched into a client"),
        (1850, "role created"),
        (1901, "client linked"),
        (1902, "client unlinked"),
        (1855, "ownership transferred"),
        (1853, "member suspended"),
    ] {
        assert!(types.contains(&t), "{what} ({t}) missing: {types:?}");
    }
    let invited = admin.ok(&["provider", "events", "--type", "1800", "--all", "--json"]);
    let by: Vec<&Value> = invited["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["actingUserEmail"])
        .collect();
    assert_eq!(
        by.iter().filter(|e| **e == owner.email).count(),
        4,
        "the owner invited four staff: {invited}"
    );
    assert_eq!(
        by.iter().filter(|e| e.is_null()).count(),
        1,
        "the operator invited the owner: {invited}"
    );
    let about_tech1 = admin.ok(&[
        "provider",
        "events",
        "--member",
        tech1.email,
        "--all",
        "--json",
    ]);
    // A member's events: those about them and those they acted in.
    let about: Vec<&Value> = about_tech1["data"].as_array().unwrap().iter().collect();
    assert!(
        about.iter().all(
            |e| e["providerUserId"] == tech1_id.as_str() || e["actingUserEmail"] == tech1.email
        ),
        "{about_tech1}"
    );
    let kinds: BTreeSet<i64> = about.iter().filter_map(|e| e["type"].as_i64()).collect();
    assert!(
        [1800, 1801, 1856, 1903].iter().all(|t| kinds.contains(t)),
        "invited, confirmed, assigned, launched: {kinds:?}"
    );
    let csv = admin.text(&["provider", "events", "--csv"]);
    assert!(
        csv.starts_with("date,type,event,actingUserId,actingUserEmail,"),
        "{csv}"
    );
    // The client's own log shows the technician's launch.
    let acme_log = client_owner.ok(&["org", "events", "Acme", "--all", "--json"]);
    assert!(
        acme_log["data"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["type"] == 1603),
        "{acme_log}"
    );

    // The usage report adds up: the TOTAL row is the sum of the client rows.
    let usage = admin.ok(&["provider", "usage", "--json"]);
    assert_eq!(
        names(&usage, "name"),
        BTreeSet::from([
            "Acme".into(),
            "Globex".into(),
            "Hooli".into(),
            "Initech".into()
        ])
    );
    let csv = admin.text(&["provider", "usage", "--csv"]);
    let rows: Vec<Vec<&str>> = csv
        .lines()
        .map(|l| l.trim_end_matches('\r').split(',').collect())
        .collect();
    assert_eq!(
        rows[0].join(","),
        "client,organizationId,plan,seats,seatsUsed,confirmed,accepted,invited,revoked,items,twoStepLogin,lastActivity"
    );
    let (total, clients) = rows[1..].split_last().unwrap();
    assert_eq!(total[0], "TOTAL");
    assert_eq!(clients.len(), 4, "{csv}");
    for col in 3..=10 {
        let sum: i64 = clients.iter().map(|r| r[col].parse::<i64>().unwrap()).sum();
        assert_eq!(
            total[col].parse::<i64>().unwrap(),
            sum,
            "column {}",
            rows[0][col]
        );
    }
    let acme_row = clients.iter().find(|r| r[0] == "Acme").unwrap();
    assert_eq!(acme_row[5], "1", "Acme's owner is confirmed: {csv}");
}
