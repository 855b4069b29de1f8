//! The demo petition and its article, a supporter's form fields, and what signing
//! stored: rows, confirmation emails, the public JSON count.

use clarion::db::schema::{outbox, signatures};
use diesel::prelude::*;

use super::smtp::{Mode, SmtpServer};
use super::TestApp;

pub const PETITION: &str = "cambodia-political-prisoners-petition";
pub const ARTICLE: &str = "/articles/european-parliament-resolution-on-cambodia";

pub async fn app_with_smtp(mode: Mode) -> (TestApp, SmtpServer) {
    let smtp = SmtpServer::start(mode).await;
    let app = TestApp::builder()
        .set("CLARION_SMTP_URL", &smtp.url())
        .spawn()
        .await;
    (app, smtp)
}

pub fn supporter(email: &str) -> Vec<(&str, &str)> {
    vec![
        ("first_name", "Sok"),
        ("last_name", "Dara"),
        ("email", email),
        ("country", "KH"),
        ("consent_updates", "1"),
    ]
}

pub async fn json_count(app: &TestApp) -> serde_json::Value {
    let response = app.get(&format!("/api/v1/petitions/{PETITION}")).await;
    assert_eq!(response.status().as_u16(), 200);
    response.json().await.unwrap()
}

pub fn stored_rows(app: &TestApp) -> i64 {
    signatures::table
        .count()
        .get_result(&mut app.conn())
        .unwrap()
}

pub fn confirmation_emails(app: &TestApp) -> i64 {
    outbox::table
        .filter(outbox::kind.eq("signature_confirmation"))
        .count()
        .get_result(&mut app.conn())
        .unwrap()
}
