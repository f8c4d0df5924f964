//! Devices and login-with-device requests on both backends: listing and renaming scoped to the
//! owner, removal revoking the device's refresh tokens, the pending bound, answers and the one
//! use of a request as compare-and-sets.

use crate::{each_backend, token, user};
use keyfleet_domain::ids::{AuthRequestId, DeviceId, TokenFamilyId};
use keyfleet_domain::orgs::{EventType, OrganizationUserStatus, OrganizationUserType};
use keyfleet_domain::store::{
    AccountStore, AuthRequestAnswer, AuthRequestRow, AuthRequestStore, AuthRequestType, DeviceRow,
    DeviceTrustUpdate,
};
use keyfleet_domain::store::{AuditStore, DeviceKeys, EventQuery, EventRow, OrgStore};
use keyfleet_domain::Timestamp;

fn request(user: &keyfleet_domain::store::UserRow, device: &str, at: i64) -> AuthRequestRow {
    AuthRequestRow {
        id: AuthRequestId::new(),
        user_id: user.id,
        request_type: AuthRequestType::AuthenticateAndUnlock,
        organization_id: None,
        request_device_identifier: device.into(),
        request_device_type: 25,
        request_ip: "127.0.0.1".into(),
        public_key: "MIIB".into(),
        access_code_digest: "digest".into(),
        key: None,
        master_password_hash: None,
        creation_date: Timestamp(at),
        response_date: None,
        approved: None,
        response_device_id: None,
        authentication_date: None,
    }
}

#[tokio::test]
async fn devices_are_listed_renamed_and_removed_only_by_their_owner() {
    each_backend(|s| async move {
        let alice = user("alice@example.com");
        let bob = user("bob@example.com");
        s.insert_user(&alice).await.unwrap();
        s.insert_user(&bob).await.unwrap();
        let a1 = s
            .upsert_device(alice.id, "a-1", 25, "linux", Timestamp(10))
            .await
            .unwrap();
        let a2 = s
            .upsert_device(alice.id, "a-2", 21, "sdk", Timestamp(20))
            .await
            .unwrap();
        s.upsert_device(bob.id, "b-1", 9, "chrome", Timestamp(30))
            .await
            .unwrap();
        let listed: Vec<DeviceId> = s
            .devices_of(alice.id)
            .await
            .unwrap()
            .iter()
            .map(|d| d.id)
            .collect();
        assert_eq!(listed, vec![a2.id, a1.id], "most recently seen first");
        assert_eq!(
            (a1.creation_date, a1.last_seen),
            (Timestamp(10), Timestamp(10))
        );
        let found: DeviceRow = s
            .device_by_identifier(alice.id, "a-1")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(found.id, a1.id);
        assert!(s
            .device_by_identifier(bob.id, "a-1")
            .await
            .unwrap()
            .is_none());

        assert!(!s.rename_device(bob.id, a1.id, "stolen").await.unwrap());
        assert!(s.rename_device(alice.id, a1.id, "laptop").await.unwrap());
        assert_eq!(s.device(a1.id).await.unwrap().unwrap().name, "laptop");

        let mut t = token(&alice, TokenFamilyId::new(), "h-a1");
        t.device_id = Some(a1.id);
        s.insert_refresh_token(&t).await.unwrap();
        let mut other = token(&alice, TokenFamilyId::new(), "h-a2");
        other.device_id = Some(a2.id);
        s.insert_refresh_token(&other).await.unwrap();

        assert!(!s.remove_device(bob.id, a1.id).await.unwrap());
        assert!(s.device(a1.id).await.unwrap().is_some());
        assert!(!s.refresh_token("h-a1").await.unwrap().unwrap().revoked);

        assert!(s.remove_device(alice.id, a1.id).await.unwrap());
        assert!(s.device(a1.id).await.unwrap().is_none());
        assert!(!s.device_exists(alice.id, "a-1").await.unwrap());
        let revoked = s.refresh_token("h-a1").await.unwrap().unwrap();
        assert!(revoked.revoked && revoked.device_id.is_none());
        assert!(!s.refresh_token("h-a2").await.unwrap().unwrap().revoked);
        assert!(
            !s.remove_device(alice.id, a1.id).await.unwrap(),
            "gone already"
        );
    })
    .await;
}

#[tokio::test]
async fn auth_requests_are_bounded_answered_once_and_used_once() {
    each_backend(|s| async move {
        let alice = user("alice@example.com");
        let bob = user("bob@example.com");
        s.insert_user(&alice).await.unwrap();
        s.insert_user(&bob).await.unwrap();
        let approver = s
            .upsert_device(alice.id, "a-1", 25, "linux", Timestamp(10))
            .await
            .unwrap();
        let old = request(&alice, "a-2", 100);
        assert!(s
            .insert_auth_request(&old, 2, Timestamp(0), Timestamp(0))
            .await
            .unwrap());
        let r = request(&alice, "a-2", 200);
        assert!(s
            .insert_auth_request(&r, 2, Timestamp(0), Timestamp(0))
            .await
            .unwrap());
        // Two pending: the third is refused, unless the first counts as past.
        let third = request(&alice, "a-2", 300);
        assert!(!s
            .insert_auth_request(&third, 2, Timestamp(0), Timestamp(0))
            .await
            .unwrap());
        assert!(s.auth_request(third.id).await.unwrap().is_none());
        assert!(s
            .insert_auth_request(&third, 2, Timestamp(150), Timestamp(0))
            .await
            .unwrap());
        let listed: Vec<AuthRequestId> = s
            .auth_requests_of(alice.id)
            .await
            .unwrap()
            .iter()
            .map(|r| r.id)
            .collect();
        assert_eq!(listed, vec![third.id, r.id, old.id], "newest first");
        assert!(s.auth_requests_of(bob.id).await.unwrap().is_empty());

        let answer = AuthRequestAnswer {
            approved: true,
            key: Some("4.wrapped".into()),
            master_password_hash: None,
            response_device_id: Some(approver.id),
        };
        assert!(!s
            .answer_auth_request(bob.id, r.id, &answer, Timestamp(250))
            .await
            .unwrap());
        assert!(
            !s.use_auth_request(r.id, Timestamp(260)).await.unwrap(),
            "not approved yet"
        );
        assert!(s
            .answer_auth_request(alice.id, r.id, &answer, Timestamp(250))
            .await
            .unwrap());
        let denial = AuthRequestAnswer {
            approved: false,
            key: None,
            master_password_hash: None,
            response_device_id: Some(approver.id),
        };
        assert!(!s
            .answer_auth_request(alice.id, r.id, &denial, Timestamp(251))
            .await
            .unwrap());
        let stored = s.auth_request(r.id).await.unwrap().unwrap();
        assert_eq!(stored.approved, Some(true));
        assert_eq!(stored.key.as_deref(), Some("4.wrapped"));
        assert_eq!(stored.response_date, Some(Timestamp(250)));
        assert_eq!(stored.response_device_id, Some(approver.id));
        assert_eq!(stored.access_code_digest, "digest");

        assert!(s.use_auth_request(r.id, Timestamp(260)).await.unwrap());
        assert!(!s.use_auth_request(r.id, Timestamp(261)).await.unwrap());
        assert_eq!(
            s.auth_request(r.id)
                .await
                .unwrap()
                .unwrap()
                .authentication_date,
            Some(Timestamp(260))
        );

        // A new request sweeps the user's requests made before the cut-off.
        let late = request(&alice, "a-2", 10_000);
        assert!(s
            .insert_auth_request(&late, 2, Timestamp(9_000), Timestamp(250))
            .await
            .unwrap());
        let left: Vec<AuthRequestId> = s
            .auth_requests_of(alice.id)
            .await
            .unwrap()
            .iter()
            .map(|r| r.id)
            .collect();
        assert_eq!(listed.len(), 3);
        assert_eq!(left, vec![late.id, third.id]);
    })
    .await;
}

#[tokio::test]
async fn admin_approval_requests_are_listed_to_their_organization_and_answered_once_with_their_event(
) {
    each_backend(|s| async move {
        let alice = user("alice-admin@example.com");
        let bob = user("bob-admin@example.com");
        s.insert_user(&alice).await.unwrap();
        s.insert_user(&bob).await.unwrap();
        // Alice is a member of org A, Bob of org B.
        let a = crate::providers::org("A");
        let mut alice_m =
            crate::providers::org_member(&a, Some(&alice), OrganizationUserStatus::Confirmed);
        alice_m.member_type = OrganizationUserType::Owner;
        s.insert_org(&a, &alice_m, None, &[]).await.unwrap();
        let b = crate::providers::org("B");
        let mut bob_m =
            crate::providers::org_member(&b, Some(&bob), OrganizationUserStatus::Confirmed);
        bob_m.member_type = OrganizationUserType::Owner;
        s.insert_org(&b, &bob_m, None, &[]).await.unwrap();

        let admin_request = |at: i64| AuthRequestRow {
            request_type: AuthRequestType::AdminApproval,
            organization_id: Some(a.id),
            ..request(&alice, "a-new", at)
        };
        let event = |t: EventType, at: i64| EventRow {
            org_id: Some(a.id),
            user_id: Some(alice.id),
            org_user_id: Some(alice_m.id),
            ..EventRow::new(t, Timestamp(at))
        };
        let first = admin_request(100);
        assert!(s
            .insert_admin_auth_requests(
                std::slice::from_ref(&first),
                &[event(EventType::UserRequestedDeviceApproval, 100)],
                2,
                Timestamp(0),
                Timestamp(0),
            )
            .await
            .unwrap());
        // A user's own request made before an old cut-off does not sweep admin requests.
        let own = request(&alice, "a-new", 150);
        assert!(s
            .insert_auth_request(&own, 3, Timestamp(0), Timestamp(120))
            .await
            .unwrap());
        assert!(s.auth_request(first.id).await.unwrap().is_some());
        // The pending bound counts every unanswered request: nothing written past it.
        let second = admin_request(200);
        assert!(!s
            .insert_admin_auth_requests(
                std::slice::from_ref(&second),
                &[event(EventType::UserRequestedDeviceApproval, 200)],
                2,
                Timestamp(0),
                Timestamp(0),
            )
            .await
            .unwrap());
        assert!(s.auth_request(second.id).await.unwrap().is_none());

        let listed = s
            .pending_org_auth_requests(a.id, Timestamp(0))
            .await
            .unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].request.id, first.id);
        assert_eq!(listed[0].request.organization_id, Some(a.id));
        assert_eq!(listed[0].org_user_id, alice_m.id);
        assert_eq!(listed[0].email, alice.email);
        assert!(s
            .pending_org_auth_requests(a.id, Timestamp(100))
            .await
            .unwrap()
            .is_empty());
        assert!(s
            .pending_org_auth_requests(b.id, Timestamp(0))
            .await
            .unwrap()
            .is_empty());

        let approval = AuthRequestAnswer {
            approved: true,
            key: Some("4.wrapped".into()),
            master_password_hash: None,
            response_device_id: None,
        };
        // Another organization cannot answer it: nothing written, no event.
        assert!(!s
            .answer_org_auth_request(
                b.id,
                first.id,
                &approval,
                &[event(EventType::OrganizationUserApprovedAuthRequest, 300)],
                Timestamp(300),
            )
            .await
            .unwrap());
        assert!(s
            .auth_request(first.id)
            .await
            .unwrap()
            .unwrap()
            .approved
            .is_none());
        assert!(s
            .answer_org_auth_request(
                a.id,
                first.id,
                &approval,
                &[event(EventType::OrganizationUserApprovedAuthRequest, 301)],
                Timestamp(301),
            )
            .await
            .unwrap());
        // Answered once: a second answer changes nothing.
        assert!(!s
            .answer_org_auth_request(
                a.id,
                first.id,
                &AuthRequestAnswer {
                    approved: false,
                    key: None,
                    ..approval.clone()
                },
                &[event(EventType::OrganizationUserRejectedAuthRequest, 302)],
                Timestamp(302),
            )
            .await
            .unwrap());
        let stored = s.auth_request(first.id).await.unwrap().unwrap();
        assert_eq!(stored.approved, Some(true));
        assert_eq!(stored.key.as_deref(), Some("4.wrapped"));
        assert_eq!(stored.response_date, Some(Timestamp(301)));
        assert!(stored.response_device_id.is_none());
        assert!(s
            .pending_org_auth_requests(a.id, Timestamp(0))
            .await
            .unwrap()
            .is_empty());
        let events: Vec<EventType> = s
            .events(&EventQuery {
                org_id: Some(a.id),
                user_id: None,
                org_user_id: None,
                cipher_id: None,
                start: Timestamp(0),
                end: Timestamp(1_000),
                before: None,
                limit: 10,
            })
            .await
            .unwrap()
            .iter()
            .map(|e| e.event_type)
            .collect();
        assert_eq!(
            events,
            vec![
                EventType::OrganizationUserApprovedAuthRequest,
                EventType::UserRequestedDeviceApproval
            ]
        );
        // Used once, like any approved request.
        assert!(s.use_auth_request(first.id, Timestamp(400)).await.unwrap());
        assert!(!s.use_auth_request(first.id, Timestamp(401)).await.unwrap());

        // The admin sweep removes the user's old admin requests only.
        let later = admin_request(5_000);
        assert!(s
            .insert_admin_auth_requests(
                std::slice::from_ref(&later),
                &[],
                5,
                Timestamp(4_000),
                Timestamp(4_000),
            )
            .await
            .unwrap());
        assert!(s.auth_request(first.id).await.unwrap().is_none());
        assert!(s.auth_request(own.id).await.unwrap().is_some());
    })
    .await;
}

#[tokio::test]
async fn trusted_device_keys_are_set_and_cleared_only_on_the_owners_devices() {
    each_backend(|s| async move {
        let alice = user("alice-keys@example.com");
        let bob = user("bob-keys@example.com");
        s.insert_user(&alice).await.unwrap();
        s.insert_user(&bob).await.unwrap();
        let a = s
            .upsert_device(alice.id, "same-id", 25, "linux", Timestamp(10))
            .await
            .unwrap();
        let b = s
            .upsert_device(bob.id, "same-id", 25, "linux", Timestamp(10))
            .await
            .unwrap();
        assert!(a.keys.is_none());
        let keys = DeviceKeys {
            encrypted_user_key: "4.u".into(),
            encrypted_public_key: "2.p|q|r".into(),
            encrypted_private_key: "2.s|t|u".into(),
        };
        assert!(s
            .set_device_keys(alice.id, "same-id", Some(&keys))
            .await
            .unwrap());
        assert!(!s
            .set_device_keys(alice.id, "nope", Some(&keys))
            .await
            .unwrap());
        assert_eq!(
            s.device(a.id).await.unwrap().unwrap().keys,
            Some(keys.clone())
        );
        assert!(s.device(b.id).await.unwrap().unwrap().keys.is_none());
        s.set_device_keys(bob.id, "same-id", Some(&keys))
            .await
            .unwrap();
        // Clearing names devices, but only the user's own are touched.
        s.clear_device_keys(alice.id, &[b.id]).await.unwrap();
        assert!(s.device(b.id).await.unwrap().unwrap().keys.is_some());
        s.clear_device_keys(alice.id, &[a.id]).await.unwrap();
        assert!(s.device(a.id).await.unwrap().unwrap().keys.is_none());
        assert!(s.set_device_keys(bob.id, "same-id", None).await.unwrap());
        assert!(s.device(b.id).await.unwrap().unwrap().keys.is_none());
    })
    .await;
}

/// Keys as `PUT …/keys` would store them for the device `tag`.
fn keys_of(tag: &str) -> DeviceKeys {
    DeviceKeys {
        encrypted_user_key: format!("4.user-{tag}"),
        encrypted_public_key: format!("2.public-{tag}|x|y"),
        encrypted_private_key: format!("2.private-{tag}|x|y"),
    }
}

fn rekeyed(device: DeviceId, tag: &str) -> DeviceTrustUpdate {
    DeviceTrustUpdate {
        device,
        encrypted_user_key: format!("4.new-user-{tag}"),
        encrypted_public_key: format!("2.new-public-{tag}|x|y"),
    }
}

#[tokio::test]
async fn updating_trust_rekeys_the_listed_devices_and_untrusts_the_rest_or_writes_nothing() {
    each_backend(|s| async move {
        let alice = user("alice-trust@example.com");
        let bob = user("bob-trust@example.com");
        s.insert_user(&alice).await.unwrap();
        s.insert_user(&bob).await.unwrap();
        let mut devs = Vec::new();
        for (who, ident) in [(&alice, "kept"), (&alice, "dropped"), (&alice, "plain")] {
            devs.push(
                s.upsert_device(who.id, ident, 25, "linux", Timestamp(10))
                    .await
                    .unwrap(),
            );
        }
        let (kept, dropped, plain) = (devs[0].id, devs[1].id, devs[2].id);
        let bobs = s
            .upsert_device(bob.id, "bobs", 25, "linux", Timestamp(10))
            .await
            .unwrap()
            .id;
        for (who, ident) in [(&alice, "kept"), (&alice, "dropped"), (&bob, "bobs")] {
            assert!(s
                .set_device_keys(who.id, ident, Some(&keys_of(ident)))
                .await
                .unwrap());
        }
        let keys = |id| {
            let s = s.clone();
            async move { s.device(id).await.unwrap().unwrap().keys }
        };

        // Someone else's device, or one of hers that is not trusted: nothing written.
        for wrong in [bobs, plain] {
            assert!(!s
                .update_device_trust(alice.id, &[rekeyed(kept, "k"), rekeyed(wrong, "w")])
                .await
                .unwrap());
        }
        assert_eq!(keys(kept).await, Some(keys_of("kept")));
        assert_eq!(keys(dropped).await, Some(keys_of("dropped")));
        assert_eq!(keys(bobs).await, Some(keys_of("bobs")));
        assert_eq!(keys(plain).await, None);

        assert!(s
            .update_device_trust(alice.id, &[rekeyed(kept, "k")])
            .await
            .unwrap());
        assert_eq!(
            keys(kept).await,
            Some(DeviceKeys {
                encrypted_user_key: "4.new-user-k".into(),
                encrypted_public_key: "2.new-public-k|x|y".into(),
                // Under the device's own key: it stays.
                encrypted_private_key: "2.private-kept|x|y".into(),
            })
        );
        assert_eq!(keys(dropped).await, None, "not listed: untrusted");
        assert_eq!(keys(plain).await, None, "never trusted: still not");
        assert_eq!(keys(bobs).await, Some(keys_of("bobs")), "Bob's untouched");

        // Listing nobody untrusts every device of hers.
        assert!(s.update_device_trust(alice.id, &[]).await.unwrap());
        assert_eq!(keys(kept).await, None);
        assert_eq!(keys(bobs).await, Some(keys_of("bobs")));
    })
    .await;
}
