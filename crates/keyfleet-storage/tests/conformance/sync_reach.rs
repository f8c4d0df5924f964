//! What a sync hands each user is what the readable-ciphers query (`cipher`, the one place that
//! decides visibility) answers for every item of the server, with the same rights and
//! collections: whether the sync walks the user's organizations item by item (a few
//! organizations), switches from that walk to their granted collections (a small part of a large
//! organization), or reads through the query's shared pages (many organizations). Checked again
//! after collections are deleted and items moved, which the walk's per-item collection lists
//! must follow.

use crate::providers::{org, org_member};
use crate::user;
use futures::StreamExt;
use keyfleet_domain::ids::{CipherId, CollectionId, FolderId, GroupId, OrgUserId, UserId};
use keyfleet_domain::orgs::{OrganizationUserStatus, OrganizationUserType};
use keyfleet_domain::store::{
    AccessSelection, AccountStore, CipherRow, CipherView, CollectionAccess, CollectionRow,
    CollectionStore, FolderRow, GroupRow, ImportBatch, ImportStore, ItemAccess, OrgImport,
    OrgItemStore, OrgRow, OrgStore, UserRow, VaultStore,
};
use keyfleet_domain::Timestamp;
use keyfleet_storage::SqlStore;
use std::collections::BTreeMap;

/// An item as a user reads it: edit, view passwords, manage, its collections (sorted), and
/// their folder and favorite flag.
type Seen = BTreeMap<CipherId, (bool, bool, bool, Vec<CollectionId>, Option<FolderId>, bool)>;

fn grant(
    c: &CollectionRow,
    read_only: bool,
    hide_passwords: bool,
    manage: bool,
) -> AccessSelection {
    AccessSelection {
        id: c.id.uuid(),
        read_only,
        hide_passwords,
        manage,
    }
}

fn collection(o: &OrgRow, n: usize) -> CollectionRow {
    CollectionRow {
        id: CollectionId::new(),
        org_id: o.id,
        name: format!("2.c{n}|o|l"),
        external_id: None,
        creation_date: Timestamp(100),
        revision_date: Timestamp(100),
    }
}

/// How an organization's items are written: one by one, or in one import (which writes each
/// item's list of collections with the item, before its placements).
#[derive(Clone, Copy, PartialEq)]
enum Written {
    OneByOne,
    Imported,
}

/// An organization owned by `owner` with `k` collections and `items` items, item `i` in the
/// collections a small generator picks (none for some), answering its collections and items.
async fn org_with_items(
    s: &SqlStore,
    name: &str,
    owner: &UserRow,
    k: usize,
    items: usize,
    enabled: bool,
    written: Written,
) -> (OrgRow, Vec<CollectionRow>, Vec<CipherId>) {
    let mut o = org(name);
    o.enabled = enabled;
    let mut owner_m = org_member(&o, Some(owner), OrganizationUserStatus::Confirmed);
    owner_m.member_type = OrganizationUserType::Owner;
    s.insert_org(&o, &owner_m, None, &[]).await.unwrap();
    let cols: Vec<CollectionRow> = (0..k).map(|n| collection(&o, n)).collect();
    for c in &cols {
        s.save_collection(c, &CollectionAccess::default(), &[])
            .await
            .unwrap();
    }
    let mut ids = Vec::new();
    let mut imported = Vec::new();
    let mut placements = Vec::new();
    let mut x: u64 = 0x9e37_79b9 ^ items as u64;
    for i in 0..items {
        x = x
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        // One item in nine is in no collection, the rest in one to three of them.
        let chosen: Vec<CollectionId> = if i % 9 == 4 {
            vec![]
        } else {
            let mut chosen: Vec<CollectionId> = (0..k)
                .filter(|n| (x >> (8 + n * 3)).is_multiple_of(3))
                .map(|n| cols[n].id)
                .collect();
            if chosen.is_empty() {
                chosen.push(cols[(x >> 40) as usize % k].id);
            }
            chosen
        };
        let c = CipherRow {
            id: CipherId::new(),
            user_id: None,
            org_id: Some(o.id),
            cipher_type: 1,
            data: format!(r#"{{"name":"2.{name}{i}|b|c"}}"#),
            creation_date: Timestamp(200),
            revision_date: Timestamp(200),
            deleted_date: None,
            archived_date: None,
        };
        ids.push(c.id);
        match written {
            Written::OneByOne => s.insert_org_cipher(&c, &chosen, &[]).await.unwrap(),
            Written::Imported => {
                placements.extend(chosen.iter().map(|col| (c.id, *col)));
                imported.push(CipherView {
                    cipher: c,
                    ..crate::cipher(owner.id, 200)
                });
            }
        }
    }
    if written == Written::Imported {
        // Placements in no particular order, as an import file lists them.
        placements.reverse();
        s.import_items(&ImportBatch {
            importer: owner.id,
            folders: vec![],
            ciphers: imported,
            org: Some(OrgImport {
                org_id: o.id,
                collections: vec![],
                manager: None,
                placements,
                events: vec![],
            }),
            now: Timestamp(200),
        })
        .await
        .unwrap();
    }
    (o, cols, ids)
}

/// Adds `u` to `o` as `member_type` with `status`, granted `access` directly.
async fn join(
    s: &SqlStore,
    o: &OrgRow,
    u: &UserRow,
    member_type: OrganizationUserType,
    status: OrganizationUserStatus,
    access: &[AccessSelection],
) -> OrgUserId {
    let mut m = org_member(o, Some(u), status);
    m.member_type = member_type;
    s.insert_org_users(std::slice::from_ref(&m), access, &[], &[])
        .await
        .unwrap();
    m.id
}

async fn by_sync(s: &SqlStore, u: UserId) -> Seen {
    let mut seen = Seen::new();
    let mut views = s.ciphers_stream(u);
    while let Some(v) = views.next().await {
        let v = v.unwrap();
        let mut cols = v.collection_ids.clone();
        cols.sort();
        let a = v.access;
        let item = (
            a.edit,
            a.view_password,
            a.manage,
            cols,
            v.folder_id,
            v.favorite,
        );
        assert!(seen.insert(v.cipher.id, item).is_none(), "each item once");
    }
    seen
}

async fn by_query(s: &SqlStore, u: UserId, items: &[CipherId]) -> Seen {
    let mut seen = Seen::new();
    for id in items {
        if let Some(v) = s.cipher(u, *id).await.unwrap() {
            let mut cols = v.collection_ids.clone();
            cols.sort();
            let a = v.access;
            seen.insert(
                v.cipher.id,
                (
                    a.edit,
                    a.view_password,
                    a.manage,
                    cols,
                    v.folder_id,
                    v.favorite,
                ),
            );
        }
    }
    seen
}

#[tokio::test]
async fn a_sync_reads_what_the_readable_ciphers_query_answers() {
    crate::each_backend(|s| async move {
        let owner = user("reach-owner@example.com");
        let admin = user("reach-admin@example.com");
        let member = user("reach-member@example.com");
        let manager = user("reach-manager@example.com");
        let sparse = user("reach-sparse@example.com");
        let many = user("reach-many@example.com");
        let pending = user("reach-pending@example.com");
        let none = user("reach-none@example.com");
        for u in [
            &owner, &admin, &member, &manager, &sparse, &many, &pending, &none,
        ] {
            s.insert_user(u).await.unwrap();
        }
        use Written::{Imported, OneByOne};
        // A and Big imported, the others' items saved one by one.
        let (a, a_cols, a_items) = org_with_items(&s, "A", &owner, 3, 70, true, Imported).await;
        let (b, b_cols, b_items) = org_with_items(&s, "B", &owner, 2, 30, true, OneByOne).await;
        // Large enough that a walk's first page reads it in part only.
        let (big, big_cols, big_items) =
            org_with_items(&s, "Big", &owner, 4, 640, true, Imported).await;
        let (c, c_cols, c_items) = org_with_items(&s, "C", &owner, 1, 12, true, OneByOne).await;
        let (d, d_cols, d_items) = org_with_items(&s, "D", &owner, 1, 12, false, OneByOne).await;
        let (e, e_cols, e_items) = org_with_items(&s, "E", &owner, 2, 12, true, OneByOne).await;
        use OrganizationUserStatus::{Accepted, Confirmed};
        use OrganizationUserType::{Admin, Manager, User};
        // An admin of A, a read-only User of B.
        join(&s, &a, &admin, Admin, Confirmed, &[]).await;
        join(
            &s,
            &b,
            &admin,
            User,
            Confirmed,
            &[grant(&b_cols[0], true, false, false)],
        )
        .await;
        // A User of A reaching A0 read-only directly and with edit (passwords hidden) through a
        // group, and A1 read-only with passwords through the group only: an item in both is
        // editable with its passwords.
        let m = join(
            &s,
            &a,
            &member,
            User,
            Confirmed,
            &[grant(&a_cols[0], true, true, false)],
        )
        .await;
        let group = GroupRow {
            id: GroupId::new(),
            org_id: a.id,
            name: "Group".into(),
            external_id: None,
            creation_date: Timestamp(100),
            revision_date: Timestamp(100),
        };
        let group_access = [
            grant(&a_cols[0], false, true, false),
            grant(&a_cols[1], true, false, false),
        ];
        s.save_group(&group, &group_access, &[m], &[])
            .await
            .unwrap();
        // A Manager of A assigned A2 (manages it), and of Big assigned Big1 read-only.
        join(
            &s,
            &a,
            &manager,
            Manager,
            Confirmed,
            &[grant(&a_cols[2], false, false, false)],
        )
        .await;
        join(
            &s,
            &big,
            &manager,
            Manager,
            Confirmed,
            &[grant(&big_cols[1], true, false, false)],
        )
        .await;
        // A User of Big granted only its smallest part: items in Big3 alone and no other.
        join(
            &s,
            &big,
            &sparse,
            User,
            Confirmed,
            &[grant(&big_cols[3], false, false, true)],
        )
        .await;
        // A member of five organizations (more than a walk takes), one of them disabled.
        join(
            &s,
            &a,
            &many,
            User,
            Confirmed,
            &[grant(&a_cols[1], true, false, false)],
        )
        .await;
        join(&s, &b, &many, Admin, Confirmed, &[]).await;
        join(
            &s,
            &c,
            &many,
            User,
            Confirmed,
            &[grant(&c_cols[0], false, false, false)],
        )
        .await;
        join(
            &s,
            &d,
            &many,
            User,
            Confirmed,
            &[grant(&d_cols[0], false, false, false)],
        )
        .await;
        join(
            &s,
            &e,
            &many,
            User,
            Confirmed,
            &[grant(&e_cols[1], false, true, false)],
        )
        .await;
        join(
            &s,
            &big,
            &many,
            User,
            Confirmed,
            &[grant(&big_cols[0], false, false, false)],
        )
        .await;
        // Accepted, not confirmed: reads nothing of A yet.
        join(
            &s,
            &a,
            &pending,
            User,
            Accepted,
            &[grant(&a_cols[0], false, false, false)],
        )
        .await;
        // Own items across a page boundary, and folders and favorites on own and org items
        // (each sync page joins them).
        let mut own = Vec::new();
        for i in 0..620 {
            let mut v = crate::cipher(member.id, 400 + i);
            v.access = ItemAccess::FULL;
            s.insert_cipher(&v).await.unwrap();
            own.push(v.cipher.id);
        }
        let folder = FolderRow {
            id: FolderId::new(),
            name: "2.f|o|l".into(),
            revision_date: Timestamp(100),
        };
        s.insert_folder(member.id, &folder).await.unwrap();
        let filed: Vec<CipherId> = own.iter().chain(&a_items).step_by(3).copied().collect();
        s.move_ciphers(member.id, &filed, Some(folder.id), Timestamp(250))
            .await
            .unwrap();
        for id in own.iter().chain(&a_items).step_by(7) {
            s.set_cipher_user_state(member.id, *id, Some(folder.id), true, Timestamp(250))
                .await
                .unwrap();
        }
        let everything: Vec<CipherId> = [
            own,
            a_items.clone(),
            b_items,
            big_items,
            c_items,
            d_items,
            e_items,
        ]
        .concat();
        let users = [
            &owner, &admin, &member, &manager, &sparse, &many, &pending, &none,
        ];
        let check = |label: &'static str| {
            let s = s.clone();
            let everything = everything.clone();
            async move {
                for u in users {
                    let want = by_query(&s, u.id, &everything).await;
                    let got = by_sync(&s, u.id).await;
                    assert_eq!(got, want, "{label}: {}", u.email);
                }
            }
        };
        check("as built").await;
        // Reaches the expected shapes, so the comparison above is not vacuous.
        let sparse_sees = by_sync(&s, sparse.id).await.len();
        // Fewer than half of Big: the walk of Big gives way to the granted collection.
        assert!(sparse_sees > 0 && sparse_sees < 640 / 2, "{sparse_sees}");
        assert!(by_sync(&s, pending.id).await.is_empty());
        let member_sees = by_sync(&s, member.id).await;
        assert!(member_sees.values().any(|v| v.0 && !v.1));
        assert!(member_sees.values().any(|v| !v.0 && v.1));
        assert!(member_sees.values().any(|v| v.0 && v.1));
        assert!(
            member_sees
                .values()
                .filter(|v| v.4.is_some() && v.5)
                .count()
                > 90
        );

        // A collection deleted (its items stay, out of it), items of A moved between
        // collections, and an item added to A.
        s.delete_collections(a.id, &[a_cols[1].id], &[], Timestamp(300))
            .await
            .unwrap();
        let moves: Vec<(CipherId, Vec<CollectionId>)> = a_items
            .iter()
            .step_by(5)
            .enumerate()
            .map(|(n, id)| {
                let to = match n % 3 {
                    0 => vec![],
                    1 => vec![a_cols[2].id],
                    _ => vec![a_cols[0].id, a_cols[2].id],
                };
                (*id, to)
            })
            .collect();
        s.set_cipher_collections(a.id, &moves, &[], Timestamp(300))
            .await
            .unwrap();
        let _ = (e_cols, d_cols);
        check("after a collection's deletion and moves").await;
    })
    .await;
}

/// An import writes each item's list of collections with the item itself, so the trigger that
/// keeps the list when an item is put in a collection has nothing left to write (a second write
/// of every imported row). With that trigger gone, a sync's walk still reads every imported
/// item in its collections, as the query (which reads the placements themselves) answers.
#[tokio::test]
async fn an_import_writes_each_items_collections_with_the_item() {
    crate::each_backend(|s| async move {
        let owner = user("import-owner@example.com");
        let member = user("import-member@example.com");
        for u in [&owner, &member] {
            s.insert_user(u).await.unwrap();
        }
        let sql = match s.pool() {
            keyfleet_storage::Pool::Sqlite(_) => "DROP TRIGGER cipher_collections_listed",
            keyfleet_storage::Pool::Postgres(_) => {
                "DROP TRIGGER cipher_collections_listed ON cipher_collections"
            }
        };
        match s.pool() {
            keyfleet_storage::Pool::Sqlite(p) => sqlx::query(sql).execute(p).await.map(|_| ()),
            keyfleet_storage::Pool::Postgres(p) => sqlx::query(sql).execute(p).await.map(|_| ()),
        }
        .unwrap();
        let (o, cols, items) =
            org_with_items(&s, "I", &owner, 3, 150, true, Written::Imported).await;
        join(
            &s,
            &o,
            &member,
            OrganizationUserType::User,
            OrganizationUserStatus::Confirmed,
            &[
                grant(&cols[0], true, false, false),
                grant(&cols[2], false, true, false),
            ],
        )
        .await;
        for u in [&owner, &member] {
            let want = by_query(&s, u.id, &items).await;
            assert!(want.values().any(|v| v.3.len() > 1), "{}", u.email);
            assert_eq!(by_sync(&s, u.id).await, want, "{}", u.email);
        }
    })
    .await;
}
