//! Master key derivation (PBKDF2-SHA256 or Argon2id), the master password hash the server sees,
//! and the HKDF-expanded ("stretched") key that wraps the user key.

use crate::keys::SymmetricKey;
use crate::CryptoError;
use base64::Engine as _;
use sha2::{Digest, Sha256};
use zeroize::{Zeroize, ZeroizeOnDrop};

/// The key derivation function an account uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kdf {
    /// PBKDF2-HMAC-SHA256.
    Pbkdf2 {
        /// Iterations.
        iterations: u32,
    },
    /// Argon2id (version 0x13).
    Argon2id {
        /// Time cost.
        iterations: u32,
        /// Memory in MiB.
        memory_mib: u32,
        /// Lanes.
        parallelism: u32,
    },
}

impl Kdf {
    /// PBKDF2 with 600,000 iterations, the default for new accounts.
    pub fn default_pbkdf2() -> Self {
        Kdf::Pbkdf2 {
            iterations: 600_000,
        }
    }

    /// Argon2id with the clients' current defaults (t=6, 32 MiB, p=4).
    pub fn default_argon2id() -> Self {
        Kdf::Argon2id {
            iterations: 6,
            memory_mib: 32,
            parallelism: 4,
        }
    }

    /// The wire enum: 0 PBKDF2, 1 Argon2id.
    pub fn kdf_type(&self) -> i32 {
        match self {
            Kdf::Pbkdf2 { .. } => 0,
            Kdf::Argon2id { .. } => 1,
        }
    }

    /// Iterations (PBKDF2) or time cost (Argon2id).
    pub fn iterations(&self) -> i32 {
        match *self {
            Kdf::Pbkdf2 { iterations } | Kdf::Argon2id { iterations, .. } => {
                i32::try_from(iterations).unwrap_or(i32::MAX)
            }
        }
    }

    /// Argon2 memory in MiB (`None` for PBKDF2).
    pub fn memory(&self) -> Option<i32> {
        match *self {
            Kdf::Argon2id { memory_mib, .. } => Some(i32::try_from(memory_mib).unwrap_or(i32::MAX)),
            Kdf::Pbkdf2 { .. } => None,
        }
    }

    /// Argon2 parallelism (`None` for PBKDF2).
    pub fn parallelism(&self) -> Option<i32> {
        match *self {
            Kdf::Argon2id { parallelism, .. } => {
                Some(i32::try_from(parallelism).unwrap_or(i32::MAX))
            }
            Kdf::Pbkdf2 { .. } => None,
        }
    }

    /// Builds KDF settings from wire values.
    pub fn from_wire(
        kdf_type: i32,
        iterations: i32,
        memory: Option<i32>,
        parallelism: Option<i32>,
    ) -> Result<Self, CryptoError> {
        let positive = |v: i32| u32::try_from(v).ok().filter(|v| *v > 0);
        let iterations =
            positive(iterations).ok_or(CryptoError::InvalidKdf("iterations must be positive"))?;
        match kdf_type {
            0 => Ok(Kdf::Pbkdf2 { iterations }),
            1 => Ok(Kdf::Argon2id {
                iterations,
                memory_mib: memory
                    .and_then(positive)
                    .ok_or(CryptoError::InvalidKdf("Argon2id needs memory"))?,
                parallelism: parallelism
                    .and_then(positive)
                    .ok_or(CryptoError::InvalidKdf("Argon2id needs parallelism"))?,
            }),
            _ => Err(CryptoError::InvalidKdf("unknown KDF type")),
        }
    }

    /// The minimums a client accepts at prelogin (anti-downgrade).
    pub fn check_minimums(&self) -> Result<(), CryptoError> {
        let ok = match *self {
            Kdf::Pbkdf2 { iterations } => iterations >= 5_000,
            Kdf::Argon2id {
                iterations,
                memory_mib,
                parallelism,
            } => iterations >= 2 && memory_mib >= 16 && parallelism >= 1,
        };
        ok.then_some(())
            .ok_or(CryptoError::InvalidKdf("below the minimum clients accept"))
    }

    /// The range allowed when a user chooses KDF settings (registration, KDF change).
    pub fn check_allowed_for_new_setting(&self) -> Result<(), CryptoError> {
        let ok = match *self {
            Kdf::Pbkdf2 { iterations } => (600_000..=2_000_000).contains(&iterations),
            Kdf::Argon2id {
                iterations,
                memory_mib,
                parallelism,
            } => {
                (2..=10).contains(&iterations)
                    && (16..=1024).contains(&memory_mib)
                    && (1..=16).contains(&parallelism)
            }
        };
        ok.then_some(())
            .ok_or(CryptoError::InvalidKdf("outside the allowed range"))
    }
}

/// The 32-byte master key derived from the master password. Never leaves the client.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct MasterKey([u8; 32]);

impl MasterKey {
    /// The raw bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MasterKey(..)")
    }
}

/// Trims and lower-cases an email: the KDF salt and the account's identity.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// Derives the master key. PBKDF2 salts with the normalised email; Argon2id with its SHA-256.
pub fn derive_master_key(password: &str, email: &str, kdf: &Kdf) -> Result<MasterKey, CryptoError> {
    let salt = normalize_email(email);
    let mut out = [0u8; 32];
    match *kdf {
        Kdf::Pbkdf2 { iterations } => {
            pbkdf2::pbkdf2_hmac::<Sha256>(
                password.as_bytes(),
                salt.as_bytes(),
                iterations,
                &mut out,
            );
        }
        Kdf::Argon2id {
            iterations,
            memory_mib,
            parallelism,
        } => {
            let salt = Sha256::digest(salt.as_bytes());
            let memory_kib = memory_mib
                .checked_mul(1024)
                .ok_or(CryptoError::InvalidKdf("memory too large"))?;
            let params = argon2::Params::new(memory_kib, iterations, parallelism, Some(32))
                .map_err(|_| CryptoError::InvalidKdf("Argon2 parameters rejected"))?;
            argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
                .hash_password_into(password.as_bytes(), &salt, &mut out)
                .map_err(|_| CryptoError::InvalidKdf("Argon2 failed"))?;
        }
    }
    Ok(MasterKey(out))
}

/// What the client sends to authenticate: base64 of PBKDF2-SHA256(master key, salt = password, 1).
pub fn master_password_hash(master_key: &MasterKey, password: &str) -> String {
    let mut out = [0u8; 32];
    pbkdf2::pbkdf2_hmac::<Sha256>(master_key.as_bytes(), password.as_bytes(), 1, &mut out);
    base64::engine::general_purpose::STANDARD.encode(out)
}

/// HKDF-Expand (no extract) of the master key into a 64-byte enc‖mac key.
pub fn stretch_master_key(master_key: &MasterKey) -> SymmetricKey {
    let mut enc = [0u8; 32];
    let mut mac = [0u8; 32];
    // A 32-byte PRK is always long enough for HKDF-SHA256, and 32 output bytes always fit.
    if let Ok(hk) = hkdf::Hkdf::<Sha256>::from_prk(master_key.as_bytes()) {
        let _ = hk.expand(b"enc", &mut enc);
        let _ = hk.expand(b"mac", &mut mac);
    }
    let key = SymmetricKey::from_parts(enc, mac);
    enc.zeroize();
    mac.zeroize();
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    const EMAIL: &str = "test@example.com";
    const PASSWORD: &str = "correct horse battery staple";

    #[test]
    fn pbkdf2_matches_the_protocol_test_vector() {
        let mk = derive_master_key(PASSWORD, EMAIL, &Kdf::default_pbkdf2()).unwrap();
        assert_eq!(
            hex::encode(mk.as_bytes()),
            "bc3298ee75bf032e82e89b57a9ed100bd70146605fad382ac4e9a7c6bef62aac"
        );
        assert_eq!(
            master_password_hash(&mk, PASSWORD),
            "kE9E2kViqaDqA4F0hBdTOpXvsgIbbwHV3PIbQGiuV3I="
        );
        let stretched = stretch_master_key(&mk).to_bytes();
        assert_eq!(
            hex::encode(&stretched[..]),
            "2b8dd029e412178d374de61b8ee03e72eb432c053b7bed6ee11d37e9db40499a\
             96cb3c49bc7d3052129ce91915ebbca5d238da348a366f41b9cebad4c6f96f25"
        );
    }

    #[test]
    fn argon2id_matches_the_protocol_test_vector() {
        let kdf = Kdf::Argon2id {
            iterations: 3,
            memory_mib: 64,
            parallelism: 4,
        };
        let mk = derive_master_key(PASSWORD, EMAIL, &kdf).unwrap();
        assert_eq!(
            hex::encode(mk.as_bytes()),
            "d0c8381c7b00d92eb173b4e13b272ed7daa55a0bec8bccc9c87fe3bb19643ed1"
        );
        assert_eq!(
            master_password_hash(&mk, PASSWORD),
            "9rI6bjbBh4GOqNCC2c/lwIErV41PfoGpwZrHLSBYoqA="
        );
    }

    #[test]
    fn the_salt_ignores_case_and_surrounding_space() {
        let kdf = Kdf::Pbkdf2 { iterations: 5_000 };
        let a = derive_master_key(PASSWORD, " Test@Example.COM ", &kdf).unwrap();
        let b = derive_master_key(PASSWORD, EMAIL, &kdf).unwrap();
        assert_eq!(a.as_bytes(), b.as_bytes());
    }

    #[test]
    fn wire_kdf_settings_are_checked() {
        assert_eq!(
            Kdf::from_wire(0, 600_000, None, None).unwrap(),
            Kdf::default_pbkdf2()
        );
        assert!(Kdf::from_wire(1, 3, None, Some(4)).is_err());
        assert!(Kdf::from_wire(2, 3, None, None).is_err());
        assert!(Kdf::from_wire(0, -1, None, None).is_err());
        assert!(Kdf::Pbkdf2 { iterations: 4_999 }.check_minimums().is_err());
        assert!(Kdf::Pbkdf2 { iterations: 5_000 }.check_minimums().is_ok());
        assert!(Kdf::Pbkdf2 { iterations: 5_000 }
            .check_allowed_for_new_setting()
            .is_err());
        assert!(Kdf::default_argon2id()
            .check_allowed_for_new_setting()
            .is_ok());
        let huge = Kdf::Argon2id {
            iterations: 3,
            memory_mib: 2048,
            parallelism: 4,
        };
        assert!(huge.check_allowed_for_new_setting().is_err());
    }
}
