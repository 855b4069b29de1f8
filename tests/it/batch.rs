//! One signing batch decides exactly as one-at-a-time signing would: repeats inside the
//! batch and against stored rows re-send their link without failing the others, and the
//! per-address rule counts the batch's own rows. Stored through the library's batch
//! writer on the test's backend, so the outcome does not depend on how requests happen
//! to be grouped under load.

use std::net::{IpAddr, Ipv4Addr};

use clarion::db::batch::{self, Counting, PerAddress, Recent, Submission};
use clarion::db::outbox::NewEmail;
use clarion::db::schema::{outbox, signatures};
use clarion::db::signatures::SubmitOutcome::{self, Created, Held, Resent};
use clarion::domain::status::HoldReason;
use diesel::prelude::*;

use crate::helpers::rows::{insert, petition_id, signature};
use crate::helpers::{TestApp, TestDb};

fn submission(action_id: &str, n: usize, email: &str) -> Submission {
    from_address(action_id, n, email, "one address")
}

/// A submission from the address whose keyed hash is `client`.
fn from_address(action_id: &str, n: usize, email: &str, client: &str) -> Submission {
    let mut row = signature(action_id, 1000 + n, "pending", "FR", "Sok", "", 28);
    row.email = email.into();
    row.email_canonical = email.into();
    row.client_hash = client.into();
    row.created_at = clarion::db::now();
    row.updated_at = row.created_at;
    let mut mail = NewEmail::new(
        "signature_confirmation",
        email,
        "Confirm".into(),
        format!("link {n}"),
        None,
        row.created_at,
    );
    mail.signature_id = Some(row.id.clone());
    Submission {
        signature: row,
        email: mail,
        source: String::new(),
        mailing: None,
        email_domain: "example.org".into(),
        address: IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1)),
    }
}

/// Stores `batch` as the signing writer does on this backend: on SQLite counting in the
/// writer's memory `recent` (built from the database the first time, `cap` rows at
/// most), on PostgreSQL in the database.
fn store(
    conn: &mut clarion::db::DbConnection,
    batch: &[Submission],
    rule: PerAddress,
    (recent, cap): (&mut Option<Recent>, usize),
    now: chrono::NaiveDateTime,
) -> Vec<SubmitOutcome> {
    let counting = Counting::on(conn, Some(rule), cap, recent, now).unwrap();
    batch::store(conn, batch, counting, now).unwrap()
}

#[actix_web::test]
async fn one_batch_with_repeats_decides_as_one_at_a_time_signing_would() {
    let app = TestApp::builder().spawn().await;
    let action = petition_id(&app);
    // Signed before, from elsewhere, still pending.
    let mut earlier = signature(&action, 1, "pending", "FR", "Sok", "", 1);
    earlier.email = "stored@example.org".into();
    earlier.email_canonical = "stored@example.org".into();
    insert(&app, &[earlier]);
    let emails = [
        "a@example.org",
        "b@example.org",
        "a@example.org",
        "stored@example.org",
        "c@example.org",
        "d@example.org",
        "e@example.org",
    ];
    let submissions: Vec<Submission> = emails
        .iter()
        .enumerate()
        .map(|(n, email)| submission(&action, n, email))
        .collect();
    let rule = PerAddress {
        burst: 3,
        period: chrono::TimeDelta::hours(1),
    };
    let mut conn = app.conn();
    let now = clarion::db::now();
    let outcomes = store(&mut conn, &submissions, rule, (&mut None, 100), now);
    // The fourth and fifth from one address within the hour are held (answered alike).
    let held = Held(HoldReason::PerAddress);
    assert_eq!(
        outcomes,
        [Created, Created, Resent, Resent, Created, held, held]
    );
    let rows: Vec<(String, String, i32)> = signatures::table
        .select((
            signatures::email_canonical,
            signatures::status,
            signatures::emails_sent,
        ))
        .order(signatures::email_canonical)
        .load(&mut conn)
        .unwrap();
    let rows: Vec<(&str, &str, i32)> = rows
        .iter()
        .map(|(e, s, n)| (e.as_str(), s.as_str(), *n))
        .collect();
    assert_eq!(
        rows,
        [
            ("a@example.org", "pending", 2),
            ("b@example.org", "pending", 1),
            ("c@example.org", "pending", 1),
            // The fourth and fifth from one address within the hour are held.
            ("d@example.org", "held", 1),
            ("e@example.org", "held", 1),
            ("stored@example.org", "pending", 2),
        ]
    );
    // One email per new row and one per repeat, each for the row it names.
    let queued: Vec<(String, Option<String>)> = outbox::table
        .select((outbox::to_address, outbox::signature_id))
        .load(&mut conn)
        .unwrap();
    assert_eq!(queued.len(), 7);
    let ids: Vec<(String, String)> = signatures::table
        .select((signatures::email_canonical, signatures::id))
        .load(&mut conn)
        .unwrap();
    for (to, signature_id) in &queued {
        assert!(
            ids.contains(&(to.clone(), signature_id.clone().unwrap())),
            "{to}"
        );
    }
}

#[actix_web::test]
async fn a_batch_from_several_addresses_counts_what_each_signed_lately() {
    let app = TestApp::builder().spawn().await;
    let action = petition_id(&app);
    let now = clarion::db::now();
    // Stored already: two from A within the hour and one before it, one from B.
    let stored = [("A", 10), ("A", 20), ("A", 120), ("B", 30)];
    let rows: Vec<_> = stored
        .iter()
        .enumerate()
        .map(|(n, (client, minutes_ago))| {
            let mut row = signature(&action, n, "pending", "FR", "Sok", "", 1);
            row.client_hash = (*client).into();
            row.created_at = now - chrono::TimeDelta::minutes(*minutes_ago);
            row
        })
        .collect();
    insert(&app, &rows);
    let batch: Vec<Submission> = [
        ("a1", "A"),
        ("b1", "B"),
        ("a2", "A"),
        ("c1", "C"),
        ("b2", "B"),
        ("b3", "B"),
    ]
    .iter()
    .enumerate()
    .map(|(n, (name, client))| from_address(&action, n, &format!("{name}@example.org"), client))
    .collect();
    let rule = PerAddress {
        burst: 3,
        period: chrono::TimeDelta::hours(1),
    };
    let mut conn = app.conn();
    store(&mut conn, &batch, rule, (&mut None, 100), now);
    let mut statuses: Vec<(String, String)> = signatures::table
        .filter(signatures::email_canonical.like("%@example.org"))
        .filter(signatures::email_canonical.not_like("s%"))
        .select((signatures::email_canonical, signatures::status))
        .load(&mut conn)
        .unwrap();
    statuses.sort();
    let statuses: Vec<(&str, &str)> = statuses
        .iter()
        .map(|(e, s)| (e.as_str(), s.as_str()))
        .collect();
    assert_eq!(
        statuses,
        [
            // A's third within the hour is let through, its fourth held; the older one
            // does not count.
            ("a1@example.org", "pending"),
            ("a2@example.org", "held"),
            ("b1@example.org", "pending"),
            ("b2@example.org", "pending"),
            ("b3@example.org", "held"),
            ("c1@example.org", "pending"),
        ]
    );
}

/// The statuses of `emails`' signatures, in that order.
fn statuses(conn: &mut clarion::db::DbConnection, emails: &[String]) -> Vec<String> {
    emails
        .iter()
        .map(|e| {
            signatures::table
                .filter(signatures::email_canonical.eq(e))
                .select(signatures::status)
                .first(conn)
                .unwrap()
        })
        .collect()
}

/// One submission per `(email, address)`, each its own batch, through one writer memory.
fn sign_each(
    conn: &mut clarion::db::DbConnection,
    action: &str,
    rule: PerAddress,
    memory: (&mut Option<Recent>, usize),
    who: &[(&str, &str)],
) -> Vec<String> {
    let (recent, cap) = memory;
    let emails: Vec<String> = who
        .iter()
        .map(|(e, _)| format!("{e}@example.org"))
        .collect();
    for (n, ((_, client), email)) in who.iter().zip(&emails).enumerate() {
        let one = from_address(action, n, email, client);
        store(conn, &[one], rule, (&mut *recent, cap), clarion::db::now());
    }
    statuses(conn, &emails)
}

/// On SQLite the rule counts in the writer's memory, which holds at most `cap` rows;
/// past it, and past an address's burst, rows are counted by the database's index. The
/// decisions stay the database's own: with memory full, after erasure (the address
/// emptied), and after a restart that rebuilds the memory from the stored rows.
#[actix_web::test]
async fn the_rule_decides_alike_with_memory_full_after_erasure_and_after_a_restart() {
    let app = TestApp::builder().spawn().await;
    let action = petition_id(&app);
    let rule = PerAddress {
        burst: 2,
        period: chrono::TimeDelta::hours(1),
    };
    let mut conn = app.conn();
    let mut recent = None;
    // A memory of three rows: A twice and B fill it, so C's rows go to the index, and
    // so does A's third, past the burst.
    let first = sign_each(
        &mut conn,
        &action,
        rule,
        (&mut recent, 3),
        &[
            ("a1", "A"),
            ("a2", "A"),
            ("b1", "B"),
            ("c1", "C"),
            ("c2", "C"),
            ("c3", "C"),
            ("a3", "A"),
        ],
    );
    assert_eq!(
        first,
        ["pending", "pending", "pending", "pending", "pending", "held", "held"]
    );
    let indexed: i64 = signatures::table
        .filter(signatures::client_indexed)
        .count()
        .get_result(&mut conn)
        .unwrap();
    let sqlite = matches!(*conn, clarion::db::DbConnection::Sqlite(_));
    assert_eq!(indexed, if sqlite { 4 } else { 0 });
    // a1 and a2 erase their data: A has one stored row in the hour (a3), so the next
    // passes; the memory still held a1 and a2.
    diesel::update(
        signatures::table
            .filter(signatures::email_canonical.eq_any(["a1@example.org", "a2@example.org"])),
    )
    .set(signatures::client_hash.eq(""))
    .execute(&mut conn)
    .unwrap();
    let after_erasure = sign_each(
        &mut conn,
        &action,
        rule,
        (&mut recent, 3),
        &[("a4", "A"), ("a5", "A")],
    );
    assert_eq!(after_erasure, ["pending", "held"]);
    // A restart: the memory is rebuilt from the rows of the hour, one row at most now.
    let mut restarted = None;
    let after_restart = sign_each(
        &mut conn,
        &action,
        rule,
        (&mut restarted, 1),
        &[
            ("a6", "A"),
            ("b2", "B"),
            ("b3", "B"),
            ("c4", "C"),
            ("d1", "D"),
            ("d2", "D"),
            ("d3", "D"),
        ],
    );
    assert_eq!(
        after_restart,
        ["held", "pending", "held", "held", "pending", "pending", "held"]
    );
}

/// What tells the signing writer to copy the log's tail (`db::checkpoint`) answers how
/// long SQLite's log is, not how much of it was copied; the log keeps growing while no
/// copy completes (no connection copies inside its own commits); and once the writer's
/// own copy has caught up, its next write starts the log over instead of extending it.
/// (The surge itself is measured by `benches/sign-load.sh`, which prints the log's size.)
#[test]
fn the_sqlite_log_starts_over_after_a_checkpoint_between_batches() {
    use diesel::connection::SimpleConnection as _;
    let db = TestDb::sqlite();
    let url = clarion::config::DatabaseUrl::parse(&db.url).unwrap();
    let pool = clarion::db::connect_and_migrate(&url).unwrap();
    let (mut writer, mut other) = (pool.get().unwrap(), pool.get().unwrap());
    // About 75 pages of log per batch.
    let batch = "INSERT INTO scratch SELECT randomblob(3000) FROM \
                 (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100) \
                 SELECT i FROM n)";
    writer
        .batch_execute("CREATE TABLE scratch (b BLOB)")
        .unwrap();
    for _ in 0..3 {
        writer.batch_execute(batch).unwrap();
    }
    let long = clarion::db::checkpoint(&mut other).unwrap();
    assert!(long >= 300, "three batches left {long} pages of log");
    assert!(clarion::db::checkpoint(&mut writer).unwrap() >= long);
    writer.batch_execute(batch).unwrap();
    let after = clarion::db::checkpoint(&mut other).unwrap();
    assert!(
        after < long / 2,
        "the log went on from {long} to {after} pages instead of starting over"
    );
}
