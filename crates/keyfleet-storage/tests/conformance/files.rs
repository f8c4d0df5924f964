//! The `FileStore` contract, one story run against every file backend: the local directory and
//! an S3 bucket on moto's server (required in CI with `KEYFLEET_REQUIRE_MOTO=1`).

use bytes::Bytes;
use futures::StreamExt;
use keyfleet_domain::files::{ByteStream, FileError, FileId, FileKey, FileStore};
use keyfleet_domain::ids::{CipherId, SendId};
use keyfleet_storage::files::{LocalFiles, S3Addressing, S3Config, S3Files};
use keyfleet_testkit::{MotoServer, MOTO_ACCESS_KEY_ID, MOTO_SECRET_ACCESS_KEY};

fn body(chunks: &[&[u8]]) -> ByteStream {
    let chunks: Vec<_> = chunks
        .iter()
        .map(|c| Ok(Bytes::copy_from_slice(c)))
        .collect();
    futures::stream::iter(chunks).boxed()
}

/// `chunks`, then a read error (the client went away).
fn failing_body(chunks: &[&[u8]]) -> ByteStream {
    let mut items: Vec<std::io::Result<Bytes>> = chunks
        .iter()
        .map(|c| Ok(Bytes::copy_from_slice(c)))
        .collect();
    items.push(Err(std::io::Error::new(
        std::io::ErrorKind::ConnectionReset,
        "client went away",
    )));
    futures::stream::iter(items).boxed()
}

/// The file's bytes and how many chunks they came in.
async fn read(files: &dyn FileStore, key: &FileKey) -> Option<(Vec<u8>, usize)> {
    let (len, mut stream) = files.get(key).await.unwrap()?;
    let mut out = Vec::new();
    let mut chunks = 0;
    while let Some(chunk) = stream.next().await {
        out.extend_from_slice(&chunk.unwrap());
        chunks += 1;
    }
    assert_eq!(len, out.len() as u64, "the announced length is the length");
    Some((out, chunks))
}

async fn bytes_of(files: &dyn FileStore, key: &FileKey) -> Option<Vec<u8>> {
    read(files, key).await.map(|(bytes, _)| bytes)
}

/// Deterministic, incompressible-looking bytes.
fn pseudo_random(len: usize) -> Vec<u8> {
    let mut x: u32 = 0x9e37_79b9;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x as u8
        })
        .collect()
}

async fn file_store_contract(files: &dyn FileStore) {
    let cipher = CipherId::new();
    let key = FileKey::attachment(cipher, &FileId::new());
    assert!(bytes_of(files, &key).await.is_none(), "nothing yet");

    files.put(&key, 6, body(&[b"abc", b"def"])).await.unwrap();
    assert_eq!(bytes_of(files, &key).await.unwrap(), b"abcdef");

    // A short body, a long one (also one whose extra bytes come after exactly the announced
    // length), a failing one: an error, and the previous file stays whole.
    let short = files.put(&key, 9, body(&[b"xyz", b"uvw"])).await;
    assert!(
        matches!(
            short,
            Err(FileError::WrongLength {
                expected: 9,
                got: 6
            })
        ),
        "{short:?}"
    );
    let long = files.put(&key, 2, body(&[b"xyz"])).await;
    assert!(
        matches!(long, Err(FileError::WrongLength { expected: 2, .. })),
        "{long:?}"
    );
    let just_past = files.put(&key, 3, body(&[b"xyz", b"!"])).await;
    assert!(
        matches!(just_past, Err(FileError::WrongLength { expected: 3, .. })),
        "{just_past:?}"
    );
    let failed = files.put(&key, 9, failing_body(&[b"xyz"])).await;
    assert!(matches!(failed, Err(FileError::Body(_))), "{failed:?}");
    let failed_at_end = files.put(&key, 3, failing_body(&[b"xyz"])).await;
    assert!(
        matches!(failed_at_end, Err(FileError::Body(_))),
        "{failed_at_end:?}"
    );
    assert_eq!(bytes_of(files, &key).await.unwrap(), b"abcdef");

    // A failed first upload leaves nothing.
    let fresh = FileKey::attachment(cipher, &FileId::new());
    assert!(files.put(&fresh, 4, failing_body(&[b"ab"])).await.is_err());
    assert!(files.put(&fresh, 4, body(&[b"abcdef"])).await.is_err());
    assert!(bytes_of(files, &fresh).await.is_none());

    // Replacing, and the empty file.
    files.put(&key, 3, body(&[b"new"])).await.unwrap();
    assert_eq!(bytes_of(files, &key).await.unwrap(), b"new");
    let empty = FileKey::attachment(cipher, &FileId::new());
    files.put(&empty, 0, body(&[])).await.unwrap();
    assert_eq!(bytes_of(files, &empty).await.unwrap(), b"");
    let not_empty = files.put(&empty, 0, body(&[b"x"])).await;
    assert!(
        matches!(not_empty, Err(FileError::WrongLength { expected: 0, .. })),
        "{not_empty:?}"
    );
    assert_eq!(bytes_of(files, &empty).await.unwrap(), b"");

    // A multi-megabyte file goes in and comes out streamed, byte for byte.
    let big = pseudo_random(6 * 1024 * 1024 + 123);
    let big_key = FileKey::send(SendId::new(), &FileId::new());
    let chunks: Vec<std::io::Result<Bytes>> = big
        .chunks(64 * 1024)
        .map(|c| Ok(Bytes::copy_from_slice(c)))
        .collect();
    files
        .put(
            &big_key,
            big.len() as u64,
            futures::stream::iter(chunks).boxed(),
        )
        .await
        .unwrap();
    let (back, chunks) = read(files, &big_key).await.unwrap();
    assert!(back == big, "the large file comes back byte-identical");
    assert!(chunks > 1, "the large file is streamed, not read whole");

    // Two keys are independent.
    let other = FileKey::attachment(cipher, &FileId::new());
    files.put(&other, 5, body(&[b"other"])).await.unwrap();
    assert!(files.put(&other, 5, failing_body(&[b"ot"])).await.is_err());
    assert_eq!(bytes_of(files, &key).await.unwrap(), b"new");
    assert_eq!(bytes_of(files, &other).await.unwrap(), b"other");

    // Deleting is idempotent and touches one key.
    files.delete(&key).await.unwrap();
    files.delete(&key).await.unwrap();
    files
        .delete(&FileKey::attachment(cipher, &FileId::new()))
        .await
        .unwrap();
    assert!(bytes_of(files, &key).await.is_none());
    assert_eq!(bytes_of(files, &other).await.unwrap(), b"other");

    // A prefix takes its own files only: not another item's, not a Send's.
    let neighbour = CipherId::new();
    let neighbours = FileKey::attachment(neighbour, &FileId::new());
    files.put(&neighbours, 1, body(&[b"n"])).await.unwrap();
    files
        .delete_prefix(&FileKey::attachments_of(cipher))
        .await
        .unwrap();
    for gone in [&other, &empty] {
        assert!(bytes_of(files, gone).await.is_none());
    }
    assert_eq!(bytes_of(files, &neighbours).await.unwrap(), b"n");
    assert_eq!(bytes_of(files, &big_key).await.unwrap().len(), big.len());
    files
        .delete_prefix(&FileKey::attachments_of(cipher))
        .await
        .unwrap();
}

#[tokio::test]
async fn the_local_directory_keeps_the_file_store_contract() {
    let dir = tempfile::tempdir().unwrap();
    let files = LocalFiles::open(dir.path().join("files")).await.unwrap();
    file_store_contract(&files).await;
}

fn moto_config(moto: &MotoServer, bucket: &str, prefix: Option<&str>) -> S3Config {
    S3Config {
        endpoint: Some(moto.endpoint()),
        region: "us-east-1".into(),
        bucket: bucket.into(),
        prefix: prefix.map(Into::into),
        access_key_id: MOTO_ACCESS_KEY_ID.into(),
        secret_access_key: MOTO_SECRET_ACCESS_KEY.to_string().into(),
        addressing: S3Addressing::Path,
    }
}

#[tokio::test]
async fn an_s3_bucket_keeps_the_file_store_contract() {
    let Some(moto) = MotoServer::start() else {
        return;
    };
    let bucket = moto.create_bucket();
    let files = S3Files::connect(moto_config(&moto, &bucket, Some("instance/")))
        .await
        .unwrap();
    file_store_contract(&files).await;

    // Another prefix in the same bucket is another store: deleting a prefix here leaves it.
    let beside = S3Files::connect(moto_config(&moto, &bucket, None))
        .await
        .unwrap();
    let cipher = CipherId::new();
    let key = FileKey::attachment(cipher, &FileId::new());
    beside.put(&key, 1, body(&[b"b"])).await.unwrap();
    assert!(bytes_of(&files, &key).await.is_none());
    files
        .delete_prefix(&FileKey::attachments_of(cipher))
        .await
        .unwrap();
    assert_eq!(bytes_of(&beside, &key).await.unwrap(), b"b");
}

#[tokio::test]
async fn a_missing_bucket_is_refused_naming_it_and_not_the_secret() {
    let Some(moto) = MotoServer::start() else {
        return;
    };
    let err = S3Files::connect(moto_config(&moto, "no-such-bucket", None))
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("no-such-bucket"), "{err}");
    assert!(err.contains(&moto.endpoint()), "{err}");
    assert!(!err.contains(MOTO_SECRET_ACCESS_KEY), "{err}");
}
