//! Who is calling: a proven bearer token's user (`Caller`) and the device fields of a grant.

use crate::error::DomainError;
use crate::identity::store::UserRow;
use crate::identity::tokens::AccessClaims;

/// The device fields of a grant.
#[derive(Debug, Clone)]
pub struct DeviceInfo {
    /// Stable per install.
    pub identifier: String,
    /// DeviceType number.
    pub device_type: i32,
    /// Device name.
    pub name: String,
}

impl DeviceInfo {
    /// Builds device info from optional form fields; all three are required.
    pub fn from_form(
        identifier: Option<&str>,
        device_type: Option<&str>,
        name: Option<&str>,
    ) -> Result<Self, DomainError> {
        let (Some(identifier), Some(device_type), Some(name)) = (identifier, device_type, name)
        else {
            return Err(DomainError::MissingDeviceInfo);
        };
        let device_type: i32 = device_type
            .trim()
            .parse()
            .map_err(|_| DomainError::MissingDeviceInfo)?;
        if identifier.is_empty()
            || identifier.len() > 128
            || name.len() > 128
            || !(0..=100).contains(&device_type)
        {
            return Err(DomainError::MissingDeviceInfo);
        }
        Ok(DeviceInfo {
            identifier: identifier.to_string(),
            device_type,
            name: name.to_string(),
        })
    }
}

/// An authenticated API caller. Built only by [`crate::Domain::authenticate`], which proves the token;
/// its fields are not public.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The user, freshly loaded for this request.
    pub(crate) user: UserRow,
    /// The token's claims.
    pub(crate) claims: AccessClaims,
}

impl Caller {
    /// The user, freshly loaded for this request.
    pub fn user(&self) -> &UserRow {
        &self.user
    }

    /// The token's claims.
    pub fn claims(&self) -> &AccessClaims {
        &self.claims
    }

    /// The identifier of the device acting: its apps skip the notifications this request causes
    /// (`ContextId`). Taken from the token, which the device logged in with, rather than the
    /// `Device-Identifier` header the official server reads: a header is the caller's to choose,
    /// and naming another member's device would silence that device's apps.
    pub fn device(&self) -> Option<&str> {
        self.claims.device.as_deref()
    }
}
