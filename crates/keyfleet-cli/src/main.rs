//! `keyfleet`: runs the server (`serve`) and is the admin tool for what the Bitwarden apps cannot
//! do (creating accounts, administering organizations and providers). Output is human text or `--json`; exit codes: 0 ok, 1 server or API
//! error, 2 usage, 3 authentication failed. Nothing secret is ever printed.

mod account;
mod backup;
mod org;
mod provider;
mod remote;
mod serve;
mod session_file;
mod two_factor;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// jemalloc rather than glibc's allocator: glibc kept what large requests and sync pages had
/// used in per-thread arenas for good (the server's memory under eight concurrent syncs was
/// 15 MiB higher with it, and never went back down); jemalloc returns freed memory to the OS
/// after a few seconds, at the same CPU cost.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[derive(Parser)]
#[command(
    name = "keyfleet",
    version,
    about = "Keyfleet: a Bitwarden-compatible password server for MSPs"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server.
    Serve(Box<serve::ServeArgs>),
    /// Create an account, log in, show the session.
    #[command(subcommand)]
    Account(account::AccountCommand),
    /// Organizations: members, collections, groups, policies, events (admin tool).
    #[command(subcommand)]
    Org(org::OrgCommand),
    /// Providers (MSPs): staff, roles, client companies, launching into a client, reports.
    Provider(provider::ProviderArgs),
    /// The operator's commands (admin token): create, list, disable and enable providers.
    #[command(subcommand)]
    Admin(provider::operator::AdminCommand),
    /// Copy the SQLite database to a file, consistently, while the server runs.
    Backup(backup::BackupArgs),
}

/// An error with the exit code it maps to.
pub struct Failure {
    code: u8,
    message: String,
}

impl Failure {
    /// Exit code 1: the server refused or could not be reached.
    pub fn server(e: impl std::fmt::Display) -> Self {
        Failure {
            code: 1,
            message: e.to_string(),
        }
    }
    /// Exit code 2: bad usage or input.
    pub fn usage(e: impl std::fmt::Display) -> Self {
        Failure {
            code: 2,
            message: e.to_string(),
        }
    }
    /// Exit code 3: authentication failed.
    pub fn auth(e: impl std::fmt::Display) -> Self {
        Failure {
            code: 3,
            message: e.to_string(),
        }
    }
}

impl From<keyfleet_client::ClientError> for Failure {
    fn from(e: keyfleet_client::ClientError) -> Self {
        use keyfleet_client::ClientError as E;
        match &e {
            E::Api {
                status: 400,
                oauth_error: Some(_),
                ..
            }
            | E::Api { status: 401, .. }
            | E::Crypto(_) => Failure::auth(e),
            E::Io(_) => Failure::usage(e),
            // The server's text points to the account settings; here those are a command.
            E::Api { message, .. } if message.starts_with("Two-step login is required") => {
                Failure::server(format!(
                    "{e}\nTurn it on with `keyfleet account 2fa enable-totp`."
                ))
            }
            _ => Failure::server(e),
        }
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Serve(args) => serve::run(*args).await,
        Command::Account(cmd) => account::run(cmd).await,
        Command::Org(cmd) => org::run(cmd).await,
        Command::Provider(args) => provider::run(args).await,
        Command::Admin(cmd) => provider::operator::run(cmd).await,
        Command::Backup(args) => backup::run(args).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("error: {}", f.message);
            ExitCode::from(f.code)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_two_step_login_names_the_command_that_turns_it_on() {
        let refused = keyfleet_client::ClientError::Api {
            status: 400,
            message: "Two-step login is required for provider members. Turn it on in your \
                      account's two-step login settings and try again."
                .into(),
            oauth_error: None,
        };
        let f = Failure::from(refused);
        assert_eq!(f.code, 1);
        assert!(
            f.message.contains("keyfleet account 2fa enable-totp"),
            "{}",
            f.message
        );
        let other = keyfleet_client::ClientError::Api {
            status: 400,
            message: "Resource not found.".into(),
            oauth_error: None,
        };
        assert!(!Failure::from(other).message.contains("2fa"));
    }

    #[test]
    fn serve_flags_parse_and_tls_flags_conflict_with_insecure_http() {
        let cli = Cli::try_parse_from([
            "keyfleet",
            "serve",
            "--bind",
            "0.0.0.0:9000",
            "--data-dir",
            "/tmp/x",
        ])
        .unwrap();
        assert!(matches!(cli.command, Command::Serve(_)));
        assert!(Cli::try_parse_from([
            "keyfleet",
            "serve",
            "--insecure-http",
            "--tls-cert",
            "a.pem",
            "--tls-key",
            "b.pem"
        ])
        .is_err());
        assert!(
            Cli::try_parse_from(["keyfleet", "serve", "--tls-cert", "a.pem"]).is_err(),
            "cert needs key"
        );
    }

    #[test]
    fn account_register_needs_server_and_email() {
        assert!(
            Cli::try_parse_from(["keyfleet", "account", "register", "--email", "a@b.c"]).is_err()
        );
        assert!(Cli::try_parse_from([
            "keyfleet",
            "account",
            "register",
            "--server",
            "https://x",
            "--email",
            "a@b.c"
        ])
        .is_ok());
    }

    #[test]
    fn provider_flags_go_anywhere_and_admin_needs_a_token() {
        for args in [
            ["keyfleet", "provider", "--json", "members"].as_slice(),
            &[
                "keyfleet",
                "provider",
                "members",
                "--json",
                "--provider",
                "p",
            ],
            &["keyfleet", "provider", "client", "unlink", "Acme", "--json"],
        ] {
            assert!(Cli::try_parse_from(args).is_ok(), "{args:?}");
        }
        assert!(Cli::try_parse_from([
            "keyfleet", "provider", "invite", "a@b.c", "--role", "owner"
        ])
        .is_err());
        assert!(Cli::try_parse_from([
            "keyfleet", "provider", "assign", "m", "--client", "c", "--clear"
        ])
        .is_err());
        let with_token = [
            "keyfleet",
            "admin",
            "provider",
            "list",
            "--admin-token",
            "t",
        ];
        assert!(Cli::try_parse_from(with_token).is_ok());
    }
}
