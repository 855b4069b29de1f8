//! The public pages a first visitor sees: home, articles, feed, health, errors.

use crate::helpers::content::{self, add_campaign, add_petition};
use crate::helpers::{attrs, html, texts, TestApp};
use clarion::db;

const DEMO_ARTICLE: &str = "/articles/european-parliament-resolution-on-cambodia";

#[actix_web::test]
async fn the_home_page_shows_the_demo_campaign_and_links_to_its_article() {
    let app = TestApp::spawn().await;
    let page = html(&app.get_text("/", 200).await);
    assert_eq!(attrs(&page, "html", "lang"), ["en"]);
    assert!(
        texts(&page, ".campaign h3").contains(&"Free Cambodia's political prisoners".to_string())
    );
    assert!(attrs(&page, "main a", "href").contains(&DEMO_ARTICLE.to_string()));
}

#[actix_web::test]
async fn the_demo_article_ends_in_a_petition_card_and_a_write_to_your_meps_card() {
    let app = TestApp::spawn().await;
    // Follow links from the home page, as the public contract says.
    let home = html(&app.get_text("/", 200).await);
    let link = attrs(&home, ".teaser a", "href")
        .into_iter()
        .next()
        .expect("an article link");
    let page = html(&app.get_text(&link, 200).await);

    assert!(texts(&page, "h1")[0].contains("European Parliament"));
    assert!(texts(&page, ".prose").join(" ").contains("28 November"));
    let cards = texts(&page, ".cta-card");
    assert_eq!(
        cards.len(),
        2,
        "a petition card and a contact card: {cards:?}"
    );
    assert!(cards[0].contains("To: Members of the European Parliament"));
    assert!(cards[0].contains("0 signatures of a 10,000 goal"));
    assert_eq!(attrs(&page, ".cta-card progress", "max"), ["10000"]);
    let forms = attrs(&page, ".cta-card form", "action");
    assert_eq!(
        forms,
        ["/petitions/cambodia-political-prisoners-petition/sign"]
    );
    let hrefs = attrs(&page, ".cta-card a.button", "href");
    assert_eq!(hrefs, ["/act/write-to-your-meps-on-cambodia"]);
}

#[actix_web::test]
async fn no_demo_content_is_seeded_when_clarion_demo_is_0() {
    let app = TestApp::builder().set("CLARION_DEMO", "0").spawn().await;
    let home = app.get_text("/", 200).await;
    assert!(home.contains("There are no live campaigns"));
    assert!(home.contains("No articles have been published yet"));
    app.get_text(DEMO_ARTICLE, 404).await;
}

#[actix_web::test]
async fn the_demo_is_seeded_only_once_across_restarts() {
    let app = TestApp::spawn().await;
    let again = app.restart_twin().await;
    let page = html(&again.get_text("/articles", 200).await);
    assert_eq!(texts(&page, ".teaser h3").len(), 1);
}

#[actix_web::test]
async fn healthz_answers_ok_while_the_database_answers() {
    let app = TestApp::spawn().await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.text().await.unwrap(), "ok");
}

#[actix_web::test]
async fn unknown_pages_answer_404_with_a_readable_page() {
    let app = TestApp::spawn().await;
    for path in [
        "/articles/no-such-article",
        "/nowhere",
        "/static/missing.css",
    ] {
        let page = html(&app.get_text(path, 404).await);
        assert_eq!(texts(&page, "h1"), ["Page not found"], "{path}");
        assert!(!attrs(&page, "link[rel=stylesheet]", "href").is_empty());
    }
}

#[actix_web::test]
async fn the_stylesheet_is_served_as_css() {
    let app = TestApp::spawn().await;
    let response = app.get("/static/clarion.css").await;
    assert_eq!(response.status().as_u16(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/css"));
    assert!(response.text().await.unwrap().contains("@media print"));
}

#[actix_web::test]
async fn the_atom_feed_is_valid_and_links_to_the_published_article() {
    let app = TestApp::spawn().await;
    let response = app.get("/feed.atom").await;
    assert_eq!(response.status().as_u16(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/atom+xml"));
    let feed: atom_syndication::Feed = response.text().await.unwrap().parse().expect("valid Atom");
    assert_eq!(feed.entries().len(), 1);
    let entry = &feed.entries()[0];
    assert_eq!(entry.links()[0].href(), app.url(DEMO_ARTICLE));
    assert!(entry
        .content()
        .and_then(|c| c.value())
        .unwrap()
        .contains("Everything but Arms"));
}

/// A live campaign with one article and, on it, a draft petition (never shown).
fn add_article(
    app: &TestApp,
    slug: &str,
    title: &str,
    body: &str,
    published_at: chrono::NaiveDateTime,
) {
    let campaign = add_campaign(app, &format!("campaign-{slug}"), "<b>Campaign</b>", "live");
    let article = content::add_article(app, &campaign, slug, (title, body), published_at);
    add_petition(app, &campaign, &article, &format!("draft-{slug}"), "draft");
}

#[actix_web::test]
async fn markup_in_articles_is_escaped_or_sanitised_on_every_page() {
    let app = TestApp::builder().set("CLARION_DEMO", "0").spawn().await;
    let hostile_title = "<script>alert('t')</script> & \"quotes\"";
    let body = "Fine text <script>alert(1)</script> <a href=\"javascript:alert(2)\">x</a> \
                <img src=x onerror=alert(3)> <iframe src=\"https://evil.example\"></iframe> \
                <p style=\"position:fixed\">styled</p>";
    add_article(&app, "hostile", hostile_title, body, db::now());

    for path in ["/", "/articles", "/articles/hostile", "/feed.atom"] {
        let text = app.get_text(path, 200).await;
        assert!(!text.contains("<script>alert"), "{path} runs script");
        assert!(!text.contains("<i>Staff</i>"), "{path} shows raw markup");
    }
    let page = html(&app.get_text("/articles/hostile", 200).await);
    assert_eq!(texts(&page, "h1"), [hostile_title]);
    let article = texts(&page, ".prose").join(" ");
    assert!(article.contains("Fine text") && article.contains("styled"));
    let raw = app.get_text("/articles/hostile", 200).await;
    for bad in ["javascript:", "onerror", "<iframe", "style=\"position"] {
        assert!(!raw.contains(bad), "{bad} reached the page");
    }
    assert!(
        texts(&page, ".cta-card").is_empty(),
        "a draft action must not be shown"
    );
}

#[actix_web::test]
async fn an_article_scheduled_for_later_stays_hidden_until_its_date() {
    let app = TestApp::builder().set("CLARION_DEMO", "0").spawn().await;
    let tomorrow = db::now() + chrono::TimeDelta::days(1);
    add_article(&app, "later", "Tomorrow's news", "Soon.", tomorrow);
    app.get_text("/articles/later", 404).await;
    assert!(!app.get_text("/articles", 200).await.contains("Tomorrow"));
    assert!(!app.get_text("/feed.atom", 200).await.contains("Tomorrow"));
}

#[actix_web::test]
async fn head_answers_like_get_without_a_body_on_every_page() {
    let app = TestApp::spawn().await;
    for path in [
        "/",
        DEMO_ARTICLE,
        "/petitions/cambodia-political-prisoners-petition",
        "/act/write-to-your-meps-on-cambodia",
        "/feed.atom",
        "/api/v1/petitions/cambodia-political-prisoners-petition",
        "/static/clarion.css",
        "/healthz",
        "/admin/login",
        "/no-such-page",
    ] {
        let get = app.client.get(app.url(path)).send().await.unwrap();
        let head = app.client.head(app.url(path)).send().await.unwrap();
        assert_eq!(head.status(), get.status(), "{path}");
        assert_eq!(
            head.headers().get("content-type"),
            get.headers().get("content-type"),
            "{path}"
        );
        assert_eq!(
            head.headers().get("content-security-policy"),
            get.headers().get("content-security-policy"),
            "{path}"
        );
        assert!(head.bytes().await.unwrap().is_empty(), "{path}: no body");
        assert!(!get.bytes().await.unwrap().is_empty(), "{path}");
    }
    // Not a way round the forms: HEAD on a POST-only route is still refused.
    let head = app
        .client
        .head(app.url("/petitions/cambodia-political-prisoners-petition/sign"))
        .send()
        .await
        .unwrap();
    assert!(head.status().is_client_error(), "{}", head.status());
}

#[actix_web::test]
async fn on_a_long_page_a_line_near_the_top_leads_down_to_each_action() {
    let app = TestApp::spawn().await;
    let article = html(&app.get_text(DEMO_ARTICLE, 200).await);
    assert_eq!(
        texts(&article, "article p.jump a"),
        ["Sign the petition", "Write to your MEPs"]
    );
    for target in attrs(&article, "article p.jump a", "href") {
        let id = target.strip_prefix('#').expect("a link within the page");
        assert_eq!(
            attrs(&article, &format!("[id=\"{id}\"]"), "id").len(),
            1,
            "{id}"
        );
    }
    assert!(texts(&article, "article p.jump")[0].starts_with("0 signatures ·"));
    let petition = html(
        &app.get_text("/petitions/cambodia-political-prisoners-petition", 200)
            .await,
    );
    assert_eq!(attrs(&petition, "p.jump a", "href"), ["#sign"]);
    assert_eq!(attrs(&petition, "section#sign form", "method"), ["post"]);
}

#[actix_web::test]
async fn articles_petitions_and_actions_carry_share_cards_with_absolute_links() {
    let app = TestApp::spawn().await;
    for path in [
        DEMO_ARTICLE,
        "/petitions/cambodia-political-prisoners-petition",
        "/act/write-to-your-meps-on-cambodia",
    ] {
        let page = html(&app.get_text(path, 200).await);
        let meta =
            |property: &str| attrs(&page, &format!("meta[property=\"{property}\"]"), "content");
        assert_eq!(meta("og:url"), [format!("{}{path}", app.address)], "{path}");
        assert_eq!(meta("og:title").len(), 1, "{path}");
        assert!(!meta("og:description")[0].is_empty(), "{path}");
        assert_eq!(meta("og:locale"), ["en_GB"], "{path}");
        assert!(
            meta("og:image").is_empty(),
            "no picture until a logo is set"
        );
        assert_eq!(
            attrs(&page, "meta[name=\"twitter:card\"]", "content"),
            ["summary"]
        );
    }
    let article = html(&app.get_text(DEMO_ARTICLE, 200).await);
    assert_eq!(
        attrs(&article, "meta[property=\"og:type\"]", "content"),
        ["article"]
    );
}
