//! The emails supporters receive, each as a subject, a plain-text body and an HTML body.

use maud::{html, DOCTYPE};

use crate::i18n::{t, t_with, Msg, LANG};

pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// The email with the link that confirms a signature.
pub fn signature_confirmation(petition_title: &str, first_name: &str, link: &str) -> Rendered {
    confirmation(
        Msg::MailConfirmSubject,
        Msg::MailConfirmBody,
        petition_title,
        first_name,
        link,
    )
}

/// The email with the link that sends a letter to officials.
pub fn message_confirmation(action_title: &str, first_name: &str, link: &str) -> Rendered {
    confirmation(
        Msg::MailContactSubject,
        Msg::MailContactBody,
        action_title,
        first_name,
        link,
    )
}

fn confirmation(subject: Msg, body: Msg, title: &str, first_name: &str, link: &str) -> Rendered {
    let greeting = t_with(Msg::MailConfirmGreeting, &[("name", first_name)]);
    let body_text = t_with(body, &[("title", title)]);
    let body = body_text;
    let ignore = t(Msg::MailConfirmIgnore);
    let text = format!("{greeting}\n\n{body}\n\n{link}\n\n{ignore}\n");
    let html = html! {
        (DOCTYPE)
        html lang=(LANG) {
            body {
                p { (greeting) }
                p { (body) }
                p { a href=(link) { (t(Msg::ConfirmButton)) } }
                p { (link) }
                p { (ignore) }
            }
        }
    };
    Rendered {
        subject: t_with(subject, &[("title", title)]),
        text,
        html: html.into_string(),
    }
}

/// The email inviting a new staff member to choose a password (staff mail is in English).
pub fn staff_invitation(link: &str, valid_hours: i64) -> Rendered {
    let subject = "You are invited to Clarion's staff".to_string();
    let text = format!(
        "Hello,\n\nYou have been invited to help run campaigns on Clarion. Choose your password here:\n\n{link}\n\nThe link works once, for {valid_hours} hours. If you did not expect this email, ignore it.\n"
    );
    let html = html! {
        (DOCTYPE)
        html lang="en" {
            body {
                p { "Hello," }
                p { "You have been invited to help run campaigns on Clarion." }
                p { a href=(link) { "Choose your password" } }
                p { "The link works once, for " (valid_hours) " hours. If you did not expect this email, ignore it." }
            }
        }
    }
    .into_string();
    Rendered {
        subject,
        text,
        html,
    }
}
