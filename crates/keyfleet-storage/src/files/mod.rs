//! The domain's `FileStore`: [`LocalFiles`] keeps files under a directory (the default: the
//! data directory's `files/`); [`S3Files`] keeps them in an S3-compatible bucket, for several
//! instances sharing one PostgreSQL.

mod local;
mod s3;
mod sigv4;

pub use local::LocalFiles;
pub use s3::{S3Addressing, S3Config, S3Files};
