//! Account recovery with its client-side crypto. Enrolling wraps the member's user key to the
//! org public key (type 4); recovering unwraps it with the org private key (itself under the org
//! key), derives the new master key from the member's KDF and salt, and re-wraps the same user
//! key under it — the vault stays readable and the server never sees a user key.

use super::calls::OrgCalls;
use crate::account::AccountCalls;
use crate::keys::{unwrap_with_private, wrap_to_public};
use crate::{ClientError, Session};
use keyfleet_api::accounts::UpdateTempPasswordRequest;
use keyfleet_api::orgs::{
    OrganizationUserResetPasswordEnrollmentRequest, OrganizationUserResetPasswordRequest,
};
use keyfleet_crypto::{
    derive_master_key, master_password_hash, stretch_master_key, EncString, Kdf, PrivateKey,
    PublicKey, SymmetricKey,
};

/// The user key wrapped to an organization's public key: an enrolment.
pub fn recovery_key(
    org_public_key_b64: &str,
    user_key: &SymmetricKey,
) -> Result<String, ClientError> {
    wrap_to_public(&PublicKey::from_spki_der_b64(org_public_key_b64)?, user_key)
}

/// What `recover-account` sends for `details` and `new_password`: the new master password hash
/// and the member's user key (unwrapped from the enrolment with the org private key) under the
/// new stretched master key.
pub fn recovery_credentials(
    details: &keyfleet_api::org_responses::OrganizationUserResetPasswordDetailsResponse,
    org_key: &SymmetricKey,
    new_password: &str,
) -> Result<(String, String), ClientError> {
    let user_key = recovered_user_key(details, org_key)?;
    let kdf = Kdf::from_wire(
        details.kdf,
        details.kdf_iterations,
        details.kdf_memory,
        details.kdf_parallelism,
    )?;
    let master = derive_master_key(new_password, &details.master_password_salt, &kdf)?;
    let key = EncString::encrypt_aes(&stretch_master_key(&master), &user_key.to_bytes());
    Ok((master_password_hash(&master, new_password), key.to_string()))
}

/// The member's user key from their enrolment in `details`: unwrapped with the org private key,
/// itself under `org_key`.
pub fn recovered_user_key(
    details: &keyfleet_api::org_responses::OrganizationUserResetPasswordDetailsResponse,
    org_key: &SymmetricKey,
) -> Result<SymmetricKey, ClientError> {
    let der = details
        .encrypted_private_key
        .parse::<EncString>()?
        .decrypt_aes(org_key)?;
    let org_private = PrivateKey::from_pkcs8_der(&der)?;
    unwrap_with_private(&org_private, &details.reset_password_key)
}

impl Session {
    /// Approves a member's admin approval request `request` of `org_id` (device login): the
    /// member's user key, unwrapped from their account recovery enrolment
    /// (`reset-password-details` and the org private key), wrapped to the request's public key.
    /// The org key comes from this user's sync (their membership, or the provider they launch
    /// from). Compare the fingerprint phrase with the member first
    /// (`auth_request_fingerprint(email, publicKey)`).
    pub async fn approve_member_device(
        &self,
        org_id: &str,
        request: &keyfleet_api::devices::PendingOrganizationAuthRequestResponse,
    ) -> Result<(), ClientError> {
        use crate::devices::DeviceCalls;
        let org_key = self.org_key(org_id).await?;
        let details = self
            .recovery_details(org_id, &request.organization_user_id)
            .await?;
        let user_key = recovered_user_key(&details, &org_key)?;
        let public = PublicKey::from_spki_der_b64(&request.public_key)?;
        let body = keyfleet_api::devices::AdminAuthRequestUpdateRequest {
            encrypted_user_key: Some(wrap_to_public(&public, &user_key)?),
            request_approved: true,
        };
        self.answer_org_auth_request(org_id, &request.id, &body)
            .await
    }

    /// Enrols this user's membership of `org_id` in account recovery (password re-check).
    pub async fn enrol_in_account_recovery(
        &self,
        org_id: &str,
        password: &str,
    ) -> Result<(), ClientError> {
        let public = self.org_public_key(org_id).await?;
        let public = public
            .public_key
            .ok_or_else(|| ClientError::Decode("the organization has no key pair".into()))?;
        let req = OrganizationUserResetPasswordEnrollmentRequest {
            reset_password_key: Some(recovery_key(&public, self.user_key())?),
            master_password_hash: Some(self.hash(password).await?),
        };
        self.put_recovery_enrolment(org_id, &self.user_id, &req)
            .await
    }

    /// Withdraws this user's membership of `org_id` from account recovery.
    pub async fn withdraw_from_account_recovery(&self, org_id: &str) -> Result<(), ClientError> {
        let req = OrganizationUserResetPasswordEnrollmentRequest::default();
        self.put_recovery_enrolment(org_id, &self.user_id, &req)
            .await
    }

    /// Accepts an invitation and enrols in account recovery with it, as the web vault does
    /// when the organization's policy enrols automatically.
    pub async fn accept_invite_enrolling(
        &self,
        org_id: &str,
        org_user_id: &str,
        token: &str,
    ) -> Result<(), ClientError> {
        let public = self.org_public_key(org_id).await?;
        let public = public
            .public_key
            .ok_or_else(|| ClientError::Decode("the organization has no key pair".into()))?;
        let key = recovery_key(&public, self.user_key())?;
        self.accept_org_invite_with_key(org_id, org_user_id, token, Some(&key))
            .await
    }

    /// Recovers the account of the member `org_user_id` of `org_id`: sets `new_password` as
    /// their master password (and removes their two-step login with `reset_two_factor`). The
    /// org key comes from this user's sync (their membership, or the provider they launch from).
    pub async fn recover_account(
        &self,
        org_id: &str,
        org_user_id: &str,
        new_password: &str,
        reset_two_factor: bool,
    ) -> Result<(), ClientError> {
        let org_key = self.org_key(org_id).await?;
        let details = self.recovery_details(org_id, org_user_id).await?;
        let (hash, key) = recovery_credentials(&details, &org_key, new_password)?;
        let req = OrganizationUserResetPasswordRequest {
            reset_master_password: true,
            reset_two_factor,
            new_master_password_hash: Some(hash),
            key: Some(key),
            ..Default::default()
        };
        self.put_recover_account(org_id, org_user_id, &req).await
    }

    /// After an account recovery: replaces the temporary password with `new_password` (same
    /// KDF; the user key stays). Every session ends.
    pub async fn update_temp_password(&self, new_password: &str) -> Result<(), ClientError> {
        let kdf = self.client().prelogin(&self.email).await?;
        let master = derive_master_key(new_password, &self.email, &kdf)?;
        let req = UpdateTempPasswordRequest {
            new_master_password_hash: Some(master_password_hash(&master, new_password)),
            key: Some(
                EncString::encrypt_aes(&stretch_master_key(&master), &self.user_key().to_bytes())
                    .to_string(),
            ),
            master_password_hint: None,
            authentication_data: None,
            unlock_data: None,
        };
        self.put_update_temp_password(&req).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::NewOrgKeys;
    use keyfleet_api::org_responses::OrganizationUserResetPasswordDetailsResponse;

    #[test]
    fn a_recovered_user_key_opens_under_the_new_password() {
        let org = NewOrgKeys::generate().unwrap();
        let user_key = SymmetricKey::generate();
        let kdf = Kdf::Pbkdf2 { iterations: 5_000 };
        let details = OrganizationUserResetPasswordDetailsResponse {
            organization_user_id: "m".into(),
            kdf: kdf.kdf_type(),
            kdf_iterations: kdf.iterations(),
            kdf_memory: None,
            kdf_parallelism: None,
            master_password_salt: "member@example.com".into(),
            reset_password_key: recovery_key(&org.public_key, &user_key).unwrap(),
            encrypted_private_key: org.encrypted_private_key.clone(),
            object: "organizationUserResetPasswordDetails".into(),
        };
        assert!(details.reset_password_key.starts_with("4."));
        let (hash, wrapped) = recovery_credentials(&details, &org.key, "new password").unwrap();
        let master = derive_master_key("new password", "member@example.com", &kdf).unwrap();
        assert_eq!(hash, master_password_hash(&master, "new password"));
        let raw = wrapped
            .parse::<EncString>()
            .unwrap()
            .decrypt_aes(&stretch_master_key(&master))
            .unwrap();
        assert_eq!(SymmetricKey::from_bytes(&raw).unwrap(), user_key);
        assert!(recovery_credentials(&details, &SymmetricKey::generate(), "x").is_err());
    }
}
