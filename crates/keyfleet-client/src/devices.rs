//! Devices and log in with a device. Token-only calls are [`DeviceCalls`]; approving needs the
//! user key, so it is a [`Session`] method; the requester's side (a logged-out device) is on
//! [`Client`]: it makes a fresh RSA-2048 key pair and an access code, asks, polls the answer,
//! unwraps the user key with its private key and logs in with the code.

use crate::authed::{send, Bearer, NO_BODY};
use crate::keys::{unwrap_with_private, wrap_to_public};
use crate::{second_factor_fields, Client, ClientError, RawBody, SecondFactor, Session};
use keyfleet_api::devices::{
    AdminAuthRequestUpdateRequest, AuthRequestCreateRequest, AuthRequestResponse,
    AuthRequestUpdateRequest, BulkDenyAdminAuthRequestRequest, DeviceKeysRequest,
    DeviceKeysUpdateRequest, DeviceRequest, DeviceResponse,
    OrganizationAuthRequestUpdateManyRequest, PendingOrganizationAuthRequestResponse,
    ProtectedDeviceResponse, UntrustDevicesRequest, UpdateDevicesTrustRequest,
};
use keyfleet_api::identity::TokenResponse;
use keyfleet_api::kinds::AuthRequestType;
use keyfleet_api::ListResponse;
use keyfleet_crypto::{
    generate_rsa_keypair, normalize_email, random_bytes, unlock_private_key, EncString, PrivateKey,
    PublicKey, SymmetricKey,
};
use reqwest::Method;

/// The fingerprint phrase both devices show for a login request: the account fingerprint
/// phrase of the request's public key with the lower-cased email as material.
pub fn auth_request_fingerprint(email: &str, public_key_b64: &str) -> Result<String, ClientError> {
    Ok(PublicKey::from_spki_der_b64(public_key_b64)?.fingerprint_phrase(&email.to_lowercase())?)
}

/// A trusted device's keys re-wrapped from the user key `old` to `new`: its public key (under
/// `old` in `encrypted_public_key`) is opened, put under `new`, and `new` is wrapped to it.
/// `None` when the public key does not open with `old` (keys made by another client, or
/// broken): such a device can only lose its trust.
pub fn rewrap_device_keys(
    encrypted_public_key: &str,
    old: &SymmetricKey,
    new: &SymmetricKey,
) -> Option<DeviceKeysUpdateRequest> {
    let der = encrypted_public_key
        .parse::<EncString>()
        .ok()?
        .decrypt_aes(old)
        .ok()?;
    let public = PublicKey::from_spki_der(&der).ok()?;
    Some(DeviceKeysUpdateRequest {
        encrypted_public_key: EncString::encrypt_aes(new, &der).to_string(),
        encrypted_user_key: wrap_to_public(&public, new).ok()?,
    })
}

/// Device and login-request calls that need only an access token.
// Callers await these where they are; none needs the futures to be `Send`.
#[allow(async_fn_in_trait)]
pub trait DeviceCalls: Bearer {
    /// `GET /api/devices`: the account's devices, each with its newest pending login request.
    async fn devices(&self) -> Result<Vec<DeviceResponse>, ClientError> {
        let l: ListResponse<_> = send(self, Method::GET, "/api/devices", NO_BODY).await?;
        Ok(l.data)
    }

    /// `GET /api/devices/{id}`.
    async fn device(&self, id: &str) -> Result<DeviceResponse, ClientError> {
        send(self, Method::GET, &format!("/api/devices/{id}"), NO_BODY).await
    }

    /// `GET /api/devices/identifier/{identifier}`.
    async fn device_by_identifier(&self, identifier: &str) -> Result<DeviceResponse, ClientError> {
        send(
            self,
            Method::GET,
            &format!("/api/devices/identifier/{identifier}"),
            NO_BODY,
        )
        .await
    }

    /// `PUT /api/devices/{id}`: renames a device.
    async fn rename_device(&self, id: &str, name: &str) -> Result<DeviceResponse, ClientError> {
        let body = DeviceRequest {
            name: name.to_string(),
            device_type: None,
            identifier: None,
            push_token: None,
        };
        send(
            self,
            Method::PUT,
            &format!("/api/devices/{id}"),
            Some(&body),
        )
        .await
    }

    /// `POST /api/devices/{id}/deactivate`: removes a device and ends its sessions.
    async fn deactivate_device(&self, id: &str) -> Result<(), ClientError> {
        let _: serde::de::IgnoredAny = send(
            self,
            Method::POST,
            &format!("/api/devices/{id}/deactivate"),
            NO_BODY,
        )
        .await?;
        Ok(())
    }

    /// `GET /api/auth-requests/pending`: the newest pending login request of each device.
    async fn pending_auth_requests(&self) -> Result<Vec<AuthRequestResponse>, ClientError> {
        let l: ListResponse<_> =
            send(self, Method::GET, "/api/auth-requests/pending", NO_BODY).await?;
        Ok(l.data)
    }

    /// `GET /api/auth-requests`: every login request of the account.
    async fn auth_requests(&self) -> Result<Vec<AuthRequestResponse>, ClientError> {
        let l: ListResponse<_> = send(self, Method::GET, "/api/auth-requests", NO_BODY).await?;
        Ok(l.data)
    }

    /// `GET /api/auth-requests/{id}`.
    async fn auth_request(&self, id: &str) -> Result<AuthRequestResponse, ClientError> {
        send(
            self,
            Method::GET,
            &format!("/api/auth-requests/{id}"),
            NO_BODY,
        )
        .await
    }

    /// `PUT /api/auth-requests/{id}` with a body as sent (denials, and tests of refusals).
    async fn answer_auth_request(
        &self,
        id: &str,
        body: &AuthRequestUpdateRequest,
    ) -> Result<AuthRequestResponse, ClientError> {
        send(
            self,
            Method::PUT,
            &format!("/api/auth-requests/{id}"),
            Some(body),
        )
        .await
    }

    /// `PUT /api/devices/{identifier}/keys`: stores a device's trusted-device keys (made by the
    /// caller: ciphertext only).
    async fn set_device_keys(
        &self,
        identifier: &str,
        keys: &DeviceKeysRequest,
    ) -> Result<DeviceResponse, ClientError> {
        send(
            self,
            Method::PUT,
            &format!("/api/devices/{identifier}/keys"),
            Some(keys),
        )
        .await
    }

    /// `POST /api/devices/{identifier}/retrieve-keys`.
    async fn retrieve_device_keys(
        &self,
        identifier: &str,
    ) -> Result<ProtectedDeviceResponse, ClientError> {
        send(
            self,
            Method::POST,
            &format!("/api/devices/{identifier}/retrieve-keys"),
            NO_BODY,
        )
        .await
    }

    /// `POST /api/devices/untrust`: clears the trusted-device keys of the caller's `devices`.
    async fn untrust_devices(&self, devices: &[&str]) -> Result<(), ClientError> {
        let body = UntrustDevicesRequest {
            devices: devices.iter().map(|d| d.to_string()).collect(),
        };
        let _: serde::de::IgnoredAny =
            send(self, Method::POST, "/api/devices/untrust", Some(&body)).await?;
        Ok(())
    }

    /// `POST /api/devices/update-trust` as the device `device_identifier` (its
    /// `Device-Identifier` header): that device and `req`'s other devices get the re-wrapped
    /// keys, every other trusted device of the account loses its trust.
    async fn update_devices_trust(
        &self,
        device_identifier: &str,
        req: &UpdateDevicesTrustRequest,
    ) -> Result<(), ClientError> {
        let (client, token) = self.bearer();
        let r = client
            .raw_with_headers(
                Method::POST,
                "/api/devices/update-trust",
                Some(token),
                RawBody::typed(req)?,
                &[("Device-Identifier", device_identifier)],
            )
            .await?;
        if !(200..300).contains(&r.status) {
            return Err(crate::api_error(r.status, &r.body));
        }
        Ok(())
    }

    /// `GET /api/organizations/{org}/auth-requests`: the organization's pending admin approval
    /// requests.
    async fn org_auth_requests(
        &self,
        org_id: &str,
    ) -> Result<Vec<PendingOrganizationAuthRequestResponse>, ClientError> {
        let l: ListResponse<_> = send(
            self,
            Method::GET,
            &format!("/api/organizations/{org_id}/auth-requests"),
            NO_BODY,
        )
        .await?;
        Ok(l.data)
    }

    /// `POST /api/organizations/{org}/auth-requests/{id}` with a body as sent (denials, and
    /// tests of refusals; approving is `Session::approve_member_device`).
    async fn answer_org_auth_request(
        &self,
        org_id: &str,
        id: &str,
        body: &AdminAuthRequestUpdateRequest,
    ) -> Result<(), ClientError> {
        let _: serde::de::IgnoredAny = send(
            self,
            Method::POST,
            &format!("/api/organizations/{org_id}/auth-requests/{id}"),
            Some(body),
        )
        .await?;
        Ok(())
    }

    /// `POST /api/organizations/{org}/auth-requests`: several answers at once.
    async fn answer_org_auth_requests(
        &self,
        org_id: &str,
        answers: &[OrganizationAuthRequestUpdateManyRequest],
    ) -> Result<(), ClientError> {
        let _: serde::de::IgnoredAny = send(
            self,
            Method::POST,
            &format!("/api/organizations/{org_id}/auth-requests"),
            Some(&answers),
        )
        .await?;
        Ok(())
    }

    /// `POST /api/organizations/{org}/auth-requests/deny`.
    async fn deny_org_auth_requests(&self, org_id: &str, ids: &[&str]) -> Result<(), ClientError> {
        let body = BulkDenyAdminAuthRequestRequest {
            ids: ids.iter().map(|s| s.to_string()).collect(),
        };
        let _: serde::de::IgnoredAny = send(
            self,
            Method::POST,
            &format!("/api/organizations/{org_id}/auth-requests/deny"),
            Some(&body),
        )
        .await?;
        Ok(())
    }
}

impl<T: Bearer + ?Sized> DeviceCalls for T {}

impl Session {
    /// Approves a login request as the current official clients do: the user key wrapped to
    /// the request's public key (type 4), no master password hash, from this session's device.
    pub async fn approve_auth_request(
        &self,
        request: &AuthRequestResponse,
    ) -> Result<AuthRequestResponse, ClientError> {
        let public = PublicKey::from_spki_der_b64(&request.public_key)?;
        let body = AuthRequestUpdateRequest {
            key: Some(wrap_to_public(&public, self.user_key())?),
            master_password_hash: None,
            device_identifier: self.client().device_identifier().to_string(),
            request_approved: true,
        };
        self.answer_auth_request(&request.id, &body).await
    }

    /// Denies a login request from this session's device.
    pub async fn deny_auth_request(&self, id: &str) -> Result<AuthRequestResponse, ClientError> {
        let body = AuthRequestUpdateRequest {
            key: None,
            master_password_hash: None,
            device_identifier: self.client().device_identifier().to_string(),
            request_approved: false,
        };
        self.answer_auth_request(id, &body).await
    }
}

/// A login request this (logged-out) device made: what it needs to read the answer and log in.
pub struct DeviceLoginRequest {
    /// The request's id.
    pub id: String,
    /// The account's email.
    pub email: String,
    /// The access code (25 characters, as the official clients make it).
    pub access_code: String,
    /// The request's public key (base64 SPKI).
    pub public_key: String,
    private_key: PrivateKey,
}

impl DeviceLoginRequest {
    /// The phrase this device shows; the approving device must show the same.
    pub fn fingerprint_phrase(&self) -> Result<String, ClientError> {
        auth_request_fingerprint(&self.email, &self.public_key)
    }
}

impl std::fmt::Debug for DeviceLoginRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeviceLoginRequest")
            .field("id", &self.id)
            .field("email", &self.email)
            .finish_non_exhaustive()
    }
}

/// A 25-character access code from the alphanumerics, uniformly (bytes past the last whole
/// multiple of 62 are drawn again).
fn new_access_code() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut code = String::with_capacity(25);
    while code.len() < 25 {
        for b in random_bytes::<32>() {
            if usize::from(b) < 248 && code.len() < 25 {
                code.push(char::from(ALPHABET[usize::from(b) % ALPHABET.len()]));
            }
        }
    }
    code
}

impl Client {
    /// `POST /api/auth-requests/`: asks to log in to `email` on this device (which the account
    /// must have used before), with a fresh RSA-2048 key pair and access code.
    pub async fn request_device_login(
        &self,
        email: &str,
    ) -> Result<DeviceLoginRequest, ClientError> {
        self.new_login_request(
            email,
            AuthRequestType::AuthenticateAndUnlock,
            "/api/auth-requests/",
        )
        .await
    }

    /// `POST /api/auth-requests/admin-request`: asks the administrators of `email`'s
    /// organizations to approve a login on this device (which the account must have used
    /// before); read the answer and log in with [`Client::login_with_device`].
    pub async fn request_admin_approval(
        &self,
        email: &str,
    ) -> Result<DeviceLoginRequest, ClientError> {
        self.new_login_request(
            email,
            AuthRequestType::AdminApproval,
            "/api/auth-requests/admin-request",
        )
        .await
    }

    async fn new_login_request(
        &self,
        email: &str,
        request_type: AuthRequestType,
        path: &str,
    ) -> Result<DeviceLoginRequest, ClientError> {
        let (private_key, public) = generate_rsa_keypair()?;
        let public_key = public.to_spki_der_b64()?;
        let access_code = new_access_code();
        let body = AuthRequestCreateRequest {
            email: email.to_string(),
            public_key: public_key.clone(),
            device_identifier: self.device_identifier().to_string(),
            access_code: access_code.clone(),
            request_type: request_type.code(),
        };
        let created: AuthRequestResponse = self
            .call(Method::POST, path, None, RawBody::typed(&body)?)
            .await?;
        Ok(DeviceLoginRequest {
            id: created.id,
            email: email.to_string(),
            access_code,
            public_key,
            private_key,
        })
    }

    /// `GET /api/auth-requests/{id}/response?code=`: the answer so far (`responseDate` null while
    /// pending).
    pub async fn auth_request_response(
        &self,
        id: &str,
        access_code: &str,
    ) -> Result<AuthRequestResponse, ClientError> {
        let path = format!(
            "/api/auth-requests/{id}/response{}",
            crate::query_string(&[("code", Some(access_code))])
        );
        self.call(Method::GET, &path, None, RawBody::Empty).await
    }

    /// Reads the answer to `request`; when approved, logs in with its access code (password
    /// grant with `authRequest`) and unlocks with the user key the approver wrapped to the
    /// request's key. Refused or still pending: an error.
    pub async fn login_with_device(
        &self,
        request: &DeviceLoginRequest,
    ) -> Result<Session, ClientError> {
        self.login_with_device_and(request, None).await
    }

    /// [`Client::login_with_device`] with a second factor (the account has two-step login on:
    /// the first try answers [`ClientError::TwoFactorRequired`], the request stays usable).
    pub async fn login_with_device_and(
        &self,
        request: &DeviceLoginRequest,
        second_factor: Option<&SecondFactor>,
    ) -> Result<Session, ClientError> {
        let answer = self
            .auth_request_response(&request.id, &request.access_code)
            .await?;
        let (true, Some(wrapped)) = (answer.request_approved, answer.key.as_deref()) else {
            return Err(ClientError::Decode(
                "the login request was not approved".into(),
            ));
        };
        // Older approvers sent the master key (32 bytes) and a wrapped hash instead; only the
        // current form (the 64-byte user key) is understood here.
        let user_key = unwrap_with_private(&request.private_key, wrapped)?;
        let token = self
            .login_auth_request_token(request, second_factor)
            .await?;
        let private_key = match &token.private_key {
            Some(p) => Some(unlock_private_key(&user_key, p)?),
            None => None,
        };
        Session::new(self.clone(), &request.email, token, user_key, private_key)
    }

    /// The password grant of a login with a device alone (`password` = the access code,
    /// `authRequest` = the id): the token answer, unlocked by nothing.
    pub async fn login_auth_request_token(
        &self,
        request: &DeviceLoginRequest,
        second_factor: Option<&SecondFactor>,
    ) -> Result<TokenResponse, ClientError> {
        let mut form = crate::password_grant_form(
            &normalize_email(&request.email),
            &request.access_code,
            self.device_identifier(),
            crate::DEVICE_NAME,
        );
        form.push(("authRequest".into(), request.id.clone()));
        form.extend(second_factor_fields(second_factor));
        self.call(
            Method::POST,
            "/identity/connect/token",
            None,
            RawBody::Form(form),
        )
        .await
    }
}
