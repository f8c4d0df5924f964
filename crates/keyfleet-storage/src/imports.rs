//! Imports: thousands of rows in one transaction. Each table's rows go in multi-row `INSERT …
//! VALUES (…), (…)` statements of [`ROWS_PER_STATEMENT`], so a 10,000-item import is a few
//! hundred statements rather than tens of thousands of round trips to the driver; the account
//! revisions are bumped once at the end.

use crate::conn::{Arg, Conn, Sql, Q};
use crate::org_items::collection_list;
use crate::orgs::{bump_org, bump_user};
use crate::rows::{insert_events, insert_rows, Row};
use crate::{db, on_pool, SqlStore};
use keyfleet_domain::ids::{CipherId, CollectionId, OrgUserId, UserId};
use keyfleet_domain::store::{CipherRow, CollectionRow, FolderRow, ImportBatch, ImportStore};
use keyfleet_domain::StoreError;
use std::collections::HashMap;

/// An item with its `collection_list`, written with the row so that the triggers on
/// `cipher_collections` find it already right and write the row no second time (a second
/// version of each row also left PostgreSQL's copies of an imported organization's items
/// scattered over the table out of id order, and a member's sync read a page for each item).
struct Cipher<'a>(&'a CipherRow, Option<String>);
impl Row for Cipher<'_> {
    const WIDTH: usize = 10;
    fn bind<'q, DB: Sql>(&self, q: Q<'q, DB>) -> Q<'q, DB> {
        let c = self.0;
        q.arg(c.id.to_string())
            .arg(c.user_id.map(|u| u.to_string()))
            .arg(c.org_id.map(|o| o.to_string()))
            .arg(c.cipher_type)
            .arg(c.data.clone())
            .arg(c.creation_date.0)
            .arg(c.revision_date.0)
            .arg(c.deleted_date.map(|t| t.0))
            .arg(c.archived_date.map(|t| t.0))
            .arg(self.1.clone())
    }
}

struct Folder<'a>(UserId, &'a FolderRow);
impl Row for Folder<'_> {
    const WIDTH: usize = 4;
    fn bind<'q, DB: Sql>(&self, q: Q<'q, DB>) -> Q<'q, DB> {
        q.arg(self.1.id.to_string())
            .arg(self.0.to_string())
            .arg(self.1.name.clone())
            .arg(self.1.revision_date.0)
    }
}

/// The importer's folder and favorite for one item.
struct UserState(CipherId, UserId, Option<String>, bool);
impl Row for UserState {
    const WIDTH: usize = 4;
    fn bind<'q, DB: Sql>(&self, q: Q<'q, DB>) -> Q<'q, DB> {
        q.arg(self.0.to_string())
            .arg(self.1.to_string())
            .arg(self.2.clone())
            .arg(self.3)
    }
}

struct Collection<'a>(&'a CollectionRow);
impl Row for Collection<'_> {
    const WIDTH: usize = 6;
    fn bind<'q, DB: Sql>(&self, q: Q<'q, DB>) -> Q<'q, DB> {
        let c = self.0;
        q.arg(c.id.to_string())
            .arg(c.org_id.to_string())
            .arg(c.name.clone())
            .arg(c.external_id.clone())
            .arg(c.creation_date.0)
            .arg(c.revision_date.0)
    }
}

/// A member managing a collection the import creates.
struct Manager(CollectionId, OrgUserId);
impl Row for Manager {
    const WIDTH: usize = 5;
    fn bind<'q, DB: Sql>(&self, q: Q<'q, DB>) -> Q<'q, DB> {
        q.arg(self.0.to_string())
            .arg(self.1.to_string())
            .arg(false)
            .arg(false)
            .arg(true)
    }
}

struct Placement(CipherId, CollectionId);
impl Row for Placement {
    const WIDTH: usize = 2;
    fn bind<'q, DB: Sql>(&self, q: Q<'q, DB>) -> Q<'q, DB> {
        q.arg(self.0.to_string()).arg(self.1.to_string())
    }
}

/// Every statement of one import, on the transaction's connection.
async fn write_batch<C: Conn + ?Sized>(tx: &mut C, b: &ImportBatch) -> Result<(), StoreError> {
    let folders: Vec<Folder<'_>> = b.folders.iter().map(|f| Folder(b.importer, f)).collect();
    insert_rows(
        tx,
        "INSERT INTO folders (id, user_id, name, revision_date)",
        &folders,
    )
    .await?;
    if let Some(org) = &b.org {
        let rows: Vec<Collection<'_>> = org.collections.iter().map(Collection).collect();
        insert_rows(
            tx,
            "INSERT INTO collections (id, org_id, name, external_id, creation_date, revision_date)",
            &rows,
        )
        .await?;
        if let Some(member) = org.manager {
            let grants: Vec<Manager> = org
                .collections
                .iter()
                .map(|c| Manager(c.id, member))
                .collect();
            insert_rows(
                tx,
                "INSERT INTO collection_users (collection_id, org_user_id, read_only, \
                 hide_passwords, manage)",
                &grants,
            )
            .await?;
        }
    }
    let mut placed: HashMap<CipherId, Vec<CollectionId>> = HashMap::new();
    for (item, collection) in b.org.iter().flat_map(|o| &o.placements) {
        placed.entry(*item).or_default().push(*collection);
    }
    let ciphers: Vec<Cipher<'_>> = b
        .ciphers
        .iter()
        .map(|v| {
            let list = placed
                .get(&v.cipher.id)
                .and_then(|cols| collection_list(cols));
            Cipher(&v.cipher, list)
        })
        .collect();
    insert_rows(
        tx,
        "INSERT INTO ciphers (id, user_id, org_id, cipher_type, data, creation_date, \
         revision_date, deleted_date, archived_date, collection_list)",
        &ciphers,
    )
    .await?;
    let states: Vec<UserState> = b
        .ciphers
        .iter()
        .filter(|v| v.folder_id.is_some() || v.favorite)
        .map(|v| {
            UserState(
                v.cipher.id,
                b.importer,
                v.folder_id.map(|f| f.to_string()),
                v.favorite,
            )
        })
        .collect();
    insert_rows(
        tx,
        "INSERT INTO cipher_user_state (cipher_id, user_id, folder_id, favorite)",
        &states,
    )
    .await?;
    bump_user(tx, b.importer, b.now.0).await?;
    if let Some(org) = &b.org {
        let placements: Vec<Placement> = org
            .placements
            .iter()
            .map(|(c, col)| Placement(*c, *col))
            .collect();
        insert_rows(
            tx,
            "INSERT INTO cipher_collections (cipher_id, collection_id)",
            &placements,
        )
        .await?;
        insert_events(tx, &org.events).await?;
        bump_org(tx, org.org_id, b.now.0).await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl ImportStore for SqlStore {
    async fn import_items(&self, batch: &ImportBatch) -> Result<(), StoreError> {
        on_pool!(&self.pool, p => {
            let mut tx = self.begin(p).await?;
            write_batch(&mut *tx, batch).await?;
            tx.commit().await.map_err(db)
        })
    }
}
