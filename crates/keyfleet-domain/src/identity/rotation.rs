//! User key rotation (`rotate-user-account-keys`): the client makes a new user key, re-encrypts
//! what the old one protected and re-wraps it for every way back to it; the server checks that
//! the rotation covers exactly the account's own rows (a missing one would stay under the old
//! key and be lost, a foreign one is not the caller's to touch) and stores it all in one
//! transaction with a new security stamp, so every session ends.
//!
//! As on the official server (`RotateUserAccountKeysCommand`, the `*RotationValidator`s): the
//! current master password is checked, the KDF, salt and public key stay, and the request lists
//! every personal item, folder and Send, every emergency access the user grants that holds a
//! key and every organization membership enrolled in account recovery. Stricter than the
//! official server, which skips ids it does not know: an id that is not the caller's is refused.
//! Trusted devices (`deviceKeyUnlockData`) may be left out: they lose their trust, where the
//! official server refuses the rotation.

use crate::error::DomainError;
use crate::identity::accounts::check_enc_string;
use crate::identity::caller::Caller;
use crate::identity::devices::trust_update;
use crate::identity::password::PasswordHasher;
use crate::identity::tokens::new_security_stamp;
use crate::store::{CredentialUpdate, KdfParams, RotatedCipher, UserKeyRotation};
use crate::vault::cipher_content_json;
use crate::Domain;
use keyfleet_api::key_management::RotateUserAccountKeysRequest;
use keyfleet_crypto::normalize_email;
use std::collections::BTreeSet;
use std::str::FromStr;

/// Longest wrapped key or EncString name accepted.
const MAX_KEY_LEN: usize = 10_000;
const MAX_HINT_LEN: usize = 50;
/// Bitwarden's LogOut reason for a key rotation (`PushNotificationLogOutReason.KeyRotation`).
const LOGOUT_KEY_ROTATION: i32 = 1;

/// Parses every id of one kind; an id that is no id names nothing of the caller's.
fn parse_ids<T: FromStr>(what: &str, raw: &[&str]) -> Result<Vec<T>, DomainError> {
    raw.iter()
        .map(|s| s.parse().map_err(|_| not_own(what)))
        .collect()
}

fn not_own(what: &str) -> DomainError {
    DomainError::bad_request(format!(
        "Only the account's own {what} can be rotated; sync and try again."
    ))
}

/// The rotation names only the account's rows of one kind, each at most once.
fn only_own_once<T: Ord + Copy>(
    what: &str,
    given: &[T],
    held: &[T],
) -> Result<BTreeSet<T>, DomainError> {
    let held: BTreeSet<T> = held.iter().copied().collect();
    let mut seen = BTreeSet::new();
    for id in given {
        if !held.contains(id) {
            return Err(not_own(what));
        }
        if !seen.insert(*id) {
            return Err(DomainError::bad_request(format!(
                "The rotation names one of the {what} twice."
            )));
        }
    }
    Ok(seen)
}

/// The rotation names each of the account's rows of one kind exactly once, and nothing else.
fn covers_exactly<T: Ord + Copy>(what: &str, given: &[T], held: &[T]) -> Result<(), DomainError> {
    let seen = only_own_once(what, given, held)?;
    if seen.len() != held.len() {
        return Err(DomainError::bad_request(format!(
            "All existing {what} must be included in the rotation."
        )));
    }
    Ok(())
}

/// A wrapped key the rotation must carry (a blank one would lock that way back out).
fn required_key(field: &'static str, value: Option<&str>) -> Result<String, DomainError> {
    match value.map(str::trim) {
        Some(v) if !v.is_empty() => {
            check_enc_string(field, v, MAX_KEY_LEN)?;
            Ok(v.to_string())
        }
        _ => Err(DomainError::invalid(
            field,
            format!("The field {field} cannot be empty during a rotation."),
        )),
    }
}

impl Domain {
    /// Rotates the caller's user key: checks the current password and that the rotation covers
    /// exactly what the account holds, then stores it all at once; every session ends and the
    /// account's apps are told to log out (reason: key rotation).
    pub async fn rotate_user_keys(
        &self,
        caller: &Caller,
        req: &RotateUserAccountKeysRequest,
    ) -> Result<(), DomainError> {
        let user = &caller.user;
        self.verify_master_password(user, Some(&req.old_master_key_authentication_hash))
            .await?;
        let unlock = &req.account_unlock_data.master_password_unlock_data;
        let keys = &req.account_keys;
        if keys.signature_key_pair.is_some() || keys.security_state.is_some() {
            return Err(DomainError::bad_request(
                "Keyfleet accounts have no signing keys; rotate without upgrading the account.",
            ));
        }

        // The master password path: same KDF and salt, the new user key wrapped with the
        // (possibly new) master key.
        let kdf = KdfParams {
            kdf_type: unlock.kdf_type,
            iterations: unlock.kdf_iterations,
            memory: unlock.kdf_memory,
            parallelism: unlock.kdf_parallelism,
        };
        let salt = unlock
            .master_password_salt
            .as_deref()
            .unwrap_or(&unlock.email);
        if kdf != user.kdf
            || normalize_email(&unlock.email) != user.email
            || normalize_email(salt) != user.email
        {
            return Err(DomainError::bad_request(
                "The provided master password unlock data is not valid for this user.",
            ));
        }
        let hint = unlock
            .master_password_hint
            .clone()
            .filter(|h| !h.is_empty());
        if hint
            .as_ref()
            .is_some_and(|h| h.chars().count() > MAX_HINT_LEN)
        {
            return Err(DomainError::invalid(
                "masterPasswordHint",
                format!("The field masterPasswordHint must be at most {MAX_HINT_LEN} characters."),
            ));
        }
        PasswordHasher::check_client_hash(&unlock.master_key_authentication_hash)?;
        let wrapped_user_key = required_key(
            "masterKeyEncryptedUserKey",
            Some(&unlock.master_key_encrypted_user_key),
        )?;

        // The key pair stays; only the private key's wrapping changes.
        if user.public_key.as_deref() != Some(keys.account_public_key.trim()) {
            return Err(DomainError::bad_request(
                "The account's public key cannot change in a rotation.",
            ));
        }
        let private_key = required_key(
            "userKeyEncryptedAccountPrivateKey",
            Some(&keys.user_key_encrypted_account_private_key),
        )?;
        if !private_key.starts_with("2.") {
            return Err(DomainError::invalid(
                "userKeyEncryptedAccountPrivateKey",
                "The private key must be wrapped with the new user key (type 2).",
            ));
        }

        // Exactly the account's own rows, each once.
        let held = self.store.rotation_inventory(user.id).await?;
        let data = &req.account_data;
        let cipher_ids = parse_ids(
            "items",
            &data
                .ciphers
                .iter()
                .map(|c| c.id.as_str())
                .collect::<Vec<_>>(),
        )?;
        let held_ciphers: Vec<_> = held.ciphers.iter().map(|(id, _)| *id).collect();
        covers_exactly("items", &cipher_ids, &held_ciphers)?;
        let folder_ids = parse_ids(
            "folders",
            &data
                .folders
                .iter()
                .map(|f| f.id.as_str())
                .collect::<Vec<_>>(),
        )?;
        covers_exactly("folders", &folder_ids, &held.folders)?;
        let send_ids = parse_ids(
            "Sends",
            &data.sends.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
        )?;
        covers_exactly("Sends", &send_ids, &held.sends)?;
        let ea = &req.account_unlock_data.emergency_access_unlock_data;
        let ea_ids = parse_ids(
            "emergency access keys",
            &ea.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(),
        )?;
        covers_exactly("emergency access keys", &ea_ids, &held.emergency_access)?;
        let recovery = &req
            .account_unlock_data
            .organization_account_recovery_unlock_data;
        let org_ids = parse_ids(
            "account recovery keys",
            &recovery
                .iter()
                .map(|r| r.organization_id.as_str())
                .collect::<Vec<_>>(),
        )?;
        covers_exactly("account recovery keys", &org_ids, &held.enrolments)?;
        // Trusted devices: those listed keep their trust with re-wrapped keys, the others lose
        // it in the same write (the official server refuses a rotation that leaves one out; a
        // client that cannot re-wrap a device's keys would then be unable to rotate at all).
        let device_data = &req.account_unlock_data.device_key_unlock_data;
        let device_ids = parse_ids(
            "trusted devices",
            &device_data
                .iter()
                .map(|d| d.device_id.as_str())
                .collect::<Vec<_>>(),
        )?;
        only_own_once("trusted devices", &device_ids, &held.trusted_devices)?;
        let devices = device_ids
            .iter()
            .zip(device_data)
            .map(|(id, d)| trust_update(*id, &d.encrypted_user_key, &d.encrypted_public_key))
            .collect::<Result<Vec<_>, DomainError>>()?;

        // Each row's new content, checked as its own save would be.
        let mut ciphers = Vec::with_capacity(data.ciphers.len());
        for (id, c) in cipher_ids.iter().zip(&data.ciphers) {
            let stored_type = held
                .ciphers
                .iter()
                .find(|(held_id, _)| held_id == id)
                .map(|(_, t)| *t);
            if stored_type != Some(c.cipher.cipher_type) {
                return Err(DomainError::invalid(
                    "type",
                    "The item type cannot be changed.",
                ));
            }
            if c.cipher
                .organization_id
                .as_deref()
                .is_some_and(|o| !o.is_empty())
            {
                return Err(not_own("items"));
            }
            ciphers.push(RotatedCipher {
                id: *id,
                data: cipher_content_json(&c.cipher)?,
                attachments: Self::attachment_names(&c.cipher),
            });
        }
        let folders = folder_ids
            .iter()
            .zip(&data.folders)
            .map(|(id, f)| Ok((*id, required_key("name", Some(&f.name))?)))
            .collect::<Result<Vec<_>, DomainError>>()?;
        let sends = send_ids
            .iter()
            .zip(&data.sends)
            .map(|(id, s)| Ok((*id, required_key("key", s.send.key.as_deref())?)))
            .collect::<Result<Vec<_>, DomainError>>()?;
        let emergency_access = ea_ids
            .iter()
            .zip(ea)
            .map(|(id, e)| {
                Ok((
                    *id,
                    required_key("keyEncrypted", e.key_encrypted.as_deref())?,
                ))
            })
            .collect::<Result<Vec<_>, DomainError>>()?;
        let enrolments = org_ids
            .iter()
            .zip(recovery)
            .map(|(id, r)| {
                Ok((
                    *id,
                    required_key("resetPasswordKey", r.reset_password_key.as_deref())?,
                ))
            })
            .collect::<Result<Vec<_>, DomainError>>()?;
        let user_key_id = req
            .new_user_key_id
            .clone()
            .filter(|k| !k.is_empty() && k.len() <= 64 && k.chars().all(|c| c.is_ascii_hexdigit()));

        let rotation = UserKeyRotation {
            credentials: CredentialUpdate {
                password_hash: self
                    .hasher
                    .hash(unlock.master_key_authentication_hash.clone())
                    .await?,
                password_hint: hint,
                replace_hint: true,
                key: wrapped_user_key,
                kdf: user.kdf,
                security_stamp: new_security_stamp(),
                force_password_reset: user.force_password_reset,
            },
            private_key,
            user_key_id,
            ciphers,
            folders,
            sends,
            emergency_access,
            enrolments,
            devices,
        };
        if !self
            .store
            .rotate_user_keys(user.id, &rotation, self.now())
            .await?
        {
            return Err(DomainError::bad_request(
                "The vault changed during the rotation; sync and try again.",
            ));
        }
        self.push_logout_because(user.id, Some(LOGOUT_KEY_ROTATION));
        Ok(())
    }
}
