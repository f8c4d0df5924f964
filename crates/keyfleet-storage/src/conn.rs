//! What lets a statement helper be one plain `async fn` for both drivers. A store method body
//! runs inside `on_pool!` once per driver, so a helper it calls takes the connection of either:
//! `helper(&mut *tx, …).await?` with `C` = `SqliteConnection` or `PgConnection` (the connection,
//! not the `Database`, is what inference sees behind `&mut *tx`).
//!
//! Rust does not carry a bound such as `String: Encode<'q, DB> + Type<DB>` from a trait's
//! where-clause to its users, but it does carry supertraits of `Self`; so [`Sql`] lists the
//! bindable value types as [`Bind`] supertraits, and [`Arg::arg`] binds through them. A helper
//! then needs no where-clause beyond `C: Conn`.

use crate::db;
use keyfleet_domain::StoreError;
use sqlx::query::Query;
use sqlx::{Database, Encode, Type};
use std::future::Future;

/// A query on database `DB` with its arguments.
pub(crate) type Q<'q, DB> = Query<'q, DB, <DB as Database>::Arguments<'q>>;

/// `DB` can bind a `T` for a query living `'q`: true of every value sqlx encodes for `DB`.
pub(crate) trait Bind<'q, T>: Database {
    /// `q` with `v` bound as its next argument.
    fn bind_to(q: Q<'q, Self>, v: T) -> Q<'q, Self>;
}

impl<'q, DB: Database, T: 'q + Encode<'q, DB> + Type<DB>> Bind<'q, T> for DB {
    fn bind_to(q: Q<'q, Self>, v: T) -> Q<'q, Self> {
        q.bind(v)
    }
}

/// A driver with every value type the helpers bind (ids and texts as strings, timestamps as
/// `i64`, codes as `i32`).
pub(crate) trait Sql:
    Database
    + for<'q> Bind<'q, String>
    + for<'q> Bind<'q, Option<String>>
    + for<'q> Bind<'q, &'q str>
    + for<'q> Bind<'q, Option<&'q str>>
    + for<'q> Bind<'q, i64>
    + for<'q> Bind<'q, Option<i64>>
    + for<'q> Bind<'q, i32>
    + for<'q> Bind<'q, Option<i32>>
    + for<'q> Bind<'q, bool>
    + for<'q> Bind<'q, Option<bool>>
{
}

impl Sql for sqlx::Sqlite {}
impl Sql for sqlx::Postgres {}

/// `.arg(v)`: `.bind(v)` for a query on a driver only known as [`Sql`].
pub(crate) trait Arg<'q, DB: Database>: Sized {
    /// The query with `v` bound as its next argument.
    fn arg<T>(self, v: T) -> Self
    where
        DB: Bind<'q, T>;
}

impl<'q, DB: Database> Arg<'q, DB> for Q<'q, DB> {
    fn arg<T>(self, v: T) -> Self
    where
        DB: Bind<'q, T>,
    {
        DB::bind_to(self, v)
    }
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for sqlx::SqliteConnection {}
    impl Sealed for sqlx::PgConnection {}
}

/// A connection (in practice a transaction's, `&mut *tx`) of either driver.
pub(crate) trait Conn: Send + sealed::Sealed {
    /// Its driver.
    type Db: Sql;

    /// Runs `q`; how many rows it changed. One lifetime for the borrow and the query: a separate
    /// `'q: 'c` makes the store methods' futures fail `async_trait`'s `Send` check
    /// (rust-lang/rust#100013, a lifetime bound inside a generic async fn's state).
    fn run<'c>(
        &'c mut self,
        q: Q<'c, Self::Db>,
    ) -> impl Future<Output = Result<u64, StoreError>> + Send + 'c;
}

impl Conn for sqlx::SqliteConnection {
    type Db = sqlx::Sqlite;

    async fn run<'c>(&'c mut self, q: Q<'c, sqlx::Sqlite>) -> Result<u64, StoreError> {
        Ok(q.execute(self).await.map_err(db)?.rows_affected())
    }
}

impl Conn for sqlx::PgConnection {
    type Db = sqlx::Postgres;

    async fn run<'c>(&'c mut self, q: Q<'c, sqlx::Postgres>) -> Result<u64, StoreError> {
        Ok(q.execute(self).await.map_err(db)?.rows_affected())
    }
}
