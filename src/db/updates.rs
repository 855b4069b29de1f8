//! Updates to supporters: what staff tell an action's supporters after it (delivered,
//! answered). Posting one stores its texts per language and, when staff choose, queues
//! one email (kind `update`) per address among the action's confirmed signers and
//! writers who asked for news, in the same transaction: each address once, in the
//! language of its newest signature or letter. The emails go through the mailings'
//! lane (`mailing_id` is the update's id), so they are paced, wait behind no
//! confirmation, and carry a one-click way out (`email/updates.rs`).

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::{action_update_texts, action_updates, update_optouts};
use super::{DbConnection, DbError};
use crate::domain::status::OutboxStatus;
use crate::i18n::Lang;

mod readers;
use readers::queue;
pub use readers::{left_among, readers, Reader};

/// The outbox kind of an update's emails.
pub const KIND: &str = "update";

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = action_updates)]
pub struct Update {
    pub id: String,
    pub action_id: String,
    pub kind: String,
    pub digest: String,
    pub handed_over: Option<i64>,
    pub handed_on: Option<NaiveDate>,
    pub emailed: bool,
    pub recipients: i32,
    pub published_at: NaiveDateTime,
}

/// An update's texts, one per language staff wrote it in.
pub type Texts = Vec<(Lang, UpdateText)>;

/// An update's title and Markdown text in one language.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UpdateText {
    pub title: String,
    pub body_md: String,
}

/// What a "delivered" update keeps of the list handed over: its SHA-256 digest, its
/// rows, and the day it was handed over when staff recorded it with that digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handed {
    pub digest: String,
    pub rows: i64,
    pub on: Option<NaiveDate>,
}

/// A new update of `action_id`.
pub struct NewUpdate<'a> {
    pub action_id: &'a str,
    pub staff_id: &'a str,
    pub kind: &'a str,
    pub texts: &'a [(Lang, UpdateText)],
    pub handed: Option<Handed>,
    /// Email it to the action's supporters who asked for news.
    pub email: bool,
}

/// Stores `new` and, if asked, queues its emails; answers its id and how many emails.
pub fn publish(
    conn: &mut DbConnection,
    new: &NewUpdate,
    now: NaiveDateTime,
) -> Result<(String, usize), DbError> {
    let id = super::new_id();
    super::write_transaction(conn, |conn| {
        let handed = new.handed.as_ref();
        diesel::insert_into(action_updates::table)
            .values((
                action_updates::id.eq(&id),
                action_updates::action_id.eq(new.action_id),
                action_updates::kind.eq(new.kind),
                action_updates::digest.eq(handed.map_or("", |h| h.digest.as_str())),
                action_updates::handed_over.eq(handed.map(|h| h.rows)),
                action_updates::handed_on.eq(handed.and_then(|h| h.on)),
                action_updates::emailed.eq(new.email),
                action_updates::recipients.eq(0),
                action_updates::created_by.eq(new.staff_id),
                action_updates::published_at.eq(now),
            ))
            .execute(conn)?;
        for (lang, text) in new.texts {
            diesel::insert_into(action_update_texts::table)
                .values((
                    action_update_texts::update_id.eq(&id),
                    action_update_texts::language.eq(lang.code()),
                    action_update_texts::title.eq(&text.title),
                    action_update_texts::body_md.eq(&text.body_md),
                ))
                .execute(conn)?;
        }
        let queued = if new.email {
            queue(conn, &id, new.action_id, now)?
        } else {
            0
        };
        diesel::update(action_updates::table.find(&id))
            .set(action_updates::recipients.eq(queued as i32))
            .execute(conn)?;
        Ok((id.clone(), queued))
    })
}

/// The texts of update `id` in each language it has.
pub fn texts(conn: &mut DbConnection, id: &str) -> Result<Vec<(Lang, UpdateText)>, DbError> {
    Ok(texts_of(conn, &[id.to_string()])?
        .remove(id)
        .unwrap_or_default())
}

fn texts_of(
    conn: &mut DbConnection,
    ids: &[String],
) -> Result<HashMap<String, Vec<(Lang, UpdateText)>>, DbError> {
    let rows: Vec<(String, String, String, String)> = action_update_texts::table
        .filter(action_update_texts::update_id.eq_any(ids))
        .select((
            action_update_texts::update_id,
            action_update_texts::language,
            action_update_texts::title,
            action_update_texts::body_md,
        ))
        .load(conn)?;
    let mut by_update: HashMap<String, Vec<(Lang, UpdateText)>> = HashMap::new();
    for (id, lang, title, body_md) in rows {
        if let Some(lang) = Lang::parse(&lang) {
            by_update
                .entry(id)
                .or_default()
                .push((lang, UpdateText { title, body_md }));
        }
    }
    Ok(by_update)
}

/// Update `id`, if it exists.
pub fn find(conn: &mut DbConnection, id: &str) -> Result<Option<Update>, DbError> {
    Ok(action_updates::table
        .find(id)
        .select(Update::as_select())
        .first(conn)
        .optional()?)
}

/// Every update of `action_id`, newest first, with its texts.
pub fn of_action(
    conn: &mut DbConnection,
    action_id: &str,
) -> Result<Vec<(Update, Texts)>, DbError> {
    let updates: Vec<Update> = action_updates::table
        .filter(action_updates::action_id.eq(action_id))
        .order(action_updates::published_at.desc())
        .select(Update::as_select())
        .load(conn)?;
    let ids: Vec<String> = updates.iter().map(|u| u.id.clone()).collect();
    let mut texts = texts_of(conn, &ids)?;
    Ok(updates
        .into_iter()
        .map(|u| {
            let t = texts.remove(&u.id).unwrap_or_default();
            (u, t)
        })
        .collect())
}

/// An update as an action's page shows it, in the page's language.
#[derive(Debug, Clone)]
pub struct Shown {
    pub update: Update,
    pub text: UpdateText,
    /// Staff wrote it in the page's language (else it is shown in English).
    pub translated: bool,
}

/// `action_id`'s updates in `lang`, newest first.
pub fn timeline(
    conn: &mut DbConnection,
    action_id: &str,
    lang: Lang,
) -> Result<Vec<Shown>, DbError> {
    Ok(of_action(conn, action_id)?
        .into_iter()
        .map(|(update, texts)| {
            let (text, translated) = text_in(&texts, lang);
            Shown {
                update,
                text,
                translated,
            }
        })
        .collect())
}

/// The text of `texts` in `lang`, else in English; and whether it is `lang`'s own.
pub fn text_in(texts: &[(Lang, UpdateText)], lang: Lang) -> (UpdateText, bool) {
    let find = |l: Lang| texts.iter().find(|(t, _)| *t == l).map(|(_, t)| t.clone());
    match find(lang).filter(|t| !t.title.trim().is_empty()) {
        Some(text) => (text, true),
        None => (find(Lang::En).unwrap_or_default(), lang == Lang::En),
    }
}

/// How many of update `id`'s emails stand in each outbox status.
pub fn results(conn: &mut DbConnection, id: &str) -> Result<Vec<(OutboxStatus, i64)>, DbError> {
    super::outbox::by_status(conn, id, KIND)
}

/// Stops `action_id`'s updates to `canonical`; answers whether it was new.
pub fn opt_out(
    conn: &mut DbConnection,
    canonical: &str,
    action_id: &str,
    now: NaiveDateTime,
) -> Result<bool, DbError> {
    use diesel::result::{DatabaseErrorKind, Error as DieselError};
    let added = diesel::insert_into(update_optouts::table)
        .values((
            update_optouts::email_canonical.eq(canonical),
            update_optouts::action_id.eq(action_id),
            update_optouts::created_at.eq(now),
        ))
        .execute(conn);
    match added {
        Ok(_) => Ok(true),
        // Asked twice (or by two clicks at once): the first stands.
        Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => Ok(false),
        Err(e) => Err(e.into()),
    }
}
