//! Shared helpers for the end-to-end tests.

use keyfleet_client::{Client, Session};
use keyfleet_crypto::Kdf;
use keyfleet_testkit::TestServer;

pub const PASSWORD: &str = "correct horse battery staple";

/// A client trusting the test server's CA.
pub fn client(server: &TestServer) -> Client {
    Client::new(&server.base_url, Some(&server.ca_pem)).unwrap()
}

/// Registers `email` with the default KDF (the same one bw and the apps use) and logs in.
pub async fn user(server: &TestServer, email: &str) -> Session {
    let c = client(server);
    c.register(email, PASSWORD, Some("Test User"), Kdf::default_pbkdf2())
        .await
        .unwrap();
    c.login_password(email, PASSWORD).await.unwrap()
}
