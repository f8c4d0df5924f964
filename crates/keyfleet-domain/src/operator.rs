//! The operator's admin token (`/admin`: creating providers). Long enough not to be guessed, kept
//! only as a digest, compared in constant time whatever the length of what is sent, and failures
//! throttled per client address like logins.

use crate::error::DomainError;
use crate::throttle::{Limit, Throttle};
use crate::Domain;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// Shortest admin token accepted at start-up.
pub const MIN_OPERATOR_TOKEN_CHARS: usize = 32;

/// Wrong admin tokens one address may send per 15 minutes (a 32-character random token is not
/// guessed anyway: this keeps a scanner from trying).
const OPERATOR_FAILURES: Limit = Limit {
    max_failures: 30,
    window_secs: 15 * 60,
};
const OPERATOR_THROTTLE: Throttle = Throttle::new("operator", OPERATOR_FAILURES);

/// The configured admin token, as a digest.
#[derive(Clone)]
pub struct OperatorToken {
    digest: [u8; 32],
}

impl std::fmt::Debug for OperatorToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OperatorToken([redacted])")
    }
}

impl OperatorToken {
    /// The token from the configuration; refused when shorter than
    /// [`MIN_OPERATOR_TOKEN_CHARS`] characters.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        if raw.chars().count() < MIN_OPERATOR_TOKEN_CHARS {
            return Err(format!(
                "the admin token must be at least {MIN_OPERATOR_TOKEN_CHARS} characters \
                 (e.g. `openssl rand -base64 32`)"
            ));
        }
        Ok(OperatorToken {
            digest: Sha256::digest(raw.as_bytes()).into(),
        })
    }

    /// Whether `given` is the token (digests compared: neither the content nor the length of
    /// the real token shows in the time taken).
    fn matches(&self, given: &str) -> bool {
        let given: [u8; 32] = Sha256::digest(given.trim().as_bytes()).into();
        bool::from(given.ct_eq(&self.digest))
    }
}

impl Domain {
    /// Checks an admin token sent from `ip`: `RateLimited` after too many wrong ones from that
    /// address, `Unauthorized` for a wrong one.
    pub async fn authenticate_operator(
        &self,
        token: &OperatorToken,
        given: &str,
        ip: &str,
    ) -> Result<(), DomainError> {
        let store = self.store.as_ref();
        if let Err(retry_after_secs) = OPERATOR_THROTTLE.reserve(store, ip, self.now()).await? {
            return Err(DomainError::RateLimited { retry_after_secs });
        }
        if token.matches(given) {
            OPERATOR_THROTTLE.release(store, ip).await?;
            Ok(())
        } else {
            tracing::warn!(%ip, "wrong admin token");
            Err(DomainError::Unauthorized)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_tokens_are_refused_and_only_the_token_matches() {
        assert!(OperatorToken::parse("x").is_err());
        assert!(OperatorToken::parse(&"a".repeat(31)).is_err());
        let t = OperatorToken::parse("correct-operator-token-0123456789abc").unwrap();
        assert!(t.matches("correct-operator-token-0123456789abc"));
        assert!(!t.matches("correct-operator-token-0123456789ab"));
        assert!(!t.matches(""));
        assert!(!format!("{t:?}").contains("correct"));
    }
}
