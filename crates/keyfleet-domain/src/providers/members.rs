//! Provider members: invite (signed, single-use, 5-day links) → accept → confirm (the provider
//! key wrapped to the member's public key), role changes, client assignments, suspend/restore
//! (reversible), delete (permanent: the wrapped key goes with the row) and ownership transfer.

use super::{
    changed_meanwhile, require_account_keys, Permission, ProviderAction, ProviderActor,
    ProviderRights,
};
use crate::error::DomainError;
use crate::identity::accounts::url_encode;
use crate::identity::caller::Caller;
use crate::ids::{ProviderId, ProviderOrgId, ProviderRoleId, ProviderUserId, UserId};
use crate::membership::{
    check_confirmable, invite_addresses, refusal as lifecycle, run_bulk, BulkMemberAction,
    BulkOutcome, Invite, Letter, Membership, MAX_PER_CALL,
};
use crate::providers::store::{ProviderMemberDetails, ProviderRow, ProviderUserRow};
use crate::store::{EventRow, Resync};
use crate::Domain;
use keyfleet_api::kinds::{
    EventType, ProviderRole, ProviderUserStatus, ProviderUserType, PushType,
};
use keyfleet_api::provider_requests::{ProviderRoleChoice, ProviderUserInviteRequest};
use std::collections::HashSet;

/// One invitation to a provider as the inviting member (or the operator) gets it back, link
/// included (scripts onboarding a member need it even when a mail went out).
pub type ProviderInvite = Invite<ProviderUserRow>;

/// The role a request names: `role` ("admin", "technician", "custom") or else Bitwarden's `type`.
pub(crate) fn parse_role(
    role_name: Option<&str>,
    wire_type: Option<i32>,
    role_id: Option<&str>,
) -> Result<(ProviderRole, Option<ProviderRoleId>), DomainError> {
    let kind = match (
        role_name.map(str::trim),
        wire_type.map(ProviderUserType::try_from),
    ) {
        (Some(name), _) => match ProviderRole::from_name(name) {
            Some(ProviderRole::Owner) => {
                return Err(DomainError::invalid(
                    "role",
                    "There is exactly one owner: transfer ownership instead.",
                ))
            }
            Some(role) => role,
            None => {
                return Err(DomainError::invalid(
                    "role",
                    format!("Unknown role \"{name}\". Choose admin, technician or custom."),
                ))
            }
        },
        (None, Some(Ok(ProviderUserType::ProviderAdmin))) => ProviderRole::Admin,
        (None, Some(Ok(ProviderUserType::ServiceUser))) | (None, None) if role_id.is_some() => {
            ProviderRole::Custom
        }
        (None, Some(Ok(ProviderUserType::ServiceUser))) => ProviderRole::Technician,
        (None, _) => return Err(DomainError::invalid("type", "Choose a role.")),
    };
    let role_id = match (kind, role_id) {
        (ProviderRole::Custom, Some(id)) => Some(
            id.parse()
                .map_err(|_| DomainError::invalid("roleId", "The roleId is not a valid id."))?,
        ),
        (ProviderRole::Custom, None) => {
            return Err(DomainError::invalid(
                "roleId",
                "A custom role needs a roleId.",
            ))
        }
        _ => None,
    };
    Ok((kind, role_id))
}

/// The role an invitation or a role change names.
pub(crate) fn parse_role_choice(
    c: &ProviderRoleChoice,
) -> Result<(ProviderRole, Option<ProviderRoleId>), DomainError> {
    parse_role(c.role.as_deref(), c.member_type, c.role_id.as_deref())
}

/// The assignments a change from `before` to `after` adds and ends, each with its event type.
pub(crate) fn assignment_changes<'a, T: PartialEq + Copy + 'a>(
    before: &'a [T],
    after: &'a [T],
) -> impl Iterator<Item = (T, EventType)> + 'a {
    let added = after
        .iter()
        .filter(|x| !before.contains(x))
        .map(|x| (*x, EventType::ProviderClientAssigned));
    let ended = before
        .iter()
        .filter(|x| !after.contains(x))
        .map(|x| (*x, EventType::ProviderClientUnassigned));
    added.chain(ended)
}

impl Domain {
    /// The event of one (member, client) assignment added or ended, naming both, so the log
    /// filtered by either finds it.
    pub(crate) fn assignment_event(
        &self,
        actor: &ProviderActor,
        event_type: EventType,
        member: ProviderUserId,
        user: Option<UserId>,
        client: ProviderOrgId,
    ) -> EventRow {
        EventRow {
            provider_user_id: Some(member.uuid()),
            user_id: user,
            provider_org_id: Some(client.uuid()),
            ..self.provider_event(actor, event_type)
        }
    }

    /// The console page an invitation opens (under `/console/`, so it works also when a web vault
    /// is served at `/`): setup for the provider's owner, accept for the others.
    fn provider_invite_link(
        &self,
        provider: &ProviderRow,
        member: &ProviderUserRow,
        token: &str,
    ) -> String {
        let email = url_encode(member.email.as_deref().unwrap_or(""));
        if member.role == ProviderRole::Owner {
            format!(
                "{}/console/#/providers/setup-provider?providerId={}&providerUserId={}&email={email}&token={}",
                self.settings.issuer,
                provider.id,
                member.id,
                url_encode(token)
            )
        } else {
            format!(
                "{}/console/#/providers/accept-provider?providerId={}&providerUserId={}&email={email}&providerName={}&token={}",
                self.settings.issuer,
                provider.id,
                member.id,
                url_encode(&provider.name),
                url_encode(token)
            )
        }
    }

    pub(crate) fn issue_provider_invite(
        &self,
        provider: &ProviderRow,
        member: &ProviderUserRow,
    ) -> Result<ProviderInvite, DomainError> {
        self.issue_invite(member, |token| {
            self.provider_invite_link(provider, member, token)
        })
    }

    /// Mails each invitation when a mail server is configured.
    pub(crate) async fn deliver_provider_invites(
        &self,
        provider: &ProviderRow,
        invites: Vec<ProviderInvite>,
    ) -> Vec<ProviderInvite> {
        self.deliver_invites(invites, |invite| {
            let (subject, what) = if invite.member.role == ProviderRole::Owner {
                (
                    format!("Set up {} on Keyfleet", provider.name),
                    "You have been made the owner of the provider",
                )
            } else {
                (
                    format!("Join {} on Keyfleet", provider.name),
                    "You have been invited to join the provider",
                )
            };
            Letter {
                subject,
                body: format!(
                    "{what} \"{}\" on Keyfleet.\n\nOpen this link (it works once and expires in 5 days):\n{}\n\n\
                     Provider members must turn on two-step login before they can use it.\n\
                     If you did not expect this, ignore this message.\n",
                    provider.name, invite.link
                ),
            }
        })
        .await
    }

    /// Resolves a role request against the provider's custom roles and checks the actor may
    /// hand it out: admins only by the owner or admins, and nobody grants more than they hold.
    async fn grantable_role(
        &self,
        actor: &ProviderActor,
        kind: ProviderRole,
        role_id: Option<ProviderRoleId>,
    ) -> Result<(), DomainError> {
        let custom = match role_id {
            Some(id) => Some(
                self.store
                    .provider_role(actor.provider.id, id)
                    .await?
                    .ok_or_else(|| {
                        DomainError::invalid("roleId", "No such role in this provider.")
                    })?,
            ),
            None => None,
        };
        let wanted = ProviderRights::of(kind, custom.as_ref());
        if !actor.rights.covers(&wanted) {
            return Err(DomainError::bad_request(
                "You cannot give a role with more rights than your own.",
            ));
        }
        Ok(())
    }

    /// The clients named in a request, each a client of this provider within the actor's scope.
    async fn grantable_clients(
        &self,
        actor: &ProviderActor,
        raw: &[String],
    ) -> Result<Vec<ProviderOrgId>, DomainError> {
        if raw.len() > 10_000 {
            return Err(DomainError::invalid("clientIds", "Too many clients."));
        }
        if raw.is_empty() {
            return Ok(vec![]);
        }
        let reachable: HashSet<ProviderOrgId> = self
            .store
            .provider_clients(actor.provider.id, actor.assigned_filter())
            .await?
            .into_iter()
            .map(|c| c.link.id)
            .collect();
        let mut out = Vec::with_capacity(raw.len());
        for r in raw {
            let id: ProviderOrgId = r
                .parse()
                .map_err(|_| DomainError::invalid("clientIds", "A client id is not valid."))?;
            if !reachable.contains(&id) {
                return Err(DomainError::invalid(
                    "clientIds",
                    "A client is not one of this provider's clients you manage.",
                ));
            }
            if !out.contains(&id) {
                out.push(id);
            }
        }
        Ok(out)
    }

    /// A member the actor may manage: `manage_members`, never the owner, never themselves, and
    /// admins only by the owner or an admin.
    async fn managed_provider_member(
        &self,
        actor: &ProviderActor,
        id: ProviderUserId,
    ) -> Result<ProviderUserRow, DomainError> {
        actor.require(Permission::ManageMembers, None)?;
        let m = self
            .store
            .provider_user(actor.provider.id, id)
            .await?
            .ok_or(DomainError::NotFound)?;
        if m.role == ProviderRole::Owner {
            return Err(DomainError::bad_request(
                "The owner cannot be changed, suspended or removed. The owner can transfer ownership.",
            ));
        }
        if m.id == actor.member.id {
            return Err(DomainError::bad_request(
                "You cannot change your own membership.",
            ));
        }
        if m.role == ProviderRole::Admin
            && !actor.rights.allows_action(ProviderAction::ManageAdmins)
        {
            return Err(DomainError::bad_request(
                "Only the owner and admins manage admins.",
            ));
        }
        Ok(m)
    }

    // ------------------------------------------------------------------ reading

    /// Every member (or one), for members with `manage_members`.
    pub async fn provider_members(
        &self,
        caller: &Caller,
        provider_id: ProviderId,
        only: Option<ProviderUserId>,
    ) -> Result<Vec<ProviderMemberDetails>, DomainError> {
        let actor = self.provider_actor(caller, provider_id).await?;
        actor.require(Permission::ManageMembers, None)?;
        let mut members = self.store.provider_members(provider_id, only).await?;
        if only.is_some() && members.is_empty() {
            return Err(DomainError::NotFound);
        }
        // An assigned-scope manager learns nothing about clients outside their scope.
        if let Some(me) = actor.assigned_filter() {
            let mine: HashSet<ProviderOrgId> = self
                .store
                .provider_clients(provider_id, Some(me))
                .await?
                .into_iter()
                .map(|c| c.link.id)
                .collect();
            for m in &mut members {
                m.assigned.retain(|c| mine.contains(c));
            }
        }
        Ok(members)
    }

    /// Who the provider's members are (id, name, address), for anyone who sees clients or the
    /// event log: the "Managed by" column and the event member filter. Nothing else about them
    /// (role, status, two-step login, assignments stay with `manage_members`).
    pub async fn provider_member_names(
        &self,
        caller: &Caller,
        provider_id: ProviderId,
    ) -> Result<Vec<ProviderMemberDetails>, DomainError> {
        let actor = self.provider_actor(caller, provider_id).await?;
        if !(actor.can(Permission::ViewClients, None)
            || actor.can(Permission::ViewEvents, None)
            || actor.can(Permission::ManageMembers, None))
        {
            return Err(DomainError::NotFound);
        }
        Ok(self.store.provider_members(provider_id, None).await?)
    }

    /// Public keys of members to confirm.
    pub async fn provider_member_public_keys(
        &self,
        caller: &Caller,
        provider_id: ProviderId,
        ids: &[String],
    ) -> Result<Vec<(ProviderUserId, UserId, Option<String>)>, DomainError> {
        let actor = self.provider_actor(caller, provider_id).await?;
        actor.require(Permission::ManageMembers, None)?;
        if ids.len() > MAX_PER_CALL {
            return Err(DomainError::invalid("ids", lifecycle::TOO_MANY_IDS));
        }
        let ids: Vec<ProviderUserId> = ids.iter().filter_map(|i| i.parse().ok()).collect();
        Ok(self
            .store
            .provider_member_public_keys(provider_id, &ids)
            .await?)
    }

    // ------------------------------------------------------------------ invitations

    /// Invites addresses with a role and (optionally) assigned clients.
    pub async fn invite_provider_members(
        &self,
        caller: &Caller,
        provider_id: ProviderId,
        req: &ProviderUserInviteRequest,
    ) -> Result<Vec<ProviderInvite>, DomainError> {
        let actor = self.provider_actor(caller, provider_id).await?;
        actor.require(Permission::ManageMembers, None)?;
        let emails = invite_addresses(&req.emails)?;
        let (kind, role_id) = parse_role_choice(&req.role)?;
        self.grantable_role(&actor, kind, role_id).await?;
        let clients = self.grantable_clients(&actor, &req.client_ids).await?;
        let existing: HashSet<String> = self
            .store
            .provider_members(provider_id, None)
            .await?
            .into_iter()
            .map(|d| d.email.to_lowercase())
            .collect();
        let now = self.now();
        let mut rows = Vec::new();
        for email in emails {
            if existing.contains(&email) {
                return Err(DomainError::bad_request(format!(
                    "{email} is already a member of this provider."
                )));
            }
            rows.push(ProviderUserRow {
                id: ProviderUserId::new(),
                provider_id,
                user_id: None,
                email: Some(email),
                role: kind,
                role_id,
                status: ProviderUserStatus::Invited,
                suspended: false,
                key: None,
                invited_at: Some(now),
                creation_date: now,
                revision_date: now,
            });
        }
        let assignments: Vec<_> = rows
            .iter()
            .flat_map(|r| clients.iter().map(move |c| (r.id, *c)))
            .collect();
        let mut events: Vec<EventRow> = rows
            .iter()
            .map(|r| self.member_event_of(&actor, EventType::ProviderUserInvited, r))
            .collect();
        events.extend(assignments.iter().map(|(member, client)| {
            self.assignment_event(
                &actor,
                EventType::ProviderClientAssigned,
                *member,
                None,
                *client,
            )
        }));
        self.store
            .insert_provider_users(&rows, &assignments, &events)
            .await
            .map_err(changed_meanwhile)?;
        let invites = rows
            .iter()
            .map(|r| self.issue_provider_invite(&actor.provider, r))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(self
            .deliver_provider_invites(&actor.provider, invites)
            .await)
    }

    /// Sends a fresh invitation (older links stop working).
    pub async fn reinvite_provider_member(
        &self,
        caller: &Caller,
        provider_id: ProviderId,
        id: ProviderUserId,
    ) -> Result<ProviderInvite, DomainError> {
        let actor = self.provider_actor(caller, provider_id).await?;
        self.provider_reinvite(&actor, id).await
    }

    async fn provider_reinvite(
        &self,
        actor: &ProviderActor,
        id: ProviderUserId,
    ) -> Result<ProviderInvite, DomainError> {
        actor.require(Permission::ManageMembers, None)?;
        let mut m = self
            .store
            .provider_user(actor.provider.id, id)
            .await?
            .filter(|m| m.role != ProviderRole::Owner)
            .ok_or(DomainError::NotFound)?;
        let invite = self.reinvite(&mut m, |m, token| {
            self.provider_invite_link(&actor.provider, m, token)
        })?;
        self.store
            .update_provider_users(&[m.clone()], &[])
            .await
            .map_err(changed_meanwhile)?;
        let mut out = self
            .deliver_provider_invites(&actor.provider, vec![invite])
            .await;
        Ok(out.remove(0))
    }

    /// A bulk member call: the caller is resolved once and must manage members (else the whole
    /// call is `NotFound`); each id then gets its own outcome (the new invitation for
    /// reinvites), as `membership::run_bulk` describes. A revoke suspends, a restore lifts the suspension,
    /// a remove deletes for good.
    pub async fn bulk_provider_members(
        &self,
        caller: &Caller,
        provider_id: ProviderId,
        action: BulkMemberAction<'_>,
    ) -> Result<Vec<BulkOutcome<Option<ProviderInvite>>>, DomainError> {
        let actor = self.provider_actor(caller, provider_id).await?;
        actor.require(Permission::ManageMembers, None)?;
        let actor = &actor;
        run_bulk(action.items(), |id: ProviderUserId, key| async move {
            match action {
                BulkMemberAction::Reinvite(_) => self.provider_reinvite(actor, id).await.map(Some),
                BulkMemberAction::Confirm(_) => {
                    let key = key.unwrap_or_default();
                    self.provider_confirm(actor, id, key).await.map(|()| None)
                }
                BulkMemberAction::Revoke(_) => {
                    self.provider_suspend(actor, id, true).await.map(|()| None)
                }
                BulkMemberAction::Restore(_) => {
                    self.provider_suspend(actor, id, false).await.map(|()| None)
                }
                BulkMemberAction::Remove(_) => self.provider_delete(actor, id).await.map(|()| None),
            }
        })
        .await
    }

    /// Accepts an invitation for the signed-in caller (whose email must be the invited one).
    pub async fn accept_provider_invite(
        &self,
        caller: &Caller,
        provider_id: ProviderId,
        id: ProviderUserId,
        token: &str,
    ) -> Result<(), DomainError> {
        let row = self
            .store
            .provider_user(provider_id, id)
            .await?
            .filter(|m| m.role != ProviderRole::Owner);
        let already = async {
            Ok(self
                .store
                .provider_membership(provider_id, caller.user.id)
                .await?
                .is_some())
        };
        let m = self.accepted(caller, row, token, already).await?;
        self.store
            .update_provider_users(&[m], &[])
            .await
            .map_err(changed_meanwhile)?;
        Ok(())
    }

    /// Confirms an accepted member with the provider key wrapped to their public key.
    pub async fn confirm_provider_member(
        &self,
        caller: &Caller,
        provider_id: ProviderId,
        id: ProviderUserId,
        key: &str,
    ) -> Result<(), DomainError> {
        let actor = self.provider_actor(caller, provider_id).await?;
        self.provider_confirm(&actor, id, key).await
    }

    async fn provider_confirm(
        &self,
        actor: &ProviderActor,
        id: ProviderUserId,
        key: &str,
    ) -> Result<(), DomainError> {
        let mut m = self.managed_provider_member(actor, id).await?;
        check_confirmable(&m, key)?;
        let user_id = m.user_id.ok_or(DomainError::NotFound)?;
        let user = self
            .store
            .user_by_id(user_id)
            .await?
            .ok_or(DomainError::NotFound)?;
        require_account_keys(&user).map_err(|_| {
            DomainError::bad_request(
                "This member has no master password yet and cannot be confirmed.",
            )
        })?;
        m.mark_confirmed(key, self.now());
        let events = [self.member_event_of(actor, EventType::ProviderUserConfirmed, &m)];
        self.store
            .update_provider_users(&[m], &events)
            .await
            .map_err(changed_meanwhile)?;
        self.push_sync(&[user_id], PushType::SyncOrgKeys);
        Ok(())
    }

    // ------------------------------------------------------------------ managing

    /// Changes a member's role.
    pub async fn update_provider_member_role(
        &self,
        caller: &Caller,
        provider_id: ProviderId,
        id: ProviderUserId,
        role: &ProviderRoleChoice,
    ) -> Result<(), DomainError> {
        let actor = self.provider_actor(caller, provider_id).await?;
        let mut m = self.managed_provider_member(&actor, id).await?;
        let (kind, role_id) = parse_role_choice(role)?;
        self.grantable_role(&actor, kind, role_id).await?;
        m.role = kind;
        m.role_id = role_id;
        m.revision_date = self.now();
        let events = [self.member_event_of(&actor, EventType::ProviderUserUpdated, &m)];
        let user = m.user_id;
        self.store
            .update_provider_users(&[m], &events)
            .await
            .map_err(changed_meanwhile)?;
        self.push_sync(user.as_slice(), PushType::SyncOrgKeys);
        Ok(())
    }

    /// Replaces the clients a member is assigned to. An actor whose own scope is "assigned"
    /// changes only assignments among their own clients; others stay.
    pub async fn assign_member_clients(
        &self,
        caller: &Caller,
        provider_id: ProviderId,
        id: ProviderUserId,
        client_ids: &[String],
    ) -> Result<(), DomainError> {
        let actor = self.provider_actor(caller, provider_id).await?;
        actor.require(Permission::ManageMembers, None)?;
        let target = self
            .store
            .provider_members(provider_id, Some(id))
            .await?
            .pop()
            .ok_or(DomainError::NotFound)?;
        if target.member.id == actor.member.id {
            return Err(DomainError::bad_request(
                "You cannot change your own membership.",
            ));
        }
        if target.member.role == ProviderRole::Owner
            && !actor.rights.allows_action(ProviderAction::ManageOwner)
        {
            return Err(DomainError::bad_request(
                "Only the owner changes the owner's assignments.",
            ));
        }
        if target.member.role == ProviderRole::Admin
            && !actor.rights.allows_action(ProviderAction::ManageAdmins)
        {
            return Err(DomainError::bad_request(
                "Only the owner and admins manage admins.",
            ));
        }
        let mut wanted = self.grantable_clients(&actor, client_ids).await?;
        if actor.assigned_filter().is_some() {
            let mine: HashSet<ProviderOrgId> = self
                .store
                .provider_clients(provider_id, Some(actor.member.id))
                .await?
                .into_iter()
                .map(|c| c.link.id)
                .collect();
            wanted.extend(target.assigned.iter().filter(|c| !mine.contains(c)));
        }
        let events: Vec<EventRow> = assignment_changes(&target.assigned, &wanted)
            .map(|(client, t)| {
                self.assignment_event(&actor, t, target.member.id, target.member.user_id, client)
            })
            .collect();
        let resync = Resync::when(!events.is_empty(), self.now());
        self.store
            .set_member_assignments(provider_id, id, &wanted, resync, &events)
            .await?;
        if !events.is_empty() {
            self.push_sync(target.member.user_id.as_slice(), PushType::SyncOrgKeys);
        }
        Ok(())
    }

    /// Suspends (every access stops at once, tokens included) or restores a member.
    pub async fn set_provider_member_suspended(
        &self,
        caller: &Caller,
        provider_id: ProviderId,
        id: ProviderUserId,
        suspended: bool,
    ) -> Result<(), DomainError> {
        let actor = self.provider_actor(caller, provider_id).await?;
        self.provider_suspend(&actor, id, suspended).await
    }

    async fn provider_suspend(
        &self,
        actor: &ProviderActor,
        id: ProviderUserId,
        suspended: bool,
    ) -> Result<(), DomainError> {
        let mut m = self.managed_provider_member(actor, id).await?;
        if m.suspended == suspended {
            return Ok(());
        }
        m.suspended = suspended;
        m.revision_date = self.now();
        let t = if suspended {
            EventType::ProviderUserSuspended
        } else {
            EventType::ProviderUserRestored
        };
        let events = [self.member_event_of(actor, t, &m)];
        let user = m.user_id;
        self.store
            .update_provider_users(&[m], &events)
            .await
            .map_err(changed_meanwhile)?;
        self.push_sync(user.as_slice(), PushType::SyncOrgKeys);
        Ok(())
    }

    /// Deletes a member for good: the row, its assignments and its wrapped provider key.
    pub async fn delete_provider_member(
        &self,
        caller: &Caller,
        provider_id: ProviderId,
        id: ProviderUserId,
    ) -> Result<(), DomainError> {
        let actor = self.provider_actor(caller, provider_id).await?;
        self.provider_delete(&actor, id).await
    }

    async fn provider_delete(
        &self,
        actor: &ProviderActor,
        id: ProviderUserId,
    ) -> Result<(), DomainError> {
        let m = self.managed_provider_member(actor, id).await?;
        let events = [self.member_event_of(actor, EventType::ProviderUserRemoved, &m)];
        if !self
            .store
            .delete_provider_user(actor.provider.id, id, Resync::At(self.now()), &events)
            .await?
        {
            return Err(DomainError::NotFound);
        }
        self.push_sync(m.user_id.as_slice(), PushType::SyncOrgKeys);
        Ok(())
    }

    /// The owner hands ownership to a confirmed, active member (after a master password
    /// re-check) and becomes an admin.
    pub async fn transfer_provider_ownership(
        &self,
        caller: &Caller,
        provider_id: ProviderId,
        to: ProviderUserId,
        master_password_hash: Option<&str>,
    ) -> Result<(), DomainError> {
        let actor = self.provider_actor(caller, provider_id).await?;
        actor.require_action(ProviderAction::TransferOwnership)?;
        self.verify_master_password(&caller.user, master_password_hash)
            .await?;
        let mut target = self
            .store
            .provider_user(provider_id, to)
            .await?
            .ok_or(DomainError::NotFound)?;
        if target.id == actor.member.id {
            return Err(DomainError::bad_request("You already own this provider."));
        }
        if target.status != ProviderUserStatus::Confirmed || target.suspended {
            return Err(DomainError::bad_request(
                "Ownership can only go to a confirmed, active member.",
            ));
        }
        let target_user = self
            .store
            .user_by_id(target.user_id.ok_or(DomainError::NotFound)?)
            .await?
            .ok_or(DomainError::NotFound)?;
        if !self.two_factor_enabled(&target_user).await? {
            return Err(DomainError::bad_request(
                "The new owner must have two-step login turned on.",
            ));
        }
        let now = self.now();
        let mut me = actor.member.clone();
        me.role = ProviderRole::Admin;
        me.role_id = None;
        me.revision_date = now;
        target.role = ProviderRole::Owner;
        target.role_id = None;
        target.revision_date = now;
        let events =
            [self.member_event_of(&actor, EventType::ProviderOwnershipTransferred, &target)];
        self.store
            .update_provider_users(&[me, target], &events)
            .await
            .map_err(changed_meanwhile)?;
        tracing::info!(provider = %provider_id, "provider ownership transferred");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_read_from_the_name_or_the_protocol_type() {
        assert_eq!(
            parse_role(Some("admin"), None, None).unwrap().0,
            ProviderRole::Admin
        );
        assert_eq!(
            parse_role(None, Some(1), None).unwrap().0,
            ProviderRole::Technician
        );
        assert_eq!(
            parse_role(None, Some(0), None).unwrap().0,
            ProviderRole::Admin
        );
        let id = ProviderRoleId::new().to_string();
        assert_eq!(
            parse_role(None, None, Some(&id)).unwrap().0,
            ProviderRole::Custom
        );
        assert!(parse_role(Some("owner"), None, None).is_err());
        assert!(parse_role(Some("custom"), None, None).is_err());
        assert!(parse_role(Some("root"), None, None).is_err());
        assert_eq!(
            parse_role(None, Some(1), Some(&id)).unwrap().0,
            ProviderRole::Custom
        );
        assert!(parse_role(None, Some(7), None).is_err());
        assert!(parse_role(None, None, None).is_err());
    }
}
