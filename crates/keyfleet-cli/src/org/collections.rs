//! `org collections`, `org collection create|access|delete`, `org groups`,
//! `org group create|delete`. Collection names are EncStrings under the org key (decrypted and
//! encrypted here); group names are plain text, as in Bitwarden.

use super::spec;
use super::{str_of, Ctx, OrgArgs, OrgRef, Output, Unlock};
use crate::Failure;
use clap::{Args, Subcommand};
use keyfleet_client::{Access, Method};
use keyfleet_crypto::{EncString, SymmetricKey};
use serde_json::{json, Value};

#[derive(Args)]
pub struct ListArgs {
    #[command(flatten)]
    pub org: OrgArgs,
    #[command(flatten)]
    unlock: Unlock,
}

#[derive(Subcommand)]
pub enum CollectionCommand {
    /// Create a collection (asks for the master password to encrypt its name).
    Create(CreateCollectionArgs),
    /// Replace who can reach a collection (members and groups).
    Access(CollectionAccessArgs),
    /// Delete a collection (its items stay in the organization's other collections).
    Delete(DeleteArgs),
}

#[derive(Subcommand)]
pub enum GroupCommand {
    /// Create a group.
    Create(CreateGroupArgs),
    /// Delete a group.
    Delete(DeleteArgs),
}

impl CollectionCommand {
    /// Whether `--json` was given.
    pub fn json(&self) -> bool {
        match self {
            CollectionCommand::Create(a) => a.out.json,
            CollectionCommand::Access(a) => a.out.json,
            CollectionCommand::Delete(a) => a.out.json,
        }
    }
}

impl GroupCommand {
    /// Whether `--json` was given.
    pub fn json(&self) -> bool {
        match self {
            GroupCommand::Create(a) => a.out.json,
            GroupCommand::Delete(a) => a.out.json,
        }
    }
}

#[derive(Args)]
pub struct CreateCollectionArgs {
    /// Organization id or name.
    org: String,
    /// The collection's name (encrypted before it is sent).
    name: String,
    /// Member access (repeatable): `MEMBER_ID_OR_EMAIL[:MODE]`.
    #[arg(long = "member", value_name = "ID[:MODE]")]
    members: Vec<String>,
    /// Group access (repeatable): `GROUP_ID[:MODE]`.
    #[arg(long = "group", value_name = "ID[:MODE]")]
    groups: Vec<String>,
    #[command(flatten)]
    unlock: Unlock,
    #[command(flatten)]
    out: Output,
}

#[derive(Args)]
pub struct CollectionAccessArgs {
    /// Organization id or name.
    org: String,
    /// Collection id.
    collection: String,
    /// Member access (repeatable): `MEMBER_ID_OR_EMAIL[:MODE]`. Members not listed lose access.
    #[arg(long = "member", value_name = "ID[:MODE]")]
    members: Vec<String>,
    /// Group access (repeatable): `GROUP_ID[:MODE]`. Groups not listed lose access.
    #[arg(long = "group", value_name = "ID[:MODE]")]
    groups: Vec<String>,
    #[command(flatten)]
    out: Output,
}

#[derive(Args)]
pub struct DeleteArgs {
    /// Organization id or name.
    org: String,
    /// The id to delete.
    id: String,
    #[command(flatten)]
    out: Output,
}

#[derive(Args)]
pub struct CreateGroupArgs {
    /// Organization id or name.
    org: String,
    /// The group's name (plain text).
    name: String,
    /// A member (repeatable): member id or email.
    #[arg(long = "member", value_name = "ID")]
    members: Vec<String>,
    /// Collection access (repeatable): `COLLECTION_ID[:MODE]`.
    #[arg(long = "collection", value_name = "ID[:MODE]")]
    collections: Vec<String>,
    #[command(flatten)]
    out: Output,
}

/// Member access specs with emails turned into member ids.
async fn member_access(
    ctx: &Ctx,
    org: &OrgRef,
    specs: &[String],
) -> Result<Vec<(String, Access)>, Failure> {
    let parsed = spec::accesses(specs).map_err(Failure::usage)?;
    if parsed.is_empty() {
        return Ok(parsed);
    }
    let members = ctx.members(&org.id).await?;
    parsed
        .into_iter()
        .map(|(who, access)| {
            members
                .iter()
                .find(|m| {
                    str_of(m, "id").eq_ignore_ascii_case(&who)
                        || str_of(m, "email").eq_ignore_ascii_case(&who)
                })
                .map(|m| (str_of(m, "id").to_string(), access))
                .ok_or_else(|| Failure::server(format!("no member {who:?} in {}", org.name)))
        })
        .collect()
}

fn decrypt_name(name: &str, key: &SymmetricKey) -> String {
    EncString::decrypt_str(name, key).unwrap_or_else(|_| "(cannot decrypt)".into())
}

/// `org collections`: the names decrypted with the org key.
pub async fn list(ctx: &Ctx, a: ListArgs) -> Result<(), Failure> {
    let org = ctx.resolve(&a.org.org).await?;
    let session = ctx.remote.unlock(a.unlock.password_stdin).await?;
    let key = session.org_key(&org.id).await?;
    let v = ctx
        .call(
            Method::GET,
            &format!("/api/organizations/{}/collections/details", org.id),
            None,
        )
        .await?;
    let view: Vec<Value> = super::data(&v)
        .iter()
        .map(|c| {
            json!({
                "id": c["id"], "name": decrypt_name(str_of(c, "name"), &key),
                "users": c["users"], "groups": c["groups"], "assigned": c["assigned"],
            })
        })
        .collect();
    let mut text = format!("Collections of {}:\n", org.name);
    for c in &view {
        let count = |k: &str| c[k].as_array().map_or(0, Vec::len);
        text.push_str(&format!(
            "{}  {}  ({} member(s), {} group(s))\n",
            str_of(c, "id"),
            str_of(c, "name"),
            count("users"),
            count("groups")
        ));
    }
    ctx.print(&json!(view), text.trim_end());
    Ok(())
}

/// `org collection create|access|delete`.
pub async fn run_collection(ctx: &Ctx, cmd: CollectionCommand) -> Result<(), Failure> {
    match cmd {
        CollectionCommand::Create(a) => {
            let groups = spec::accesses(&a.groups).map_err(Failure::usage)?;
            let org = ctx.resolve(&a.org).await?;
            let users = member_access(ctx, &org, &a.members).await?;
            let session = ctx.remote.unlock(a.unlock.password_stdin).await?;
            let key = session.org_key(&org.id).await?;
            let body = json!({
                "name": EncString::encrypt_str(&key, &a.name),
                "users": spec::selections(&users),
                "groups": spec::selections(&groups),
            });
            let c = ctx
                .call(
                    Method::POST,
                    &format!("/api/organizations/{}/collections", org.id),
                    Some(body),
                )
                .await?;
            ctx.print(
                &json!({ "id": c["id"], "name": a.name, "organizationId": org.id }),
                format!(
                    "Collection {:?} created in {} (id {}).",
                    a.name,
                    org.name,
                    str_of(&c, "id")
                ),
            );
        }
        CollectionCommand::Access(a) => {
            let groups = spec::accesses(&a.groups).map_err(Failure::usage)?;
            let org = ctx.resolve(&a.org).await?;
            let users = member_access(ctx, &org, &a.members).await?;
            let path = format!("/api/organizations/{}/collections/{}", org.id, a.collection);
            // The name is re-sent as the ciphertext it is: no key needed to change access.
            let current = ctx
                .call(Method::GET, &format!("{path}/details"), None)
                .await?;
            let body = json!({
                "name": current["name"],
                "externalId": current["externalId"],
                "users": spec::selections(&users),
                "groups": spec::selections(&groups),
            });
            ctx.call(Method::PUT, &path, Some(body)).await?;
            ctx.print(
                &json!({ "id": a.collection, "users": spec::selections(&users), "groups": spec::selections(&groups) }),
                format!(
                    "Collection {}: {} member(s) and {} group(s) have access now.",
                    a.collection,
                    users.len(),
                    groups.len()
                ),
            );
        }
        CollectionCommand::Delete(a) => {
            let org = ctx.resolve(&a.org).await?;
            ctx.call(
                Method::DELETE,
                &format!("/api/organizations/{}/collections/{}", org.id, a.id),
                None,
            )
            .await?;
            ctx.print(
                &json!({ "id": a.id, "deleted": true }),
                format!("Collection {} deleted from {}.", a.id, org.name),
            );
        }
    }
    Ok(())
}

/// `org groups`, with member emails and collection access.
pub async fn list_groups(ctx: &Ctx, org: &str) -> Result<(), Failure> {
    let org = ctx.resolve(org).await?;
    let v = ctx
        .call(
            Method::GET,
            &format!("/api/organizations/{}/groups/details", org.id),
            None,
        )
        .await?;
    let members = ctx.members(&org.id).await?;
    let email_of = |id: &Value| {
        members.iter().find(|m| m["id"] == *id).map_or_else(
            || id.as_str().unwrap_or("?").to_string(),
            |m| str_of(m, "email").to_string(),
        )
    };
    let groups = super::data(&v);
    let mut text = format!("Groups of {}:\n", org.name);
    for g in &groups {
        let users: Vec<String> = g["users"]
            .as_array()
            .map(|u| u.iter().map(email_of).collect())
            .unwrap_or_default();
        let collections: Vec<String> = g["collections"]
            .as_array()
            .map(|c| {
                c.iter()
                    .map(|s| format!("{}:{}", str_of(s, "id"), spec::access_name(s)))
                    .collect()
            })
            .unwrap_or_default();
        text.push_str(&format!(
            "{}  {}\n  members: {}\n  collections: {}\n",
            str_of(g, "id"),
            str_of(g, "name"),
            if users.is_empty() {
                "-".into()
            } else {
                users.join(", ")
            },
            if collections.is_empty() {
                "-".into()
            } else {
                collections.join(", ")
            },
        ));
    }
    ctx.print(&json!(groups), text.trim_end());
    Ok(())
}

/// `org group create|delete`.
pub async fn run_group(ctx: &Ctx, cmd: GroupCommand) -> Result<(), Failure> {
    match cmd {
        GroupCommand::Create(a) => {
            let collections = spec::accesses(&a.collections).map_err(Failure::usage)?;
            let org = ctx.resolve(&a.org).await?;
            let users: Vec<String> = member_access(ctx, &org, &a.members)
                .await?
                .into_iter()
                .map(|(id, _)| id)
                .collect();
            let body = json!({
                "name": a.name,
                "collections": spec::selections(&collections),
                "users": users,
            });
            let g = ctx
                .call(
                    Method::POST,
                    &format!("/api/organizations/{}/groups", org.id),
                    Some(body),
                )
                .await?;
            ctx.print(
                &g,
                format!(
                    "Group {:?} created in {} (id {}).",
                    a.name,
                    org.name,
                    str_of(&g, "id")
                ),
            );
        }
        GroupCommand::Delete(a) => {
            let org = ctx.resolve(&a.org).await?;
            ctx.call(
                Method::DELETE,
                &format!("/api/organizations/{}/groups/{}", org.id, a.id),
                None,
            )
            .await?;
            ctx.print(
                &json!({ "id": a.id, "deleted": true }),
                format!("Group {} deleted from {}.", a.id, org.name),
            );
        }
    }
    Ok(())
}
