//! Joining the newsletter (double opt-in, in the page's language) and leaving it with one
//! cookie-less POST; the form never tells whether an address is subscribed.

use clarion::db::schema::subscribers;
use diesel::prelude::*;

use crate::helpers::newsletter::{join, path_of};
use crate::helpers::smtp::Mode;
use crate::helpers::{app_with_smtp, html, texts, TestApp, ARTICLE, PETITION};

fn status_of(app: &TestApp, email: &str) -> Option<(String, String, String)> {
    subscribers::table
        .filter(subscribers::email_canonical.eq(email))
        .select((
            subscribers::status,
            subscribers::language,
            subscribers::source,
        ))
        .first(&mut app.conn())
        .optional()
        .unwrap()
}

const SOK: [(&str, &str); 3] = [
    ("email", "sok@example.org"),
    ("first_name", "សុខ"),
    ("country", "FR"),
];

#[actix_web::test]
async fn a_khmer_reader_joins_from_an_article_confirms_and_leaves_in_one_click() {
    let (app, smtp) = app_with_smtp(Mode::Accept).await;
    let response = join(&app, &format!("/km{ARTICLE}"), &SOK).await;
    assert_eq!(response.status(), 303);
    let location = response.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(location, "/km/newsletter/check-your-email");
    let (status, lang, source) = status_of(&app, "sok@example.org").unwrap();
    assert_eq!((status.as_str(), lang.as_str()), ("pending", "km"));
    assert_eq!(
        source,
        "newsletter:european-parliament-resolution-on-cambodia"
    );

    let mail = smtp.wait_for(1).await.remove(0);
    let parsed = mail.parsed();
    assert!(mail.subject().contains("ព្រឹត្តិបត្រ"), "{}", mail.subject());
    assert!(
        parsed.header("List-Unsubscribe").is_none(),
        "a confirmation is not a mailing"
    );
    let link = mail.link();
    assert!(link.contains("/km/newsletter/confirm/"), "{link}");
    let path = &path_of(&link);

    // Opening the link changes nothing; the button confirms.
    let page = html(&app.get_text(path, 200).await);
    assert_eq!(texts(&page, "main form button").len(), 1);
    assert_eq!(status_of(&app, "sok@example.org").unwrap().0, "pending");
    let confirmed = app.post_form(path, &[]).await;
    assert_eq!(confirmed.status(), 200);
    assert_eq!(status_of(&app, "sok@example.org").unwrap().0, "subscribed");
    assert_eq!(
        app.post_form(path, &[]).await.status(),
        200,
        "twice is harmless"
    );

    // Joining again while subscribed: the same answer, nothing sent, nothing changed.
    let again = join(&app, "/newsletter", &SOK).await;
    assert_eq!(again.status(), 303);
    assert_eq!(again.headers()["location"], "/newsletter/check-your-email");
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(smtp.mails().len(), 1);
    assert_eq!(status_of(&app, "sok@example.org").unwrap().0, "subscribed");

    // The unsubscribe link: GET shows a button; a bare POST (no cookie, no token) leaves.
    let id: String = subscribers::table
        .select(subscribers::id)
        .first(&mut app.conn())
        .unwrap();
    let token = clarion::domain::unsubscribe::token(app.secret().as_bytes(), &id, None);
    let leave = format!("/newsletter/unsubscribe/{token}");
    let page = html(&app.get_text(&leave, 200).await);
    assert_eq!(texts(&page, "main form button"), ["Unsubscribe"]);
    assert_eq!(status_of(&app, "sok@example.org").unwrap().0, "subscribed");
    let bare = reqwest::Client::new();
    let left = bare.post(app.url(&leave)).send().await.unwrap();
    assert_eq!(left.status(), 200);
    assert_eq!(
        status_of(&app, "sok@example.org").unwrap().0,
        "unsubscribed"
    );

    // Forged, truncated and reused links answer the same page and change nothing.
    for bad in [
        leave.clone(),
        format!("/newsletter/unsubscribe/{}", &token[..token.len() - 3]),
        format!("/newsletter/unsubscribe/{id}.AAAA"),
        "/newsletter/unsubscribe/%3Cscript%3E".to_string(),
    ] {
        let answer = bare.post(app.url(&bad)).send().await.unwrap();
        assert_eq!(answer.status(), 200, "{bad}");
    }

    // Rejoining needs the confirmation again.
    let back = join(&app, "/fr/newsletter", &SOK).await;
    assert_eq!(back.status(), 303);
    let mail = smtp.wait_for(2).await.remove(1);
    assert!(mail.link().contains("/fr/newsletter/confirm/"));
    let (status, lang, _) = status_of(&app, "sok@example.org").unwrap();
    assert_eq!((status.as_str(), lang.as_str()), ("pending", "fr"));
}

#[actix_web::test]
async fn hostile_joins_are_refused_with_a_message_or_answered_as_if_accepted() {
    let app = TestApp::spawn().await;
    let home = html(&app.get_text("/", 200).await);
    assert_eq!(
        texts(&home, "section.newsletter h2"),
        ["Get the newsletter"]
    );

    let long = format!("{}@example.org", "a".repeat(300));
    for (fields, field) in [
        (
            vec![
                ("email", "not an address"),
                ("first_name", "Sok"),
                ("country", "FR"),
            ],
            "email",
        ),
        (
            vec![
                ("email", long.as_str()),
                ("first_name", "Sok"),
                ("country", "FR"),
            ],
            "email",
        ),
        (
            vec![
                ("email", "a@example.org"),
                ("first_name", ""),
                ("country", "FR"),
            ],
            "first_name",
        ),
        (
            vec![
                ("email", "a@example.org"),
                ("first_name", "<script>x</script>\u{1b}"),
                ("country", "FR"),
            ],
            "first_name",
        ),
        (
            vec![
                ("email", "a@example.org"),
                ("first_name", "Sok"),
                ("country", "XX"),
            ],
            "country",
        ),
    ] {
        let response = join(&app, "/fr/newsletter", &fields).await;
        assert_eq!(response.status(), 422, "{fields:?}");
        let page = html(&response.text().await.unwrap());
        let errors = texts(&page, ".error-summary li");
        assert_eq!(errors.len(), 1, "{fields:?}: {errors:?}");
        assert!(
            crate::helpers::attrs(&page, ".error-summary a", "href")[0].ends_with(field),
            "{fields:?}"
        );
    }
    // No token, a bad body: refused; the honeypot: answered as accepted, nothing kept.
    let no_token = app.post_form("/newsletter", &SOK).await;
    assert_eq!(no_token.status(), 403);
    let bytes = app.post_bytes("/newsletter", vec![0xff, 0xfe, b'=']).await;
    assert_eq!(bytes.status(), 400);
    let mut trap = SOK.to_vec();
    trap.push(("website", "http://spam.example"));
    assert_eq!(join(&app, "/newsletter", &trap).await.status(), 303);
    assert_eq!(status_of(&app, "sok@example.org"), None);
    let unknown = app.get("/newsletter/confirm/not-a-token").await;
    assert_eq!(unknown.status(), 404);
}

fn consent_of(app: &TestApp, email: &str) -> (String, String) {
    subscribers::table
        .filter(subscribers::email_canonical.eq(email))
        .select((subscribers::consent_text, subscribers::consent_version))
        .first(&mut app.conn())
        .unwrap()
}

#[actix_web::test]
async fn ticking_the_newsletter_box_subscribes_once_the_signature_or_letter_is_confirmed() {
    use clarion::db::schema::signatures;
    let (app, smtp) = app_with_smtp(Mode::Accept).await;
    // The box names the newsletter, in the page's language.
    let page = html(
        &app.get_text(&format!("/fr/petitions/{PETITION}"), 200)
            .await,
    );
    let label = texts(&page, "label[for=consent_updates]");
    assert!(
        label[0].starts_with("Envoyez-moi la lettre d'information"),
        "{label:?}"
    );

    let ticked = crate::helpers::supporter("lyon@example.org");
    assert_eq!(app.sign_in("/fr", PETITION, &ticked).await.status(), 303);
    assert_eq!(
        status_of(&app, "lyon@example.org"),
        None,
        "not before confirming"
    );
    let link = smtp.wait_for(1).await.remove(0).link();
    assert_eq!(app.client.post(&link).send().await.unwrap().status(), 303);
    let (status, lang, source) = status_of(&app, "lyon@example.org").unwrap();
    assert_eq!(status, "subscribed");
    assert_eq!(lang, "fr");
    assert_eq!(source, format!("signature:{PETITION}"));
    let (text, version) = consent_of(&app, "lyon@example.org");
    assert!(
        text.starts_with("Envoyez-moi la lettre d'information"),
        "{text}"
    );
    assert_eq!(version, "newsletter-box-2026-12");
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(smtp.mails().len(), 1, "no second email");

    // Unticked: no subscription. Ticked under the old wording: none either.
    let mut unticked = crate::helpers::supporter("leeds@example.org");
    unticked.retain(|(f, _)| *f != "consent_updates");
    assert_eq!(app.sign(PETITION, &unticked).await.status(), 303);
    let link = smtp.wait_for(2).await.remove(1).link();
    app.client.post(&link).send().await.unwrap();
    assert_eq!(status_of(&app, "leeds@example.org"), None);
    assert_eq!(
        app.sign(PETITION, &crate::helpers::supporter("old@example.org"))
            .await
            .status(),
        303
    );
    diesel::update(signatures::table.filter(signatures::email_canonical.eq("old@example.org")))
        .set(signatures::consent_version.eq("demo-2026-11"))
        .execute(&mut app.conn())
        .unwrap();
    let link = smtp.wait_for(3).await.remove(2).link();
    app.client.post(&link).send().await.unwrap();
    assert_eq!(
        status_of(&app, "old@example.org"),
        None,
        "the old wording covered one campaign"
    );

    // A letter written in Khmer with the box ticked.
    let (_, targets, _) = crate::helpers::contact::letter_form(&app, "FR").await;
    let sent = crate::helpers::contact::send(
        &app,
        "FR",
        &targets[..1],
        &[("email", "phnompenh@example.org"), ("consent_updates", "1")],
    )
    .await;
    assert_eq!(sent.status(), 303);
    let link = smtp.wait_for(4).await.remove(3).link();
    app.client.post(&link).send().await.unwrap();
    let (status, _, source) = status_of(&app, "phnompenh@example.org").unwrap();
    assert_eq!(status, "subscribed");
    assert_eq!(source, "letter:write-to-your-meps-on-cambodia");
}

#[actix_web::test]
async fn a_letter_from_ones_own_mail_program_asks_to_join_by_the_newsletters_own_email() {
    use crate::helpers::contact::{letter_form, send, set_action};
    let (app, smtp) = app_with_smtp(Mode::Accept).await;
    set_action(&app, "delivery_mode", "mailto");
    // The form says what ticking does, since no confirmation email follows the letter.
    let (_, targets, page) = letter_form(&app, "FR").await;
    let hint = texts(&page, "#consent_updates-hint");
    assert!(hint[0].contains("one email with a link"), "{hint:?}");
    let ticked = [("email", "mailto@example.org"), ("consent_updates", "1")];
    assert_eq!(send(&app, "FR", &targets, &ticked).await.status(), 303);
    let mail = smtp.wait_for(1).await.remove(0);
    assert_eq!(mail.to, ["<mailto@example.org>"]);
    let (status, _, source) = status_of(&app, "mailto@example.org").unwrap();
    assert_eq!(status, "pending", "not before the link");
    assert_eq!(source, "letter:write-to-your-meps-on-cambodia");
    assert_eq!(
        app.post_form(&path_of(&mail.link()), &[]).await.status(),
        200
    );
    let (status, _, _) = status_of(&app, "mailto@example.org").unwrap();
    assert_eq!(status, "subscribed");
    let (text, version) = consent_of(&app, "mailto@example.org");
    assert!(text.starts_with("Send me the newsletter"), "{text}");
    assert_eq!(version, "newsletter-box-2026-12");

    // Unticked, nothing is sent at all, as before.
    let unticked = [("email", "quiet@example.org")];
    assert_eq!(send(&app, "FR", &targets, &unticked).await.status(), 303);
    tokio::time::sleep(std::time::Duration::from_millis(800)).await;
    assert_eq!(smtp.mails().len(), 1);
    assert_eq!(status_of(&app, "quiet@example.org"), None);
}
