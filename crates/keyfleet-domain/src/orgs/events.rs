//! The organization event log: reading it (per organization, per member, per item, with a date
//! range and a continuation token) and storing the events clients report themselves.

use super::{OrgActor, OrgCapability};
use crate::clock::Timestamp;
use crate::error::DomainError;
use crate::identity::caller::Caller;
use crate::ids::{CipherId, EventId, OrgId, OrgUserId};
use crate::orgs::store::{EventQuery, EventRow};
use crate::Domain;
use keyfleet_api::orgs::EventCollectRequest;

pub use keyfleet_api::kinds::EventType;

/// Most events one page returns.
pub const EVENT_PAGE_SIZE: u32 = 100;
/// Most events one `/events/collect` call may carry.
pub const MAX_COLLECTED_EVENTS: usize = 200;
const DEFAULT_RANGE_MS: i64 = 30 * 24 * 3600 * 1000;

/// A date range and paging position as the client sends them.
#[derive(Debug, Clone, Default)]
pub struct EventRange<'a> {
    /// `start` (ISO).
    pub start: Option<&'a str>,
    /// `end` (ISO).
    pub end: Option<&'a str>,
    /// The token of the previous page.
    pub continuation_token: Option<&'a str>,
}

/// A page of events and the token for the next one.
#[derive(Debug, Clone)]
pub struct EventPage {
    /// Newest first.
    pub events: Vec<EventRow>,
    /// Present when more may follow.
    pub continuation_token: Option<String>,
}

pub(crate) fn parse_range(
    range: &EventRange<'_>,
    now: Timestamp,
) -> Result<EventQuery, DomainError> {
    let date = |field: &'static str, raw: Option<&str>| -> Result<Option<Timestamp>, DomainError> {
        raw.filter(|s| !s.is_empty())
            .map(|s| {
                Timestamp::parse_iso(s).ok_or_else(|| DomainError::invalid(field, "Invalid date."))
            })
            .transpose()
    };
    let end = date("end", range.end)?.unwrap_or(now);
    let start = date("start", range.start)?.unwrap_or(Timestamp(end.0 - DEFAULT_RANGE_MS));
    if start > end {
        return Err(DomainError::bad_request(
            "Start date must be before end date.",
        ));
    }
    let before = match range.continuation_token.filter(|s| !s.is_empty()) {
        None => None,
        Some(token) => {
            let (ms, id) = token
                .split_once('_')
                .and_then(|(ms, id)| Some((ms.parse().ok()?, id.parse::<EventId>().ok()?)))
                .ok_or_else(|| DomainError::invalid("continuationToken", "Invalid token."))?;
            Some((Timestamp(ms), id))
        }
    };
    Ok(EventQuery {
        org_id: None,
        user_id: None,
        org_user_id: None,
        cipher_id: None,
        start,
        end,
        before,
        limit: EVENT_PAGE_SIZE,
    })
}

impl Domain {
    async fn event_page(&self, query: EventQuery) -> Result<EventPage, DomainError> {
        let events = self.store.events(&query).await?;
        let continuation_token = (events.len() == query.limit as usize)
            .then(|| events.last().map(|e| format!("{}_{}", e.date.0, e.id)))
            .flatten();
        Ok(EventPage {
            events,
            continuation_token,
        })
    }

    /// The organization's event log (owners, admins, custom with the permission).
    pub async fn org_events(
        &self,
        caller: &Caller,
        org_id: OrgId,
        range: &EventRange<'_>,
    ) -> Result<EventPage, DomainError> {
        let actor = self.org_actor(caller, org_id).await?;
        actor.require(OrgCapability::AccessEventLogs)?;
        self.org_event_page(org_id, range).await
    }

    /// One page of an organization's log; the caller's right to read it is already checked.
    pub(crate) async fn org_event_page(
        &self,
        org_id: OrgId,
        range: &EventRange<'_>,
    ) -> Result<EventPage, DomainError> {
        let mut query = parse_range(range, self.now())?;
        query.org_id = Some(org_id);
        self.event_page(query).await
    }

    /// Events by or about one member.
    pub async fn org_member_events(
        &self,
        caller: &Caller,
        org_id: OrgId,
        member_id: OrgUserId,
        range: &EventRange<'_>,
    ) -> Result<EventPage, DomainError> {
        let actor = self.org_actor(caller, org_id).await?;
        actor.require(OrgCapability::AccessEventLogs)?;
        let member = self
            .store
            .org_user(org_id, member_id)
            .await?
            .ok_or(DomainError::NotFound)?;
        let mut query = parse_range(range, self.now())?;
        query.org_id = Some(org_id);
        query.org_user_id = Some(member.id);
        query.user_id = member.user_id;
        self.event_page(query).await
    }

    /// Events about one org item the caller can read, for those who may read the log.
    pub async fn cipher_events(
        &self,
        caller: &Caller,
        cipher_id: CipherId,
        range: &EventRange<'_>,
    ) -> Result<EventPage, DomainError> {
        let view = self.cipher(caller, cipher_id).await?;
        let org_id = view.cipher.org_id.ok_or(DomainError::NotFound)?;
        let actor = self.org_actor(caller, org_id).await?;
        actor.require(OrgCapability::AccessEventLogs)?;
        let mut query = parse_range(range, self.now())?;
        query.org_id = Some(org_id);
        query.cipher_id = Some(cipher_id);
        self.event_page(query).await
    }

    /// Stores events a client reports (item viewed, password copied, …) for organizations the
    /// caller belongs to; others are dropped silently, as the official server does.
    pub async fn collect_events(
        &self,
        caller: &Caller,
        reported: &[EventCollectRequest],
    ) -> Result<(), DomainError> {
        if reported.len() > MAX_COLLECTED_EVENTS {
            return Err(DomainError::bad_request(format!(
                "At most {MAX_COLLECTED_EVENTS} events per request."
            )));
        }
        let mut events = Vec::new();
        let mut actors: Vec<OrgActor> = Vec::new();
        for r in reported {
            // An organization export is recorded by the server when it serves the export
            // (`Domain::export_org`); the client's own report of it would count it twice.
            let Some(event_type) = EventType::try_from(r.event_type)
                .ok()
                .filter(|t| t.client_reportable())
                .filter(|t| *t != EventType::OrganizationClientExportedVault)
            else {
                continue;
            };
            let cipher_id = r
                .cipher_id
                .as_deref()
                .and_then(|s| s.parse::<CipherId>().ok());
            // The organization is taken from the item when there is one, never trusted from the body.
            let org_id = match cipher_id {
                Some(id) => match self.cipher(caller, id).await {
                    Ok(view) => view.cipher.org_id,
                    // Read through the admin vault view rather than a collection (an admin, a
                    // launched provider member): their reveals and copies count too.
                    Err(DomainError::Store(e)) => return Err(DomainError::Store(e)),
                    Err(_) => match self.admin_item_actor(caller, id).await {
                        Ok(actor) => Some(actor.org.id),
                        Err(DomainError::Store(e)) => return Err(DomainError::Store(e)),
                        Err(_) => None,
                    },
                },
                None => r.organization_id.as_deref().and_then(|s| s.parse().ok()),
            };
            let Some(org_id) = org_id else { continue };
            let actor = match actors.iter().find(|a| a.org.id == org_id) {
                Some(a) => a.clone(),
                None => match self.org_actor(caller, org_id).await {
                    Ok(a) => {
                        actors.push(a.clone());
                        a
                    }
                    Err(_) => continue,
                },
            };
            events.push(EventRow {
                cipher_id,
                ..self.org_event(&actor, event_type)
            });
        }
        if !events.is_empty() {
            self.store.insert_events(&events).await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_range_defaults_to_the_last_thirty_days_and_refuses_reversed_dates() {
        let now = Timestamp(DEFAULT_RANGE_MS * 2);
        let q = parse_range(&EventRange::default(), now).unwrap();
        assert_eq!(q.end, now);
        assert_eq!(q.start, Timestamp(DEFAULT_RANGE_MS));
        let reversed = EventRange {
            start: Some("2026-02-01T00:00:00Z"),
            end: Some("2026-01-01T00:00:00Z"),
            continuation_token: None,
        };
        assert!(parse_range(&reversed, now).is_err());
    }

    #[test]
    fn a_continuation_token_must_name_a_position() {
        let id = EventId::new();
        let good = format!("1234_{id}");
        let range = EventRange {
            continuation_token: Some(&good),
            ..EventRange::default()
        };
        assert_eq!(
            parse_range(&range, Timestamp(0)).unwrap().before,
            Some((Timestamp(1234), id))
        );
        let bad = EventRange {
            continuation_token: Some("garbage"),
            ..EventRange::default()
        };
        assert!(parse_range(&bad, Timestamp(0)).is_err());
    }
}
