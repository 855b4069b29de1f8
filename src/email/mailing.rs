//! A mailing's email to one subscriber, in their language: the mailing's subject and
//! introduction, the article's title and standfirst with a link to read it, a link for
//! each of its open calls to action, and a one-click way out (`List-Unsubscribe`, RFC
//! 8058, and a link in the text). Rendered when sent, one batch at a time, so an address
//! that left meanwhile is skipped. No tracking pixel and no per-person link: the links
//! carry only the mailing's id.

use std::collections::HashMap;

use maud::{html, DOCTYPE};

use super::messages::Rendered;
use super::site::Site;
use crate::db::mailings::{self, Mailing};
use crate::db::outbox::QueuedEmail;
use crate::db::{self, actions, subscribers, translations, DbConnection, DbError};
use crate::domain::status::SubscriberStatus;
use crate::domain::unsubscribe;
use crate::i18n::{t_in, t_with_in, Lang, Msg};

/// What a mailing says in one language.
#[derive(Debug, Clone)]
pub struct Content {
    pub subject: String,
    pub intro: String,
    pub title: String,
    pub standfirst: String,
    /// The article's path, and each open action's (title, path), under the language's
    /// prefix and carrying the mailing's id.
    pub article_path: String,
    pub actions: Vec<(String, String)>,
}

/// The mailing in `lang`: its texts there where staff wrote them, else the original's
/// (`en`); the article and its open actions as translated.
pub fn content(
    conn: &mut DbConnection,
    mailing: &Mailing,
    lang: Lang,
) -> Result<Option<Content>, DbError> {
    let texts = mailings::texts(conn, &mailing.id)?;
    let text_in = |l: Lang| texts.iter().find(|(t, _)| *t == l).map(|(_, t)| t.clone());
    let original = text_in(Lang::En).unwrap_or_default();
    let text = text_in(lang)
        .filter(|t| !t.subject.trim().is_empty())
        .unwrap_or(original);
    let Some(article) = mailings::article(conn, &mailing.article_id)? else {
        return Ok(None);
    };
    let (article, _) = translations::localise_one(conn, article, lang)?;
    let now = db::now();
    let query = format!("?mailing={}", mailing.id);
    let actions = actions::cards_for_article(conn, &article.id, lang)?
        .into_iter()
        .filter(|(card, _)| card.is_open(now))
        .map(|(card, _)| {
            let page = if card.kind == "petition" {
                "petitions"
            } else {
                "act"
            };
            (
                card.title,
                format!("{}/{page}/{}{query}", lang.prefix(), card.slug),
            )
        })
        .collect();
    Ok(Some(Content {
        intro: if text.intro.trim().is_empty() {
            article.standfirst.clone()
        } else {
            text.intro
        },
        subject: if text.subject.trim().is_empty() {
            article.title.clone()
        } else {
            text.subject
        },
        article_path: format!("{}/articles/{}{query}", lang.prefix(), article.slug),
        title: article.title,
        standfirst: article.standfirst,
        actions,
    }))
}

/// The absolute one-click unsubscribe URL of subscriber `id` in `mailing`.
pub fn unsubscribe_url(key: &[u8], base_url: &str, id: &str, mailing: Option<&str>) -> String {
    let token = unsubscribe::token(key, id, mailing);
    format!("{base_url}/newsletter/unsubscribe/{token}")
}

/// The email of `content` to `first_name`, with `unsubscribe` (absolute) at the foot.
pub fn render(
    content: &Content,
    lang: Lang,
    (first_name, base_url, unsubscribe, data): (&str, &str, &str, Option<&str>),
    organisation: &str,
) -> Rendered {
    let greeting = t_with_in(lang, Msg::MailConfirmGreeting, &[("name", first_name)]);
    let read = t_in(lang, Msg::MailingRead);
    let why = t_with_in(lang, Msg::MailingWhy, &[("organisation", organisation)]);
    let leave = t_in(lang, Msg::MailingUnsubscribe);
    let article = format!("{base_url}{}", content.article_path);
    let mut text = format!(
        "{greeting}\n\n{}\n\n{}\n{}\n\n{read}: {article}\n",
        content.intro, content.title, content.standfirst
    );
    for (title, path) in &content.actions {
        text.push_str(&format!("\n{title}: {base_url}{path}\n"));
    }
    let (foot_text, foot_html) = foot(lang, organisation, (&why, leave, unsubscribe), data);
    text.push_str(&foot_text);
    let html = html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            body {
                p { (greeting) }
                p { (content.intro) }
                h1 { (content.title) }
                @if !content.standfirst.is_empty() { p { (content.standfirst) } }
                p { a href=(article) { (read) } }
                @for (title, path) in &content.actions {
                    p { a href={ (base_url) (path) } { (title) } }
                }
                (foot_html)
            }
        }
    };
    Rendered {
        subject: content.subject.clone(),
        text,
        html: html.into_string(),
    }
}

/// The foot of an email in the mailings' lane: who sends it, why the reader gets it, the
/// way out (`leave` to `url`) and their data link; as text and as HTML.
pub(super) fn foot(
    lang: Lang,
    organisation: &str,
    (why, leave, url): (&str, &str, &str),
    data: Option<&str>,
) -> (String, maud::Markup) {
    let data_label = t_in(lang, Msg::MailDataFooter);
    let mut text = format!("\n-- \n{organisation}\n{why}\n{leave}: {url}\n");
    if let Some(data) = data {
        text.push_str(&format!("{data_label}: {data}\n"));
    }
    let html = html! {
        hr;
        p { (organisation) }
        p { (why) " " a href=(url) { (leave) } }
        @if let Some(data) = data { p { a href=(data) { (data_label) } } }
    };
    (text, html)
}

/// Fills in the mailing emails of a claimed batch; answers those not to send, with why
/// (the address left, or the mailing is gone). Content is built once per mailing and
/// language.
pub fn render_batch(
    conn: &mut DbConnection,
    due: &mut [QueuedEmail],
    site: &Site,
    organisation: &str,
) -> Result<Vec<(String, String)>, DbError> {
    let (key, base_url) = (site.key.as_slice(), site.base_url.as_str());
    // Test copies come rendered already.
    let ids: Vec<&str> = due
        .iter()
        .filter(|e| e.kind == mailings::KIND)
        .filter_map(|e| e.subscriber_id.as_deref())
        .collect();
    let people: HashMap<String, subscribers::Recipient> = subscribers::recipients(conn, &ids)?
        .into_iter()
        .map(|r| (r.id.clone(), r))
        .collect();
    let addresses: Vec<&str> = people
        .values()
        .map(|p| p.email_canonical.as_str())
        .collect();
    let suppressed = crate::db::suppressions::among(conn, &addresses)?;
    let mut contents: HashMap<(String, Lang), Option<Content>> = HashMap::new();
    let mut skipped = Vec::new();
    for email in due.iter_mut().filter(|e| e.kind == mailings::KIND) {
        let (Some(mailing_id), Some(person)) = (
            email.mailing_id.clone(),
            email.subscriber_id.as_ref().and_then(|id| people.get(id)),
        ) else {
            skipped.push((email.id.clone(), "the subscriber was erased".to_string()));
            continue;
        };
        if suppressed.contains(&person.email_canonical) {
            skipped.push((
                email.id.clone(),
                "the address is on the suppression list".to_string(),
            ));
            continue;
        }
        if person.status != SubscriberStatus::Subscribed.as_str() {
            skipped.push((
                email.id.clone(),
                format!("the subscriber is {}", person.status),
            ));
            continue;
        }
        let lang = Lang::parse(&person.language).unwrap_or_default();
        let made = made_once(&mut contents, (&mailing_id, lang), || match mailings::find(
            conn,
            &mailing_id,
        )? {
            Some(mailing) => content(conn, &mailing, lang),
            None => Ok(None),
        })?;
        let Some(content) = made else {
            skipped.push((
                email.id.clone(),
                "the mailing's article is gone".to_string(),
            ));
            continue;
        };
        let leave = unsubscribe_url(key, base_url, &person.id, Some(&mailing_id));
        let data = site.data_link(email, lang);
        let rendered = render(
            content,
            lang,
            (&person.first_name, base_url, &leave, data.as_deref()),
            organisation,
        );
        email.subject = rendered.subject;
        email.body_text = rendered.text;
        email.body_html = Some(rendered.html);
    }
    Ok(skipped)
}

/// What `make` makes for `id` in `lang`, made once per batch and kept in `made`.
pub(super) fn made_once<'m, C>(
    made: &'m mut HashMap<(String, Lang), Option<C>>,
    (id, lang): (&str, Lang),
    make: impl FnOnce() -> Result<Option<C>, DbError>,
) -> Result<Option<&'m C>, DbError> {
    let kept = match made.entry((id.to_string(), lang)) {
        std::collections::hash_map::Entry::Occupied(kept) => kept.into_mut(),
        std::collections::hash_map::Entry::Vacant(space) => space.insert(make()?),
    };
    Ok(kept.as_ref())
}

/// The id a test copy's unsubscribe link names: no subscriber has it, so the link works
/// as a real one does and unsubscribes no one.
const TEST_RECIPIENT: &str = "test";

/// A test copy of mailing `mailing_id` in `lang` to a staff member's address `to`: the
/// real email, sent by the mailings' worker with the same headers.
pub fn test_email(
    content: &Content,
    lang: Lang,
    to: &str,
    organisation: &str,
    (mailing_id, key, base_url): (&str, &[u8], &str),
) -> crate::db::outbox::NewEmail {
    let now = db::now();
    let leave = unsubscribe_url(key, base_url, TEST_RECIPIENT, None);
    let rendered = render(
        content,
        lang,
        ("[first name]", base_url, &leave, None),
        organisation,
    );
    let mut email = crate::db::outbox::NewEmail::new(
        TEST_KIND,
        to,
        rendered.subject,
        rendered.text,
        Some(rendered.html),
        now,
    );
    email.mailing_id = Some(mailing_id.to_string());
    email.subscriber_id = Some(TEST_RECIPIENT.to_string());
    email
}

/// The outbox kind of a test copy.
pub const TEST_KIND: &str = "mailing_test";
