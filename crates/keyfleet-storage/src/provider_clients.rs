//! A provider's client companies: the list with seats and assignments, the usage report, and
//! creating, linking, editing and unlinking clients. `ProviderStore` (in `providers`) calls these.

use crate::codes::{OU_ACCEPTED, OU_CONFIRMED, OU_INVITED, OU_REVOKED};
use crate::conn::{Arg, Conn};
use crate::org_records::ORG_COLUMNS;
use crate::orgs::{
    bump_org, bump_user, insert_collection_row, insert_events, insert_org_row, insert_org_user,
    replace_member_access,
};
use crate::provider_records::{
    AssignmentRecord, ClientRecord, ProviderOrgRecord, UsageRecord, PROVIDER_ORG_COLUMNS,
};
use crate::providers::bump_provider_members;
use crate::records::id;
use crate::{db, on_pool, SqlStore};
use keyfleet_domain::ids::{GroupId, OrgId, ProviderId, ProviderOrgId, ProviderUserId};
use keyfleet_domain::providers::store::{ClientUsage, ProviderClient, ProviderOrgRow};
use keyfleet_domain::store::{
    AccessSelection, CollectionRow, EventRow, OrgRow, OrgUserRow, Resync,
};
use keyfleet_domain::{StoreError, Timestamp};
use std::collections::HashMap;

/// Inserts one client link (a second link of the same organization is a unique violation).
async fn insert_link<C: Conn + ?Sized>(
    tx: &mut C,
    link: &ProviderOrgRow,
) -> Result<(), StoreError> {
    let q = sqlx::query(
        "INSERT INTO provider_orgs (id, provider_id, org_id, org_key, website, region, notes, \
         creation_date, revision_date) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .arg(link.id.to_string())
    .arg(link.provider_id.to_string())
    .arg(link.org_id.to_string())
    .arg(link.key.as_str())
    .arg(link.website.as_deref())
    .arg(link.region.as_deref())
    .arg(link.notes.as_deref())
    .arg(link.creation_date.0)
    .arg(link.revision_date.0);
    tx.run(q).await?;
    Ok(())
}

/// Which clients a client query reads (`$2` when bound).
pub(crate) enum ClientFilter {
    All,
    AssignedTo(ProviderUserId),
    One(ProviderOrgId),
}

impl ClientFilter {
    fn sql(&self) -> &'static str {
        match self {
            ClientFilter::All => "",
            ClientFilter::AssignedTo(_) => {
                " AND EXISTS (SELECT 1 FROM provider_assignments me \
                 WHERE me.provider_org_id = po.id AND me.provider_user_id = $2)"
            }
            ClientFilter::One(_) => " AND po.id = $2",
        }
    }

    fn value(&self) -> Option<String> {
        match self {
            ClientFilter::All => None,
            ClientFilter::AssignedTo(m) => Some(m.to_string()),
            ClientFilter::One(c) => Some(c.to_string()),
        }
    }

    pub(crate) fn of(assigned_to: Option<ProviderUserId>) -> Self {
        assigned_to.map_or(ClientFilter::All, ClientFilter::AssignedTo)
    }
}

fn assignments_by_client(
    recs: Vec<AssignmentRecord>,
) -> Result<HashMap<String, Vec<ProviderUserId>>, StoreError> {
    let mut out: HashMap<String, Vec<ProviderUserId>> = HashMap::new();
    for a in recs {
        let member = id(&a.provider_user_id)?;
        out.entry(a.provider_org_id).or_default().push(member);
    }
    Ok(out)
}

/// Assigns a just-linked client to the member who added it (when one did; only one of the
/// provider's).
async fn assign_new_client<C: Conn + ?Sized>(
    tx: &mut C,
    link: &ProviderOrgRow,
    member: Option<ProviderUserId>,
) -> Result<(), StoreError> {
    let Some(member) = member else {
        return Ok(());
    };
    let q = sqlx::query(
        "INSERT INTO provider_assignments (provider_user_id, provider_org_id) \
         SELECT pu.id, $2 FROM provider_users pu WHERE pu.id = $1 AND pu.provider_id = $3",
    )
    .arg(member.to_string())
    .arg(link.id.to_string())
    .arg(link.provider_id.to_string());
    tx.run(q).await?;
    Ok(())
}

impl SqlStore {
    /// Clients with their organization, seat counts and assigned members: one query for the
    /// rows (member counts from one grouped join over the provider's clients) and one for every
    /// assignment of those clients.
    pub(crate) async fn clients(
        &self,
        provider_id: ProviderId,
        filter: ClientFilter,
    ) -> Result<Vec<ProviderClient>, StoreError> {
        let f = filter.sql();
        let rows_sql = format!(
            "SELECT {PROVIDER_ORG_COLUMNS}, {ORG_COLUMNS}, \
             COALESCE(m.seats_used, 0) AS seats_used, COALESCE(m.user_count, 0) AS user_count \
             FROM provider_orgs po JOIN organizations o ON o.id = po.org_id \
             LEFT JOIN (SELECT ou.org_id, \
                 COUNT(CASE WHEN ou.status <> {OU_REVOKED} THEN 1 END) AS seats_used, \
                 COUNT(CASE WHEN ou.status = {OU_CONFIRMED} THEN 1 END) AS user_count \
               FROM org_users ou JOIN provider_orgs x ON x.org_id = ou.org_id \
               WHERE x.provider_id = $1 GROUP BY ou.org_id) m ON m.org_id = po.org_id \
             WHERE po.provider_id = $1{f} ORDER BY o.name, po.id"
        );
        let assigned_sql = format!(
            "SELECT pa.provider_user_id, pa.provider_org_id FROM provider_assignments pa \
             JOIN provider_orgs po ON po.id = pa.provider_org_id \
             JOIN provider_users pu ON pu.id = pa.provider_user_id \
               AND pu.provider_id = po.provider_id \
             WHERE po.provider_id = $1{f} ORDER BY pu.creation_date, pu.id"
        );
        let value = filter.value();
        let (rows, assigned): (Vec<ClientRecord>, Vec<AssignmentRecord>) = on_pool!(&self.pool, p => {
            let mut q1 = sqlx::query_as(&rows_sql).bind(provider_id.to_string());
            let mut q2 = sqlx::query_as(&assigned_sql).bind(provider_id.to_string());
            if let Some(v) = &value {
                q1 = q1.bind(v.clone());
                q2 = q2.bind(v.clone());
            }
            (q1.fetch_all(p).await.map_err(db)?, q2.fetch_all(p).await.map_err(db)?)
        });
        let mut assigned = assignments_by_client(assigned)?;
        rows.into_iter()
            .map(|r| {
                let link = ProviderOrgRow::try_from(r.link)?;
                Ok(ProviderClient {
                    assigned: assigned.remove(&link.id.to_string()).unwrap_or_default(),
                    org: OrgRow::try_from(r.org)?,
                    seats_used: r.seats_used,
                    user_count: r.user_count,
                    link,
                })
            })
            .collect()
    }

    /// The link of an organization (`ProviderStore::provider_link_of_org`).
    pub(crate) async fn client_link_of_org(
        &self,
        org_id: OrgId,
    ) -> Result<Option<ProviderOrgRow>, StoreError> {
        let sql =
            format!("SELECT {PROVIDER_ORG_COLUMNS} FROM provider_orgs po WHERE po.org_id = $1");
        let rec: Option<ProviderOrgRecord> = on_pool!(&self.pool, p => sqlx::query_as(&sql)
            .bind(org_id.to_string())
            .fetch_optional(p)
            .await)
        .map_err(db)?;
        rec.map(ProviderOrgRow::try_from).transpose()
    }

    /// A client organization created by the provider (`ProviderStore::insert_provider_client`).
    pub(crate) async fn create_client(
        &self,
        org: &OrgRow,
        link: &ProviderOrgRow,
        collection: Option<&CollectionRow>,
        owner_invite: Option<(&OrgUserRow, &[AccessSelection])>,
        assign_to: Option<ProviderUserId>,
        events: &[EventRow],
    ) -> Result<(), StoreError> {
        let no_groups: &[GroupId] = &[];
        on_pool!(&self.pool, p => {
            let mut tx = self.begin(p).await?;
            insert_org_row(&mut *tx, org).await?;
            if let Some(c) = collection {
                insert_collection_row(&mut *tx, c).await?;
            }
            insert_link(&mut *tx, link).await?;
            assign_new_client(&mut *tx, link, assign_to).await?;
            if let Some((owner, access)) = owner_invite {
                insert_org_user(&mut *tx, owner).await?;
                replace_member_access(&mut *tx, owner.id, access, no_groups).await?;
                if let Some(user) = owner.user_id {
                    bump_user(&mut *tx, user, org.revision_date.0).await?;
                }
            }
            insert_events(&mut *tx, events).await?;
            bump_provider_members(&mut *tx, link.provider_id, link.revision_date.0).await?;
            tx.commit().await.map_err(db)
        })
    }

    /// An existing organization linked (`ProviderStore::insert_provider_link`).
    pub(crate) async fn link_client(
        &self,
        link: &ProviderOrgRow,
        assign_to: Option<ProviderUserId>,
        events: &[EventRow],
    ) -> Result<(), StoreError> {
        on_pool!(&self.pool, p => {
            let mut tx = self.begin(p).await?;
            insert_link(&mut *tx, link).await?;
            assign_new_client(&mut *tx, link, assign_to).await?;
            insert_events(&mut *tx, events).await?;
            bump_provider_members(&mut *tx, link.provider_id, link.revision_date.0).await?;
            tx.commit().await.map_err(db)
        })
    }

    /// A client's details (`ProviderStore::update_provider_link`).
    pub(crate) async fn edit_client(
        &self,
        link: &ProviderOrgRow,
        org: Option<&OrgRow>,
        events: &[EventRow],
    ) -> Result<(), StoreError> {
        const LINK: &str = "UPDATE provider_orgs SET website = $3, region = $4, notes = $5, \
            revision_date = $6 WHERE id = $1 AND provider_id = $2";
        // Only the organization this provider's link names.
        const ORG: &str = "UPDATE organizations SET name = $2, seats = $3, revision_date = $4 \
            WHERE id = $1 AND id IN (SELECT org_id FROM provider_orgs WHERE id = $5 AND provider_id = $6)";
        on_pool!(&self.pool, p => {
            let mut tx = self.begin(p).await?;
            let n = sqlx::query(LINK)
                .bind(link.id.to_string())
                .bind(link.provider_id.to_string())
                .bind(&link.website)
                .bind(&link.region)
                .bind(&link.notes)
                .bind(link.revision_date.0)
                .execute(&mut *tx)
                .await
                .map_err(db)?
                .rows_affected();
            if n != 1 {
                // Unlinked since it was read.
                return Err(StoreError::Conflict);
            }
            if let Some(org) = org {
                let n = sqlx::query(ORG)
                    .bind(org.id.to_string())
                    .bind(&org.name)
                    .bind(org.seats)
                    .bind(org.revision_date.0)
                    .bind(link.id.to_string())
                    .bind(link.provider_id.to_string())
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?
                    .rows_affected();
                if n != 1 {
                    return Err(StoreError::Conflict);
                }
                bump_org(&mut *tx, org.id, org.revision_date.0).await?;
                bump_provider_members(&mut *tx, link.provider_id, org.revision_date.0).await?;
            }
            insert_events(&mut *tx, events).await?;
            tx.commit().await.map_err(db)
        })
    }

    /// A client unlinked (`ProviderStore::delete_provider_link`).
    pub(crate) async fn unlink_client(
        &self,
        provider_id: ProviderId,
        id: ProviderOrgId,
        resync: Resync,
        events: &[EventRow],
    ) -> Result<bool, StoreError> {
        // Assignments go with the link (ON DELETE CASCADE), and so does the wrapped org key.
        const SQL: &str = "DELETE FROM provider_orgs WHERE id = $1 AND provider_id = $2";
        on_pool!(&self.pool, p => {
            let mut tx = self.begin(p).await?;
            let n = sqlx::query(SQL)
                .bind(id.to_string())
                .bind(provider_id.to_string())
                .execute(&mut *tx)
                .await
                .map_err(db)?
                .rows_affected();
            if n == 0 {
                return Ok(false);
            }
            insert_events(&mut *tx, events).await?;
            if let Resync::At(at) = resync {
                bump_provider_members(&mut *tx, provider_id, at.0).await?;
            }
            tx.commit().await.map_err(db)?;
            Ok(true)
        })
    }

    /// The usage report (`ProviderStore::client_usage`).
    pub(crate) async fn usage_report(
        &self,
        provider_id: ProviderId,
        assigned_to: Option<ProviderUserId>,
    ) -> Result<Vec<ClientUsage>, StoreError> {
        let filter = ClientFilter::of(assigned_to);
        // Member counts from one grouped join over this provider's clients; items and the last
        // event are index lookups per client (ciphers_org, events_org).
        let sql = format!(
            "SELECT {PROVIDER_ORG_COLUMNS}, {ORG_COLUMNS}, \
             COALESCE(m.confirmed, 0) AS confirmed, COALESCE(m.accepted, 0) AS accepted, \
             COALESCE(m.invited, 0) AS invited, COALESCE(m.revoked, 0) AS revoked, \
             COALESCE(m.two_factor_members, 0) AS two_factor_members, \
             (SELECT COUNT(*) FROM ciphers c WHERE c.org_id = po.org_id) AS items, \
             (SELECT MAX(e.date) FROM events e WHERE e.org_id = po.org_id) AS last_activity \
             FROM provider_orgs po JOIN organizations o ON o.id = po.org_id \
             LEFT JOIN (SELECT ou.org_id, \
                 COUNT(CASE WHEN ou.status = {OU_CONFIRMED} THEN 1 END) AS confirmed, \
                 COUNT(CASE WHEN ou.status = {OU_ACCEPTED} THEN 1 END) AS accepted, \
                 COUNT(CASE WHEN ou.status = {OU_INVITED} THEN 1 END) AS invited, \
                 COUNT(CASE WHEN ou.status = {OU_REVOKED} THEN 1 END) AS revoked, \
                 COUNT(CASE WHEN ou.status IN ({OU_ACCEPTED}, {OU_CONFIRMED}) AND EXISTS (SELECT 1 FROM two_factor t \
                   WHERE t.user_id = ou.user_id AND t.enabled) THEN 1 END) AS two_factor_members \
               FROM org_users ou JOIN provider_orgs x ON x.org_id = ou.org_id \
               WHERE x.provider_id = $1 GROUP BY ou.org_id) m ON m.org_id = po.org_id \
             WHERE po.provider_id = $1{} ORDER BY o.name, po.id",
            filter.sql()
        );
        let value = filter.value();
        let recs: Vec<UsageRecord> = on_pool!(&self.pool, p => {
            let mut q = sqlx::query_as(&sql).bind(provider_id.to_string());
            if let Some(v) = &value {
                q = q.bind(v.clone());
            }
            q.fetch_all(p).await.map_err(db)?
        });
        recs.into_iter()
            .map(|r| {
                Ok(ClientUsage {
                    link: ProviderOrgRow::try_from(r.link)?,
                    org: OrgRow::try_from(r.org)?,
                    confirmed: r.confirmed,
                    accepted: r.accepted,
                    invited: r.invited,
                    revoked: r.revoked,
                    items: r.items,
                    two_factor_members: r.two_factor_members,
                    last_activity: r.last_activity.map(Timestamp),
                })
            })
            .collect()
    }
}
