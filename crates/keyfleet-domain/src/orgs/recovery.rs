//! Account recovery (Bitwarden's "admin password reset", policy type 8): a member enrols by
//! wrapping their user key to the organization's public key; an administrator's client later
//! unwraps it with the org private key and sets a new master password for the member. The server
//! only stores and hands out the wrapped keys: it never sees a user key.
//!
//! Who may recover whom is `orgs::grants` (`check_recovery_target`); the endpoint needs
//! `OrgCapability::ManageResetPassword`.

use super::{EventType, OrgActor, OrgCapability, OrganizationUserStatus, PolicyType};
use crate::error::DomainError;
use crate::identity::accounts::check_enc_string;
use crate::identity::accounts::salt_for;
use crate::identity::caller::Caller;
use crate::identity::tokens::new_security_stamp;
use crate::ids::{OrgId, OrgUserId, UserId};
use crate::orgs::store::{EventRow, OrgUserRow};
use crate::store::{CredentialUpdate, KdfParams, UserRow};
use crate::Domain;
use keyfleet_api::accounts::UpdateTempPasswordRequest;
use keyfleet_api::identity::{
    KdfSettings, MasterPasswordAuthenticationData, MasterPasswordUnlockData,
};
use keyfleet_api::orgs::{
    OrganizationUserResetPasswordEnrollmentRequest, OrganizationUserResetPasswordRequest,
};

const MAX_KEY_LEN: usize = 10_000;
const MAX_HINT_LEN: usize = 50;

/// The official server's texts, so the official apps show the same words.
pub(crate) const POLICY_OFF: &str = "Organization does not have the password reset policy enabled.";
const NO_WITHDRAW: &str =
    "Due to an Enterprise policy, you are not allowed to withdraw from account recovery.";
/// Refused when accepting an invitation without the enrolment the policy requires.
pub(crate) const ENROLMENT_REQUIRED: &str = "Master Password reset is required, but not provided.";
const NOT_ENROLLED: &str = "Organization User not valid";
const NOTHING_ASKED: &str = "At least one recovery action must be requested.";
const NO_TEMP_PASSWORD: &str = "User does not have a temporary password to update.";
const KDF_MISMATCH: &str = "authenticationData and unlockData must use the same KDF and salt.";
const KDF_CHANGED: &str = "The KDF and salt cannot be changed here.";
/// `kdfType` of Argon2id.
const ARGON2ID: i32 = 1;

/// What the recovering administrator's client needs (`reset-password-details`).
#[derive(Debug, Clone)]
pub struct RecoveryDetails {
    /// The membership (enrolled: its `reset_password_key` is set).
    pub member: OrgUserRow,
    /// The member's account (KDF and salt).
    pub user: UserRow,
    /// The organization's private key under the org key.
    pub org_private_key: String,
}

/// Checks an enrolment: the user key wrapped to the org public key (RSA, type 4).
fn check_reset_password_key(key: &str) -> Result<(), DomainError> {
    check_enc_string("resetPasswordKey", key, MAX_KEY_LEN)?;
    if key.starts_with("4.") {
        Ok(())
    } else {
        Err(DomainError::invalid(
            "resetPasswordKey",
            "The key must be encrypted to the organization's public key.",
        ))
    }
}

/// The new master password of a recovery or temporary-password body, as `(hash, key)`: the
/// older fields, or the newer `authenticationData` with `unlockData` (both; the same KDF and
/// salt in each, and those of `user`: neither call changes them, as on the official server).
pub(crate) fn new_password<'a>(
    user: &UserRow,
    hash: Option<&'a str>,
    key: Option<&'a str>,
    authentication: Option<&'a MasterPasswordAuthenticationData>,
    unlock: Option<&'a MasterPasswordUnlockData>,
) -> Result<(&'a str, &'a str), DomainError> {
    let (hash, key) = match (authentication, unlock) {
        (None, None) => (hash, key),
        (Some(a), Some(u)) => {
            if a.kdf != u.kdf || a.salt != u.salt {
                return Err(DomainError::invalid("unlockData", KDF_MISMATCH));
            }
            if !same_kdf(&a.kdf, user.kdf) || a.salt != salt_for(&user.email) {
                return Err(DomainError::invalid("authenticationData", KDF_CHANGED));
            }
            (
                Some(a.master_password_authentication_hash.as_str()),
                Some(u.master_key_wrapped_user_key.as_str()),
            )
        }
        _ => {
            return Err(DomainError::invalid(
                "authenticationData",
                "authenticationData and unlockData must be sent together.",
            ))
        }
    };
    let (Some(hash), Some(key)) = (hash.filter(|h| !h.is_empty()), key) else {
        return Err(DomainError::invalid(
            "newMasterPasswordHash",
            "The new master password hash and key are required.",
        ));
    };
    check_enc_string("key", key, MAX_KEY_LEN)?;
    Ok((hash, key))
}

/// Whether `sent` is the KDF `current` (Argon2's memory and lanes count only for Argon2).
fn same_kdf(sent: &KdfSettings, current: KdfParams) -> bool {
    sent.kdf_type == current.kdf_type
        && sent.iterations == current.iterations
        && (current.kdf_type != ARGON2ID
            || (sent.memory == current.memory && sent.parallelism == current.parallelism))
}

/// The policy's `autoEnrollEnabled`.
fn auto_enrol(data: Option<&str>) -> bool {
    data.and_then(|d| serde_json::from_str::<serde_json::Value>(d).ok())
        .and_then(|v| {
            v.get("autoEnrollEnabled")
                .and_then(serde_json::Value::as_bool)
        })
        .unwrap_or(false)
}

impl Domain {
    /// The Account recovery policy of `org_id`: `None` when off, else whether it enrols members
    /// automatically.
    pub(crate) async fn recovery_policy(&self, org_id: OrgId) -> Result<Option<bool>, DomainError> {
        Ok(self
            .store
            .policies(org_id)
            .await?
            .into_iter()
            .find(|p| p.policy_type == PolicyType::ResetPassword && p.enabled)
            .map(|p| auto_enrol(p.data.as_deref())))
    }

    /// `GET /organizations/{id}/public-key` (and `…/keys`): the org public key, for anyone with a
    /// membership of it in any status or an invitation to it — the web vault wraps the user key to
    /// it before accepting when the Account recovery policy enrols automatically. Strangers get
    /// `NotFound`, as everywhere (the official server answers any signed-in user).
    pub async fn org_public_key(
        &self,
        caller: &Caller,
        org_id: OrgId,
    ) -> Result<Option<String>, DomainError> {
        let org = self.enabled_org(org_id).await?;
        if !self
            .store
            .has_membership_or_invitation(org_id, caller.user.id, &caller.user.email)
            .await?
        {
            // A member of the managing provider who may launch into it.
            self.org_actor(caller, org_id).await?;
        }
        Ok(org.public_key)
    }

    /// An event about `member` by the member themselves (no `OrgActor`: an accepted member
    /// enrols before being confirmed).
    fn own_member_event(&self, caller: &Caller, member: &OrgUserRow, t: EventType) -> EventRow {
        EventRow {
            org_id: Some(member.org_id),
            org_user_id: Some(member.id),
            user_id: member.user_id,
            acting_user_id: Some(caller.user.id),
            device_type: caller.claims.devicetype,
            ..EventRow::new(t, self.now())
        }
    }

    /// Accepting an invitation: enrols `m` when the Account recovery policy is on and a key came
    /// with the acceptance; refuses an acceptance without one when the policy enrols
    /// automatically. Returns the enrolment event to store with the acceptance.
    pub(crate) async fn enrol_on_accept(
        &self,
        caller: &Caller,
        m: &mut OrgUserRow,
        reset_password_key: Option<&str>,
    ) -> Result<Option<EventRow>, DomainError> {
        let Some(auto) = self.recovery_policy(m.org_id).await? else {
            return Ok(None);
        };
        match reset_password_key.filter(|k| !k.trim().is_empty()) {
            None if auto => Err(DomainError::bad_request(ENROLMENT_REQUIRED)),
            None => Ok(None),
            Some(key) => {
                check_reset_password_key(key)?;
                m.reset_password_key = Some(key.to_string());
                Ok(Some(self.own_member_event(
                    caller,
                    m,
                    EventType::OrganizationUserResetPasswordEnroll,
                )))
            }
        }
    }

    /// `PUT …/users/{userId}/reset-password-enrollment`: the caller enrols their own membership
    /// (after a master password check) or withdraws it (refused while the policy enrols
    /// automatically). `user_id` must be the caller's own.
    pub async fn set_recovery_enrolment(
        &self,
        caller: &Caller,
        org_id: OrgId,
        user_id: UserId,
        req: &OrganizationUserResetPasswordEnrollmentRequest,
    ) -> Result<(), DomainError> {
        if user_id != caller.user.id {
            return Err(DomainError::NotFound);
        }
        self.enabled_org(org_id).await?;
        let mut m = self
            .store
            .membership(org_id, caller.user.id)
            .await?
            .filter(|m| {
                matches!(
                    m.status,
                    OrganizationUserStatus::Accepted | OrganizationUserStatus::Confirmed
                )
            })
            .ok_or(DomainError::NotFound)?;
        let auto = self
            .recovery_policy(org_id)
            .await?
            .ok_or_else(|| DomainError::bad_request(POLICY_OFF))?;
        let event = match req
            .reset_password_key
            .as_deref()
            .filter(|k| !k.trim().is_empty())
        {
            Some(key) => {
                self.verify_master_password(&caller.user, req.master_password_hash.as_deref())
                    .await?;
                check_reset_password_key(key)?;
                m.reset_password_key = Some(key.to_string());
                EventType::OrganizationUserResetPasswordEnroll
            }
            None => {
                if auto {
                    return Err(DomainError::bad_request(NO_WITHDRAW));
                }
                m.reset_password_key = None;
                EventType::OrganizationUserResetPasswordWithdraw
            }
        };
        m.revision_date = self.now();
        let events = [self.own_member_event(caller, &m, event)];
        self.store.update_org_user(&m, None, &events).await?;
        Ok(())
    }

    /// The member `id` as a target of `actor`'s account recovery: enrolled, with an account,
    /// accepted, confirmed or revoked, and one the grant rules let the actor recover. Refusals
    /// of the rules are `Invalid` (the official server answers 400 here: a 403 logs its apps
    /// out); a member not enrolled or unknown is `not_enrolled`.
    pub(crate) async fn recovery_target(
        &self,
        actor: &OrgActor,
        id: OrgUserId,
        not_enrolled: fn() -> DomainError,
    ) -> Result<(OrgUserRow, UserRow), DomainError> {
        actor.require(OrgCapability::ManageResetPassword)?;
        let m = self
            .store
            .org_user(actor.org.id, id)
            .await?
            .ok_or(DomainError::NotFound)?;
        let people = self.provider_people(actor).await?;
        let subject = self.member_subject(actor, &m, &people).await?;
        let in_a_provider = match m.user_id {
            Some(u) => !self.store.provider_memberships_of_user(u).await?.is_empty(),
            None => false,
        };
        actor.check_recovery_target(&subject, in_a_provider)?;
        let usable = matches!(
            m.status,
            OrganizationUserStatus::Accepted
                | OrganizationUserStatus::Confirmed
                | OrganizationUserStatus::Revoked
        ) && m.reset_password_key.is_some();
        let user_id = m.user_id.filter(|_| usable).ok_or_else(not_enrolled)?;
        let user = self
            .store
            .user_by_id(user_id)
            .await?
            .ok_or(DomainError::NotFound)?;
        Ok((m, user))
    }

    /// `GET …/users/{id}/reset-password-details`: any refusal is `NotFound`, as on the official
    /// server.
    pub async fn recovery_details(
        &self,
        caller: &Caller,
        org_id: OrgId,
        id: OrgUserId,
    ) -> Result<RecoveryDetails, DomainError> {
        let actor = self.org_actor(caller, org_id).await?;
        let (member, user) = self
            .recovery_target(&actor, id, || DomainError::NotFound)
            .await
            .map_err(|e| match e {
                DomainError::Invalid { .. } => DomainError::NotFound,
                e => e,
            })?;
        let org_private_key = actor.org.private_key.clone().ok_or(DomainError::NotFound)?;
        Ok(RecoveryDetails {
            member,
            user,
            org_private_key,
        })
    }

    /// `POST …/users/account-recovery-details` `{ids}`: the details of those members the caller
    /// may recover, decided per member by the same rule as the single call (a member it may not
    /// recover, or that is not enrolled, is left out; an id that is no id names nobody).
    pub async fn recovery_details_of_many(
        &self,
        caller: &Caller,
        org_id: OrgId,
        ids: &[String],
    ) -> Result<Vec<RecoveryDetails>, DomainError> {
        if ids.len() > crate::membership::MAX_PER_CALL {
            return Err(DomainError::invalid(
                "ids",
                format!(
                    "At most {} members per request.",
                    crate::membership::MAX_PER_CALL
                ),
            ));
        }
        let actor = self.org_actor(caller, org_id).await?;
        actor.require(OrgCapability::ManageResetPassword)?;
        // Without its key pair the organization has nobody to recover.
        let Some(org_private_key) = actor.org.private_key.clone() else {
            return Ok(Vec::new());
        };
        let mut seen = std::collections::BTreeSet::new();
        let mut out = Vec::new();
        for id in ids.iter().filter_map(|s| s.parse::<OrgUserId>().ok()) {
            if !seen.insert(id) {
                continue;
            }
            match self
                .recovery_target(&actor, id, || DomainError::NotFound)
                .await
            {
                Ok((member, user)) => out.push(RecoveryDetails {
                    member,
                    user,
                    org_private_key: org_private_key.clone(),
                }),
                Err(DomainError::NotFound | DomainError::Invalid { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(out)
    }

    /// `PUT …/users/{id}/recover-account`: sets the member's new master password (hash and user
    /// key re-wrapped by the administrator's client; the server hashes the hash as for any
    /// password change) and/or removes their two-step login. A new password rotates the
    /// security stamp — every session of the member ends — and makes their clients ask for a
    /// password of their own (`forcePasswordReset`).
    pub async fn recover_account(
        &self,
        caller: &Caller,
        org_id: OrgId,
        id: OrgUserId,
        req: &OrganizationUserResetPasswordRequest,
    ) -> Result<(), DomainError> {
        let actor = self.org_actor(caller, org_id).await?;
        actor.require(OrgCapability::ManageResetPassword)?;
        if !req.reset_master_password && !req.reset_two_factor {
            return Err(DomainError::bad_request(NOTHING_ASKED));
        }
        if self.recovery_policy(org_id).await?.is_none() {
            return Err(DomainError::bad_request(POLICY_OFF));
        }
        let (member, user) = self
            .recovery_target(&actor, id, || DomainError::bad_request(NOT_ENROLLED))
            .await?;
        let update = match req.reset_master_password {
            false => None,
            true => {
                let (hash, key) = new_password(
                    &user,
                    req.new_master_password_hash.as_deref(),
                    req.key.as_deref(),
                    req.authentication_data.as_ref(),
                    req.unlock_data.as_ref(),
                )?;
                Some(CredentialUpdate {
                    password_hash: self.hasher.hash(hash.to_string()).await?,
                    password_hint: None,
                    replace_hint: false,
                    key: key.to_string(),
                    kdf: user.kdf,
                    security_stamp: new_security_stamp(),
                    force_password_reset: true,
                })
            }
        };
        let event = |t| EventRow {
            org_user_id: Some(member.id),
            user_id: member.user_id,
            ..self.org_event(&actor, t)
        };
        let mut events = vec![];
        if update.is_some() {
            events.push(event(EventType::OrganizationUserAdminResetPassword));
        }
        // Without two-step login, the member is out of every organization requiring it, as on
        // the official server (revoked, restored once they turn it on again).
        let mut revoked = vec![];
        if req.reset_two_factor {
            events.push(event(EventType::OrganizationUserAdminResetTwoFactor));
            let (rows, revocations) = self.two_factor_policy_revocations(&actor, user.id).await?;
            revoked = rows;
            events.extend(revocations);
        }
        let done = self
            .store
            .recover_member_account(
                org_id,
                user.id,
                update.as_ref(),
                req.reset_two_factor,
                &revoked,
                &events,
                self.now(),
            )
            .await?;
        if !done {
            return Err(DomainError::NotFound);
        }
        tracing::info!(org = %org_id, member = %member.id, by = %caller.user.id, "account recovered");
        // Their sessions ended with the new security stamp: their open clients log out now.
        self.push_logout(user.id);
        self.mail_recovered(&actor, &user, update.is_some()).await;
        Ok(())
    }

    async fn mail_recovered(&self, actor: &OrgActor, user: &UserRow, password: bool) {
        let Some(mailer) = &self.mailer else {
            return;
        };
        let what = if password {
            "set a new master password for your account"
        } else {
            "turned off two-step login on your account"
        };
        let subject = format!("Your account was recovered by {}", actor.org.name);
        let body = format!(
            "An administrator of the organization \"{}\" {what} on Keyfleet (account recovery).\n\n\
             Ask them for the temporary password, sign in and choose a new master password.\n\
             If you did not expect this, contact the organization's owners.\n",
            actor.org.name
        );
        if let Err(e) = mailer.send(&user.email, &subject, &body).await {
            tracing::warn!(org = %actor.org.id, error = %e, "account recovery notice not sent");
        }
    }

    /// `PUT /accounts/update-temp-password`: after an account recovery, the member sets a
    /// password of their own (refused when no recovery is pending). Every session ends.
    pub async fn update_temp_password(
        &self,
        caller: &Caller,
        req: &UpdateTempPasswordRequest,
    ) -> Result<(), DomainError> {
        if !caller.user.force_password_reset {
            return Err(DomainError::bad_request(NO_TEMP_PASSWORD));
        }
        let (hash, key) = new_password(
            &caller.user,
            req.new_master_password_hash.as_deref(),
            req.key.as_deref(),
            req.authentication_data.as_ref(),
            req.unlock_data.as_ref(),
        )?;
        let hint = req.master_password_hint.clone().filter(|h| !h.is_empty());
        if hint
            .as_ref()
            .is_some_and(|h| h.chars().count() > MAX_HINT_LEN)
        {
            return Err(DomainError::invalid(
                "masterPasswordHint",
                format!("The master password hint must be at most {MAX_HINT_LEN} characters."),
            ));
        }
        let update = CredentialUpdate {
            password_hash: self.hasher.hash(hash.to_string()).await?,
            replace_hint: true,
            password_hint: hint,
            key: key.to_string(),
            kdf: caller.user.kdf,
            security_stamp: new_security_stamp(),
            force_password_reset: false,
        };
        let now = self.now();
        let event = EventRow {
            user_id: Some(caller.user.id),
            acting_user_id: Some(caller.user.id),
            device_type: caller.claims.devicetype,
            ..EventRow::new(EventType::UserUpdatedTempPassword, now)
        };
        self.store
            .update_credentials(caller.user.id, &update, &[event], now)
            .await?;
        self.push_logout(caller.user.id);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_enrolment_is_read_from_the_policy_data() {
        assert!(auto_enrol(Some(r#"{"autoEnrollEnabled":true}"#)));
        assert!(!auto_enrol(Some(r#"{"autoEnrollEnabled":false}"#)));
        assert!(!auto_enrol(Some("{}")));
        assert!(!auto_enrol(None));
    }

    #[test]
    fn only_type_4_keys_are_enrolments() {
        assert!(check_reset_password_key("4.AAAA").is_ok());
        assert!(check_reset_password_key("2.AAAA|BBBB|CCCC").is_err());
        assert!(check_reset_password_key("").is_err());
    }
}
