//! Shared helpers for the end-to-end tests.

use keyfleet_client::{Access, Client, Session};
use keyfleet_crypto::{Kdf, SymmetricKey};
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

/// `owner` invites `member` to `org` as `member_type` with `grants`; `member` accepts and
/// `owner` confirms them with the org `key`. Answers the membership's id.
pub async fn join_org(
    owner: &Session,
    org: &str,
    key: &SymmetricKey,
    member: &Session,
    member_type: i32,
    grants: &[(String, Access)],
) -> String {
    let invited = owner
        .invite_members(org, &[member.email.as_str()], member_type, grants)
        .await
        .unwrap();
    let id = invited[0].id.clone();
    member
        .accept_invite(org, &id, invited[0].token.as_deref().unwrap())
        .await
        .unwrap();
    owner.confirm_member(org, &id, key).await.unwrap();
    id
}

/// Percent-decodes a URL query value.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match (bytes[i], s.get(i + 1..i + 3)) {
            (b'%', Some(hex)) if u8::from_str_radix(hex, 16).is_ok() => {
                out.push(u8::from_str_radix(hex, 16).unwrap());
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap()
}

/// The registration token of the newest verification mail `sink` got for `email`.
pub fn mailed_registration_token(sink: &keyfleet_testkit::SmtpSink, email: &str) -> String {
    let mail = sink.received();
    let text = mail
        .iter()
        .rev()
        .find(|m| m.to == [email] && m.decoded().contains("finish-signup?token="))
        .map(keyfleet_testkit::ReceivedMail::decoded)
        .unwrap_or_else(|| panic!("no verification mail to {email}"));
    let raw = text
        .split("finish-signup?token=")
        .nth(1)
        .and_then(|rest| rest.split('&').next())
        .unwrap();
    percent_decode(raw)
}

/// Registers `email` on a server that verifies addresses (SMTP configured): the link goes to
/// `sink`, the account is finished with its token; then logs in.
pub async fn user_via_mail(
    server: &TestServer,
    sink: &keyfleet_testkit::SmtpSink,
    email: &str,
) -> Session {
    user_via_mail_with_kdf(server, sink, email, Kdf::default_pbkdf2()).await
}

/// [`user_via_mail`] with a chosen KDF (a fast one where the browser signs in many times).
pub async fn user_via_mail_with_kdf(
    server: &TestServer,
    sink: &keyfleet_testkit::SmtpSink,
    email: &str,
    kdf: Kdf,
) -> Session {
    let c = client(server);
    let started = c
        .start_registration(email, Some("Test User"))
        .await
        .unwrap();
    assert!(
        started.is_none(),
        "the server mailed the link, not the token"
    );
    let token = mailed_registration_token(sink, email);
    c.finish_registration(email, PASSWORD, Some("Test User"), kdf, &token)
        .await
        .unwrap();
    c.login_password(email, PASSWORD).await.unwrap()
}

/// The source text of every route module of the server, those in sub-folders (e.g.
/// `routes/sends/`) included: what the route-coverage tests read `.route(…)` calls from.
pub fn route_sources() -> Vec<String> {
    let mut texts = vec![];
    let mut dirs =
        vec![keyfleet_testkit::workspace_root().join("crates/keyfleet-server/src/routes")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                texts.push(std::fs::read_to_string(path).unwrap());
            }
        }
    }
    texts
}
