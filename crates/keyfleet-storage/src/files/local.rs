//! Files on the local filesystem. A file is written to `tmp/` under the root, synced, then
//! renamed into place, so a reader sees either the old file or the whole new one, and a crash
//! leaves only a stray file in `tmp/` (cleared at start-up).

use futures::StreamExt;
use keyfleet_domain::files::{ByteStream, FileError, FileKey, FileStore};
use std::path::{Path, PathBuf};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Bytes read from disk per chunk of a download.
const READ_CHUNK: usize = 64 * 1024;

/// Files under one directory.
#[derive(Debug, Clone)]
pub struct LocalFiles {
    root: PathBuf,
}

impl LocalFiles {
    /// Uses `root` (created if missing, private to the server's user on Unix) and clears
    /// uploads a crash left half-written.
    pub async fn open(root: impl Into<PathBuf>) -> Result<Self, FileError> {
        let root = root.into();
        let tmp = root.join("tmp");
        if tokio::fs::metadata(&tmp).await.is_ok() {
            tokio::fs::remove_dir_all(&tmp).await.map_err(backend)?;
        }
        create_private_dir(&tmp).await?;
        Ok(LocalFiles { root })
    }

    /// The directory files are kept in.
    pub fn root(&self) -> &Path {
        &self.root
    }

    fn path(&self, key: &FileKey) -> PathBuf {
        // Keys are built from generated ids only (`FileKey`'s constructors), never client text.
        self.root.join(key.as_str())
    }
}

fn backend(e: std::io::Error) -> FileError {
    FileError::Backend(e.to_string())
}

async fn create_private_dir(dir: &Path) -> Result<(), FileError> {
    let mut builder = tokio::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    builder.mode(0o700);
    builder.create(dir).await.map_err(backend)
}

#[async_trait::async_trait]
impl FileStore for LocalFiles {
    async fn put(&self, key: &FileKey, len: u64, mut body: ByteStream) -> Result<(), FileError> {
        let tmp = self
            .root
            .join("tmp")
            .join(keyfleet_domain::files::FileId::new().as_str());
        let written = async {
            let mut file = tokio::fs::File::create(&tmp).await.map_err(backend)?;
            let mut got: u64 = 0;
            while let Some(chunk) = body.next().await {
                let chunk = chunk.map_err(FileError::Body)?;
                got += chunk.len() as u64;
                if got > len {
                    return Err(FileError::WrongLength { expected: len, got });
                }
                file.write_all(&chunk).await.map_err(backend)?;
            }
            if got != len {
                return Err(FileError::WrongLength { expected: len, got });
            }
            file.sync_all().await.map_err(backend)?;
            Ok(())
        }
        .await;
        if let Err(e) = written {
            let _ = tokio::fs::remove_file(&tmp).await;
            return Err(e);
        }
        let target = self.path(key);
        if let Some(parent) = target.parent() {
            create_private_dir(parent).await?;
        }
        if let Err(e) = tokio::fs::rename(&tmp, &target).await {
            let _ = tokio::fs::remove_file(&tmp).await;
            return Err(backend(e));
        }
        Ok(())
    }

    async fn get(&self, key: &FileKey) -> Result<Option<(u64, ByteStream)>, FileError> {
        let file = match tokio::fs::File::open(self.path(key)).await {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(backend(e)),
        };
        let len = file.metadata().await.map_err(backend)?.len();
        let stream = futures::stream::try_unfold(file, |mut file| async move {
            let mut buf = vec![0u8; READ_CHUNK];
            let n = file.read(&mut buf).await?;
            if n == 0 {
                return Ok(None);
            }
            buf.truncate(n);
            Ok(Some((bytes::Bytes::from(buf), file)))
        });
        Ok(Some((len, stream.boxed())))
    }

    async fn delete(&self, key: &FileKey) -> Result<(), FileError> {
        match tokio::fs::remove_file(self.path(key)).await {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(backend(e)),
            _ => Ok(()),
        }
    }

    async fn delete_prefix(&self, prefix: &FileKey) -> Result<(), FileError> {
        // Prefixes end in `/` (a directory of one item's or one Send's files).
        let dir = self.path(prefix);
        match tokio::fs::remove_dir_all(&dir).await {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(backend(e)),
            _ => Ok(()),
        }
    }

    fn describe(&self) -> String {
        format!("local directory {}", self.root.display())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use keyfleet_domain::files::FileId;
    use keyfleet_domain::ids::CipherId;

    fn body(chunks: Vec<&'static [u8]>) -> ByteStream {
        futures::stream::iter(chunks.into_iter().map(|c| Ok(bytes::Bytes::from_static(c)))).boxed()
    }

    async fn read(files: &LocalFiles, key: &FileKey) -> Option<Vec<u8>> {
        let (len, mut stream) = files.get(key).await.unwrap()?;
        let mut out = Vec::new();
        while let Some(chunk) = stream.next().await {
            out.extend_from_slice(&chunk.unwrap());
        }
        assert_eq!(len, out.len() as u64);
        Some(out)
    }

    #[tokio::test]
    async fn a_file_is_whole_or_absent() {
        let dir = tempfile::tempdir().unwrap();
        let files = LocalFiles::open(dir.path().join("files")).await.unwrap();
        let cipher = CipherId::new();
        let key = FileKey::attachment(cipher, &FileId::new());

        files
            .put(&key, 6, body(vec![b"abc", b"def"]))
            .await
            .unwrap();
        assert_eq!(read(&files, &key).await.unwrap(), b"abcdef");

        // Short and long bodies store nothing and keep the previous file.
        let short = files.put(&key, 9, body(vec![b"xyz"])).await;
        assert!(matches!(
            short,
            Err(FileError::WrongLength {
                expected: 9,
                got: 3
            })
        ));
        let long = files.put(&key, 2, body(vec![b"xyz"])).await;
        assert!(matches!(
            long,
            Err(FileError::WrongLength { expected: 2, .. })
        ));
        assert_eq!(read(&files, &key).await.unwrap(), b"abcdef");
        let tmp = std::fs::read_dir(dir.path().join("files/tmp"))
            .unwrap()
            .count();
        assert_eq!(tmp, 0, "failed uploads leave nothing behind");

        // Deleting one file, then every file of the item.
        let other = FileKey::attachment(cipher, &FileId::new());
        files.put(&other, 1, body(vec![b"z"])).await.unwrap();
        files.delete(&key).await.unwrap();
        files.delete(&key).await.unwrap();
        assert!(read(&files, &key).await.is_none());
        assert!(read(&files, &other).await.is_some());
        files
            .delete_prefix(&FileKey::attachments_of(cipher))
            .await
            .unwrap();
        assert!(read(&files, &other).await.is_none());
        files
            .delete_prefix(&FileKey::attachments_of(cipher))
            .await
            .unwrap();
    }
}
