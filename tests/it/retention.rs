//! Retention by default, with periods of seconds: unconfirmed rows go, a closed
//! petition's signatures are anonymised with its counts unchanged, a delivered letter
//! loses its text, nothing lingers in SQLite's file or log; staff see what the next run
//! removes and can exempt an action, with the reason in the audit log.

use std::time::Duration;

use chrono::TimeDelta;
use clarion::db::schema::{actions, audit_events, job_runs, messages, signatures};
use diesel::prelude::*;

use crate::erasure::stored_anywhere;
use crate::helpers::admin::staff_page;
use crate::helpers::contact::{letter_form, send};
use crate::helpers::{
    add_staff, csrf, json_count, link_to, logged_in, supporter, texts, TestApp, PETITION,
};

async fn app(period: &str) -> TestApp {
    TestApp::builder()
        .set("CLARION_RETAIN_UNCONFIRMED", period)
        .set("CLARION_RETAIN_SIGNATURES", period)
        .set("CLARION_RETAIN_LETTERS", period)
        .spawn()
        .await
}

fn close(app: &TestApp, ago: TimeDelta) {
    diesel::update(actions::table.filter(actions::slug.eq(PETITION)))
        .set((
            actions::status.eq("closed"),
            actions::closed_at.eq(clarion::db::now() - ago),
        ))
        .execute(&mut app.conn())
        .unwrap();
}

fn pending(app: &TestApp) -> i64 {
    signatures::table
        .filter(signatures::status.eq("pending"))
        .count()
        .get_result(&mut app.conn())
        .unwrap()
}

/// Waits up to 20 s for `done`.
async fn until(what: &str, done: impl Fn() -> bool) {
    for _ in 0..100 {
        if done() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("retention never got to: {what}");
}

#[actix_web::test]
async fn periods_of_seconds_delete_anonymise_and_empty_with_the_counts_unchanged() {
    let app = app("3s").await;
    // Without the newsletter: a subscription is kept until its subscriber leaves.
    let mut kept = supporter("retained.signer@example.org");
    kept.retain(|(name, _)| *name != "consent_updates");
    kept.extend([("comment", "a remark-to-forget"), ("postcode", "75011-rt")]);
    assert_eq!(app.sign(PETITION, &kept).await.status(), 303);
    let confirm = link_to(&app, "retained.signer@example.org").await;
    assert_eq!(
        app.client.post(&confirm).send().await.unwrap().status(),
        303
    );
    let never = supporter("never.confirmed@example.org");
    assert_eq!(app.sign(PETITION, &never).await.status(), 303);
    let (_, targets, _) = letter_form(&app, "FR").await;
    let letter = [
        ("email", "letter.writer@example.org"),
        ("body", "Dear {target_name}, words-of-a-letter-to-forget"),
    ];
    assert_eq!(send(&app, "FR", &targets[..1], &letter).await.status(), 303);
    let confirm = link_to(&app, "letter.writer@example.org").await;
    assert_eq!(
        app.client.post(&confirm).send().await.unwrap().status(),
        303
    );
    let before = json_count(&app).await;
    assert_eq!(before["signature_count"], 1);

    // The unconfirmed signature goes, and the letter's text once it is delivered; a
    // signature of an open petition stays whole.
    until("the unconfirmed signature deleted", || pending(&app) == 0).await;
    until("the letter emptied", || {
        messages::table
            .select(messages::body)
            .load::<String>(&mut app.conn())
            .unwrap()
            .iter()
            .all(String::is_empty)
    })
    .await;
    let writer: Vec<(String, String)> = messages::table
        .select((messages::email, messages::subject))
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(
        writer,
        [("letter.writer@example.org".to_string(), String::new())],
        "who wrote stays; the subject goes"
    );
    assert!(!stored_anywhere(&app, "retained.signer").is_empty());

    // Closed three seconds ago: anonymised, and the counts stay what they were.
    close(&app, TimeDelta::zero());
    until("the signature anonymised", || {
        stored_anywhere(&app, "retained.signer").is_empty()
    })
    .await;
    for trace in [
        "never.confirmed",
        "remark-to-forget",
        "75011-rt",
        "words-of-a-letter-to-forget",
    ] {
        assert_eq!(
            stored_anywhere(&app, trace),
            Vec::<String>::new(),
            "{trace}"
        );
    }
    let after = json_count(&app).await;
    assert_eq!(after["signature_count"], before["signature_count"]);
    let (country, language): (String, String) = signatures::table
        .select((signatures::country_code, signatures::language))
        .first(&mut app.conn())
        .unwrap();
    assert_eq!((country.as_str(), language.as_str()), ("KH", "en"));
    let log: Vec<Option<String>> = audit_events::table
        .filter(audit_events::event.eq("retention.applied"))
        .select(audit_events::staff_user_id)
        .load(&mut app.conn())
        .unwrap();
    assert!(
        !log.is_empty() && log.iter().all(Option::is_none),
        "{log:?}"
    );
}

#[actix_web::test]
async fn staff_see_what_the_next_run_removes_and_an_exempt_action_keeps_its_data() {
    let app = app("2s").await;
    add_staff(&app, "admin@example.org", "admin");
    let client = logged_in(&app, "admin@example.org").await;
    let token = csrf(&app, &client).await;
    let id: String = actions::table
        .filter(actions::slug.eq(PETITION))
        .select(actions::id)
        .first(&mut app.conn())
        .unwrap();
    let exempt = format!("/admin/retention/{id}/exempt");
    let page = staff_page(&app, &client, "/admin/retention").await;
    assert!(texts(&page, "td").iter().any(|t| t.contains("2 seconds")));

    // A reason is required, on one line, not too long.
    for (reason, expected) in [
        ("", "Give the reason"),
        ("  \r\n ", "Give the reason"),
        (&"x".repeat(501)[..], "500 characters"),
    ] {
        let refused = client
            .post(app.url(&exempt))
            .form(&[("csrf", token.as_str()), ("reason", reason)])
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 422);
        let body = refused.text().await.unwrap();
        assert!(body.contains(expected), "{reason:?}");
    }
    let made_up = client
        .post(app.url("/admin/retention/no-such-action/exempt"))
        .form(&[("csrf", token.as_str()), ("reason", "why not")])
        .send()
        .await
        .unwrap();
    assert_eq!(made_up.status(), 404);
    let reason = "A court case needs the <b>signatures</b> until June";
    let done = client
        .post(app.url(&exempt))
        .form(&[("csrf", token.as_str()), ("reason", reason)])
        .send()
        .await
        .unwrap();
    assert_eq!(done.status(), 303);
    let page = staff_page(&app, &client, "/admin/retention").await;
    let reasons = texts(&page, "td p").join(" ");
    assert!(reasons.contains("Reason: A court case needs the <b>signatures</b> until June"));
    let logged: Vec<(Option<String>, String)> = audit_events::table
        .filter(audit_events::event.eq("retention.exempted"))
        .select((audit_events::staff_user_id, audit_events::detail))
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(logged.len(), 1);
    assert!(logged[0].0.is_some());
    assert_eq!(logged[0].1, reason);

    // Exempt: nothing goes, however old.
    assert_eq!(
        app.sign(PETITION, &supporter("kept.pending@example.org"))
            .await
            .status(),
        303
    );
    close(&app, TimeDelta::days(365));
    tokio::time::sleep(Duration::from_secs(5)).await;
    assert_eq!(pending(&app), 1, "an exempt action keeps its rows");

    // The periods again: the page shows what goes, and then it goes.
    let lift = client
        .post(app.url(&format!("/admin/retention/{id}/lift")))
        .form(&[("csrf", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(lift.status(), 303);
    until("the pending row deleted", || pending(&app) == 0).await;
    let lifted: i64 = audit_events::table
        .filter(audit_events::event.eq("retention.exemption_lifted"))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(lifted, 1);
}

#[actix_web::test]
async fn the_preview_counts_what_is_due_and_one_node_alone_claims_a_run() {
    // The defaults, which the test harness otherwise lengthens.
    let app = TestApp::builder()
        .set("CLARION_RETAIN_UNCONFIRMED", "30d")
        .set("CLARION_RETAIN_SIGNATURES", "180d")
        .set("CLARION_RETAIN_LETTERS", "28d")
        .spawn()
        .await;
    until("the first run", || {
        job_runs::table
            .select(job_runs::last_run_at)
            .first::<Option<chrono::NaiveDateTime>>(&mut app.conn())
            .unwrap()
            .is_some()
    })
    .await;
    for n in 0..3 {
        let email = format!("old{n}@example.org");
        assert_eq!(app.sign(PETITION, &supporter(&email)).await.status(), 303);
    }
    // Made 31 days ago: past the default 30 days; the petition closed 181 days ago.
    diesel::update(signatures::table)
        .set(signatures::created_at.eq(clarion::db::now() - TimeDelta::days(31)))
        .execute(&mut app.conn())
        .unwrap();
    close(&app, TimeDelta::days(181));
    let settings = clarion::config::periods::Retention::default();
    let plans =
        clarion::db::retention::preview(&mut app.conn(), &settings, clarion::db::now()).unwrap();
    let petition = plans.iter().find(|p| p.kind == "petition").unwrap();
    assert_eq!((petition.unconfirmed, petition.anonymised), (3, 3));

    add_staff(&app, "admin@example.org", "admin");
    let client = logged_in(&app, "admin@example.org").await;
    let page = staff_page(&app, &client, "/admin/retention").await;
    let id = &petition.action_id;
    let cell = |class: &str| texts(&page, &format!("#action-{id} td.{class}"));
    assert_eq!(cell("unconfirmed"), ["3"]);
    assert_eq!(cell("anonymised"), ["3"]);
    assert_eq!(cell("letters"), ["0"]);
    assert!(texts(&page, "td").iter().any(|t| t.contains("180 days")));

    // Two nodes waking at the same instant: one runs.
    let at = clarion::db::now() + TimeDelta::minutes(5);
    let every = TimeDelta::seconds(60);
    let mut conn = app.conn();
    let first = clarion::db::jobs::claim(&mut conn, "retention", at, every).unwrap();
    let second = clarion::db::jobs::claim(&mut conn, "retention", at, every).unwrap();
    assert_eq!((first, second), (true, false));
    assert!(clarion::db::jobs::claim(&mut conn, "retention", at + every, every).unwrap());
}
