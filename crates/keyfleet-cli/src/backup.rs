//! `keyfleet backup`: an online, consistent copy of the SQLite database and the stored files
//! (attachments) beside it (the server may keep running). PostgreSQL is backed up with `pg_dump` (README).

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
    let files = args.data_dir.join("files");
    keyfleet_server::backup(&url, &args.out, Some(&files))
        .await
        .map_err(Failure::usage)?;
    eprintln!(
        "Backup written to {} and the stored files to {} (restore: stop the server, put them in \
         place of keyfleet.sqlite3 and files/).",
        args.out.display(),
        keyfleet_server::backup_files_dir(&args.out).display()
    );
    Ok(())
}
