//! `keyfleet provider …`: an MSP's provider administration (docs/provider-api.md) with the
//! session saved by `keyfleet account login`, and `keyfleet admin provider …`, the operator's
//! commands (admin token). As with `keyfleet org`, secrets stay here: the provider key is
//! unwrapped from the caller's sync with their private key, so only the commands that wrap or
//! unwrap keys (setup, confirm, client create and link) ask for the master password.
//!
//! Members are named by id or email, clients by id, organization id or name, roles by id or
//! name. `--provider` (id or name) may be left out by a member of exactly one provider.

mod clients;
mod members;
pub mod operator;
mod reports;
mod roles;
mod setup;

use crate::org::{looks_like_id, pick, Ctx, Pick, Unlock};
use crate::remote::Remote;
use crate::Failure;
use clap::{Args, Subcommand};
use keyfleet_api::kinds::ProviderUserStatus;
use keyfleet_api::provider_responses::{
    ProfileProviderResponse, ProviderClientResponse, ProviderMemberResponse, ProviderRoleResponse,
};
use keyfleet_client::ProviderCalls;
use serde::Serialize;

/// `keyfleet provider [--provider P] [--json] …`.
#[derive(Args)]
pub struct ProviderArgs {
    /// Provider id or name (default: your only provider).
    #[arg(long, global = true)]
    provider: Option<String>,
    /// Print JSON.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: ProviderCommand,
}

#[derive(Subcommand)]
enum ProviderCommand {
    /// Set up a provider the operator created for you: makes the provider key (asks for the
    /// master password).
    Setup(setup::SetupArgs),
    /// List the providers you are an active member of.
    List,
    /// Show the provider.
    Show,
    /// Change the provider's name, business name or billing email (owner, admin).
    Update(setup::UpdateArgs),
    /// List the members: role, status, two-step login, assigned clients.
    Members,
    /// Invite people by email; prints each invitation link to pass on.
    Invite(members::InviteArgs),
    /// Accept an invitation (as the invited user).
    Accept(setup::AcceptArgs),
    /// Confirm an accepted member: check their fingerprint, then give them the provider key.
    Confirm(members::ConfirmArgs),
    /// Send invitations again (older links stop working).
    Reinvite(members::ReinviteArgs),
    /// Change a member's role.
    MemberRole(members::RoleArgs),
    /// Replace the clients a member is assigned to.
    Assign(members::AssignArgs),
    /// Suspend a member: their access ends with their next request.
    Suspend(MemberArg),
    /// Restore a suspended member.
    Restore(MemberArg),
    /// Remove a member (their copy of the provider key is destroyed).
    Remove(MemberArg),
    /// Make another member the owner; you become an admin (owner; asks for the master password).
    TransferOwnership(members::TransferArgs),
    /// List the custom roles.
    Roles,
    /// Create, change, clone or delete a custom role.
    #[command(subcommand)]
    Role(roles::RoleCommand),
    /// List the client companies in your reach.
    Clients,
    /// Create, link, change or unlink a client company, or choose its technicians.
    #[command(subcommand)]
    Client(clients::ClientCommand),
    /// Launch into a client: prints its organization id for `keyfleet org … ORG_ID`.
    Launch(clients::LaunchArgs),
    /// The provider's event log.
    Events(reports::EventsArgs),
    /// Seats, members, items and two-step login per client, with totals.
    Usage(reports::UsageArgs),
}

/// One member, by id or email.
#[derive(Args)]
pub struct MemberArg {
    /// Member id (from `provider members`) or email.
    member: String,
}

/// A provider the caller belongs to.
pub struct ProviderRef {
    /// Its id.
    pub id: String,
    /// Its name (the id when only the id is known).
    pub name: String,
}

/// The connection, how to print, and the `--provider` asked for.
pub struct PCtx {
    /// The org commands' context (session, `--json`, printing).
    pub ctx: Ctx,
    wanted: Option<String>,
}

impl PCtx {
    /// The resumed session.
    pub fn remote(&self) -> &Remote {
        &self.ctx.remote
    }

    /// Prints `value` with `--json`, else `text`.
    pub fn print(&self, value: &impl Serialize, text: impl AsRef<str>) {
        self.ctx.print(value, text);
    }

    /// Unlocks the vault keys (asks for the master password).
    pub async fn unlock(&self, unlock: &Unlock) -> Result<keyfleet_client::Session, Failure> {
        self.ctx.remote.unlock(unlock.password_stdin).await
    }

    /// The `--provider` given, as typed (for setup and accept, which precede membership).
    pub fn provider_arg(&self) -> Option<&str> {
        self.wanted.as_deref()
    }

    /// The provider `--provider` names among the caller's (by id or name), or the caller's
    /// only provider. An id that is not among them is passed on, so the server decides.
    pub async fn provider(&self) -> Result<ProviderRef, Failure> {
        let mine = self.remote().my_providers().await?;
        let as_ref = |p: &ProfileProviderResponse| ProviderRef {
            id: p.id.clone(),
            name: p.name.clone(),
        };
        let Some(wanted) = self.wanted.as_deref() else {
            return match mine.as_slice() {
                [p] => Ok(as_ref(p)),
                [] => Err(Failure::server(
                    "you are no active member of a provider (confirmed, not suspended, two-step \
                     login on, provider enabled)",
                )),
                many => Err(Failure::usage(format!(
                    "you belong to {} providers: choose one with --provider (`keyfleet provider list`)",
                    many.len()
                ))),
            };
        };
        match pick(&mine, wanted, |p| vec![p.id.as_str()], |p| &p.name) {
            Pick::One(p) => Ok(as_ref(p)),
            Pick::Nothing if looks_like_id(wanted) => Ok(ProviderRef {
                id: wanted.to_ascii_lowercase(),
                name: wanted.to_string(),
            }),
            Pick::Nothing => Err(Failure::server(format!(
                "no provider {wanted:?} among yours (by id or name); `keyfleet provider list` shows them"
            ))),
            Pick::Many(n) => Err(Failure::usage(format!(
                "{n} of your providers are named {wanted:?}: give its id instead"
            ))),
        }
    }

    /// A member of `provider` by id or email.
    pub async fn member(
        &self,
        provider: &ProviderRef,
        who: &str,
    ) -> Result<ProviderMemberResponse, Failure> {
        let members = self.remote().provider_members(&provider.id).await?;
        find_member(&members, who, provider).cloned()
    }

    /// Member ids for several members named by id or email (one list call).
    pub async fn member_ids(
        &self,
        provider: &ProviderRef,
        who: &[String],
    ) -> Result<Vec<String>, Failure> {
        if who.is_empty() {
            return Ok(Vec::new());
        }
        let members = self.remote().provider_members(&provider.id).await?;
        who.iter()
            .map(|w| find_member(&members, w, provider).map(|m| m.id.clone()))
            .collect()
    }

    /// The clients in the caller's reach.
    pub async fn clients(
        &self,
        provider: &ProviderRef,
    ) -> Result<Vec<ProviderClientResponse>, Failure> {
        Ok(self.remote().provider_clients(&provider.id).await?)
    }

    /// Client link ids (`providerOrganizationId`) for clients named by link id, organization
    /// id or organization name.
    pub async fn client_ids(
        &self,
        provider: &ProviderRef,
        which: &[String],
    ) -> Result<Vec<String>, Failure> {
        if which.is_empty() {
            return Ok(Vec::new());
        }
        let clients = self.clients(provider).await?;
        which
            .iter()
            .map(|w| find_client(&clients, w, provider).map(|c| c.id))
            .collect()
    }

    /// One client by link id, organization id or organization name.
    pub async fn client(&self, provider: &ProviderRef, which: &str) -> Result<ClientRef, Failure> {
        let clients = self.clients(provider).await?;
        find_client(&clients, which, provider)
    }

    /// A custom role by id or name.
    pub async fn role(
        &self,
        provider: &ProviderRef,
        which: &str,
    ) -> Result<ProviderRoleResponse, Failure> {
        let roles = self.remote().provider_roles(&provider.id).await?;
        match pick(&roles, which, |r| vec![r.id.as_str()], |r| &r.name) {
            Pick::One(r) => Ok(r.clone()),
            Pick::Nothing => Err(Failure::server(format!(
                "no role {which:?} in {} (by id or name); `keyfleet provider roles` lists them",
                provider.name
            ))),
            Pick::Many(n) => Err(Failure::usage(format!(
                "{n} roles are named {which:?}: give its id instead"
            ))),
        }
    }
}

fn find_member<'a>(
    members: &'a [ProviderMemberResponse],
    who: &str,
    provider: &ProviderRef,
) -> Result<&'a ProviderMemberResponse, Failure> {
    match pick(members, who, |m| vec![m.id.as_str()], |m| &m.email) {
        Pick::One(m) => Ok(m),
        _ => Err(Failure::server(format!(
            "no member {who:?} in {} (by id or email); `keyfleet provider members` lists them",
            provider.name
        ))),
    }
}

/// A client as a command names it: from the list, or only its link id.
pub struct ClientRef {
    /// The link id (`providerOrganizationId`).
    pub id: String,
    /// The organization's name (the id given, when the client was not in the list).
    pub organization_name: String,
    /// The client as listed, when it was.
    pub listed: Option<ProviderClientResponse>,
}

/// A client from the list; an id that is not in it is passed on as a link id, so the server
/// decides (404 for a client out of the caller's reach).
fn find_client(
    clients: &[ProviderClientResponse],
    which: &str,
    provider: &ProviderRef,
) -> Result<ClientRef, Failure> {
    let found = pick(
        clients,
        which,
        |c| vec![c.id.as_str(), c.organization_id.as_str()],
        |c| &c.organization_name,
    );
    match found {
        Pick::One(c) => Ok(ClientRef {
            id: c.id.clone(),
            organization_name: c.organization_name.clone(),
            listed: Some(c.clone()),
        }),
        Pick::Nothing if looks_like_id(which) => Ok(ClientRef {
            id: which.to_ascii_lowercase(),
            organization_name: which.to_string(),
            listed: None,
        }),
        Pick::Nothing => Err(Failure::server(format!(
            "no client {which:?} in your reach at {} (by id or name); `keyfleet provider clients` lists them",
            provider.name
        ))),
        Pick::Many(n) => Err(Failure::usage(format!(
            "{n} clients are named {which:?}: give its id instead"
        ))),
    }
}

/// The word for a provider member status.
pub fn status_name(s: ProviderUserStatus) -> &'static str {
    match s {
        ProviderUserStatus::Invited => "invited",
        ProviderUserStatus::Accepted => "accepted",
        ProviderUserStatus::Confirmed => "confirmed",
    }
}

/// Runs one `provider` command with the saved session.
pub async fn run(args: ProviderArgs) -> Result<(), Failure> {
    let p = PCtx {
        ctx: Ctx {
            remote: Remote::connect().await?,
            json: args.json,
        },
        wanted: args.provider,
    };
    use ProviderCommand as C;
    match args.command {
        C::Setup(a) => setup::setup(&p, a).await,
        C::List => setup::list(&p).await,
        C::Show => setup::show(&p).await,
        C::Update(a) => setup::update(&p, a).await,
        C::Accept(a) => setup::accept(&p, a).await,
        C::Members => members::list(&p).await,
        C::Invite(a) => members::invite(&p, a).await,
        C::Confirm(a) => members::confirm(&p, a).await,
        C::Reinvite(a) => members::reinvite(&p, a).await,
        C::MemberRole(a) => members::set_role(&p, a).await,
        C::Assign(a) => members::assign(&p, a).await,
        C::Suspend(a) => members::change(&p, a, members::Change::Suspend).await,
        C::Restore(a) => members::change(&p, a, members::Change::Restore).await,
        C::Remove(a) => members::change(&p, a, members::Change::Remove).await,
        C::TransferOwnership(a) => members::transfer(&p, a).await,
        C::Roles => roles::list(&p).await,
        C::Role(c) => roles::run(&p, c).await,
        C::Clients => clients::list(&p).await,
        C::Client(c) => clients::run(&p, c).await,
        C::Launch(a) => clients::launch(&p, a).await,
        C::Events(a) => reports::events(&p, a).await,
        C::Usage(a) => reports::usage(&p, a).await,
    }
}
