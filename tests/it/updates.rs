//! Telling supporters what happened: staff post an update from the action's admin page;
//! it shows on the action's page in each language, and only confirmed supporters who
//! asked for news receive it, once each, in their language, with a one-click way out of
//! that action's news. Hostile updates: `updates_input.rs`.

use clarion::db::schema::update_optouts;
use diesel::prelude::*;

use crate::helpers::admin::staff_page;
use crate::helpers::contact::{contact_id, send_in, set_action, CONTACT};
use crate::helpers::newsletter::{exactly, header, path_of, post};
use crate::helpers::rows::petition_id;
use crate::helpers::smtp::{Mail, Mode};
use crate::helpers::{
    add_staff, app_with_smtp, html, json_count, logged_in, texts, TestApp, PETITION,
};

fn optouts(app: &TestApp) -> i64 {
    update_optouts::table
        .count()
        .get_result(&mut app.conn())
        .unwrap()
}

fn to<'a>(mails: &'a [Mail], address: &str) -> Vec<&'a Mail> {
    mails
        .iter()
        .filter(|m| m.to == [format!("<{address}>")])
        .collect()
}

/// The three languages' texts of an update, with `kind`.
fn in_three_languages(kind: &'static str) -> Vec<(&'static str, &'static str)> {
    vec![
        ("kind", kind),
        ("title_en", "We delivered the petition"),
        (
            "body_en",
            "We handed it to the **European Parliament** on 12 December.",
        ),
        ("title_fr", "Nous avons remis la pétition"),
        (
            "body_fr",
            "Nous l'avons remise au **Parlement européen** le 12 décembre.",
        ),
        ("title_km", "យើង\u{200b}បាន\u{200b}ប្រគល់\u{200b}ញត្តិ"),
        (
            "body_km",
            "យើង\u{200b}បាន\u{200b}ប្រគល់\u{200b}វា\u{200b}ជូន\u{200b}សភា\u{200b}អឺរ៉ុប។",
        ),
        ("email", "1"),
    ]
}

#[actix_web::test]
async fn only_confirmed_signers_who_asked_for_news_get_an_update_once_in_their_language() {
    let (app, smtp) = app_with_smtp(Mode::Accept).await;
    let news = |email| {
        vec![
            ("first_name", "Sok"),
            ("last_name", "Dara"),
            ("email", email),
            ("country", "FR"),
            ("consent_updates", "1"),
        ]
    };
    app.sign_in("", PETITION, &news("en@example.org")).await;
    app.sign_in("/fr", PETITION, &news("fr@example.org")).await;
    app.sign_in("/km", PETITION, &news("km@example.org")).await;
    let mut quiet = news("quiet@example.org");
    quiet.retain(|(name, _)| *name != "consent_updates");
    app.sign_in("", PETITION, &quiet).await;
    app.sign_in("", PETITION, &news("unconfirmed@example.org"))
        .await;
    let confirmations = smtp.wait_for(5).await;
    for mail in &confirmations[..4] {
        let confirmed = app.client.post(mail.link()).send().await.unwrap();
        assert_eq!(confirmed.status(), 303);
    }

    add_staff(&app, "staff@example.org", "campaigner");
    let staff = logged_in(&app, "staff@example.org").await;
    let admin = format!("/admin/actions/{}", petition_id(&app));
    let page = staff_page(&app, &staff, &admin).await;
    let label = texts(&page, "section#updates label[for=email]").join(" ");
    assert!(label.contains("the 3 supporters"), "{label}");
    assert_eq!(texts(&page, "section#updates p")[1], "No update yet.");

    let target = format!("{admin}/updates");
    let posted = post(&app, &staff, &target, &in_three_languages("delivered")).await;
    assert_eq!(posted, 303);
    let mails = exactly(&smtp, 8).await;
    let sent = &mails[5..];
    assert!(
        to(sent, "quiet@example.org").is_empty(),
        "no consent, no news"
    );
    assert!(to(sent, "unconfirmed@example.org").is_empty());
    let (en, fr, km) = (
        to(sent, "en@example.org"),
        to(sent, "fr@example.org"),
        to(sent, "km@example.org"),
    );
    assert_eq!((en.len(), fr.len(), km.len()), (1, 1, 1), "once each");
    assert_eq!(en[0].subject(), "We delivered the petition");
    assert_eq!(fr[0].subject(), "Nous avons remis la pétition");
    assert_eq!(km[0].subject(), "យើង\u{200b}បាន\u{200b}ប្រគល់\u{200b}ញត្តិ");
    assert!(
        fr[0].text().contains("Parlement européen"),
        "{}",
        fr[0].text()
    );
    assert!(fr[0].html().contains("<strong>Parlement européen</strong>"));
    assert!(km[0].text().contains("សភា\u{200b}អឺរ៉ុប"));

    // The list handed over: its digest and rows, as the report and the public count say.
    let report = staff_page(&app, &staff, &format!("/admin/petitions/{PETITION}/report")).await;
    let digest = texts(&report, "code.digest")[0].clone();
    let count = json_count(&app).await["signature_count"].as_i64().unwrap();
    assert!(en[0].text().contains(&digest), "{}", en[0].text());
    assert!(
        en[0]
            .text()
            .contains(&format!("{count} signatures were handed over")),
        "{}",
        en[0].text()
    );

    // Each page shows the timeline in its language.
    for (prefix, title) in [
        ("", "We delivered the petition"),
        ("/fr", "Nous avons remis la pétition"),
        ("/km", "យើង\u{200b}បាន\u{200b}ប្រគល់\u{200b}ញត្តិ"),
    ] {
        let page = html(
            &app.get_text(&format!("{prefix}/petitions/{PETITION}"), 200)
                .await,
        );
        assert_eq!(texts(&page, "section#updates h3"), [title], "{prefix}");
        let shown = texts(&page, "section#updates .digest code");
        assert_eq!(shown, std::slice::from_ref(&digest));
    }

    // One click out, with no cookie: the header's link. The body's link, in French, first
    // only shows a button.
    let body_link = fr[0]
        .text()
        .split_whitespace()
        .find(|w| w.contains("/updates/unsubscribe/"))
        .expect("a way out in the text")
        .to_string();
    assert!(
        path_of(&body_link).starts_with("/fr/updates/unsubscribe/"),
        "{body_link}"
    );
    let shown = app.get_text(&path_of(&body_link), 200).await;
    assert!(shown.contains("Arrêter les nouvelles"), "{shown}");
    assert_eq!(optouts(&app), 0, "a GET changes nothing");
    assert_eq!(
        header(fr[0], "List-Unsubscribe-Post").as_deref(),
        Some("List-Unsubscribe=One-Click")
    );
    let one_click = header(fr[0], "List-Unsubscribe").expect("List-Unsubscribe");
    let one_click = one_click.trim_matches(['<', '>']);
    assert!(
        one_click.starts_with(&app.url("/updates/unsubscribe/")),
        "{one_click}"
    );
    let left = reqwest::Client::new().post(one_click).send().await.unwrap();
    assert_eq!(left.status(), 200);
    assert_eq!(optouts(&app), 1);
    // The French signer's own data says so (the data link at the foot of the update).
    let (data, json) = crate::helpers::own_data(&app, fr[0]).await;
    assert_eq!(json["news_stopped"][0]["action_slug"], PETITION, "{json}");
    let mine = app.get_text(&data, 200).await;
    assert!(mine.contains("news-stopped"), "{mine}");
    let forged = app
        .client
        .post(app.url("/updates/unsubscribe/s:x.AAAA"))
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 200, "the same page for any token");
    assert_eq!(optouts(&app), 1);
    // Hostile tokens: too long, not UTF-8, markup; never a 5xx, nothing stored.
    let long = "a".repeat(10_000);
    for token in [long.as_str(), "%FF%FE.x", "%3Cscript%3E.x", "s:.", "."] {
        let answer = app
            .client
            .post(app.url(&format!("/updates/unsubscribe/{token}")))
            .send()
            .await
            .unwrap();
        assert!(
            answer.status().is_success() || answer.status().is_client_error(),
            "{token}: {}",
            answer.status()
        );
    }
    assert_eq!(optouts(&app), 1);

    // A second update, in English only: French left; Khmer reads the English.
    let second = [
        ("kind", "update"),
        ("title_en", "The rapporteur replied"),
        ("body_en", "She will raise it in committee."),
        ("email", "1"),
    ];
    assert_eq!(
        post(&app, &staff, &format!("{admin}/updates"), &second).await,
        303
    );
    let mails = exactly(&smtp, 10).await;
    let sent = &mails[8..];
    assert!(
        to(sent, "fr@example.org").is_empty(),
        "French left these news"
    );
    assert_eq!(
        to(sent, "km@example.org")[0].subject(),
        "The rapporteur replied"
    );
    assert_eq!(to(sent, "en@example.org").len(), 1);

    let page = staff_page(&app, &staff, &admin).await;
    let emails = texts(&page, "table.updates td.emails");
    assert_eq!(emails.len(), 2, "{emails:?}");
    assert!(emails[1].starts_with("3 queued: 3 sent"), "{emails:?}");
}

#[actix_web::test]
async fn a_contact_actions_writers_who_asked_for_news_get_its_update_in_their_language() {
    let (app, smtp) = app_with_smtp(Mode::Accept).await;
    set_action(&app, "max_per_hour", "1000");
    let (_, targets, _) = crate::helpers::contact::letter_form(&app, "FR").await;
    let chosen = &targets[..1];
    let news = [("email", "writer@example.org"), ("consent_updates", "1")];
    assert_eq!(
        send_in(&app, "/fr", "FR", chosen, &news).await.status(),
        303
    );
    let quiet = [("email", "quiet@example.org")];
    assert_eq!(send_in(&app, "", "FR", chosen, &quiet).await.status(), 303);
    let mails = smtp.wait_for(2).await;
    for mail in &mails {
        assert_eq!(
            app.client.post(mail.link()).send().await.unwrap().status(),
            303
        );
    }
    // The confirmed letters leave (to the MEP, and the writers' copies); then the update.
    smtp.wait_for(4).await;
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    let before = smtp.mails().len();
    add_staff(&app, "staff@example.org", "campaigner");
    let staff = logged_in(&app, "staff@example.org").await;
    let contact = contact_id(&app);
    let mut update = in_three_languages("update");
    update.retain(|(name, _)| !name.ends_with("_km"));
    let target = format!("/admin/actions/{contact}/updates");
    let posted = post(&app, &staff, &target, &update).await;
    assert_eq!(posted, 303);
    let mails = exactly(&smtp, before + 1).await;
    let news = &mails[before];
    assert_eq!(news.to, ["<writer@example.org>"]);
    assert_eq!(news.subject(), "Nous avons remis la pétition");
    assert!(
        news.text().contains(&format!("/fr/act/{CONTACT}#update-")),
        "{}",
        news.text()
    );
    let page = html(&app.get_text(&format!("/fr/act/{CONTACT}"), 200).await);
    assert_eq!(
        texts(&page, "section#updates h3"),
        ["Nous avons remis la pétition"]
    );
}
