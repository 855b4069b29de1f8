//! After the letter (issue 30): with `CLARION_FOLLOW_UP_AFTER` and `…_REMINDER` at
//! seconds, a delivered letter's writer is asked once, in their language, about each
//! official it reached (four links each), answers through a link (GET shows, POST
//! records), and only an unanswered letter gets the one reminder. Forged, stale and
//! erased links are 410; hostile answers are refused with a message.

use std::time::Duration;

use clarion::db::schema::message_targets;
use diesel::prelude::*;

use crate::helpers::contact::{letter_form, send_in};
use crate::helpers::follow_up;
use crate::helpers::newsletter::path_of;
use crate::helpers::smtp::{Mail, Mode, SmtpServer};
use crate::helpers::{html, texts, TestApp};

async fn app(smtp: &SmtpServer, reminder: &str) -> TestApp {
    follow_up::app(smtp, "2s", reminder).await
}

/// The follow-up links of an email, as paths, one group of four per official, in order.
fn answer_links(mail: &Mail) -> Vec<Vec<String>> {
    let mut groups: Vec<Vec<String>> = Vec::new();
    for word in mail.text().split_whitespace() {
        if !word.contains("/follow-up/") {
            continue;
        }
        let path = path_of(word);
        let token = path.split('?').next().unwrap().to_string();
        match groups.last_mut() {
            Some(g) if g[0].starts_with(&token) => g.push(path),
            _ => groups.push(vec![path]),
        }
    }
    groups
}

/// Writes from `prefix`'s page to the first `n` officials of France as `email`, confirms
/// from the email, and answers the mails seen so far.
async fn write_and_confirm(
    app: &TestApp,
    smtp: &SmtpServer,
    (prefix, email, n): (&str, &str, usize),
) -> Vec<String> {
    let (_, targets, _) = letter_form(app, "FR").await;
    let chosen = targets[..n].to_vec();
    let sent = send_in(app, prefix, "FR", &chosen, &[("email", email)]).await;
    assert_eq!(sent.status(), 303);
    let mut confirm = None;
    for _ in 0..200 {
        confirm = smtp
            .mails()
            .into_iter()
            .find(|m| m.to == [format!("<{email}>")])
            .map(|m| m.link());
        if confirm.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let confirm = confirm.expect("a confirmation within 10 s");
    let confirmed = app.client.post(&confirm).send().await.unwrap();
    assert_eq!(confirmed.status(), 303);
    chosen
}

fn to(mails: &[Mail], email: &str, subject_start: &str) -> Vec<Mail> {
    mails
        .iter()
        .filter(|m| m.to == [format!("<{email}>")] && m.subject().starts_with(subject_start))
        .cloned()
        .collect()
}

#[actix_web::test]
async fn a_writer_is_asked_once_about_each_official_answers_by_link_and_only_silence_is_reminded() {
    let smtp = SmtpServer::start(Mode::Accept).await;
    let app = app(&smtp, "4s").await;
    write_and_confirm(&app, &smtp, ("/fr", "lea@example.org", 2)).await;
    write_and_confirm(&app, &smtp, ("", "sam@example.org", 1)).await;
    // Two confirmations, three letters, two copies, then two follow-ups.
    let mails = smtp.wait_for(9).await;
    let asked_fr = to(&mails, "lea@example.org", "Vous ont-ils répondu");
    assert_eq!(asked_fr.len(), 1, "one follow-up, in French");
    let groups = answer_links(&asked_fr[0]);
    assert_eq!(groups.len(), 2, "one question per official: {groups:?}");
    for group in &groups {
        let answers: Vec<&str> = group
            .iter()
            .map(|p| p.split("answer=").nth(1).unwrap())
            .collect();
        assert_eq!(
            answers,
            ["replied", "acknowledgement", "no_reply", "not_expected"]
        );
        assert!(group[0].starts_with("/fr/follow-up/"), "{}", group[0]);
    }
    assert_ne!(groups[0][0], groups[1][0], "a link per official");
    let text = asked_fr[0].text();
    assert!(text.contains("/me/"), "the data link: {text}");

    // The GET shows the choice and records nothing.
    let replied = &groups[0][0];
    let page = html(&app.get_text(replied, 200).await);
    assert_eq!(
        crate::helpers::attrs(&page, "form input[name=answer]", "value"),
        ["replied"]
    );
    let answered = || -> Vec<Option<String>> {
        message_targets::table
            .filter(message_targets::answer.is_not_null())
            .select(message_targets::reply_text.nullable())
            .load(&mut app.conn())
            .unwrap()
    };
    assert!(answered().is_empty(), "a GET records nothing");

    // The POST records the answer and the pasted reply, as typed.
    let reply = "<b>Merci</b> pour votre lettre.\n=HYPERLINK(\"x\")\tសូម\u{200B}អរគុណ";
    let form = [("answer", "replied"), ("reply", reply)];
    let saved = app
        .post_form(replied.split('?').next().unwrap(), &form)
        .await;
    assert_eq!(saved.status(), 303);
    let back = saved.headers()["location"].to_str().unwrap().to_string();
    assert!(back.ends_with("?saved=1"), "{back}");
    let page = html(&app.get_text(&path_of(&back), 200).await);
    assert!(texts(&page, "p.notice")[0].contains("enregistrée"));
    // The page shows it escaped (`texts` folds white space).
    let folded = reply.split_whitespace().collect::<Vec<_>>().join(" ");
    assert_eq!(texts(&page, "textarea#reply"), [folded]);
    assert_eq!(answered(), [Some(reply.to_string())]);
    // Changed within its 30 days: still one answer.
    let path = replied.split('?').next().unwrap();
    let changed = app
        .post_form(path, &[("answer", "no_reply"), ("reply", "")])
        .await;
    assert_eq!(changed.status(), 303);
    assert_eq!(answered(), [Some(String::new())]);

    // Only the silent writer is reminded, once; the first email's links still work.
    let mails = smtp.wait_for(10).await;
    tokio::time::sleep(Duration::from_secs(5)).await;
    assert_eq!(smtp.mails().len(), 10, "one reminder, never a third email");
    let reminded = to(&mails, "sam@example.org", "Reminder: did they reply");
    assert_eq!(reminded.len(), 1);
    let first = to(&mails, "sam@example.org", "Did they reply");
    let early = &answer_links(&first[0])[0][2];
    assert_eq!(app.get(early).await.status(), 200);
    let late = &answer_links(&reminded[0])[0][1];
    let form = [("answer", "acknowledgement"), ("reply", "")];
    let path = late.split('?').next().unwrap();
    assert_eq!(app.post_form(path, &form).await.status(), 303);
    assert_eq!(answered().len(), 2);
}

#[actix_web::test]
async fn forged_stale_and_erased_links_are_gone_and_hostile_answers_are_refused() {
    let smtp = SmtpServer::start(Mode::Accept).await;
    let app = app(&smtp, "1h").await;
    write_and_confirm(&app, &smtp, ("/km", "vy@example.org", 1)).await;
    let mails = smtp.wait_for(4).await;
    let asked = mails
        .iter()
        .find(|m| m.text().contains("/follow-up/"))
        .expect("the follow-up");
    let links = answer_links(asked);
    assert_eq!(links.len(), 1, "{}", asked.text());
    let link = links[0][0].split('?').next().unwrap().to_string();
    assert!(link.starts_with("/km/follow-up/"), "{link}");

    // Forged: 410 both ways.
    let forged = "/follow-up/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    assert_eq!(app.get(forged).await.status(), 410);
    let form = [("answer", "replied"), ("reply", "")];
    assert_eq!(app.post_form(forged, &form).await.status(), 410);

    // Hostile answers: a clear message and a 4xx, nothing stored.
    let bad = app.get(&format!("{link}?answer=%3Cscript%3E")).await;
    assert_eq!(bad.status(), 400);
    let body = bad.text().await.unwrap();
    assert!(!body.contains("<script>"));
    assert_eq!(app.get(&format!("{link}?answer=%FF")).await.status(), 400);
    let too_long = "ក".repeat(20_001);
    for (answer, reply) in [
        ("", "a"),
        ("yes", "a"),
        ("replied", too_long.as_str()),
        ("replied", "a\u{1b}[31m"),
    ] {
        let r = app
            .post_form(&link, &[("answer", answer), ("reply", reply)])
            .await;
        assert_eq!(r.status(), 422, "{answer}");
        let page = html(&r.text().await.unwrap());
        assert_eq!(texts(&page, "p.error-message").len(), 1);
    }
    let json = app
        .client
        .post(app.url(&link))
        .header("content-type", "application/json")
        .body(r#"{"answer":"replied"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(json.status(), 415);
    let stored: i64 = message_targets::table
        .filter(message_targets::answer.is_not_null())
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(stored, 0);

    // Answered 31 days ago: the link has ended.
    let form = [("answer", "no_reply"), ("reply", "ចម្លើយ")];
    assert_eq!(app.post_form(&link, &form).await.status(), 303);
    // The writer's own data holds the answer and the reply (the email's data link).
    let (_, json) = crate::helpers::own_data(&app, asked).await;
    let recipient = &json["letters"][0]["recipients"][0];
    assert_eq!(recipient["answer"], "no_reply", "{json}");
    assert_eq!(recipient["reply"], "ចម្លើយ");
    let long_ago = clarion::db::now() - chrono::TimeDelta::days(31);
    diesel::update(message_targets::table)
        .set(message_targets::first_answered_at.eq(long_ago))
        .execute(&mut app.conn())
        .unwrap();
    assert_eq!(app.get(&link).await.status(), 410);
    diesel::update(message_targets::table)
        .set(message_targets::first_answered_at.eq(clarion::db::now()))
        .execute(&mut app.conn())
        .unwrap();
    assert_eq!(app.get(&link).await.status(), 200);

    // Erased with the supporter: the reply's text and the link go, the answer stays.
    clarion::db::erasure::erase(&mut app.conn(), "vy@example.org").unwrap();
    assert_eq!(app.get(&link).await.status(), 410);
    let kept: Vec<(Option<String>, String)> = message_targets::table
        .select((message_targets::answer, message_targets::reply_text))
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(kept, [(Some("no_reply".to_string()), String::new())]);
}
