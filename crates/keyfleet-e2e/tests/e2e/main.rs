//! End-to-end tests: the real server over TLS on SQLite and PostgreSQL, driven by the official
//! bw CLI and by keyfleet-client. One binary for all of them, to keep link times down.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod account_recovery;
mod accounts;
mod admin_approval;
mod attachments;
mod bw_cli;
mod client_requests;
mod console;
mod device_keys;
mod email_two_factor;
mod emergency_access;
mod errors;
mod escalation;
mod file_storage;
mod import_export;
mod key_rotation;
mod login_with_device;
mod notifications;
mod org_matrix;
mod org_revisions;
mod org_rules;
mod orgs;
mod provider_bw;
mod provider_matrix;
mod provider_rules;
mod provider_support;
mod robustness;
mod sends;
mod support;
mod sync;
mod two_factor;
mod webauthn;
