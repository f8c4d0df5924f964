//! `keyfleet org import` as an MSP technician runs it: a client's LastPass export (and a
//! Bitwarden CSV) lands in the client's organization, encrypted on the technician's machine,
//! and a member of the client reads the items decrypted in the stock bw CLI — only those in
//! the collections they were given.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use keyfleet_client::AccountCalls;
use keyfleet_testkit::{backends, spawn_server, Backend, Bw};
use serde_json::Value;
use support::{json, keyfleet, register_and_login};

const ADMIN_PW: &str = "the admin's long passphrase";
const MEMBER_PW: &str = "the member's long passphrase";

const LASTPASS: &str = "url,username,password,totp,extra,name,grouping,fav\n\
https://fw.acme.example,admin,fw-pass-1,,,Firewall,Servers,0\n\
http://sn,,,,door code 2468,Office door,Servers,0\n\
https://payroll.acme.example,hr,payroll-1,,,Payroll,Finance,0\n";

const BITWARDEN_CSV: &str = "collections,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp\n\
Servers,login,NAS,,\"share: backups\",0,https://nas.acme.example,nasadmin,nas-pass-2,\n";

fn names(v: &Value) -> Vec<String> {
    let mut n: Vec<String> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap().to_string())
        .collect();
    n.sort();
    n
}

async fn story(backend: Backend) {
    let server = spawn_server(backend).await;
    let dir = tempfile::tempdir().unwrap();
    let ca = server.ca_pem.to_str().unwrap().to_string();
    let args = [
        "--server",
        server.base_url.as_str(),
        "--ca-cert",
        ca.as_str(),
    ];
    let admin = dir.path().join("admin");
    register_and_login(&args, "admin@msp.example", ADMIN_PW, &admin);
    let pw = format!("{ADMIN_PW}\n");
    let run = |a: &[&str]| {
        let (code, out, err) = keyfleet(a, &pw, &admin);
        assert_eq!(code, 0, "{a:?}: {out}{err}");
        json(&out)
    };
    let org = run(&[
        "org",
        "create",
        "--name",
        "Acme Ltd",
        "--billing-email",
        "it@acme.example",
        "--plan",
        "teams",
        "--seats",
        "5",
        "--collection",
        "Servers",
        "--password-stdin",
        "--json",
    ]);
    let org_id = org["id"].as_str().unwrap().to_string();
    let servers = run(&[
        "org",
        "collections",
        "Acme Ltd",
        "--password-stdin",
        "--json",
    ])[0]["id"]
        .as_str()
        .unwrap()
        .to_string();

    // A member of the client, reading Servers only.
    let staff = dir.path().join("staff");
    register_and_login(&args, "staff@acme.example", MEMBER_PW, &staff);
    let access = format!("{servers}:read-only");
    let invited = run(&[
        "org",
        "invite",
        "Acme Ltd",
        "staff@acme.example",
        "--role",
        "user",
        "--collection",
        &access,
        "--json",
    ]);
    let member_id = invited[0]["id"].as_str().unwrap().to_string();
    let link = invited[0]["link"].as_str().unwrap().to_string();
    let (code, out, err) = keyfleet(&["org", "accept", "--link", &link, "--json"], "", &staff);
    assert_eq!(code, 0, "{out}{err}");
    run(&[
        "org",
        "confirm",
        "Acme Ltd",
        &member_id,
        "--yes",
        "--password-stdin",
        "--json",
    ]);

    let lastpass = dir.path().join("lastpass.csv");
    std::fs::write(&lastpass, LASTPASS).unwrap();
    let imported = run(&[
        "org",
        "import",
        "Acme Ltd",
        lastpass.to_str().unwrap(),
        "--password-stdin",
        "--json",
    ]);
    assert_eq!(imported["items"], 3);
    assert_eq!(
        imported["newCollections"], 1,
        "Servers exists, Finance is new: {imported}"
    );
    let csv = dir.path().join("bitwarden.csv");
    std::fs::write(&csv, BITWARDEN_CSV).unwrap();
    let imported = run(&[
        "org",
        "import",
        &org_id,
        csv.to_str().unwrap(),
        "--format",
        "bitwardencsv",
        "--password-stdin",
        "--json",
    ]);
    assert_eq!(imported["items"], 1);
    assert_eq!(imported["newCollections"], 0);
    // A file that is not what it says: a usage error, nothing sent.
    let (code, _, err) = keyfleet(
        &[
            "org",
            "import",
            "Acme Ltd",
            dir.path().join("missing.csv").to_str().unwrap(),
            "--password-stdin",
        ],
        &pw,
        &admin,
    );
    assert_eq!(code, 2, "{err}");

    tokio::task::block_in_place(|| {
        let mut bw = Bw::new(&server);
        bw.login("staff@acme.example", MEMBER_PW);
        bw.run(&["sync"]).expect_ok();
        let items = bw.json(&["list", "items", "--organizationid", &org_id]);
        // Finance is not theirs: Payroll stays out of their reach.
        assert_eq!(names(&items), ["Firewall", "NAS", "Office door"]);
        let find = |n: &str| {
            items
                .as_array()
                .unwrap()
                .iter()
                .find(|i| i["name"] == n)
                .unwrap()
                .clone()
        };
        assert_eq!(find("Firewall")["login"]["password"], "fw-pass-1");
        assert_eq!(
            find("Firewall")["login"]["uris"][0]["uri"],
            "https://fw.acme.example"
        );
        assert_eq!(find("Office door")["notes"], "door code 2468");
        assert_eq!(find("NAS")["fields"][0]["value"], "backups");
        assert_eq!(find("NAS")["collectionIds"][0], servers.as_str());
    });

    // --- `keyfleet org recover`: with SingleOrg and account recovery on and the member enrolled
    // (the web vault's step, here keyfleet-client), the admin sets a new master password for
    // them; their session ends and the new password opens the same user key.
    run(&[
        "org",
        "policy",
        "set",
        "Acme Ltd",
        "3",
        "--enabled",
        "true",
        "--json",
    ]);
    run(&[
        "org",
        "policy",
        "set",
        "Acme Ltd",
        "8",
        "--enabled",
        "true",
        "--data",
        r#"{"autoEnrollEnabled":false}"#,
        "--json",
    ]);
    let client = keyfleet_client::Client::new(&server.base_url, Some(&server.ca_pem)).unwrap();
    let member = client
        .login_password("staff@acme.example", MEMBER_PW)
        .await
        .unwrap();
    member
        .enrol_in_account_recovery(&org_id, MEMBER_PW)
        .await
        .unwrap();
    let helpdesk = "a temporary one from the helpdesk";
    let (code, out, err) = keyfleet(
        &[
            "org",
            "recover",
            "Acme Ltd",
            "staff@acme.example",
            "--password-stdin",
            "--json",
        ],
        &format!("{ADMIN_PW}\n{helpdesk}\n"),
        &admin,
    );
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(json(&out)["recovered"], true);
    assert_eq!(
        member.revision_date().await.unwrap_err().status(),
        Some(401),
        "the member's session is over"
    );
    let again = client
        .login_password("staff@acme.example", helpdesk)
        .await
        .unwrap();
    assert_eq!(again.user_key(), member.user_key());
    assert!(again.profile().await.unwrap().force_password_reset);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keyfleet_org_import_lands_items_a_member_reads_in_the_bw_cli_on_sqlite() {
    story(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keyfleet_org_import_lands_items_a_member_reads_in_the_bw_cli_on_postgres() {
    if !backends().contains(&Backend::Postgres) {
        return;
    }
    story(Backend::Postgres).await;
}
