//! An update's email to one supporter, in the language they signed or wrote in: the
//! update's title and text (Markdown), the list's digest for a "delivered" update, a
//! link to the action's page, and a one-click way out of this action's updates
//! (`List-Unsubscribe`, RFC 8058, and a link at the foot). Rendered when sent, so that a
//! supporter who withdrew, was erased or opted out meanwhile is skipped.

use std::collections::HashMap;

use diesel::prelude::*;
use maud::{html, DOCTYPE};

use super::messages::Rendered;
use super::site::Site;
use crate::db::outbox::QueuedEmail;
use crate::db::schema::{actions, messages, signatures};
use crate::db::updates::{self, Update};
use crate::db::{translations, DbConnection, DbError};
use crate::domain::status::SignatureStatus;
use crate::domain::unsubscribe;
use crate::i18n::{t_in, t_with_in, Lang, Msg};
use crate::views::markdown;

/// What an update says in one language.
#[derive(Debug, Clone)]
pub struct Content {
    pub title: String,
    pub body_md: String,
    pub action_title: String,
    /// The action's page under the language's prefix, at the update.
    pub path: String,
    /// For a "delivered" update: the sentence on what was handed over, and the digest.
    pub handed: Option<(String, String)>,
}

/// Update `update` in `lang`: its text there where staff wrote it, else English.
pub fn content(
    conn: &mut DbConnection,
    update: &Update,
    lang: Lang,
) -> Result<Option<Content>, DbError> {
    let texts = updates::texts(conn, &update.id)?;
    let (text, _) = updates::text_in(&texts, lang);
    let found: Option<(String, String, String)> = actions::table
        .find(&update.action_id)
        .select((actions::kind, actions::slug, actions::title))
        .first(conn)
        .optional()?;
    let Some((kind, slug, mut action_title)) = found else {
        return Ok(None);
    };
    translations::of(conn, "action", &update.action_id, lang)?.apply("title", &mut action_title);
    let page = if kind == "petition" {
        "petitions"
    } else {
        "act"
    };
    Ok(Some(Content {
        title: text.title,
        body_md: text.body_md,
        action_title,
        path: format!("{}/{page}/{slug}#update-{}", lang.prefix(), update.id),
        handed: crate::views::updates::handed_over(update, lang),
    }))
}

/// The absolute one-click link that stops an action's updates to the supporter of
/// `record` (`s:` a signature's id, `m:` a letter's), its page under `prefix` (the
/// email's language; none in the `List-Unsubscribe` header, which is only posted to).
pub fn unsubscribe_url(key: &[u8], base_url: &str, prefix: &str, record: &str) -> String {
    let token = unsubscribe::updates_token(key, record);
    format!("{base_url}{prefix}/updates/unsubscribe/{token}")
}

/// The record an update email is about, as its unsubscribe token names it.
pub fn record_of(email: &QueuedEmail) -> Option<String> {
    match (&email.signature_id, &email.message_id) {
        (Some(id), _) => Some(format!("s:{id}")),
        (None, Some(id)) => Some(format!("m:{id}")),
        _ => None,
    }
}

/// The email of `content` to `first_name`, with `leave` (absolute) at the foot.
pub fn render(
    content: &Content,
    lang: Lang,
    (first_name, base_url, leave, data): (&str, &str, &str, Option<&str>),
    organisation: &str,
) -> Rendered {
    let greeting = t_with_in(lang, Msg::MailConfirmGreeting, &[("name", first_name)]);
    let why = t_with_in(
        lang,
        Msg::MailUpdateWhy,
        &[("title", &content.action_title)],
    );
    let stop = t_in(lang, Msg::MailUpdateLeave);
    let digest_label = t_in(lang, Msg::UpdateDigest);
    let page = format!("{base_url}{}", content.path);
    let mut text = format!(
        "{greeting}\n\n{}\n\n{}\n",
        content.title,
        content.body_md.trim()
    );
    if let Some((said, digest)) = &content.handed {
        text.push_str(&format!("\n{said}\n{digest_label} {digest}\n"));
    }
    text.push_str(&format!("\n{}: {page}\n", content.action_title));
    let (foot_text, foot_html) =
        super::mailing::foot(lang, organisation, (&why, stop, leave), data);
    text.push_str(&foot_text);
    let html = html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            body {
                p { (greeting) }
                h1 { (content.title) }
                (markdown::render(&content.body_md))
                @if let Some((said, digest)) = &content.handed {
                    p { (said) }
                    p { (digest_label) " " code { (digest) } }
                }
                p { a href=(page) { (content.action_title) } }
                (foot_html)
            }
        }
    };
    Rendered {
        subject: content.title.clone(),
        text,
        html: html.into_string(),
    }
}

/// The supporter behind an update email, as stored now.
struct Person {
    first_name: String,
    email_canonical: String,
    language: String,
    action_id: String,
    wants: bool,
}

type PersonRow = (String, String, String, String, String, String, bool, String);

fn people(
    conn: &mut DbConnection,
    due: &[QueuedEmail],
) -> Result<HashMap<String, Person>, DbError> {
    let ids = |f: fn(&QueuedEmail) -> Option<&String>| -> Vec<String> {
        due.iter()
            .filter(|e| e.kind == updates::KIND)
            .filter_map(f)
            .cloned()
            .collect()
    };
    let signed: Vec<PersonRow> = signatures::table
        .filter(signatures::id.eq_any(ids(|e| e.signature_id.as_ref())))
        .select((
            signatures::id,
            signatures::first_name,
            signatures::email_canonical,
            signatures::language,
            signatures::action_id,
            signatures::status,
            signatures::consent_updates,
            signatures::email,
        ))
        .load(conn)?;
    let wrote: Vec<PersonRow> = messages::table
        .filter(messages::id.eq_any(ids(|e| e.message_id.as_ref())))
        .select((
            messages::id,
            messages::first_name,
            messages::email_canonical,
            messages::language,
            messages::action_id,
            messages::status,
            messages::consent_updates,
            messages::email,
        ))
        .load(conn)?;
    let confirmed = SignatureStatus::Confirmed.as_str();
    let mut found = HashMap::new();
    let rows = signed
        .into_iter()
        .map(|r| ("s", r))
        .chain(wrote.into_iter().map(|r| ("m", r)));
    for (prefix, (id, first_name, canonical, language, action_id, status, consent, email)) in rows {
        // Withdrawn, erased (no address) or no longer asking for news: not sent.
        let wants = status == confirmed && consent && !email.is_empty();
        found.insert(
            format!("{prefix}:{id}"),
            Person {
                first_name,
                email_canonical: canonical,
                language,
                action_id,
                wants,
            },
        );
    }
    Ok(found)
}

/// Fills in the update emails of a claimed batch; answers those not to send, with why.
pub fn render_batch(
    conn: &mut DbConnection,
    due: &mut [QueuedEmail],
    site: &Site,
    organisation: &str,
) -> Result<Vec<(String, String)>, DbError> {
    let people = people(conn, due)?;
    let mut left: HashMap<String, std::collections::HashSet<String>> = HashMap::new();
    for person in people.values() {
        left.entry(person.action_id.clone()).or_default();
    }
    for (action_id, gone) in left.iter_mut() {
        let addresses: Vec<String> = people
            .values()
            .filter(|p| p.action_id == *action_id)
            .map(|p| p.email_canonical.clone())
            .collect();
        *gone = updates::left_among(conn, action_id, &addresses)?;
    }
    let mut contents: HashMap<(String, Lang), Option<Content>> = HashMap::new();
    let mut skipped = Vec::new();
    for email in due.iter_mut().filter(|e| e.kind == updates::KIND) {
        let record = record_of(email);
        let (Some(update_id), Some(record), Some(person)) = (
            email.mailing_id.clone(),
            record.clone(),
            record.as_ref().and_then(|r| people.get(r)),
        ) else {
            skipped.push((email.id.clone(), "the supporter was erased".to_string()));
            continue;
        };
        if !person.wants {
            skipped.push((
                email.id.clone(),
                "the supporter no longer asks for news".into(),
            ));
            continue;
        }
        if left[&person.action_id].contains(&person.email_canonical) {
            skipped.push((email.id.clone(), "the address left these emails".into()));
            continue;
        }
        let lang = Lang::parse(&person.language).unwrap_or_default();
        let made =
            super::mailing::made_once(&mut contents, (&update_id, lang), || match updates::find(
                conn, &update_id,
            )? {
                Some(update) => content(conn, &update, lang),
                None => Ok(None),
            })?;
        let Some(content) = made else {
            skipped.push((email.id.clone(), "the update is gone".to_string()));
            continue;
        };
        let leave = unsubscribe_url(&site.key, &site.base_url, lang.prefix(), &record);
        let data = site.data_link(email, lang);
        let rendered = render(
            content,
            lang,
            (&person.first_name, &site.base_url, &leave, data.as_deref()),
            organisation,
        );
        email.subject = rendered.subject;
        email.body_text = rendered.text;
        email.body_html = Some(rendered.html);
    }
    Ok(skipped)
}
