//! Custom roles: named sets of catalog permissions with a scope. A member with `manage_roles`
//! creates, renames, clones, edits and deletes them (not while in use); nobody makes or edits a
//! role wider than their own rights, and nobody edits the role they hold.

use super::{check_name, Permission, PermissionSet, ProviderActor, ProviderRights};
use crate::error::DomainError;
use crate::identity::caller::Caller;
use crate::ids::{ProviderId, ProviderRoleId};
use crate::providers::store::ProviderRoleRow;
use crate::store::StoreError;
use crate::Domain;
use keyfleet_api::kinds::{EventType, ProviderRole};

/// Most custom roles per provider.
const MAX_ROLES: usize = 200;

impl Domain {
    /// Checks the actor may define a role with these rights.
    fn check_role_grant(
        actor: &ProviderActor,
        permissions: PermissionSet,
        assigned_only: bool,
    ) -> Result<(), DomainError> {
        let wanted = ProviderRights {
            role: ProviderRole::Custom,
            permissions,
            scope: if assigned_only {
                super::Scope::Assigned
            } else {
                super::Scope::All
            },
        };
        if actor.rights.covers(&wanted) {
            Ok(())
        } else {
            Err(DomainError::bad_request(
                "You cannot define a role with more rights than your own.",
            ))
        }
    }

    fn parse_scope(scope: Option<&str>) -> Result<bool, DomainError> {
        match scope.map(str::trim) {
            None => Ok(true),
            Some(text) => match super::Scope::from_name(text) {
                Some(scope) => Ok(scope == super::Scope::Assigned),
                None => Err(DomainError::invalid(
                    "scope",
                    format!("Unknown scope \"{text}\". Choose all or assigned."),
                )),
            },
        }
    }

    /// Custom roles with how many members hold each.
    pub async fn provider_roles(
        &self,
        caller: &Caller,
        provider_id: ProviderId,
    ) -> Result<Vec<(ProviderRoleRow, i64)>, DomainError> {
        let actor = self.provider_actor(caller, provider_id).await?;
        if !actor.can(Permission::ManageRoles, None) && !actor.can(Permission::ManageMembers, None)
        {
            return Err(DomainError::NotFound);
        }
        Ok(self.store.provider_roles(provider_id).await?)
    }

    /// Creates (`id` = None) or replaces a custom role.
    pub async fn save_provider_role(
        &self,
        caller: &Caller,
        provider_id: ProviderId,
        id: Option<ProviderRoleId>,
        name: &str,
        permissions: &[String],
        scope: Option<&str>,
    ) -> Result<ProviderRoleRow, DomainError> {
        let actor = self.provider_actor(caller, provider_id).await?;
        actor.require(Permission::ManageRoles, None)?;
        let name = check_name("name", name)?;
        if permissions.len() > 50 {
            return Err(DomainError::invalid("permissions", "Too many permissions."));
        }
        let set = PermissionSet::parse(permissions)?;
        let assigned_only = Self::parse_scope(scope)?;
        Self::check_role_grant(&actor, set, assigned_only)?;
        let now = self.now();
        let (row, event) = match id {
            Some(id) => {
                let mut r = self
                    .store
                    .provider_role(provider_id, id)
                    .await?
                    .ok_or(DomainError::NotFound)?;
                if actor.member.role_id == Some(id) {
                    return Err(DomainError::bad_request(
                        "You cannot change the role you hold.",
                    ));
                }
                r.name = name;
                r.permissions = set.to_json();
                r.assigned_only = assigned_only;
                r.revision_date = now;
                (r, EventType::ProviderRoleUpdated)
            }
            None => {
                if self.store.provider_roles(provider_id).await?.len() >= MAX_ROLES {
                    return Err(DomainError::bad_request(format!(
                        "A provider has at most {MAX_ROLES} custom roles."
                    )));
                }
                (
                    ProviderRoleRow {
                        id: ProviderRoleId::new(),
                        provider_id,
                        name,
                        permissions: set.to_json(),
                        assigned_only,
                        creation_date: now,
                        revision_date: now,
                    },
                    EventType::ProviderRoleCreated,
                )
            }
        };
        let events = [self.provider_event(&actor, event)];
        match self.store.save_provider_role(&row, &events).await {
            Err(StoreError::Conflict) => Err(DomainError::bad_request(format!(
                "A role named \"{}\" already exists.",
                row.name
            ))),
            r => r.map(|_| row).map_err(Into::into),
        }
    }

    /// Copies a role under a new name.
    pub async fn clone_provider_role(
        &self,
        caller: &Caller,
        provider_id: ProviderId,
        id: ProviderRoleId,
        name: &str,
    ) -> Result<ProviderRoleRow, DomainError> {
        let actor = self.provider_actor(caller, provider_id).await?;
        actor.require(Permission::ManageRoles, None)?;
        let source = self
            .store
            .provider_role(provider_id, id)
            .await?
            .ok_or(DomainError::NotFound)?;
        let names: Vec<String> = PermissionSet::from_json(&source.permissions)
            .permissions()
            .into_iter()
            .map(|p| p.name().to_string())
            .collect();
        let scope = if source.assigned_only {
            "assigned"
        } else {
            "all"
        };
        self.save_provider_role(caller, provider_id, None, name, &names, Some(scope))
            .await
    }

    /// Deletes a custom role no member holds.
    pub async fn delete_provider_role(
        &self,
        caller: &Caller,
        provider_id: ProviderId,
        id: ProviderRoleId,
    ) -> Result<(), DomainError> {
        let actor = self.provider_actor(caller, provider_id).await?;
        actor.require(Permission::ManageRoles, None)?;
        let (_, in_use) = self
            .store
            .provider_roles(provider_id)
            .await?
            .into_iter()
            .find(|(r, _)| r.id == id)
            .ok_or(DomainError::NotFound)?;
        let refused = || {
            DomainError::bad_request(format!(
                "The role is in use by {in_use} member(s). Give them another role first."
            ))
        };
        if in_use > 0 {
            return Err(refused());
        }
        let events = [self.provider_event(&actor, EventType::ProviderRoleDeleted)];
        if !self
            .store
            .delete_provider_role(provider_id, id, &events)
            .await?
        {
            // A member was given the role in between.
            return Err(refused());
        }
        Ok(())
    }
}
