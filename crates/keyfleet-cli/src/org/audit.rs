//! `org policies`, `org policy set`, `org events`.

use super::spec;
use super::{str_of, Ctx, OrgArgs, Output};
use crate::Failure;
use clap::{ArgAction, Args, Subcommand};
use keyfleet_client::Method;
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
    /// disable-personal-vault-export, activate-autofill (or its number).
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
    let v = ctx
        .call(
            Method::GET,
            &format!("/api/organizations/{}/policies", org.id),
            None,
        )
        .await?;
    let view: Vec<Value> = super::data(&v)
        .iter()
        .map(|p| {
            json!({
                "type": p["type"], "name": spec::policy_name(p["type"].as_i64().unwrap_or(-1)),
                "enabled": p["enabled"], "data": p["data"], "id": p["id"],
            })
        })
        .collect();
    let mut text = format!("Policies of {}:\n", org.name);
    for (name, n) in spec::POLICY_TYPES {
        let set = view
            .iter()
            .find(|p| p["type"].as_i64() == Some(i64::from(*n)));
        let state = match set {
            Some(p) if p["enabled"] == true => "on",
            Some(_) => "off",
            None => "off (never set)",
        };
        let data = set
            .map(|p| &p["data"])
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
    let p = ctx
        .call(
            Method::PUT,
            &format!("/api/organizations/{}/policies/{t}", org.id),
            // The shape the current official clients send (the server reads the older flat
            // one too).
            Some(json!({ "policy": { "enabled": a.enabled, "data": data }, "metadata": null })),
        )
        .await?;
    let name = spec::policy_name(t.into());
    ctx.print(
        &json!({ "type": t, "name": name, "enabled": p["enabled"], "data": p["data"] }),
        format!(
            "Policy {name} is {} in {}.",
            if p["enabled"] == true { "on" } else { "off" },
            org.name
        ),
    );
    Ok(())
}

fn query(start: Option<&str>, end: Option<&str>, token: Option<&str>) -> String {
    keyfleet_client::query_string(&[("start", start), ("end", end), ("continuationToken", token)])
}

/// `org events`: one page, or every page with `--all`.
pub async fn events(ctx: &Ctx, a: EventsArgs) -> Result<(), Failure> {
    let org = ctx.resolve(&a.org.org).await?;
    let members = ctx.members(&org.id).await?;
    let base = match &a.member {
        Some(m) => {
            let member = ctx.resolve_member(&org, m).await?;
            format!(
                "/api/organizations/{}/users/{}/events",
                org.id,
                str_of(&member, "id")
            )
        }
        None => format!("/api/organizations/{}/events", org.id),
    };
    let mut events = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let page = ctx
            .call(
                Method::GET,
                &format!(
                    "{base}{}",
                    query(a.start.as_deref(), a.end.as_deref(), token.as_deref())
                ),
                None,
            )
            .await?;
        events.extend(super::data(&page));
        token = page["continuationToken"].as_str().map(str::to_string);
        if !a.all || token.is_none() {
            break;
        }
    }
    let who = |user: &Value| -> String {
        members
            .iter()
            .find(|m| !user.is_null() && m["userId"] == *user)
            .map_or_else(
                || user.as_str().unwrap_or("-").to_string(),
                |m| str_of(m, "email").to_string(),
            )
    };
    let member_email = |id: &Value| -> Option<String> {
        members
            .iter()
            .find(|m| !id.is_null() && m["id"] == *id)
            .map(|m| str_of(m, "email").to_string())
    };
    let mut text = format!("Events of {} (newest first):\n", org.name);
    for e in &events {
        // A removed member is no longer listed: show their member id instead.
        let about = member_email(&e["organizationUserId"])
            .or_else(|| e["organizationUserId"].as_str().map(str::to_string))
            .map(|m| format!(" member {m}"))
            .unwrap_or_default();
        text.push_str(&format!(
            "{}  {:<34} by {}{about}\n",
            str_of(e, "date"),
            spec::event_name(e["type"].as_i64().unwrap_or(0)),
            who(&e["actingUserId"]),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_queries_escape_iso_times() {
        assert_eq!(query(None, None, None), "");
        assert_eq!(
            query(Some("2026-01-01T00:00:00+01:00"), None, Some("t")),
            "?start=2026-01-01T00%3A00%3A00%2B01%3A00&continuationToken=t"
        );
    }
}
