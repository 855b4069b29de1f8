//! Issue 29, run as an operator runs it (the binary, its signals and its listeners):
//! `/readyz`, a graceful stop under a sign load, and `/metrics` on its own listener.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::helpers::binary::{client, hidden_fields, sign, Running};
use crate::helpers::load::{as_os, start_load, stored_emails, vars_with, Load};
use crate::helpers::metrics::{scrape, value};
use crate::helpers::smtp::{Mode, SmtpServer};
use crate::helpers::TestApp;

#[actix_web::test]
async fn a_stop_under_load_answers_every_request_and_loses_no_acknowledged_signature() {
    let (settings, db) = TestApp::builder().into_parts();
    let settings: Vec<(String, String)> = settings.into_iter().collect();
    let vars = vars_with(&settings, &[("CLARION_SHUTDOWN_SECS", "5")]);
    let mut server = Running::start(&as_os(&vars));
    let web = client(Duration::from_secs(10));
    let ready = web.get(format!("{}/readyz", server.base)).send().await;
    let ready = ready.unwrap();
    assert_eq!(ready.status().as_u16(), 200);
    assert_eq!(ready.text().await.unwrap(), "ready");

    let hidden = hidden_fields(&web, &server.base).await;
    let load = Arc::new(Load::default());
    let signers = start_load(&server.base, &hidden, 16, "stop", &load);
    actix_web::rt::time::sleep(Duration::from_millis(1500)).await;
    let asked = Instant::now();
    server.terminate();
    let exit = actix_web::rt::task::spawn_blocking(move || {
        let exit = server.wait_exit(Duration::from_secs(20));
        (exit, server)
    });
    let (exit, server) = exit.await.unwrap();
    let took = asked.elapsed();
    for signer in signers {
        signer.await.unwrap();
    }

    let exit = exit.expect("the node exits after SIGTERM");
    assert!(
        exit.success(),
        "a graceful stop exits with success: {exit:?}"
    );
    assert!(
        took < Duration::from_secs(7),
        "within CLARION_SHUTDOWN_SECS (5 s): {took:?}"
    );
    let log = server.log();
    assert!(log.iter().any(|l| l.contains("stopping")), "{log:?}");
    assert!(log.iter().any(|l| l.ends_with("stopped")), "{log:?}");

    let acked = load.checked_acks();
    let stored = stored_emails(&db.url);
    let lost: Vec<&String> = acked.iter().filter(|e| !stored.contains(*e)).collect();
    assert!(lost.is_empty(), "acknowledged but not stored: {lost:?}");
    // A request the node took is answered before it closes the connection: one cut off
    // unanswered was never read (the client may send it again to another node).
    let dropped = load.dropped.lock().unwrap().clone();
    let unanswered: Vec<&String> = dropped.iter().filter(|e| stored.contains(*e)).collect();
    assert!(
        unanswered.is_empty(),
        "stored but never answered: {unanswered:?}"
    );
}

#[actix_web::test]
async fn metrics_are_served_apart_and_move_with_what_signers_do() {
    let (settings, _db) = TestApp::builder().into_parts();
    let settings: Vec<(String, String)> = settings.into_iter().collect();
    let extra = [
        ("CLARION_METRICS_BIND", "127.0.0.1:0"),
        ("CLARION_HOLD_PER_ADDRESS", "1/1h"),
        ("CLARION_RATE_SIGN", "3/1h"),
    ];
    let server = Running::start(&as_os(&vars_with(&settings, &extra)));
    let metrics = server.metrics_url();
    let web = client(Duration::from_secs(10));
    let public = web.get(format!("{}/metrics", server.base)).send().await;
    assert_eq!(
        public.unwrap().status().as_u16(),
        404,
        "never on the public port"
    );

    let before = scrape(&web, &metrics).await;
    let hidden = hidden_fields(&web, &server.base).await;
    let first = "metrics-first@example.org";
    assert_eq!(sign(&web, &server.base, &hidden, first).await.0, 303);
    // Second from this address: held by the per-address rule (1/1h), answered alike.
    let held = "metrics-held@example.org";
    assert_eq!(sign(&web, &server.base, &hidden, held).await.0, 303);
    assert_eq!(sign(&web, &server.base, &hidden, first).await.0, 303);
    assert_eq!(
        sign(&web, &server.base, &hidden, "m4@example.org").await.0,
        429
    );
    let sent = |m: &str| value(m, "clarion_emails_sent_total", &[]);
    let mut after = scrape(&web, &metrics).await;
    let start = Instant::now();
    while sent(&after) - sent(&before) < 2.0 && start.elapsed() < Duration::from_secs(15) {
        actix_web::rt::time::sleep(Duration::from_millis(200)).await;
        after = scrape(&web, &metrics).await;
    }

    let moved = |name: &str, labels: &[(&str, &str)]| {
        value(&after, name, labels) - value(&before, name, labels)
    };
    let signatures = "clarion_signatures_total";
    assert_eq!(
        moved(signatures, &[("outcome", "accepted")]),
        1.0,
        "{after}"
    );
    let per_address = [("outcome", "held"), ("reason", "per_address")];
    assert_eq!(moved(signatures, &per_address), 1.0, "{after}");
    assert_eq!(moved(signatures, &[("outcome", "duplicate")]), 1.0);
    assert_eq!(moved(signatures, &[("outcome", "refused_by_limit")]), 1.0);
    let sign_route = [
        ("method", "POST"),
        ("route", "/petitions/{slug}/sign"),
        ("status", "303"),
    ];
    assert_eq!(moved("clarion_http_requests_total", &sign_route), 3.0);
    let latency = "clarion_http_request_duration_seconds_count";
    assert_eq!(moved(latency, &sign_route), 3.0);
    assert!(moved("clarion_sign_batch_size_count", &[]) >= 2.0);
    assert!(moved("clarion_sign_batch_duration_seconds_sum", &[]) > 0.0);
    assert!(moved("clarion_emails_sent_total", &[]) >= 2.0, "{after}");
    assert!(moved("clarion_db_pool_wait_seconds_count", &[]) > 0.0);
    for gauge in [
        "clarion_sign_queue_depth",
        "clarion_mailings_in_progress",
        "clarion_db_pool_connections",
    ] {
        assert!(after.contains(&format!("\n{gauge} ")), "{gauge} in {after}");
    }
    // Labels name routes and kinds, never a person.
    for personal in ["@", "Sok", "Dara", "example.org", "127.0.0.1"] {
        assert!(!after.contains(personal), "{personal} in the metrics");
    }
}

#[actix_web::test]
async fn json_logs_are_one_object_a_line_and_name_no_one() {
    let (settings, _db) = TestApp::builder().into_parts();
    let settings: Vec<(String, String)> = settings.into_iter().collect();
    let vars = vars_with(&settings, &[("CLARION_LOG_FORMAT", "json")]);
    let server = Running::start(&as_os(&vars));
    let web = client(Duration::from_secs(10));
    let hidden = hidden_fields(&web, &server.base).await;
    let email = "json-log@example.org";
    assert_eq!(sign(&web, &server.base, &hidden, email).await.0, 303);
    actix_web::rt::time::sleep(Duration::from_millis(500)).await;
    let log = server.log();
    let requests: Vec<serde_json::Value> = log
        .iter()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .filter(|entry: &serde_json::Value| entry["message"] == "request")
        .collect();
    let signing = requests
        .iter()
        .find(|r| r["route"] == "/petitions/{slug}/sign")
        .expect("the signing is logged");
    assert_eq!(signing["status"], 303);
    assert_eq!(signing["method"], "POST");
    for line in &log {
        assert!(!line.contains(email) && !line.contains("Dara"), "{line}");
    }
    // A wrong value stops the start, naming the variable.
    let refused = std::process::Command::new(env!("CARGO_BIN_EXE_clarion"))
        .envs(settings.iter().map(|(k, v)| (k, v)))
        .env("CLARION_LOG_FORMAT", "<xml>")
        .arg("migrate")
        .output()
        .unwrap();
    assert!(!refused.status.success());
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(said.contains("CLARION_LOG_FORMAT"), "{said}");
}

#[derive(diesel::QueryableByName)]
struct Newest {
    #[diesel(sql_type = diesel::sql_types::Text)]
    version: String,
}

#[actix_web::test]
async fn readyz_says_when_the_database_lacks_a_migration_of_this_build() {
    use diesel::connection::SimpleConnection as _;
    use diesel::RunQueryDsl as _;
    let app = TestApp::spawn().await;
    let web = client(Duration::from_secs(10));
    let ready = || async {
        let answer = web.get(app.url("/readyz")).send().await.unwrap();
        (answer.status().as_u16(), answer.text().await.unwrap())
    };
    assert_eq!(ready().await.0, 200);
    // As when a node of a newer build starts before the database is migrated.
    let newest = "SELECT MAX(version) AS version FROM __diesel_schema_migrations";
    let newest: Newest = diesel::sql_query(newest)
        .get_result(&mut app.conn())
        .unwrap();
    let table = "__diesel_schema_migrations";
    let (version, mut conn) = (newest.version, app.conn());
    conn.batch_execute(&format!("DELETE FROM {table} WHERE version = '{version}'"))
        .unwrap();
    let (status, text) = ready().await;
    assert_eq!((status, text.trim()), (503, "migrations pending"));
    conn.batch_execute(&format!(
        "INSERT INTO {table} (version) VALUES ('{version}')"
    ))
    .unwrap();
    assert_eq!(ready().await.0, 200, "ready again once migrated");
}

/// What an operator's alert reads: the emails waiting in both lanes, by kind, with the
/// age of the oldest; a kind with nothing left waiting reads 0, not its last value.
#[actix_web::test]
async fn the_outbox_gauges_count_what_waits_in_both_lanes_and_fall_to_zero() {
    use clarion::db::mailings::{control, Control};
    use clarion::db::schema::subscribers;
    use diesel::prelude::*;
    // A relay that answers 451 to every recipient: nothing leaves, everything waits.
    let smtp = SmtpServer::start(Mode::TempFail).await;
    let hour_ago = clarion::db::now() - chrono::TimeDelta::hours(1);
    // As an earlier server left it: a mailing to three subscribers, started an hour
    // ago and paused.
    let (settings, db) = TestApp::builder()
        .before_start(|conn| {
            clarion::db::demo::seed_if_empty(conn).unwrap();
            for n in 0..3 {
                diesel::insert_into(subscribers::table)
                    .values(crate::helpers::newsletter::subscriber(n, hour_ago))
                    .execute(conn)
                    .unwrap();
            }
            crate::helpers::newsletter::draft_mailing(conn, "gauged", hour_ago);
            let queued = clarion::db::mailings::start(conn, "gauged", hour_ago).unwrap();
            assert_eq!(queued, Some(3));
            assert!(control(conn, "gauged", Control::Pause, hour_ago).unwrap());
        })
        .into_parts();
    let settings: Vec<(String, String)> = settings.into_iter().collect();
    let relay = smtp.url();
    let extra = [
        ("CLARION_METRICS_BIND", "127.0.0.1:0"),
        ("CLARION_SMTP_URL", relay.as_str()),
    ];
    let server = Running::start(&as_os(&vars_with(&settings, &extra)));
    let metrics = server.metrics_url();
    let web = client(Duration::from_secs(10));
    let hidden = hidden_fields(&web, &server.base).await;
    assert_eq!(
        sign(&web, &server.base, &hidden, "gauge@example.org")
            .await
            .0,
        303
    );
    // The confirmation was tried once and refused for now: it waits for its retry.
    let start = Instant::now();
    while smtp.attempts() == 0 && start.elapsed() < Duration::from_secs(10) {
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(smtp.attempts() > 0, "the relay was tried");

    let waiting = |m: &str, kind: &str| value(m, "clarion_outbox_waiting", &[("kind", kind)]);
    let oldest = |m: &str, kind: &str| {
        let name = "clarion_outbox_oldest_waiting_seconds";
        value(m, name, &[("kind", kind)])
    };
    let seen = scrape(&web, &metrics).await;
    assert_eq!(waiting(&seen, "signature_confirmation"), 1.0, "{seen}");
    assert_eq!(waiting(&seen, "mailing"), 3.0, "{seen}");
    let age = oldest(&seen, "signature_confirmation");
    assert!(
        (0.0..60.0).contains(&age),
        "queued just now, not {age} s ago"
    );
    let age = oldest(&seen, "mailing");
    assert!(
        (3600.0..4200.0).contains(&age),
        "queued an hour ago, not {age} s"
    );

    // Staff cancel the mailing: its emails are given up, and the gauge says so.
    let url = clarion::config::DatabaseUrl::parse(&db.url).unwrap();
    let pool = clarion::db::connect_and_migrate(&url).unwrap();
    let now = clarion::db::now();
    assert!(control(&mut pool.get().unwrap(), "gauged", Control::Cancel, now).unwrap());
    let seen = scrape(&web, &metrics).await;
    assert_eq!(waiting(&seen, "mailing"), 0.0, "{seen}");
    assert_eq!(oldest(&seen, "mailing"), 0.0, "{seen}");
    assert_eq!(waiting(&seen, "signature_confirmation"), 1.0, "{seen}");
}
