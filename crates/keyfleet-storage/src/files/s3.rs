//! Files in an S3-compatible object store (AWS S3, MinIO, Ceph, Garage…): what several
//! instances sharing one PostgreSQL need. A small client of our own over reqwest, signed with
//! SigV4 ([`super::sigv4`]): five calls (PUT, GET, DELETE, ListObjectsV2, and the same list as the
//! start-up check) do not justify an SDK, and `object_store` buffers uploads in memory and, in
//! its current 0.14, brings reqwest 0.13 and aws-lc-rs beside our reqwest 0.12 and ring.
//!
//! An upload is one PUT whose body streams with the announced `Content-Length`, so no file is
//! held in memory. S3 creates an object only once the whole body has arrived: a body that ends
//! early or fails aborts the request, and the last chunk is held back until the body has ended,
//! so a body running past its length is refused before the server has every byte it announced.
//! Either way the key keeps its previous object. One PUT takes up to 5 GiB, S3's limit.

use super::sigv4::{self, Credentials, UNSIGNED_PAYLOAD};
use bytes::Bytes;
use futures::StreamExt;
use keyfleet_domain::files::{ByteStream, FileError, FileKey, FileStore};
use reqwest::{Method, StatusCode};
use secrecy::{ExposeSecret, SecretString};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// S3's largest single PUT.
const MAX_SINGLE_PUT: u64 = 5 * 1024 * 1024 * 1024;

/// How the bucket appears in request URLs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum S3Addressing {
    /// `https://bucket.endpoint/key` (AWS's default).
    #[default]
    VirtualHosted,
    /// `https://endpoint/bucket/key` (MinIO, Ceph and most self-hosted servers).
    Path,
}

/// Where and how to reach the bucket.
#[derive(Debug, Clone)]
pub struct S3Config {
    /// The server's URL, e.g. `https://s3.eu-central-1.amazonaws.com` or `http://minio:9000`;
    /// `None`: AWS's endpoint for `region`.
    pub endpoint: Option<String>,
    /// The region requests are signed for (`us-east-1` for servers that ignore it).
    pub region: String,
    /// The bucket (created beforehand; the server does not create it).
    pub bucket: String,
    /// Keys are stored under this prefix (e.g. `keyfleet/`), for a bucket shared with others.
    pub prefix: Option<String>,
    /// The access key id.
    pub access_key_id: String,
    /// The secret access key (its `Debug` is redacted).
    pub secret_access_key: SecretString,
    /// Virtual-hosted or path-style URLs.
    pub addressing: S3Addressing,
}

/// Files in one bucket of an S3-compatible object store.
#[derive(Debug, Clone)]
pub struct S3Files {
    config: S3Config,
    http: reqwest::Client,
    /// `scheme://host[:port]` requests go to (with the bucket in the host when virtual-hosted).
    origin: String,
    /// The `Host` header, as signed.
    host: String,
    /// `/bucket` when path-style, else empty; object paths follow it.
    bucket_path: String,
    /// The key prefix, empty or ending in `/`.
    prefix: String,
}

impl S3Files {
    /// Builds the client and checks that the bucket answers (listing it, as deleting a
    /// prefix will): an error names the endpoint and the bucket, never the secret.
    pub async fn connect(config: S3Config) -> Result<Self, FileError> {
        let files = Self::new(config)?;
        let query = [
            ("list-type", "2"),
            ("max-keys", "1"),
            ("prefix", files.prefix.as_str()),
        ];
        let res = files
            .request(Method::GET, "", &query, &sigv4::payload_hash(b""))
            .send()
            .await
            .map_err(|e| files.unusable(&format!("not reachable ({e})")))?;
        if !res.status().is_success() {
            let why = failure(res).await;
            return Err(files.unusable(&why));
        }
        Ok(files)
    }

    fn new(config: S3Config) -> Result<Self, FileError> {
        let endpoint = config
            .endpoint
            .clone()
            .unwrap_or_else(|| format!("https://s3.{}.amazonaws.com", config.region));
        let url = reqwest::Url::parse(&endpoint).map_err(|e| {
            FileError::Backend(format!("the S3 endpoint {endpoint} is not a URL: {e}"))
        })?;
        let (Some(host), "http" | "https") = (url.host_str(), url.scheme()) else {
            return Err(FileError::Backend(format!(
                "the S3 endpoint {endpoint} is not an http(s) URL with a host"
            )));
        };
        if config.bucket.is_empty() || config.bucket.contains('/') {
            return Err(FileError::Backend(format!(
                "the S3 bucket name {:?} is not valid",
                config.bucket
            )));
        }
        let host = match config.addressing {
            S3Addressing::VirtualHosted => format!("{}.{host}", config.bucket),
            S3Addressing::Path => host.to_owned(),
        };
        // `port()` is `None` for the scheme's default port, as in the `Host` header reqwest sends.
        let host = match url.port() {
            Some(port) => format!("{host}:{port}"),
            None => host,
        };
        let base_path = url.path().trim_end_matches('/');
        let bucket_path = match config.addressing {
            S3Addressing::VirtualHosted => base_path.to_owned(),
            S3Addressing::Path => format!("{base_path}/{}", config.bucket),
        };
        let prefix = config
            .prefix
            .as_deref()
            .map(|p| p.trim_matches('/'))
            .filter(|p| !p.is_empty())
            .map(|p| format!("{p}/"))
            .unwrap_or_default();
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            // Per read, not per request: a large download may take longer than this overall.
            .read_timeout(Duration::from_secs(60))
            .build()
            .map_err(|e| FileError::Backend(format!("S3 client: {e}")))?;
        Ok(S3Files {
            origin: format!("{}://{host}", url.scheme()),
            host,
            bucket_path,
            prefix,
            http,
            config,
        })
    }

    fn endpoint(&self) -> String {
        self.config
            .endpoint
            .clone()
            .unwrap_or_else(|| format!("https://s3.{}.amazonaws.com", self.config.region))
    }

    fn unusable(&self, why: &str) -> FileError {
        FileError::Backend(format!(
            "the S3 bucket {} at {} cannot be used: {why}",
            self.config.bucket,
            self.endpoint()
        ))
    }

    /// A signed request for the object `key` (a full key, prefix included; empty: the bucket).
    fn request(
        &self,
        method: Method,
        key: &str,
        query: &[(&str, &str)],
        payload_hash: &str,
    ) -> reqwest::RequestBuilder {
        let path = if key.is_empty() {
            format!("{}/", self.bucket_path)
        } else {
            format!("{}/{key}", self.bucket_path)
        };
        let headers = sigv4::sign(
            &Credentials {
                access_key_id: &self.config.access_key_id,
                secret_access_key: self.config.secret_access_key.expose_secret(),
                region: &self.config.region,
            },
            &sigv4::Request {
                method: method.as_str(),
                host: &self.host,
                path: &path,
                query,
                payload_hash,
                extra_headers: &[],
            },
            time::OffsetDateTime::now_utc(),
        );
        let mut url = format!("{}{}", self.origin, sigv4::uri_encode(&path, false));
        if !query.is_empty() {
            url.push('?');
            let pairs: Vec<String> = query
                .iter()
                .map(|(k, v)| {
                    format!(
                        "{}={}",
                        sigv4::uri_encode(k, true),
                        sigv4::uri_encode(v, true)
                    )
                })
                .collect();
            url.push_str(&pairs.join("&"));
        }
        let mut builder = self.http.request(method, url);
        for (name, value) in headers {
            builder = builder.header(name, value);
        }
        builder
    }

    fn full_key(&self, key: &FileKey) -> String {
        format!("{}{}", self.prefix, key.as_str())
    }

    async fn delete_full_key(&self, key: &str) -> Result<(), FileError> {
        let res = self
            .request(Method::DELETE, key, &[], &sigv4::payload_hash(b""))
            .send()
            .await
            .map_err(|e| backend("DELETE", &e))?;
        // Some servers answer 404 for a missing key where S3 answers 204.
        if res.status().is_success() || res.status() == StatusCode::NOT_FOUND {
            return Ok(());
        }
        Err(FileError::Backend(format!(
            "S3 DELETE: {}",
            failure(res).await
        )))
    }
}

fn backend(call: &str, e: &reqwest::Error) -> FileError {
    FileError::Backend(format!("S3 {call}: {e}"))
}

/// The status and S3's error code and message, for the log.
async fn failure(res: reqwest::Response) -> String {
    let status = res.status();
    let body = res.text().await.unwrap_or_default();
    let code = xml_values(&body, "Code").next().unwrap_or_default();
    let message = xml_values(&body, "Message").next().unwrap_or_default();
    format!("HTTP {status} {code} {message}")
        .trim_end()
        .to_owned()
}

/// The text of every `<tag>…</tag>` element (S3's answers are flat enough for this).
fn xml_values<'a>(xml: &'a str, tag: &str) -> impl Iterator<Item = String> + 'a {
    let open = format!("<{tag}>");
    let close = format!("</{tag}>");
    let mut rest = xml;
    std::iter::from_fn(move || {
        let start = rest.find(&open)? + open.len();
        let len = rest[start..].find(&close)?;
        let value = &rest[start..start + len];
        rest = &rest[start + len + close.len()..];
        Some(xml_unescape(value))
    })
}

fn xml_unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&#13;", "\r")
        .replace("&#10;", "\n")
        .replace("&amp;", "&")
}

/// `body`, checked against `len`: a failure is kept in `outcome` (the HTTP client only sees
/// that the body failed). The chunk that reaches `len` is held back until the body has ended,
/// so the server never receives every announced byte of a body that turns out to be longer.
fn guarded(
    body: ByteStream,
    len: u64,
    outcome: Arc<Mutex<Option<FileError>>>,
) -> impl futures::Stream<Item = std::io::Result<Bytes>> + Send + 'static {
    struct State {
        body: ByteStream,
        got: u64,
        held: Option<Bytes>,
        done: bool,
    }
    let fail = move |error: FileError| {
        let text = error.to_string();
        if let Ok(mut slot) = outcome.lock() {
            slot.get_or_insert(error);
        }
        std::io::Error::other(text)
    };
    let state = State {
        body,
        got: 0,
        held: None,
        done: false,
    };
    futures::stream::unfold(state, move |mut s| {
        let fail = fail.clone();
        async move {
            if s.done {
                return None;
            }
            loop {
                match s.body.next().await {
                    Some(Ok(chunk)) if chunk.is_empty() => continue,
                    Some(Ok(chunk)) => {
                        s.got += chunk.len() as u64;
                        if s.got > len {
                            s.done = true;
                            let e = FileError::WrongLength {
                                expected: len,
                                got: s.got,
                            };
                            return Some((Err(fail(e)), s));
                        }
                        if s.got == len {
                            s.held = Some(chunk);
                            continue;
                        }
                        return Some((Ok(chunk), s));
                    }
                    Some(Err(e)) => {
                        s.done = true;
                        return Some((Err(fail(FileError::Body(e))), s));
                    }
                    None => {
                        s.done = true;
                        if s.got < len {
                            let e = FileError::WrongLength {
                                expected: len,
                                got: s.got,
                            };
                            return Some((Err(fail(e)), s));
                        }
                        return s.held.take().map(|chunk| (Ok(chunk), s));
                    }
                }
            }
        }
    })
}

#[async_trait::async_trait]
impl FileStore for S3Files {
    async fn put(&self, key: &FileKey, len: u64, body: ByteStream) -> Result<(), FileError> {
        if len > MAX_SINGLE_PUT {
            return Err(FileError::Backend(format!(
                "a file of {len} bytes is larger than one S3 upload takes"
            )));
        }
        let outcome = Arc::new(Mutex::new(None));
        let mut checked = guarded(body, len, outcome.clone()).boxed();
        let request = self
            .request(Method::PUT, &self.full_key(key), &[], UNSIGNED_PAYLOAD)
            .header(reqwest::header::CONTENT_LENGTH, len);
        let sent = if len == 0 {
            // With nothing to send the HTTP client would never read the body: read it here.
            if let Some(Err(_)) = checked.next().await {
                Err(None)
            } else {
                request.send().await.map_err(Some)
            }
        } else {
            request
                .body(reqwest::Body::wrap_stream(checked))
                .send()
                .await
                .map_err(Some)
        };
        // The body's own failure explains a failed request better than the client's error.
        if let Some(e) = outcome.lock().ok().and_then(|mut slot| slot.take()) {
            return Err(e);
        }
        let res = match sent {
            Ok(res) => res,
            Err(Some(e)) => return Err(backend("PUT", &e)),
            Err(None) => return Err(FileError::Backend("S3 PUT: the body failed".into())),
        };
        if !res.status().is_success() {
            return Err(FileError::Backend(format!(
                "S3 PUT: {}",
                failure(res).await
            )));
        }
        Ok(())
    }

    async fn get(&self, key: &FileKey) -> Result<Option<(u64, ByteStream)>, FileError> {
        let res = self
            .request(
                Method::GET,
                &self.full_key(key),
                &[],
                &sigv4::payload_hash(b""),
            )
            .send()
            .await
            .map_err(|e| backend("GET", &e))?;
        if res.status() == StatusCode::NOT_FOUND {
            return Ok(None);
        }
        if !res.status().is_success() {
            return Err(FileError::Backend(format!(
                "S3 GET: {}",
                failure(res).await
            )));
        }
        let len = res
            .headers()
            .get(reqwest::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok())
            .ok_or_else(|| FileError::Backend("S3 GET: no Content-Length".into()))?;
        let stream = res
            .bytes_stream()
            .map(|chunk| chunk.map_err(std::io::Error::other));
        Ok(Some((len, stream.boxed())))
    }

    async fn delete(&self, key: &FileKey) -> Result<(), FileError> {
        self.delete_full_key(&self.full_key(key)).await
    }

    async fn delete_prefix(&self, prefix: &FileKey) -> Result<(), FileError> {
        let prefix = self.full_key(prefix);
        let mut token: Option<String> = None;
        loop {
            let mut query = vec![("list-type", "2"), ("prefix", prefix.as_str())];
            if let Some(token) = &token {
                query.push(("continuation-token", token.as_str()));
            }
            let res = self
                .request(Method::GET, "", &query, &sigv4::payload_hash(b""))
                .send()
                .await
                .map_err(|e| backend("list", &e))?;
            if !res.status().is_success() {
                return Err(FileError::Backend(format!(
                    "S3 list: {}",
                    failure(res).await
                )));
            }
            let page = res.text().await.map_err(|e| backend("list", &e))?;
            // One DELETE per key: an item or a Send has few files, and DeleteObjects would
            // need a Content-MD5 some servers insist on.
            for key in xml_values(&page, "Key") {
                // The listing matches on the prefix; check again rather than trust the server.
                if key.starts_with(&prefix) {
                    self.delete_full_key(&key).await?;
                }
            }
            let truncated = xml_values(&page, "IsTruncated").next().as_deref() == Some("true");
            token = xml_values(&page, "NextContinuationToken").next();
            if !truncated || token.is_none() {
                return Ok(());
            }
        }
    }

    fn describe(&self) -> String {
        let prefix = match self.prefix.as_str() {
            "" => String::new(),
            p => format!(" under {p}"),
        };
        format!(
            "S3 bucket {} at {}{prefix}",
            self.config.bucket,
            self.endpoint()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(addressing: S3Addressing, endpoint: &str) -> S3Config {
        S3Config {
            endpoint: Some(endpoint.into()),
            region: "us-east-1".into(),
            bucket: "vault-files".into(),
            prefix: Some("/keyfleet/".into()),
            access_key_id: "AKIDEXAMPLE".into(),
            secret_access_key: SecretString::from("very-secret-key".to_string()),
            addressing,
        }
    }

    #[test]
    fn the_secret_never_shows_in_debug_or_describe() {
        let files = S3Files::new(config(S3Addressing::Path, "http://127.0.0.1:9000")).unwrap();
        let shown = format!("{files:?} {:?} {}", files.config, files.describe());
        assert!(!shown.contains("very-secret-key"), "{shown}");
        assert_eq!(
            files.describe(),
            "S3 bucket vault-files at http://127.0.0.1:9000 under keyfleet/"
        );
    }

    #[test]
    fn urls_follow_the_addressing_style() {
        let path = S3Files::new(config(S3Addressing::Path, "http://127.0.0.1:9000/")).unwrap();
        assert_eq!(
            (
                path.origin.as_str(),
                path.host.as_str(),
                path.bucket_path.as_str()
            ),
            ("http://127.0.0.1:9000", "127.0.0.1:9000", "/vault-files")
        );
        let hosted = S3Files::new(config(
            S3Addressing::VirtualHosted,
            "https://s3.eu-west-1.amazonaws.com:443",
        ))
        .unwrap();
        assert_eq!(
            (
                hosted.origin.as_str(),
                hosted.host.as_str(),
                hosted.bucket_path.as_str()
            ),
            (
                "https://vault-files.s3.eu-west-1.amazonaws.com",
                "vault-files.s3.eu-west-1.amazonaws.com",
                ""
            )
        );
        assert!(S3Files::new(config(S3Addressing::Path, "ftp://host")).is_err());
    }

    #[test]
    fn list_answers_are_read() {
        let page = "<ListBucketResult><IsTruncated>true</IsTruncated><Contents><Key>a/1</Key>\
                    </Contents><Contents><Key>a/b&amp;c</Key></Contents>\
                    <NextContinuationToken>t/1=</NextContinuationToken></ListBucketResult>";
        assert_eq!(
            xml_values(page, "Key").collect::<Vec<_>>(),
            ["a/1", "a/b&c"]
        );
        assert_eq!(
            xml_values(page, "NextContinuationToken").next().unwrap(),
            "t/1="
        );
        assert!(xml_values(page, "Code").next().is_none());
    }
}
