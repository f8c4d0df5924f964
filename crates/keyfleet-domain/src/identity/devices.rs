//! The devices a user logged in from: listing them (with each one's pending login request),
//! renaming, and removing one, which ends its sessions.
//!
//! Removing (Bitwarden's "deactivate" and `DELETE`) deletes the row and revokes the device's
//! refresh tokens in one transaction, so it cannot get another access token; its remembered
//! second factor goes with the row, and `knowndevice` answers false for it. An access token
//! it already holds stays valid until it expires (at most an hour): ending it at once would need
//! a new security stamp, which would log out every other device too. A removed device that logs
//! in again with the master password comes back as a new device.

use crate::error::DomainError;
use crate::identity::auth_requests::store::AuthRequestRow;
use crate::identity::caller::Caller;
use crate::ids::DeviceId;
use crate::store::DeviceRow;
use crate::Domain;

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
}
