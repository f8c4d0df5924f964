//! `org create`, `org list`, `org seats`, `org api-key`.

use super::{Ctx, OrgArgs, Output, Unlock};
use crate::Failure;
use clap::{Args, ValueEnum};
use keyfleet_api::accounts::SecretVerificationRequest;
use keyfleet_api::kinds::OrganizationUserStatus;
use keyfleet_client::OrgCalls;
use serde_json::json;

/// The plans an MSP picks from (the monthly variants; billing is outside Keyfleet).
#[derive(Clone, Copy, ValueEnum)]
pub enum Plan {
    /// Two seats, two collections.
    Free,
    /// Teams (monthly): seats as you choose.
    Teams,
    /// Enterprise (monthly): seats as you choose, policies and every feature.
    Enterprise,
}

impl Plan {
    fn plan_type(self) -> i32 {
        match self {
            Plan::Free => 0,
            Plan::Teams => 17,
            Plan::Enterprise => 19,
        }
    }
}

#[derive(Args)]
pub struct CreateArgs {
    /// The organization's name (e.g. the client company).
    #[arg(long)]
    name: String,
    /// Billing email.
    #[arg(long)]
    billing_email: String,
    /// Plan.
    #[arg(long, value_enum, default_value = "enterprise")]
    plan: Plan,
    /// Seats (paid plans; the server's default otherwise).
    #[arg(long)]
    seats: Option<i32>,
    /// Name of the first collection.
    #[arg(long, default_value = "Default collection")]
    collection: String,
    #[command(flatten)]
    unlock: Unlock,
    #[command(flatten)]
    pub out: Output,
}

#[derive(Args)]
pub struct SeatsArgs {
    #[command(flatten)]
    pub org: OrgArgs,
    /// Add this many seats.
    #[arg(long, conflicts_with = "remove", value_parser = clap::value_parser!(i32).range(1..))]
    add: Option<i32>,
    /// Remove this many seats (never below the seats in use).
    #[arg(long, value_parser = clap::value_parser!(i32).range(1..))]
    remove: Option<i32>,
}

#[derive(Args)]
pub struct ApiKeyArgs {
    #[command(flatten)]
    pub org: OrgArgs,
    /// Make a new key; the old one stops working.
    #[arg(long)]
    rotate: bool,
    #[command(flatten)]
    unlock: Unlock,
}

/// `org create`: the org key and key pair are made here.
pub async fn create(ctx: &Ctx, a: CreateArgs) -> Result<(), Failure> {
    let session = ctx.remote.unlock(a.unlock.password_stdin).await?;
    let created = session
        .create_org(
            &a.name,
            &a.billing_email,
            a.plan.plan_type(),
            a.seats,
            &a.collection,
        )
        .await?;
    let org = created.org;
    ctx.print(
        &json!({ "id": org.id, "name": org.name, "planType": org.plan_type, "seats": org.seats }),
        format!(
            "Organization {} created (id {}), plan {}, {} seat(s), first collection {:?}.",
            org.name, org.id, org.plan, org.seats, a.collection
        ),
    );
    Ok(())
}

/// `org list`.
pub async fn list(ctx: &Ctx) -> Result<(), Failure> {
    let orgs = ctx.orgs().await?;
    let view: Vec<_> = orgs
        .iter()
        .map(|o| {
            json!({
                "id": o.id, "name": o.name, "role": super::spec::role_name(o.member_type),
                "type": o.member_type, "status": o.status, "seats": o.seats, "enabled": o.enabled,
            })
        })
        .collect();
    let mut text = String::new();
    for o in &orgs {
        text.push_str(&format!(
            "{}  {}  ({}, {} seats)\n",
            o.id,
            o.name,
            super::spec::role_name(o.member_type),
            o.seats
        ));
    }
    if view.is_empty() {
        text.push_str("You belong to no organization yet.\n");
    }
    ctx.print(&json!(view), text.trim_end());
    Ok(())
}

/// `org seats`: shows seats and seats in use, after an adjustment if one was asked.
pub async fn seats(ctx: &Ctx, a: SeatsArgs) -> Result<(), Failure> {
    let org = ctx.resolve(&a.org.org).await?;
    let delta = match (a.add, a.remove) {
        (Some(n), _) => Some(n),
        (None, Some(n)) => Some(-n),
        (None, None) => None,
    };
    let detail = match delta {
        Some(d) => ctx.remote.adjust_org_seats(&org.id, d).await?,
        None => ctx.remote.org(&org.id).await?,
    };
    // The server counts every member that is not revoked, invited ones included.
    let used = ctx
        .members(&org.id)
        .await?
        .iter()
        .filter(|m| m.status != OrganizationUserStatus::Revoked)
        .count();
    let seats = detail.seats;
    ctx.print(
        &json!({ "id": org.id, "name": org.name, "seats": seats, "used": used, "plan": detail.plan }),
        format!("{}: {used} of {seats} seat(s) in use.", org.name),
    );
    Ok(())
}

/// `org api-key`: shows it (the first time only: the server keeps a digest) or rotates it, after
/// the master password re-check.
pub async fn api_key(ctx: &Ctx, a: ApiKeyArgs) -> Result<(), Failure> {
    let org = ctx.resolve(&a.org.org).await?;
    let verification = SecretVerificationRequest {
        master_password_hash: Some(ctx.remote.verification(a.unlock.password_stdin).await?),
    };
    let v = if a.rotate {
        ctx.remote
            .rotate_org_api_key(&org.id, &verification)
            .await?
    } else {
        ctx.remote.org_api_key(&org.id, &verification).await?
    };
    let client_id = format!("organization.{}", org.id);
    let secret = &v.api_key;
    ctx.print(
        &json!({ "clientId": client_id, "clientSecret": secret, "revisionDate": v.revision_date }),
        format!(
            "client_id: {client_id}\nclient_secret: {secret}\n{}",
            if a.rotate {
                "The previous key no longer works."
            } else {
                "Store it like a password: it is shown only this once."
            }
        ),
    );
    Ok(())
}
