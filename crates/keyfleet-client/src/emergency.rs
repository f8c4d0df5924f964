//! Emergency access with its client-side crypto. The grantor's client wraps its user key to the
//! grantee's public key (RSA-OAEP-SHA1, type 4) when confirming; the grantee's client unwraps it
//! with its own private key to read the grantor's items (View) or to set the grantor's new
//! master password with the same user key (Takeover) — the server never sees a user key.
//! Token-only calls are [`EmergencyAccessCalls`].

use crate::authed::{send, Bearer, NO_BODY};
use crate::keys::{unwrap_with_private, wrap_to_public};
use crate::orgs::OrgCalls;
use crate::{ClientError, Session};
use keyfleet_api::emergency_access::{
    EmergencyAccessAcceptRequest, EmergencyAccessConfirmRequest,
    EmergencyAccessGranteeDetailsResponse, EmergencyAccessGrantorDetailsResponse,
    EmergencyAccessInviteRequest, EmergencyAccessInviteResponse, EmergencyAccessPasswordRequest,
    EmergencyAccessTakeoverResponse, EmergencyAccessUpdateRequest, EmergencyAccessViewResponse,
};
use keyfleet_api::kinds::EmergencyAccessType;
use keyfleet_api::org_responses::PolicyResponse;
use keyfleet_api::ListResponse;
use keyfleet_crypto::{
    derive_master_key, master_password_hash, stretch_master_key, EncString, Kdf, PublicKey,
    SymmetricKey,
};
use reqwest::Method;

fn path(id: &str, rest: &str) -> String {
    format!("/api/emergency-access/{id}{rest}")
}

/// The emergency access calls that need an access token but no vault key.
// Callers await these where they are; none needs the futures to be `Send`.
#[allow(async_fn_in_trait)]
pub trait EmergencyAccessCalls: Bearer {
    /// `GET /api/emergency-access/trusted`: the caller's trusted contacts.
    async fn trusted_contacts(
        &self,
    ) -> Result<Vec<EmergencyAccessGranteeDetailsResponse>, ClientError> {
        let l: ListResponse<_> =
            send(self, Method::GET, "/api/emergency-access/trusted", NO_BODY).await?;
        Ok(l.data)
    }

    /// `GET /api/emergency-access/granted`: who trusts the caller.
    async fn granted_emergency_accesses(
        &self,
    ) -> Result<Vec<EmergencyAccessGrantorDetailsResponse>, ClientError> {
        let l: ListResponse<_> =
            send(self, Method::GET, "/api/emergency-access/granted", NO_BODY).await?;
        Ok(l.data)
    }

    /// `GET /api/emergency-access/{id}`: one trusted contact.
    async fn trusted_contact(
        &self,
        id: &str,
    ) -> Result<EmergencyAccessGranteeDetailsResponse, ClientError> {
        send(self, Method::GET, &path(id, ""), NO_BODY).await
    }

    /// `POST /api/emergency-access/invite`: the invitation goes by mail, or (no SMTP) comes
    /// back with its token and link.
    async fn invite_emergency_contact(
        &self,
        email: &str,
        access_type: EmergencyAccessType,
        wait_time_days: i32,
    ) -> Result<EmergencyAccessInviteResponse, ClientError> {
        let body = EmergencyAccessInviteRequest {
            email: email.to_string(),
            access_type,
            wait_time_days,
        };
        send(
            self,
            Method::POST,
            "/api/emergency-access/invite",
            Some(&body),
        )
        .await
    }

    /// `PUT /api/emergency-access/{id}`.
    async fn update_emergency_contact(
        &self,
        id: &str,
        req: &EmergencyAccessUpdateRequest,
    ) -> Result<(), ClientError> {
        send(self, Method::PUT, &path(id, ""), Some(req)).await
    }

    /// `DELETE /api/emergency-access/{id}` (grantor or grantee).
    async fn delete_emergency_access(&self, id: &str) -> Result<(), ClientError> {
        send(self, Method::DELETE, &path(id, ""), NO_BODY).await
    }

    /// `POST /api/emergency-access/{id}/reinvite`.
    async fn reinvite_emergency_contact(
        &self,
        id: &str,
    ) -> Result<EmergencyAccessInviteResponse, ClientError> {
        send(self, Method::POST, &path(id, "/reinvite"), NO_BODY).await
    }

    /// `POST /api/emergency-access/{id}/accept` with the mailed token.
    async fn accept_emergency_access(&self, id: &str, token: &str) -> Result<(), ClientError> {
        let body = EmergencyAccessAcceptRequest {
            token: token.to_string(),
        };
        send(self, Method::POST, &path(id, "/accept"), Some(&body)).await
    }

    /// `POST /api/emergency-access/{id}/confirm` with a key the caller wrapped.
    async fn confirm_emergency_access_with_key(
        &self,
        id: &str,
        key: &str,
    ) -> Result<(), ClientError> {
        let body = EmergencyAccessConfirmRequest {
            key: key.to_string(),
        };
        send(self, Method::POST, &path(id, "/confirm"), Some(&body)).await
    }

    /// `POST /api/emergency-access/{id}/initiate` (the grantee asks).
    async fn initiate_emergency_access(&self, id: &str) -> Result<(), ClientError> {
        send(self, Method::POST, &path(id, "/initiate"), NO_BODY).await
    }

    /// `POST /api/emergency-access/{id}/approve` (the grantor).
    async fn approve_emergency_access(&self, id: &str) -> Result<(), ClientError> {
        send(self, Method::POST, &path(id, "/approve"), NO_BODY).await
    }

    /// `POST /api/emergency-access/{id}/reject` (the grantor).
    async fn reject_emergency_access(&self, id: &str) -> Result<(), ClientError> {
        send(self, Method::POST, &path(id, "/reject"), NO_BODY).await
    }

    /// `POST /api/emergency-access/{id}/view`: the grantor's items, still encrypted.
    async fn emergency_view_raw(
        &self,
        id: &str,
    ) -> Result<EmergencyAccessViewResponse, ClientError> {
        send(self, Method::POST, &path(id, "/view"), NO_BODY).await
    }

    /// `POST /api/emergency-access/{id}/takeover`: the grantor's KDF, salt and wrapped key.
    async fn emergency_takeover_details(
        &self,
        id: &str,
    ) -> Result<EmergencyAccessTakeoverResponse, ClientError> {
        send(self, Method::POST, &path(id, "/takeover"), NO_BODY).await
    }

    /// `GET /api/emergency-access/{id}/policies`: the grantor's policies (when an owner).
    async fn emergency_grantor_policies(
        &self,
        id: &str,
    ) -> Result<Vec<PolicyResponse>, ClientError> {
        let l: ListResponse<_> = send(self, Method::GET, &path(id, "/policies"), NO_BODY).await?;
        Ok(l.data)
    }

    /// `POST /api/emergency-access/{id}/password` with a body the caller made.
    async fn post_emergency_password(
        &self,
        id: &str,
        req: &EmergencyAccessPasswordRequest,
    ) -> Result<(), ClientError> {
        send(self, Method::POST, &path(id, "/password"), Some(req)).await
    }
}

impl<T: Bearer + ?Sized> EmergencyAccessCalls for T {}

/// What `/password` sends for a takeover: the new master password hash and the grantor's user
/// key under the new stretched master key, with the grantor's KDF and salt (the salt answered,
/// else the grantor's address as the web vault does).
pub fn takeover_credentials(
    details: &EmergencyAccessTakeoverResponse,
    user_key: &SymmetricKey,
    grantor_email: &str,
    new_password: &str,
) -> Result<(String, String), ClientError> {
    let kdf = Kdf::from_wire(
        details.kdf,
        details.kdf_iterations,
        details.kdf_memory,
        details.kdf_parallelism,
    )?;
    let salt = details
        .salt
        .clone()
        .unwrap_or_else(|| grantor_email.trim().to_lowercase());
    let master = derive_master_key(new_password, &salt, &kdf)?;
    let key = EncString::encrypt_aes(&stretch_master_key(&master), &user_key.to_bytes());
    Ok((master_password_hash(&master, new_password), key.to_string()))
}

/// The grantor's items as a View grantee opens them.
#[derive(Debug, Clone)]
pub struct EmergencyVault {
    /// The grantor's user key.
    pub key: SymmetricKey,
    /// The items as served (decrypt with [`EmergencyVault::decrypt`]).
    pub view: EmergencyAccessViewResponse,
}

impl EmergencyVault {
    /// Decrypts one of the grantor's EncStrings.
    pub fn decrypt(&self, enc: &str) -> Result<String, ClientError> {
        Ok(EncString::decrypt_str(enc, &self.key)?)
    }
}

impl Session {
    fn private_key_or_err(&self) -> Result<&keyfleet_crypto::PrivateKey, ClientError> {
        self.private_key()
            .ok_or_else(|| ClientError::Decode("this account has no key pair".into()))
    }

    /// Confirms an accepted grantee: wraps this user's key to the grantee's public key.
    /// Answers the grantee's fingerprint phrase (to compare out of band).
    pub async fn confirm_emergency_access(&self, id: &str) -> Result<String, ClientError> {
        let contact = self.trusted_contact(id).await?;
        let grantee = contact
            .grantee_id
            .ok_or_else(|| ClientError::Decode("the contact has not accepted".into()))?;
        let public = self.user_public_key(&grantee).await?;
        let public = PublicKey::from_spki_der_b64(&public.public_key)?;
        let fingerprint = public.fingerprint_phrase(&grantee)?;
        let key = wrap_to_public(&public, self.user_key())?;
        self.confirm_emergency_access_with_key(id, &key).await?;
        Ok(fingerprint)
    }

    /// An approved View grantee reads and opens the grantor's personal items.
    pub async fn emergency_view(&self, id: &str) -> Result<EmergencyVault, ClientError> {
        let view = self.emergency_view_raw(id).await?;
        let key = unwrap_with_private(self.private_key_or_err()?, &view.key_encrypted)?;
        Ok(EmergencyVault { key, view })
    }

    /// An approved Takeover grantee sets `new_password` as the grantor's master password (the
    /// grantor's KDF and salt, the same user key), in the older body shape or, with
    /// `newer_body`, as `authenticationData` + `unlockData`.
    pub async fn emergency_takeover(
        &self,
        id: &str,
        grantor_email: &str,
        new_password: &str,
        newer_body: bool,
    ) -> Result<(), ClientError> {
        let details = self.emergency_takeover_details(id).await?;
        let user_key = unwrap_with_private(self.private_key_or_err()?, &details.key_encrypted)?;
        let (hash, key) = takeover_credentials(&details, &user_key, grantor_email, new_password)?;
        let req = if newer_body {
            let kdf = keyfleet_api::identity::KdfSettings {
                kdf_type: details.kdf,
                iterations: details.kdf_iterations,
                memory: details.kdf_memory,
                parallelism: details.kdf_parallelism,
            };
            let salt = details
                .salt
                .clone()
                .unwrap_or_else(|| grantor_email.trim().to_lowercase());
            EmergencyAccessPasswordRequest {
                authentication_data: Some(
                    keyfleet_api::identity::MasterPasswordAuthenticationData {
                        kdf: kdf.clone(),
                        master_password_authentication_hash: hash,
                        salt: salt.clone(),
                    },
                ),
                unlock_data: Some(keyfleet_api::identity::MasterPasswordUnlockData {
                    kdf,
                    master_key_wrapped_user_key: key,
                    salt,
                }),
                ..Default::default()
            }
        } else {
            EmergencyAccessPasswordRequest {
                new_master_password_hash: Some(hash),
                key: Some(key),
                ..Default::default()
            }
        };
        self.post_emergency_password(id, &req).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_taken_over_user_key_opens_under_the_new_password() {
        let user_key = SymmetricKey::generate();
        let kdf = Kdf::Pbkdf2 { iterations: 5_000 };
        let details = EmergencyAccessTakeoverResponse {
            key_encrypted: "4.unused".into(),
            kdf: kdf.kdf_type(),
            kdf_iterations: kdf.iterations(),
            kdf_memory: None,
            kdf_parallelism: None,
            salt: Some("grantor@example.com".into()),
            object: "emergencyAccessTakeover".into(),
        };
        let (hash, wrapped) =
            takeover_credentials(&details, &user_key, "ignored", "new password").unwrap();
        let master = derive_master_key("new password", "grantor@example.com", &kdf).unwrap();
        assert_eq!(hash, master_password_hash(&master, "new password"));
        let raw = wrapped
            .parse::<EncString>()
            .unwrap()
            .decrypt_aes(&stretch_master_key(&master))
            .unwrap();
        assert_eq!(SymmetricKey::from_bytes(&raw).unwrap(), user_key);
    }
}
