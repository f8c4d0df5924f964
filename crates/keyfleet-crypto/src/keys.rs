//! Symmetric keys (64 bytes: AES-256 ‖ HMAC-SHA256) and RSA-2048 key pairs.

use crate::CryptoError;
use base64::Engine as _;
use rand::RngCore;
use rsa::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey};
use sha2::{Digest, Sha256};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

/// `N` random bytes from the OS generator.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut out = [0u8; N];
    rand::rngs::OsRng.fill_bytes(&mut out);
    out
}

/// A user, organization, provider or item key: 32 bytes for AES-256-CBC, 32 for HMAC-SHA256.
#[derive(Clone, Zeroize, ZeroizeOnDrop, PartialEq, Eq)]
pub struct SymmetricKey {
    enc: [u8; 32],
    mac: [u8; 32],
}

impl std::fmt::Debug for SymmetricKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SymmetricKey(..)")
    }
}

impl SymmetricKey {
    /// A fresh random key.
    pub fn generate() -> Self {
        let bytes: [u8; 64] = random_bytes();
        let key = Self::from_bytes(&bytes);
        let mut bytes = bytes;
        bytes.zeroize();
        key.unwrap_or_else(|_| unreachable_key())
    }

    /// From the 64-byte wire form (enc ‖ mac).
    pub fn from_bytes(b: &[u8]) -> Result<Self, CryptoError> {
        if b.len() != 64 {
            return Err(CryptoError::InvalidKey("a symmetric key is 64 bytes"));
        }
        let mut enc = [0u8; 32];
        let mut mac = [0u8; 32];
        enc.copy_from_slice(&b[..32]);
        mac.copy_from_slice(&b[32..]);
        Ok(SymmetricKey { enc, mac })
    }

    pub(crate) fn from_parts(enc: [u8; 32], mac: [u8; 32]) -> Self {
        SymmetricKey { enc, mac }
    }

    /// The 64-byte wire form (enc ‖ mac).
    pub fn to_bytes(&self) -> Zeroizing<Vec<u8>> {
        let mut v = Zeroizing::new(Vec::with_capacity(64));
        v.extend_from_slice(&self.enc);
        v.extend_from_slice(&self.mac);
        v
    }

    pub(crate) fn enc(&self) -> &[u8; 32] {
        &self.enc
    }

    pub(crate) fn mac(&self) -> &[u8; 32] {
        &self.mac
    }
}

// `from_bytes` only fails on a wrong length, which a [u8; 64] cannot have.
fn unreachable_key() -> SymmetricKey {
    SymmetricKey::from_parts([0; 32], [0; 32])
}

/// An RSA public key (shared in clear as base64 SPKI DER).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicKey(pub(crate) rsa::RsaPublicKey);

/// An RSA private key (stored only wrapped, as PKCS#8 DER under the user or org key).
#[derive(Clone)]
pub struct PrivateKey(pub(crate) rsa::RsaPrivateKey);

impl std::fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PrivateKey(..)")
    }
}

/// A new RSA-2048 key pair with e = 65537.
pub fn generate_rsa_keypair() -> Result<(PrivateKey, PublicKey), CryptoError> {
    let private = rsa::RsaPrivateKey::new(&mut rand::rngs::OsRng, 2048)
        .map_err(|_| CryptoError::InvalidKey("RSA key generation failed"))?;
    let public = private.to_public_key();
    Ok((PrivateKey(private), PublicKey(public)))
}

impl PublicKey {
    /// Base64 of the DER SubjectPublicKeyInfo, as the protocol sends public keys.
    pub fn to_spki_der_b64(&self) -> Result<String, CryptoError> {
        let der = self
            .0
            .to_public_key_der()
            .map_err(|_| CryptoError::InvalidKey("cannot encode public key"))?;
        Ok(base64::engine::general_purpose::STANDARD.encode(der.as_bytes()))
    }

    /// Parses base64 SPKI DER.
    pub fn from_spki_der_b64(s: &str) -> Result<Self, CryptoError> {
        let der = base64::engine::general_purpose::STANDARD
            .decode(s.trim())
            .map_err(|_| CryptoError::InvalidKey("public key is not base64"))?;
        Self::from_spki_der(&der)
    }

    /// The DER SubjectPublicKeyInfo bytes (what a trusted device's `encryptedPublicKey`
    /// encrypts).
    pub fn to_spki_der(&self) -> Result<Vec<u8>, CryptoError> {
        Ok(self
            .0
            .to_public_key_der()
            .map_err(|_| CryptoError::InvalidKey("cannot encode public key"))?
            .as_bytes()
            .to_vec())
    }

    /// Parses SPKI DER bytes.
    pub fn from_spki_der(der: &[u8]) -> Result<Self, CryptoError> {
        rsa::RsaPublicKey::from_public_key_der(der)
            .map(PublicKey)
            .map_err(|_| CryptoError::InvalidKey("public key is not RSA SPKI"))
    }

    /// The account fingerprint phrase Bitwarden apps show for this key and `user_id`.
    pub fn fingerprint_phrase(&self, user_id: &str) -> Result<String, CryptoError> {
        let der = self
            .0
            .to_public_key_der()
            .map_err(|_| CryptoError::InvalidKey("cannot encode public key"))?;
        Ok(crate::fingerprint::fingerprint_phrase(
            der.as_bytes(),
            user_id,
        ))
    }

    /// A short fingerprint to compare out of band before confirming someone: hex SHA-256 of the
    /// SPKI DER, grouped in fours.
    pub fn fingerprint(&self) -> Result<String, CryptoError> {
        let der = self
            .0
            .to_public_key_der()
            .map_err(|_| CryptoError::InvalidKey("cannot encode public key"))?;
        let digest = Sha256::digest(der.as_bytes());
        let hex: Vec<String> = digest[..16]
            .chunks(2)
            .map(|c| format!("{:02x}{:02x}", c[0], c[1]))
            .collect();
        Ok(hex.join("-"))
    }
}

impl PrivateKey {
    /// PKCS#8 DER.
    pub fn to_pkcs8_der(&self) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
        let der = self
            .0
            .to_pkcs8_der()
            .map_err(|_| CryptoError::InvalidKey("cannot encode private key"))?;
        Ok(Zeroizing::new(der.as_bytes().to_vec()))
    }

    /// Parses PKCS#8 DER.
    pub fn from_pkcs8_der(b: &[u8]) -> Result<Self, CryptoError> {
        rsa::RsaPrivateKey::from_pkcs8_der(b)
            .map(PrivateKey)
            .map_err(|_| CryptoError::InvalidKey("private key is not RSA PKCS#8"))
    }

    /// The matching public key.
    pub fn public_key(&self) -> PublicKey {
        PublicKey(self.0.to_public_key())
    }
}
