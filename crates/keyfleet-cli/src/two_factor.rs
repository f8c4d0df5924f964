//! `keyfleet account 2fa status|setup-totp|enable-totp|enable-email|disable-email|recovery-code|
//! disable|keys|remove-key`,
//! using the saved session's tokens plus the master password for the server's re-check.
//! WebAuthn keys are registered from a browser (the web vault); here they can be listed and
//! removed.

use crate::session_file::SavedSession;
use crate::Failure;
use clap::{Args, Subcommand};
use keyfleet_client::{Client, Method, RawBody};
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

/// The saved session, refreshed if its access token expired.
async fn session() -> Result<(Client, SavedSession), Failure> {
    let remote = crate::remote::Remote::connect().await?;
    Ok((remote.client, remote.saved))
}

async fn call(
    client: &Client,
    saved: &SavedSession,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> Result<Value, Failure> {
    let body = body.map(RawBody::Json).unwrap_or(RawBody::Empty);
    let r = client
        .raw(method, path, Some(&saved.access_token), body)
        .await?;
    if !(200..300).contains(&r.status) {
        return Err(keyfleet_client::api_error(r.status, &r.body).into());
    }
    Ok(r.json())
}

async fn verification(
    client: &Client,
    saved: &SavedSession,
    args: &PasswordArgs,
) -> Result<Value, Failure> {
    let password = crate::account::read_password(args.password_stdin, false)?;
    let (hash, _) = client.password_hash(&saved.email, &password).await?;
    Ok(json!({ "masterPasswordHash": hash }))
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
fn webauthn_json(v: &Value) -> Value {
    json!({ "enabled": v["enabled"], "keys": v["keys"] })
}

fn webauthn_text(v: &Value) -> String {
    let keys = v["keys"].as_array().cloned().unwrap_or_default();
    let mut text = format!(
        "Security keys (WebAuthn): {}",
        if v["enabled"] == true { "on" } else { "off" }
    );
    for k in keys {
        text.push_str(&format!(
            "\n  slot {}: {}",
            k["id"],
            k["name"].as_str().unwrap_or_default()
        ));
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
    let (client, saved) = session().await?;
    match cmd {
        TwoFactorCommand::Status(a) => {
            let v = call(&client, &saved, Method::GET, "/api/two-factor", None).await?;
            let enabled = |provider: i64| {
                v["data"].as_array().is_some_and(|d| {
                    d.iter()
                        .any(|p| p["type"] == provider && p["enabled"] == true)
                })
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
            let body = verification(&client, &saved, &a).await?;
            let v = call(
                &client,
                &saved,
                Method::POST,
                "/api/two-factor/get-authenticator",
                Some(body),
            )
            .await?;
            let key = v["key"].as_str().unwrap_or_default();
            let uri = otpauth_uri(&saved.email, key);
            print(
                a.json,
                json!({ "enabled": v["enabled"], "key": key, "uri": uri }),
                format!("Key: {key}\nURI: {uri}"),
            );
        }
        TwoFactorCommand::EnableTotp(a) => {
            let mut body = verification(&client, &saved, &a.password).await?;
            let (key, code) = match (a.key, a.code) {
                (Some(key), Some(code)) => (key, code),
                _ => {
                    let v = call(
                        &client,
                        &saved,
                        Method::POST,
                        "/api/two-factor/get-authenticator",
                        Some(body.clone()),
                    )
                    .await?;
                    let key = v["key"].as_str().unwrap_or_default().to_string();
                    eprintln!(
                        "Add this key to your authenticator app: {key}\n{}",
                        otpauth_uri(&saved.email, &key)
                    );
                    (key, read_code()?)
                }
            };
            body["key"] = json!(key);
            body["token"] = json!(code);
            call(
                &client,
                &saved,
                Method::PUT,
                "/api/two-factor/authenticator",
                Some(body.clone()),
            )
            .await?;
            let recovery = call(
                &client,
                &saved,
                Method::POST,
                "/api/two-factor/get-recover",
                Some(body),
            )
            .await?;
            let recovery = recovery["code"].as_str().unwrap_or_default();
            print(
                a.password.json,
                json!({ "enabled": true, "recoveryCode": recovery }),
                format!("Two-step login is on.\nRecovery code (store it safely; it is shown only now): {recovery}"),
            );
        }
        TwoFactorCommand::EnableEmail(a) => {
            let mut body = verification(&client, &saved, &a.password).await?;
            let email = a.email.unwrap_or_else(|| saved.email.clone());
            body["email"] = json!(email);
            let code = match a.code {
                Some(code) => code,
                None => {
                    call(
                        &client,
                        &saved,
                        Method::POST,
                        "/api/two-factor/send-email",
                        Some(body.clone()),
                    )
                    .await?;
                    read_line_after(&format!("Code from the mail sent to {email}: "))?
                }
            };
            body["token"] = json!(code);
            call(
                &client,
                &saved,
                Method::PUT,
                "/api/two-factor/email",
                Some(body),
            )
            .await?;
            print(
                a.password.json,
                json!({ "enabled": true, "email": email }),
                format!("Two-step login by email is on: codes go to {email}."),
            );
        }
        TwoFactorCommand::DisableEmail(a) => {
            let body = verification(&client, &saved, &a).await?;
            call(
                &client,
                &saved,
                Method::DELETE,
                "/api/two-factor/email",
                Some(body),
            )
            .await?;
            print(
                a.json,
                json!({ "email": false }),
                "Two-step login by email is off.".into(),
            );
        }
        TwoFactorCommand::RecoveryCode(a) => {
            let body = verification(&client, &saved, &a).await?;
            let v = call(
                &client,
                &saved,
                Method::POST,
                "/api/two-factor/get-recover",
                Some(body),
            )
            .await?;
            let code = v["code"].as_str().unwrap_or_default();
            print(
                a.json,
                json!({ "recoveryCode": code }),
                format!("Recovery code (shown only now): {code}"),
            );
        }
        TwoFactorCommand::Disable(a) => {
            let mut body = verification(&client, &saved, &a).await?;
            body["type"] = json!(0);
            call(
                &client,
                &saved,
                Method::PUT,
                "/api/two-factor/disable",
                Some(body),
            )
            .await?;
            print(
                a.json,
                json!({ "enabled": false }),
                "Two-step login is off.".into(),
            );
        }
        TwoFactorCommand::Keys(a) => {
            let body = verification(&client, &saved, &a).await?;
            let v = call(
                &client,
                &saved,
                Method::POST,
                "/api/two-factor/get-webauthn",
                Some(body),
            )
            .await?;
            print(a.json, webauthn_json(&v), webauthn_text(&v));
        }
        TwoFactorCommand::RemoveKey(a) => {
            let mut body = verification(&client, &saved, &a.password).await?;
            body["id"] = json!(a.slot);
            let v = call(
                &client,
                &saved,
                Method::DELETE,
                "/api/two-factor/webauthn",
                Some(body),
            )
            .await?;
            print(a.password.json, webauthn_json(&v), webauthn_text(&v));
        }
    }
    Ok(())
}
