//! Emergency access on both backends: scoped reads, compare-and-set transitions, the wait-time
//! sweep, the takeover transaction (credentials, two-step login, non-owned memberships), and
//! rows going with either account.

use crate::providers::{org, org_member};
use crate::user;
use keyfleet_domain::identity::two_factor::TwoFactorProviderType;
use keyfleet_domain::ids::EmergencyAccessId;
use keyfleet_domain::orgs::{EventType, OrganizationUserStatus, OrganizationUserType};
use keyfleet_domain::store::{
    AccountStore, AuditStore, CredentialUpdate, EmergencyAccessRow, EmergencyAccessStatusType,
    EmergencyAccessStore, EmergencyAccessType, EventQuery, EventRow, OrgStore, TwoFactorRow,
    TwoFactorStore, UserRow, DAY_MS,
};
use keyfleet_domain::Timestamp;

pub(crate) fn access(
    grantor: &UserRow,
    grantee: Option<&UserRow>,
    status: EmergencyAccessStatusType,
) -> EmergencyAccessRow {
    EmergencyAccessRow {
        id: EmergencyAccessId::new(),
        grantor_id: grantor.id,
        grantee_id: grantee.map(|g| g.id),
        email: grantee.is_none().then(|| "invitee@example.com".to_string()),
        key_encrypted: grantee.map(|_| "4.wrapped".to_string()),
        access_type: EmergencyAccessType::Takeover,
        status,
        wait_time_days: 7,
        recovery_initiated_at: None,
        last_notification_at: None,
        invited_at: Some(Timestamp(1_000)),
        creation_date: Timestamp(1_000),
        revision_date: Timestamp(1_000),
    }
}

#[tokio::test]
async fn emergency_access_is_scoped_moves_by_compare_and_set_and_is_approved_after_its_wait() {
    crate::each_backend(|s| async move {
        let grantor = user("grantor@example.com");
        let grantee = user("grantee@example.com");
        let stranger = user("stranger@example.com");
        for u in [&grantor, &grantee, &stranger] {
            s.insert_user(u).await.unwrap();
        }
        let invited = access(&grantor, None, EmergencyAccessStatusType::Invited);
        s.insert_emergency_access(&invited).await.unwrap();
        let mut pending = access(
            &grantor,
            Some(&grantee),
            EmergencyAccessStatusType::Confirmed,
        );
        s.insert_emergency_access(&pending).await.unwrap();

        // Lists: the grantor sees both (invited address, then the grantee's), the grantee one.
        let mine = s.emergency_accesses_of_grantor(grantor.id).await.unwrap();
        assert_eq!(mine.len(), 2);
        assert_eq!(mine[0].row, invited);
        assert_eq!(mine[0].email.as_deref(), Some("invitee@example.com"));
        assert_eq!(mine[1].email.as_deref(), Some("grantee@example.com"));
        let theirs = s.emergency_accesses_of_grantee(grantee.id).await.unwrap();
        assert_eq!(theirs.len(), 1);
        assert_eq!(theirs[0].row, pending);
        assert_eq!(theirs[0].email.as_deref(), Some("grantor@example.com"));
        assert_eq!(theirs[0].name.as_deref(), Some("N"));
        assert!(s
            .emergency_accesses_of_grantee(stranger.id)
            .await
            .unwrap()
            .is_empty());
        assert!(s
            .emergency_access(pending.id, stranger.id)
            .await
            .unwrap()
            .is_none());
        assert_eq!(
            s.emergency_access(pending.id, grantee.id).await.unwrap(),
            Some(pending.clone())
        );
        assert!(s
            .emergency_access_unscoped_for_accept(invited.id)
            .await
            .unwrap()
            .is_some());

        // Compare-and-set: a stale expected status writes nothing.
        pending.status = EmergencyAccessStatusType::RecoveryInitiated;
        pending.recovery_initiated_at = Some(Timestamp(10_000));
        assert!(!s
            .update_emergency_access(&pending, EmergencyAccessStatusType::Accepted)
            .await
            .unwrap());
        assert!(s
            .update_emergency_access(&pending, EmergencyAccessStatusType::Confirmed)
            .await
            .unwrap());
        assert_eq!(
            s.emergency_access(pending.id, grantor.id).await.unwrap(),
            Some(pending.clone())
        );

        // Reminders: from a day before the end of the wait, once a day at most; a row named
        // alone is reminded the same way.
        let remind_at = 10_000 + 6 * DAY_MS;
        assert!(s
            .remind_due_emergency_accesses(Timestamp(remind_at - 1), None)
            .await
            .unwrap()
            .is_empty());
        assert!(s
            .remind_due_emergency_accesses(Timestamp(remind_at), Some(invited.id))
            .await
            .unwrap()
            .is_empty());
        let reminded = s
            .remind_due_emergency_accesses(Timestamp(remind_at), Some(pending.id))
            .await
            .unwrap();
        assert_eq!(reminded.len(), 1);
        assert_eq!(reminded[0].id, pending.id);
        assert_eq!(
            reminded[0].last_notification_at,
            Some(Timestamp(remind_at)),
            "stored as sent"
        );
        assert!(s
            .remind_due_emergency_accesses(Timestamp(remind_at + DAY_MS - 1), None)
            .await
            .unwrap()
            .is_empty());
        assert_eq!(
            s.emergency_access(pending.id, grantor.id)
                .await
                .unwrap()
                .unwrap()
                .last_notification_at,
            Some(Timestamp(remind_at))
        );

        // The sweep: not a millisecond early, then exactly once.
        let due = 10_000 + 7 * DAY_MS;
        assert!(s
            .approve_due_emergency_accesses(Timestamp(due - 1))
            .await
            .unwrap()
            .is_empty());
        let approved = s
            .approve_due_emergency_accesses(Timestamp(due))
            .await
            .unwrap();
        assert_eq!(approved.len(), 1);
        assert_eq!(approved[0].id, pending.id);
        assert_eq!(
            approved[0].status,
            EmergencyAccessStatusType::RecoveryApproved
        );
        assert!(s
            .approve_due_emergency_accesses(Timestamp(due))
            .await
            .unwrap()
            .is_empty());

        // Delete: only by either party.
        assert!(!s
            .delete_emergency_access(invited.id, stranger.id)
            .await
            .unwrap());
        assert!(s
            .delete_emergency_access(invited.id, grantor.id)
            .await
            .unwrap());

        // Deleting the grantee's account takes their rows.
        s.delete_user(grantee.id).await.unwrap();
        assert!(s
            .emergency_accesses_of_grantor(grantor.id)
            .await
            .unwrap()
            .is_empty());
    })
    .await;
}

#[tokio::test]
async fn an_emergency_takeover_writes_everything_in_one_transaction_only_while_allowed() {
    crate::each_backend(|s| async move {
        let grantor = user("g@example.com");
        let grantee = user("t@example.com");
        let boss = user("boss@example.com");
        for u in [&grantor, &grantee, &boss] {
            s.insert_user(u).await.unwrap();
        }
        // The grantor owns one org and is a user of another.
        let owned = org("Owned");
        let mut own = org_member(&owned, Some(&grantor), OrganizationUserStatus::Confirmed);
        own.member_type = OrganizationUserType::Owner;
        s.insert_org(&owned, &own, None, &[]).await.unwrap();
        let other = org("Other");
        let mut boss_m = org_member(&other, Some(&boss), OrganizationUserStatus::Confirmed);
        boss_m.member_type = OrganizationUserType::Owner;
        s.insert_org(&other, &boss_m, None, &[]).await.unwrap();
        let member = org_member(&other, Some(&grantor), OrganizationUserStatus::Confirmed);
        s.insert_org_users(std::slice::from_ref(&member), &[], &[], &[])
            .await
            .unwrap();
        let tf = TwoFactorRow {
            provider: TwoFactorProviderType::Authenticator,
            enabled: true,
            data: r#"{"key":"K"}"#.into(),
            last_used_step: None,
        };
        s.save_two_factor(grantor.id, &tf, Some("recovery-hash"), Timestamp(2))
            .await
            .unwrap();

        let mut row = access(
            &grantor,
            Some(&grantee),
            EmergencyAccessStatusType::RecoveryApproved,
        );
        row.access_type = EmergencyAccessType::View;
        s.insert_emergency_access(&row).await.unwrap();
        let update = CredentialUpdate {
            password_hash: "$argon2id$new".into(),
            password_hint: None,
            replace_hint: false,
            key: "2.new|key|x".into(),
            kdf: grantor.kdf,
            security_stamp: "s2".into(),
            force_password_reset: false,
        };
        let event = EventRow {
            org_id: Some(other.id),
            org_user_id: Some(member.id),
            user_id: Some(grantor.id),
            acting_user_id: Some(grantee.id),
            ..EventRow::new(EventType::OrganizationUserRemoved, Timestamp(5_000))
        };
        // Passing the owner's membership too: the store never removes an owner.
        let removed = [member.id, own.id];
        let take = |id| {
            s.emergency_takeover(
                id,
                grantor.id,
                grantee.id,
                &update,
                &removed,
                std::slice::from_ref(&event),
                Timestamp(5_000),
            )
        };
        // A View row does not allow it: nothing written.
        assert!(!take(row.id).await.unwrap());
        let untouched = s.user_by_id(grantor.id).await.unwrap().unwrap();
        assert_eq!(untouched.security_stamp, "s1");
        assert_eq!(s.two_factors(grantor.id).await.unwrap().len(), 1);

        row.access_type = EmergencyAccessType::Takeover;
        assert!(s
            .update_emergency_access(&row, EmergencyAccessStatusType::RecoveryApproved)
            .await
            .unwrap());
        assert!(take(row.id).await.unwrap());
        let after = s.user_by_id(grantor.id).await.unwrap().unwrap();
        assert_eq!(after.security_stamp, "s2");
        assert_eq!(after.key, "2.new|key|x");
        assert!(s.two_factors(grantor.id).await.unwrap().is_empty());
        assert!(s.membership(other.id, grantor.id).await.unwrap().is_none());
        assert!(s.membership(owned.id, grantor.id).await.unwrap().is_some());
        let events = s
            .events(&EventQuery {
                org_id: Some(other.id),
                user_id: None,
                org_user_id: None,
                cipher_id: None,
                start: Timestamp(0),
                end: Timestamp(10_000),
                before: None,
                limit: 10,
            })
            .await
            .unwrap();
        assert!(events
            .iter()
            .any(|e| e.event_type == EventType::OrganizationUserRemoved
                && e.org_user_id == Some(member.id)));
    })
    .await;
}
