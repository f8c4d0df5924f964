//! Provider rows as the drivers decode them, and their conversion into the domain's rows. Column
//! lists are prefixed (`p_`, `pu_`, `pr_`, `po_`) so several tables fit in one joined row beside
//! the unprefixed organization columns.

use crate::org_records::OrgRecord;
use crate::records::{code, id, opt_id};
use keyfleet_domain::providers::store::{
    ProviderMembership, ProviderOrgRow, ProviderRoleRow, ProviderRow, ProviderUserRow,
};
use keyfleet_domain::{StoreError, Timestamp};

#[derive(sqlx::FromRow)]
pub(crate) struct ProviderRecord {
    p_id: String,
    p_name: String,
    p_business_name: Option<String>,
    p_billing_email: Option<String>,
    p_status: i32,
    p_enabled: bool,
    p_creation_date: i64,
    p_revision_date: i64,
    p_launch_requires_password: bool,
}

pub(crate) const PROVIDER_COLUMNS: &str = "p.id AS p_id, p.name AS p_name, \
    p.business_name AS p_business_name, p.billing_email AS p_billing_email, \
    p.status AS p_status, p.enabled AS p_enabled, p.creation_date AS p_creation_date, \
    p.revision_date AS p_revision_date, \
    p.launch_requires_password AS p_launch_requires_password";

impl TryFrom<ProviderRecord> for ProviderRow {
    type Error = StoreError;
    fn try_from(r: ProviderRecord) -> Result<Self, StoreError> {
        Ok(ProviderRow {
            id: id(&r.p_id)?,
            name: r.p_name,
            business_name: r.p_business_name,
            billing_email: r.p_billing_email,
            status: code(r.p_status)?,
            enabled: r.p_enabled,
            creation_date: Timestamp(r.p_creation_date),
            revision_date: Timestamp(r.p_revision_date),
            launch_requires_password: r.p_launch_requires_password,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct ProviderUserRecord {
    pu_id: String,
    pu_provider_id: String,
    pu_user_id: Option<String>,
    pu_email: Option<String>,
    pu_role: i32,
    pu_role_id: Option<String>,
    pu_status: i32,
    pu_suspended: bool,
    pu_provider_key: Option<String>,
    pu_invited_at: Option<i64>,
    pu_creation_date: i64,
    pu_revision_date: i64,
}

pub(crate) const PROVIDER_USER_COLUMNS: &str = "pu.id AS pu_id, \
    pu.provider_id AS pu_provider_id, pu.user_id AS pu_user_id, pu.email AS pu_email, \
    pu.role AS pu_role, pu.role_id AS pu_role_id, pu.status AS pu_status, \
    pu.suspended AS pu_suspended, pu.provider_key AS pu_provider_key, \
    pu.invited_at AS pu_invited_at, pu.creation_date AS pu_creation_date, \
    pu.revision_date AS pu_revision_date";

impl TryFrom<ProviderUserRecord> for ProviderUserRow {
    type Error = StoreError;
    fn try_from(r: ProviderUserRecord) -> Result<Self, StoreError> {
        Ok(ProviderUserRow {
            id: id(&r.pu_id)?,
            provider_id: id(&r.pu_provider_id)?,
            user_id: opt_id(r.pu_user_id.as_deref())?,
            email: r.pu_email,
            role: code(r.pu_role)?,
            role_id: opt_id(r.pu_role_id.as_deref())?,
            status: code(r.pu_status)?,
            suspended: r.pu_suspended,
            key: r.pu_provider_key,
            invited_at: r.pu_invited_at.map(Timestamp),
            creation_date: Timestamp(r.pu_creation_date),
            revision_date: Timestamp(r.pu_revision_date),
        })
    }
}

/// A custom role's columns; every field is optional because the role usually comes from a LEFT
/// JOIN (members without a custom role have none).
#[derive(sqlx::FromRow)]
pub(crate) struct RoleRecord {
    pr_id: Option<String>,
    pr_provider_id: Option<String>,
    pr_name: Option<String>,
    pr_permissions: Option<String>,
    pr_assigned_only: Option<bool>,
    pr_creation_date: Option<i64>,
    pr_revision_date: Option<i64>,
}

pub(crate) const PROVIDER_ROLE_COLUMNS: &str = "pr.id AS pr_id, \
    pr.provider_id AS pr_provider_id, pr.name AS pr_name, pr.permissions AS pr_permissions, \
    pr.assigned_only AS pr_assigned_only, pr.creation_date AS pr_creation_date, \
    pr.revision_date AS pr_revision_date";

impl RoleRecord {
    /// The role, or `None` when the join found none.
    pub(crate) fn into_row(self) -> Result<Option<ProviderRoleRow>, StoreError> {
        let Some(role_id) = self.pr_id else {
            return Ok(None);
        };
        let missing = || StoreError::Corrupt(format!("incomplete provider role {role_id}"));
        Ok(Some(ProviderRoleRow {
            id: id(&role_id)?,
            provider_id: id(self.pr_provider_id.as_deref().ok_or_else(missing)?)?,
            name: self.pr_name.ok_or_else(missing)?,
            permissions: self.pr_permissions.ok_or_else(missing)?,
            assigned_only: self.pr_assigned_only.ok_or_else(missing)?,
            creation_date: Timestamp(self.pr_creation_date.ok_or_else(missing)?),
            revision_date: Timestamp(self.pr_revision_date.ok_or_else(missing)?),
        }))
    }

    /// The role of a row that must have one (read from `provider_roles` itself).
    pub(crate) fn into_present_row(self) -> Result<ProviderRoleRow, StoreError> {
        self.into_row()?
            .ok_or_else(|| StoreError::Corrupt("provider role without id".into()))
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct ProviderOrgRecord {
    po_id: String,
    po_provider_id: String,
    po_org_id: String,
    po_org_key: String,
    po_website: Option<String>,
    po_region: Option<String>,
    po_notes: Option<String>,
    po_creation_date: i64,
    po_revision_date: i64,
}

pub(crate) const PROVIDER_ORG_COLUMNS: &str = "po.id AS po_id, \
    po.provider_id AS po_provider_id, po.org_id AS po_org_id, po.org_key AS po_org_key, \
    po.website AS po_website, po.region AS po_region, po.notes AS po_notes, \
    po.creation_date AS po_creation_date, po.revision_date AS po_revision_date";

impl TryFrom<ProviderOrgRecord> for ProviderOrgRow {
    type Error = StoreError;
    fn try_from(r: ProviderOrgRecord) -> Result<Self, StoreError> {
        Ok(ProviderOrgRow {
            id: id(&r.po_id)?,
            provider_id: id(&r.po_provider_id)?,
            org_id: id(&r.po_org_id)?,
            key: r.po_org_key,
            website: r.po_website,
            region: r.po_region,
            notes: r.po_notes,
            creation_date: Timestamp(r.po_creation_date),
            revision_date: Timestamp(r.po_revision_date),
        })
    }
}

/// A provider, one membership in it and the membership's custom role, from one joined row.
#[derive(sqlx::FromRow)]
pub(crate) struct MembershipRecord {
    #[sqlx(flatten)]
    provider: ProviderRecord,
    #[sqlx(flatten)]
    member: ProviderUserRecord,
    #[sqlx(flatten)]
    role: RoleRecord,
}

impl TryFrom<MembershipRecord> for ProviderMembership {
    type Error = StoreError;
    fn try_from(r: MembershipRecord) -> Result<Self, StoreError> {
        Ok(ProviderMembership {
            provider: ProviderRow::try_from(r.provider)?,
            member: ProviderUserRow::try_from(r.member)?,
            role: r.role.into_row()?,
        })
    }
}

/// A membership with the link to the organization it reaches.
#[derive(sqlx::FromRow)]
pub(crate) struct ReachRecord {
    #[sqlx(flatten)]
    pub(crate) membership: MembershipRecord,
    #[sqlx(flatten)]
    pub(crate) link: ProviderOrgRecord,
    pub(crate) assigned: bool,
}

/// A member with the account details the admin views show.
#[derive(sqlx::FromRow)]
pub(crate) struct MemberDetailsRecord {
    #[sqlx(flatten)]
    pub(crate) member: ProviderUserRecord,
    pub(crate) user_name: Option<String>,
    pub(crate) user_email: Option<String>,
    pub(crate) two_factor: bool,
    pub(crate) role_name: Option<String>,
}

/// A client link with its organization and seat counts.
#[derive(sqlx::FromRow)]
pub(crate) struct ClientRecord {
    #[sqlx(flatten)]
    pub(crate) link: ProviderOrgRecord,
    #[sqlx(flatten)]
    pub(crate) org: OrgRecord,
    pub(crate) seats_used: i64,
    pub(crate) user_count: i64,
}

/// One row of the usage report.
#[derive(sqlx::FromRow)]
pub(crate) struct UsageRecord {
    #[sqlx(flatten)]
    pub(crate) link: ProviderOrgRecord,
    #[sqlx(flatten)]
    pub(crate) org: OrgRecord,
    pub(crate) confirmed: i64,
    pub(crate) accepted: i64,
    pub(crate) invited: i64,
    pub(crate) revoked: i64,
    pub(crate) items: i64,
    pub(crate) two_factor_members: i64,
    pub(crate) last_activity: Option<i64>,
}

/// A provider with its member and client counts.
#[derive(sqlx::FromRow)]
pub(crate) struct ProviderCountsRecord {
    #[sqlx(flatten)]
    pub(crate) provider: ProviderRecord,
    pub(crate) members: i64,
    pub(crate) clients: i64,
}

/// A custom role with how many members hold it.
#[derive(sqlx::FromRow)]
pub(crate) struct RoleCountRecord {
    #[sqlx(flatten)]
    pub(crate) role: RoleRecord,
    pub(crate) members: i64,
}

/// One member–client assignment.
#[derive(sqlx::FromRow)]
pub(crate) struct AssignmentRecord {
    pub(crate) provider_user_id: String,
    pub(crate) provider_org_id: String,
}
