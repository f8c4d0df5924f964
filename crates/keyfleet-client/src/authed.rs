//! Calls made with an access token: the [`Bearer`] trait and the one place a typed request
//! becomes an HTTP call. Anything holding a connection and a token (a [`Session`], the CLI's
//! saved session) gets every typed call of [`crate::OrgCalls`], [`crate::ProviderCalls`] and
//! [`crate::AccountCalls`] by implementing [`Bearer`].

use crate::{Client, ClientError, RawBody, Session};
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// A connection plus the access token its calls send.
pub trait Bearer {
    /// The connection and the access token to send.
    fn bearer(&self) -> (&Client, &str);
}

impl Bearer for Session {
    fn bearer(&self) -> (&Client, &str) {
        (self.client(), &self.access_token)
    }
}

/// Sends `body` (JSON) with the bearer's token and decodes the answer.
pub(crate) async fn send<T: DeserializeOwned>(
    who: &(impl Bearer + ?Sized),
    method: Method,
    path: &str,
    body: Option<&(impl Serialize + ?Sized)>,
) -> Result<T, ClientError> {
    let (client, token) = who.bearer();
    let body = match body {
        Some(b) => RawBody::typed(b)?,
        None => RawBody::Empty,
    };
    client.call(method, path, Some(token), body).await
}

/// No body.
pub(crate) const NO_BODY: Option<&()> = None;

/// A GET whose answer is text (CSV exports).
pub(crate) async fn send_text(
    who: &(impl Bearer + ?Sized),
    path: &str,
) -> Result<String, ClientError> {
    let (client, token) = who.bearer();
    client.call_text(Method::GET, path, Some(token)).await
}
