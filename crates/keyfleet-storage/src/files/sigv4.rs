//! AWS Signature Version 4 for S3 requests (the `Authorization` header form), written here
//! rather than taken from an SDK: every S3-compatible server accepts it, and it needs only the
//! HMAC-SHA256 the workspace already has. Spec:
//! <https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html>.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// The payload hash of a streamed body whose bytes are not hashed in advance (S3 accepts it;
/// TLS protects the body on the way).
pub(crate) const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";

/// What a request is signed with.
pub(crate) struct Credentials<'a> {
    pub access_key_id: &'a str,
    pub secret_access_key: &'a str,
    pub region: &'a str,
}

/// One request to sign. `path` is the decoded object path (`/bucket/key` or `/key`), `query`
/// the decoded parameters; `host` is the `Host` header as sent (with a non-default port).
pub(crate) struct Request<'a> {
    pub method: &'a str,
    pub host: &'a str,
    pub path: &'a str,
    pub query: &'a [(&'a str, &'a str)],
    /// Hex SHA-256 of the body, or [`UNSIGNED_PAYLOAD`].
    pub payload_hash: &'a str,
    /// Extra headers to sign (lowercase names), e.g. `range`.
    pub extra_headers: &'a [(&'a str, &'a str)],
}

/// The headers to add: `x-amz-date`, `x-amz-content-sha256` and `authorization`.
pub(crate) fn sign(
    creds: &Credentials<'_>,
    req: &Request<'_>,
    now: time::OffsetDateTime,
) -> [(&'static str, String); 3] {
    let now = now.to_offset(time::UtcOffset::UTC);
    let date = format!(
        "{:04}{:02}{:02}",
        now.year(),
        u8::from(now.month()),
        now.day()
    );
    let amz_date = format!(
        "{date}T{:02}{:02}{:02}Z",
        now.hour(),
        now.minute(),
        now.second()
    );

    let mut headers: Vec<(String, String)> = vec![
        ("host".into(), req.host.trim().into()),
        ("x-amz-content-sha256".into(), req.payload_hash.into()),
        ("x-amz-date".into(), amz_date.clone()),
    ];
    headers.extend(
        req.extra_headers
            .iter()
            .map(|(k, v)| (k.to_ascii_lowercase(), v.trim().to_owned())),
    );
    headers.sort();
    let signed_headers = headers
        .iter()
        .map(|(k, _)| k.as_str())
        .collect::<Vec<_>>()
        .join(";");
    let canonical_headers: String = headers.iter().map(|(k, v)| format!("{k}:{v}\n")).collect();

    let mut query: Vec<(String, String)> = req
        .query
        .iter()
        .map(|(k, v)| (uri_encode(k, true), uri_encode(v, true)))
        .collect();
    query.sort();
    let canonical_query = query
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");

    let canonical_request = format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        req.method,
        uri_encode(req.path, false),
        canonical_query,
        canonical_headers,
        signed_headers,
        req.payload_hash
    );
    let scope = format!("{date}/{}/s3/aws4_request", creds.region);
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
        hex::encode(Sha256::digest(canonical_request.as_bytes()))
    );
    let key = [creds.region.as_bytes(), b"s3", b"aws4_request"]
        .iter()
        .fold(
            hmac(
                format!("AWS4{}", creds.secret_access_key).as_bytes(),
                date.as_bytes(),
            ),
            |key, part| hmac(&key, part),
        );
    let signature = hex::encode(hmac(&key, string_to_sign.as_bytes()));
    [
        ("x-amz-date", amz_date),
        ("x-amz-content-sha256", req.payload_hash.to_owned()),
        (
            "authorization",
            format!(
                "AWS4-HMAC-SHA256 Credential={}/{scope}, SignedHeaders={signed_headers}, Signature={signature}",
                creds.access_key_id
            ),
        ),
    ]
}

/// Hex SHA-256 of a small body sent whole (the empty body included).
pub(crate) fn payload_hash(body: &[u8]) -> String {
    hex::encode(Sha256::digest(body))
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    // HMAC takes keys of any length; `new_from_slice` cannot fail for it.
    let mut mac = match Hmac::<Sha256>::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => unreachable!("HMAC accepts any key length"),
    };
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

/// SigV4's URI encoding: every byte but `A-Za-z0-9-._~` as `%XX` (upper case); `/` kept in
/// paths, encoded in query parameters. The same encoding builds the URL we send, so the server
/// decodes what we signed.
pub(crate) fn uri_encode(text: &str, encode_slash: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(b as char)
            }
            b'/' if !encode_slash => out.push('/'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const CREDS: Credentials<'static> = Credentials {
        access_key_id: "AKIAIOSFODNN7EXAMPLE",
        secret_access_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        region: "us-east-1",
    };

    fn at(text: &str) -> time::OffsetDateTime {
        time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).unwrap()
    }

    fn signature<'a>(headers: &'a [(&'static str, String); 3]) -> &'a str {
        headers[2].1.rsplit("Signature=").next().unwrap()
    }

    /// AWS's worked example "GET Object" from the SigV4 header-based-auth page.
    #[test]
    fn aws_get_object_example() {
        let empty = payload_hash(b"");
        let headers = sign(
            &CREDS,
            &Request {
                method: "GET",
                host: "examplebucket.s3.amazonaws.com",
                path: "/test.txt",
                query: &[],
                payload_hash: &empty,
                extra_headers: &[("range", "bytes=0-9")],
            },
            at("2013-05-24T00:00:00Z"),
        );
        assert_eq!(
            signature(&headers),
            "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
        );
        assert!(headers[2].1.starts_with(
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, \
             SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature="
        ));
    }

    /// AWS's worked example "GET Bucket (List Objects)": query parameters.
    #[test]
    fn aws_list_objects_example() {
        let empty = payload_hash(b"");
        let headers = sign(
            &CREDS,
            &Request {
                method: "GET",
                host: "examplebucket.s3.amazonaws.com",
                path: "/",
                query: &[("max-keys", "2"), ("prefix", "J")],
                payload_hash: &empty,
                extra_headers: &[],
            },
            at("2013-05-24T00:00:00Z"),
        );
        assert_eq!(
            signature(&headers),
            "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7"
        );
    }

    /// Path-style, a port, characters that need encoding in the path and the query (signature
    /// from botocore's `S3SigV4Auth`, the reference client, which hashes the empty body).
    #[test]
    fn path_style_with_encoded_characters_matches_botocore() {
        let empty = payload_hash(b"");
        let headers = sign(
            &CREDS,
            &Request {
                method: "PUT",
                host: "127.0.0.1:9000",
                path: "/my-bucket/files x/a+b~c",
                query: &[("uploadId", "a/b="), ("partNumber", "1")],
                payload_hash: &empty,
                extra_headers: &[],
            },
            at("2013-05-24T00:00:00Z"),
        );
        assert_eq!(
            signature(&headers),
            "3a882b77eadad9f265d00f8bb891d580b24716a11ee08a61006c18d749bbd1fd"
        );
    }
}
