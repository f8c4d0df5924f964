//! The console's TypeScript types are generated from these Rust types: this test renders them
//! and compares with the committed `console/src/api/generated.ts`, so a wire change without a
//! regenerated file fails CI. `KEYFLEET_BLESS=1 cargo test -p keyfleet-api --test typescript`
//! rewrites it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use keyfleet_api::kinds::*;
use keyfleet_api::org_responses::*;
use keyfleet_api::orgs::*;
use keyfleet_api::provider_requests::*;
use keyfleet_api::provider_responses::*;
use keyfleet_api::two_factor::*;
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
        TwoFactorProviderType::decl(),
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
        // requests
        OrganizationKeysRequest::decl(),
        OrganizationCreateRequest::decl(),
        OrganizationUpdateRequest::decl(),
        OrganizationSeatRequest::decl(),
        SelectionReadOnly::decl(),
        OrganizationUserInviteRequest::decl(),
        OrganizationUserUpdateRequest::decl(),
        OrganizationUserAcceptRequest::decl(),
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
        ProviderUserClientsRequest::decl(),
        ProviderTransferOwnershipRequest::decl(),
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
