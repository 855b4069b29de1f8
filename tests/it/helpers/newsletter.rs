//! Joining the newsletter as a supporter would: the form's own hidden fields, then the
//! confirmation link from the email.

use super::smtp::SmtpServer;
use super::TestApp;

/// Posts the join form found on `page` with `fields`.
pub async fn join(app: &TestApp, page: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let prefix = ["/fr", "/km"]
        .into_iter()
        .find(|p| page.starts_with(p))
        .unwrap_or("");
    let action = format!("{prefix}/newsletter");
    let hidden = app.hidden_fields(page, &action).await;
    let mut pairs: Vec<(&str, &str)> = hidden
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    pairs.extend_from_slice(fields);
    app.post_form(&action, &pairs).await
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
