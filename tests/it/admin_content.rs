//! Staff create and edit what the public sees.

use crate::helpers::{add_staff, attrs, csrf, html, logged_in, texts, TestApp};

#[actix_web::test]
async fn staff_create_a_live_campaign_that_appears_on_the_home_page() {
    let app = TestApp::builder().set("CLARION_DEMO", "0").spawn().await;
    add_staff(&app, "staff@example.org", "campaigner");
    let client = logged_in(&app, "staff@example.org").await;
    let token = csrf(&app, &client).await;
    let post = |pairs: Vec<(&'static str, String)>| {
        let mut all = pairs;
        all.push(("csrf", token.clone()));
        client.post(app.url("/admin/campaigns")).form(&all).send()
    };

    // Errors: 422, each beside its field, values kept.
    let response = post(vec![
        ("title", String::new()),
        ("slug", "Bad Slug".into()),
        ("summary", "Kept <b>".into()),
        ("status", "live".into()),
    ])
    .await
    .unwrap();
    assert_eq!(response.status().as_u16(), 422);
    let page = html(&response.text().await.unwrap());
    assert!(texts(&page, "title")[0].starts_with("Error:"));
    assert_eq!(texts(&page, "#title-error").len(), 1);
    assert_eq!(texts(&page, "#slug-error").len(), 1);
    assert_eq!(texts(&page, "#summary"), ["Kept <b>"]);

    let response = post(vec![
        ("title", "Justice for Sorn Dara's family".into()),
        ("slug", String::new()),
        ("summary", "<script>x</script>".into()),
        ("status", "live".into()),
    ])
    .await
    .unwrap();
    assert_eq!(response.status().as_u16(), 303);
    let list = html(
        &client
            .get(app.url("/admin/campaigns"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
    );
    assert!(texts(&list, "table.data td").contains(&"justice-for-sorn-dara-s-family".to_string()));
    // The page after the save says so, once.
    assert_eq!(texts(&list, "main [role=status]"), ["Saved"]);
    let again = client
        .get(app.url("/admin/campaigns"))
        .send()
        .await
        .unwrap();
    let again = html(&again.text().await.unwrap());
    assert!(texts(&again, "main [role=status]").is_empty(), "only once");
    let home = app.get_text("/", 200).await;
    assert!(
        home.contains("Justice for Sorn Dara&#39;s family")
            || home.contains("Justice for Sorn Dara's family")
    );
    assert!(!home.contains("<script>x"));

    // The same slug twice is refused with a message, not a 500.
    let again = post(vec![
        ("title", "Other".into()),
        ("slug", "justice-for-sorn-dara-s-family".into()),
        ("summary", String::new()),
        ("status", "live".into()),
    ])
    .await
    .unwrap();
    assert_eq!(again.status().as_u16(), 422);
    assert!(texts(&html(&again.text().await.unwrap()), "#slug-error")[0].contains("already"));

    // Editing: closing the campaign takes it off the home page.
    let edit = attrs(&list, "table.data a", "href").remove(0);
    let form = html(
        &client
            .get(app.url(&edit))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
    );
    assert_eq!(
        attrs(&form, "#title", "value"),
        ["Justice for Sorn Dara's family"]
    );
    let response = client
        .post(app.url(&edit))
        .form(&[
            ("csrf", token.as_str()),
            ("title", "Justice for Sorn Dara's family"),
            ("slug", "sorn-dara"),
            ("summary", ""),
            ("status", "closed"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 303);
    assert!(app
        .get_text("/", 200)
        .await
        .contains("There are no live campaigns"));
}

async fn form_post(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    pairs: &[(&str, &str)],
) -> reqwest::Response {
    client.post(app.url(path)).form(pairs).send().await.unwrap()
}

async fn page(app: &TestApp, client: &reqwest::Client, path: &str) -> scraper::Html {
    let response = client.get(app.url(path)).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 200, "GET {path}");
    html(&response.text().await.unwrap())
}

/// The value of the `<option>` whose text is `label` in `select#id`.
fn option(page: &scraper::Html, id: &str, label: &str) -> String {
    let selector = scraper::Selector::parse(&format!("select#{id} option")).unwrap();
    page.select(&selector)
        .find(|o| o.text().collect::<String>().contains(label))
        .and_then(|o| o.value().attr("value"))
        .unwrap_or_else(|| panic!("no option {label} in #{id}"))
        .to_string()
}

#[actix_web::test]
async fn from_an_empty_database_staff_publish_an_article_with_a_petition_and_a_contact_action() {
    let app = TestApp::builder().set("CLARION_DEMO", "0").spawn().await;
    add_staff(&app, "editor@example.org", "admin");
    let client = logged_in(&app, "editor@example.org").await;
    let token = csrf(&app, &client).await;
    let t = token.as_str();

    let r = form_post(
        &app,
        &client,
        "/admin/campaigns",
        &[
            ("csrf", t),
            ("title", "Free them all"),
            ("slug", ""),
            ("summary", ""),
            ("status", "live"),
        ],
    )
    .await;
    assert_eq!(r.status().as_u16(), 303);

    // A target list, uploaded as a CSV file; a bad file is refused with its line numbers.
    let upload = |name: &'static str, csv: &'static str| {
        let form = reqwest::multipart::Form::new()
            .text("csrf", token.clone())
            .text("name", name)
            .part(
                "file",
                reqwest::multipart::Part::bytes(csv.as_bytes()).file_name("list.csv"),
            );
        client
            .post(app.url("/admin/target-lists"))
            .multipart(form)
            .send()
    };
    let bad = upload("Officials", "external_id,name,role,country_code,political_group,party,email,constituency\nx1,Ann,,FR,,,ann@example.org,\nx2,Bob,,ZZ,,,bob@example.org,\n").await.unwrap();
    assert_eq!(bad.status().as_u16(), 422);
    let refused = texts(&html(&bad.text().await.unwrap()), ".error-summary li");
    assert_eq!(refused, ["line 3: 'ZZ' is not an ISO 3166-1 country code"]);
    let good = upload("Officials", "external_id,name,role,country_code,political_group,party,email,constituency\nx1,Ann Official,,FR,Renew,,ann@example.org,\nx2,Bob Official,,DE,EPP,,bob@example.org,\n").await.unwrap();
    assert_eq!(good.status().as_u16(), 200);
    assert!(good.text().await.unwrap().contains("2 added"));

    let new_petition = page(&app, &client, "/admin/actions/new?kind=petition").await;
    let campaign = option(&new_petition, "campaign_id", "Free them all");
    let c = campaign.as_str();
    let r = form_post(
        &app,
        &client,
        "/admin/actions",
        &[
            ("csrf", t),
            ("kind", "petition"),
            ("campaign_id", c),
            ("title", "Release the prisoners"),
            ("slug", ""),
            ("summary", "Sign now."),
            ("status", "open"),
            ("addressee", "Members of the European Parliament"),
            ("body_md", "We ask you to **act**."),
            ("goal", "500"),
            ("deadline", ""),
            ("confirm_window_days", "30"),
            ("consent_text", "Keep me informed."),
            ("consent_version", "1"),
        ],
    )
    .await;
    assert_eq!(r.status().as_u16(), 303);
    let new_contact = page(&app, &client, "/admin/actions/new?kind=contact").await;
    let list_id = option(&new_contact, "target_list_id", "Officials");
    let r = form_post(
        &app,
        &client,
        "/admin/actions",
        &[
            ("csrf", t),
            ("kind", "contact"),
            ("campaign_id", c),
            ("title", "Write to them"),
            ("slug", "write-to-them"),
            ("summary", ""),
            ("status", "open"),
            ("target_list_id", &list_id),
            ("body_md", ""),
            ("subject_template", "Please act"),
            ("body_template", "Dear {target_name}, act. {supporter_name}"),
            ("max_targets", "3"),
            ("delivery_mode", "platform"),
            ("max_per_hour", "30"),
            ("consent_text", "Keep me informed."),
            ("consent_version", "1"),
        ],
    )
    .await;
    assert_eq!(r.status().as_u16(), 303);

    // The article: previewed first (nothing saved), then published with both actions.
    let new_article = page(&app, &client, "/admin/articles/new").await;
    let positions: Vec<(String, String)> = attrs(&new_article, "input[type=number]", "name")
        .into_iter()
        .zip(texts(&new_article, "fieldset label"))
        .collect();
    let position = |label: &str| {
        positions
            .iter()
            .find(|(_, l)| l.contains(label))
            .unwrap()
            .0
            .clone()
    };
    let (p_field, c_field) = (position("Release the prisoners"), position("Write to them"));
    let body = "## Why\n\nBecause <script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror=alert(3)> <iframe src=//evil.example></iframe> <span style=\"color:red\">it matters</span>.";
    let fields = |intent: &'static str| -> Vec<(&str, &str)> {
        vec![
            ("csrf", t),
            ("campaign_id", c),
            ("title", "News from the court"),
            ("slug", ""),
            ("standfirst", "What happened."),
            ("body_md", body),
            ("author", "Newsroom"),
            ("status", "published"),
            ("published_at", ""),
            (p_field.as_str(), "1"),
            (c_field.as_str(), "2"),
            ("intent", intent),
        ]
    };
    let preview = form_post(&app, &client, "/admin/articles", &fields("preview")).await;
    assert_eq!(preview.status().as_u16(), 200);
    let preview = html(&preview.text().await.unwrap());
    assert_eq!(texts(&preview, ".preview .prose h2"), ["Why"]);
    app.get_text("/articles/news-from-the-court", 404).await;

    let saved = form_post(&app, &client, "/admin/articles", &fields("save")).await;
    assert_eq!(saved.status().as_u16(), 303);
    let raw = app.get_text("/articles/news-from-the-court", 200).await;
    for bad in ["<script", "javascript:", "onerror", "<iframe", "style="] {
        assert!(!raw.contains(bad), "{bad} reached the public article");
    }
    let public = html(&raw);
    let cards = texts(&public, ".cta-card h3");
    assert_eq!(cards, ["Release the prisoners", "Write to them"]);
    assert_eq!(
        attrs(&public, ".cta-card form.sign-form", "action"),
        ["/petitions/release-the-prisoners/sign"]
    );
    assert_eq!(
        attrs(&public, ".cta-card a.button", "href"),
        ["/act/write-to-them"]
    );
    assert!(app
        .get_text("/petitions/release-the-prisoners", 200)
        .await
        .contains("<strong>act</strong>"));

    // Each step is in the audit log, with who did it.
    let log = clarion::db::audit::latest(&mut app.conn(), 100).unwrap();
    let events: Vec<&str> = log.iter().map(|(e, _, _)| e.as_str()).collect();
    for event in [
        "campaign.created",
        "target_list.imported",
        "action.created",
        "action.opened",
        "article.created",
        "article.published",
    ] {
        assert!(events.contains(&event), "{event} missing from {events:?}");
    }
}
