//! The emails Clarion writes (supporters' confirmations, staff invitations), each as a subject, a plain-text body and an HTML body.

use std::borrow::Cow;

use chrono::NaiveDateTime;
use maud::{html, DOCTYPE};
use serde::{Deserialize, Serialize};

use super::site::Site;
use crate::db::outbox::{NewEmail, QueuedEmail};
use crate::i18n::{t_in, t_with_in, Lang, Msg};

pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// The emails that answer a supporter's form, by their outbox kind: the ones that ask to
/// confirm, and the ones that tell an address it has signed already.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirmation {
    Signature,
    Message,
    /// Signed again with an address whose signature counts.
    AlreadyCounted,
    /// Signed again with an address whose signature is held for checking.
    AlreadyHeld,
    /// Wrote again, the same day, through an action the address has written through.
    AlreadyWrote,
    /// Asked to join the newsletter (its title is the organisation's name).
    Newsletter,
    /// Asked for the link to their own data (its title is the organisation's name).
    DataLink,
    /// The one reminder of a signature left unconfirmed, with a new link.
    SignatureReminder,
    /// The one reminder of a letter left unconfirmed, with a new link.
    MessageReminder,
}

impl Confirmation {
    const ALL: [Self; 9] = [
        Self::Signature,
        Self::Message,
        Self::AlreadyCounted,
        Self::AlreadyHeld,
        Self::AlreadyWrote,
        Self::Newsletter,
        Self::DataLink,
        Self::SignatureReminder,
        Self::MessageReminder,
    ];

    /// The outbox kinds of every such email (the dashboard's backlog of supporters' mail).
    pub fn kinds() -> [&'static str; 9] {
        Self::ALL.map(Self::kind)
    }

    pub fn kind(self) -> &'static str {
        match self {
            Self::Signature => "signature_confirmation",
            Self::Message => "message_confirmation",
            Self::AlreadyCounted => "signature_already_counted",
            Self::AlreadyHeld => "signature_already_held",
            Self::AlreadyWrote => "message_already_sent",
            Self::Newsletter => "newsletter_confirmation",
            Self::DataLink => "data_link",
            Self::SignatureReminder => "signature_reminder",
            Self::MessageReminder => "message_reminder",
        }
    }

    fn of_kind(kind: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.kind() == kind)
    }

    /// The email with the link that confirms a signature, or sends a letter to officials,
    /// signed by the organisation `signed`.
    pub fn render(
        self,
        lang: Lang,
        (title, first_name, link): (&str, &str, &str),
        (signed, data): (&str, Option<&str>),
    ) -> Rendered {
        use Msg::*;
        let words = match self {
            Self::Signature => [
                MailConfirmSubject,
                MailConfirmBody,
                ConfirmButton,
                MailConfirmIgnore,
            ],
            Self::Message => [
                MailContactSubject,
                MailContactBody,
                MailContactLink,
                MailContactIgnore,
            ],
            Self::AlreadyCounted => [
                MailAlreadySubject,
                MailAlreadyCounted,
                MailAlreadyLink,
                MailAlreadyIgnore,
            ],
            Self::AlreadyHeld => [
                MailAlreadySubject,
                MailAlreadyHeld,
                MailAlreadyLink,
                MailAlreadyIgnore,
            ],
            Self::AlreadyWrote => [
                MailWroteSubject,
                MailWroteBody,
                MailWroteLink,
                MailAlreadyIgnore,
            ],
            Self::Newsletter => [
                MailNewsletterSubject,
                MailNewsletterBody,
                NewsletterConfirmButton,
                MailNewsletterIgnore,
            ],
            Self::DataLink => [MailDataSubject, MailDataBody, MailDataLink, MailDataIgnore],
            Self::SignatureReminder => [
                MailRemindSubject,
                MailRemindBody,
                ConfirmButton,
                MailRemindIgnore,
            ],
            Self::MessageReminder => [
                MailRemindLetterSubject,
                MailRemindLetterBody,
                MailContactLink,
                MailRemindLetterIgnore,
            ],
        };
        confirmation(lang, words, (title, first_name, link), (signed, data))
    }
}

/// What a confirmation email is made from. The link carries the secret token, so the
/// row is as private as the rendered email would be; erasure clears it the same way.
/// Cow: a string with an escaped quote cannot be borrowed from the JSON.
#[derive(Serialize, Deserialize)]
struct Fields<'a> {
    #[serde(borrow)]
    title: Cow<'a, str>,
    #[serde(borrow)]
    first_name: Cow<'a, str>,
    #[serde(borrow)]
    link: Cow<'a, str>,
    /// The language of the page used (`en`, `fr`, `km`); rows queued before there were
    /// languages have none and are English.
    #[serde(borrow, default)]
    lang: Cow<'a, str>,
}

/// The email telling the address of `confirmation` (a confirmation email built for a
/// second signing or letter, not to be sent) that it has signed or written already:
/// greeted by the name stored the first time (not the one typed now), linking to `page`
/// (`/petitions/{slug}`, `/act/{slug}`) under the confirmation link's base URL.
pub fn already_done(
    confirmation: &NewEmail,
    which: Confirmation,
    first_name: &str,
    page: &str,
) -> Option<NewEmail> {
    let fields: Fields = serde_json::from_str(confirmation.fields.as_deref()?).ok()?;
    // `{base}/signatures/confirm/{token}` or `{base}/messages/confirm/{token}`.
    let (kind_path, _token) = fields.link.rsplit_once("/confirm/")?;
    let (base, _kind) = kind_path.rsplit_once('/')?;
    let page = format!("{base}{page}");
    let mut email = confirmation.clone();
    email.id = crate::db::new_id();
    email.kind = which.kind().to_string();
    let fields = Fields {
        title: fields.title,
        first_name: first_name.into(),
        link: page.into(),
        lang: fields.lang,
    };
    email.fields = Some(serde_json::to_string(&fields).expect("strings serialize"));
    Some(email)
}

/// A confirmation email to `to`, queued as its fields and rendered when sent. A surge
/// stores one per signature inside the signing transaction: about 200 bytes instead of
/// 1.3 KB of rendered text and HTML, and no rendering while requests wait.
pub fn queued_confirmation(
    lang: Lang,
    which: Confirmation,
    to: &str,
    title: &str,
    first_name: &str,
    link: &str,
    now: NaiveDateTime,
) -> NewEmail {
    let mut email = NewEmail::new(which.kind(), to, String::new(), String::new(), None, now);
    let fields = Fields {
        title: title.into(),
        first_name: first_name.into(),
        link: link.into(),
        lang: lang.code().into(),
    };
    email.fields = Some(serde_json::to_string(&fields).expect("strings serialize"));
    email
}

/// Fills in the subject and bodies of an email queued as fields; one stored whole is
/// left as it is. An error says why it cannot be sent (it never will be).
pub fn render_queued(email: &mut QueuedEmail, signed: &str, site: &Site) -> Result<(), String> {
    let Some(json) = &email.fields else {
        fill_data_link(email, site);
        return Ok(());
    };
    let fields: Fields =
        serde_json::from_str(json).map_err(|e| format!("unreadable email fields: {e}"))?;
    let which = Confirmation::of_kind(&email.kind)
        .ok_or_else(|| format!("no template for emails of kind {}", email.kind))?;
    let lang = Lang::parse(&fields.lang).unwrap_or_default();
    let words = (&*fields.title, &*fields.first_name, &*fields.link);
    // The "your data" link, except in the email that is that link already.
    let data = (which != Confirmation::DataLink)
        .then(|| site.data_link(email, lang))
        .flatten();
    let rendered = which.render(lang, words, (signed, data.as_deref()));
    email.subject = rendered.subject;
    email.body_text = rendered.text;
    email.body_html = Some(rendered.html);
    Ok(())
}

/// Replaces the marker ending a stored email's text (a writer's copy of their letter)
/// by its data link, issued now; only at the very end, so that nothing the writer typed
/// is ever taken for it.
fn fill_data_link(email: &mut QueuedEmail, site: &Site) {
    for lang in Lang::ALL {
        let marker = format!("{}\n", super::letters::data_link_marker(lang));
        if let Some(kept) = email.body_text.strip_suffix(&marker) {
            let link = site.data_link(email, lang).unwrap_or_default();
            email.body_text = format!("{kept}{link}\n");
            return;
        }
    }
}

/// `words`: the subject, the body's first line, the link's text and the "ignore this"
/// line, each of which differs between a signature and a letter.
fn confirmation(
    lang: Lang,
    words: [Msg; 4],
    (title, first_name, link): (&str, &str, &str),
    (signed, data): (&str, Option<&str>),
) -> Rendered {
    let [subject, body, link_text, ignore] = words;
    let data_label = t_in(lang, Msg::MailDataFooter);
    let greeting = t_with_in(lang, Msg::MailConfirmGreeting, &[("name", first_name)]);
    let body = t_with_in(lang, body, &[("title", title)]);
    let ignore = t_in(lang, ignore);
    // The data link before the closing line: the email ends with who sent it.
    let data_line = data.map_or(String::new(), |d| format!("{data_label}: {d}\n\n"));
    let text = format!("{greeting}\n\n{body}\n\n{link}\n\n{ignore}\n\n{data_line}{signed}\n");
    let html = html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            body {
                p { (greeting) }
                p { (body) }
                p { a href=(link) { (t_in(lang, link_text)) } }
                p { (link) }
                p { (ignore) }
                @if let Some(data) = data { p { a href=(data) { (data_label) } } }
                p { (signed) }
            }
        }
    };
    Rendered {
        subject: t_with_in(lang, subject, &[("title", title)]),
        text,
        html: html.into_string(),
    }
}

/// The email inviting a new staff member to choose a password (staff mail is in English).
pub fn staff_invitation(link: &str, valid_hours: i64, organisation: &str) -> Rendered {
    let subject = format!("You are invited to {organisation}'s staff");
    let text = format!(
        "Hello,\n\nYou have been invited to help run campaigns for {organisation}. Choose your password here:\n\n{link}\n\nThe link works once, for {valid_hours} hours. If you did not expect this email, ignore it.\n"
    );
    let html = html! {
        (DOCTYPE)
        html lang="en" {
            body {
                p { "Hello," }
                p { "You have been invited to help run campaigns for " (organisation) "." }
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

#[cfg(test)]
mod tests;
