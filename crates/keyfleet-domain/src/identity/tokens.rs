//! Access tokens (short-lived HS256 JWTs the clients decode but do not verify) and opaque refresh
//! tokens (stored only as SHA-256 hashes; high-entropy, so a fast hash is enough).

use crate::clock::Timestamp;
use crate::error::DomainError;
use crate::ids::UserId;
use crate::store::UserRow;
use base64::Engine as _;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Lifetime of an access token; clients refresh about five minutes before `exp`.
pub const ACCESS_TOKEN_SECS: i64 = 3600;
/// Scope of an organization API key token (the public API only).
pub const ORG_API_SCOPE: &str = "api.organization";
/// Lifetime of a refresh token (renewed on every rotation).
pub const REFRESH_TOKEN_SECS: i64 = 30 * 24 * 3600;

/// The claims Keyfleet puts in an access token (what Bitwarden clients read, plus `sstamp`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccessClaims {
    /// User id.
    pub sub: String,
    /// Email.
    pub email: String,
    /// Always true.
    pub email_verified: bool,
    /// Display name.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub name: Option<String>,
    /// Always true on a self-hosted server.
    pub premium: bool,
    /// Not before (seconds).
    pub nbf: i64,
    /// Issued at (seconds).
    pub iat: i64,
    /// Expiry (seconds); clients refresh from it.
    pub exp: i64,
    /// Issuer (the server's public URL).
    pub iss: String,
    /// OAuth client, reused by clients for the refresh grant.
    pub client_id: String,
    /// Security stamp at issue time; a changed stamp revokes the token.
    pub sstamp: String,
    /// Device identifier, when the login had one.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub device: Option<String>,
    /// DeviceType number of that device (recorded with audit events).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub devicetype: Option<i32>,
    /// Granted scopes.
    pub scope: Vec<String>,
    /// Authentication methods.
    pub amr: Vec<String>,
    /// Token id.
    pub jti: String,
}

/// Signs and checks access tokens.
#[derive(Clone)]
pub struct TokenIssuer {
    encoding: EncodingKey,
    decoding: DecodingKey,
    issuer: String,
    /// Keys [`TokenIssuer::keyed_digest`]; derived from the signing secret, never used to sign.
    digest_key: [u8; 32],
}

/// A signed access token and its lifetime.
#[derive(Debug, Clone)]
pub struct AccessToken {
    /// The JWT.
    pub token: String,
    /// Seconds until it expires.
    pub expires_in: i64,
}

impl TokenIssuer {
    /// Builds an issuer from the server's secret (random, generated at first start, stored in the DB).
    pub fn new(secret: &[u8], issuer: String) -> Self {
        TokenIssuer {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            issuer,
            digest_key: Sha256::new()
                .chain_update(b"keyfleet short code digest\0")
                .chain_update(secret)
                .finalize()
                .into(),
        }
    }

    /// HMAC-SHA256 of `input` under a server secret, hex: how low-entropy secrets (six-digit
    /// mailed codes) are stored. A plain hash of a 6-digit code is reversed by trying a million
    /// candidates; without the server's secret a copy of the database does not reveal the code.
    pub fn keyed_digest(&self, purpose: &str, input: &str) -> String {
        use hmac::Mac as _;
        let mut mac = <hmac::Hmac<Sha256> as hmac::Mac>::new_from_slice(&self.digest_key)
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        mac.update(purpose.as_bytes());
        mac.update(b"\0");
        mac.update(input.as_bytes());
        mac.finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// Issues an access token for `user`.
    pub fn issue(
        &self,
        user: &UserRow,
        client_id: &str,
        device: Option<(&str, i32)>,
        scope: &[&str],
        now: Timestamp,
    ) -> Result<AccessToken, DomainError> {
        let claims = AccessClaims {
            sub: user.id.to_string(),
            email: user.email.clone(),
            email_verified: true,
            name: user.name.clone(),
            premium: true,
            nbf: now.unix_secs(),
            iat: now.unix_secs(),
            exp: now.plus_secs(ACCESS_TOKEN_SECS).unix_secs(),
            iss: self.issuer.clone(),
            client_id: client_id.to_string(),
            sstamp: user.security_stamp.clone(),
            device: device.map(|(id, _)| id.to_string()),
            devicetype: device.map(|(_, t)| t),
            scope: scope.iter().map(|s| s.to_string()).collect(),
            amr: vec!["Application".into()],
            jti: uuid::Uuid::new_v4().to_string(),
        };
        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| DomainError::Internal(format!("jwt encode: {e}")))?;
        Ok(AccessToken {
            token,
            expires_in: ACCESS_TOKEN_SECS,
        })
    }

    /// An access token for an organization API key (`sub` = the org id, scope
    /// `api.organization`); `stamp` is derived from the key so rotating it revokes the token.
    pub fn issue_for_org(
        &self,
        org_id: &str,
        client_id: &str,
        stamp: &str,
        now: Timestamp,
    ) -> Result<AccessToken, DomainError> {
        let claims = AccessClaims {
            sub: org_id.to_string(),
            email: String::new(),
            email_verified: false,
            name: None,
            premium: false,
            nbf: now.unix_secs(),
            iat: now.unix_secs(),
            exp: now.plus_secs(ACCESS_TOKEN_SECS).unix_secs(),
            iss: self.issuer.clone(),
            client_id: client_id.to_string(),
            sstamp: stamp.to_string(),
            device: None,
            devicetype: None,
            scope: vec![ORG_API_SCOPE.to_string()],
            amr: vec!["Application".into()],
            jti: uuid::Uuid::new_v4().to_string(),
        };
        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| DomainError::Internal(format!("jwt encode: {e}")))?;
        Ok(AccessToken {
            token,
            expires_in: ACCESS_TOKEN_SECS,
        })
    }

    /// Checks signature, issuer and expiry against `now`; returns the user id and claims.
    pub fn verify(&self, token: &str, now: Timestamp) -> Option<(UserId, AccessClaims)> {
        let mut validation = Validation::new(Algorithm::HS256);
        // Expiry is checked against the domain clock below, so tests can move time.
        validation.validate_exp = false;
        validation.required_spec_claims.clear();
        validation.set_issuer(&[self.issuer.as_str()]);
        let data = jsonwebtoken::decode::<AccessClaims>(token, &self.decoding, &validation).ok()?;
        let claims = data.claims;
        let secs = now.unix_secs();
        if claims.exp <= secs || claims.nbf > secs + 60 {
            return None;
        }
        let user_id = claims.sub.parse().ok()?;
        Some((user_id, claims))
    }
}

/// A new opaque refresh token: 32 random bytes, base64url.
pub fn new_refresh_token() -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>())
}

/// How refresh tokens (and other opaque secrets) are looked up: hex SHA-256.
pub fn hash_opaque_token(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// A new random API key: 30 alphanumeric characters, as the official server issues.
pub fn new_api_key() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::thread_rng();
    (0..30)
        .map(|_| char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())]))
        .collect()
}

/// How an API key is stored: `sha256:` and the hex SHA-256 of the key (the key is 30 random
/// alphanumerics, ~178 bits, so a fast digest is enough). The key itself is only ever in the
/// answer that issues it. An empty stored value means no key has been issued yet.
pub fn api_key_digest(key: &str) -> String {
    format!("{API_KEY_DIGEST_PREFIX}{}", hash_opaque_token(key))
}

/// The prefix of a stored API key digest (values without it are keys stored in clear by an
/// older Keyfleet, digested when storage opens).
pub const API_KEY_DIGEST_PREFIX: &str = "sha256:";

/// Whether `presented` is the key whose digest is `stored`, in constant time.
pub fn api_key_matches(stored: &str, presented: &str) -> bool {
    use subtle::ConstantTimeEq;
    !stored.is_empty()
        && bool::from(
            stored
                .as_bytes()
                .ct_eq(api_key_digest(presented).as_bytes()),
        )
}

/// A new security stamp.
pub fn new_security_stamp() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Claims of a short-lived single-purpose token (e.g. a registration token), signed like access
/// tokens but with an audience no access-token check accepts.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct PurposeClaims {
    aud: String,
    sub: String,
    exp: i64,
}

impl TokenIssuer {
    /// Issues a token good only for `purpose` and `subject` for `ttl_secs`.
    pub fn issue_purpose_token(
        &self,
        purpose: &str,
        subject: &str,
        ttl_secs: i64,
        now: Timestamp,
    ) -> Result<String, DomainError> {
        let claims = PurposeClaims {
            aud: format!("keyfleet:{purpose}"),
            sub: subject.to_string(),
            exp: now.plus_secs(ttl_secs).unix_secs(),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| DomainError::Internal(format!("jwt encode: {e}")))
    }

    /// The subject of a valid, unexpired token for `purpose` (signature checked), when it is one.
    pub fn purpose_token_subject(
        &self,
        token: &str,
        purpose: &str,
        now: Timestamp,
    ) -> Option<String> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.validate_exp = false;
        validation.required_spec_claims.clear();
        validation.set_audience(&[format!("keyfleet:{purpose}")]);
        jsonwebtoken::decode::<PurposeClaims>(token, &self.decoding, &validation)
            .ok()
            .filter(|data| data.claims.exp > now.unix_secs())
            .map(|data| data.claims.sub)
    }

    /// True when `token` is an unexpired `purpose` token for `subject`.
    pub fn check_purpose_token(
        &self,
        token: &str,
        purpose: &str,
        subject: &str,
        now: Timestamp,
    ) -> bool {
        self.purpose_token_subject(token, purpose, now)
            .is_some_and(|sub| sub == subject)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::KdfParams;

    fn user() -> UserRow {
        UserRow {
            id: UserId::new(),
            email: "a@example.com".into(),
            name: None,
            password_hash: String::new(),
            password_hint: None,
            kdf: KdfParams {
                kdf_type: 0,
                iterations: 600_000,
                memory: None,
                parallelism: None,
            },
            key: String::new(),
            public_key: None,
            private_key: None,
            security_stamp: "stamp".into(),
            user_key_id: None,
            api_key_digest: String::new(),
            culture: "en-US".into(),
            force_password_reset: false,
            creation_date: Timestamp(0),
            revision_date: Timestamp(0),
        }
    }

    #[test]
    fn an_access_token_verifies_until_it_expires() {
        let issuer = TokenIssuer::new(b"secret-secret-secret-secret-1234", "https://k".into());
        let u = user();
        let now = Timestamp(1_800_000_000_000);
        let t = issuer
            .issue(&u, "cli", Some(("dev", 25)), &["api"], now)
            .unwrap();
        let (id, claims) = issuer.verify(&t.token, now).unwrap();
        assert_eq!(id, u.id);
        assert_eq!(claims.client_id, "cli");
        assert!(issuer
            .verify(&t.token, now.plus_secs(ACCESS_TOKEN_SECS))
            .is_none());
    }

    #[test]
    fn a_token_signed_with_another_secret_is_rejected() {
        let a = TokenIssuer::new(b"secret-a-secret-a-secret-a-12345", "https://k".into());
        let b = TokenIssuer::new(b"secret-b-secret-b-secret-b-12345", "https://k".into());
        let now = Timestamp(1_800_000_000_000);
        let t = a.issue(&user(), "cli", None, &["api"], now).unwrap();
        assert!(b.verify(&t.token, now).is_none());
    }

    #[test]
    fn a_purpose_token_is_not_an_access_token_and_is_bound_to_its_subject() {
        let a = TokenIssuer::new(b"secret-a-secret-a-secret-a-12345", "https://k".into());
        let now = Timestamp(1_800_000_000_000);
        let t = a
            .issue_purpose_token("register", "x@example.com", 60, now)
            .unwrap();
        assert!(a.check_purpose_token(&t, "register", "x@example.com", now));
        assert!(!a.check_purpose_token(&t, "register", "y@example.com", now));
        assert!(!a.check_purpose_token(&t, "invite", "x@example.com", now));
        assert!(!a.check_purpose_token(&t, "register", "x@example.com", now.plus_secs(61)));
        assert!(a.verify(&t, now).is_none());
    }
}
