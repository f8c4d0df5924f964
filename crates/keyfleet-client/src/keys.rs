//! Key wrapping shared by the organization and provider calls, and where a user's sync says the
//! org and provider keys are. Pure functions (no I/O), so the chains are unit-tested here.
//!
//! The chains (shared/protocol/README.md, providers.md §6): an org key reaches a member wrapped
//! to their public key (type 4); a provider key reaches each provider member the same way; a
//! client org's key is wrapped with the provider key (type 2).

use crate::ClientError;
use keyfleet_api::accounts::ProfileResponse;
use keyfleet_crypto::{generate_rsa_keypair, EncString, PrivateKey, PublicKey, SymmetricKey};

/// Wraps `key` to `public` (EncString type 4, RSA-OAEP-SHA1), as org and provider keys are
/// shared with a member.
pub fn wrap_to_public(public: &PublicKey, key: &SymmetricKey) -> Result<String, ClientError> {
    Ok(EncString::encrypt_rsa(public, &key.to_bytes())?.to_string())
}

/// Unwraps a type-4 key with the private key it was wrapped to.
pub fn unwrap_with_private(
    private: &PrivateKey,
    wrapped: &str,
) -> Result<SymmetricKey, ClientError> {
    let raw = wrapped.parse::<EncString>()?.decrypt_rsa(private)?;
    Ok(SymmetricKey::from_bytes(&raw)?)
}

/// Wraps `key` with another symmetric key (type 2), as a client's org key is kept under the
/// provider key.
pub fn wrap_with(wrapping: &SymmetricKey, key: &SymmetricKey) -> String {
    EncString::encrypt_aes(wrapping, &key.to_bytes()).to_string()
}

/// Unwraps a type-2 key.
pub fn unwrap_with(wrapping: &SymmetricKey, wrapped: &str) -> Result<SymmetricKey, ClientError> {
    let raw = wrapped.parse::<EncString>()?.decrypt_aes(wrapping)?;
    Ok(SymmetricKey::from_bytes(&raw)?)
}

/// What a new organization needs, made here: its key and its RSA key pair, the private half
/// wrapped with the org key.
pub struct NewOrgKeys {
    /// The org key (never sent in clear).
    pub key: SymmetricKey,
    /// The org public key (base64 SPKI).
    pub public_key: String,
    /// The org private key (PKCS#8) wrapped with the org key (type 2).
    pub encrypted_private_key: String,
}

impl NewOrgKeys {
    /// A fresh org key and key pair.
    pub fn generate() -> Result<NewOrgKeys, ClientError> {
        let key = SymmetricKey::generate();
        let (private, public) = generate_rsa_keypair()?;
        Ok(NewOrgKeys {
            encrypted_private_key: EncString::encrypt_aes(&key, &private.to_pkcs8_der()?)
                .to_string(),
            public_key: public.to_spki_der_b64()?,
            key,
        })
    }

    /// `{publicKey, encryptedPrivateKey}` as organization and client creation send it.
    pub fn key_pair(&self) -> keyfleet_api::orgs::OrganizationKeysRequest {
        keyfleet_api::orgs::OrganizationKeysRequest {
            public_key: self.public_key.clone(),
            encrypted_private_key: self.encrypted_private_key.clone(),
        }
    }
}

/// The wrapped keys a sync profile carries, by the id of what they open.
struct WrappedKeys<'a> {
    /// `organizations[]`: `(org id, org key wrapped to the user, type 4)`.
    orgs: Vec<(&'a str, Option<&'a str>)>,
    /// `providers[]`: `(provider id, provider key wrapped to the user, type 4)`.
    providers: Vec<(&'a str, Option<&'a str>)>,
    /// `providerOrganizations[]`: `(org id, provider id, org key under the provider key)`.
    provider_orgs: Vec<(&'a str, Option<&'a str>, Option<&'a str>)>,
}

impl<'a> WrappedKeys<'a> {
    fn of(profile: &'a ProfileResponse) -> Self {
        WrappedKeys {
            orgs: profile
                .organizations
                .iter()
                .map(|o| (o.id.as_str(), o.key.as_deref()))
                .collect(),
            providers: profile
                .providers
                .iter()
                .map(|p| (p.id.as_str(), p.key.as_deref()))
                .collect(),
            provider_orgs: profile
                .provider_organizations
                .iter()
                .map(|o| (o.id.as_str(), o.provider_id.as_deref(), o.key.as_deref()))
                .collect(),
        }
    }

    fn provider_key(
        &self,
        provider_id: &str,
        private: &PrivateKey,
    ) -> Result<SymmetricKey, ClientError> {
        let wrapped = self
            .providers
            .iter()
            .find(|(id, _)| id.eq_ignore_ascii_case(provider_id))
            .and_then(|(_, key)| *key)
            .ok_or_else(|| {
                ClientError::Decode(
                    "no key for that provider (not a confirmed, active member with two-step login?)"
                        .into(),
                )
            })?;
        unwrap_with_private(private, wrapped)
    }

    fn org_key(&self, org_id: &str, private: &PrivateKey) -> Result<SymmetricKey, ClientError> {
        let own = self
            .orgs
            .iter()
            .find(|(id, _)| id.eq_ignore_ascii_case(org_id))
            .and_then(|(_, key)| *key);
        if let Some(wrapped) = own {
            return unwrap_with_private(private, wrapped);
        }
        let through_provider = self
            .provider_orgs
            .iter()
            .find(|(id, _, _)| id.eq_ignore_ascii_case(org_id))
            .and_then(|(_, provider, key)| Some(((*key)?, (*provider)?)));
        match through_provider {
            Some((wrapped, provider_id)) => {
                let provider_key = self.provider_key(provider_id, private)?;
                unwrap_with(&provider_key, wrapped)
            }
            None => Err(ClientError::Decode(
                "no key for that organization (not a confirmed member, nor a provider member who may launch into it)"
                    .into(),
            )),
        }
    }
}

/// The provider key of a confirmed provider membership, from a sync `profile`
/// (`providers[].key`, wrapped to the user's public key).
pub fn provider_key_in_profile(
    profile: &ProfileResponse,
    provider_id: &str,
    private: &PrivateKey,
) -> Result<SymmetricKey, ClientError> {
    WrappedKeys::of(profile).provider_key(provider_id, private)
}

/// An organization's key from a sync `profile`: the caller's own membership
/// (`organizations[].key`, type 4) or, for a client the caller reaches through a provider,
/// `providerOrganizations[].key` (type 2 under that provider's key).
pub fn org_key_in_profile(
    profile: &ProfileResponse,
    org_id: &str,
    private: &PrivateKey,
) -> Result<SymmetricKey, ClientError> {
    WrappedKeys::of(profile).org_key(org_id, private)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_provider_key_wrapped_to_a_member_unwraps_with_their_private_key_only() {
        let (private, public) = generate_rsa_keypair().unwrap();
        let (other, _) = generate_rsa_keypair().unwrap();
        let provider_key = SymmetricKey::generate();
        let wrapped = wrap_to_public(&public, &provider_key).unwrap();
        assert!(wrapped.starts_with("4."), "{wrapped}");
        assert_eq!(
            unwrap_with_private(&private, &wrapped).unwrap(),
            provider_key
        );
        assert!(unwrap_with_private(&other, &wrapped).is_err());
    }

    #[test]
    fn a_client_org_key_round_trips_under_the_provider_key() {
        let provider_key = SymmetricKey::generate();
        let org_key = SymmetricKey::generate();
        let wrapped = wrap_with(&provider_key, &org_key);
        assert!(wrapped.starts_with("2."), "{wrapped}");
        assert_eq!(unwrap_with(&provider_key, &wrapped).unwrap(), org_key);
        assert!(unwrap_with(&SymmetricKey::generate(), &wrapped).is_err());
    }

    #[test]
    fn new_org_keys_hold_a_private_key_that_matches_the_public_key() {
        let keys = NewOrgKeys::generate().unwrap();
        let der = keys
            .encrypted_private_key
            .parse::<EncString>()
            .unwrap()
            .decrypt_aes(&keys.key)
            .unwrap();
        let private = PrivateKey::from_pkcs8_der(&der).unwrap();
        assert_eq!(
            private.public_key().to_spki_der_b64().unwrap(),
            keys.public_key
        );
        assert_eq!(keys.key_pair().public_key, keys.public_key);
    }

    #[test]
    fn sync_yields_member_org_keys_and_client_org_keys_through_the_provider() {
        let (private, public) = generate_rsa_keypair().unwrap();
        let provider_key = SymmetricKey::generate();
        let member_org_key = SymmetricKey::generate();
        let client_org_key = SymmetricKey::generate();
        let member_org = wrap_to_public(&public, &member_org_key).unwrap();
        let provider = wrap_to_public(&public, &provider_key).unwrap();
        let client_org = wrap_with(&provider_key, &client_org_key);
        let profile = WrappedKeys {
            orgs: vec![("0RG-A", Some(member_org.as_str())), ("no-key", None)],
            providers: vec![("p1", Some(provider.as_str()))],
            provider_orgs: vec![
                ("org-b", Some("p1"), Some(client_org.as_str())),
                ("org-c", Some("gone"), Some(client_org.as_str())),
            ],
        };
        assert_eq!(profile.provider_key("P1", &private).unwrap(), provider_key);
        assert_eq!(profile.org_key("0rg-a", &private).unwrap(), member_org_key);
        assert_eq!(profile.org_key("org-b", &private).unwrap(), client_org_key);
        assert!(
            profile.org_key("org-c", &private).is_err(),
            "no key for that client's provider"
        );
        assert!(profile.org_key("org-z", &private).is_err());
        assert!(profile.org_key("no-key", &private).is_err());
        assert!(profile.provider_key("p2", &private).is_err());
    }
}
