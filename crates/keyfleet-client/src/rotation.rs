//! User key rotation, client side: a new user key, every personal item, folder and Send
//! re-encrypted (an item with its own key, and a Send, only re-wrap that key), the private key
//! re-wrapped, and the new key wrapped for each way back to it — the master key, each emergency
//! access grantee that holds a key, each organization the account is enrolled in for account
//! recovery, each trusted device whose public key it can open — then one
//! `rotate-user-account-keys` call. The server ends every session.

use crate::authed::{send, NO_BODY};
use crate::devices::rewrap_device_keys;
use crate::keys::wrap_to_public;
use crate::{ClientError, DeviceCalls, EmergencyAccessCalls, OrgCalls, Session};
use keyfleet_api::devices::OtherDeviceKeysUpdateRequest;
use keyfleet_api::key_management::{
    AccountDataRequest, AccountKeysRequest, CipherWithIdRequest, EmergencyAccessWithIdRequest,
    FolderWithIdRequest, MasterPasswordUnlockAndAuthenticationData,
    OrganizationUserAccountRecoveryRequest, RotateUserAccountKeysRequest, SendWithIdRequest,
    UnlockDataRequest,
};
use keyfleet_api::kinds::EmergencyAccessStatusType;
use keyfleet_api::sends::{SendRequest, SendResponse};
use keyfleet_api::vault::{
    AttachmentMetadataRequest, AttachmentResponse, CipherDetailsResponse, CipherRequest,
};
use keyfleet_api::ListResponse;
use keyfleet_crypto::{
    derive_master_key, master_password_hash, normalize_email, stretch_master_key, EncString, Kdf,
    PublicKey, SymmetricKey,
};
use reqwest::Method;
use serde::de::IgnoredAny;
use serde_json::Value;

/// Re-encrypts one EncString (type 2) from `old` to `new`.
fn reencrypt(old: &SymmetricKey, new: &SymmetricKey, enc: &str) -> Result<String, ClientError> {
    let plain = enc.parse::<EncString>()?.decrypt_aes(old)?;
    Ok(EncString::encrypt_aes(new, &plain).to_string())
}

/// Re-encrypts every EncString inside a free-form field (login, card, fields, …); plain values
/// the protocol puts there (dates, numbers, flags) stay as they are.
fn reencrypt_value(
    old: &SymmetricKey,
    new: &SymmetricKey,
    v: &mut Value,
) -> Result<(), ClientError> {
    match v {
        Value::String(s) => {
            if s.parse::<EncString>().is_ok() {
                *s = reencrypt(old, new, s)?;
            }
            Ok(())
        }
        Value::Array(items) => items
            .iter_mut()
            .try_for_each(|i| reencrypt_value(old, new, i)),
        Value::Object(map) => map
            .values_mut()
            .try_for_each(|i| reencrypt_value(old, new, i)),
        Value::Null | Value::Bool(_) | Value::Number(_) => Ok(()),
    }
}

fn reencrypt_opt(
    old: &SymmetricKey,
    new: &SymmetricKey,
    v: &Option<Value>,
) -> Result<Option<Value>, ClientError> {
    let mut v = v.clone();
    if let Some(v) = v.as_mut() {
        reencrypt_value(old, new, v)?;
    }
    Ok(v)
}

/// A personal item for the rotation: with its own key only that key is re-wrapped; otherwise
/// every encrypted field, and its attachments' names and keys, move to the new user key.
fn rotated_cipher(
    c: &CipherDetailsResponse,
    old: &SymmetricKey,
    new: &SymmetricKey,
) -> Result<CipherWithIdRequest, ClientError> {
    let attachments: Vec<AttachmentResponse> = match &c.attachments {
        Some(v) if !v.is_null() => serde_json::from_value(v.clone())
            .map_err(|e| ClientError::Decode(format!("attachments: {e}")))?,
        _ => Vec::new(),
    };
    let own_key = c.key.as_deref().filter(|k| !k.is_empty());
    // Under the item's own key, nothing but that key changes.
    let (k, n) = match own_key {
        Some(_) => (new, new),
        None => (old, new),
    };
    let same = |s: &str| -> Result<String, ClientError> {
        if own_key.is_some() {
            Ok(s.to_string())
        } else {
            reencrypt(k, n, s)
        }
    };
    let field = |v: &Option<Value>| -> Result<Option<Value>, ClientError> {
        if own_key.is_some() {
            Ok(v.clone())
        } else {
            reencrypt_opt(k, n, v)
        }
    };
    let attachments2 = attachments
        .iter()
        .map(|a| {
            Ok((
                a.id.clone(),
                AttachmentMetadataRequest {
                    file_name: Some(same(&a.file_name)?),
                    key: Some(same(&a.key)?),
                },
            ))
        })
        .collect::<Result<std::collections::BTreeMap<_, _>, ClientError>>()?;
    Ok(CipherWithIdRequest {
        id: c.id.clone(),
        cipher: CipherRequest {
            cipher_type: c.cipher_type,
            organization_id: None,
            folder_id: c.folder_id.clone(),
            favorite: Some(c.favorite),
            reprompt: Some(c.reprompt),
            key: own_key.map(|key| reencrypt(old, new, key)).transpose()?,
            name: same(&c.name)?,
            notes: c.notes.as_deref().map(same).transpose()?,
            fields: field(&c.fields)?,
            password_history: field(&c.password_history)?,
            login: field(&c.login)?,
            card: field(&c.card)?,
            identity: field(&c.identity)?,
            secure_note: field(&c.secure_note)?,
            ssh_key: field(&c.ssh_key)?,
            last_known_revision_date: Some(c.revision_date.clone()),
            archived_date: c.archived_date.clone(),
            encrypted_for: None,
            attachments2: (!attachments2.is_empty()).then_some(attachments2),
        },
    })
}

/// A Send for the rotation: its key material re-wrapped (everything else is under the Send's
/// own key), the rest as the owner sees it.
fn rotated_send(
    s: &SendResponse,
    old: &SymmetricKey,
    new: &SymmetricKey,
) -> Result<SendWithIdRequest, ClientError> {
    Ok(SendWithIdRequest {
        id: s.id.clone(),
        send: SendRequest {
            send_type: s.send_type,
            auth_type: Some(s.auth_type),
            file_length: None,
            name: Some(s.name.clone()),
            notes: s.notes.clone(),
            key: Some(reencrypt(old, new, &s.key)?),
            max_access_count: s.max_access_count,
            expiration_date: s.expiration_date.clone(),
            deletion_date: Some(s.deletion_date.clone()),
            text: s.text.clone(),
            file: s.file.clone(),
            password: None,
            emails: s.emails.clone(),
            disabled: Some(s.disabled),
            hide_email: Some(s.hide_email),
        },
    })
}

/// The KDF as the unlock data states it.
fn kdf_fields(kdf: &Kdf) -> (i32, i32, Option<i32>, Option<i32>) {
    let n = |v: u32| i32::try_from(v).unwrap_or(i32::MAX);
    match *kdf {
        Kdf::Pbkdf2 { iterations } => (0, n(iterations), None, None),
        Kdf::Argon2id {
            iterations,
            memory_mib,
            parallelism,
        } => (1, n(iterations), Some(n(memory_mib)), Some(n(parallelism))),
    }
}

impl Session {
    /// `GET /api/sends`: the account's Sends.
    pub async fn sends(&self) -> Result<Vec<SendResponse>, ClientError> {
        let list: ListResponse<SendResponse> =
            send(self, Method::GET, "/api/sends", NO_BODY).await?;
        Ok(list.data)
    }

    /// Builds the rotation to a fresh user key with the master password `password` (which
    /// stays), for the account as the server has it now. Nothing is sent.
    pub async fn user_key_rotation(
        &self,
        password: &str,
    ) -> Result<(RotateUserAccountKeysRequest, SymmetricKey), ClientError> {
        let old = self.user_key();
        let new = SymmetricKey::generate();
        let private = self
            .private_key()
            .ok_or_else(|| ClientError::Decode("this account has no key pair".into()))?;
        let (hash, kdf) = self.client().password_hash(&self.email, password).await?;
        let master = derive_master_key(password, &self.email, &kdf)?;
        let sync = self.sync().await?;

        let ciphers = sync
            .ciphers
            .iter()
            .filter(|c| c.organization_id.is_none())
            .map(|c| rotated_cipher(c, old, &new))
            .collect::<Result<Vec<_>, _>>()?;
        let folders = sync
            .head
            .folders
            .iter()
            .map(|f| {
                Ok(FolderWithIdRequest {
                    id: f.id.clone(),
                    name: reencrypt(old, &new, &f.name)?,
                })
            })
            .collect::<Result<Vec<_>, ClientError>>()?;
        let sends = self
            .sends()
            .await?
            .iter()
            .map(|s| rotated_send(s, old, &new))
            .collect::<Result<Vec<_>, _>>()?;

        // Each grantee holding the old key gets the new one, wrapped to their public key.
        let mut emergency = Vec::new();
        for grant in self.trusted_contacts().await? {
            let holds_key = matches!(
                grant.status,
                EmergencyAccessStatusType::Confirmed
                    | EmergencyAccessStatusType::RecoveryInitiated
                    | EmergencyAccessStatusType::RecoveryApproved
            );
            let Some(grantee) = grant.grantee_id.as_deref().filter(|_| holds_key) else {
                continue;
            };
            let public = self.user_public_key(grantee).await?;
            emergency.push(EmergencyAccessWithIdRequest {
                id: grant.id.clone(),
                access_type: grant.access_type,
                wait_time_days: grant.wait_time_days,
                key_encrypted: Some(wrap_to_public(
                    &PublicKey::from_spki_der_b64(&public.public_key)?,
                    &new,
                )?),
            });
        }
        // Each organization this account is enrolled in gets it wrapped to the org's key.
        let mut recovery = Vec::new();
        for org in sync
            .head
            .profile
            .organizations
            .iter()
            .filter(|o| o.reset_password_enrolled)
        {
            let public = self
                .org_public_key(&org.id)
                .await?
                .public_key
                .ok_or_else(|| {
                    ClientError::Decode("an enrolled organization has no key pair".into())
                })?;
            recovery.push(OrganizationUserAccountRecoveryRequest {
                organization_id: org.id.clone(),
                reset_password_key: Some(wrap_to_public(
                    &PublicKey::from_spki_der_b64(&public)?,
                    &new,
                )?),
            });
        }

        // Each trusted device whose public key opens with the old user key keeps its trust:
        // the new key wrapped to that public key, the public key under the new key. A device
        // whose keys do not open (made by another client, or broken) is left out and loses
        // its trust, as the official client untrusts it.
        let mut devices = Vec::new();
        for d in self.devices().await?.iter().filter(|d| d.is_trusted) {
            let rewrapped = d
                .encrypted_public_key
                .as_deref()
                .and_then(|k| rewrap_device_keys(k, old, &new));
            if let Some(k) = rewrapped {
                devices.push(OtherDeviceKeysUpdateRequest {
                    device_id: d.id.clone(),
                    encrypted_public_key: k.encrypted_public_key,
                    encrypted_user_key: k.encrypted_user_key,
                });
            }
        }

        let (kdf_type, kdf_iterations, kdf_memory, kdf_parallelism) = kdf_fields(&kdf);
        let req = RotateUserAccountKeysRequest {
            old_master_key_authentication_hash: hash.clone(),
            account_unlock_data: UnlockDataRequest {
                master_password_unlock_data: MasterPasswordUnlockAndAuthenticationData {
                    kdf_type,
                    kdf_iterations,
                    kdf_memory,
                    kdf_parallelism,
                    email: self.email.clone(),
                    master_key_authentication_hash: master_password_hash(&master, password),
                    master_key_encrypted_user_key: EncString::encrypt_aes(
                        &stretch_master_key(&master),
                        &new.to_bytes(),
                    )
                    .to_string(),
                    master_password_hint: None,
                    master_password_salt: Some(normalize_email(&self.email)),
                    contained_key_id: None,
                },
                emergency_access_unlock_data: emergency,
                organization_account_recovery_unlock_data: recovery,
                passkey_unlock_data: Vec::new(),
                device_key_unlock_data: devices,
            },
            account_keys: AccountKeysRequest {
                user_key_encrypted_account_private_key: EncString::encrypt_aes(
                    &new,
                    &private.to_pkcs8_der()?,
                )
                .to_string(),
                account_public_key: private.public_key().to_spki_der_b64()?,
                public_key_encryption_key_pair: None,
                signature_key_pair: None,
                security_state: None,
            },
            account_data: AccountDataRequest {
                ciphers,
                folders,
                sends,
            },
            new_user_key_id: None,
        };
        Ok((req, new))
    }

    /// `POST /api/accounts/key-management/rotate-user-account-keys` with a rotation (as built
    /// by [`Session::user_key_rotation`], or changed by a test).
    pub async fn post_user_key_rotation(
        &self,
        req: &RotateUserAccountKeysRequest,
    ) -> Result<(), ClientError> {
        let _: IgnoredAny = send(
            self,
            Method::POST,
            "/api/accounts/key-management/rotate-user-account-keys",
            Some(req),
        )
        .await?;
        Ok(())
    }

    /// Rotates this account's user key, keeping the master password `password`. Every session
    /// ends (this one too): log in again to go on.
    pub async fn rotate_user_key(&self, password: &str) -> Result<(), ClientError> {
        let (req, _) = self.user_key_rotation(password).await?;
        self.post_user_key_rotation(&req).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_encrypted_leaf_moves_to_the_new_key_and_plain_values_stay() {
        let old = SymmetricKey::generate();
        let new = SymmetricKey::generate();
        let mut v = serde_json::json!({
            "username": EncString::encrypt_str(&old, "me"),
            "uris": [{"uri": EncString::encrypt_str(&old, "https://a"), "match": null}],
            "passwordRevisionDate": "2026-01-01T00:00:00Z",
            "totp": null,
        });
        reencrypt_value(&old, &new, &mut v).unwrap();
        let get = |s: &Value| EncString::decrypt_str(s.as_str().unwrap(), &new).unwrap();
        assert_eq!(get(&v["username"]), "me");
        assert_eq!(get(&v["uris"][0]["uri"]), "https://a");
        assert_eq!(v["passwordRevisionDate"], "2026-01-01T00:00:00Z");
        assert!(EncString::decrypt_str(v["username"].as_str().unwrap(), &old).is_err());
    }
}
