//! A connection resumed from the saved session (`keyfleet account login`): the tokens are
//! refreshed when the access token expired, and the vault keys are unlocked only for commands
//! that need them, with the master password, never stored.

use crate::session_file::{self, SavedSession};
use crate::Failure;
use keyfleet_client::{AccountCalls, Bearer, Client, ClientError, Session};

/// The server connection and the saved session's tokens.
pub struct Remote {
    /// The connection.
    pub client: Client,
    /// Server, email and the current tokens.
    pub saved: SavedSession,
}

impl Remote {
    /// The saved session, refreshed if its access token expired (exit code 3 if there is none
    /// or it cannot be refreshed).
    pub async fn connect() -> Result<Remote, Failure> {
        let path = session_file::default_path();
        let mut saved = session_file::load(&path)
            .map_err(Failure::usage)?
            .ok_or_else(|| Failure::auth("not logged in: run `keyfleet account login` first"))?;
        let client = Client::new(&saved.server, saved.ca_cert.as_deref())?;
        let probe = client
            .with_token(&saved.access_token)
            .account_revision_date()
            .await;
        if token_expired(probe)? {
            let refresh = saved
                .refresh_token
                .clone()
                .ok_or_else(|| Failure::auth("the saved session has expired"))?;
            let r = client
                .refresh(&refresh)
                .await
                .map_err(|_| Failure::auth("the saved session has expired"))?;
            saved.access_token = r.access_token;
            saved.refresh_token = Some(r.refresh_token);
            session_file::save(&path, &saved).map_err(Failure::usage)?;
        }
        Ok(Remote { client, saved })
    }

    /// The master password hash for the server's re-check of sensitive actions.
    pub async fn verification(&self, password_stdin: bool) -> Result<String, Failure> {
        let password = crate::account::read_password(password_stdin, false)?;
        let (hash, _) = self
            .client
            .password_hash(&self.saved.email, &password)
            .await?;
        Ok(hash)
    }

    /// Unlocks the vault keys with the master password (asked here) for client-side crypto.
    pub async fn unlock(&self, password_stdin: bool) -> Result<Session, Failure> {
        let password = crate::account::read_password(password_stdin, false)?;
        self.unlock_with(&password).await
    }

    /// Unlocks the vault keys with a master password already read (for commands that also
    /// send its hash for the server's re-check, so it is asked once).
    pub async fn unlock_with(&self, password: &str) -> Result<Session, Failure> {
        self.client
            .resume(
                &self.saved.email,
                password,
                &self.saved.access_token,
                self.saved.refresh_token.as_deref(),
            )
            .await
            .map_err(|e| match e {
                // The wrapped user key failed its MAC check: nothing else points there.
                keyfleet_client::ClientError::Crypto(_) => {
                    Failure::auth("the master password is wrong")
                }
                other => other.into(),
            })
    }
}

/// The calls that need no vault key run on the saved tokens alone.
impl Bearer for Remote {
    fn bearer(&self) -> (&Client, &str) {
        (&self.client, &self.saved.access_token)
    }
}

/// Whether a probe with the access token says it expired (401); any other answer from the
/// server means it is good enough to go on with (the command's own call will report errors),
/// while not reaching the server at all is an error now.
pub fn token_expired(probe: Result<i64, ClientError>) -> Result<bool, Failure> {
    match probe {
        Ok(_) => Ok(false),
        Err(e @ (ClientError::Transport(_) | ClientError::Io(_))) => Err(e.into()),
        Err(e) => Ok(e.status() == Some(401)),
    }
}
