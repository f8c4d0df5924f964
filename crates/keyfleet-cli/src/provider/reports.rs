//! `provider events`, `provider usage`.

use super::PCtx;
use crate::Failure;
use clap::Args;
use keyfleet_api::provider_responses::ProviderClientUsageResponse;
use keyfleet_client::{ProviderCalls, ProviderEventFilter};
use serde_json::json;

#[derive(Args)]
pub struct EventsArgs {
    /// Only events about this member (id or email).
    #[arg(long)]
    member: Option<String>,
    /// Only events about this client (id, organization id or name).
    #[arg(long)]
    client: Option<String>,
    /// Only this event type (e.g. 1800 member invited, 1903 launched into a client).
    #[arg(long = "type", value_name = "N")]
    event_type: Option<i32>,
    /// From this time (ISO 8601; the server's default is 30 days ago).
    #[arg(long)]
    start: Option<String>,
    /// Until this time (ISO 8601; default now).
    #[arg(long)]
    end: Option<String>,
    /// Print the server's CSV export instead.
    #[arg(long, conflicts_with = "all")]
    csv: bool,
    /// Follow every page instead of showing the first.
    #[arg(long)]
    all: bool,
}

#[derive(Args)]
pub struct UsageArgs {
    /// Print the server's CSV export (with its TOTAL row) instead.
    #[arg(long)]
    csv: bool,
}

/// `provider events`: newest first, one page or every page with `--all`.
pub async fn events(p: &PCtx, a: EventsArgs) -> Result<(), Failure> {
    let provider = p.provider().await?;
    let member = match &a.member {
        Some(m) => Some(p.member(&provider, m).await?.id),
        None => None,
    };
    let client = match &a.client {
        Some(c) => Some(p.client(&provider, c).await?.id),
        None => None,
    };
    let mut filter = ProviderEventFilter {
        start: a.start,
        end: a.end,
        member,
        client,
        event_type: a.event_type,
        continuation_token: None,
    };
    let r = p.remote();
    if a.csv {
        print!("{}", r.provider_events_csv(&provider.id, &filter).await?);
        return Ok(());
    }
    let mut events = Vec::new();
    loop {
        let page = r.provider_events(&provider.id, &filter).await?;
        events.extend(page.data);
        filter.continuation_token = page.continuation_token;
        if !a.all || filter.continuation_token.is_none() {
            break;
        }
    }
    let mut text = format!("Events of {} (newest first):\n", provider.name);
    for e in &events {
        let mut about = String::new();
        for (id, label) in [
            (&e.event.provider_user_id, "member"),
            (&e.event.provider_organization_id, "client"),
        ] {
            if let Some(id) = id {
                about.push_str(&format!(" {label} {id}"));
            }
        }
        // The type is printed unpadded, as it always was (the width never applied to it).
        text.push_str(&format!(
            "{}  {} {:<28} by {}{about}\n",
            e.event.date,
            e.event.event_type.code(),
            e.event_name,
            e.acting_user_email
                .as_deref()
                .or(e.event.acting_user_id.as_deref())
                .unwrap_or("-"),
        ));
    }
    if let Some(t) = &filter.continuation_token {
        text.push_str(&format!("(more: --all, or continuationToken {t})\n"));
    }
    p.print(
        &json!({ "data": events, "continuationToken": filter.continuation_token }),
        text.trim_end(),
    );
    Ok(())
}

/// `provider usage`.
pub async fn usage(p: &PCtx, a: UsageArgs) -> Result<(), Failure> {
    let provider = p.provider().await?;
    if a.csv {
        print!("{}", p.remote().provider_usage_csv(&provider.id).await?);
        return Ok(());
    }
    let rows = p.remote().provider_usage(&provider.id).await?;
    let counts = |r: &ProviderClientUsageResponse| {
        [
            i64::from(r.seats),
            r.seats_used,
            r.members_confirmed,
            r.members_invited,
            r.members_revoked,
            r.items,
            r.members_with_two_step_login,
        ]
    };
    let mut text = format!(
        "Usage of {}'s clients:\n{:<28} {:<11} {:>5} {:>5} {:>9} {:>7} {:>7} {:>6} {:>4}  last activity\n",
        provider.name, "client", "plan", "seats", "used", "confirmed", "invited", "revoked", "items", "2fa"
    );
    let mut total = [0i64; 7];
    for r in &rows {
        let n = counts(r);
        for (t, c) in total.iter_mut().zip(n) {
            *t += c;
        }
        text.push_str(&format!(
            "{:<28} {:<11} {:>5} {:>5} {:>9} {:>7} {:>7} {:>6} {:>4}  {}\n",
            r.name,
            r.plan,
            n[0],
            n[1],
            n[2],
            n[3],
            n[4],
            n[5],
            n[6],
            r.last_activity.as_deref().unwrap_or("-"),
        ));
    }
    text.push_str(&format!(
        "{:<28} {:<11} {:>5} {:>5} {:>9} {:>7} {:>7} {:>6} {:>4}",
        "TOTAL", "", total[0], total[1], total[2], total[3], total[4], total[5], total[6]
    ));
    p.print(&json!(rows), text);
    Ok(())
}
