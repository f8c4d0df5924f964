//! The domain's `FileStore`: [`LocalFiles`] keeps files under a directory (the default: the
//! data directory's `files/`); an S3-compatible object store is the second backend, for several
//! instances sharing one PostgreSQL.

mod local;

pub use local::LocalFiles;
