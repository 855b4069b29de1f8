//! A mailing survives a crash: the `clarion` binary killed (SIGKILL) in the middle of a
//! 5,000-recipient mailing and started again delivers the mailing to every recipient;
//! only emails in flight at the kill go twice, at most one per SMTP connection.

use std::collections::HashMap;
use std::ffi::OsString;
use std::time::{Duration, Instant};

use clarion::db::schema::{mailings, subscribers};
use diesel::prelude::*;

use crate::helpers::binary::Running;
use crate::helpers::newsletter::{draft_mailing, subscriber};
use crate::helpers::smtp::{Mode, SmtpServer};
use crate::helpers::TestApp;

const RECIPIENTS: usize = 5_000;
/// The SMTP connections a worker sends over at once (`email/batch.rs`).
const CONNECTIONS: usize = 8;

/// Waits until `done` holds, at most `limit`.
async fn until(limit: Duration, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < limit, "gave up after {limit:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Received emails per recipient.
fn per_recipient(smtp: &SmtpServer) -> HashMap<String, usize> {
    let mut seen = HashMap::new();
    for mail in smtp.mails() {
        *seen.entry(mail.to[0].clone()).or_insert(0) += 1;
    }
    seen
}

#[actix_web::test]
async fn a_mailing_killed_midway_reaches_everyone_after_a_restart_with_few_duplicates() {
    let smtp = SmtpServer::start(Mode::Accept).await;
    let (settings, db) = TestApp::builder().into_parts();
    let mut vars: Vec<(String, OsString)> = settings
        .into_iter()
        .map(|(k, v)| (k, OsString::from(v)))
        .collect();
    vars.push(("CLARION_SMTP_URL".into(), smtp.url().into()));
    vars.push(("CLARION_OUTBOX_LEASE_SECS".into(), "5".into()));
    let vars: Vec<(&str, &std::ffi::OsStr)> = vars
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_os_str()))
        .collect();
    let first = Running::start(&vars);

    let url = clarion::config::DatabaseUrl::parse(&db.url).unwrap();
    let pool = clarion::db::connect_and_migrate(&url).unwrap();
    let mut conn = pool.get().unwrap();
    let now = clarion::db::now();
    clarion::db::write_transaction(&mut conn, |conn| {
        for n in 0..RECIPIENTS {
            diesel::insert_into(subscribers::table)
                .values(subscriber(n, now))
                .execute(conn)?;
        }
        Ok(())
    })
    .unwrap();
    draft_mailing(&mut conn, "crash-test", now);
    let queued = clarion::db::mailings::start(&mut conn, "crash-test", now).unwrap();
    assert_eq!(queued, Some(RECIPIENTS as i64));

    // Killed once a good part has gone.
    until(Duration::from_secs(120), || smtp.mails().len() >= 1_000).await;
    drop(first);
    let at_kill = smtp.mails().len();
    assert!(at_kill < RECIPIENTS, "killed midway ({at_kill} sent)");

    let _second = Running::start(&vars);
    until(Duration::from_secs(240), || {
        per_recipient(&smtp).len() == RECIPIENTS
    })
    .await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let seen = per_recipient(&smtp);
    assert_eq!(seen.len(), RECIPIENTS, "every recipient reached");
    let twice: usize = seen.values().map(|n| n - 1).sum();
    crate::helpers::say(&format!(
        "mailing_crash: killed after {at_kill} of {RECIPIENTS} emails; {twice} went twice"
    ));
    assert!(
        twice <= CONNECTIONS,
        "{twice} emails went twice; at most one per connection may"
    );
    let status: String = mailings::table
        .find("crash-test")
        .select(mailings::status)
        .first(&mut conn)
        .unwrap();
    assert_eq!(status, "sent");
}
