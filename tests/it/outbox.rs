//! The outbox: files without a mail server, retries, failures, restarts.

use clarion::db::schema::outbox;
use clarion::domain::status::OutboxStatus;
use diesel::prelude::*;

use crate::helpers::smtp::{Mode, SmtpServer};
use crate::helpers::{app_with_smtp, supporter, TestApp, PETITION};

#[actix_web::test]
async fn without_an_smtp_server_the_email_is_written_as_an_eml_file() {
    let app = TestApp::spawn().await;
    app.sign(PETITION, &supporter("file@example.org")).await;
    let outbox_dir = app.db.dir.path().join("outbox");
    let mut found = None;
    for _ in 0..100 {
        found = std::fs::read_dir(&outbox_dir)
            .ok()
            .and_then(|mut d| d.next())
            .map(|e| e.unwrap().path());
        if found.is_some() {
            break;
        }
        actix_web::rt::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let file = found.expect("an .eml file in the outbox folder");
    let mail = crate::helpers::smtp::Mail {
        to: vec![],
        data: std::fs::read(file).unwrap(),
    };
    assert!(mail.link().contains("/signatures/confirm/"));
}

#[actix_web::test]
async fn temporary_smtp_failures_are_retried_later_and_permanent_ones_marked_failed() {
    for (mode, status) in [(Mode::TempFail, "pending"), (Mode::PermFail, "failed")] {
        let (app, smtp) = app_with_smtp(mode).await;
        app.sign(PETITION, &supporter("retry@example.org")).await;
        let mut row = None;
        for _ in 0..100 {
            let found: (String, i32, Option<String>) = outbox::table
                .select((outbox::status, outbox::attempts, outbox::last_error))
                .first(&mut app.conn())
                .unwrap();
            if found.2.is_some() {
                row = Some(found);
                break;
            }
            actix_web::rt::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        let (found_status, attempts, error) = row.expect("the failure is recorded");
        assert_eq!((found_status.as_str(), attempts), (status, 1), "{mode:?}");
        assert!(error
            .unwrap()
            .contains(if mode == Mode::TempFail { "451" } else { "550" }));
        actix_web::rt::time::sleep(std::time::Duration::from_millis(1500)).await;
        assert_eq!(
            smtp.attempts(),
            1,
            "{mode:?}: no retry before the backoff has passed"
        );
    }
}

#[actix_web::test]
async fn emails_left_pending_or_mid_send_by_a_stopped_server_are_sent_after_a_restart() {
    let smtp = SmtpServer::start(Mode::Accept).await;
    let past = clarion::db::now() - chrono::TimeDelta::minutes(10);
    let app = TestApp::builder()
        .set("CLARION_SMTP_URL", &smtp.url())
        .before_start(|conn| {
            for (id, status) in [("left-pending", "pending"), ("died-mid-send", "sending")] {
                let mut email = clarion::db::outbox::NewEmail::new(
                    "test",
                    &format!("{id}@example.org"),
                    format!("Subject {id}"),
                    "Body".into(),
                    None,
                    past,
                );
                email.status = OutboxStatus::parse(status).expect("a status");
                clarion::db::outbox::enqueue(conn, &email).unwrap();
            }
        })
        .spawn()
        .await;
    let mails = smtp.wait_for(2).await;
    let mut to: Vec<String> = mails.iter().flat_map(|m| m.to.clone()).collect();
    to.sort();
    assert_eq!(
        to,
        ["<died-mid-send@example.org>", "<left-pending@example.org>"]
    );
    // Sent rows are never sent again, by this server or another on the same database.
    let twin = app.restart_twin().await;
    actix_web::rt::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert_eq!(smtp.mails().len(), 2);
    let sent: i64 = outbox::table
        .filter(outbox::status.eq("sent"))
        .count()
        .get_result(&mut twin.conn())
        .unwrap();
    assert_eq!(sent, 2);
}

#[actix_web::test]
async fn staff_see_the_outbox_backlog_and_a_warning_when_confirmations_are_late() {
    use crate::helpers::{add_staff, logged_in};
    use crate::helpers::{html, texts};
    let app = TestApp::spawn().await;
    add_staff(&app, "staff@example.org", "admin");
    let admin = logged_in(&app, "staff@example.org").await;
    let dashboard = || async {
        html(
            &admin
                .get(app.url("/admin"))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap(),
        )
    };
    let calm = dashboard().await;
    assert!(texts(&calm, ".outbox-late").is_empty());
    assert!(texts(&calm, "dl.outbox-backlog")
        .join(" ")
        .contains("Emails waiting 0"));

    // A confirmation due ten minutes ago, claimed by a worker that has not finished
    // (its lease keeps this server's worker away from it).
    let now = clarion::db::now();
    let mut email = clarion::db::outbox::NewEmail::new(
        "signature_confirmation",
        "late@example.org",
        "Confirm".into(),
        "Confirm".into(),
        None,
        now - chrono::TimeDelta::minutes(10),
    );
    email.status = OutboxStatus::Sending;
    let id = email.id.clone();
    let mut conn = app.conn();
    clarion::db::outbox::enqueue(&mut conn, &email).unwrap();
    diesel::update(outbox::table.find(&id))
        .set(outbox::sent_at.eq(Some(now)))
        .execute(&mut conn)
        .unwrap();
    drop(conn);
    let late = dashboard().await;
    let warning = texts(&late, ".outbox-late h2");
    assert_eq!(warning, ["Confirmation emails are 10 min behind"]);
    let backlog = texts(&late, "dl.outbox-backlog").join(" ");
    assert!(backlog.contains("Emails waiting 1"), "{backlog}");
    assert!(
        backlog.contains("Confirmations behind by 10 min"),
        "{backlog}"
    );
}

#[actix_web::test]
async fn a_relay_refusing_everything_for_a_while_loses_no_confirmation_email() {
    let down_until = std::time::Instant::now() + std::time::Duration::from_secs(3);
    let (app, smtp) = app_with_smtp(Mode::RelayDownUntil(down_until)).await;
    let emails: Vec<String> = (0..5).map(|i| format!("patient{i}@example.org")).collect();
    for email in &emails {
        assert_eq!(app.sign(PETITION, &supporter(email)).await.status(), 303);
    }
    // The relay answered 554; sending pauses 10 s, then every email goes, once.
    let mut arrived = Vec::new();
    for _ in 0..300 {
        arrived = smtp.mails();
        if arrived.len() >= emails.len() {
            break;
        }
        actix_web::rt::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let mut to: Vec<String> = arrived.iter().flat_map(|m| m.to.clone()).collect();
    to.sort();
    let mut expected: Vec<String> = emails.iter().map(|e| format!("<{e}>")).collect();
    expected.sort();
    assert_eq!(to, expected, "each confirmation arrived once");
    let failed: i64 = outbox::table
        .filter(outbox::status.eq("failed"))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(failed, 0);
}

#[actix_web::test]
async fn the_command_line_queues_failed_emails_again_and_records_it() {
    let (app, smtp) = app_with_smtp(Mode::PermFail).await;
    app.sign(PETITION, &supporter("again@example.org")).await;
    let mut status = String::new();
    for _ in 0..100 {
        status = outbox::table
            .select(outbox::status)
            .first(&mut app.conn())
            .unwrap();
        if status == "failed" {
            break;
        }
        actix_web::rt::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(status, "failed");
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_clarion"));
    for (name, _) in std::env::vars() {
        if name.starts_with("CLARION_") || name == "DATABASE_URL" {
            command.env_remove(name);
        }
    }
    let output = command
        .env("CLARION_DATABASE_URL", &app.db.url)
        .env("CLARION_DATA_DIR", app.db.dir.path())
        .args([
            "outbox",
            "retry",
            "--kind",
            "signature_confirmation",
            "--since",
            "2026-01-01",
        ])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("queued 1 failed email(s) again"));
    let (status, attempts): (String, i32) = outbox::table
        .select((outbox::status, outbox::attempts))
        .first(&mut app.conn())
        .unwrap();
    assert!(status == "pending" || status == "sending" || status == "failed");
    assert!(attempts <= 1, "counted afresh: {attempts}");
    for _ in 0..100 {
        if smtp.attempts() >= 2 {
            break;
        }
        actix_web::rt::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(smtp.attempts() >= 2, "tried again");
    use clarion::db::schema::audit_events;
    let recorded: Vec<(String, Option<i64>)> = audit_events::table
        .filter(audit_events::event.eq("outbox.retried"))
        .select((audit_events::detail, audit_events::row_count))
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(
        recorded,
        [(
            "kind signature_confirmation, since 2026-01-01".to_string(),
            Some(1)
        )]
    );
    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_clarion"))
        .env("CLARION_DATABASE_URL", &app.db.url)
        .env("CLARION_DATA_DIR", app.db.dir.path())
        .args(["outbox", "retry", "--kind", "newsletter"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(1));
}
