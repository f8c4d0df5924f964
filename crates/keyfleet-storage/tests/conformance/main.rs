//! Backend conformance: the same story runs against SQLite and PostgreSQL, so the two SQL paths
//! cannot drift apart unnoticed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod devices;
mod emergency_access;
mod files;
mod key_rotation;
mod org_revisions;
mod providers;
mod sends;
mod sync_reach;

use futures::StreamExt;
use keyfleet_domain::files::FileId;
use keyfleet_domain::identity::two_factor::TwoFactorProviderType;
use keyfleet_domain::ids::{CipherId, FolderId, TokenFamilyId, UserId};
use keyfleet_domain::orgs::EventType;
use keyfleet_domain::store::{
    AccountStore, AttachmentNames, AttachmentRow, AttachmentStore, AuditStore, BulkCipherChange,
    CipherRow, CipherView, CredentialUpdate, EventQuery, EventRow, FolderRow, ItemAccess,
    KdfParams, RefreshTokenRow, StorageOwner, UserRow, VaultStore,
};
use keyfleet_domain::{StoreError, Timestamp};
use keyfleet_storage::SqlStore;
use keyfleet_testkit::{backends, fresh_database_url};

fn user(email: &str) -> UserRow {
    UserRow {
        id: UserId::new(),
        email: email.into(),
        name: Some("N".into()),
        password_hash: "$argon2id$x".into(),
        password_hint: None,
        kdf: KdfParams {
            kdf_type: 0,
            iterations: 600_000,
            memory: None,
            parallelism: None,
        },
        key: "2.a|b|c".into(),
        public_key: Some("pk".into()),
        private_key: Some("2.d|e|f".into()),
        security_stamp: "s1".into(),
        user_key_id: None,
        api_key_digest: String::new(),
        culture: "en-US".into(),
        force_password_reset: false,
        creation_date: Timestamp(1_000),
        revision_date: Timestamp(1_000),
    }
}

fn cipher(owner: UserId, at: i64) -> CipherView {
    CipherView {
        cipher: CipherRow {
            id: CipherId::new(),
            user_id: Some(owner),
            org_id: None,
            cipher_type: 1,
            data: r#"{"name":"2.a|b|c"}"#.into(),
            creation_date: Timestamp(at),
            revision_date: Timestamp(at),
            deleted_date: None,
            archived_date: None,
        },
        folder_id: None,
        favorite: false,
        collection_ids: vec![],
        access: ItemAccess::FULL,
        attachments: vec![],
    }
}

fn token(user: &UserRow, family: TokenFamilyId, hash: &str) -> RefreshTokenRow {
    RefreshTokenRow {
        token_hash: hash.into(),
        family,
        user_id: user.id,
        device_id: None,
        client_id: "cli".into(),
        security_stamp: user.security_stamp.clone(),
        created: Timestamp(1),
        expires: Timestamp(10_000),
        used: None,
        revoked: false,
    }
}

async fn each_backend<F, Fut>(story: F)
where
    F: Fn(SqlStore) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for backend in backends() {
        let (url, _guard) = fresh_database_url(backend).await;
        let store = SqlStore::open(&url)
            .await
            .unwrap_or_else(|e| panic!("{backend:?}: {e}"));
        story(store.clone()).await;
        store.close().await;
    }
}

#[tokio::test]
async fn users_are_unique_by_email_and_round_trip() {
    each_backend(|s| async move {
        let u = user("a@example.com");
        s.insert_user(&u).await.unwrap();
        assert!(matches!(
            s.insert_user(&user("a@example.com")).await,
            Err(StoreError::Conflict)
        ));
        let back = s.user_by_email("a@example.com").await.unwrap().unwrap();
        assert_eq!(back.id, u.id);
        assert_eq!(back.kdf, u.kdf);
        assert_eq!(back.private_key, u.private_key);
        assert!(s.user_by_id(UserId::new()).await.unwrap().is_none());
    })
    .await;
}

#[tokio::test]
async fn refresh_tokens_rotate_once_and_credential_changes_revoke_them() {
    each_backend(|s| async move {
        let u = user("t@example.com");
        s.insert_user(&u).await.unwrap();
        let family = TokenFamilyId::new();
        s.insert_refresh_token(&token(&u, family, "h1"))
            .await
            .unwrap();
        assert!(s
            .rotate_refresh_token("h1", &token(&u, family, "h2"), Timestamp(5))
            .await
            .unwrap());
        assert!(
            !s.rotate_refresh_token("h1", &token(&u, family, "h3"), Timestamp(6))
                .await
                .unwrap(),
            "second use of h1 must fail"
        );
        assert!(
            s.refresh_token("h3").await.unwrap().is_none(),
            "a failed rotation stores nothing"
        );
        assert_eq!(
            s.refresh_token("h1").await.unwrap().unwrap().used,
            Some(Timestamp(5))
        );

        let update = CredentialUpdate {
            password_hash: "new".into(),
            password_hint: Some("hint".into()),
            replace_hint: true,
            key: "2.x|y|z".into(),
            kdf: u.kdf,
            security_stamp: "s2".into(),
            force_password_reset: false,
        };
        let event = EventRow {
            user_id: Some(u.id),
            acting_user_id: Some(u.id),
            ..EventRow::new(EventType::UserUpdatedTempPassword, Timestamp(7))
        };
        s.update_credentials(u.id, &update, std::slice::from_ref(&event), Timestamp(7))
            .await
            .unwrap();
        assert!(s.refresh_token("h2").await.unwrap().unwrap().revoked);
        let back = s.user_by_id(u.id).await.unwrap().unwrap();
        assert_eq!(back.security_stamp, "s2");
        assert_eq!(back.password_hint.as_deref(), Some("hint"));
        assert_eq!(back.revision_date, Timestamp(7));
        // The event is written with the credentials (update-temp-password's 1008).
        let events = s
            .events(&EventQuery {
                org_id: None,
                user_id: Some(u.id),
                org_user_id: None,
                cipher_id: None,
                start: Timestamp(0),
                end: Timestamp(10),
                before: None,
                limit: 10,
            })
            .await
            .unwrap();
        assert_eq!(events, vec![event]);
    })
    .await;
}

#[tokio::test]
async fn a_users_vault_is_invisible_to_another_user() {
    each_backend(|s| async move {
        let alice = user("alice@example.com");
        let mallory = user("mallory@example.com");
        s.insert_user(&alice).await.unwrap();
        s.insert_user(&mallory).await.unwrap();
        let folder = FolderRow {
            id: FolderId::new(),
            name: "2.f|o|l".into(),
            revision_date: Timestamp(2),
        };
        s.insert_folder(alice.id, &folder).await.unwrap();
        let mut c = cipher(alice.id, 3);
        c.folder_id = Some(folder.id);
        c.favorite = true;
        s.insert_cipher(&c).await.unwrap();

        assert_eq!(s.cipher(alice.id, c.cipher.id).await.unwrap().unwrap(), c);
        assert!(s.cipher(mallory.id, c.cipher.id).await.unwrap().is_none());
        assert!(s.folder(mallory.id, folder.id).await.unwrap().is_none());
        assert!(s
            .rename_folder(mallory.id, folder.id, "2.x|x|x", Timestamp(4))
            .await
            .unwrap()
            .is_none());
        assert!(!s
            .update_cipher(mallory.id, &c, &[], c.cipher.revision_date)
            .await
            .unwrap());
        assert_eq!(
            s.change_ciphers(
                mallory.id,
                &[c.cipher.id],
                BulkCipherChange::Purge,
                Timestamp(5)
            )
            .await
            .unwrap(),
            0
        );
        assert_eq!(
            s.delete_folders(mallory.id, Some(&[folder.id]), Timestamp(5))
                .await
                .unwrap(),
            0
        );
        assert_eq!(s.ciphers_stream(mallory.id).count().await, 0);
        assert_eq!(s.ciphers_stream(alice.id).count().await, 1);
    })
    .await;
}

#[tokio::test]
async fn cipher_updates_are_compare_and_set_on_the_revision() {
    each_backend(|s| async move {
        let u = user("c@example.com");
        s.insert_user(&u).await.unwrap();
        let c = cipher(u.id, 10);
        s.insert_cipher(&c).await.unwrap();
        let mut edited = c.clone();
        edited.cipher.data = r#"{"name":"2.n|e|w"}"#.into();
        edited.cipher.revision_date = Timestamp(20);
        assert!(s
            .update_cipher(u.id, &edited, &[], Timestamp(10))
            .await
            .unwrap());
        // A refused update writes nothing: not the data, not the favorite, not the revision.
        let mut stale = edited.clone();
        stale.cipher.data = r#"{"name":"2.s|t|a"}"#.into();
        stale.cipher.revision_date = Timestamp(30);
        stale.favorite = true;
        assert!(
            !s.update_cipher(u.id, &stale, &[], Timestamp(10))
                .await
                .unwrap(),
            "stale expected revision"
        );
        let back = s.cipher(u.id, c.cipher.id).await.unwrap().unwrap();
        assert_eq!(back.cipher.data, edited.cipher.data);
        assert!(!back.favorite);
        assert_eq!(
            s.user_by_id(u.id).await.unwrap().unwrap().revision_date,
            Timestamp(20)
        );
        // Someone else's update of it is refused the same way, and bumps nobody.
        let other = user("c-other@example.com");
        s.insert_user(&other).await.unwrap();
        assert!(!s
            .update_cipher(other.id, &stale, &[], Timestamp(20))
            .await
            .unwrap());
        assert_eq!(
            s.user_by_id(other.id).await.unwrap().unwrap().revision_date,
            other.revision_date
        );
        assert!(!s.cipher(u.id, c.cipher.id).await.unwrap().unwrap().favorite);
        // An update that applies sets the favorite with it.
        assert!(s
            .update_cipher(u.id, &stale, &[], Timestamp(20))
            .await
            .unwrap());
        assert!(s.cipher(u.id, c.cipher.id).await.unwrap().unwrap().favorite);
    })
    .await;
}

/// The name and key stored for an attachment.
async fn stored_names(s: &SqlStore, a: &AttachmentRow) -> (String, String) {
    let row = s.attachment(a.cipher_id, &a.id).await.unwrap().unwrap();
    (row.file_name, row.key)
}

/// An item save's new attachment names and keys (`attachments2`) are part of the item's write:
/// a save refused on its revision renames nothing; an id that is not the item's changes nothing.
#[tokio::test]
async fn attachment_names_change_only_with_their_items_write() {
    each_backend(|s| async move {
        let u = user("names@example.com");
        s.insert_user(&u).await.unwrap();
        let c = cipher(u.id, 10);
        s.insert_cipher(&c).await.unwrap();
        let other = cipher(u.id, 10);
        s.insert_cipher(&other).await.unwrap();
        let attachment = |item: CipherId| AttachmentRow {
            id: FileId::new(),
            cipher_id: item,
            file_name: "2.old|name|x".into(),
            key: "2.old|key|x".into(),
            size: 10,
            uploaded: true,
            creation_date: Timestamp(10),
            download_url: String::new(),
        };
        let mine = attachment(c.cipher.id);
        let theirs = attachment(other.cipher.id);
        for a in [&mine, &theirs] {
            assert!(s
                .insert_attachment(a, StorageOwner::User(u.id), 1 << 20, &[], Timestamp(10))
                .await
                .unwrap());
        }
        let rename = |id: &FileId| AttachmentNames {
            id: id.clone(),
            file_name: "2.new|name|x".into(),
            key: "2.new|key|x".into(),
        };
        let names = [rename(&mine.id), rename(&theirs.id)];
        let mut edited = c.clone();
        edited.cipher.revision_date = Timestamp(20);

        assert!(!s
            .update_cipher(u.id, &edited, &names, Timestamp(5))
            .await
            .unwrap());
        assert_eq!(
            stored_names(&s, &mine).await,
            ("2.old|name|x".into(), "2.old|key|x".into()),
            "a refused save renames nothing"
        );
        assert!(s
            .update_cipher(u.id, &edited, &names, Timestamp(10))
            .await
            .unwrap());
        assert_eq!(
            stored_names(&s, &mine).await,
            ("2.new|name|x".into(), "2.new|key|x".into())
        );
        assert_eq!(
            stored_names(&s, &theirs).await,
            ("2.old|name|x".into(), "2.old|key|x".into()),
            "another item's attachment is not renamed through this one"
        );
    })
    .await;
}

#[tokio::test]
async fn soft_delete_restore_purge_and_folder_deletion_unfiles_items() {
    each_backend(|s| async move {
        let u = user("d@example.com");
        s.insert_user(&u).await.unwrap();
        let folder = FolderRow {
            id: FolderId::new(),
            name: "2.f|o|l".into(),
            revision_date: Timestamp(2),
        };
        s.insert_folder(u.id, &folder).await.unwrap();
        let a = cipher(u.id, 3);
        let b = cipher(u.id, 4);
        s.insert_cipher(&a).await.unwrap();
        s.insert_cipher(&b).await.unwrap();
        let ids = [a.cipher.id, b.cipher.id];
        assert_eq!(
            s.move_ciphers(u.id, &ids, Some(folder.id), Timestamp(5))
                .await
                .unwrap(),
            2
        );
        assert_eq!(
            s.cipher(u.id, a.cipher.id)
                .await
                .unwrap()
                .unwrap()
                .folder_id,
            Some(folder.id)
        );

        assert_eq!(
            s.change_ciphers(
                u.id,
                &ids,
                BulkCipherChange::SoftDelete(Timestamp(6)),
                Timestamp(6)
            )
            .await
            .unwrap(),
            2
        );
        assert_eq!(
            s.cipher(u.id, a.cipher.id)
                .await
                .unwrap()
                .unwrap()
                .cipher
                .deleted_date,
            Some(Timestamp(6))
        );
        assert_eq!(
            s.change_ciphers(
                u.id,
                &[a.cipher.id],
                BulkCipherChange::Restore,
                Timestamp(7)
            )
            .await
            .unwrap(),
            1
        );
        assert_eq!(
            s.cipher(u.id, a.cipher.id)
                .await
                .unwrap()
                .unwrap()
                .cipher
                .deleted_date,
            None
        );

        assert_eq!(s.delete_folders(u.id, None, Timestamp(8)).await.unwrap(), 1);
        assert_eq!(
            s.cipher(u.id, a.cipher.id)
                .await
                .unwrap()
                .unwrap()
                .folder_id,
            None,
            "items stay, unfiled"
        );

        assert_eq!(
            s.change_ciphers(u.id, &ids, BulkCipherChange::Purge, Timestamp(9))
                .await
                .unwrap(),
            2
        );
        assert!(s.cipher(u.id, a.cipher.id).await.unwrap().is_none());
    })
    .await;
}

#[tokio::test]
async fn the_first_stored_setting_wins() {
    each_backend(|s| async move {
        assert_eq!(s.setting_init("k", "first").await.unwrap(), "first");
        assert_eq!(s.setting_init("k", "second").await.unwrap(), "first");
        assert_eq!(s.setting("k").await.unwrap().as_deref(), Some("first"));
        assert!(s.setting("missing").await.unwrap().is_none());
    })
    .await;
}

#[tokio::test]
async fn a_database_written_by_a_newer_keyfleet_is_refused() {
    for backend in backends() {
        let (url, _guard) = fresh_database_url(backend).await;
        let store = SqlStore::open(&url).await.unwrap();
        // Pretend a future binary applied migration 9999.
        const FUTURE: &str = "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
                              VALUES (9999, 'from the future', TRUE, x'00', 0)";
        const FUTURE_PG: &str = "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
                                 VALUES (9999, 'from the future', TRUE, '\\x00'::bytea, 0)";
        match store.pool() {
            keyfleet_storage::Pool::Sqlite(p) => sqlx::query(FUTURE).execute(p).await.map(|_| ()),
            keyfleet_storage::Pool::Postgres(p) => {
                sqlx::query(FUTURE_PG).execute(p).await.map(|_| ())
            }
        }
        .unwrap();
        store.close().await;
        let err = SqlStore::open(&url).await.unwrap_err();
        assert!(err.to_string().contains("migrate"), "{backend:?}: {err}");
        // Reopening a current database is fine.
        let (url, _guard2) = fresh_database_url(backend).await;
        SqlStore::open(&url).await.unwrap().close().await;
        SqlStore::open(&url).await.unwrap().close().await;
    }
}

#[tokio::test]
async fn totp_steps_are_used_once_and_turning_two_step_off_forgets_its_secrets() {
    use keyfleet_domain::store::{TwoFactorRow, TwoFactorStore};
    each_backend(|s| async move {
        let u = user("f@example.com");
        s.insert_user(&u).await.unwrap();
        let device = s
            .upsert_device(u.id, "dev-1", 25, "linux", Timestamp(1))
            .await
            .unwrap();
        let row = TwoFactorRow {
            provider: TwoFactorProviderType::Authenticator,
            enabled: true,
            data: r#"{"key":"K"}"#.into(),
            last_used_step: Some(10),
        };
        s.save_two_factor(u.id, &row, Some("recovery-hash"), Timestamp(2))
            .await
            .unwrap();
        assert_eq!(s.two_factors(u.id).await.unwrap(), vec![row]);
        assert!(
            !s.use_totp_step(u.id, 10).await.unwrap(),
            "the enabling step is spent"
        );
        assert!(s.use_totp_step(u.id, 11).await.unwrap());
        assert!(!s.use_totp_step(u.id, 11).await.unwrap(), "each step once");
        assert!(!s.use_totp_step(u.id, 9).await.unwrap(), "never backwards");

        s.remember_device(device.id, "remember-hash", Timestamp(100))
            .await
            .unwrap();
        assert_eq!(
            s.remembered_device(u.id, "dev-1").await.unwrap(),
            Some(("remember-hash".into(), Timestamp(100)))
        );
        assert_eq!(
            s.recovery_code_hash(u.id).await.unwrap().as_deref(),
            Some("recovery-hash")
        );

        assert_eq!(
            s.remove_two_factor(
                u.id,
                Some(TwoFactorProviderType::Authenticator),
                Timestamp(3)
            )
            .await
            .unwrap(),
            1
        );
        assert!(s.two_factors(u.id).await.unwrap().is_empty());
        assert_eq!(s.recovery_code_hash(u.id).await.unwrap(), None);
        assert_eq!(s.remembered_device(u.id, "dev-1").await.unwrap(), None);
    })
    .await;
}

#[tokio::test]
async fn webauthn_challenges_are_taken_once_and_expire() {
    use keyfleet_domain::store::{TwoFactorStore, WebauthnChallengeRow};
    each_backend(|s| async move {
        let u = user("w@example.com");
        s.insert_user(&u).await.unwrap();
        let challenge = |c: &str, expires: i64| WebauthnChallengeRow {
            user_id: u.id,
            purpose: "login".into(),
            challenge: c.into(),
            state: format!("state-{c}"),
            expires: Timestamp(expires),
        };
        s.put_webauthn_challenge(&challenge("a", 100), Timestamp(1))
            .await
            .unwrap();
        s.put_webauthn_challenge(&challenge("b", 100), Timestamp(1))
            .await
            .unwrap();
        s.put_webauthn_challenge(&challenge("old", 50), Timestamp(1))
            .await
            .unwrap();
        assert_eq!(
            s.take_webauthn_challenge(u.id, "register", "a", Timestamp(2))
                .await
                .unwrap(),
            None,
            "a login challenge is not a registration challenge"
        );
        assert_eq!(
            s.take_webauthn_challenge(u.id, "login", "a", Timestamp(2))
                .await
                .unwrap()
                .as_deref(),
            Some("state-a")
        );
        assert_eq!(
            s.take_webauthn_challenge(u.id, "login", "a", Timestamp(2))
                .await
                .unwrap(),
            None,
            "once only"
        );
        assert_eq!(
            s.take_webauthn_challenge(u.id, "login", "old", Timestamp(60))
                .await
                .unwrap(),
            None,
            "expired"
        );
        let other = user("x@example.com");
        s.insert_user(&other).await.unwrap();
        assert_eq!(
            s.take_webauthn_challenge(other.id, "login", "b", Timestamp(2))
                .await
                .unwrap(),
            None,
            "another user's challenge"
        );
        assert!(s
            .take_webauthn_challenge(u.id, "login", "b", Timestamp(2))
            .await
            .unwrap()
            .is_some());

        // Only the newest 20 open ceremonies are kept.
        for i in 0..25 {
            s.put_webauthn_challenge(&challenge(&format!("c{i}"), 1_000 + i), Timestamp(3))
                .await
                .unwrap();
        }
        for (i, kept) in [(0, false), (4, false), (5, true), (24, true)] {
            let got = s
                .take_webauthn_challenge(u.id, "login", &format!("c{i}"), Timestamp(4))
                .await
                .unwrap();
            assert_eq!(got.is_some(), kept, "c{i}");
        }
    })
    .await;
}

#[tokio::test]
async fn two_factor_data_is_replaced_only_from_the_expected_value() {
    use keyfleet_domain::store::{TwoFactorRow, TwoFactorStore};
    each_backend(|s| async move {
        let u = user("c@example.com");
        s.insert_user(&u).await.unwrap();
        let row = TwoFactorRow {
            provider: TwoFactorProviderType::WebAuthn,
            enabled: true,
            data: r#"{"n":1}"#.into(),
            last_used_step: None,
        };
        s.save_two_factor(u.id, &row, None, Timestamp(2))
            .await
            .unwrap();
        assert!(s
            .replace_two_factor_data(
                u.id,
                TwoFactorProviderType::WebAuthn,
                r#"{"n":1}"#,
                r#"{"n":2}"#
            )
            .await
            .unwrap());
        assert!(!s
            .replace_two_factor_data(
                u.id,
                TwoFactorProviderType::WebAuthn,
                r#"{"n":1}"#,
                r#"{"n":3}"#
            )
            .await
            .unwrap());
        assert_eq!(s.two_factors(u.id).await.unwrap()[0].data, r#"{"n":2}"#);
    })
    .await;
}

/// Sync reads in pages (connection released in between): every item comes exactly once,
/// however many pages the vault spans, and nothing of another user's.
#[tokio::test]
async fn a_sync_reads_every_item_once_across_pages() {
    each_backend(|s| async move {
        let alice = user("pages@example.com");
        let bob = user("other-pages@example.com");
        s.insert_user(&alice).await.unwrap();
        s.insert_user(&bob).await.unwrap();
        let mut ids = std::collections::BTreeSet::new();
        for i in 0..1_234 {
            let c = cipher(alice.id, 2_000 + i);
            ids.insert(c.cipher.id);
            s.insert_cipher(&c).await.unwrap();
        }
        s.insert_cipher(&cipher(bob.id, 9_000)).await.unwrap();
        let read: Vec<CipherId> = s
            .ciphers_stream(alice.id)
            .map(|r| r.unwrap().cipher.id)
            .collect()
            .await;
        assert_eq!(read.len(), ids.len());
        assert_eq!(
            read.iter()
                .copied()
                .collect::<std::collections::BTreeSet<_>>(),
            ids
        );
        // As bytes: the same items in the same order, one piece per page read (500 items).
        let write: keyfleet_domain::store::ItemWriter = std::sync::Arc::new(|v, out| {
            out.extend_from_slice(format!("{}\n", v.cipher.id).as_bytes());
        });
        let pages: Vec<Vec<u8>> = s
            .cipher_pages(alice.id, write)
            .map(|r| r.unwrap())
            .collect()
            .await;
        let per_page: Vec<usize> = pages
            .iter()
            .map(|p| p.iter().filter(|b| **b == b'\n').count())
            .collect();
        assert_eq!(per_page, [500, 500, 234]);
        let written: Vec<String> = pages
            .iter()
            .flat_map(|p| {
                String::from_utf8(p.clone())
                    .unwrap()
                    .lines()
                    .map(str::to_owned)
                    .collect::<Vec<_>>()
            })
            .collect();
        let read: Vec<String> = read.iter().map(ToString::to_string).collect();
        assert_eq!(written, read);
    })
    .await;
}

/// Pages are bounded by bytes as well as by items: a vault of large items is read in pages
/// that stop at the item reaching `SYNC_PAGE_BYTES` of data (a sync holds a few of them, not
/// 500 large items), and small items after them come in full pages again.
#[tokio::test]
async fn large_items_are_read_in_pages_bounded_by_bytes() {
    use keyfleet_storage::SYNC_PAGE_BYTES;
    each_backend(|s| async move {
        let alice = user("large@example.com");
        s.insert_user(&alice).await.unwrap();
        let mut ids = Vec::new();
        // 40 items of 100–300 KB (about 7.8 MB), then 700 small ones.
        for i in 0..740 {
            let mut c = cipher(alice.id, 2_000 + i);
            if i < 40 {
                let notes = "x".repeat(100_000 + (i as usize % 3) * 100_000);
                c.cipher.data = format!(r#"{{"name":"2.a|b|c","notes":"{notes}"}}"#);
            }
            ids.push(c.cipher.id);
            s.insert_cipher(&c).await.unwrap();
        }
        let write: keyfleet_domain::store::ItemWriter = std::sync::Arc::new(|v, out| {
            out.extend_from_slice(format!("{} {}\n", v.cipher.id, v.cipher.data.len()).as_bytes());
        });
        let pages: Vec<Vec<(String, usize)>> = s
            .cipher_pages(alice.id, write)
            .map(|r| {
                String::from_utf8(r.unwrap())
                    .unwrap()
                    .lines()
                    .map(|l| {
                        let (id, len) = l.split_once(' ').unwrap();
                        (id.to_string(), len.parse().unwrap())
                    })
                    .collect()
            })
            .collect()
            .await;
        let read: Vec<String> = pages.iter().flatten().map(|(id, _)| id.clone()).collect();
        let ids: Vec<String> = ids.iter().map(ToString::to_string).collect();
        assert_eq!(read, ids, "every item once, in order");
        for page in &pages {
            let before_last: usize = page[..page.len() - 1].iter().map(|(_, n)| n).sum();
            assert!(
                before_last < SYNC_PAGE_BYTES,
                "a page read on past its byte budget: {} items, {before_last} bytes before the last",
                page.len()
            );
        }
        let big_pages = pages.iter().filter(|p| p.iter().any(|(_, n)| *n > 50_000)).count();
        assert!(big_pages >= 7, "7.8 MB of items in {big_pages} pages");
        let small_pages = pages.len() - big_pages;
        assert!(
            small_pages <= 3,
            "700 small items after large ones took {small_pages} pages"
        );
    })
    .await;
}

#[tokio::test]
async fn api_keys_are_stored_as_digests_issued_once_and_clear_ones_are_digested_on_open() {
    use keyfleet_domain::identity::tokens::{api_key_digest, api_key_matches};
    use keyfleet_domain::store::ApiKeyWrite;
    for backend in backends() {
        let (url, _guard) = fresh_database_url(backend).await;
        let s = SqlStore::open(&url).await.unwrap();
        let u = user("k@example.com");
        s.insert_user(&u).await.unwrap();
        let first = api_key_digest("first-key");
        assert!(s
            .set_api_key(u.id, &first, ApiKeyWrite::Issue, Timestamp(2))
            .await
            .unwrap());
        // A second first issue writes nothing: two concurrent views cannot both win.
        assert!(!s
            .set_api_key(u.id, &api_key_digest("x"), ApiKeyWrite::Issue, Timestamp(3))
            .await
            .unwrap());
        assert_eq!(
            s.user_by_id(u.id).await.unwrap().unwrap().api_key_digest,
            first
        );
        let rotated = api_key_digest("rotated-key");
        assert!(s
            .set_api_key(u.id, &rotated, ApiKeyWrite::Rotate, Timestamp(4))
            .await
            .unwrap());
        assert_eq!(
            s.user_by_id(u.id).await.unwrap().unwrap().api_key_digest,
            rotated
        );
        // A key an older Keyfleet kept in clear is replaced by its digest when storage opens.
        let legacy = user("legacy@example.com");
        s.insert_user(&legacy).await.unwrap();
        let sql = "UPDATE users SET api_key = 'OldClearKey0123456789abcdefghi' WHERE id = $1";
        let id = legacy.id.to_string();
        match s.pool() {
            keyfleet_storage::Pool::Sqlite(p) => {
                sqlx::query(sql).bind(id).execute(p).await.map(|_| ())
            }
            keyfleet_storage::Pool::Postgres(p) => {
                sqlx::query(sql).bind(id).execute(p).await.map(|_| ())
            }
        }
        .unwrap();
        s.close().await;
        let s = SqlStore::open(&url).await.unwrap();
        let stored = s
            .user_by_id(legacy.id)
            .await
            .unwrap()
            .unwrap()
            .api_key_digest;
        assert!(
            api_key_matches(&stored, "OldClearKey0123456789abcdefghi"),
            "{backend:?}"
        );
        assert!(!stored.contains("OldClearKey"), "{backend:?}");
        let untouched = s.user_by_id(u.id).await.unwrap().unwrap().api_key_digest;
        assert_eq!(untouched, rotated, "{backend:?}");
        s.close().await;
    }
}

/// An own-items page leaves out the owner, the rights and the collections (the same on every
/// row); every reader puts them back: a synced item is its owner's, with every right and no
/// collection. Read on each backend, and on an in-memory SQLite database (read through sqlx,
/// not the direct reader).
#[tokio::test]
async fn own_items_come_back_with_their_owner_every_right_and_no_collection() {
    let story = |s: SqlStore| async move {
        let alice = user("own@example.com");
        s.insert_user(&alice).await.unwrap();
        let mut written = Vec::new();
        for i in 0..3 {
            let c = cipher(alice.id, 3_000 + i);
            s.insert_cipher(&c).await.unwrap();
            written.push(c);
        }
        let read: Vec<CipherView> = s
            .ciphers_stream(alice.id)
            .map(|r| r.unwrap())
            .collect()
            .await;
        assert_eq!(read.len(), 3);
        for (r, w) in read.iter().zip(&written) {
            assert_eq!(r.cipher.id, w.cipher.id);
            assert_eq!(r.cipher.user_id, Some(alice.id));
            assert_eq!(r.cipher.org_id, None);
            assert_eq!(r.cipher.data, w.cipher.data);
            assert_eq!(r.access, ItemAccess::FULL);
            assert!(r.collection_ids.is_empty());
        }
    };
    each_backend(story).await;
    let memory = SqlStore::open("sqlite::memory:").await.unwrap();
    story(memory.clone()).await;
    memory.close().await;
}

/// The PostgreSQL pool does not ping a connection before each statement, but one idle for a
/// moment is checked before it is handed out: after the database drops every connection (a
/// restart), the next call is served on a new one instead of failing on a dead one.
#[tokio::test]
async fn postgres_connections_dropped_by_the_database_are_replaced_before_use() {
    if !backends().contains(&keyfleet_testkit::Backend::Postgres) {
        return;
    }
    let (url, _guard) = fresh_database_url(keyfleet_testkit::Backend::Postgres).await;
    let s = SqlStore::open(&url).await.unwrap();
    let u = user("dropped@example.com");
    s.insert_user(&u).await.unwrap();
    for _ in 0..3 {
        assert!(s.user_by_id(u.id).await.unwrap().is_some());
    }
    let mut admin = <sqlx::PgConnection as sqlx::Connection>::connect(&url)
        .await
        .unwrap();
    let dropped: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE datname = current_database() AND pid <> pg_backend_pid()) t",
    )
    .fetch_one(&mut admin)
    .await
    .unwrap();
    assert!(dropped >= 1, "the store held no connection");
    tokio::time::sleep(std::time::Duration::from_millis(1_200)).await;
    for _ in 0..3 {
        assert!(s.user_by_id(u.id).await.unwrap().is_some());
    }
    s.close().await;
}

/// Pushes relayed between instances go out several to one statement: each payload sent is
/// heard once, in the order sent, by every listening instance.
#[tokio::test]
async fn postgres_relay_delivers_each_payload_of_a_batch_in_order() {
    if !backends().contains(&keyfleet_testkit::Backend::Postgres) {
        return;
    }
    let (url, _guard) = fresh_database_url(keyfleet_testkit::Backend::Postgres).await;
    let s = SqlStore::open(&url).await.unwrap();
    let relay = s.push_relay().expect("PostgreSQL relays");
    let mut listener = relay.listen().await.unwrap();
    relay.publish(&[]).await.unwrap();
    let batch: Vec<String> = (0..5).map(|i| format!("{{\"n\":{i}}}")).collect();
    relay.publish(&batch).await.unwrap();
    relay.publish(&["after".to_string()]).await.unwrap();
    let mut heard = Vec::new();
    for _ in 0..6 {
        let next = tokio::time::timeout(std::time::Duration::from_secs(5), listener.recv());
        heard.push(next.await.expect("a payload in time").unwrap());
    }
    let mut sent = batch.clone();
    sent.push("after".into());
    assert_eq!(heard, sent);
    // The listener holds one of the pool's connections: closing waits for it.
    drop(listener);
    s.close().await;
}

/// Org items are read in pages of their own (an organization walked item by item, 500 rows to a
/// page): an owner and a member granted one collection read every item they reach once, in id
/// order, across page boundaries; the member none outside the collection, each with the grant's
/// rights.
#[tokio::test]
async fn org_items_are_read_once_each_across_org_pages() {
    use crate::providers::{org, org_member};
    use keyfleet_domain::ids::CollectionId;
    use keyfleet_domain::orgs::{OrganizationUserStatus, OrganizationUserType};
    use keyfleet_domain::store::{AccessSelection, CollectionRow, OrgItemStore, OrgStore};
    each_backend(|s| async move {
        let owner = user("pages-owner@example.com");
        let member = user("pages-member@example.com");
        s.insert_user(&owner).await.unwrap();
        s.insert_user(&member).await.unwrap();
        let acme = org("Acme");
        let mut owner_m = org_member(&acme, Some(&owner), OrganizationUserStatus::Confirmed);
        owner_m.member_type = OrganizationUserType::Owner;
        let shared = CollectionRow {
            id: CollectionId::new(),
            org_id: acme.id,
            name: "2.c|o|l".into(),
            external_id: None,
            creation_date: Timestamp(100),
            revision_date: Timestamp(100),
        };
        s.insert_org(&acme, &owner_m, Some(&shared), &[])
            .await
            .unwrap();
        let member_m = org_member(&acme, Some(&member), OrganizationUserStatus::Confirmed);
        let read_only = AccessSelection {
            id: shared.id.uuid(),
            read_only: true,
            hide_passwords: false,
            manage: false,
        };
        s.insert_org_users(&[member_m], &[read_only], &[], &[])
            .await
            .unwrap();
        let (mut all, mut granted) = (Vec::new(), Vec::new());
        for i in 0..1_200 {
            let mut c = cipher(owner.id, 3_000 + i).cipher;
            c.user_id = None;
            c.org_id = Some(acme.id);
            // Every tenth item is in no collection: the owner reads it, the member does not.
            let collections = if i % 10 == 3 { vec![] } else { vec![shared.id] };
            s.insert_org_cipher(&c, &collections, &[]).await.unwrap();
            all.push(c.id.to_string());
            if !collections.is_empty() {
                granted.push(c.id.to_string());
            }
        }
        all.sort();
        granted.sort();
        let write: keyfleet_domain::store::ItemWriter = std::sync::Arc::new(|v, out| {
            let a = v.access;
            let line = format!("{} {} {}\n", v.cipher.id, a.edit, v.collection_ids.len());
            out.extend_from_slice(line.as_bytes());
        });
        for (who, want, edit) in [(&owner, &all, true), (&member, &granted, false)] {
            let pages: Vec<Vec<String>> = s
                .cipher_pages(who.id, write.clone())
                .map(|p| {
                    String::from_utf8(p.unwrap())
                        .unwrap()
                        .lines()
                        .map(str::to_owned)
                        .collect()
                })
                .collect()
                .await;
            let sizes: Vec<usize> = pages.iter().map(Vec::len).collect();
            assert!(sizes.len() >= 3, "{}: {sizes:?}", who.email);
            assert!(sizes.iter().all(|n| *n <= 500), "{}: {sizes:?}", who.email);
            let read: Vec<&str> = pages
                .iter()
                .flatten()
                .map(|l| l.split(' ').next().unwrap())
                .collect();
            assert_eq!(read, *want, "{}: every item once, in order", who.email);
            for line in pages.iter().flatten() {
                let mut parts = line.split(' ').skip(1);
                assert_eq!(parts.next(), Some(if edit { "true" } else { "false" }));
            }
        }
    })
    .await;
}
