//! Emergency access: a grantor names a trusted contact (the grantee) who, after a wait time
//! the grantor chooses, may read the grantor's personal items (View) or set a new master
//! password for the grantor's account (Takeover).
//!
//! The lifecycle: invited by address (a signed, single-use invitation token, the same
//! machinery as organization invitations: `membership`) → accepted by the account of that
//! address → confirmed (the grantor's client wraps the user key to the grantee's public key,
//! type 4) → the grantee asks (RecoveryInitiated) → the grantor approves or rejects, or the
//! wait time passes (RecoveryApproved: the server's sweep, and any read or action of the
//! grantee, approves a request whose wait is over) → the grantee views or takes over. The
//! server never sees the user key: the grantee's client unwraps it.
//!
//! Refusals are the official server's: every action on a row the caller may not act on is 400
//! "Emergency Access not valid." (its apps log out on 401/403, and the text is the same for a
//! row that does not exist, so nothing leaks).

pub mod store;

use crate::error::DomainError;
use crate::identity::accounts::{parse_email, url_encode};
use crate::identity::caller::Caller;
use crate::identity::tokens::new_security_stamp;
use crate::ids::{CipherId, EmergencyAccessId, UserId};
use crate::membership::{Invite, Membership};
use crate::orgs::recovery::new_password;
use crate::orgs::store::{EventRow, PolicyRow};
use crate::orgs::{EventType, OrganizationUserType, PolicyType};
use crate::store::{AttachmentRow, CipherView, CredentialUpdate, UserRow};
use crate::{Domain, Timestamp};
use futures::TryStreamExt;
use keyfleet_api::emergency_access::{
    EmergencyAccessInviteRequest, EmergencyAccessPasswordRequest, EmergencyAccessUpdateRequest,
};
use store::{
    EmergencyAccessDetails, EmergencyAccessRow, EmergencyAccessStatusType as Status,
    EmergencyAccessType,
};

/// The official server's refusal for any row the caller may not act on.
pub const NOT_VALID: &str = "Emergency Access not valid.";
/// Wait times the official server accepts (`[Range(1, short.MaxValue)]`); Keyfleet takes the
/// same range so every client's choice is accepted.
pub const MAX_WAIT_DAYS: i32 = 32_767;
/// Most trusted contacts one grantor keeps.
pub const MAX_CONTACTS: usize = 100;
const MAX_KEY_LEN: usize = 10_000;
/// A takeover of a provider member's account (it would reach the provider's clients).
pub const TAKEOVER_PROVIDER_MEMBER: &str = "An emergency contact cannot take over the account \
     of a provider member: it reaches the provider's clients.";
const POLICY_REFUSAL_GRANTOR: &str = "You cannot grant emergency access: an organization you \
     belong to confirms its members automatically (its policy disallows emergency access).";
const POLICY_REFUSAL_GRANTEE: &str = "You cannot accept emergency access: an organization you \
     belong to confirms its members automatically (its policy disallows emergency access).";

impl Membership for EmergencyAccessRow {
    const PURPOSE: &'static str = "emergency-access-invite";
    const JOINS: &'static str = "emergency access";
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
        self.status == Status::Invited
    }
    fn is_accepted(&self) -> bool {
        self.status == Status::Accepted
    }
    fn mark_accepted(&mut self, user: UserId, now: Timestamp) {
        self.status = Status::Accepted;
        self.grantee_id = Some(user);
        self.email = None;
        self.invited_at = None;
        self.revision_date = now;
    }
    fn mark_reinvited(&mut self, now: Timestamp) {
        self.invited_at = Some(now);
        self.revision_date = now;
    }
    fn mark_confirmed(&mut self, key: &str, now: Timestamp) {
        self.status = Status::Confirmed;
        self.key_encrypted = Some(key.to_string());
        self.revision_date = now;
    }
}

fn not_valid() -> DomainError {
    DomainError::bad_request(NOT_VALID)
}

fn check_wait_time(days: i32) -> Result<(), DomainError> {
    if (1..=MAX_WAIT_DAYS).contains(&days) {
        Ok(())
    } else {
        Err(DomainError::invalid(
            "waitTimeDays",
            format!("The wait time must be between 1 and {MAX_WAIT_DAYS} days."),
        ))
    }
}

/// The grantor's user key wrapped to the grantee's public key: RSA, type 4 (the web vault's
/// `encryptKey`), nothing the server could read.
fn check_wrapped_key(field: &'static str, key: &str) -> Result<(), DomainError> {
    crate::identity::accounts::check_enc_string(field, key, MAX_KEY_LEN)?;
    if key.starts_with("4.") {
        Ok(())
    } else {
        Err(DomainError::invalid(
            field,
            "The key must be encrypted to the grantee's public key.",
        ))
    }
}

/// What the grantee's client needs for a takeover.
#[derive(Debug, Clone)]
pub struct Takeover {
    /// The grantor's user key wrapped to the grantee (type 4).
    pub key_encrypted: String,
    /// The grantor's account (KDF and salt).
    pub grantor: UserRow,
}

/// What the grantee reads of the grantor's vault.
#[derive(Debug, Clone)]
pub struct EmergencyView {
    /// The grantor's user key wrapped to the grantee (type 4).
    pub key_encrypted: String,
    /// The grantor's personal items (no organization items).
    pub ciphers: Vec<CipherView>,
}

impl Domain {
    /// Whether `user` belongs to an organization whose Automatic user confirmation policy
    /// (18) is on: the official server's one policy that disallows emergency access.
    async fn emergency_access_disallowed(&self, user: UserId) -> Result<bool, DomainError> {
        Ok(self
            .store
            .policies_of_user(user)
            .await?
            .iter()
            .any(|p: &PolicyRow| {
                p.enabled && p.policy_type == PolicyType::AutomaticUserConfirmation
            }))
    }

    async fn mail_notice(&self, to: &str, subject: &str, body: &str) {
        let Some(mailer) = &self.mailer else {
            return;
        };
        if let Err(e) = mailer.send(to, subject, body).await {
            tracing::warn!(error = %e, "emergency access notice not sent");
        }
    }

    async fn mail_user(&self, user: Option<UserId>, subject: &str, body: &str) {
        if self.mailer.is_none() {
            return;
        }
        let Some(id) = user else { return };
        match self.store.user_by_id(id).await {
            Ok(Some(u)) => self.mail_notice(&u.email, subject, body).await,
            Ok(None) => {}
            Err(e) => tracing::warn!(error = ?e, "emergency access notice not sent"),
        }
    }

    /// Stores `row` only if the stored one still has status `was` (compare-and-set: of two
    /// racing calls one wins, the other is `NOT_VALID`), then mails `to` the notice of it.
    async fn transition(
        &self,
        row: &EmergencyAccessRow,
        was: Status,
        to: Option<UserId>,
        subject: &str,
        body: &str,
    ) -> Result<(), DomainError> {
        if !self.store.update_emergency_access(row, was).await? {
            return Err(not_valid());
        }
        self.mail_user(to, subject, body).await;
        Ok(())
    }

    async fn display_name(&self, id: UserId) -> String {
        match self.store.user_by_id(id).await {
            Ok(Some(u)) => u.name.filter(|n| !n.is_empty()).unwrap_or(u.email),
            _ => "A Keyfleet user".into(),
        }
    }

    /// A row the caller is the grantor of, else `NOT_VALID`.
    async fn as_grantor(
        &self,
        caller: &Caller,
        id: EmergencyAccessId,
    ) -> Result<EmergencyAccessRow, DomainError> {
        self.store
            .emergency_access(id, caller.user.id)
            .await?
            .filter(|r| r.grantor_id == caller.user.id)
            .ok_or_else(not_valid)
    }

    /// A row the caller is the grantee of (its wait time applied), else `NOT_VALID`.
    async fn as_grantee(
        &self,
        caller: &Caller,
        id: EmergencyAccessId,
    ) -> Result<EmergencyAccessRow, DomainError> {
        let row = self
            .store
            .emergency_access(id, caller.user.id)
            .await?
            .filter(|r| r.grantee_id == Some(caller.user.id))
            .ok_or_else(not_valid)?;
        self.approve_if_due(row).await
    }

    /// An approved row of `access_type` the caller is the grantee of (`IsValidRequest`).
    async fn approved_for(
        &self,
        caller: &Caller,
        id: EmergencyAccessId,
        access_type: EmergencyAccessType,
    ) -> Result<EmergencyAccessRow, DomainError> {
        let row = self.as_grantee(caller, id).await?;
        if row.status != Status::RecoveryApproved || row.access_type != access_type {
            return Err(not_valid());
        }
        Ok(row)
    }

    /// Approves `row` when its wait time is over (compare-and-set: a racing sweep or reject
    /// wins or loses cleanly), mailing both parties, or — in its last day — sends the
    /// grantor's reminder if not sent yet; answers the row as it now stands.
    async fn approve_if_due(
        &self,
        mut row: EmergencyAccessRow,
    ) -> Result<EmergencyAccessRow, DomainError> {
        let now = self.now();
        if !row.wait_over_at(now) {
            if row.reminder_due_at(now) {
                let reminded = self
                    .store
                    .remind_due_emergency_accesses(now, Some(row.id))
                    .await?;
                for r in &reminded {
                    self.mail_reminder(r).await;
                }
                if let Some(r) = reminded.into_iter().next() {
                    return Ok(r);
                }
            }
            return Ok(row);
        }
        let mut approved = row.clone();
        approved.status = Status::RecoveryApproved;
        approved.revision_date = now;
        if self
            .store
            .update_emergency_access(&approved, Status::RecoveryInitiated)
            .await?
        {
            self.mail_auto_approved(&approved).await;
            return Ok(approved);
        }
        // Changed meanwhile: read it again.
        if let Some(user) = row.grantee_id {
            row = self
                .store
                .emergency_access(row.id, user)
                .await?
                .ok_or_else(not_valid)?;
        }
        Ok(row)
    }

    async fn mail_auto_approved(&self, row: &EmergencyAccessRow) {
        if self.mailer.is_none() {
            return;
        }
        let grantor = self.display_name(row.grantor_id).await;
        self.mail_user(
            row.grantee_id,
            "Emergency access approved",
            &format!(
                "The wait time is over: your emergency access to {grantor}'s account is approved.\n"
            ),
        )
        .await;
        self.mail_user(
            Some(row.grantor_id),
            "Emergency access approved",
            "The wait time of an emergency access request to your account is over: your \
             trusted contact can now use it.\n",
        )
        .await;
    }

    /// Tells the grantor, a day before, that a request will be approved unless they reject it.
    async fn mail_reminder(&self, row: &EmergencyAccessRow) {
        if self.mailer.is_none() {
            return;
        }
        let Some(grantee) = row.grantee_id else {
            return;
        };
        let who = self.display_name(grantee).await;
        let what = match row.access_type {
            EmergencyAccessType::View => "view your vault",
            EmergencyAccessType::Takeover => "take over your account",
        };
        let at = row
            .recovery_initiated_at
            .unwrap_or_default()
            .plus_secs(i64::from(row.wait_time_days) * 86_400);
        self.mail_user(
            Some(row.grantor_id),
            "Emergency access pending",
            &format!(
                "Reminder: {who} asked for emergency access to {what}. Unless you reject it, \
                 it is approved automatically at {} (UTC).\n",
                at.to_iso()
            ),
        )
        .await;
    }

    /// The periodic sweep's reminders: mails the grantor of every request approved within a
    /// day (once); answers how many.
    pub async fn remind_due_emergency_accesses(&self) -> Result<usize, DomainError> {
        let rows = self
            .store
            .remind_due_emergency_accesses(self.now(), None)
            .await?;
        for row in &rows {
            self.mail_reminder(row).await;
        }
        Ok(rows.len())
    }

    /// The periodic sweep: approves every request whose wait time is over and mails both
    /// parties; answers how many.
    pub async fn approve_due_emergency_accesses(&self) -> Result<usize, DomainError> {
        let rows = self
            .store
            .approve_due_emergency_accesses(self.now())
            .await?;
        for row in &rows {
            self.mail_auto_approved(row).await;
        }
        Ok(rows.len())
    }

    /// `GET /emergency-access/trusted`: the caller's trusted contacts.
    pub async fn trusted_contacts(
        &self,
        caller: &Caller,
    ) -> Result<Vec<EmergencyAccessDetails>, DomainError> {
        Ok(self
            .store
            .emergency_accesses_of_grantor(caller.user.id)
            .await?)
    }

    /// `GET /emergency-access/granted`: who trusts the caller (pending requests whose wait
    /// time is over are approved first).
    pub async fn granted_emergency_accesses(
        &self,
        caller: &Caller,
    ) -> Result<Vec<EmergencyAccessDetails>, DomainError> {
        let mut list = self
            .store
            .emergency_accesses_of_grantee(caller.user.id)
            .await?;
        for d in &mut list {
            let now = self.now();
            if d.row.wait_over_at(now) || d.row.reminder_due_at(now) {
                d.row = self.approve_if_due(d.row.clone()).await?;
            }
        }
        Ok(list)
    }

    /// `GET /emergency-access/{id}`: one of the caller's trusted contacts.
    pub async fn trusted_contact(
        &self,
        caller: &Caller,
        id: EmergencyAccessId,
    ) -> Result<EmergencyAccessDetails, DomainError> {
        self.trusted_contacts(caller)
            .await?
            .into_iter()
            .find(|d| d.row.id == id)
            .ok_or_else(not_valid)
    }

    /// `POST /emergency-access/invite`: a new trusted contact, invited by mail (when SMTP is
    /// configured). Answers the invitation (its link is for the grantor only when not mailed).
    pub async fn invite_emergency_contact(
        &self,
        caller: &Caller,
        req: &EmergencyAccessInviteRequest,
    ) -> Result<Invite<EmergencyAccessRow>, DomainError> {
        let email = parse_email(&req.email)?;
        if email == caller.user.email {
            return Err(DomainError::bad_request(
                "You cannot invite yourself as an emergency contact.",
            ));
        }
        check_wait_time(req.wait_time_days)?;
        if self.emergency_access_disallowed(caller.user.id).await? {
            return Err(DomainError::bad_request(POLICY_REFUSAL_GRANTOR));
        }
        let existing = self
            .store
            .emergency_accesses_of_grantor(caller.user.id)
            .await?;
        if existing.len() >= MAX_CONTACTS {
            return Err(DomainError::bad_request(format!(
                "At most {MAX_CONTACTS} emergency contacts."
            )));
        }
        if existing.iter().any(|d| d.email.as_deref() == Some(&email)) {
            return Err(DomainError::bad_request(
                "This contact already has emergency access.",
            ));
        }
        let now = self.now();
        let row = EmergencyAccessRow {
            id: EmergencyAccessId::new(),
            grantor_id: caller.user.id,
            grantee_id: None,
            email: Some(email),
            key_encrypted: None,
            access_type: req.access_type,
            status: Status::Invited,
            wait_time_days: req.wait_time_days,
            recovery_initiated_at: None,
            last_notification_at: None,
            invited_at: Some(now),
            creation_date: now,
            revision_date: now,
        };
        self.store.insert_emergency_access(&row).await?;
        self.mail_emergency_invite(caller, &row).await
    }

    fn emergency_invite_link(
        &self,
        caller: &Caller,
        row: &EmergencyAccessRow,
        token: &str,
    ) -> String {
        let name = caller
            .user
            .name
            .clone()
            .unwrap_or_else(|| caller.user.email.clone());
        format!(
            "{}/#/accept-emergency?id={}&name={}&email={}&token={}",
            self.settings.issuer,
            row.id,
            url_encode(&name),
            url_encode(row.email.as_deref().unwrap_or("")),
            url_encode(token)
        )
    }

    async fn mail_emergency_invite(
        &self,
        caller: &Caller,
        row: &EmergencyAccessRow,
    ) -> Result<Invite<EmergencyAccessRow>, DomainError> {
        let invite = self.issue_invite(row, |t| self.emergency_invite_link(caller, row, t))?;
        let who = caller
            .user
            .name
            .clone()
            .unwrap_or_else(|| caller.user.email.clone());
        self.deliver_invites(vec![invite], |i| crate::membership::Letter {
            subject: format!("{who} named you an emergency contact"),
            body: format!(
                "{who} named you a trusted emergency contact on Keyfleet.\n\n\
                 Accept (the link works once and expires in 5 days):\n{}\n\n\
                 If you did not expect this, ignore this message.\n",
                i.link
            ),
        })
        .await
        .pop()
        .ok_or_else(|| DomainError::Internal("no invitation".into()))
    }

    /// `POST /emergency-access/{id}/reinvite`: a fresh invitation (older links stop working).
    pub async fn reinvite_emergency_contact(
        &self,
        caller: &Caller,
        id: EmergencyAccessId,
    ) -> Result<Invite<EmergencyAccessRow>, DomainError> {
        let mut row = self.as_grantor(caller, id).await?;
        if row.status != Status::Invited {
            return Err(not_valid());
        }
        let before = row.invited_at;
        row.mark_reinvited(self.now());
        // The invitation time is part of the token's subject: it must move for the older link
        // to stop working, even when two invitations fall in the same millisecond.
        if let (Some(b), Some(now)) = (before, row.invited_at) {
            if now <= b {
                row.invited_at = Some(Timestamp(b.0 + 1));
            }
        }
        if !self
            .store
            .update_emergency_access(&row, Status::Invited)
            .await?
        {
            return Err(not_valid());
        }
        self.mail_emergency_invite(caller, &row).await
    }

    /// `PUT /emergency-access/{id}`: the grantor changes the type and wait time (and, when the
    /// row holds a key, replaces it: key rotation).
    pub async fn update_emergency_contact(
        &self,
        caller: &Caller,
        id: EmergencyAccessId,
        req: &EmergencyAccessUpdateRequest,
    ) -> Result<EmergencyAccessRow, DomainError> {
        let mut row = self.as_grantor(caller, id).await?;
        check_wait_time(req.wait_time_days)?;
        let status = row.status;
        row.access_type = req.access_type;
        row.wait_time_days = req.wait_time_days;
        if let Some(key) = req.key_encrypted.as_deref().filter(|k| !k.is_empty()) {
            if row.key_encrypted.is_some() {
                check_wrapped_key("keyEncrypted", key)?;
                row.key_encrypted = Some(key.to_string());
            }
        }
        row.revision_date = self.now();
        if !self.store.update_emergency_access(&row, status).await? {
            return Err(not_valid());
        }
        Ok(row)
    }

    /// `DELETE /emergency-access/{id}`: by the grantor or the grantee.
    pub async fn delete_emergency_access(
        &self,
        caller: &Caller,
        id: EmergencyAccessId,
    ) -> Result<(), DomainError> {
        if self
            .store
            .delete_emergency_access(id, caller.user.id)
            .await?
        {
            Ok(())
        } else {
            Err(not_valid())
        }
    }

    /// `POST /emergency-access/{id}/accept` `{token}`: the invited account accepts (its address
    /// must be the invited one; the token is the current invitation's, and works once).
    pub async fn accept_emergency_access(
        &self,
        caller: &Caller,
        id: EmergencyAccessId,
        token: &str,
    ) -> Result<(), DomainError> {
        let row = self.store.emergency_access_unscoped_for_accept(id).await?;
        if row.as_ref().is_some_and(|r| r.grantor_id == caller.user.id) {
            return Err(DomainError::bad_request(
                "You cannot accept your own emergency access invitation.",
            ));
        }
        let row = self
            .accepted(caller, row, token, async { Ok(false) })
            .await?;
        if self.emergency_access_disallowed(caller.user.id).await? {
            return Err(DomainError::bad_request(POLICY_REFUSAL_GRANTEE));
        }
        if !self
            .store
            .update_emergency_access(&row, Status::Invited)
            .await?
        {
            return Err(DomainError::bad_request(
                crate::membership::refusal::ALREADY_ACCEPTED,
            ));
        }
        let who = caller
            .user
            .name
            .clone()
            .unwrap_or_else(|| caller.user.email.clone());
        self.mail_user(
            Some(row.grantor_id),
            "Emergency contact accepted",
            &format!(
                "{who} accepted your invitation to be an emergency contact. Confirm them in \
                 your vault's emergency access settings.\n"
            ),
        )
        .await;
        Ok(())
    }

    /// `POST /emergency-access/{id}/confirm` `{key}`: the grantor's client wrapped the user key
    /// to the grantee's public key (type 4); only an accepted row.
    pub async fn confirm_emergency_access(
        &self,
        caller: &Caller,
        id: EmergencyAccessId,
        key: &str,
    ) -> Result<(), DomainError> {
        let mut row = self.as_grantor(caller, id).await?;
        if row.status != Status::Accepted || row.grantee_id.is_none() {
            return Err(not_valid());
        }
        check_wrapped_key("key", key)?;
        row.mark_confirmed(key, self.now());
        let grantor = self.display_name(row.grantor_id).await;
        self.transition(
            &row,
            Status::Accepted,
            row.grantee_id,
            "Emergency access confirmed",
            &format!("{grantor} confirmed you as an emergency contact.\n"),
        )
        .await
    }

    /// `POST /emergency-access/{id}/initiate`: the grantee asks for access (only when
    /// confirmed); the wait time starts.
    pub async fn initiate_emergency_access(
        &self,
        caller: &Caller,
        id: EmergencyAccessId,
    ) -> Result<(), DomainError> {
        let mut row = self.as_grantee(caller, id).await?;
        if row.status != Status::Confirmed {
            return Err(not_valid());
        }
        let now = self.now();
        row.status = Status::RecoveryInitiated;
        row.recovery_initiated_at = Some(now);
        row.last_notification_at = Some(now);
        row.revision_date = now;
        let who = caller
            .user
            .name
            .clone()
            .unwrap_or_else(|| caller.user.email.clone());
        let what = match row.access_type {
            EmergencyAccessType::View => "view your vault",
            EmergencyAccessType::Takeover => "take over your account",
        };
        self.transition(
            &row,
            Status::Confirmed,
            Some(row.grantor_id),
            "Emergency access requested",
            &format!(
                "{who} asked for emergency access to {what}. Unless you reject it, it is \
                 approved automatically after {} day(s).\n",
                row.wait_time_days
            ),
        )
        .await
    }

    /// `POST /emergency-access/{id}/approve`: the grantor approves a pending request.
    pub async fn approve_emergency_access(
        &self,
        caller: &Caller,
        id: EmergencyAccessId,
    ) -> Result<(), DomainError> {
        let mut row = self.as_grantor(caller, id).await?;
        if row.status != Status::RecoveryInitiated {
            return Err(not_valid());
        }
        row.status = Status::RecoveryApproved;
        row.revision_date = self.now();
        let grantor = self.display_name(row.grantor_id).await;
        self.transition(
            &row,
            Status::RecoveryInitiated,
            row.grantee_id,
            "Emergency access approved",
            &format!("{grantor} approved your emergency access request.\n"),
        )
        .await
    }

    /// `POST /emergency-access/{id}/reject`: the grantor rejects a pending or approved
    /// request; the row returns to Confirmed.
    pub async fn reject_emergency_access(
        &self,
        caller: &Caller,
        id: EmergencyAccessId,
    ) -> Result<(), DomainError> {
        let mut row = self.as_grantor(caller, id).await?;
        let was = row.status;
        if !matches!(was, Status::RecoveryInitiated | Status::RecoveryApproved) {
            return Err(not_valid());
        }
        row.status = Status::Confirmed;
        row.recovery_initiated_at = None;
        row.revision_date = self.now();
        let grantor = self.display_name(row.grantor_id).await;
        self.transition(
            &row,
            was,
            row.grantee_id,
            "Emergency access rejected",
            &format!("{grantor} rejected your emergency access request.\n"),
        )
        .await
    }

    /// `POST /emergency-access/{id}/view`: an approved View grantee reads the grantor's
    /// personal items (organization items stay out) with the wrapped key that opens them.
    pub async fn emergency_view(
        &self,
        caller: &Caller,
        id: EmergencyAccessId,
    ) -> Result<EmergencyView, DomainError> {
        let row = self
            .approved_for(caller, id, EmergencyAccessType::View)
            .await?;
        let key_encrypted = row.key_encrypted.clone().ok_or_else(not_valid)?;
        // The grantor's readable items come personal first: stop at the first org item.
        let ciphers: Vec<CipherView> = self
            .store
            .ciphers_stream(row.grantor_id)
            .try_take_while(|v| futures::future::ready(Ok(v.cipher.org_id.is_none())))
            .map_ok(|mut v| {
                self.sign_attachments(&mut v);
                v
            })
            .try_collect()
            .await?;
        Ok(EmergencyView {
            key_encrypted,
            ciphers,
        })
    }

    /// `GET /emergency-access/{id}/{cipherId}/attachment/{attachmentId}`: an attachment of one
    /// of the grantor's personal items, with a signed download link.
    pub async fn emergency_attachment(
        &self,
        caller: &Caller,
        id: EmergencyAccessId,
        cipher_id: CipherId,
        attachment_id: &str,
    ) -> Result<AttachmentRow, DomainError> {
        let row = self
            .approved_for(caller, id, EmergencyAccessType::View)
            .await?;
        let mut view = self
            .store
            .cipher(row.grantor_id, cipher_id)
            .await?
            .filter(|v| v.cipher.user_id == Some(row.grantor_id) && v.cipher.org_id.is_none())
            .ok_or(DomainError::NotFound)?;
        self.sign_attachments(&mut view);
        view.attachments
            .into_iter()
            .find(|a| a.id.to_string() == attachment_id)
            .ok_or(DomainError::NotFound)
    }

    /// `POST /emergency-access/{id}/takeover`: an approved Takeover grantee reads the
    /// grantor's KDF, salt and the wrapped key.
    pub async fn emergency_takeover_details(
        &self,
        caller: &Caller,
        id: EmergencyAccessId,
    ) -> Result<Takeover, DomainError> {
        let row = self
            .approved_for(caller, id, EmergencyAccessType::Takeover)
            .await?;
        let key_encrypted = row.key_encrypted.clone().ok_or_else(not_valid)?;
        let grantor = self
            .store
            .user_by_id(row.grantor_id)
            .await?
            .ok_or_else(not_valid)?;
        self.check_not_provider_member(&grantor).await?;
        Ok(Takeover {
            key_encrypted,
            grantor,
        })
    }

    /// `GET /emergency-access/{id}/policies`: the grantor's policies when they own an
    /// organization (the new password must meet them), else `None` (`data: null`).
    pub async fn emergency_grantor_policies(
        &self,
        caller: &Caller,
        id: EmergencyAccessId,
    ) -> Result<Option<Vec<PolicyRow>>, DomainError> {
        let row = self
            .approved_for(caller, id, EmergencyAccessType::Takeover)
            .await?;
        let owner = self
            .store
            .memberships_of_user(row.grantor_id)
            .await?
            .iter()
            .any(|(_, m)| m.member_type == OrganizationUserType::Owner);
        if !owner {
            return Ok(None);
        }
        Ok(Some(self.store.policies_of_user(row.grantor_id).await?))
    }

    /// `POST /emergency-access/{id}/password`: the grantee sets the grantor's new master
    /// password (hash and the same user key re-wrapped, made by the grantee's client with the
    /// grantor's KDF and salt). In one transaction: new credentials and security stamp (every
    /// session of the grantor ends), two-step login removed, and the grantor removed from every
    /// organization they do not own.
    /// A takeover opens the whole account, and a provider member's account reaches that
    /// provider's clients, which nobody granted the contact: refused, as account recovery is.
    async fn check_not_provider_member(&self, grantor: &UserRow) -> Result<(), DomainError> {
        if self
            .store
            .provider_memberships_of_user(grantor.id)
            .await?
            .is_empty()
        {
            Ok(())
        } else {
            Err(DomainError::bad_request(TAKEOVER_PROVIDER_MEMBER))
        }
    }

    pub async fn emergency_password(
        &self,
        caller: &Caller,
        id: EmergencyAccessId,
        req: &EmergencyAccessPasswordRequest,
    ) -> Result<(), DomainError> {
        let row = self
            .approved_for(caller, id, EmergencyAccessType::Takeover)
            .await?;
        let grantor = self
            .store
            .user_by_id(row.grantor_id)
            .await?
            .ok_or_else(not_valid)?;
        self.check_not_provider_member(&grantor).await?;
        let (hash, key) = new_password(
            &grantor,
            req.new_master_password_hash.as_deref(),
            req.key.as_deref(),
            req.authentication_data.as_ref(),
            req.unlock_data.as_ref(),
        )?;
        let update = CredentialUpdate {
            password_hash: self.hasher.hash(hash.to_string()).await?,
            password_hint: None,
            replace_hint: false,
            key: key.to_string(),
            kdf: grantor.kdf,
            security_stamp: new_security_stamp(),
            force_password_reset: false,
        };
        let now = self.now();
        let mut removed = vec![];
        let mut events = vec![];
        for (_, m) in self.store.memberships_of_user(grantor.id).await? {
            if m.member_type == OrganizationUserType::Owner {
                continue;
            }
            removed.push(m.id);
            events.push(EventRow {
                org_id: Some(m.org_id),
                org_user_id: Some(m.id),
                user_id: Some(grantor.id),
                acting_user_id: Some(caller.user.id),
                device_type: caller.claims.devicetype,
                ..EventRow::new(EventType::OrganizationUserRemoved, now)
            });
        }
        let done = self
            .store
            .emergency_takeover(
                row.id,
                grantor.id,
                caller.user.id,
                &update,
                &removed,
                &events,
                now,
            )
            .await?;
        if !done {
            return Err(not_valid());
        }
        tracing::info!(access = %row.id, grantor = %grantor.id, by = %caller.user.id, "emergency takeover");
        // Every session of the grantor ended with the new stamp: their open apps log out now.
        self.push_logout(grantor.id);
        let who = caller
            .user
            .name
            .clone()
            .unwrap_or_else(|| caller.user.email.clone());
        self.mail_notice(
            &grantor.email,
            "Your account was taken over by your emergency contact",
            &format!(
                "{who}, your trusted emergency contact, set a new master password for your \
                 Keyfleet account. Two-step login was turned off and you left the \
                 organizations you do not own.\n"
            ),
        )
        .await;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row() -> EmergencyAccessRow {
        EmergencyAccessRow {
            id: EmergencyAccessId::new(),
            grantor_id: UserId::new(),
            grantee_id: Some(UserId::new()),
            email: None,
            key_encrypted: Some("4.AAAA".into()),
            access_type: EmergencyAccessType::Takeover,
            status: Status::RecoveryInitiated,
            wait_time_days: 7,
            recovery_initiated_at: Some(Timestamp(1_000)),
            last_notification_at: None,
            invited_at: None,
            creation_date: Timestamp(0),
            revision_date: Timestamp(0),
        }
    }

    #[test]
    fn the_wait_time_ends_after_its_days() {
        let r = row();
        let due = 1_000 + 7 * store::DAY_MS;
        assert!(!r.wait_over_at(Timestamp(due - 1)));
        assert!(r.wait_over_at(Timestamp(due)));
        let confirmed = EmergencyAccessRow {
            status: Status::Confirmed,
            ..r
        };
        assert!(!confirmed.wait_over_at(Timestamp(due)));
    }

    #[test]
    fn wait_times_and_keys_are_checked() {
        assert!(check_wait_time(0).is_err());
        assert!(check_wait_time(1).is_ok());
        assert!(check_wait_time(MAX_WAIT_DAYS).is_ok());
        assert!(check_wait_time(MAX_WAIT_DAYS + 1).is_err());
        assert!(check_wrapped_key("key", "4.AAAA").is_ok());
        assert!(check_wrapped_key("key", "2.AAAA|BBBB|CCCC").is_err());
    }
}
