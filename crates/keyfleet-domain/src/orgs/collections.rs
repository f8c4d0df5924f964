//! Collections and groups: who reaches which org items, directly or through a group.

use super::grants::Manageable;
use super::members::selections;
use super::{OrgActor, OrgCapability};
use crate::error::DomainError;
use crate::identity::accounts::check_enc_string;
use crate::identity::caller::Caller;
use crate::ids::{CollectionId, GroupId, OrgId, OrgUserId};
use crate::orgs::store::{
    AccessSelection, CollectionAccess, CollectionRow, EventRow, GroupRow, UserCollection,
};
use crate::Domain;
use keyfleet_api::kinds::{EventType, PushType};
use keyfleet_api::orgs::{CollectionRequest, GroupRequest, SelectionReadOnly};
use std::collections::HashSet;

/// Longest encrypted collection name.
pub const MAX_COLLECTION_NAME_LEN: usize = 1_000;
const MAX_GROUP_NAME_LEN: usize = 100;
const MAX_ACCESS_ENTRIES: usize = 1_000;
const MAX_EXTERNAL_ID_LEN: usize = 300;

fn check_external_id(raw: Option<&str>) -> Result<Option<String>, DomainError> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) if s.len() <= MAX_EXTERNAL_ID_LEN => Ok(Some(s.to_string())),
        Some(_) => Err(DomainError::invalid(
            "externalId",
            "The external id is too long.",
        )),
    }
}

impl Domain {
    /// The caller's own access to the organization's collections.
    async fn my_collection_access(
        &self,
        actor: &OrgActor,
    ) -> Result<Vec<UserCollection>, DomainError> {
        Ok(self
            .store
            .user_collections(actor.user_id)
            .await?
            .into_iter()
            .filter(|c| c.collection.org_id == actor.org.id)
            .collect())
    }

    /// The collections the actor may hand out access to: every one by role (edit any
    /// collection), else those they manage.
    pub(crate) async fn manageable(&self, actor: &OrgActor) -> Result<Manageable, DomainError> {
        if actor.can(OrgCapability::EditAnyCollection) {
            return Ok(Manageable::All);
        }
        Ok(Manageable::Only(self.managed_through_access(actor).await?))
    }

    /// The collections the actor manages through their own access (Can manage).
    async fn managed_through_access(
        &self,
        actor: &OrgActor,
    ) -> Result<HashSet<CollectionId>, DomainError> {
        Ok(self
            .my_collection_access(actor)
            .await?
            .into_iter()
            .filter(|c| c.access.manage)
            .map(|c| c.collection.id)
            .collect())
    }

    /// The collections the actor may change (`delete` = remove): every one of the organization
    /// by role, else those they manage. Computed once per call, whatever the number of ids.
    async fn manageable_collections(
        &self,
        actor: &OrgActor,
        delete: bool,
    ) -> Result<HashSet<CollectionId>, DomainError> {
        let by_role = if delete {
            actor.can(OrgCapability::DeleteAnyCollection)
        } else {
            actor.can(OrgCapability::EditAnyCollection)
        };
        Ok(if by_role {
            self.store
                .collections(actor.org.id)
                .await?
                .into_iter()
                .map(|c| c.id)
                .collect()
        } else {
            self.managed_through_access(actor).await?
        })
    }

    /// The groups the actor's own membership belongs to (only needed for a provider member
    /// with a membership of their own: see `OrgActor::check_own_access`).
    async fn own_groups(&self, actor: &OrgActor) -> Result<Vec<GroupId>, DomainError> {
        match (actor.own_member, actor.via_provider) {
            (Some(me), Some(_)) => Ok(self
                .store
                .org_member_details(actor.org.id, Some(me))
                .await?
                .pop()
                .map(|d| d.groups)
                .unwrap_or_default()),
            _ => Ok(vec![]),
        }
    }

    async fn parse_member_selections(
        &self,
        org_id: OrgId,
        raw: &[SelectionReadOnly],
    ) -> Result<Vec<AccessSelection>, DomainError> {
        if raw.len() > MAX_ACCESS_ENTRIES {
            return Err(DomainError::invalid("users", "Too many entries."));
        }
        if raw.is_empty() {
            return Ok(vec![]);
        }
        let known: HashSet<_> = self
            .store
            .org_member_details(org_id, None)
            .await?
            .into_iter()
            .map(|m| m.member.id.uuid())
            .collect();
        selections(
            "users",
            raw,
            &known,
            "A member is not part of this organization.",
        )
    }

    async fn parse_group_selections(
        &self,
        org_id: OrgId,
        raw: &[SelectionReadOnly],
    ) -> Result<Vec<AccessSelection>, DomainError> {
        if raw.len() > MAX_ACCESS_ENTRIES {
            return Err(DomainError::invalid("groups", "Too many entries."));
        }
        let ids: Vec<String> = raw.iter().map(|s| s.id.clone()).collect();
        let known: HashSet<uuid::Uuid> = self
            .parse_group_ids(org_id, &ids)
            .await?
            .iter()
            .map(|g| g.uuid())
            .collect();
        selections("groups", raw, &known, "A group is listed twice.")
    }

    async fn parse_collection_request(
        &self,
        org_id: OrgId,
        req: &CollectionRequest,
    ) -> Result<(String, Option<String>, CollectionAccess), DomainError> {
        check_enc_string("name", &req.name, MAX_COLLECTION_NAME_LEN)?;
        let external_id = check_external_id(req.external_id.as_deref())?;
        let access = CollectionAccess {
            users: self.parse_member_selections(org_id, &req.users).await?,
            groups: self.parse_group_selections(org_id, &req.groups).await?,
        };
        Ok((req.name.clone(), external_id, access))
    }

    // ------------------------------------------------------------------ collections

    /// The organization's collections: all of them for those who edit any collection, else the
    /// ones the caller is assigned to.
    pub async fn org_collections(
        &self,
        caller: &Caller,
        org_id: OrgId,
    ) -> Result<Vec<CollectionRow>, DomainError> {
        let actor = self.org_actor(caller, org_id).await?;
        if actor.can(OrgCapability::EditAnyCollection) {
            return Ok(self.store.collections(org_id).await?);
        }
        Ok(self
            .my_collection_access(&actor)
            .await?
            .into_iter()
            .map(|c| c.collection)
            .collect())
    }

    /// Collections with their access lists, and the caller's own access to each.
    pub async fn org_collection_details(
        &self,
        caller: &Caller,
        org_id: OrgId,
        only: Option<CollectionId>,
    ) -> Result<Vec<(CollectionRow, CollectionAccess, Option<AccessSelection>)>, DomainError> {
        let actor = self.org_actor(caller, org_id).await?;
        if only.is_none() {
            // The protocol's "vault accessed" moment for provider members.
            self.note_provider_vault_access(&actor).await?;
        }
        let mine = self.my_collection_access(&actor).await?;
        let all = actor.can(OrgCapability::EditAnyCollection);
        let collections: Vec<CollectionRow> = if all {
            self.store.collections(org_id).await?
        } else {
            mine.iter().map(|c| c.collection.clone()).collect()
        };
        let collections: Vec<_> = collections
            .into_iter()
            .filter(|c| only.is_none_or(|id| c.id == id))
            .collect();
        if only.is_some() && collections.is_empty() {
            return Err(DomainError::NotFound);
        }
        let ids: Vec<CollectionId> = collections.iter().map(|c| c.id).collect();
        let mut access = self.store.collection_access(org_id, Some(&ids)).await?;
        Ok(collections
            .into_iter()
            .map(|c| {
                let a = access
                    .iter()
                    .position(|(id, _)| *id == c.id)
                    .map(|i| access.swap_remove(i).1)
                    .unwrap_or_default();
                let my = mine
                    .iter()
                    .find(|m| m.collection.id == c.id)
                    .map(|m| m.access);
                // Access lists are for those who manage; others see only their own row.
                let a = if all || my.is_some_and(|m| m.manage) {
                    a
                } else {
                    CollectionAccess::default()
                };
                (c, a, my)
            })
            .collect())
    }

    /// Creates a collection with its access; a creator who is not an admin manages it.
    pub async fn create_collection(
        &self,
        caller: &Caller,
        org_id: OrgId,
        req: &CollectionRequest,
    ) -> Result<CollectionRow, DomainError> {
        let actor = self.org_actor(caller, org_id).await?;
        actor.require(OrgCapability::CreateCollections)?;
        if let Some(max) = actor.org.max_collections {
            if self.store.collection_count(org_id).await? >= i64::from(max) {
                return Err(DomainError::bad_request(format!(
                    "This organization's plan allows {max} collection(s). Upgrade to add more."
                )));
            }
        }
        let (name, external_id, mut access) = self.parse_collection_request(org_id, req).await?;
        let own_groups = self.own_groups(&actor).await?;
        actor.check_own_access(&own_groups, &CollectionAccess::default(), &access, true)?;
        if let Some(member) = actor.member.as_ref().filter(|m| {
            !actor.can(OrgCapability::EditAnyCollection)
                && !access.users.iter().any(|u| u.id == m.id.uuid())
        }) {
            access.users.push(AccessSelection {
                id: member.id.uuid(),
                read_only: false,
                hide_passwords: false,
                manage: true,
            });
        }
        let now = self.now();
        let row = CollectionRow {
            id: CollectionId::new(),
            org_id,
            name,
            external_id,
            creation_date: now,
            revision_date: now,
        };
        let events = [EventRow {
            collection_id: Some(row.id),
            ..self.org_event(&actor, EventType::CollectionCreated)
        }];
        self.store.save_collection(&row, &access, &events).await?;
        self.push_org_sync(row.org_id, PushType::SyncVault).await;
        Ok(row)
    }

    /// Renames a collection and replaces its access.
    pub async fn update_collection(
        &self,
        caller: &Caller,
        org_id: OrgId,
        id: CollectionId,
        req: &CollectionRequest,
    ) -> Result<CollectionRow, DomainError> {
        let actor = self.org_actor(caller, org_id).await?;
        let current = self
            .store
            .collection(org_id, id)
            .await?
            .ok_or(DomainError::NotFound)?;
        if !self
            .manageable_collections(&actor, false)
            .await?
            .contains(&id)
        {
            return Err(DomainError::NotFound);
        }
        let (name, external_id, access) = self.parse_collection_request(org_id, req).await?;
        let before = self
            .store
            .collection_access(org_id, Some(&[id]))
            .await?
            .pop()
            .map(|(_, a)| a)
            .unwrap_or_default();
        let own_groups = self.own_groups(&actor).await?;
        actor.check_own_access(&own_groups, &before, &access, false)?;
        let row = CollectionRow {
            name,
            external_id,
            revision_date: self.now(),
            ..current
        };
        let events = [EventRow {
            collection_id: Some(id),
            ..self.org_event(&actor, EventType::CollectionUpdated)
        }];
        self.store.save_collection(&row, &access, &events).await?;
        self.push_org_sync(row.org_id, PushType::SyncVault).await;
        Ok(row)
    }

    /// Deletes collections the caller may delete; its items stay in the organization.
    pub async fn delete_collections(
        &self,
        caller: &Caller,
        org_id: OrgId,
        ids: &[String],
    ) -> Result<(), DomainError> {
        let actor = self.org_actor(caller, org_id).await?;
        if ids.len() > MAX_ACCESS_ENTRIES {
            return Err(DomainError::invalid("ids", "Too many collections."));
        }
        let manageable = self.manageable_collections(&actor, true).await?;
        let allowed: Vec<CollectionId> = ids
            .iter()
            .filter_map(|s| s.parse::<CollectionId>().ok())
            .filter(|id| manageable.contains(id))
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        if allowed.is_empty() {
            return Err(DomainError::NotFound);
        }
        let events: Vec<EventRow> = allowed
            .iter()
            .map(|id| EventRow {
                collection_id: Some(*id),
                ..self.org_event(&actor, EventType::CollectionDeleted)
            })
            .collect();
        self.store
            .delete_collections(org_id, &allowed, &events, self.now())
            .await?;
        self.push_org_sync(org_id, PushType::SyncVault).await;
        Ok(())
    }

    /// The collections the caller reaches in every organization (sync, `GET /api/collections`).
    pub async fn my_collections(
        &self,
        caller: &Caller,
    ) -> Result<Vec<UserCollection>, DomainError> {
        Ok(self.store.user_collections(caller.user.id).await?)
    }

    // ------------------------------------------------------------------ groups

    /// The organization's groups (those who manage groups or members).
    pub async fn org_groups(
        &self,
        caller: &Caller,
        org_id: OrgId,
    ) -> Result<Vec<GroupRow>, DomainError> {
        let actor = self.org_actor(caller, org_id).await?;
        if !actor.can(OrgCapability::ManageGroups) && !actor.can(OrgCapability::ManageUsers) {
            return Err(DomainError::NotFound);
        }
        Ok(self.store.groups(org_id).await?)
    }

    /// One group with its collection access and members.
    pub async fn org_group(
        &self,
        caller: &Caller,
        org_id: OrgId,
        id: GroupId,
    ) -> Result<(GroupRow, Vec<AccessSelection>, Vec<OrgUserId>), DomainError> {
        let actor = self.org_actor(caller, org_id).await?;
        if !actor.can(OrgCapability::ManageGroups) && !actor.can(OrgCapability::ManageUsers) {
            return Err(DomainError::NotFound);
        }
        let group = self
            .store
            .group(org_id, id)
            .await?
            .ok_or(DomainError::NotFound)?;
        let (collections, members) = self.store.group_details(org_id, id).await?;
        Ok((group, collections, members))
    }

    /// Creates (`id` = `None`) or updates a group, replacing its access and members.
    pub async fn save_group(
        &self,
        caller: &Caller,
        org_id: OrgId,
        id: Option<GroupId>,
        req: &GroupRequest,
    ) -> Result<GroupRow, DomainError> {
        let actor = self.org_actor(caller, org_id).await?;
        actor.require(OrgCapability::ManageGroups)?;
        let name = req.name.trim();
        if name.is_empty() || name.chars().count() > MAX_GROUP_NAME_LEN {
            return Err(DomainError::invalid(
                "name",
                format!("The group name must be 1 to {MAX_GROUP_NAME_LEN} characters."),
            ));
        }
        let external_id = check_external_id(req.external_id.as_deref())?;
        let collections = self
            .parse_collection_selections(org_id, &req.collections)
            .await?;
        let member_sel: Vec<SelectionReadOnly> = req
            .users
            .iter()
            .map(|u| SelectionReadOnly {
                id: u.clone(),
                ..SelectionReadOnly::default()
            })
            .collect();
        let members: Vec<OrgUserId> = self
            .parse_member_selections(org_id, &member_sel)
            .await?
            .into_iter()
            .map(|s| OrgUserId::from(s.id))
            .collect();
        let now = self.now();
        let (row, t, before_collections, before_members) = match id {
            Some(id) => {
                let current = self
                    .store
                    .group(org_id, id)
                    .await?
                    .ok_or(DomainError::NotFound)?;
                let (collections, members) = self.store.group_details(org_id, id).await?;
                (
                    GroupRow {
                        name: name.to_string(),
                        external_id,
                        revision_date: now,
                        ..current
                    },
                    EventType::GroupUpdated,
                    collections,
                    members,
                )
            }
            None => (
                GroupRow {
                    id: GroupId::new(),
                    org_id,
                    name: name.to_string(),
                    external_id,
                    creation_date: now,
                    revision_date: now,
                },
                EventType::GroupCreated,
                vec![],
                vec![],
            ),
        };
        // What the group may hold and who may join it: see `orgs::grants`.
        actor.check_group_members(&before_members, &members)?;
        let manageable = self.manageable(&actor).await?;
        let collections = actor.grant_access(&manageable, &before_collections, &collections)?;
        if members.iter().any(|m| !before_members.contains(m)) {
            actor.check_group_join(&manageable, &collections)?;
        }
        if actor
            .own_member
            .is_some_and(|me| before_members.contains(&me))
        {
            actor.check_own_group_access(&before_collections, &collections)?;
        }
        let events = [EventRow {
            group_id: Some(row.id),
            ..self.org_event(&actor, t)
        }];
        self.store
            .save_group(&row, &collections, &members, &events)
            .await?;
        self.push_org_sync(row.org_id, PushType::SyncVault).await;
        Ok(row)
    }

    /// Takes one member out of a group.
    pub async fn remove_group_member(
        &self,
        caller: &Caller,
        org_id: OrgId,
        id: GroupId,
        member: OrgUserId,
    ) -> Result<(), DomainError> {
        let actor = self.org_actor(caller, org_id).await?;
        actor.require(OrgCapability::ManageGroups)?;
        let group = self
            .store
            .group(org_id, id)
            .await?
            .ok_or(DomainError::NotFound)?;
        let (collections, mut members) = self.store.group_details(org_id, id).await?;
        let before = members.len();
        members.retain(|m| *m != member);
        if members.len() == before {
            return Err(DomainError::NotFound);
        }
        let events = [EventRow {
            group_id: Some(id),
            org_user_id: Some(member),
            ..self.org_event(&actor, EventType::OrganizationUserUpdatedGroups)
        }];
        let row = GroupRow {
            revision_date: self.now(),
            ..group
        };
        self.store
            .save_group(&row, &collections, &members, &events)
            .await?;
        self.push_org_sync(org_id, PushType::SyncVault).await;
        Ok(())
    }

    /// Deletes groups (the admin console's bulk delete): all of them or none (`NotFound` when
    /// one is not a group of the organization).
    pub async fn delete_groups(
        &self,
        caller: &Caller,
        org_id: OrgId,
        ids: &[String],
    ) -> Result<(), DomainError> {
        let actor = self.org_actor(caller, org_id).await?;
        actor.require(OrgCapability::ManageGroups)?;
        if ids.is_empty() || ids.len() > MAX_ACCESS_ENTRIES {
            return Err(DomainError::invalid(
                "ids",
                format!("Delete between 1 and {MAX_ACCESS_ENTRIES} groups at a time."),
            ));
        }
        let ids = self
            .parse_group_ids(org_id, ids)
            .await
            .map_err(|_| DomainError::NotFound)?;
        let events: Vec<EventRow> = ids
            .iter()
            .map(|id| EventRow {
                group_id: Some(*id),
                ..self.org_event(&actor, EventType::GroupDeleted)
            })
            .collect();
        self.store
            .delete_groups(org_id, &ids, &events, self.now())
            .await?;
        self.push_org_sync(org_id, PushType::SyncVault).await;
        Ok(())
    }

    /// Deletes a group.
    pub async fn delete_group(
        &self,
        caller: &Caller,
        org_id: OrgId,
        id: GroupId,
    ) -> Result<(), DomainError> {
        let actor = self.org_actor(caller, org_id).await?;
        actor.require(OrgCapability::ManageGroups)?;
        let events = [EventRow {
            group_id: Some(id),
            ..self.org_event(&actor, EventType::GroupDeleted)
        }];
        if self
            .store
            .delete_groups(org_id, &[id], &events, self.now())
            .await?
            > 0
        {
            self.push_org_sync(org_id, PushType::SyncVault).await;
            Ok(())
        } else {
            Err(DomainError::NotFound)
        }
    }
}
