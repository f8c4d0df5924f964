//! `keyfleet admin provider create|list|disable|enable`: the operator's commands, authorised by
//! the admin token the server was started with (`serve --admin-token`), not by a user session.

use crate::org::to_json;
use crate::session_file;
use crate::Failure;
use clap::{Args, Subcommand};
use keyfleet_api::provider_responses::{AdminProviderResponse, ProviderResponse};
use keyfleet_client::Client;
use serde::Serialize;
use serde_json::json;
use std::path::PathBuf;

/// `keyfleet admin …`.
#[derive(Subcommand)]
pub enum AdminCommand {
    /// Providers (MSPs): create one for its owner, list, disable, enable.
    #[command(subcommand)]
    Provider(AdminProviderCommand),
}

#[derive(Subcommand)]
pub enum AdminProviderCommand {
    /// Create a provider; prints the set-up link for its owner (also mailed with SMTP).
    Create(CreateArgs),
    /// List the providers with their member and client counts.
    List(Operator),
    /// Disable a provider: nobody reaches it or its clients through it.
    Disable(IdArgs),
    /// Enable a disabled provider again.
    Enable(IdArgs),
}

/// Where the server is and the operator's token.
#[derive(Args)]
pub struct Operator {
    /// Server URL (default: the one of the saved `account login` session).
    #[arg(long)]
    server: Option<String>,
    /// Extra CA certificate (PEM) to trust.
    #[arg(long)]
    ca_cert: Option<PathBuf>,
    /// The operator's admin token, as given to `serve --admin-token`.
    #[arg(long, env = "KEYFLEET_ADMIN_TOKEN", hide_env_values = true)]
    admin_token: String,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct CreateArgs {
    /// The provider's name.
    #[arg(long)]
    name: String,
    /// The owner's email: they set the provider up from their own account.
    #[arg(long)]
    owner_email: String,
    /// Business name.
    #[arg(long)]
    business_name: Option<String>,
    /// Billing email.
    #[arg(long)]
    billing_email: Option<String>,
    #[command(flatten)]
    op: Operator,
}

#[derive(Args)]
pub struct IdArgs {
    /// The provider's id.
    id: String,
    #[command(flatten)]
    op: Operator,
}

impl Operator {
    /// The connection: `--server`/`--ca-cert`, else the saved session's server and CA.
    fn client(&self) -> Result<Client, Failure> {
        let (server, ca) = match &self.server {
            Some(s) => (s.clone(), self.ca_cert.clone()),
            None => {
                let saved = session_file::load(&session_file::default_path())
                    .map_err(Failure::usage)?
                    .ok_or_else(|| {
                        Failure::usage("give --server (no saved session to take it from)")
                    })?;
                (saved.server, self.ca_cert.clone().or(saved.ca_cert))
            }
        };
        Ok(Client::new(&server, ca.as_deref())?)
    }

    fn print(&self, value: &impl Serialize, text: impl AsRef<str>) {
        if self.json {
            println!("{}", to_json(value));
        } else {
            println!("{}", text.as_ref());
        }
    }
}

/// The fields a provider line shows, from either the operator's or the provider's view.
struct Line<'a> {
    id: &'a str,
    name: &'a str,
    status: i32,
    enabled: bool,
}

impl<'a> From<&'a AdminProviderResponse> for Line<'a> {
    fn from(p: &'a AdminProviderResponse) -> Self {
        Line {
            id: &p.id,
            name: &p.name,
            status: p.status.code(),
            enabled: p.enabled,
        }
    }
}

impl<'a> From<&'a ProviderResponse> for Line<'a> {
    fn from(p: &'a ProviderResponse) -> Self {
        Line {
            id: &p.id,
            name: &p.name,
            status: p.status.code(),
            enabled: p.enabled,
        }
    }
}

fn describe<'a>(p: impl Into<Line<'a>>) -> String {
    let p = p.into();
    format!(
        "{}  {}  {}{}",
        p.id,
        p.name,
        if p.status == 0 {
            "waiting for set-up"
        } else {
            "set up"
        },
        if p.enabled { "" } else { ", disabled" }
    )
}

/// Runs one `admin` command.
pub async fn run(cmd: AdminCommand) -> Result<(), Failure> {
    let AdminCommand::Provider(cmd) = cmd;
    match cmd {
        AdminProviderCommand::Create(a) => {
            let p =
                a.op.client()?
                    .admin_create_provider(
                        &a.op.admin_token,
                        &a.name,
                        &a.owner_email,
                        a.business_name.as_deref(),
                        a.billing_email.as_deref(),
                    )
                    .await?;
            let delivery = if p.mailed {
                "The set-up link was mailed to the owner.".to_string()
            } else {
                format!(
                    "No mail server: pass this set-up link on to the owner\n  {}",
                    p.setup_url
                )
            };
            a.op.print(
                &p,
                format!(
                    "Provider {} created (id {}), owner {}.\n{delivery}\nThe owner runs `keyfleet provider setup --link URL --name … --billing-email …`.",
                    p.provider.name,
                    p.provider.id,
                    p.owner_email.as_deref().unwrap_or_default()
                ),
            );
        }
        AdminProviderCommand::List(op) => {
            let providers = op.client()?.admin_providers(&op.admin_token).await?;
            let mut text = String::new();
            for p in &providers {
                text.push_str(&format!(
                    "{}  members:{} clients:{}\n",
                    describe(p),
                    p.members,
                    p.clients
                ));
            }
            if providers.is_empty() {
                text.push_str("No providers yet.\n");
            }
            op.print(&json!(providers), text.trim_end());
        }
        AdminProviderCommand::Disable(a) => {
            let p =
                a.op.client()?
                    .admin_disable_provider(&a.op.admin_token, &a.id)
                    .await?;
            a.op.print(&p, describe(&p));
        }
        AdminProviderCommand::Enable(a) => {
            let p =
                a.op.client()?
                    .admin_enable_provider(&a.op.admin_token, &a.id)
                    .await?;
            a.op.print(&p, describe(&p));
        }
    }
    Ok(())
}
