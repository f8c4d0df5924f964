//! `provider roles`, `provider role create|edit|clone|delete`.

use super::PCtx;
use crate::Failure;
use clap::builder::{PossibleValue, TypedValueParser};
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Args, Subcommand, ValueEnum};
use keyfleet_api::kinds::Permission;
use keyfleet_api::provider_responses::ProviderRoleResponse;
use keyfleet_client::{ProviderCalls, RoleScope};
use serde_json::json;
use std::ffi::OsStr;

/// `--permission NAME`: a name from the catalog (`keyfleet-api`'s `Permission`), in any case,
/// with `-` or `_`. Checked here, so a typo is a usage error before anything is sent; `--help`
/// lists the catalog with what each permission allows.
#[derive(Clone, Copy)]
struct PermissionParser;

impl TypedValueParser for PermissionParser {
    type Value = Permission;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<Permission, clap::Error> {
        let text = value.to_string_lossy();
        permission(&text).ok_or_else(|| {
            let mut e = clap::Error::new(ErrorKind::InvalidValue).with_cmd(cmd);
            let arg = arg.map(ToString::to_string).unwrap_or_default();
            e.insert(ContextKind::InvalidArg, ContextValue::String(arg));
            e.insert(
                ContextKind::InvalidValue,
                ContextValue::String(text.into_owned()),
            );
            let names = Permission::ALL.iter().map(|p| p.name().to_string());
            e.insert(
                ContextKind::ValidValue,
                ContextValue::Strings(names.collect()),
            );
            e
        })
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(
            Permission::ALL
                .iter()
                .map(|p| PossibleValue::new(p.name()).help(p.description())),
        ))
    }
}

/// The catalog entry `text` names, forgiving case and `-` for `_`.
fn permission(text: &str) -> Option<Permission> {
    Permission::from_name(&text.trim().to_ascii_lowercase().replace('-', "_"))
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ScopeArg {
    /// Every client of the provider.
    All,
    /// Only the clients the member is assigned to.
    Assigned,
}

impl ScopeArg {
    fn scope(self) -> RoleScope {
        match self {
            ScopeArg::All => RoleScope::All,
            ScopeArg::Assigned => RoleScope::Assigned,
        }
    }
}

#[derive(Subcommand)]
pub enum RoleCommand {
    /// Create a custom role.
    Create(CreateArgs),
    /// Change a custom role (what is not given stays as it is).
    Edit(EditArgs),
    /// Copy a custom role under a new name.
    Clone(CloneArgs),
    /// Delete a custom role nobody holds.
    Delete(RoleArg),
}

#[derive(Args)]
pub struct CreateArgs {
    /// The role's name.
    name: String,
    /// A permission (repeatable).
    #[arg(long = "permission", value_name = "NAME", value_parser = PermissionParser)]
    permissions: Vec<Permission>,
    /// Which clients the permissions reach.
    #[arg(long, value_enum, default_value = "all")]
    scope: ScopeArg,
}

#[derive(Args)]
pub struct EditArgs {
    /// The role (id or name).
    role: String,
    /// New name.
    #[arg(long)]
    name: Option<String>,
    /// Replace the permissions (repeatable).
    #[arg(long = "permission", value_name = "NAME", value_parser = PermissionParser)]
    permissions: Vec<Permission>,
    /// New scope.
    #[arg(long, value_enum)]
    scope: Option<ScopeArg>,
}

#[derive(Args)]
pub struct CloneArgs {
    /// The role to copy (id or name).
    role: String,
    /// The copy's name.
    #[arg(long)]
    name: String,
}

#[derive(Args)]
pub struct RoleArg {
    /// The role (id or name).
    role: String,
}

fn describe(r: &ProviderRoleResponse) -> String {
    format!(
        "{}  {}  scope:{} members:{}\n  {}",
        r.id,
        r.name,
        r.scope.name(),
        r.members,
        if r.permissions.is_empty() {
            "(no permissions)".to_string()
        } else {
            let names: Vec<&str> = r.permissions.iter().map(|p| p.name()).collect();
            names.join(", ")
        }
    )
}

/// `provider roles`.
pub async fn list(p: &PCtx) -> Result<(), Failure> {
    let provider = p.provider().await?;
    let roles = p.remote().provider_roles(&provider.id).await?;
    let mut text = format!("Custom roles of {}:\n", provider.name);
    for r in &roles {
        text.push_str(&describe(r));
        text.push('\n');
    }
    if roles.is_empty() {
        text.push_str("(none)\n");
    }
    p.print(&json!(roles), text.trim_end());
    Ok(())
}

/// `provider role create|edit|clone|delete`.
pub async fn run(p: &PCtx, cmd: RoleCommand) -> Result<(), Failure> {
    let provider = p.provider().await?;
    let r = p.remote();
    match cmd {
        RoleCommand::Create(a) => {
            let role = r
                .create_provider_role(&provider.id, &a.name, &a.permissions, a.scope.scope())
                .await?;
            p.print(&role, format!("Role created:\n{}", describe(&role)));
        }
        RoleCommand::Edit(a) => {
            let current = p.role(&provider, &a.role).await?;
            // PUT replaces everything: keep what was not given.
            let name = a.name.unwrap_or_else(|| current.name.clone());
            let perms = if a.permissions.is_empty() {
                current.permissions.clone()
            } else {
                a.permissions
            };
            let scope = match a.scope {
                Some(s) => s.scope(),
                None => current.scope,
            };
            let role = r
                .update_provider_role(&provider.id, &current.id, &name, &perms, scope)
                .await?;
            p.print(&role, format!("Role changed:\n{}", describe(&role)));
        }
        RoleCommand::Clone(a) => {
            let current = p.role(&provider, &a.role).await?;
            let role = r
                .clone_provider_role(&provider.id, &current.id, &a.name)
                .await?;
            p.print(&role, format!("Role copied:\n{}", describe(&role)));
        }
        RoleCommand::Delete(a) => {
            let current = p.role(&provider, &a.role).await?;
            let id = &current.id;
            r.delete_provider_role(&provider.id, id).await?;
            p.print(
                &json!({ "id": id, "name": current.name, "deleted": true }),
                format!("Role {} deleted.", current.name),
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::{CommandFactory, Parser};

    #[derive(Parser)]
    struct Cli {
        #[command(subcommand)]
        role: RoleCommand,
    }

    #[test]
    fn permissions_are_checked_against_the_catalog() {
        let cli = Cli::try_parse_from([
            "role",
            "create",
            "r",
            "--permission",
            "View-Clients",
            "--permission",
            "unlink_client",
        ])
        .ok();
        let Some(Cli {
            role: RoleCommand::Create(a),
        }) = cli
        else {
            panic!("not parsed as a create");
        };
        assert_eq!(
            a.permissions,
            [Permission::ViewClients, Permission::UnlinkClient]
        );
        let err = Cli::try_parse_from(["role", "create", "r", "--permission", "launch"])
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("'launch'"), "{err}");
        assert!(err.contains("launch_into_client"), "{err}");
    }

    #[test]
    fn the_help_lists_the_catalog_with_what_each_allows() {
        let mut cmd = Cli::command();
        let help = cmd
            .find_subcommand_mut("create")
            .map(|c| c.render_long_help().to_string())
            .unwrap_or_default();
        for p in Permission::ALL {
            assert!(help.contains(p.name()), "{help}");
            assert!(help.contains(p.description()), "{help}");
        }
    }
}
