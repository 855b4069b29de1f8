//! The email a target of a contact action receives.

use crate::db::messages::{LetterEmails, MessageRow, Target};
use crate::db::outbox::NewEmail;
use crate::domain::letter;
use crate::i18n::{t_in, t_with_in, Lang, Msg};

/// Where a stored email's "your data" link goes, in `lang`: the last line ends with it.
pub fn data_link_marker(lang: Lang) -> String {
    format!("[[data-link:{}]]", lang.code())
}

/// The letters of a confirmation under `base_url`, queued at `now`.
pub struct Letters<'a> {
    pub base_url: &'a str,
    pub now: chrono::NaiveDateTime,
}

impl LetterEmails for Letters<'_> {
    fn letter(&self, title: &str, message: &MessageRow, target: &Target) -> NewEmail {
        letter_email(self.base_url, title, message, target, self.now)
    }

    fn copy(&self, title: &str, message: &MessageRow, targets: &[Target]) -> NewEmail {
        copy_email(self.base_url, title, message, targets, self.now)
    }
}

/// The writer's copy: who received the letter, and the letter as the first of them got
/// it. Sent to the writer from the organisation, like a confirmation.
pub fn copy_email(
    base_url: &str,
    campaign: &str,
    message: &MessageRow,
    targets: &[Target],
    now: chrono::NaiveDateTime,
) -> NewEmail {
    let first = &targets[0];
    let sent = letter_email(base_url, campaign, message, first, now);
    let names: Vec<&str> = targets.iter().map(|t| t.name.as_str()).collect();
    let lang = Lang::parse(&message.language).unwrap_or_default();
    let intro = t_with_in(
        lang,
        Msg::LetterCopyIntro,
        &[("names", &names.join(", ")), ("name", &first.name)],
    );
    let subject = t_with_in(lang, Msg::LetterCopySubject, &[("subject", &sent.subject)]);
    // Stored whole, so its data link (issued when it leaves) takes the place of a marker
    // at its very end (`messages::render_queued`).
    let data = format!(
        "{}: {}",
        t_in(lang, Msg::MailDataFooter),
        data_link_marker(lang)
    );
    let mut email = NewEmail::new(
        "letter_copy",
        &message.email,
        subject,
        format!("{intro}\n\n{}\n\n{data}\n", sent.body_text.trim_end()),
        None,
        now,
    );
    email.message_id = Some(message.id.clone());
    email
}

/// The email one target receives: from the platform in the supporter's name, Reply-To
/// the supporter, the letter filled in for this target, and a footer saying how it came.
pub fn letter_email(
    base_url: &str,
    campaign: &str,
    message: &MessageRow,
    target: &Target,
    now: chrono::NaiveDateTime,
) -> NewEmail {
    let supporter = format!("{} {}", message.first_name, message.last_name);
    // The country as the letter's own language names it.
    let lang = Lang::parse(&message.language).unwrap_or_default();
    let country = crate::i18n::country_names(lang).of(&message.country_code);
    let subject = letter::fill(&message.subject, &target.name, &supporter, country);
    let body = letter::fill(&message.body, &target.name, &supporter, country);
    // In the language the supporter wrote in, like the letter above it.
    let footer = t_with_in(
        lang,
        Msg::LetterFooter,
        &[
            ("name", &supporter),
            ("campaign", campaign),
            ("url", base_url),
        ],
    );
    let mut email = NewEmail::new(
        "letter",
        &target.email,
        subject,
        format!("{body}\n\n-- \n{footer}\n"),
        None,
        now,
    );
    email.from_name = Some(supporter);
    email.reply_to = Some(message.email.clone());
    email.message_id = Some(message.id.clone());
    email.target_id = Some(target.id.clone());
    email
}
