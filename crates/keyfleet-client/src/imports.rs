//! Importing a file into an organization the way the Bitwarden apps do: the file is read and
//! every field encrypted here, under the org key, and the server receives one
//! `import-organization` body. Bitwarden CSV, Bitwarden JSON (unencrypted) and LastPass CSV are
//! read into the Bitwarden JSON export's item shape first, so one encryption step serves all.

use crate::authed::{send, Bearer, NO_BODY};
use crate::{ClientError, Session};
use keyfleet_api::imports::{
    ImportCiphersRequest, ImportCollectionRequest, ImportOrganizationCiphersRequest,
    ImportRelationship, OrganizationExportResponse,
};
use keyfleet_api::vault::CipherRequest;
use keyfleet_crypto::{EncString, SymmetricKey};
use reqwest::Method;
use serde_json::{json, Map, Value};

/// The file formats `keyfleet org import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportFormat {
    /// Bitwarden's CSV export (personal or organization columns).
    BitwardenCsv,
    /// Bitwarden's unencrypted JSON export.
    BitwardenJson,
    /// LastPass's CSV export (`url,username,password,totp,extra,name,grouping,fav`).
    LastPassCsv,
}

impl ImportFormat {
    /// Guesses the format from the file's text: JSON by its first character, LastPass by its
    /// header (`grouping`, `extra`), Bitwarden CSV otherwise.
    pub fn detect(text: &str) -> ImportFormat {
        let text = text.trim_start_matches('\u{feff}').trim_start();
        if text.starts_with('{') {
            return ImportFormat::BitwardenJson;
        }
        let header = text.lines().next().unwrap_or_default().to_ascii_lowercase();
        if header.contains("grouping") && header.contains("extra") {
            ImportFormat::LastPassCsv
        } else {
            ImportFormat::BitwardenCsv
        }
    }
}

/// A file read in clear: items in the Bitwarden JSON export's shape, and the collections they go
/// into (names, nested with `/`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PlainImport {
    /// Collection names, in order.
    pub collections: Vec<String>,
    /// Items: the unencrypted Bitwarden JSON item and the positions of its collections.
    pub items: Vec<(Value, Vec<usize>)>,
}

impl PlainImport {
    fn collection(&mut self, name: &str) -> usize {
        let name = name.trim().trim_matches('/').to_string();
        match self.collections.iter().position(|c| *c == name) {
            Some(i) => i,
            None => {
                self.collections.push(name);
                self.collections.len() - 1
            }
        }
    }
}

fn bad(msg: impl Into<String>) -> ClientError {
    ClientError::Decode(msg.into())
}

/// Reads `text` in `format`.
pub fn parse_import(format: ImportFormat, text: &str) -> Result<PlainImport, ClientError> {
    let text = text.trim_start_matches('\u{feff}');
    match format {
        ImportFormat::BitwardenJson => parse_bitwarden_json(text),
        ImportFormat::BitwardenCsv => parse_bitwarden_csv(text),
        ImportFormat::LastPassCsv => parse_lastpass_csv(text),
    }
}

/// RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks.
pub fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', true) => quoted = false,
            ('"', false) if field.is_empty() => quoted = true,
            (',', false) => row.push(std::mem::take(&mut field)),
            ('\r', false) if chars.peek() == Some(&'\n') => {}
            ('\n', false) => {
                row.push(std::mem::take(&mut field));
                if !(row.len() == 1 && row[0].is_empty()) {
                    rows.push(std::mem::take(&mut row));
                }
                row.clear();
            }
            (c, _) => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

/// The rows of a CSV file as maps from (lower-cased) header to value.
fn csv_records(text: &str) -> Result<Vec<Map<String, Value>>, ClientError> {
    let mut rows = parse_csv(text).into_iter();
    let header: Vec<String> = rows
        .next()
        .ok_or_else(|| bad("the file is empty"))?
        .into_iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    Ok(rows
        .map(|r| {
            header
                .iter()
                .zip(r)
                .map(|(h, v)| (h.clone(), Value::String(v)))
                .collect()
        })
        .collect())
}

fn get<'a>(r: &'a Map<String, Value>, k: &str) -> &'a str {
    r.get(k).and_then(Value::as_str).unwrap_or_default()
}

fn opt(s: &str) -> Value {
    if s.is_empty() {
        Value::Null
    } else {
        Value::String(s.to_string())
    }
}

fn login(uris: &[&str], username: &str, password: &str, totp: &str) -> Value {
    let uris: Vec<Value> = uris
        .iter()
        .map(|u| u.trim())
        .filter(|u| !u.is_empty())
        .map(|u| json!({ "uri": u, "match": null }))
        .collect();
    json!({ "uris": uris, "username": opt(username), "password": opt(password), "totp": opt(totp) })
}

fn parse_bitwarden_csv(text: &str) -> Result<PlainImport, ClientError> {
    let mut out = PlainImport::default();
    for r in csv_records(text)? {
        let kind = get(&r, "type");
        let fields: Vec<Value> = get(&r, "fields")
            .lines()
            .filter_map(|l| {
                let (name, value) = l.split_once(": ").unwrap_or((l, ""));
                (!name.is_empty()).then(|| json!({ "name": name, "value": value, "type": 0 }))
            })
            .collect();
        let mut item = json!({
            "type": if kind == "note" { 2 } else { 1 },
            "name": if get(&r, "name").is_empty() { "--" } else { get(&r, "name") },
            "notes": opt(get(&r, "notes")),
            "favorite": get(&r, "favorite") == "1",
            "reprompt": get(&r, "reprompt").parse::<i64>().unwrap_or(0),
            "fields": fields,
        });
        if kind == "note" {
            item["secureNote"] = json!({ "type": 0 });
        } else {
            let uris: Vec<&str> = get(&r, "login_uri").split(',').collect();
            item["login"] = login(
                &uris,
                get(&r, "login_username"),
                get(&r, "login_password"),
                get(&r, "login_totp"),
            );
        }
        // An organization export names collections; a personal one, a folder: either becomes
        // a collection here.
        let names = match get(&r, "collections") {
            "" => get(&r, "folder").to_string(),
            c => c.to_string(),
        };
        let cols: Vec<usize> = names
            .split(',')
            .filter(|n| !n.trim().is_empty())
            .map(|n| out.collection(n))
            .collect();
        out.items.push((item, cols));
    }
    Ok(out)
}

fn parse_lastpass_csv(text: &str) -> Result<PlainImport, ClientError> {
    let mut out = PlainImport::default();
    for r in csv_records(text)? {
        let url = get(&r, "url");
        let name = match get(&r, "name") {
            "" => "--",
            n => n,
        };
        // LastPass writes secure notes as the pseudo-URL `http://sn`, the note in `extra`.
        let item = if url == "http://sn" {
            json!({ "type": 2, "name": name, "notes": opt(get(&r, "extra")),
                    "secureNote": { "type": 0 }, "favorite": get(&r, "fav") == "1" })
        } else {
            json!({ "type": 1, "name": name, "notes": opt(get(&r, "extra")),
                    "favorite": get(&r, "fav") == "1",
                    "login": login(&[url], get(&r, "username"), get(&r, "password"), get(&r, "totp")) })
        };
        let group = get(&r, "grouping").replace('\\', "/");
        let cols = if group.trim().is_empty() {
            vec![]
        } else {
            vec![out.collection(&group)]
        };
        out.items.push((item, cols));
    }
    Ok(out)
}

fn parse_bitwarden_json(text: &str) -> Result<PlainImport, ClientError> {
    let doc: Value = serde_json::from_str(text).map_err(|e| bad(format!("not JSON: {e}")))?;
    if doc.get("encrypted").and_then(Value::as_bool) == Some(true) {
        return Err(bad(
            "this is an encrypted Bitwarden export: export it again unencrypted (json)",
        ));
    }
    let mut out = PlainImport::default();
    // Collections (organization exports) or folders (personal exports), by id.
    let mut by_id: Vec<(String, usize)> = Vec::new();
    for key in ["collections", "folders"] {
        for c in doc.get(key).and_then(Value::as_array).into_iter().flatten() {
            let (Some(id), Some(name)) = (
                c.get("id").and_then(Value::as_str),
                c.get("name").and_then(Value::as_str),
            ) else {
                continue;
            };
            let i = out.collection(name);
            by_id.push((id.to_string(), i));
        }
    }
    let items = doc
        .get("items")
        .and_then(Value::as_array)
        .ok_or_else(|| bad("the file has no items list"))?;
    for item in items {
        let mut wanted: Vec<&str> = item
            .get("collectionIds")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        if let Some(f) = item.get("folderId").and_then(Value::as_str) {
            wanted.push(f);
        }
        let cols = by_id
            .iter()
            .filter(|(id, _)| wanted.contains(&id.as_str()))
            .map(|(_, i)| *i)
            .collect();
        out.items.push((item.clone(), cols));
    }
    Ok(out)
}

/// Keys whose values travel in clear inside an item's objects (dates, enums).
const PLAIN_KEYS: &[&str] = &[
    "match",
    "type",
    "linkedId",
    "passwordRevisionDate",
    "lastUsedDate",
    "creationDate",
];

/// Encrypts every string inside `v` except the protocol's plain keys; empty strings become null.
fn encrypt_tree(key: &SymmetricKey, v: &Value) -> Value {
    match v {
        Value::String(s) if s.is_empty() => Value::Null,
        Value::String(s) => Value::String(EncString::encrypt_str(key, s)),
        Value::Array(a) => Value::Array(a.iter().map(|x| encrypt_tree(key, x)).collect()),
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, x)| {
                    let x = if PLAIN_KEYS.contains(&k.as_str()) {
                        x.clone()
                    } else {
                        encrypt_tree(key, x)
                    };
                    (k.clone(), x)
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

/// One item of the Bitwarden JSON shape as the `CipherRequest` the apps send, every field
/// encrypted under `key`.
pub fn encrypt_item(
    key: &SymmetricKey,
    user_id: &str,
    org_id: Option<&str>,
    item: &Value,
) -> CipherRequest {
    let s = |k: &str| item.get(k).and_then(Value::as_str).unwrap_or_default();
    let obj = |k: &str| item.get(k).filter(|v| v.is_object());
    let cipher_type = item.get("type").and_then(Value::as_i64).unwrap_or(1) as i32;
    let mut login = obj("login").map(|l| {
        let mut l = l.clone();
        // Passkeys are bound to their own key material; a plain-file import leaves them out.
        if let Some(m) = l.as_object_mut() {
            m.remove("fido2Credentials");
        }
        encrypt_tree(key, &l)
    });
    if cipher_type == 1 && login.is_none() {
        login = Some(json!({ "uris": [] }));
    }
    CipherRequest {
        cipher_type,
        organization_id: org_id.map(str::to_string),
        name: EncString::encrypt_str(
            key,
            if s("name").is_empty() {
                "--"
            } else {
                s("name")
            },
        ),
        notes: (!s("notes").is_empty()).then(|| EncString::encrypt_str(key, s("notes"))),
        favorite: Some(
            item.get("favorite")
                .and_then(Value::as_bool)
                .unwrap_or(false),
        ),
        reprompt: Some(item.get("reprompt").and_then(Value::as_i64).unwrap_or(0) as i32),
        fields: Some(
            item.get("fields")
                .filter(|v| v.is_array())
                .map(|f| encrypt_tree(key, f))
                .unwrap_or_else(|| Value::Array(Vec::new())),
        ),
        password_history: item
            .get("passwordHistory")
            .filter(|v| v.is_array())
            .map(|h| encrypt_tree(key, h)),
        login,
        secure_note: (cipher_type == 2).then(|| json!({ "type": 0 })),
        card: obj("card").map(|c| encrypt_tree(key, c)),
        identity: obj("identity").map(|c| encrypt_tree(key, c)),
        ssh_key: obj("sshKey").map(|c| encrypt_tree(key, c)),
        encrypted_for: Some(user_id.to_string()),
        ..CipherRequest::default()
    }
}

/// The `import-organization` body for `import`: its items encrypted under the org key, each
/// collection name that matches one of `existing` (`(id, decrypted name)`) sent as that
/// collection, the others as new collections.
pub fn org_import_request(
    org_id: &str,
    key: &SymmetricKey,
    user_id: &str,
    import: &PlainImport,
    existing: &[(String, String)],
) -> ImportOrganizationCiphersRequest {
    let collections = import
        .collections
        .iter()
        .map(|name| ImportCollectionRequest {
            id: existing
                .iter()
                .find(|(_, n)| n == name)
                .map(|(id, _)| id.clone()),
            name: EncString::encrypt_str(key, name),
            external_id: None,
        })
        .collect();
    let mut relationships = Vec::new();
    let ciphers = import
        .items
        .iter()
        .enumerate()
        .map(|(i, (item, cols))| {
            relationships.extend(cols.iter().map(|c| ImportRelationship {
                key: i as i64,
                value: *c as i64,
            }));
            encrypt_item(key, user_id, Some(org_id), item)
        })
        .collect();
    ImportOrganizationCiphersRequest {
        collections,
        ciphers,
        collection_relationships: relationships,
        folders: Vec::new(),
        folder_relationships: Vec::new(),
    }
}

/// Import and export calls that need only a token.
// Callers await these where they are; none needs the futures to be `Send`.
#[allow(async_fn_in_trait)]
pub trait TransferCalls: Bearer {
    /// `POST /api/ciphers/import`: items and folders into the caller's own vault.
    async fn import_ciphers(&self, req: &ImportCiphersRequest) -> Result<(), ClientError> {
        send(self, Method::POST, "/api/ciphers/import", Some(req)).await
    }

    /// `POST /api/ciphers/import-organization?organizationId=`.
    async fn import_org_ciphers(
        &self,
        org_id: &str,
        req: &ImportOrganizationCiphersRequest,
    ) -> Result<(), ClientError> {
        let path = format!("/api/ciphers/import-organization?organizationId={org_id}");
        send(self, Method::POST, &path, Some(req)).await
    }

    /// `GET /api/organizations/{id}/export`.
    async fn org_export(&self, org_id: &str) -> Result<OrganizationExportResponse, ClientError> {
        let path = format!("/api/organizations/{org_id}/export");
        send(self, Method::GET, &path, NO_BODY).await
    }
}

impl<T: Bearer + ?Sized> TransferCalls for T {}

impl Session {
    /// Imports `import` into an organization: encrypted here under `key`, into the collections
    /// it names (existing ones, by decrypted name, reused); answers how many items were sent.
    pub async fn import_into_org(
        &self,
        org_id: &str,
        key: &SymmetricKey,
        import: &PlainImport,
        existing: &[(String, String)],
    ) -> Result<usize, ClientError> {
        let req = org_import_request(org_id, key, &self.user_id, import, existing);
        self.import_org_ciphers(org_id, &req).await?;
        Ok(req.ciphers.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_may_hold_quotes_commas_and_line_breaks() {
        let rows = parse_csv("a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\n\n1,,3");
        assert_eq!(rows[0], ["a", "b", "c"]);
        assert_eq!(rows[1], ["x, y", "say \"hi\"", "two\nlines"]);
        assert_eq!(rows[2], ["1", "", "3"]);
        assert_eq!(rows.len(), 3);
    }

    #[test]
    fn a_lastpass_export_becomes_logins_and_notes_in_collections() {
        let text = "url,username,password,totp,extra,name,grouping,fav\n\
                    https://mail.example,alice,pw1,,,Mail,Shared-Acme\\Email,0\n\
                    http://sn,,,,the wifi key,Wifi,Shared-Acme,1\n";
        assert_eq!(ImportFormat::detect(text), ImportFormat::LastPassCsv);
        let p = parse_import(ImportFormat::LastPassCsv, text).unwrap();
        assert_eq!(p.collections, ["Shared-Acme/Email", "Shared-Acme"]);
        assert_eq!(p.items[0].0["login"]["username"], "alice");
        assert_eq!(p.items[0].1, [0]);
        assert_eq!(p.items[1].0["type"], 2);
        assert_eq!(p.items[1].0["notes"], "the wifi key");
    }

    #[test]
    fn a_bitwarden_csv_keeps_fields_uris_and_collections() {
        let text = "collections,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp\n\
                    \"Servers,Ops\",login,Router,,\"pin: 1234\",0,\"https://a,https://b\",admin,pw,\n";
        assert_eq!(ImportFormat::detect(text), ImportFormat::BitwardenCsv);
        let p = parse_import(ImportFormat::BitwardenCsv, text).unwrap();
        assert_eq!(p.collections, ["Servers", "Ops"]);
        let item = &p.items[0].0;
        assert_eq!(item["fields"][0]["name"], "pin");
        assert_eq!(item["login"]["uris"][1]["uri"], "https://b");
    }

    #[test]
    fn every_string_is_encrypted_but_the_protocols_plain_ones() {
        let key = SymmetricKey::generate();
        let item = json!({"type": 1, "name": "n", "login": {"username": "u", "uris": [{"uri": "https://x", "match": 3}], "passwordRevisionDate": "2026-01-01T00:00:00Z"}});
        let req = encrypt_item(&key, "me", Some("org"), &item);
        let login = req.login.unwrap();
        assert!(login["username"].as_str().unwrap().starts_with("2."));
        assert!(login["uris"][0]["uri"].as_str().unwrap().starts_with("2."));
        assert_eq!(login["uris"][0]["match"], 3);
        assert_eq!(login["passwordRevisionDate"], "2026-01-01T00:00:00Z");
        assert_eq!(EncString::decrypt_str(&req.name, &key).unwrap(), "n");
    }
}
