//! `keyfleet account register|login|status|logout`.

use crate::session_file::{self, SavedSession};
use crate::Failure;
use clap::{Args, Subcommand, ValueEnum};
use keyfleet_client::{AccountCalls, Client, ClientError, SecondFactor};
use keyfleet_crypto::Kdf;
use std::io::BufRead;
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum AccountCommand {
    /// Create an account (keys are generated here; the bw CLI cannot do this).
    Register(RegisterArgs),
    /// Log in and save the session (tokens only) for later commands.
    Login(LoginArgs),
    /// Show the saved session and whether it still works.
    Status(StatusArgs),
    /// Forget the saved session.
    Logout,
    /// Two-step login: authenticator app, codes by email, security keys and recovery code.
    #[command(name = "2fa", subcommand)]
    TwoFactor(crate::two_factor::TwoFactorCommand),
}

#[derive(Args)]
pub struct ServerArgs {
    /// Server URL, e.g. https://127.0.0.1:8443.
    #[arg(long)]
    server: String,
    /// Extra CA certificate (PEM) to trust, e.g. data/tls/ca.pem of a self-signed server.
    #[arg(long)]
    ca_cert: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum KdfChoice {
    Pbkdf2,
    Argon2id,
}

#[derive(Args)]
pub struct RegisterArgs {
    #[command(flatten)]
    server: ServerArgs,
    /// Email of the new account.
    #[arg(long)]
    email: String,
    /// Display name.
    #[arg(long)]
    name: Option<String>,
    /// Read the master password from the first line of standard input.
    #[arg(long)]
    password_stdin: bool,
    /// Key derivation function.
    #[arg(long, value_enum, default_value = "pbkdf2")]
    kdf: KdfChoice,
    /// The link from the verification mail (servers with a mail server send one first).
    #[arg(long)]
    link: Option<String>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// The token of a verification link (`…/finish-signup?token=…&email=…`), or the token itself.
fn registration_token(link: &str) -> String {
    let raw = link
        .split_once("token=")
        .map_or(link, |(_, rest)| rest.split('&').next().unwrap_or(rest));
    crate::org::members::percent_decode(raw.trim())
}

#[derive(Args)]
pub struct LoginArgs {
    #[command(flatten)]
    server: ServerArgs,
    /// Account email.
    #[arg(long)]
    email: String,
    /// Read the master password from the first line of standard input.
    #[arg(long)]
    password_stdin: bool,
    /// The two-step login code: the authenticator app's (default) or, with `--method email`, the
    /// mailed one.
    #[arg(long, conflicts_with = "recovery_code")]
    code: Option<String>,
    /// Which two-step login method `--code` is for. Without `--code`, `email` mails a code and
    /// asks for it (so does a login whose only method is email).
    #[arg(long, value_enum)]
    method: Option<CodeMethod>,
    /// A recovery code instead (this turns two-step login off).
    #[arg(long)]
    recovery_code: Option<String>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// Two-step login methods a code can be typed for.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CodeMethod {
    /// Authenticator app (TOTP).
    Authenticator,
    /// A code mailed by the server.
    Email,
}

impl CodeMethod {
    fn provider(self) -> i32 {
        match self {
            CodeMethod::Authenticator => 0,
            CodeMethod::Email => 1,
        }
    }
}

#[derive(Args)]
pub struct StatusArgs {
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

pub(crate) fn read_password(from_stdin: bool, confirm: bool) -> Result<String, Failure> {
    let password = if from_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(Failure::usage)?;
        line.trim_end_matches(['\r', '\n']).to_string()
    } else {
        let p = rpassword::prompt_password("Master password: ").map_err(Failure::usage)?;
        if confirm
            && rpassword::prompt_password("Repeat master password: ").map_err(Failure::usage)? != p
        {
            return Err(Failure::usage("the passwords do not match"));
        }
        p
    };
    if password.is_empty() {
        return Err(Failure::usage("the master password must not be empty"));
    }
    Ok(password)
}

fn client(server: &ServerArgs) -> Result<Client, Failure> {
    Client::new(&server.server, server.ca_cert.as_deref()).map_err(Failure::from)
}

/// Shortest master password accepted for a new account (as the official clients).
const MIN_MASTER_PASSWORD_CHARS: usize = 12;

/// A new master password must be at least 12 characters; a weak one (zxcvbn score below 3, as
/// the official clients rate it) is accepted with a warning — the vault's only protection is
/// this password.
fn check_new_master_password(password: &str, email: &str) -> Result<(), Failure> {
    if password.chars().count() < MIN_MASTER_PASSWORD_CHARS {
        return Err(Failure::usage(format!(
            "the master password must be at least {MIN_MASTER_PASSWORD_CHARS} characters long"
        )));
    }
    let user_inputs: Vec<&str> = email.split(['@', '.']).filter(|p| !p.is_empty()).collect();
    let estimate = zxcvbn::zxcvbn(password, &user_inputs);
    if u8::from(estimate.score()) < 3 {
        let advice = estimate
            .feedback()
            .and_then(|f| f.warning().map(|w| format!(" ({w})")))
            .unwrap_or_default();
        eprintln!(
            "Warning: this master password is weak{advice}. Anyone who guesses it reads the \
             whole vault; a long passphrase of unrelated words is stronger."
        );
    }
    Ok(())
}

fn print(json: bool, value: serde_json::Value, text: String) {
    if json {
        println!("{value}");
    } else {
        println!("{text}");
    }
}

pub async fn run(cmd: AccountCommand) -> Result<(), Failure> {
    match cmd {
        AccountCommand::Register(a) => {
            if a.password_stdin && a.email.is_empty() {
                return Err(Failure::usage("--email is required"));
            }
            let password = read_password(a.password_stdin, true)?;
            check_new_master_password(&password, &a.email)?;
            let kdf = match a.kdf {
                KdfChoice::Pbkdf2 => Kdf::default_pbkdf2(),
                KdfChoice::Argon2id => Kdf::default_argon2id(),
            };
            let c = client(&a.server)?;
            let registered = match &a.link {
                Some(link) => {
                    c.finish_registration(
                        &a.email,
                        &password,
                        a.name.as_deref(),
                        kdf,
                        &registration_token(link),
                    )
                    .await
                }
                None => {
                    c.register(&a.email, &password, a.name.as_deref(), kdf)
                        .await
                }
            };
            if let Err(keyfleet_client::ClientError::VerificationMailed) = registered {
                print(
                    a.json,
                    serde_json::json!({ "registered": false, "verificationMailed": true, "email": a.email }),
                    format!(
                        "A link to finish was mailed to {}. Run this again with --link '<the link>'.",
                        a.email
                    ),
                );
                return Ok(());
            }
            registered?;
            print(
                a.json,
                serde_json::json!({ "registered": true, "email": a.email, "server": a.server.server }),
                format!("Account {} created on {}.", a.email, a.server.server),
            );
            Ok(())
        }
        AccountCommand::Login(a) => {
            let password = read_password(a.password_stdin, false)?;
            let factor = match (&a.code, &a.recovery_code) {
                (Some(code), _) => Some(SecondFactor {
                    provider: a.method.unwrap_or(CodeMethod::Authenticator).provider(),
                    token: code.clone(),
                    remember: false,
                }),
                (None, Some(code)) => Some(SecondFactor {
                    provider: 8,
                    token: code.clone(),
                    remember: false,
                }),
                (None, None) => None,
            };
            let c = client(&a.server)?;
            let session = match c
                .login_password_with(&a.email, &password, factor.as_ref())
                .await
            {
                Err(keyfleet_client::ClientError::TwoFactorRequired { providers, params })
                    if providers.contains(&1)
                        && (a.method == Some(CodeMethod::Email) || !providers.contains(&0)) =>
                {
                    c.send_email_login_code(&a.email, &password).await?;
                    let to = params["1"]["Email"].as_str().unwrap_or("your address");
                    let code = crate::two_factor::read_line_after(&format!(
                        "Code from the mail sent to {to}: "
                    ))?;
                    let factor = SecondFactor {
                        provider: 1,
                        token: code,
                        remember: false,
                    };
                    c.login_password_with(&a.email, &password, Some(&factor))
                        .await?
                }
                Err(keyfleet_client::ClientError::TwoFactorRequired { providers, .. })
                    if !providers.contains(&0) =>
                {
                    // WebAuthn needs a browser talking to the key; the CLI cannot do it.
                    return Err(Failure::auth(
                        "two-step login needs a security key (WebAuthn), which the CLI cannot use: \
                         log in from a browser, or use --recovery-code",
                    ));
                }
                Err(keyfleet_client::ClientError::TwoFactorRequired { providers, .. }) => {
                    return Err(Failure::auth(if providers.contains(&1) {
                        "two-step login is on: add --code with your authenticator's code, or \
                         --method email to get a code by mail"
                    } else {
                        "two-step login is on: add --code with your authenticator's code"
                    }))
                }
                other => other?,
            };
            let saved = SavedSession {
                server: a.server.server.clone(),
                ca_cert: a.server.ca_cert.clone(),
                email: session.email.clone(),
                user_id: session.user_id.clone(),
                access_token: session.access_token.clone(),
                refresh_token: session.refresh_token.clone(),
            };
            let path = session_file::default_path();
            session_file::save(&path, &saved).map_err(Failure::usage)?;
            print(
                a.json,
                serde_json::json!({ "loggedIn": true, "email": saved.email, "userId": saved.user_id, "server": saved.server }),
                format!("Logged in as {} ({}).", saved.email, saved.user_id),
            );
            Ok(())
        }
        AccountCommand::Status(a) => {
            let path = session_file::default_path();
            let Some(mut saved) = session_file::load(&path).map_err(Failure::usage)? else {
                print(
                    a.json,
                    serde_json::json!({ "loggedIn": false }),
                    "Not logged in.".into(),
                );
                return Err(Failure::auth("not logged in"));
            };
            let c = Client::new(&saved.server, saved.ca_cert.as_deref())?;
            let mut ok = match c
                .with_token(&saved.access_token)
                .account_revision_date()
                .await
            {
                // A 2xx answer, whatever its body, means the token is good.
                Ok(_) | Err(ClientError::Decode(_)) => true,
                Err(e @ (ClientError::Transport(_) | ClientError::Io(_))) => return Err(e.into()),
                Err(_) => false,
            };
            if !ok {
                if let Some(refresh) = saved.refresh_token.clone() {
                    if let Ok(r) = c.refresh(&refresh).await {
                        saved.access_token = r.access_token;
                        saved.refresh_token = Some(r.refresh_token);
                        session_file::save(&path, &saved).map_err(Failure::usage)?;
                        ok = true;
                    }
                }
            }
            print(
                a.json,
                serde_json::json!({ "loggedIn": ok, "email": saved.email, "userId": saved.user_id, "server": saved.server }),
                format!(
                    "Server: {}\nEmail: {}\nUser id: {}\nSession: {}",
                    saved.server,
                    saved.email,
                    saved.user_id,
                    if ok {
                        "valid"
                    } else {
                        "expired (log in again)"
                    }
                ),
            );
            if ok {
                Ok(())
            } else {
                Err(Failure::auth("the saved session has expired"))
            }
        }
        AccountCommand::TwoFactor(cmd) => crate::two_factor::run(cmd).await,
        AccountCommand::Logout => {
            let path = session_file::default_path();
            match std::fs::remove_file(&path) {
                Ok(()) => println!("Logged out."),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => println!("Not logged in."),
                Err(e) => return Err(Failure::usage(e)),
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn new_master_passwords_need_twelve_characters() {
        assert!(super::check_new_master_password("short", "a@example.com").is_err());
        assert!(super::check_new_master_password("elevenchars", "a@example.com").is_err());
        assert!(super::check_new_master_password("twelve chars", "a@example.com").is_ok());
    }
}
