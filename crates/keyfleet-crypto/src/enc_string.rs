//! EncStrings: `"<type>.<b64>|<b64>|…"`. Type 2 is AES-256-CBC with HMAC-SHA256 over iv ‖ ct
//! (encrypt-then-MAC; the MAC is checked in constant time before any decryption). Type 4 is
//! RSA-OAEP with SHA-1, used to share a symmetric key with someone's public key.

use crate::keys::{PrivateKey, PublicKey, SymmetricKey};
use crate::CryptoError;
use aes::cipher::{block_padding::Pkcs7, BlockDecryptMut, BlockEncryptMut, KeyIvInit};
use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::fmt;
use std::str::FromStr;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

type Aes256CbcEnc = cbc::Encryptor<aes::Aes256>;
type Aes256CbcDec = cbc::Decryptor<aes::Aes256>;
type HmacSha256 = Hmac<Sha256>;

/// A parsed EncString of a type Keyfleet encrypts or decrypts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EncString {
    /// Type 2: AES-256-CBC + HMAC-SHA256.
    AesCbc256HmacSha256 {
        /// 16-byte IV.
        iv: [u8; 16],
        /// Ciphertext (PKCS#7 padded blocks).
        data: Vec<u8>,
        /// HMAC-SHA256 over iv ‖ data.
        mac: [u8; 32],
    },
    /// Type 4: RSA-2048-OAEP-SHA1.
    Rsa2048OaepSha1 {
        /// RSA ciphertext.
        data: Vec<u8>,
    },
}

fn b64(s: &str) -> Result<Vec<u8>, CryptoError> {
    base64::engine::general_purpose::STANDARD
        .decode(s)
        .map_err(|_| CryptoError::InvalidEncString("a part is not base64"))
}

fn split_typed(s: &str) -> Result<(u8, Vec<&str>), CryptoError> {
    let (t, rest) = s
        .split_once('.')
        .ok_or(CryptoError::InvalidEncString("missing type prefix"))?;
    let t: u8 = match t {
        "0" | "1" | "2" | "3" | "4" | "5" | "6" | "7" => t
            .parse()
            .map_err(|_| CryptoError::InvalidEncString("bad type"))?,
        _ => return Err(CryptoError::InvalidEncString("unknown type")),
    };
    let parts: Vec<&str> = rest.split('|').collect();
    if parts.iter().any(|p| p.is_empty()) {
        return Err(CryptoError::InvalidEncString("empty part"));
    }
    Ok((t, parts))
}

/// Checks that `s` is a well-formed EncString of any wire type (0, 2–7) with the right number
/// of base64 parts. The server uses this to refuse plaintext where ciphertext belongs.
pub fn validate_enc_string(s: &str) -> Result<(), CryptoError> {
    let (t, parts) = split_typed(s)?;
    let expected = match t {
        0 => 2,
        2 => 3,
        3 | 4 | 7 => 1,
        5 | 6 => 2,
        _ => return Err(CryptoError::InvalidEncString("unsupported type")),
    };
    if parts.len() != expected {
        return Err(CryptoError::InvalidEncString("wrong number of parts"));
    }
    for p in parts {
        b64(p)?;
    }
    if t == 2 {
        EncString::from_str(s)?;
    }
    Ok(())
}

impl FromStr for EncString {
    type Err = CryptoError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (t, parts) = split_typed(s)?;
        match (t, parts.as_slice()) {
            (2, [iv, data, mac]) => {
                let iv: [u8; 16] = b64(iv)?
                    .try_into()
                    .map_err(|_| CryptoError::InvalidEncString("iv must be 16 bytes"))?;
                let data = b64(data)?;
                if data.is_empty() || data.len() % 16 != 0 {
                    return Err(CryptoError::InvalidEncString(
                        "ciphertext must be whole AES blocks",
                    ));
                }
                let mac: [u8; 32] = b64(mac)?
                    .try_into()
                    .map_err(|_| CryptoError::InvalidEncString("mac must be 32 bytes"))?;
                Ok(EncString::AesCbc256HmacSha256 { iv, data, mac })
            }
            (4, [data]) => Ok(EncString::Rsa2048OaepSha1 { data: b64(data)? }),
            (2 | 4, _) => Err(CryptoError::InvalidEncString("wrong number of parts")),
            _ => Err(CryptoError::InvalidEncString("unsupported type")),
        }
    }
}

impl fmt::Display for EncString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let e = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
        match self {
            EncString::AesCbc256HmacSha256 { iv, data, mac } => {
                write!(f, "2.{}|{}|{}", e(iv), e(data), e(mac))
            }
            EncString::Rsa2048OaepSha1 { data } => write!(f, "4.{}", e(data)),
        }
    }
}

fn mac_of(key: &SymmetricKey, iv: &[u8], data: &[u8]) -> [u8; 32] {
    // HMAC accepts keys of any length, so this cannot fail for a 32-byte key.
    let mut m =
        <HmacSha256 as Mac>::new_from_slice(key.mac()).unwrap_or_else(|_| unreachable_hmac());
    m.update(iv);
    m.update(data);
    m.finalize().into_bytes().into()
}

fn unreachable_hmac() -> HmacSha256 {
    <HmacSha256 as Mac>::new(&Default::default())
}

fn oaep() -> rsa::Oaep {
    rsa::Oaep::new::<sha1::Sha1>()
}

impl EncString {
    /// Encrypts with a symmetric key (type 2, fresh random IV).
    pub fn encrypt_aes(key: &SymmetricKey, plaintext: &[u8]) -> EncString {
        let iv: [u8; 16] = crate::keys::random_bytes();
        let data = Aes256CbcEnc::new(key.enc().into(), &iv.into())
            .encrypt_padded_vec_mut::<Pkcs7>(plaintext);
        let mac = mac_of(key, &iv, &data);
        EncString::AesCbc256HmacSha256 { iv, data, mac }
    }

    /// Decrypts a type-2 EncString, verifying its MAC first (constant time).
    pub fn decrypt_aes(&self, key: &SymmetricKey) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
        let EncString::AesCbc256HmacSha256 { iv, data, mac } = self else {
            return Err(CryptoError::WrongType);
        };
        let expected = mac_of(key, iv, data);
        if !bool::from(expected.ct_eq(mac)) {
            return Err(CryptoError::MacMismatch);
        }
        Aes256CbcDec::new(key.enc().into(), iv.into())
            .decrypt_padded_vec_mut::<Pkcs7>(data)
            .map(Zeroizing::new)
            .map_err(|_| CryptoError::Decrypt)
    }

    /// Encrypts to a public key (type 4, RSA-OAEP-SHA1).
    pub fn encrypt_rsa(public_key: &PublicKey, plaintext: &[u8]) -> Result<EncString, CryptoError> {
        let data = public_key
            .0
            .encrypt(&mut rand::rngs::OsRng, oaep(), plaintext)
            .map_err(|_| CryptoError::InvalidKey("RSA encryption failed"))?;
        Ok(EncString::Rsa2048OaepSha1 { data })
    }

    /// Decrypts a type-4 EncString with a private key.
    pub fn decrypt_rsa(&self, private_key: &PrivateKey) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
        let EncString::Rsa2048OaepSha1 { data } = self else {
            return Err(CryptoError::WrongType);
        };
        private_key
            .0
            .decrypt(oaep(), data)
            .map(Zeroizing::new)
            .map_err(|_| CryptoError::Decrypt)
    }

    /// Convenience: encrypts a UTF-8 string (type 2) and renders it.
    pub fn encrypt_str(key: &SymmetricKey, plaintext: &str) -> String {
        Self::encrypt_aes(key, plaintext.as_bytes()).to_string()
    }

    /// Convenience: parses and decrypts a type-2 string into UTF-8.
    pub fn decrypt_str(s: &str, key: &SymmetricKey) -> Result<String, CryptoError> {
        let bytes = s.parse::<EncString>()?.decrypt_aes(key)?;
        String::from_utf8(bytes.to_vec()).map_err(|_| CryptoError::Decrypt)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::generate_rsa_keypair;
    use proptest::prelude::*;

    #[test]
    fn aes_round_trips_through_text() {
        let key = SymmetricKey::generate();
        let text = EncString::encrypt_aes(&key, b"hello").to_string();
        assert!(text.starts_with("2."));
        let parsed: EncString = text.parse().unwrap();
        assert_eq!(parsed.to_string(), text);
        assert_eq!(&parsed.decrypt_aes(&key).unwrap()[..], b"hello");
    }

    #[test]
    fn tampering_with_any_part_is_a_mac_mismatch() {
        let key = SymmetricKey::generate();
        let good = EncString::encrypt_aes(&key, b"secret data here");
        let EncString::AesCbc256HmacSha256 { iv, data, mac } = good.clone() else {
            unreachable!()
        };
        let mut bad_iv = iv;
        bad_iv[0] ^= 1;
        let mut bad_data = data.clone();
        bad_data[0] ^= 1;
        let mut bad_mac = mac;
        bad_mac[31] ^= 1;
        for bad in [
            EncString::AesCbc256HmacSha256 {
                iv: bad_iv,
                data: data.clone(),
                mac,
            },
            EncString::AesCbc256HmacSha256 {
                iv,
                data: bad_data,
                mac,
            },
            EncString::AesCbc256HmacSha256 {
                iv,
                data: data.clone(),
                mac: bad_mac,
            },
        ] {
            assert_eq!(bad.decrypt_aes(&key).unwrap_err(), CryptoError::MacMismatch);
        }
        assert_eq!(
            good.decrypt_aes(&SymmetricKey::generate()).unwrap_err(),
            CryptoError::MacMismatch
        );
    }

    #[test]
    fn malformed_strings_are_rejected() {
        for s in [
            "plaintext",
            "",
            "2.",
            "9.abc",
            "2.AAAA|AAAA",
            "2.not base64!|AAAA|AAAA",
            "2.AAAAAAAAAAAAAAAAAAAAAA==||AAAA",
            "2.AAAA|AAAAAAAAAAAAAAAAAAAAAA==|AAAA",
            "4.a|b",
        ] {
            assert!(s.parse::<EncString>().is_err(), "{s:?} parsed");
            assert!(validate_enc_string(s).is_err(), "{s:?} validated");
        }
    }

    #[test]
    fn validation_accepts_every_wire_type_with_the_right_shape() {
        let key = SymmetricKey::generate();
        assert!(validate_enc_string(&EncString::encrypt_str(&key, "x")).is_ok());
        assert!(validate_enc_string("4.AAAA").is_ok());
        assert!(validate_enc_string("0.AAAA|AAAA").is_ok());
        assert!(validate_enc_string("7.AAAA").is_ok());
        assert!(validate_enc_string("6.AAAA|AAAA").is_ok());
    }

    #[test]
    fn rsa_shares_a_symmetric_key_only_with_the_key_holder() {
        let (private, public) = generate_rsa_keypair().unwrap();
        let (other, _) = generate_rsa_keypair().unwrap();
        let key = SymmetricKey::generate();
        let wrapped = EncString::encrypt_rsa(&public, &key.to_bytes()).unwrap();
        let text = wrapped.to_string();
        assert!(text.starts_with("4."));
        let parsed: EncString = text.parse().unwrap();
        let unwrapped = SymmetricKey::from_bytes(&parsed.decrypt_rsa(&private).unwrap()).unwrap();
        assert_eq!(unwrapped, key);
        assert!(parsed.decrypt_rsa(&other).is_err());
        let spki = public.to_spki_der_b64().unwrap();
        assert_eq!(PublicKey::from_spki_der_b64(&spki).unwrap(), public);
        let der = private.to_pkcs8_der().unwrap();
        assert_eq!(
            PrivateKey::from_pkcs8_der(&der).unwrap().public_key(),
            public
        );
    }

    proptest! {
        #[test]
        fn any_plaintext_round_trips(plaintext in proptest::collection::vec(any::<u8>(), 0..300)) {
            let key = SymmetricKey::generate();
            let text = EncString::encrypt_aes(&key, &plaintext).to_string();
            let back = text.parse::<EncString>().unwrap().decrypt_aes(&key).unwrap();
            prop_assert_eq!(&back[..], &plaintext[..]);
        }

        #[test]
        fn parsing_never_panics(s in ".*") {
            let _ = s.parse::<EncString>();
            let _ = validate_enc_string(&s);
        }

        #[test]
        fn parsing_structured_garbage_never_panics(t in 0u8..10, parts in proptest::collection::vec("[A-Za-z0-9+/=]{0,40}", 0..5)) {
            let s = format!("{t}.{}", parts.join("|"));
            let _ = s.parse::<EncString>();
            let _ = validate_enc_string(&s);
        }
    }
}
