//! Log in with a device (Bitwarden's auth requests): a logged-out device that the account has
//! used before asks to log in; a logged-in device of the same account approves by wrapping the
//! user key to the request's public key (the server stores it opaquely), or denies. The
//! requester reads the answer with its access code and logs in once with that code at the token
//! endpoint (`identity::login::login_auth_request`).
//!
//! Admin approval (type 2, `admin`) lets an organization's administrators answer instead, with
//! the member's user key taken from their account recovery enrolment. A new request is pushed to the
//! account's connected apps (AuthRequest 15, on the notifications hub), an approval to the
//! device waiting on the anonymous hub (AuthRequestResponse 16; a denial is not signalled, as
//! on the official server); clients without a connection poll `…/pending` and `…/{id}/response`.

pub mod admin;
pub mod store;

use crate::clock::Timestamp;
use crate::error::DomainError;
use crate::identity::caller::Caller;
use crate::ids::{AuthRequestId, DeviceId, UserId};
use crate::Domain;
use keyfleet_api::devices::{AuthRequestCreateRequest, AuthRequestUpdateRequest};
use keyfleet_api::kinds::AuthRequestType;
use keyfleet_crypto::{normalize_email, validate_enc_string, PublicKey};
use store::{AuthRequestAnswer, AuthRequestRow};

/// How long a request can be answered, read and used: the official server's hard-coded 15
/// minutes (clients show a request as expired from then on, too).
pub const AUTH_REQUEST_TTL_SECS: i64 = 15 * 60;
/// Unanswered, unexpired requests a user may have at once.
pub const MAX_PENDING_PER_USER: i64 = 20;
/// Requests older than this are deleted when the user makes a new one.
const KEEP_SECS: i64 = 24 * 3600;
/// The keyed digest's purpose for access codes.
const ACCESS_CODE_PURPOSE: &str = "auth-request access code";
/// The one answer for an unknown email and for a device the account never used (the official
/// server's text): a stranger learns nothing about which accounts exist.
pub const UNKNOWN_USER_OR_DEVICE: &str = "User or known device not found.";
/// The official server's answer to approving anything but the newest pending request of a
/// device.
pub const NOT_MOST_RECENT: &str =
    "This request is no longer valid. Make sure to approve the most recent request.";
/// The official server's answer to a second answer.
pub const ALREADY_ANSWERED: &str = "An authentication request with the same device already exists.";
/// Refused when a user has [`MAX_PENDING_PER_USER`] unanswered requests.
pub(crate) const TOO_MANY_PENDING: &str =
    "Too many pending login requests. Answer them or wait 15 minutes.";
/// Longest access code (clients make 25 characters; the official model's limit).
const MAX_ACCESS_CODE: usize = 25;
/// Longest wrapped key or hash accepted (an RSA-4096 type-4 EncString is under 700 characters).
const MAX_WRAPPED: usize = 4096;
/// Longest public key accepted (base64 SPKI of RSA-4096 is about 740 characters).
const MAX_PUBLIC_KEY: usize = 2048;

/// The DeviceType display names the official server answers as `requestDeviceType`.
pub fn device_type_name(device_type: i32) -> &'static str {
    const NAMES: [&str; 27] = [
        "Android",
        "iOS",
        "Chrome Extension",
        "Firefox Extension",
        "Opera Extension",
        "Edge Extension",
        "Windows",
        "macOS",
        "Linux",
        "Chrome",
        "Firefox",
        "Opera",
        "Edge",
        "Internet Explorer",
        "Unknown Browser",
        "Android",
        "UWP",
        "Safari",
        "Vivaldi",
        "Vivaldi Extension",
        "Safari Extension",
        "SDK",
        "Server",
        "Windows CLI",
        "MacOs CLI",
        "Linux CLI",
        "DuckDuckGo",
    ];
    usize::try_from(device_type)
        .ok()
        .and_then(|i| NAMES.get(i))
        .copied()
        .unwrap_or("Unknown")
}

impl AuthRequestRow {
    /// Past the time in which it can be answered, read and used: 15 minutes for a user's
    /// request; for an admin approval request 7 days unanswered, 12 hours once approved
    /// (`admin::ADMIN_REQUEST_TTL_SECS`, `admin::ADMIN_APPROVAL_TTL_SECS`).
    pub fn expired(&self, now: Timestamp) -> bool {
        if self.request_type != AuthRequestType::AdminApproval {
            return now >= self.creation_date.plus_secs(AUTH_REQUEST_TTL_SECS);
        }
        match (self.approved, self.response_date) {
            (Some(true), Some(answered)) => {
                now >= answered.plus_secs(admin::ADMIN_APPROVAL_TTL_SECS)
            }
            _ => now >= self.creation_date.plus_secs(admin::ADMIN_REQUEST_TTL_SECS),
        }
    }

    /// Unanswered and not expired.
    pub fn pending(&self, now: Timestamp) -> bool {
        self.approved.is_none() && !self.expired(now)
    }
}

/// Where a request comes from: the headers and address of the anonymous call.
#[derive(Debug, Clone, Copy)]
pub struct RequestOrigin<'a> {
    /// The `Device-Type` header.
    pub device_type: Option<&'a str>,
    /// The client address.
    pub ip: &'a str,
}

/// A pending request with the id of the device it came from (`/pending`).
#[derive(Debug, Clone)]
pub struct PendingAuthRequest {
    /// The request.
    pub request: AuthRequestRow,
    /// The requesting device's id, when the account still has it.
    pub device_id: Option<DeviceId>,
}

impl Domain {
    /// `POST /auth-requests` (anonymous): a device the account used before asks to log in.
    pub async fn create_auth_request(
        &self,
        req: &AuthRequestCreateRequest,
        origin: RequestOrigin<'_>,
    ) -> Result<AuthRequestRow, DomainError> {
        let request_type = match AuthRequestType::try_from(req.request_type) {
            Ok(AuthRequestType::AdminApproval) => {
                return Err(DomainError::bad_request(
                    "Admin approval is asked at /auth-requests/admin-request.",
                ))
            }
            Ok(t) => t,
            Err(_) => return Err(DomainError::invalid("type", "Invalid request type.")),
        };
        let row = self.new_auth_request(req, origin, request_type).await?;
        let stored = self
            .store
            .insert_auth_request(
                &row,
                MAX_PENDING_PER_USER,
                now_minus(row.creation_date, AUTH_REQUEST_TTL_SECS),
                now_minus(row.creation_date, KEEP_SECS),
            )
            .await?;
        if !stored {
            return Err(DomainError::bad_request(TOO_MANY_PENDING));
        }
        self.push_auth_request(row.user_id, &row.id.to_string());
        Ok(row)
    }

    /// A new, unanswered request of `request_type` for `req` after the checks both kinds of
    /// creation share (anonymous, throttled per email and per address, a device the account
    /// already has).
    pub(crate) async fn new_auth_request(
        &self,
        req: &AuthRequestCreateRequest,
        origin: RequestOrigin<'_>,
        request_type: AuthRequestType,
    ) -> Result<AuthRequestRow, DomainError> {
        let device_type = origin
            .device_type
            .and_then(|t| t.trim().parse::<i32>().ok())
            .filter(|t| (0..=100).contains(t))
            .ok_or_else(|| DomainError::bad_request("Device type not provided."))?;
        if req.public_key.len() > MAX_PUBLIC_KEY
            || PublicKey::from_spki_der_b64(&req.public_key).is_err()
        {
            return Err(DomainError::invalid(
                "publicKey",
                "The public key must be base64 RSA SubjectPublicKeyInfo.",
            ));
        }
        if req.access_code.is_empty() || req.access_code.chars().count() > MAX_ACCESS_CODE {
            return Err(DomainError::invalid(
                "accessCode",
                "The access code must be 1 to 25 characters.",
            ));
        }
        if req.device_identifier.is_empty() || req.device_identifier.len() > 128 {
            return Err(DomainError::invalid(
                "deviceIdentifier",
                "The device identifier must be 1 to 128 characters.",
            ));
        }
        let email = normalize_email(&req.email);
        let now = self.now();
        // Every creation counts (none is given back): a stranger cannot fill an account's list
        // or spray requests from one address.
        let store = self.store.as_ref();
        if let Err(retry_after_secs) = self
            .auth_request_ip_throttle
            .reserve(store, origin.ip, now)
            .await?
        {
            return Err(DomainError::RateLimited { retry_after_secs });
        }
        if let Err(retry_after_secs) = self
            .auth_request_throttle
            .reserve(store, &email, now)
            .await?
        {
            return Err(DomainError::RateLimited { retry_after_secs });
        }
        let user = match self.store.user_by_email(&email).await? {
            Some(u)
                if self
                    .store
                    .device_exists(u.id, &req.device_identifier)
                    .await? =>
            {
                u
            }
            _ => return Err(DomainError::bad_request(UNKNOWN_USER_OR_DEVICE)),
        };
        let row = AuthRequestRow {
            id: AuthRequestId::new(),
            user_id: user.id,
            request_type,
            organization_id: None,
            request_device_identifier: req.device_identifier.clone(),
            request_device_type: device_type,
            request_ip: origin.ip.to_string(),
            public_key: req.public_key.trim().to_string(),
            access_code_digest: self
                .tokens
                .keyed_digest(ACCESS_CODE_PURPOSE, &req.access_code),
            key: None,
            master_password_hash: None,
            creation_date: now,
            response_date: None,
            approved: None,
            response_device_id: None,
            authentication_date: None,
        };
        Ok(row)
    }

    /// `GET /auth-requests`: the caller's requests, newest first.
    pub async fn list_auth_requests(
        &self,
        caller: &Caller,
    ) -> Result<Vec<AuthRequestRow>, DomainError> {
        Ok(self.store.auth_requests_of(caller.user().id).await?)
    }

    /// `GET /auth-requests/pending`: the newest pending request of each requesting device.
    pub async fn pending_auth_requests(
        &self,
        caller: &Caller,
    ) -> Result<Vec<PendingAuthRequest>, DomainError> {
        let user_id = caller.user().id;
        let devices = self.store.devices_of(user_id).await?;
        Ok(self
            .newest_pending_per_device(user_id)
            .await?
            .into_iter()
            .map(|request| PendingAuthRequest {
                device_id: devices
                    .iter()
                    .find(|d| d.identifier == request.request_device_identifier)
                    .map(|d| d.id),
                request,
            })
            .collect())
    }

    /// The newest pending request of each requesting device of `user_id`.
    pub(crate) async fn newest_pending_per_device(
        &self,
        user_id: UserId,
    ) -> Result<Vec<AuthRequestRow>, DomainError> {
        let now = self.now();
        let mut newest: Vec<AuthRequestRow> = vec![];
        // Newest first: the first pending one seen per device is its newest.
        for r in self.store.auth_requests_of(user_id).await? {
            if r.request_type != AuthRequestType::AdminApproval
                && r.pending(now)
                && !newest
                    .iter()
                    .any(|n| n.request_device_identifier == r.request_device_identifier)
            {
                newest.push(r);
            }
        }
        Ok(newest)
    }

    /// `GET /auth-requests/{id}`: one of the caller's requests (anyone else's is not found).
    pub async fn auth_request_of(
        &self,
        caller: &Caller,
        id: AuthRequestId,
    ) -> Result<AuthRequestRow, DomainError> {
        self.store
            .auth_request(id)
            .await?
            .filter(|r| r.user_id == caller.user().id)
            .ok_or(DomainError::NotFound)
    }

    /// `PUT /auth-requests/{id}`: the caller approves (with the user key wrapped to the
    /// request's public key) or denies one of their own requests, from one of their devices.
    pub async fn answer_auth_request(
        &self,
        caller: &Caller,
        id: AuthRequestId,
        req: &AuthRequestUpdateRequest,
    ) -> Result<AuthRequestRow, DomainError> {
        let user_id = caller.user().id;
        let now = self.now();
        let row = self.auth_request_of(caller, id).await?;
        if row.request_type == AuthRequestType::AdminApproval {
            return Err(DomainError::NotFound);
        }
        if req.request_approved
            && !self
                .newest_pending_per_device(user_id)
                .await?
                .iter()
                .any(|n| n.id == id)
        {
            return Err(DomainError::bad_request(NOT_MOST_RECENT));
        }
        if row.approved.is_some() {
            return Err(DomainError::bad_request(ALREADY_ANSWERED));
        }
        if row.expired(now) {
            return Err(DomainError::NotFound);
        }
        let device = self
            .store
            .device_by_identifier(user_id, &req.device_identifier)
            .await?
            .ok_or_else(|| DomainError::bad_request("Invalid device."))?;
        let (key, master_password_hash) = if req.request_approved {
            let key = req
                .key
                .as_deref()
                .filter(|k| is_wrapped_to_public_key(k))
                .ok_or_else(|| {
                    DomainError::invalid(
                        "key",
                        "The key must be wrapped to the request's public key (an EncString of type 4).",
                    )
                })?;
            let hash = match req.master_password_hash.as_deref() {
                Some(h) if !is_wrapped_to_public_key(h) => {
                    return Err(DomainError::invalid(
                        "masterPasswordHash",
                        "The master password hash must be wrapped to the request's public key.",
                    ))
                }
                h => h.map(str::to_string),
            };
            (Some(key.to_string()), hash)
        } else {
            (None, None)
        };
        let answer = AuthRequestAnswer {
            approved: req.request_approved,
            key,
            master_password_hash,
            response_device_id: Some(device.id),
        };
        if !self
            .store
            .answer_auth_request(user_id, id, &answer, now)
            .await?
        {
            return Err(DomainError::bad_request(ALREADY_ANSWERED));
        }
        if req.request_approved {
            self.push_auth_request_response(user_id, &id.to_string());
        }
        self.auth_request_of(caller, id).await
    }

    /// `GET /auth-requests/{id}/response?code=` (anonymous): the request, answered or not, for
    /// the holder of its access code while it is valid. A wrong code and an expired or unknown
    /// request are the same not-found.
    /// Misses are counted per address (`ip`); a hit gives its count back, so a requester
    /// polling its own answer is never slowed.
    pub async fn auth_request_response(
        &self,
        id: AuthRequestId,
        access_code: &str,
        ip: &str,
    ) -> Result<AuthRequestRow, DomainError> {
        let now = self.now();
        let store = self.store.as_ref();
        if let Err(retry_after_secs) = self
            .auth_request_answer_throttle
            .reserve(store, ip, now)
            .await?
        {
            return Err(DomainError::RateLimited { retry_after_secs });
        }
        let found = self
            .store
            .auth_request(id)
            .await?
            .filter(|r| self.access_code_matches(r, access_code))
            .filter(|r| !r.expired(now))
            .ok_or(DomainError::NotFound)?;
        self.auth_request_answer_throttle.release(store, ip).await?;
        Ok(found)
    }

    /// Whether `access_code` is the request's, compared in constant time on the keyed digests.
    fn access_code_matches(&self, row: &AuthRequestRow, access_code: &str) -> bool {
        use subtle::ConstantTimeEq;
        let presented = self.tokens.keyed_digest(ACCESS_CODE_PURPOSE, access_code);
        bool::from(
            presented
                .as_bytes()
                .ct_eq(row.access_code_digest.as_bytes()),
        )
    }

    /// The request `id` if a login of `user` from `device_identifier` may use it with
    /// `access_code` now: the user's, type 0, approved, unused, not expired, asked from this
    /// very device, which the account already knows, and the code right. Marking it used is the
    /// caller's last step (`use_auth_request`).
    pub(crate) async fn auth_request_for_login(
        &self,
        user_id: UserId,
        id: AuthRequestId,
        access_code: &str,
        device_identifier: &str,
        now: Timestamp,
    ) -> Result<bool, DomainError> {
        let Some(row) = self.store.auth_request(id).await? else {
            return Ok(false);
        };
        let code_ok = self.access_code_matches(&row, access_code);
        // An approved admin approval request logs in too: without SSO, the device has no other
        // way to a session (the official server hands it the key inside an SSO session).
        let usable = code_ok
            && row.user_id == user_id
            && matches!(
                row.request_type,
                AuthRequestType::AuthenticateAndUnlock | AuthRequestType::AdminApproval
            )
            && row.approved == Some(true)
            && row.authentication_date.is_none()
            && !row.expired(now)
            && row.request_device_identifier == device_identifier;
        Ok(usable && self.store.device_exists(user_id, device_identifier).await?)
    }
}

/// `t` moved back by `secs`.
fn now_minus(t: Timestamp, secs: i64) -> Timestamp {
    t.plus_secs(-secs)
}

/// A type-4 EncString (RSA-OAEP to the request's key) of a sane length.
pub(crate) fn is_wrapped_to_public_key(s: &str) -> bool {
    s.len() <= MAX_WRAPPED && s.starts_with("4.") && validate_enc_string(s).is_ok()
}
