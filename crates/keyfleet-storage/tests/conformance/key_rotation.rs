//! User key rotation on both backends: the inventory holds exactly the user's own rows, the
//! rotation writes them all with the credentials, and a rotation that no longer matches the
//! rows (one added meanwhile, or one of someone else's) writes nothing. Trusted devices listed
//! are re-keyed, the others lose their trust.

use crate::emergency_access::access;
use crate::providers::{org, org_member};
use crate::sends::send;
use crate::{cipher, user};
use keyfleet_domain::ids::FolderId;
use keyfleet_domain::orgs::OrganizationUserStatus;
use keyfleet_domain::store::{
    AccountStore, CredentialUpdate, DeviceKeys, DeviceTrustUpdate, EmergencyAccessStatusType,
    EmergencyAccessStore, FolderRow, OrgStore, RotatedCipher, SendStore, UserKeyRotation,
    VaultStore,
};

fn device_keys(tag: &str) -> DeviceKeys {
    DeviceKeys {
        encrypted_user_key: format!("4.old-{tag}"),
        encrypted_public_key: format!("2.old-public-{tag}|x|y"),
        encrypted_private_key: format!("2.private-{tag}|x|y"),
    }
}
use keyfleet_domain::Timestamp;

#[tokio::test]
async fn a_rotation_rewrites_exactly_the_users_rows_or_nothing() {
    crate::each_backend(|s| async move {
        let alice = user("alice@example.com");
        let bob = user("bob@example.com");
        for u in [&alice, &bob] {
            s.insert_user(u).await.unwrap();
        }
        let item = cipher(alice.id, 1_000);
        let bobs_item = cipher(bob.id, 1_000);
        for c in [&item, &bobs_item] {
            s.insert_cipher(c).await.unwrap();
        }
        let folder = FolderRow {
            id: FolderId::new(),
            name: "2.old|f|f".into(),
            revision_date: Timestamp(1_000),
        };
        s.insert_folder(alice.id, &folder).await.unwrap();
        let note = send(alice.id, None, 90_000_000);
        s.insert_send(&note).await.unwrap();
        // A grant holding her key counts; an invitation without one does not.
        let grant = access(&alice, Some(&bob), EmergencyAccessStatusType::Confirmed);
        let invited = access(&alice, None, EmergencyAccessStatusType::Invited);
        for g in [&grant, &invited] {
            s.insert_emergency_access(g).await.unwrap();
        }
        // Enrolled in one organization, a plain member of another.
        let enrolled_org = org("Enrolled");
        let mut boss = org_member(&enrolled_org, Some(&bob), OrganizationUserStatus::Confirmed);
        boss.member_type = keyfleet_domain::orgs::OrganizationUserType::Owner;
        s.insert_org(&enrolled_org, &boss, None, &[]).await.unwrap();
        let mut enrolment = org_member(
            &enrolled_org,
            Some(&alice),
            OrganizationUserStatus::Confirmed,
        );
        enrolment.reset_password_key = Some("4.old".into());
        let plain_org = org("Plain");
        let plain_owner = org_member(&plain_org, Some(&bob), OrganizationUserStatus::Confirmed);
        s.insert_org(&plain_org, &plain_owner, None, &[])
            .await
            .unwrap();
        let plain = org_member(&plain_org, Some(&alice), OrganizationUserStatus::Confirmed);
        s.insert_org_users(&[enrolment.clone(), plain], &[], &[], &[])
            .await
            .unwrap();
        s.update_org_user(&enrolment, None, &[]).await.unwrap();

        // Two trusted devices (one keeps its trust, one is left out), one never trusted, and
        // Bob's trusted device.
        let mut devices = Vec::new();
        for (who, ident) in [
            (&alice, "kept"),
            (&alice, "left-out"),
            (&alice, "plain"),
            (&bob, "bobs"),
        ] {
            let d = s
                .upsert_device(who.id, ident, 25, "linux", Timestamp(10))
                .await
                .unwrap();
            if ident != "plain" {
                assert!(s
                    .set_device_keys(who.id, ident, Some(&device_keys(ident)))
                    .await
                    .unwrap());
            }
            devices.push(d.id);
        }
        let (kept, left_out, plain, bobs_device) = (devices[0], devices[1], devices[2], devices[3]);

        let inv = s.rotation_inventory(alice.id).await.unwrap();
        let mut trusted = vec![kept, left_out];
        trusted.sort_by_key(|d| d.to_string());
        assert_eq!(inv.trusted_devices, trusted);
        assert_eq!(inv.ciphers, vec![(item.cipher.id, 1)]);
        assert_eq!(inv.folders, vec![folder.id]);
        assert_eq!(inv.sends, vec![note.id]);
        assert_eq!(inv.emergency_access, vec![grant.id]);
        assert_eq!(inv.enrolments, vec![enrolled_org.id]);

        let rotation = UserKeyRotation {
            credentials: CredentialUpdate {
                password_hash: "$argon2id$new".into(),
                password_hint: None,
                replace_hint: true,
                key: "2.new|k|k".into(),
                kdf: alice.kdf,
                security_stamp: "rotated".into(),
                force_password_reset: false,
            },
            private_key: "2.new|p|p".into(),
            user_key_id: None,
            ciphers: vec![RotatedCipher {
                id: item.cipher.id,
                data: r#"{"name":"2.new|c|c"}"#.into(),
                attachments: vec![],
            }],
            folders: vec![(folder.id, "2.new|f|f".into())],
            sends: vec![(note.id, "2.new|s|s".into())],
            emergency_access: vec![(grant.id, "4.new-grant".into())],
            enrolments: vec![(enrolled_org.id, "4.new-enrolment".into())],
            devices: vec![DeviceTrustUpdate {
                device: kept,
                encrypted_user_key: "4.new-device".into(),
                encrypted_public_key: "2.new-public|x|y".into(),
            }],
        };

        // Someone else's item in place of hers, or a row missing: nothing written.
        let mut foreign = rotation.clone();
        foreign.ciphers[0].id = bobs_item.cipher.id;
        let mut short = rotation.clone();
        short.folders.clear();
        // Bob's device, or one of hers that is not trusted, in the device list.
        let mut foreign_device = rotation.clone();
        foreign_device.devices[0].device = bobs_device;
        let mut untrusted_device = rotation.clone();
        untrusted_device.devices[0].device = plain;
        for r in [&foreign, &short, &foreign_device, &untrusted_device] {
            assert!(!s
                .rotate_user_keys(alice.id, r, Timestamp(5_000))
                .await
                .unwrap());
        }
        let unchanged = s.user_by_id(alice.id).await.unwrap().unwrap();
        assert_eq!(unchanged.key, alice.key);
        assert_eq!(unchanged.security_stamp, alice.security_stamp);
        let bobs = s
            .cipher(bob.id, bobs_item.cipher.id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(bobs.cipher.data, bobs_item.cipher.data);
        let hers = s.cipher(alice.id, item.cipher.id).await.unwrap().unwrap();
        assert_eq!(hers.cipher.data, item.cipher.data);
        for (d, ident) in [
            (kept, "kept"),
            (left_out, "left-out"),
            (bobs_device, "bobs"),
        ] {
            let stored = s.device(d).await.unwrap().unwrap().keys;
            assert_eq!(
                stored,
                Some(device_keys(ident)),
                "refused: {ident} unchanged"
            );
        }

        assert!(s
            .rotate_user_keys(alice.id, &rotation, Timestamp(5_000))
            .await
            .unwrap());
        let back = s.user_by_id(alice.id).await.unwrap().unwrap();
        assert_eq!(back.key, "2.new|k|k");
        assert_eq!(back.private_key.as_deref(), Some("2.new|p|p"));
        assert_eq!(back.security_stamp, "rotated");
        assert_eq!(back.public_key, alice.public_key);
        let hers = s.cipher(alice.id, item.cipher.id).await.unwrap().unwrap();
        assert_eq!(hers.cipher.data, r#"{"name":"2.new|c|c"}"#);
        assert_eq!(hers.cipher.revision_date, Timestamp(5_000));
        assert_eq!(
            s.folder(alice.id, folder.id).await.unwrap().unwrap().name,
            "2.new|f|f"
        );
        let sends = s.sends(alice.id, Timestamp(5_000)).await.unwrap();
        assert_eq!(sends[0].key, "2.new|s|s");
        let g = s
            .emergency_access(grant.id, alice.id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(g.key_encrypted.as_deref(), Some("4.new-grant"));
        let i = s
            .emergency_access(invited.id, alice.id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(i.key_encrypted, None, "an invitation gets no key");
        let m = s
            .membership(enrolled_org.id, alice.id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(m.reset_password_key.as_deref(), Some("4.new-enrolment"));
        let p = s.membership(plain_org.id, alice.id).await.unwrap().unwrap();
        assert_eq!(p.reset_password_key, None);
        // The listed device holds the new key (its private key, under its own key, stays); the
        // one left out lost its trust; the one never trusted is still not; Bob's is untouched.
        let k = s.device(kept).await.unwrap().unwrap().keys.unwrap();
        assert_eq!(k.encrypted_user_key, "4.new-device");
        assert_eq!(k.encrypted_public_key, "2.new-public|x|y");
        assert_eq!(
            k.encrypted_private_key,
            device_keys("kept").encrypted_private_key
        );
        assert_eq!(s.device(left_out).await.unwrap().unwrap().keys, None);
        assert_eq!(s.device(plain).await.unwrap().unwrap().keys, None);
        assert_eq!(
            s.device(bobs_device).await.unwrap().unwrap().keys,
            Some(device_keys("bobs"))
        );
        // Bob's rows are as they were.
        let bobs = s
            .cipher(bob.id, bobs_item.cipher.id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(bobs.cipher.data, bobs_item.cipher.data);
        assert_eq!(s.user_by_id(bob.id).await.unwrap().unwrap().key, bob.key);
    })
    .await;
}
