//! `org invite|accept|members|confirm|revoke|restore|remove|member-role`.

use super::spec::{self, Role};
use super::{Ctx, MemberArgs, OrgRef, Output, Unlock};
use crate::Failure;
use clap::Args;
use keyfleet_api::kinds::OrganizationUserStatus;
use keyfleet_api::orgs::{OrganizationUserInviteRequest, OrganizationUserUpdateRequest};
use keyfleet_client::OrgCalls;
use serde_json::{json, Value};
use std::io::{BufRead, IsTerminal};

#[derive(Args)]
pub struct InviteArgs {
    /// Organization id or name.
    org: String,
    /// Email addresses to invite.
    #[arg(required = true)]
    emails: Vec<String>,
    /// Their role.
    #[arg(long, value_enum)]
    role: Role,
    /// A custom permission (repeatable; with --role custom), e.g. manageUsers.
    #[arg(long = "permission", value_name = "NAME")]
    permissions: Vec<String>,
    /// Collection access (repeatable): `ID[:read-only|:hide-passwords|:edit-hide-passwords|:manage]`.
    #[arg(long = "collection", value_name = "ID[:MODE]")]
    collections: Vec<String>,
    /// Group to add them to (repeatable).
    #[arg(long = "group", value_name = "ID")]
    groups: Vec<String>,
    #[command(flatten)]
    pub out: Output,
}

#[derive(Args)]
pub struct AcceptArgs {
    /// Organization id (from the invitation).
    #[arg(requires = "member", required_unless_present = "link")]
    org: Option<String>,
    /// Your member id (from the invitation).
    #[arg(requires = "token")]
    member: Option<String>,
    /// The invitation token.
    #[arg(long, requires = "org")]
    token: Option<String>,
    /// The whole invitation link instead (…/#/accept-organization?organizationId=…&token=…).
    #[arg(long, conflicts_with_all = ["org", "member", "token"])]
    link: Option<String>,
    #[command(flatten)]
    pub out: Output,
}

#[derive(Args)]
pub struct ConfirmArgs {
    #[command(flatten)]
    pub member: MemberArgs,
    /// Confirm without asking (check the fingerprint phrase with the member first).
    #[arg(long)]
    yes: bool,
    #[command(flatten)]
    unlock: Unlock,
}

#[derive(Args)]
pub struct RoleArgs {
    #[command(flatten)]
    pub member: MemberArgs,
    /// The new role.
    #[arg(long, value_enum)]
    role: Role,
    /// A custom permission (repeatable; with --role custom).
    #[arg(long = "permission", value_name = "NAME")]
    permissions: Vec<String>,
    /// Replace the collection access (repeatable; kept as it is when omitted).
    #[arg(long = "collection", value_name = "ID[:MODE]")]
    collections: Vec<String>,
    /// Replace the groups (repeatable; kept as they are when omitted).
    #[arg(long = "group", value_name = "ID")]
    groups: Vec<String>,
}

/// What `revoke`, `restore` and `remove` do.
#[derive(Clone, Copy)]
pub enum StatusChange {
    Revoke,
    Restore,
    Remove,
}

/// `org invite`: says whether each invitation was mailed, else prints its link to pass on.
pub async fn invite(ctx: &Ctx, a: InviteArgs) -> Result<(), Failure> {
    let permissions = spec::permissions(a.role, &a.permissions).map_err(Failure::usage)?;
    let collections = spec::accesses(&a.collections).map_err(Failure::usage)?;
    let org = ctx.resolve(&a.org).await?;
    let req = OrganizationUserInviteRequest {
        emails: a.emails,
        member_type: a.role.member_type().code(),
        permissions: Some(permissions),
        collections: spec::selections(&collections),
        groups: a.groups,
    };
    let sent = ctx.remote.invite_org_members(&org.id, &req).await?;
    let invites: Vec<Value> = sent
        .iter()
        .map(|i| json!({ "id": i.id, "email": i.email, "mailed": i.mailed, "link": i.invite_url }))
        .collect();
    let mut text = format!("Invited to {}:\n", org.name);
    for i in &sent {
        // With SMTP configured the server mails the link and never shows it to the admin.
        let delivery = if i.mailed {
            "sent by mail".to_string()
        } else {
            format!(
                "no mail server: pass this link on\n  {}",
                i.invite_url.as_deref().unwrap_or_default()
            )
        };
        text.push_str(&format!(
            "{}  member {}\n  {delivery}\n",
            i.email.as_deref().unwrap_or_default(),
            i.id,
        ));
    }
    ctx.print(&json!(invites), text.trim_end());
    Ok(())
}

/// Decodes `%XX` escapes (and `+` as a space) of a query value; a malformed escape stays.
pub(crate) fn percent_decode(s: &str) -> String {
    let hex = |b: u8| {
        char::from(b)
            .to_digit(16)
            .and_then(|d| u8::try_from(d).ok())
    };
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| Some((hex(*bytes.get(i + 1)?)?, hex(*bytes.get(i + 2)?)?)))
            .flatten();
        match (escaped, bytes[i]) {
            (Some((hi, lo)), _) => {
                out.push(hi * 16 + lo);
                i += 3;
                continue;
            }
            (None, b'+') => out.push(b' '),
            (None, b) => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// One query parameter of an invitation link (they sit after `#/…?`), decoded.
pub(crate) fn link_param(link: &str, key: &str) -> Result<String, String> {
    let query = link
        .split_once('?')
        .map(|(_, q)| q)
        .ok_or("the link has no query (expected …/#/…?…&token=…)")?;
    query
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == key)
        .map(|(_, v)| percent_decode(v))
        .filter(|v| !v.is_empty())
        .ok_or_else(|| format!("the link has no {key}"))
}

/// The ids, token and email of an organization invitation link
/// (`…/#/accept-organization?organizationId=…`).
fn link_params(link: &str) -> Result<(String, String, String, String), String> {
    Ok((
        link_param(link, "organizationId")?,
        link_param(link, "organizationUserId")?,
        link_param(link, "token")?,
        link_param(link, "email").unwrap_or_default(),
    ))
}

/// Refuses an invitation link meant for another account than the logged-in one.
pub(crate) fn check_invited_email(email: &str, me: &str) -> Result<(), Failure> {
    if !email.is_empty() && !email.eq_ignore_ascii_case(me) {
        return Err(Failure::server(format!(
            "this invitation is for {email}, but you are logged in as {me}"
        )));
    }
    Ok(())
}

/// `org accept`, from the ids and token or from the pasted link.
pub async fn accept(ctx: &Ctx, a: AcceptArgs) -> Result<(), Failure> {
    let (org_id, member_id, token, email) = match (a.link, a.org, a.member, a.token) {
        (Some(link), ..) => link_params(link.trim()).map_err(Failure::usage)?,
        (None, Some(org), Some(member), Some(token)) => (org, member, token, String::new()),
        _ => {
            return Err(Failure::usage(
                "give ORG MEMBER_ID --token T, or --link URL",
            ))
        }
    };
    check_invited_email(&email, &ctx.remote.saved.email)?;
    ctx.remote
        .accept_org_invite(&org_id, &member_id, &token)
        .await?;
    ctx.print(
        &json!({ "accepted": true, "organizationId": org_id, "memberId": member_id }),
        format!("Invitation accepted. An administrator must now confirm you (member {member_id})."),
    );
    Ok(())
}

/// `org members`.
pub async fn list(ctx: &Ctx, org: &str) -> Result<(), Failure> {
    let org = ctx.resolve(org).await?;
    let members = ctx.members(&org.id).await?;
    let view: Vec<Value> = members
        .iter()
        .map(|m| {
            json!({
                "id": m.id, "userId": m.user_id, "email": m.email, "name": m.name,
                "type": m.member_type, "role": spec::role_name(m.member_type),
                "status": m.status, "statusName": spec::status_name(m.status),
                "twoFactorEnabled": m.two_factor_enabled, "permissions": m.permissions,
                "collections": m.collections, "groups": m.groups,
            })
        })
        .collect();
    let mut text = format!("Members of {}:\n", org.name);
    for m in &members {
        text.push_str(&format!(
            "{}  {:<30} {:<8} {:<9} 2fa:{} collections:{}\n",
            m.id,
            m.email,
            spec::role_name(m.member_type),
            spec::status_name(m.status),
            if m.two_factor_enabled { "on" } else { "off" },
            m.collections.len()
        ));
    }
    ctx.print(&json!(view), text.trim_end());
    Ok(())
}

fn ask_yes(question: &str) -> Result<bool, Failure> {
    eprint!("{question} [y/N] ");
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(Failure::usage)?;
    Ok(matches!(line.trim(), "y" | "Y" | "yes" | "YES" | "Yes"))
}

/// Shows a member key's fingerprint phrase and, unless `yes`, asks whether it matches the one
/// the member reads out; a script must pass `yes` (no terminal to ask on).
pub(crate) fn check_fingerprint(email: &str, fingerprint: &str, yes: bool) -> Result<(), Failure> {
    eprintln!(
        "Fingerprint of {email}'s key: {fingerprint}\nAsk them to run `keyfleet org fingerprint` and read theirs out, over another channel than mail."
    );
    if yes {
        return Ok(());
    }
    if !std::io::stdin().is_terminal() {
        return Err(Failure::usage(
            "standard input is not a terminal: check the fingerprint, then re-run with --yes",
        ));
    }
    if !ask_yes("Does it match? Confirm the member")? {
        return Err(Failure::usage("not confirmed"));
    }
    Ok(())
}

/// `org confirm`: shows the member key's fingerprint, asks (unless `--yes`), then wraps the
/// org key to exactly that key.
pub async fn confirm(ctx: &Ctx, a: ConfirmArgs) -> Result<(), Failure> {
    let org = ctx.resolve(&a.member.org).await?;
    let member = ctx.resolve_member(&org, &a.member.member).await?;
    let member_id = member.id.clone();
    if member.status != OrganizationUserStatus::Accepted {
        return Err(Failure::server(format!(
            "{} is {}, not accepted: only accepted members can be confirmed",
            member.email,
            spec::status_name(member.status)
        )));
    }
    let session = ctx.remote.unlock(a.unlock.password_stdin).await?;
    let org_key = session.org_key(&org.id).await?;
    let (public, fingerprint) = session.member_public_key(&org.id, &member_id).await?;
    check_fingerprint(&member.email, &fingerprint, a.yes)?;
    session
        .confirm_member_with_key(&org.id, &member_id, &org_key, &public)
        .await?;
    ctx.print(
        &json!({ "confirmed": true, "id": member_id, "email": member.email, "fingerprint": fingerprint }),
        format!(
            "{} is confirmed in {} and can now open its items.",
            member.email, org.name
        ),
    );
    Ok(())
}

/// `org revoke|restore|remove`.
pub async fn change_status(ctx: &Ctx, a: MemberArgs, change: StatusChange) -> Result<(), Failure> {
    let org = ctx.resolve(&a.org).await?;
    let member = ctx.resolve_member(&org, &a.member).await?;
    let id = &member.id;
    let done = match change {
        StatusChange::Revoke => {
            ctx.remote.revoke_org_member(&org.id, id).await?;
            "revoked"
        }
        StatusChange::Restore => {
            ctx.remote.restore_org_member(&org.id, id).await?;
            "restored"
        }
        StatusChange::Remove => {
            ctx.remote.remove_org_member(&org.id, id).await?;
            "removed"
        }
    };
    ctx.print(
        &json!({ "id": id, "email": member.email, done: true }),
        format!("{} is {done} ({}).", member.email, org.name),
    );
    Ok(())
}

/// `org member-role` (`PUT` member): access and groups are kept unless new ones are given.
pub async fn set_role(ctx: &Ctx, a: RoleArgs) -> Result<(), Failure> {
    let permissions = spec::permissions(a.role, &a.permissions).map_err(Failure::usage)?;
    let collections = spec::accesses(&a.collections).map_err(Failure::usage)?;
    let org: OrgRef = ctx.resolve(&a.member.org).await?;
    let member = ctx.resolve_member(&org, &a.member.member).await?;
    let id = &member.id;
    // PUT replaces access and groups: keep what the member has unless new ones were given.
    let collections = if a.collections.is_empty() {
        member.collections.iter().map(spec::selection_of).collect()
    } else {
        spec::selections(&collections)
    };
    let groups = if a.groups.is_empty() {
        member.groups.clone()
    } else {
        a.groups
    };
    let req = OrganizationUserUpdateRequest {
        member_type: a.role.member_type().code(),
        permissions: Some(permissions),
        collections,
        groups: Some(groups),
    };
    ctx.remote.update_org_member(&org.id, id, &req).await?;
    ctx.print(
        &json!({ "id": id, "email": member.email, "type": a.role.member_type(), "role": spec::role_name(a.role.member_type()) }),
        format!(
            "{} is now {} in {}.",
            member.email,
            spec::role_name(a.role.member_type()),
            org.name
        ),
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_invitation_link_yields_its_ids_and_decoded_token() {
        let link = "https://h:8443/#/accept-organization?organizationId=o1&organizationUserId=m1\
                    &email=a%2Bb%40example.com&organizationName=Acme%20Ltd&token=t.k%3D";
        let (org, member, token, email) = link_params(link).unwrap();
        assert_eq!(
            (org.as_str(), member.as_str(), token.as_str()),
            ("o1", "m1", "t.k=")
        );
        assert_eq!(email, "a+b@example.com");
        assert!(link_params("https://h/#/accept-organization").is_err());
        assert!(link_params("https://h/#/x?organizationId=o1&token=t").is_err());
    }

    #[test]
    fn percent_decoding_keeps_malformed_escapes() {
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz"), "%zz");
        assert_eq!(percent_decode("a+b%21"), "a b!");
    }
}
