//! A draft campaign hides everything in it; made live, its page lists its articles and
//! actions, and the home page links there.

use diesel::prelude::*;

use crate::helpers::content::{add_article, add_campaign, add_petition};
use crate::helpers::{attrs, html, texts, TestApp};

/// A campaign in `status` with a published article and an open petition, both its own.
fn arrange(app: &TestApp, status: &str) {
    let campaign = add_campaign(app, "secret-plans", "Secret plans", status);
    let an_hour_ago = clarion::db::now() - chrono::TimeDelta::hours(1);
    let text = ("Embargoed article", "Not yet.");
    let article = add_article(app, &campaign, "embargoed-article", text, an_hour_ago);
    add_petition(app, &campaign, &article, "embargoed-petition", "open");
}

const PATHS: [&str; 4] = [
    "/articles/embargoed-article",
    "/petitions/embargoed-petition",
    "/api/v1/petitions/embargoed-petition",
    "/campaigns/secret-plans",
];

#[actix_web::test]
async fn nothing_in_a_draft_campaign_is_public() {
    let app = TestApp::spawn().await;
    arrange(&app, "draft");
    for path in PATHS {
        assert_eq!(app.get(path).await.status().as_u16(), 404, "{path}");
    }
    for listing in ["/", "/articles", "/feed.atom"] {
        let body = app.get_text(listing, 200).await;
        assert!(
            !body.contains("Embargoed") && !body.contains("embargoed"),
            "{listing}"
        );
        assert!(!body.contains("Secret plans"), "{listing}");
    }
}

#[actix_web::test]
async fn a_live_campaign_has_a_page_with_its_articles_and_actions_linked_from_home() {
    let app = TestApp::spawn().await;
    arrange(&app, "live");
    for path in PATHS {
        assert_eq!(app.get(path).await.status().as_u16(), 200, "{path}");
    }
    let home = html(&app.get_text("/", 200).await);
    assert!(attrs(&home, "li.campaign h3 a", "href").contains(&"/campaigns/secret-plans".into()));
    let page = html(&app.get_text("/campaigns/secret-plans", 200).await);
    assert_eq!(texts(&page, "h1"), ["Secret plans"]);
    assert_eq!(
        attrs(&page, "section.cta a.button", "href"),
        ["/petitions/embargoed-petition"]
    );
    assert!(attrs(&page, "a", "href").contains(&"/articles/embargoed-article".into()));

    // Back to draft: hidden again at once.
    diesel::update(clarion::db::schema::campaigns::table)
        .filter(clarion::db::schema::campaigns::slug.eq("secret-plans"))
        .set(clarion::db::schema::campaigns::status.eq("draft"))
        .execute(&mut app.conn())
        .unwrap();
    assert_eq!(
        app.get("/campaigns/secret-plans").await.status().as_u16(),
        404
    );
}
