//! `keyfleet org …`: the MSP admin's organization commands until a web console exists. They
//! reuse the session saved by `keyfleet account login`. Every secret stays here: the org key is
//! unwrapped from the caller's sync with their private key, which needs the master password, so
//! only the commands that encrypt or decrypt (create, confirm, collection names) ask for it.

mod admin;
mod audit;
mod collections;
mod import;
pub mod members;
mod recovery;
mod spec;

use crate::remote::Remote;
use crate::Failure;
use clap::{Args, Subcommand};
use keyfleet_api::org_responses::{OrganizationUserDetailsResponse, ProfileOrganizationResponse};
use keyfleet_client::{AccountCalls, OrgCalls};
use serde::Serialize;

/// `keyfleet org …`.
#[derive(Subcommand)]
pub enum OrgCommand {
    /// Create an organization you own (keys are made here).
    Create(admin::CreateArgs),
    /// List your organizations.
    List(Output),
    /// Show seats and seats in use, or add/remove seats.
    Seats(admin::SeatsArgs),
    /// Invite people by email; prints each invitation link to pass on.
    Invite(members::InviteArgs),
    /// Accept an invitation (as the invited user).
    Accept(members::AcceptArgs),
    /// List the members.
    Members(OrgArgs),
    /// Confirm an accepted member: check their fingerprint, then give them the org key.
    Confirm(members::ConfirmArgs),
    /// Recover an enrolled member's account: set a new master password for them (asks for yours
    /// and the new one; the crypto is done here).
    Recover(recovery::RecoverArgs),
    /// Show your own key's fingerprint, for the admin who confirms you to compare.
    Fingerprint(FingerprintArgs),
    /// Revoke a member's access (keeps the membership).
    Revoke(MemberArgs),
    /// Restore a revoked member.
    Restore(MemberArgs),
    /// Remove a member.
    Remove(MemberArgs),
    /// Change a member's role, permissions and collection access.
    MemberRole(members::RoleArgs),
    /// List collections with their names decrypted (asks for the master password).
    Collections(collections::ListArgs),
    /// Create, change access of, or delete a collection.
    #[command(subcommand)]
    Collection(collections::CollectionCommand),
    /// List groups with their members and collections.
    Groups(OrgArgs),
    /// Create or delete a group.
    #[command(subcommand)]
    Group(collections::GroupCommand),
    /// List the policies.
    Policies(OrgArgs),
    /// Turn a policy on or off.
    #[command(subcommand)]
    Policy(audit::PolicyCommand),
    /// Show the event log.
    Events(audit::EventsArgs),
    /// Show (once) or rotate the organization's API key (owners; asks for the master password).
    ApiKey(admin::ApiKeyArgs),
    /// Import a Bitwarden CSV/JSON or LastPass CSV file into the organization (encrypted here;
    /// asks for the master password).
    Import(import::ImportArgs),
}

/// `--json`.
#[derive(Args)]
pub struct Output {
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// An organization by id or name.
#[derive(Args)]
pub struct OrgArgs {
    /// Organization id or name.
    pub org: String,
    #[command(flatten)]
    pub out: Output,
}

/// One member of an organization.
#[derive(Args)]
pub struct MemberArgs {
    /// Organization id or name.
    pub org: String,
    /// Member id (from `org members`) or the member's email.
    pub member: String,
    #[command(flatten)]
    pub out: Output,
}

/// How the master password is read when a command needs the vault keys.
#[derive(Args)]
pub struct Unlock {
    /// Read the master password from the first line of standard input.
    #[arg(long)]
    pub password_stdin: bool,
}

/// `org fingerprint`.
#[derive(Args)]
pub struct FingerprintArgs {
    #[command(flatten)]
    unlock: Unlock,
    #[command(flatten)]
    out: Output,
}

/// One organization the caller belongs to.
pub struct OrgRef {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
}

/// The connection plus how to print.
pub struct Ctx {
    /// The resumed session.
    pub remote: Remote,
    /// `--json` was given.
    pub json: bool,
}

impl Ctx {
    /// Prints `value` with `--json` (as JSON with its keys in order), else `text`.
    pub fn print(&self, value: &impl Serialize, text: impl AsRef<str>) {
        if self.json {
            println!("{}", to_json(value));
        } else {
            println!("{}", text.as_ref());
        }
    }

    /// The caller's organizations (confirmed memberships).
    pub async fn orgs(&self) -> Result<Vec<ProfileOrganizationResponse>, Failure> {
        Ok(self.remote.orgs().await?)
    }

    /// Clients the caller reaches as a provider member without a membership: sync's
    /// `providerOrganizations` (the clients they may launch into).
    pub async fn provider_orgs(&self) -> Result<Vec<ProfileOrganizationResponse>, Failure> {
        Ok(self.remote.profile().await?.provider_organizations)
    }

    /// Finds ORG by id or (case-insensitive) name among the caller's organizations, then among
    /// the clients they reach through a provider. An id found in neither is passed on as it is,
    /// so the server decides (and answers 404 for an organization out of reach).
    pub async fn resolve(&self, org: &str) -> Result<OrgRef, Failure> {
        if let Some(found) = pick_org(&self.orgs().await?, org)? {
            return Ok(found);
        }
        if let Some(found) = pick_org(&self.provider_orgs().await?, org)? {
            return Ok(found);
        }
        if looks_like_id(org) {
            return Ok(OrgRef {
                id: org.to_ascii_lowercase(),
                name: org.to_string(),
            });
        }
        Err(Failure::server(format!(
            "no organization {org:?} among yours (by id or name); `keyfleet org list` shows them"
        )))
    }

    /// The organization's members.
    pub async fn members(
        &self,
        org_id: &str,
    ) -> Result<Vec<OrganizationUserDetailsResponse>, Failure> {
        Ok(self.remote.org_members(org_id).await?)
    }

    /// Finds a member by id or email.
    pub async fn resolve_member(
        &self,
        org: &OrgRef,
        member: &str,
    ) -> Result<OrganizationUserDetailsResponse, Failure> {
        self.members(&org.id)
            .await?
            .into_iter()
            .find(|m| {
                m.id.eq_ignore_ascii_case(member) || m.email.eq_ignore_ascii_case(member)
            })
            .ok_or_else(|| {
                Failure::server(format!(
                    "no member {member:?} in {} (by id or email); `keyfleet org members` lists them",
                    org.name
                ))
            })
    }
}

/// `value` as JSON text; objects' keys come out sorted, as the server's answers printed before.
pub fn to_json(value: &impl Serialize) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or(serde_json::Value::Null)
}

/// What [`pick`] found.
pub enum Pick<'a, T> {
    /// Exactly one item (an id match wins over names).
    One(&'a T),
    /// No item.
    Nothing,
    /// This many items share the name.
    Many(usize),
}

/// The item of `items` one of whose ids (`ids`) or whose name (`name`) is `wanted`, ignoring
/// case.
pub fn pick<'a, T>(
    items: &'a [T],
    wanted: &str,
    ids: impl Fn(&'a T) -> Vec<&'a str>,
    name: impl Fn(&'a T) -> &'a str,
) -> Pick<'a, T> {
    if let Some(found) = items
        .iter()
        .find(|v| ids(v).iter().any(|id| id.eq_ignore_ascii_case(wanted)))
    {
        return Pick::One(found);
    }
    let by_name: Vec<&T> = items
        .iter()
        .filter(|v| name(v).eq_ignore_ascii_case(wanted))
        .collect();
    match by_name.as_slice() {
        [] => Pick::Nothing,
        [one] => Pick::One(one),
        many => Pick::Many(many.len()),
    }
}

/// ORG by id or name in `orgs`; several with that name is a usage error.
fn pick_org(orgs: &[ProfileOrganizationResponse], org: &str) -> Result<Option<OrgRef>, Failure> {
    match pick(orgs, org, |o| vec![o.id.as_str()], |o| &o.name) {
        Pick::One(found) => Ok(Some(OrgRef {
            id: found.id.clone(),
            name: found.name.clone(),
        })),
        Pick::Nothing => Ok(None),
        Pick::Many(n) => Err(Failure::usage(format!(
            "{n} organizations are named {org:?}: give its id instead"
        ))),
    }
}

/// Whether `s` has the shape of a GUID (`8-4-4-4-12` hex digits).
pub fn looks_like_id(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.chars().all(|c| c.is_ascii_hexdigit()))
}

/// The caller's account fingerprint phrase (as the Bitwarden apps show it), computed from their
/// own unlocked private key rather than fetched, so a server that swapped the key would show a
/// different one.
async fn fingerprint(ctx: &Ctx, a: FingerprintArgs) -> Result<(), Failure> {
    let session = ctx.remote.unlock(a.unlock.password_stdin).await?;
    let fingerprint = session
        .private_key()
        .ok_or_else(|| Failure::server("this account has no key pair"))?
        .public_key()
        .fingerprint_phrase(&session.user_id)
        .map_err(Failure::server)?;
    ctx.print(
        &serde_json::json!({ "email": ctx.remote.saved.email, "fingerprint": fingerprint }),
        format!(
            "Fingerprint of {}'s key: {fingerprint}",
            ctx.remote.saved.email
        ),
    );
    Ok(())
}

fn output_flag(cmd: &OrgCommand) -> bool {
    use OrgCommand as C;
    match cmd {
        C::Create(a) => a.out.json,
        C::List(o) => o.json,
        C::Seats(a) => a.org.out.json,
        C::Invite(a) => a.out.json,
        C::Accept(a) => a.out.json,
        C::Members(a) | C::Groups(a) | C::Policies(a) => a.out.json,
        C::Confirm(a) => a.member.out.json,
        C::Recover(a) => a.member.out.json,
        C::Fingerprint(a) => a.out.json,
        C::Revoke(a) | C::Restore(a) | C::Remove(a) => a.out.json,
        C::MemberRole(a) => a.member.out.json,
        C::Collections(a) => a.org.out.json,
        C::Collection(c) => c.json(),
        C::Group(c) => c.json(),
        C::Policy(c) => c.json(),
        C::Events(a) => a.org.out.json,
        C::ApiKey(a) => a.org.out.json,
        C::Import(a) => a.out.json,
    }
}

/// Runs one `org` command with the saved session.
pub async fn run(cmd: OrgCommand) -> Result<(), Failure> {
    let ctx = Ctx {
        remote: Remote::connect().await?,
        json: output_flag(&cmd),
    };
    use OrgCommand as C;
    match cmd {
        C::Create(a) => admin::create(&ctx, a).await,
        C::List(_) => admin::list(&ctx).await,
        C::Seats(a) => admin::seats(&ctx, a).await,
        C::ApiKey(a) => admin::api_key(&ctx, a).await,
        C::Invite(a) => members::invite(&ctx, a).await,
        C::Accept(a) => members::accept(&ctx, a).await,
        C::Members(a) => members::list(&ctx, &a.org).await,
        C::Confirm(a) => members::confirm(&ctx, a).await,
        C::Recover(a) => recovery::recover(&ctx, a).await,
        C::Fingerprint(a) => fingerprint(&ctx, a).await,
        C::Revoke(a) => members::change_status(&ctx, a, members::StatusChange::Revoke).await,
        C::Restore(a) => members::change_status(&ctx, a, members::StatusChange::Restore).await,
        C::Remove(a) => members::change_status(&ctx, a, members::StatusChange::Remove).await,
        C::MemberRole(a) => members::set_role(&ctx, a).await,
        C::Collections(a) => collections::list(&ctx, a).await,
        C::Collection(c) => collections::run_collection(&ctx, c).await,
        C::Groups(a) => collections::list_groups(&ctx, &a.org).await,
        C::Group(c) => collections::run_group(&ctx, c).await,
        C::Policies(a) => audit::list_policies(&ctx, &a.org).await,
        C::Policy(c) => audit::run_policy(&ctx, c).await,
        C::Events(a) => audit::events(&ctx, a).await,
        C::Import(a) => import::import(&ctx, a).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups_prefer_ids_then_a_single_name() {
        // (id, name, organization id)
        let items = [("a1", "Acme", ""), ("b2", "Twin", "o2"), ("c3", "twin", "")];
        let id = |i: &(&'static str, &'static str, &'static str)| vec![i.0];
        let ids = |i: &(&'static str, &'static str, &'static str)| vec![i.0, i.2];
        let name = |i: &(&'static str, &'static str, &'static str)| i.1;
        assert!(matches!(pick(&items, "ACME", id, name), Pick::One(v) if v.0 == "a1"));
        assert!(matches!(pick(&items, "o2", ids, name), Pick::One(v) if v.0 == "b2"));
        assert!(matches!(pick(&items, "twin", id, name), Pick::Many(2)));
        assert!(matches!(pick(&items, "nobody", id, name), Pick::Nothing));
    }

    #[test]
    fn only_guid_shaped_strings_pass_as_ids() {
        assert!(looks_like_id("01a20cfe-df4b-7574-bb42-4e1abae1f703"));
        assert!(!looks_like_id("Acme Ltd"));
        assert!(!looks_like_id("01a20cfe-df4b-7574-bb42-4e1abae1f70"));
        assert!(!looks_like_id("01a20cfe-df4b-7574-bb42-4e1abae1f70z"));
    }
}
