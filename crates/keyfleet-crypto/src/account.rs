//! Account key material: what a client generates at registration and how it unlocks later.

use crate::enc_string::EncString;
use crate::kdf::{derive_master_key, master_password_hash, stretch_master_key, Kdf};
use crate::keys::{generate_rsa_keypair, PrivateKey, SymmetricKey};
use crate::CryptoError;

/// Everything a new account sends to the server, plus the user key for the caller to keep.
#[derive(Debug)]
pub struct NewAccountKeys {
    /// The master password hash (the login secret).
    pub master_password_hash: String,
    /// The user key, in memory only.
    pub user_key: SymmetricKey,
    /// The user key wrapped under the stretched master key (type 2).
    pub encrypted_user_key: String,
    /// Base64 SPKI of the new RSA public key.
    pub public_key_b64: String,
    /// The PKCS#8 private key wrapped under the user key (type 2).
    pub encrypted_private_key: String,
}

/// Generates a user key and an RSA pair and wraps them as registration needs.
pub fn make_account_keys(
    email: &str,
    password: &str,
    kdf: &Kdf,
) -> Result<NewAccountKeys, CryptoError> {
    let master_key = derive_master_key(password, email, kdf)?;
    let stretched = stretch_master_key(&master_key);
    let user_key = SymmetricKey::generate();
    let (private, public) = generate_rsa_keypair()?;
    Ok(NewAccountKeys {
        master_password_hash: master_password_hash(&master_key, password),
        encrypted_user_key: EncString::encrypt_aes(&stretched, &user_key.to_bytes()).to_string(),
        public_key_b64: public.to_spki_der_b64()?,
        encrypted_private_key: EncString::encrypt_aes(&user_key, &private.to_pkcs8_der()?)
            .to_string(),
        user_key,
    })
}

/// Recovers the user key from its wrapped form; a wrong password fails the MAC check.
pub fn unlock_user_key(
    email: &str,
    password: &str,
    kdf: &Kdf,
    encrypted_user_key: &str,
) -> Result<SymmetricKey, CryptoError> {
    let master_key = derive_master_key(password, email, kdf)?;
    let stretched = stretch_master_key(&master_key);
    let bytes = encrypted_user_key
        .parse::<EncString>()?
        .decrypt_aes(&stretched)?;
    SymmetricKey::from_bytes(&bytes)
}

/// Unwraps an account's private key with its user key.
pub fn unlock_private_key(
    user_key: &SymmetricKey,
    encrypted_private_key: &str,
) -> Result<PrivateKey, CryptoError> {
    let der = encrypted_private_key
        .parse::<EncString>()?
        .decrypt_aes(user_key)?;
    PrivateKey::from_pkcs8_der(&der)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_account_unlocks_with_its_password_only() {
        let kdf = Kdf::Pbkdf2 { iterations: 5_000 };
        let keys = make_account_keys("A@Example.com", "pw", &kdf).unwrap();
        let user_key =
            unlock_user_key("a@example.com", "pw", &kdf, &keys.encrypted_user_key).unwrap();
        assert_eq!(user_key, keys.user_key);
        let private = unlock_private_key(&user_key, &keys.encrypted_private_key).unwrap();
        assert_eq!(
            private.public_key().to_spki_der_b64().unwrap(),
            keys.public_key_b64
        );
        assert_eq!(
            unlock_user_key("a@example.com", "wrong", &kdf, &keys.encrypted_user_key).unwrap_err(),
            CryptoError::MacMismatch
        );
    }
}
