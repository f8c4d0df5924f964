//! `org collections`, `org collection create|access|delete`, `org groups`,
//! `org group create|delete`. Collection names are EncStrings under the org key (decrypted and
//! encrypted here); group names are plain text, as in Bitwarden.

use super::spec;
use super::{Ctx, OrgArgs, OrgRef, Output, Unlock};
use crate::Failure;
use clap::{Args, Subcommand};
use keyfleet_api::orgs::{CollectionRequest, GroupRequest};
use keyfleet_client::{Access, OrgCalls};
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
                .find(|m| m.id.eq_ignore_ascii_case(&who) || m.email.eq_ignore_ascii_case(&who))
                .map(|m| (m.id.clone(), access))
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
    let collections = ctx.remote.org_collection_details(&org.id).await?;
    let named: Vec<(String, _)> = collections
        .iter()
        .map(|c| (decrypt_name(&c.collection.name, &key), c))
        .collect();
    let view: Vec<Value> = named
        .iter()
        .map(|(name, c)| {
            json!({
                "id": c.collection.id, "name": name,
                "users": c.users, "groups": c.groups, "assigned": c.assigned,
            })
        })
        .collect();
    let mut text = format!("Collections of {}:\n", org.name);
    for (name, c) in &named {
        text.push_str(&format!(
            "{}  {}  ({} member(s), {} group(s))\n",
            c.collection.id,
            name,
            c.users.len(),
            c.groups.len()
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
            let req = CollectionRequest {
                name: EncString::encrypt_str(&key, &a.name),
                external_id: None,
                users: spec::selections(&users),
                groups: spec::selections(&groups),
            };
            let c = ctx.remote.post_org_collection(&org.id, &req).await?;
            let id = &c.collection.id;
            ctx.print(
                &json!({ "id": id, "name": a.name, "organizationId": org.id }),
                format!("Collection {:?} created in {} (id {id}).", a.name, org.name),
            );
        }
        CollectionCommand::Access(a) => {
            let groups = spec::accesses(&a.groups).map_err(Failure::usage)?;
            let org = ctx.resolve(&a.org).await?;
            let users = member_access(ctx, &org, &a.members).await?;
            // The name is re-sent as the ciphertext it is: no key needed to change access.
            let current = ctx
                .remote
                .org_collection_detail(&org.id, &a.collection)
                .await?;
            let req = CollectionRequest {
                name: current.collection.name,
                external_id: current.collection.external_id,
                users: spec::selections(&users),
                groups: spec::selections(&groups),
            };
            ctx.remote
                .update_org_collection(&org.id, &a.collection, &req)
                .await?;
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
            ctx.remote.delete_org_collection(&org.id, &a.id).await?;
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
    let groups = ctx.remote.org_group_details(&org.id).await?;
    let members = ctx.members(&org.id).await?;
    let email_of = |id: &String| {
        members
            .iter()
            .find(|m| m.id == *id)
            .map_or_else(|| id.clone(), |m| m.email.clone())
    };
    let mut text = format!("Groups of {}:\n", org.name);
    for g in &groups {
        let users: Vec<String> = g.users.iter().map(email_of).collect();
        let collections: Vec<String> = g
            .collections
            .iter()
            .map(|s| format!("{}:{}", s.id, spec::access_name(s)))
            .collect();
        text.push_str(&format!(
            "{}  {}\n  members: {}\n  collections: {}\n",
            g.group.id,
            g.group.name,
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
            let req = GroupRequest {
                name: a.name.clone(),
                external_id: None,
                collections: spec::selections(&collections),
                users,
            };
            let g = ctx.remote.create_org_group(&org.id, &req).await?;
            ctx.print(
                &g,
                format!(
                    "Group {:?} created in {} (id {}).",
                    a.name, org.name, g.group.id
                ),
            );
        }
        GroupCommand::Delete(a) => {
            let org = ctx.resolve(&a.org).await?;
            ctx.remote.delete_org_group(&org.id, &a.id).await?;
            ctx.print(
                &json!({ "id": a.id, "deleted": true }),
                format!("Group {} deleted from {}.", a.id, org.name),
            );
        }
    }
    Ok(())
}
