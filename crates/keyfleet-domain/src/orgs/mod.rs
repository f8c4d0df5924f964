//! Organizations: each client company's shared vault. This module owns the access model — who
//! acts in an organization and what their role lets them do — computed in one place
//! ([`OrgActor::can`]) and used by every org use case; the submodules hold the use cases.
//!
//! Anything the caller may not reach answers `NotFound`, whether it exists or not.

mod collections;
mod events;
mod grants;
mod items;
mod members;
mod policies;
mod public_api;
pub(crate) mod recovery;
pub mod store;
mod transfer;

pub(crate) use events::parse_range;
pub use events::{EventPage, EventRange, EventType};
pub use members::{InviteOutcome, MemberChange};
pub use policies::PolicyType;
pub use public_api::OrgApiCaller;
pub use recovery::RecoveryDetails;
pub use transfer::OrgExport;

use crate::clock::Timestamp;
use crate::error::DomainError;
use crate::identity::accounts::{check_enc_string, check_public_key, parse_email};
use crate::identity::caller::Caller;
use crate::identity::tokens::{api_key_digest, new_api_key};
use crate::ids::{CollectionId, OrgId, OrgUserId, ProviderId, ProviderOrgId, ProviderUserId};
use crate::orgs::store::{CollectionRow, EventRow, OrgRow, OrgUserRow};
use crate::store::ApiKeyWrite;
use crate::Domain;
use keyfleet_api::orgs::{
    OrganizationCreateRequest, OrganizationKeysRequest, OrganizationUpdateRequest,
};

pub use keyfleet_api::kinds::{
    OrganizationUserStatus, OrganizationUserType, PlanType, ProductTierType,
};

/// Seats and collections of the Free plan.
const FREE_SEATS: i32 = 2;
const FREE_MAX_COLLECTIONS: i32 = 2;
/// Seats of a paid plan when the request names none.
const DEFAULT_PAID_SEATS: i32 = 10;
/// Most seats one organization may have (a guard against typos, not a licence).
pub const MAX_SEATS: i32 = 100_000;
const MAX_ORG_NAME_LEN: usize = 50;
const MAX_KEY_LEN: usize = 10_000;

/// Custom permissions: the wire type (see `keyfleet_api::orgs::Permissions`).
pub use keyfleet_api::orgs::Permissions;

/// Something an org use case needs the actor to be allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrgCapability {
    /// Change the organization's settings and seats.
    ManageOrganization,
    /// Owner-only: delete the organization, its API key, owners' memberships.
    OwnerOnly,
    /// Invite, confirm, change, revoke and remove members.
    ManageUsers,
    /// Manage groups.
    ManageGroups,
    /// Manage policies.
    ManagePolicies,
    /// Read the event log.
    AccessEventLogs,
    /// Create collections.
    CreateCollections,
    /// Edit any collection (and its access).
    EditAnyCollection,
    /// Delete any collection.
    DeleteAnyCollection,
    /// See and manage every item (the admin vault view).
    ManageAllItems,
    /// Import into and export the whole organization vault (owners, admins, Custom with
    /// `accessImportExport`, launched provider members), as the official server's
    /// `AccessImportExport` and `ExportWholeVault` rules.
    ImportExport,
    /// Recover members' accounts (owners, admins, Custom with `manageResetPassword`, launched
    /// provider members); whom is `orgs::grants`' decision.
    ManageResetPassword,
}

/// Who acts in an organization, with which role: the one place rights are decided — what the
/// actor may call ([`OrgActor::can`]) and what they may hand out (the `grants` module).
///
/// Built only by [`Domain::org_actor`] (or the provider launch), which proves the caller reaches
/// the organization; its fields are not public, so no use case can forge or widen one.
#[derive(Debug, Clone)]
pub struct OrgActor {
    /// The organization.
    pub(crate) org: OrgRow,
    /// The acting user.
    pub(crate) user_id: crate::ids::UserId,
    /// The acting user's address (to recognise invitations to themselves).
    pub(crate) email: String,
    /// The actor's confirmed membership; `None` when they act through the provider managing
    /// the organization.
    pub(crate) member: Option<OrgUserRow>,
    /// The actor's own membership of this organization in any status — also when they act
    /// through the provider, so no write can touch it either way.
    pub(crate) own_member: Option<OrgUserId>,
    /// Set when the actor launched in from the provider that manages the organization.
    pub(crate) via_provider: Option<ProviderSource>,
    /// Effective role (OrganizationUserType).
    pub(crate) role: OrganizationUserType,
    /// Custom permissions (Custom role only).
    pub(crate) permissions: Permissions,
    /// The acting client's DeviceType, for the audit log.
    pub(crate) device_type: Option<i32>,
    /// The acting device's identifier (`ContextId` of the pushes it causes).
    pub(crate) device: Option<String>,
}

/// A provider member acting in a client organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProviderSource {
    /// The managing provider.
    pub provider_id: ProviderId,
    /// The acting provider member.
    pub provider_user_id: ProviderUserId,
    /// The provider's link to this organization.
    pub provider_org_id: ProviderOrgId,
    /// The member may add clients (`add_or_link_client`), and so bring in the first owner of a
    /// client that has none.
    pub onboards_owners: bool,
}

impl OrgActor {
    /// The acting device (`ContextId` of the pushes it causes).
    pub(crate) fn device(&self) -> Option<&str> {
        self.device.as_deref()
    }

    /// Whether the actor's role grants `cap`.
    pub fn can(&self, cap: OrgCapability) -> bool {
        use OrgCapability as C;
        use OrganizationUserType as T;
        let p = self.permissions;
        // A provider member administers the client fully, but the client's own secrets (its API
        // key) and its existence (deletion) stay with the client's owners.
        if self.via_provider.is_some() && cap == C::OwnerOnly {
            return false;
        }
        match self.role {
            T::Owner => true,
            T::Admin => cap != C::OwnerOnly,
            T::Manager => cap == C::CreateCollections,
            T::Custom => match cap {
                C::ManageOrganization | C::OwnerOnly => false,
                C::ManageUsers => p.manage_users,
                C::ManageGroups => p.manage_groups,
                C::ManagePolicies => p.manage_policies,
                C::AccessEventLogs => p.access_event_logs,
                C::CreateCollections => p.create_new_collections,
                C::EditAnyCollection | C::ManageAllItems => p.edit_any_collection,
                C::DeleteAnyCollection => p.delete_any_collection,
                C::ImportExport => p.access_import_export,
                C::ManageResetPassword => p.manage_reset_password,
            },
            T::User => false,
        }
    }

    /// `NotFound` unless the actor's role grants `cap` (permission failures never say 403).
    pub fn require(&self, cap: OrgCapability) -> Result<(), DomainError> {
        if self.can(cap) {
            Ok(())
        } else {
            Err(DomainError::NotFound)
        }
    }

    /// The organization acted in.
    pub fn org(&self) -> &OrgRow {
        &self.org
    }

    /// The actor's confirmed membership (`None` when acting through the provider).
    pub fn member(&self) -> Option<&OrgUserRow> {
        self.member.as_ref()
    }

    /// The provider the actor launched in from, if any.
    pub fn via_provider(&self) -> Option<ProviderSource> {
        self.via_provider
    }

    /// Effective role (OrganizationUserType).
    pub fn role(&self) -> OrganizationUserType {
        self.role
    }
}

/// Parses an id from a request field; an unparsable one names nothing the caller can reach.
pub(crate) fn parse_id<T: std::str::FromStr>(
    field: &'static str,
    raw: &str,
) -> Result<T, DomainError> {
    raw.parse()
        .map_err(|_| DomainError::invalid(field, format!("The field {field} is not a valid id.")))
}

pub(crate) fn check_org_name(name: &str) -> Result<String, DomainError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(DomainError::invalid("name", "The Name field is required."));
    }
    if name.chars().count() > MAX_ORG_NAME_LEN || name.chars().any(char::is_control) {
        return Err(DomainError::invalid(
            "name",
            format!("The Name field must be at most {MAX_ORG_NAME_LEN} characters."),
        ));
    }
    Ok(name.to_string())
}

fn check_business_name(name: Option<&str>) -> Result<Option<String>, DomainError> {
    match name.map(str::trim) {
        None | Some("") => Ok(None),
        Some(n) => check_org_name(n).map(Some),
    }
}

/// Seats of a new organization: fixed on Free, chosen (or a default) on paid plans.
pub(crate) fn initial_seats(
    plan_type: PlanType,
    requested: Option<i32>,
) -> Result<i32, DomainError> {
    if plan_type.product_tier() == ProductTierType::Free {
        return Ok(FREE_SEATS);
    }
    match requested {
        None | Some(0) => Ok(DEFAULT_PAID_SEATS),
        Some(n) if (1..=MAX_SEATS).contains(&n) => Ok(n),
        Some(_) => Err(DomainError::invalid(
            "additionalSeats",
            format!("Seats must be between 1 and {MAX_SEATS}."),
        )),
    }
}

/// The plan a request names (Keyfleet offers Free, Teams and Enterprise).
pub(crate) fn check_plan(plan_type: i32) -> Result<PlanType, DomainError> {
    PlanType::try_from(plan_type)
        .map_err(|_| DomainError::invalid("planType", "Choose the Free, Teams or Enterprise plan."))
}

/// Checks a wrapped org key for a member (type 4, RSA-OAEP to their public key).
pub(crate) fn check_member_key(key: &str) -> Result<(), DomainError> {
    check_enc_string("key", key, MAX_KEY_LEN)?;
    if key.starts_with("4.") || key.starts_with("3.") || key.starts_with("6.") {
        Ok(())
    } else {
        Err(DomainError::invalid(
            "key",
            "The key must be encrypted to the member's public key.",
        ))
    }
}

impl Domain {
    /// The organization `org_id` if it exists and is enabled, else `NotFound`.
    pub(crate) async fn enabled_org(&self, org_id: OrgId) -> Result<OrgRow, DomainError> {
        self.store
            .org(org_id)
            .await?
            .filter(|o| o.enabled)
            .ok_or(DomainError::NotFound)
    }

    /// The caller acting in `org_id`: a confirmed member of an enabled organization, or a
    /// member of the provider managing it who may launch into it (see
    /// `Domain::provider_launch_actor`), else `NotFound`. Owners and admins act as members;
    /// anyone else with both routes acts through the provider, whose rights are wider.
    pub async fn org_actor(&self, caller: &Caller, org_id: OrgId) -> Result<OrgActor, DomainError> {
        let org = self.enabled_org(org_id).await?;
        let own = self.store.membership(org_id, caller.user.id).await?;
        let own_member = own.as_ref().map(|m| m.id);
        let member = own.filter(|m| m.status == OrganizationUserStatus::Confirmed);
        if let Some(m) = member.as_ref().filter(|m| {
            matches!(
                m.member_type,
                OrganizationUserType::Owner | OrganizationUserType::Admin
            )
        }) {
            return Ok(self.member_actor(caller, org, m.clone()));
        }
        if let Some(mut actor) = self
            .provider_launch_actor(caller, &org, member.is_some())
            .await?
        {
            actor.own_member = own_member;
            return Ok(actor);
        }
        let member = member.ok_or(DomainError::NotFound)?;
        Ok(self.member_actor(caller, org, member))
    }

    fn member_actor(&self, caller: &Caller, org: OrgRow, member: OrgUserRow) -> OrgActor {
        OrgActor {
            permissions: Permissions::parse(&member.permissions),
            role: member.member_type,
            user_id: caller.user.id,
            email: caller.user.email.clone(),
            device_type: caller.claims.devicetype,
            device: caller.claims.device.clone(),
            org,
            own_member: Some(member.id),
            member: Some(member),
            via_provider: None,
        }
    }

    /// A new event by `actor`, at now (naming the provider when they launched in from one).
    pub(crate) fn org_event(&self, actor: &OrgActor, event_type: EventType) -> EventRow {
        EventRow {
            org_id: Some(actor.org.id),
            acting_user_id: Some(actor.user_id),
            device_type: actor.device_type,
            provider_id: actor.via_provider.map(|p| p.provider_id.uuid()),
            provider_user_id: actor.via_provider.map(|p| p.provider_user_id.uuid()),
            provider_org_id: actor.via_provider.map(|p| p.provider_org_id.uuid()),
            ..EventRow::new(event_type, self.now())
        }
    }

    /// Creates an organization: the caller becomes its confirmed owner (the org key wrapped to
    /// their public key), with a first collection they manage.
    pub async fn create_org(
        &self,
        caller: &Caller,
        req: &OrganizationCreateRequest,
    ) -> Result<(OrgRow, OrgUserRow), DomainError> {
        let name = check_org_name(&req.name)?;
        let business_name = check_business_name(req.business_name.as_deref())?;
        let billing_email = parse_email(&req.billing_email)
            .map_err(|_| DomainError::invalid("billingEmail", "The billing email is not valid."))?;
        let plan_type = check_plan(req.plan_type)?;
        let seats = initial_seats(plan_type, req.additional_seats)?;
        check_member_key(&req.key)?;
        let (public_key, private_key) = match &req.keys {
            Some(k) => {
                check_public_key(&k.public_key)?;
                check_enc_string("encryptedPrivateKey", &k.encrypted_private_key, MAX_KEY_LEN)?;
                (
                    Some(k.public_key.clone()),
                    Some(k.encrypted_private_key.clone()),
                )
            }
            None => (None, None),
        };
        let now = self.now();
        let org = OrgRow {
            id: OrgId::new(),
            name,
            business_name,
            billing_email,
            plan_type,
            seats,
            max_collections: (plan_type.product_tier() == ProductTierType::Free)
                .then_some(FREE_MAX_COLLECTIONS),
            public_key,
            private_key,
            api_key_digest: String::new(),
            enabled: true,
            creation_date: now,
            revision_date: now,
        };
        let owner = OrgUserRow {
            id: OrgUserId::new(),
            org_id: org.id,
            user_id: Some(caller.user.id),
            email: None,
            member_type: OrganizationUserType::Owner,
            status: OrganizationUserStatus::Confirmed,
            key: Some(req.key.clone()),
            permissions: Permissions::default().to_json(),
            external_id: None,
            invited_at: None,
            revocation_reason: None,
            reset_password_key: None,
            creation_date: now,
            revision_date: now,
        };
        let collection = match req.collection_name.as_deref() {
            Some(n) if !n.is_empty() => {
                check_enc_string("collectionName", n, collections::MAX_COLLECTION_NAME_LEN)?;
                Some(CollectionRow {
                    id: CollectionId::new(),
                    org_id: org.id,
                    name: n.to_string(),
                    external_id: None,
                    creation_date: now,
                    revision_date: now,
                })
            }
            _ => None,
        };
        let actor = OrgActor {
            org: org.clone(),
            user_id: caller.user.id,
            email: caller.user.email.clone(),
            member: Some(owner.clone()),
            own_member: Some(owner.id),
            via_provider: None,
            role: OrganizationUserType::Owner,
            permissions: Permissions::default(),
            device_type: caller.claims.devicetype,
            device: caller.claims.device.clone(),
        };
        let mut events = vec![self.org_event(&actor, EventType::OrganizationUpdated)];
        if let Some(c) = &collection {
            events.push(EventRow {
                collection_id: Some(c.id),
                ..self.org_event(&actor, EventType::CollectionCreated)
            });
        }
        self.store
            .insert_org(&org, &owner, collection.as_ref(), &events)
            .await?;
        Ok((org, owner))
    }

    /// The organization, for any confirmed member.
    pub async fn get_org(&self, caller: &Caller, org_id: OrgId) -> Result<OrgActor, DomainError> {
        self.org_actor(caller, org_id).await
    }

    /// Every confirmed membership of the caller with its organization (enabled ones only).
    pub async fn my_orgs(&self, caller: &Caller) -> Result<Vec<(OrgRow, OrgUserRow)>, DomainError> {
        Ok(self
            .store
            .memberships_of_user(caller.user.id)
            .await?
            .into_iter()
            .filter(|(o, m)| o.enabled && m.status == OrganizationUserStatus::Confirmed)
            .collect())
    }

    /// Renames the organization and changes its billing contact (owners and admins).
    pub async fn update_org(
        &self,
        caller: &Caller,
        org_id: OrgId,
        req: &OrganizationUpdateRequest,
    ) -> Result<OrgRow, DomainError> {
        let actor = self.org_actor(caller, org_id).await?;
        actor.require(OrgCapability::ManageOrganization)?;
        let mut org = actor.org.clone();
        org.name = check_org_name(&req.name)?;
        org.business_name = check_business_name(req.business_name.as_deref())?;
        if let Some(email) = req.billing_email.as_deref().filter(|e| !e.is_empty()) {
            org.billing_email = parse_email(email).map_err(|_| {
                DomainError::invalid("billingEmail", "The billing email is not valid.")
            })?;
        }
        if let (Some(k), None) = (&req.keys, &org.public_key) {
            check_public_key(&k.public_key)?;
            check_enc_string("encryptedPrivateKey", &k.encrypted_private_key, MAX_KEY_LEN)?;
            org.public_key = Some(k.public_key.clone());
            org.private_key = Some(k.encrypted_private_key.clone());
        }
        org.revision_date = self.now();
        let events = [self.org_event(&actor, EventType::OrganizationUpdated)];
        self.store.update_org(&org, &events).await?;
        Ok(org)
    }

    /// Gives an organization made without a key pair its pair (owners and admins); one it
    /// already has stays (answered as it is).
    pub async fn set_org_keys(
        &self,
        caller: &Caller,
        org_id: OrgId,
        req: &OrganizationKeysRequest,
    ) -> Result<OrgRow, DomainError> {
        let actor = self.org_actor(caller, org_id).await?;
        actor.require(OrgCapability::ManageOrganization)?;
        let mut org = actor.org.clone();
        if org.public_key.is_some() {
            return Ok(org);
        }
        check_public_key(&req.public_key)?;
        check_enc_string(
            "encryptedPrivateKey",
            &req.encrypted_private_key,
            MAX_KEY_LEN,
        )?;
        org.public_key = Some(req.public_key.clone());
        org.private_key = Some(req.encrypted_private_key.clone());
        org.revision_date = self.now();
        let events = [self.org_event(&actor, EventType::OrganizationUpdated)];
        self.store.update_org(&org, &events).await?;
        Ok(org)
    }

    /// Changes the seat count by `delta` (owners and admins); never below the seats in use.
    pub async fn adjust_seats(
        &self,
        caller: &Caller,
        org_id: OrgId,
        delta: i32,
    ) -> Result<OrgRow, DomainError> {
        let actor = self.org_actor(caller, org_id).await?;
        actor.require(OrgCapability::ManageOrganization)?;
        let mut org = actor.org.clone();
        if org.plan_type.product_tier() == ProductTierType::Free {
            return Err(DomainError::bad_request(
                "The Free plan has a fixed number of seats. Upgrade to Teams or Enterprise.",
            ));
        }
        let seats = i64::from(org.seats) + i64::from(delta);
        let used = self.store.seats_used(org_id).await?;
        if seats < used.max(1) {
            return Err(DomainError::bad_request(format!(
                "Seats cannot go below the {used} seat(s) in use. Remove or revoke members first."
            )));
        }
        org.seats = i32::try_from(seats)
            .ok()
            .filter(|s| *s <= MAX_SEATS)
            .ok_or_else(|| {
                DomainError::bad_request(format!("An organization has at most {MAX_SEATS} seats."))
            })?;
        org.revision_date = self.now();
        let events = [self.org_event(&actor, EventType::OrganizationUpdated)];
        self.store.update_org(&org, &events).await?;
        Ok(org)
    }

    /// Deletes the organization and everything in it (owners, after a master password re-check).
    pub async fn delete_org(
        &self,
        caller: &Caller,
        org_id: OrgId,
        master_password_hash: Option<&str>,
    ) -> Result<(), DomainError> {
        let actor = self.org_actor(caller, org_id).await?;
        actor.require(OrgCapability::OwnerOnly)?;
        self.verify_master_password(&caller.user, master_password_hash)
            .await?;
        tracing::info!(org = %org_id, user = %caller.user.id, "organization deleted by an owner");
        self.store.delete_org(org_id, self.now()).await?;
        self.delete_queued_files().await;
        Ok(())
    }

    /// The organization API key (owners only, after a master password re-check). Only its
    /// digest is stored: without `rotate`, the first call issues the key and later ones are
    /// refused ([`crate::identity::accounts::API_KEY_SHOWN`]); `rotate` replaces it and shows the new one.
    pub async fn org_api_key(
        &self,
        caller: &Caller,
        org_id: OrgId,
        master_password_hash: Option<&str>,
        rotate: bool,
    ) -> Result<(String, Timestamp), DomainError> {
        let actor = self.org_actor(caller, org_id).await?;
        actor.require(OrgCapability::OwnerOnly)?;
        self.verify_master_password(&caller.user, master_password_hash)
            .await?;
        let write = if rotate {
            ApiKeyWrite::Rotate
        } else {
            ApiKeyWrite::Issue
        };
        // The store's conditional write is the one check that a key was issued already.
        let key = new_api_key();
        let now = self.now();
        let events = [self.org_event(&actor, EventType::OrganizationUpdated)];
        let digest = api_key_digest(&key);
        if !self
            .store
            .set_org_api_key(actor.org.id, &digest, write, &events, now)
            .await?
        {
            return Err(DomainError::bad_request(
                crate::identity::accounts::API_KEY_SHOWN,
            ));
        }
        Ok((key, now))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::ids::UserId;

    /// A confirmed member of a fresh Teams organization acting with `role`.
    pub(crate) fn actor(role: OrganizationUserType, permissions: Permissions) -> OrgActor {
        let now = Timestamp(0);
        let org = OrgRow {
            id: OrgId::new(),
            name: "Acme".into(),
            business_name: None,
            billing_email: "b@example.com".into(),
            plan_type: PlanType::TeamsMonthly,
            seats: 10,
            max_collections: None,
            public_key: None,
            private_key: None,
            api_key_digest: "k".into(),
            enabled: true,
            creation_date: now,
            revision_date: now,
        };
        let member_id = OrgUserId::new();
        OrgActor {
            via_provider: None,
            email: "actor@example.com".into(),
            own_member: Some(member_id),
            member: Some(OrgUserRow {
                id: member_id,
                org_id: org.id,
                user_id: Some(UserId::new()),
                email: None,
                member_type: role,
                status: OrganizationUserStatus::Confirmed,
                key: None,
                permissions: permissions.to_json(),
                external_id: None,
                invited_at: None,
                revocation_reason: None,
                reset_password_key: None,
                creation_date: now,
                revision_date: now,
            }),
            user_id: UserId::new(),
            org,
            role,
            permissions,
            device_type: None,
            device: None,
        }
    }

    #[test]
    fn roles_grant_what_the_protocol_says() {
        use OrgCapability as C;
        let owner = actor(OrganizationUserType::Owner, Permissions::default());
        let admin = actor(OrganizationUserType::Admin, Permissions::default());
        let user = actor(OrganizationUserType::User, Permissions::default());
        let manager = actor(OrganizationUserType::Manager, Permissions::default());
        assert!(owner.can(C::OwnerOnly));
        assert!(!admin.can(C::OwnerOnly));
        assert!(admin.can(C::ManageUsers) && admin.can(C::ManageAllItems));
        assert!(!user.can(C::ManageUsers) && !user.can(C::CreateCollections));
        assert!(manager.can(C::CreateCollections) && !manager.can(C::ManageUsers));
    }

    #[test]
    fn a_custom_member_gets_exactly_the_permissions_granted() {
        use OrgCapability as C;
        let none = actor(OrganizationUserType::Custom, Permissions::default());
        assert!(!none.can(C::ManageUsers) && !none.can(C::AccessEventLogs));
        let users = actor(
            OrganizationUserType::Custom,
            Permissions {
                manage_users: true,
                ..Permissions::default()
            },
        );
        assert!(users.can(C::ManageUsers));
        assert!(!users.can(C::ManageGroups) && !users.can(C::OwnerOnly));
        assert!(!users.can(C::ManageOrganization));
    }

    #[test]
    fn permissions_parse_leniently_and_round_trip() {
        let p = Permissions::parse(r#"{"manageUsers":true,"unknownFlag":true}"#);
        assert!(p.manage_users && !p.manage_groups);
        assert_eq!(Permissions::parse(&p.to_json()), p);
        assert_eq!(Permissions::parse("not json"), Permissions::default());
    }

    #[test]
    fn free_orgs_get_two_seats_and_paid_ones_what_they_ask() {
        assert_eq!(initial_seats(PlanType::Free, Some(50)).unwrap(), FREE_SEATS);
        assert_eq!(initial_seats(PlanType::TeamsMonthly, Some(25)).unwrap(), 25);
        assert_eq!(
            initial_seats(PlanType::EnterpriseAnnually, None).unwrap(),
            DEFAULT_PAID_SEATS
        );
        assert!(initial_seats(PlanType::TeamsMonthly, Some(-1)).is_err());
        assert!(check_plan(1).is_err());
    }
}
