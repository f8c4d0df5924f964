//! The data directory holds the token-signing secret (in the database), API keys and the TLS
//! private key: only the server's own account may read it. A directory Keyfleet creates is
//! 0700 and the SQLite file it creates 0600 (SQLite gives its -wal and -shm files the database
//! file's mode); what the operator made looser is left as is, with a warning at start-up.

use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::Path;

/// Creates `dir` (0700) if missing; warns when an existing one is readable by others.
pub fn ensure_private_dir(dir: &Path) -> std::io::Result<()> {
    if !dir.exists() {
        std::fs::create_dir_all(dir)?;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    warn_if_shared(dir);
    Ok(())
}

/// Creates the SQLite file at `path` (0600) before SQLite opens it, so the database and its
/// journal files are private from the first byte; warns when an existing one is not.
pub fn ensure_private_file(path: &Path) -> std::io::Result<()> {
    if !path.exists() {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            ensure_private_dir(parent)?;
        }
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)?;
    }
    warn_if_shared(path);
    Ok(())
}

fn warn_if_shared(path: &Path) {
    if let Ok(meta) = std::fs::metadata(path) {
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            tracing::warn!(
                path = %path.display(),
                mode = format!("{mode:o}"),
                "readable by other accounts: it holds secrets (chmod go-rwx)"
            );
        }
    }
}

/// The file of a `sqlite://` URL (`None` for in-memory databases and PostgreSQL).
pub fn sqlite_file(url: &str) -> Option<&Path> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next()?;
    (!path.is_empty() && !path.contains(":memory:")).then(|| Path::new(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_keyfleet_creates_is_private() {
        let tmp = std::env::temp_dir().join(format!("kf-perm-{}", std::process::id()));
        let dir = tmp.join("data");
        ensure_private_dir(&dir).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dir), 0o700);
        let db = dir.join("keyfleet.sqlite3");
        ensure_private_file(&db).unwrap();
        assert_eq!(mode(&db), 0o600);
        std::fs::remove_dir_all(&tmp).unwrap();
    }

    #[test]
    fn sqlite_urls_name_their_file() {
        assert_eq!(
            sqlite_file("sqlite:///var/lib/k/db.sqlite3?mode=rwc"),
            Some(Path::new("/var/lib/k/db.sqlite3"))
        );
        assert_eq!(
            sqlite_file("sqlite://data/k.sqlite3"),
            Some(Path::new("data/k.sqlite3"))
        );
        assert_eq!(sqlite_file("sqlite::memory:"), None);
        assert_eq!(sqlite_file("postgres://x/y"), None);
    }
}
