//! The one reminder: with `CLARION_REMINDER_AFTER` at two seconds, a pending signature
//! and a pending letter each get exactly one reminder with a new link, in the page's
//! language; a held or confirmed signature gets none, nor one on a closed petition.

use std::time::Duration;

use clarion::db::schema::actions;
use diesel::prelude::*;

use crate::helpers::contact::{letter_form, send};
use crate::helpers::newsletter::path_of;
use crate::helpers::smtp::{Mode, SmtpServer};
use crate::helpers::{supporter, TestApp, PETITION};

async fn app(smtp: &SmtpServer) -> TestApp {
    TestApp::builder()
        .set("CLARION_SMTP_URL", &smtp.url())
        .set("CLARION_REMINDER_AFTER", "2s")
        .spawn()
        .await
}

#[actix_web::test]
async fn a_pending_signature_and_letter_get_one_reminder_each_and_nothing_more() {
    let smtp = SmtpServer::start(Mode::Accept).await;
    let app = app(&smtp).await;
    let pending = supporter("lyon@example.org");
    assert_eq!(app.sign_in("/fr", PETITION, &pending).await.status(), 303);
    let mut trap = supporter("trap@example.org");
    trap.push(("website", "http://spam.example"));
    assert_eq!(app.sign(PETITION, &trap).await.status(), 303);
    let counted = supporter("counted@example.org");
    assert_eq!(app.sign(PETITION, &counted).await.status(), 303);
    let (_, targets, _) = letter_form(&app, "FR").await;
    let wrote = [("email", "writer@example.org")];
    assert_eq!(send(&app, "FR", &targets[..1], &wrote).await.status(), 303);
    let first = smtp.wait_for(4).await;
    let confirm = first
        .iter()
        .find(|m| m.to == ["<counted@example.org>"])
        .expect("a confirmation")
        .link();
    assert_eq!(
        app.client.post(&confirm).send().await.unwrap().status(),
        303
    );

    // Two seconds on, the reminders; later, nothing more.
    let mails = smtp.wait_for(6).await;
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert_eq!(smtp.mails().len(), 6, "one reminder each, never a second");
    let reminders = &mails[4..];
    let to: Vec<&str> = reminders.iter().map(|m| m.to[0].as_str()).collect();
    assert!(to.contains(&"<lyon@example.org>"), "{to:?}");
    assert!(to.contains(&"<writer@example.org>"), "{to:?}");
    let french = reminders
        .iter()
        .find(|m| m.to == ["<lyon@example.org>"])
        .unwrap();
    assert!(
        french.subject().starts_with("Rappel"),
        "{}",
        french.subject()
    );
    // Its new link confirms the signature.
    let link = path_of(&french.link());
    assert!(link.starts_with("/fr/signatures/confirm/"), "{link}");
    let page = app.get(&link).await;
    assert_eq!(page.status(), 200);
    assert_eq!(app.post_form(&link, &[]).await.status(), 303);
    let letter = reminders
        .iter()
        .find(|m| m.to == ["<writer@example.org>"])
        .unwrap();
    assert!(
        letter.subject().starts_with("Reminder"),
        "{}",
        letter.subject()
    );
    assert!(path_of(&letter.link()).starts_with("/messages/confirm/"));
}

#[actix_web::test]
async fn no_reminder_once_the_petition_closed() {
    let smtp = SmtpServer::start(Mode::Accept).await;
    let app = app(&smtp).await;
    let pending = supporter("late@example.org");
    assert_eq!(app.sign(PETITION, &pending).await.status(), 303);
    smtp.wait_for(1).await;
    diesel::update(actions::table.filter(actions::slug.eq(PETITION)))
        .set(actions::status.eq("closed"))
        .execute(&mut app.conn())
        .unwrap();
    tokio::time::sleep(Duration::from_secs(5)).await;
    assert_eq!(smtp.mails().len(), 1);
}
