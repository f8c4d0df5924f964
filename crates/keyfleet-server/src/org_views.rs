//! Organization rows → the JSON the Bitwarden clients read (field names and `object` values as
//! the official server sends them; see shared/protocol/core-api.md §6, §9–§13).

use keyfleet_domain::orgs::{plan, Permissions};
use keyfleet_domain::store::{
    AccessSelection, CollectionAccess, CollectionRow, EventRow, GroupRow, OrgMemberDetails, OrgRow,
    OrgUserRow, PolicyRow, UserCollection,
};
use serde_json::{json, Value};

fn opt<T: ToString>(v: Option<T>) -> Value {
    v.map_or(Value::Null, |v| Value::String(v.to_string()))
}

/// `{id, readOnly, hidePasswords, manage}`.
pub fn selection(s: &AccessSelection) -> Value {
    json!({
        "id": s.id.to_string(),
        "readOnly": s.read_only,
        "hidePasswords": s.hide_passwords,
        "manage": s.manage,
    })
}

/// Feature flags every Keyfleet organization has (self-hosted: nothing is sold separately).
fn features(org: &OrgRow) -> serde_json::Map<String, Value> {
    let paid = plan::product_tier(org.plan_type) >= 2;
    let mut m = serde_json::Map::new();
    for (k, v) in [
        ("usePolicies", paid),
        ("useGroups", paid),
        ("useDirectory", false),
        ("useEvents", paid),
        ("useTotp", true),
        ("use2fa", true),
        ("useApi", true),
        ("useSso", false),
        ("useOrganizationDomains", false),
        ("useKeyConnector", false),
        ("useScim", false),
        ("useCustomPermissions", paid),
        ("useResetPassword", false),
        ("useSecretsManager", false),
        ("usePasswordManager", true),
        ("usePam", false),
        ("useActivateAutofillPolicy", false),
        ("useAutomaticUserConfirmation", false),
        ("useRiskInsights", false),
        ("useAdminSponsoredFamilies", false),
        ("useDisableSMAdsForUsers", true),
        ("usePhishingBlocker", false),
        ("useMyItems", false),
        ("useInviteLinks", false),
        ("selfHost", true),
        ("usersGetPremium", true),
    ] {
        m.insert(k.into(), Value::Bool(v));
    }
    m
}

/// `Organization` (`GET/PUT /api/organizations/{id}`).
pub fn organization(org: &OrgRow) -> Value {
    let mut m = features(org);
    let fields = json!({
        "id": org.id.to_string(),
        "identifier": null,
        "name": org.name,
        "businessName": org.business_name,
        "billingEmail": org.billing_email,
        "plan": plan::name(org.plan_type),
        "planType": org.plan_type,
        "productTierType": plan::product_tier(org.plan_type),
        "seats": org.seats,
        "maxAutoscaleSeats": null,
        "maxCollections": org.max_collections,
        "maxStorageGb": 1,
        "hasPublicAndPrivateKeys": org.public_key.is_some() && org.private_key.is_some(),
        "limitCollectionCreation": false,
        "limitCollectionDeletion": false,
        "limitItemDeletion": false,
        "allowAdminAccessToAllCollectionItems": true,
        "enabled": org.enabled,
        "object": "organization",
    });
    if let Value::Object(f) = fields {
        m.extend(f);
    }
    Value::Object(m)
}

/// `ProfileOrganization`: one confirmed membership as sync and `GET /api/organizations` show it.
pub fn profile_organization(org: &OrgRow, member: &OrgUserRow) -> Value {
    let mut m = features(org);
    let permissions = Permissions::parse(&member.permissions);
    let fields = json!({
        "id": org.id.to_string(),
        "identifier": null,
        "name": org.name,
        "status": member.status,
        "type": member.member_type,
        "enabled": org.enabled,
        "key": member.key,
        "permissions": permissions,
        "userId": opt(member.user_id),
        "organizationUserId": member.id.to_string(),
        "seats": org.seats,
        "maxCollections": org.max_collections,
        "maxStorageGb": 1,
        "hasPublicAndPrivateKeys": org.public_key.is_some() && org.private_key.is_some(),
        "ssoBound": false,
        "resetPasswordEnrolled": false,
        "productTierType": plan::product_tier(org.plan_type),
        "accessSecretsManager": false,
        "limitCollectionCreation": false,
        "limitCollectionDeletion": false,
        "limitItemDeletion": false,
        "allowAdminAccessToAllCollectionItems": true,
        "userIsManagedByOrganization": false,
        "userIsClaimedByOrganization": false,
        "keyConnectorEnabled": false,
        "keyConnectorUrl": null,
        "ssoEnabled": false,
        "ssoMemberDecryptionType": null,
        "providerId": null,
        "providerName": null,
        "providerType": null,
        "familySponsorshipFriendlyName": null,
        "familySponsorshipAvailable": false,
        "familySponsorshipLastSyncDate": null,
        "familySponsorshipValidUntil": null,
        "familySponsorshipToDelete": null,
        "isAdminInitiated": false,
        "object": "profileOrganization",
    });
    if let Value::Object(f) = fields {
        m.extend(f);
    }
    Value::Object(m)
}

/// `organizationUserUserDetails` (the member list) or `organizationUserDetails` (one member).
pub fn member(d: &OrgMemberDetails, object: &str) -> Value {
    let m = &d.member;
    json!({
        "id": m.id.to_string(),
        "userId": opt(m.user_id),
        "type": m.member_type,
        "status": m.status,
        "name": d.name,
        "email": d.email,
        "avatarColor": null,
        "twoFactorEnabled": d.two_factor_enabled,
        "ssoBound": false,
        "usesKeyConnector": false,
        "hasMasterPassword": m.user_id.is_some(),
        "resetPasswordEnrolled": false,
        "accessSecretsManager": false,
        "accessAll": m.member_type <= 1,
        "permissions": Permissions::parse(&m.permissions),
        "externalId": m.external_id,
        "collections": d.collections.iter().map(selection).collect::<Vec<_>>(),
        "groups": d.groups.iter().map(ToString::to_string).collect::<Vec<_>>(),
        "managedByOrganization": false,
        "claimedByOrganization": false,
        "revocationReason": m.revocation_reason,
        "creationDate": m.creation_date.to_iso(),
        "object": object,
    })
}

/// `{id, userId, type, status, name, email}` (`/users/mini-details`).
pub fn member_mini(d: &OrgMemberDetails) -> Value {
    json!({
        "id": d.member.id.to_string(),
        "userId": opt(d.member.user_id),
        "type": d.member.member_type,
        "status": d.member.status,
        "name": d.name,
        "email": d.email,
        "object": "organizationUserUserMiniDetails",
    })
}

/// `Collection`.
pub fn collection(c: &CollectionRow) -> Value {
    json!({
        "id": c.id.to_string(),
        "organizationId": c.org_id.to_string(),
        "name": c.name,
        "externalId": c.external_id,
        "type": 0,
        "defaultUserCollectionEmail": null,
        "object": "collection",
    })
}

/// `CollectionDetails` (sync, `GET /api/collections`): with the user's access.
pub fn collection_details(c: &UserCollection) -> Value {
    let mut v = collection(&c.collection);
    v["readOnly"] = json!(c.access.read_only);
    v["hidePasswords"] = json!(c.access.hide_passwords);
    v["manage"] = json!(c.access.manage);
    v["object"] = json!("collectionDetails");
    v
}

/// `CollectionAccessDetails` (admin console): access lists and the caller's own access.
pub fn collection_access_details(
    c: &CollectionRow,
    access: &CollectionAccess,
    mine: Option<&AccessSelection>,
) -> Value {
    let mut v = collection(c);
    v["assigned"] = json!(mine.is_some());
    v["readOnly"] = json!(mine.is_some_and(|m| m.read_only));
    v["hidePasswords"] = json!(mine.is_some_and(|m| m.hide_passwords));
    v["manage"] = json!(mine.is_some_and(|m| m.manage));
    v["unmanaged"] =
        json!(!access.users.iter().any(|u| u.manage) && !access.groups.iter().any(|g| g.manage));
    v["users"] = json!(access.users.iter().map(selection).collect::<Vec<_>>());
    v["groups"] = json!(access.groups.iter().map(selection).collect::<Vec<_>>());
    v["object"] = json!("collectionAccessDetails");
    v
}

/// `Group`.
pub fn group(g: &GroupRow) -> Value {
    json!({
        "id": g.id.to_string(),
        "organizationId": g.org_id.to_string(),
        "name": g.name,
        "externalId": g.external_id,
        "object": "group",
    })
}

/// `GroupDetails`: with collection access (and members, a Keyfleet convenience).
pub fn group_details(g: &GroupRow, collections: &[AccessSelection], users: &[String]) -> Value {
    let mut v = group(g);
    v["collections"] = json!(collections.iter().map(selection).collect::<Vec<_>>());
    v["users"] = json!(users);
    v["object"] = json!("groupDetails");
    v
}

/// `Policy`.
pub fn policy(p: &PolicyRow) -> Value {
    json!({
        "id": p.id.to_string(),
        "organizationId": p.org_id.to_string(),
        "type": p.policy_type,
        "data": p.data.as_deref().and_then(|d| serde_json::from_str::<Value>(d).ok()),
        "enabled": p.enabled,
        "object": "policy",
    })
}

/// `Event`.
pub fn event(e: &EventRow) -> Value {
    json!({
        "type": e.event_type,
        "userId": opt(e.user_id),
        "organizationId": opt(e.org_id),
        "providerId": opt(e.provider_id),
        "cipherId": opt(e.cipher_id),
        "collectionId": opt(e.collection_id),
        "groupId": opt(e.group_id),
        "policyId": opt(e.policy_id),
        "organizationUserId": opt(e.org_user_id),
        "providerUserId": opt(e.provider_user_id),
        "providerOrganizationId": opt(e.provider_org_id),
        "actingUserId": opt(e.acting_user_id),
        "installationId": null,
        "date": e.date.to_iso(),
        "deviceType": e.device_type,
        "ipAddress": e.ip_address,
        "systemUser": null,
        "domainName": null,
        "secretId": null,
        "projectId": null,
        "serviceAccountId": null,
        "grantedServiceAccountId": null,
        "sendId": null,
        "object": "event",
    })
}

/// A `{object:"list"}` envelope.
pub fn list(data: Vec<Value>, continuation_token: Option<String>) -> Value {
    json!({ "object": "list", "data": data, "continuationToken": continuation_token })
}

/// Golden tests: each org view for fixed rows, compared field for field (key order aside) with
/// `tests/fixtures/views/*.json`, so a drift of the wire shape is a failing test.
/// `KEYFLEET_BLESS=1` rewrites the fixtures (then review the diff).
#[cfg(test)]
pub(crate) mod golden {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use keyfleet_domain::Timestamp;

    /// Compares `actual` with fixture `name`, or writes it under `KEYFLEET_BLESS=1`.
    pub(crate) fn check(name: &str, actual: &Value) {
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

    fn id<T: std::str::FromStr>(n: u8) -> T
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
            plan_type: plan::TEAMS_ANNUALLY,
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
            member_type: 4,
            status: 2,
            key: Some("4.wrapped".into()),
            permissions: r#"{"manageUsers":true,"accessEventLogs":true}"#.into(),
            external_id: Some("ext-1".into()),
            invited_at: None,
            revocation_reason: None,
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
            policy_type: 1,
            enabled: true,
            data: Some(r#"{"minLength":14,"requireUpper":true}"#.into()),
            revision_date: Timestamp(1_700_000_000_000),
        };
        check("policy", &policy(&policy_row));
        let event_row = EventRow {
            id: id(7),
            event_type: 1500,
            date: Timestamp(1_700_000_200_000),
            org_id: Some(id(1)),
            user_id: Some(id(3)),
            acting_user_id: Some(id(8)),
            org_user_id: Some(id(2)),
            provider_id: Some(id(9)),
            device_type: Some(14),
            ip_address: Some("198.51.100.7".into()),
            ..Default::default()
        };
        check("event", &event(&event_row));
        check(
            "list",
            &list(vec![group(&group_row())], Some("token".into())),
        );
    }
}
