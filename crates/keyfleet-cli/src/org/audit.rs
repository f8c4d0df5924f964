//! `org policies`, `org policy set`, `org events`.

use super::spec;
use super::{Ctx, OrgArgs, Output};
use crate::Failure;
use clap::{ArgAction, Args, Subcommand};
use keyfleet_api::kinds::PolicyType;
use keyfleet_api::orgs::PolicyRequest;
use keyfleet_client::{OrgCalls, OrgEventFilter};
use serde_json::{json, Value};

#[derive(Subcommand)]
pub enum PolicyCommand {
    /// Turn a policy on or off, with its settings.
    Set(PolicySetArgs),
}

impl PolicyCommand {
    /// Whether `--json` was given.
    pub fn json(&self) -> bool {
        match self {
            PolicyCommand::Set(a) => a.out.json,
        }
    }
}

#[derive(Args)]
pub struct PolicySetArgs {
    /// Organization id or name.
    org: String,
    /// Policy: two-factor, master-password, password-generator, single-org, require-sso,
    /// personal-ownership, disable-send, send-options, reset-password, maximum-vault-timeout,
    /// disable-personal-vault-export, activate-autofill, automatic-user-confirmation (or its number).
    #[arg(value_name = "TYPE")]
    policy: String,
    /// true or false.
    #[arg(long, action = ArgAction::Set, value_name = "true|false")]
    enabled: bool,
    /// The policy's settings as a JSON object, e.g. '{"minLength":14}'.
    #[arg(long)]
    data: Option<String>,
    #[command(flatten)]
    out: Output,
}

#[derive(Args)]
pub struct EventsArgs {
    #[command(flatten)]
    pub org: OrgArgs,
    /// From this time (ISO 8601; the server's default is 30 days ago).
    #[arg(long)]
    start: Option<String>,
    /// Until this time (ISO 8601; default now).
    #[arg(long)]
    end: Option<String>,
    /// Only events about this member (member id or email).
    #[arg(long)]
    member: Option<String>,
    /// Follow every page instead of showing the first.
    #[arg(long)]
    all: bool,
}

/// `org policies`: every known type, set or not.
pub async fn list_policies(ctx: &Ctx, org: &str) -> Result<(), Failure> {
    let org = ctx.resolve(org).await?;
    let policies = ctx.remote.org_policies(&org.id).await?;
    let view: Vec<Value> = policies
        .iter()
        .map(|p| {
            json!({
                "type": p.policy_type, "name": spec::policy_name(p.policy_type),
                "enabled": p.enabled, "data": p.data, "id": p.id,
            })
        })
        .collect();
    let mut text = format!("Policies of {}:\n", org.name);
    for t in PolicyType::ALL {
        let name = spec::policy_name(*t);
        let set = policies.iter().find(|p| p.policy_type == *t);
        let state = match set {
            Some(p) if p.enabled => "on",
            Some(_) => "off",
            None => "off (never set)",
        };
        let data = set
            .and_then(|p| p.data.as_ref())
            .filter(|d| !d.is_null())
            .map(|d| format!("  {d}"))
            .unwrap_or_default();
        text.push_str(&format!("{name:<31} {state}{data}\n"));
    }
    ctx.print(&json!(view), text.trim_end());
    Ok(())
}

/// `org policy set`.
pub async fn run_policy(ctx: &Ctx, cmd: PolicyCommand) -> Result<(), Failure> {
    let PolicyCommand::Set(a) = cmd;
    let t = spec::policy_type(&a.policy).map_err(Failure::usage)?;
    let data: Option<Value> = a
        .data
        .as_deref()
        .map(serde_json::from_str)
        .transpose()
        .map_err(|e| Failure::usage(format!("--data is not JSON: {e}")))?;
    if data.as_ref().is_some_and(|d| !d.is_object()) {
        return Err(Failure::usage("--data must be a JSON object"));
    }
    let org = ctx.resolve(&a.org).await?;
    // Sent in the shape the current official clients send (the server reads the older flat
    // one too).
    let req = PolicyRequest {
        enabled: a.enabled,
        data,
        metadata: None,
    };
    let p = ctx.remote.save_org_policy(&org.id, t, &req).await?;
    let name = spec::policy_name(t);
    ctx.print(
        &json!({ "type": t, "name": name, "enabled": p.enabled, "data": p.data }),
        format!(
            "Policy {name} is {} in {}.",
            if p.enabled { "on" } else { "off" },
            org.name
        ),
    );
    Ok(())
}

/// `org events`: one page, or every page with `--all`.
pub async fn events(ctx: &Ctx, a: EventsArgs) -> Result<(), Failure> {
    let org = ctx.resolve(&a.org.org).await?;
    let members = ctx.members(&org.id).await?;
    let member_id = match &a.member {
        Some(m) => Some(ctx.resolve_member(&org, m).await?.id),
        None => None,
    };
    let mut events = Vec::new();
    let mut filter = OrgEventFilter {
        start: a.start.clone(),
        end: a.end.clone(),
        continuation_token: None,
    };
    loop {
        let page = match &member_id {
            Some(m) => ctx.remote.org_member_events(&org.id, m, &filter).await?,
            None => ctx.remote.org_events(&org.id, &filter).await?,
        };
        events.extend(page.data);
        filter.continuation_token = page.continuation_token;
        if !a.all || filter.continuation_token.is_none() {
            break;
        }
    }
    let token = filter.continuation_token;
    let who = |user: Option<&String>| -> String {
        user.map_or_else(
            || "-".to_string(),
            |u| {
                members
                    .iter()
                    .find(|m| m.user_id.as_ref() == Some(u))
                    .map_or_else(|| u.clone(), |m| m.email.clone())
            },
        )
    };
    let member_email = |id: &String| -> Option<String> {
        members
            .iter()
            .find(|m| m.id == *id)
            .map(|m| m.email.clone())
    };
    let mut text = format!("Events of {} (newest first):\n", org.name);
    for e in &events {
        // A removed member is no longer listed: show their member id instead.
        let about = e
            .organization_user_id
            .as_ref()
            .map(|id| member_email(id).unwrap_or_else(|| id.clone()))
            .map(|m| format!(" member {m}"))
            .unwrap_or_default();
        text.push_str(&format!(
            "{}  {:<34} by {}{about}\n",
            e.date,
            spec::event_name(e.event_type),
            who(e.acting_user_id.as_ref()),
        ));
    }
    if let Some(t) = &token {
        text.push_str(&format!("(more: --all, or continuationToken {t})\n"));
    }
    ctx.print(
        &json!({ "data": events, "continuationToken": token }),
        text.trim_end(),
    );
    Ok(())
}
