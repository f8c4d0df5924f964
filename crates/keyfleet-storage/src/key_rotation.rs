//! User key rotation: what the user key protects, and the one transaction that replaces it.
//! Every statement is scoped to the rotating user; the rows are counted again inside the write,
//! so a row added or removed since the domain checked the rotation makes it write nothing.
//! Trusted devices are re-keyed or lose their trust in the same transaction
//! ([`rekey_trusted_devices`], shared with `update-trust`).

use crate::attachments::rename_attachments;
use crate::conn::{Arg, Conn};
use crate::records::id;
use crate::users::write_credentials;
use crate::{db, on_pool, SqlStore};
use keyfleet_domain::ids::UserId;
use keyfleet_domain::store::{DeviceTrustUpdate, RotationInventory, UserKeyRotation};
use keyfleet_domain::{StoreError, Timestamp};

const CIPHERS: &str = "FROM ciphers WHERE user_id = $1";
const FOLDERS: &str = "FROM folders WHERE user_id = $1";
const SENDS: &str = "FROM sends WHERE user_id = $1";
const GRANTS: &str = "FROM emergency_access WHERE grantor_id = $1 AND key_encrypted IS NOT NULL";
const ENROLMENTS: &str = "FROM org_users WHERE user_id = $1 \
    AND reset_password_key IS NOT NULL AND reset_password_key <> ''";
const TRUSTED: &str = "FROM devices WHERE user_id = $1 AND encrypted_user_key IS NOT NULL";
const REKEY: &str = "UPDATE devices SET encrypted_user_key = $3, encrypted_public_key = $4 \
    WHERE id = $1 AND user_id = $2 AND encrypted_user_key IS NOT NULL";
const UNTRUST: &str = "UPDATE devices SET encrypted_user_key = NULL, \
    encrypted_public_key = NULL, encrypted_private_key = NULL \
    WHERE user_id = $1 AND encrypted_user_key IS NOT NULL";

/// Gives the user's trusted `devices` their re-wrapped keys and clears the keys of every other
/// trusted device of the user, so nothing stays wrapped to the old user key. False when one of
/// `devices` is not a trusted device of the user: the caller then drops its transaction. The
/// clearing runs after the re-keying in the same transaction, so a device trusted meanwhile
/// (with a key wrapped to the old user key) is cleared too.
pub(crate) async fn rekey_trusted_devices<C: Conn + ?Sized>(
    tx: &mut C,
    user: &str,
    devices: &[DeviceTrustUpdate],
) -> Result<bool, StoreError> {
    for d in devices {
        let q = sqlx::query(REKEY)
            .arg(d.device.to_string())
            .arg(user)
            .arg(d.encrypted_user_key.as_str())
            .arg(d.encrypted_public_key.as_str());
        if !one(tx, q).await? {
            return Ok(false);
        }
    }
    let sql = if devices.is_empty() {
        UNTRUST.to_string()
    } else {
        let keep: Vec<String> = (0..devices.len()).map(|i| format!("${}", i + 2)).collect();
        format!("{UNTRUST} AND id NOT IN ({})", keep.join(", "))
    };
    let mut q = sqlx::query(&sql).arg(user);
    for d in devices {
        q = q.arg(d.device.to_string());
    }
    tx.run(q).await?;
    Ok(true)
}

/// Parses stored ids.
fn ids<T: std::str::FromStr>(v: &[String]) -> Result<Vec<T>, StoreError> {
    v.iter().map(|s| id(s)).collect()
}

/// Runs `q` and requires that it changed exactly one row.
async fn one<'c, C: Conn + ?Sized>(
    tx: &'c mut C,
    q: crate::conn::Q<'c, C::Db>,
) -> Result<bool, StoreError> {
    Ok(tx.run(q).await? == 1)
}

impl SqlStore {
    pub(crate) async fn read_rotation_inventory(
        &self,
        user: UserId,
    ) -> Result<RotationInventory, StoreError> {
        let u = user.to_string();
        let sql = |what: &str, from: &str| format!("SELECT {what} {from} ORDER BY 1");
        let ciphers: Vec<(String, i32)> = on_pool!(&self.pool, p => sqlx::query_as(&sql("id, cipher_type", CIPHERS))
            .bind(&u).fetch_all(p).await.map_err(db)?);
        let mut lists: Vec<Vec<String>> = Vec::with_capacity(5);
        for (what, from) in [
            ("id", FOLDERS),
            ("id", SENDS),
            ("id", GRANTS),
            ("org_id", ENROLMENTS),
            ("id", TRUSTED),
        ] {
            lists.push(
                on_pool!(&self.pool, p => sqlx::query_scalar(&sql(what, from))
                .bind(&u).fetch_all(p).await.map_err(db)?),
            );
        }
        let [folders, sends, grants, orgs, devices] = <[Vec<String>; 5]>::try_from(lists)
            .map_err(|_| StoreError::Corrupt("rotation inventory".into()))?;
        Ok(RotationInventory {
            ciphers: ciphers
                .into_iter()
                .map(|(c, t)| Ok((id(&c)?, t)))
                .collect::<Result<_, StoreError>>()?,
            folders: ids(&folders)?,
            sends: ids(&sends)?,
            emergency_access: ids(&grants)?,
            enrolments: ids(&orgs)?,
            trusted_devices: ids(&devices)?,
        })
    }

    pub(crate) async fn write_rotation(
        &self,
        user: UserId,
        r: &UserKeyRotation,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        let u = user.to_string();
        let counts = [
            (CIPHERS, r.ciphers.len()),
            (FOLDERS, r.folders.len()),
            (SENDS, r.sends.len()),
            (GRANTS, r.emergency_access.len()),
            (ENROLMENTS, r.enrolments.len()),
        ];
        on_pool!(&self.pool, p => {
            let mut tx = self.begin(p).await?;
            for c in &r.ciphers {
                let q = sqlx::query(
                    "UPDATE ciphers SET data = $3, revision_date = $4 WHERE id = $1 AND user_id = $2",
                )
                .arg(c.id.to_string())
                .arg(u.as_str())
                .arg(c.data.as_str())
                .arg(now.0);
                if !one(&mut *tx, q).await? {
                    return Ok(false);
                }
                rename_attachments(&mut *tx, c.id, &c.attachments).await?;
            }
            for (f, name) in &r.folders {
                let q = sqlx::query(
                    "UPDATE folders SET name = $3, revision_date = $4 WHERE id = $1 AND user_id = $2",
                )
                .arg(f.to_string())
                .arg(u.as_str())
                .arg(name.as_str())
                .arg(now.0);
                if !one(&mut *tx, q).await? {
                    return Ok(false);
                }
            }
            for (s, key) in &r.sends {
                let q = sqlx::query(
                    "UPDATE sends SET send_key = $3, revision_date = $4 WHERE id = $1 AND user_id = $2",
                )
                .arg(s.to_string())
                .arg(u.as_str())
                .arg(key.as_str())
                .arg(now.0);
                if !one(&mut *tx, q).await? {
                    return Ok(false);
                }
            }
            for (e, key) in &r.emergency_access {
                let q = sqlx::query(
                    "UPDATE emergency_access SET key_encrypted = $3, revision_date = $4 \
                     WHERE id = $1 AND grantor_id = $2 AND key_encrypted IS NOT NULL",
                )
                .arg(e.to_string())
                .arg(u.as_str())
                .arg(key.as_str())
                .arg(now.0);
                if !one(&mut *tx, q).await? {
                    return Ok(false);
                }
            }
            for (o, key) in &r.enrolments {
                let q = sqlx::query(
                    "UPDATE org_users SET reset_password_key = $3, revision_date = $4 \
                     WHERE org_id = $1 AND user_id = $2 \
                     AND reset_password_key IS NOT NULL AND reset_password_key <> ''",
                )
                .arg(o.to_string())
                .arg(u.as_str())
                .arg(key.as_str())
                .arg(now.0);
                if !one(&mut *tx, q).await? {
                    return Ok(false);
                }
            }
            // Counted after the updates, in the same transaction: a row added meanwhile (it
            // would stay under the old key) makes the rotation write nothing.
            for (from, expected) in counts {
                let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) {from}"))
                    .bind(&u)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(db)?;
                if usize::try_from(n).ok() != Some(expected) {
                    return Ok(false);
                }
            }
            // The devices that stay trusted get the new user key; the others lose their trust.
            if !rekey_trusted_devices(&mut *tx, &u, &r.devices).await? {
                return Ok(false);
            }
            write_credentials(&mut *tx, user, &r.credentials, now).await?;
            let q = sqlx::query("UPDATE users SET private_key = $2, user_key_id = $3 WHERE id = $1")
                .arg(u.as_str())
                .arg(r.private_key.as_str())
                .arg(r.user_key_id.as_deref());
            tx.run(q).await?;
            tx.commit().await.map_err(db)?;
            Ok(true)
        })
    }
}
