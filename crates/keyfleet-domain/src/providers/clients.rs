//! Client companies: organizations created under the provider or linked from an existing one,
//! their details, technician assignments, unlinking, and launching into one.

use super::members::assignment_changes;
use super::{changed_meanwhile, check_optional_email, check_text, Permission, ProviderActor};
use crate::error::DomainError;
use crate::identity::accounts::{check_enc_string, check_public_key, parse_email};
use crate::identity::caller::Caller;
use crate::ids::{
    CollectionId, OrgId, OrgUserId, ProviderId, ProviderOrgId, ProviderUserId, UserId,
};
use crate::orgs::{
    check_org_name, initial_seats, InviteOutcome, OrgActor, Permissions, ProviderSource, MAX_SEATS,
};
use crate::providers::store::{ProviderClient, ProviderOrgRow};
use crate::store::{
    AccessSelection, CollectionRow, EventRow, OrgRow, OrgUserRow, Resync, StoreError,
};
use crate::Domain;
use keyfleet_api::kinds::{
    EventType, OrganizationUserStatus, OrganizationUserType, PlanType, ProductTierType, PushType,
};
use keyfleet_api::provider_requests::{ProviderClientCreateRequest, ProviderClientUpdateRequest};
use std::collections::HashMap;

const MAX_KEY_LEN: usize = 10_000;
const MAX_WEBSITE_LEN: usize = 200;
const MAX_REGION_LEN: usize = 50;
const MAX_NOTES_LEN: usize = 1000;
const MAX_COLLECTION_NAME_LEN: usize = 1000;

/// A client as one member sees it.
#[derive(Debug, Clone)]
pub struct ClientView {
    /// The client.
    pub client: ProviderClient,
    /// Whether the member may launch into it (and so receives its wrapped key).
    pub launchable: bool,
}

/// A client organization just created.
#[derive(Debug, Clone)]
pub struct ClientCreated {
    /// The client.
    pub client: ClientView,
    /// The client's own owner's invitation, when one was asked for.
    pub owner_invite: Option<InviteOutcome>,
}

fn check_provider_wrapped_key(key: &str) -> Result<(), DomainError> {
    check_enc_string("key", key, MAX_KEY_LEN)?;
    if key.starts_with("2.") {
        Ok(())
    } else {
        Err(DomainError::invalid(
            "key",
            "The key must be the organization key encrypted with the provider key.",
        ))
    }
}

fn check_seats(seats: i32) -> Result<i32, DomainError> {
    if (1..=MAX_SEATS).contains(&seats) {
        Ok(seats)
    } else {
        Err(DomainError::invalid(
            "seats",
            format!("Seats must be between 1 and {MAX_SEATS}."),
        ))
    }
}

impl Domain {
    /// One client of the provider within the actor's reach for `p`, else `NotFound`.
    async fn client_for(
        &self,
        actor: &ProviderActor,
        id: ProviderOrgId,
        p: Permission,
    ) -> Result<ProviderClient, DomainError> {
        let c = self
            .store
            .provider_client(actor.provider.id, id)
            .await?
            .ok_or(DomainError::NotFound)?;
        actor.require(p, Some(&c))?;
        Ok(c)
    }

    fn view(&self, actor: &ProviderActor, client: ProviderClient) -> ClientView {
        ClientView {
            launchable: actor.can(Permission::LaunchIntoClient, Some(&client)),
            client,
        }
    }

    /// The clients the caller may view (or launch into), within their scope.
    pub async fn provider_clients(
        &self,
        caller: &Caller,
        provider_id: ProviderId,
    ) -> Result<Vec<ClientView>, DomainError> {
        let actor = self.provider_actor(caller, provider_id).await?;
        if !actor.can(Permission::ViewClients, None)
            && !actor.can(Permission::LaunchIntoClient, None)
        {
            return Err(DomainError::NotFound);
        }
        Ok(self
            .store
            .provider_clients(provider_id, actor.assigned_filter())
            .await?
            .into_iter()
            .map(|c| self.view(&actor, c))
            .collect())
    }

    /// One client, for a member who may view it.
    pub async fn provider_client(
        &self,
        caller: &Caller,
        provider_id: ProviderId,
        id: ProviderOrgId,
    ) -> Result<ClientView, DomainError> {
        let actor = self.provider_actor(caller, provider_id).await?;
        let c = self
            .store
            .provider_client(provider_id, id)
            .await?
            .ok_or(DomainError::NotFound)?;
        if !actor.can(Permission::ViewClients, Some(&c))
            && !actor.can(Permission::LaunchIntoClient, Some(&c))
        {
            return Err(DomainError::NotFound);
        }
        Ok(self.view(&actor, c))
    }

    /// Creates a client organization under the provider: the org key arrives wrapped with the
    /// provider key; no provider member becomes an org member; the client's own owner (when
    /// named) is invited as its owner with access to the first collection.
    pub async fn create_provider_client(
        &self,
        caller: &Caller,
        provider_id: ProviderId,
        req: &ProviderClientCreateRequest,
    ) -> Result<ClientCreated, DomainError> {
        let actor = self.provider_actor(caller, provider_id).await?;
        actor.require(Permission::AddOrLinkClient, None)?;
        let name = check_org_name(&req.name)?;
        let plan_type = PlanType::try_from(req.plan_type)
            .ok()
            .filter(|p| p.product_tier() != ProductTierType::Free)
            .ok_or_else(|| {
                DomainError::invalid(
                    "planType",
                    "A client organization is on the Teams or Enterprise plan.",
                )
            })?;
        let seats = initial_seats(plan_type, req.seats)?;
        check_provider_wrapped_key(&req.key)?;
        check_public_key(&req.key_pair.public_key)?;
        check_enc_string(
            "encryptedPrivateKey",
            &req.key_pair.encrypted_private_key,
            MAX_KEY_LEN,
        )?;
        let owner_email = match req.owner_email.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(e) => Some(parse_email(e).map_err(|_| {
                DomainError::invalid("ownerEmail", "The owner email is not valid.")
            })?),
        };
        let billing_email = check_optional_email("billingEmail", req.billing_email.as_deref())?
            .or_else(|| actor.provider.billing_email.clone())
            .or_else(|| owner_email.clone())
            .unwrap_or_else(|| caller.user.email.clone());
        let website = check_text("website", req.website.as_deref(), MAX_WEBSITE_LEN)?;
        let region = check_text("region", req.region.as_deref(), MAX_REGION_LEN)?;
        let notes = check_text("notes", req.notes.as_deref(), MAX_NOTES_LEN)?;
        let now = self.now();
        let org = OrgRow {
            id: OrgId::new(),
            name,
            business_name: None,
            billing_email,
            plan_type,
            seats,
            max_collections: None,
            public_key: Some(req.key_pair.public_key.clone()),
            private_key: Some(req.key_pair.encrypted_private_key.clone()),
            api_key_digest: String::new(),
            enabled: true,
            creation_date: now,
            revision_date: now,
        };
        let link = ProviderOrgRow {
            id: ProviderOrgId::new(),
            provider_id,
            org_id: org.id,
            key: req.key.clone(),
            website,
            region,
            notes,
            creation_date: now,
            revision_date: now,
        };
        let collection = match req.collection_name.as_deref() {
            Some(n) if !n.is_empty() => {
                check_enc_string("collectionName", n, MAX_COLLECTION_NAME_LEN)?;
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
        let owner = owner_email.map(|email| OrgUserRow {
            id: OrgUserId::new(),
            org_id: org.id,
            user_id: None,
            email: Some(email),
            member_type: OrganizationUserType::Owner,
            status: OrganizationUserStatus::Invited,
            key: None,
            permissions: Permissions::default().to_json(),
            external_id: None,
            invited_at: Some(now),
            revocation_reason: None,
            reset_password_key: None,
            creation_date: now,
            revision_date: now,
        });
        let owner_access: Vec<AccessSelection> = collection
            .iter()
            .map(|c| AccessSelection {
                id: c.id.uuid(),
                read_only: false,
                hide_passwords: false,
                manage: true,
            })
            .collect();
        // The client's log shows who created it and from where.
        let org_actor = self.launched_actor(&actor, &org, &link);
        let mut events = vec![
            self.client_event(&actor, EventType::ProviderOrganizationCreated, link.id),
            self.org_event(&org_actor, EventType::OrganizationUpdated),
        ];
        if let Some(c) = &collection {
            events.push(EventRow {
                collection_id: Some(c.id),
                ..self.org_event(&org_actor, EventType::CollectionCreated)
            });
        }
        if let Some(o) = &owner {
            events.push(EventRow {
                org_user_id: Some(o.id),
                ..self.org_event(&org_actor, EventType::OrganizationUserInvited)
            });
        }
        events.extend(self.self_assignment_event(&actor, link.id));
        self.store
            .insert_provider_client(
                &org,
                &link,
                collection.as_ref(),
                owner.as_ref().map(|o| (o, owner_access.as_slice())),
                // An assigned-scope member would not see the client they just added otherwise.
                actor.assigned_filter(),
                &events,
            )
            .await?;
        let owner_invite = match &owner {
            Some(o) => {
                let invite = self.issue_org_invite(&org, o)?;
                self.deliver_org_invites(&org, vec![invite]).await.pop()
            }
            None => None,
        };
        let client = self
            .store
            .provider_client(provider_id, link.id)
            .await?
            .ok_or(DomainError::NotFound)?;
        Ok(ClientCreated {
            client: self.view(&actor, client),
            owner_invite,
        })
    }

    /// An assigned-scope member who adds a client is assigned to it (else they would not see
    /// it): the event of that assignment.
    fn self_assignment_event(
        &self,
        actor: &ProviderActor,
        client: ProviderOrgId,
    ) -> Option<EventRow> {
        actor.assigned_filter().map(|me| {
            self.assignment_event(
                actor,
                EventType::ProviderClientAssigned,
                me,
                Some(actor.user_id),
                client,
            )
        })
    }

    /// `actor` acting in a client organization through the provider (owner rights, minus the
    /// client's own secrets: see `OrgActor::can`).
    pub(super) fn launched_actor(
        &self,
        actor: &ProviderActor,
        org: &OrgRow,
        link: &ProviderOrgRow,
    ) -> OrgActor {
        OrgActor {
            org: org.clone(),
            user_id: actor.user_id,
            email: actor.email.clone(),
            member: None,
            own_member: None,
            via_provider: Some(ProviderSource {
                provider_id: actor.provider.id,
                provider_user_id: actor.member.id,
                provider_org_id: link.id,
                onboards_owners: actor.can(Permission::AddOrLinkClient, None),
            }),
            role: OrganizationUserType::Owner,
            permissions: Permissions::default(),
            device_type: actor.device_type,
            device: actor.device.clone(),
        }
    }

    /// Organizations the caller owns that no provider manages (candidates to link).
    pub async fn addable_orgs(
        &self,
        caller: &Caller,
        provider_id: ProviderId,
    ) -> Result<Vec<OrgRow>, DomainError> {
        let actor = self.provider_actor(caller, provider_id).await?;
        actor.require(Permission::AddOrLinkClient, None)?;
        let mut out = Vec::new();
        for (org, m) in self.my_orgs(caller).await? {
            if m.member_type == OrganizationUserType::Owner
                && self.store.provider_link_of_org(org.id).await?.is_none()
            {
                out.push(org);
            }
        }
        Ok(out)
    }

    /// Links an organization the caller owns (they consent with their master password); `key`
    /// is its org key wrapped with the provider key.
    pub async fn link_provider_client(
        &self,
        caller: &Caller,
        provider_id: ProviderId,
        org_id: &str,
        key: &str,
        master_password_hash: Option<&str>,
    ) -> Result<ClientView, DomainError> {
        let actor = self.provider_actor(caller, provider_id).await?;
        actor.require(Permission::AddOrLinkClient, None)?;
        let org_id: OrgId = org_id.parse().map_err(|_| {
            DomainError::invalid("organizationId", "The organizationId is not valid.")
        })?;
        let membership = self
            .store
            .membership(org_id, caller.user.id)
            .await?
            .filter(|m| {
                m.member_type == OrganizationUserType::Owner
                    && m.status == OrganizationUserStatus::Confirmed
            })
            .ok_or(DomainError::NotFound)?;
        let org = self
            .store
            .org(membership.org_id)
            .await?
            .ok_or(DomainError::NotFound)?;
        self.verify_master_password(&caller.user, master_password_hash)
            .await?;
        check_provider_wrapped_key(key)?;
        let now = self.now();
        let link = ProviderOrgRow {
            id: ProviderOrgId::new(),
            provider_id,
            org_id: org.id,
            key: key.to_string(),
            website: None,
            region: None,
            notes: None,
            creation_date: now,
            revision_date: now,
        };
        let org_actor = self.launched_actor(&actor, &org, &link);
        let mut events = vec![
            self.client_event(&actor, EventType::ProviderOrganizationAdded, link.id),
            self.org_event(&org_actor, EventType::OrganizationUpdated),
        ];
        events.extend(self.self_assignment_event(&actor, link.id));
        match self
            .store
            .insert_provider_link(&link, actor.assigned_filter(), &events)
            .await
        {
            Err(StoreError::Conflict) => {
                return Err(DomainError::bad_request(
                    "Organization already belongs to a provider.",
                ))
            }
            r => r?,
        }
        let client = self
            .store
            .provider_client(provider_id, link.id)
            .await?
            .ok_or(DomainError::NotFound)?;
        Ok(self.view(&actor, client))
    }

    /// Changes a client's details (and its organization's name and seats).
    pub async fn edit_provider_client(
        &self,
        caller: &Caller,
        provider_id: ProviderId,
        id: ProviderOrgId,
        edit: &ProviderClientUpdateRequest,
    ) -> Result<ClientView, DomainError> {
        let actor = self.provider_actor(caller, provider_id).await?;
        let c = self
            .client_for(&actor, id, Permission::EditClientInfo)
            .await?;
        let mut link = c.link.clone();
        let mut org = c.org.clone();
        let mut org_changed = false;
        if let Some(n) = &edit.name {
            org.name = check_org_name(n)?;
            org_changed = true;
        }
        if let Some(seats) = edit.seats {
            let seats = check_seats(seats)?;
            if org.plan_type.product_tier() == ProductTierType::Free {
                return Err(DomainError::bad_request(
                    "The Free plan has a fixed number of seats.",
                ));
            }
            if i64::from(seats) < c.seats_used {
                return Err(DomainError::bad_request(format!(
                    "Seats cannot go below the {} seat(s) in use.",
                    c.seats_used
                )));
            }
            org.seats = seats;
            org_changed = true;
        }
        if let Some(w) = &edit.website {
            link.website = check_text("website", Some(w), MAX_WEBSITE_LEN)?;
        }
        if let Some(r) = &edit.region {
            link.region = check_text("region", Some(r), MAX_REGION_LEN)?;
        }
        if let Some(n) = &edit.notes {
            link.notes = check_text("notes", Some(n), MAX_NOTES_LEN)?;
        }
        let now = self.now();
        link.revision_date = now;
        let mut events =
            vec![self.client_event(&actor, EventType::ProviderOrganizationUpdated, id)];
        if org_changed {
            org.revision_date = now;
            let org_actor = self.launched_actor(&actor, &org, &link);
            events.push(self.org_event(&org_actor, EventType::OrganizationUpdated));
        }
        self.store
            .update_provider_link(&link, org_changed.then_some(&org), &events)
            .await
            .map_err(changed_meanwhile)?;
        let client = self
            .store
            .provider_client(provider_id, id)
            .await?
            .ok_or(DomainError::NotFound)?;
        Ok(self.view(&actor, client))
    }

    /// Replaces the members assigned to a client ("Managed by").
    pub async fn assign_client_members(
        &self,
        caller: &Caller,
        provider_id: ProviderId,
        id: ProviderOrgId,
        member_ids: &[String],
    ) -> Result<ClientView, DomainError> {
        let actor = self.provider_actor(caller, provider_id).await?;
        actor.require(Permission::ManageMembers, None)?;
        let c = self
            .client_for(&actor, id, Permission::ManageMembers)
            .await?;
        if member_ids.len() > 10_000 {
            return Err(DomainError::invalid("memberIds", "Too many members."));
        }
        let known: HashMap<ProviderUserId, Option<UserId>> = self
            .store
            .provider_members(provider_id, None)
            .await?
            .into_iter()
            .map(|d| (d.member.id, d.member.user_id))
            .collect();
        let mut wanted: Vec<ProviderUserId> = Vec::new();
        for raw in member_ids {
            let m: ProviderUserId = raw
                .parse()
                .ok()
                .filter(|m| known.contains_key(m))
                .ok_or_else(|| {
                    DomainError::invalid("memberIds", "A member is not part of this provider.")
                })?;
            if !wanted.contains(&m) {
                wanted.push(m);
            }
        }
        if wanted.contains(&actor.member.id) != c.assigned.contains(&actor.member.id) {
            return Err(DomainError::bad_request(
                "You cannot change your own membership.",
            ));
        }
        let changed: Vec<(ProviderUserId, EventType)> =
            assignment_changes(&c.assigned, &wanted).collect();
        let events: Vec<EventRow> = changed
            .iter()
            .map(|&(member, t)| {
                let user = known.get(&member).copied().flatten();
                self.assignment_event(&actor, t, member, user, c.link.id)
            })
            .collect();
        let resync = Resync::when(!events.is_empty(), self.now());
        self.store
            .set_client_assignments(provider_id, id, &wanted, resync, &events)
            .await?;
        let told: Vec<UserId> = changed
            .iter()
            .filter_map(|(member, _)| known.get(member).copied().flatten())
            .collect();
        self.push_sync(&told, PushType::SyncOrgKeys);
        let client = self
            .store
            .provider_client(provider_id, id)
            .await?
            .ok_or(DomainError::NotFound)?;
        Ok(self.view(&actor, client))
    }

    /// Unlinks a client: the link and its wrapped key go; the organization keeps working with
    /// its own owners (refused when it has no confirmed owner of its own).
    pub async fn unlink_provider_client(
        &self,
        caller: &Caller,
        provider_id: ProviderId,
        id: ProviderOrgId,
    ) -> Result<(), DomainError> {
        let actor = self.provider_actor(caller, provider_id).await?;
        let c = self
            .client_for(&actor, id, Permission::UnlinkClient)
            .await?;
        if self.store.confirmed_owners(c.org.id).await? < 1 {
            return Err(DomainError::bad_request(
                "Organization must have at least one confirmed owner.",
            ));
        }
        let org_actor = self.launched_actor(&actor, &c.org, &c.link);
        let events = [
            self.client_event(&actor, EventType::ProviderOrganizationRemoved, id),
            self.org_event(&org_actor, EventType::OrganizationUpdated),
        ];
        if !self
            .store
            .delete_provider_link(provider_id, id, Resync::At(self.now()), &events)
            .await?
        {
            return Err(DomainError::NotFound);
        }
        Ok(())
    }

    /// Launches into a client: records the access in the provider's and the client's logs and
    /// answers the link (with the org key wrapped with the provider key).
    pub async fn launch_into_client(
        &self,
        caller: &Caller,
        provider_id: ProviderId,
        id: ProviderOrgId,
        master_password_hash: Option<&str>,
    ) -> Result<ProviderClient, DomainError> {
        let actor = self.provider_actor(caller, provider_id).await?;
        let c = self
            .client_for(&actor, id, Permission::LaunchIntoClient)
            .await?;
        if !c.org.enabled {
            return Err(DomainError::bad_request(
                "This client organization is disabled.",
            ));
        }
        // The step-up with the member's own password: checked (and throttled) whenever it is
        // sent, required when the provider says so.
        match master_password_hash {
            Some(hash) => {
                self.verify_master_password(&caller.user, Some(hash))
                    .await?
            }
            None if actor.provider.launch_requires_password => {
                return Err(DomainError::invalid(
                    "masterPasswordHash",
                    "Enter your master password to launch into a client.",
                ))
            }
            None => {}
        }
        self.note_provider_vault_access(&self.launched_actor(&actor, &c.org, &c.link))
            .await?;
        Ok(c)
    }

    /// Records a provider member's access to a client's vault — a launch, or opening the admin
    /// vault view (the protocol logs it on `collections/details`): 1903 in the provider's log
    /// (without providerUserId, as in the protocol), 1603 in the client's.
    pub async fn note_provider_vault_access(
        &self,
        org_actor: &OrgActor,
    ) -> Result<(), DomainError> {
        let Some(via) = org_actor.via_provider else {
            return Ok(());
        };
        let events = [
            EventRow {
                provider_id: Some(via.provider_id.uuid()),
                provider_org_id: Some(via.provider_org_id.uuid()),
                acting_user_id: Some(org_actor.user_id),
                device_type: org_actor.device_type,
                ..EventRow::new(EventType::ProviderOrganizationVaultAccessed, self.now())
            },
            self.org_event(org_actor, EventType::OrganizationVaultAccessed),
        ];
        self.store.insert_events(&events).await?;
        Ok(())
    }
}
