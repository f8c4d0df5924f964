//! Live sync through the notification hub, received by the SignalR client library the Bitwarden
//! apps use (`@microsoft/signalr` with its MessagePack protocol, under Node): a client employee's
//! connected apps hear at once of what the MSP's technician changes in their company, of their
//! own changes made elsewhere and of membership changes — and a technician of another client
//! hears nothing of it, until suspended. With two instances on one PostgreSQL, a change made through one reaches
//! a client connected to the other.

use crate::provider_support::{account, ok, Account, TwoStep, World};
use crate::support::client;
use keyfleet_client::Access;
use keyfleet_client::{Method, OrgCalls, ProviderCalls};
use keyfleet_testkit::spawn_server_with_clock as server_with_clock;
use keyfleet_testkit::{
    spawn_instance_sharing, spawn_server, Backend, HubConnect, HubListener, HubProtocol, TokenIn,
};
use serde_json::Value;
use std::time::Duration;

/// How long a notification may take to arrive (it is sent when the write has committed).
const SOON: Duration = Duration::from_secs(10);
/// How long to wait for a notification that must not come.
const QUIET: Duration = Duration::from_secs(2);

// Bitwarden's push types.
const SYNC_CIPHER_UPDATE: i64 = 0;
const SYNC_CIPHER_CREATE: i64 = 1;
const SYNC_CIPHERS: i64 = 4;
const SYNC_VAULT: i64 = 5;
const SYNC_ORG_KEYS: i64 = 6;
const SYNC_FOLDER_CREATE: i64 = 7;
const LOG_OUT: i64 = 11;

fn payload(m: &Value) -> &Value {
    &m["Payload"]
}

/// Both listeners receive a notification of `push_type`; answers the MessagePack one.
async fn both(app: &mut HubListener, web: &mut HubListener, push_type: i64) -> Value {
    let a = app.expect_type(push_type, SOON).await;
    let w = web.expect_type(push_type, SOON).await;
    assert_eq!(a, w, "MessagePack and JSON carry the same notification");
    a
}

#[tokio::test(flavor = "multi_thread")]
async fn connected_apps_hear_of_what_the_msp_changes_and_nothing_of_other_clients() {
    let (server, clock) = server_with_clock(Backend::Sqlite).await;
    let w = World::build(&server, &clock).await;
    let org = w.client1.org_id.clone();
    let tech = w.tech_a.s();

    // Dana works at client 1 and reaches its default collection.
    let dana: Account = account(&server, "dana@client1.example", TwoStep::Off, &clock).await;
    let msp = w.owner.s();
    let invite = msp
        .invite_members(
            &org,
            &["dana@client1.example"],
            2,
            &[(w.client1.collection.clone(), Access::EDIT)],
        )
        .await
        .unwrap();
    let dana_member = invite[0].id.clone();
    dana.session
        .accept_invite(&org, &dana_member, invite[0].token.as_deref().unwrap())
        .await
        .unwrap();
    msp.confirm_member(&org, &dana_member, &w.client1.key)
        .await
        .unwrap();

    // Her browser extension (MessagePack, token in the query as browsers send it) and her
    // desktop app (JSON, token in the header); technician B (client 2 only) is connected too.
    let token = dana.session.access_token.clone();
    let mut app = HubListener::connected(
        &server.base_url,
        &server.ca_pem,
        &token,
        HubProtocol::MessagePack,
        TokenIn::Query,
    )
    .await;
    let mut web = HubListener::connected(
        &server.base_url,
        &server.ca_pem,
        &token,
        HubProtocol::Json,
        TokenIn::Header,
    )
    .await;
    let mut other = HubListener::connected(
        &server.base_url,
        &server.ca_pem,
        &w.tech_b.s().access_token,
        HubProtocol::MessagePack,
        TokenIn::Header,
    )
    .await;
    // Technician A works in client 1 by launching in: no membership, so the client's items are
    // not in A's sync (the admin console reads them on demand) and A's apps are not told.
    let mut launched = HubListener::connected(
        &server.base_url,
        &server.ca_pem,
        &tech.access_token,
        HubProtocol::MessagePack,
        TokenIn::Header,
    )
    .await;

    // Technician A, launched into client 1, edits the firewall item (an admin route: a provider
    // member is no member of the client).
    let body = serde_json::to_value(tech.org_login_item_body(
        &org,
        &w.client1.key,
        "Client 1 firewall (new)",
        "admin",
        "fw-rotated",
    ))
    .unwrap();
    ok(
        tech,
        Method::PUT,
        &format!("/api/ciphers/{}/admin", w.item),
        Some(body),
    )
    .await;
    let m = both(&mut app, &mut web, SYNC_CIPHER_UPDATE).await;
    assert_eq!(payload(&m)["Id"], w.item.as_str());
    assert_eq!(payload(&m)["OrganizationId"], org.as_str());
    assert_eq!(payload(&m)["UserId"], Value::Null);
    assert_eq!(
        payload(&m)["CollectionIds"],
        serde_json::json!([w.client1.collection])
    );
    // The technician's device made the change: its own apps skip the message (ContextId).
    assert_eq!(m["ContextId"], tech.client().device_identifier());
    // The app fetches the item and skips it when its revision date is one it has: the date
    // must be the stored one.
    let fetched = dana.session.get_cipher(&w.item).await.unwrap();
    let stored = keyfleet_domain::Timestamp::parse_iso(&fetched.revision_date).unwrap();
    let pushed =
        keyfleet_domain::Timestamp::parse_iso(payload(&m)["RevisionDate"].as_str().unwrap())
            .unwrap();
    assert_eq!(pushed, stored);

    // A new item in the collection.
    let created = tech
        .create_org_login(
            &org,
            &w.client1.key,
            &[&w.client1.collection],
            "Client 1 VPN",
            "vpn",
            "vpn-pw",
        )
        .await
        .unwrap();
    let m = both(&mut app, &mut web, SYNC_CIPHER_CREATE).await;
    assert_eq!(payload(&m)["Id"], created.id.as_str());

    // Deleted from the admin console: a sync of the items.
    ok(
        tech,
        Method::PUT,
        &format!("/api/ciphers/{}/delete-admin", created.id),
        None,
    )
    .await;
    both(&mut app, &mut web, SYNC_CIPHERS).await;

    // A new collection changes what members may see: a sync.
    msp.create_collection(&org, &w.client1.key, "Network", &[])
        .await
        .unwrap();
    let m = both(&mut app, &mut web, SYNC_VAULT).await;
    assert_eq!(payload(&m)["UserId"], dana.session.user_id.as_str());

    // Dana's own folder, made on another device.
    let folder = dana.session.create_folder("Work").await.unwrap();
    let m = both(&mut app, &mut web, SYNC_FOLDER_CREATE).await;
    assert_eq!(payload(&m)["Id"], folder.id.as_str());
    assert_eq!(payload(&m)["UserId"], dana.session.user_id.as_str());
    // These connections share the acting device's token: the message names that device, so
    // the app that made the change ignores its echo.
    assert_eq!(m["ContextId"], dana.session.client().device_identifier());

    // Revoked: her apps sync at once and lose the company's items.
    msp.revoke_org_member(&org, &dana_member).await.unwrap();
    let m = both(&mut app, &mut web, SYNC_ORG_KEYS).await;
    assert_eq!(payload(&m)["UserId"], dana.session.user_id.as_str());
    // Not her change: no device skips it.
    assert_eq!(m["ContextId"], Value::Null);

    // Technician B, assigned to client 2 only, heard none of it; nor did A, whose sync holds
    // none of client 1's items.
    assert_eq!(other.next_message(QUIET).await, None);
    assert_eq!(launched.next_message(Duration::ZERO).await, None);
    let client1_items = tech.sync_json().await.unwrap()["ciphers"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["organizationId"] == org.as_str())
        .count();
    assert_eq!(
        client1_items, 0,
        "a launched technician's sync has no client items"
    );
    launched.stop().await;
    // Suspended by the MSP's owner: B's app syncs at once and loses the provider's clients.
    msp.suspend_provider_member(&w.provider.id, &w.tech_b.puid)
        .await
        .unwrap();
    let m = other.expect_type(SYNC_ORG_KEYS, SOON).await;
    assert_eq!(payload(&m)["UserId"], w.tech_b.s().user_id.as_str());

    // A new master password ends every session: her apps log out at once.
    dana.session
        .change_password(crate::support::PASSWORD, "dana's new master password")
        .await
        .unwrap();
    let m = both(&mut app, &mut web, LOG_OUT).await;
    assert_eq!(payload(&m)["UserId"], dana.session.user_id.as_str());

    // The anonymous hub takes a device waiting on a login request, named by its id; anything
    // else is refused.
    let waiting = HubListener::connected(
        &server.base_url,
        &server.ca_pem,
        &uuid::Uuid::new_v4().to_string(),
        HubProtocol::MessagePack,
        TokenIn::None,
    )
    .await;
    waiting.stop().await;
    assert!(matches!(
        HubListener::connect(
            &server.base_url,
            &server.ca_pem,
            "not-a-request",
            HubProtocol::MessagePack,
            TokenIn::None,
        )
        .await,
        HubConnect::Failed(_)
    ));

    // A token that is no token gets no connection.
    match HubListener::connect(
        &server.base_url,
        &server.ca_pem,
        "not-a-token",
        HubProtocol::MessagePack,
        TokenIn::Header,
    )
    .await
    {
        HubConnect::Failed(_) => {}
        HubConnect::Connected(_) => panic!("an invalid token was accepted"),
    }

    // Stopping the server closes the connections (they would hold the graceful shutdown).
    other.stop().await;
    web.stop().await;
    let stopping = tokio::spawn(server.stop());
    assert!(
        app.closed(SOON).await.is_some(),
        "the server closed the hub"
    );
    stopping.await.unwrap();
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_change_through_one_instance_reaches_a_client_connected_to_another_on_postgres() {
    if !keyfleet_testkit::backends().contains(&Backend::Postgres) {
        return;
    }
    let a = spawn_server(Backend::Postgres).await;
    let b = spawn_instance_sharing(&a).await;
    let erin = crate::support::user(&a, "erin@example.com").await;
    // Erin's phone talks to instance B, her laptop to instance A.
    let mut on_b = HubListener::connected(
        &b.base_url,
        &b.ca_pem,
        &erin.access_token,
        HubProtocol::MessagePack,
        TokenIn::Header,
    )
    .await;
    let mut on_a = HubListener::connected(
        &a.base_url,
        &a.ca_pem,
        &erin.access_token,
        HubProtocol::MessagePack,
        TokenIn::Header,
    )
    .await;
    let item = erin.create_login("Bank", "erin", "pw").await.unwrap();
    let m = on_b.expect_type(SYNC_CIPHER_CREATE, SOON).await;
    assert_eq!(payload(&m)["Id"], item.id.as_str());
    assert_eq!(payload(&m)["UserId"], erin.user_id.as_str());
    // Instance A's own connection hears it once: A skips its own relayed copy.
    let m = on_a.expect_type(SYNC_CIPHER_CREATE, SOON).await;
    assert_eq!(payload(&m)["Id"], item.id.as_str());
    assert_eq!(on_a.next_message(QUIET).await, None);
    // And the other way round: a change through B reaches A.
    let via_b = client(&b)
        .login_password("erin@example.com", crate::support::PASSWORD)
        .await
        .unwrap();
    let folder = via_b.create_folder("Home").await.unwrap();
    let m = on_a.expect_type(SYNC_FOLDER_CREATE, SOON).await;
    assert_eq!(payload(&m)["Id"], folder.id.as_str());
    let m = on_b.expect_type(SYNC_FOLDER_CREATE, SOON).await;
    assert_eq!(payload(&m)["Id"], folder.id.as_str());

    // A new password through A: her phone on B hears LogOut, then B closes the connection.
    erin.change_password(crate::support::PASSWORD, "erin's new master password")
        .await
        .unwrap();
    on_b.expect_type(LOG_OUT, SOON).await;
    assert!(
        on_b.closed(SOON).await.is_some(),
        "B closed the logged-out connection"
    );
    assert!(on_a.closed(SOON).await.is_some(), "A closed it too");

    on_a.stop().await;
    on_b.stop().await;
    b.stop().await;
    a.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hub_connection_ends_with_its_credentials() {
    let (server, clock) = server_with_clock(Backend::Sqlite).await;
    let connect = |token: String| {
        let (url, ca) = (server.base_url.clone(), server.ca_pem.clone());
        async move {
            HubListener::connected(&url, &ca, &token, HubProtocol::MessagePack, TokenIn::Header)
                .await
        }
    };
    let erin = account(&server, "erin@example.com", TwoStep::Off, &clock).await;
    let frank = account(&server, "frank@example.com", TwoStep::Off, &clock).await;
    let gail = account(&server, "gail@example.com", TwoStep::Off, &clock).await;
    let mut erin_hub = connect(erin.session.access_token.clone()).await;
    let mut frank_hub = connect(frank.session.access_token.clone()).await;
    let mut gail_hub = connect(gail.session.access_token.clone()).await;

    // A new master password: LogOut, then the connection is closed (its token is void).
    frank
        .session
        .change_password(crate::support::PASSWORD, "frank's new master password")
        .await
        .unwrap();
    frank_hub.expect_type(LOG_OUT, SOON).await;
    assert!(
        frank_hub.closed(SOON).await.is_some(),
        "closed after LogOut"
    );

    // A deleted account: the same.
    ok(
        &gail.session,
        Method::DELETE,
        "/api/accounts",
        Some(serde_json::json!({ "masterPasswordHash": gail.hash })),
    )
    .await;
    let m = gail_hub.expect_type(LOG_OUT, SOON).await;
    assert_eq!(payload(&m)["UserId"], gail.session.user_id.as_str());
    assert!(
        gail_hub.closed(SOON).await.is_some(),
        "closed after deletion"
    );

    // Neither touched Erin's connection; then her token expires (the clock passes its hour):
    // the next notification is not delivered on it, the connection is closed instead, while a
    // connection made with a fresh token hears it.
    let folder = erin.session.create_folder("Before").await.unwrap();
    let m = erin_hub.expect_type(SYNC_FOLDER_CREATE, SOON).await;
    assert_eq!(payload(&m)["Id"], folder.id.as_str());
    clock.advance_secs(3601);
    let fresh = client(&server)
        .login_password("erin@example.com", crate::support::PASSWORD)
        .await
        .unwrap();
    let mut fresh_hub = connect(fresh.access_token.clone()).await;
    let folder = fresh.create_folder("After").await.unwrap();
    let m = fresh_hub.expect_type(SYNC_FOLDER_CREATE, SOON).await;
    assert_eq!(payload(&m)["Id"], folder.id.as_str());
    let e = erin_hub.next_event(SOON).await;
    assert_eq!(
        e.as_ref().map(|e| &e["event"]),
        Some(&Value::from("closed")),
        "the expired connection closed without the notification: {e:?}"
    );
    for hub in [erin_hub, frank_hub, gail_hub, fresh_hub] {
        hub.stop().await;
    }
    server.stop().await;
}
