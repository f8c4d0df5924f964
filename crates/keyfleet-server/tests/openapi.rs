//! `docs/openapi.json` is the server's OpenAPI document as committed: this test fails when it is
//! stale (`KEYFLEET_BLESS=1 cargo test -p keyfleet-server --test openapi` rewrites it), and runs
//! the pinned standard validator on it (`scripts/install-openapi-validator`; `scripts/test`
//! installs it and sets `KEYFLEET_REQUIRE_OPENAPI_VALIDATOR=1`, so under CI a missing validator
//! is a failure, not a skip).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn the_committed_openapi_document_is_generated_from_the_rust_types() {
    let path = root().join("docs/openapi.json");
    let text = keyfleet_server::openapi::document_json();
    if std::env::var_os("KEYFLEET_BLESS").is_some() {
        std::fs::write(&path, &text).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == text,
        "{} is stale: run KEYFLEET_BLESS=1 cargo test -p keyfleet-server --test openapi",
        path.display()
    );
}

#[test]
fn the_openapi_document_passes_the_standard_validator() {
    let validator = root().join(".tools/openapi-validator/node_modules/.bin/validate-api");
    if !validator.exists() {
        assert!(
            std::env::var_os("KEYFLEET_REQUIRE_OPENAPI_VALIDATOR").is_none_or(|v| v != "1"),
            "KEYFLEET_REQUIRE_OPENAPI_VALIDATOR=1 but {} is missing (run scripts/install-openapi-validator)",
            validator.display()
        );
        eprintln!("skipped: no OpenAPI validator (run scripts/install-openapi-validator)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("openapi.json");
    std::fs::write(&file, keyfleet_server::openapi::document_json()).unwrap();
    let out = std::process::Command::new(&validator)
        .arg(&file)
        .output()
        .expect("run the OpenAPI validator");
    assert!(
        out.status.success(),
        "the OpenAPI document is invalid:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The validator must be able to fail: a document with a broken reference is refused.
#[test]
fn the_validator_refuses_a_broken_document() {
    let validator = root().join(".tools/openapi-validator/node_modules/.bin/validate-api");
    if !validator.exists() {
        return;
    }
    let mut doc: serde_json::Value =
        serde_json::from_str(&keyfleet_server::openapi::document_json()).unwrap();
    doc["openapi"] = serde_json::Value::from("3.1.0");
    doc["paths"]["/broken"] = serde_json::json!({"get": {"responses": {"200": {"$ref": 7}}}});
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("openapi.json");
    std::fs::write(&file, doc.to_string()).unwrap();
    let out = std::process::Command::new(&validator)
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        !out.status.success(),
        "the validator accepted a broken document"
    );
}
