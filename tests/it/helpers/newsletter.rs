//! Joining the newsletter as a supporter would: the form's own hidden fields, then the
//! confirmation link from the email; and staff creating and sending a mailing.

use clarion::db::subscribers::NewSubscriber;

use super::smtp::{Mail, SmtpServer};
use super::{csrf, TestApp};

/// Posts the join form found on `page` with `fields`.
pub async fn join(app: &TestApp, page: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let prefix = ["/fr", "/km"]
        .into_iter()
        .find(|p| page.starts_with(p))
        .unwrap_or("");
    let action = format!("{prefix}/newsletter");
    app.submit(page, &action, fields).await
}

/// The path (and query) of an absolute URL.
pub fn path_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest[rest.find('/').unwrap_or(rest.len())..].to_string()
}

/// Joins from `page` as `email` and confirms from the email, which is the `nth` (from 1)
/// that `smtp` received.
pub async fn subscribe(app: &TestApp, smtp: &SmtpServer, page: &str, email: &str, nth: usize) {
    let fields = [("email", email), ("first_name", "Sok"), ("country", "FR")];
    assert_eq!(join(app, page, &fields).await.status(), 303);
    let mail = smtp.wait_for(nth).await.remove(nth - 1);
    assert_eq!(mail.to, [format!("<{email}>")]);
    let confirmed = app.post_form(&path_of(&mail.link()), &[]).await;
    assert_eq!(confirmed.status(), 200);
}

/// The demo article, which mailings send.
pub const SLUG: &str = "european-parliament-resolution-on-cambodia";

/// A header of `mail` as it arrived, trimmed.
pub fn header(mail: &Mail, name: &str) -> Option<String> {
    mail.parsed().header_raw(name).map(|v| v.trim().to_string())
}

/// Creates a mailing of the demo article; answers its page's path.
pub async fn create(app: &TestApp, staff: &reqwest::Client) -> String {
    let token = csrf(app, staff).await;
    let created = staff
        .post(app.url("/admin/mailings"))
        .form(&[("csrf", token.as_str()), ("article", SLUG)])
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 303);
    created.headers()["location"].to_str().unwrap().to_string()
}

/// Posts a staff form to `path` with its CSRF token and `fields`; answers the status.
pub async fn post(
    app: &TestApp,
    staff: &reqwest::Client,
    path: &str,
    fields: &[(&str, &str)],
) -> u16 {
    let token = csrf(app, staff).await;
    let mut form = vec![("csrf", token.as_str())];
    form.extend_from_slice(fields);
    let answer = staff.post(app.url(path)).form(&form).send().await.unwrap();
    answer.status().as_u16()
}

/// Waits until `smtp` holds `n` emails, then a little longer to see that no more come.
pub async fn exactly(smtp: &SmtpServer, n: usize) -> Vec<Mail> {
    smtp.wait_for(n).await;
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let mails = smtp.mails();
    assert_eq!(mails.len(), n, "no more than {n} emails");
    mails
}

/// Subscriber `n` as stored once confirmed (`reader{n}@example.org`, in English, French
/// or Khmer by turns), for tests that need many without joining each.
pub fn subscriber(n: usize, now: chrono::NaiveDateTime) -> NewSubscriber {
    let email = format!("reader{n}@example.org");
    NewSubscriber {
        id: format!("s{n:05}"),
        email: email.clone(),
        email_canonical: email,
        first_name: "Reader".into(),
        country_code: "FR".into(),
        language: ["en", "fr", "km"][n % 3].into(),
        status: "subscribed".into(),
        consent_text: "Test consent".into(),
        consent_version: "newsletter-form-2026-12".into(),
        source: "newsletter".into(),
        token_hash: format!("none:{n}"),
        client_hash: String::new(),
        emails_sent: 1,
        created_at: now,
        updated_at: now,
    }
}

/// Mailing `id` as staff leave it before sending: a draft of the first article.
pub fn draft_mailing(conn: &mut clarion::db::DbConnection, id: &str, at: chrono::NaiveDateTime) {
    use clarion::db::schema::{articles, mailings};
    use diesel::prelude::*;
    let article: String = articles::table.select(articles::id).first(conn).unwrap();
    diesel::insert_into(mailings::table)
        .values((
            mailings::id.eq(id),
            mailings::article_id.eq(&article),
            mailings::status.eq("draft"),
            mailings::recipients.eq(0),
            mailings::created_at.eq(at),
            mailings::updated_at.eq(at),
        ))
        .execute(conn)
        .unwrap();
}
