//! The fingerprint phrase Bitwarden apps show next to an account's public key: five words of the
//! EFF long word list drawn from HKDF-SHA256(SHA-256(public key), info = the user id). An admin
//! reads the member's phrase before wrapping an org or provider key to that key, and the member
//! compares it with the one their own app shows.

use hkdf::Hkdf;
use sha2::{Digest, Sha256};

/// Words in a phrase: the fewest that carry 64 bits with a 7,776-word list.
const WORDS: usize = 5;

/// Divides the big-endian number in `digits` by `divisor` in place; answers the remainder.
fn div_rem(digits: &mut [u8], divisor: u32) -> u32 {
    let mut remainder = 0u32;
    for d in digits.iter_mut() {
        let current = (remainder << 8) | u32::from(*d);
        // current < divisor * 256, so the quotient digit fits a byte.
        *d = u8::try_from(current / divisor).unwrap_or(u8::MAX);
        remainder = current % divisor;
    }
    remainder
}

/// The fingerprint phrase of `public_key_der` (SPKI) for the account `fingerprint_material`
/// (its user id), as `word-word-word-word-word`.
pub fn fingerprint_phrase(public_key_der: &[u8], fingerprint_material: &str) -> String {
    let key_hash = Sha256::digest(public_key_der);
    let mut material = [0u8; 32];
    // 32 bytes is far below HKDF-SHA256's limit of 255 blocks, so expand cannot fail.
    let _ = Hkdf::<Sha256>::from_prk(&key_hash)
        .map(|hk| hk.expand(fingerprint_material.as_bytes(), &mut material));
    let list = eff_wordlist::large::LIST;
    let base = u32::try_from(list.len()).unwrap_or(u32::MAX);
    (0..WORDS)
        .map(|_| list[div_rem(&mut material, base) as usize].1)
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pinned after checking the implementation against the published Bitwarden SDK vector
    /// (not copied here): a change of algorithm breaks this on purpose.
    #[test]
    fn a_known_key_and_account_give_a_known_phrase() {
        assert_eq!(
            fingerprint_phrase(
                b"keyfleet fingerprint vector",
                "00000000-0000-0000-0000-000000000001"
            ),
            "palace-festivity-glandular-amusing-reps"
        );
    }

    #[test]
    fn long_division_matches_native_arithmetic() {
        let n: u64 = 0x0123_4567_89ab_cdef;
        let mut digits = n.to_be_bytes();
        let r = div_rem(&mut digits, 7776);
        assert_eq!(u64::from(r), n % 7776);
        assert_eq!(u64::from_be_bytes(digits), n / 7776);
    }

    #[test]
    fn a_phrase_is_five_list_words_bound_to_key_and_account() {
        let key = b"not a real key, but bytes are bytes";
        let phrase = fingerprint_phrase(key, "a09726a0-9590-49d1-a5f5-afe300b6a515");
        let words: Vec<&str> = phrase.split('-').collect();
        assert_eq!(words.len(), 5);
        assert!(words
            .iter()
            .all(|w| eff_wordlist::large::LIST.iter().any(|(_, l)| l == w)));
        assert_ne!(phrase, fingerprint_phrase(key, "another-user"));
        assert_ne!(
            phrase,
            fingerprint_phrase(b"another key", "a09726a0-9590-49d1-a5f5-afe300b6a515")
        );
        assert_eq!(
            phrase,
            fingerprint_phrase(key, "a09726a0-9590-49d1-a5f5-afe300b6a515")
        );
    }
}
