//! Members: invite (signed, single-use, 5-day links), accept, confirm (the org key wrapped to the
//! member's public key), change role and access, revoke/restore, remove, leave.

use super::grants::{refusal, Manageable, MemberSubject};
use super::{parse_id, OrgActor, OrgCapability, Permissions};
use crate::error::DomainError;
use crate::identity::caller::Caller;
use crate::ids::{GroupId, OrgId, OrgUserId, UserId};
use crate::membership::{
    check_confirmable, invite_addresses, refusal as lifecycle, run_bulk, BulkMemberAction,
    BulkOutcome, Invite, Letter, Membership, MAX_PER_CALL,
};
use crate::orgs::store::{AccessSelection, EventRow, OrgMemberDetails, OrgRow, OrgUserRow};
use crate::Domain;
use keyfleet_api::kinds::{EventType, OrganizationUserStatus, OrganizationUserType, PushType};
use keyfleet_api::orgs::{
    OrganizationUserInviteRequest, OrganizationUserUpdateRequest, SelectionReadOnly,
};
use std::collections::HashSet;

/// A change of a member's standing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberChange {
    /// Suspend every access, keeping the membership.
    Revoke,
    /// Undo a revocation.
    Restore,
    /// End the membership.
    Remove,
}

/// One invitation to an organization as the inviting admin gets it back (the link is theirs to
/// pass on when no mail went out; a mailed link is shown to nobody but its recipient).
pub type InviteOutcome = Invite<OrgUserRow>;

/// Status a restored member returns to: what their row shows they had reached.
pub(crate) fn restored_status(member: &OrgUserRow) -> OrganizationUserStatus {
    if member.key.is_some() {
        OrganizationUserStatus::Confirmed
    } else if member.user_id.is_some() {
        OrganizationUserStatus::Accepted
    } else {
        OrganizationUserStatus::Invited
    }
}

/// Parses access selections whose ids must be among `known` (each at most once).
pub(crate) fn selections(
    field: &'static str,
    raw: &[SelectionReadOnly],
    known: &HashSet<uuid::Uuid>,
    unknown_message: &str,
) -> Result<Vec<AccessSelection>, DomainError> {
    let mut seen = HashSet::new();
    raw.iter()
        .map(|s| {
            let id: uuid::Uuid = parse_id(field, &s.id)?;
            if !known.contains(&id) || !seen.insert(id) {
                return Err(DomainError::invalid(field, unknown_message));
            }
            Ok(AccessSelection {
                id,
                read_only: s.read_only,
                hide_passwords: s.hide_passwords,
                manage: s.manage,
            })
        })
        .collect()
}

fn check_member_type(t: i32) -> Result<OrganizationUserType, DomainError> {
    OrganizationUserType::try_from(t)
        .map_err(|_| DomainError::invalid("type", "Invalid member type."))
}

/// The permissions a request asks for: only a Custom member keeps any.
fn requested_permissions(
    member_type_: OrganizationUserType,
    raw: Option<&serde_json::Value>,
) -> Permissions {
    match (member_type_, raw) {
        (OrganizationUserType::Custom, Some(v)) => {
            serde_json::from_value::<Permissions>(v.clone()).unwrap_or_default()
        }
        _ => Permissions::default(),
    }
}

/// The accounts and addresses of a provider's members (invitations included): whose memberships
/// in a client only the client's own owners and admins make.
#[derive(Debug, Default)]
pub(crate) struct ProviderPeople {
    users: HashSet<UserId>,
    emails: HashSet<String>,
}

impl ProviderPeople {
    fn includes(&self, user: Option<UserId>, email: Option<&str>) -> bool {
        user.is_some_and(|u| self.users.contains(&u))
            || email.is_some_and(|e| self.emails.contains(&e.to_lowercase()))
    }
}

impl Domain {
    /// The members of the provider `actor` launched in from (nobody for organization members).
    pub(crate) async fn provider_people(
        &self,
        actor: &OrgActor,
    ) -> Result<ProviderPeople, DomainError> {
        let Some(via) = actor.via_provider else {
            return Ok(ProviderPeople::default());
        };
        let mut people = ProviderPeople::default();
        for d in self.store.provider_members(via.provider_id, None).await? {
            if let Some(u) = d.member.user_id {
                people.users.insert(u);
            }
            people.emails.insert(d.email.to_lowercase());
        }
        Ok(people)
    }

    /// Whether an Owner membership not yet confirmed is the client's first owner: the actor
    /// launched in from the provider and the organization has no confirmed owner.
    async fn is_first_owner(
        &self,
        actor: &OrgActor,
        member_type_: OrganizationUserType,
        confirmed: bool,
    ) -> Result<bool, DomainError> {
        Ok(actor.via_provider.is_some()
            && member_type_ == OrganizationUserType::Owner
            && !confirmed
            && self.store.confirmed_owners(actor.org.id).await? == 0)
    }

    /// The facts the grant rules need about the membership `m` (see `orgs::grants`).
    pub(crate) async fn member_subject(
        &self,
        actor: &OrgActor,
        m: &OrgUserRow,
        people: &ProviderPeople,
    ) -> Result<MemberSubject, DomainError> {
        let own = m.user_id == Some(actor.user_id)
            || m.email
                .as_deref()
                .is_some_and(|e| e.eq_ignore_ascii_case(&actor.email));
        let provider_member = actor.via_provider.is_some() && {
            // An accepted member's address is their account's: an invitation to the provider
            // under that address counts too.
            let email = match (&m.email, m.user_id) {
                (Some(e), _) => Some(e.clone()),
                (None, Some(u)) => self.store.user_by_id(u).await?.map(|u| u.email),
                (None, None) => None,
            };
            people.includes(m.user_id, email.as_deref())
        };
        Ok(MemberSubject {
            member_type: m.member_type,
            permissions: Permissions::parse(&m.permissions),
            own,
            provider_member,
            first_owner: self
                .is_first_owner(actor, m.member_type, m.key.is_some())
                .await?,
        })
    }

    /// `m`, checked as a membership `actor` may confirm, reinvite, revoke, restore or remove.
    async fn check_touch(&self, actor: &OrgActor, m: &OrgUserRow) -> Result<(), DomainError> {
        let people = self.provider_people(actor).await?;
        let subject = self.member_subject(actor, m, &people).await?;
        actor.check_member_write(&subject, None)
    }

    /// Checks that every group in `groups` may take a new member from `actor`: each of its
    /// collections is one the actor may hand out.
    async fn check_group_joins(
        &self,
        actor: &OrgActor,
        manageable: &Manageable,
        groups: &[GroupId],
    ) -> Result<(), DomainError> {
        if *manageable == Manageable::All {
            return Ok(());
        }
        for g in groups {
            let (collections, _) = self.store.group_details(actor.org.id, *g).await?;
            actor.check_group_join(manageable, &collections)?;
        }
        Ok(())
    }

    /// Tells the client's confirmed owners (by mail, when a mail server is configured) that an
    /// owner or admin was added to their organization while a provider manages it — whoever did.
    async fn notify_new_admin(&self, actor: &OrgActor, m: &OrgUserRow) -> Result<(), DomainError> {
        if !matches!(
            m.member_type,
            OrganizationUserType::Owner | OrganizationUserType::Admin
        ) || m.status != OrganizationUserStatus::Confirmed
        {
            return Ok(());
        }
        let Some(mailer) = &self.mailer else {
            return Ok(());
        };
        if self
            .store
            .provider_link_of_org(actor.org.id)
            .await?
            .is_none()
        {
            return Ok(());
        }
        let members = self.store.org_member_details(actor.org.id, None).await?;
        let who = members
            .iter()
            .find(|d| d.member.id == m.id)
            .map_or_else(String::new, |d| d.email.clone());
        let (role, title) = if m.member_type == OrganizationUserType::Owner {
            ("an owner", "owner")
        } else {
            ("an admin", "admin")
        };
        let by = match actor.via_provider {
            Some(_) => format!("{} (through your managed service provider)", actor.email),
            None => actor.email.clone(),
        };
        let subject = format!("New {title} of {}", actor.org.name);
        let body = format!(
            "{who} is now {role} of the organization \"{}\" on Keyfleet, added by {by}.\n\n\
             If you did not expect this, review the organization's members and event log.\n",
            actor.org.name
        );
        for owner in members.iter().filter(|d| {
            d.member.member_type == OrganizationUserType::Owner
                && d.member.status == OrganizationUserStatus::Confirmed
                && d.member.id != m.id
                && d.member.user_id != Some(actor.user_id)
        }) {
            if let Err(e) = mailer.send(&owner.email, &subject, &body).await {
                tracing::warn!(org = %actor.org.id, error = %e, "owner notice not sent");
            }
        }
        Ok(())
    }

    /// Checks collection selections belong to the organization.
    pub(crate) async fn parse_collection_selections(
        &self,
        org_id: OrgId,
        raw: &[SelectionReadOnly],
    ) -> Result<Vec<AccessSelection>, DomainError> {
        if raw.is_empty() {
            return Ok(vec![]);
        }
        let known: HashSet<_> = self
            .store
            .collections(org_id)
            .await?
            .into_iter()
            .map(|c| c.id.uuid())
            .collect();
        selections(
            "collections",
            raw,
            &known,
            "A collection is not part of this organization.",
        )
    }

    /// Checks group ids belong to the organization.
    pub(crate) async fn parse_group_ids(
        &self,
        org_id: OrgId,
        raw: &[String],
    ) -> Result<Vec<GroupId>, DomainError> {
        if raw.is_empty() {
            return Ok(vec![]);
        }
        let known: HashSet<_> = self
            .store
            .groups(org_id)
            .await?
            .into_iter()
            .map(|g| g.id)
            .collect();
        let ids = raw
            .iter()
            .map(|s| parse_id::<GroupId>("groups", s))
            .collect::<Result<HashSet<_>, _>>()?;
        if ids.iter().any(|g| !known.contains(g)) {
            return Err(DomainError::invalid(
                "groups",
                "A group is not part of this organization.",
            ));
        }
        Ok(ids.into_iter().collect())
    }

    async fn check_seats(&self, org: &OrgRow, adding: usize) -> Result<(), DomainError> {
        let used = self.store.seats_used(org.id).await?;
        let wanted = used + i64::try_from(adding).unwrap_or(i64::MAX);
        if wanted > i64::from(org.seats) {
            return Err(DomainError::bad_request(format!(
                "Seat limit reached: this organization's plan has {} seat(s) and {used} are in use. \
                 Add seats or remove members first.",
                org.seats
            )));
        }
        Ok(())
    }

    async fn guard_last_owner(&self, member: &OrgUserRow) -> Result<(), DomainError> {
        if member.member_type == OrganizationUserType::Owner
            && member.status == OrganizationUserStatus::Confirmed
            && self.store.confirmed_owners(member.org_id).await? <= 1
        {
            return Err(DomainError::bad_request(
                "The organization must keep at least one confirmed owner.",
            ));
        }
        Ok(())
    }

    fn invite_link(&self, org: &OrgRow, member: &OrgUserRow, token: &str) -> String {
        let enc = crate::identity::accounts::url_encode;
        format!(
            "{}/#/accept-organization?organizationId={}&organizationUserId={}&email={}&organizationName={}&token={}",
            self.settings.issuer,
            org.id,
            member.id,
            enc(member.email.as_deref().unwrap_or("")),
            enc(&org.name),
            enc(token)
        )
    }

    /// Signs an invitation to `member` with the web vault's accept link.
    pub(crate) fn issue_org_invite(
        &self,
        org: &OrgRow,
        member: &OrgUserRow,
    ) -> Result<InviteOutcome, DomainError> {
        self.issue_invite(member, |token| self.invite_link(org, member, token))
    }

    /// Mails each invitation when a mail server is configured.
    pub(crate) async fn deliver_org_invites(
        &self,
        org: &OrgRow,
        invites: Vec<InviteOutcome>,
    ) -> Vec<InviteOutcome> {
        self.deliver_invites(invites, |invite| Letter {
            subject: format!("Join {} on Keyfleet", org.name),
            body: format!(
                "You have been invited to join the organization \"{}\" on Keyfleet.\n\n\
                 Accept the invitation (the link works once and expires in 5 days):\n{}\n\n\
                 If you did not expect this, ignore this message.\n",
                org.name, invite.link
            ),
        })
        .await
    }

    fn member_event(&self, actor: &OrgActor, t: EventType, member: &OrgUserRow) -> EventRow {
        EventRow {
            org_user_id: Some(member.id),
            user_id: member.user_id,
            ..self.org_event(actor, t)
        }
    }

    /// The member `id` of the organization `actor` manages members of.
    async fn managed_member(
        &self,
        actor: &OrgActor,
        id: OrgUserId,
    ) -> Result<OrgUserRow, DomainError> {
        actor.require(OrgCapability::ManageUsers)?;
        self.store
            .org_user(actor.org.id, id)
            .await?
            .ok_or(DomainError::NotFound)
    }

    // ------------------------------------------------------------------ reading

    /// Every member with details (those who manage members), or one with `only`. Those who may
    /// only recover accounts see the members enrolled in account recovery, as on the official
    /// server (the web vault finds whom to recover in this list).
    pub async fn org_members(
        &self,
        caller: &Caller,
        org_id: OrgId,
        only: Option<OrgUserId>,
    ) -> Result<Vec<OrgMemberDetails>, DomainError> {
        let actor = self.org_actor(caller, org_id).await?;
        let enrolled_only = !actor.can(OrgCapability::ManageUsers);
        if enrolled_only {
            actor.require(OrgCapability::ManageResetPassword)?;
        }
        let mut members = self.store.org_member_details(org_id, only).await?;
        if enrolled_only {
            members.retain(|d| d.member.reset_password_key.is_some());
        }
        if only.is_some() && members.is_empty() {
            return Err(DomainError::NotFound);
        }
        Ok(members)
    }

    /// Public keys of accepted members, to wrap the org key for them.
    pub async fn org_member_public_keys(
        &self,
        caller: &Caller,
        org_id: OrgId,
        ids: &[String],
    ) -> Result<Vec<(OrgUserId, UserId, String)>, DomainError> {
        let actor = self.org_actor(caller, org_id).await?;
        actor.require(OrgCapability::ManageUsers)?;
        if ids.len() > MAX_PER_CALL {
            return Err(DomainError::invalid("ids", lifecycle::TOO_MANY_IDS));
        }
        let ids: Vec<OrgUserId> = ids.iter().filter_map(|s| s.parse().ok()).collect();
        Ok(self
            .store
            .org_member_public_keys(org_id, &ids)
            .await?
            .into_iter()
            .filter_map(|(member, user, key)| Some((member, user, key?)))
            .collect())
    }

    // ------------------------------------------------------------------ inviting

    /// Invites addresses with a role and access; refused beyond the plan's seats.
    pub async fn invite_members(
        &self,
        caller: &Caller,
        org_id: OrgId,
        req: &OrganizationUserInviteRequest,
    ) -> Result<Vec<InviteOutcome>, DomainError> {
        let actor = self.org_actor(caller, org_id).await?;
        actor.require(OrgCapability::ManageUsers)?;
        let member_type = check_member_type(req.member_type)?;
        let permissions = requested_permissions(member_type, req.permissions.as_ref());
        let mut emails = invite_addresses(&req.emails)?;
        let people = self.provider_people(&actor).await?;
        let first_owner = self.is_first_owner(&actor, member_type, false).await?;
        for email in &emails {
            let subject = MemberSubject {
                member_type,
                permissions,
                own: email.eq_ignore_ascii_case(&actor.email),
                provider_member: people.includes(None, Some(email)),
                first_owner,
            };
            if subject.own {
                return Err(DomainError::bad_request(refusal::INVITE_SELF));
            }
            actor.check_member_write(&subject, Some((member_type, permissions)))?;
        }
        let manageable = self.manageable(&actor).await?;
        let collections = self
            .parse_collection_selections(org_id, &req.collections)
            .await?;
        let collections = actor.grant_access(&manageable, &[], &collections)?;
        let groups = self.parse_group_ids(org_id, &req.groups).await?;
        self.check_group_joins(&actor, &manageable, &groups).await?;
        // Addresses already invited or belonging to a member are skipped, as the official server does.
        let existing = self.store.org_member_details(org_id, None).await?;
        emails.retain(|e| !existing.iter().any(|m| &m.email == e));
        if emails.is_empty() {
            return Ok(vec![]);
        }
        self.check_seats(&actor.org, emails.len()).await?;
        let now = self.now();
        let permissions = permissions.to_json();
        let rows: Vec<OrgUserRow> = emails
            .into_iter()
            .map(|email| OrgUserRow {
                id: OrgUserId::new(),
                org_id,
                user_id: None,
                email: Some(email),
                member_type,
                status: OrganizationUserStatus::Invited,
                key: None,
                permissions: permissions.clone(),
                external_id: None,
                invited_at: Some(now),
                revocation_reason: None,
                reset_password_key: None,
                creation_date: now,
                revision_date: now,
            })
            .collect();
        let events: Vec<EventRow> = rows
            .iter()
            .map(|m| self.member_event(&actor, EventType::OrganizationUserInvited, m))
            .collect();
        self.store
            .insert_org_users(&rows, &collections, &groups, &events)
            .await?;
        let invites = rows
            .iter()
            .map(|m| self.issue_org_invite(&actor.org, m))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(self.deliver_org_invites(&actor.org, invites).await)
    }

    /// Issues a fresh link for an invited member; older links stop working.
    pub async fn reinvite_member(
        &self,
        caller: &Caller,
        org_id: OrgId,
        id: OrgUserId,
    ) -> Result<InviteOutcome, DomainError> {
        let actor = self.org_actor(caller, org_id).await?;
        self.org_reinvite(&actor, id).await
    }

    async fn org_reinvite(
        &self,
        actor: &OrgActor,
        id: OrgUserId,
    ) -> Result<InviteOutcome, DomainError> {
        let mut m = self.managed_member(actor, id).await?;
        self.check_touch(actor, &m).await?;
        let invite = self.reinvite(&mut m, |m, token| self.invite_link(&actor.org, m, token))?;
        self.store.update_org_user(&m, None, &[]).await?;
        Ok(self
            .deliver_org_invites(&actor.org, vec![invite])
            .await
            .remove(0))
    }

    /// Accepts an invitation for the signed-in caller (whose email must be the invited one),
    /// when the organization's policies let them join; with the Account recovery policy on, the
    /// `reset_password_key` the client sent enrols them (required when it enrols automatically).
    pub async fn accept_invite(
        &self,
        caller: &Caller,
        org_id: OrgId,
        id: OrgUserId,
        token: &str,
        reset_password_key: Option<&str>,
    ) -> Result<(), DomainError> {
        let row = self
            .store
            .org_user_unscoped_for_accept(id)
            .await?
            .filter(|m| m.org_id == org_id);
        let already = async {
            Ok(self
                .store
                .membership(org_id, caller.user.id)
                .await?
                .is_some())
        };
        let mut m = self.accepted(caller, row, token, already).await?;
        let org = self.store.org(org_id).await?.ok_or(DomainError::NotFound)?;
        self.check_policies_on_join(caller, &org).await?;
        let events: Vec<_> = self
            .enrol_on_accept(caller, &mut m, reset_password_key)
            .await?
            .into_iter()
            .collect();
        self.store.update_org_user(&m, None, &events).await?;
        Ok(())
    }

    // ------------------------------------------------------------------ managing

    /// Confirms an accepted member with the org key wrapped to their public key.
    pub async fn confirm_member(
        &self,
        caller: &Caller,
        org_id: OrgId,
        id: OrgUserId,
        key: &str,
    ) -> Result<(), DomainError> {
        let actor = self.org_actor(caller, org_id).await?;
        self.org_confirm(&actor, id, key).await
    }

    async fn org_confirm(
        &self,
        actor: &OrgActor,
        id: OrgUserId,
        key: &str,
    ) -> Result<(), DomainError> {
        let mut m = self.managed_member(actor, id).await?;
        check_confirmable(&m, key)?;
        self.check_touch(actor, &m).await?;
        let user_id = m.user_id.ok_or(DomainError::NotFound)?;
        self.check_policies_on_confirm(&actor.org, user_id).await?;
        m.mark_confirmed(key, self.now());
        let events = [self.member_event(actor, EventType::OrganizationUserConfirmed, &m)];
        self.store.update_org_user(&m, None, &events).await?;
        self.push_sync(&[user_id], PushType::SyncOrgKeys);
        self.notify_new_admin(actor, &m).await
    }

    /// Changes a member's role, permissions, collection access and groups.
    pub async fn update_member(
        &self,
        caller: &Caller,
        org_id: OrgId,
        id: OrgUserId,
        req: &OrganizationUserUpdateRequest,
    ) -> Result<(), DomainError> {
        let actor = self.org_actor(caller, org_id).await?;
        let mut m = self.managed_member(&actor, id).await?;
        let member_type = check_member_type(req.member_type)?;
        let permissions = requested_permissions(member_type, req.permissions.as_ref());
        let people = self.provider_people(&actor).await?;
        let subject = self.member_subject(&actor, &m, &people).await?;
        actor.check_member_write(&subject, Some((member_type, permissions)))?;
        if m.member_type == OrganizationUserType::Owner
            && member_type != OrganizationUserType::Owner
        {
            self.guard_last_owner(&m).await?;
        }
        let current = self
            .store
            .org_member_details(org_id, Some(id))
            .await?
            .pop()
            .ok_or(DomainError::NotFound)?;
        let manageable = self.manageable(&actor).await?;
        let collections = self
            .parse_collection_selections(org_id, &req.collections)
            .await?;
        let collections = actor.grant_access(&manageable, &current.collections, &collections)?;
        let groups = match &req.groups {
            Some(raw) => self.parse_group_ids(org_id, raw).await?,
            None => current.groups.clone(),
        };
        let joined: Vec<GroupId> = groups
            .iter()
            .copied()
            .filter(|g| !current.groups.contains(g))
            .collect();
        self.check_group_joins(&actor, &manageable, &joined).await?;
        m.member_type = member_type;
        m.permissions = permissions.to_json();
        m.revision_date = self.now();
        let events = [self.member_event(&actor, EventType::OrganizationUserUpdated, &m)];
        self.store
            .update_org_user(&m, Some((&collections, &groups)), &events)
            .await?;
        self.push_sync(m.user_id.as_slice(), PushType::SyncOrgKeys);
        if current.member.member_type != m.member_type {
            self.notify_new_admin(&actor, &m).await?;
        }
        Ok(())
    }

    /// Revokes a member: they keep their row (and key) but lose every access at once.
    async fn org_revoke(&self, actor: &OrgActor, id: OrgUserId) -> Result<(), DomainError> {
        let mut m = self.managed_member(actor, id).await?;
        if m.user_id == Some(actor.user_id) {
            return Err(DomainError::bad_request("You cannot revoke yourself."));
        }
        self.check_touch(actor, &m).await?;
        if m.status == OrganizationUserStatus::Revoked {
            return Err(DomainError::bad_request("Already revoked."));
        }
        self.guard_last_owner(&m).await?;
        m.status = OrganizationUserStatus::Revoked;
        m.revocation_reason = None;
        m.revision_date = self.now();
        let events = [self.member_event(actor, EventType::OrganizationUserRevoked, &m)];
        self.store.update_org_user(&m, None, &events).await?;
        self.push_sync(m.user_id.as_slice(), PushType::SyncOrgKeys);
        Ok(())
    }

    /// Restores a revoked member to the status they had reached (seats permitting).
    async fn org_restore(&self, actor: &OrgActor, id: OrgUserId) -> Result<(), DomainError> {
        let mut m = self.managed_member(actor, id).await?;
        self.check_touch(actor, &m).await?;
        if m.status != OrganizationUserStatus::Revoked {
            return Err(DomainError::bad_request("Already active."));
        }
        self.check_seats(&actor.org, 1).await?;
        if let Some(user_id) = m.user_id {
            self.check_policies_on_confirm(&actor.org, user_id).await?;
        }
        m.status = restored_status(&m);
        m.revocation_reason = None;
        m.revision_date = self.now();
        let events = [self.member_event(actor, EventType::OrganizationUserRestored, &m)];
        self.store.update_org_user(&m, None, &events).await?;
        self.push_sync(m.user_id.as_slice(), PushType::SyncOrgKeys);
        Ok(())
    }

    /// Removes a member (their items stay with the organization).
    async fn org_remove(&self, actor: &OrgActor, id: OrgUserId) -> Result<(), DomainError> {
        let m = self.managed_member(actor, id).await?;
        if m.user_id == Some(actor.user_id) {
            return Err(DomainError::bad_request(
                "You cannot remove yourself. Leave the organization instead.",
            ));
        }
        self.check_touch(actor, &m).await?;
        self.guard_last_owner(&m).await?;
        let events = [self.member_event(actor, EventType::OrganizationUserRemoved, &m)];
        self.store
            .delete_org_user(actor.org.id, id, &events, self.now())
            .await?;
        self.push_sync(m.user_id.as_slice(), PushType::SyncOrgKeys);
        Ok(())
    }

    /// The caller leaves the organization (not its last owner).
    pub async fn leave_org(&self, caller: &Caller, org_id: OrgId) -> Result<(), DomainError> {
        let actor = self.org_actor(caller, org_id).await?;
        // A provider member is not a member: there is nothing to leave.
        let member = actor.member.clone().ok_or(DomainError::NotFound)?;
        self.guard_last_owner(&member).await?;
        let events = [self.member_event(&actor, EventType::OrganizationUserLeft, &member)];
        self.store
            .delete_org_user(org_id, member.id, &events, self.now())
            .await?;
        self.push_sync(member.user_id.as_slice(), PushType::SyncOrgKeys);
        Ok(())
    }

    /// Revokes, restores or removes one member.
    pub async fn change_member(
        &self,
        caller: &Caller,
        org_id: OrgId,
        id: OrgUserId,
        change: MemberChange,
    ) -> Result<(), DomainError> {
        let actor = self.org_actor(caller, org_id).await?;
        match change {
            MemberChange::Revoke => self.org_revoke(&actor, id).await,
            MemberChange::Restore => self.org_restore(&actor, id).await,
            MemberChange::Remove => self.org_remove(&actor, id).await,
        }
    }

    /// A bulk member call: the caller is resolved once and must manage members (else the whole
    /// call is `NotFound`); each id then gets its own outcome (the new invitation for
    /// reinvites), as `membership::run_bulk` describes.
    pub async fn bulk_org_members(
        &self,
        caller: &Caller,
        org_id: OrgId,
        action: BulkMemberAction<'_>,
    ) -> Result<Vec<BulkOutcome<Option<InviteOutcome>>>, DomainError> {
        let actor = self.org_actor(caller, org_id).await?;
        actor.require(OrgCapability::ManageUsers)?;
        let actor = &actor;
        run_bulk(action.items(), |id: OrgUserId, key| async move {
            match action {
                BulkMemberAction::Reinvite(_) => self.org_reinvite(actor, id).await.map(Some),
                BulkMemberAction::Confirm(_) => {
                    let key = key.unwrap_or_default();
                    self.org_confirm(actor, id, key).await.map(|()| None)
                }
                BulkMemberAction::Revoke(_) => self.org_revoke(actor, id).await.map(|()| None),
                BulkMemberAction::Restore(_) => self.org_restore(actor, id).await.map(|()| None),
                BulkMemberAction::Remove(_) => self.org_remove(actor, id).await.map(|()| None),
            }
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::Timestamp;

    fn member(key: Option<&str>, user: bool) -> OrgUserRow {
        OrgUserRow {
            id: OrgUserId::new(),
            org_id: OrgId::new(),
            user_id: user.then(UserId::new),
            email: None,
            member_type: OrganizationUserType::User,
            status: OrganizationUserStatus::Revoked,
            key: key.map(str::to_string),
            permissions: "{}".into(),
            external_id: None,
            invited_at: None,
            revocation_reason: None,
            reset_password_key: None,
            creation_date: Timestamp(0),
            revision_date: Timestamp(0),
        }
    }

    #[test]
    fn a_restored_member_returns_to_the_status_they_had_reached() {
        assert_eq!(
            restored_status(&member(Some("4.x"), true)),
            OrganizationUserStatus::Confirmed
        );
        assert_eq!(
            restored_status(&member(None, true)),
            OrganizationUserStatus::Accepted
        );
        assert_eq!(
            restored_status(&member(None, false)),
            OrganizationUserStatus::Invited
        );
    }

    #[test]
    fn only_custom_members_keep_permissions() {
        let v = serde_json::json!({"manageUsers": true});
        assert!(requested_permissions(OrganizationUserType::Custom, Some(&v)).manage_users);
        assert!(!requested_permissions(OrganizationUserType::User, Some(&v)).manage_users);
    }
}
