//! Campaigns, articles and actions arranged straight in the database, for tests about what
//! the public sees (the admin's own forms are tested in `admin_content.rs`).

use clarion::db::{self, actions, articles, campaigns};

use super::TestApp;

/// A campaign in `status`; answers its id.
pub fn add_campaign(app: &TestApp, slug: &str, title: &str, status: &str) -> String {
    let now = db::now();
    let id = db::new_id();
    let campaign = campaigns::NewCampaign {
        id: id.clone(),
        slug,
        title,
        summary: "Not yet announced.",
        status,
        created_at: now,
        updated_at: now,
    };
    campaigns::insert(&mut app.conn(), &campaign).unwrap();
    id
}

/// A published article of `campaign_id`, public from `published_at`; answers its id.
pub fn add_article(
    app: &TestApp,
    campaign_id: &str,
    slug: &str,
    (title, body): (&str, &str),
    published_at: chrono::NaiveDateTime,
) -> String {
    let now = db::now();
    let id = db::new_id();
    let article = articles::NewArticle {
        id: id.clone(),
        campaign_id,
        slug,
        title,
        standfirst: "",
        body_md: body,
        author: "<i>Staff</i>",
        status: "published",
        published_at: Some(published_at),
        created_at: now,
        updated_at: now,
    };
    articles::insert(&mut app.conn(), &article).unwrap();
    id
}

/// A petition of `campaign_id` in `status`, shown as a card on `article_id`.
pub fn add_petition(app: &TestApp, campaign_id: &str, article_id: &str, slug: &str, status: &str) {
    let now = db::now();
    let id = db::new_id();
    let petition = actions::NewAction {
        id: id.clone(),
        campaign_id,
        kind: "petition",
        slug,
        title: "A petition",
        summary: "",
        status,
        body_md: "Text.",
        addressee: "MEPs",
        goal: None,
        deadline: None,
        target_list_id: None,
        subject_template: "",
        body_template: "",
        max_targets: 5,
        consent_text: "Keep me informed.",
        consent_version: "1",
        created_at: now,
        updated_at: now,
    };
    let mut conn = app.conn();
    actions::insert(&mut conn, &petition).unwrap();
    articles::attach_action(&mut conn, article_id, &id, 1).unwrap();
}
