//! ID newtypes. All ids travel as lowercase hyphenated UUID strings; parsing one that is not a
//! UUID is a 404 at the edge, since a malformed id can never name an existing object.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// A fresh, time-ordered id (UUIDv7 keeps B-tree inserts local, like the official COMB GUIDs).
            pub fn new() -> Self {
                $name(Uuid::now_v7())
            }
            /// Appends the id as it travels (lowercase, hyphenated) to `out`.
            pub fn write_to(&self, out: &mut Vec<u8>) {
                out.extend_from_slice(
                    self.0.hyphenated().encode_lower(&mut Uuid::encode_buffer()).as_bytes(),
                );
            }
            /// The underlying UUID.
            pub fn uuid(&self) -> Uuid {
                self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl From<Uuid> for $name {
            fn from(u: Uuid) -> Self {
                $name(u)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map($name)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.hyphenated().fmt(f)
            }
        }
    };
}

id_type!(
    /// A user account.
    UserId
);
id_type!(
    /// A login-with-device request (Bitwarden's auth request).
    AuthRequestId
);
id_type!(
    /// A folder (personal, per user).
    FolderId
);
id_type!(
    /// A Send (per user).
    SendId
);
id_type!(
    /// A vault item.
    CipherId
);
id_type!(
    /// An emergency access (a grantor's trusted contact).
    EmergencyAccessId
);
id_type!(
    /// A device a user logged in from.
    DeviceId
);
id_type!(
    /// A refresh-token family: every rotation of one login shares it.
    TokenFamilyId
);
id_type!(
    /// A provider (an MSP).
    ProviderId
);
id_type!(
    /// A membership of a user (or an invited email) in a provider.
    ProviderUserId
);
id_type!(
    /// The link between a provider and one client organization.
    ProviderOrgId
);
id_type!(
    /// A provider's custom role.
    ProviderRoleId
);
id_type!(
    /// An organization (a client company's shared vault).
    OrgId
);
id_type!(
    /// A membership of a user (or an invited email) in an organization.
    OrgUserId
);
id_type!(
    /// A collection of org items.
    CollectionId
);
id_type!(
    /// A group of org members.
    GroupId
);
id_type!(
    /// An organization policy.
    PolicyId
);
id_type!(
    /// One audit event.
    EventId
);
