//! The operator's provider calls (`/admin/providers`).

use super::list_data;
use crate::{Client, ClientError, RawBody};
use reqwest::Method;
use serde_json::{json, Value};

/// The operator's calls, authorised by the admin token (`serve --admin-token`), not by a user.
impl Client {
    async fn admin_call(
        &self,
        admin_token: &str,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value, ClientError> {
        let body = body.map(RawBody::Json).unwrap_or(RawBody::Empty);
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
    ) -> Result<Value, ClientError> {
        let body = json!({
            "name": name,
            "ownerEmail": owner_email,
            "businessName": business_name,
            "billingEmail": billing_email,
        });
        self.admin_call(admin_token, Method::POST, "/admin/providers", Some(body))
            .await
    }

    /// `GET /admin/providers`.
    pub async fn admin_providers(&self, admin_token: &str) -> Result<Vec<Value>, ClientError> {
        let v = self
            .admin_call(admin_token, Method::GET, "/admin/providers", None)
            .await?;
        Ok(list_data(v))
    }

    /// `POST /admin/providers/{id}/disable`: no member reaches the provider or its clients
    /// through it until it is enabled again.
    pub async fn admin_disable_provider(
        &self,
        admin_token: &str,
        provider_id: &str,
    ) -> Result<Value, ClientError> {
        let path = format!("/admin/providers/{provider_id}/disable");
        self.admin_call(admin_token, Method::POST, &path, None)
            .await
    }

    /// `POST /admin/providers/{id}/enable`.
    pub async fn admin_enable_provider(
        &self,
        admin_token: &str,
        provider_id: &str,
    ) -> Result<Value, ClientError> {
        let path = format!("/admin/providers/{provider_id}/enable");
        self.admin_call(admin_token, Method::POST, &path, None)
            .await
    }
}
