//! The stock bw CLI as a provider technician: it logs in with an authenticator code, syncs,
//! and decrypts its assigned client's data through the provider key (bw reads
//! `profile.providers[].key`, then `profile.providerOrganizations[].key`; providers.md §6) —
//! never the unassigned client's, and nothing at all once the technician is suspended.

use crate::provider_support::{account_with_kdf, ok, Member, TwoStep, World};
use crate::support::PASSWORD;
use keyfleet_client::{MemberRole, Method};
use keyfleet_crypto::{EncString, Kdf};
use keyfleet_domain::{Clock, ManualClock, SystemClock};
use keyfleet_testkit::spawn_server_with_clock as server_with_clock;
use keyfleet_testkit::{backends, encode, totp_code, Backend, Bw};
use serde_json::Value;

/// Moves the server's clock past the wall clock: bw's `sync` skips when the account's revision
/// date is not newer than its own last sync (wall time), so a change the CLI must notice has to
/// happen "later" than that.
fn catch_up(clock: &ManualClock) {
    let lag = SystemClock.now().0 - clock.now().0;
    clock.advance_secs(lag.max(0) / 1000 + 2);
}

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
    let (server, clock) = server_with_clock(backend).await;
    let w = World::build(&server, &clock).await;
    // The technician bw logs in as uses the default KDF, as accounts made by the apps do.
    let account = account_with_kdf(
        &server,
        "bw-tech@msp.example",
        TwoStep::On,
        &clock,
        Kdf::default_pbkdf2(),
    )
    .await;
    let puid = w
        .provider
        .join(
            w.owner.s(),
            &account.session,
            MemberRole::Technician,
            &[&w.client1.poid],
        )
        .await;
    let tech = Member { account, puid };
    clock.advance_secs(30);
    let code = totp_code(
        tech.account.totp.as_deref().unwrap(),
        clock.now().unix_secs(),
    );
    let c1 = w.client1.org_id.clone();
    let c2 = w.client2.org_id.clone();

    // The server's view of the same account: exactly the assigned client.
    let sync = tech.s().sync_json().await.unwrap();
    let listed: Vec<&str> = sync["profile"]["providerOrganizations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    assert_eq!(listed, [c1.as_str()]);

    let mut bw = Bw::new(&server);
    tokio::task::block_in_place(|| {
        bw.run(&[
            "login",
            "bw-tech@msp.example",
            PASSWORD,
            "--method",
            "0",
            "--code",
            &code,
            "--raw",
        ])
        .expect_ok();
        bw.unlock(PASSWORD);
        bw.run(&["sync"]).expect_ok();
        // bw keeps the client from profile.providerOrganizations, as an owner, but lists only
        // orgs the user is a member of (providers.md §6).
        let org = bw.json(&["get", "organization", &c1]);
        assert_eq!(org["name"], "Client One");
        assert_eq!(org["type"], 0);
        assert_eq!(bw.json(&["list", "organizations"]), serde_json::json!([]));
        let out = bw.run(&["get", "organization", &c2]).expect_err();
        assert!(out.contains("Not found"), "{out}");
        // The collection name is decrypted with the org key bw unwrapped with the provider key.
        assert_eq!(
            names(&bw.json(&["list", "org-collections", "--organizationid", &c1])),
            ["Default collection"]
        );
        // Client items are read through the admin endpoints, not sync (docs/provider-api.md).
        assert_eq!(
            bw.json(&["list", "items", "--organizationid", &c1]),
            serde_json::json!([])
        );
        for args in [
            ["list", "org-collections", "--organizationid", &c2],
            ["list", "org-members", "--organizationid", &c2],
        ] {
            let out = bw.run(&args).expect_err();
            assert!(out.contains("Organization not found"), "{out}");
        }
        // And the other way round: bw encrypts a new collection's name with the same key.
        let mut collection = bw.json(&["get", "template", "org-collection"]);
        collection["organizationId"] = c1.clone().into();
        collection["name"] = "Made with bw".into();
        collection["groups"] = serde_json::json!([]);
        collection["users"] = serde_json::json!([]);
        bw.run(&[
            "create",
            "org-collection",
            &encode(&collection),
            "--organizationid",
            &c1,
        ])
        .expect_ok();
    });
    let collections = ok(
        w.owner.s(),
        Method::GET,
        &format!("/api/organizations/{c1}/collections"),
        None,
    )
    .await;
    let decrypted: Vec<String> = collections["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| EncString::decrypt_str(c["name"].as_str().unwrap(), &w.client1.key).unwrap())
        .collect();
    assert!(
        decrypted.contains(&"Made with bw".to_string()),
        "{decrypted:?}"
    );

    // Suspended: the next sync leaves bw with nothing of the client.
    catch_up(&clock);
    ok(
        w.owner.s(),
        Method::POST,
        &w.path(&format!("/users/{}/suspend", tech.puid)),
        None,
    )
    .await;
    tokio::task::block_in_place(|| {
        bw.run(&["sync"]).expect_ok();
        let out = bw.run(&["get", "organization", &c1]).expect_err();
        assert!(out.contains("Not found"), "{out}");
        for args in [
            ["list", "org-collections", "--organizationid", &c1],
            ["list", "org-members", "--organizationid", &c1],
        ] {
            let out = bw.run(&args).expect_err();
            assert!(out.contains("Organization not found"), "{out}");
        }
    });

    // Restored: the next sync brings it back.
    catch_up(&clock);
    ok(
        w.owner.s(),
        Method::POST,
        &w.path(&format!("/users/{}/restore", tech.puid)),
        None,
    )
    .await;
    tokio::task::block_in_place(|| {
        bw.run(&["sync"]).expect_ok();
        assert_eq!(
            names(&bw.json(&["list", "org-collections", "--organizationid", &c1])),
            ["Default collection", "Made with bw"]
        );
    });
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_technician_reads_the_assigned_client_with_the_bw_cli_on_sqlite() {
    story(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_technician_reads_the_assigned_client_with_the_bw_cli_on_postgres() {
    if backends().contains(&Backend::Postgres) {
        story(Backend::Postgres).await;
    }
}
