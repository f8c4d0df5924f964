//! `org import ORG FILE`: a client's passwords from another manager into its organization.
//! The file is read and every field encrypted here under the org key (the server sees only
//! ciphertext); collections the file names are reused when the organization already has one
//! of that (decrypted) name, and created otherwise. All or nothing: the server stores the whole
//! file in one transaction, or nothing.

use super::{Ctx, Output, Unlock};
use crate::Failure;
use clap::{Args, ValueEnum};
use keyfleet_client::{parse_import, ImportFormat, OrgCalls};
use keyfleet_crypto::EncString;
use serde_json::json;

/// The file formats read.
#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    /// Bitwarden CSV export.
    Bitwardencsv,
    /// Bitwarden JSON export (unencrypted).
    Bitwardenjson,
    /// LastPass CSV export.
    Lastpasscsv,
}

#[derive(Args)]
pub struct ImportArgs {
    /// Organization id or name.
    org: String,
    /// The file to import.
    file: std::path::PathBuf,
    /// The file's format (guessed from its content when left out).
    #[arg(long, value_enum)]
    format: Option<Format>,
    #[command(flatten)]
    unlock: Unlock,
    #[command(flatten)]
    pub out: Output,
}

/// `org import`.
pub async fn import(ctx: &Ctx, a: ImportArgs) -> Result<(), Failure> {
    let text = std::fs::read_to_string(&a.file)
        .map_err(|e| Failure::usage(format!("cannot read {}: {e}", a.file.display())))?;
    let format = match a.format {
        Some(Format::Bitwardencsv) => ImportFormat::BitwardenCsv,
        Some(Format::Bitwardenjson) => ImportFormat::BitwardenJson,
        Some(Format::Lastpasscsv) => ImportFormat::LastPassCsv,
        None => ImportFormat::detect(&text),
    };
    let plain = parse_import(format, &text)
        .map_err(|e| Failure::usage(format!("cannot read {}: {e}", a.file.display())))?;
    if plain.items.is_empty() {
        return Err(Failure::usage(format!(
            "{} holds no items",
            a.file.display()
        )));
    }
    let org = ctx.resolve(&a.org).await?;
    let session = ctx.remote.unlock(a.unlock.password_stdin).await?;
    let key = session.org_key(&org.id).await?;
    let existing: Vec<(String, String)> = ctx
        .remote
        .org_collection_details(&org.id)
        .await?
        .into_iter()
        .filter_map(|c| {
            EncString::decrypt_str(&c.collection.name, &key)
                .ok()
                .map(|name| (c.collection.id, name))
        })
        .collect();
    let new_collections = plain
        .collections
        .iter()
        .filter(|n| !existing.iter().any(|(_, e)| e == *n))
        .count();
    let n = session
        .import_into_org(&org.id, &key, &plain, &existing)
        .await?;
    ctx.print(
        &json!({
            "organizationId": org.id,
            "items": n,
            "collections": plain.collections,
            "newCollections": new_collections,
        }),
        format!(
            "Imported {n} item(s) into {} ({} collection(s), {new_collections} new).",
            org.name,
            plain.collections.len()
        ),
    );
    Ok(())
}
