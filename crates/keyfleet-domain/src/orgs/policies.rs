//! Organization policies: stored and served per the protocol, and enforced where the server can
//! enforce them — two-step login (members without it are revoked, and restored once they turn it
//! on), single organization (on accept), master password requirements (sent at login).

use super::members::restored_status;
use super::{EventType, OrgCapability, OrganizationUserStatus, OrganizationUserType};
use crate::error::DomainError;
use crate::identity::caller::Caller;
use crate::ids::{OrgId, PolicyId, UserId};
use crate::orgs::store::{EventRow, OrgRow, OrgUserRow, PolicyRow};
use crate::Domain;
use keyfleet_api::orgs::PolicyRequest;
use serde_json::{Map, Value};
use std::collections::HashSet;

pub use keyfleet_api::kinds::PolicyType;
use keyfleet_api::kinds::RevocationReason;

const MAX_POLICY_DATA_LEN: usize = 10_000;

/// Owners and admins are exempt from most policies, as in the official server.
fn exempt(member_type_: OrganizationUserType) -> bool {
    member_type_ == OrganizationUserType::Owner || member_type_ == OrganizationUserType::Admin
}

/// Whether the Require two-step login policy binds `m`: accepted or confirmed, neither owner
/// nor admin (invited members are refused on joining, revoked ones are out already).
fn bound_by_two_factor_policy(m: &OrgUserRow) -> bool {
    !exempt(m.member_type)
        && matches!(
            m.status,
            OrganizationUserStatus::Accepted | OrganizationUserStatus::Confirmed
        )
}

/// The combined master password requirements of several policies (the strictest of each).
pub fn combine_master_password_policies(policies: &[PolicyRow]) -> Option<Value> {
    let mut out: Option<Map<String, Value>> = None;
    for p in policies
        .iter()
        .filter(|p| p.enabled && p.policy_type == PolicyType::MasterPassword)
    {
        let data: Map<String, Value> = p
            .data
            .as_deref()
            .and_then(|d| serde_json::from_str(d).ok())
            .unwrap_or_default();
        let acc = out.get_or_insert_with(Map::new);
        for (k, v) in data {
            let merged = match (acc.get(&k), &v) {
                (Some(Value::Number(a)), Value::Number(b)) => {
                    if a.as_i64() >= b.as_i64() {
                        acc[&k].clone()
                    } else {
                        v.clone()
                    }
                }
                (Some(Value::Bool(a)), Value::Bool(b)) => Value::Bool(*a || *b),
                _ => v.clone(),
            };
            acc.insert(k, merged);
        }
    }
    out.map(Value::Object)
}

/// Policies that need another one on first (as the official server's `RequiredPolicies`):
/// Account recovery needs Single organization — a member of several organizations could otherwise
/// be recovered by any of them.
const REQUIRED_POLICIES: [(PolicyType, PolicyType); 1] =
    [(PolicyType::ResetPassword, PolicyType::SingleOrg)];

/// Refuses turning a policy on before the one it requires, or off while one requiring it is on.
fn check_policy_dependencies(
    existing: &[PolicyRow],
    t: PolicyType,
    enabling: bool,
) -> Result<(), DomainError> {
    let on = |t: PolicyType| existing.iter().any(|p| p.policy_type == t && p.enabled);
    for (dependent, required) in REQUIRED_POLICIES {
        if enabling && t == dependent && !on(required) {
            return Err(DomainError::bad_request(format!(
                "Turn on the {} policy because it is required for the {} policy.",
                policy_name(required),
                policy_name(dependent)
            )));
        }
        if !enabling && t == required && on(dependent) {
            return Err(DomainError::bad_request(format!(
                "Turn off the {} policy because it requires the {} policy.",
                policy_name(dependent),
                policy_name(required)
            )));
        }
    }
    Ok(())
}

fn policy_name(t: PolicyType) -> &'static str {
    match t {
        PolicyType::SingleOrg => "Single organization",
        PolicyType::ResetPassword => "Account recovery administration",
        _ => "required",
    }
}

impl Domain {
    /// The organization's policies (any confirmed member may read them).
    pub async fn org_policies(
        &self,
        caller: &Caller,
        org_id: OrgId,
    ) -> Result<Vec<PolicyRow>, DomainError> {
        self.org_actor(caller, org_id).await?;
        Ok(self.store.policies(org_id).await?)
    }

    /// `GET …/policies/token` (anonymous): the enabled policies of `org_id` for the holder of a
    /// current invitation to it — the membership `member_id` of `org_id`, still invited, to
    /// `email`, with its latest token (the same check as acceptance). Anything else is
    /// `NotFound`, as on the official server.
    pub async fn policies_by_invite(
        &self,
        org_id: OrgId,
        member_id: &str,
        email: &str,
        token: &str,
    ) -> Result<Vec<PolicyRow>, DomainError> {
        let member_id: crate::ids::OrgUserId =
            member_id.parse().map_err(|_| DomainError::NotFound)?;
        let member = self
            .store
            .org_user(org_id, member_id)
            .await?
            .ok_or(DomainError::NotFound)?;
        let addressed = member
            .email
            .as_deref()
            .is_some_and(|e| e == keyfleet_crypto::normalize_email(email));
        if !addressed || !self.invite_token_valid(&member, token) {
            return Err(DomainError::NotFound);
        }
        let org = self.store.org(org_id).await?.ok_or(DomainError::NotFound)?;
        if !org.enabled {
            return Err(DomainError::NotFound);
        }
        Ok(self
            .store
            .policies(org_id)
            .await?
            .into_iter()
            .filter(|p| p.enabled)
            .collect())
    }

    /// One policy type of the organization (a disabled default when never set).
    pub async fn org_policy(
        &self,
        caller: &Caller,
        org_id: OrgId,
        policy_type_: i32,
    ) -> Result<PolicyRow, DomainError> {
        let policy_type_ = PolicyType::try_from(policy_type_).map_err(|_| DomainError::NotFound)?;
        let policies = self.org_policies(caller, org_id).await?;
        Ok(policies
            .into_iter()
            .find(|p| p.policy_type == policy_type_)
            .unwrap_or(PolicyRow {
                id: PolicyId::new(),
                org_id,
                policy_type: policy_type_,
                enabled: false,
                data: None,
                revision_date: self.now(),
            }))
    }

    /// Policies that apply to the caller (sync): those of organizations they have joined.
    pub async fn my_policies(&self, caller: &Caller) -> Result<Vec<PolicyRow>, DomainError> {
        Ok(self.store.policies_of_user(caller.user.id).await?)
    }

    /// Turns a policy on or off with its settings; turning on two-step login revokes members
    /// without it.
    pub async fn save_policy(
        &self,
        caller: &Caller,
        org_id: OrgId,
        policy_type_: i32,
        req: &PolicyRequest,
    ) -> Result<PolicyRow, DomainError> {
        let actor = self.org_actor(caller, org_id).await?;
        actor.require(OrgCapability::ManagePolicies)?;
        let policy_type_ = PolicyType::try_from(policy_type_)
            .map_err(|_| DomainError::invalid("type", "Unknown policy type."))?;
        let data = match &req.data {
            None | Some(Value::Null) => None,
            Some(v @ Value::Object(_)) => {
                let s = v.to_string();
                if s.len() > MAX_POLICY_DATA_LEN {
                    return Err(DomainError::invalid(
                        "data",
                        "The policy settings are too long.",
                    ));
                }
                Some(s)
            }
            Some(_) => {
                return Err(DomainError::invalid(
                    "data",
                    "The policy settings must be an object.",
                ))
            }
        };
        let existing = self.store.policies(org_id).await?;
        check_policy_dependencies(&existing, policy_type_, req.enabled)?;
        let id = existing
            .iter()
            .find(|p| p.policy_type == policy_type_)
            .map_or_else(PolicyId::new, |p| p.id);
        let row = PolicyRow {
            id,
            org_id,
            policy_type: policy_type_,
            enabled: req.enabled,
            data,
            revision_date: self.now(),
        };
        let events = [EventRow {
            policy_id: Some(id),
            ..self.org_event(&actor, EventType::PolicyUpdated)
        }];
        self.store.save_policy(&row, &events).await?;
        if row.enabled && policy_type_ == PolicyType::TwoFactorAuthentication {
            self.revoke_members_without_two_factor(&actor, caller.user.id)
                .await?;
        }
        // Members' apps enforce policies from their sync.
        self.push_org_sync(actor.org.id, keyfleet_api::kinds::PushType::SyncVault)
            .await;
        Ok(row)
    }

    async fn revoke_members_without_two_factor(
        &self,
        actor: &super::OrgActor,
        saving_user: UserId,
    ) -> Result<(), DomainError> {
        let members = self.store.org_member_details(actor.org.id, None).await?;
        for d in members {
            let m = d.member;
            if bound_by_two_factor_policy(&m)
                && m.user_id != Some(saving_user)
                && !d.two_factor_enabled
            {
                let (revoked, event) = self.revoked_for_two_factor(
                    &m,
                    self.org_event(actor, EventType::OrganizationUserRevoked),
                );
                self.store.update_org_user(&revoked, None, &[event]).await?;
                self.push_sync(
                    revoked.user_id.as_slice(),
                    keyfleet_api::kinds::PushType::SyncOrgKeys,
                );
            }
        }
        Ok(())
    }

    /// `m` revoked by the Require two-step login policy (the reason lets
    /// [`Domain::restore_after_two_factor_enabled`] restore it), with its event: `event` about
    /// `m`.
    fn revoked_for_two_factor(&self, m: &OrgUserRow, event: EventRow) -> (OrgUserRow, EventRow) {
        let mut revoked = m.clone();
        revoked.status = OrganizationUserStatus::Revoked;
        revoked.revocation_reason = Some(RevocationReason::TwoFactorPolicy);
        revoked.revision_date = self.now();
        let event = EventRow {
            org_id: Some(m.org_id),
            org_user_id: Some(m.id),
            user_id: m.user_id,
            ..event
        };
        (revoked, event)
    }

    /// The memberships of `user_id` the Require two-step login policy revokes once their
    /// two-step login is gone (account recovery's `resetTwoFactor` by `actor`), with their
    /// events: every organization with the policy on where the policy binds them, the actor's
    /// and others (there the event names the actor's account only).
    pub(crate) async fn two_factor_policy_revocations(
        &self,
        actor: &super::OrgActor,
        user_id: UserId,
    ) -> Result<(Vec<OrgUserRow>, Vec<EventRow>), DomainError> {
        let mut out = (Vec::new(), Vec::new());
        for (org, m) in self.store.memberships_of_user(user_id).await? {
            if bound_by_two_factor_policy(&m)
                && self
                    .enabled_policy(org.id, PolicyType::TwoFactorAuthentication)
                    .await?
            {
                let ours = self.org_event(actor, EventType::OrganizationUserRevoked);
                let event = if org.id == actor.org.id {
                    ours
                } else {
                    EventRow {
                        acting_user_id: ours.acting_user_id,
                        device_type: ours.device_type,
                        ip_address: ours.ip_address,
                        ..EventRow::new(EventType::OrganizationUserRevoked, self.now())
                    }
                };
                let (revoked, event) = self.revoked_for_two_factor(&m, event);
                out.0.push(revoked);
                out.1.push(event);
            }
        }
        Ok(out)
    }

    /// Restores memberships the two-step login policy revoked, once the user has turned it on.
    pub async fn restore_after_two_factor_enabled(
        &self,
        user_id: UserId,
    ) -> Result<(), DomainError> {
        for (_, m) in self.store.memberships_of_user(user_id).await? {
            if m.status == OrganizationUserStatus::Revoked
                && m.revocation_reason == Some(RevocationReason::TwoFactorPolicy)
            {
                let mut restored = m.clone();
                restored.status = restored_status(&m);
                restored.revocation_reason = None;
                restored.revision_date = self.now();
                let events = [EventRow {
                    org_id: Some(m.org_id),
                    org_user_id: Some(m.id),
                    user_id: Some(user_id),
                    acting_user_id: Some(user_id),
                    ..EventRow::new(EventType::OrganizationUserRestored, self.now())
                }];
                self.store.update_org_user(&restored, None, &events).await?;
            }
        }
        Ok(())
    }

    async fn enabled_policy(&self, org_id: OrgId, t: PolicyType) -> Result<bool, DomainError> {
        Ok(self
            .store
            .policies(org_id)
            .await?
            .iter()
            .any(|p| p.policy_type == t && p.enabled))
    }

    /// Refuses joining `org` when a policy forbids it: two-step login required and not on, or a
    /// single-organization policy on either side.
    pub(crate) async fn check_policies_on_join(
        &self,
        caller: &Caller,
        org: &OrgRow,
    ) -> Result<(), DomainError> {
        if self
            .enabled_policy(org.id, PolicyType::TwoFactorAuthentication)
            .await?
            && !self.two_factor_enabled(&caller.user).await?
        {
            return Err(DomainError::bad_request(
                "You cannot join this organization until you enable two-step login on your user account.",
            ));
        }
        let others: Vec<_> = self
            .store
            .memberships_of_user(caller.user.id)
            .await?
            .into_iter()
            .filter(|(o, m)| o.id != org.id && m.status != OrganizationUserStatus::Invited)
            .collect();
        if !others.is_empty() && self.enabled_policy(org.id, PolicyType::SingleOrg).await? {
            return Err(DomainError::bad_request(
                "You may not join this organization until you leave or remove all other organizations.",
            ));
        }
        for (o, m) in &others {
            if !exempt(m.member_type) && self.enabled_policy(o.id, PolicyType::SingleOrg).await? {
                return Err(DomainError::bad_request(
                    "You cannot join this organization because you are a member of an organization which forbids it.",
                ));
            }
        }
        Ok(())
    }

    /// Refuses confirming (or restoring) a member a policy would shut out.
    pub(crate) async fn check_policies_on_confirm(
        &self,
        org: &OrgRow,
        user_id: UserId,
    ) -> Result<(), DomainError> {
        if self
            .enabled_policy(org.id, PolicyType::TwoFactorAuthentication)
            .await?
        {
            let user = self
                .store
                .user_by_id(user_id)
                .await?
                .ok_or(DomainError::NotFound)?;
            if !self.two_factor_enabled(&user).await? {
                return Err(DomainError::bad_request(
                    "User does not have two-step login enabled, which this organization requires.",
                ));
            }
        }
        Ok(())
    }

    /// The enabled policies that bind the user: those of each enabled organization they are an
    /// accepted or confirmed member of, other than as an owner or admin (the official policy
    /// requirements exempt them). Two reads, however many organizations the user belongs to.
    pub(crate) async fn binding_policies(
        &self,
        user_id: UserId,
    ) -> Result<Vec<PolicyRow>, DomainError> {
        let bound: HashSet<OrgId> = self
            .store
            .memberships_of_user(user_id)
            .await?
            .into_iter()
            .filter(|(org, m)| {
                matches!(
                    m.status,
                    OrganizationUserStatus::Accepted | OrganizationUserStatus::Confirmed
                ) && !exempt(m.member_type)
                    && org.enabled
            })
            .map(|(org, _)| org.id)
            .collect();
        if bound.is_empty() {
            return Ok(Vec::new());
        }
        let mut policies = self.store.policies_of_user(user_id).await?;
        policies.retain(|p| p.enabled && bound.contains(&p.org_id));
        Ok(policies)
    }

    /// Refuses a new personal item when an organization the caller belongs to (other than as an
    /// owner or admin) removes the individual vault.
    pub(crate) async fn check_personal_ownership(
        &self,
        caller: &Caller,
    ) -> Result<(), DomainError> {
        let policies = self.binding_policies(caller.user.id).await?;
        if policies
            .iter()
            .any(|p| p.policy_type == PolicyType::PersonalOwnership)
        {
            return Err(DomainError::bad_request(
                "Due to an Enterprise Policy, you are restricted from saving items to your personal vault. Change the ownership option to an organization.",
            ));
        }
        Ok(())
    }

    /// The master password requirements that apply to a user, for the login response.
    pub async fn master_password_policy_for(
        &self,
        user_id: UserId,
    ) -> Result<Option<Value>, DomainError> {
        let policies = self.store.policies_of_user(user_id).await?;
        Ok(combine_master_password_policies(&policies))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::Timestamp;

    fn mp(data: &str) -> PolicyRow {
        PolicyRow {
            id: PolicyId::new(),
            org_id: OrgId::new(),
            policy_type: PolicyType::MasterPassword,
            enabled: true,
            data: Some(data.into()),
            revision_date: Timestamp(0),
        }
    }

    #[test]
    fn master_password_policies_combine_to_the_strictest() {
        let a = mp(r#"{"minLength":12,"requireUpper":false,"enforceOnLogin":true}"#);
        let b = mp(r#"{"minLength":16,"requireUpper":true,"minComplexity":3}"#);
        let combined = combine_master_password_policies(&[a, b]).unwrap();
        assert_eq!(combined["minLength"], 16);
        assert_eq!(combined["requireUpper"], true);
        assert_eq!(combined["enforceOnLogin"], true);
        assert_eq!(combined["minComplexity"], 3);
    }

    #[test]
    fn account_recovery_needs_single_organization_first() {
        let single = PolicyRow {
            policy_type: PolicyType::SingleOrg,
            ..mp("{}")
        };
        let recovery = PolicyRow {
            policy_type: PolicyType::ResetPassword,
            ..mp("{}")
        };
        assert!(check_policy_dependencies(&[], PolicyType::ResetPassword, true).is_err());
        assert!(check_policy_dependencies(
            std::slice::from_ref(&single),
            PolicyType::ResetPassword,
            true
        )
        .is_ok());
        assert!(check_policy_dependencies(&[], PolicyType::ResetPassword, false).is_ok());
        assert!(check_policy_dependencies(
            &[single.clone(), recovery.clone()],
            PolicyType::SingleOrg,
            false
        )
        .is_err());
        assert!(check_policy_dependencies(&[single], PolicyType::SingleOrg, false).is_ok());
    }

    #[test]
    fn no_enabled_master_password_policy_means_none() {
        let mut off = mp(r#"{"minLength":12}"#);
        off.enabled = false;
        assert!(combine_master_password_policies(&[off]).is_none());
    }
}
