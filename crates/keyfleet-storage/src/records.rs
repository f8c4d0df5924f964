//! Row records as the drivers decode them (plain column types), and their conversion into the
//! domain's rows. Both backends store ids as TEXT and times as BIGINT milliseconds.

use crate::sqlite_read::lite;
use keyfleet_domain::store::{
    CipherRow, CipherView, DeviceRow, FolderRow, ItemAccess, KdfParams, RefreshTokenRow, UserRow,
};
use keyfleet_domain::{StoreError, Timestamp};
use std::str::FromStr;

pub(crate) fn id<T: FromStr>(s: &str) -> Result<T, StoreError> {
    s.parse()
        .map_err(|_| StoreError::Corrupt(format!("bad id {s:?}")))
}

pub(crate) fn opt_id<T: FromStr>(s: Option<&str>) -> Result<Option<T>, StoreError> {
    s.map(id).transpose()
}

/// A member of a closed set (`keyfleet_api::kinds`) from its stored number.
pub(crate) fn code<T>(n: i32) -> Result<T, StoreError>
where
    T: TryFrom<i32>,
    T::Error: std::fmt::Display,
{
    T::try_from(n).map_err(|e| StoreError::Corrupt(e.to_string()))
}

#[derive(sqlx::FromRow)]
pub(crate) struct UserRecord {
    id: String,
    email: String,
    name: Option<String>,
    password_hash: String,
    password_hint: Option<String>,
    kdf_type: i32,
    kdf_iterations: i32,
    kdf_memory: Option<i32>,
    kdf_parallelism: Option<i32>,
    user_key: String,
    public_key: Option<String>,
    private_key: Option<String>,
    security_stamp: String,
    user_key_id: Option<String>,
    api_key: String,
    culture: String,
    force_password_reset: bool,
    creation_date: i64,
    revision_date: i64,
}

/// The columns of a `users` row (`FROM users`), its revision date as the account's clients see
/// it: the greater of its own and the revision of every organization it is bound to
/// (`orgs::bump_org`), so an organization write moves every member's date without writing their
/// rows. Every read of an account goes through this list.
pub(crate) const USER_COLUMNS: &str = "id, email, name, password_hash, password_hint, kdf_type, \
    kdf_iterations, kdf_memory, kdf_parallelism, user_key, public_key, private_key, \
    security_stamp, user_key_id, api_key, culture, force_password_reset, creation_date, \
    (SELECT MAX(r) FROM (SELECT users.revision_date AS r UNION ALL \
    SELECT o.revision_date FROM org_users ou JOIN org_revisions o ON o.org_id = ou.org_id \
    WHERE ou.user_id = users.id) revisions) AS revision_date";

impl TryFrom<UserRecord> for UserRow {
    type Error = StoreError;
    fn try_from(r: UserRecord) -> Result<Self, StoreError> {
        Ok(UserRow {
            id: id(&r.id)?,
            email: r.email,
            name: r.name,
            password_hash: r.password_hash,
            password_hint: r.password_hint,
            kdf: KdfParams {
                kdf_type: r.kdf_type,
                iterations: r.kdf_iterations,
                memory: r.kdf_memory,
                parallelism: r.kdf_parallelism,
            },
            key: r.user_key,
            public_key: r.public_key,
            private_key: r.private_key,
            security_stamp: r.security_stamp,
            user_key_id: r.user_key_id,
            api_key_digest: r.api_key,
            culture: r.culture,
            force_password_reset: r.force_password_reset,
            creation_date: Timestamp(r.creation_date),
            revision_date: Timestamp(r.revision_date),
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct DeviceRecord {
    id: String,
    user_id: String,
    identifier: String,
    device_type: i32,
    name: String,
    creation_date: i64,
    last_seen: i64,
    encrypted_user_key: Option<String>,
    encrypted_public_key: Option<String>,
    encrypted_private_key: Option<String>,
}

/// The columns of a `DeviceRecord`.
pub(crate) const DEVICE_COLUMNS: &str = "id, user_id, identifier, device_type, name, \
    creation_date, last_seen, encrypted_user_key, encrypted_public_key, encrypted_private_key";

impl TryFrom<DeviceRecord> for DeviceRow {
    type Error = StoreError;
    fn try_from(r: DeviceRecord) -> Result<Self, StoreError> {
        Ok(DeviceRow {
            id: id(&r.id)?,
            user_id: id(&r.user_id)?,
            identifier: r.identifier,
            device_type: r.device_type,
            name: r.name,
            creation_date: Timestamp(r.creation_date),
            last_seen: Timestamp(r.last_seen),
            keys: match (
                r.encrypted_user_key,
                r.encrypted_public_key,
                r.encrypted_private_key,
            ) {
                (
                    Some(encrypted_user_key),
                    Some(encrypted_public_key),
                    Some(encrypted_private_key),
                ) => Some(keyfleet_domain::store::DeviceKeys {
                    encrypted_user_key,
                    encrypted_public_key,
                    encrypted_private_key,
                }),
                _ => None,
            },
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct RefreshTokenRecord {
    token_hash: String,
    family: String,
    user_id: String,
    device_id: Option<String>,
    client_id: String,
    security_stamp: String,
    created: i64,
    expires: i64,
    used: Option<i64>,
    revoked: bool,
}

pub(crate) const REFRESH_COLUMNS: &str =
    "token_hash, family, user_id, device_id, client_id, security_stamp, created, expires, used, revoked";

impl TryFrom<RefreshTokenRecord> for RefreshTokenRow {
    type Error = StoreError;
    fn try_from(r: RefreshTokenRecord) -> Result<Self, StoreError> {
        Ok(RefreshTokenRow {
            token_hash: r.token_hash,
            family: id(&r.family)?,
            user_id: id(&r.user_id)?,
            device_id: opt_id(r.device_id.as_deref())?,
            client_id: r.client_id,
            security_stamp: r.security_stamp,
            created: Timestamp(r.created),
            expires: Timestamp(r.expires),
            used: r.used.map(Timestamp),
            revoked: r.revoked,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct FolderRecord {
    id: String,
    name: String,
    revision_date: i64,
}

impl TryFrom<FolderRecord> for FolderRow {
    type Error = StoreError;
    fn try_from(r: FolderRecord) -> Result<Self, StoreError> {
        Ok(FolderRow {
            id: id(&r.id)?,
            name: r.name,
            revision_date: Timestamp(r.revision_date),
        })
    }
}

/// A readable-ciphers row. The columns an own-items page leaves out
/// ([`CipherColumns::OWN_ITEMS_OMIT`]) are nothing here (no owner, no right, no collection):
/// the page fills them in ([`PageFill`](crate::vault::PageFill)).
#[derive(sqlx::FromRow)]
pub(crate) struct CipherRecord {
    id: String,
    #[sqlx(default)]
    user_id: Option<String>,
    org_id: Option<String>,
    cipher_type: i32,
    data: String,
    creation_date: i64,
    revision_date: i64,
    deleted_date: Option<i64>,
    archived_date: Option<i64>,
    #[sqlx(default)]
    can_edit: i32,
    #[sqlx(default)]
    can_view: i32,
    #[sqlx(default)]
    can_manage: i32,
    #[sqlx(default)]
    collection_ids: Option<String>,
    folder_id: Option<String>,
    favorite: Option<bool>,
}

/// Where each column of a readable-ciphers query is, for SQLite's direct page reader
/// (`sqlite_read`), which decodes rows itself rather than through `sqlx::FromRow`. A column
/// in [`CipherColumns::OWN_ITEMS_OMIT`] may be absent (`None`): it reads as nothing.
pub(crate) struct CipherColumns([Option<usize>; 15]);

impl CipherColumns {
    /// The columns, in `CipherRecord`'s order.
    pub(crate) const NAMES: [&'static str; 15] = [
        "id",
        "user_id",
        "org_id",
        "cipher_type",
        "data",
        "creation_date",
        "revision_date",
        "deleted_date",
        "archived_date",
        "can_edit",
        "can_view",
        "can_manage",
        "collection_ids",
        "folder_id",
        "favorite",
    ];

    /// The columns an own-items page (`Reach::PersonalPage`) leaves out, because they are the
    /// same on every one of its rows: the owner (the reader), the rights (all of them) and the
    /// collections (none). A decoder reads them as nothing and the page fills them in
    /// ([`PageFill`](crate::vault::PageFill)); a sync decodes ten thousand rows, and these were a
    /// third of each row's values.
    pub(crate) const OWN_ITEMS_OMIT: [&'static str; 5] = [
        "user_id",
        "can_edit",
        "can_view",
        "can_manage",
        "collection_ids",
    ];

    /// Where each of [`CipherColumns::NAMES`] is by `find`, which answers `None` for a column
    /// the statement does not return. Only an own-items page (`own_items`) may leave out those
    /// of [`CipherColumns::OWN_ITEMS_OMIT`]: any other page missing a column is an error naming
    /// it, never a right granted by default.
    fn find<E>(
        mut find: impl FnMut(&'static str) -> Result<Option<usize>, E>,
        err: impl Fn(&'static str) -> E,
        own_items: bool,
    ) -> Result<[Option<usize>; 15], E> {
        let mut at = [None; 15];
        for (slot, name) in at.iter_mut().zip(Self::NAMES) {
            *slot = find(name)?;
            if slot.is_none() && !(own_items && Self::OWN_ITEMS_OMIT.contains(&name)) {
                return Err(err(name));
            }
        }
        Ok(at)
    }

    /// Finds the columns in a prepared statement, of an own-items page or not (an error names
    /// a missing one).
    pub(crate) fn of(stmt: &rusqlite::Statement<'_>, own_items: bool) -> rusqlite::Result<Self> {
        let names = stmt.column_names();
        Self::find(
            |name| Ok(names.iter().position(|n| n.eq_ignore_ascii_case(name))),
            |name| rusqlite::Error::InvalidColumnName(name.into()),
            own_items,
        )
        .map(CipherColumns)
    }

    /// Decodes one row straight into a view: ids are parsed from the row's text in place, with
    /// no `String` of their own (a sync decodes ten thousand of these).
    pub(crate) fn view(&self, r: &rusqlite::Row<'_>) -> Result<CipherView, StoreError> {
        let at = &self.0;
        let text = |i: usize| -> Result<Option<&str>, StoreError> {
            let Some(at) = at[i] else {
                return Ok(None);
            };
            match r.get_ref(at).map_err(lite)? {
                rusqlite::types::ValueRef::Null => Ok(None),
                v => v
                    .as_str()
                    .map(Some)
                    .map_err(|e| StoreError::Corrupt(e.to_string())),
            }
        };
        let int = |i: usize| -> Result<Option<i64>, StoreError> {
            match at[i] {
                Some(at) => r.get::<_, Option<i64>>(at).map_err(lite),
                None => Ok(Some(0)),
            }
        };
        let must = |i: usize| -> Result<i64, StoreError> {
            int(i)?.ok_or_else(|| StoreError::Corrupt(format!("{} is null", Self::NAMES[i])))
        };
        let data = at[4].ok_or_else(|| StoreError::Corrupt("no data column".into()))?;
        CipherParts {
            id: text(0)?.unwrap_or_default(),
            user_id: text(1)?,
            org_id: text(2)?,
            cipher_type: i32::try_from(must(3)?).map_err(|e| StoreError::Corrupt(e.to_string()))?,
            data: r.get(data).map_err(lite)?,
            creation_date: must(5)?,
            revision_date: must(6)?,
            deleted_date: int(7)?,
            archived_date: int(8)?,
            can: [must(9)? != 0, must(10)? != 0, must(11)? != 0],
            collection_ids: text(12)?,
            folder_id: text(13)?,
            favorite: int(14)?.is_some_and(|f| f != 0),
        }
        .view()
    }
}

/// Where each column of a readable-ciphers query is in a PostgreSQL row: found once per page by
/// name, then read by position (`FromRow` looks every column up by name, for every row).
pub(crate) struct PgCipherColumns([Option<usize>; 15]);

impl PgCipherColumns {
    /// The columns of `row`, of an own-items page or not (an error names a missing one), their
    /// types checked on it: the
    /// rows of one query all have the same, so [`PgCipherColumns::view`] reads each value
    /// without checking its type again (the checks were a seventh of a sync's CPU).
    pub(crate) fn of(row: &sqlx::postgres::PgRow, own_items: bool) -> Result<Self, StoreError> {
        use sqlx::{Column, Row};
        let at = CipherColumns::find(
            |name| {
                Ok::<_, StoreError>(
                    row.columns()
                        .iter()
                        .find(|c| c.name() == name)
                        .map(|c| c.ordinal()),
                )
            },
            |name| StoreError::Corrupt(format!("a sync page without column {name}")),
            own_items,
        )?;
        let cols = PgCipherColumns(at);
        cols.decode(row, true)?;
        Ok(cols)
    }

    /// Decodes one row of the query whose columns these are straight into a view, ids parsed
    /// from the row's text in place.
    pub(crate) fn view(&self, r: &sqlx::postgres::PgRow) -> Result<CipherView, StoreError> {
        self.decode(r, false)
    }

    fn decode(&self, r: &sqlx::postgres::PgRow, check: bool) -> Result<CipherView, StoreError> {
        use sqlx::postgres::Postgres;
        use sqlx::{Decode, Row, Type};
        fn get<'r, T: Decode<'r, Postgres> + Type<Postgres>>(
            r: &'r sqlx::postgres::PgRow,
            i: usize,
            check: bool,
        ) -> Result<T, StoreError> {
            if check {
                r.try_get(i)
            } else {
                r.try_get_unchecked(i)
            }
            .map_err(crate::db)
        }
        let at = &self.0;
        // A column the page left out (only those of `OWN_ITEMS_OMIT`) reads as nothing.
        let text = |i: usize| at[i].map_or(Ok(None), |at| get::<Option<&str>>(r, at, check));
        let int = |i: usize| at[i].map_or(Ok(0), |at| get::<i32>(r, at, check));
        let time = |i: usize| at[i].map_or(Ok(None), |at| get::<Option<i64>>(r, at, check));
        let must = |i: usize| {
            time(i)?
                .ok_or_else(|| StoreError::Corrupt(format!("{} is null", CipherColumns::NAMES[i])))
        };
        CipherParts {
            id: text(0)?.unwrap_or_default(),
            user_id: text(1)?,
            org_id: text(2)?,
            cipher_type: int(3)?,
            data: text(4)?.unwrap_or_default().to_owned(),
            creation_date: must(5)?,
            revision_date: must(6)?,
            deleted_date: time(7)?,
            archived_date: time(8)?,
            can: [int(9)? != 0, int(10)? != 0, int(11)? != 0],
            collection_ids: text(12)?,
            folder_id: text(13)?,
            favorite: at[14]
                .map_or(Ok(None), |at| get::<Option<bool>>(r, at, check))?
                .unwrap_or(false),
        }
        .view()
    }
}

impl TryFrom<CipherRecord> for CipherView {
    type Error = StoreError;
    fn try_from(r: CipherRecord) -> Result<Self, StoreError> {
        CipherParts {
            id: &r.id,
            user_id: r.user_id.as_deref(),
            org_id: r.org_id.as_deref(),
            cipher_type: r.cipher_type,
            data: r.data,
            creation_date: r.creation_date,
            revision_date: r.revision_date,
            deleted_date: r.deleted_date,
            archived_date: r.archived_date,
            can: [r.can_edit != 0, r.can_view != 0, r.can_manage != 0],
            collection_ids: r.collection_ids.as_deref(),
            folder_id: r.folder_id.as_deref(),
            favorite: r.favorite.unwrap_or(false),
        }
        .view()
    }
}

/// A readable-ciphers row as decoded by any of the three readers (sqlx's `FromRow`, SQLite's
/// direct page reader, PostgreSQL's by position), text borrowed from the row.
struct CipherParts<'a> {
    id: &'a str,
    user_id: Option<&'a str>,
    org_id: Option<&'a str>,
    cipher_type: i32,
    data: String,
    creation_date: i64,
    revision_date: i64,
    deleted_date: Option<i64>,
    archived_date: Option<i64>,
    /// Edit, view passwords, manage.
    can: [bool; 3],
    /// Comma-separated.
    collection_ids: Option<&'a str>,
    folder_id: Option<&'a str>,
    favorite: bool,
}

impl CipherParts<'_> {
    fn view(self) -> Result<CipherView, StoreError> {
        let [edit, view_password, manage] = self.can;
        Ok(CipherView {
            cipher: CipherRow {
                id: id(self.id)?,
                user_id: opt_id(self.user_id)?,
                org_id: opt_id(self.org_id)?,
                cipher_type: self.cipher_type,
                data: self.data,
                creation_date: Timestamp(self.creation_date),
                revision_date: Timestamp(self.revision_date),
                deleted_date: self.deleted_date.map(Timestamp),
                archived_date: self.archived_date.map(Timestamp),
            },
            folder_id: opt_id(self.folder_id)?,
            favorite: self.favorite,
            collection_ids: self
                .collection_ids
                .unwrap_or("")
                .split(',')
                .filter(|s| !s.is_empty())
                .map(id)
                .collect::<Result<_, _>>()?,
            access: ItemAccess {
                edit,
                view_password,
                manage,
            },
            attachments: vec![],
        })
    }
}

/// A member's account public key (an organization's or a provider's member).
#[derive(sqlx::FromRow)]
pub(crate) struct PublicKeyRecord {
    pub(crate) id: String,
    pub(crate) user_id: String,
    pub(crate) public_key: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::CipherColumns;

    /// The columns of a statement returning every readable-ciphers column but `leave_out`.
    fn columns_without(leave_out: &[&str], own_items: bool) -> rusqlite::Result<CipherColumns> {
        let c = rusqlite::Connection::open_in_memory().unwrap();
        let list = CipherColumns::NAMES
            .iter()
            .filter(|n| !leave_out.contains(n))
            .map(|n| format!("NULL AS {n}"))
            .collect::<Vec<_>>()
            .join(", ");
        let stmt = c.prepare(&format!("SELECT {list}")).unwrap();
        CipherColumns::of(&stmt, own_items)
    }

    /// Only an own-items page may leave out the owner, the rights and the collections: on any
    /// other page a missing rights column is an error, never a right granted by default.
    #[test]
    fn only_an_own_items_page_may_leave_out_its_constant_columns() {
        let omit = CipherColumns::OWN_ITEMS_OMIT;
        assert!(columns_without(&omit, true).is_ok());
        assert!(columns_without(&[], true).is_ok());
        assert!(columns_without(&[], false).is_ok());
        for name in omit {
            let err = columns_without(&[name], false).err().expect(name);
            assert!(err.to_string().contains(name), "{err}");
        }
        for name in ["data", "id", "favorite"] {
            assert!(columns_without(&[name], true).is_err(), "{name}");
        }
    }
}
