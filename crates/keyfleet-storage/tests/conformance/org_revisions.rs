//! An organization write bumps the organization's revision once (`org_revisions`), and every
//! account bound to it reads that as its own revision date; a non-member's, and a removed
//! member's after their removal, do not move with it.

use crate::providers::{org, org_member};
use crate::user;
use keyfleet_domain::ids::CipherId;
use keyfleet_domain::orgs::OrganizationUserStatus;
use keyfleet_domain::store::{
    AccountStore, ApiKeyWrite, CipherRow, OrgItemStore, OrgRow, OrgStore, UserRow,
};
use keyfleet_domain::Timestamp;
use keyfleet_storage::SqlStore;

fn org_item(o: &OrgRow, at: i64) -> CipherRow {
    CipherRow {
        id: CipherId::new(),
        user_id: None,
        org_id: Some(o.id),
        cipher_type: 1,
        data: r#"{"name":"2.a|b|c"}"#.into(),
        creation_date: Timestamp(at),
        revision_date: Timestamp(at),
        deleted_date: None,
        archived_date: None,
    }
}

/// The account's revision date as every reader sees it, by id and by email alike.
async fn revision(s: &SqlStore, u: &UserRow) -> i64 {
    let by_id = s.user_by_id(u.id).await.unwrap().unwrap().revision_date;
    let by_email = s
        .user_by_email(&u.email)
        .await
        .unwrap()
        .unwrap()
        .revision_date;
    assert_eq!(by_id, by_email);
    by_id.0
}

#[tokio::test]
async fn an_org_write_moves_every_bound_members_revision_and_no_one_elses() {
    crate::each_backend(|s| async move {
        let owner = user("rev-owner@example.com");
        let member = user("rev-member@example.com");
        let revoked = user("rev-revoked@example.com");
        let stranger = user("rev-stranger@example.com");
        let elsewhere = user("rev-elsewhere@example.com");
        for u in [&owner, &member, &revoked, &stranger, &elsewhere] {
            s.insert_user(u).await.unwrap();
        }
        let acme = org("Acme");
        let owner_m = org_member(&acme, Some(&owner), OrganizationUserStatus::Confirmed);
        s.insert_org(&acme, &owner_m, None, &[]).await.unwrap();
        let member_m = org_member(&acme, Some(&member), OrganizationUserStatus::Confirmed);
        let revoked_m = org_member(&acme, Some(&revoked), OrganizationUserStatus::Revoked);
        // Invited: no account bound yet, so nobody's revision for it.
        let invited_m = org_member(&acme, None, OrganizationUserStatus::Invited);
        s.insert_org_users(&[member_m.clone(), revoked_m, invited_m], &[], &[], &[])
            .await
            .unwrap();
        let other = org("Other");
        let elsewhere_m = org_member(&other, Some(&elsewhere), OrganizationUserStatus::Confirmed);
        s.insert_org(&other, &elsewhere_m, None, &[]).await.unwrap();
        let before = revision(&s, &stranger).await;
        let elsewhere_before = revision(&s, &elsewhere).await;

        // One item created in the org: every bound account (revoked ones too, as before) reads it.
        s.insert_org_cipher(&org_item(&acme, 5_000), &[], &[])
            .await
            .unwrap();
        for u in [&owner, &member, &revoked] {
            assert_eq!(revision(&s, u).await, 5_000, "{}", u.email);
        }
        assert_eq!(revision(&s, &stranger).await, before);
        assert_eq!(revision(&s, &elsewhere).await, elsewhere_before);

        // The account's own later write wins; an older org revision does not hide it.
        s.update_profile(member.id, Some("M"), "en-US", None, Timestamp(6_000))
            .await
            .unwrap();
        assert_eq!(revision(&s, &member).await, 6_000);
        assert_eq!(revision(&s, &owner).await, 5_000);

        // Not in sync: rotating the org's API key moves nobody, as before.
        s.set_org_api_key(acme.id, "digest", ApiKeyWrite::Issue, &[], Timestamp(6_500))
            .await
            .unwrap();
        assert_eq!(revision(&s, &owner).await, 5_000);

        // A removed member's own row is bumped by the removal; later org writes leave them be.
        s.delete_org_user(acme.id, member_m.id, &[], Timestamp(7_000))
            .await
            .unwrap();
        assert_eq!(revision(&s, &member).await, 7_000);
        s.insert_org_cipher(&org_item(&acme, 8_000), &[], &[])
            .await
            .unwrap();
        assert_eq!(revision(&s, &member).await, 7_000);
        assert_eq!(revision(&s, &owner).await, 8_000);

        // A deleted org takes its revision with it: its accounts' own rows carry the deletion.
        s.delete_org(acme.id, Timestamp(9_000)).await.unwrap();
        for u in [&owner, &revoked] {
            assert_eq!(revision(&s, u).await, 9_000, "{}", u.email);
        }
        assert_eq!(revision(&s, &member).await, 7_000);
        assert_eq!(revision(&s, &stranger).await, before);
        assert_eq!(revision(&s, &elsewhere).await, elsewhere_before);
    })
    .await;
}
