//! Everything stored about one supporter (by canonical email), as they see it on their
//! own page and download it (`/me/{token}`, `/me/{token}/data.json`). The field names
//! are the download's documented format (docs/CONTRACT.md, "A supporter's own data").

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use super::schema::{
    actions, message_targets, messages, signatures, subscribers, targets, update_optouts,
};
use super::{DbConnection, DbError};

/// The download's format name; a new layout gets a new number.
pub const FORMAT: &str = "clarion-supporter-data/1";

#[derive(Debug, Serialize)]
pub struct SupporterData {
    pub format: &'static str,
    pub signatures: Vec<SignatureData>,
    pub letters: Vec<LetterData>,
    pub newsletter: Option<SubscriptionData>,
    /// The actions whose news the supporter stopped, through the link in an update.
    pub news_stopped: Vec<NewsStopped>,
}

impl SupporterData {
    pub fn is_empty(&self) -> bool {
        self.signatures.is_empty()
            && self.letters.is_empty()
            && self.newsletter.is_none()
            && self.news_stopped.is_empty()
    }
}

#[derive(Debug, Serialize, Queryable)]
pub struct NewsStopped {
    pub action_slug: String,
    pub action_title: String,
    #[serde(serialize_with = "utc")]
    pub stopped_at: NaiveDateTime,
}

#[derive(Debug, Serialize, Queryable)]
pub struct SignatureData {
    pub id: String,
    pub petition_slug: String,
    pub petition_title: String,
    pub status: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub country: String,
    pub postcode: String,
    pub comment: String,
    pub show_publicly: bool,
    pub show_publicly_text: String,
    pub consent_updates: bool,
    pub consent_text: String,
    pub consent_version: String,
    /// Shared with the partner it came through, in these words ("" when not).
    pub consent_partner: bool,
    pub consent_partner_text: String,
    pub language: String,
    /// A keyed hash of the network address it came from, never the address.
    pub address_hash: String,
    #[serde(serialize_with = "utc")]
    pub signed_at: NaiveDateTime,
    #[serde(serialize_with = "utc_or_null")]
    pub confirmed_at: Option<NaiveDateTime>,
}

#[derive(Debug, Serialize)]
pub struct LetterData {
    pub id: String,
    pub action_slug: String,
    pub action_title: String,
    pub status: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub country: String,
    pub postcode: String,
    pub subject: String,
    pub body: String,
    pub consent_updates: bool,
    pub consent_text: String,
    pub consent_version: String,
    pub language: String,
    pub address_hash: String,
    #[serde(serialize_with = "utc")]
    pub written_at: NaiveDateTime,
    #[serde(serialize_with = "utc_or_null")]
    pub confirmed_at: Option<NaiveDateTime>,
    /// Who it went to, each with where its copy stands (`pending`, `sent`, …).
    pub recipients: Vec<Recipient>,
}

#[derive(Debug, Serialize)]
pub struct Recipient {
    pub name: String,
    pub status: String,
    /// What the writer answered when asked whether this recipient replied (`replied`,
    /// `acknowledgement`, `no_reply`, `not_expected`), if they did.
    pub answer: Option<String>,
    /// The reply's text, if the writer pasted it.
    pub reply: String,
}

#[derive(Debug, Serialize, Queryable)]
pub struct SubscriptionData {
    pub status: String,
    pub first_name: String,
    pub email: String,
    pub country: String,
    pub language: String,
    pub consent_text: String,
    pub consent_version: String,
    pub source: String,
    pub address_hash: String,
    #[serde(serialize_with = "utc")]
    pub asked_at: NaiveDateTime,
    #[serde(serialize_with = "utc_or_null")]
    pub confirmed_at: Option<NaiveDateTime>,
    #[serde(serialize_with = "utc_or_null")]
    pub unsubscribed_at: Option<NaiveDateTime>,
}

/// Stored times are UTC: written as RFC 3339 with its `Z`, to the second.
fn utc<S: serde::Serializer>(at: &NaiveDateTime, to: S) -> Result<S::Ok, S::Error> {
    let text = at
        .and_utc()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    to.serialize_str(&text)
}

fn utc_or_null<S: serde::Serializer>(at: &Option<NaiveDateTime>, to: S) -> Result<S::Ok, S::Error> {
    match at {
        Some(at) => utc(at, to),
        None => to.serialize_none(),
    }
}

type LetterRow = (
    (
        String,
        String,
        String,
        String,
        String,
        String,
        String,
        String,
    ),
    (String, String, String, String, bool, String, String, String),
    (NaiveDateTime, Option<NaiveDateTime>),
);

/// Everything stored under `canonical`, newest first.
pub fn of(conn: &mut DbConnection, canonical: &str) -> Result<SupporterData, DbError> {
    let signatures = signatures::table
        .inner_join(actions::table)
        .filter(signatures::email_canonical.eq(canonical))
        .order(signatures::created_at.desc())
        .select((
            signatures::id,
            actions::slug,
            actions::title,
            signatures::status,
            signatures::first_name,
            signatures::last_name,
            signatures::email,
            signatures::country_code,
            signatures::postcode,
            signatures::comment,
            signatures::show_publicly,
            signatures::show_publicly_text,
            signatures::consent_updates,
            signatures::consent_text,
            signatures::consent_version,
            signatures::consent_partner,
            signatures::consent_partner_text,
            signatures::language,
            signatures::client_hash,
            signatures::created_at,
            signatures::confirmed_at,
        ))
        .load::<SignatureData>(conn)?;
    let rows: Vec<LetterRow> = messages::table
        .inner_join(actions::table)
        .filter(messages::email_canonical.eq(canonical))
        .order(messages::created_at.desc())
        .select((
            (
                messages::id,
                actions::slug,
                actions::title,
                messages::status,
                messages::first_name,
                messages::last_name,
                messages::email,
                messages::country_code,
            ),
            (
                messages::postcode,
                messages::subject,
                messages::body,
                messages::consent_text,
                messages::consent_updates,
                messages::consent_version,
                messages::language,
                messages::client_hash,
            ),
            (messages::created_at, messages::confirmed_at),
        ))
        .load(conn)?;
    let mut letters = Vec::with_capacity(rows.len());
    for (a, b, c) in rows {
        let recipients = message_targets::table
            .inner_join(targets::table)
            .filter(message_targets::message_id.eq(&a.0))
            .order(targets::name)
            .select((
                targets::name,
                message_targets::status,
                message_targets::answer,
                message_targets::reply_text,
            ))
            .load::<(String, String, Option<String>, String)>(conn)?
            .into_iter()
            .map(|(name, status, answer, reply)| Recipient {
                name,
                status,
                answer,
                reply,
            })
            .collect();
        letters.push(LetterData {
            id: a.0,
            action_slug: a.1,
            action_title: a.2,
            status: a.3,
            first_name: a.4,
            last_name: a.5,
            email: a.6,
            country: a.7,
            postcode: b.0,
            subject: b.1,
            body: b.2,
            consent_text: b.3,
            consent_updates: b.4,
            consent_version: b.5,
            language: b.6,
            address_hash: b.7,
            written_at: c.0,
            confirmed_at: c.1,
            recipients,
        });
    }
    let newsletter = subscribers::table
        .filter(subscribers::email_canonical.eq(canonical))
        .select((
            subscribers::status,
            subscribers::first_name,
            subscribers::email,
            subscribers::country_code,
            subscribers::language,
            subscribers::consent_text,
            subscribers::consent_version,
            subscribers::source,
            subscribers::client_hash,
            subscribers::created_at,
            subscribers::confirmed_at,
            subscribers::unsubscribed_at,
        ))
        .first::<SubscriptionData>(conn)
        .optional()?;
    let news_stopped = update_optouts::table
        .inner_join(actions::table)
        .filter(update_optouts::email_canonical.eq(canonical))
        .order(update_optouts::created_at.desc())
        .select((actions::slug, actions::title, update_optouts::created_at))
        .load::<NewsStopped>(conn)?;
    Ok(SupporterData {
        format: FORMAT,
        signatures,
        letters,
        newsletter,
        news_stopped,
    })
}

/// The actions' titles in `lang` where staff translated them, for the page (the
/// download keeps the titles as stored).
pub fn in_language(
    conn: &mut DbConnection,
    data: &mut SupporterData,
    lang: crate::i18n::Lang,
) -> Result<(), DbError> {
    if lang == crate::i18n::Lang::En {
        return Ok(());
    }
    let signed = data
        .signatures
        .iter_mut()
        .map(|s| (&s.petition_slug, &mut s.petition_title));
    let wrote = data
        .letters
        .iter_mut()
        .map(|l| (&l.action_slug, &mut l.action_title));
    let stopped = data
        .news_stopped
        .iter_mut()
        .map(|n| (&n.action_slug, &mut n.action_title));
    for (slug, title) in signed.chain(wrote).chain(stopped) {
        let id: Option<String> = actions::table
            .filter(actions::slug.eq(slug))
            .select(actions::id)
            .first(conn)
            .optional()?;
        if let Some(id) = id {
            super::translations::of(conn, "action", &id, lang)?.apply("title", title);
        }
    }
    Ok(())
}
