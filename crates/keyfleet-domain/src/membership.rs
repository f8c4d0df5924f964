//! The membership lifecycle organizations and providers share: invitation tokens (signed,
//! single-use, 5-day), delivery by mail, acceptance, reinvitation, bulk calls and their refusal
//! texts. Each table plugs its own rules in around these steps (who may invite whom, seats,
//! policies, roles, client assignments); the steps themselves are written once, here.
//!
//! The lifecycle: invited (a row with the address and `invited_at`) → accepted (the row gets the
//! account, the address and invitation are cleared) → confirmed (the table's key is wrapped to the
//! member's public key). A reinvite moves `invited_at`, which is part of the token's subject, so
//! older links stop working; accepting clears it, so a link works once.

use crate::error::DomainError;
use crate::identity::caller::Caller;
use crate::ids::UserId;
use crate::orgs::store::OrgUserRow;
use crate::providers::store::ProviderUserRow;
use crate::{Domain, Timestamp};
use keyfleet_api::kinds::{OrganizationUserStatus, ProviderUserStatus};
use std::future::Future;
use std::str::FromStr;

/// How long an invitation link stays valid.
pub const INVITE_TTL_SECS: i64 = 5 * 24 * 3600;
/// Most addresses one invite call, and most ids one bulk call, may carry.
pub const MAX_PER_CALL: usize = 100;

/// The texts of the lifecycle's refusals, the same for both tables.
pub mod refusal {
    /// The id names no member the caller may manage (also the bulk answer for an unknown id).
    pub const USER_INVALID: &str = "User invalid.";
    /// Accepting an invitation that was already accepted.
    pub const ALREADY_ACCEPTED: &str = "Already accepted.";
    /// Accepting with a token that is forged, expired or replaced by a reinvite.
    pub const INVALID_TOKEN: &str =
        "Invalid or expired invitation. Ask an administrator to invite you again.";
    /// Accepting an invitation sent to another address.
    pub const EMAIL_MISMATCH: &str = "User email does not match invite.";
    /// Reinviting a member who already accepted.
    pub const NOT_INVITED: &str = "Only a member who has not accepted yet can be invited again.";
    /// Confirming a member who has not accepted (or is already confirmed).
    pub const NOT_ACCEPTED: &str = "Only a member who accepted the invitation can be confirmed.";
    /// Too many addresses in one invite call.
    pub const TOO_MANY_ADDRESSES: &str = "Invite between 1 and 100 addresses at a time.";
    /// Too many ids in one bulk call.
    pub const TOO_MANY_IDS: &str = "At most 100 ids at a time.";
}

/// A membership row of either table, as the lifecycle sees it.
pub(crate) trait Membership: Clone {
    /// The token purpose: distinct per table, so one table's link never accepts the other's row.
    const PURPOSE: &'static str;
    /// What the member joins, for the texts ("organization", "provider").
    const JOINS: &'static str;
    /// The row's id as it appears in the link.
    fn id_text(&self) -> String;
    /// The invited address (cleared on acceptance).
    fn email(&self) -> Option<&str>;
    /// When the current invitation was issued.
    fn invited_at(&self) -> Option<Timestamp>;
    /// Whether the row waits for its invitation to be accepted.
    fn is_invited(&self) -> bool;
    /// Whether the row has accepted and waits for its confirmation.
    fn is_accepted(&self) -> bool;
    /// The row after `user` accepted at `now`.
    fn mark_accepted(&mut self, user: UserId, now: Timestamp);
    /// The row after a fresh invitation at `now`.
    fn mark_reinvited(&mut self, now: Timestamp);
    /// The row after its confirmation with `key` (the table's key wrapped to the member).
    fn mark_confirmed(&mut self, key: &str, now: Timestamp);

    /// What the invitation token is bound to: the row, its address and the invitation time
    /// (`member:address:issued`; [`Domain::invitation_names`] reads it back).
    fn invite_subject(&self) -> String {
        format!(
            "{}:{}:{}",
            self.id_text(),
            self.email().unwrap_or(""),
            self.invited_at().map_or(0, |t| t.0)
        )
    }
}

/// The two membership tables name their fields alike; only the status type differs.
macro_rules! membership_row {
    ($row:ty, $status:ident, $purpose:literal, $joins:literal) => {
        impl Membership for $row {
            const PURPOSE: &'static str = $purpose;
            const JOINS: &'static str = $joins;
            fn id_text(&self) -> String {
                self.id.to_string()
            }
            fn email(&self) -> Option<&str> {
                self.email.as_deref()
            }
            fn invited_at(&self) -> Option<Timestamp> {
                self.invited_at
            }
            fn is_invited(&self) -> bool {
                self.status == $status::Invited
            }
            fn is_accepted(&self) -> bool {
                self.status == $status::Accepted
            }
            fn mark_accepted(&mut self, user: UserId, now: Timestamp) {
                self.status = $status::Accepted;
                self.user_id = Some(user);
                self.email = None;
                self.invited_at = None;
                self.revision_date = now;
            }
            fn mark_reinvited(&mut self, now: Timestamp) {
                self.invited_at = Some(now);
                self.revision_date = now;
            }
            fn mark_confirmed(&mut self, key: &str, now: Timestamp) {
                self.status = $status::Confirmed;
                self.key = Some(key.to_string());
                self.revision_date = now;
            }
        }
    };
}

membership_row!(
    OrgUserRow,
    OrganizationUserStatus,
    "org-invite",
    "organization"
);
membership_row!(
    ProviderUserRow,
    ProviderUserStatus,
    "provider-invite",
    "provider"
);

/// One invitation as the inviter gets it back.
#[derive(Debug, Clone)]
pub struct Invite<M> {
    /// The membership it invites to.
    pub member: M,
    /// The signed invitation token.
    pub token: String,
    /// The link to the page that accepts it.
    pub link: String,
    /// Whether it went out by mail.
    pub mailed: bool,
}

/// An invitation mail.
pub(crate) struct Letter {
    /// Subject line.
    pub subject: String,
    /// Plain-text body (the link included).
    pub body: String,
}

/// What a bulk member call does to each member. Both tables take every action: a provider's
/// revoke is its suspension, its remove a deletion for good.
#[derive(Debug, Clone, Copy)]
pub enum BulkMemberAction<'a> {
    /// Send fresh invitations.
    Reinvite(&'a [String]),
    /// Confirm with these wrapped keys (`(member id, key)`).
    Confirm(&'a [(String, String)]),
    /// Suspend every access, keeping the membership.
    Revoke(&'a [String]),
    /// Undo a revocation.
    Restore(&'a [String]),
    /// End the membership.
    Remove(&'a [String]),
}

impl<'a> BulkMemberAction<'a> {
    /// Each member id with the key it carries (confirmations only).
    pub(crate) fn items(&self) -> Vec<(&'a str, Option<&'a str>)> {
        match *self {
            BulkMemberAction::Confirm(keys) => keys
                .iter()
                .map(|(i, k)| (i.as_str(), Some(k.as_str())))
                .collect(),
            BulkMemberAction::Reinvite(ids)
            | BulkMemberAction::Revoke(ids)
            | BulkMemberAction::Restore(ids)
            | BulkMemberAction::Remove(ids) => ids.iter().map(|i| (i.as_str(), None)).collect(),
        }
    }
}

/// One member's outcome in a bulk call: what it produced (the new invitation for a reinvite),
/// or the refusal's text.
#[derive(Debug, Clone)]
pub struct BulkOutcome<T> {
    /// The id as the caller sent it.
    pub id: String,
    /// What happened to it.
    pub result: Result<T, String>,
}

/// Runs `op` for each member of a bulk call. The whole call is refused only for too many ids
/// (or when `op` fails for a reason that is not a refusal, such as storage); an id that does not
/// parse or names no member the caller manages answers [`refusal::USER_INVALID`], a rule's
/// refusal its own text.
pub(crate) async fn run_bulk<'a, Id, T, F, Fut>(
    items: Vec<(&'a str, Option<&'a str>)>,
    mut op: F,
) -> Result<Vec<BulkOutcome<T>>, DomainError>
where
    Id: FromStr,
    F: FnMut(Id, Option<&'a str>) -> Fut,
    Fut: Future<Output = Result<T, DomainError>>,
{
    if items.len() > MAX_PER_CALL {
        return Err(DomainError::invalid("ids", refusal::TOO_MANY_IDS));
    }
    let mut out = Vec::with_capacity(items.len());
    for (raw, key) in items {
        let result = match raw.parse::<Id>() {
            Ok(id) => op(id, key).await,
            Err(_) => Err(DomainError::NotFound),
        };
        let result = match result {
            Ok(v) => Ok(v),
            Err(DomainError::Invalid { message, .. }) => Err(message),
            Err(DomainError::NotFound) => Err(refusal::USER_INVALID.to_string()),
            Err(e) => return Err(e),
        };
        out.push(BulkOutcome {
            id: raw.to_string(),
            result,
        });
    }
    Ok(out)
}

/// Checks that `member` may be confirmed with `key`: accepted, and the key wrapped to a public
/// key (the table's own rules come on top).
pub(crate) fn check_confirmable<M: Membership>(member: &M, key: &str) -> Result<(), DomainError> {
    if !member.is_accepted() {
        return Err(DomainError::bad_request(refusal::NOT_ACCEPTED));
    }
    crate::orgs::check_member_key(key)
}

/// The addresses of an invite call, checked and without repeats (in the order given).
pub(crate) fn invite_addresses(raw: &[String]) -> Result<Vec<String>, DomainError> {
    if raw.is_empty() || raw.len() > MAX_PER_CALL {
        return Err(DomainError::invalid("emails", refusal::TOO_MANY_ADDRESSES));
    }
    let mut out: Vec<String> = Vec::with_capacity(raw.len());
    for e in raw {
        let email = crate::identity::accounts::parse_email(e).map_err(|_| {
            DomainError::invalid("emails", format!("\"{e}\" is not a valid email."))
        })?;
        if !out.contains(&email) {
            out.push(email);
        }
    }
    Ok(out)
}

impl Domain {
    /// Signs an invitation to `member`; `link` turns the token into the table's accept link.
    pub(crate) fn issue_invite<M: Membership>(
        &self,
        member: &M,
        link: impl FnOnce(&str) -> String,
    ) -> Result<Invite<M>, DomainError> {
        let token = self.tokens.issue_purpose_token(
            M::PURPOSE,
            &member.invite_subject(),
            INVITE_TTL_SECS,
            self.now(),
        )?;
        Ok(Invite {
            link: link(&token),
            token,
            member: member.clone(),
            mailed: false,
        })
    }

    /// Whether `token` is the current invitation of `member`.
    pub(crate) fn invite_token_valid<M: Membership>(&self, member: &M, token: &str) -> bool {
        member.is_invited()
            && self.tokens.check_purpose_token(
                token,
                M::PURPOSE,
                &member.invite_subject(),
                self.now(),
            )
    }

    /// Whether `token` is an unexpired invitation (of `purpose`) naming membership `member_id`
    /// and address `email` — what its [`Membership::invite_subject`] says, read without the row:
    /// enough to prove the address when the invited person creates their account (a
    /// reinvitation voids an older token only at acceptance, where the row is read).
    pub(crate) fn invitation_names(
        &self,
        token: &str,
        purpose: &str,
        member_id: &str,
        email: &str,
    ) -> bool {
        self.tokens
            .purpose_token_subject(token, purpose, self.now())
            .is_some_and(|subject| {
                let mut parts = subject.splitn(3, ':');
                parts.next() == Some(member_id) && parts.next() == Some(email)
            })
    }

    /// Mails each invitation when a mail server is configured. A refused message is logged and
    /// the link stays with the inviter: the invitation itself stands either way.
    pub(crate) async fn deliver_invites<M: Membership>(
        &self,
        mut invites: Vec<Invite<M>>,
        letter: impl Fn(&Invite<M>) -> Letter,
    ) -> Vec<Invite<M>> {
        let Some(mailer) = &self.mailer else {
            return invites;
        };
        for invite in &mut invites {
            let Some(to) = invite.member.email().map(str::to_string) else {
                continue;
            };
            let Letter { subject, body } = letter(invite);
            match mailer.send(&to, &subject, &body).await {
                Ok(()) => invite.mailed = true,
                Err(e) => {
                    tracing::warn!(member = %invite.member.id_text(), joins = M::JOINS, error = %e, "invitation mail not sent")
                }
            }
        }
        invites
    }

    /// A fresh invitation for a member who has not accepted yet: the row to store (its older
    /// links stop working once it is) and the invitation to hand out after.
    pub(crate) fn reinvite<M: Membership>(
        &self,
        member: &mut M,
        link: impl FnOnce(&M, &str) -> String,
    ) -> Result<Invite<M>, DomainError> {
        if !member.is_invited() {
            return Err(DomainError::bad_request(refusal::NOT_INVITED));
        }
        member.mark_reinvited(self.now());
        let member: &M = member;
        self.issue_invite(member, |token| link(member, token))
    }

    /// Checks an acceptance by the signed-in caller and returns the accepted row to store:
    /// `member` is the row the link names (`None`: no such row), the token must be its current
    /// invitation, the caller's address the invited one, and `already_member` (asked only once
    /// the rest holds) whether the caller has a membership of this table already.
    pub(crate) async fn accepted<M: Membership>(
        &self,
        caller: &Caller,
        member: Option<M>,
        token: &str,
        already_member: impl Future<Output = Result<bool, DomainError>>,
    ) -> Result<M, DomainError> {
        let mut m = member.ok_or_else(|| DomainError::bad_request(refusal::USER_INVALID))?;
        if !m.is_invited() {
            return Err(DomainError::bad_request(refusal::ALREADY_ACCEPTED));
        }
        if !self.invite_token_valid(&m, token) {
            return Err(DomainError::bad_request(refusal::INVALID_TOKEN));
        }
        if m.email() != Some(caller.user.email.as_str()) {
            return Err(DomainError::bad_request(refusal::EMAIL_MISMATCH));
        }
        if already_member.await? {
            return Err(DomainError::bad_request(format!(
                "You are already a member of this {}.",
                M::JOINS
            )));
        }
        m.mark_accepted(caller.user.id, self.now());
        Ok(m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{OrgId, OrgUserId, ProviderId, ProviderUserId};
    use keyfleet_api::kinds::{OrganizationUserType, ProviderRole};

    fn org_member() -> OrgUserRow {
        OrgUserRow {
            id: OrgUserId::new(),
            org_id: OrgId::new(),
            user_id: None,
            email: Some("a@example.com".into()),
            member_type: OrganizationUserType::User,
            status: OrganizationUserStatus::Invited,
            key: None,
            permissions: "{}".into(),
            external_id: None,
            invited_at: Some(Timestamp(1)),
            revocation_reason: None,
            reset_password_key: None,
            creation_date: Timestamp(0),
            revision_date: Timestamp(0),
        }
    }

    fn provider_member() -> ProviderUserRow {
        ProviderUserRow {
            id: ProviderUserId::new(),
            provider_id: ProviderId::new(),
            user_id: None,
            email: Some("a@example.com".into()),
            role: ProviderRole::Technician,
            role_id: None,
            status: ProviderUserStatus::Invited,
            suspended: false,
            key: None,
            invited_at: Some(Timestamp(1)),
            creation_date: Timestamp(0),
            revision_date: Timestamp(0),
        }
    }

    #[test]
    fn a_reinvite_changes_the_token_subject() {
        let mut m = org_member();
        let first = m.invite_subject();
        m.mark_reinvited(Timestamp(2));
        assert_ne!(first, m.invite_subject());
        let mut p = provider_member();
        let first = p.invite_subject();
        p.mark_reinvited(Timestamp(2));
        assert_ne!(first, p.invite_subject());
    }

    #[test]
    fn accepting_binds_the_account_and_clears_the_invitation() {
        let user = UserId::new();
        let mut m = org_member();
        m.mark_accepted(user, Timestamp(5));
        assert_eq!(
            (m.status, m.user_id, m.email.as_deref(), m.invited_at),
            (OrganizationUserStatus::Accepted, Some(user), None, None)
        );
        assert!(!m.is_invited());
        let mut p = provider_member();
        p.mark_accepted(user, Timestamp(5));
        assert_eq!(
            (p.status, p.user_id, p.email.as_deref(), p.invited_at),
            (ProviderUserStatus::Accepted, Some(user), None, None)
        );
        assert_ne!(OrgUserRow::PURPOSE, ProviderUserRow::PURPOSE);
    }

    #[test]
    fn invite_addresses_are_checked_and_deduplicated() {
        let raw = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            invite_addresses(&raw(&["A@example.com", "a@example.com", "b@example.com"])).unwrap(),
            ["a@example.com", "b@example.com"]
        );
        assert!(invite_addresses(&[]).is_err());
        assert!(invite_addresses(&raw(&["not an address"])).is_err());
        assert!(invite_addresses(&vec!["x@example.com".to_string(); MAX_PER_CALL + 1]).is_err());
    }

    #[tokio::test]
    async fn a_bulk_call_answers_each_id_and_stops_only_for_failures() {
        let ids: Vec<String> = vec![OrgUserId::new().to_string(), "junk".into()];
        let items = BulkMemberAction::Remove(&ids).items();
        let out = run_bulk(items, |_: OrgUserId, _| async { Ok::<_, DomainError>(7) })
            .await
            .unwrap();
        assert_eq!(out[0].result, Ok(7));
        assert_eq!(out[1].result, Err(refusal::USER_INVALID.to_string()));
        let out = run_bulk(
            BulkMemberAction::Remove(&ids[..1]).items(),
            |_: OrgUserId, _| async { Err::<(), _>(DomainError::bad_request("No.")) },
        )
        .await
        .unwrap();
        assert_eq!(out[0].result, Err("No.".to_string()));
        let failed = run_bulk(
            BulkMemberAction::Remove(&ids[..1]).items(),
            |_: OrgUserId, _| async { Err::<(), _>(DomainError::Store(crate::StoreError::Busy)) },
        )
        .await;
        assert!(failed.is_err());
        let many = vec![ids[0].clone(); MAX_PER_CALL + 1];
        assert!(run_bulk(
            BulkMemberAction::Revoke(&many).items(),
            |_: OrgUserId, _| async { Ok::<_, DomainError>(()) }
        )
        .await
        .is_err());
    }
}
