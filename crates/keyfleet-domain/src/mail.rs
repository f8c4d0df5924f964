//! Outgoing mail, as the domain needs it: one plain-text message to one address. The server
//! implements it over SMTP when an operator configures one; without it, use cases that would mail
//! a link hand the link back to the acting admin instead.

/// Sends mail.
#[async_trait::async_trait]
pub trait Mailer: Send + Sync {
    /// Sends `body` to `to`; the error text is for the log (it names no secret).
    async fn send(&self, to: &str, subject: &str, body: &str) -> Result<(), String>;
}
