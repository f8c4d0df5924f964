//! The devices a user logged in from: listing them (with each one's pending login request),
//! renaming, and removing one, which ends its sessions.
//!
//! Removing (Bitwarden's "deactivate" and `DELETE`) deletes the row and revokes the device's
//! refresh tokens in one transaction, so it cannot get another access token; its remembered
//! second factor goes with the row, and `knowndevice` answers false for it. An access token
//! it already holds stays valid until it expires (at most an hour): ending it at once would need
//! a new security stamp, which would log out every other device too. A removed device that logs
//! in again with the master password comes back as a new device.
//!
//! Trusted-device keys are the client's ciphertext. `update-trust` (and a user key rotation,
//! `identity::rotation`) re-keys devices that are trusted already and untrusts the rest: it
//! keeps or drops trust, never grants it.

use crate::error::DomainError;
use crate::identity::auth_requests::store::AuthRequestRow;
use crate::identity::caller::Caller;
use crate::ids::DeviceId;
use crate::store::{DeviceKeys, DeviceRow, DeviceTrustUpdate};
use crate::Domain;
use keyfleet_api::devices::{DeviceKeysRequest, UpdateDevicesTrustRequest};
use keyfleet_crypto::validate_enc_string;
use std::collections::BTreeSet;

/// A device and the newest pending login request made from it.
#[derive(Debug, Clone)]
pub struct DeviceListing {
    /// The device.
    pub device: DeviceRow,
    /// Its newest pending login request.
    pub pending: Option<AuthRequestRow>,
}

/// Longest device name.
const MAX_DEVICE_NAME: usize = 128;
/// Longest trusted-device key accepted (an RSA-4096 private key under a symmetric key is under
/// 4,000 characters).
const MAX_DEVICE_KEY: usize = 10_000;
/// Most devices one `untrust` call names.
const MAX_UNTRUST: usize = 100;

/// `value` as an EncString of type `enc_type` (its first character) of a sane length.
fn device_key(field: &'static str, value: &str, enc_type: char) -> Result<String, DomainError> {
    let ok = value.len() <= MAX_DEVICE_KEY
        && value.starts_with(enc_type)
        && value[1..].starts_with('.')
        && validate_enc_string(value).is_ok();
    if ok {
        Ok(value.to_string())
    } else {
        Err(DomainError::invalid(
            field,
            format!("The key must be an EncString of type {enc_type}."),
        ))
    }
}

/// A device's keys re-wrapped for a new user key, checked as `PUT …/keys` checks them.
pub(crate) fn trust_update(
    device: DeviceId,
    encrypted_user_key: &str,
    encrypted_public_key: &str,
) -> Result<DeviceTrustUpdate, DomainError> {
    Ok(DeviceTrustUpdate {
        device,
        encrypted_user_key: device_key("encryptedUserKey", encrypted_user_key, '4')?,
        encrypted_public_key: device_key("encryptedPublicKey", encrypted_public_key, '2')?,
    })
}

fn invalid_device() -> DomainError {
    DomainError::bad_request("Invalid device.")
}

impl Domain {
    /// `GET /devices`: the caller's devices, each with its newest pending login request.
    pub async fn list_devices(&self, caller: &Caller) -> Result<Vec<DeviceListing>, DomainError> {
        let user_id = caller.user().id;
        let pending = self.newest_pending_per_device(user_id).await?;
        Ok(self
            .store
            .devices_of(user_id)
            .await?
            .into_iter()
            .map(|device| DeviceListing {
                pending: pending
                    .iter()
                    .find(|p| p.request_device_identifier == device.identifier)
                    .cloned(),
                device,
            })
            .collect())
    }

    /// `GET /devices/{id}`: one of the caller's devices.
    pub async fn device_of(&self, caller: &Caller, id: DeviceId) -> Result<DeviceRow, DomainError> {
        self.store
            .device(id)
            .await?
            .filter(|d| d.user_id == caller.user().id)
            .ok_or(DomainError::NotFound)
    }

    /// `GET /devices/identifier/{identifier}`: one of the caller's devices by its identifier.
    pub async fn device_with_identifier(
        &self,
        caller: &Caller,
        identifier: &str,
    ) -> Result<DeviceRow, DomainError> {
        self.store
            .device_by_identifier(caller.user().id, identifier)
            .await?
            .ok_or(DomainError::NotFound)
    }

    /// `PUT /devices/{id}`: renames one of the caller's devices.
    pub async fn rename_device(
        &self,
        caller: &Caller,
        id: DeviceId,
        name: &str,
    ) -> Result<DeviceRow, DomainError> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > MAX_DEVICE_NAME {
            return Err(DomainError::invalid(
                "name",
                "The device name must be 1 to 128 characters.",
            ));
        }
        if !self.store.rename_device(caller.user().id, id, name).await? {
            return Err(DomainError::NotFound);
        }
        self.device_of(caller, id).await
    }

    /// `POST /devices/{id}/deactivate`, `DELETE /devices/{id}`: removes one of the caller's
    /// devices and revokes its refresh tokens (see the module notes for its access token).
    pub async fn remove_device(&self, caller: &Caller, id: DeviceId) -> Result<(), DomainError> {
        if !self.store.remove_device(caller.user().id, id).await? {
            return Err(DomainError::NotFound);
        }
        Ok(())
    }

    /// `PUT /devices/{identifier}/keys`: stores the trusted-device keys of one of the caller's
    /// devices (ciphertext only: the user key wrapped to the device's key, and the device's key
    /// pair under the user key and the device key).
    pub async fn set_device_keys(
        &self,
        caller: &Caller,
        identifier: &str,
        req: &DeviceKeysRequest,
    ) -> Result<DeviceRow, DomainError> {
        let keys = DeviceKeys {
            encrypted_user_key: device_key("encryptedUserKey", &req.encrypted_user_key, '4')?,
            encrypted_public_key: device_key("encryptedPublicKey", &req.encrypted_public_key, '2')?,
            encrypted_private_key: device_key(
                "encryptedPrivateKey",
                &req.encrypted_private_key,
                '2',
            )?,
        };
        let user_id = caller.user().id;
        if !self
            .store
            .set_device_keys(user_id, identifier, Some(&keys))
            .await?
        {
            return Err(DomainError::NotFound);
        }
        self.device_with_identifier(caller, identifier).await
    }

    /// `POST /devices/untrust`: clears the trusted-device keys of the caller's devices `ids`.
    /// One id that is not the caller's device refuses the whole call and changes nothing (400:
    /// the official server's 403 would log the apps out).
    pub async fn untrust_devices(
        &self,
        caller: &Caller,
        ids: &[String],
    ) -> Result<(), DomainError> {
        if ids.len() > MAX_UNTRUST {
            return Err(DomainError::bad_request(format!(
                "At most {MAX_UNTRUST} devices can be untrusted at once."
            )));
        }
        let user_id = caller.user().id;
        let own = self.store.devices_of(user_id).await?;
        let mut chosen = Vec::with_capacity(ids.len());
        for id in ids {
            match id.trim().parse::<DeviceId>() {
                Ok(d) if own.iter().any(|o| o.id == d) => chosen.push(d),
                _ => return Err(invalid_device()),
            }
        }
        Ok(self.store.clear_device_keys(user_id, &chosen).await?)
    }

    /// `POST /devices/lost-trust`: the calling device (its `Device-Identifier`) forgets its
    /// trusted-device keys.
    pub async fn lose_device_trust(
        &self,
        caller: &Caller,
        identifier: &str,
    ) -> Result<(), DomainError> {
        if !self
            .store
            .set_device_keys(caller.user().id, identifier, None)
            .await?
        {
            return Err(DomainError::NotFound);
        }
        Ok(())
    }

    /// `POST /devices/update-trust`: after the master password is checked, the calling device
    /// (`identifier`, its `Device-Identifier`) and the listed other devices get re-wrapped keys
    /// and every other trusted device of the caller loses its trust, in one transaction. Each
    /// named device must be the caller's and trusted (400, nothing written): this call keeps
    /// or drops trust, it never grants it (that is `PUT …/keys`).
    pub async fn update_device_trust(
        &self,
        caller: &Caller,
        identifier: &str,
        req: &UpdateDevicesTrustRequest,
    ) -> Result<(), DomainError> {
        let others = req.other_devices.as_deref().unwrap_or_default();
        if others.len() > MAX_UNTRUST {
            return Err(DomainError::bad_request(format!(
                "At most {MAX_UNTRUST} other devices can be updated at once."
            )));
        }
        // The keys' shapes first (no password check is spent on a malformed body).
        let current_keys = trust_update(
            DeviceId::new(),
            &req.current_device.encrypted_user_key,
            &req.current_device.encrypted_public_key,
        )?;
        let mut updates = Vec::with_capacity(others.len() + 1);
        for o in others {
            let id = o
                .device_id
                .trim()
                .parse::<DeviceId>()
                .map_err(|_| invalid_device())?;
            updates.push(trust_update(
                id,
                &o.encrypted_user_key,
                &o.encrypted_public_key,
            )?);
        }
        let user = &caller.user;
        self.verify_master_password(user, req.master_password_hash.as_deref())
            .await?;

        let own = self.store.devices_of(user.id).await?;
        let trusted = |id: DeviceId| own.iter().any(|d| d.id == id && d.keys.is_some());
        let current = own
            .iter()
            .find(|d| d.identifier == identifier && d.keys.is_some())
            .ok_or_else(invalid_device)?;
        let mut seen = BTreeSet::from([current.id]);
        for u in &updates {
            // The current device is not one of the others (as on the official server), and
            // no device is named twice.
            if !trusted(u.device) || !seen.insert(u.device) {
                return Err(invalid_device());
            }
        }
        updates.push(DeviceTrustUpdate {
            device: current.id,
            ..current_keys
        });
        // Checked again inside the write: a device untrusted meanwhile refuses it all.
        if !self.store.update_device_trust(user.id, &updates).await? {
            return Err(invalid_device());
        }
        Ok(())
    }
}
