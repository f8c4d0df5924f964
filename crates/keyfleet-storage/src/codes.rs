//! The closed sets' numbers as the SQL text spells them. Every number a query compares a
//! status or a role with comes from the enums (`keyfleet_api::kinds`, through the domain), so
//! no query repeats one.

use keyfleet_domain::orgs::{OrganizationUserStatus, OrganizationUserType};
use keyfleet_domain::providers::ProviderUserStatus;

/// `org_users.status`: revoked.
pub(crate) const OU_REVOKED: i32 = OrganizationUserStatus::Revoked.code();
/// `org_users.status`: invited.
pub(crate) const OU_INVITED: i32 = OrganizationUserStatus::Invited.code();
/// `org_users.status`: accepted.
pub(crate) const OU_ACCEPTED: i32 = OrganizationUserStatus::Accepted.code();
/// `org_users.status`: confirmed.
pub(crate) const OU_CONFIRMED: i32 = OrganizationUserStatus::Confirmed.code();
/// `org_users.member_type`: owner.
pub(crate) const OU_OWNER: i32 = OrganizationUserType::Owner.code();
/// `org_users.member_type`: admin.
pub(crate) const OU_ADMIN: i32 = OrganizationUserType::Admin.code();
/// `org_users.member_type`: manager.
pub(crate) const OU_MANAGER: i32 = OrganizationUserType::Manager.code();
/// `provider_users.status`: confirmed.
pub(crate) const PU_CONFIRMED: i32 = ProviderUserStatus::Confirmed.code();
