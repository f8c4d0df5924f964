//! The readable words the `org` commands take and show, and their Bitwarden numbers: roles,
//! member statuses, collection access modes, custom permissions, policy and event types.

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
    /// The wire number (`type`).
    pub fn number(self) -> i32 {
        match self {
            Role::Owner => 0,
            Role::Admin => 1,
            Role::User => 2,
            Role::Manager => 3,
            Role::Custom => 4,
        }
    }
}

/// The role's word for a member type number.
pub fn role_name(n: i64) -> &'static str {
    match n {
        0 => "owner",
        1 => "admin",
        2 => "user",
        3 => "manager",
        4 => "custom",
        _ => "unknown",
    }
}

/// The word for a member status number.
pub fn status_name(n: i64) -> &'static str {
    match n {
        -1 => "revoked",
        0 => "invited",
        1 => "accepted",
        2 => "confirmed",
        3 => "staged",
        _ => "unknown",
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

/// Policy types by readable name (the number is `PolicyType`).
pub const POLICY_TYPES: &[(&str, i32)] = &[
    ("two-factor", 0),
    ("master-password", 1),
    ("password-generator", 2),
    ("single-org", 3),
    ("require-sso", 4),
    ("personal-ownership", 5),
    ("disable-send", 6),
    ("send-options", 7),
    ("reset-password", 8),
    ("maximum-vault-timeout", 9),
    ("disable-personal-vault-export", 10),
    ("activate-autofill", 11),
];

/// A policy type from its name or number.
pub fn policy_type(raw: &str) -> Result<i32, String> {
    POLICY_TYPES
        .iter()
        .find(|(name, n)| name.eq_ignore_ascii_case(raw) || n.to_string() == raw)
        .map(|(_, n)| *n)
        .ok_or_else(|| {
            let names: Vec<&str> = POLICY_TYPES.iter().map(|(n, _)| *n).collect();
            format!(
                "unknown policy type {raw:?}; choose from {}",
                names.join(", ")
            )
        })
}

/// The name of a policy type number.
pub fn policy_name(n: i64) -> String {
    POLICY_TYPES
        .iter()
        .find(|(_, t)| i64::from(*t) == n)
        .map_or_else(|| format!("type {n}"), |(name, _)| (*name).to_string())
}

/// A short description of an event type number (the official `EventType` list).
pub fn event_name(n: i64) -> String {
    let name = match n {
        1000 => "user logged in",
        1001 => "user changed password",
        1002 => "user turned two-step login on",
        1003 => "user turned two-step login off",
        1004 => "user used a recovery code",
        1005 => "user login failed",
        1006 => "user second factor failed",
        1007 => "user exported the vault",
        1100 => "item created",
        1101 => "item changed",
        1102 => "item deleted",
        1105 => "item moved into the organization",
        1106 => "item collections changed",
        1107 => "item viewed",
        1108 => "item password viewed",
        1109 => "item hidden field viewed",
        1110 => "item security code viewed",
        1111 => "item password copied",
        1112 => "item hidden field copied",
        1113 => "item security code copied",
        1114 => "item autofilled",
        1115 => "item sent to trash",
        1116 => "item restored from trash",
        1117 => "item card number viewed",
        1300 => "collection created",
        1301 => "collection changed",
        1302 => "collection deleted",
        1400 => "group created",
        1401 => "group changed",
        1402 => "group deleted",
        1500 => "member invited",
        1501 => "member confirmed",
        1502 => "member changed",
        1503 => "member removed",
        1504 => "member groups changed",
        1511 => "member revoked",
        1512 => "member restored",
        1516 => "member left",
        1600 => "organization changed",
        1601 => "organization purged its vault",
        1602 => "organization vault exported",
        1700 => "policy changed",
        _ => return format!("event {n}"),
    };
    name.to_string()
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
        assert_eq!(policy_type("single-org"), Ok(3));
        assert_eq!(policy_type("5"), Ok(5));
        assert!(policy_type("no-such-policy").is_err());
        assert_eq!(policy_name(0), "two-factor");
        assert_eq!(policy_name(99), "type 99");
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
            let n = i64::from(role.number());
            assert_eq!(
                role_name(n),
                format!("{role:?}").to_lowercase(),
                "round trip for {n}"
            );
        }
        assert_eq!(status_name(2), "confirmed");
    }
}
