//! Emails as a supporter or staff member receives them: the `.eml` files a run without
//! SMTP writes, and the link in a mailed or stored email.

use super::smtp::Mail;
use super::TestApp;

/// The emails written to `dir` (the outbox folder of a run without SMTP) to `to`, oldest
/// first, waiting up to ten seconds for at least one.
pub async fn mails_in(dir: &std::path::Path, to: &str) -> Vec<Mail> {
    for _ in 0..200 {
        let mut found: Vec<(std::time::SystemTime, Mail)> = std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|entry| {
                let modified = entry.metadata().ok()?.modified().ok()?;
                let data = std::fs::read(entry.path()).ok()?;
                Some((modified, Mail { to: vec![], data }))
            })
            .filter(|(_, mail)| {
                // A file still being written does not parse yet: the next look finds it.
                let Some(parsed) = mail_parser::MessageParser::default().parse(&mail.data) else {
                    return false;
                };
                let address = parsed
                    .to()
                    .and_then(|a| a.first())
                    .and_then(|a| a.address());
                address.is_some_and(|a| a.eq_ignore_ascii_case(to))
            })
            .collect();
        if !found.is_empty() {
            found.sort_by_key(|(at, _)| *at);
            return found.into_iter().map(|(_, mail)| mail).collect();
        }
        actix_web::rt::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("no email to {to} in {}", dir.display());
}

impl TestApp {
    /// The link in the newest email sent to `to`, read from the `.eml` file the outbox
    /// wrote (the stored copy's body is cleared once sent).
    pub async fn link_mailed_to(&self, to: &str) -> String {
        let mails = mails_in(&self.db.dir.path().join("outbox"), to).await;
        mails.last().expect("an email").link()
    }
}

/// The link in a stored email not yet sent: in its fields when it is rendered only when
/// sent (confirmations), else in its stored text (invitations, letters).
pub fn email_link((text, fields): (String, Option<String>)) -> String {
    if let Some(fields) = fields {
        let fields: serde_json::Value = serde_json::from_str(&fields).expect("JSON fields");
        return fields["link"].as_str().expect("a link field").to_string();
    }
    text.split_whitespace()
        .find(|w| w.starts_with("http"))
        .expect("a link in the text")
        .to_string()
}

/// The link in the newest email to `to`.
pub async fn link_to(app: &TestApp, to: &str) -> String {
    app.link_mailed_to(to).await
}

/// The supporter's own data as the data link at the foot of `mail` leads to it: the
/// page's path and its `data.json`.
pub async fn own_data(app: &TestApp, mail: &Mail) -> (String, serde_json::Value) {
    let data = mail
        .text()
        .split_whitespace()
        .find(|w| w.contains("/me/"))
        .map(super::newsletter::path_of)
        .expect("the data link");
    let json = app
        .get(&format!("{data}/data.json"))
        .await
        .json()
        .await
        .unwrap();
    (data, json)
}
