//! `provider members|invite|confirm|reinvite|member-role|assign|suspend|restore|remove|
//! transfer-ownership`.

use super::{status_name, MemberArg, PCtx, ProviderRef};
use crate::org::members::check_fingerprint;
use crate::org::Unlock;
use crate::Failure;
use clap::{Args, ValueEnum};
use keyfleet_api::kinds::ProviderUserStatus;
use keyfleet_api::org_responses::BulkMemberResponse;
use keyfleet_api::provider_responses::{ProviderInviteResponse, ProviderMemberResponse};
use keyfleet_client::{MemberRole, ProviderCalls};
use serde_json::{json, Value};

/// A role `--role` gives (the owner is made by transferring ownership).
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RoleArg {
    /// Everything but transferring ownership, on all clients.
    Admin,
    /// Views and launches into the clients assigned to them.
    Technician,
    /// A custom role's permissions and scope (with --role-id).
    Custom,
}

#[derive(Args)]
pub struct InviteArgs {
    /// Email addresses to invite.
    #[arg(required = true)]
    emails: Vec<String>,
    /// Their role.
    #[arg(long, value_enum)]
    role: RoleArg,
    /// The custom role, by id or name (with --role custom).
    #[arg(long)]
    role_id: Option<String>,
    /// A client to assign them to (repeatable): id or name.
    #[arg(long = "client", value_name = "CLIENT")]
    clients: Vec<String>,
}

#[derive(Args)]
pub struct ConfirmArgs {
    #[command(flatten)]
    member: MemberArg,
    /// Confirm without asking (check the fingerprint phrase with the member first).
    #[arg(long)]
    yes: bool,
    #[command(flatten)]
    unlock: Unlock,
}

#[derive(Args)]
pub struct ReinviteArgs {
    /// Members still invited (id or email).
    #[arg(required = true)]
    members: Vec<String>,
}

#[derive(Args)]
pub struct RoleArgs {
    #[command(flatten)]
    member: MemberArg,
    /// The new role.
    #[arg(long, value_enum)]
    role: RoleArg,
    /// The custom role, by id or name (with --role custom).
    #[arg(long)]
    role_id: Option<String>,
}

#[derive(Args)]
pub struct AssignArgs {
    #[command(flatten)]
    member: MemberArg,
    /// A client (repeatable; id or name): the member's assignments become exactly these.
    #[arg(
        long = "client",
        value_name = "CLIENT",
        required_unless_present = "clear"
    )]
    clients: Vec<String>,
    /// Unassign every client.
    #[arg(long, conflicts_with = "clients")]
    clear: bool,
}

#[derive(Args)]
pub struct TransferArgs {
    #[command(flatten)]
    member: MemberArg,
    #[command(flatten)]
    unlock: Unlock,
}

/// What `suspend`, `restore` and `remove` do.
#[derive(Clone, Copy)]
pub enum Change {
    Suspend,
    Restore,
    Remove,
}

/// The role as the member calls take it; `--role-id` resolved by id or name.
async fn member_role(
    p: &PCtx,
    provider: &ProviderRef,
    role: RoleArg,
    role_id: Option<&str>,
) -> Result<MemberRole, Failure> {
    match (role, role_id) {
        (RoleArg::Admin, None) => Ok(MemberRole::Admin),
        (RoleArg::Technician, None) => Ok(MemberRole::Technician),
        (RoleArg::Custom, Some(which)) => {
            let r = p.role(provider, which).await?;
            Ok(MemberRole::Custom(r.id))
        }
        (RoleArg::Custom, None) => Err(Failure::usage(
            "--role custom needs --role-id (`keyfleet provider roles` lists them)",
        )),
        (_, Some(_)) => Err(Failure::usage("--role-id goes with --role custom")),
    }
}

/// A member's role as people say it: the custom role's name for custom members.
fn role_label(m: &ProviderMemberResponse) -> String {
    match (m.role.name(), m.role_name.as_deref()) {
        ("custom", Some(name)) => format!("custom:{name}"),
        (role, _) => role.to_string(),
    }
}

/// `provider members`.
pub async fn list(p: &PCtx) -> Result<(), Failure> {
    let provider = p.provider().await?;
    let members = p.remote().provider_members(&provider.id).await?;
    // Client names for the assignments; a member who may not list clients sees ids.
    let clients = p.clients(&provider).await.unwrap_or_default();
    let client_name = |id: &String| {
        clients
            .iter()
            .find(|c| c.id == *id)
            .map_or_else(|| id.clone(), |c| c.organization_name.clone())
    };
    let mut text = format!("Members of {}:\n", provider.name);
    for m in &members {
        let status = if m.suspended {
            "suspended"
        } else {
            status_name(m.status)
        };
        let assigned: Vec<String> = m.assigned_clients.iter().map(client_name).collect();
        text.push_str(&format!(
            "{}  {:<30} {:<18} {:<9} 2fa:{} clients:{}\n",
            m.id,
            m.email,
            role_label(m),
            status,
            if m.two_factor_enabled { "on" } else { "off" },
            if assigned.is_empty() {
                "-".to_string()
            } else {
                assigned.join(", ")
            },
        ));
    }
    p.print(&json!(members), text.trim_end());
    Ok(())
}

/// Prints invitations: whether each was mailed, else its link to pass on.
/// One invitation as `invite` and `reinvite` show it: a new one, or a bulk answer's entry.
struct InviteLine {
    id: String,
    email: Option<String>,
    mailed: Option<bool>,
    link: Option<String>,
    token: Option<String>,
    error: Option<String>,
}

impl From<ProviderInviteResponse> for InviteLine {
    fn from(i: ProviderInviteResponse) -> Self {
        InviteLine {
            id: i.id,
            email: i.email,
            mailed: Some(i.mailed),
            link: Some(i.invite_url),
            token: Some(i.token),
            error: None,
        }
    }
}

impl From<BulkMemberResponse> for InviteLine {
    fn from(i: BulkMemberResponse) -> Self {
        InviteLine {
            id: i.id,
            email: i.email,
            mailed: i.mailed,
            link: i.invite_url,
            token: i.token,
            error: Some(i.error),
        }
    }
}

fn print_invites(p: &PCtx, heading: &str, invites: &[InviteLine]) {
    let view: Vec<Value> = invites
        .iter()
        .map(|i| {
            json!({
                "id": i.id, "email": i.email, "mailed": i.mailed,
                "link": i.link, "token": i.token, "error": i.error,
            })
        })
        .collect();
    let mut text = format!("{heading}\n");
    for i in invites {
        let delivery = match (i.error.as_deref(), i.mailed) {
            (Some(e), _) if !e.is_empty() => format!("not sent: {e}"),
            (_, Some(true)) => "sent by mail".to_string(),
            _ => format!(
                "no mail server: pass this link on\n  {}",
                i.link.as_deref().unwrap_or_default()
            ),
        };
        text.push_str(&format!(
            "{}  member {}\n  {delivery}\n",
            i.email.as_deref().unwrap_or_default(),
            i.id
        ));
    }
    p.print(&json!(view), text.trim_end());
}

/// `provider invite`.
pub async fn invite(p: &PCtx, a: InviteArgs) -> Result<(), Failure> {
    let provider = p.provider().await?;
    let role = member_role(p, &provider, a.role, a.role_id.as_deref()).await?;
    let clients = p.client_ids(&provider, &a.clients).await?;
    let invites: Vec<InviteLine> = p
        .remote()
        .invite_provider_members(&provider.id, &a.emails, &role, &clients)
        .await?
        .into_iter()
        .map(InviteLine::from)
        .collect();
    print_invites(p, &format!("Invited to {}:", provider.name), &invites);
    Ok(())
}

/// `provider reinvite`.
pub async fn reinvite(p: &PCtx, a: ReinviteArgs) -> Result<(), Failure> {
    let provider = p.provider().await?;
    let members = p.remote().provider_members(&provider.id).await?;
    let ids = p.member_ids(&provider, &a.members).await?;
    let mut invites: Vec<InviteLine> = p
        .remote()
        .reinvite_provider_members(&provider.id, &ids)
        .await?
        .into_iter()
        .map(InviteLine::from)
        .collect();
    // The bulk answer names members by id only: add the email for the reader.
    for i in &mut invites {
        if i.email.is_none() {
            if let Some(m) = members.iter().find(|m| m.id == i.id) {
                i.email = Some(m.email.clone());
            }
        }
    }
    print_invites(p, &format!("Invited again to {}:", provider.name), &invites);
    Ok(())
}

/// `provider confirm`: shows the member key's fingerprint, asks (unless `--yes`), then wraps
/// the provider key to exactly that key.
pub async fn confirm(p: &PCtx, a: ConfirmArgs) -> Result<(), Failure> {
    let provider = p.provider().await?;
    let member = p.member(&provider, &a.member.member).await?;
    let id = member.id.clone();
    if member.status != ProviderUserStatus::Accepted {
        return Err(Failure::server(format!(
            "{} is {}, not accepted: only accepted members can be confirmed",
            member.email,
            status_name(member.status)
        )));
    }
    let session = p.unlock(&a.unlock).await?;
    let provider_key = session.provider_key(&provider.id).await?;
    let (public, fingerprint) = p
        .remote()
        .provider_member_public_key(&provider.id, &id)
        .await?;
    check_fingerprint(&member.email, &fingerprint, a.yes)?;
    session
        .confirm_provider_member_with_key(&provider.id, &id, &provider_key, &public)
        .await?;
    p.print(
        &json!({ "confirmed": true, "id": id, "email": member.email, "fingerprint": fingerprint }),
        format!(
            "{} is confirmed in {} (fingerprint {fingerprint}).",
            member.email, provider.name
        ),
    );
    Ok(())
}

fn print_member(p: &PCtx, m: &ProviderMemberResponse, what: &str) {
    p.print(
        m,
        format!(
            "{} {what}: role {}, {}{}.",
            m.email,
            role_label(m),
            status_name(m.status),
            if m.suspended { ", suspended" } else { "" }
        ),
    );
}

/// `provider member-role`.
pub async fn set_role(p: &PCtx, a: RoleArgs) -> Result<(), Failure> {
    let provider = p.provider().await?;
    let role = member_role(p, &provider, a.role, a.role_id.as_deref()).await?;
    let member = p.member(&provider, &a.member.member).await?;
    let m = p
        .remote()
        .set_provider_member_role(&provider.id, &member.id, &role)
        .await?;
    print_member(p, &m, "changed");
    Ok(())
}

/// `provider assign`.
pub async fn assign(p: &PCtx, a: AssignArgs) -> Result<(), Failure> {
    let provider = p.provider().await?;
    let member = p.member(&provider, &a.member.member).await?;
    let clients = if a.clear {
        Vec::new()
    } else {
        p.client_ids(&provider, &a.clients).await?
    };
    let m = p
        .remote()
        .assign_member_clients(&provider.id, &member.id, &clients)
        .await?;
    let n = m.assigned_clients.len();
    print_member(p, &m, &format!("assigned to {n} client(s)"));
    Ok(())
}

/// `provider suspend|restore|remove`.
pub async fn change(p: &PCtx, a: MemberArg, change: Change) -> Result<(), Failure> {
    let provider = p.provider().await?;
    let member = p.member(&provider, &a.member).await?;
    let id = &member.id;
    let r = p.remote();
    match change {
        Change::Suspend => {
            let m = r.suspend_provider_member(&provider.id, id).await?;
            print_member(p, &m, "suspended (access ended)");
        }
        Change::Restore => {
            let m = r.restore_provider_member(&provider.id, id).await?;
            print_member(p, &m, "restored");
        }
        Change::Remove => {
            r.delete_provider_member(&provider.id, id).await?;
            p.print(
                &json!({ "id": id, "email": member.email, "removed": true }),
                format!("{} is removed from {}.", member.email, provider.name),
            );
        }
    }
    Ok(())
}

/// `provider transfer-ownership` (the master password re-check is the server's).
pub async fn transfer(p: &PCtx, a: TransferArgs) -> Result<(), Failure> {
    let provider = p.provider().await?;
    let member = p.member(&provider, &a.member.member).await?;
    let hash = p.remote().verification(a.unlock.password_stdin).await?;
    p.remote()
        .transfer_provider_ownership(&provider.id, &member.id, &hash)
        .await?;
    p.print(
        &json!({ "owner": member.email, "id": member.id, "transferred": true }),
        format!(
            "{} is now the owner of {}; you are an admin.",
            member.email, provider.name
        ),
    );
    Ok(())
}
