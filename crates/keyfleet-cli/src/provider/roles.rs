//! `provider roles`, `provider role create|edit|clone|delete`.

use super::PCtx;
use crate::Failure;
use clap::{Args, Subcommand, ValueEnum};
use keyfleet_api::provider_responses::ProviderRoleResponse;
use keyfleet_client::{ProviderCalls, RoleScope};
use serde_json::json;

/// The permission catalog (docs/provider-api.md).
pub const PERMISSIONS: &[&str] = &[
    "view_clients",
    "add_or_link_client",
    "unlink_client",
    "launch_into_client",
    "edit_client_info",
    "manage_members",
    "manage_roles",
    "view_usage_and_billing",
    "manage_integrations",
    "view_events",
];

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
    /// A permission (repeatable): view_clients, add_or_link_client, unlink_client,
    /// launch_into_client, edit_client_info, manage_members, manage_roles,
    /// view_usage_and_billing, manage_integrations, view_events.
    #[arg(long = "permission", value_name = "NAME")]
    permissions: Vec<String>,
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
    #[arg(long = "permission", value_name = "NAME")]
    permissions: Vec<String>,
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

/// Checks names against the catalog (a typo would otherwise be the server's 400).
fn permissions(names: &[String]) -> Result<Vec<String>, Failure> {
    names
        .iter()
        .map(|n| {
            let wanted = n.replace('-', "_");
            PERMISSIONS
                .iter()
                .find(|p| p.eq_ignore_ascii_case(&wanted))
                .map(|p| (*p).to_string())
                .ok_or_else(|| {
                    Failure::usage(format!(
                        "unknown permission {n:?}; choose from {}",
                        PERMISSIONS.join(", ")
                    ))
                })
        })
        .collect()
}

fn describe(r: &ProviderRoleResponse) -> String {
    format!(
        "{}  {}  scope:{} members:{}\n  {}",
        r.id,
        r.name,
        r.scope,
        r.members,
        if r.permissions.is_empty() {
            "(no permissions)".to_string()
        } else {
            r.permissions.join(", ")
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
            let perms = permissions(&a.permissions)?;
            let role = r
                .create_provider_role(&provider.id, &a.name, &perms, a.scope.scope())
                .await?;
            p.print(&role, format!("Role created:\n{}", describe(&role)));
        }
        RoleCommand::Edit(a) => {
            let perms = permissions(&a.permissions)?;
            let current = p.role(&provider, &a.role).await?;
            // PUT replaces everything: keep what was not given.
            let name = a.name.unwrap_or_else(|| current.name.clone());
            let perms = if a.permissions.is_empty() {
                current.permissions.clone()
            } else {
                perms
            };
            let scope = match a.scope {
                Some(s) => s.scope(),
                None if current.scope == "assigned" => RoleScope::Assigned,
                None => RoleScope::All,
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

    #[test]
    fn permissions_are_checked_against_the_catalog() {
        assert_eq!(
            permissions(&["View-Clients".into(), "unlink_client".into()]).ok(),
            Some(vec![
                "view_clients".to_string(),
                "unlink_client".to_string()
            ])
        );
        assert!(permissions(&["launch".into()]).is_err());
    }
}
