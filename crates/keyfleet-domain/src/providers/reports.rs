//! What providers read: the event log (filters, paging, export), the usage report, and the
//! provider part of a member's sync.

use super::{Permission, ProviderRights};
use crate::error::DomainError;
use crate::identity::caller::Caller;
use crate::ids::{ProviderId, ProviderOrgId, ProviderUserId};
use crate::orgs::{parse_range, EventRange};
use crate::providers::store::{
    ClientUsage, ProviderClient, ProviderEventQuery, ProviderMembership,
};
use crate::store::EventRow;
use crate::Domain;
use keyfleet_api::kinds::{EventType, ProviderStatus, ProviderUserStatus};

/// Events per page.
const PAGE: u32 = 100;
/// Most events one export holds.
pub const MAX_EXPORT_EVENTS: u32 = 100_000;

/// Filters of the provider event log.
#[derive(Debug, Clone, Default)]
pub struct ProviderEventFilter<'a> {
    /// Date range and continuation token, as for organization events.
    pub range: EventRange<'a>,
    /// Only this member (providerUserId).
    pub member: Option<&'a str>,
    /// Only this client (providerOrganizationId).
    pub client: Option<&'a str>,
    /// Only this event type.
    pub event_type: Option<i32>,
}

/// One page of provider events with the acting account's email.
#[derive(Debug, Clone)]
pub struct ProviderEventPage {
    /// Newest first.
    pub events: Vec<(EventRow, Option<String>)>,
    /// Token for the next page.
    pub continuation: Option<String>,
}

/// The provider part of a member's sync: memberships and the clients each lets them launch into.
#[derive(Debug, Clone, Default)]
pub struct ProviderSync {
    /// Active memberships (with their provider key).
    pub memberships: Vec<ProviderMembership>,
    /// Launchable clients, with the membership's provider.
    pub clients: Vec<(ProviderMembership, ProviderClient)>,
}

fn bad_filter(field: &'static str) -> DomainError {
    DomainError::invalid(field, format!("The {field} filter is not valid."))
}

impl Domain {
    /// A page of the provider's event log (`limit` events at most), filtered; members with an
    /// assigned scope see only events about their clients.
    pub async fn provider_events(
        &self,
        caller: &Caller,
        provider_id: ProviderId,
        filter: &ProviderEventFilter<'_>,
        export: bool,
    ) -> Result<ProviderEventPage, DomainError> {
        let actor = self.provider_actor(caller, provider_id).await?;
        actor.require(Permission::ViewEvents, None)?;
        let range = parse_range(&filter.range, self.now())?;
        let member = match filter.member {
            None | Some("") => None,
            Some(raw) => {
                let id: ProviderUserId = raw.parse().map_err(|_| bad_filter("member"))?;
                let m = self
                    .store
                    .provider_user(provider_id, id)
                    .await?
                    .ok_or(DomainError::NotFound)?;
                Some((m.id, m.user_id))
            }
        };
        let mut clients: Option<Vec<ProviderOrgId>> = match filter.client {
            None | Some("") => None,
            Some(raw) => Some(vec![raw.parse().map_err(|_| bad_filter("client"))?]),
        };
        if let Some(me) = actor.assigned_filter() {
            let mine: Vec<ProviderOrgId> = self
                .store
                .provider_clients(provider_id, Some(me))
                .await?
                .into_iter()
                .map(|c| c.link.id)
                .collect();
            clients = Some(match clients {
                Some(asked) => asked.into_iter().filter(|c| mine.contains(c)).collect(),
                None => mine,
            });
        }
        let limit = if export { MAX_EXPORT_EVENTS } else { PAGE };
        let events = self
            .store
            .provider_events(&ProviderEventQuery {
                provider_id,
                member,
                clients,
                event_type: filter
                    .event_type
                    .map(|t| {
                        EventType::try_from(t)
                            .map_err(|_| DomainError::invalid("type", "Unknown event type."))
                    })
                    .transpose()?,
                start: range.start,
                end: range.end,
                before: if export { None } else { range.before },
                limit: limit + 1,
            })
            .await?;
        let mut events = events;
        let continuation = if events.len() > limit as usize {
            events.truncate(limit as usize);
            events.last().map(|(e, _)| format!("{}_{}", e.date.0, e.id))
        } else {
            None
        };
        Ok(ProviderEventPage {
            events,
            continuation: if export { None } else { continuation },
        })
    }

    /// Usage per client (seats, members by status, items, two-step login, last activity),
    /// within the caller's scope.
    pub async fn provider_usage(
        &self,
        caller: &Caller,
        provider_id: ProviderId,
    ) -> Result<Vec<ClientUsage>, DomainError> {
        let actor = self.provider_actor(caller, provider_id).await?;
        actor.require(Permission::ViewUsageAndBilling, None)?;
        Ok(self
            .store
            .client_usage(provider_id, actor.assigned_filter())
            .await?)
    }

    /// The caller's active provider memberships and the clients they may launch into — empty
    /// without two-step login (nothing reaches a member who has not turned it on).
    pub async fn my_providers(&self, caller: &Caller) -> Result<ProviderSync, DomainError> {
        let memberships: Vec<ProviderMembership> = self
            .store
            .provider_memberships_of_user(caller.user.id)
            .await?
            .into_iter()
            .filter(|m| {
                m.provider.enabled
                    && m.provider.status != ProviderStatus::Pending
                    && m.member.status == ProviderUserStatus::Confirmed
                    && !m.member.suspended
                    && m.member.key.is_some()
            })
            .collect();
        if memberships.is_empty() || !self.two_factor_enabled(&caller.user).await? {
            return Ok(ProviderSync::default());
        }
        let mut clients = Vec::new();
        for m in &memberships {
            let rights = ProviderRights::of(m.member.role, m.role.as_ref());
            if !rights.permissions.contains(Permission::LaunchIntoClient) {
                continue;
            }
            let only_assigned = rights.assigned_filter(m.member.id);
            for c in self
                .store
                .provider_clients(m.provider.id, only_assigned)
                .await?
            {
                let assigned = c.assigned.contains(&m.member.id);
                if c.org.enabled && rights.allows(Permission::LaunchIntoClient, assigned) {
                    clients.push((m.clone(), c));
                }
            }
        }
        Ok(ProviderSync {
            memberships,
            clients,
        })
    }
}
