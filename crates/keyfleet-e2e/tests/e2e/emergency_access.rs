//! Emergency access: a grantor names a trusted contact (Takeover, 7 days), the contact accepts,
//! is confirmed with the grantor's user key wrapped to their public key, and asks; before the
//! wait time nothing opens, after it (the test moves the clock) the request is approved without
//! anyone acting and the contact sets a new master password for the grantor: the grantor's
//! sessions end, two-step login is gone, they leave the organizations they do not own, and the
//! stock bw CLI logs in with the new password and decrypts the old items. Then a View contact,
//! approved by hand, reads the grantor's personal items (no organization items) with the Rust
//! client, is rejected, and the refusals hold, each with the stored state read back.

use crate::account_recovery::refused;
use crate::provider_support::{
    account, account_with_kdf, ok, own_org, send, Account, OrgKeyPair, TwoStep,
};
use crate::support::{percent_decode, user_via_mail_with_kdf, PASSWORD};
use keyfleet_client::api::kinds::{
    EmergencyAccessStatusType as Status, EmergencyAccessType, PolicyType,
};
use keyfleet_client::api::orgs::PolicyRequest;
use keyfleet_client::{AccountCalls, ClientError, EmergencyAccessCalls, Method, OrgCalls, Session};
use keyfleet_crypto::{Kdf, SymmetricKey};
use keyfleet_domain::{Clock, ManualClock, SystemClock};
use keyfleet_testkit::spawn_server_with_clock as server_with_clock;
use keyfleet_testkit::{backends, spawn_server_with, Backend, Bw, SmtpSink, TestServer};

const NEW_PASSWORD: &str = "set by my trusted contact";
const ITEM: &str = "Bank account";
const ITEM_PASSWORD: &str = "bank-s3cret";
const ORG_ITEM: &str = "Shared router";
const NOT_VALID: &str = "Emergency Access not valid.";
const DAY: i64 = 86_400;

/// `id` as `s` lists it among the emergency accesses granted to them.
async fn granted_status(s: &Session, id: &str) -> Status {
    s.granted_emergency_accesses()
        .await
        .unwrap()
        .into_iter()
        .find(|g| g.id == id)
        .unwrap()
        .status
}

/// An org owned by `owner` with an item in its default collection; answers its id and key.
async fn org_with_item(owner: &Session, name: &str) -> (String, SymmetricKey) {
    let (org, key) = own_org(owner, &OrgKeyPair::generate(), name).await;
    let collections = ok(
        owner,
        Method::GET,
        &format!("/api/organizations/{org}/collections"),
        None,
    )
    .await;
    let collection = collections["data"][0]["id"].as_str().unwrap().to_string();
    owner
        .create_org_login(&org, &key, &[&collection], ORG_ITEM, "admin", "router-pw")
        .await
        .unwrap();
    (org, key)
}

/// `member` joins `boss`'s org `org` as a User.
async fn join_as_user(boss: &Session, member: &Session, org: &str, key: &SymmetricKey) {
    let invite = boss
        .invite_members(org, &[&member.email], 2, &[])
        .await
        .unwrap();
    member
        .accept_invite(org, &invite[0].id, invite[0].token.as_deref().unwrap())
        .await
        .unwrap();
    boss.confirm_member(org, &invite[0].id, key).await.unwrap();
}

/// The Takeover story. Answers the grantee (for the View path).
async fn takeover(server: &TestServer, clock: &ManualClock, with_bw: bool) -> Account {
    // The stock CLI's story uses the default KDF, as bw users have.
    let kdf = if with_bw {
        Kdf::default_pbkdf2()
    } else {
        crate::provider_support::FAST_KDF
    };
    let mut grantor =
        account_with_kdf(server, "grantor@example.com", TwoStep::On, clock, kdf).await;
    let mut grantee = account(server, "contact@example.com", TwoStep::Off, clock).await;
    let mut mallory = account(server, "mallory@example.com", TwoStep::Off, clock).await;
    let boss = account(server, "boss@example.com", TwoStep::Off, clock).await;
    let g = &grantor.session;
    g.create_login(ITEM, "me", ITEM_PASSWORD).await.unwrap();
    let (owned, _) = org_with_item(g, "Grantor's own").await;
    let (other, other_key) = org_with_item(&boss.session, "Boss's org").await;
    join_as_user(&boss.session, g, &other, &other_key).await;

    // --- invite: not oneself, a sane wait time, then Takeover after 7 days
    assert_eq!(
        refused(
            g.invite_emergency_contact(&g.email, EmergencyAccessType::Takeover, 7)
                .await,
            400
        ),
        "You cannot invite yourself as an emergency contact."
    );
    refused(
        g.invite_emergency_contact("contact@example.com", EmergencyAccessType::Takeover, 0)
            .await,
        400,
    );
    let invite = g
        .invite_emergency_contact("Contact@Example.com", EmergencyAccessType::Takeover, 7)
        .await
        .unwrap();
    assert!(!invite.mailed);
    let (id, token) = (invite.id.clone(), invite.token.clone().unwrap());
    let listed = g.trusted_contact(&id).await.unwrap();
    assert_eq!(
        (
            listed.status,
            listed.wait_time_days,
            listed.grantee_id.as_deref()
        ),
        (Status::Invited, 7, None)
    );
    assert_eq!(listed.email.as_deref(), Some("contact@example.com"));

    // --- accept: the wrong account, a forged token, the grantor themselves are refused
    let wrong = refused(
        mallory.session.accept_emergency_access(&id, &token).await,
        400,
    );
    assert_eq!(wrong, "User email does not match invite.");
    refused(
        grantee.session.accept_emergency_access(&id, "forged").await,
        400,
    );
    refused(g.accept_emergency_access(&id, &token).await, 400);
    // Not accepted yet: nothing to confirm or ask.
    assert_eq!(
        refused(
            g.confirm_emergency_access_with_key(&id, "4.AAAA").await,
            400
        ),
        NOT_VALID
    );
    grantee
        .session
        .accept_emergency_access(&id, &token)
        .await
        .unwrap();
    assert_eq!(
        refused(
            grantee.session.accept_emergency_access(&id, &token).await,
            400
        ),
        "Already accepted."
    );
    assert_eq!(
        granted_status(&grantee.session, &id).await,
        Status::Accepted
    );
    let granted = grantee.session.granted_emergency_accesses().await.unwrap();
    assert_eq!(granted[0].email.as_deref(), Some("grantor@example.com"));
    // Accepted, not confirmed: asking is refused.
    assert_eq!(
        refused(grantee.session.initiate_emergency_access(&id).await, 400),
        NOT_VALID
    );

    // --- confirm (the user key wrapped to the contact's public key), then the contact asks
    g.confirm_emergency_access(&id).await.unwrap();
    assert_eq!(
        g.trusted_contact(&id).await.unwrap().status,
        Status::Confirmed
    );
    grantee
        .session
        .initiate_emergency_access(&id)
        .await
        .unwrap();
    assert_eq!(
        granted_status(&grantee.session, &id).await,
        Status::RecoveryInitiated
    );
    // Before the wait time: nothing opens; the grantor still signs in with the old password.
    assert_eq!(
        refused(grantee.session.emergency_takeover_details(&id).await, 400),
        NOT_VALID
    );
    assert_eq!(
        refused(grantee.session.emergency_view_raw(&id).await, 400),
        NOT_VALID
    );
    assert_eq!(
        refused(
            grantee
                .session
                .emergency_takeover(&id, &g.email, NEW_PASSWORD, false)
                .await,
            400
        ),
        NOT_VALID
    );
    clock.advance_secs(7 * DAY - 60);
    grantee.session.refresh().await.unwrap();
    assert_eq!(
        granted_status(&grantee.session, &id).await,
        Status::RecoveryInitiated
    );
    assert_eq!(
        refused(grantee.session.emergency_takeover_details(&id).await, 400),
        NOT_VALID
    );

    // --- the wait time is over: approved without anyone acting
    clock.advance_secs(60);
    for s in [
        &mut grantee.session,
        &mut mallory.session,
        &mut grantor.session,
    ] {
        s.refresh().await.unwrap();
    }
    let g = &grantor.session;
    assert_eq!(
        granted_status(&grantee.session, &id).await,
        Status::RecoveryApproved
    );
    let mut boss_s = boss.session;
    boss_s.refresh().await.unwrap();
    // A Takeover contact reads no items; a stranger nothing at all.
    assert_eq!(
        refused(grantee.session.emergency_view_raw(&id).await, 400),
        NOT_VALID
    );
    assert_eq!(
        refused(mallory.session.emergency_takeover_details(&id).await, 400),
        NOT_VALID
    );
    let details = grantee
        .session
        .emergency_takeover_details(&id)
        .await
        .unwrap();
    assert!(details.key_encrypted.starts_with("4."));
    assert_eq!(details.salt.as_deref(), Some("grantor@example.com"));
    // The grantor owns an org: its policies come back for the new password to meet.
    let policies = grantee
        .session
        .emergency_grantor_policies(&id)
        .await
        .unwrap();
    assert!(policies.is_empty());

    // --- takeover
    grantee
        .session
        .emergency_takeover(&id, &g.email, NEW_PASSWORD, !with_bw)
        .await
        .unwrap();
    assert_eq!(
        g.revision_date().await.unwrap_err().status(),
        Some(401),
        "the grantor's sessions end"
    );
    assert!(crate::support::client(server)
        .login_password(&g.email, PASSWORD)
        .await
        .is_err());
    // No second factor asked: two-step login is gone.
    let again = crate::support::client(server)
        .login_password(&g.email, NEW_PASSWORD)
        .await
        .unwrap();
    let profile = again.profile().await.unwrap();
    assert!(!profile.two_factor_enabled);
    assert!(!profile.force_password_reset);
    let orgs: Vec<String> = profile.organizations.iter().map(|o| o.id.clone()).collect();
    assert_eq!(
        orgs,
        vec![owned.clone()],
        "only the org the grantor owns is left"
    );
    let members = ok(
        &boss_s,
        Method::GET,
        &format!("/api/organizations/{other}/users"),
        None,
    )
    .await;
    assert_eq!(members["data"].as_array().unwrap().len(), 1, "{members}");
    let items = again.sync_json().await.unwrap();
    let names: Vec<String> = items["ciphers"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["organizationId"].is_null())
        .filter_map(|i| i["name"].as_str().map(|n| again.decrypt(n).unwrap()))
        .collect();
    assert_eq!(names, vec![ITEM.to_string()]);

    if with_bw {
        let server_ref = server;
        let email = g.email.clone();
        tokio::task::block_in_place(|| {
            let mut bw = Bw::new(server_ref);
            bw.login(&email, NEW_PASSWORD);
            let item = bw.json(&["get", "item", ITEM]);
            assert_eq!(item["login"]["password"], ITEM_PASSWORD);
        });
    }
    assert!(
        grantor.session.refresh().await.is_err(),
        "and cannot be refreshed"
    );
    grantee
}

/// The View path: approved by hand, items read, rejected, and the refusals.
async fn view(server: &TestServer, clock: &ManualClock, grantee: &Account) {
    let owner = account(server, "owner@example.com", TwoStep::Off, clock).await;
    let mallory = account(server, "eve@example.com", TwoStep::Off, clock).await;
    let o = &owner.session;
    let c = &grantee.session;
    o.create_login(ITEM, "me", ITEM_PASSWORD).await.unwrap();
    o.create_login("Mail", "me", "mail-pw").await.unwrap();
    let (org, _) = org_with_item(o, "Owner's org").await;

    let invite = o
        .invite_emergency_contact(&c.email, EmergencyAccessType::View, 30)
        .await
        .unwrap();
    let id = invite.id.clone();
    // A reinvite voids the first link.
    let again = o.reinvite_emergency_contact(&id).await.unwrap();
    refused(
        c.accept_emergency_access(&id, invite.token.as_deref().unwrap())
            .await,
        400,
    );
    c.accept_emergency_access(&id, again.token.as_deref().unwrap())
        .await
        .unwrap();
    o.confirm_emergency_access(&id).await.unwrap();

    // Refusals: the grantor is not the grantee, the grantee approves nothing, strangers see
    // nothing (400 for an id that exists and for one that does not; 404 for a malformed one).
    assert_eq!(
        refused(o.initiate_emergency_access(&id).await, 400),
        NOT_VALID
    );
    c.initiate_emergency_access(&id).await.unwrap();
    assert_eq!(
        refused(c.approve_emergency_access(&id).await, 400),
        NOT_VALID
    );
    assert_eq!(refused(c.trusted_contact(&id).await, 400), NOT_VALID);
    for r in [
        mallory.session.trusted_contact(&id).await.map(|_| ()),
        mallory.session.approve_emergency_access(&id).await,
        mallory.session.reject_emergency_access(&id).await,
        mallory.session.delete_emergency_access(&id).await,
        mallory.session.initiate_emergency_access(&id).await,
        mallory.session.emergency_view_raw(&id).await.map(|_| ()),
    ] {
        assert_eq!(refused(r, 400), NOT_VALID);
    }
    let unknown = "00000000-0000-4000-8000-000000000000";
    assert_eq!(
        refused(mallory.session.approve_emergency_access(unknown).await, 400),
        NOT_VALID
    );
    refused(mallory.session.approve_emergency_access("junk").await, 404);
    assert!(mallory
        .session
        .granted_emergency_accesses()
        .await
        .unwrap()
        .is_empty());
    assert!(mallory.session.trusted_contacts().await.unwrap().is_empty());
    let raw = send(
        &mallory.session,
        Method::POST,
        &format!("/api/emergency-access/{id}/approve"),
        None,
    )
    .await;
    assert_eq!(raw.json()["message"], NOT_VALID);

    // --- approved by hand: the contact reads the personal items, no org item
    o.approve_emergency_access(&id).await.unwrap();
    assert_eq!(
        o.trusted_contact(&id).await.unwrap().status,
        Status::RecoveryApproved
    );
    let vault = c.emergency_view(&id).await.unwrap();
    assert_eq!(vault.view.object, "emergencyAccessView");
    let mut names: Vec<String> = vault
        .view
        .ciphers
        .iter()
        .map(|i| vault.decrypt(&i.name).unwrap())
        .collect();
    names.sort();
    assert_eq!(names, vec![ITEM.to_string(), "Mail".to_string()]);
    assert!(vault
        .view
        .ciphers
        .iter()
        .all(|i| i.organization_id.is_none()));
    // A View contact cannot take over.
    assert_eq!(
        refused(c.emergency_takeover_details(&id).await, 400),
        NOT_VALID
    );
    assert_eq!(
        refused(
            c.emergency_takeover(&id, &o.email, NEW_PASSWORD, false)
                .await,
            400
        ),
        NOT_VALID
    );
    assert!(crate::support::client(server)
        .login_password(&o.email, PASSWORD)
        .await
        .is_ok());

    // --- reject: back to Confirmed, nothing opens
    o.reject_emergency_access(&id).await.unwrap();
    assert_eq!(
        o.trusted_contact(&id).await.unwrap().status,
        Status::Confirmed
    );
    assert_eq!(refused(c.emergency_view_raw(&id).await, 400), NOT_VALID);

    // --- an org whose Automatic user confirmation policy is on: its members may not grant
    let req = PolicyRequest {
        enabled: true,
        data: None,
        metadata: None,
    };
    o.save_org_policy(&org, PolicyType::AutomaticUserConfirmation, &req)
        .await
        .unwrap();
    let message = refused(
        o.invite_emergency_contact(&mallory.session.email, EmergencyAccessType::View, 1)
            .await,
        400,
    );
    assert!(message.contains("policy"), "{message}");

    // --- the contact deletes it: gone for both
    c.delete_emergency_access(&id).await.unwrap();
    assert!(o.trusted_contacts().await.unwrap().is_empty());
    assert!(c
        .granted_emergency_accesses()
        .await
        .unwrap()
        .iter()
        .all(|g| g.id != id));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_trusted_contact_takes_over_after_the_wait_time_and_bw_reads_the_old_items_on_sqlite() {
    let (server, clock) = server_with_clock(Backend::Sqlite).await;
    let grantee = takeover(&server, &clock, true).await;
    view(&server, &clock, &grantee).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn emergency_takeover_holds_on_postgres() {
    if !backends().contains(&Backend::Postgres) {
        return;
    }
    let (server, clock) = server_with_clock(Backend::Postgres).await;
    takeover(&server, &clock, false).await;
}

/// The text of the newest mail to `to` containing `needle`, if any.
fn mail_to(sink: &SmtpSink, to: &str, needle: &str) -> Option<String> {
    sink.received()
        .iter()
        .rev()
        .map(|m| (m.to.clone(), m.decoded()))
        .find(|(rcpt, text)| rcpt == &[to.to_string()] && text.contains(needle))
        .map(|(_, text)| text)
}

#[tokio::test(flavor = "multi_thread")]
async fn emergency_access_mails_each_step_and_policy_18_keeps_a_grantee_out() {
    let sink = SmtpSink::start().await;
    let smtp = sink.config();
    let clock = ManualClock::new(SystemClock.now());
    let server_clock = clock.clone();
    let server = spawn_server_with(Backend::Sqlite, |c| {
        c.smtp = Some(smtp);
        c.clock = Some(server_clock);
    })
    .await;
    let fast = crate::provider_support::FAST_KDF;
    let (g_mail, c_mail) = ("grantor@example.com", "contact@example.com");
    let grantor = user_via_mail_with_kdf(&server, &sink, g_mail, fast).await;
    let mut contact = user_via_mail_with_kdf(&server, &sink, c_mail, fast).await;

    // Mailed: the link is for the contact only.
    let invite = grantor
        .invite_emergency_contact(c_mail, EmergencyAccessType::Takeover, 2)
        .await
        .unwrap();
    assert!(invite.mailed && invite.token.is_none() && invite.link.is_none());
    let text = mail_to(&sink, c_mail, "/#/accept-emergency?id=").unwrap();
    let raw = text.split("&token=").nth(1).unwrap();
    let token = percent_decode(raw.split_whitespace().next().unwrap());
    let id = invite.id;

    // A member of an organization with Automatic user confirmation (18) on may not accept.
    let (org, _) = own_org(&contact, &OrgKeyPair::generate(), "Contact's org").await;
    let on = PolicyRequest {
        enabled: true,
        data: None,
        metadata: None,
    };
    contact
        .save_org_policy(&org, PolicyType::AutomaticUserConfirmation, &on)
        .await
        .unwrap();
    let message = refused(contact.accept_emergency_access(&id, &token).await, 400);
    assert!(message.contains("policy"), "{message}");
    assert_eq!(
        grantor.trusted_contact(&id).await.unwrap().status,
        Status::Invited
    );
    let off = PolicyRequest {
        enabled: false,
        ..on
    };
    contact
        .save_org_policy(&org, PolicyType::AutomaticUserConfirmation, &off)
        .await
        .unwrap();

    contact.accept_emergency_access(&id, &token).await.unwrap();
    assert!(mail_to(&sink, g_mail, "accepted your invitation").is_some());
    grantor.confirm_emergency_access(&id).await.unwrap();
    assert!(mail_to(&sink, c_mail, "confirmed you as an emergency contact").is_some());
    contact.initiate_emergency_access(&id).await.unwrap();
    assert!(mail_to(
        &sink,
        g_mail,
        "asked for emergency access to take over your account"
    )
    .is_some());
    // A day before the automatic approval the grantor is reminded, once (the sweep, or as
    // here the grantee's next read, records that it was sent).
    let reminders = || {
        sink.received()
            .iter()
            .filter(|m| m.to == [g_mail.to_string()] && m.decoded().contains("Reminder:"))
            .count()
    };
    assert_eq!(reminders(), 0);
    clock.advance_secs(DAY);
    contact.refresh().await.unwrap();
    assert_eq!(
        granted_status(&contact, &id).await,
        Status::RecoveryInitiated
    );
    assert_eq!(reminders(), 1);
    let text = mail_to(&sink, g_mail, "Reminder:").unwrap();
    assert!(text.contains("take over your account"), "{text}");
    assert_eq!(
        granted_status(&contact, &id).await,
        Status::RecoveryInitiated
    );
    assert_eq!(reminders(), 1, "reminded once");
    clock.advance_secs(DAY);
    contact.refresh().await.unwrap();
    assert_eq!(
        granted_status(&contact, &id).await,
        Status::RecoveryApproved
    );
    assert_eq!(reminders(), 1);
    assert!(mail_to(&sink, c_mail, "The wait time is over").is_some());
    assert!(mail_to(&sink, g_mail, "your trusted contact can now use it").is_some());
    contact
        .emergency_takeover(&id, g_mail, NEW_PASSWORD, true)
        .await
        .unwrap();
    assert!(mail_to(&sink, g_mail, "set a new master password").is_some());
}

/// A provider member's account reaches the provider's clients, which nobody granted their
/// trusted contact: the takeover is refused at both steps (as account recovery is), the
/// grantor's password stands, and viewing their personal vault stays possible.
#[tokio::test(flavor = "multi_thread")]
async fn a_provider_members_account_is_not_taken_over() {
    let (server, clock) = server_with_clock(Backend::Sqlite).await;
    let msp = account(&server, "owner@msp.example", TwoStep::On, &clock).await;
    crate::provider_support::Provider::set_up(&server, "Acme MSP", &msp.session).await;
    let contact = account(&server, "friend@example.com", TwoStep::Off, &clock).await;
    let g = &msp.session;
    let invite = g
        .invite_emergency_contact("friend@example.com", EmergencyAccessType::Takeover, 1)
        .await
        .unwrap();
    contact
        .session
        .accept_emergency_access(&invite.id, invite.token.as_deref().unwrap())
        .await
        .unwrap();
    g.confirm_emergency_access(&invite.id).await.unwrap();
    contact
        .session
        .initiate_emergency_access(&invite.id)
        .await
        .unwrap();
    g.approve_emergency_access(&invite.id).await.unwrap();
    assert_eq!(
        granted_status(&contact.session, &invite.id).await,
        Status::RecoveryApproved
    );
    let message = refused(
        contact
            .session
            .emergency_takeover(&invite.id, &g.email, NEW_PASSWORD, false)
            .await,
        400,
    );
    assert!(message.contains("provider member"), "{message}");
    // The password step alone is refused too, whatever the body.
    let body = keyfleet_client::api::emergency_access::EmergencyAccessPasswordRequest {
        new_master_password_hash: Some("aGFzaA==".into()),
        key: Some("2.AAAA|BBBB|CCCC".into()),
        authentication_data: None,
        unlock_data: None,
    };
    let message = refused(
        contact
            .session
            .post_emergency_password(&invite.id, &body)
            .await,
        400,
    );
    assert!(message.contains("provider member"), "{message}");
    // Read back: the owner's own password still logs in.
    crate::support::client(&server)
        .login_password(&g.email, PASSWORD)
        .await
        .map(|_| ())
        .or_else(|e| match e {
            // Two-step login is on: the password was accepted, the second step is asked.
            ClientError::TwoFactorRequired { .. } => Ok(()),
            other => Err(other),
        })
        .unwrap();
}

/// A trusted contact without an account registers from the invitation while registration is
/// closed: the token proves the invited address, as organization and provider invitations do
/// (another address, another id or an organization's token are refused), then they accept.
#[tokio::test(flavor = "multi_thread")]
async fn an_invited_contact_registers_with_the_invitation_when_registration_is_closed() {
    let server = spawn_server_with(Backend::Sqlite, |c| c.disable_registration = true).await;
    let c = crate::support::client(&server);
    let fast = crate::provider_support::FAST_KDF;
    // The grantor got in the one way a closed server allows: an operator's provider invitation.
    let created = c
        .admin_create_provider(
            keyfleet_testkit::TEST_ADMIN_TOKEN,
            "Closed MSP",
            "grantor@closed.example",
            None,
            None,
        )
        .await
        .unwrap();
    c.register_from_invitation(
        "grantor@closed.example",
        PASSWORD,
        fast,
        true,
        &created.owner_id,
        &created.token,
    )
    .await
    .unwrap();
    let grantor = c
        .login_password("grantor@closed.example", PASSWORD)
        .await
        .unwrap();

    let contact = "contact@closed.example";
    let invite = grantor
        .invite_emergency_contact(contact, EmergencyAccessType::View, 1)
        .await
        .unwrap();
    let token = invite.token.clone().unwrap();
    assert!(
        c.register(contact, PASSWORD, None, fast).await.is_err(),
        "closed without the invitation"
    );
    let other_id = uuid::Uuid::new_v4().to_string();
    for (email, id) in [
        ("someone@closed.example", invite.id.as_str()),
        (contact, other_id.as_str()),
    ] {
        let r = c
            .register_from_emergency_invitation(email, PASSWORD, fast, id, &token)
            .await;
        assert!(r.is_err(), "{email} / {id}: {r:?}");
    }
    let crossed = c
        .register_from_invitation(contact, PASSWORD, fast, false, &invite.id, &token)
        .await;
    assert!(
        crossed.is_err(),
        "an organization invitation it is not: {crossed:?}"
    );
    assert!(
        c.login_password(contact, PASSWORD).await.is_err(),
        "none made"
    );

    c.register_from_emergency_invitation(
        "Contact@Closed.example",
        PASSWORD,
        fast,
        &invite.id,
        &token,
    )
    .await
    .unwrap();
    let grantee = c.login_password(contact, PASSWORD).await.unwrap();
    grantee
        .accept_emergency_access(&invite.id, &token)
        .await
        .unwrap();
    assert_eq!(
        grantor.trusted_contact(&invite.id).await.unwrap().status,
        Status::Accepted
    );
    server.stop().await;
}
