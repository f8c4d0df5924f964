//! Organization rows as the drivers decode them, and their conversion into the domain's rows.

use crate::records::{code, id, opt_id};
use keyfleet_domain::store::{CollectionRow, EventRow, GroupRow, OrgRow, OrgUserRow, PolicyRow};
use keyfleet_domain::{StoreError, Timestamp};

#[derive(sqlx::FromRow)]
pub(crate) struct OrgRecord {
    id: String,
    name: String,
    business_name: Option<String>,
    billing_email: String,
    plan_type: i32,
    seats: i32,
    max_collections: Option<i32>,
    public_key: Option<String>,
    private_key: Option<String>,
    api_key: String,
    enabled: bool,
    creation_date: i64,
    revision_date: i64,
}

pub(crate) const ORG_COLUMNS: &str =
    "o.id, o.name, o.business_name, o.billing_email, o.plan_type, \
    o.seats, o.max_collections, o.public_key, o.private_key, o.api_key, o.enabled, \
    o.creation_date, o.revision_date";

impl TryFrom<OrgRecord> for OrgRow {
    type Error = StoreError;
    fn try_from(r: OrgRecord) -> Result<Self, StoreError> {
        Ok(OrgRow {
            id: id(&r.id)?,
            name: r.name,
            business_name: r.business_name,
            billing_email: r.billing_email,
            plan_type: code(r.plan_type)?,
            seats: r.seats,
            max_collections: r.max_collections,
            public_key: r.public_key,
            private_key: r.private_key,
            api_key_digest: r.api_key,
            enabled: r.enabled,
            creation_date: Timestamp(r.creation_date),
            revision_date: Timestamp(r.revision_date),
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct OrgUserRecord {
    ou_id: String,
    ou_org_id: String,
    ou_user_id: Option<String>,
    ou_email: Option<String>,
    ou_member_type: i32,
    ou_status: i32,
    ou_org_key: Option<String>,
    ou_permissions: String,
    ou_external_id: Option<String>,
    ou_invited_at: Option<i64>,
    ou_revocation_reason: Option<i32>,
    ou_reset_password_key: Option<String>,
    ou_creation_date: i64,
    ou_revision_date: i64,
}

/// Member columns, prefixed so they can sit beside organization columns in one row.
pub(crate) const ORG_USER_COLUMNS: &str = "ou.id AS ou_id, ou.org_id AS ou_org_id, \
    ou.user_id AS ou_user_id, ou.email AS ou_email, ou.member_type AS ou_member_type, \
    ou.status AS ou_status, ou.org_key AS ou_org_key, ou.permissions AS ou_permissions, \
    ou.external_id AS ou_external_id, ou.invited_at AS ou_invited_at, \
    ou.revocation_reason AS ou_revocation_reason, \
    ou.reset_password_key AS ou_reset_password_key, ou.creation_date AS ou_creation_date, \
    ou.revision_date AS ou_revision_date";

impl TryFrom<OrgUserRecord> for OrgUserRow {
    type Error = StoreError;
    fn try_from(r: OrgUserRecord) -> Result<Self, StoreError> {
        Ok(OrgUserRow {
            id: id(&r.ou_id)?,
            org_id: id(&r.ou_org_id)?,
            user_id: opt_id(r.ou_user_id.as_deref())?,
            email: r.ou_email,
            member_type: code(r.ou_member_type)?,
            status: code(r.ou_status)?,
            key: r.ou_org_key,
            permissions: r.ou_permissions,
            external_id: r.ou_external_id,
            invited_at: r.ou_invited_at.map(Timestamp),
            revocation_reason: r.ou_revocation_reason.map(code).transpose()?,
            reset_password_key: r.ou_reset_password_key,
            creation_date: Timestamp(r.ou_creation_date),
            revision_date: Timestamp(r.ou_revision_date),
        })
    }
}

/// An organization and one membership in it, from one joined row.
#[derive(sqlx::FromRow)]
pub(crate) struct MembershipRecord {
    #[sqlx(flatten)]
    pub(crate) org: OrgRecord,
    #[sqlx(flatten)]
    pub(crate) member: OrgUserRecord,
}

/// A member with the account details the admin views show.
#[derive(sqlx::FromRow)]
pub(crate) struct MemberDetailsRecord {
    #[sqlx(flatten)]
    pub(crate) member: OrgUserRecord,
    pub(crate) user_name: Option<String>,
    pub(crate) user_email: Option<String>,
    pub(crate) two_factor: bool,
}

#[derive(sqlx::FromRow)]
pub(crate) struct CollectionRecord {
    id: String,
    org_id: String,
    name: String,
    external_id: Option<String>,
    creation_date: i64,
    revision_date: i64,
}

pub(crate) const COLLECTION_COLUMNS: &str =
    "c.id, c.org_id, c.name, c.external_id, c.creation_date, c.revision_date";

impl TryFrom<CollectionRecord> for CollectionRow {
    type Error = StoreError;
    fn try_from(r: CollectionRecord) -> Result<Self, StoreError> {
        Ok(CollectionRow {
            id: id(&r.id)?,
            org_id: id(&r.org_id)?,
            name: r.name,
            external_id: r.external_id,
            creation_date: Timestamp(r.creation_date),
            revision_date: Timestamp(r.revision_date),
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct GroupRecord {
    id: String,
    org_id: String,
    name: String,
    external_id: Option<String>,
    creation_date: i64,
    revision_date: i64,
}

impl TryFrom<GroupRecord> for GroupRow {
    type Error = StoreError;
    fn try_from(r: GroupRecord) -> Result<Self, StoreError> {
        Ok(GroupRow {
            id: id(&r.id)?,
            org_id: id(&r.org_id)?,
            name: r.name,
            external_id: r.external_id,
            creation_date: Timestamp(r.creation_date),
            revision_date: Timestamp(r.revision_date),
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct PolicyRecord {
    id: String,
    org_id: String,
    policy_type: i32,
    enabled: bool,
    data: Option<String>,
    revision_date: i64,
}

impl TryFrom<PolicyRecord> for PolicyRow {
    type Error = StoreError;
    fn try_from(r: PolicyRecord) -> Result<Self, StoreError> {
        Ok(PolicyRow {
            id: id(&r.id)?,
            org_id: id(&r.org_id)?,
            policy_type: code(r.policy_type)?,
            enabled: r.enabled,
            data: r.data,
            revision_date: Timestamp(r.revision_date),
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct EventRecord {
    id: String,
    event_type: i32,
    date: i64,
    org_id: Option<String>,
    user_id: Option<String>,
    acting_user_id: Option<String>,
    org_user_id: Option<String>,
    cipher_id: Option<String>,
    collection_id: Option<String>,
    group_id: Option<String>,
    policy_id: Option<String>,
    provider_id: Option<String>,
    provider_user_id: Option<String>,
    provider_org_id: Option<String>,
    device_type: Option<i32>,
    ip_address: Option<String>,
}

pub(crate) const EVENT_COLUMNS: &str = "id, event_type, date, org_id, user_id, acting_user_id, \
    org_user_id, cipher_id, collection_id, group_id, policy_id, provider_id, provider_user_id, \
    provider_org_id, device_type, ip_address";

impl TryFrom<EventRecord> for EventRow {
    type Error = StoreError;
    fn try_from(r: EventRecord) -> Result<Self, StoreError> {
        Ok(EventRow {
            id: id(&r.id)?,
            event_type: code(r.event_type)?,
            date: Timestamp(r.date),
            org_id: opt_id(r.org_id.as_deref())?,
            user_id: opt_id(r.user_id.as_deref())?,
            acting_user_id: opt_id(r.acting_user_id.as_deref())?,
            org_user_id: opt_id(r.org_user_id.as_deref())?,
            cipher_id: opt_id(r.cipher_id.as_deref())?,
            collection_id: opt_id(r.collection_id.as_deref())?,
            group_id: opt_id(r.group_id.as_deref())?,
            policy_id: opt_id(r.policy_id.as_deref())?,
            provider_id: opt_id(r.provider_id.as_deref())?,
            provider_user_id: opt_id(r.provider_user_id.as_deref())?,
            provider_org_id: opt_id(r.provider_org_id.as_deref())?,
            device_type: r.device_type,
            ip_address: r.ip_address,
        })
    }
}
