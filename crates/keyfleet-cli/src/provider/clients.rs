//! `provider clients`, `provider client create|link|edit|unlink|technicians`, `provider launch`.

use super::{PCtx, ProviderRef};
use crate::org::Unlock;
use crate::Failure;
use clap::{Args, Subcommand, ValueEnum};
use keyfleet_api::provider_responses::ProviderClientResponse;
use keyfleet_client::{ClientEdit, NewClient, ProviderCalls};
use serde_json::json;

/// The plans a provider's clients take (monthly; billing is outside Keyfleet).
#[derive(Clone, Copy, ValueEnum)]
pub enum ClientPlan {
    /// Teams (17).
    Teams,
    /// Enterprise (19): policies and every feature.
    Enterprise,
}

impl ClientPlan {
    fn plan_type(self) -> i32 {
        match self {
            ClientPlan::Teams => 17,
            ClientPlan::Enterprise => 19,
        }
    }
}

#[derive(Subcommand)]
pub enum ClientCommand {
    /// Create a client company (its keys are made here; asks for the master password).
    Create(CreateArgs),
    /// Link an organization you own (asks for the master password).
    Link(LinkArgs),
    /// Change a client's name, website, region, notes or seats.
    Edit(EditArgs),
    /// Unlink a client: the provider loses access (the org key is not rotated).
    Unlink(ClientArg),
    /// Choose the members who manage a client (technicians).
    Technicians(TechniciansArgs),
}

#[derive(Args)]
pub struct CreateArgs {
    /// The client organization's name.
    name: String,
    /// Plan.
    #[arg(long, value_enum)]
    plan: ClientPlan,
    /// Seats.
    #[arg(long, value_parser = clap::value_parser!(i32).range(1..))]
    seats: i32,
    /// Invite this address as the client's owner.
    #[arg(long)]
    owner_email: Option<String>,
    #[command(flatten)]
    details: Details,
    /// Billing email (the provider's by default).
    #[arg(long)]
    billing_email: Option<String>,
    /// Name of the first collection.
    #[arg(long, default_value = "Default collection")]
    collection: String,
    #[command(flatten)]
    unlock: Unlock,
}

/// A client's own details, for the MSP's records.
#[derive(Args)]
pub struct Details {
    /// Website.
    #[arg(long)]
    website: Option<String>,
    /// Region.
    #[arg(long)]
    region: Option<String>,
    /// Notes.
    #[arg(long)]
    notes: Option<String>,
}

#[derive(Args)]
pub struct LinkArgs {
    /// An organization you own (id or name).
    org: String,
    #[command(flatten)]
    unlock: Unlock,
}

#[derive(Args)]
pub struct EditArgs {
    /// The client (id, organization id or name).
    client: String,
    /// New name.
    #[arg(long)]
    name: Option<String>,
    #[command(flatten)]
    details: Details,
    /// New seat count.
    #[arg(long, value_parser = clap::value_parser!(i32).range(1..))]
    seats: Option<i32>,
}

#[derive(Args)]
pub struct ClientArg {
    /// The client (id, organization id or name).
    client: String,
}

#[derive(Args)]
pub struct TechniciansArgs {
    /// The client (id, organization id or name).
    client: String,
    /// A member (repeatable; id or email): the client's managers become exactly these.
    #[arg(
        long = "member",
        value_name = "MEMBER",
        required_unless_present = "clear"
    )]
    members: Vec<String>,
    /// Nobody manages the client any more.
    #[arg(long, conflicts_with = "members")]
    clear: bool,
}

#[derive(Args)]
pub struct LaunchArgs {
    /// The client (id, organization id or name).
    client: String,
    #[command(flatten)]
    unlock: crate::org::Unlock,
}

fn describe(c: &ProviderClientResponse) -> String {
    format!(
        "{}  {}  org {}  {} {}/{} seats{}",
        c.id,
        c.organization_name,
        c.organization_id,
        c.plan,
        c.occupied_seats,
        c.seats,
        c.region
            .as_deref()
            .map(|r| format!("  region {r}"))
            .unwrap_or_default()
    )
}

/// `provider clients`, with who manages each when the caller may list members.
pub async fn list(p: &PCtx) -> Result<(), Failure> {
    let provider = p.provider().await?;
    let clients = p.clients(&provider).await?;
    let members = p
        .remote()
        .provider_members(&provider.id)
        .await
        .unwrap_or_default();
    let email = |id: &String| {
        members
            .iter()
            .find(|m| m.id == *id)
            .map_or_else(|| id.clone(), |m| m.email.clone())
    };
    let mut text = format!("Clients of {}:\n", provider.name);
    for c in &clients {
        let managers: Vec<String> = c.assigned_members.iter().map(email).collect();
        text.push_str(&format!(
            "{}\n  managed by: {}\n",
            describe(c),
            if managers.is_empty() {
                "-".to_string()
            } else {
                managers.join(", ")
            }
        ));
    }
    if clients.is_empty() {
        text.push_str("(none in your reach)\n");
    }
    p.print(&json!(clients), text.trim_end());
    Ok(())
}

async fn create(p: &PCtx, provider: &ProviderRef, a: CreateArgs) -> Result<(), Failure> {
    let session = p.unlock(&a.unlock).await?;
    let created = session
        .create_provider_client(
            &provider.id,
            &NewClient {
                name: a.name,
                plan_type: a.plan.plan_type(),
                seats: Some(a.seats),
                owner_email: a.owner_email,
                collection_name: Some(a.collection),
                billing_email: a.billing_email,
                website: a.details.website,
                region: a.details.region,
                notes: a.details.notes,
            },
        )
        .await?;
    let c = created.client;
    let mut text = format!("Client created:\n{}", describe(&c.client));
    if let Some(invite) = &c.owner_invite {
        let email = invite.email.as_deref().unwrap_or_default();
        text.push_str(&if invite.mailed {
            format!("\nOwner {email} invited by mail.")
        } else {
            format!(
                "\nOwner {email} invited; no mail server: pass this link on\n  {}",
                invite.invite_url
            )
        });
        text.push_str(
            "\nOnce they accept, confirm them with `keyfleet org confirm ORG_ID EMAIL` (the org key comes through the provider).",
        );
    }
    p.print(&c, text);
    Ok(())
}

async fn link(p: &PCtx, provider: &ProviderRef, a: LinkArgs) -> Result<(), Failure> {
    let org = p.ctx.resolve(&a.org).await?;
    // One password for both: unlocking the keys and the server's re-check.
    let password = crate::account::read_password(a.unlock.password_stdin, false)?;
    let session = p.remote().unlock_with(&password).await?;
    let c = session
        .link_org_to_provider(&provider.id, &org.id, &password)
        .await?;
    p.print(
        &c,
        format!("Linked to {}:\n{}", provider.name, describe(&c)),
    );
    Ok(())
}

/// `provider client …`.
pub async fn run(p: &PCtx, cmd: ClientCommand) -> Result<(), Failure> {
    let provider = p.provider().await?;
    let r = p.remote();
    match cmd {
        ClientCommand::Create(a) => create(p, &provider, a).await?,
        ClientCommand::Link(a) => link(p, &provider, a).await?,
        ClientCommand::Edit(a) => {
            let c = p.client(&provider, &a.client).await?;
            let edit = ClientEdit {
                name: a.name,
                website: a.details.website,
                region: a.details.region,
                notes: a.details.notes,
                seats: a.seats,
            };
            let c = r.edit_provider_client(&provider.id, &c.id, &edit).await?;
            p.print(&c, format!("Client changed:\n{}", describe(&c)));
        }
        ClientCommand::Unlink(a) => {
            let c = p.client(&provider, &a.client).await?;
            r.unlink_provider_client(&provider.id, &c.id).await?;
            let organization_id = c.listed.as_ref().map(|l| &l.organization_id);
            p.print(
                &json!({ "id": c.id, "organizationId": organization_id, "unlinked": true }),
                format!(
                    "{} is no longer a client of {}. Its org key was not rotated: its owners may rotate it.",
                    c.organization_name,
                    provider.name
                ),
            );
        }
        ClientCommand::Technicians(a) => {
            let c = p.client(&provider, &a.client).await?;
            let ids = if a.clear {
                Vec::new()
            } else {
                p.member_ids(&provider, &a.members).await?
            };
            let c = r.assign_client_members(&provider.id, &c.id, &ids).await?;
            let n = c.assigned_members.len();
            p.print(
                &c,
                format!("{} is managed by {n} member(s).", c.organization_name),
            );
        }
    }
    Ok(())
}

/// `provider launch`: the organization id for `keyfleet org … ORG_ID` (logged as a vault
/// access in both event logs), after the step-up with one's own master password, which the
/// server checks.
pub async fn launch(p: &PCtx, a: LaunchArgs) -> Result<(), Failure> {
    let provider = p.provider().await?;
    let c = p.client(&provider, &a.client).await?;
    let hash = p.remote().verification(a.unlock.password_stdin).await?;
    let v = p
        .remote()
        .launch_client(&provider.id, &c.id, Some(&hash))
        .await?;
    let org_id = &v.organization_id;
    p.print(
        &json!({
            "organizationId": org_id, "organizationName": v.organization_name,
            "providerOrganizationId": c.id, "providerId": provider.id,
        }),
        format!(
            "{org_id}\n(client {}: use `keyfleet org members|collections|invite|confirm … {org_id}`)",
            v.organization_name
        ),
    );
    Ok(())
}
