//! Organization rows → the typed answers of `keyfleet_api::org_responses` (field names and
//! `object` values as the official server sends them; see shared/protocol/core-api.md §6,
//! §9–§13).

use keyfleet_api::kinds::ProductTierType;
use keyfleet_api::org_responses::{
    CollectionAccessDetailsResponse, CollectionDetailsResponse, CollectionFields, CollectionLimits,
    CollectionResponse, EventResponse, GroupDetailsResponse, GroupFields, GroupResponse,
    OrganizationFeatures, OrganizationResponse, OrganizationUserDetailsResponse,
    OrganizationUserMiniDetailsResponse, PolicyResponse, ProfileOrganizationResponse,
    SelectionResponse,
};
use keyfleet_api::ListResponse;
use keyfleet_domain::orgs::Permissions;
use keyfleet_domain::store::{
    AccessSelection, CollectionAccess, CollectionRow, EventRow, GroupRow, OrgMemberDetails, OrgRow,
    OrgUserRow, PolicyRow, UserCollection,
};
#[cfg(test)]
use serde_json::Value;

fn opt<T: ToString>(v: Option<T>) -> Option<String> {
    v.map(|v| v.to_string())
}

/// `{id, readOnly, hidePasswords, manage}`.
pub fn selection(s: &AccessSelection) -> SelectionResponse {
    SelectionResponse {
        id: s.id.to_string(),
        read_only: s.read_only,
        hide_passwords: s.hide_passwords,
        manage: s.manage,
    }
}

fn features(org: &OrgRow) -> OrganizationFeatures {
    OrganizationFeatures::keyfleet(org.plan_type.product_tier() != ProductTierType::Free)
}

fn has_keys(org: &OrgRow) -> bool {
    org.public_key.is_some() && org.private_key.is_some()
}

/// `Organization` (`GET/PUT /api/organizations/{id}`).
pub fn organization(org: &OrgRow) -> OrganizationResponse {
    OrganizationResponse {
        id: org.id.to_string(),
        identifier: None,
        name: org.name.clone(),
        business_name: org.business_name.clone(),
        billing_email: org.billing_email.clone(),
        plan: org.plan_type.name().into(),
        plan_type: org.plan_type,
        product_tier_type: org.plan_type.product_tier(),
        seats: org.seats,
        max_autoscale_seats: None,
        max_collections: org.max_collections,
        max_storage_gb: 1,
        has_public_and_private_keys: has_keys(org),
        limits: CollectionLimits::default(),
        enabled: org.enabled,
        features: features(org),
        object: "organization".into(),
    }
}

/// `organizationUserResetPasswordDetails`: the salt is the member's email (Keyfleet salts with
/// the normalised email, as the official clients do without a stored salt).
pub fn recovery_details(
    d: &keyfleet_domain::orgs::RecoveryDetails,
) -> keyfleet_api::org_responses::OrganizationUserResetPasswordDetailsResponse {
    keyfleet_api::org_responses::OrganizationUserResetPasswordDetailsResponse {
        organization_user_id: d.member.id.to_string(),
        kdf: d.user.kdf.kdf_type,
        kdf_iterations: d.user.kdf.iterations,
        kdf_memory: d.user.kdf.memory,
        kdf_parallelism: d.user.kdf.parallelism,
        master_password_salt: d.user.email.clone(),
        reset_password_key: d.member.reset_password_key.clone().unwrap_or_default(),
        encrypted_private_key: d.org_private_key.clone(),
        object: "organizationUserResetPasswordDetails".into(),
    }
}

/// `ProfileOrganization`: one confirmed membership as sync and `GET /api/organizations` show it.
pub fn profile_organization(org: &OrgRow, member: &OrgUserRow) -> ProfileOrganizationResponse {
    ProfileOrganizationResponse {
        id: org.id.to_string(),
        identifier: None,
        name: org.name.clone(),
        status: member.status,
        member_type: member.member_type,
        enabled: org.enabled,
        key: member.key.clone(),
        permissions: Permissions::parse(&member.permissions),
        user_id: opt(member.user_id),
        organization_user_id: Some(member.id.to_string()),
        seats: org.seats,
        max_collections: org.max_collections,
        max_storage_gb: 1,
        has_public_and_private_keys: has_keys(org),
        sso_bound: false,
        reset_password_enrolled: member.reset_password_key.is_some(),
        product_tier_type: org.plan_type.product_tier(),
        access_secrets_manager: false,
        limits: CollectionLimits::default(),
        user_is_managed_by_organization: false,
        user_is_claimed_by_organization: false,
        key_connector_enabled: false,
        key_connector_url: None,
        sso_enabled: false,
        sso_member_decryption_type: None,
        provider_id: None,
        provider_name: None,
        provider_type: None,
        family_sponsorship_friendly_name: None,
        family_sponsorship_available: false,
        family_sponsorship_last_sync_date: None,
        family_sponsorship_valid_until: None,
        family_sponsorship_to_delete: None,
        is_admin_initiated: false,
        features: features(org),
        object: "profileOrganization".into(),
    }
}

/// `organizationUserUserDetails` (the member list) or `organizationUserDetails` (one member).
pub fn member(d: &OrgMemberDetails, object: &str) -> OrganizationUserDetailsResponse {
    let m = &d.member;
    OrganizationUserDetailsResponse {
        id: m.id.to_string(),
        user_id: opt(m.user_id),
        member_type: m.member_type,
        status: m.status,
        name: d.name.clone(),
        email: d.email.clone(),
        avatar_color: None,
        two_factor_enabled: d.two_factor_enabled,
        sso_bound: false,
        uses_key_connector: false,
        has_master_password: m.user_id.is_some(),
        reset_password_enrolled: m.reset_password_key.is_some(),
        access_secrets_manager: false,
        access_all: m.member_type.is_admin(),
        permissions: Permissions::parse(&m.permissions),
        external_id: m.external_id.clone(),
        collections: d.collections.iter().map(selection).collect(),
        groups: d.groups.iter().map(ToString::to_string).collect(),
        managed_by_organization: false,
        claimed_by_organization: false,
        revocation_reason: m.revocation_reason,
        creation_date: m.creation_date.to_iso(),
        object: object.into(),
    }
}

/// `{id, userId, type, status, name, email}` (`/users/mini-details`).
pub fn member_mini(d: &OrgMemberDetails) -> OrganizationUserMiniDetailsResponse {
    OrganizationUserMiniDetailsResponse {
        id: d.member.id.to_string(),
        user_id: opt(d.member.user_id),
        member_type: d.member.member_type,
        status: d.member.status,
        name: d.name.clone(),
        email: d.email.clone(),
        object: "organizationUserUserMiniDetails".into(),
    }
}

fn collection_fields(c: &CollectionRow) -> CollectionFields {
    CollectionFields {
        id: c.id.to_string(),
        organization_id: c.org_id.to_string(),
        name: c.name.clone(),
        external_id: c.external_id.clone(),
        collection_type: 0,
        default_user_collection_email: None,
    }
}

/// `Collection`.
pub fn collection(c: &CollectionRow) -> CollectionResponse {
    CollectionResponse {
        collection: collection_fields(c),
        object: "collection".into(),
    }
}

/// `CollectionDetails` (sync, `GET /api/collections`): with the user's access.
pub fn collection_details(c: &UserCollection) -> CollectionDetailsResponse {
    CollectionDetailsResponse {
        collection: collection_fields(&c.collection),
        read_only: c.access.read_only,
        hide_passwords: c.access.hide_passwords,
        manage: c.access.manage,
        object: "collectionDetails".into(),
    }
}

/// `CollectionAccessDetails` (admin console): access lists and the caller's own access.
pub fn collection_access_details(
    c: &CollectionRow,
    access: &CollectionAccess,
    mine: Option<&AccessSelection>,
) -> CollectionAccessDetailsResponse {
    CollectionAccessDetailsResponse {
        collection: collection_fields(c),
        assigned: mine.is_some(),
        read_only: mine.is_some_and(|m| m.read_only),
        hide_passwords: mine.is_some_and(|m| m.hide_passwords),
        manage: mine.is_some_and(|m| m.manage),
        unmanaged: !access.users.iter().any(|u| u.manage)
            && !access.groups.iter().any(|g| g.manage),
        users: access.users.iter().map(selection).collect(),
        groups: access.groups.iter().map(selection).collect(),
        object: "collectionAccessDetails".into(),
    }
}

fn group_fields(g: &GroupRow) -> GroupFields {
    GroupFields {
        id: g.id.to_string(),
        organization_id: g.org_id.to_string(),
        name: g.name.clone(),
        external_id: g.external_id.clone(),
    }
}

/// `Group`.
pub fn group(g: &GroupRow) -> GroupResponse {
    GroupResponse {
        group: group_fields(g),
        object: "group".into(),
    }
}

/// `GroupDetails`: with collection access (and members, a Keyfleet convenience).
pub fn group_details(
    g: &GroupRow,
    collections: &[AccessSelection],
    users: &[String],
) -> GroupDetailsResponse {
    GroupDetailsResponse {
        group: group_fields(g),
        collections: collections.iter().map(selection).collect(),
        users: users.to_vec(),
        object: "groupDetails".into(),
    }
}

/// `Policy`.
pub fn policy(p: &PolicyRow) -> PolicyResponse {
    PolicyResponse {
        id: p.id.to_string(),
        organization_id: p.org_id.to_string(),
        policy_type: p.policy_type,
        data: p.data.as_deref().and_then(|d| serde_json::from_str(d).ok()),
        enabled: p.enabled,
        revision_date: Some(p.revision_date.to_iso()),
        object: "policy".into(),
    }
}

/// `Event`.
pub fn event(e: &EventRow) -> EventResponse {
    EventResponse {
        event_type: e.event_type,
        user_id: opt(e.user_id),
        organization_id: opt(e.org_id),
        provider_id: opt(e.provider_id),
        cipher_id: opt(e.cipher_id),
        collection_id: opt(e.collection_id),
        group_id: opt(e.group_id),
        policy_id: opt(e.policy_id),
        organization_user_id: opt(e.org_user_id),
        provider_user_id: opt(e.provider_user_id),
        provider_organization_id: opt(e.provider_org_id),
        acting_user_id: opt(e.acting_user_id),
        installation_id: None,
        date: e.date.to_iso(),
        device_type: e.device_type,
        ip_address: e.ip_address.clone(),
        system_user: None,
        domain_name: None,
        secret_id: None,
        project_id: None,
        service_account_id: None,
        granted_service_account_id: None,
        send_id: None,
        object: "event".into(),
    }
}

/// A `{object:"list"}` envelope.
pub fn list<T>(data: Vec<T>, continuation_token: Option<String>) -> ListResponse<T> {
    ListResponse {
        object: "list".into(),
        data,
        continuation_token,
    }
}

/// Golden tests: each org view for fixed rows, compared field for field (key order aside) with
/// `tests/fixtures/views/*.json`, so a drift of the wire shape is a failing test.
/// `KEYFLEET_BLESS=1` rewrites the fixtures (then review the diff).
#[cfg(test)]
pub(crate) mod golden {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use keyfleet_api::kinds::{
        EventType, OrganizationUserStatus, OrganizationUserType, PlanType, PolicyType,
    };
    use keyfleet_domain::Timestamp;

    /// Compares `actual` with fixture `name`, or writes it under `KEYFLEET_BLESS=1`.
    pub(crate) fn check(name: &str, actual: &impl serde::Serialize) {
        let actual = &serde_json::to_value(actual).unwrap();
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/views")
            .join(format!("{name}.json"));
        if std::env::var_os("KEYFLEET_BLESS").is_some() {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            let text = serde_json::to_string_pretty(actual).unwrap();
            std::fs::write(&path, text + "\n").unwrap();
            return;
        }
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e} (KEYFLEET_BLESS=1 writes it)", path.display()));
        let expected: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            actual,
            &expected,
            "{name}: the view drifted from {}",
            path.display()
        );
    }

    pub(crate) fn id<T: std::str::FromStr>(n: u8) -> T
    where
        T::Err: std::fmt::Debug,
    {
        format!("00000000-0000-4000-8000-0000000000{n:02x}")
            .parse()
            .unwrap()
    }

    pub(crate) fn org() -> OrgRow {
        OrgRow {
            id: id(1),
            name: "Acme Co".into(),
            business_name: Some("Acme Inc.".into()),
            billing_email: "billing@acme.example".into(),
            plan_type: PlanType::TeamsAnnually,
            seats: 25,
            max_collections: None,
            public_key: Some("pk".into()),
            private_key: Some("2.a|b|c".into()),
            api_key_digest: String::new(),
            enabled: true,
            creation_date: Timestamp(1_700_000_000_000),
            revision_date: Timestamp(1_700_000_100_000),
        }
    }

    fn sel(n: u8, read_only: bool, hide_passwords: bool, manage: bool) -> AccessSelection {
        AccessSelection {
            id: id(n),
            read_only,
            hide_passwords,
            manage,
        }
    }

    pub(crate) fn member_row() -> OrgUserRow {
        OrgUserRow {
            id: id(2),
            org_id: id(1),
            user_id: Some(id(3)),
            email: None,
            member_type: OrganizationUserType::Custom,
            status: OrganizationUserStatus::Confirmed,
            key: Some("4.wrapped".into()),
            permissions: r#"{"manageUsers":true,"accessEventLogs":true}"#.into(),
            external_id: Some("ext-1".into()),
            invited_at: None,
            revocation_reason: None,
            reset_password_key: None,
            creation_date: Timestamp(1_700_000_000_000),
            revision_date: Timestamp(1_700_000_100_000),
        }
    }

    fn details() -> OrgMemberDetails {
        OrgMemberDetails {
            member: member_row(),
            name: Some("Casey".into()),
            email: "casey@acme.example".into(),
            two_factor_enabled: true,
            collections: vec![sel(4, true, false, false)],
            groups: vec![id(5)],
        }
    }

    fn collection_row() -> CollectionRow {
        CollectionRow {
            id: id(4),
            org_id: id(1),
            name: "2.name|iv|mac".into(),
            external_id: None,
            creation_date: Timestamp(1_700_000_000_000),
            revision_date: Timestamp(1_700_000_000_000),
        }
    }

    fn group_row() -> GroupRow {
        GroupRow {
            id: id(5),
            org_id: id(1),
            name: "Helpdesk".into(),
            external_id: Some("g-ext".into()),
            creation_date: Timestamp(1_700_000_000_000),
            revision_date: Timestamp(1_700_000_000_000),
        }
    }

    #[test]
    fn org_views_keep_their_wire_shape() {
        check("organization", &organization(&org()));
        check(
            "profile_organization",
            &profile_organization(&org(), &member_row()),
        );
        check(
            "member_details",
            &member(&details(), "organizationUserDetails"),
        );
        check("member_mini", &member_mini(&details()));
        check("collection", &collection(&collection_row()));
        check(
            "collection_details",
            &collection_details(&UserCollection {
                collection: collection_row(),
                access: sel(4, false, true, true),
            }),
        );
        let access = CollectionAccess {
            users: vec![sel(2, false, false, true)],
            groups: vec![sel(5, true, true, false)],
        };
        check(
            "collection_access_details",
            &collection_access_details(
                &collection_row(),
                &access,
                Some(&sel(4, false, false, true)),
            ),
        );
        check("group", &group(&group_row()));
        check(
            "group_details",
            &group_details(
                &group_row(),
                &[sel(4, true, false, false)],
                &[id::<keyfleet_domain::ids::OrgUserId>(2).to_string()],
            ),
        );
        let policy_row = PolicyRow {
            id: id(6),
            org_id: id(1),
            policy_type: PolicyType::MasterPassword,
            enabled: true,
            data: Some(r#"{"minLength":14,"requireUpper":true}"#.into()),
            revision_date: Timestamp(1_700_000_000_000),
        };
        check("policy", &policy(&policy_row));
        let event_row = EventRow {
            id: id(7),
            org_id: Some(id(1)),
            user_id: Some(id(3)),
            acting_user_id: Some(id(8)),
            org_user_id: Some(id(2)),
            provider_id: Some(id(9)),
            device_type: Some(14),
            ip_address: Some("198.51.100.7".into()),
            ..EventRow::new(
                EventType::OrganizationUserInvited,
                Timestamp(1_700_000_200_000),
            )
        };
        check("event", &event(&event_row));
        check(
            "list",
            &list(vec![group(&group_row())], Some("token".into())),
        );
    }

    /// Each object as the reference server answered the stock bw CLI 2026.9, recorded in
    /// shared/protocol/traces and kept in `tests/fixtures/protocol/` (member_details: trace 17,
    /// `GET …/users`; profile_organization and collection_details: trace 04, the sync's
    /// `profile.organizations[0]` and `collections[0]`; collection: trace 14, `GET …/collections`):
    /// our golden fixture for the same view carries every key it has, so a key the clients read
    /// cannot go missing unnoticed.
    #[test]
    fn org_views_carry_every_key_the_reference_server_sends() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let read = |path: std::path::PathBuf| -> serde_json::Map<String, Value> {
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            match serde_json::from_str(&text).unwrap() {
                Value::Object(m) => m,
                other => panic!("{}: not an object: {other}", path.display()),
            }
        };
        for name in [
            "member_details",
            "profile_organization",
            "collection_details",
            "collection",
        ] {
            let reference = read(dir.join("protocol").join(format!("{name}.json")));
            let ours = read(dir.join("views").join(format!("{name}.json")));
            let missing: Vec<&String> = reference
                .keys()
                .filter(|k| !ours.contains_key(*k))
                .collect();
            assert!(missing.is_empty(), "{name} lacks {missing:?}");
        }
    }
}
