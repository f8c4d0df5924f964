//! `keyfleet backup`: an online, consistent copy of the SQLite database (the server may keep
//! running). PostgreSQL is backed up with `pg_dump` (README).

use crate::Failure;
use clap::Args;
use std::path::PathBuf;

#[derive(Args)]
pub struct BackupArgs {
    /// The server's data directory (its SQLite file is `keyfleet.sqlite3` there).
    #[arg(long, env = "KEYFLEET_DATA_DIR", default_value = "./data")]
    data_dir: PathBuf,
    /// The database, when not the data directory's SQLite file.
    #[arg(long, env = "KEYFLEET_DATABASE_URL")]
    database_url: Option<String>,
    /// The new file to write (must not exist).
    #[arg(long)]
    out: PathBuf,
}

pub async fn run(args: BackupArgs) -> Result<(), Failure> {
    let url = args.database_url.unwrap_or_else(|| {
        format!(
            "sqlite://{}",
            args.data_dir.join("keyfleet.sqlite3").display()
        )
    });
    keyfleet_server::backup(&url, &args.out)
        .await
        .map_err(Failure::usage)?;
    eprintln!(
        "Backup written to {} (restore: stop the server, put it in place of keyfleet.sqlite3).",
        args.out.display()
    );
    Ok(())
}
