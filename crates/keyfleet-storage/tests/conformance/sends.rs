//! Sends on both backends: round trip, owner scoping, the atomic access limit, the sweep.

use crate::{each_backend, user};
use keyfleet_domain::ids::{SendId, UserId};
use keyfleet_domain::store::{AccountStore, SendKind, SendRow, SendStore};
use keyfleet_domain::Timestamp;

pub(crate) fn send(owner: UserId, max: Option<i64>, deletion: i64) -> SendRow {
    SendRow {
        id: SendId::new(),
        user_id: owner,
        kind: SendKind::Text,
        name: "2.n|n|n".into(),
        notes: Some("2.o|o|o".into()),
        text: Some("2.t|t|t".into()),
        text_hidden: true,
        file: None,
        key: "2.k|k|k".into(),
        password_hash: Some("$argon2id$x".into()),
        max_access_count: max,
        access_count: 0,
        creation_date: Timestamp(1_000),
        revision_date: Timestamp(1_000),
        expiration_date: Some(Timestamp(50_000)),
        deletion_date: Timestamp(deletion),
        disabled: false,
        hide_email: true,
    }
}

#[tokio::test]
async fn sends_round_trip_are_scoped_to_their_owner_and_count_accesses_atomically() {
    each_backend(|s| async move {
        let alice = user("alice@example.com");
        let bob = user("bob@example.com");
        s.insert_user(&alice).await.unwrap();
        s.insert_user(&bob).await.unwrap();
        let twice = send(alice.id, Some(2), 100_000);
        s.insert_send(&twice).await.unwrap();
        let now = Timestamp(2_000);
        assert_eq!(s.sends(alice.id, now).await.unwrap(), vec![twice.clone()]);
        assert!(s.send(bob.id, twice.id, now).await.unwrap().is_none());
        assert!(s.sends(bob.id, now).await.unwrap().is_empty());
        assert_eq!(s.send_count(alice.id).await.unwrap(), 1);
        let bumped = s.user_by_id(alice.id).await.unwrap().unwrap();
        assert_eq!(bumped.revision_date, Timestamp(1_000));

        // Someone else's update or delete changes nothing.
        let mut stolen = twice.clone();
        stolen.user_id = bob.id;
        stolen.name = "2.x|x|x".into();
        assert!(!s.update_send(&stolen).await.unwrap());
        assert!(!s.delete_send(bob.id, twice.id, now).await.unwrap());
        assert_eq!(
            s.send(alice.id, twice.id, now).await.unwrap().unwrap().name,
            twice.name
        );

        // Two accesses, then refused; racing calls cannot pass the limit.
        let (a, b, c) = tokio::join!(
            s.record_send_access(twice.id, now),
            s.record_send_access(twice.id, now),
            s.record_send_access(twice.id, now),
        );
        let granted = [a, b, c]
            .into_iter()
            .filter(|r| r.as_ref().unwrap().is_some())
            .count();
        assert_eq!(granted, 2);
        let after = s.send_unscoped_for_access(twice.id).await.unwrap().unwrap();
        assert_eq!(after.access_count, 2);
        assert_eq!(
            s.user_by_id(alice.id).await.unwrap().unwrap().revision_date,
            now,
            "an access re-syncs the owner"
        );
        // Expired: refused.
        let open = send(alice.id, None, 100_000);
        s.insert_send(&open).await.unwrap();
        assert!(s
            .record_send_access(open.id, Timestamp(60_000))
            .await
            .unwrap()
            .is_none());

        // The sweep deletes what is due, and only that.
        let due = send(alice.id, None, 3_000);
        s.insert_send(&due).await.unwrap();
        assert!(s
            .sends(alice.id, Timestamp(3_000))
            .await
            .unwrap()
            .iter()
            .all(|r| r.id != due.id));
        assert_eq!(s.delete_sends_due(Timestamp(3_000)).await.unwrap().len(), 1);
        assert!(s.send_unscoped_for_access(due.id).await.unwrap().is_none());
        assert_eq!(s.send_count(alice.id).await.unwrap(), 2);
        assert!(s.delete_send(alice.id, open.id, now).await.unwrap());
        assert_eq!(s.send_count(alice.id).await.unwrap(), 1);
    })
    .await;
}
