//! Provider rows → JSON: Bitwarden's provider shapes where they exist
//! (shared/protocol/providers.md §4, §6), with Keyfleet's additions (docs/provider-api.md).

use crate::org_views;
use keyfleet_api::kinds::{
    OrganizationUserStatus, OrganizationUserType, ProviderScope, ProviderType,
};
use keyfleet_api::org_responses::{ProfileOrganizationResponse, ProviderEventResponse};
use keyfleet_api::provider_responses::{
    AdminProviderResponse, ProfileProviderResponse, ProviderClientResponse,
    ProviderClientUsageResponse, ProviderInviteResponse, ProviderMemberNameResponse,
    ProviderMemberResponse, ProviderResponse, ProviderRoleResponse,
};
use keyfleet_domain::ids::{OrgUserId, UserId};
use keyfleet_domain::orgs::Permissions;
use keyfleet_domain::providers::store::{
    ClientUsage, ProviderMemberDetails, ProviderMembership, ProviderRoleRow, ProviderRow,
};
use keyfleet_domain::providers::{
    event_name, ClientView, PermissionSet, ProviderInvite, ProviderRights,
};
use keyfleet_domain::store::{EventRow, OrgRow, OrgUserRow};
use keyfleet_domain::Timestamp;

fn opt<T: ToString>(v: Option<T>) -> Option<String> {
    v.map(|v| v.to_string())
}

/// `provider`.
pub fn provider(p: &ProviderRow) -> ProviderResponse {
    ProviderResponse {
        id: p.id.to_string(),
        name: p.name.clone(),
        business_name: p.business_name.clone(),
        business_address1: None,
        business_address2: None,
        business_address3: None,
        business_country: None,
        business_tax_number: None,
        billing_email: p.billing_email.clone(),
        creation_date: p.creation_date.to_iso(),
        status: p.status,
        enabled: p.enabled,
        provider_type: ProviderType::Msp,
        use_events: true,
        launch_requires_password: p.launch_requires_password,
        object: "provider".into(),
    }
}

/// The operator's view of a provider.
pub fn admin_provider(p: &ProviderRow, members: i64, clients: i64) -> AdminProviderResponse {
    AdminProviderResponse {
        id: p.id.to_string(),
        name: p.name.clone(),
        business_name: p.business_name.clone(),
        billing_email: p.billing_email.clone(),
        status: p.status,
        enabled: p.enabled,
        creation_date: p.creation_date.to_iso(),
        members,
        clients,
        object: "adminProvider".into(),
    }
}

/// An invitation as the inviter gets it back, link included (scripts onboarding a client need
/// it even when a mail went out; the inviter is entitled to it).
pub fn invite(i: &ProviderInvite) -> ProviderInviteResponse {
    ProviderInviteResponse {
        id: i.member.id.to_string(),
        email: i.member.email.clone(),
        mailed: i.mailed,
        token: i.token.clone(),
        invite_url: i.link.clone(),
    }
}

/// `providerUserUserDetails` with Keyfleet's role, suspension, two-step and assignments.
pub fn member(d: &ProviderMemberDetails) -> ProviderMemberResponse {
    let m = &d.member;
    ProviderMemberResponse {
        id: m.id.to_string(),
        user_id: opt(m.user_id),
        member_type: m.role.wire_type(),
        status: m.status,
        permissions: Permissions::default(),
        role: m.role,
        role_id: opt(m.role_id),
        suspended: m.suspended,
        name: d.name.clone(),
        email: d.email.clone(),
        role_name: d.role_name.clone(),
        two_factor_enabled: d.two_factor_enabled,
        assigned_clients: d.assigned.iter().map(ToString::to_string).collect(),
        object: "providerUserUserDetails".into(),
    }
}

/// A custom role.
pub fn provider_role(r: &ProviderRoleRow, members: i64) -> ProviderRoleResponse {
    ProviderRoleResponse {
        id: r.id.to_string(),
        name: r.name.clone(),
        permissions: PermissionSet::from_json(&r.permissions).permissions(),
        scope: if r.assigned_only {
            ProviderScope::Assigned
        } else {
            ProviderScope::All
        },
        members,
        creation_date: r.creation_date.to_iso(),
        revision_date: r.revision_date.to_iso(),
        object: "providerRole".into(),
    }
}

/// `providerOrganizationOrganizationDetail` with Keyfleet's client details; the wrapped key
/// only for members who may launch into the client.
pub fn client(v: &ClientView) -> ProviderClientResponse {
    let c = &v.client;
    ProviderClientResponse {
        id: c.link.id.to_string(),
        provider_id: c.link.provider_id.to_string(),
        organization_id: c.org.id.to_string(),
        key: v.launchable.then(|| c.link.key.clone()),
        settings: None,
        creation_date: c.link.creation_date.to_iso(),
        revision_date: c.link.revision_date.to_iso(),
        user_count: c.user_count,
        seats: c.org.seats,
        occupied_seats: c.seats_used,
        remaining_seats: i64::from(c.org.seats) - c.seats_used,
        plan: c.org.plan_type.name().into(),
        plan_type: c.org.plan_type,
        organization_name: c.org.name.clone(),
        enabled: c.org.enabled,
        website: c.link.website.clone(),
        region: c.link.region.clone(),
        notes: c.link.notes.clone(),
        assigned_members: c.assigned.iter().map(ToString::to_string).collect(),
        object: "providerOrganizationOrganizationDetail".into(),
    }
}

/// `providerUserName`.
pub fn member_name(m: &ProviderMemberDetails) -> ProviderMemberNameResponse {
    ProviderMemberNameResponse {
        id: m.member.id.to_string(),
        user_id: opt(m.member.user_id),
        name: m.name.clone(),
        email: m.email.clone(),
        object: "providerUserName".into(),
    }
}

/// `profileProvider` (sync).
pub fn profile_provider(m: &ProviderMembership) -> ProfileProviderResponse {
    let rights = ProviderRights::of(m.member.role, m.role.as_ref());
    ProfileProviderResponse {
        id: m.provider.id.to_string(),
        name: m.provider.name.clone(),
        key: m.member.key.clone(),
        status: m.member.status,
        member_type: m.member.role.wire_type(),
        enabled: m.provider.enabled,
        permissions: Permissions::default(),
        user_id: opt(m.member.user_id),
        use_events: true,
        provider_status: m.provider.status,
        provider_type: ProviderType::Msp,
        role: m.member.role,
        role_id: opt(m.member.role_id),
        role_permissions: rights.permissions.permissions(),
        role_scope: rights.scope,
        object: "profileProvider".into(),
    }
}

/// `profileProviderOrganization` (sync): the client org as an owner sees it, its key wrapped
/// with the provider key, not a membership.
pub fn profile_provider_organization(
    provider: &ProviderRow,
    org: &OrgRow,
    wrapped_key: &str,
    user_id: UserId,
) -> ProfileOrganizationResponse {
    let as_owner = OrgUserRow {
        id: OrgUserId::new(),
        org_id: org.id,
        user_id: Some(user_id),
        email: None,
        member_type: OrganizationUserType::Owner,
        status: OrganizationUserStatus::Confirmed,
        key: Some(wrapped_key.to_string()),
        permissions: Permissions::default().to_json(),
        external_id: None,
        invited_at: None,
        revocation_reason: None,
        reset_password_key: None,
        creation_date: org.creation_date,
        revision_date: org.revision_date,
    };
    ProfileOrganizationResponse {
        organization_user_id: None,
        provider_id: Some(provider.id.to_string()),
        provider_name: Some(provider.name.clone()),
        provider_type: Some(ProviderType::Msp),
        object: "profileProviderOrganization".into(),
        ..org_views::profile_organization(org, &as_owner)
    }
}

/// A provider event with the acting account's email.
pub fn event(e: &EventRow, acting_email: Option<&str>) -> ProviderEventResponse {
    ProviderEventResponse {
        event: org_views::event(e),
        acting_user_email: acting_email.map(str::to_string),
        event_name: event_name(e.event_type).into(),
    }
}

/// RFC 4180 field: quoted when it holds a comma, quote or line break; formula-looking cells are
/// prefixed so spreadsheets don't run them.
pub fn csv_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

fn csv_line(fields: &[String]) -> String {
    let mut line = fields
        .iter()
        .map(|f| csv_field(f))
        .collect::<Vec<_>>()
        .join(",");
    line.push_str("\r\n");
    line
}

/// The event log as CSV.
pub fn events_csv(events: &[(EventRow, Option<String>)]) -> String {
    let mut out = csv_line(
        &[
            "date",
            "type",
            "event",
            "actingUserId",
            "actingUserEmail",
            "providerUserId",
            "providerOrganizationId",
            "organizationId",
        ]
        .map(String::from),
    );
    let s = |v: Option<uuid::Uuid>| v.map(|u| u.to_string()).unwrap_or_default();
    for (e, email) in events {
        out.push_str(&csv_line(&[
            e.date.to_iso(),
            e.event_type.code().to_string(),
            event_name(e.event_type).to_string(),
            e.acting_user_id.map(|u| u.to_string()).unwrap_or_default(),
            email.clone().unwrap_or_default(),
            s(e.provider_user_id),
            s(e.provider_org_id),
            e.org_id.map(|o| o.to_string()).unwrap_or_default(),
        ]));
    }
    out
}

/// One client's usage.
pub fn usage(u: &ClientUsage) -> ProviderClientUsageResponse {
    ProviderClientUsageResponse {
        provider_organization_id: u.link.id.to_string(),
        organization_id: u.org.id.to_string(),
        name: u.org.name.clone(),
        plan: u.org.plan_type.name().into(),
        plan_type: u.org.plan_type,
        seats: u.org.seats,
        seats_used: u.confirmed + u.accepted + u.invited,
        members_confirmed: u.confirmed,
        members_accepted: u.accepted,
        members_invited: u.invited,
        members_revoked: u.revoked,
        items: u.items,
        members_with_two_step_login: u.two_factor_members,
        last_activity: u.last_activity.map(Timestamp::to_iso),
        object: "providerClientUsage".into(),
    }
}

/// The usage report as CSV, with a TOTAL row.
pub fn usage_csv(rows: &[ClientUsage]) -> String {
    let mut out = csv_line(
        &[
            "client",
            "organizationId",
            "plan",
            "seats",
            "seatsUsed",
            "confirmed",
            "accepted",
            "invited",
            "revoked",
            "items",
            "twoStepLogin",
            "lastActivity",
        ]
        .map(String::from),
    );
    let mut total = [0i64; 8];
    for u in rows {
        let n = [
            i64::from(u.org.seats),
            u.confirmed + u.accepted + u.invited,
            u.confirmed,
            u.accepted,
            u.invited,
            u.revoked,
            u.items,
            u.two_factor_members,
        ];
        for (t, v) in total.iter_mut().zip(n) {
            *t += v;
        }
        let mut fields = vec![
            u.org.name.clone(),
            u.org.id.to_string(),
            u.org.plan_type.name().to_string(),
        ];
        fields.extend(n.iter().map(ToString::to_string));
        fields.push(u.last_activity.map(Timestamp::to_iso).unwrap_or_default());
        out.push_str(&csv_line(&fields));
    }
    let mut fields = vec!["TOTAL".to_string(), String::new(), String::new()];
    fields.extend(total.iter().map(ToString::to_string));
    fields.push(String::new());
    out.push_str(&csv_line(&fields));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_and_defused() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=SUM(A1)"), "'=SUM(A1)");
    }
}

#[cfg(test)]
mod golden {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::org_views::golden::{check, id, org};
    use keyfleet_api::kinds::{EventType, ProviderRole, ProviderStatus, ProviderUserStatus};
    use keyfleet_domain::providers::store::{ProviderClient, ProviderOrgRow, ProviderUserRow};
    use keyfleet_domain::providers::Permission;

    fn provider_row() -> ProviderRow {
        ProviderRow {
            id: id(0x21),
            name: "Fleet MSP".into(),
            business_name: Some("Fleet MSP Ltd".into()),
            billing_email: Some("billing@fleet.example".into()),
            status: ProviderStatus::Created,
            enabled: true,
            creation_date: Timestamp(1_700_000_000_000),
            revision_date: Timestamp(1_700_000_100_000),
            launch_requires_password: true,
        }
    }

    fn member_row() -> ProviderUserRow {
        ProviderUserRow {
            id: id(0x22),
            provider_id: id(0x21),
            user_id: Some(id(0x23)),
            email: None,
            role: ProviderRole::Custom,
            role_id: Some(id(0x24)),
            status: ProviderUserStatus::Confirmed,
            suspended: false,
            key: Some("4.provider-key".into()),
            invited_at: None,
            creation_date: Timestamp(1_700_000_000_000),
            revision_date: Timestamp(1_700_000_100_000),
        }
    }

    fn role_row() -> ProviderRoleRow {
        ProviderRoleRow {
            id: id(0x24),
            provider_id: id(0x21),
            name: "Linkers".into(),
            permissions: PermissionSet::of(&[Permission::ViewClients, Permission::AddOrLinkClient])
                .to_json(),
            assigned_only: true,
            creation_date: Timestamp(1_700_000_000_000),
            revision_date: Timestamp(1_700_000_100_000),
        }
    }

    fn link() -> ProviderOrgRow {
        ProviderOrgRow {
            id: id(0x25),
            provider_id: id(0x21),
            org_id: id(1),
            key: "2.wrapped-org-key|iv|mac".into(),
            website: Some("https://acme.example".into()),
            region: Some("EU".into()),
            notes: Some("Onboarded in March".into()),
            creation_date: Timestamp(1_700_000_000_000),
            revision_date: Timestamp(1_700_000_100_000),
        }
    }

    #[test]
    fn provider_views_keep_their_wire_shape() {
        check("provider", &provider(&provider_row()));
        check("admin_provider", &admin_provider(&provider_row(), 4, 7));
        check(
            "provider_invite",
            &invite(&ProviderInvite {
                member: member_row(),
                token: "tok".into(),
                link: "https://kf.example/#/providers/accept?token=tok".into(),
                mailed: true,
            }),
        );
        check(
            "provider_member",
            &member(&ProviderMemberDetails {
                member: member_row(),
                name: Some("Tech".into()),
                email: "tech@fleet.example".into(),
                two_factor_enabled: true,
                role_name: Some("Linkers".into()),
                assigned: vec![id(0x25)],
            }),
        );
        check("provider_role", &provider_role(&role_row(), 3));
        let client_row = ProviderClient {
            link: link(),
            org: org(),
            seats_used: 5,
            user_count: 4,
            assigned: vec![id(0x22)],
        };
        check(
            "provider_client",
            &client(&ClientView {
                client: client_row.clone(),
                launchable: true,
            }),
        );
        check(
            "provider_client_not_launchable",
            &client(&ClientView {
                client: client_row,
                launchable: false,
            }),
        );
        check(
            "profile_provider",
            &profile_provider(&ProviderMembership {
                provider: provider_row(),
                member: member_row(),
                role: Some(role_row()),
            }),
        );
        check(
            "profile_provider_organization",
            &profile_provider_organization(&provider_row(), &org(), "2.k|k|k", id(0x23)),
        );
        let e = EventRow {
            id: id(7),
            provider_id: Some(id(0x21)),
            provider_user_id: Some(id(0x22)),
            acting_user_id: Some(id(0x23)),
            ..EventRow::new(EventType::ProviderUserInvited, Timestamp(1_700_000_200_000))
        };
        check("provider_event", &event(&e, Some("owner@fleet.example")));
        check(
            "provider_usage",
            &usage(&ClientUsage {
                link: link(),
                org: org(),
                confirmed: 3,
                accepted: 1,
                invited: 2,
                revoked: 1,
                items: 120,
                two_factor_members: 3,
                last_activity: Some(Timestamp(1_700_000_300_000)),
            }),
        );
    }

    /// The console takes a member's rights from `rolePermissions`/`roleScope` alone, so every
    /// role's are spelt out there: owners and admins the whole catalog, technicians theirs.
    #[test]
    fn each_built_in_role_sends_its_complete_rights() {
        let everything: Vec<Permission> = Permission::ALL.to_vec();
        for (role, permissions, scope) in [
            (ProviderRole::Owner, everything.clone(), "all"),
            (ProviderRole::Admin, everything, "all"),
            (
                ProviderRole::Technician,
                vec![Permission::ViewClients, Permission::LaunchIntoClient],
                "assigned",
            ),
        ] {
            let p = profile_provider(&ProviderMembership {
                provider: provider_row(),
                member: ProviderUserRow {
                    role,
                    role_id: None,
                    ..member_row()
                },
                role: None,
            });
            assert_eq!(p.role_permissions, permissions, "{role:?}");
            assert_eq!(p.role_scope.name(), scope, "{role:?}");
        }
    }
}
