//! The MSP web console's built assets, embedded in the binary so `keyfleet serve` serves the
//! console with nothing else installed. The sources are in `console/` (TypeScript); `npm run
//! build` there writes `assets/`, which is committed, and CI rebuilds it and fails when the
//! committed files differ. This crate knows nothing of HTTP: `keyfleet-server` serves
//! [`asset`] at `/console/`.

use sha2::{Digest, Sha256};
use std::sync::OnceLock;

/// One embedded file.
#[derive(Debug)]
pub struct Asset {
    /// The file's name under `/console/` (`index.html` for the console's own path).
    pub name: &'static str,
    /// Its bytes, as built.
    pub bytes: &'static [u8],
    /// Its `Content-Type`.
    pub content_type: &'static str,
    etag: OnceLock<String>,
    gzip: OnceLock<Vec<u8>>,
}

impl Asset {
    const fn new(name: &'static str, bytes: &'static [u8], content_type: &'static str) -> Self {
        Asset {
            name,
            bytes,
            content_type,
            etag: OnceLock::new(),
            gzip: OnceLock::new(),
        }
    }

    /// A strong `ETag` (quoted) from the bytes' SHA-256, computed once.
    pub fn etag(&self) -> &str {
        self.etag.get_or_init(|| {
            let digest = Sha256::digest(self.bytes);
            let hex: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
            format!("\"{hex}\"")
        })
    }
}

impl Asset {
    /// The bytes gzip-compressed (best compression), computed on first use and kept: the
    /// console's scripts shrink to about a quarter for browsers that accept `gzip`.
    pub fn gzipped(&self) -> &[u8] {
        self.gzip.get_or_init(|| {
            use std::io::Write;
            let mut enc = flate2::write::GzEncoder::new(
                Vec::with_capacity(self.bytes.len() / 3),
                flate2::Compression::best(),
            );
            // Writing to a Vec cannot fail.
            let _ = enc.write_all(self.bytes);
            enc.finish().unwrap_or_default()
        })
    }
}

/// Every file the build writes. A test fails when `assets/` holds a file missing here.
static ASSETS: [Asset; 4] = [
    Asset::new(
        "index.html",
        include_bytes!("../assets/index.html"),
        "text/html; charset=utf-8",
    ),
    Asset::new(
        "app.js",
        include_bytes!("../assets/app.js"),
        "text/javascript; charset=utf-8",
    ),
    Asset::new(
        "agent.js",
        include_bytes!("../assets/agent.js"),
        "text/javascript; charset=utf-8",
    ),
    Asset::new(
        "app.css",
        include_bytes!("../assets/app.css"),
        "text/css; charset=utf-8",
    ),
];

/// The asset at `path` under `/console/` (`""` is the page itself), if there is one.
pub fn asset(path: &str) -> Option<&'static Asset> {
    let name = if path.is_empty() { "index.html" } else { path };
    ASSETS.iter().find(|a| a.name == name)
}

/// Every embedded asset.
pub fn assets() -> &'static [Asset] {
    &ASSETS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_file_is_embedded_and_nothing_else_is_served() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets");
        let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.map(|e| e.file_name().to_string_lossy().into_owned()))
            .collect::<Result<_, _>>()
            .unwrap_or_else(|e| panic!("{e}"));
        on_disk.sort();
        let mut embedded: Vec<String> = assets().iter().map(|a| a.name.to_string()).collect();
        embedded.sort();
        assert_eq!(on_disk, embedded, "assets/ and the embedded table differ");
        for a in assets() {
            assert!(!a.bytes.is_empty(), "{} is empty", a.name);
        }
    }

    #[test]
    fn the_page_is_the_empty_path_and_unknown_names_are_not_found() {
        assert_eq!(asset("").map(|a| a.name), Some("index.html"));
        assert_eq!(
            asset("app.js").map(|a| a.content_type),
            Some("text/javascript; charset=utf-8")
        );
        assert!(asset("../Cargo.toml").is_none());
        assert!(asset("app.js.map").is_none());
    }

    #[test]
    fn the_gzipped_bytes_inflate_to_the_asset() {
        use std::io::Read;
        for a in assets() {
            let mut out = Vec::new();
            flate2::read::GzDecoder::new(a.gzipped())
                .read_to_end(&mut out)
                .unwrap_or_else(|e| panic!("{}: {e}", a.name));
            assert_eq!(out, a.bytes, "{}", a.name);
            if a.bytes.len() > 4096 {
                assert!(a.gzipped().len() < a.bytes.len() / 2, "{}", a.name);
            }
        }
    }

    #[test]
    fn etags_follow_the_bytes() {
        let a = asset("app.js")
            .map(Asset::etag)
            .unwrap_or_default()
            .to_string();
        let b = asset("app.css")
            .map(Asset::etag)
            .unwrap_or_default()
            .to_string();
        assert!(
            a.starts_with('"') && a.ends_with('"') && a.len() == 26,
            "{a}"
        );
        assert_ne!(a, b);
        assert_eq!(asset("app.js").map(Asset::etag), Some(a.as_str()));
    }
}
