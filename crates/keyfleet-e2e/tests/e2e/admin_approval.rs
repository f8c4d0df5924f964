//! Admin approval of device logins (auth request type 2) in client 1 of the standard provider
//! world, with the client's people from the account recovery story: a member enrolled in
//! account recovery asks from a device the account used before; the technician launched into
//! the client checks the fingerprint phrase and approves with the member's user key, unwrapped
//! from the enrolment and wrapped to the device's key; the device reads the answer with its
//! access code, logs in once with the `authRequest` grant and decrypts the member's item (the
//! key was the right one). What an approval grants is checked from every side, the stored
//! request read back after each refusal: a stranger organization's admin, a technician of
//! another client, the member themself, an admin for an owner, a member not enrolled, a denial
//! then an approval, a second login, and the 7-day and 12-hour expiries on a moved clock.

use crate::account_recovery::{client1, refused, Client1};
use crate::provider_support::{account, TwoStep, World};
use crate::support::{client, PASSWORD};
use keyfleet_client::api::devices::{
    AdminAuthRequestUpdateRequest, OrganizationAuthRequestUpdateManyRequest,
    PendingOrganizationAuthRequestResponse,
};
use keyfleet_client::{
    auth_request_fingerprint, Client, DeviceCalls, DeviceLoginRequest, OrgCalls, ProviderCalls,
    ProviderEventFilter, Session,
};
use keyfleet_domain::ManualClock;
use keyfleet_testkit::spawn_server_with_clock as server_with_clock;
use keyfleet_testkit::{backends, Backend, TestServer};

const ITEM: &str = "Alice's bank";

/// A device `email` used once (logged in with the password, then logged out): known to the
/// account, so it may ask.
async fn known_device(server: &TestServer, email: &str) -> Client {
    let c = client(server);
    drop(c.login_password(email, PASSWORD).await.unwrap());
    c
}

/// The pending request `id` in `org`'s list, as `by` reads it.
async fn listed(
    by: &Session,
    org: &str,
    id: &str,
) -> Option<PendingOrganizationAuthRequestResponse> {
    by.org_auth_requests(org)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.id == id)
}

fn deny() -> AdminAuthRequestUpdateRequest {
    AdminAuthRequestUpdateRequest {
        encrypted_user_key: None,
        request_approved: false,
    }
}

/// Still pending, untouched: in the owner's list and unanswered at the device.
async fn still_pending(c: &Client1, device: &Client, request: &DeviceLoginRequest) {
    assert!(listed(&c.owner.session, &c.org, &request.id)
        .await
        .is_some());
    let answer = device
        .auth_request_response(&request.id, &request.access_code)
        .await
        .unwrap();
    assert!(answer.response_date.is_none() && answer.key.is_none() && !answer.request_approved);
}

/// The core path: Alice (enrolled) asks from device B, the launched technician approves, B
/// logs in once and reads Alice's item. Answers B's client and the used request.
async fn approved_path(
    server: &TestServer,
    w: &World,
    c: &Client1,
) -> (Client, DeviceLoginRequest) {
    let org = &c.org;
    let alice = &c.alice.session;
    alice
        .enrol_in_account_recovery(org, PASSWORD)
        .await
        .unwrap();
    let item = alice
        .create_login(ITEM, "alice", "bank-pw")
        .await
        .unwrap()
        .id;
    let b = known_device(server, &alice.email).await;
    let request = b.request_admin_approval(&alice.email).await.unwrap();

    let tech = w.tech_a.s();
    let seen = listed(tech, org, &request.id).await.unwrap();
    assert_eq!(seen.email, alice.email);
    assert_eq!(seen.user_id, alice.user_id);
    assert_eq!(seen.organization_user_id, c.alice_member);
    assert_eq!(seen.request_device_identifier, b.device_identifier());
    assert_eq!(seen.request_device_type, "SDK");
    assert!(seen.creation_date.ends_with('Z'));
    assert_eq!(seen.object, "pending-org-auth-request");
    assert_eq!(
        auth_request_fingerprint(&seen.email, &seen.public_key).unwrap(),
        request.fingerprint_phrase().unwrap(),
        "the technician and the device show the same phrase"
    );
    // Not answered yet: the code logs nobody in.
    refused(b.login_auth_request_token(&request, None).await, 400);

    tech.approve_member_device(org, &seen).await.unwrap();
    assert!(listed(tech, org, &request.id).await.is_none());
    let answer = b
        .auth_request_response(&request.id, &request.access_code)
        .await
        .unwrap();
    assert!(answer.request_approved && answer.response_date.is_some());
    assert!(answer.key.as_deref().is_some_and(|k| k.starts_with("4.")));
    assert!(answer.master_password_hash.is_none());

    let session = b.login_with_device(&request).await.unwrap();
    assert_eq!(session.user_id, alice.user_id);
    let cipher = session.get_cipher(&item).await.unwrap();
    assert_eq!(session.decrypt(&cipher.name).unwrap(), ITEM);

    // Logged on the client's log (by the technician, through the provider) and the provider's.
    let events = c
        .owner
        .session
        .org_events(org, &Default::default())
        .await
        .unwrap()
        .data;
    let about_alice = |e: &keyfleet_client::api::org_responses::EventResponse| {
        e.organization_user_id.as_deref() == Some(c.alice_member.as_str())
    };
    assert!(events
        .iter()
        .any(|e| e.event_type.code() == 1010 && about_alice(e)));
    assert!(events.iter().any(|e| e.event_type.code() == 1513
        && about_alice(e)
        && e.provider_id.as_deref() == Some(w.provider.id.as_str())));
    let provider_log = w
        .owner
        .s()
        .provider_events(&w.provider.id, &ProviderEventFilter::default())
        .await
        .unwrap()
        .data;
    assert!(provider_log
        .iter()
        .any(|e| e.event.event_type.code() == 1513 && about_alice(&e.event)));
    (b, request)
}

async fn story(backend: Backend, refusals: bool) {
    let (server, clock) = server_with_clock(backend).await;
    let w = World::build(&server, &clock).await;
    let c = client1(&server, &clock, &w).await;
    let (b, used) = approved_path(&server, &w, &c).await;
    // One login per approval.
    refused(b.login_auth_request_token(&used, None).await, 400);
    if refusals {
        refusals_hold(&server, &clock, &w, &c, &b).await;
    }
}

async fn refusals_hold(
    server: &TestServer,
    clock: &ManualClock,
    w: &World,
    c: &Client1,
    b: &Client,
) {
    let org = &c.org;
    let (boss, it, tech) = (&c.owner.session, &c.admin.session, w.tech_a.s());
    let alice = &c.alice.session;
    let request = b.request_admin_approval(&alice.email).await.unwrap();
    let seen = listed(boss, org, &request.id).await.unwrap();

    // The type-0 path does not take admin requests, nor the reverse.
    let wrong = b.request_device_login(&alice.email).await.unwrap();
    assert!(listed(boss, org, &wrong.id).await.is_none());

    // A stranger organization's admin: not found, on either path; nothing changes.
    let stranger = account(server, "stranger@other.example", TwoStep::Off, clock).await;
    let other = stranger
        .session
        .create_org("Other", "billing@other.example", 0, None, "First")
        .await
        .unwrap()
        .org
        .id;
    let s = &stranger.session;
    refused(s.org_auth_requests(org).await, 404);
    refused(
        s.answer_org_auth_request(org, &request.id, &deny()).await,
        404,
    );
    refused(
        s.answer_org_auth_request(&other, &request.id, &deny())
            .await,
        404,
    );
    s.deny_org_auth_requests(&other, &[request.id.as_str()])
        .await
        .unwrap();
    still_pending(c, b, &request).await;

    // A technician of another client: not found in client 1, nor through their own client.
    let tech_b = w.tech_b.s();
    tech_b
        .launch_into_client(&w.provider.id, &w.client2.poid, None)
        .await
        .unwrap();
    refused(tech_b.org_auth_requests(org).await, 404);
    refused(
        tech_b
            .answer_org_auth_request(org, &request.id, &deny())
            .await,
        404,
    );
    refused(
        tech_b
            .answer_org_auth_request(&w.client2.org_id, &request.id, &deny())
            .await,
        404,
    );
    // A Custom member without manageResetPassword, and the member themself (a user).
    refused(c.custom.session.org_auth_requests(org).await, 404);
    refused(
        alice
            .answer_org_auth_request(org, &request.id, &deny())
            .await,
        404,
    );
    // An approval must carry a key wrapped to the request's key.
    let unwrapped = AdminAuthRequestUpdateRequest {
        encrypted_user_key: Some("2.AAAA|BBBB|CCCC".into()),
        request_approved: true,
    };
    refused(
        boss.answer_org_auth_request(org, &request.id, &unwrapped)
            .await,
        400,
    );
    still_pending(c, b, &request).await;

    // Nobody approves their own device: the admin, enrolled, asks and tries.
    let admin_device = known_device(server, &it.email).await;
    it.enrol_in_account_recovery(org, PASSWORD).await.unwrap();
    let own = admin_device
        .request_admin_approval(&it.email)
        .await
        .unwrap();
    let own_seen = listed(it, org, &own.id).await.unwrap();
    let message = refused(it.approve_member_device(org, &own_seen).await, 404);
    // (the details of one's own account are not handed out: the client stops there)
    assert!(!message.is_empty());
    let message = refused(it.answer_org_auth_request(org, &own.id, &deny()).await, 400);
    assert_eq!(message, "You cannot recover your own account.");
    still_pending(c, &admin_device, &own).await;

    // Only owners approve an owner's device: the admin and the technician are refused.
    boss.enrol_in_account_recovery(org, PASSWORD).await.unwrap();
    let owner_device = known_device(server, &boss.email).await;
    let owners = owner_device
        .request_admin_approval(&boss.email)
        .await
        .unwrap();
    let message = refused(
        it.answer_org_auth_request(org, &owners.id, &deny()).await,
        400,
    );
    assert_eq!(
        message,
        "Only an Owner can recover another Owner's account."
    );
    let message = refused(
        tech.answer_org_auth_request(org, &owners.id, &deny()).await,
        400,
    );
    assert!(
        message.contains("Provider members cannot recover"),
        "{message}"
    );
    still_pending(c, &owner_device, &owners).await;

    // A member not enrolled in account recovery: nothing to hand out.
    let carol_email = "carol@client1.example";
    let carol_device = known_device(server, carol_email).await;
    let carols = carol_device
        .request_admin_approval(carol_email)
        .await
        .unwrap();
    let message = refused(
        boss.answer_org_auth_request(org, &carols.id, &deny()).await,
        400,
    );
    assert_eq!(message, "The member is not enrolled in account recovery.");
    still_pending(c, &carol_device, &carols).await;

    // Denied, then approved: the approval is refused, the denial stands, no login.
    let bob = &c.bob.session;
    bob.enrol_in_account_recovery(org, PASSWORD).await.unwrap();
    let bob_device = known_device(server, &bob.email).await;
    let bobs = bob_device.request_admin_approval(&bob.email).await.unwrap();
    tech.deny_org_auth_requests(org, &[bobs.id.as_str()])
        .await
        .unwrap();
    let bob_seen = PendingOrganizationAuthRequestResponse {
        id: bobs.id.clone(),
        ..seen.clone()
    };
    let bob_seen = PendingOrganizationAuthRequestResponse {
        organization_user_id: c.bob_member.clone(),
        public_key: bobs.public_key.clone(),
        ..bob_seen
    };
    let message = refused(tech.approve_member_device(org, &bob_seen).await, 400);
    assert_eq!(
        message,
        "An authentication request with the same device already exists."
    );
    let answer = bob_device
        .auth_request_response(&bobs.id, &bobs.access_code)
        .await
        .unwrap();
    assert!(answer.response_date.is_some() && !answer.request_approved && answer.key.is_none());
    assert!(bob_device.login_with_device(&bobs).await.is_err());
    refused(bob_device.login_auth_request_token(&bobs, None).await, 400);
    let events = boss
        .org_events(org, &Default::default())
        .await
        .unwrap()
        .data;
    assert!(events.iter().any(|e| e.event_type.code() == 1514
        && e.organization_user_id.as_deref() == Some(c.bob_member.as_str())));

    // The bulk call answers what it may and skips the rest: Carol's (not enrolled) and the
    // owner's (for the technician) stay pending.
    let bulk = [&carols.id, &owners.id].map(|id| OrganizationAuthRequestUpdateManyRequest {
        id: id.clone(),
        key: None,
        approved: false,
    });
    tech.answer_org_auth_requests(org, &bulk).await.unwrap();
    still_pending(c, &carol_device, &carols).await;
    still_pending(c, &owner_device, &owners).await;

    // Expiry: approved, usable 12 hours; unanswered, 7 days.
    let late = b.request_admin_approval(&alice.email).await.unwrap();
    let pending = b.request_admin_approval(&alice.email).await.unwrap();
    let late_seen = listed(boss, org, &late.id).await.unwrap();
    boss.approve_member_device(org, &late_seen).await.unwrap();
    clock.advance_secs(12 * 3600 + 1);
    refused(
        b.auth_request_response(&late.id, &late.access_code).await,
        404,
    );
    refused(b.login_auth_request_token(&late, None).await, 400);
    clock.advance_secs(7 * 24 * 3600);
    let boss_again = client(server)
        .login_password(&boss.email, PASSWORD)
        .await
        .unwrap();
    assert!(listed(&boss_again, org, &pending.id).await.is_none());
    refused(
        boss_again
            .answer_org_auth_request(org, &pending.id, &deny())
            .await,
        404,
    );
    refused(
        b.auth_request_response(&pending.id, &pending.access_code)
            .await,
        404,
    );
    // The request that asked the type-0 way never reached the organization.
    refused(
        boss_again
            .answer_org_auth_request(org, &wrong.id, &deny())
            .await,
        404,
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_technician_approves_a_members_device_and_nothing_more_is_granted_on_sqlite() {
    story(Backend::Sqlite, true).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn admin_approval_holds_on_postgres() {
    if !backends().contains(&Backend::Postgres) {
        return;
    }
    story(Backend::Postgres, false).await;
}
