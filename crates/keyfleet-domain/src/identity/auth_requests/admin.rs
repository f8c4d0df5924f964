//! Admin approval of device logins (Bitwarden's auth request type 2): a member's device the
//! account used before asks the member's organizations instead of another of the member's
//! devices. An administrator of one of them answers: their client unwraps the member's user key
//! from the account recovery enrolment (`reset-password-details`, the org private key) and wraps
//! it to the request's public key, so the server still only stores ciphertext. The device then
//! reads the answer with its access code and logs in once with it, as after a type-0 approval.
//!
//! Approving gives the whole account, as account recovery does, so the rule is account
//! recovery's (`Domain::recovery_target`, `orgs::grants::check_recovery_target`):
//! `ManageResetPassword`, an enrolled member, nobody their own, only owners an owner's, a launched
//! provider member never the client's owners, admins or provider members. Refusals are 400 with
//! Bitwarden's error JSON, an unknown request or another organization's 404.
//!
//! Departure from the official server: it asks the bearer token of an SSO session for
//! `admin-request` and never accepts type 2 at the token endpoint (the device already holds the
//! SSO session). Keyfleet has no SSO, so the request is anonymous like a type-0 one (email and a
//! device the account already has, the same throttles) and an approved one logs in with the
//! `authRequest` grant within 12 hours of the approval.

use super::store::{AuthRequestAnswer, AuthRequestRow, OrgAuthRequestRow};
use super::{
    is_wrapped_to_public_key, RequestOrigin, ALREADY_ANSWERED, MAX_PENDING_PER_USER,
    TOO_MANY_PENDING,
};
use crate::error::DomainError;
use crate::identity::caller::Caller;
use crate::ids::{AuthRequestId, OrgId};
use crate::orgs::recovery::POLICY_OFF;
use crate::orgs::store::EventRow;
use crate::orgs::{EventType, OrgActor, OrgCapability};
use crate::Domain;
use keyfleet_api::devices::{AuthRequestCreateRequest, OrganizationAuthRequestUpdateManyRequest};
use keyfleet_api::kinds::{AuthRequestType, OrganizationUserStatus};

/// How long an admin approval request can be answered (the official `AdminRequestExpiration`).
pub const ADMIN_REQUEST_TTL_SECS: i64 = 7 * 24 * 3600;
/// How long an approved admin approval request can be read and used (the official
/// `AfterAdminApprovalExpiration`).
pub const ADMIN_APPROVAL_TTL_SECS: i64 = 12 * 3600;
/// Admin approval requests older than this are deleted when the user makes a new one.
const ADMIN_KEEP_SECS: i64 = ADMIN_REQUEST_TTL_SECS + 24 * 3600;
/// The most answers one bulk call takes.
pub const MAX_BULK_ANSWERS: usize = 100;
/// The official server's answer when the user has no organization to ask.
const NO_ORGANIZATION: &str = "User does not belong to any organizations.";
/// Refused for a member not enrolled in account recovery: there is no key to hand out.
const NOT_ENROLLED: &str = "The member is not enrolled in account recovery.";

impl Domain {
    /// `POST /auth-requests/admin-request`: a device the account used before asks the
    /// administrators of each organization the user is a confirmed member of; one request per
    /// organization (event 1010 on each log), the first answered to the device.
    pub async fn create_admin_auth_request(
        &self,
        req: &AuthRequestCreateRequest,
        origin: RequestOrigin<'_>,
    ) -> Result<AuthRequestRow, DomainError> {
        if AuthRequestType::try_from(req.request_type) != Ok(AuthRequestType::AdminApproval) {
            return Err(DomainError::invalid(
                "type",
                "An admin approval request is of type 2.",
            ));
        }
        let template = self
            .new_auth_request(req, origin, AuthRequestType::AdminApproval)
            .await?;
        let now = template.creation_date;
        let memberships: Vec<_> = self
            .store
            .memberships_of_user(template.user_id)
            .await?
            .into_iter()
            .filter(|(org, m)| org.enabled && m.status == OrganizationUserStatus::Confirmed)
            .collect();
        if memberships.is_empty() {
            return Err(DomainError::bad_request(NO_ORGANIZATION));
        }
        let device_type = Some(template.request_device_type);
        let (rows, events): (Vec<_>, Vec<_>) = memberships
            .iter()
            .map(|(org, m)| {
                let row = AuthRequestRow {
                    id: AuthRequestId::new(),
                    organization_id: Some(org.id),
                    ..template.clone()
                };
                let event = EventRow {
                    org_id: Some(org.id),
                    org_user_id: Some(m.id),
                    user_id: Some(template.user_id),
                    acting_user_id: Some(template.user_id),
                    device_type,
                    ..EventRow::new(EventType::UserRequestedDeviceApproval, now)
                };
                (row, event)
            })
            .unzip();
        let stored = self
            .store
            .insert_admin_auth_requests(
                &rows,
                &events,
                MAX_PENDING_PER_USER,
                now.plus_secs(-ADMIN_REQUEST_TTL_SECS),
                now.plus_secs(-ADMIN_KEEP_SECS),
            )
            .await?;
        if !stored {
            return Err(DomainError::bad_request(TOO_MANY_PENDING));
        }
        rows.into_iter()
            .next()
            .ok_or_else(|| DomainError::Internal("no admin approval request".into()))
    }

    /// `GET /organizations/{orgId}/auth-requests`: the organization's pending admin approval
    /// requests, for an actor with `ManageResetPassword`.
    pub async fn pending_org_auth_requests(
        &self,
        caller: &Caller,
        org_id: OrgId,
    ) -> Result<Vec<OrgAuthRequestRow>, DomainError> {
        let actor = self.org_actor(caller, org_id).await?;
        actor.require(OrgCapability::ManageResetPassword)?;
        let since = self.now().plus_secs(-ADMIN_REQUEST_TTL_SECS);
        Ok(self.store.pending_org_auth_requests(org_id, since).await?)
    }

    /// `POST /organizations/{orgId}/auth-requests/{requestId}`: approve (with the member's user
    /// key wrapped to the request's public key) or deny one request.
    pub async fn answer_org_auth_request(
        &self,
        caller: &Caller,
        org_id: OrgId,
        id: AuthRequestId,
        approved: bool,
        key: Option<&str>,
    ) -> Result<(), DomainError> {
        let actor = self.org_actor(caller, org_id).await?;
        self.answer_as_admin(&actor, id, approved, key).await
    }

    /// `POST /organizations/{orgId}/auth-requests` (a list of answers) and `…/deny` (`{ids}`):
    /// each answer as the single call gives it; one refused (another's request, answered,
    /// expired, a member the actor may not answer for) is skipped, as on the official server,
    /// and a storage failure fails the call.
    pub async fn answer_org_auth_requests(
        &self,
        caller: &Caller,
        org_id: OrgId,
        answers: &[OrganizationAuthRequestUpdateManyRequest],
    ) -> Result<(), DomainError> {
        if answers.len() > MAX_BULK_ANSWERS {
            return Err(DomainError::bad_request(format!(
                "At most {MAX_BULK_ANSWERS} requests can be answered at once."
            )));
        }
        let actor = self.org_actor(caller, org_id).await?;
        actor.require(OrgCapability::ManageResetPassword)?;
        for a in answers {
            let Ok(id) = a.id.trim().parse::<AuthRequestId>() else {
                continue;
            };
            match self
                .answer_as_admin(&actor, id, a.approved, a.key.as_deref())
                .await
            {
                Ok(()) | Err(DomainError::NotFound | DomainError::Invalid { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// One administrator's answer: the request must be `actor`'s organization's, unanswered and
    /// unexpired, for a member enrolled in account recovery whom the account recovery rules let
    /// the actor recover. Stored with its event (1513 approved, 1514 denied) by compare-and-set;
    /// an approval is pushed to the device waiting on the anonymous hub.
    async fn answer_as_admin(
        &self,
        actor: &OrgActor,
        id: AuthRequestId,
        approved: bool,
        key: Option<&str>,
    ) -> Result<(), DomainError> {
        actor.require(OrgCapability::ManageResetPassword)?;
        let org_id = actor.org.id;
        let now = self.now();
        let row = self
            .store
            .auth_request(id)
            .await?
            .filter(|r| {
                r.request_type == AuthRequestType::AdminApproval
                    && r.organization_id == Some(org_id)
            })
            .ok_or(DomainError::NotFound)?;
        if row.approved.is_some() {
            return Err(DomainError::bad_request(ALREADY_ANSWERED));
        }
        if row.expired(now) {
            return Err(DomainError::NotFound);
        }
        if self.recovery_policy(org_id).await?.is_none() {
            return Err(DomainError::bad_request(POLICY_OFF));
        }
        let member = self
            .store
            .membership(org_id, row.user_id)
            .await?
            .ok_or(DomainError::NotFound)?;
        self.recovery_target(actor, member.id, || DomainError::bad_request(NOT_ENROLLED))
            .await?;
        let key = match (approved, key) {
            (false, _) => None,
            (true, Some(k)) if is_wrapped_to_public_key(k) => Some(k.to_string()),
            (true, _) => {
                return Err(DomainError::invalid(
                    "encryptedUserKey",
                    "The user key must be wrapped to the request's public key (an EncString of type 4).",
                ))
            }
        };
        let event_type = if approved {
            EventType::OrganizationUserApprovedAuthRequest
        } else {
            EventType::OrganizationUserRejectedAuthRequest
        };
        let event = EventRow {
            org_user_id: Some(member.id),
            user_id: Some(row.user_id),
            ..self.org_event(actor, event_type)
        };
        let answer = AuthRequestAnswer {
            approved,
            key,
            master_password_hash: None,
            response_device_id: None,
        };
        if !self
            .store
            .answer_org_auth_request(org_id, id, &answer, &[event], now)
            .await?
        {
            return Err(DomainError::bad_request(ALREADY_ANSWERED));
        }
        if approved {
            self.push_auth_request_response(row.user_id, &id.to_string());
        }
        Ok(())
    }
}
