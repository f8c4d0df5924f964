//! Multi-row inserts: each table's rows go in `INSERT … VALUES (…), (…)` statements of
//! [`ROWS_PER_STATEMENT`], so a write of thousands of rows is a few statements rather than a round
//! trip to the driver per row. A table's row type binds its columns once ([`Row`]), for single
//! writes and imports alike.

use crate::conn::{Arg, Conn, Sql, Q};
use crate::placeholders;
use keyfleet_domain::store::EventRow;
use keyfleet_domain::StoreError;

/// Rows per statement: 16 × 200 = 3,200 parameters for the widest table (events), well under
/// SQLite's 32,766 and PostgreSQL's 65,535.
const ROWS_PER_STATEMENT: usize = 200;

/// A row of one table, bound in its column order.
pub(crate) trait Row: Sync {
    /// Its number of columns.
    const WIDTH: usize;
    /// `q` with this row's values bound next.
    fn bind<'q, DB: Sql>(&self, q: Q<'q, DB>) -> Q<'q, DB>;
}

/// `head VALUES ($1, …), (…)` for `rows` rows of `width` columns.
fn values_sql(head: &str, width: usize, rows: usize) -> String {
    let tuples: Vec<String> = (0..rows)
        .map(|r| format!("({})", placeholders(r * width + 1, width)))
        .collect();
    format!("{head} VALUES {}", tuples.join(", "))
}

/// Inserts `rows` under `head` (`INSERT INTO t (a, b, …)`) in as few statements as the
/// parameter limits allow, inside the current transaction.
pub(crate) async fn insert_rows<C: Conn + ?Sized, R: Row>(
    tx: &mut C,
    head: &str,
    rows: &[R],
) -> Result<(), StoreError> {
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        let sql = values_sql(head, R::WIDTH, chunk.len());
        let mut q = sqlx::query(&sql);
        for r in chunk {
            q = r.bind(q);
        }
        tx.run(q).await?;
    }
    Ok(())
}

/// The audit events table's columns, in [`Event`]'s bind order.
const EVENTS_INSERT: &str = "INSERT INTO events (id, event_type, date, org_id, user_id, \
     acting_user_id, org_user_id, cipher_id, collection_id, group_id, policy_id, provider_id, \
     provider_user_id, provider_org_id, device_type, ip_address)";

struct Event<'a>(&'a EventRow);
impl Row for Event<'_> {
    const WIDTH: usize = 16;
    fn bind<'q, DB: Sql>(&self, q: Q<'q, DB>) -> Q<'q, DB> {
        let e = self.0;
        q.arg(e.id.to_string())
            .arg(e.event_type.code())
            .arg(e.date.0)
            .arg(e.org_id.map(|v| v.to_string()))
            .arg(e.user_id.map(|v| v.to_string()))
            .arg(e.acting_user_id.map(|v| v.to_string()))
            .arg(e.org_user_id.map(|v| v.to_string()))
            .arg(e.cipher_id.map(|v| v.to_string()))
            .arg(e.collection_id.map(|v| v.to_string()))
            .arg(e.group_id.map(|v| v.to_string()))
            .arg(e.policy_id.map(|v| v.to_string()))
            .arg(e.provider_id.map(|v| v.to_string()))
            .arg(e.provider_user_id.map(|v| v.to_string()))
            .arg(e.provider_org_id.map(|v| v.to_string()))
            .arg(e.device_type)
            .arg(e.ip_address.clone())
    }
}

/// Inserts audit events inside the current transaction.
pub(crate) async fn insert_events<C: Conn + ?Sized>(
    tx: &mut C,
    events: &[EventRow],
) -> Result<(), StoreError> {
    let rows: Vec<Event<'_>> = events.iter().map(Event).collect();
    insert_rows(tx, EVENTS_INSERT, &rows).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_numbered_on_from_one_statement_to_the_next() {
        assert_eq!(
            values_sql("INSERT INTO t (a, b)", 2, 2),
            "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4)"
        );
    }
}
