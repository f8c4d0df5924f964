//! Server-side storage of the client's master password hash. The value clients send is itself a
//! bearer secret (anyone holding it can log in), so it is stored only as an Argon2id hash. Work runs
//! on the blocking pool, and an unknown user costs the same as a wrong password.
//!
//! Each Argon2id run takes 19 MiB and a core: at most about two per core run at once, so a flood
//! of logins (which needs no account) costs a bounded amount of memory. A run that cannot start
//! within a second is answered "busy" (503 with `Retry-After`) instead of queueing without end.
//! The runs' 19 MiB work areas are kept and reused (one per slot at most): allocated afresh on
//! every run, the allocator kept tens of them in per-thread arenas, and a busy server's memory
//! grew to several hundred MiB.

use crate::error::DomainError;
use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use rand::rngs::OsRng;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use subtle::ConstantTimeEq;
use tokio::sync::Semaphore;

/// How long a hash waits for a free slot before the request is answered "busy".
const SLOT_WAIT: Duration = Duration::from_secs(1);

/// Longest master password hash we accept (a real one is 44 base64 characters).
const MAX_CLIENT_HASH_LEN: usize = 512;

/// Hashes and verifies client master password hashes.
#[derive(Clone)]
pub struct PasswordHasher {
    params: Params,
    /// A hash of a random value, verified against when the user does not exist.
    dummy: String,
    /// Argon2id runs allowed at once.
    slots: Arc<Semaphore>,
    /// Work areas of finished runs, reused by the next ones (never more than `slots`).
    memory: Arc<Mutex<Vec<Vec<Block>>>>,
}

impl PasswordHasher {
    /// Argon2id with OWASP's minimum profile (19 MiB, t=2, p=1): the input is already a
    /// 600,000-iteration PBKDF2 output, so this only has to stop offline guessing of a leaked DB.
    pub fn new() -> Result<Self, DomainError> {
        let params = Params::new(19 * 1024, 2, 1, Some(32))
            .map_err(|e| DomainError::Internal(format!("argon2 params: {e}")))?;
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        let mut hasher = PasswordHasher {
            params,
            dummy: String::new(),
            slots: Arc::new(Semaphore::new(2 * cores)),
            memory: Arc::new(Mutex::new(Vec::new())),
        };
        let random = base64::Engine::encode(
            &base64::engine::general_purpose::STANDARD,
            rand::random::<[u8; 32]>(),
        );
        hasher.dummy = hasher.hash_blocking(&random)?;
        Ok(hasher)
    }

    /// Runs Argon2id with `params` in a reused work area.
    fn run(
        &self,
        params: &Params,
        password: &[u8],
        salt: &[u8],
        out: &mut [u8],
    ) -> Result<(), argon2::Error> {
        let mut blocks = self
            .memory
            .lock()
            .map(|mut free| free.pop())
            .unwrap_or_default()
            .unwrap_or_default();
        if blocks.len() < params.block_count() {
            blocks.resize(params.block_count(), Block::default());
        }
        let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
        let result = argon.hash_password_into_with_memory(
            password,
            salt,
            out,
            &mut blocks[..params.block_count()],
        );
        if let Ok(mut free) = self.memory.lock() {
            free.push(blocks);
        }
        result
    }

    fn hash_blocking(&self, client_hash: &str) -> Result<String, DomainError> {
        let fail = |e: &dyn std::fmt::Display| DomainError::Internal(format!("argon2 hash: {e}"));
        let salt = SaltString::generate(&mut OsRng);
        let mut salt_bytes = [0u8; 64];
        let salt_bytes = salt
            .as_salt()
            .decode_b64(&mut salt_bytes)
            .map_err(|e| fail(&e))?;
        let mut out = [0u8; 32];
        self.run(&self.params, client_hash.as_bytes(), salt_bytes, &mut out)
            .map_err(|e| fail(&e))?;
        let hash = PasswordHash {
            algorithm: argon2::ARGON2ID_IDENT,
            version: Some(Version::V0x13.into()),
            params: ParamsString::try_from(&self.params).map_err(|e| fail(&e))?,
            salt: Some(salt.as_salt()),
            hash: Some(Output::new(&out).map_err(|e| fail(&e))?),
        };
        Ok(hash.to_string())
    }

    /// Whether `client_hash` is what `stored` (a PHC string) was made from.
    fn verify_blocking(&self, stored: &str, client_hash: &str) -> bool {
        let Ok(parsed) = PasswordHash::new(stored) else {
            return false;
        };
        let (Ok(params), Some(salt), Some(expected)) =
            (Params::try_from(&parsed), parsed.salt, parsed.hash)
        else {
            return false;
        };
        if parsed.algorithm != argon2::ARGON2ID_IDENT || params.block_count() > 1 << 20 {
            return false;
        }
        let mut salt_bytes = [0u8; 64];
        let Ok(salt_bytes) = salt.decode_b64(&mut salt_bytes) else {
            return false;
        };
        let mut out = vec![0u8; expected.len()];
        self.run(&params, client_hash.as_bytes(), salt_bytes, &mut out)
            .is_ok()
            && bool::from(out.as_slice().ct_eq(expected.as_bytes()))
    }

    /// Checks the shape of a client hash before any work is spent on it.
    pub fn check_client_hash(client_hash: &str) -> Result<(), DomainError> {
        if client_hash.is_empty() || client_hash.len() > MAX_CLIENT_HASH_LEN {
            return Err(DomainError::invalid(
                "masterPasswordHash",
                "The master password hash is missing or too long.",
            ));
        }
        Ok(())
    }

    /// A slot to run one Argon2id in, or `Busy` when none frees up in time.
    async fn slot(&self) -> Result<tokio::sync::OwnedSemaphorePermit, DomainError> {
        match tokio::time::timeout(SLOT_WAIT, self.slots.clone().acquire_owned()).await {
            Ok(Ok(permit)) => Ok(permit),
            _ => {
                tracing::warn!("password hashing at capacity: request refused");
                Err(DomainError::Busy {
                    retry_after_secs: 2,
                })
            }
        }
    }

    /// Hashes a client master password hash for storage.
    pub async fn hash(&self, client_hash: String) -> Result<String, DomainError> {
        Self::check_client_hash(&client_hash)?;
        let slot = self.slot().await?;
        let this = self.clone();
        tokio::task::spawn_blocking(move || {
            let _slot = slot;
            this.hash_blocking(&client_hash)
        })
        .await
        .map_err(|e| DomainError::Internal(format!("hash task: {e}")))?
    }

    /// Verifies `client_hash` against `stored`; with no stored hash it verifies against a dummy
    /// so the time taken does not reveal whether the account exists.
    /// `Busy` when no hashing slot frees up in time.
    pub async fn verify(
        &self,
        stored: Option<String>,
        client_hash: String,
    ) -> Result<bool, DomainError> {
        if client_hash.len() > MAX_CLIENT_HASH_LEN {
            return Ok(false);
        }
        let known = stored.is_some();
        let stored = stored.unwrap_or_else(|| self.dummy.clone());
        let slot = self.slot().await?;
        let this = self.clone();
        let ok = tokio::task::spawn_blocking(move || {
            let _slot = slot;
            this.verify_blocking(&stored, &client_hash)
        })
        .await
        .unwrap_or(false);
        Ok(ok && known)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_stored_hash_verifies_only_the_same_client_hash() {
        let h = PasswordHasher::new().unwrap();
        let stored = h
            .hash("kE9E2kViqaDqA4F0hBdTOpXvsgIbbwHV3PIbQGiuV3I=".into())
            .await
            .unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(!stored.contains("kE9E2kViqaDqA4F0"));
        assert!(h
            .verify(
                Some(stored.clone()),
                "kE9E2kViqaDqA4F0hBdTOpXvsgIbbwHV3PIbQGiuV3I=".into()
            )
            .await
            .unwrap());
        assert!(!h.verify(Some(stored), "wrong".into()).await.unwrap());
    }

    #[tokio::test]
    async fn an_unknown_user_never_verifies_even_with_the_dummy_input() {
        let h = PasswordHasher::new().unwrap();
        assert!(!h.verify(None, "anything".into()).await.unwrap());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn hashing_runs_at_most_its_slots_at_once_and_a_flood_is_told_to_wait() {
        let h = PasswordHasher::new().unwrap();
        let slots = h.slots.available_permits();
        assert!(slots >= 2);
        // Hold every slot: the next verification is refused "busy" after the wait, not queued.
        let held: Vec<_> = (0..slots)
            .map(|_| h.slots.clone().try_acquire_owned().unwrap())
            .collect();
        let refused = h.verify(None, "x".into()).await.unwrap_err();
        assert!(matches!(refused, DomainError::Busy { .. }));
        drop(held);
        assert!(!h.verify(None, "x".into()).await.unwrap());
    }

    #[tokio::test]
    async fn hashes_are_the_argon2_crates_own_both_ways() {
        use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};
        let h = PasswordHasher::new().unwrap();
        let input = "kE9E2kViqaDqA4F0hBdTOpXvsgIbbwHV3PIbQGiuV3I=";
        // Stored by an earlier Keyfleet (the crate's own hashing): still verifies.
        let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, h.params.clone());
        let salt = SaltString::generate(&mut OsRng);
        let theirs = argon
            .hash_password(input.as_bytes(), &salt)
            .unwrap()
            .to_string();
        assert!(h.verify(Some(theirs.clone()), input.into()).await.unwrap());
        assert!(!h.verify(Some(theirs), "other".into()).await.unwrap());
        // Ours, checked by the crate's verifier, and in the same PHC form.
        let ours = h.hash(input.into()).await.unwrap();
        assert!(
            ours.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{ours}"
        );
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(argon.verify_password(input.as_bytes(), &parsed).is_ok());
        assert!(argon.verify_password(b"other", &parsed).is_err());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn work_areas_are_reused_never_more_than_one_per_slot() {
        let h = PasswordHasher::new().unwrap();
        let slots = h.slots.available_permits();
        let runs: Vec<_> = (0..3 * slots)
            .map(|i| {
                let h = h.clone();
                tokio::spawn(async move { h.verify(None, format!("guess {i}")).await })
            })
            .collect();
        for r in runs {
            assert!(!r.await.unwrap().unwrap());
        }
        let kept = h.memory.lock().unwrap().len();
        assert!(
            (1..=slots).contains(&kept),
            "{kept} work areas for {slots} slots"
        );
    }
}
