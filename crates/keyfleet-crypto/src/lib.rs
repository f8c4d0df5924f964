//! keyfleet-crypto: the client side of Bitwarden's crypto model, as pure functions — KDFs, the
//! master password hash, the stretched master key, EncStrings (type 2 AES-CBC+HMAC and type 4
//! RSA-OAEP-SHA1), key generation and account key material. No I/O, no async: the server uses it
//! only to *validate* EncStrings; the client library and tests use it to encrypt and decrypt.

mod account;
mod enc_string;
mod fingerprint;
mod kdf;
mod keys;

pub use account::{make_account_keys, unlock_private_key, unlock_user_key, NewAccountKeys};
pub use enc_string::{validate_enc_string, EncString};
pub use fingerprint::fingerprint_phrase;
pub use kdf::{
    derive_master_key, master_password_hash, normalize_email, stretch_master_key, Kdf, MasterKey,
};
pub use keys::{generate_rsa_keypair, random_bytes, PrivateKey, PublicKey, SymmetricKey};

/// A crypto failure. Messages never contain key material or plaintext.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CryptoError {
    /// The text is not a well-formed EncString of a known type.
    #[error("invalid EncString: {0}")]
    InvalidEncString(&'static str),
    /// The MAC did not verify: wrong key or tampered data.
    #[error("MAC mismatch (wrong key or tampered data)")]
    MacMismatch,
    /// A key has the wrong size or encoding.
    #[error("invalid key: {0}")]
    InvalidKey(&'static str),
    /// KDF settings are missing or out of range.
    #[error("invalid KDF settings: {0}")]
    InvalidKdf(&'static str),
    /// Decryption failed after the MAC check (bad padding) or RSA failed.
    #[error("decryption failed")]
    Decrypt,
    /// This operation does not apply to this EncString type.
    #[error("wrong EncString type for this operation")]
    WrongType,
}
