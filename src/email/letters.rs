//! The email a target of a contact action receives.

use crate::db::messages::{MessageRow, Target};
use crate::db::outbox::NewEmail;
use crate::domain::{country, letter};
use crate::i18n::Msg;

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
    let country = country::name_of(&message.country_code);
    let subject = letter::fill(&message.subject, &target.name, &supporter, country);
    let body = letter::fill(&message.body, &target.name, &supporter, country);
    let footer = crate::i18n::t_with(
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
