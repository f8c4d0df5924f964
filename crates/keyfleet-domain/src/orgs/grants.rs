//! Grants: what an actor may hand out in an organization — member types and custom permissions,
//! collection access, group membership. Every use case that creates or changes rights (invite,
//! member update, confirm, reinvite, revoke, restore, remove, group and collection saves) gathers
//! the facts and asks here; nothing else decides.
//!
//! The rules:
//! - nobody changes their own membership (its type, permissions, collections, groups or status),
//!   invites themselves, or adds themselves to a group;
//! - only owners touch owners; admins touch everyone else; a Custom member touches only members
//!   whose rights it holds itself and grants only permissions it holds;
//! - access is handed out only to collections the actor may manage; what a member or group
//!   already has on other collections is kept as it is, and a member joins a group only if the
//!   actor may manage every collection of that group;
//! - a provider member acting in a client (launched) never creates, confirms, promotes or changes
//!   an Owner or Admin membership — except the client's first owner while the client has no
//!   confirmed owner of its own, by a member who may add clients — never creates, confirms or changes the membership of a member of
//!   that provider (themselves included: the client's own owners and admins make those), and no
//!   write of theirs widens what their own membership reaches: what they hold through the provider
//!   ends with their provider membership.

use super::{OrgActor, Permissions};
use crate::error::DomainError;
use crate::ids::{CollectionId, GroupId, OrgUserId};
use crate::orgs::store::{AccessSelection, CollectionAccess};
use keyfleet_api::kinds::OrganizationUserType;
use std::collections::HashSet;

/// Refusal texts (Bitwarden's own where it has one, so the official apps show the same words).
pub(crate) mod refusal {
    /// Any write to the actor's own membership.
    pub const OWN_MEMBERSHIP: &str = "You cannot change your own membership.";
    /// An invitation to the actor's own address.
    pub const INVITE_SELF: &str = "You cannot invite yourself.";
    /// Adding oneself to a group.
    pub const SELF_TO_GROUP: &str = "You cannot add yourself to groups.";
    /// Widening one's own access to a collection.
    pub const OWN_ACCESS: &str = "You cannot give yourself access to a collection.";
    /// A non-owner touching an owner.
    pub const ONLY_OWNERS: &str = "Only an Owner can manage another Owner's account.";
    /// A Custom member touching an admin or owner.
    pub const CUSTOM_NOT_ADMINS: &str = "Custom users can not manage Admins or Owners.";
    /// A Custom member granting what it does not hold.
    pub const CUSTOM_OWN_PERMISSIONS: &str =
        "Custom users can only grant the same custom permissions that they have.";
    /// A Custom member touching someone with rights it does not hold.
    pub const CANNOT_MANAGE_TARGET: &str = "You do not have permission to manage this user.";
    /// Access to a collection the actor does not manage.
    pub const COLLECTION_NOT_MANAGED: &str =
        "You must have Can Manage permission on a collection to give access to it.";
    /// A member joining a group with collections the actor does not manage.
    pub const GROUP_NOT_MANAGED: &str =
        "You must have Can Manage permission on every collection of \
         a group to add members to it.";
    /// A provider member touching the client's owners or admins.
    pub const PROVIDER_OWNERS: &str = "Provider members cannot add or change the client's owners \
         and admins: the client's own owners do.";
    /// A provider member writing a provider member's membership.
    pub const PROVIDER_MEMBERSHIP: &str = "A provider member's membership in a client is made by \
         the client's own owners or admins.";
    /// Recovering one's own account.
    pub const RECOVER_SELF: &str = "You cannot recover your own account.";
    /// A non-owner recovering an owner.
    pub const RECOVER_OWNER: &str = "Only an Owner can recover another Owner's account.";
    /// A Custom member recovering an admin.
    pub const RECOVER_ADMIN: &str = "Only Owners and Admins can recover an Admin's account.";
    /// A provider member recovering the client's owners or admins, or a provider member.
    pub const PROVIDER_RECOVER: &str = "Provider members cannot recover the accounts of the \
         client's owners and admins or of provider members: the client's own owners do.";
    /// Anyone recovering the account of a member of a provider (the official server's text).
    pub const RECOVER_PROVIDER_MEMBER: &str =
        "You are not permitted to recover this Provider member's account.";
}

fn refused(message: &str) -> DomainError {
    DomainError::bad_request(message)
}

/// A membership a write acts on, with the facts the rules need (gathered by the use case).
#[derive(Debug, Clone, Copy)]
pub(crate) struct MemberSubject {
    /// Its type now (for a new invitation: the one asked for).
    pub member_type: OrganizationUserType,
    /// Its custom permissions now.
    pub permissions: Permissions,
    /// It is the actor's own: their account, or an invitation to their address.
    pub own: bool,
    /// Its account or invited address belongs to a member of the provider managing the
    /// organization (looked up only for actors acting through that provider).
    pub provider_member: bool,
    /// An Owner invitation, not yet confirmed, while the organization has no confirmed owner:
    /// the client's first owner, whom the provider that created the client brings in.
    pub first_owner: bool,
}

/// The collections an actor may hand out access to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Manageable {
    /// Every collection of the organization (by role).
    All,
    /// Only these (the ones they manage).
    Only(HashSet<CollectionId>),
}

impl Manageable {
    pub(crate) fn contains(&self, id: CollectionId) -> bool {
        match self {
            Manageable::All => true,
            Manageable::Only(ids) => ids.contains(&id),
        }
    }
}

/// Whether `after` reaches more than `before` on one collection (a new entry, or fewer limits).
fn widens(before: Option<&AccessSelection>, after: Option<&AccessSelection>) -> bool {
    match (before, after) {
        (_, None) => false,
        (None, Some(_)) => true,
        (Some(b), Some(a)) => {
            (b.read_only && !a.read_only)
                || (b.hide_passwords && !a.hide_passwords)
                || (a.manage && !b.manage)
        }
    }
}

fn entry(list: &[AccessSelection], id: uuid::Uuid) -> Option<&AccessSelection> {
    list.iter().find(|s| s.id == id)
}

impl OrgActor {
    /// Whether the actor's own rights include a member of type `t` with permissions `p`.
    fn holds(&self, t: OrganizationUserType, p: Permissions) -> bool {
        match self.role {
            OrganizationUserType::Owner => true,
            OrganizationUserType::Admin => t != OrganizationUserType::Owner,
            _ => match t {
                OrganizationUserType::User => true,
                OrganizationUserType::Manager => self.permissions.create_new_collections,
                OrganizationUserType::Custom => {
                    self.role == OrganizationUserType::Custom && self.permissions.covers(p)
                }
                _ => false,
            },
        }
    }

    /// May the actor write the membership `subject`: create it or change it to `wanted` (type and
    /// permissions), or — with `wanted` = `None` — confirm, reinvite, revoke, restore or remove it?
    /// The caller has already required `ManageUsers`.
    pub(crate) fn check_member_write(
        &self,
        subject: &MemberSubject,
        wanted: Option<(OrganizationUserType, Permissions)>,
    ) -> Result<(), DomainError> {
        if subject.own {
            return Err(refused(refusal::OWN_MEMBERSHIP));
        }
        let new_type = wanted.map(|(t, _)| t);
        let touches = |t: OrganizationUserType| subject.member_type == t || new_type == Some(t);
        if let Some(via) = self.via_provider {
            if subject.provider_member {
                return Err(refused(refusal::PROVIDER_MEMBERSHIP));
            }
            // The client's first owner is brought in by whoever may add clients (which creates
            // them with that owner's invitation) — not by a technician.
            let first_owner = via.onboards_owners
                && subject.first_owner
                && subject.member_type == OrganizationUserType::Owner
                && new_type.is_none_or(|t| t == OrganizationUserType::Owner);
            if (touches(OrganizationUserType::Owner) && !first_owner)
                || touches(OrganizationUserType::Admin)
            {
                return Err(refused(refusal::PROVIDER_OWNERS));
            }
            return Ok(());
        }
        match self.role {
            OrganizationUserType::Owner => Ok(()),
            _ if touches(OrganizationUserType::Owner) => Err(refused(refusal::ONLY_OWNERS)),
            OrganizationUserType::Admin => Ok(()),
            _ if touches(OrganizationUserType::Admin) => Err(refused(refusal::CUSTOM_NOT_ADMINS)),
            _ => {
                if let Some((t, p)) = wanted {
                    if !self.holds(t, p) {
                        return Err(refused(refusal::CUSTOM_OWN_PERMISSIONS));
                    }
                }
                if !self.holds(subject.member_type, subject.permissions) {
                    return Err(refused(refusal::CANNOT_MANAGE_TARGET));
                }
                Ok(())
            }
        }
    }

    /// The collection access to store for a member or group that has `current` and is asked to
    /// have `wanted`: entries on collections the actor may manage are taken as asked; on any other
    /// collection an entry must be what it already is, and what is there is kept (clients send
    /// only the collections their user can edit).
    pub(crate) fn grant_access(
        &self,
        manageable: &Manageable,
        current: &[AccessSelection],
        wanted: &[AccessSelection],
    ) -> Result<Vec<AccessSelection>, DomainError> {
        for w in wanted {
            if !manageable.contains(w.id.into()) && entry(current, w.id) != Some(w) {
                return Err(refused(refusal::COLLECTION_NOT_MANAGED));
            }
        }
        let mut out = wanted.to_vec();
        out.extend(
            current
                .iter()
                .filter(|c| !manageable.contains(c.id.into()) && entry(wanted, c.id).is_none()),
        );
        Ok(out)
    }

    /// A member joins a group that reaches `group_collections`: only if the actor may manage
    /// every one of them (joining hands them all out).
    pub(crate) fn check_group_join(
        &self,
        manageable: &Manageable,
        group_collections: &[AccessSelection],
    ) -> Result<(), DomainError> {
        if group_collections
            .iter()
            .all(|c| manageable.contains(c.id.into()))
        {
            Ok(())
        } else {
            Err(refused(refusal::GROUP_NOT_MANAGED))
        }
    }

    /// May the actor recover the account of `subject` (account recovery)? The caller has already
    /// required `ManageResetPassword`. Nobody recovers themselves; only owners recover owners,
    /// owners and admins recover admins; a launched provider member never recovers the client's
    /// owners or admins, nor a member of their provider; and nobody recovers the account of a
    /// member of any provider (`in_a_provider`): a new master password opens the whole account,
    /// and with it the provider's reach into every client it manages.
    pub(crate) fn check_recovery_target(
        &self,
        subject: &MemberSubject,
        in_a_provider: bool,
    ) -> Result<(), DomainError> {
        use OrganizationUserType as T;
        if subject.own {
            return Err(refused(refusal::RECOVER_SELF));
        }
        if self.via_provider.is_some() {
            if subject.provider_member
                || in_a_provider
                || matches!(subject.member_type, T::Owner | T::Admin)
            {
                return Err(refused(refusal::PROVIDER_RECOVER));
            }
            return Ok(());
        }
        if in_a_provider {
            return Err(refused(refusal::RECOVER_PROVIDER_MEMBER));
        }
        match (self.role, subject.member_type) {
            (T::Owner, _) => Ok(()),
            (_, T::Owner) => Err(refused(refusal::RECOVER_OWNER)),
            (T::Admin, _) => Ok(()),
            (_, T::Admin) => Err(refused(refusal::RECOVER_ADMIN)),
            _ => Ok(()),
        }
    }

    /// A group's members go from `before` to `after`: the actor never adds themselves.
    pub(crate) fn check_group_members(
        &self,
        before: &[OrgUserId],
        after: &[OrgUserId],
    ) -> Result<(), DomainError> {
        match self.own_member {
            Some(me) if after.contains(&me) && !before.contains(&me) => {
                Err(refused(refusal::SELF_TO_GROUP))
            }
            _ => Ok(()),
        }
    }

    /// A collection's access goes from `before` to `after` (`creating` when it is new): the
    /// actor's own membership gains nothing on it — directly, or, for a provider member, through
    /// a group it belongs to (`own_groups`). An organization member creating a collection may
    /// list themselves: a creator who does not edit every collection manages it anyway.
    pub(crate) fn check_own_access(
        &self,
        own_groups: &[GroupId],
        before: &CollectionAccess,
        after: &CollectionAccess,
        creating: bool,
    ) -> Result<(), DomainError> {
        let Some(me) = self.own_member else {
            return Ok(());
        };
        let through_provider = self.via_provider.is_some();
        let direct = widens(
            entry(&before.users, me.uuid()),
            entry(&after.users, me.uuid()),
        );
        if direct && (through_provider || !creating) {
            return Err(refused(refusal::OWN_ACCESS));
        }
        let via_group = own_groups.iter().any(|g| {
            widens(
                entry(&before.groups, g.uuid()),
                entry(&after.groups, g.uuid()),
            )
        });
        if through_provider && via_group {
            return Err(refused(refusal::OWN_ACCESS));
        }
        Ok(())
    }

    /// A group's collection access goes from `before` to `after` while it holds the actor's own
    /// membership: a provider member may not widen it (an organization member may, within the
    /// collections they manage, which they hold already).
    pub(crate) fn check_own_group_access(
        &self,
        before: &[AccessSelection],
        after: &[AccessSelection],
    ) -> Result<(), DomainError> {
        let widened = after.iter().any(|a| widens(entry(before, a.id), Some(a)));
        if self.via_provider.is_some() && widened {
            Err(refused(refusal::OWN_ACCESS))
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::actor;
    use super::super::{OrgCapability, ProviderSource};
    use super::*;
    use crate::ids::{ProviderId, ProviderOrgId, ProviderUserId};

    fn launched() -> OrgActor {
        let mut a = actor(OrganizationUserType::Owner, Permissions::default());
        a.member = None;
        a.own_member = None;
        a.via_provider = Some(ProviderSource {
            provider_id: ProviderId::new(),
            provider_user_id: ProviderUserId::new(),
            provider_org_id: ProviderOrgId::new(),
            onboards_owners: true,
        });
        a
    }

    fn subject(t: OrganizationUserType, p: Permissions) -> MemberSubject {
        MemberSubject {
            member_type: t,
            permissions: p,
            own: false,
            provider_member: false,
            first_owner: false,
        }
    }

    fn users_only() -> Permissions {
        Permissions {
            manage_users: true,
            ..Permissions::default()
        }
    }

    fn message(r: Result<(), DomainError>) -> String {
        match r {
            Ok(()) => "ok".into(),
            Err(DomainError::Invalid { message, .. }) => message,
            Err(e) => format!("{e:?}"),
        }
    }

    #[test]
    fn a_custom_member_grants_only_what_it_holds() {
        let custom = actor(OrganizationUserType::Custom, users_only());
        let all = Permissions {
            manage_users: true,
            manage_groups: true,
            edit_any_collection: true,
            access_event_logs: true,
            ..Permissions::default()
        };
        let user = subject(OrganizationUserType::User, Permissions::default());
        assert_eq!(
            message(custom.check_member_write(
                &user,
                Some((OrganizationUserType::User, Permissions::default()))
            )),
            "ok"
        );
        assert_eq!(
            message(
                custom
                    .check_member_write(&user, Some((OrganizationUserType::Custom, users_only())))
            ),
            "ok"
        );
        assert_eq!(
            message(custom.check_member_write(&user, Some((OrganizationUserType::Custom, all)))),
            refusal::CUSTOM_OWN_PERMISSIONS
        );
        assert_eq!(
            message(custom.check_member_write(
                &user,
                Some((OrganizationUserType::Manager, Permissions::default()))
            )),
            refusal::CUSTOM_OWN_PERMISSIONS
        );
        // Someone holding more than the actor is out of reach, even to reduce them.
        assert_eq!(
            message(custom.check_member_write(
                &subject(OrganizationUserType::Custom, all),
                Some((OrganizationUserType::User, Permissions::default()))
            )),
            refusal::CANNOT_MANAGE_TARGET
        );
        assert_eq!(
            message(custom.check_member_write(
                &subject(OrganizationUserType::Admin, Permissions::default()),
                None
            )),
            refusal::CUSTOM_NOT_ADMINS
        );
        assert_eq!(
            message(custom.check_member_write(
                &user,
                Some((OrganizationUserType::Owner, Permissions::default()))
            )),
            refusal::ONLY_OWNERS
        );
    }

    #[test]
    fn only_owners_touch_owners_and_nobody_touches_themselves() {
        let admin = actor(OrganizationUserType::Admin, Permissions::default());
        let owner = actor(OrganizationUserType::Owner, Permissions::default());
        let owner_subject = subject(OrganizationUserType::Owner, Permissions::default());
        assert_eq!(
            message(admin.check_member_write(&owner_subject, None)),
            refusal::ONLY_OWNERS
        );
        assert_eq!(
            message(admin.check_member_write(
                &subject(OrganizationUserType::User, Permissions::default()),
                Some((OrganizationUserType::Owner, Permissions::default()))
            )),
            refusal::ONLY_OWNERS
        );
        assert_eq!(
            message(owner.check_member_write(&owner_subject, None)),
            "ok"
        );
        let own = MemberSubject {
            own: true,
            ..owner_subject
        };
        assert_eq!(
            message(owner.check_member_write(&own, None)),
            refusal::OWN_MEMBERSHIP
        );
    }

    #[test]
    fn account_recovery_follows_the_role_order_and_never_reaches_oneself() {
        use OrganizationUserType as T;
        let none = Permissions::default();
        let recovery = Permissions {
            manage_reset_password: true,
            ..none
        };
        let owner = actor(T::Owner, none);
        let admin = actor(T::Admin, none);
        let custom = actor(T::Custom, recovery);
        let tech = launched();
        let check = |a: &OrgActor, t: T| message(a.check_recovery_target(&subject(t, none), false));
        for t in [T::Owner, T::Admin, T::Custom, T::User] {
            assert_eq!(check(&owner, t), "ok");
        }
        assert_eq!(check(&admin, T::Owner), refusal::RECOVER_OWNER);
        assert_eq!(check(&admin, T::Admin), "ok");
        assert_eq!(check(&custom, T::Owner), refusal::RECOVER_OWNER);
        assert_eq!(check(&custom, T::Admin), refusal::RECOVER_ADMIN);
        assert_eq!(check(&custom, T::User), "ok");
        assert_eq!(check(&tech, T::Owner), refusal::PROVIDER_RECOVER);
        assert_eq!(check(&tech, T::Admin), refusal::PROVIDER_RECOVER);
        assert_eq!(check(&tech, T::User), "ok");
        let colleague = MemberSubject {
            provider_member: true,
            ..subject(T::User, none)
        };
        assert_eq!(
            message(tech.check_recovery_target(&colleague, true)),
            refusal::PROVIDER_RECOVER
        );
        // A member of some provider: nobody in the org recovers them, not even an owner.
        for a in [&owner, &admin, &custom] {
            assert_eq!(
                message(a.check_recovery_target(&subject(T::User, none), true)),
                refusal::RECOVER_PROVIDER_MEMBER
            );
        }
        assert_eq!(
            message(tech.check_recovery_target(&subject(T::User, none), true)),
            refusal::PROVIDER_RECOVER
        );
        let own = MemberSubject {
            own: true,
            ..subject(T::User, none)
        };
        assert_eq!(
            message(owner.check_recovery_target(&own, false)),
            refusal::RECOVER_SELF
        );
        assert!(custom.can(OrgCapability::ManageResetPassword));
        assert!(!actor(T::Custom, none).can(OrgCapability::ManageResetPassword));
        assert!(!actor(T::User, none).can(OrgCapability::ManageResetPassword));
    }

    #[test]
    fn a_launched_provider_member_leaves_owners_admins_and_provider_members_alone() {
        let tech = launched();
        let user = subject(OrganizationUserType::User, Permissions::default());
        assert_eq!(
            message(tech.check_member_write(
                &user,
                Some((OrganizationUserType::Custom, Permissions::default()))
            )),
            "ok"
        );
        for (s, wanted) in [
            (
                user,
                Some((OrganizationUserType::Owner, Permissions::default())),
            ),
            (
                user,
                Some((OrganizationUserType::Admin, Permissions::default())),
            ),
            (
                subject(OrganizationUserType::Admin, Permissions::default()),
                None,
            ),
            (
                subject(OrganizationUserType::Owner, Permissions::default()),
                None,
            ),
        ] {
            assert_eq!(
                message(tech.check_member_write(&s, wanted)),
                refusal::PROVIDER_OWNERS
            );
        }
        let colleague = MemberSubject {
            provider_member: true,
            ..user
        };
        assert_eq!(
            message(tech.check_member_write(&colleague, None)),
            refusal::PROVIDER_MEMBERSHIP
        );
        // The client's first owner, while it has none, may be brought in (and only as owner).
        let first = MemberSubject {
            first_owner: true,
            ..subject(OrganizationUserType::Owner, Permissions::default())
        };
        assert_eq!(message(tech.check_member_write(&first, None)), "ok");
        assert_eq!(
            message(tech.check_member_write(
                &first,
                Some((OrganizationUserType::Admin, Permissions::default()))
            )),
            refusal::PROVIDER_OWNERS
        );
        // Only by a member who may add clients.
        let mut technician = launched();
        if let Some(via) = technician.via_provider.as_mut() {
            via.onboards_owners = false;
        }
        assert_eq!(
            message(technician.check_member_write(&first, None)),
            refusal::PROVIDER_OWNERS
        );
    }

    fn sel(id: uuid::Uuid, read_only: bool, manage: bool) -> AccessSelection {
        AccessSelection {
            id,
            read_only,
            hide_passwords: false,
            manage,
        }
    }

    #[test]
    fn access_is_granted_only_on_managed_collections_and_the_rest_is_kept() {
        let custom = actor(OrganizationUserType::Custom, users_only());
        let (mine, theirs) = (CollectionId::new(), CollectionId::new());
        let manageable = Manageable::Only([mine].into());
        let current = [sel(theirs.uuid(), true, false)];
        let granted = custom
            .grant_access(&manageable, &current, &[sel(mine.uuid(), false, true)])
            .unwrap();
        assert_eq!(granted, vec![sel(mine.uuid(), false, true), current[0]]);
        // Sent unchanged: fine; widened or new: refused.
        assert!(custom.grant_access(&manageable, &current, &current).is_ok());
        for wanted in [
            sel(theirs.uuid(), false, false),
            sel(CollectionId::new().uuid(), true, false),
        ] {
            assert!(custom
                .grant_access(&manageable, &current, &[wanted])
                .is_err());
        }
        assert!(custom
            .check_group_join(&manageable, &[sel(theirs.uuid(), true, false)])
            .is_err());
        assert!(custom
            .check_group_join(&Manageable::All, &[sel(theirs.uuid(), true, false)])
            .is_ok());
    }

    #[test]
    fn nobody_widens_their_own_access() {
        let manager = actor(OrganizationUserType::Manager, Permissions::default());
        let me = manager.own_member.unwrap();
        let before = CollectionAccess {
            users: vec![sel(me.uuid(), true, false)],
            groups: vec![],
        };
        let widened = CollectionAccess {
            users: vec![sel(me.uuid(), false, true)],
            groups: vec![],
        };
        assert!(manager
            .check_own_access(&[], &before, &widened, false)
            .is_err());
        assert!(manager
            .check_own_access(&[], &widened, &before, false)
            .is_ok());
        assert!(manager
            .check_own_access(&[], &CollectionAccess::default(), &widened, true)
            .is_ok());
        assert!(manager.check_group_members(&[], &[me]).is_err());
        // A provider member with a membership of their own: not even through a group.
        let mut tech = launched();
        tech.own_member = Some(me);
        let group = GroupId::new();
        let via_group = CollectionAccess {
            users: vec![],
            groups: vec![sel(group.uuid(), false, false)],
        };
        assert!(tech
            .check_own_access(&[group], &CollectionAccess::default(), &via_group, true)
            .is_err());
        assert!(tech
            .check_own_group_access(&[], &[sel(CollectionId::new().uuid(), true, false)])
            .is_err());
    }
}
