//! After the letter: an app that asks writers `after` their letter was delivered, and
//! the answer links a follow-up email holds.

use super::newsletter::path_of;
use super::smtp::{Mail, SmtpServer};
use super::TestApp;

/// An app sending to `smtp` that asks `after` delivery and reminds `reminder` later.
pub async fn app(smtp: &SmtpServer, after: &str, reminder: &str) -> TestApp {
    TestApp::builder()
        .set("CLARION_SMTP_URL", &smtp.url())
        .set("CLARION_FOLLOW_UP_AFTER", after)
        .set("CLARION_FOLLOW_UP_REMINDER", reminder)
        .spawn()
        .await
}

/// The text of the first follow-up among `mails`.
pub fn follow_up_text(mails: &[Mail]) -> String {
    mails
        .iter()
        .map(Mail::text)
        .find(|t| t.contains("/follow-up/"))
        .expect("the follow-up")
}

/// The paths of the links in `text` that answer `answer`, one per official, in order.
pub fn answering(text: &str, answer: &str) -> Vec<String> {
    let end = format!("answer={answer}");
    text.split_whitespace()
        .filter(|w| w.contains("/follow-up/") && w.ends_with(&end))
        .map(path_of)
        .collect()
}
