//! Stored files (attachments, file Sends), as the domain needs them: put a stream under a key,
//! read it back as a stream, delete it. Files are ciphertext the clients encrypted; the server
//! never looks inside. `keyfleet-storage::files` implements this on the local filesystem (the
//! default, under the data directory) and on an S3-compatible object store (several instances).
//!
//! The database row that names a file is the truth: a file is written before its row says it is
//! there, and deleted after its row is gone, so a crash in between leaves at worst an orphan file,
//! never a row without its bytes.

use crate::ids::{CipherId, SendId};
use bytes::Bytes;
use futures::stream::BoxStream;

/// A file's bytes as they arrive or leave, in chunks.
pub type ByteStream = BoxStream<'static, std::io::Result<Bytes>>;

/// Where a file is stored: a relative path made only of ids the server generated, so no client
/// text ever reaches a path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FileKey(String);

impl FileKey {
    /// An item's attachment.
    pub fn attachment(cipher: CipherId, attachment: &FileId) -> Self {
        FileKey(format!("attachments/{cipher}/{}", attachment.0))
    }

    /// Every attachment of an item (a prefix for [`FileStore::delete_prefix`]).
    pub fn attachments_of(cipher: CipherId) -> Self {
        FileKey(format!("attachments/{cipher}/"))
    }

    /// A file Send's file.
    pub fn send(send: SendId, file: &FileId) -> Self {
        FileKey(format!("sends/{send}/{}", file.0))
    }

    /// Every file of a Send (a prefix for [`FileStore::delete_prefix`]).
    pub fn sends_of(send: SendId) -> Self {
        FileKey(format!("sends/{send}/"))
    }

    /// The key as a relative `/`-separated path.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A file's id: 32 lowercase letters and digits, as the official server makes them (clients
/// treat it as an opaque string in URLs).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FileId(String);

impl FileId {
    /// A fresh random id.
    pub fn new() -> Self {
        use rand::Rng;
        const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
        let mut rng = rand::thread_rng();
        FileId(
            (0..32)
                .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
                .collect(),
        )
    }

    /// An id read from a URL or the database: `None` unless it is 1–64 ASCII letters/digits.
    pub fn parse(text: &str) -> Option<Self> {
        let ok =
            !text.is_empty() && text.len() <= 64 && text.bytes().all(|b| b.is_ascii_alphanumeric());
        ok.then(|| FileId(text.to_owned()))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for FileId {
    fn default() -> Self {
        FileId::new()
    }
}

impl std::fmt::Display for FileId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why a file could not be stored or read.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    /// The body did not have the announced length (it ended early or ran past it).
    #[error("the file has {got} bytes where {expected} were announced")]
    WrongLength {
        /// Bytes announced.
        expected: u64,
        /// Bytes received (counting stops one past `expected`).
        got: u64,
    },
    /// The body could not be read (the client went away, a timeout).
    #[error("the upload was interrupted: {0}")]
    Body(std::io::Error),
    /// The backend failed (disk full, object store unreachable); the text is for the log.
    #[error("file storage failed: {0}")]
    Backend(String),
}

/// Where files are kept.
#[async_trait::async_trait]
pub trait FileStore: Send + Sync {
    /// Stores exactly `len` bytes from `body` under `key`, replacing any file there. On any
    /// error nothing new is visible under `key` (a previous file there stays as it was).
    async fn put(&self, key: &FileKey, len: u64, body: ByteStream) -> Result<(), FileError>;

    /// The file's length and bytes, streamed (never read whole); `None` when there is none.
    async fn get(&self, key: &FileKey) -> Result<Option<(u64, ByteStream)>, FileError>;

    /// Removes the file; a missing file is not an error.
    async fn delete(&self, key: &FileKey) -> Result<(), FileError>;

    /// Removes every file whose key starts with `prefix` (e.g. all of an item's attachments).
    async fn delete_prefix(&self, prefix: &FileKey) -> Result<(), FileError>;

    /// A short description for the start-up log (e.g. the directory or bucket), no secrets.
    fn describe(&self) -> String;
}
