//! Staff translate what they wrote into French and Khmer, side by side with the original;
//! pages in that language then show the translation, and emails use it.

use clarion::db::schema::{actions, articles};
use diesel::prelude::*;

use crate::helpers::smtp::Mode;
use crate::helpers::{
    add_staff, app_with_smtp, attrs, csrf, html, logged_in, texts, TestApp, ARTICLE, PETITION,
};

fn id_of(app: &TestApp, table: &str) -> String {
    let mut conn = app.conn();
    match table {
        "article" => articles::table
            .filter(articles::slug.eq(ARTICLE.trim_start_matches("/articles/")))
            .select(articles::id)
            .first(&mut conn)
            .unwrap(),
        _ => actions::table
            .filter(actions::slug.eq(PETITION))
            .select(actions::id)
            .first(&mut conn)
            .unwrap(),
    }
}

async fn save(
    app: &TestApp,
    staff: &reqwest::Client,
    path: &str,
    fields: &[(&str, &str)],
) -> (u16, String) {
    let token = csrf(app, staff).await;
    let mut form = vec![("csrf", token.as_str())];
    form.extend_from_slice(fields);
    let response = staff.post(app.url(path)).form(&form).send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

#[actix_web::test]
async fn a_french_translation_of_the_article_shows_on_the_french_page_only() {
    let app = TestApp::spawn().await;
    // Not the demo's translations: this test writes its own.
    diesel::delete(clarion::db::schema::translations::table)
        .execute(&mut app.conn())
        .unwrap();
    add_staff(&app, "staff@example.org", "campaigner");
    let staff = logged_in(&app, "staff@example.org").await;
    let id = id_of(&app, "article");
    let edit = staff
        .get(app.url(&format!("/admin/articles/{id}")))
        .send()
        .await
        .unwrap();
    let edit = html(&edit.text().await.unwrap());
    let path = format!("/admin/translations/article/{id}/fr");
    assert!(attrs(&edit, "p.translation-links a", "href").contains(&path));

    let form = staff.get(app.url(&path)).send().await.unwrap();
    assert_eq!(form.status(), 200);
    let form = html(&form.text().await.unwrap());
    assert!(texts(&form, ".original-text")[0].starts_with("European Parliament sets out"));
    assert_eq!(
        attrs(&form, "textarea", "name"),
        ["title", "standfirst", "body_md"]
    );

    let title = "Le Parlement européen trace une feuille de route face à la répression";
    let fields = [
        ("title", title),
        (
            "standfirst",
            "Une résolution du 28 novembre demande des sanctions ciblées.",
        ),
        (
            "body_md",
            "Le 28 novembre, le Parlement européen a adopté une **résolution**.",
        ),
    ];
    assert_eq!(save(&app, &staff, &path, &fields).await.0, 303);
    let french = html(&app.get_text(&format!("/fr{ARTICLE}"), 200).await);
    assert_eq!(texts(&french, "main h1"), [title]);
    assert!(
        attrs(&french, "main h1", "lang").is_empty(),
        "in the page's language"
    );
    assert!(texts(&french, "p.not-translated").is_empty());
    assert_eq!(texts(&french, ".prose strong"), ["résolution"]);
    let khmer = html(&app.get_text(&format!("/km{ARTICLE}"), 200).await);
    assert_eq!(
        attrs(&khmer, "main h1", "lang"),
        ["en"],
        "no Khmer translation yet"
    );
    let english = html(&app.get_text(ARTICLE, 200).await);
    assert!(texts(&english, "main h1")[0].starts_with("European Parliament"));

    // An emptied field falls back to the original; hostile values are refused.
    let fields = [("title", ""), ("standfirst", ""), ("body_md", "Texte.")];
    assert_eq!(save(&app, &staff, &path, &fields).await.0, 303);
    crate::helpers::after_copies_expire().await;
    let french = html(&app.get_text(&format!("/fr{ARTICLE}"), 200).await);
    assert!(texts(&french, "main h1")[0].starts_with("European Parliament"));
    let (status, body) = save(&app, &staff, &path, &[("title", "a\u{1b}b")]).await;
    assert_eq!(status, 422);
    assert!(body.contains("Remove the invisible control characters"));
    let long = "x".repeat(20_001);
    assert_eq!(
        save(&app, &staff, &path, &[("body_md", &long)]).await.0,
        422
    );
    for bad in [
        format!("/admin/translations/article/{id}/en"),
        format!("/admin/translations/article/{id}/de"),
        format!("/admin/translations/comment/{id}/fr"),
        "/admin/translations/article/no-such-id/fr".to_string(),
    ] {
        let response = staff.get(app.url(&bad)).send().await.unwrap();
        assert_eq!(response.status(), 404, "{bad}");
    }
}

#[actix_web::test]
async fn a_khmer_petition_is_signed_in_khmer_and_its_email_names_it_in_khmer() {
    let (app, smtp) = app_with_smtp(Mode::Accept).await;
    add_staff(&app, "staff@example.org", "campaigner");
    let staff = logged_in(&app, "staff@example.org").await;
    let id = id_of(&app, "action");
    let path = format!("/admin/translations/action/{id}/km");
    let form = staff.get(app.url(&path)).send().await.unwrap();
    let form = html(&form.text().await.unwrap());
    assert_eq!(
        attrs(&form, "textarea", "name"),
        ["title", "summary", "addressee", "body_md"]
    );
    let title = "ដោះលែង\u{200b}អ្នក\u{200b}ទោស\u{200b}នយោបាយ\u{200b}កម្ពុជា";
    let fields = [
        ("title", title),
        ("summary", ""),
        ("addressee", "សមាជិក\u{200b}សភា\u{200b}អឺរ៉ុប"),
        ("body_md", "យើង\u{200b}សូម\u{200b}ស្នើ។"),
    ];
    assert_eq!(save(&app, &staff, &path, &fields).await.0, 303);
    let page = html(
        &app.get_text(&format!("/km/petitions/{PETITION}"), 200)
            .await,
    );
    assert_eq!(texts(&page, "main h1"), [title]);
    assert!(texts(&page, "p.not-translated").is_empty());

    let fields = [
        ("first_name", "សុខ"),
        ("last_name", "ដារ៉ា"),
        ("email", "sok@example.org"),
        ("country", "FR"),
    ];
    assert_eq!(app.sign_in("/km", PETITION, &fields).await.status(), 303);
    let mail = smtp.wait_for(1).await.remove(0);
    assert!(mail.subject().ends_with(title), "{}", mail.subject());
}
