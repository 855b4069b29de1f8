//! Every page that shows what staff wrote shows its translation where there is one: the
//! home page, the article list, campaign pages and the letter pages (the demo's French and
//! Khmer translations); and the admin lists which translations exist.

use clarion::db::schema::{campaigns, translations};
use diesel::prelude::*;

use crate::helpers::admin::{edit_form, staff_page};
use crate::helpers::contact::CONTACT;
use crate::helpers::{add_staff, attrs, html, logged_in, texts, TestApp};

const CAMPAIGN: &str = "/campaigns/free-cambodias-political-prisoners";
const FRENCH_CAMPAIGN: &str = "Libérer les prisonniers politiques du Cambodge";
const FRENCH_ARTICLE: &str =
    "Le Parlement européen trace une feuille de route face à la répression au Cambodge";

/// Titles at `selector` that are in the page's language (no `lang` of their own).
fn in_page_language(page: &scraper::Html, selector: &str) -> Vec<String> {
    let selector = scraper::Selector::parse(selector).unwrap();
    page.select(&selector)
        .filter(|e| e.value().attr("lang").is_none())
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

#[actix_web::test]
async fn lists_and_campaign_pages_show_the_french_and_khmer_titles() {
    let app = TestApp::spawn().await;
    let home = html(&app.get_text("/fr/", 200).await);
    assert_eq!(in_page_language(&home, "li.campaign h3"), [FRENCH_CAMPAIGN]);
    assert_eq!(
        in_page_language(&home, "article.teaser h3"),
        [FRENCH_ARTICLE]
    );
    let list = html(&app.get_text("/fr/articles", 200).await);
    assert_eq!(
        in_page_language(&list, "article.teaser h3"),
        [FRENCH_ARTICLE]
    );

    let campaign = html(&app.get_text(&format!("/fr{CAMPAIGN}"), 200).await);
    assert_eq!(in_page_language(&campaign, "main h1"), [FRENCH_CAMPAIGN]);
    assert!(texts(&campaign, "p.not-translated").is_empty());
    let cards = in_page_language(&campaign, "section.cta h3");
    assert!(
        cards.contains(&"Écrire à vos eurodéputés".to_string()),
        "{cards:?}"
    );
    let khmer = html(&app.get_text(&format!("/km{CAMPAIGN}"), 200).await);
    assert_eq!(
        in_page_language(&khmer, "main h1"),
        ["ដោះលែង\u{200b}អ្នក\u{200b}ទោស\u{200b}នយោបាយ\u{200b}កម្ពុជា"]
    );
    let english = html(&app.get_text(CAMPAIGN, 200).await);
    assert_eq!(
        texts(&english, "main h1"),
        ["Free Cambodia's political prisoners"]
    );

    // Without its French translation, the campaign says so and marks its English.
    let campaign_id: String = campaigns::table
        .filter(campaigns::slug.eq("free-cambodias-political-prisoners"))
        .select(campaigns::id)
        .first(&mut app.conn())
        .unwrap();
    diesel::delete(
        translations::table
            .filter(translations::subject_id.eq(&campaign_id))
            .filter(translations::language.eq("fr")),
    )
    .execute(&mut app.conn())
    .unwrap();
    let campaign = html(&app.get_text(&format!("/fr{CAMPAIGN}"), 200).await);
    assert_eq!(attrs(&campaign, "main h1", "lang"), ["en"]);
    assert_eq!(texts(&campaign, "p.not-translated").len(), 1);
    let home = html(&app.get_text("/fr/", 200).await);
    assert_eq!(attrs(&home, "li.campaign h3", "lang"), ["en"]);
}

#[actix_web::test]
async fn a_letter_started_on_the_french_page_is_written_in_french() {
    let app = TestApp::spawn().await;
    let path = format!("/fr/act/{CONTACT}");
    let first = html(&app.get_text(&path, 200).await);
    assert_eq!(
        in_page_language(&first, "main h1"),
        ["Écrire à vos eurodéputés"]
    );
    assert!(texts(&first, "p.not-translated").is_empty());

    let letter = html(&app.get_text(&format!("{path}?country=FR"), 200).await);
    assert_eq!(
        in_page_language(&letter, "main h1"),
        ["Écrire à vos eurodéputés"]
    );
    assert_eq!(
        attrs(&letter, "input[name=subject]", "value"),
        ["Agissez sur la résolution du Parlement sur le Cambodge"]
    );
    let body = texts(&letter, "textarea[name=body]");
    assert!(
        body[0].starts_with("Madame, Monsieur {target_name},"),
        "{body:?}"
    );

    let khmer = html(
        &app.get_text(&format!("/km/act/{CONTACT}?country=FR"), 200)
            .await,
    );
    let subject = attrs(&khmer, "input[name=subject]", "value");
    assert!(
        subject[0]
            .chars()
            .any(|c| ('\u{1780}'..='\u{17ff}').contains(&c)),
        "{subject:?}"
    );
    let english = html(
        &app.get_text(&format!("/act/{CONTACT}?country=FR"), 200)
            .await,
    );
    let body = texts(&english, "textarea[name=body]");
    assert!(body[0].starts_with("Dear {target_name}"), "{body:?}");
}

/// Changes the form field `name` with `edit`.
fn change(pairs: &mut [(String, String)], name: &str, edit: impl Fn(&mut String)) {
    for (field, value) in pairs.iter_mut() {
        if field == name {
            edit(value);
        }
    }
}

/// The overview's cell for `title` and the language column `column` (1: fr, 2: km).
fn cell(page: &scraper::Html, title: &str, column: usize) -> String {
    let rows = scraper::Selector::parse("table.data tbody tr").unwrap();
    let cells = scraper::Selector::parse("th, td").unwrap();
    page.select(&rows)
        .map(|row| {
            row.select(&cells)
                .map(|c| c.text().collect::<String>().trim().to_string())
                .collect::<Vec<_>>()
        })
        .find(|row| row[0] == title)
        .unwrap_or_else(|| panic!("no row for {title}"))[column]
        .clone()
}

#[actix_web::test]
async fn the_admin_lists_which_translations_exist_and_which_are_behind() {
    let app = TestApp::spawn().await;
    add_staff(&app, "staff@example.org", "campaigner");
    let staff = logged_in(&app, "staff@example.org").await;
    let admin_home = staff_page(&app, &staff, "/admin").await;
    assert!(attrs(&admin_home, "nav a", "href").contains(&"/admin/translations".to_string()));

    let overview = staff_page(&app, &staff, "/admin/translations").await;
    let campaign = "Free Cambodia's political prisoners";
    assert!(cell(&overview, campaign, 1).starts_with("Translated"));
    assert!(cell(&overview, campaign, 2).starts_with("Translated"));

    // Staff change the campaign's summary: its translations are now behind.
    let id: String = campaigns::table
        .filter(campaigns::slug.eq("free-cambodias-political-prisoners"))
        .select(campaigns::id)
        .first(&mut app.conn())
        .unwrap();
    let edit = format!("/admin/campaigns/{id}");
    let saved = edit_form(&app, &staff, &edit, |pairs| {
        change(pairs, "summary", |value| value.push_str(" Updated."))
    })
    .await;
    assert_eq!(saved, 303);
    let edit_page = staff_page(&app, &staff, &edit).await;
    assert!(attrs(&edit_page, "p.translation-links a", "href")
        .contains(&format!("/admin/translations/campaign/{id}/fr")));
    let overview = staff_page(&app, &staff, "/admin/translations").await;
    assert!(cell(&overview, campaign, 1).contains("The original changed since"));

    // A French title alone is one of two fields; an item without any is "Not translated".
    diesel::delete(translations::table.filter(translations::subject_id.eq(&id)))
        .execute(&mut app.conn())
        .unwrap();
    let french = format!("/admin/translations/campaign/{id}/fr");
    let saved = edit_form(&app, &staff, &french, |pairs| {
        change(pairs, "title", |value| *value = FRENCH_CAMPAIGN.to_string())
    })
    .await;
    assert_eq!(saved, 303);
    let overview = staff_page(&app, &staff, "/admin/translations").await;
    assert_eq!(cell(&overview, campaign, 1), "1 of 2 fields: Français");
    assert_eq!(cell(&overview, campaign, 2), "Not translated: ខ្មែរ");
}
