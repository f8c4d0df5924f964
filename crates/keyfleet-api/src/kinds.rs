//! The protocol's closed sets: member types and statuses, plans, policy and event types,
//! provider roles and statuses, the provider permission catalog. Each is an enum here and nowhere
//! else; on the wire it is the number Bitwarden sends (or, for Keyfleet's provider role, its
//! lowercase name), and storage keeps the same number (`code`, `TryFrom<i32>`). The permission
//! catalog, Keyfleet's own, travels and is stored as its snake_case names.

// ts-rs's derive of a TypeScript enum parses the discriminants with `from_str_radix(_, 10)`.
#![allow(clippy::from_str_radix_10)]

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A stored or received number that names no member of a closed set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnknownCode {
    /// The set's name (`OrganizationUserType`, …).
    pub set: &'static str,
    /// The number.
    pub code: i32,
}

impl fmt::Display for UnknownCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} has no value {}", self.set, self.code)
    }
}

impl std::error::Error for UnknownCode {}

/// Declares a closed set carried as a number: the enum, its number (`code`), the checked
/// conversion back (`TryFrom<i32>`), serde as that number, and a TypeScript enum.
macro_rules! numbered {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $code:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ts_rs::TS)]
        #[ts(repr(enum))]
        pub enum $name {
            $($(#[$vmeta])* $variant = $code,)+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The protocol's number.
            pub const fn code(self) -> i32 {
                self as i32
            }
        }

        impl TryFrom<i32> for $name {
            type Error = UnknownCode;

            fn try_from(code: i32) -> Result<Self, UnknownCode> {
                match code {
                    $($code => Ok($name::$variant),)+
                    _ => Err(UnknownCode { set: stringify!($name), code }),
                }
            }
        }

        impl From<$name> for i32 {
            fn from(v: $name) -> i32 {
                v.code()
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_i32(self.code())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let code = i32::deserialize(d)?;
                $name::try_from(code).map_err(serde::de::Error::custom)
            }
        }

        // OpenAPI: an integer with the set's numbers, the names in the description.
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::Integer)
                    .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
                        utoipa::openapi::KnownFormat::Int32,
                    )))
                    .enum_values(Some([$($code),+]))
                    .description(Some(concat!(
                        stringify!($name), ": ", $($code, " ", stringify!($variant), ". ",)+
                    )))
                    .into()
            }
        }

        impl utoipa::ToSchema for $name {}
    };
}

numbered! {
    /// AuthRequestType: what a login-with-device request asks for.
    AuthRequestType {
        /// Log in and unlock: a logged-out device.
        AuthenticateAndUnlock = 0,
        /// Unlock only: a logged-in, locked device.
        Unlock = 1,
        /// An organization administrator's approval (`/auth-requests/admin-request`; answered
        /// with the member's account recovery enrolment).
        AdminApproval = 2,
    }
}

numbered! {
    /// OrganizationUserType: a member's role in an organization.
    OrganizationUserType {
        /// Everything, including deleting the organization and its API key.
        Owner = 0,
        /// Everything but owner-only actions.
        Admin = 1,
        /// Items of the collections granted to them.
        User = 2,
        /// Older clients' manager: a user who may create collections and manages the ones
        /// assigned.
        Manager = 3,
        /// A user with chosen admin permissions.
        Custom = 4,
    }
}

impl OrganizationUserType {
    /// Owner or Admin.
    pub fn is_admin(self) -> bool {
        matches!(self, Self::Owner | Self::Admin)
    }
}

numbered! {
    /// OrganizationUserStatusType: where a membership stands.
    OrganizationUserStatus {
        /// Access suspended by an admin (or by a policy).
        Revoked = -1,
        /// Invitation sent, not accepted.
        Invited = 0,
        /// Accepted; waiting for an admin to share the organization key.
        Accepted = 1,
        /// Has the organization key.
        Confirmed = 2,
    }
}

numbered! {
    /// PlanType: the plans Keyfleet offers.
    PlanType {
        /// Two seats, two collections.
        Free = 0,
        /// Teams, billed monthly.
        TeamsMonthly = 17,
        /// Teams, billed annually.
        TeamsAnnually = 18,
        /// Enterprise, billed monthly.
        EnterpriseMonthly = 19,
        /// Enterprise, billed annually.
        EnterpriseAnnually = 20,
    }
}

numbered! {
    /// ProductTierType: the product a plan belongs to.
    ProductTierType {
        /// Free.
        Free = 0,
        /// Families.
        Families = 1,
        /// Teams.
        Teams = 2,
        /// Enterprise.
        Enterprise = 3,
        /// Teams Starter.
        TeamsStarter = 4,
    }
}

impl PlanType {
    /// The product the plan belongs to.
    pub fn product_tier(self) -> ProductTierType {
        match self {
            PlanType::Free => ProductTierType::Free,
            PlanType::TeamsMonthly | PlanType::TeamsAnnually => ProductTierType::Teams,
            PlanType::EnterpriseMonthly | PlanType::EnterpriseAnnually => {
                ProductTierType::Enterprise
            }
        }
    }

    /// The plan's display name.
    pub fn name(self) -> &'static str {
        match self.product_tier() {
            ProductTierType::Free => "Free",
            ProductTierType::Families => "Families",
            ProductTierType::Teams => "Teams",
            ProductTierType::TeamsStarter => "Teams Starter",
            ProductTierType::Enterprise => "Enterprise",
        }
    }
}

numbered! {
    /// PolicyType: the organization policies Keyfleet stores.
    PolicyType {
        /// Members must use two-step login.
        TwoFactorAuthentication = 0,
        /// Master password requirements.
        MasterPassword = 1,
        /// Password generator defaults.
        PasswordGenerator = 2,
        /// Members may belong to no other organization.
        SingleOrg = 3,
        /// Log in with SSO.
        RequireSso = 4,
        /// Remove individual vault (items must belong to the organization).
        PersonalOwnership = 5,
        /// Disable Send.
        DisableSend = 6,
        /// Send options.
        SendOptions = 7,
        /// Account recovery administration.
        ResetPassword = 8,
        /// Vault timeout.
        MaximumVaultTimeout = 9,
        /// Remove individual vault export.
        DisablePersonalVaultExport = 10,
        /// Activate autofill.
        ActivateAutofill = 11,
        /// Automatic user confirmation: members of such an organization may neither grant nor
        /// accept emergency access (the official server's only policy that disables it).
        AutomaticUserConfirmation = 18,
    }
}

numbered! {
    /// EmergencyAccessStatusType: where an emergency access stands.
    EmergencyAccessStatusType {
        /// Invitation sent, not accepted.
        Invited = 0,
        /// Accepted by the grantee; waits for the grantor to wrap the key to them.
        Accepted = 1,
        /// The grantee holds the wrapped key and may ask for access.
        Confirmed = 2,
        /// The grantee asked; approved by the grantor or after the wait time.
        RecoveryInitiated = 3,
        /// The grantee may view or take over.
        RecoveryApproved = 4,
    }
}

numbered! {
    /// EmergencyAccessType: what an approved grantee may do.
    EmergencyAccessType {
        /// Read the grantor's personal items.
        View = 0,
        /// Set a new master password for the grantor's account.
        Takeover = 1,
    }
}

numbered! {
    /// EventType: the official numbers Keyfleet records (organization events, the ones
    /// clients report, provider events) and Keyfleet's own provider events (1850–1859, 1904).
    EventType {
        /// A client exported the user's vault (client-reported).
        UserClientExportedVault = 1007,
        /// The user replaced the temporary password an account recovery gave them.
        UserUpdatedTempPassword = 1008,
        /// The user asked their organization's administrators to approve a device login
        /// (admin approval; written to each organization's log).
        UserRequestedDeviceApproval = 1010,
        /// An item was created.
        CipherCreated = 1100,
        /// An item was changed.
        CipherUpdated = 1101,
        /// An item was deleted for good.
        CipherDeleted = 1102,
        /// A file was attached to an item.
        CipherAttachmentCreated = 1103,
        /// An item's attachment was deleted.
        CipherAttachmentDeleted = 1104,
        /// A personal item moved into the organization.
        CipherShared = 1105,
        /// An item's collections changed.
        CipherUpdatedCollections = 1106,
        /// A client showed an item (client-reported).
        CipherClientViewed = 1107,
        /// A client showed a password (client-reported).
        CipherClientToggledPasswordVisible = 1108,
        /// A client showed a hidden field (client-reported).
        CipherClientToggledHiddenFieldVisible = 1109,
        /// A client showed a card code (client-reported).
        CipherClientToggledCardCodeVisible = 1110,
        /// A client copied a password (client-reported).
        CipherClientCopiedPassword = 1111,
        /// A client copied a hidden field (client-reported).
        CipherClientCopiedHiddenField = 1112,
        /// A client copied a card code (client-reported).
        CipherClientCopiedCardCode = 1113,
        /// A client autofilled an item (client-reported).
        CipherClientAutofilled = 1114,
        /// An item went to the trash.
        CipherSoftDeleted = 1115,
        /// An item came back from the trash.
        CipherRestored = 1116,
        /// A client showed a card number (client-reported).
        CipherClientToggledCardNumberVisible = 1117,
        /// A client showed a TOTP seed (client-reported).
        CipherClientToggledTotpSeedVisible = 1118,
        /// A collection was created.
        CollectionCreated = 1300,
        /// A collection was changed.
        CollectionUpdated = 1301,
        /// A collection was deleted.
        CollectionDeleted = 1302,
        /// A group was created.
        GroupCreated = 1400,
        /// A group was changed.
        GroupUpdated = 1401,
        /// A group was deleted.
        GroupDeleted = 1402,
        /// A member was invited.
        OrganizationUserInvited = 1500,
        /// A member was confirmed.
        OrganizationUserConfirmed = 1501,
        /// A member's role or access changed.
        OrganizationUserUpdated = 1502,
        /// A member was removed.
        OrganizationUserRemoved = 1503,
        /// A member's groups changed.
        OrganizationUserUpdatedGroups = 1504,
        /// A member enrolled in account recovery.
        OrganizationUserResetPasswordEnroll = 1506,
        /// A member withdrew from account recovery.
        OrganizationUserResetPasswordWithdraw = 1507,
        /// An administrator recovered a member's account (new master password).
        OrganizationUserAdminResetPassword = 1508,
        /// A member was revoked.
        OrganizationUserRevoked = 1511,
        /// A member was restored.
        OrganizationUserRestored = 1512,
        /// An administrator approved a member's device login (admin approval).
        OrganizationUserApprovedAuthRequest = 1513,
        /// An administrator denied a member's device login (admin approval).
        OrganizationUserRejectedAuthRequest = 1514,
        /// A member left.
        OrganizationUserLeft = 1516,
        /// An administrator removed a member's two-step login providers (account recovery).
        OrganizationUserAdminResetTwoFactor = 1519,
        /// The organization's settings changed.
        OrganizationUpdated = 1600,
        /// The organization's vault was exported (the clients report it; Keyfleet records it
        /// when it serves `GET /api/organizations/{id}/export` and drops the report).
        OrganizationClientExportedVault = 1602,
        /// A provider member opened the client's vault (written to the client's log on a
        /// launch).
        OrganizationVaultAccessed = 1603,
        /// A policy changed.
        PolicyUpdated = 1700,
        /// Provider member invited.
        ProviderUserInvited = 1800,
        /// Provider member confirmed.
        ProviderUserConfirmed = 1801,
        /// Provider member's role changed.
        ProviderUserUpdated = 1802,
        /// Provider member deleted.
        ProviderUserRemoved = 1803,
        /// Custom role created (Keyfleet).
        ProviderRoleCreated = 1850,
        /// Custom role changed (Keyfleet).
        ProviderRoleUpdated = 1851,
        /// Custom role deleted (Keyfleet).
        ProviderRoleDeleted = 1852,
        /// Provider member suspended (Keyfleet).
        ProviderUserSuspended = 1853,
        /// Provider member restored (Keyfleet).
        ProviderUserRestored = 1854,
        /// Provider ownership transferred (Keyfleet).
        ProviderOwnershipTransferred = 1855,
        /// A member assigned to a client: one event per (member, client) pair (Keyfleet).
        ProviderClientAssigned = 1856,
        /// Provider settings changed (Keyfleet).
        ProviderUpdated = 1857,
        /// Provider set up by its owner (Keyfleet).
        ProviderSetUp = 1858,
        /// A member's assignment to a client ended: one event per pair (Keyfleet).
        ProviderClientUnassigned = 1859,
        /// Client organization created by the provider.
        ProviderOrganizationCreated = 1900,
        /// Existing organization linked.
        ProviderOrganizationAdded = 1901,
        /// Client unlinked.
        ProviderOrganizationRemoved = 1902,
        /// A member launched into a client's vault.
        ProviderOrganizationVaultAccessed = 1903,
        /// Client details changed (Keyfleet).
        ProviderOrganizationUpdated = 1904,
    }
}

impl EventType {
    /// Events clients may report through `/events/collect` (views, copies, autofill, exports).
    pub fn client_reportable(self) -> bool {
        matches!(
            self,
            EventType::UserClientExportedVault
                | EventType::CipherClientViewed
                | EventType::CipherClientToggledPasswordVisible
                | EventType::CipherClientToggledHiddenFieldVisible
                | EventType::CipherClientToggledCardCodeVisible
                | EventType::CipherClientCopiedPassword
                | EventType::CipherClientCopiedHiddenField
                | EventType::CipherClientCopiedCardCode
                | EventType::CipherClientAutofilled
                | EventType::CipherClientToggledCardNumberVisible
                | EventType::CipherClientToggledTotpSeedVisible
                | EventType::OrganizationClientExportedVault
        )
    }
}

numbered! {
    /// ProviderUserStatusType: where a provider membership stands.
    ProviderUserStatus {
        /// Invitation sent.
        Invited = 0,
        /// Accepted; waiting for the provider key.
        Accepted = 1,
        /// Has the provider key.
        Confirmed = 2,
    }
}

numbered! {
    /// ProviderStatusType.
    ProviderStatus {
        /// Created by the operator; the owner has not set it up.
        Pending = 0,
        /// Set up.
        Created = 1,
    }
}

numbered! {
    /// ProviderUserType, as the Bitwarden apps read it.
    ProviderUserType {
        /// Provider admin (Keyfleet's owners and admins).
        ProviderAdmin = 0,
        /// Service user (Keyfleet's technicians and custom roles).
        ServiceUser = 1,
    }
}

numbered! {
    /// Why a member is revoked when a policy, not an admin, revoked them (Keyfleet's
    /// `revocationReason` on member details; absent for an admin's revocation).
    RevocationReason {
        /// The two-step login policy: undone when the member turns two-step login on.
        TwoFactorPolicy = 1,
    }
}

numbered! {
    /// ProviderType: Keyfleet's providers are all MSPs.
    ProviderType {
        /// Managed service provider.
        Msp = 0,
    }
}

numbered! {
    /// PushType: what a notification sent through the hub tells a client to do.
    PushType {
        /// An item changed: the client fetches it again.
        SyncCipherUpdate = 0,
        /// An item was created.
        SyncCipherCreate = 1,
        /// An item was deleted (older clients' name).
        SyncLoginDelete = 2,
        /// A folder was deleted.
        SyncFolderDelete = 3,
        /// Many items changed: sync.
        SyncCiphers = 4,
        /// The vault changed: sync.
        SyncVault = 5,
        /// Memberships or keys changed: a forced sync, and the hub connection is made again.
        SyncOrgKeys = 6,
        /// A folder was created.
        SyncFolderCreate = 7,
        /// A folder was renamed.
        SyncFolderUpdate = 8,
        /// An item was deleted.
        SyncCipherDelete = 9,
        /// Account settings (equivalent domains) changed: sync.
        SyncSettings = 10,
        /// Every session of the account ended: the client logs out.
        LogOut = 11,
        /// A Send was created.
        SyncSendCreate = 12,
        /// A Send changed.
        SyncSendUpdate = 13,
        /// A Send was deleted.
        SyncSendDelete = 14,
        /// Someone asks to log in with this account from another device.
        AuthRequest = 15,
        /// A login request was approved (sent on the anonymous hub only).
        AuthRequestResponse = 16,
    }
}

numbered! {
    /// TwoFactorProviderType: the two-step login methods Keyfleet offers, and the two pseudo
    /// providers a login may name (a remembered device, the recovery code).
    TwoFactorProviderType {
        /// Authenticator app (TOTP).
        Authenticator = 0,
        /// A code mailed to the user (only with a mailer configured).
        Email = 1,
        /// A remembered device's token.
        Remember = 5,
        /// A WebAuthn security key or passkey.
        WebAuthn = 7,
        /// The recovery code.
        RecoveryCode = 8,
    }
}

/// Which clients a provider member's permissions cover: sent as the lowercase name.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS, utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum ProviderScope {
    /// Every client of the provider.
    All,
    /// Only the clients the member is assigned to.
    Assigned,
}

impl ProviderScope {
    /// The name on the wire.
    pub fn name(self) -> &'static str {
        match self {
            ProviderScope::All => "all",
            ProviderScope::Assigned => "assigned",
        }
    }

    /// The scope a name on the wire stands for.
    pub fn from_name(name: &str) -> Option<ProviderScope> {
        [ProviderScope::All, ProviderScope::Assigned]
            .into_iter()
            .find(|s| s.name() == name)
    }
}

/// Keyfleet's provider roles: stored as a number, sent as the lowercase name.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS, utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum ProviderRole {
    /// Exactly one; everything, and the only one who transfers ownership.
    Owner,
    /// Everything but transferring ownership.
    Admin,
    /// Views and launches into assigned clients.
    Technician,
    /// A custom role's permissions and scope.
    Custom,
}

impl ProviderRole {
    /// Every role.
    pub const ALL: &'static [ProviderRole] = &[
        ProviderRole::Owner,
        ProviderRole::Admin,
        ProviderRole::Technician,
        ProviderRole::Custom,
    ];

    /// The stored number.
    pub const fn code(self) -> i32 {
        match self {
            ProviderRole::Owner => 0,
            ProviderRole::Admin => 1,
            ProviderRole::Technician => 2,
            ProviderRole::Custom => 3,
        }
    }

    /// The name on the wire.
    pub fn name(self) -> &'static str {
        match self {
            ProviderRole::Owner => "owner",
            ProviderRole::Admin => "admin",
            ProviderRole::Technician => "technician",
            ProviderRole::Custom => "custom",
        }
    }

    /// The role a name on the wire stands for.
    pub fn from_name(name: &str) -> Option<ProviderRole> {
        ProviderRole::ALL.iter().copied().find(|r| r.name() == name)
    }

    /// Bitwarden's ProviderUserType for the role.
    pub fn wire_type(self) -> ProviderUserType {
        match self {
            ProviderRole::Owner | ProviderRole::Admin => ProviderUserType::ProviderAdmin,
            ProviderRole::Technician | ProviderRole::Custom => ProviderUserType::ServiceUser,
        }
    }
}

impl TryFrom<i32> for ProviderRole {
    type Error = UnknownCode;

    fn try_from(code: i32) -> Result<Self, UnknownCode> {
        ProviderRole::ALL
            .iter()
            .copied()
            .find(|r| r.code() == code)
            .ok_or(UnknownCode {
                set: "ProviderRole",
                code,
            })
    }
}

/// Declares the provider permission catalog from one list: each entry's wire name, its
/// description (the variant's doc comment, the CLI's help and the console's label) and its place
/// in [`Permission::ALL`]. One list, so a name, its text and the set cannot drift apart.
macro_rules! catalog {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $wire:literal: $text:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
        pub enum $name {
            $(#[doc = $text] #[serde(rename = $wire)] $variant,)+
        }

        impl $name {
            /// The whole catalog, in the order lists and help show it.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The name on the wire (and in storage).
            pub const fn name(self) -> &'static str {
                match self {
                    $($name::$variant => $wire,)+
                }
            }

            /// What holding it allows, as a sentence for help texts and labels.
            pub const fn description(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }

            /// The entry a wire name stands for.
            pub fn from_name(name: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|p| p.name() == name)
            }
        }

        // OpenAPI: a string with the catalog's names, each name's description in the schema's.
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some([$($wire),+]))
                    .description(Some(concat!(
                        stringify!($name), ": ", $("`", $wire, "`: ", $text, " ",)+
                    ).trim_end()))
                    .into()
            }
        }

        impl utoipa::ToSchema for $name {}
    };
}

catalog! {
    /// The provider permission catalog: what a custom role may hold (owners and admins hold all
    /// of it, technicians `view_clients` and `launch_into_client`; `keyfleet-domain` decides who
    /// holds what). Sent and stored as the snake_case name.
    Permission {
        ViewClients = "view_clients": "See clients (list, details).",
        AddOrLinkClient = "add_or_link_client": "Create client organizations and link existing ones.",
        UnlinkClient = "unlink_client": "Unlink clients.",
        LaunchIntoClient = "launch_into_client": "Launch into clients: act as an administrator inside a client organization.",
        EditClientInfo = "edit_client_info": "Change a client's name, website, region, notes and seats.",
        ManageMembers = "manage_members": "Invite, confirm, change, assign, suspend and delete members.",
        ManageRoles = "manage_roles": "Create, change and delete custom roles.",
        ViewUsageAndBilling = "view_usage_and_billing": "See the usage report.",
        ManageIntegrations = "manage_integrations": "Manage integrations (reserved: Keyfleet has none yet).",
        ViewEvents = "view_events": "See the provider event log.",
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn numbered_sets_travel_as_their_numbers_and_refuse_others() {
        assert_eq!(
            serde_json::to_string(&OrganizationUserStatus::Revoked).unwrap(),
            "-1"
        );
        let t: EventType = serde_json::from_str("1903").unwrap();
        assert_eq!(t, EventType::ProviderOrganizationVaultAccessed);
        let err = serde_json::from_str::<PolicyType>("12").unwrap_err();
        assert!(
            err.to_string().contains("PolicyType has no value 12"),
            "{err}"
        );
        for t in EventType::ALL {
            assert_eq!(EventType::try_from(t.code()), Ok(*t));
        }
    }

    #[test]
    fn provider_roles_are_names_on_the_wire_and_numbers_in_storage() {
        assert_eq!(
            serde_json::to_string(&ProviderRole::Technician).unwrap(),
            "\"technician\""
        );
        for r in ProviderRole::ALL {
            assert_eq!(ProviderRole::try_from(r.code()), Ok(*r));
            assert_eq!(ProviderRole::from_name(r.name()), Some(*r));
        }
        assert!(ProviderRole::try_from(4).is_err());
    }

    #[test]
    fn permissions_are_their_snake_case_names_on_the_wire_and_refuse_others() {
        for p in Permission::ALL {
            assert_eq!(
                serde_json::to_string(p).unwrap(),
                format!("\"{}\"", p.name())
            );
            assert_eq!(Permission::from_name(p.name()), Some(*p));
            assert!(!p.description().is_empty());
        }
        assert_eq!(Permission::ALL.len(), 10);
        assert_eq!(
            serde_json::from_str::<Permission>("\"launch_into_client\"").unwrap(),
            Permission::LaunchIntoClient
        );
        assert!(serde_json::from_str::<Permission>("\"launch\"").is_err());
        assert_eq!(Permission::from_name("View_Clients"), None);
    }
}
