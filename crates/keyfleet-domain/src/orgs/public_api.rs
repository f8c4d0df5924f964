//! The organization API key: the client_credentials grant with `organization.<id>` and what its
//! token reaches — a read-only slice of the public API (members, collections, events) of that one
//! organization, for an MSP's scripts and reports.

use super::EventPage;
use crate::error::DomainError;
use crate::identity::tokens::{api_key_matches, hash_opaque_token, AccessToken, ORG_API_SCOPE};
use crate::ids::OrgId;
use crate::orgs::store::{CollectionRow, OrgMemberDetails, OrgRow};
use crate::Domain;

/// A caller authenticated with an organization API key. Built only by the check of its token;
/// its field is not public.
#[derive(Debug, Clone)]
pub struct OrgApiCaller {
    /// The organization the key belongs to.
    pub(crate) org: OrgRow,
}

impl OrgApiCaller {
    /// The organization the key belongs to.
    pub fn org(&self) -> &OrgRow {
        &self.org
    }
}

/// A short stamp of the current key: tokens carry it, so a rotated key revokes them.
fn key_stamp(api_key: &str) -> String {
    hash_opaque_token(api_key)[..16].to_string()
}

impl Domain {
    /// client_credentials grant with `client_id = organization.<id>`.
    pub async fn login_org_api_key(
        &self,
        client_id: &str,
        client_secret: &str,
        ip: &str,
    ) -> Result<AccessToken, DomainError> {
        let now = self.now();
        let throttle_key = client_id.to_ascii_lowercase();
        self.throttle_reserve(&throttle_key, ip, now).await?;
        let org_id = client_id
            .strip_prefix("organization.")
            .and_then(|id| id.parse::<OrgId>().ok());
        let org = match org_id {
            Some(id) => self.store.org(id).await?,
            None => None,
        };
        let valid = org
            .as_ref()
            .is_some_and(|o| o.enabled && api_key_matches(&o.api_key_digest, client_secret));
        let Some(org) = org.filter(|_| valid) else {
            return Err(DomainError::InvalidCredentials);
        };
        self.throttle_succeeded(&throttle_key, ip).await?;
        self.tokens.issue_for_org(
            &org.id.to_string(),
            client_id,
            &key_stamp(&org.api_key_digest),
            now,
        )
    }

    /// Authenticates an organization API token: its org must still exist, be enabled and have
    /// the key the token was issued for.
    pub async fn authenticate_org(&self, bearer: &str) -> Result<OrgApiCaller, DomainError> {
        let (_, claims) = self
            .tokens
            .verify(bearer, self.now())
            .ok_or(DomainError::Unauthorized)?;
        if !claims.scope.iter().any(|s| s == ORG_API_SCOPE) {
            return Err(DomainError::Unauthorized);
        }
        let org_id: OrgId = claims.sub.parse().map_err(|_| DomainError::Unauthorized)?;
        let org = self
            .store
            .org(org_id)
            .await?
            .filter(|o| o.enabled && key_stamp(&o.api_key_digest) == claims.sstamp)
            .ok_or(DomainError::Unauthorized)?;
        Ok(OrgApiCaller { org })
    }

    /// The members of the key's organization.
    pub async fn public_members(
        &self,
        caller: &OrgApiCaller,
    ) -> Result<Vec<OrgMemberDetails>, DomainError> {
        Ok(self.store.org_member_details(caller.org.id, None).await?)
    }

    /// The collections of the key's organization.
    pub async fn public_collections(
        &self,
        caller: &OrgApiCaller,
    ) -> Result<Vec<CollectionRow>, DomainError> {
        Ok(self.store.collections(caller.org.id).await?)
    }

    /// The event log of the key's organization.
    pub async fn public_events(
        &self,
        caller: &OrgApiCaller,
        range: &super::EventRange<'_>,
    ) -> Result<EventPage, DomainError> {
        self.org_event_page(caller.org.id, range).await
    }
}
