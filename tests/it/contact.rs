//! Writing to officials: target lists, the letter, confirmation, delivery, mailto mode.

use clarion::db::schema::{message_targets, outbox};
use diesel::prelude::*;

use crate::helpers::contact::{letter_form, send, set_action, stored_messages, CONTACT};
use crate::helpers::smtp::{Mode, SmtpServer};
use crate::helpers::{attrs, html, location_path, texts, TestApp};

#[actix_web::test]
async fn a_supporter_writes_to_demo_meps_and_each_receives_one_email_only_after_confirmation() {
    let smtp = SmtpServer::start(Mode::Accept).await;
    let app = TestApp::builder()
        .set("CLARION_SMTP_URL", &smtp.url())
        .set("CLARION_MAIL_FROM", "Clarion <letters@example.net>")
        .spawn()
        .await;
    // From the article's card to the country step.
    let article = html(
        &app.get_text("/articles/european-parliament-resolution-on-cambodia", 200)
            .await,
    );
    assert_eq!(
        attrs(&article, ".cta-card a.button", "href"),
        [format!("/act/{CONTACT}")]
    );
    let country_step = html(&app.get_text(&format!("/act/{CONTACT}"), 200).await);
    assert_eq!(
        attrs(&country_step, "form.country-form select", "name"),
        ["country"]
    );

    let (_, ticked, page) = letter_form(&app, "FR").await;
    assert_eq!(
        texts(&page, "#targets label").len(),
        3,
        "the three French demo MEPs"
    );
    assert_eq!(ticked.len(), 3);
    assert!(
        attrs(&page, "#subject", "value")[0].contains("Cambodia"),
        "the subject template is pre-filled"
    );
    let chosen = &ticked[..2];
    let response = send(&app, "FR", chosen, &[]).await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(
        location_path(&response),
        format!("/act/{CONTACT}/check-your-email")
    );

    let confirmation = smtp.wait_for(1).await.remove(0);
    assert_eq!(confirmation.to, ["<sok@example.org>"]);
    // The letter's email speaks of a letter, not of a signature.
    let (text, body) = (confirmation.text(), confirmation.html());
    assert!(text.contains("If you did not write this letter"), "{text}");
    assert!(!text.contains("did not sign"), "{text}");
    assert!(!body.contains("Confirm my signature"), "{body}");
    assert!(body.contains(">Confirm my letter</a>"), "{body}");
    actix_web::rt::time::sleep(std::time::Duration::from_millis(1200)).await;
    assert_eq!(smtp.mails().len(), 1, "nothing leaves before confirmation");
    let link = confirmation.link();
    let confirm_page = html(
        &app.get_text(reqwest::Url::parse(&link).unwrap().path(), 200)
            .await,
    );
    assert_eq!(texts(&confirm_page, "main form button"), ["Send my letter"]);
    assert_eq!(
        app.client
            .post(&link)
            .send()
            .await
            .unwrap()
            .status()
            .as_u16(),
        303
    );
    assert_eq!(
        app.client
            .post(&link)
            .send()
            .await
            .unwrap()
            .status()
            .as_u16(),
        303,
        "twice is harmless"
    );

    let (copies, letters): (Vec<_>, Vec<_>) = smtp
        .wait_for(4)
        .await
        .into_iter()
        .skip(1)
        .partition(|m| m.to == ["<sok@example.org>"]);
    actix_web::rt::time::sleep(std::time::Duration::from_millis(800)).await;
    assert_eq!(
        smtp.mails().len(),
        4,
        "one email per chosen target, once, and the writer's copy"
    );
    let copy = &copies[0];
    assert_eq!(
        copy.subject(),
        "Your letter was sent: Please act on Cambodia"
    );
    let said = copy.text();
    assert!(
        said.starts_with("Your letter has gone to: Demo MEP ") && said.contains("Dear Demo MEP "),
        "{said}"
    );
    let mut to: Vec<String> = letters.iter().flat_map(|m| m.to.clone()).collect();
    to.sort();
    assert_eq!(to, ["<demo-1@example.org>", "<demo-2@example.org>"]);
    for mail in &letters {
        let parsed = mail.parsed();
        let from = parsed.from().unwrap().first().unwrap();
        assert_eq!(
            (from.name(), from.address()),
            (Some("Sok Dara"), Some("letters@example.net"))
        );
        assert_eq!(
            parsed.reply_to().unwrap().first().unwrap().address(),
            Some("sok@example.org")
        );
        assert_eq!(mail.subject(), "Please act on Cambodia");
        let body = mail.text();
        assert!(body.starts_with("Dear Demo MEP "), "{body}");
        assert!(body.contains("Sok Dara, France"));
        assert!(body.contains("sent on behalf of Sok Dara"));
    }
    let page = app.get_text(&format!("/act/{CONTACT}"), 200).await;
    assert!(page.contains("2 letters sent"));
    let statuses: Vec<String> = message_targets::table
        .select(message_targets::status)
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(statuses, ["sent", "sent"]);
}

#[actix_web::test]
async fn a_second_letter_the_same_day_stores_nothing_and_the_address_hears_of_the_first() {
    let smtp = SmtpServer::start(Mode::Accept).await;
    let app = TestApp::builder()
        .set("CLARION_SMTP_URL", &smtp.url())
        .spawn()
        .await;
    let (_, ticked, _) = letter_form(&app, "DE").await;
    let write = |email: &'static str| {
        let (app, ticked) = (&app, &ticked);
        async move {
            let response = send(app, "DE", ticked, &[("email", email)]).await;
            assert_eq!(response.status().as_u16(), 303);
            assert_eq!(
                location_path(&response),
                format!("/act/{CONTACT}/check-your-email"),
                "the same answer every time"
            );
        }
    };
    write("sok@example.org").await;
    let first = smtp.wait_for(1).await.remove(0);
    // Unconfirmed: the link comes again, and only the newest works.
    write("SOK+again@example.org").await;
    let again = smtp.wait_for(2).await.remove(1);
    assert!(again.subject().starts_with("Please confirm your letter"));
    assert_ne!(again.link(), first.link());
    let old = app.client.post(first.link()).send().await.unwrap();
    assert_eq!(old.status().as_u16(), 404, "the replaced link is dead");
    let confirmed = app.client.post(again.link()).send().await.unwrap();
    assert_eq!(confirmed.status().as_u16(), 303);

    // Confirmed: the address is told it has written already; nothing else is sent to MEPs.
    // Two letters and the writer's copy follow the two confirmations.
    let letters_before = smtp.wait_for(5).await.len();
    write("sok@example.org").await;
    let told = smtp
        .wait_for(letters_before + 1)
        .await
        .remove(letters_before);
    assert!(told
        .subject()
        .starts_with("You have already written today: "));
    assert!(told.text().starts_with("Hello Sok,"), "{}", told.text());
    assert_eq!(told.link(), format!("{}/act/{CONTACT}", app.address));

    // Three emails per letter at most.
    write("sok@example.org").await;
    actix_web::rt::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert_eq!(smtp.mails().len(), letters_before + 1);
    assert_eq!(stored_messages(&app), 1);
}

#[actix_web::test]
async fn pre_ticked_targets_rotate_so_letters_reach_every_mep() {
    let app = TestApp::spawn().await;
    set_action(&app, "max_targets", "1");
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..40 {
        let (_, ticked, _) = letter_form(&app, "FR").await;
        assert_eq!(ticked.len(), 1);
        seen.extend(ticked);
    }
    assert_eq!(seen.len(), 3, "each French demo MEP is suggested in turn");
}

#[actix_web::test]
async fn mailto_mode_prepares_escaped_links_and_sends_nothing() {
    let app = TestApp::spawn().await;
    set_action(&app, "delivery_mode", "mailto");
    let (_, ticked, page) = letter_form(&app, "BE").await;
    assert_eq!(
        texts(&page, "form.letter-form button"),
        ["Prepare my letter"]
    );
    let subject = "Act & stop? #now";
    let response = send(
        &app,
        "BE",
        &ticked,
        &[
            ("subject", subject),
            ("body", "Dear {target_name},\r\n=1+1 <b>"),
        ],
    )
    .await;
    assert_eq!(response.status().as_u16(), 303);
    let location = response.headers()["location"].to_str().unwrap().to_string();
    assert!(location.starts_with(&format!("/act/{CONTACT}/letters/")));
    let letters = app.get(&location).await;
    assert_eq!(letters.headers()["referrer-policy"], "no-referrer");
    let page = html(&letters.text().await.unwrap());
    let links = attrs(&page, ".mailto-links a", "href");
    assert_eq!(links.len(), 2);
    for link in &links {
        assert!(link.starts_with("mailto:demo-"), "{link}");
        assert!(
            link.contains("?subject=Act%20%26%20stop%3F%20%23now&body=Dear%20Demo%20MEP%20"),
            "{link}"
        );
        assert!(link.ends_with("%0D%0A%3D1%2B1%20%3Cb%3E"), "{link}");
    }
    let emails: i64 = outbox::table.count().get_result(&mut app.conn()).unwrap();
    assert_eq!(emails, 0, "nothing leaves the platform");
    assert!(app
        .get_text(&format!("/act/{CONTACT}"), 200)
        .await
        .contains("2 letters prepared"));
}

#[actix_web::test]
async fn a_country_without_meps_says_why_and_offers_the_petition_and_reunion_writes_to_france() {
    let app = TestApp::spawn().await;
    let step = html(&app.get_text(&format!("/act/{CONTACT}"), 200).await);
    assert_eq!(
        attrs(&step, "select#country optgroup", "label"),
        ["EU member states", "Other countries"]
    );
    let first_group = attrs(
        &step,
        "select#country optgroup:first-of-type option",
        "value",
    );
    assert_eq!((first_group.len(), first_group[0].as_str()), (27, "AT"));

    // Cambodia: no MEPs there. Why, and the campaign's petition instead; no letter form.
    let cambodia = html(
        &app.get_text(&format!("/act/{CONTACT}?country=KH"), 200)
            .await,
    );
    let said = texts(&cambodia, ".notice p").join(" ");
    assert!(
        said.contains("no one to write to for Cambodia")
            && said.contains("If you live in the EU, choose the country where you live."),
        "{said}"
    );
    assert_eq!(
        attrs(&cambodia, "main ul a", "href"),
        ["/petitions/cambodia-political-prisoners-petition"]
    );
    assert!(attrs(&cambodia, "form.letter-form", "action").is_empty());

    // Réunion is part of France: France's MEPs.
    let reunion = html(
        &app.get_text(&format!("/act/{CONTACT}?country=RE"), 200)
            .await,
    );
    let targets = texts(&reunion, "#targets label");
    assert!(
        targets.iter().any(|t| t.contains("Alice Martin")),
        "{targets:?}"
    );
}

#[actix_web::test]
async fn the_letter_page_previews_the_letter_as_the_first_chosen_mep_receives_it() {
    let app = TestApp::spawn().await;
    let (_, ticked, page) = letter_form(&app, "FR").await;
    let first = texts(
        &page,
        &format!("label[for=\"target-{}\"] strong", ticked[0]),
    )
    .remove(0);
    assert_eq!(
        texts(&page, ".letter-preview h2"),
        [format!("Your letter, as {first} will receive it")]
    );
    let body = texts(&page, ".letter-preview .preview-body").join(" ");
    assert!(body.contains(&first), "addressed to the real MEP: {body}");
    assert!(
        body.contains("(your name)") && body.contains("France"),
        "{body}"
    );
    assert!(
        !body.contains("{target_name}") && !body.contains("{supporter_country}"),
        "{body}"
    );
    assert_eq!(
        texts(&page, "form.letter-form .reply-to-note"),
        ["The people you write to will see your name and email address, so that they can reply to you."]
    );
}

#[actix_web::test]
async fn a_mistyped_provider_on_the_letter_form_is_asked_about_once() {
    let app = TestApp::spawn().await;
    let (_, ticked, _) = letter_form(&app, "DE").await;
    let asked = send(&app, "DE", &ticked, &[("email", "sok@hotmial.com")]).await;
    assert_eq!(asked.status().as_u16(), 200, "a question, not an error");
    let page = html(&asked.text().await.unwrap());
    assert_eq!(
        texts(&page, "form.letter-form .suggestion p")[0],
        "Did you mean sok@hotmail.com?"
    );
    assert_eq!(
        attrs(&page, "main > .notice a", "href"),
        ["#email-suggestion"],
        "announced at the top of the long page"
    );
    assert_eq!(stored_messages(&app), 0);
    // The letter as typed is kept; the suggested address is sent with it.
    let form = "form.letter-form";
    let mut yes = vec![("email".to_string(), "sok@hotmail.com".to_string())];
    yes.extend(crate::helpers::form_as_sent(&page, form));
    assert!(yes
        .iter()
        .any(|(n, v)| n == "subject" && v == "Please act on Cambodia"));
    let sent = app
        .client
        .post(app.url(&format!("/act/{CONTACT}/send")))
        .form(&yes)
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status().as_u16(), 303);
    let email: String = clarion::db::schema::messages::table
        .select(clarion::db::schema::messages::email)
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(email, "sok@hotmail.com");
}
