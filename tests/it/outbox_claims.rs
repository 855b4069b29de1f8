//! Several workers on one queue: a claim fences every update, a lease that runs out
//! hands the rows on without their first worker marking them afterwards, a worker that
//! renews keeps them, and each email is marked sent as it goes rather than when its
//! whole batch is done.

use clarion::db::outbox::{self, NewEmail};
use clarion::db::schema::outbox as table;
use diesel::prelude::*;

use crate::helpers::smtp::{Mode, SmtpServer};
use crate::helpers::{TestApp, TestDb};

fn email(n: usize, now: chrono::NaiveDateTime) -> NewEmail {
    NewEmail::new(
        "signature_confirmation",
        &format!("queued{n}@example.org"),
        "Confirm".into(),
        "Please confirm.".into(),
        None,
        now,
    )
}

fn count(conn: &mut clarion::db::DbConnection, status: &str) -> i64 {
    table::table
        .filter(table::status.eq(status))
        .count()
        .get_result(conn)
        .unwrap()
}

#[test]
fn a_worker_whose_lease_ran_out_marks_nothing_the_next_worker_took_and_renewing_keeps_it() {
    let db = TestDb::new();
    let url = clarion::config::DatabaseUrl::parse(&db.url).unwrap();
    let pool = clarion::db::connect_and_migrate(&url).unwrap();
    let mut conn = pool.get().unwrap();
    let now = clarion::db::now();
    for n in 0..3 {
        outbox::enqueue(&mut conn, &email(n, now)).unwrap();
    }
    let first = outbox::claim_due(&mut conn, now, 10, outbox::Lane::Mail).unwrap();
    assert_eq!(first.len(), 3);
    let a = first[0].claim.clone().unwrap();
    let ids: Vec<&str> = first.iter().map(|e| e.id.as_str()).collect();

    // A's relay crawls; six minutes on, its lease has run out and B takes the rows.
    let later = now + chrono::TimeDelta::minutes(6);
    assert_eq!(
        outbox::release_stale(&mut conn, later, outbox::LEASE, outbox::Lane::Mail).unwrap(),
        3
    );
    let second = outbox::claim_due(&mut conn, later, 10, outbox::Lane::Mail).unwrap();
    assert_eq!(second.len(), 3);
    let b = second[0].claim.clone().unwrap();
    assert_ne!(a, b);
    // A finishes late: neither its "sent" nor its "failed" touches B's rows.
    assert_eq!(outbox::mark_sent(&mut conn, &a, &ids, later).unwrap(), 0);
    outbox::mark_failed(&mut conn, &a, ids[0], "late", None).unwrap();
    assert_eq!(count(&mut conn, "sending"), 3);
    assert_eq!(outbox::mark_sent(&mut conn, &b, &ids, later).unwrap(), 3);
    assert_eq!(count(&mut conn, "sent"), 3);

    // C renews while it sends: nobody takes its rows when the first five minutes end.
    outbox::enqueue(&mut conn, &email(9, now)).unwrap();
    let third = outbox::claim_due(&mut conn, now, 10, outbox::Lane::Mail).unwrap();
    let c = third[0].claim.clone().unwrap();
    assert_eq!(
        outbox::renew(
            &mut conn,
            &c,
            now + chrono::TimeDelta::minutes(4),
            outbox::Lane::Mail
        )
        .unwrap(),
        1
    );
    assert_eq!(
        outbox::release_stale(&mut conn, later, outbox::LEASE, outbox::Lane::Mail).unwrap(),
        0
    );
}

#[actix_web::test]
async fn behind_a_crawling_relay_each_email_is_marked_sent_as_it_goes() {
    let smtp = SmtpServer::start(Mode::Slow(std::time::Duration::from_millis(400))).await;
    let now = clarion::db::now();
    let app = TestApp::builder()
        .set("CLARION_SMTP_URL", &smtp.url())
        .before_start(|conn| {
            for n in 0..32 {
                outbox::enqueue(conn, &email(n, now)).unwrap();
            }
        })
        .spawn()
        .await;
    // 32 emails over 8 connections at 0.4 s each: the batch takes about 1.6 s.
    let mut seen_mid_batch = None;
    for _ in 0..100 {
        let mut conn = app.conn();
        let (sent, sending) = (count(&mut conn, "sent"), count(&mut conn, "sending"));
        if sent > 0 && sending > 0 {
            seen_mid_batch = Some((sent, sending));
            break;
        }
        drop(conn);
        actix_web::rt::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let (sent, sending) =
        seen_mid_batch.expect("some emails marked sent while others were still sending");
    assert!(sent >= 1 && sending >= 1, "{sent} sent, {sending} sending");
    smtp.wait_for(32).await;
    let mut done = 0;
    for _ in 0..100 {
        done = count(&mut app.conn(), "sent");
        if done == 32 {
            break;
        }
        actix_web::rt::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(done, 32);
    assert_eq!(smtp.mails().len(), 32, "each email once");
}

#[derive(diesel::QueryableByName)]
struct Synchronous {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    synchronous: i32,
}

fn synchronous(conn: &mut clarion::db::DbConnection) -> i32 {
    diesel::sql_query("PRAGMA synchronous")
        .get_result::<Synchronous>(conn)
        .unwrap()
        .synchronous
}

/// The outbox's own commits skip the wait for the disk (a power cut may undo them, and
/// they are safe to redo); the pooled connection they ran on must wait for it again
/// afterwards, or a later signature on it could be acknowledged and then lost.
#[test]
fn after_the_outboxs_unsynced_commit_the_connection_waits_for_the_disk_again() {
    let db = TestDb::new();
    if db.url.starts_with("postgres") {
        return; // SQLite's level of synchronisation; PostgreSQL's commits are all alike.
    }
    let url = clarion::config::DatabaseUrl::parse(&db.url).unwrap();
    let pool = clarion::db::connect_and_migrate(&url).unwrap();
    let mut conn = pool.get().unwrap();
    const NORMAL: i32 = 1;
    const FULL: i32 = 2;
    assert_eq!(synchronous(&mut conn), FULL);
    let during = clarion::db::write_transaction_redoable(&mut conn, |conn| Ok(synchronous(conn)));
    assert_eq!(during.unwrap(), NORMAL);
    assert_eq!(synchronous(&mut conn), FULL);
    // A failed write restores it too, and what it wrote is rolled back.
    let now = clarion::db::now();
    let failed = clarion::db::write_transaction_redoable(&mut conn, |conn| {
        outbox::enqueue(conn, &email(1, now))?;
        Err::<(), _>(clarion::db::DbError::Connect("refused".into()))
    });
    assert!(failed.is_err());
    assert_eq!(synchronous(&mut conn), FULL);
    assert_eq!(count(&mut conn, "pending"), 0);
    // And a claim, the outbox's most frequent commit, is kept.
    outbox::enqueue(&mut conn, &email(2, now)).unwrap();
    assert_eq!(
        outbox::claim_due(&mut conn, now, 10, outbox::Lane::Mail)
            .unwrap()
            .len(),
        1
    );
    assert_eq!(synchronous(&mut conn), FULL);
    assert_eq!(count(&mut conn, "sending"), 1);
}
