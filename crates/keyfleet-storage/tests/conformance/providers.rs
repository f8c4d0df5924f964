//! Providers on both backends: how a member reaches a client, roles in use, one provider per
//! organization, client lists and usage, members, revision bumps, and the provider event log.

use super::{each_backend, user};
use keyfleet_domain::ids::{
    CipherId, CollectionId, EventId, OrgId, OrgUserId, ProviderId, ProviderOrgId, ProviderRoleId,
    ProviderUserId, UserId,
};
use keyfleet_domain::orgs::{EventType, OrganizationUserStatus, OrganizationUserType, PlanType};
use keyfleet_domain::providers::store::{
    ProviderEventQuery, ProviderOrgRow, ProviderRoleRow, ProviderRow, ProviderStore,
    ProviderUserRow,
};
use keyfleet_domain::providers::{ProviderRole, ProviderStatus, ProviderUserStatus};
use keyfleet_domain::store::{
    AccessSelection, AccountStore, AuditStore, CipherRow, CollectionRow, CollectionStore, EventRow,
    OrgItemStore, OrgRow, OrgStore, OrgUserRow, Resync, TwoFactorRow, TwoFactorStore, UserRow,
};
use keyfleet_domain::{StoreError, Timestamp};
use keyfleet_storage::SqlStore;

fn provider(name: &str) -> ProviderRow {
    ProviderRow {
        id: ProviderId::new(),
        name: name.into(),
        business_name: None,
        billing_email: Some("billing@msp.example".into()),
        status: ProviderStatus::Created,
        enabled: true,
        creation_date: Timestamp(100),
        revision_date: Timestamp(100),
        launch_requires_password: false,
    }
}

fn member(
    p: &ProviderRow,
    account: Option<&UserRow>,
    role: ProviderRole,
    status: ProviderUserStatus,
) -> ProviderUserRow {
    ProviderUserRow {
        id: ProviderUserId::new(),
        provider_id: p.id,
        user_id: account.map(|u| u.id),
        email: match account {
            Some(_) => None,
            None => Some(format!("invitee-{}@example.com", ProviderUserId::new())),
        },
        role,
        role_id: None,
        status,
        suspended: false,
        key: (status == ProviderUserStatus::Confirmed)
            .then(|| "4.wrapped-provider-key".to_string()),
        invited_at: None,
        creation_date: Timestamp(100),
        revision_date: Timestamp(100),
    }
}

fn role(p: &ProviderRow, name: &str) -> ProviderRoleRow {
    ProviderRoleRow {
        id: ProviderRoleId::new(),
        provider_id: p.id,
        name: name.into(),
        permissions: r#"["view_clients","launch_into_client"]"#.into(),
        assigned_only: true,
        creation_date: Timestamp(100),
        revision_date: Timestamp(100),
    }
}

pub(crate) fn org(name: &str) -> OrgRow {
    OrgRow {
        id: OrgId::new(),
        name: name.into(),
        business_name: None,
        billing_email: "billing@client.example".into(),
        plan_type: PlanType::TeamsMonthly,
        seats: 10,
        max_collections: None,
        public_key: Some("pub".into()),
        private_key: Some("2.p|r|v".into()),
        api_key_digest: String::new(),
        enabled: true,
        creation_date: Timestamp(100),
        revision_date: Timestamp(100),
    }
}

pub(crate) fn org_member(
    o: &OrgRow,
    account: Option<&UserRow>,
    status: OrganizationUserStatus,
) -> OrgUserRow {
    OrgUserRow {
        id: OrgUserId::new(),
        org_id: o.id,
        user_id: account.map(|u| u.id),
        email: match account {
            Some(_) => None,
            None => Some(format!("org-invitee-{}@example.com", OrgUserId::new())),
        },
        member_type: OrganizationUserType::User,
        status,
        key: None,
        permissions: "{}".into(),
        external_id: None,
        invited_at: None,
        revocation_reason: None,
        reset_password_key: None,
        creation_date: Timestamp(100),
        revision_date: Timestamp(100),
    }
}

fn link(p: &ProviderRow, o: &OrgRow) -> ProviderOrgRow {
    ProviderOrgRow {
        id: ProviderOrgId::new(),
        provider_id: p.id,
        org_id: o.id,
        key: "2.org|key|wrapped".into(),
        website: None,
        region: Some("EU".into()),
        notes: None,
        creation_date: Timestamp(200),
        revision_date: Timestamp(200),
    }
}

fn provider_event(p: &ProviderRow, event_type: i32, date: i64) -> EventRow {
    EventRow {
        provider_id: Some(p.id.uuid()),
        ..EventRow::new(EventType::try_from(event_type).unwrap(), Timestamp(date))
    }
}

async fn account(s: &SqlStore, email: &str) -> UserRow {
    let u = user(email);
    s.insert_user(&u).await.unwrap();
    u
}

async fn two_step_on(s: &SqlStore, u: &UserRow) {
    let row = TwoFactorRow {
        provider: keyfleet_domain::identity::two_factor::TwoFactorProviderType::Authenticator,
        enabled: true,
        data: r#"{"key":"K"}"#.into(),
        last_used_step: None,
    };
    s.save_two_factor(u.id, &row, None, Timestamp(1))
        .await
        .unwrap();
}

/// An organization owned by a fresh account, not linked to any provider.
async fn own_org(s: &SqlStore, name: &str) -> OrgRow {
    let o = org(name);
    let owner_account = account(s, &format!("owner-{}@example.com", o.id)).await;
    let mut owner = org_member(&o, Some(&owner_account), OrganizationUserStatus::Confirmed);
    owner.member_type = OrganizationUserType::Owner;
    s.insert_org(&o, &owner, None, &[]).await.unwrap();
    o
}

async fn new_provider(s: &SqlStore, name: &str, owner: &UserRow) -> (ProviderRow, ProviderUserRow) {
    let p = provider(name);
    let m = member(
        &p,
        Some(owner),
        ProviderRole::Owner,
        ProviderUserStatus::Confirmed,
    );
    s.insert_provider(&p, &m, &[]).await.unwrap();
    (p, m)
}

async fn revision(s: &SqlStore, u: &UserRow) -> Timestamp {
    s.user_by_id(u.id).await.unwrap().unwrap().revision_date
}

#[tokio::test]
async fn provider_reach_reports_membership_role_and_assignment_whatever_their_state() {
    each_backend(|s| async move {
        let alice = account(&s, "alice@msp.example").await;
        let bob = account(&s, "bob@msp.example").await;
        let carol = account(&s, "carol@msp.example").await;
        let erin = account(&s, "erin@msp.example").await;
        let dave = account(&s, "dave@elsewhere.example").await;
        let (p, _) = new_provider(&s, "MSP", &alice).await;
        let custom = role(&p, "Helpdesk");
        s.save_provider_role(&custom, &[]).await.unwrap();

        let tech = member(
            &p,
            Some(&bob),
            ProviderRole::Technician,
            ProviderUserStatus::Confirmed,
        );
        let mut suspended = member(
            &p,
            Some(&carol),
            ProviderRole::Technician,
            ProviderUserStatus::Confirmed,
        );
        suspended.suspended = true;
        let mut helpdesk = member(
            &p,
            Some(&erin),
            ProviderRole::Custom,
            ProviderUserStatus::Accepted,
        );
        helpdesk.role_id = Some(custom.id);
        s.insert_provider_users(
            &[tech.clone(), suspended.clone(), helpdesk.clone()],
            &[],
            &[],
        )
        .await
        .unwrap();

        let a = own_org(&s, "Acme").await;
        let b = own_org(&s, "Bolt").await;
        let unmanaged = own_org(&s, "Solo").await;
        let (la, lb) = (link(&p, &a), link(&p, &b));
        s.insert_provider_link(&la, None, &[]).await.unwrap();
        s.insert_provider_link(&lb, None, &[]).await.unwrap();
        s.set_member_assignments(p.id, tech.id, &[la.id], Resync::None, &[])
            .await
            .unwrap();

        let r = s.provider_reach(a.id, bob.id).await.unwrap().unwrap();
        assert!(r.assigned);
        assert_eq!(r.link, la);
        assert_eq!(r.membership.provider, p);
        assert_eq!(r.membership.member, tech);
        assert_eq!(r.membership.role, None);
        assert!(
            !s.provider_reach(b.id, bob.id)
                .await
                .unwrap()
                .unwrap()
                .assigned
        );

        let r = s.provider_reach(a.id, carol.id).await.unwrap().unwrap();
        assert!(
            r.membership.member.suspended,
            "suspension is data for the domain"
        );
        assert!(!r.assigned);

        let r = s.provider_reach(b.id, erin.id).await.unwrap().unwrap();
        assert_eq!(r.membership.member.status, ProviderUserStatus::Accepted);
        assert_eq!(r.membership.role, Some(custom.clone()));

        assert!(s.provider_reach(a.id, dave.id).await.unwrap().is_none());
        assert!(s
            .provider_reach(unmanaged.id, bob.id)
            .await
            .unwrap()
            .is_none());

        let mut off = p.clone();
        off.enabled = false;
        off.launch_requires_password = true;
        off.revision_date = Timestamp(300);
        s.update_provider(&off, &[]).await.unwrap();
        let r = s.provider_reach(a.id, bob.id).await.unwrap().unwrap();
        assert!(!r.membership.provider.enabled);
        assert!(
            r.membership.provider.launch_requires_password,
            "the launch step-up setting is stored and read back"
        );
        assert_eq!(s.provider(p.id).await.unwrap(), Some(off.clone()));

        let m = s.provider_membership(p.id, erin.id).await.unwrap().unwrap();
        assert_eq!(m.role, Some(custom));
        assert!(s
            .provider_membership(p.id, dave.id)
            .await
            .unwrap()
            .is_none());
        let mine = s.provider_memberships_of_user(bob.id).await.unwrap();
        assert_eq!(mine.len(), 1);
        assert_eq!(mine[0].member.id, tech.id);
    })
    .await;
}

#[tokio::test]
async fn a_custom_role_is_deleted_only_when_nobody_holds_it_and_names_are_unique() {
    each_backend(|s| async move {
        let alice = account(&s, "alice@msp.example").await;
        let bob = account(&s, "bob@msp.example").await;
        let (p, _) = new_provider(&s, "MSP", &alice).await;
        let r = role(&p, "Helpdesk");
        s.save_provider_role(&r, &[provider_event(&p, 1850, 10)])
            .await
            .unwrap();
        assert!(matches!(
            s.save_provider_role(&role(&p, "Helpdesk"), &[]).await,
            Err(StoreError::Conflict)
        ));
        let (other, _) = new_provider(&s, "Other MSP", &bob).await;
        s.save_provider_role(&role(&other, "Helpdesk"), &[])
            .await
            .unwrap();

        let mut holder = member(
            &p,
            Some(&bob),
            ProviderRole::Custom,
            ProviderUserStatus::Confirmed,
        );
        holder.role_id = Some(r.id);
        s.insert_provider_users(&[holder.clone()], &[], &[])
            .await
            .unwrap();
        assert_eq!(s.provider_roles(p.id).await.unwrap(), vec![(r.clone(), 1)]);

        assert!(!s
            .delete_provider_role(p.id, r.id, &[provider_event(&p, 1852, 20)])
            .await
            .unwrap());
        assert_eq!(s.provider_role(p.id, r.id).await.unwrap(), Some(r.clone()));

        // Renamed in place; another provider's role id is not this provider's to change.
        let mut renamed = r.clone();
        renamed.name = "Level 1".into();
        renamed.revision_date = Timestamp(30);
        s.save_provider_role(&renamed, &[]).await.unwrap();
        assert_eq!(s.provider_role(p.id, r.id).await.unwrap(), Some(renamed));
        let mut hijack = role(&other, "Stolen");
        hijack.id = r.id;
        assert!(matches!(
            s.save_provider_role(&hijack, &[]).await,
            Err(StoreError::Conflict)
        ));
        assert!(s.provider_role(other.id, r.id).await.unwrap().is_none());

        holder.role = ProviderRole::Technician;
        holder.role_id = None;
        s.update_provider_users(&[holder], &[]).await.unwrap();
        assert!(
            !s.delete_provider_role(other.id, r.id, &[]).await.unwrap(),
            "not through another provider"
        );
        assert!(s
            .delete_provider_role(p.id, r.id, &[provider_event(&p, 1852, 40)])
            .await
            .unwrap());
        assert!(s.provider_roles(p.id).await.unwrap().is_empty());

        let logged: Vec<i32> = s
            .provider_events(&all_events(&p))
            .await
            .unwrap()
            .into_iter()
            .map(|(e, _)| e.event_type.code())
            .collect();
        assert_eq!(
            logged,
            vec![1852, 1850],
            "the refused delete logged nothing"
        );
    })
    .await;
}

#[tokio::test]
async fn an_organization_is_managed_by_one_provider_at_most() {
    each_backend(|s| async move {
        let alice = account(&s, "alice@msp.example").await;
        let bob = account(&s, "bob@msp.example").await;
        let (p1, _) = new_provider(&s, "First MSP", &alice).await;
        let (p2, _) = new_provider(&s, "Second MSP", &bob).await;
        let o = own_org(&s, "Acme").await;
        let first = link(&p1, &o);
        s.insert_provider_link(&first, None, &[provider_event(&p1, 1901, 10)])
            .await
            .unwrap();
        assert!(matches!(
            s.insert_provider_link(&link(&p2, &o), None, &[provider_event(&p2, 1901, 11)])
                .await,
            Err(StoreError::Conflict)
        ));
        assert_eq!(
            s.provider_link_of_org(o.id).await.unwrap(),
            Some(first.clone())
        );
        assert!(s.provider_clients(p2.id, None).await.unwrap().is_empty());
        assert!(s
            .provider_events(&all_events(&p2))
            .await
            .unwrap()
            .is_empty());
        assert_eq!(
            s.providers()
                .await
                .unwrap()
                .into_iter()
                .map(|(p, members, clients)| (p.id, members, clients))
                .collect::<Vec<_>>(),
            vec![(p1.id, 1, 1), (p2.id, 1, 0)]
        );

        // Unlinked, the organization may join another provider.
        assert!(!s
            .delete_provider_link(p2.id, first.id, Resync::None, &[])
            .await
            .unwrap());
        assert!(s
            .delete_provider_link(
                p1.id,
                first.id,
                Resync::At(Timestamp(20)),
                &[provider_event(&p1, 1902, 20)]
            )
            .await
            .unwrap());
        assert!(s.provider_link_of_org(o.id).await.unwrap().is_none());
        s.insert_provider_link(&link(&p2, &o), None, &[])
            .await
            .unwrap();
    })
    .await;
}

#[tokio::test]
async fn clients_are_listed_by_name_with_seats_assignments_and_usage() {
    each_backend(|s| async move {
        let alice = account(&s, "alice@msp.example").await;
        let bob = account(&s, "bob@msp.example").await;
        let (p, _) = new_provider(&s, "MSP", &alice).await;
        let tech = member(
            &p,
            Some(&bob),
            ProviderRole::Technician,
            ProviderUserStatus::Confirmed,
        );
        s.insert_provider_users(std::slice::from_ref(&tech), &[], &[])
            .await
            .unwrap();

        // "Zeta": created by the provider with a collection and its own owner's invitation.
        let zeta = org("Zeta");
        let zeta_link = link(&p, &zeta);
        let collection = CollectionRow {
            id: CollectionId::new(),
            org_id: zeta.id,
            name: "2.c|o|l".into(),
            external_id: None,
            creation_date: Timestamp(200),
            revision_date: Timestamp(200),
        };
        let mut invite = org_member(&zeta, None, OrganizationUserStatus::Invited);
        invite.member_type = OrganizationUserType::Owner;
        let access = [AccessSelection {
            id: collection.id.uuid(),
            read_only: false,
            hide_passwords: false,
            manage: true,
        }];
        let created = EventRow {
            org_id: Some(zeta.id),
            ..provider_event(&p, 1900, 210)
        };
        s.insert_provider_client(
            &zeta,
            &zeta_link,
            Some(&collection),
            Some((&invite, &access)),
            None,
            &[created],
        )
        .await
        .unwrap();
        assert_eq!(s.org(zeta.id).await.unwrap(), Some(zeta.clone()));
        let members = s.org_member_details(zeta.id, None).await.unwrap();
        assert_eq!(members.len(), 1);
        assert_eq!(members[0].member, invite);
        assert_eq!(members[0].collections, access.to_vec());
        assert_eq!(
            s.collection(zeta.id, collection.id).await.unwrap(),
            Some(collection)
        );

        // "Acme": linked, with members in every state, items and activity.
        let acme = own_org(&s, "Acme").await; // its owner: confirmed, no two-step login
        let acme_link = link(&p, &acme);
        s.insert_provider_link(&acme_link, None, &[]).await.unwrap();
        let two_step = account(&s, "u1@acme.example").await;
        let plain = account(&s, "u2@acme.example").await;
        let revoked_2fa = account(&s, "u3@acme.example").await;
        for u in [&two_step, &revoked_2fa] {
            two_step_on(&s, u).await;
        }
        let rows = [
            org_member(&acme, Some(&two_step), OrganizationUserStatus::Accepted),
            org_member(&acme, Some(&plain), OrganizationUserStatus::Accepted),
            org_member(&acme, None, OrganizationUserStatus::Invited),
            org_member(&acme, Some(&revoked_2fa), OrganizationUserStatus::Revoked),
        ];
        s.insert_org_users(&rows, &[], &[], &[]).await.unwrap();
        // Public keys: members with an account only, of this organization only, in one query.
        let keys = s
            .org_member_public_keys(acme.id, &[rows[1].id, rows[2].id, OrgUserId::new()])
            .await
            .unwrap();
        assert_eq!(keys, vec![(rows[1].id, plain.id, plain.public_key.clone())]);
        assert!(s
            .org_member_public_keys(zeta.id, &[rows[1].id])
            .await
            .unwrap()
            .is_empty());
        assert!(s
            .org_member_public_keys(acme.id, &[])
            .await
            .unwrap()
            .is_empty());
        for trashed in [None, Some(Timestamp(150))] {
            let c = CipherRow {
                id: CipherId::new(),
                user_id: None,
                org_id: Some(acme.id),
                cipher_type: 1,
                data: r#"{"name":"2.a|b|c"}"#.into(),
                creation_date: Timestamp(120),
                revision_date: Timestamp(120),
                deleted_date: trashed,
                archived_date: None,
            };
            s.insert_org_cipher(&c, &[], &[]).await.unwrap();
        }
        let org_event = |date| EventRow {
            org_id: Some(acme.id),
            ..EventRow::new(EventType::OrganizationUpdated, Timestamp(date))
        };
        s.insert_events(&[org_event(500), org_event(700), org_event(600)])
            .await
            .unwrap();
        // Not a client of this provider.
        own_org(&s, "Beta").await;

        s.set_member_assignments(p.id, tech.id, &[zeta_link.id], Resync::None, &[])
            .await
            .unwrap();

        let clients = s.provider_clients(p.id, None).await.unwrap();
        let names: Vec<&str> = clients.iter().map(|c| c.org.name.as_str()).collect();
        assert_eq!(names, ["Acme", "Zeta"]);
        assert_eq!(clients[0].link, acme_link);
        assert_eq!(
            (clients[0].seats_used, clients[0].user_count),
            (4, 1),
            "owner, two accepted and one invited use seats; only the owner is confirmed"
        );
        assert!(clients[0].assigned.is_empty());
        assert_eq!((clients[1].seats_used, clients[1].user_count), (1, 0));
        assert_eq!(clients[1].assigned, vec![tech.id]);

        let mine = s.provider_clients(p.id, Some(tech.id)).await.unwrap();
        assert_eq!(mine.len(), 1);
        assert_eq!(mine[0], clients[1]);
        assert_eq!(
            s.provider_client(p.id, zeta_link.id).await.unwrap(),
            Some(clients[1].clone())
        );
        let (other, _) = new_provider(&s, "Other", &plain).await;
        assert!(s
            .provider_client(other.id, zeta_link.id)
            .await
            .unwrap()
            .is_none());

        let usage = s.client_usage(p.id, None).await.unwrap();
        assert_eq!(usage.len(), 2);
        let acme_usage = &usage[0];
        assert_eq!(acme_usage.org.id, acme.id);
        assert_eq!(
            (
                acme_usage.confirmed,
                acme_usage.accepted,
                acme_usage.invited,
                acme_usage.revoked
            ),
            (1, 2, 1, 1)
        );
        assert_eq!(acme_usage.items, 2, "trash included");
        assert_eq!(
            acme_usage.two_factor_members, 1,
            "the accepted member with two-step login; not the revoked one"
        );
        assert_eq!(acme_usage.last_activity, Some(Timestamp(700)));
        let zeta_usage = &usage[1];
        assert_eq!(zeta_usage.link, zeta_link);
        assert_eq!(
            (zeta_usage.confirmed, zeta_usage.invited, zeta_usage.items),
            (0, 1, 0)
        );
        assert_eq!(zeta_usage.last_activity, Some(Timestamp(210)));

        let assigned_usage = s.client_usage(p.id, Some(tech.id)).await.unwrap();
        assert_eq!(assigned_usage, vec![zeta_usage.clone()]);

        // Editing a client writes its link and, when asked, only its own organization.
        let mut edited = zeta_link.clone();
        edited.notes = Some("VIP".into());
        edited.revision_date = Timestamp(800);
        let mut renamed = zeta.clone();
        renamed.name = "Zeta GmbH".into();
        renamed.seats = 25;
        renamed.revision_date = Timestamp(800);
        s.update_provider_link(&edited, Some(&renamed), &[])
            .await
            .unwrap();
        let back = s
            .provider_client(p.id, zeta_link.id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(back.link, edited);
        assert_eq!((back.org.name.as_str(), back.org.seats), ("Zeta GmbH", 25));
        let mut not_mine = acme.clone();
        not_mine.name = "Hijacked".into();
        assert!(matches!(
            s.update_provider_link(&edited, Some(&not_mine), &[]).await,
            Err(StoreError::Conflict)
        ));
        assert_eq!(s.org(acme.id).await.unwrap().unwrap().name, "Acme");
    })
    .await;
}

#[tokio::test]
async fn members_are_listed_with_accounts_roles_two_step_and_assignments() {
    each_backend(|s| async move {
        let alice = account(&s, "alice@msp.example").await;
        let bob = account(&s, "bob@msp.example").await;
        two_step_on(&s, &alice).await;
        let (p, owner) = new_provider(&s, "MSP", &alice).await;
        let r = role(&p, "Helpdesk");
        s.save_provider_role(&r, &[]).await.unwrap();
        let a = own_org(&s, "Acme").await;
        let b = own_org(&s, "Bolt").await;
        let (la, lb) = (link(&p, &a), link(&p, &b));
        s.insert_provider_link(&la, None, &[]).await.unwrap();
        s.insert_provider_link(&lb, None, &[]).await.unwrap();

        let mut helpdesk = member(
            &p,
            Some(&bob),
            ProviderRole::Custom,
            ProviderUserStatus::Accepted,
        );
        helpdesk.role_id = Some(r.id);
        let invited = member(
            &p,
            None,
            ProviderRole::Technician,
            ProviderUserStatus::Invited,
        );
        s.insert_provider_users(
            &[helpdesk.clone(), invited.clone()],
            &[
                (helpdesk.id, lb.id),
                (helpdesk.id, la.id),
                (invited.id, la.id),
            ],
            &[],
        )
        .await
        .unwrap();

        let all = s.provider_members(p.id, None).await.unwrap();
        assert_eq!(all.len(), 3);
        let find = |id: ProviderUserId| all.iter().find(|d| d.member.id == id).unwrap();
        let o = find(owner.id);
        assert_eq!(o.email, alice.email);
        assert!(o.two_factor_enabled);
        assert!(o.assigned.is_empty());
        let h = find(helpdesk.id);
        assert_eq!(h.member, helpdesk);
        assert_eq!(
            (h.email.as_str(), h.name.as_deref()),
            ("bob@msp.example", Some("N"))
        );
        assert!(!h.two_factor_enabled);
        assert_eq!(h.role_name.as_deref(), Some("Helpdesk"));
        assert_eq!(h.assigned, vec![la.id, lb.id], "by client name");
        let i = find(invited.id);
        assert_eq!(Some(i.email.clone()), invited.email);
        assert_eq!(i.name, None);
        assert_eq!(i.assigned, vec![la.id]);

        let one = s.provider_members(p.id, Some(helpdesk.id)).await.unwrap();
        assert_eq!(one, vec![h.clone()]);
        let (other, _) = new_provider(&s, "Other", &bob).await;
        assert!(s
            .provider_members(other.id, Some(helpdesk.id))
            .await
            .unwrap()
            .is_empty());

        let keys = s
            .provider_member_public_keys(p.id, &[helpdesk.id, invited.id, ProviderUserId::new()])
            .await
            .unwrap();
        assert_eq!(keys, vec![(helpdesk.id, bob.id, Some("pk".to_string()))]);
        assert!(s
            .provider_member_public_keys(p.id, &[])
            .await
            .unwrap()
            .is_empty());

        // Assignments across providers are never written.
        let foreign = own_org(&s, "Foreign").await;
        let foreign_link = link(&other, &foreign);
        s.insert_provider_link(&foreign_link, None, &[])
            .await
            .unwrap();
        s.set_member_assignments(
            p.id,
            helpdesk.id,
            &[lb.id, foreign_link.id],
            Resync::None,
            &[],
        )
        .await
        .unwrap();
        assert_eq!(
            s.provider_members(p.id, Some(helpdesk.id)).await.unwrap()[0].assigned,
            vec![lb.id]
        );
        s.set_client_assignments(p.id, la.id, &[owner.id], Resync::None, &[])
            .await
            .unwrap();
        let la_client = s.provider_client(p.id, la.id).await.unwrap().unwrap();
        assert_eq!(la_client.assigned, vec![owner.id]);

        // An ownership transfer whose target vanished writes nothing.
        let mut demoted = owner.clone();
        demoted.role = ProviderRole::Admin;
        let mut gone = member(
            &p,
            Some(&bob),
            ProviderRole::Owner,
            ProviderUserStatus::Confirmed,
        );
        gone.id = ProviderUserId::new();
        assert!(matches!(
            s.update_provider_users(&[demoted, gone], &[]).await,
            Err(StoreError::Conflict)
        ));
        assert_eq!(
            s.provider_user(p.id, owner.id).await.unwrap().unwrap().role,
            ProviderRole::Owner
        );

        assert!(!s
            .delete_provider_user(other.id, helpdesk.id, Resync::None, &[])
            .await
            .unwrap());
        assert!(s
            .delete_provider_user(
                p.id,
                helpdesk.id,
                Resync::At(Timestamp(50)),
                &[provider_event(&p, 1803, 50)]
            )
            .await
            .unwrap());
        assert!(s.provider_user(p.id, helpdesk.id).await.unwrap().is_none());
        assert!(s.provider_membership(p.id, bob.id).await.unwrap().is_none());
        assert!(s
            .provider_client(p.id, lb.id)
            .await
            .unwrap()
            .unwrap()
            .assigned
            .is_empty());
    })
    .await;
}

#[tokio::test]
async fn provider_changes_bump_the_accounts_whose_sync_they_change() {
    each_backend(|s| async move {
        let alice = account(&s, "alice@msp.example").await;
        let bob = account(&s, "bob@msp.example").await;
        let carol = account(&s, "carol@msp.example").await;
        let (p, _) = new_provider(&s, "MSP", &alice).await;
        let tech = member(
            &p,
            Some(&bob),
            ProviderRole::Technician,
            ProviderUserStatus::Confirmed,
        );
        let pending = member(
            &p,
            Some(&carol),
            ProviderRole::Technician,
            ProviderUserStatus::Accepted,
        );
        s.insert_provider_users(&[tech.clone(), pending.clone()], &[], &[])
            .await
            .unwrap();

        // The provider turned off: every confirmed member re-syncs.
        let mut off = p.clone();
        off.enabled = false;
        off.revision_date = Timestamp(1_000);
        s.update_provider(&off, &[]).await.unwrap();
        assert_eq!(revision(&s, &alice).await, Timestamp(1_000));
        assert_eq!(revision(&s, &bob).await, Timestamp(1_000));
        assert_ne!(revision(&s, &carol).await, Timestamp(1_000));

        // A client linked: confirmed members again.
        let o = own_org(&s, "Acme").await;
        let mut l = link(&p, &o);
        l.revision_date = Timestamp(2_000);
        s.insert_provider_link(&l, None, &[]).await.unwrap();
        assert_eq!(revision(&s, &bob).await, Timestamp(2_000));

        // One member's assignment or membership: that member only.
        s.set_member_assignments(
            p.id,
            tech.id,
            &[l.id],
            Resync::At(Timestamp(3_000)),
            &[provider_event(&p, 1856, 3_000)],
        )
        .await
        .unwrap();
        assert_eq!(revision(&s, &bob).await, Timestamp(3_000));
        assert_eq!(revision(&s, &alice).await, Timestamp(2_000));
        // The caller's `Resync` decides, not the events passed: none asked, none bumped.
        s.set_member_assignments(
            p.id,
            tech.id,
            &[l.id],
            Resync::None,
            &[provider_event(&p, 1856, 3_500)],
        )
        .await
        .unwrap();
        assert_eq!(revision(&s, &bob).await, Timestamp(3_000));
        let mut confirmed = pending.clone();
        confirmed.status = ProviderUserStatus::Confirmed;
        confirmed.revision_date = Timestamp(4_000);
        s.update_provider_users(&[confirmed], &[]).await.unwrap();
        assert_eq!(revision(&s, &carol).await, Timestamp(4_000));
        assert_eq!(revision(&s, &bob).await, Timestamp(3_000));

        // A client's assignees, before and after: bob loses it, carol gains it.
        s.set_client_assignments(
            p.id,
            l.id,
            &[pending.id],
            Resync::At(Timestamp(5_000)),
            &[provider_event(&p, 1856, 5_000)],
        )
        .await
        .unwrap();
        assert_eq!(revision(&s, &bob).await, Timestamp(5_000));
        assert_eq!(revision(&s, &carol).await, Timestamp(5_000));
        assert_eq!(revision(&s, &alice).await, Timestamp(2_000));

        // Unlinking: everyone confirmed. Deleting a member: that member.
        s.delete_provider_link(
            p.id,
            l.id,
            Resync::At(Timestamp(6_000)),
            &[provider_event(&p, 1902, 6_000)],
        )
        .await
        .unwrap();
        assert_eq!(revision(&s, &alice).await, Timestamp(6_000));
        s.delete_provider_user(
            p.id,
            tech.id,
            Resync::At(Timestamp(7_000)),
            &[provider_event(&p, 1803, 7_000)],
        )
        .await
        .unwrap();
        assert_eq!(revision(&s, &bob).await, Timestamp(7_000));
        assert_eq!(revision(&s, &alice).await, Timestamp(6_000));
    })
    .await;
}

#[tokio::test]
async fn a_client_organization_renamed_or_deleted_bumps_its_providers_members() {
    each_backend(|s| async move {
        let alice = account(&s, "alice@msp.example").await;
        let (p, _) = new_provider(&s, "MSP", &alice).await;
        let o = own_org(&s, "Acme").await;
        s.insert_provider_link(&link(&p, &o), None, &[])
            .await
            .unwrap();
        let unmanaged = own_org(&s, "Solo").await;

        let mut renamed = o.clone();
        renamed.name = "Acme Ltd".into();
        renamed.revision_date = Timestamp(1_000);
        s.update_org(&renamed, &[]).await.unwrap();
        assert_eq!(revision(&s, &alice).await, Timestamp(1_000));

        let mut other = unmanaged.clone();
        other.revision_date = Timestamp(2_000);
        s.update_org(&other, &[]).await.unwrap();
        assert_eq!(revision(&s, &alice).await, Timestamp(1_000));

        s.delete_org(o.id, Timestamp(3_000)).await.unwrap();
        assert_eq!(revision(&s, &alice).await, Timestamp(3_000));
        assert!(s.provider_clients(p.id, None).await.unwrap().is_empty());
    })
    .await;
}

fn all_events(p: &ProviderRow) -> ProviderEventQuery {
    ProviderEventQuery {
        provider_id: p.id,
        member: None,
        clients: None,
        event_type: None,
        start: Timestamp(0),
        end: Timestamp(i64::MAX),
        before: None,
        limit: 100,
    }
}

#[tokio::test]
async fn provider_events_are_filtered_and_paged_newest_first() {
    each_backend(|s| async move {
        let alice = account(&s, "alice@msp.example").await;
        let bob = account(&s, "bob@msp.example").await;
        let (p, _) = new_provider(&s, "MSP", &alice).await;
        let (other, _) = new_provider(&s, "Other", &bob).await;
        let tech = member(
            &p,
            Some(&bob),
            ProviderRole::Technician,
            ProviderUserStatus::Confirmed,
        );
        s.insert_provider_users(std::slice::from_ref(&tech), &[], &[])
            .await
            .unwrap();
        let (c1, c2) = (ProviderOrgId::new(), ProviderOrgId::new());

        let about_tech = EventRow {
            provider_user_id: Some(tech.id.uuid()),
            acting_user_id: Some(alice.id),
            ..provider_event(&p, 1802, 10)
        };
        let on_c1 = EventRow {
            provider_org_id: Some(c1.uuid()),
            acting_user_id: Some(alice.id),
            ..provider_event(&p, 1903, 20)
        };
        let on_c2 = EventRow {
            provider_org_id: Some(c2.uuid()),
            ..provider_event(&p, 1904, 20)
        };
        let by_tech = EventRow {
            provider_org_id: Some(c1.uuid()),
            acting_user_id: Some(bob.id),
            ..provider_event(&p, 1903, 30)
        };
        let by_departed = EventRow {
            acting_user_id: Some(UserId::new()),
            ..provider_event(&p, 1857, 40)
        };
        let elsewhere = provider_event(&other, 1857, 25);
        let org_only = EventRow {
            org_id: Some(OrgId::new()),
            ..EventRow {
                provider_id: None,
                ..provider_event(&p, 1600, 25)
            }
        };
        s.insert_events(&[
            about_tech.clone(),
            on_c1.clone(),
            on_c2.clone(),
            by_tech.clone(),
            by_departed.clone(),
            elsewhere,
            org_only,
        ])
        .await
        .unwrap();

        let read = |q: ProviderEventQuery| {
            let s = s.clone();
            async move {
                s.provider_events(&q)
                    .await
                    .unwrap()
                    .into_iter()
                    .map(|(e, email)| (e.id, email))
                    .collect::<Vec<_>>()
            }
        };
        let ids = |events: &[&EventRow]| events.iter().map(|e| e.id).collect::<Vec<_>>();
        let only_ids = |page: Vec<(EventId, Option<String>)>| {
            page.into_iter().map(|(id, _)| id).collect::<Vec<_>>()
        };

        let everything = read(all_events(&p)).await;
        assert_eq!(
            everything,
            vec![
                (by_departed.id, None),
                (by_tech.id, Some(bob.email.clone())),
                (on_c2.id, None),
                (on_c1.id, Some(alice.email.clone())),
                (about_tech.id, Some(alice.email.clone())),
            ],
            "newest first, ties by id; the acting account's email when it still exists"
        );

        let member_q = ProviderEventQuery {
            member: Some((tech.id, Some(bob.id))),
            ..all_events(&p)
        };
        assert_eq!(
            only_ids(read(member_q).await),
            ids(&[&by_tech, &about_tech]),
            "about the member or by their account"
        );
        let invitee_q = ProviderEventQuery {
            member: Some((tech.id, None)),
            ..all_events(&p)
        };
        assert_eq!(only_ids(read(invitee_q).await), ids(&[&about_tech]));

        let clients_q = |clients: Vec<ProviderOrgId>| ProviderEventQuery {
            clients: Some(clients),
            ..all_events(&p)
        };
        assert_eq!(
            only_ids(read(clients_q(vec![c1])).await),
            ids(&[&by_tech, &on_c1])
        );
        assert_eq!(
            only_ids(read(clients_q(vec![c1, c2])).await),
            ids(&[&by_tech, &on_c2, &on_c1])
        );
        assert!(
            read(clients_q(vec![])).await.is_empty(),
            "no client in scope reads nothing"
        );

        let typed = ProviderEventQuery {
            event_type: Some(EventType::ProviderOrganizationVaultAccessed),
            clients: Some(vec![c1, c2]),
            ..all_events(&p)
        };
        assert_eq!(only_ids(read(typed).await), ids(&[&by_tech, &on_c1]));

        let ranged = ProviderEventQuery {
            start: Timestamp(20),
            end: Timestamp(30),
            ..all_events(&p)
        };
        assert_eq!(
            only_ids(read(ranged).await),
            ids(&[&by_tech, &on_c2, &on_c1])
        );

        // Pages of two, each continuing after the last event of the previous one.
        let mut pages = Vec::new();
        let mut before = None;
        loop {
            let page = only_ids(
                read(ProviderEventQuery {
                    before,
                    limit: 2,
                    ..all_events(&p)
                })
                .await,
            );
            if page.is_empty() {
                break;
            }
            let last = *page.last().unwrap();
            let last_date = [&about_tech, &on_c1, &on_c2, &by_tech, &by_departed]
                .into_iter()
                .find(|e| e.id == last)
                .unwrap()
                .date;
            before = Some((last_date, last));
            pages.push(page);
        }
        assert_eq!(
            pages,
            vec![
                ids(&[&by_departed, &by_tech]),
                ids(&[&on_c2, &on_c1]),
                ids(&[&about_tech]),
            ]
        );
    })
    .await;
}

#[tokio::test]
async fn a_linked_client_is_assigned_to_its_adder_in_the_same_write_and_setup_completes_at_once() {
    each_backend(|s| async move {
        let alice = account(&s, "alice@msp.example").await;
        let bob = account(&s, "bob@msp.example").await;
        let (p, _) = new_provider(&s, "MSP", &alice).await;
        let tech = member(
            &p,
            Some(&bob),
            ProviderRole::Technician,
            ProviderUserStatus::Confirmed,
        );
        s.insert_provider_users(std::slice::from_ref(&tech), &[], &[])
            .await
            .unwrap();
        let o = own_org(&s, "Acme").await;
        let l = link(&p, &o);
        s.insert_provider_link(&l, Some(tech.id), &[])
            .await
            .unwrap();
        let mine = s.provider_clients(p.id, Some(tech.id)).await.unwrap();
        assert_eq!(mine.len(), 1);
        assert_eq!(mine[0].link.id, l.id);
        assert_eq!(mine[0].assigned, vec![tech.id]);
        // A member of another provider is never assigned, even if named.
        let (_, other_owner) = new_provider(&s, "Other MSP", &bob).await;
        let o2 = own_org(&s, "Beta").await;
        let l2 = link(&p, &o2);
        s.insert_provider_link(&l2, Some(other_owner.id), &[])
            .await
            .unwrap();
        let beta = s.provider_client(p.id, l2.id).await.unwrap().unwrap();
        assert!(beta.assigned.is_empty());

        // Setup writes the owner's membership and the provider's status together; a vanished
        // owner row leaves the provider untouched.
        let mut pending = provider("Pending MSP");
        pending.status = ProviderStatus::Pending;
        let invite = member(
            &pending,
            None,
            ProviderRole::Owner,
            ProviderUserStatus::Invited,
        );
        s.insert_provider(&pending, &invite, &[]).await.unwrap();
        let mut ghost = invite.clone();
        ghost.id = keyfleet_domain::ids::ProviderUserId::new();
        pending.status = ProviderStatus::Created;
        assert!(matches!(
            s.complete_provider_setup(&pending, &ghost, &[]).await,
            Err(StoreError::Conflict)
        ));
        assert_eq!(
            s.provider(pending.id).await.unwrap().unwrap().status,
            ProviderStatus::Pending
        );
        let mut owner = invite.clone();
        owner.user_id = Some(alice.id);
        owner.email = None;
        owner.status = ProviderUserStatus::Confirmed;
        owner.key = Some("4.wrapped".into());
        s.complete_provider_setup(&pending, &owner, &[])
            .await
            .unwrap();
        assert_eq!(
            s.provider(pending.id).await.unwrap().unwrap().status,
            ProviderStatus::Created
        );
        let m = s
            .provider_membership(pending.id, alice.id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(m.member.status, ProviderUserStatus::Confirmed);
    })
    .await;
}

/// Sync's pages of org items (read through ownership, and through a collection) come each
/// exactly once, with the rights of the way they are reached, after the personal items.
#[tokio::test]
async fn a_sync_reads_every_org_item_once_across_pages() {
    use futures::StreamExt;
    use keyfleet_domain::store::VaultStore;
    each_backend(|s| async move {
        let o = own_org(&s, "Paged").await;
        let owner = s
            .org_member_details(o.id, None)
            .await
            .unwrap()
            .pop()
            .unwrap();
        let owner_id = owner.member.user_id.unwrap();
        let reader = account(&s, "paged-reader@example.com").await;
        let mut m = org_member(&o, Some(&reader), OrganizationUserStatus::Confirmed);
        m.key = Some("4.k".into());
        let collection = CollectionRow {
            id: CollectionId::new(),
            org_id: o.id,
            name: "2.c|c|c".into(),
            external_id: None,
            creation_date: Timestamp(100),
            revision_date: Timestamp(100),
        };
        s.save_collection(&collection, &Default::default(), &[])
            .await
            .unwrap();
        // A second collection the reader also reads: an item in both comes once all the same.
        let second = CollectionRow {
            id: CollectionId::new(),
            ..collection.clone()
        };
        s.save_collection(&second, &Default::default(), &[])
            .await
            .unwrap();
        let read_only = |c: &CollectionRow| AccessSelection {
            id: c.id.uuid(),
            read_only: true,
            hide_passwords: false,
            manage: false,
        };
        s.insert_org_users(
            &[m],
            &[read_only(&collection), read_only(&second)],
            &[],
            &[],
        )
        .await
        .unwrap();
        // The reader also administers a second organization, whose items interleave with the
        // first's by id: a page's ids come from both sources, each read only up to the page's
        // bound. A third organization's items, which the reader does not reach, interleave too.
        let administered = own_org(&s, "Administered").await;
        let mut admin = org_member(
            &administered,
            Some(&reader),
            OrganizationUserStatus::Confirmed,
        );
        admin.member_type = OrganizationUserType::Admin;
        s.insert_org_users(&[admin], &[], &[], &[]).await.unwrap();
        let foreign = own_org(&s, "Foreign").await;
        let mut in_administered = std::collections::BTreeSet::new();
        let mut in_collection = std::collections::BTreeSet::new();
        for i in 0..1_100 {
            let c = CipherRow {
                id: CipherId::new(),
                user_id: None,
                org_id: Some(o.id),
                cipher_type: 1,
                data: r#"{"name":"2.a|b|c"}"#.into(),
                creation_date: Timestamp(200 + i),
                revision_date: Timestamp(200 + i),
                deleted_date: None,
                archived_date: None,
            };
            // Two of three in the collection (half of those in the second one too); the rest
            // only the owner reads.
            let collections = match i % 3 {
                0 => vec![],
                1 => vec![collection.id],
                _ => vec![collection.id, second.id],
            };
            if i % 3 != 0 {
                in_collection.insert(c.id);
            }
            s.insert_org_cipher(&c, &collections, &[]).await.unwrap();
            for (org, ids) in [
                (&administered, Some(&mut in_administered)),
                (&foreign, None),
            ] {
                if i % 2 == 0 {
                    let other = CipherRow {
                        id: CipherId::new(),
                        org_id: Some(org.id),
                        ..c.clone()
                    };
                    if let Some(ids) = ids {
                        ids.insert(other.id);
                    }
                    s.insert_org_cipher(&other, &[], &[]).await.unwrap();
                }
            }
        }
        let owner_reads: Vec<_> = s
            .ciphers_stream(owner_id)
            .map(|r| r.unwrap())
            .collect()
            .await;
        assert_eq!(owner_reads.len(), 1_100);
        let distinct: std::collections::BTreeSet<_> =
            owner_reads.iter().map(|v| v.cipher.id).collect();
        assert_eq!(distinct.len(), 1_100);
        assert!(owner_reads.iter().all(|v| v.access.edit && v.access.manage));
        let reader_reads: Vec<_> = s
            .ciphers_stream(reader.id)
            .map(|r| r.unwrap())
            .collect()
            .await;
        let ids: std::collections::BTreeSet<_> = reader_reads.iter().map(|v| v.cipher.id).collect();
        assert_eq!(
            ids,
            in_collection.union(&in_administered).copied().collect()
        );
        assert_eq!(
            reader_reads.len(),
            in_collection.len() + in_administered.len()
        );
        let (admin_reads, reader_reads): (Vec<_>, Vec<_>) = reader_reads
            .into_iter()
            .partition(|v| v.cipher.org_id == Some(administered.id));
        assert!(admin_reads
            .iter()
            .all(|v| v.access.edit && v.access.manage && v.collection_ids.is_empty()));
        assert!(reader_reads
            .iter()
            .all(|v| !v.access.edit && v.collection_ids.contains(&collection.id)));
        assert_eq!(
            reader_reads
                .iter()
                .filter(|v| v.collection_ids.contains(&second.id))
                .count(),
            (0..1_100).filter(|i| i % 3 == 2).count()
        );
    })
    .await;
}

/// Who is told when an organization's items change: the accounts of its confirmed members
/// only — not invitees, members waiting for confirmation, revoked members, or another
/// organization's members.
#[tokio::test]
async fn only_confirmed_members_are_the_recipients_of_an_organizations_changes() {
    each_backend(|s| async move {
        let o = own_org(&s, "Pushed Co").await;
        let other = own_org(&s, "Other Co").await;
        let owner = s
            .org_member_details(o.id, None)
            .await
            .unwrap()
            .pop()
            .unwrap()
            .member
            .user_id
            .unwrap();
        let confirmed = account(&s, "confirmed@pushed.example").await;
        let accepted = account(&s, "accepted@pushed.example").await;
        let revoked = account(&s, "revoked@pushed.example").await;
        let rows = [
            org_member(&o, Some(&confirmed), OrganizationUserStatus::Confirmed),
            org_member(&o, Some(&accepted), OrganizationUserStatus::Accepted),
            org_member(&o, Some(&revoked), OrganizationUserStatus::Revoked),
            org_member(&o, None, OrganizationUserStatus::Invited),
        ];
        s.insert_org_users(&rows, &[], &[], &[]).await.unwrap();
        let mut want = vec![owner, confirmed.id];
        want.sort();
        assert_eq!(s.confirmed_member_users(o.id).await.unwrap(), want);
        assert_eq!(s.confirmed_member_users(other.id).await.unwrap().len(), 1);
        assert!(s
            .confirmed_member_users(OrgId::new())
            .await
            .unwrap()
            .is_empty());
    })
    .await;
}

/// One read answers an item change's push: the item's collections (of that organization only)
/// and the confirmed members' accounts; a gone item, or one named with another organization,
/// has no collections but the organization's members are still told.
#[tokio::test]
async fn an_items_push_audience_is_its_collections_and_the_confirmed_members() {
    each_backend(|s| async move {
        let o = own_org(&s, "Audience Co").await;
        let other = own_org(&s, "Elsewhere Co").await;
        let owner = s
            .org_member_details(o.id, None)
            .await
            .unwrap()
            .pop()
            .unwrap()
            .member
            .user_id
            .unwrap();
        let confirmed = account(&s, "confirmed@audience.example").await;
        let accepted = account(&s, "accepted@audience.example").await;
        s.insert_org_users(
            &[
                org_member(&o, Some(&confirmed), OrganizationUserStatus::Confirmed),
                org_member(&o, Some(&accepted), OrganizationUserStatus::Accepted),
                org_member(&o, None, OrganizationUserStatus::Invited),
            ],
            &[],
            &[],
            &[],
        )
        .await
        .unwrap();
        let mut collections = Vec::new();
        for name in ["2.a|a|a", "2.b|b|b"] {
            let c = CollectionRow {
                id: CollectionId::new(),
                org_id: o.id,
                name: name.into(),
                external_id: None,
                creation_date: Timestamp(100),
                revision_date: Timestamp(100),
            };
            s.save_collection(&c, &Default::default(), &[])
                .await
                .unwrap();
            collections.push(c.id);
        }
        collections.sort();
        let item = |org: &OrgRow| CipherRow {
            id: CipherId::new(),
            user_id: None,
            org_id: Some(org.id),
            cipher_type: 1,
            data: r#"{"name":"2.a|b|c"}"#.into(),
            creation_date: Timestamp(200),
            revision_date: Timestamp(200),
            deleted_date: None,
            archived_date: None,
        };
        let in_both = item(&o);
        s.insert_org_cipher(&in_both, &collections, &[])
            .await
            .unwrap();
        let in_none = item(&o);
        s.insert_org_cipher(&in_none, &[], &[]).await.unwrap();

        let mut members = vec![owner, confirmed.id];
        members.sort();
        let a = s.cipher_push_audience(o.id, in_both.id).await.unwrap();
        assert_eq!(a.collections, collections);
        assert_eq!(a.recipients, members);
        let a = s.cipher_push_audience(o.id, in_none.id).await.unwrap();
        assert!(a.collections.is_empty());
        assert_eq!(a.recipients, members);
        // Named with another organization: its members, none of this item's collections.
        let a = s.cipher_push_audience(other.id, in_both.id).await.unwrap();
        assert!(a.collections.is_empty());
        assert_eq!(a.recipients.len(), 1);
        assert_ne!(a.recipients, members);
        // Gone: nothing of the item is left, its organization's members are told.
        let a = s.cipher_push_audience(o.id, CipherId::new()).await.unwrap();
        assert!(a.collections.is_empty());
        assert_eq!(a.recipients, members);
    })
    .await;
}
