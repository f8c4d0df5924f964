//! The readable words the `org` commands take and show, and their Bitwarden numbers: roles,
//! member statuses, collection access modes, custom permissions, policy and event types.

use keyfleet_api::kinds::{EventType, OrganizationUserStatus, OrganizationUserType, PolicyType};
use keyfleet_api::org_responses::SelectionResponse;
use keyfleet_api::orgs::SelectionReadOnly;
use keyfleet_client::Access;
use serde_json::{Map, Value};

/// A member's role as `--role` names it; the number is `OrganizationUserType`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Role {
    /// Everything, including deleting the organization and its API key.
    Owner,
    /// Everything but owner-only actions.
    Admin,
    /// Older clients' Manager: may create collections and manages the ones assigned.
    Manager,
    /// Items of the collections granted to them.
    User,
    /// A user with the admin permissions given by `--permission`.
    Custom,
}

impl Role {
    /// The member type it stands for.
    pub fn member_type(self) -> OrganizationUserType {
        match self {
            Role::Owner => OrganizationUserType::Owner,
            Role::Admin => OrganizationUserType::Admin,
            Role::User => OrganizationUserType::User,
            Role::Manager => OrganizationUserType::Manager,
            Role::Custom => OrganizationUserType::Custom,
        }
    }
}

/// The role's word for a member type.
pub fn role_name(t: OrganizationUserType) -> &'static str {
    match t {
        OrganizationUserType::Owner => "owner",
        OrganizationUserType::Admin => "admin",
        OrganizationUserType::User => "user",
        OrganizationUserType::Manager => "manager",
        OrganizationUserType::Custom => "custom",
    }
}

/// The word for a member status.
pub fn status_name(s: OrganizationUserStatus) -> &'static str {
    match s {
        OrganizationUserStatus::Revoked => "revoked",
        OrganizationUserStatus::Invited => "invited",
        OrganizationUserStatus::Accepted => "accepted",
        OrganizationUserStatus::Confirmed => "confirmed",
    }
}

/// The custom permissions `--permission` accepts (the wire's `permissions` keys).
pub const PERMISSIONS: &[&str] = &[
    "accessEventLogs",
    "accessImportExport",
    "accessReports",
    "createNewCollections",
    "editAnyCollection",
    "deleteAnyCollection",
    "manageGroups",
    "managePolicies",
    "manageSso",
    "manageUsers",
    "manageResetPassword",
    "manageScim",
];

/// `{permission: true, …}` for a Custom member; permissions on another role are a usage error
/// because the server would silently drop them.
pub fn permissions(role: Role, names: &[String]) -> Result<Value, String> {
    if !names.is_empty() && role != Role::Custom {
        return Err("--permission applies only to --role custom".into());
    }
    let mut m = Map::new();
    for name in names {
        let known = PERMISSIONS
            .iter()
            .find(|p| p.eq_ignore_ascii_case(name))
            .ok_or_else(|| {
                format!(
                    "unknown permission {name:?}; choose from {}",
                    PERMISSIONS.join(", ")
                )
            })?;
        m.insert((*known).to_string(), Value::Bool(true));
    }
    Ok(Value::Object(m))
}

/// Parses `ID[:MODE]` where MODE is `edit` (the default), `read-only`, `hide-passwords`
/// (read only, passwords hidden), `edit-hide-passwords` or `manage`.
pub fn access(spec: &str) -> Result<(String, Access), String> {
    let (id, mode) = spec.split_once(':').unwrap_or((spec, "edit"));
    if id.is_empty() {
        return Err(format!("{spec:?}: an id is missing before the ':'"));
    }
    let access = match mode {
        "edit" => Access::EDIT,
        "read-only" => Access::READ_ONLY,
        "hide-passwords" => Access {
            read_only: true,
            hide_passwords: true,
            manage: false,
        },
        "edit-hide-passwords" => Access {
            read_only: false,
            hide_passwords: true,
            manage: false,
        },
        "manage" => Access::MANAGE,
        other => {
            return Err(format!(
                "{spec:?}: unknown access {other:?}; use edit, read-only, hide-passwords, \
                 edit-hide-passwords or manage"
            ))
        }
    };
    Ok((id.to_string(), access))
}

/// Parses every spec, or says which one is wrong.
pub fn accesses(specs: &[String]) -> Result<Vec<(String, Access)>, String> {
    specs.iter().map(|s| access(s)).collect()
}

/// The selection list the server takes (`[{id, readOnly, hidePasswords, manage}]`).
pub fn selections(list: &[(String, Access)]) -> Vec<SelectionReadOnly> {
    list.iter().map(|(id, a)| a.selection(id)).collect()
}

/// An access entry as the server showed it, to send back unchanged.
pub fn selection_of(s: &SelectionResponse) -> SelectionReadOnly {
    SelectionReadOnly {
        id: s.id.clone(),
        read_only: s.read_only,
        hide_passwords: s.hide_passwords,
        manage: s.manage,
    }
}

/// The word for a selection's access as the server shows it.
pub fn access_name(sel: &SelectionResponse) -> &'static str {
    match (sel.manage, sel.read_only, sel.hide_passwords) {
        (true, _, _) => "manage",
        (false, true, true) => "hide-passwords",
        (false, true, false) => "read-only",
        (false, false, true) => "edit-hide-passwords",
        (false, false, false) => "edit",
    }
}

/// The readable name of a policy type (what `org policy set` takes, besides the number).
pub fn policy_name(t: PolicyType) -> &'static str {
    match t {
        PolicyType::TwoFactorAuthentication => "two-factor",
        PolicyType::MasterPassword => "master-password",
        PolicyType::PasswordGenerator => "password-generator",
        PolicyType::SingleOrg => "single-org",
        PolicyType::RequireSso => "require-sso",
        PolicyType::PersonalOwnership => "personal-ownership",
        PolicyType::DisableSend => "disable-send",
        PolicyType::SendOptions => "send-options",
        PolicyType::ResetPassword => "reset-password",
        PolicyType::MaximumVaultTimeout => "maximum-vault-timeout",
        PolicyType::DisablePersonalVaultExport => "disable-personal-vault-export",
        PolicyType::ActivateAutofill => "activate-autofill",
        PolicyType::AutomaticUserConfirmation => "automatic-user-confirmation",
    }
}

/// A policy type from its name or number.
pub fn policy_type(raw: &str) -> Result<PolicyType, String> {
    PolicyType::ALL
        .iter()
        .copied()
        .find(|t| policy_name(*t).eq_ignore_ascii_case(raw) || t.code().to_string() == raw)
        .ok_or_else(|| {
            let names: Vec<&str> = PolicyType::ALL.iter().map(|t| policy_name(*t)).collect();
            format!(
                "unknown policy type {raw:?}; choose from {}",
                names.join(", ")
            )
        })
}

/// A short description of an event type.
pub fn event_name(t: EventType) -> &'static str {
    use EventType as E;
    match t {
        E::UserClientExportedVault => "user exported the vault",
        E::CipherCreated => "item created",
        E::CipherUpdated => "item changed",
        E::CipherDeleted => "item deleted",
        E::CipherShared => "item moved into the organization",
        E::CipherUpdatedCollections => "item collections changed",
        E::CipherAttachmentCreated => "item attachment added",
        E::CipherAttachmentDeleted => "item attachment deleted",
        E::CipherClientViewed => "item viewed",
        E::CipherClientToggledPasswordVisible => "item password viewed",
        E::CipherClientToggledHiddenFieldVisible => "item hidden field viewed",
        E::CipherClientToggledCardCodeVisible => "item security code viewed",
        E::CipherClientCopiedPassword => "item password copied",
        E::CipherClientCopiedHiddenField => "item hidden field copied",
        E::CipherClientCopiedCardCode => "item security code copied",
        E::CipherClientAutofilled => "item autofilled",
        E::CipherSoftDeleted => "item sent to trash",
        E::CipherRestored => "item restored from trash",
        E::CipherClientToggledCardNumberVisible => "item card number viewed",
        E::CipherClientToggledTotpSeedVisible => "item TOTP seed viewed",
        E::CollectionCreated => "collection created",
        E::CollectionUpdated => "collection changed",
        E::CollectionDeleted => "collection deleted",
        E::GroupCreated => "group created",
        E::GroupUpdated => "group changed",
        E::GroupDeleted => "group deleted",
        E::OrganizationUserInvited => "member invited",
        E::OrganizationUserConfirmed => "member confirmed",
        E::OrganizationUserUpdated => "member changed",
        E::OrganizationUserRemoved => "member removed",
        E::OrganizationUserUpdatedGroups => "member groups changed",
        E::OrganizationUserResetPasswordEnroll => "member enrolled in account recovery",
        E::OrganizationUserResetPasswordWithdraw => "member withdrew from account recovery",
        E::OrganizationUserAdminResetPassword => "member's account recovered",
        E::OrganizationUserAdminResetTwoFactor => "member's two-step login reset",
        E::UserUpdatedTempPassword => "temporary password replaced",
        E::UserRequestedDeviceApproval => "member asked for device approval",
        E::OrganizationUserApprovedAuthRequest => "member's device login approved",
        E::OrganizationUserRejectedAuthRequest => "member's device login denied",
        E::OrganizationUserRevoked => "member revoked",
        E::OrganizationUserRestored => "member restored",
        E::OrganizationUserLeft => "member left",
        E::OrganizationUpdated => "organization changed",
        E::OrganizationClientExportedVault => "organization vault exported",
        E::OrganizationVaultAccessed => "provider member opened the vault",
        E::PolicyUpdated => "policy changed",
        E::ProviderUserInvited => "provider member invited",
        E::ProviderUserConfirmed => "provider member confirmed",
        E::ProviderUserUpdated => "provider member's role changed",
        E::ProviderUserRemoved => "provider member deleted",
        E::ProviderRoleCreated => "provider role created",
        E::ProviderRoleUpdated => "provider role changed",
        E::ProviderRoleDeleted => "provider role deleted",
        E::ProviderUserSuspended => "provider member suspended",
        E::ProviderUserRestored => "provider member restored",
        E::ProviderOwnershipTransferred => "provider ownership transferred",
        E::ProviderClientAssigned => "provider member assigned to the client",
        E::ProviderUpdated => "provider changed",
        E::ProviderSetUp => "provider set up",
        E::ProviderClientUnassigned => "provider member unassigned from the client",
        E::ProviderOrganizationCreated => "client created by the provider",
        E::ProviderOrganizationAdded => "organization linked to the provider",
        E::ProviderOrganizationRemoved => "organization unlinked from the provider",
        E::ProviderOrganizationVaultAccessed => "provider member launched into the client",
        E::ProviderOrganizationUpdated => "client details changed by the provider",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_specs_parse_to_the_wire_flags() {
        let (id, a) = access("c1").unwrap();
        assert_eq!((id.as_str(), a), ("c1", Access::EDIT));
        assert_eq!(access("c1:read-only").unwrap().1, Access::READ_ONLY);
        assert_eq!(access("c1:manage").unwrap().1, Access::MANAGE);
        let hidden = access("c1:hide-passwords").unwrap().1;
        assert!(hidden.read_only && hidden.hide_passwords && !hidden.manage);
        assert!(access("c1:everything").is_err());
        assert!(access(":manage").is_err());
        assert_eq!(
            access_name(&SelectionResponse {
                id: "c1".into(),
                read_only: hidden.read_only,
                hide_passwords: hidden.hide_passwords,
                manage: hidden.manage,
            }),
            "hide-passwords"
        );
    }

    #[test]
    fn permissions_need_the_custom_role_and_known_names() {
        let p = permissions(Role::Custom, &["manageusers".into()]).unwrap();
        assert_eq!(p, serde_json::json!({ "manageUsers": true }));
        assert!(permissions(Role::User, &["manageUsers".into()]).is_err());
        assert!(permissions(Role::Custom, &["rootAccess".into()]).is_err());
        assert_eq!(
            permissions(Role::Admin, &[]).unwrap(),
            serde_json::json!({})
        );
    }

    #[test]
    fn policy_types_read_as_names_or_numbers() {
        assert_eq!(policy_type("single-org"), Ok(PolicyType::SingleOrg));
        assert_eq!(policy_type("5"), Ok(PolicyType::PersonalOwnership));
        assert!(policy_type("no-such-policy").is_err());
        assert!(policy_type("99").is_err());
        assert_eq!(
            policy_name(PolicyType::TwoFactorAuthentication),
            "two-factor"
        );
    }

    #[test]
    fn role_numbers_match_organization_user_type() {
        for role in [
            Role::Owner,
            Role::Admin,
            Role::User,
            Role::Manager,
            Role::Custom,
        ] {
            assert_eq!(
                role_name(role.member_type()),
                format!("{role:?}").to_lowercase(),
                "round trip for {role:?}"
            );
        }
        assert_eq!(status_name(OrganizationUserStatus::Confirmed), "confirmed");
    }
}
