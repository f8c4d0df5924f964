//! `provider setup|list|show|update|accept`.

use super::PCtx;
use crate::org::members::{check_invited_email, link_param};
use crate::org::Unlock;
use crate::Failure;
use clap::Args;
use keyfleet_api::provider_requests::ProviderUpdateRequest;
use keyfleet_api::provider_responses::ProviderResponse;
use keyfleet_client::ProviderCalls;
use serde_json::{json, Value};

#[derive(Args)]
pub struct SetupArgs {
    /// The setup token the operator passed on (with --provider ID).
    #[arg(long, conflicts_with = "link", required_unless_present = "link")]
    token: Option<String>,
    /// The whole setup link instead (…/console/#/providers/setup-provider?providerId=…&token=…).
    #[arg(long)]
    link: Option<String>,
    /// The provider's name (e.g. your MSP's).
    #[arg(long)]
    name: String,
    /// Business name.
    #[arg(long)]
    business_name: Option<String>,
    /// Billing email.
    #[arg(long)]
    billing_email: String,
    #[command(flatten)]
    unlock: Unlock,
}

#[derive(Args)]
pub struct UpdateArgs {
    /// New name.
    #[arg(long)]
    name: Option<String>,
    /// New business name.
    #[arg(long)]
    business_name: Option<String>,
    /// New billing email.
    #[arg(long)]
    billing_email: Option<String>,
    /// Whether launching into a client needs the member's master password (on / off).
    #[arg(long, value_parser = clap::builder::BoolishValueParser::new())]
    launch_requires_password: Option<bool>,
}

#[derive(Args)]
pub struct AcceptArgs {
    /// Your member id (from the invitation; with --provider ID and --token).
    #[arg(long, requires = "token", conflicts_with = "link")]
    member: Option<String>,
    /// The invitation token.
    #[arg(long, requires = "member")]
    token: Option<String>,
    /// The whole invitation link instead (…/console/#/providers/accept-provider?providerId=…).
    #[arg(long, required_unless_present = "member")]
    link: Option<String>,
}

/// The `keys` of a set-up or invitation link, once its email is checked against the session's.
fn link_fields<const N: usize>(
    p: &PCtx,
    link: &str,
    keys: [&str; N],
) -> Result<[String; N], Failure> {
    let link = link.trim();
    check_invited_email(
        &link_param(link, "email").unwrap_or_default(),
        &p.remote().saved.email,
    )?;
    let mut out: [String; N] = std::array::from_fn(|_| String::new());
    for (slot, key) in out.iter_mut().zip(keys) {
        *slot = link_param(link, key).map_err(Failure::usage)?;
    }
    Ok(out)
}

/// `provider setup`: the provider key is made here and wrapped to your own public key.
pub async fn setup(p: &PCtx, a: SetupArgs) -> Result<(), Failure> {
    let (provider_id, token) = match (&a.link, &a.token) {
        (Some(link), _) => {
            let [provider, token] = link_fields(p, link, ["providerId", "token"])?;
            (provider, token)
        }
        (None, Some(token)) => (
            p.provider_arg()
                .ok_or_else(|| Failure::usage("--token goes with --provider ID (or give --link)"))?
                .to_string(),
            token.clone(),
        ),
        (None, None) => {
            return Err(Failure::usage(
                "give --provider ID --token T, or --link URL",
            ))
        }
    };
    let session = p.unlock(&a.unlock).await?;
    let (provider, _key) = session
        .setup_provider(
            &provider_id,
            &token,
            &a.name,
            a.business_name.as_deref(),
            &a.billing_email,
        )
        .await?;
    p.print(
        &provider,
        format!(
            "Provider {} is set up (id {}); you are its owner.\nInvite your staff with `keyfleet provider invite`.",
            provider.name, provider.id
        ),
    );
    Ok(())
}

/// `provider list`: from sync, so only memberships that are active now.
pub async fn list(p: &PCtx) -> Result<(), Failure> {
    let providers = p.remote().my_providers().await?;
    let view: Vec<Value> = providers
        .iter()
        .map(|v| {
            json!({
                "id": v.id, "name": v.name, "type": v.member_type, "kind": provider_kind(v.member_type.code()),
                "enabled": v.enabled, "providerStatus": v.provider_status,
            })
        })
        .collect();
    let mut text = String::new();
    for v in &providers {
        text.push_str(&format!(
            "{}  {}  ({})\n",
            v.id,
            v.name,
            provider_kind(v.member_type.code())
        ));
    }
    if view.is_empty() {
        text.push_str(
            "You are no active member of a provider (an invitation must be accepted and \
             confirmed, and two-step login must be on).\n",
        );
    }
    p.print(&json!(view), text.trim_end());
    Ok(())
}

/// What a provider membership type means in Keyfleet's roles.
fn provider_kind(member_type: i32) -> &'static str {
    if member_type == 0 {
        "owner or admin"
    } else {
        "technician or custom role"
    }
}

fn describe(v: &ProviderResponse) -> String {
    format!(
        "{} (id {})\nBusiness name: {}\nBilling email: {}\nStatus: {}{}\nLaunching into a client needs the master password: {}\nCreated: {}",
        v.name,
        v.id,
        v.business_name.as_deref().unwrap_or("-"),
        v.billing_email.as_deref().unwrap_or("-"),
        if v.status.code() == 0 {
            "waiting for set-up"
        } else {
            "set up"
        },
        if v.enabled {
            ""
        } else {
            ", disabled by the operator"
        },
        if v.launch_requires_password {
            "yes"
        } else {
            "no (the CLI and the console ask for it anyway)"
        },
        v.creation_date,
    )
}

/// `provider show`.
pub async fn show(p: &PCtx) -> Result<(), Failure> {
    let provider = p.provider().await?;
    let v = p.remote().provider(&provider.id).await?;
    p.print(&v, describe(&v));
    Ok(())
}

/// `provider update`: fields not given keep their value.
pub async fn update(p: &PCtx, a: UpdateArgs) -> Result<(), Failure> {
    if a.name.is_none()
        && a.business_name.is_none()
        && a.billing_email.is_none()
        && a.launch_requires_password.is_none()
    {
        return Err(Failure::usage(
            "nothing to change: give --name, --business-name, --billing-email or --launch-requires-password",
        ));
    }
    let provider = p.provider().await?;
    let current = p.remote().provider(&provider.id).await?;
    let name = a.name.unwrap_or(current.name);
    let business = a.business_name.or(current.business_name);
    let billing = a
        .billing_email
        .unwrap_or_else(|| current.billing_email.unwrap_or_default());
    let body = ProviderUpdateRequest {
        name,
        business_name: business,
        billing_email: Some(billing),
        launch_requires_password: a.launch_requires_password,
    };
    let v = p.remote().update_provider(&provider.id, &body).await?;
    p.print(&v, describe(&v));
    Ok(())
}

/// `provider accept`, from the ids and token or from the pasted link.
pub async fn accept(p: &PCtx, a: AcceptArgs) -> Result<(), Failure> {
    let (provider_id, member_id, token) = match (a.link, a.member, a.token) {
        (Some(link), ..) => {
            let [provider, member, token] =
                link_fields(p, &link, ["providerId", "providerUserId", "token"])?;
            (provider, member, token)
        }
        (None, Some(member), Some(token)) => (
            p.provider_arg()
                .ok_or_else(|| Failure::usage("--member goes with --provider ID"))?
                .to_string(),
            member,
            token,
        ),
        _ => {
            return Err(Failure::usage(
                "give --provider ID --member ID --token T, or --link URL",
            ))
        }
    };
    p.remote()
        .accept_provider_invite(&provider_id, &member_id, &token)
        .await?;
    p.print(
        &json!({ "accepted": true, "providerId": provider_id, "memberId": member_id }),
        format!(
            "Invitation accepted. A provider admin must now confirm you (member {member_id}); \
             read them your fingerprint from `keyfleet org fingerprint`. Provider members need \
             two-step login on (`keyfleet account 2fa enable-totp`)."
        ),
    );
    Ok(())
}
