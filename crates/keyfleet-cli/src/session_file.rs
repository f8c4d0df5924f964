//! The CLI's saved session: server, CA, email, user id and tokens — never the password or keys.
//! Written with mode 0600 because the refresh token is a credential.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// What `keyfleet account login` saves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedSession {
    pub server: String,
    pub ca_cert: Option<PathBuf>,
    pub email: String,
    pub user_id: String,
    pub access_token: String,
    pub refresh_token: Option<String>,
}

/// `$KEYFLEET_CLI_HOME/session.json`, else `<config dir>/keyfleet/session.json`.
pub fn default_path() -> PathBuf {
    #[allow(clippy::disallowed_methods)] // the CLI is allowed to read its own environment
    let home = std::env::var_os("KEYFLEET_CLI_HOME").map(PathBuf::from);
    home.or_else(|| dirs::config_dir().map(|d| d.join("keyfleet")))
        .unwrap_or_else(|| PathBuf::from(".keyfleet"))
        .join("session.json")
}

pub fn save(path: &Path, s: &SavedSession) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let json = serde_json::to_vec_pretty(s).map_err(std::io::Error::other)?;
    let tmp = path.with_extension("tmp");
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&tmp)?;
    f.write_all(&json)?;
    f.sync_all()?;
    std::fs::rename(tmp, path)
}

pub fn load(path: &Path) -> std::io::Result<Option<SavedSession>> {
    match std::fs::read(path) {
        Ok(bytes) => serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(std::io::Error::other),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn a_saved_session_round_trips_and_is_private() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/session.json");
        let s = SavedSession {
            server: "https://x".into(),
            ca_cert: None,
            email: "a@b.c".into(),
            user_id: "u".into(),
            access_token: "t".into(),
            refresh_token: Some("r".into()),
        };
        save(&path, &s).unwrap();
        assert_eq!(load(&path).unwrap(), Some(s));
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
        assert_eq!(load(&dir.path().join("missing.json")).unwrap(), None);
    }
}
