//! Accounts: prelogin, registration, profile, credential changes, API key, key-id backfill.

use crate::clock::Timestamp;
use crate::error::DomainError;
use crate::identity::caller::Caller;
use crate::identity::throttling::{ThrottleKind, ThrottleOutcome};
use crate::identity::tokens::{api_key_digest, new_api_key, new_security_stamp};
use crate::ids::UserId;
use crate::store::ApiKeyWrite;
use crate::store::{CredentialUpdate, KdfParams, StoreError, UserRow};

/// Why "View API key" is refused once a key has been shown (personal and organization keys).
pub const API_KEY_SHOWN: &str = "Keyfleet keeps only a fingerprint of an API key, so a key is \
    shown once, when it is made. Rotate the API key to get a new one.";
use crate::Domain;
use keyfleet_crypto::{normalize_email, validate_enc_string, Kdf};

/// How long a registration token from `send-verification-email` stays valid.
const REGISTRATION_TOKEN_SECS: i64 = 30 * 60;
const MAX_EMAIL_LEN: usize = 256;
const MAX_NAME_LEN: usize = 100;
const MAX_HINT_LEN: usize = 50;
const MAX_KEY_LEN: usize = 10_000;

/// Everything a client sends to create an account (already-parsed wire fields).
#[derive(Debug, Clone)]
pub struct NewAccount {
    /// Email as typed.
    pub email: String,
    /// Display name.
    pub name: Option<String>,
    /// Client master password hash.
    pub master_password_hash: String,
    /// Hint.
    pub hint: Option<String>,
    /// User key under the stretched master key.
    pub key: String,
    /// Base64 SPKI.
    pub public_key: Option<String>,
    /// Private key under the user key.
    pub encrypted_private_key: Option<String>,
    /// KDF the client used.
    pub kdf: KdfParams,
}

/// How a new account proves its address.
#[derive(Debug, Clone, Copy)]
pub enum RegistrationProof<'a> {
    /// No proof (the legacy endpoint; refused when the server mails registration links).
    None,
    /// The token of a registration link ([`Domain::start_registration`]).
    EmailToken(&'a str),
    /// An organization or provider invitation to this address: the invited person may create
    /// their account even when open registration is off.
    Invitation {
        /// What the invitation is to.
        to: InvitedTo,
        /// The invited membership's id, as in the link.
        member_id: &'a str,
        /// The invitation token.
        token: &'a str,
    },
}

/// What an invitation is to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvitedTo {
    /// An organization (`orgInviteToken` + `organizationUserId`).
    Organization,
    /// A provider (`providerInviteToken` + `providerUserId`).
    Provider,
    /// Emergency access (`acceptEmergencyAccessInviteToken` + `acceptEmergencyAccessId`).
    EmergencyAccess,
}

/// What prelogin tells a client.
#[derive(Debug, Clone)]
pub struct PreloginInfo {
    /// KDF to use.
    pub kdf: KdfParams,
    /// KDF salt (the normalised email).
    pub salt: String,
}

/// Default KDF, also answered for unknown emails so prelogin does not reveal accounts.
pub const DEFAULT_KDF: KdfParams = KdfParams {
    kdf_type: 0,
    iterations: 600_000,
    memory: None,
    parallelism: None,
};

/// Parses an email: trimmed, lower-cased, one `@` with text on both sides.
pub fn parse_email(raw: &str) -> Result<String, DomainError> {
    let email = normalize_email(raw);
    let valid = email.len() <= MAX_EMAIL_LEN
        && email.split('@').count() == 2
        && email.split('@').all(|part| !part.is_empty())
        && !email.chars().any(|c| c.is_whitespace() || c.is_control());
    if valid {
        Ok(email)
    } else {
        Err(DomainError::invalid(
            "email",
            "The Email field is not a valid e-mail address.",
        ))
    }
}

/// Checks a KDF a user is choosing (registration or KDF change).
pub fn check_new_kdf(kdf: KdfParams) -> Result<KdfParams, DomainError> {
    let parsed = Kdf::from_wire(kdf.kdf_type, kdf.iterations, kdf.memory, kdf.parallelism)
        .map_err(|_| DomainError::invalid("kdf", "Invalid KDF settings."))?;
    parsed
        .check_allowed_for_new_setting()
        .map_err(|_| DomainError::invalid("kdf", "KDF settings are outside the allowed range."))?;
    Ok(kdf)
}

/// Percent-encodes a query value (everything but RFC 3986's unreserved characters), for the
/// links the server mails.
pub(crate) fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Checks that `value` is an EncString of the expected shape (never plaintext).
pub fn check_enc_string(
    field: &'static str,
    value: &str,
    max_len: usize,
) -> Result<(), DomainError> {
    if value.len() > max_len {
        return Err(DomainError::invalid(
            field,
            format!("The field {field} is too long."),
        ));
    }
    validate_enc_string(value).map_err(|_| {
        DomainError::invalid(
            field,
            format!("The field {field} is not a valid encrypted string."),
        )
    })
}

pub(crate) fn check_public_key(value: &str) -> Result<(), DomainError> {
    let ok = value.len() <= MAX_KEY_LEN
        && base64::Engine::decode(&base64::engine::general_purpose::STANDARD, value)
            .is_ok_and(|der| !der.is_empty());
    if ok {
        Ok(())
    } else {
        Err(DomainError::invalid(
            "publicKey",
            "The public key is not valid base64.",
        ))
    }
}

fn check_len(field: &'static str, value: Option<&str>, max: usize) -> Result<(), DomainError> {
    match value {
        Some(v) if v.chars().count() > max => Err(DomainError::invalid(
            field,
            format!("The field {field} must be at most {max} characters."),
        )),
        _ => Ok(()),
    }
}

/// How a registration goes on after `send-verification-email`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegistrationStart {
    /// No mail server: the token, for the client to finish with right away.
    Token(String),
    /// The link went to the address; its owner finishes with it.
    Mailed,
}

impl Domain {
    /// KDF settings for an email; unknown emails get the default so accounts cannot be probed.
    pub async fn prelogin(&self, email: &str) -> Result<PreloginInfo, DomainError> {
        let salt = normalize_email(email);
        let kdf = match self.store.user_by_email(&salt).await? {
            Some(user) => user.kdf,
            None => DEFAULT_KDF,
        };
        Ok(PreloginInfo { kdf, salt })
    }

    /// `send-verification-email`. With a mail server, the registration link goes to the address
    /// (only its owner can finish); without one there is no way to check ownership and the token
    /// is handed back (the README tells operators what that means).
    pub async fn start_registration(&self, email: &str) -> Result<RegistrationStart, DomainError> {
        if !self.settings.registration_open {
            return Err(DomainError::RegistrationDisabled);
        }
        let email = parse_email(email)?;
        let token = self.tokens.issue_purpose_token(
            "register",
            &email,
            REGISTRATION_TOKEN_SECS,
            self.now(),
        )?;
        let Some(mailer) = &self.mailer else {
            return Ok(RegistrationStart::Token(token));
        };
        // The same sending limits as code mails, per address: nobody floods an inbox.
        let key = format!("register:{email}");
        let now = self.now();
        self.throttle_one(ThrottleKind::MailMinute, &key, now)
            .await?;
        self.throttle_one(ThrottleKind::MailHour, &key, now).await?;
        let link = format!(
            "{}/#/finish-signup?token={}&email={}&fromEmail=true",
            self.settings.issuer,
            url_encode(&token),
            url_encode(&email)
        );
        let body = format!(
            "Finish creating your Keyfleet account with this link (it expires in {} hours):\n{link}\n\n\
             With the keyfleet CLI: keyfleet account register --email {email} --link '<the link>'\n\n\
             If you did not ask for this, ignore this message: no account is created without it.\n",
            REGISTRATION_TOKEN_SECS / 3600
        );
        mailer
            .send(&email, "Keyfleet: verify your email address", &body)
            .await
            .map_err(|e| {
                tracing::warn!(error = %e, "registration mail not sent");
                DomainError::bad_request(
                    "The verification email could not be sent. Try again later.",
                )
            })?;
        Ok(RegistrationStart::Mailed)
    }

    /// Creates an account with `proof` of its address: a registration token from
    /// [`Domain::start_registration`], an invitation (which also lets the invited person in when
    /// open registration is off), or nothing (the legacy endpoint).
    pub async fn register(
        &self,
        proof: RegistrationProof<'_>,
        account: NewAccount,
    ) -> Result<UserRow, DomainError> {
        let email = parse_email(&account.email)?;
        match proof {
            RegistrationProof::Invitation {
                to,
                member_id,
                token,
            } => {
                use crate::membership::Membership;
                let purpose = match to {
                    InvitedTo::Organization => crate::orgs::store::OrgUserRow::PURPOSE,
                    InvitedTo::Provider => crate::providers::store::ProviderUserRow::PURPOSE,
                    InvitedTo::EmergencyAccess => {
                        crate::emergency_access::store::EmergencyAccessRow::PURPOSE
                    }
                };
                if !self.invitation_names(token, purpose, member_id, &email) {
                    return Err(DomainError::invalid(
                        "token",
                        "This invitation is not valid for this email address, or it has expired. Ask for a new one.",
                    ));
                }
            }
            RegistrationProof::EmailToken(token) => {
                if !self.settings.registration_open {
                    return Err(DomainError::RegistrationDisabled);
                }
                if !self
                    .tokens
                    .check_purpose_token(token, "register", &email, self.now())
                {
                    return Err(DomainError::invalid(
                        "emailVerificationToken",
                        "Expired link. Please restart registration or try logging in. You may already have an account",
                    ));
                }
            }
            RegistrationProof::None => {
                if !self.settings.registration_open {
                    return Err(DomainError::RegistrationDisabled);
                }
                if self.mailer.is_some() && !self.settings.unverified_registration {
                    // The legacy endpoint carries no proof of the address; with mail, every
                    // account proves it.
                    return Err(DomainError::bad_request(
                        "This server verifies email addresses: register with a current app, which asks for the link mailed to you.",
                    ));
                }
            }
        }
        check_len("name", account.name.as_deref(), MAX_NAME_LEN)?;
        check_len("masterPasswordHint", account.hint.as_deref(), MAX_HINT_LEN)?;
        let kdf = check_new_kdf(account.kdf)?;
        check_enc_string("key", &account.key, MAX_KEY_LEN)?;
        if let Some(pk) = &account.public_key {
            check_public_key(pk)?;
        }
        if let Some(sk) = &account.encrypted_private_key {
            check_enc_string("encryptedPrivateKey", sk, MAX_KEY_LEN)?;
        }
        if account.public_key.is_some() != account.encrypted_private_key.is_some() {
            return Err(DomainError::bad_request(
                "Both halves of the key pair are required.",
            ));
        }
        let password_hash = self.hasher.hash(account.master_password_hash).await?;
        let now = self.now();
        let user = UserRow {
            id: UserId::new(),
            name: account.name.filter(|n| !n.trim().is_empty()),
            email,
            password_hash,
            password_hint: account.hint.filter(|h| !h.is_empty()),
            kdf,
            key: account.key,
            public_key: account.public_key,
            private_key: account.encrypted_private_key,
            security_stamp: new_security_stamp(),
            user_key_id: None,
            api_key_digest: String::new(),
            culture: "en-US".into(),
            force_password_reset: false,
            creation_date: now,
            revision_date: now,
        };
        match self.store.insert_user(&user).await {
            Ok(()) => Ok(user),
            Err(StoreError::Conflict) => {
                Err(DomainError::invalid("email", "Email is already taken."))
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Re-checks the caller's master password hash for a sensitive action.
    pub async fn verify_master_password(
        &self,
        user: &UserRow,
        client_hash: Option<&str>,
    ) -> Result<(), DomainError> {
        let Some(client_hash) = client_hash else {
            return Err(DomainError::InvalidPassword);
        };
        // A stolen access token must not become a master password oracle.
        let key = user.id.to_string();
        self.throttle_one(ThrottleKind::Reverify, &key, self.now())
            .await?;
        if self
            .hasher
            .verify(Some(user.password_hash.clone()), client_hash.to_string())
            .await?
        {
            self.throttle_done(ThrottleKind::Reverify, &key, ThrottleOutcome::Clear)
                .await?;
            Ok(())
        } else {
            Err(DomainError::InvalidPassword)
        }
    }

    /// Changes the master password: new hash and re-wrapped user key; every session ends.
    pub async fn change_password(
        &self,
        caller: &Caller,
        current_hash: &str,
        new_hash: String,
        hint: Option<String>,
        key: String,
    ) -> Result<(), DomainError> {
        check_len("masterPasswordHint", hint.as_deref(), MAX_HINT_LEN)?;
        let hint = Some(hint.filter(|h| !h.is_empty()));
        self.replace_credentials(caller, current_hash, new_hash, caller.user.kdf, key, hint)
            .await
    }

    /// Changes KDF settings (with the hash and key recomputed client-side); every session ends.
    pub async fn change_kdf(
        &self,
        caller: &Caller,
        current_hash: &str,
        new_hash: String,
        kdf: KdfParams,
        key: String,
    ) -> Result<(), DomainError> {
        let kdf = check_new_kdf(kdf)?;
        self.replace_credentials(caller, current_hash, new_hash, kdf, key, None)
            .await
    }

    /// Re-checks the current password, then stores the new hash, wrapped key and KDF with a new
    /// security stamp (`hint: None` keeps the old hint).
    async fn replace_credentials(
        &self,
        caller: &Caller,
        current_hash: &str,
        new_hash: String,
        kdf: KdfParams,
        key: String,
        hint: Option<Option<String>>,
    ) -> Result<(), DomainError> {
        self.verify_master_password(&caller.user, Some(current_hash))
            .await?;
        check_enc_string("key", &key, MAX_KEY_LEN)?;
        let update = CredentialUpdate {
            password_hash: self.hasher.hash(new_hash).await?,
            replace_hint: hint.is_some(),
            password_hint: hint.flatten(),
            key,
            kdf,
            security_stamp: new_security_stamp(),
            force_password_reset: false,
        };
        self.store
            .update_credentials(caller.user.id, &update, &[], self.now())
            .await?;
        // Every session ended with the new stamp: the user's open apps log out now.
        self.push_logout(caller.user.id);
        Ok(())
    }

    /// "View API key", after a master password re-check. Only a digest of the key is stored,
    /// so a key is shown once: the first view issues it; later views are refused with
    /// [`API_KEY_SHOWN`] and only [`Domain::rotate_api_key`] shows a (new) key.
    pub async fn api_key(
        &self,
        caller: &Caller,
        client_hash: Option<&str>,
    ) -> Result<(String, Timestamp), DomainError> {
        self.verify_master_password(&caller.user, client_hash)
            .await?;
        self.write_api_key(caller, ApiKeyWrite::Issue).await
    }

    /// Replaces the personal API key after a master password re-check and shows the new one.
    pub async fn rotate_api_key(
        &self,
        caller: &Caller,
        client_hash: Option<&str>,
    ) -> Result<(String, Timestamp), DomainError> {
        self.verify_master_password(&caller.user, client_hash)
            .await?;
        self.write_api_key(caller, ApiKeyWrite::Rotate).await
    }

    async fn write_api_key(
        &self,
        caller: &Caller,
        write: ApiKeyWrite,
    ) -> Result<(String, Timestamp), DomainError> {
        // The store's conditional write is the one check that a key was issued already.
        let key = new_api_key();
        let now = self.now();
        let digest = api_key_digest(&key);
        if !self
            .store
            .set_api_key(caller.user.id, &digest, write, now)
            .await?
        {
            return Err(DomainError::bad_request(API_KEY_SHOWN));
        }
        Ok((key, now))
    }

    /// Stores the SDK's user key id (32 hex characters in bw 2026.9).
    pub async fn set_user_key_id(&self, caller: &Caller, key_id: &str) -> Result<(), DomainError> {
        let ok = !key_id.is_empty()
            && key_id.len() <= 64
            && key_id.chars().all(|c| c.is_ascii_hexdigit() || c == '-');
        if !ok {
            return Err(DomainError::invalid(
                "userKeyId",
                "The user key id is not valid.",
            ));
        }
        Ok(self.store.set_user_key_id(caller.user.id, key_id).await?)
    }

    /// Updates the caller's name, culture and hint.
    pub async fn update_profile(
        &self,
        caller: &Caller,
        name: Option<String>,
        culture: Option<String>,
        hint: Option<String>,
    ) -> Result<UserRow, DomainError> {
        check_len("name", name.as_deref(), MAX_NAME_LEN)?;
        check_len("masterPasswordHint", hint.as_deref(), MAX_HINT_LEN)?;
        let culture = culture
            .filter(|c| !c.is_empty() && c.len() <= 10)
            .unwrap_or_else(|| caller.user.culture.clone());
        let name = name.filter(|n| !n.trim().is_empty());
        let hint = hint.filter(|h| !h.is_empty());
        let now = self.now();
        self.store
            .update_profile(
                caller.user.id,
                name.as_deref(),
                &culture,
                hint.as_deref(),
                now,
            )
            .await?;
        self.store
            .user_by_id(caller.user.id)
            .await?
            .ok_or(DomainError::NotFound)
    }

    /// Whether `email` has logged in from `device_identifier` before (browser extensions ask
    /// before login). Unknown emails are simply "not known".
    pub async fn is_known_device(
        &self,
        email: &str,
        device_identifier: &str,
    ) -> Result<bool, DomainError> {
        let Some(user) = self.store.user_by_email(&normalize_email(email)).await? else {
            return Ok(false);
        };
        Ok(self.store.device_exists(user.id, device_identifier).await?)
    }

    /// Deletes the caller's account and everything it owns, after a master password re-check.
    pub async fn delete_account(
        &self,
        caller: &Caller,
        client_hash: Option<&str>,
    ) -> Result<(), DomainError> {
        self.verify_master_password(&caller.user, client_hash)
            .await?;
        tracing::info!(user = %caller.user.id, "account deleted by its owner");
        let file_sends: Vec<crate::ids::SendId> = self
            .store
            .sends(caller.user.id, crate::clock::Timestamp(i64::MIN))
            .await?
            .into_iter()
            .filter(|s| s.kind == crate::sends::store::SendKind::File)
            .map(|s| s.id)
            .collect();
        self.store.delete_user(caller.user.id).await?;
        // As the official server: the account's open apps log out (and the hub closes them).
        self.push_logout(caller.user.id);
        // Rows first (the cascade), files after.
        self.remove_send_files(file_sends).await;
        self.delete_queued_files().await;
        Ok(())
    }

    /// Another user's public key (needed to share keys with them). Any signed-in user may read
    /// public keys, as in the official server; the key is public by construction.
    pub async fn user_public_key(
        &self,
        _caller: &Caller,
        user_id: UserId,
    ) -> Result<(UserId, String), DomainError> {
        let user = self
            .store
            .user_by_id(user_id)
            .await?
            .ok_or(DomainError::NotFound)?;
        let key = user.public_key.ok_or(DomainError::NotFound)?;
        Ok((user.id, key))
    }
}

impl Domain {
    /// Whether a registration token is still good for `email`.
    pub fn check_registration_token(&self, email: &str, token: &str) -> Result<(), DomainError> {
        let email = parse_email(email)?;
        if self
            .tokens
            .check_purpose_token(token, "register", &email, self.now())
        {
            Ok(())
        } else {
            Err(DomainError::bad_request(
                "Expired link. Please restart registration or try logging in. You may already have an account",
            ))
        }
    }
}

/// The KDF salt clients must use for `email` (trimmed, lower-cased).
pub fn salt_for(email: &str) -> String {
    normalize_email(email)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            parse_email("  Alice@Example.COM ").unwrap(),
            "alice@example.com"
        );
        assert!(parse_email("no-at-sign").is_err());
        assert!(parse_email("two@@example.com").is_err());
        assert!(parse_email("@example.com").is_err());
        assert!(parse_email("a b@example.com").is_err());
    }

    #[test]
    fn new_kdf_settings_must_be_in_the_allowed_range() {
        assert!(check_new_kdf(DEFAULT_KDF).is_ok());
        let weak = KdfParams {
            iterations: 5000,
            ..DEFAULT_KDF
        };
        assert!(check_new_kdf(weak).is_err());
        let argon = KdfParams {
            kdf_type: 1,
            iterations: 3,
            memory: Some(64),
            parallelism: Some(4),
        };
        assert!(check_new_kdf(argon).is_ok());
        let argon_no_memory = KdfParams {
            memory: None,
            ..argon
        };
        assert!(check_new_kdf(argon_no_memory).is_err());
    }
}
