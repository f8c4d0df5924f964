//! Account revision dates around an organization, as the apps poll them
//! (`GET /api/accounts/revision-date`, to decide whether to sync): a write in the organization
//! moves every member's date to the write's, not a non-member's; a member's own later write
//! still moves theirs; a member who leaves or is removed sees their date move then, and no
//! longer with the organization's writes. The organization's writes bump one organization
//! revision, not each member's account row.

use crate::provider_support::{account, ok, Account, TwoStep};
use keyfleet_client::{Access, Method, OrgCalls, Session};
use keyfleet_domain::Timestamp;
use keyfleet_testkit::{backends, spawn_server_with_clock, Backend};

async fn join(
    owner: &Session,
    org: &str,
    key: &keyfleet_crypto::SymmetricKey,
    collection: &str,
    who: &Account,
) -> String {
    let grants = [(collection.to_string(), Access::EDIT)];
    crate::support::join_org(owner, org, key, &who.session, 2, &grants).await
}

fn ms(iso: &str) -> i64 {
    Timestamp::parse_iso(iso).unwrap().0
}

async fn story(backend: Backend) {
    let (server, clock) = spawn_server_with_clock(backend).await;
    let owner = account(&server, "owner@revisions.example", TwoStep::Off, &clock).await;
    let bob = account(&server, "bob@revisions.example", TwoStep::Off, &clock).await;
    let carol = account(&server, "carol@revisions.example", TwoStep::Off, &clock).await;
    let stranger = account(&server, "stranger@revisions.example", TwoStep::Off, &clock).await;
    let alice = &owner.session;
    let created = alice
        .create_org(
            "Revisions",
            "billing@revisions.example",
            17,
            Some(10),
            "General",
        )
        .await
        .unwrap();
    let org = created.org.id.clone();
    let key = created.key;
    let collections: serde_json::Value = alice
        .call(
            Method::GET,
            &format!("/api/organizations/{org}/collections"),
            None,
        )
        .await
        .unwrap();
    let general = collections["data"][0]["id"].as_str().unwrap().to_string();
    let bob_member = join(alice, &org, &key, &general, &bob).await;
    join(alice, &org, &key, &general, &carol).await;
    let stranger_at = stranger.session.revision_date().await.unwrap();

    // An item created in the organization: every member's date is the item's, a stranger's not.
    clock.advance_secs(10);
    let item = alice
        .create_org_login(&org, &key, &[&general], "VPN", "vpn", "pw")
        .await
        .unwrap();
    let at = ms(&item.revision_date);
    for s in [alice, &bob.session, &carol.session] {
        assert_eq!(s.revision_date().await.unwrap(), at);
    }
    assert_eq!(stranger.session.revision_date().await.unwrap(), stranger_at);

    // Bob's own later write moves his date alone.
    clock.advance_secs(10);
    let mine = bob.session.create_login("Mine", "me", "pw").await.unwrap();
    assert_eq!(
        bob.session.revision_date().await.unwrap(),
        ms(&mine.revision_date)
    );
    assert_eq!(carol.session.revision_date().await.unwrap(), at);

    // Carol leaves, Bob is removed: each sees the moment their membership went, and the
    // organization's next write no longer moves them.
    clock.advance_secs(10);
    let left_at = clock_now(&clock);
    let leave = format!("/api/organizations/{org}/leave");
    ok(&carol.session, Method::POST, &leave, None).await;
    assert_eq!(carol.session.revision_date().await.unwrap(), left_at);
    clock.advance_secs(10);
    let removed_at = clock_now(&clock);
    alice.remove_org_member(&org, &bob_member).await.unwrap();
    assert_eq!(bob.session.revision_date().await.unwrap(), removed_at);
    clock.advance_secs(10);
    let later = alice
        .create_org_login(&org, &key, &[&general], "Wiki", "wiki", "pw")
        .await
        .unwrap();
    assert_eq!(
        alice.revision_date().await.unwrap(),
        ms(&later.revision_date)
    );
    assert_eq!(carol.session.revision_date().await.unwrap(), left_at);
    assert_eq!(bob.session.revision_date().await.unwrap(), removed_at);
    assert_eq!(stranger.session.revision_date().await.unwrap(), stranger_at);
}

fn clock_now(clock: &keyfleet_domain::ManualClock) -> i64 {
    use keyfleet_domain::Clock;
    clock.now().0
}

#[tokio::test]
async fn an_org_write_moves_its_members_revision_dates_and_leaving_ends_that() {
    for backend in backends() {
        story(backend).await;
    }
}
