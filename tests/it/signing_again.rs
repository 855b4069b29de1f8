//! Signing again with an address that has signed: the address is told by email how its
//! signature stands, while the page shows exactly what a first signing shows, so the page
//! never tells anyone whether an address signed. And before any of it, a mistyped mail
//! provider is asked about once.

use clarion::db::schema::{outbox, signatures};
use diesel::prelude::*;

use crate::helpers::rows::{insert, petition_id, signature};
use crate::helpers::smtp::Mode;
use crate::helpers::{app_with_smtp, form_as_sent, html, supporter, texts, TestApp, PETITION};

/// Signs with `email` as "Someone Else" and answers where the page sent them.
async fn sign_as_someone(app: &TestApp, email: &str) -> String {
    let fields = [
        ("first_name", "Someone"),
        ("last_name", "Else"),
        ("email", email),
        ("country", "FR"),
    ];
    let response = app.sign(PETITION, &fields).await;
    assert_eq!(response.status().as_u16(), 303);
    crate::helpers::location_path(&response)
}

fn emails_of_kind(app: &TestApp, kind: &str) -> i64 {
    outbox::table
        .filter(outbox::kind.eq(kind))
        .count()
        .get_result(&mut app.conn())
        .unwrap()
}

#[actix_web::test]
async fn a_confirmed_signer_who_signs_again_is_told_by_email_and_the_page_is_the_same() {
    let (app, smtp) = app_with_smtp(Mode::Accept).await;
    let first = app.sign(PETITION, &supporter("sok.dara@gmail.com")).await;
    let first_page = crate::helpers::location_path(&first);
    let confirmation = smtp.wait_for(1).await.remove(0);
    let confirmed = app.client.post(confirmation.link()).send().await.unwrap();
    assert_eq!(confirmed.status().as_u16(), 303);

    // An equivalent address, another name typed: the same page as the first time.
    let again = sign_as_someone(&app, "Sok.Dara+again@gmail.com").await;
    assert_eq!(again, first_page);
    let told = smtp.wait_for(2).await.remove(1);
    assert_eq!(
        told.to,
        ["<Sok.Dara+again@gmail.com>"],
        "to the address typed now"
    );
    let subject = told.subject();
    assert!(
        subject.starts_with("You have already signed: "),
        "{subject}"
    );
    let text = told.text();
    assert!(
        text.contains("Your signature is already counted."),
        "{text}"
    );
    assert!(
        text.starts_with("Hello Sok,"),
        "greeted by the name that signed, not the one typed now: {text}"
    );
    assert!(
        !text.contains("Hello Someone") && !text.contains("/signatures/confirm/"),
        "{text}"
    );
    assert_eq!(
        told.link(),
        format!("{}/petitions/{PETITION}", app.address),
        "a link to the petition, no confirmation link"
    );
    let count: i64 = signatures::table
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(count, 1, "no second row");

    // Three emails per signature at most, whoever keeps signing with the address.
    for _ in 0..3 {
        sign_as_someone(&app, "sok.dara@gmail.com").await;
    }
    actix_web::rt::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert_eq!(smtp.mails().len(), 3);
    assert_eq!(emails_of_kind(&app, "signature_already_counted"), 2);
}

#[actix_web::test]
async fn a_held_signer_is_told_it_is_being_checked_and_an_invalidated_one_gets_nothing() {
    let (app, smtp) = app_with_smtp(Mode::Accept).await;
    let id = petition_id(&app);
    let mut held = signature(&id, 1, "held", "FR", "Chan", "", 1);
    held.emails_sent = 1;
    let mut invalidated = signature(&id, 2, "invalidated", "FR", "Flood", "", 2);
    invalidated.emails_sent = 1;
    insert(&app, &[held, invalidated]);

    let page = sign_as_someone(&app, "s1@example.org").await;
    assert!(page.ends_with("/check-your-email"), "{page}");
    let told = smtp.wait_for(1).await.remove(0);
    let text = told.text();
    assert!(text.starts_with("Hello Chan,"), "{text}");
    assert!(
        text.contains("Your signature is being checked before it is counted."),
        "{text}"
    );

    assert_eq!(sign_as_someone(&app, "s2@example.org").await, page);
    actix_web::rt::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert_eq!(smtp.mails().len(), 1, "nothing to an invalidated signature");
}

#[actix_web::test]
async fn a_mistyped_provider_is_asked_about_once_and_either_answer_goes_through() {
    let app = TestApp::spawn().await;
    let typed = [
        ("first_name", "Sok"),
        ("last_name", "Dara"),
        ("email", "sok@gmial.com"),
        ("country", "KH"),
    ];
    let asked = app.sign(PETITION, &typed).await;
    assert_eq!(asked.status().as_u16(), 200, "a question, not an error");
    let page = html(&asked.text().await.unwrap());
    assert_eq!(
        texts(&page, ".suggestion p")[0],
        "Did you mean sok@gmail.com?"
    );
    assert_eq!(texts(&page, "#email-error").len(), 0, "no error message");
    let stored = || -> Vec<String> {
        signatures::table
            .select(signatures::email)
            .order(signatures::email)
            .load(&mut app.conn())
            .unwrap()
    };
    assert!(stored().is_empty(), "nothing stored before the answer");

    // "Yes, use sok@gmail.com": the button's value comes before the typed field.
    let action = format!("form[action=\"/petitions/{PETITION}/sign\"]");
    let mut yes = vec![("email".to_string(), "sok@gmail.com".to_string())];
    yes.extend(form_as_sent(&page, &action));
    let path = format!("/petitions/{PETITION}/sign");
    let pairs: Vec<(&str, &str)> = yes.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    assert_eq!(app.post_form(&path, &pairs).await.status().as_u16(), 303);

    // Someone whose address really is at an unusual domain sends the form again as typed.
    let typed = [
        ("first_name", "Dara"),
        ("last_name", "Sok"),
        ("email", "dara@gmial.com"),
        ("country", "KH"),
    ];
    let page = html(&app.sign(PETITION, &typed).await.text().await.unwrap());
    let again = form_as_sent(&page, &action);
    assert!(again.contains(&("email_checked".into(), "1".into())));
    let pairs: Vec<(&str, &str)> = again
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    assert_eq!(app.post_form(&path, &pairs).await.status().as_u16(), 303);
    assert_eq!(stored(), ["dara@gmial.com", "sok@gmail.com"]);
}
