//! Domain rows → wire models. Ciphers are written straight into a byte buffer: their encrypted
//! content is stored as canonical JSON, so it is spliced in rather than parsed and re-encoded.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use keyfleet_api::accounts::{ProfileResponse, SyncMasterPasswordUnlock, SyncUserDecryption};
use keyfleet_api::identity::{
    AccountKeys, IdentityKdf, IdentityMasterPasswordUnlock, KdfSettings,
    MasterPasswordPolicyResponse, TokenResponse, UserDecryptionOptions,
};
use keyfleet_api::vault::{AttachmentResponse, FolderResponse};
use keyfleet_domain::store::{AttachmentRow, CipherView, FolderRow, KdfParams, UserRow};
use keyfleet_domain::vault::attachments::readable_size;
use keyfleet_domain::LoginOutcome;
use std::io::Write;

/// KDF in the nested camelCase form.
pub fn kdf_settings(k: KdfParams) -> KdfSettings {
    KdfSettings {
        kdf_type: k.kdf_type,
        iterations: k.iterations,
        memory: k.memory,
        parallelism: k.parallelism,
    }
}

fn account_keys(u: &UserRow) -> Option<AccountKeys> {
    match (&u.private_key, &u.public_key) {
        (Some(private), Some(public)) => Some(AccountKeys::v1(private.clone(), public.clone())),
        _ => None,
    }
}

/// `ProfileResponse` for a user.
pub fn profile(
    u: &UserRow,
    two_factor_enabled: bool,
    organizations: Vec<keyfleet_api::org_responses::ProfileOrganizationResponse>,
) -> ProfileResponse {
    ProfileResponse {
        id: u.id.to_string(),
        name: u.name.clone(),
        email: u.email.clone(),
        email_verified: true,
        premium: true,
        premium_from_organization: false,
        culture: u.culture.clone(),
        two_factor_enabled,
        key: u.key.clone(),
        private_key: u.private_key.clone(),
        account_keys: account_keys(u),
        security_stamp: u.security_stamp.clone(),
        force_password_reset: u.force_password_reset,
        uses_key_connector: false,
        avatar_color: None,
        creation_date: u.creation_date.to_iso(),
        verify_devices: false,
        organizations,
        providers: vec![],
        provider_organizations: vec![],
        object: "profile".into(),
    }
}

/// `sync.userDecryption`.
pub fn sync_user_decryption(u: &UserRow) -> SyncUserDecryption {
    SyncUserDecryption {
        master_password_unlock: Some(SyncMasterPasswordUnlock {
            kdf: kdf_settings(u.kdf),
            master_key_encrypted_user_key: u.key.clone(),
            salt: u.email.clone(),
            contained_key_id: u.user_key_id.clone(),
        }),
        web_authn_prf_options: None,
        v2_upgrade_token: None,
        user_key_id: u.user_key_id.clone(),
    }
}

/// The token endpoint's success body.
pub fn token_response(o: &LoginOutcome) -> TokenResponse {
    let u = &o.user;
    TokenResponse {
        access_token: o.access.token.clone(),
        expires_in: o.access.expires_in,
        token_type: "Bearer".into(),
        refresh_token: o.refresh.clone(),
        scope: o.scope.clone(),
        key: u.key.clone(),
        private_key: u.private_key.clone(),
        account_keys: account_keys(u),
        kdf: u.kdf.kdf_type,
        kdf_iterations: u.kdf.iterations,
        kdf_memory: u.kdf.memory,
        kdf_parallelism: u.kdf.parallelism,
        reset_master_password: false,
        force_password_reset: u.force_password_reset,
        master_password_policy: Some(master_password_policy(o.master_password_policy.as_ref())),
        user_decryption_options: UserDecryptionOptions {
            has_master_password: true,
            master_password_unlock: Some(IdentityMasterPasswordUnlock {
                kdf: IdentityKdf {
                    kdf_type: u.kdf.kdf_type,
                    iterations: u.kdf.iterations,
                    memory: u.kdf.memory,
                    parallelism: u.kdf.parallelism,
                },
                master_key_encrypted_user_key: u.key.clone(),
                master_key_wrapped_user_key: u.key.clone(),
                salt: u.email.clone(),
            }),
            object: "userDecryptionOptions".into(),
        },
        two_factor_token: o.two_factor_token.clone(),
    }
}

/// `MasterPasswordPolicy` of the token response: the organizations' combined requirements.
fn master_password_policy(policy: Option<&serde_json::Value>) -> MasterPasswordPolicyResponse {
    let mut requirements = match policy {
        Some(serde_json::Value::Object(m)) => m.clone(),
        _ => serde_json::Map::new(),
    };
    // The combined policy's own `object`, if any, gives way to the envelope's.
    requirements.remove("object");
    MasterPasswordPolicyResponse {
        requirements,
        object: "masterPasswordPolicy".into(),
    }
}

/// A folder.
pub fn folder(f: &FolderRow) -> FolderResponse {
    FolderResponse {
        id: f.id.to_string(),
        name: f.name.clone(),
        revision_date: f.revision_date.to_iso(),
        object: "folder".into(),
    }
}

/// `"…"` around what `write` appends, or `null`.
fn json_opt(out: &mut Vec<u8>, v: Option<impl FnOnce(&mut Vec<u8>)>) {
    match v {
        Some(write) => {
            out.push(b'"');
            write(out);
            out.push(b'"');
        }
        None => out.extend_from_slice(b"null"),
    }
}

fn json_bool(out: &mut Vec<u8>, b: bool) {
    out.extend_from_slice(if b { b"true" } else { b"false" });
}

/// Appends one cipher as `object` (`cipherDetails`, `cipher`, `cipherMini`) to `out`.
/// Everything written besides `data` is ids, numbers and ISO dates, which need no escaping;
/// they are written byte by byte, not through `fmt` (a sync writes ten thousand of these).
pub fn write_cipher(out: &mut Vec<u8>, v: &CipherView, object: &str) {
    let c = &v.cipher;
    out.extend_from_slice(b"{\"object\":\"");
    out.extend_from_slice(object.as_bytes());
    out.extend_from_slice(b"\",\"id\":\"");
    c.id.write_to(out);
    out.extend_from_slice(b"\",\"organizationId\":");
    json_opt(
        out,
        c.org_id.map(|id| move |o: &mut Vec<u8>| id.write_to(o)),
    );
    out.extend_from_slice(b",\"folderId\":");
    json_opt(
        out,
        v.folder_id.map(|id| move |o: &mut Vec<u8>| id.write_to(o)),
    );
    let a = v.access;
    out.extend_from_slice(b",\"type\":");
    match u8::try_from(c.cipher_type) {
        Ok(n) if n < 10 => out.push(b'0' + n),
        _ => {
            let _ = write!(out, "{}", c.cipher_type);
        }
    }
    out.extend_from_slice(b",\"favorite\":");
    json_bool(out, v.favorite);
    out.extend_from_slice(b",\"edit\":");
    json_bool(out, a.edit);
    out.extend_from_slice(b",\"viewPassword\":");
    json_bool(out, a.view_password);
    out.extend_from_slice(b",\"permissions\":{\"delete\":");
    json_bool(out, a.edit);
    out.extend_from_slice(b",\"restore\":");
    json_bool(out, a.edit);
    out.extend_from_slice(b"},\"organizationUseTotp\":true,\"collectionIds\":[");
    for (i, id) in v.collection_ids.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.push(b'"');
        id.write_to(out);
        out.push(b'"');
    }
    out.extend_from_slice(b"],\"attachments\":");
    write_attachments(out, &v.attachments);
    out.extend_from_slice(b",\"creationDate\":\"");
    c.creation_date.write_iso(out);
    out.extend_from_slice(b"\",\"revisionDate\":\"");
    c.revision_date.write_iso(out);
    out.extend_from_slice(b"\",\"deletedDate\":");
    json_opt(
        out,
        c.deleted_date
            .map(|t| move |o: &mut Vec<u8>| t.write_iso(o)),
    );
    out.extend_from_slice(b",\"archivedDate\":");
    json_opt(
        out,
        c.archived_date
            .map(|t| move |o: &mut Vec<u8>| t.write_iso(o)),
    );
    match c.data.strip_prefix('{') {
        Some(rest) if rest.trim() != "}" => {
            out.push(b',');
            out.extend_from_slice(rest.as_bytes());
        }
        _ => out.push(b'}'),
    }
}

/// An attachment as the clients read it (`AttachmentResponseModel`).
pub fn attachment(a: &AttachmentRow) -> AttachmentResponse {
    AttachmentResponse {
        id: a.id.to_string(),
        url: a.download_url.clone(),
        file_name: a.file_name.clone(),
        key: a.key.clone(),
        size: a.size.to_string(),
        size_name: readable_size(a.size),
        object: "attachment".into(),
    }
}

/// An item's `attachments`: null when it has none, as the official server writes it.
fn write_attachments(out: &mut Vec<u8>, attachments: &[AttachmentRow]) {
    if attachments.is_empty() {
        out.extend_from_slice(b"null");
        return;
    }
    // The names and keys are client text (EncStrings): serde escapes them.
    let list: Vec<AttachmentResponse> = attachments.iter().map(attachment).collect();
    if serde_json::to_writer(&mut *out, &list).is_err() {
        out.extend_from_slice(b"null");
    }
}

/// A JSON response from bytes already serialised.
pub fn raw_json(body: Vec<u8>) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        body,
    )
        .into_response()
}

/// One cipher as a response.
pub fn cipher_response(v: &CipherView, object: &str) -> Response {
    let mut out = Vec::with_capacity(v.cipher.data.len() + 512);
    write_cipher(&mut out, v, object);
    raw_json(out)
}

/// Several ciphers as a list response.
pub fn cipher_list_response(views: &[CipherView], object: &str) -> Response {
    let mut out = b"{\"object\":\"list\",\"data\":[".to_vec();
    for (i, v) in views.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_cipher(&mut out, v, object);
    }
    out.extend_from_slice(b"],\"continuationToken\":null}");
    raw_json(out)
}

/// A device as the device list and the device calls answer it.
pub fn device(
    d: &keyfleet_domain::store::DeviceRow,
    pending: Option<&keyfleet_domain::store::AuthRequestRow>,
) -> keyfleet_api::devices::DeviceResponse {
    keyfleet_api::devices::DeviceResponse {
        id: d.id.to_string(),
        name: d.name.clone(),
        device_type: d.device_type,
        identifier: d.identifier.clone(),
        creation_date: d.creation_date.to_iso(),
        last_activity_date: Some(d.last_seen.to_iso()),
        is_trusted: d.keys.is_some(),
        encrypted_user_key: d.keys.as_ref().map(|k| k.encrypted_user_key.clone()),
        encrypted_public_key: d.keys.as_ref().map(|k| k.encrypted_public_key.clone()),
        device_pending_auth_request: pending.map(|p| {
            keyfleet_api::devices::PendingAuthRequestResponse {
                id: p.id.to_string(),
                creation_date: p.creation_date.to_iso(),
            }
        }),
        object: "device".into(),
    }
}

/// A login-with-device request; `device_id` is set for the `/pending` list (the requesting
/// device's id, null when the account no longer has it).
pub fn auth_request(
    r: &keyfleet_domain::store::AuthRequestRow,
    origin: &str,
    device_id: Option<Option<keyfleet_domain::ids::DeviceId>>,
) -> keyfleet_api::devices::AuthRequestResponse {
    keyfleet_api::devices::AuthRequestResponse {
        id: r.id.to_string(),
        public_key: r.public_key.clone(),
        request_device_identifier: r.request_device_identifier.clone(),
        request_device_type_value: r.request_device_type,
        request_device_type: keyfleet_domain::identity::auth_requests::device_type_name(
            r.request_device_type,
        )
        .into(),
        request_ip_address: r.request_ip.clone(),
        request_country_name: None,
        key: r.key.clone(),
        master_password_hash: r.master_password_hash.clone(),
        creation_date: r.creation_date.to_iso(),
        response_date: r.response_date.map(|t| t.to_iso()),
        request_approved: r.approved.unwrap_or(false),
        origin: origin.to_string(),
        request_device_id: device_id.flatten().map(|d| d.to_string()),
        object: "auth-request".into(),
    }
}

/// A device with its trusted-device keys (`retrieve-keys`).
pub fn protected_device(
    d: &keyfleet_domain::store::DeviceRow,
) -> keyfleet_api::devices::ProtectedDeviceResponse {
    keyfleet_api::devices::ProtectedDeviceResponse {
        id: d.id.to_string(),
        name: d.name.clone(),
        device_type: d.device_type,
        identifier: d.identifier.clone(),
        creation_date: d.creation_date.to_iso(),
        encrypted_user_key: d.keys.as_ref().map(|k| k.encrypted_user_key.clone()),
        encrypted_public_key: d.keys.as_ref().map(|k| k.encrypted_public_key.clone()),
        object: "protectedDevice".into(),
    }
}

/// A pending admin approval request in an organization's list.
pub fn org_auth_request(
    r: &keyfleet_domain::store::OrgAuthRequestRow,
) -> keyfleet_api::devices::PendingOrganizationAuthRequestResponse {
    let q = &r.request;
    keyfleet_api::devices::PendingOrganizationAuthRequestResponse {
        id: q.id.to_string(),
        user_id: q.user_id.to_string(),
        organization_user_id: r.org_user_id.to_string(),
        email: r.email.clone(),
        public_key: q.public_key.clone(),
        request_device_identifier: q.request_device_identifier.clone(),
        request_device_type: keyfleet_domain::identity::auth_requests::device_type_name(
            q.request_device_type,
        )
        .into(),
        request_ip_address: q.request_ip.clone(),
        request_country_name: None,
        creation_date: q.creation_date.to_iso(),
        object: "pending-org-auth-request".into(),
    }
}

/// An emergency access invitation: the link only when it was not mailed (a mailed link is
/// never shown to anyone but its recipient).
pub fn emergency_invite(
    i: &keyfleet_domain::membership::Invite<keyfleet_domain::store::EmergencyAccessRow>,
) -> keyfleet_api::emergency_access::EmergencyAccessInviteResponse {
    keyfleet_api::emergency_access::EmergencyAccessInviteResponse {
        id: i.member.id.to_string(),
        mailed: i.mailed,
        token: (!i.mailed).then(|| i.token.clone()),
        link: (!i.mailed).then(|| i.link.clone()),
        object: "emergencyAccessInvite".into(),
    }
}

/// A trusted contact as its grantor reads it (`emergencyAccessGranteeDetails`).
pub fn emergency_grantee(
    d: &keyfleet_domain::store::EmergencyAccessDetails,
) -> keyfleet_api::emergency_access::EmergencyAccessGranteeDetailsResponse {
    keyfleet_api::emergency_access::EmergencyAccessGranteeDetailsResponse {
        id: d.row.id.to_string(),
        status: d.row.status,
        access_type: d.row.access_type,
        wait_time_days: d.row.wait_time_days,
        grantee_id: d.row.grantee_id.map(|g| g.to_string()),
        name: d.name.clone(),
        email: d.email.clone(),
        avatar_color: None,
        object: "emergencyAccessGranteeDetails".into(),
    }
}

/// Someone who trusts the caller (`emergencyAccessGrantorDetails`): the grantor's name and
/// address only.
pub fn emergency_grantor(
    d: &keyfleet_domain::store::EmergencyAccessDetails,
) -> keyfleet_api::emergency_access::EmergencyAccessGrantorDetailsResponse {
    keyfleet_api::emergency_access::EmergencyAccessGrantorDetailsResponse {
        id: d.row.id.to_string(),
        status: d.row.status,
        access_type: d.row.access_type,
        wait_time_days: d.row.wait_time_days,
        grantor_id: d.row.grantor_id.to_string(),
        name: d.name.clone(),
        email: d.email.clone(),
        avatar_color: None,
        object: "emergencyAccessGrantorDetails".into(),
    }
}

/// What a takeover needs: the grantor's KDF and salt, and the wrapped key.
pub fn emergency_takeover(
    t: &keyfleet_domain::emergency_access::Takeover,
) -> keyfleet_api::emergency_access::EmergencyAccessTakeoverResponse {
    let k = t.grantor.kdf;
    keyfleet_api::emergency_access::EmergencyAccessTakeoverResponse {
        key_encrypted: t.key_encrypted.clone(),
        kdf: k.kdf_type,
        kdf_iterations: k.iterations,
        kdf_memory: k.memory,
        kdf_parallelism: k.parallelism,
        salt: Some(keyfleet_domain::identity::accounts::salt_for(
            &t.grantor.email,
        )),
        object: "emergencyAccessTakeover".into(),
    }
}

/// `emergencyAccessView`: the wrapped key (an EncString: no escaping needed, but serde writes
/// it) and the grantor's items spliced from their stored JSON.
pub fn emergency_view(v: &keyfleet_domain::emergency_access::EmergencyView) -> Response {
    raw_json(emergency_view_bytes(v))
}

fn emergency_view_bytes(v: &keyfleet_domain::emergency_access::EmergencyView) -> Vec<u8> {
    let mut out = b"{\"object\":\"emergencyAccessView\",\"keyEncrypted\":".to_vec();
    if serde_json::to_writer(&mut out, &v.key_encrypted).is_err() {
        out.extend_from_slice(b"null");
    }
    out.extend_from_slice(b",\"ciphers\":[");
    for (i, c) in v.ciphers.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_cipher(&mut out, c, "cipher");
    }
    out.extend_from_slice(b"]}");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use keyfleet_domain::ids::CipherId;
    use keyfleet_domain::store::CipherRow;
    use keyfleet_domain::Timestamp;

    #[test]
    fn a_written_cipher_is_valid_json_with_its_stored_content() {
        let v = CipherView {
            cipher: CipherRow {
                id: CipherId::new(),
                user_id: None,
                org_id: None,
                cipher_type: 1,
                data: r#"{"name":"2.a|b|c","login":{"username":"x\"y"}}"#.into(),
                creation_date: Timestamp(0),
                revision_date: Timestamp(1000),
                deleted_date: None,
                archived_date: None,
            },
            folder_id: None,
            favorite: true,
            collection_ids: vec![],
            access: keyfleet_domain::store::ItemAccess::FULL,
            attachments: vec![],
        };
        let mut out = Vec::new();
        write_cipher(&mut out, &v, "cipherDetails");
        let json: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(json["id"], v.cipher.id.to_string());
        assert_eq!(json["login"]["username"], "x\"y");
        assert_eq!(json["favorite"], true);
        assert_eq!(json["revisionDate"], "1970-01-01T00:00:01.000Z");
        assert_eq!(json["deletedDate"], serde_json::Value::Null);
        assert_eq!(json["archivedDate"], serde_json::Value::Null);
        assert_eq!(json["organizationId"], serde_json::Value::Null);
        assert_eq!(json["folderId"], serde_json::Value::Null);

        // Set dates and ids are written as strings, like the ones above.
        let org = keyfleet_domain::ids::OrgId::new();
        let folder = keyfleet_domain::ids::FolderId::new();
        let mut v = v;
        v.cipher.org_id = Some(org);
        v.folder_id = Some(folder);
        v.cipher.deleted_date = Some(Timestamp(1_700_000_000_123));
        v.cipher.archived_date = Some(Timestamp(1_700_000_000_456));
        let mut out = Vec::new();
        write_cipher(&mut out, &v, "cipherDetails");
        let json: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(json["organizationId"], org.to_string());
        assert_eq!(json["folderId"], folder.to_string());
        assert_eq!(json["deletedDate"], "2023-11-14T22:13:20.123Z");
        assert_eq!(json["archivedDate"], "2023-11-14T22:13:20.456Z");

        // Collections, a two-digit type, and read-only access.
        let (c1, c2) = (
            keyfleet_domain::ids::CollectionId::new(),
            keyfleet_domain::ids::CollectionId::new(),
        );
        v.collection_ids = vec![c1, c2];
        v.cipher.cipher_type = 12;
        v.favorite = false;
        v.access = keyfleet_domain::store::ItemAccess {
            edit: false,
            view_password: true,
            manage: false,
        };
        let mut out = Vec::new();
        write_cipher(&mut out, &v, "cipher");
        let json: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(json["object"], "cipher");
        assert_eq!(
            json["collectionIds"],
            serde_json::json!([c1.to_string(), c2.to_string()])
        );
        assert_eq!(json["type"], 12);
        assert_eq!(json["favorite"], false);
        assert_eq!(json["edit"], false);
        assert_eq!(json["viewPassword"], true);
        assert_eq!(
            json["permissions"],
            serde_json::json!({"delete": false, "restore": false})
        );
        assert_eq!(json["creationDate"], "1970-01-01T00:00:00.000Z");
    }

    fn emergency_row() -> keyfleet_domain::store::EmergencyAccessDetails {
        use crate::org_views::golden::id;
        use keyfleet_domain::store::{
            EmergencyAccessDetails, EmergencyAccessRow, EmergencyAccessStatusType,
            EmergencyAccessType,
        };
        EmergencyAccessDetails {
            row: EmergencyAccessRow {
                id: id(0x41),
                grantor_id: id(0x42),
                grantee_id: Some(id(0x43)),
                email: None,
                key_encrypted: Some("4.wrapped".into()),
                access_type: EmergencyAccessType::Takeover,
                status: EmergencyAccessStatusType::RecoveryInitiated,
                wait_time_days: 7,
                recovery_initiated_at: Some(Timestamp(1_700_000_000_000)),
                last_notification_at: Some(Timestamp(1_700_000_000_000)),
                invited_at: None,
                creation_date: Timestamp(1_690_000_000_000),
                revision_date: Timestamp(1_700_000_000_000),
            },
            name: Some("Casey Contact".into()),
            email: Some("casey@example.com".into()),
        }
    }

    /// Golden fixtures of the emergency access answers (`KEYFLEET_BLESS=1` rewrites them).
    #[test]
    fn emergency_access_views_keep_their_wire_shape() {
        use crate::org_views::golden::check;
        let d = emergency_row();
        check("emergency_grantee", &emergency_grantee(&d));
        check("emergency_grantor", &emergency_grantor(&d));
        let grantor = UserRow {
            id: d.row.grantor_id,
            email: "Grantor@Example.com".into(),
            name: None,
            password_hash: String::new(),
            password_hint: None,
            kdf: KdfParams {
                kdf_type: 1,
                iterations: 3,
                memory: Some(64),
                parallelism: Some(4),
            },
            key: "2.a|b|c".into(),
            public_key: None,
            private_key: None,
            security_stamp: String::new(),
            user_key_id: None,
            api_key_digest: String::new(),
            culture: "en-US".into(),
            force_password_reset: false,
            creation_date: Timestamp(0),
            revision_date: Timestamp(0),
        };
        let t = keyfleet_domain::emergency_access::Takeover {
            key_encrypted: "4.wrapped".into(),
            grantor,
        };
        check("emergency_takeover", &emergency_takeover(&t));
        let invite = keyfleet_domain::membership::Invite {
            member: d.row.clone(),
            token: "tok".into(),
            link: "https://vault.example/#/accept-emergency?token=tok".into(),
            mailed: false,
        };
        check("emergency_invite", &emergency_invite(&invite));
        let mailed = keyfleet_domain::membership::Invite {
            mailed: true,
            ..invite
        };
        let answer = emergency_invite(&mailed);
        assert_eq!(
            (answer.token, answer.link),
            (None, None),
            "a mailed link is never shown"
        );
    }

    #[test]
    fn an_emergency_view_is_valid_json_with_the_items() {
        let item = CipherView {
            cipher: keyfleet_domain::store::CipherRow {
                id: CipherId::new(),
                user_id: None,
                org_id: None,
                cipher_type: 1,
                data: r#"{"name":"2.a|b|c"}"#.into(),
                creation_date: Timestamp(0),
                revision_date: Timestamp(0),
                deleted_date: None,
                archived_date: None,
            },
            folder_id: None,
            favorite: false,
            collection_ids: vec![],
            access: keyfleet_domain::store::ItemAccess::FULL,
            attachments: vec![],
        };
        let v = keyfleet_domain::emergency_access::EmergencyView {
            key_encrypted: "4.wrapped".into(),
            ciphers: vec![item.clone(), item],
        };
        let json: serde_json::Value = serde_json::from_slice(&emergency_view_bytes(&v)).unwrap();
        assert_eq!(json["object"], "emergencyAccessView");
        assert_eq!(json["keyEncrypted"], "4.wrapped");
        assert_eq!(json["ciphers"].as_array().unwrap().len(), 2);
        assert_eq!(json["ciphers"][0]["object"], "cipher");
        assert_eq!(json["ciphers"][0]["name"], "2.a|b|c");
    }
}
