//! `keyfleet account 2fa status|setup-totp|enable-totp|enable-email|disable-email|recovery-code|
//! disable|keys|remove-key`,
//! using the saved session's tokens plus the master password for the server's re-check.
//! WebAuthn keys are registered from a browser (the web vault); here they can be listed and
//! removed.

use crate::remote::Remote;
use crate::Failure;
use clap::{Args, Subcommand};
use keyfleet_api::two_factor::TwoFactorWebAuthnResponse;
use keyfleet_client::AccountCalls;
use serde_json::{json, Value};
use std::io::BufRead;

#[derive(Subcommand)]
pub enum TwoFactorCommand {
    /// Show which two-step login methods are on.
    Status(JsonFlag),
    /// Propose an authenticator key (shows it and an otpauth:// URI for a QR code).
    SetupTotp(PasswordArgs),
    /// Turn the authenticator on. Without --key/--code: shows a key, then asks for a code.
    EnableTotp(EnableArgs),
    /// Turn on codes by email (needs SMTP on the server): mails a code, then asks for it.
    EnableEmail(EnableEmailArgs),
    /// Turn codes by email off.
    DisableEmail(PasswordArgs),
    /// Make a new recovery code (shown once; the previous one stops working).
    RecoveryCode(PasswordArgs),
    /// Turn the authenticator off.
    Disable(PasswordArgs),
    /// List the WebAuthn security keys / passkeys registered for two-step login.
    Keys(PasswordArgs),
    /// Remove a WebAuthn key by slot (removing the last one turns WebAuthn off).
    RemoveKey(RemoveKeyArgs),
}

#[derive(Args)]
pub struct RemoveKeyArgs {
    #[command(flatten)]
    password: PasswordArgs,
    /// The key's slot (1–5), as `keys` lists it.
    #[arg(long)]
    slot: i32,
}

#[derive(Args)]
pub struct JsonFlag {
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct PasswordArgs {
    /// Read the master password from the first line of standard input.
    #[arg(long)]
    password_stdin: bool,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct EnableArgs {
    #[command(flatten)]
    password: PasswordArgs,
    /// A key from `setup-totp`.
    #[arg(long, requires = "code")]
    key: Option<String>,
    /// The authenticator's current 6-digit code for that key.
    #[arg(long, requires = "key")]
    code: Option<String>,
}

#[derive(Args)]
pub struct EnableEmailArgs {
    #[command(flatten)]
    password: PasswordArgs,
    /// Where codes go (default: the account's email).
    #[arg(long)]
    email: Option<String>,
    /// The code from a mail already received (skips sending a new one).
    #[arg(long)]
    code: Option<String>,
}

/// The master password hash for the server's re-check.
async fn verification(remote: &Remote, args: &PasswordArgs) -> Result<String, Failure> {
    remote.verification(args.password_stdin).await
}

fn read_code() -> Result<String, Failure> {
    read_line_after("Code from your authenticator app: ")
}

/// Prompts on stderr and reads one line from standard input (after a `--password-stdin` line).
pub(crate) fn read_line_after(prompt: &str) -> Result<String, Failure> {
    eprint!("{prompt}");
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(Failure::usage)?;
    Ok(line.trim().to_string())
}

fn otpauth_uri(email: &str, key: &str) -> String {
    let label: String = email
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "@.-_".contains(c) {
                c.to_string()
            } else {
                format!("%{:02X}", c as u32)
            }
        })
        .collect();
    format!("otpauth://totp/Keyfleet:{label}?secret={key}&issuer=Keyfleet")
}

/// The WebAuthn answer without its one-time verification token.
fn webauthn_json(v: &TwoFactorWebAuthnResponse) -> Value {
    json!({ "enabled": v.enabled, "keys": v.keys })
}

fn webauthn_text(v: &TwoFactorWebAuthnResponse) -> String {
    let mut text = format!(
        "Security keys (WebAuthn): {}",
        if v.enabled { "on" } else { "off" }
    );
    for k in &v.keys {
        text.push_str(&format!("\n  slot {}: {}", k.id, k.name));
    }
    text
}

fn print(json: bool, value: Value, text: String) {
    if json {
        println!("{value}");
    } else {
        println!("{text}");
    }
}

pub async fn run(cmd: TwoFactorCommand) -> Result<(), Failure> {
    let remote = Remote::connect().await?;
    let email = remote.saved.email.clone();
    match cmd {
        TwoFactorCommand::Status(a) => {
            let providers = remote.two_factor_providers().await?;
            let enabled = |provider: i32| {
                providers
                    .iter()
                    .any(|p| i32::from(p.provider) == provider && p.enabled)
            };
            let (totp, email, webauthn) = (enabled(0), enabled(1), enabled(7));
            let word = |on: bool| if on { "on" } else { "off" };
            print(
                a.json,
                json!({ "authenticator": totp, "email": email, "webauthn": webauthn }),
                format!(
                    "Authenticator app: {}\nCodes by email: {}\nSecurity keys (WebAuthn): {}{}",
                    word(totp),
                    word(email),
                    word(webauthn),
                    if webauthn {
                        " (list them with `keyfleet account 2fa keys`)"
                    } else {
                        ""
                    }
                ),
            );
        }
        TwoFactorCommand::SetupTotp(a) => {
            let hash = verification(&remote, &a).await?;
            let v = remote.get_authenticator(&hash).await?;
            let uri = otpauth_uri(&email, &v.key);
            print(
                a.json,
                json!({ "enabled": v.enabled, "key": v.key, "uri": uri }),
                format!("Key: {}\nURI: {uri}", v.key),
            );
        }
        TwoFactorCommand::EnableTotp(a) => {
            let hash = verification(&remote, &a.password).await?;
            let (key, code) = match (a.key, a.code) {
                (Some(key), Some(code)) => (key, code),
                _ => {
                    let key = remote.get_authenticator(&hash).await?.key;
                    eprintln!(
                        "Add this key to your authenticator app: {key}\n{}",
                        otpauth_uri(&email, &key)
                    );
                    (key, read_code()?)
                }
            };
            remote.put_authenticator(&hash, &key, &code).await?;
            let recovery = remote.get_recovery_code(&hash).await?.code;
            print(
                a.password.json,
                json!({ "enabled": true, "recoveryCode": recovery }),
                format!("Two-step login is on.\nRecovery code (store it safely; it is shown only now): {recovery}"),
            );
        }
        TwoFactorCommand::EnableEmail(a) => {
            let hash = verification(&remote, &a.password).await?;
            let email = a.email.unwrap_or(email);
            let code = match a.code {
                Some(code) => code,
                None => {
                    remote.send_two_factor_email(&hash, &email).await?;
                    read_line_after(&format!("Code from the mail sent to {email}: "))?
                }
            };
            remote.put_two_factor_email(&hash, &email, &code).await?;
            print(
                a.password.json,
                json!({ "enabled": true, "email": email }),
                format!("Two-step login by email is on: codes go to {email}."),
            );
        }
        TwoFactorCommand::DisableEmail(a) => {
            let hash = verification(&remote, &a).await?;
            remote.delete_two_factor_email(&hash).await?;
            print(
                a.json,
                json!({ "email": false }),
                "Two-step login by email is off.".into(),
            );
        }
        TwoFactorCommand::RecoveryCode(a) => {
            let hash = verification(&remote, &a).await?;
            let code = remote.get_recovery_code(&hash).await?.code;
            print(
                a.json,
                json!({ "recoveryCode": code }),
                format!("Recovery code (shown only now): {code}"),
            );
        }
        TwoFactorCommand::Disable(a) => {
            let hash = verification(&remote, &a).await?;
            remote.disable_two_factor(&hash, 0).await?;
            print(
                a.json,
                json!({ "enabled": false }),
                "Two-step login is off.".into(),
            );
        }
        TwoFactorCommand::Keys(a) => {
            let hash = verification(&remote, &a).await?;
            let v = remote.get_webauthn(&hash).await?;
            print(a.json, webauthn_json(&v), webauthn_text(&v));
        }
        TwoFactorCommand::RemoveKey(a) => {
            let hash = verification(&remote, &a.password).await?;
            let v = remote.delete_webauthn(&hash, a.slot).await?;
            print(a.password.json, webauthn_json(&v), webauthn_text(&v));
        }
    }
    Ok(())
}
