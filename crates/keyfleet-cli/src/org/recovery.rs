//! `keyfleet org recover`: account recovery of an enrolled member. The crypto is here: the
//! member's user key is unwrapped with the org private key and re-wrapped under the new master
//! password; the server only receives the new hash and the re-wrapped key.

use super::{Ctx, MemberArgs, Unlock};
use crate::Failure;
use clap::Args;
use serde_json::json;

#[derive(Args)]
pub struct RecoverArgs {
    #[command(flatten)]
    pub member: MemberArgs,
    /// Also turn off the member's two-step login.
    #[arg(long)]
    reset_two_factor: bool,
    // With `--password-stdin`: your master password on the first line of standard input, the
    // member's new password on the second.
    #[command(flatten)]
    unlock: Unlock,
}

/// The member's new master password, asked twice on a terminal.
fn new_password(from_stdin: bool, email: &str) -> Result<String, Failure> {
    let password = if from_stdin {
        crate::account::read_password(true, false)?
    } else {
        let prompt = format!("New master password for {email}: ");
        let p = rpassword::prompt_password(prompt).map_err(Failure::usage)?;
        if rpassword::prompt_password("Repeat it: ").map_err(Failure::usage)? != p {
            return Err(Failure::usage("the passwords do not match"));
        }
        p
    };
    if password.is_empty() {
        return Err(Failure::usage("the new master password must not be empty"));
    }
    Ok(password)
}

/// `org recover ORG MEMBER`.
pub async fn recover(ctx: &Ctx, a: RecoverArgs) -> Result<(), Failure> {
    let org = ctx.resolve(&a.member.org).await?;
    let member = ctx.resolve_member(&org, &a.member.member).await?;
    if !member.reset_password_enrolled {
        return Err(Failure::server(format!(
            "{} is not enrolled in account recovery in {}",
            member.email, org.name
        )));
    }
    let session = ctx.remote.unlock(a.unlock.password_stdin).await?;
    let password = new_password(a.unlock.password_stdin, &member.email)?;
    session
        .recover_account(&org.id, &member.id, &password, a.reset_two_factor)
        .await?;
    ctx.print(
        &json!({ "recovered": true, "id": member.id, "email": member.email }),
        format!(
            "{}'s master password is reset; give them the new one. Their sessions have ended, and \
             their apps will ask them to choose a password of their own.",
            member.email
        ),
    );
    Ok(())
}
