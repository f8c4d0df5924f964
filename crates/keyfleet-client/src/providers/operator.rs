//! The operator's provider calls (`/admin/providers`).

use crate::{Client, ClientError, RawBody};
use keyfleet_api::provider_requests::AdminProviderCreateRequest;
use keyfleet_api::provider_responses::{
    AdminProviderCreatedResponse, AdminProviderResponse, ProviderResponse,
};
use keyfleet_api::ListResponse;
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// The operator's calls, authorised by the admin token (`serve --admin-token`), not by a user.
impl Client {
    async fn admin_call<T: DeserializeOwned>(
        &self,
        admin_token: &str,
        method: Method,
        path: &str,
        body: Option<&impl Serialize>,
    ) -> Result<T, ClientError> {
        let body = match body {
            Some(b) => RawBody::Json(
                serde_json::to_value(b).map_err(|e| ClientError::Decode(e.to_string()))?,
            ),
            None => RawBody::Empty,
        };
        self.call(method, path, Some(admin_token), body).await
    }

    /// `POST /admin/providers`: a pending provider and its owner's setup invitation
    /// (`setupUrl`, `token`, `mailed`).
    pub async fn admin_create_provider(
        &self,
        admin_token: &str,
        name: &str,
        owner_email: &str,
        business_name: Option<&str>,
        billing_email: Option<&str>,
    ) -> Result<AdminProviderCreatedResponse, ClientError> {
        let body = AdminProviderCreateRequest {
            name: name.into(),
            owner_email: owner_email.into(),
            business_name: business_name.map(Into::into),
            billing_email: billing_email.map(Into::into),
        };
        self.admin_call(admin_token, Method::POST, "/admin/providers", Some(&body))
            .await
    }

    /// `GET /admin/providers`.
    pub async fn admin_providers(
        &self,
        admin_token: &str,
    ) -> Result<Vec<AdminProviderResponse>, ClientError> {
        let l: ListResponse<_> = self
            .admin_call(admin_token, Method::GET, "/admin/providers", None::<&()>)
            .await?;
        Ok(l.data)
    }

    /// `POST /admin/providers/{id}/disable`: no member reaches the provider or its clients
    /// through it until it is enabled again.
    pub async fn admin_disable_provider(
        &self,
        admin_token: &str,
        provider_id: &str,
    ) -> Result<ProviderResponse, ClientError> {
        let path = format!("/admin/providers/{provider_id}/disable");
        self.admin_call(admin_token, Method::POST, &path, None::<&()>)
            .await
    }

    /// `POST /admin/providers/{id}/enable`.
    pub async fn admin_enable_provider(
        &self,
        admin_token: &str,
        provider_id: &str,
    ) -> Result<ProviderResponse, ClientError> {
        let path = format!("/admin/providers/{provider_id}/enable");
        self.admin_call(admin_token, Method::POST, &path, None::<&()>)
            .await
    }
}
