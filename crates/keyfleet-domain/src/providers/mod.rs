//! Providers (MSPs): staff with roles, custom roles from a permission catalog, client
//! organizations, launching into a client, the provider event log and usage report.
//!
//! A member's effective rights are computed in one place ([`ProviderRights::of`]) and checked by
//! [`ProviderActor::can`] for every provider call and every launch into a client. Everything is
//! read from the database on each request, so suspension, deletion, a role or assignment change
//! or a disabled provider applies to the very next request, tokens already issued included.
//! Anything the caller may not reach answers `NotFound`; a member without two-step login gets a
//! 400 saying so.

mod clients;
mod members;
mod reports;
mod roles;
pub mod store;

pub use clients::{ClientCreated, ClientView};
pub use members::ProviderInvite;
pub use reports::{ProviderEventFilter, ProviderEventPage, ProviderSync};

use crate::error::DomainError;
use crate::identity::accounts::parse_email;
use crate::identity::caller::Caller;
use crate::ids::{ProviderId, ProviderOrgId, ProviderUserId, UserId};
use crate::orgs::OrgActor;
use crate::providers::store::{
    ProviderClient, ProviderMembership, ProviderRoleRow, ProviderRow, ProviderUserRow,
};
use crate::store::{EventRow, OrgRow, UserRow};
use crate::Domain;
use keyfleet_api::provider_requests::{
    AdminProviderCreateRequest, ProviderSetupRequest, ProviderUpdateRequest,
};

pub use keyfleet_api::kinds::{
    EventType, Permission, ProviderRole, ProviderStatus, ProviderUserStatus,
};

/// A short English name of an event type for exports (every type has its own, so a new one
/// cannot go unnamed).
pub fn event_name(t: EventType) -> &'static str {
    use EventType as E;
    match t {
        E::UserClientExportedVault => "Vault exported",
        E::CipherCreated => "Item created",
        E::CipherUpdated => "Item changed",
        E::CipherDeleted => "Item deleted for good",
        E::CipherAttachmentCreated => "Item attachment added",
        E::CipherAttachmentDeleted => "Item attachment deleted",
        E::CipherShared => "Item moved to the organization",
        E::CipherUpdatedCollections => "Item's collections changed",
        E::CipherClientViewed => "Item viewed",
        E::CipherClientToggledPasswordVisible => "Item password revealed",
        E::CipherClientToggledHiddenFieldVisible => "Item hidden field revealed",
        E::CipherClientToggledCardCodeVisible => "Item card code revealed",
        E::CipherClientCopiedPassword => "Item password copied",
        E::CipherClientCopiedHiddenField => "Item hidden field copied",
        E::CipherClientCopiedCardCode => "Item card code copied",
        E::CipherClientAutofilled => "Item autofilled",
        E::CipherSoftDeleted => "Item moved to trash",
        E::CipherRestored => "Item restored",
        E::CipherClientToggledCardNumberVisible => "Item card number revealed",
        E::CipherClientToggledTotpSeedVisible => "Item TOTP seed revealed",
        E::CollectionCreated => "Collection created",
        E::CollectionUpdated => "Collection changed",
        E::CollectionDeleted => "Collection deleted",
        E::GroupCreated => "Group created",
        E::GroupUpdated => "Group changed",
        E::GroupDeleted => "Group deleted",
        E::OrganizationUserInvited => "Client member invited",
        E::OrganizationUserConfirmed => "Client member confirmed",
        E::OrganizationUserUpdated => "Client member changed",
        E::OrganizationUserRemoved => "Client member removed",
        E::OrganizationUserUpdatedGroups => "Client member's groups changed",
        E::OrganizationUserResetPasswordEnroll => "Client member enrolled in account recovery",
        E::OrganizationUserResetPasswordWithdraw => "Client member withdrew from account recovery",
        E::OrganizationUserAdminResetPassword => "Client member's account recovered",
        E::OrganizationUserAdminResetTwoFactor => "Client member's two-step login reset",
        E::OrganizationUserRevoked => "Client member revoked",
        E::OrganizationUserRestored => "Client member restored",
        E::OrganizationUserLeft => "Client member left",
        E::UserUpdatedTempPassword => "Temporary password replaced",
        E::UserRequestedDeviceApproval => "Client member asked for device approval",
        E::OrganizationUserApprovedAuthRequest => "Client member's device login approved",
        E::OrganizationUserRejectedAuthRequest => "Client member's device login denied",
        E::OrganizationUpdated => "Client organization changed",
        E::OrganizationClientExportedVault => "Client vault exported",
        E::OrganizationVaultAccessed => "Client vault accessed",
        E::PolicyUpdated => "Client policy changed",
        E::ProviderUserInvited => "Member invited",
        E::ProviderUserConfirmed => "Member confirmed",
        E::ProviderUserUpdated => "Member role changed",
        E::ProviderUserRemoved => "Member deleted",
        E::ProviderRoleCreated => "Role created",
        E::ProviderRoleUpdated => "Role changed",
        E::ProviderRoleDeleted => "Role deleted",
        E::ProviderUserSuspended => "Member suspended",
        E::ProviderUserRestored => "Member restored",
        E::ProviderOwnershipTransferred => "Ownership transferred",
        E::ProviderClientAssigned => "Member assigned to client",
        E::ProviderClientUnassigned => "Member unassigned from client",
        E::ProviderUpdated => "Provider updated",
        E::ProviderSetUp => "Provider set up",
        E::ProviderOrganizationCreated => "Client created",
        E::ProviderOrganizationAdded => "Client linked",
        E::ProviderOrganizationRemoved => "Client unlinked",
        E::ProviderOrganizationVaultAccessed => "Launched into client",
        E::ProviderOrganizationUpdated => "Client details changed",
    }
}

/// A permission's bit in a [`PermissionSet`]: its place in the catalog.
fn bit(p: Permission) -> u16 {
    1 << (p as u16)
}

// Every catalog entry must have a bit of its own.
const _: () = assert!(Permission::ALL.len() <= u16::BITS as usize);

/// A set of catalog permissions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PermissionSet(u16);

impl PermissionSet {
    /// Every permission.
    pub fn all() -> Self {
        PermissionSet::of(Permission::ALL)
    }

    /// These permissions.
    pub fn of(perms: &[Permission]) -> Self {
        PermissionSet(perms.iter().fold(0, |acc, p| acc | bit(*p)))
    }

    /// Whether `p` is in the set.
    pub fn contains(self, p: Permission) -> bool {
        self.0 & bit(p) != 0
    }

    /// Whether every permission of `other` is in the set.
    pub fn covers(self, other: PermissionSet) -> bool {
        other.0 & !self.0 == 0
    }

    /// The permissions, in catalog order.
    pub fn permissions(self) -> Vec<Permission> {
        Permission::ALL
            .iter()
            .copied()
            .filter(|p| self.contains(*p))
            .collect()
    }

    /// Parses names (each known, duplicates ignored).
    pub fn parse(names: &[String]) -> Result<Self, DomainError> {
        let mut set = PermissionSet::default();
        for n in names {
            let p = Permission::from_name(n.trim()).ok_or_else(|| {
                let catalog: Vec<&str> = Permission::ALL.iter().map(|p| p.name()).collect();
                DomainError::invalid(
                    "permissions",
                    format!(
                        "Unknown permission \"{n}\". Choose from: {}.",
                        catalog.join(", ")
                    ),
                )
            })?;
            set.0 |= bit(p);
        }
        Ok(set)
    }

    /// As stored (a JSON array of names).
    pub fn to_json(self) -> String {
        serde_json::to_string(&self.permissions()).unwrap_or_else(|_| "[]".into())
    }

    /// From storage; anything unreadable means no permissions.
    pub fn from_json(json: &str) -> Self {
        let names: Vec<String> = serde_json::from_str(json).unwrap_or_default();
        PermissionSet::parse(&names).unwrap_or_default()
    }
}

/// Which clients a member's permissions cover (the wire's closed set).
pub use keyfleet_api::kinds::ProviderScope as Scope;

/// Decisions only the owner or admins make. They are not in the permission catalog, so no custom
/// role can hold them; [`ProviderRights::allows_action`] decides them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProviderAction {
    /// Rename the provider, change its billing contact, learn that it is set up.
    EditProvider,
    /// Hand out the admin role, or change, suspend or delete an admin.
    ManageAdmins,
    /// Change the owner's client assignments.
    ManageOwner,
    /// Hand ownership to another member.
    TransferOwnership,
}

/// A member's effective rights.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProviderRights {
    /// Keyfleet role.
    pub role: ProviderRole,
    /// What they may do.
    pub permissions: PermissionSet,
    /// On which clients.
    pub scope: Scope,
}

impl ProviderRights {
    /// The rights a role (and, for custom, its stored role) grants. The one place they are
    /// decided.
    pub fn of(role_kind: ProviderRole, custom: Option<&ProviderRoleRow>) -> ProviderRights {
        let (permissions, scope) = match role_kind {
            ProviderRole::Owner | ProviderRole::Admin => (PermissionSet::all(), Scope::All),
            ProviderRole::Technician => (
                PermissionSet::of(&[Permission::ViewClients, Permission::LaunchIntoClient]),
                Scope::Assigned,
            ),
            _ => match custom {
                Some(r) => (
                    PermissionSet::from_json(&r.permissions),
                    if r.assigned_only {
                        Scope::Assigned
                    } else {
                        Scope::All
                    },
                ),
                None => (PermissionSet::default(), Scope::Assigned),
            },
        };
        ProviderRights {
            role: role_kind,
            permissions,
            scope,
        }
    }

    /// Whether these rights allow `p` on a client the member is (`assigned`) or is not assigned
    /// to — launching into a client included: every launch decision comes through here.
    pub fn allows(&self, p: Permission, assigned: bool) -> bool {
        self.permissions.contains(p) && (self.scope == Scope::All || assigned)
    }

    /// Whether these rights allow an owner/admin-only `action`.
    pub fn allows_action(&self, action: ProviderAction) -> bool {
        match action {
            ProviderAction::EditProvider | ProviderAction::ManageAdmins => {
                matches!(self.role, ProviderRole::Owner | ProviderRole::Admin)
            }
            ProviderAction::ManageOwner | ProviderAction::TransferOwnership => {
                self.role == ProviderRole::Owner
            }
        }
    }

    /// Whether these rights include everything `other` grants (no one hands out more than they
    /// hold). The admin role is granted only with [`ProviderAction::ManageAdmins`].
    pub fn covers(&self, other: &ProviderRights) -> bool {
        let admin_ok = !matches!(other.role, ProviderRole::Owner | ProviderRole::Admin)
            || self.allows_action(ProviderAction::ManageAdmins);
        admin_ok
            && self.permissions.covers(other.permissions)
            && (self.scope == Scope::All || other.scope == Scope::Assigned)
    }

    /// Whom list views are limited to for `member`: `Some(member)` with an assigned scope.
    pub fn assigned_filter(&self, member: ProviderUserId) -> Option<ProviderUserId> {
        (self.scope == Scope::Assigned).then_some(member)
    }
}

/// A confirmed, active provider member acting in their provider. Built only by
/// [`Domain::provider_actor`], which proves it; its fields are not public.
#[derive(Debug, Clone)]
pub struct ProviderActor {
    /// The provider.
    pub(crate) provider: ProviderRow,
    /// Their membership.
    pub(crate) member: ProviderUserRow,
    /// Their effective rights.
    pub(crate) rights: ProviderRights,
    /// The acting account.
    pub(crate) user_id: UserId,
    /// The acting account's address.
    pub(crate) email: String,
    /// The acting client's DeviceType, for the audit log.
    pub(crate) device_type: Option<i32>,
    /// The acting device's identifier (`ContextId` of the pushes it causes).
    pub(crate) device: Option<String>,
}

impl ProviderActor {
    /// Whether the actor may do `p` — on `client` when given (their scope must include it),
    /// else at provider level (lists are filtered by scope separately).
    pub fn can(&self, p: Permission, client: Option<&ProviderClient>) -> bool {
        match client {
            None => self.rights.permissions.contains(p),
            Some(c) => self.rights.allows(p, c.assigned.contains(&self.member.id)),
        }
    }

    /// `NotFound` unless the actor may do `p` (on `client`).
    pub fn require(
        &self,
        p: Permission,
        client: Option<&ProviderClient>,
    ) -> Result<(), DomainError> {
        if self.can(p, client) {
            Ok(())
        } else {
            Err(DomainError::NotFound)
        }
    }

    /// `NotFound` unless the actor may take the owner/admin-only `action`.
    pub fn require_action(&self, action: ProviderAction) -> Result<(), DomainError> {
        if self.rights.allows_action(action) {
            Ok(())
        } else {
            Err(DomainError::NotFound)
        }
    }

    /// Whom list views are limited to: `Some(me)` with an assigned scope.
    pub fn assigned_filter(&self) -> Option<ProviderUserId> {
        self.rights.assigned_filter(self.member.id)
    }

    /// The provider.
    pub fn provider(&self) -> &ProviderRow {
        &self.provider
    }

    /// The actor's membership.
    pub fn member(&self) -> &ProviderUserRow {
        &self.member
    }

    /// The actor's effective rights.
    pub fn rights(&self) -> ProviderRights {
        self.rights
    }
}

const MAX_PROVIDER_NAME_LEN: usize = 50;
const MAX_TEXT_LEN: usize = 1000;

pub(crate) fn check_name(field: &'static str, name: &str) -> Result<String, DomainError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(DomainError::invalid(
            field,
            format!("The {field} field is required."),
        ));
    }
    if name.chars().count() > MAX_PROVIDER_NAME_LEN || name.chars().any(char::is_control) {
        return Err(DomainError::invalid(
            field,
            format!("The {field} field must be at most {MAX_PROVIDER_NAME_LEN} characters."),
        ));
    }
    Ok(name.to_string())
}

/// Optional free text (website, region, notes): trimmed, bounded; empty means none.
pub(crate) fn check_text(
    field: &'static str,
    text: Option<&str>,
    max: usize,
) -> Result<Option<String>, DomainError> {
    match text.map(str::trim) {
        None | Some("") => Ok(None),
        Some(t) if t.chars().count() > max.min(MAX_TEXT_LEN) => Err(DomainError::invalid(
            field,
            format!(
                "The {field} field must be at most {} characters.",
                max.min(MAX_TEXT_LEN)
            ),
        )),
        Some(t) => Ok(Some(t.to_string())),
    }
}

pub(crate) fn check_optional_email(
    field: &'static str,
    email: Option<&str>,
) -> Result<Option<String>, DomainError> {
    match email.map(str::trim) {
        None | Some("") => Ok(None),
        Some(e) => parse_email(e).map(Some).map_err(|_| {
            DomainError::invalid(field, format!("The {field} field is not a valid email."))
        }),
    }
}

impl Domain {
    /// The caller acting in provider `id`: a confirmed, unsuspended member of an enabled, set-up
    /// provider (else `NotFound`) who has two-step login on (else a 400 saying so).
    pub async fn provider_actor(
        &self,
        caller: &Caller,
        id: ProviderId,
    ) -> Result<ProviderActor, DomainError> {
        let m = self
            .store
            .provider_membership(id, caller.user.id)
            .await?
            .ok_or(DomainError::NotFound)?;
        let actor = self.active_provider_actor(caller, m)?;
        self.require_provider_two_step(&caller.user).await?;
        Ok(actor)
    }

    fn active_provider_actor(
        &self,
        caller: &Caller,
        m: ProviderMembership,
    ) -> Result<ProviderActor, DomainError> {
        let active = m.provider.enabled
            && m.provider.status != ProviderStatus::Pending
            && m.member.status == ProviderUserStatus::Confirmed
            && !m.member.suspended;
        if !active {
            return Err(DomainError::NotFound);
        }
        Ok(ProviderActor {
            rights: ProviderRights::of(m.member.role, m.role.as_ref()),
            provider: m.provider,
            member: m.member,
            user_id: caller.user.id,
            email: caller.user.email.clone(),
            device_type: caller.claims.devicetype,
            device: caller.claims.device.clone(),
        })
    }

    pub(crate) async fn require_provider_two_step(
        &self,
        user: &UserRow,
    ) -> Result<(), DomainError> {
        if self.two_factor_enabled(user).await? {
            Ok(())
        } else {
            Err(DomainError::TwoStepLoginRequired)
        }
    }

    /// The caller acting in `org` through the provider that manages it, when they are an active
    /// member allowed to launch into this client. Without two-step login that is a 400 — unless
    /// they also belong to the org themselves (`has_membership`), who then act as that member.
    pub(crate) async fn provider_launch_actor(
        &self,
        caller: &Caller,
        org: &OrgRow,
        has_membership: bool,
    ) -> Result<Option<OrgActor>, DomainError> {
        let Some(reach) = self.store.provider_reach(org.id, caller.user.id).await? else {
            return Ok(None);
        };
        let link = reach.link.clone();
        let assigned = reach.assigned;
        let Ok(actor) = self.active_provider_actor(caller, reach.membership) else {
            return Ok(None);
        };
        if !actor.rights.allows(Permission::LaunchIntoClient, assigned) {
            return Ok(None);
        }
        if !self.two_factor_enabled(&caller.user).await? {
            return if has_membership {
                Ok(None)
            } else {
                Err(DomainError::TwoStepLoginRequired)
            };
        }
        Ok(Some(self.launched_actor(&actor, org, &link)))
    }

    /// A provider event by `actor`, at now.
    pub(crate) fn provider_event(&self, actor: &ProviderActor, event_type: EventType) -> EventRow {
        EventRow {
            provider_id: Some(actor.provider.id.uuid()),
            acting_user_id: Some(actor.user_id),
            device_type: actor.device_type,
            ..EventRow::new(event_type, self.now())
        }
    }

    /// A provider event about a client.
    pub(crate) fn client_event(
        &self,
        actor: &ProviderActor,
        event_type: EventType,
        client: ProviderOrgId,
    ) -> EventRow {
        EventRow {
            provider_org_id: Some(client.uuid()),
            ..self.provider_event(actor, event_type)
        }
    }

    /// A provider event about a member.
    pub(crate) fn member_event_of(
        &self,
        actor: &ProviderActor,
        event_type: EventType,
        member: &ProviderUserRow,
    ) -> EventRow {
        EventRow {
            provider_user_id: Some(member.id.uuid()),
            user_id: member.user_id,
            ..self.provider_event(actor, event_type)
        }
    }

    // ------------------------------------------------------------------ operator

    /// Creates a provider and invites its owner (the operator's call; the server checks the
    /// admin token).
    pub async fn admin_create_provider(
        &self,
        req: &AdminProviderCreateRequest,
    ) -> Result<(ProviderRow, ProviderInvite), DomainError> {
        let name = check_name("name", &req.name)?;
        let owner_email = parse_email(&req.owner_email)
            .map_err(|_| DomainError::invalid("ownerEmail", "The owner email is not valid."))?;
        let business_name = match req.business_name.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(n) => Some(check_name("businessName", n)?),
        };
        let billing_email = check_optional_email("billingEmail", req.billing_email.as_deref())?;
        let now = self.now();
        let provider = ProviderRow {
            id: ProviderId::new(),
            name,
            business_name,
            billing_email,
            status: ProviderStatus::Pending,
            enabled: true,
            creation_date: now,
            revision_date: now,
            launch_requires_password: false,
        };
        let owner = ProviderUserRow {
            id: ProviderUserId::new(),
            provider_id: provider.id,
            user_id: None,
            email: Some(owner_email),
            role: ProviderRole::Owner,
            role_id: None,
            status: ProviderUserStatus::Invited,
            suspended: false,
            key: None,
            invited_at: Some(now),
            creation_date: now,
            revision_date: now,
        };
        let event = EventRow {
            provider_id: Some(provider.id.uuid()),
            provider_user_id: Some(owner.id.uuid()),
            ..EventRow::new(EventType::ProviderUserInvited, now)
        };
        self.store
            .insert_provider(&provider, &owner, &[event])
            .await?;
        tracing::info!(provider = %provider.id, "provider created by the operator");
        let invite = self.issue_provider_invite(&provider, &owner)?;
        let mut invites = self.deliver_provider_invites(&provider, vec![invite]).await;
        Ok((provider, invites.remove(0)))
    }

    /// Every provider with its member and client counts (operator view).
    pub async fn admin_providers(&self) -> Result<Vec<(ProviderRow, i64, i64)>, DomainError> {
        Ok(self.store.providers().await?)
    }

    /// Turns a provider off or on (operator). Off, no member reaches it or any client through it.
    pub async fn admin_set_provider_enabled(
        &self,
        id: ProviderId,
        enabled: bool,
    ) -> Result<ProviderRow, DomainError> {
        let mut p = self
            .store
            .provider(id)
            .await?
            .ok_or(DomainError::NotFound)?;
        if p.enabled != enabled {
            p.enabled = enabled;
            p.revision_date = self.now();
            let event = EventRow {
                provider_id: Some(p.id.uuid()),
                ..EventRow::new(EventType::ProviderUpdated, p.revision_date)
            };
            self.store.update_provider(&p, &[event]).await?;
            tracing::info!(provider = %p.id, enabled, "provider enabled changed by the operator");
        }
        Ok(p)
    }

    // ------------------------------------------------------------------ the provider

    /// The invited owner sets the provider up: names it and stores the provider key wrapped to
    /// their own public key; they become its confirmed owner.
    pub async fn setup_provider(
        &self,
        caller: &Caller,
        id: ProviderId,
        req: &ProviderSetupRequest,
    ) -> Result<ProviderRow, DomainError> {
        let mut provider = self
            .store
            .provider(id)
            .await?
            .ok_or(DomainError::NotFound)?;
        if provider.status != ProviderStatus::Pending {
            // Only the provider's own administrators learn that it is set up; to anyone else it
            // is not there (what a caller may not reach answers 404), and a member without
            // two-step login is told to turn it on, as on every provider call.
            let actor = self.provider_actor(caller, id).await?;
            return Err(
                if actor.rights.allows_action(ProviderAction::EditProvider) {
                    DomainError::bad_request("Provider is already setup.")
                } else {
                    DomainError::NotFound
                },
            );
        }
        let name = check_name("name", &req.name)?;
        let business_name = match req.business_name.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(n) => Some(check_name("businessName", n)?),
        };
        let billing_email = check_optional_email("billingEmail", Some(&req.billing_email))?
            .ok_or_else(|| {
                DomainError::invalid("billingEmail", "The billingEmail field is required.")
            })?;
        let mut owner = self
            .store
            .provider_members(id, None)
            .await?
            .into_iter()
            .map(|d| d.member)
            .find(|m| m.role == ProviderRole::Owner)
            .ok_or_else(|| DomainError::bad_request("Invalid owner."))?;
        if !self.invite_token_valid(&owner, &req.token) {
            return Err(DomainError::bad_request("Invalid token."));
        }
        if owner.email.as_deref() != Some(caller.user.email.as_str()) {
            return Err(DomainError::bad_request("Invalid owner."));
        }
        require_account_keys(&caller.user)?;
        self.require_provider_two_step(&caller.user).await?;
        crate::orgs::check_member_key(&req.key)?;
        let now = self.now();
        owner.user_id = Some(caller.user.id);
        owner.email = None;
        owner.status = ProviderUserStatus::Confirmed;
        owner.key = Some(req.key.clone());
        owner.invited_at = None;
        owner.revision_date = now;
        provider.name = name;
        provider.business_name = business_name;
        provider.billing_email = Some(billing_email);
        provider.status = ProviderStatus::Created;
        provider.revision_date = now;
        let event = EventRow {
            provider_id: Some(provider.id.uuid()),
            provider_user_id: Some(owner.id.uuid()),
            acting_user_id: Some(caller.user.id),
            device_type: caller.claims.devicetype,
            ..EventRow::new(EventType::ProviderSetUp, now)
        };
        self.store
            .complete_provider_setup(&provider, &owner, &[event])
            .await
            .map_err(changed_meanwhile)?;
        Ok(provider)
    }

    /// The provider, for any active member.
    pub async fn get_provider(
        &self,
        caller: &Caller,
        id: ProviderId,
    ) -> Result<ProviderActor, DomainError> {
        self.provider_actor(caller, id).await
    }

    /// Renames the provider and changes its billing contact (owner and admins).
    pub async fn update_provider(
        &self,
        caller: &Caller,
        id: ProviderId,
        req: &ProviderUpdateRequest,
    ) -> Result<ProviderRow, DomainError> {
        let actor = self.provider_actor(caller, id).await?;
        actor.require_action(ProviderAction::EditProvider)?;
        let mut p = actor.provider.clone();
        p.name = check_name("name", &req.name)?;
        p.business_name = match req.business_name.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(n) => Some(check_name("businessName", n)?),
        };
        if let Some(e) = check_optional_email("billingEmail", req.billing_email.as_deref())? {
            p.billing_email = Some(e);
        }
        if let Some(required) = req.launch_requires_password {
            p.launch_requires_password = required;
        }
        p.revision_date = self.now();
        let events = [self.provider_event(&actor, EventType::ProviderUpdated)];
        self.store.update_provider(&p, &events).await?;
        Ok(p)
    }
}

/// A store `Conflict` on a provider write: someone changed (or removed) the row meanwhile, or a
/// unique name/address was taken between the check and the write.
pub(crate) fn changed_meanwhile(e: crate::store::StoreError) -> DomainError {
    match e {
        crate::store::StoreError::Conflict => DomainError::bad_request(
            "This changed in the meantime (or the name or address is taken). Reload and try again.",
        ),
        other => other.into(),
    }
}

/// A member must have a master password (and so account keys) before any access.
pub(crate) fn require_account_keys(user: &UserRow) -> Result<(), DomainError> {
    if user.public_key.is_none() || user.private_key.is_none() || user.key.is_empty() {
        return Err(DomainError::bad_request(
            "This account has no master password and keys yet. Finish setting up the account first.",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn custom(perms: &[Permission], assigned_only: bool) -> ProviderRoleRow {
        ProviderRoleRow {
            id: crate::ids::ProviderRoleId::new(),
            provider_id: ProviderId::new(),
            name: "r".into(),
            permissions: PermissionSet::of(perms).to_json(),
            assigned_only,
            creation_date: crate::clock::Timestamp(0),
            revision_date: crate::clock::Timestamp(0),
        }
    }

    #[test]
    fn built_in_roles_grant_what_the_issue_says() {
        let owner = ProviderRights::of(ProviderRole::Owner, None);
        let admin = ProviderRights::of(ProviderRole::Admin, None);
        let tech = ProviderRights::of(ProviderRole::Technician, None);
        assert_eq!(owner.permissions, PermissionSet::all());
        assert_eq!(admin.permissions, PermissionSet::all());
        assert_eq!(tech.scope, Scope::Assigned);
        assert!(tech.permissions.contains(Permission::LaunchIntoClient));
        assert!(tech.permissions.contains(Permission::ViewClients));
        for p in [
            Permission::ManageMembers,
            Permission::ViewUsageAndBilling,
            Permission::ManageIntegrations,
            Permission::AddOrLinkClient,
        ] {
            assert!(!tech.permissions.contains(p), "{p:?}");
        }
    }

    #[test]
    fn custom_roles_take_their_permissions_and_scope() {
        let r = custom(
            &[Permission::AddOrLinkClient, Permission::UnlinkClient],
            false,
        );
        let rights = ProviderRights::of(ProviderRole::Custom, Some(&r));
        assert!(rights.permissions.contains(Permission::UnlinkClient));
        assert!(!rights.permissions.contains(Permission::LaunchIntoClient));
        assert_eq!(rights.scope, Scope::All);
        // A custom member whose role vanished holds nothing.
        assert_eq!(
            ProviderRights::of(ProviderRole::Custom, None).permissions,
            PermissionSet::default()
        );
    }

    #[test]
    fn nobody_hands_out_more_than_they_hold() {
        let tech = ProviderRights::of(ProviderRole::Technician, None);
        let admin = ProviderRights::of(ProviderRole::Admin, None);
        let wide = ProviderRights::of(
            ProviderRole::Custom,
            Some(&custom(&[Permission::ViewClients], false)),
        );
        assert!(admin.covers(&tech));
        assert!(!tech.covers(&admin));
        // Same permission, wider scope: not covered.
        assert!(!tech.covers(&wide));
    }

    #[test]
    fn permission_names_round_trip_and_unknown_names_are_refused() {
        let set = PermissionSet::of(&[Permission::ViewEvents, Permission::ManageRoles]);
        assert_eq!(PermissionSet::from_json(&set.to_json()), set);
        assert!(PermissionSet::parse(&["fly".to_string()]).is_err());
        assert_eq!(PermissionSet::all().permissions(), Permission::ALL);
        assert_eq!(
            PermissionSet::parse(&[" view_events".to_string(), "view_clients".to_string()]).ok(),
            Some(PermissionSet::of(&[
                Permission::ViewClients,
                Permission::ViewEvents
            ]))
        );
    }
}
