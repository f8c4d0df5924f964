//! The OpenAPI 3.1 document of the provider API (`/api/providers/…`), the operator API
//! (`/admin/…`) and the public API (`/api/public/…`), built with utoipa from the same
//! `keyfleet-api` types the handlers take and answer. `OPERATIONS` is the one list of documented
//! calls; a test compares it with the routes the router registers (`route_table!`), both ways.
//! Served unauthenticated at `GET /api/docs/openapi.json`; committed as `docs/openapi.json`.

use keyfleet_api::org_responses::{
    BulkMemberResponse, CollectionResponse, EventResponse, ProviderEventResponse,
    PublicMemberResponse,
};
use keyfleet_api::orgs::EventRangeQuery;
use keyfleet_api::provider_requests::*;
use keyfleet_api::provider_responses::*;
use keyfleet_api::ErrorModel;
use utoipa::openapi::path::{
    HttpMethod, Operation, OperationBuilder, Parameter, ParameterBuilder, ParameterIn, PathItem,
};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{
    ArrayBuilder, ComponentsBuilder, Content, InfoBuilder, ObjectBuilder, OpenApi, OpenApiBuilder,
    PathsBuilder, Ref, RefOr, Required, ResponseBuilder, Schema, Tag, Type,
};
use utoipa::{PartialSchema, ToSchema};

crate::routes::route_table! {
    get "/api/docs/openapi.json" => serve_document,
}

/// `GET /api/docs/openapi.json` (no authentication: it describes the API, not any data).
async fn serve_document() -> axum::response::Response {
    use axum::response::IntoResponse;
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        document_json(),
    )
        .into_response()
}

/// Who may call an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Auth {
    /// A user's bearer access token (`/identity/connect/token`).
    User,
    /// The operator's admin token (`Authorization: Bearer <admin token>`).
    Admin,
    /// An organization API key's access token (`client_credentials` with `organization.…`).
    OrgKey,
}

/// A schema and the named schemas it refers to.
type SchemaFn = fn(&mut Vec<(String, RefOr<Schema>)>) -> RefOr<Schema>;

/// What a successful call answers.
#[derive(Clone, Copy)]
enum Success {
    /// 200 with a JSON body.
    Json(SchemaFn),
    /// 200 with a JSON list, or CSV with `format=csv`.
    JsonOrCsv(SchemaFn),
    /// 200 with an empty body.
    Empty,
}

/// One documented call.
struct Op {
    method: &'static str,
    path: &'static str,
    summary: &'static str,
    auth: Auth,
    body: Option<SchemaFn>,
    query: Option<SchemaFn>,
    success: Success,
}

/// A `$ref` to `T`, registering `T` and what it refers to.
fn one<T: ToSchema>(reg: &mut Vec<(String, RefOr<Schema>)>) -> RefOr<Schema> {
    reg.push((T::name().into_owned(), T::schema()));
    T::schemas(reg);
    Ref::from_schema_name(T::name()).into()
}

/// Bitwarden's list envelope of `T`: `{object:"list", data:[T], continuationToken}`.
fn list<T: ToSchema>(reg: &mut Vec<(String, RefOr<Schema>)>) -> RefOr<Schema> {
    let item = one::<T>(reg);
    ObjectBuilder::new()
        .property(
            "object",
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some(["list"])),
        )
        .required("object")
        .property("data", ArrayBuilder::new().items(item))
        .required("data")
        .property("continuationToken", Option::<String>::schema())
        .required("continuationToken")
        .into()
}

/// A plain JSON array of `T`.
fn array<T: ToSchema>(reg: &mut Vec<(String, RefOr<Schema>)>) -> RefOr<Schema> {
    ArrayBuilder::new().items(one::<T>(reg)).into()
}

macro_rules! op {
    ($method:ident $path:literal, $auth:ident, $summary:literal, body: $body:expr, query: $query:expr, $success:expr) => {
        Op {
            method: stringify!($method),
            path: $path,
            summary: $summary,
            auth: Auth::$auth,
            body: $body,
            query: $query,
            success: $success,
        }
    };
}

use Success::{Empty, Json, JsonOrCsv};
const NO: Option<SchemaFn> = None;

/// Every documented call: the one list, checked against the router by the tests below.
const OPERATIONS: &[Op] = &[
    // ---------------------------------------------------------------- operator
    op!(get "/admin/providers", Admin, "List providers", body: NO, query: NO, Json(list::<AdminProviderResponse>)),
    op!(post "/admin/providers", Admin, "Create a provider and invite its owner", body: Some(one::<AdminProviderCreateRequest>), query: NO, Json(one::<AdminProviderCreatedResponse>)),
    op!(post "/admin/providers/{id}/disable", Admin, "Disable a provider", body: NO, query: NO, Json(one::<ProviderResponse>)),
    op!(post "/admin/providers/{id}/enable", Admin, "Enable a provider", body: NO, query: NO, Json(one::<ProviderResponse>)),
    // ---------------------------------------------------------------- public API
    op!(get "/api/public/members", OrgKey, "The organization's members", body: NO, query: NO, Json(list::<PublicMemberResponse>)),
    op!(get "/api/public/collections", OrgKey, "The organization's collections", body: NO, query: NO, Json(list::<CollectionResponse>)),
    op!(get "/api/public/events", OrgKey, "The organization's events, newest first", body: NO, query: Some(one::<EventRangeQuery>), Json(list::<EventResponse>)),
    // ---------------------------------------------------------------- the provider
    op!(get "/api/providers/{provider}", User, "The provider", body: NO, query: NO, Json(one::<ProviderResponse>)),
    op!(put "/api/providers/{provider}", User, "Change the provider's settings (owner, admin)", body: Some(one::<ProviderUpdateRequest>), query: NO, Json(one::<ProviderResponse>)),
    op!(post "/api/providers/{provider}", User, "Change the provider's settings (owner, admin; POST alias)", body: Some(one::<ProviderUpdateRequest>), query: NO, Json(one::<ProviderResponse>)),
    op!(post "/api/providers/{provider}/setup", User, "Set the provider up (the invited owner)", body: Some(one::<ProviderSetupRequest>), query: NO, Json(one::<ProviderResponse>)),
    // ---------------------------------------------------------------- members
    op!(get "/api/providers/{provider}/users", User, "List members", body: NO, query: NO, Json(list::<ProviderMemberResponse>)),
    op!(get "/api/providers/{provider}/users/names", User, "Members' names and addresses (for whoever sees clients or events)", body: NO, query: NO, Json(list::<ProviderMemberNameResponse>)),
    op!(delete "/api/providers/{provider}/users", User, "Delete members", body: Some(one::<ProviderUserBulkRequest>), query: NO, Json(list::<BulkMemberResponse>)),
    op!(post "/api/providers/{provider}/users/invite", User, "Invite members", body: Some(one::<ProviderUserInviteRequest>), query: NO, Json(list::<ProviderInviteResponse>)),
    op!(post "/api/providers/{provider}/users/reinvite", User, "Reinvite members", body: Some(one::<ProviderUserBulkRequest>), query: NO, Json(list::<BulkMemberResponse>)),
    op!(post "/api/providers/{provider}/users/public-keys", User, "Members' public keys", body: Some(one::<ProviderUserBulkRequest>), query: NO, Json(list::<ProviderUserPublicKeyResponse>)),
    op!(post "/api/providers/{provider}/users/confirm", User, "Confirm members", body: Some(one::<ProviderUserBulkConfirmRequest>), query: NO, Json(list::<BulkMemberResponse>)),
    op!(post "/api/providers/{provider}/users/delete", User, "Delete members (POST alias)", body: Some(one::<ProviderUserBulkRequest>), query: NO, Json(list::<BulkMemberResponse>)),
    op!(get "/api/providers/{provider}/users/{member}", User, "One member", body: NO, query: NO, Json(one::<ProviderMemberResponse>)),
    op!(put "/api/providers/{provider}/users/{member}", User, "Change a member's role", body: Some(one::<ProviderUserUpdateRequest>), query: NO, Json(one::<ProviderMemberResponse>)),
    op!(post "/api/providers/{provider}/users/{member}", User, "Change a member's role (POST alias)", body: Some(one::<ProviderUserUpdateRequest>), query: NO, Json(one::<ProviderMemberResponse>)),
    op!(delete "/api/providers/{provider}/users/{member}", User, "Delete a member", body: NO, query: NO, Empty),
    op!(post "/api/providers/{provider}/users/{member}/delete", User, "Delete a member (POST alias)", body: NO, query: NO, Empty),
    op!(post "/api/providers/{provider}/users/{member}/reinvite", User, "Reinvite a member", body: NO, query: NO, Json(one::<ProviderInviteResponse>)),
    op!(post "/api/providers/{provider}/users/{member}/accept", User, "Accept an invitation (the invitee)", body: Some(one::<ProviderUserAcceptRequest>), query: NO, Empty),
    op!(post "/api/providers/{provider}/users/{member}/confirm", User, "Confirm a member", body: Some(one::<ProviderUserConfirmRequest>), query: NO, Empty),
    op!(put "/api/providers/{provider}/users/{member}/clients", User, "Set the clients a member is assigned to", body: Some(one::<ProviderUserClientsRequest>), query: NO, Json(one::<ProviderMemberResponse>)),
    op!(post "/api/providers/{provider}/users/{member}/suspend", User, "Suspend a member", body: NO, query: NO, Json(one::<ProviderMemberResponse>)),
    op!(post "/api/providers/{provider}/users/{member}/restore", User, "Restore a suspended member", body: NO, query: NO, Json(one::<ProviderMemberResponse>)),
    op!(post "/api/providers/{provider}/users/{member}/transfer-ownership", User, "Transfer ownership to a member (the owner)", body: Some(one::<ProviderTransferOwnershipRequest>), query: NO, Empty),
    op!(get "/api/providers/{provider}/users/{member}/events", User, "A member's events (as `member=` on the provider's events)", body: NO, query: Some(one::<ProviderEventsQuery>), JsonOrCsv(list::<ProviderEventResponse>)),
    // ---------------------------------------------------------------- custom roles
    op!(get "/api/providers/{provider}/roles", User, "List custom roles", body: NO, query: NO, Json(list::<ProviderRoleResponse>)),
    op!(post "/api/providers/{provider}/roles", User, "Create a custom role", body: Some(one::<ProviderRoleRequest>), query: NO, Json(one::<ProviderRoleResponse>)),
    op!(put "/api/providers/{provider}/roles/{role}", User, "Change a custom role", body: Some(one::<ProviderRoleRequest>), query: NO, Json(one::<ProviderRoleResponse>)),
    op!(delete "/api/providers/{provider}/roles/{role}", User, "Delete a custom role no member holds", body: NO, query: NO, Empty),
    op!(post "/api/providers/{provider}/roles/{role}/clone", User, "Copy a custom role", body: Some(one::<ProviderRoleCloneRequest>), query: NO, Json(one::<ProviderRoleResponse>)),
    // ---------------------------------------------------------------- clients
    op!(get "/api/providers/{provider}/organizations", User, "List clients (Bitwarden's path)", body: NO, query: NO, Json(list::<ProviderClientResponse>)),
    op!(post "/api/providers/{provider}/organizations", User, "Create a client (alias)", body: Some(one::<ProviderClientCreateRequest>), query: NO, Json(one::<ProviderClientCreatedResponse>)),
    op!(post "/api/providers/{provider}/organizations/add", User, "Link an organization the caller owns (Bitwarden's path)", body: Some(one::<ProviderClientLinkRequest>), query: NO, Json(one::<ProviderClientResponse>)),
    op!(delete "/api/providers/{provider}/organizations/{client}", User, "Unlink a client (Bitwarden's path)", body: NO, query: NO, Empty),
    op!(post "/api/providers/{provider}/organizations/{client}/delete", User, "Unlink a client (POST alias)", body: NO, query: NO, Empty),
    op!(get "/api/providers/{provider}/clients", User, "List clients", body: NO, query: NO, Json(list::<ProviderClientResponse>)),
    op!(post "/api/providers/{provider}/clients", User, "Create a client organization", body: Some(one::<ProviderClientCreateRequest>), query: NO, Json(one::<ProviderClientCreatedResponse>)),
    op!(get "/api/providers/{provider}/clients/addable", User, "Organizations the caller owns that no provider manages", body: NO, query: NO, Json(array::<AddableOrganizationResponse>)),
    op!(post "/api/providers/{provider}/clients/existing", User, "Link an organization the caller owns", body: Some(one::<ProviderClientLinkRequest>), query: NO, Json(one::<ProviderClientResponse>)),
    op!(get "/api/providers/{provider}/clients/{client}", User, "One client", body: NO, query: NO, Json(one::<ProviderClientResponse>)),
    op!(put "/api/providers/{provider}/clients/{client}", User, "Change a client's details", body: Some(one::<ProviderClientUpdateRequest>), query: NO, Json(one::<ProviderClientResponse>)),
    op!(delete "/api/providers/{provider}/clients/{client}", User, "Unlink a client", body: NO, query: NO, Empty),
    op!(put "/api/providers/{provider}/clients/{client}/members", User, "Set the members assigned to a client", body: Some(one::<ProviderClientMembersRequest>), query: NO, Json(one::<ProviderClientResponse>)),
    op!(post "/api/providers/{provider}/clients/{client}/launch", User, "Launch into a client, with the caller's master password hash as the step-up", body: Some(one::<ProviderClientLaunchRequest>), query: NO, Json(one::<ProviderClientLaunchResponse>)),
    // ---------------------------------------------------------------- reports
    op!(get "/api/providers/{provider}/events", User, "The provider's events, newest first", body: NO, query: Some(one::<ProviderEventsQuery>), JsonOrCsv(list::<ProviderEventResponse>)),
    op!(get "/api/providers/{provider}/reports/usage", User, "Usage per client", body: NO, query: Some(one::<ReportFormatQuery>), JsonOrCsv(list::<ProviderClientUsageResponse>)),
];

/// The calls that re-check the caller's master password (throttled per account).
const PASSWORD_CHECKED: &[&str] = &[
    "/api/providers/{provider}/users/{member}/transfer-ownership",
    "/api/providers/{provider}/clients/existing",
    "/api/providers/{provider}/organizations/add",
];

fn path_param_description(name: &str) -> &'static str {
    match name {
        "provider" | "id" => "Provider id.",
        "member" => "Provider member id (`providerUserId`).",
        "client" => "Client link id (`providerOrganizationId`), not the organization id.",
        "role" => "Custom role id.",
        _ => "Id.",
    }
}

/// The query parameters of a query type: the properties of its schema (flattened parts
/// included), each optional.
fn query_parameters(schema: &RefOr<Schema>, reg: &[(String, RefOr<Schema>)]) -> Vec<Parameter> {
    let mut out = Vec::new();
    let mut stack = vec![serde_json::to_value(schema).unwrap_or_default()];
    while let Some(v) = stack.pop() {
        if let Some(name) = v
            .get("$ref")
            .and_then(|r| r.as_str())
            .and_then(|r| r.strip_prefix("#/components/schemas/"))
        {
            if let Some((_, s)) = reg.iter().find(|(n, _)| n == name) {
                stack.push(serde_json::to_value(s).unwrap_or_default());
            }
            continue;
        }
        if let Some(parts) = v.get("allOf").and_then(|a| a.as_array()) {
            stack.extend(parts.iter().rev().cloned());
        }
        if let Some(props) = v.get("properties").and_then(|p| p.as_object()) {
            for (name, prop) in props {
                let description = prop
                    .get("description")
                    .and_then(|d| d.as_str())
                    .map(str::to_owned);
                let mut prop = prop.clone();
                if let Some(o) = prop.as_object_mut() {
                    o.remove("description");
                }
                let schema: Option<RefOr<Schema>> = serde_json::from_value(prop).ok();
                out.push(
                    ParameterBuilder::new()
                        .name(name)
                        .parameter_in(ParameterIn::Query)
                        .required(Required::False)
                        .description(description)
                        .schema(schema)
                        .build(),
                );
            }
        }
    }
    out
}

fn error_response(description: &str) -> utoipa::openapi::Response {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            Content::new(Some(Ref::from_schema_name("ErrorModel"))),
        )
        .build()
}

fn operation(op: &Op, reg: &mut Vec<(String, RefOr<Schema>)>) -> Operation {
    let tag = match op.auth {
        Auth::Admin => "operator",
        Auth::OrgKey => "public",
        Auth::User => "provider",
    };
    let id = format!(
        "{}{}",
        op.method,
        op.path
            .split(['/', '-'])
            .filter(|s| !s.is_empty())
            .map(|s| {
                let s = s.trim_matches(['{', '}']);
                let mut c = s.chars();
                c.next()
                    .map(|f| f.to_uppercase().chain(c).collect::<String>())
                    .unwrap_or_default()
            })
            .collect::<String>()
    );
    let mut b = OperationBuilder::new()
        .tag(tag)
        .summary(Some(op.summary))
        .operation_id(Some(id))
        .security(SecurityRequirement::new(
            match op.auth {
                Auth::User => "userToken",
                Auth::Admin => "adminToken",
                Auth::OrgKey => "organizationApiKey",
            },
            Vec::<String>::new(),
        ));
    for segment in op.path.split('/') {
        if let Some(name) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            b = b.parameter(
                ParameterBuilder::new()
                    .name(name)
                    .parameter_in(ParameterIn::Path)
                    .required(Required::True)
                    .description(Some(path_param_description(name)))
                    .schema(Some(String::schema()))
                    .build(),
            );
        }
    }
    if let Some(query) = op.query {
        let schema = query(reg);
        for p in query_parameters(&schema, reg) {
            b = b.parameter(p);
        }
    }
    if let Some(body) = op.body {
        b = b.request_body(Some(
            RequestBodyBuilder::new()
                .required(Some(Required::True))
                .content("application/json", Content::new(Some(body(reg))))
                .build(),
        ));
    }
    let ok = match op.success {
        Json(schema) => ResponseBuilder::new()
            .description("Success.")
            .content("application/json", Content::new(Some(schema(reg)))),
        JsonOrCsv(schema) => ResponseBuilder::new()
            .description("Success: JSON, or with `format=csv` a CSV file (`text/csv; charset=utf-8`, as an attachment).")
            .content("application/json", Content::new(Some(schema(reg))))
            .content(
                "text/csv",
                Content::new(Some(ObjectBuilder::new().schema_type(Type::String))),
            ),
        Empty => ResponseBuilder::new().description("Success (empty body)."),
    };
    b = b.response("200", ok.build());
    let (e400, e401, e404) = match op.auth {
        Auth::User => (
            "Invalid input, or a refusal of something the caller may reach (the message says why), or two-step login is off for this provider member.",
            "No valid access token.",
            "The provider, member, client or role does not exist or is not within the caller's reach (including rights the caller lacks).",
        ),
        Auth::Admin => (
            "Invalid input.",
            "Missing or wrong admin token (`Invalid admin token.`).",
            "No admin token is configured (the operator API is off), or the provider does not exist.",
        ),
        Auth::OrgKey => (
            "Invalid input (e.g. a date that does not parse).",
            "No valid organization API key token.",
            "Not found.",
        ),
    };
    b = b
        .response("400", error_response(e400))
        .response("401", error_response(e401))
        .response("404", error_response(e404));
    if op.body.is_some() {
        b = b
            .response(
                "413",
                error_response("The body is larger than 2 MiB (`The request is too large.`)."),
            )
            .response(
                "415",
                error_response("The body is not sent as `application/json`."),
            );
    }
    if PASSWORD_CHECKED.contains(&op.path) {
        b = b.response(
            "429",
            error_response("Too many wrong master passwords for this account; `Retry-After` says when to try again."),
        );
    }
    if op.auth == Auth::Admin {
        b = b.response(
            "429",
            error_response("Too many wrong admin tokens from this address."),
        );
    }
    b.response(
        "503",
        error_response("The server is busy or the call took longer than its time limit; `Retry-After` says when to try again."),
    )
    .response("500", error_response("An unhandled server error has occurred."))
    .build()
}

fn method(m: &str) -> HttpMethod {
    match m {
        "get" => HttpMethod::Get,
        "post" => HttpMethod::Post,
        "put" => HttpMethod::Put,
        "delete" => HttpMethod::Delete,
        "patch" => HttpMethod::Patch,
        other => unreachable!("no such method in OPERATIONS: {other}"),
    }
}

fn bearer(format: &str, description: &str) -> SecurityScheme {
    let mut http = HttpBuilder::new()
        .scheme(HttpAuthScheme::Bearer)
        .bearer_format(format)
        .build();
    http.description = Some(description.into());
    SecurityScheme::Http(http)
}

/// The document.
pub fn document() -> OpenApi {
    let mut reg = Vec::new();
    one::<ErrorModel>(&mut reg);
    let mut paths = PathsBuilder::new();
    for op in OPERATIONS {
        let operation = operation(op, &mut reg);
        paths = paths.path(op.path, PathItem::new(method(op.method), operation));
    }
    reg.sort_by(|a, b| a.0.cmp(&b.0));
    reg.dedup_by(|a, b| a.0 == b.0);
    let components = ComponentsBuilder::new()
        .schemas_from_iter(reg)
        .security_scheme(
            "userToken",
            bearer("JWT", "A user's access token from `POST /identity/connect/token`."),
        )
        .security_scheme(
            "adminToken",
            bearer("opaque", "The operator's admin token (`serve --admin-token`, `KEYFLEET_ADMIN_TOKEN`)."),
        )
        .security_scheme(
            "organizationApiKey",
            bearer("JWT", "An access token from `POST /identity/connect/token` with `grant_type=client_credentials` and the organization's API key (`client_id=organization.<id>`)."),
        )
        .build();
    OpenApiBuilder::new()
        .info(
            InfoBuilder::new()
                .title("Keyfleet provider, operator and public API")
                .version(env!("CARGO_PKG_VERSION"))
                .description(Some(
                    "The provider (MSP) API, the operator API and the organization public API of \
                     Keyfleet. The rules and flows are in docs/provider-api.md. Every error answers \
                     Bitwarden's error envelope (`ErrorModel`): clients show `message`, or the \
                     first entry of `validationErrors` when present.",
                )),
        )
        .paths(paths)
        .components(Some(components))
        .tags(Some([
            tag("provider", "Provider members' calls (`Authorization: Bearer <access token>`)."),
            tag("operator", "The operator's calls (`Authorization: Bearer <admin token>`); 404 when no admin token is configured."),
            tag("public", "The organization public API (organization API key)."),
        ]))
        .build()
}

fn tag(name: &str, description: &str) -> Tag {
    let mut t = Tag::new(name);
    t.description = Some(description.into());
    t
}

/// The document as pretty JSON with a final newline (as committed in `docs/openapi.json`).
pub fn document_json() -> String {
    let mut s = document()
        .to_pretty_json()
        .unwrap_or_else(|_| String::from("{}"));
    s.push('\n');
    s
}

/// The `(method, path)` pairs the router serves on the documented surfaces.
pub fn routed_operations() -> Vec<(&'static str, &'static str)> {
    let mut v: Vec<_> = crate::routes::admin::ROUTES
        .iter()
        .chain(crate::routes::providers::ROUTES)
        .chain(crate::routes::public_api::ROUTES)
        .copied()
        .collect();
    v.sort();
    v
}

/// The `(method, path)` pairs the document describes.
pub fn documented_operations() -> Vec<(&'static str, &'static str)> {
    let mut v: Vec<_> = OPERATIONS.iter().map(|o| (o.method, o.path)).collect();
    v.sort();
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_provider_operator_and_public_route_is_documented_and_nothing_else() {
        let routed = routed_operations();
        let documented = documented_operations();
        let missing: Vec<_> = routed.iter().filter(|r| !documented.contains(r)).collect();
        let extra: Vec<_> = documented.iter().filter(|d| !routed.contains(d)).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "routes not in the OpenAPI document: {missing:?}; documented but not routed: {extra:?}"
        );
        let mut dedup = documented.clone();
        dedup.dedup();
        assert_eq!(
            dedup.len(),
            documented.len(),
            "an operation is documented twice"
        );
    }

    #[test]
    fn the_built_document_has_every_operation_and_each_reference_resolves() {
        let doc = serde_json::to_value(document()).unwrap();
        let paths = doc["paths"].as_object().unwrap();
        let mut ops = Vec::new();
        for (path, item) in paths {
            for m in ["get", "put", "post", "delete", "patch"] {
                if item.get(m).is_some() {
                    ops.push((m.to_string(), path.clone()));
                }
            }
        }
        ops.sort();
        let want: Vec<_> = documented_operations()
            .into_iter()
            .map(|(m, p)| (m.to_string(), p.to_string()))
            .collect();
        assert_eq!(ops, want);
        let schemas = doc["components"]["schemas"].as_object().unwrap();
        let text = doc.to_string();
        for r in text.split("\"$ref\":\"").skip(1) {
            let name = r.split('"').next().unwrap();
            let name = name.strip_prefix("#/components/schemas/").unwrap();
            assert!(schemas.contains_key(name), "unresolved $ref {name}");
        }
    }
}
