//! The Bitwarden error envelope. Clients print `message`, or the first string of the first
//! `validationErrors` entry when present (`getSingleMessage` in the clients).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// `{"message":…,"validationErrors":…,"object":"error"}` as the official server sends it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ErrorModel {
    /// Human-readable message shown by clients.
    #[serde(alias = "Message")]
    pub message: String,
    /// Field name → messages, for model-validation failures.
    #[serde(alias = "ValidationErrors", default)]
    pub validation_errors: Option<BTreeMap<String, Vec<String>>>,
    /// Always null; kept because the official server sends it.
    #[serde(default)]
    pub exception_message: Option<String>,
    /// Always null; kept because the official server sends it.
    #[serde(default)]
    pub exception_stack_trace: Option<String>,
    /// Always null; kept because the official server sends it.
    #[serde(default)]
    pub inner_exception_message: Option<String>,
    /// Always `"error"`.
    #[serde(alias = "Object", default = "error_object")]
    pub object: String,
}

fn error_object() -> String {
    "error".into()
}

impl ErrorModel {
    /// A plain error message.
    pub fn new(message: impl Into<String>) -> Self {
        ErrorModel {
            message: message.into(),
            validation_errors: None,
            exception_message: None,
            exception_stack_trace: None,
            inner_exception_message: None,
            object: error_object(),
        }
    }

    /// A validation failure on one field; clients print `message_for_field`.
    pub fn validation(field: &str, message_for_field: impl Into<String>) -> Self {
        let mut errors = BTreeMap::new();
        errors.insert(field.to_string(), vec![message_for_field.into()]);
        ErrorModel {
            validation_errors: Some(errors),
            ..ErrorModel::new("The model state is invalid.")
        }
    }

    /// What a client would show: the first validation message, else `message`.
    pub fn single_message(&self) -> &str {
        self.validation_errors
            .as_ref()
            .and_then(|m| m.values().next())
            .and_then(|v| v.first())
            .map(String::as_str)
            .unwrap_or(&self.message)
    }
}

/// The identity service's error shape: OAuth `error` plus PascalCase `ErrorModel`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IdentityErrorResponse {
    /// OAuth error code, e.g. `invalid_grant`.
    pub error: String,
    /// OAuth error description.
    #[serde(default)]
    pub error_description: Option<String>,
    /// Bitwarden's message for the user.
    #[serde(rename = "ErrorModel", default)]
    pub error_model: Option<IdentityErrorModel>,
    /// Present when a second factor is required: provider type → parameters.
    #[serde(
        rename = "TwoFactorProviders2",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub two_factor_providers2: Option<serde_json::Map<String, serde_json::Value>>,
    /// Legacy list form of the providers (strings of the type numbers).
    #[serde(
        rename = "TwoFactorProviders",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub two_factor_providers: Option<Vec<String>>,
}

/// `{"Message":…,"Object":"error"}` inside identity errors (exact PascalCase: the CLI tests it).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IdentityErrorModel {
    /// Message shown by clients.
    #[serde(rename = "Message")]
    pub message: String,
    /// Always `"error"`.
    #[serde(rename = "Object")]
    pub object: String,
}

impl IdentityErrorResponse {
    /// An OAuth error with a Bitwarden message.
    pub fn new(error: &str, description: &str, message: &str) -> Self {
        IdentityErrorResponse {
            error: error.into(),
            error_description: Some(description.into()),
            error_model: Some(IdentityErrorModel {
                message: message.into(),
                object: "error".into(),
            }),
            two_factor_providers2: None,
            two_factor_providers: None,
        }
    }
}
