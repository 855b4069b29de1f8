//! English, French and Khmer: the same pages under `/fr` and `/km`, forms that answer in
//! the language they were sent from, emails in the language of the page used, and the
//! bare `/` that alone follows the browser's or the switcher's choice.

use clarion::db::schema::signatures;
use diesel::prelude::*;

use crate::helpers::smtp::Mode;
use crate::helpers::{app_with_smtp, attrs, html, location_path, texts, TestApp, PETITION};

#[actix_web::test]
async fn every_public_page_answers_in_three_languages_with_a_switcher() {
    let app = TestApp::spawn().await;
    // Without the demo's translations: content shows as written, and says so.
    diesel::delete(clarion::db::schema::translations::table)
        .execute(&mut app.conn())
        .unwrap();
    let pages = [
        "/",
        "/articles",
        "/articles/european-parliament-resolution-on-cambodia",
        "/petitions/cambodia-political-prisoners-petition",
        "/act/write-to-your-meps-on-cambodia",
        "/act/write-to-your-meps-on-cambodia?country=FR",
    ];
    for (prefix, code, home) in [
        ("", "en", "Home"),
        ("/fr", "fr", "Accueil"),
        ("/km", "km", "ទំព័រដើម"),
    ] {
        for page in pages {
            let path = format!("{prefix}{page}");
            let doc = html(&app.get_text(&path, 200).await);
            assert_eq!(attrs(&doc, "html", "lang"), [code], "{path}");
            assert_eq!(
                texts(&doc, "header nav[aria-label=Main] li")[0],
                home,
                "{path}"
            );
            let switcher = attrs(&doc, "nav.languages a", "hreflang");
            assert_eq!(switcher, ["en", "fr", "km"], "{path}");
            assert_eq!(attrs(&doc, "nav.languages a[aria-current]", "lang"), [code]);
            let alternates = attrs(&doc, "link[rel=alternate][hreflang]", "hreflang");
            assert_eq!(alternates, ["en", "fr", "km", "x-default"], "{path}");
            // Every link to a page of the site stays in the language.
            for link in attrs(&doc, "main a[href^='/']", "href") {
                assert!(link.starts_with(&format!("{prefix}/")), "{path}: {link}");
            }
        }
    }
    let french = html(
        &app.get_text(&format!("/fr/petitions/{PETITION}"), 200)
            .await,
    );
    assert_eq!(
        attrs(&french, "nav.languages a", "href"),
        [
            format!("/petitions/{PETITION}?chosen=1"),
            format!("/fr/petitions/{PETITION}?chosen=1"),
            format!("/km/petitions/{PETITION}?chosen=1"),
        ]
    );
    assert_eq!(
        texts(&french, "nav.languages a"),
        ["English", "Français", "ខ្មែរ"]
    );
    // Country names from CLDR in the page's language, in its order.
    assert_eq!(
        texts(&french, "select[name=country] option[value=KH]"),
        ["Cambodge"]
    );
    let names = texts(&french, "select[name=country] option");
    let at = |name: &str| names.iter().position(|n| n == name).unwrap();
    assert!(
        at("Égypte") < at("Estonie") && at("Estonie") < at("Zambie"),
        "collation, not bytes"
    );
    let khmer = html(
        &app.get_text(&format!("/km/petitions/{PETITION}"), 200)
            .await,
    );
    assert_eq!(
        texts(&khmer, "select[name=country] option[value=KH]"),
        ["កម្ពុជា"]
    );
    let english = html(&app.get_text(&format!("/petitions/{PETITION}"), 200).await);
    assert_eq!(
        texts(&english, "select[name=country] option[value=SZ]"),
        ["Eswatini"]
    );
    let letter = html(
        &app.get_text("/fr/act/write-to-your-meps-on-cambodia", 200)
            .await,
    );
    let member_states = texts(&letter, "select#country optgroup:first-of-type option");
    assert_eq!(member_states[..3], ["Allemagne", "Autriche", "Belgique"]);
    assert_eq!(
        attrs(&french, "form.sign-form", "action"),
        [format!("/fr/petitions/{PETITION}/sign")]
    );
    for unknown in [
        "/de/petitions/x",
        "/fr/admin",
        "/fr/admin/login",
        "/km/api/v1/petitions/x",
        "/frx",
    ] {
        assert_eq!(app.get(unknown).await.status(), 404, "{unknown}");
    }
    // Content is not translated yet: shown as written, marked English, and said so.
    let article = "/articles/european-parliament-resolution-on-cambodia";
    let french = html(&app.get_text(&format!("/fr{article}"), 200).await);
    assert_eq!(attrs(&french, "main h1", "lang"), ["en"]);
    assert_eq!(
        texts(&french, "p.not-translated"),
        ["Ce texte n'est pas encore traduit en français ; le voici tel qu'il a été écrit."]
    );
    let english = html(&app.get_text(article, 200).await);
    assert!(attrs(&english, "main h1", "lang").is_empty());
    assert!(texts(&english, "p.not-translated").is_empty());
    let not_found = html(&app.get_text("/km/no-such-page", 404).await);
    assert_eq!(attrs(&not_found, "html", "lang"), ["km"]);
}

#[actix_web::test]
async fn a_french_form_answers_in_french_and_the_email_and_csv_follow() {
    let (app, smtp) = app_with_smtp(Mode::Accept).await;
    let mistaken = app
        .sign_in(
            "/fr",
            PETITION,
            &[("first_name", "Sophie"), ("country", "FR")],
        )
        .await;
    assert_eq!(mistaken.status(), 422);
    let page = html(&mistaken.text().await.unwrap());
    assert_eq!(attrs(&page, "html", "lang"), ["fr"]);
    assert!(
        texts(&page, ".error-summary li").contains(&"Indiquez votre adresse e-mail".to_string())
    );

    let fields = [
        ("first_name", "Sophie"),
        ("last_name", "Martin"),
        ("email", "sophie@example.org"),
        ("country", "FR"),
    ];
    let signed = app.sign_in("/fr", PETITION, &fields).await;
    assert_eq!(signed.status(), 303);
    assert_eq!(
        location_path(&signed),
        format!("/fr/petitions/{PETITION}/check-your-email")
    );
    let mail = smtp.wait_for(1).await.remove(0);
    assert!(
        mail.subject()
            .starts_with("Merci de confirmer votre signature"),
        "{}",
        mail.subject()
    );
    assert!(
        mail.text().starts_with("Bonjour Sophie,"),
        "{}",
        mail.text()
    );
    let link = mail.link();
    assert!(link.contains("/fr/signatures/confirm/"), "{link}");
    let path = link.split_once("127.0.0.1").unwrap().1;
    let path = &path[path.find('/').unwrap()..];
    let confirm = html(&app.get_text(path, 200).await);
    assert_eq!(texts(&confirm, "h1"), ["Confirmez votre signature"]);
    let confirmed = app.client.post(&link).send().await.unwrap();
    assert_eq!(
        location_path(&confirmed),
        format!("/fr/petitions/{PETITION}/thank-you")
    );

    let stored: Vec<String> = signatures::table
        .select(signatures::language)
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(stored, ["fr"]);
}

#[actix_web::test]
async fn a_khmer_supporter_gets_a_khmer_email_whose_subject_survives_encoding() {
    let (app, smtp) = app_with_smtp(Mode::Accept).await;
    let fields = [
        ("first_name", "សុខ"),
        ("last_name", "ដារ៉ា"),
        ("email", "sok@example.org"),
        ("country", "FR"),
        ("comment", "ដោះលែង\u{200b}អ្នក\u{200b}ទោស\u{200b}នយោបាយ"),
    ];
    let signed = app.sign_in("/km", PETITION, &fields).await;
    assert_eq!(signed.status(), 303);
    let mail = smtp.wait_for(1).await.remove(0);
    assert!(
        mail.subject().starts_with("សូម\u{200b}បញ្ជាក់"),
        "{}",
        mail.subject()
    );
    let raw = String::from_utf8_lossy(&mail.data);
    let subject_line = raw.lines().find(|l| l.starts_with("Subject:")).unwrap();
    assert!(
        subject_line.is_ascii(),
        "the header is encoded: {subject_line}"
    );
    assert!(mail.text().starts_with("សួស្តី សុខ"), "{}", mail.text());
    assert!(mail.link().contains("/km/signatures/confirm/"));
    let stored: (String, String) = signatures::table
        .select((signatures::first_name, signatures::comment))
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(
        stored,
        ("សុខ".to_string(), fields[4].1.to_string()),
        "kept exactly"
    );
}

#[actix_web::test]
async fn only_the_bare_home_page_follows_the_browser_and_the_switcher_remembers() {
    let app = TestApp::spawn().await;
    let get = |path: &'static str, headers: &'static [(&'static str, &'static str)]| {
        let mut request = app.client.get(app.url(path));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.send()
    };
    let french = get("/", &[("Accept-Language", "fr-FR,fr;q=0.9,en;q=0.5")])
        .await
        .unwrap();
    assert_eq!(french.status(), 303);
    assert_eq!(french.headers()["location"], "/fr/");
    assert!(french.headers()["vary"]
        .to_str()
        .unwrap()
        .contains("Accept-Language"));
    let english = get("/", &[("Accept-Language", "en-GB,fr;q=0.5")])
        .await
        .unwrap();
    assert_eq!(english.status(), 200);
    assert!(english.headers()["vary"]
        .to_str()
        .unwrap()
        .contains("Cookie"));
    let shared = get("/articles", &[("Accept-Language", "km")])
        .await
        .unwrap();
    assert_eq!(
        shared.status(),
        200,
        "a shared link shows the language it names"
    );

    // The switcher: a remembered choice beats the header, both ways.
    let chosen = get("/?chosen=1", &[]).await.unwrap();
    assert_eq!(chosen.status(), 303);
    assert_eq!(chosen.headers()["location"], "/");
    let cookie = chosen.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(
        cookie.starts_with("clarion_lang=en;") && cookie.contains("HttpOnly"),
        "{cookie}"
    );
    let stays = get(
        "/",
        &[("Accept-Language", "fr"), ("Cookie", "clarion_lang=en")],
    )
    .await
    .unwrap();
    assert_eq!(stays.status(), 200);
    let khmer = get("/km/articles?chosen=1", &[]).await.unwrap();
    assert_eq!(khmer.headers()["location"], "/km/articles");
    let to_khmer = get("/", &[("Cookie", "clarion_lang=km")]).await.unwrap();
    assert_eq!(to_khmer.headers()["location"], "/km/");
    for hostile in ["clarion_lang=de", "clarion_lang=", "clarion_lang=%00"] {
        let ignored = app
            .client
            .get(app.url("/"))
            .header("Cookie", hostile)
            .send()
            .await
            .unwrap();
        assert_eq!(ignored.status(), 200, "{hostile}");
    }
}

#[actix_web::test]
async fn the_demo_campaign_comes_in_french_and_khmer_marked_as_a_demo_translation() {
    let app = TestApp::spawn().await;
    let article = "/articles/european-parliament-resolution-on-cambodia";
    let french = html(&app.get_text(&format!("/fr{article}"), 200).await);
    assert_eq!(
        texts(&french, "main h1"),
        ["Le Parlement européen trace une feuille de route face à la répression au Cambodge"]
    );
    assert!(texts(&french, "p.not-translated").is_empty());
    let khmer = html(&app.get_text(&format!("/km{article}"), 200).await);
    assert!(
        texts(&khmer, "main h1")[0].starts_with("សភា"),
        "{:?}",
        texts(&khmer, "main h1")
    );
    assert!(texts(&khmer, ".prose h2").iter().all(|h| !h.is_ascii()));
    let petition = html(
        &app.get_text(&format!("/km/petitions/{PETITION}"), 200)
            .await,
    );
    assert!(texts(&petition, "main h1")[0].starts_with("ធ្វើ"));

    crate::helpers::add_staff(&app, "staff@example.org", "campaigner");
    let staff = crate::helpers::logged_in(&app, "staff@example.org").await;
    let id: String = clarion::db::schema::articles::table
        .select(clarion::db::schema::articles::id)
        .first(&mut app.conn())
        .unwrap();
    let page = staff
        .get(app.url(&format!("/admin/translations/article/{id}/km")))
        .send()
        .await
        .unwrap();
    let page = html(&page.text().await.unwrap());
    assert!(texts(&page, "p.notice")[0].starts_with("Demo translation"));
}
