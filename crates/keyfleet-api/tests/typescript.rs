//! The console's TypeScript types are generated from these Rust types: this test renders them
//! and compares with the committed `console/src/api/generated.ts`, so a wire change without a
//! regenerated file fails CI. `KEYFLEET_BLESS=1 cargo test -p keyfleet-api --test typescript`
//! rewrites it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use keyfleet_api::accounts::*;
use keyfleet_api::emergency_access::*;
use keyfleet_api::identity::*;
use keyfleet_api::imports::*;
use keyfleet_api::kinds::*;
use keyfleet_api::org_responses::*;
use keyfleet_api::orgs::*;
use keyfleet_api::provider_requests::*;
use keyfleet_api::provider_responses::*;
use keyfleet_api::two_factor::*;
use keyfleet_api::vault::*;
use keyfleet_api::ListResponse;
use ts_rs::TS;

fn render() -> String {
    let decls = [
        OrganizationUserType::decl(),
        OrganizationUserStatus::decl(),
        PlanType::decl(),
        ProductTierType::decl(),
        PolicyType::decl(),
        EventType::decl(),
        ProviderUserStatus::decl(),
        ProviderStatus::decl(),
        ProviderUserType::decl(),
        ProviderType::decl(),
        ProviderRole::decl(),
        ProviderScope::decl(),
        Permission::decl(),
        TwoFactorProviderType::decl(),
        RevocationReason::decl(),
        EmergencyAccessStatusType::decl(),
        EmergencyAccessType::decl(),
        VerificationRequest::decl(),
        AuthenticatorRequest::decl(),
        DisableTwoFactorRequest::decl(),
        EmailRequest::decl(),
        EmailLoginRequest::decl(),
        WebauthnKeyRequest::decl(),
        TwoFactorProviderResponse::decl(),
        AuthenticatorDetails::decl(),
        TwoFactorAuthenticatorResponse::decl(),
        TwoFactorRecoverResponse::decl(),
        WebauthnKeyResponse::decl(),
        TwoFactorWebAuthnResponse::decl(),
        TwoFactorEmailDetails::decl(),
        TwoFactorEmailResponse::decl(),
        ListResponse::<()>::decl(),
        Permissions::decl(),
        SelectionResponse::decl(),
        OrganizationFeatures::decl(),
        CollectionLimits::decl(),
        OrganizationResponse::decl(),
        ProfileOrganizationResponse::decl(),
        OrganizationUserDetailsResponse::decl(),
        OrganizationUserMiniDetailsResponse::decl(),
        CollectionFields::decl(),
        CollectionResponse::decl(),
        CollectionDetailsResponse::decl(),
        CollectionAccessDetailsResponse::decl(),
        GroupFields::decl(),
        GroupResponse::decl(),
        GroupDetailsResponse::decl(),
        PolicyResponse::decl(),
        EventResponse::decl(),
        ProviderEventResponse::decl(),
        BulkMemberResponse::decl(),
        OrganizationUserInviteResponse::decl(),
        OrganizationUserPublicKeyResponse::decl(),
        OrganizationPublicKeyResponse::decl(),
        OrganizationUserResetPasswordDetailsResponse::decl(),
        OrganizationKeysResponse::decl(),
        ApiKeyResponse::decl(),
        PublicMemberResponse::decl(),
        OrganizationTokenResponse::decl(),
        ProviderResponse::decl(),
        AdminProviderResponse::decl(),
        AdminProviderCreatedResponse::decl(),
        ProviderInviteResponse::decl(),
        ProviderMemberResponse::decl(),
        ProviderRoleResponse::decl(),
        ProviderClientResponse::decl(),
        ProviderClientCreatedResponse::decl(),
        ProfileProviderResponse::decl(),
        ProviderClientUsageResponse::decl(),
        ProviderUserPublicKeyResponse::decl(),
        AddableOrganizationResponse::decl(),
        ProviderClientLaunchResponse::decl(),
        ProviderMemberNameResponse::decl(),
        // identity, account and vault
        PreloginRequest::decl(),
        KdfSettings::decl(),
        PreloginResponse::decl(),
        KeysRequest::decl(),
        MasterPasswordAuthenticationData::decl(),
        MasterPasswordUnlockData::decl(),
        SendVerificationEmailRequest::decl(),
        RegisterFinishRequest::decl(),
        RegisterRequest::decl(),
        RegisterFinishResponse::decl(),
        AccountKeys::decl(),
        PublicKeyEncryptionKeyPair::decl(),
        IdentityKdf::decl(),
        IdentityMasterPasswordUnlock::decl(),
        UserDecryptionOptions::decl(),
        MasterPasswordPolicyResponse::decl(),
        TokenResponse::decl(),
        RefreshResponse::decl(),
        PasswordRequest::decl(),
        UpdateTempPasswordRequest::decl(),
        KdfRequest::decl(),
        UpdateProfileRequest::decl(),
        UserKeyIdRequest::decl(),
        UserKeyResponse::decl(),
        ProfileResponse::decl(),
        SyncUserDecryption::decl(),
        SyncMasterPasswordUnlock::decl(),
        DomainsResponse::decl(),
        SyncHeadResponse::decl(),
        SyncResponse::decl(),
        FolderRequest::decl(),
        FolderResponse::decl(),
        CipherRequest::decl(),
        AttachmentMetadataRequest::decl(),
        AttachmentRequest::decl(),
        AttachmentResponse::decl(),
        AttachmentUploadDataHead::decl(),
        CipherLoginRequest::decl(),
        CipherLoginUriRequest::decl(),
        CipherCreateRequest::decl(),
        CipherPartialRequest::decl(),
        CipherBulkRequest::decl(),
        CipherBulkMoveRequest::decl(),
        IdsRequest::decl(),
        CipherPermissionsResponse::decl(),
        CipherDetailsResponse::decl(),
        EmergencyAccessInviteRequest::decl(),
        EmergencyAccessInviteResponse::decl(),
        EmergencyAccessUpdateRequest::decl(),
        EmergencyAccessAcceptRequest::decl(),
        EmergencyAccessConfirmRequest::decl(),
        EmergencyAccessPasswordRequest::decl(),
        EmergencyAccessGranteeDetailsResponse::decl(),
        EmergencyAccessGrantorDetailsResponse::decl(),
        EmergencyAccessTakeoverResponse::decl(),
        EmergencyAccessViewResponse::decl(),
        // import and export
        ImportRelationship::decl(),
        ImportFolderRequest::decl(),
        ImportCollectionRequest::decl(),
        ImportCiphersRequest::decl(),
        ImportOrganizationCiphersRequest::decl(),
        ImportOrganizationQuery::decl(),
        OrganizationExportResponse::decl(),
        // requests
        OrganizationKeysRequest::decl(),
        PolicyFields::decl(),
        SavePolicyRequest::decl(),
        OrganizationCreateRequest::decl(),
        OrganizationUpdateRequest::decl(),
        OrganizationSeatRequest::decl(),
        SelectionReadOnly::decl(),
        OrganizationUserInviteRequest::decl(),
        OrganizationUserUpdateRequest::decl(),
        OrganizationUserAcceptRequest::decl(),
        OrganizationUserResetPasswordEnrollmentRequest::decl(),
        OrganizationUserResetPasswordRequest::decl(),
        OrganizationUserConfirmRequest::decl(),
        KeyedId::decl(),
        OrganizationUserBulkConfirmRequest::decl(),
        OrganizationUserBulkRequest::decl(),
        CollectionRequest::decl(),
        GroupRequest::decl(),
        EventCollectRequest::decl(),
        EventRangeQuery::decl(),
        SecretVerificationRequest::decl(),
        AdminProviderCreateRequest::decl(),
        ProviderSetupRequest::decl(),
        ProviderUpdateRequest::decl(),
        ProviderUserInviteRequest::decl(),
        ProviderUserBulkRequest::decl(),
        ProviderUserAcceptRequest::decl(),
        ProviderUserConfirmRequest::decl(),
        ProviderUserKeyedId::decl(),
        ProviderUserBulkConfirmRequest::decl(),
        ProviderUserUpdateRequest::decl(),
        ProviderRoleChoice::decl(),
        ProviderUserClientsRequest::decl(),
        ProviderTransferOwnershipRequest::decl(),
        ProviderClientLaunchRequest::decl(),
        ProviderRoleRequest::decl(),
        ProviderRoleCloneRequest::decl(),
        ProviderClientCreateRequest::decl(),
        ProviderClientLinkRequest::decl(),
        ProviderClientUpdateRequest::decl(),
        ProviderClientMembersRequest::decl(),
        ProviderEventsQuery::decl(),
        ReportFormatQuery::decl(),
    ];
    let mut out = String::from(
        "// Generated from the Rust types in crates/keyfleet-api by its `typescript` test.\n\
         // Do not edit: change the Rust types and run\n\
         // KEYFLEET_BLESS=1 cargo test -p keyfleet-api --test typescript\n\n\
         export type JsonValue = number | string | boolean | Array<JsonValue> | { [key in string]?: JsonValue } | null;\n",
    );
    for d in decls {
        out.push('\n');
        out.push_str("export ");
        out.push_str(&d);
        out.push('\n');
    }
    out.push_str(&catalog());
    out
}

/// The permission catalog as values, not only a type: `Permission::ALL` in order and each
/// entry's description, so the console lists and labels exactly what the server knows.
fn catalog() -> String {
    let quoted = |s: &str| serde_json::to_string(s).unwrap();
    let mut out = String::from(
        "\n/** Every permission, in catalog order (`Permission::ALL`). */\n\
         export const PERMISSIONS: readonly Permission[] = [\n",
    );
    for p in Permission::ALL {
        out.push_str(&format!("  {},\n", quoted(p.name())));
    }
    out.push_str(
        "];\n\n/** What each permission allows (`Permission::description`): help and labels. */\n\
         export const PERMISSION_DESCRIPTIONS: Readonly<Record<Permission, string>> = {\n",
    );
    for p in Permission::ALL {
        out.push_str(&format!("  {}: {},\n", p.name(), quoted(p.description())));
    }
    out.push_str("};\n");
    out
}

#[test]
fn the_console_types_are_generated_from_the_rust_types() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../console/src/api/generated.ts");
    let text = render();
    if std::env::var_os("KEYFLEET_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &text).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == text,
        "{} is stale: run KEYFLEET_BLESS=1 cargo test -p keyfleet-api --test typescript",
        path.display()
    );
}

/// The names of the types in `src/` that derive `TS` (or are declared by `numbered!`, which
/// derives it): each must be in the rendered file, so a new wire type cannot be left out of the
/// hand-kept list above.
fn ts_types_in_source() -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        let mut derives_ts = false;
        for line in text.lines().map(str::trim) {
            if line.starts_with("#[derive(") {
                derives_ts = line
                    .trim_start_matches("#[derive(")
                    .trim_end_matches(")]")
                    .split(',')
                    .any(|d| d.trim() == "TS");
                continue;
            }
            let item = line
                .strip_prefix("pub struct ")
                .or_else(|| line.strip_prefix("pub enum "));
            if let Some(rest) = item {
                if derives_ts {
                    let name: String = rest
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    names.push(name);
                }
                derives_ts = false;
            }
        }
    }
    names
}

#[test]
fn every_type_deriving_ts_is_generated() {
    let text = render();
    let names = ts_types_in_source();
    assert!(
        names.len() > 50,
        "found only {} TS types: the scan is broken",
        names.len()
    );
    let missing: Vec<&String> = names
        .iter()
        .filter(|n| {
            !text.contains(&format!("export type {n} "))
                && !text.contains(&format!("export type {n}<"))
                && !text.contains(&format!("export enum {n} "))
        })
        .collect();
    assert!(
        missing.is_empty(),
        "add these to render()'s list: {missing:?}"
    );
}
