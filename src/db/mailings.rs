//! Mailings: an article sent to the newsletter's subscribers. Starting one queues one
//! outbox row (kind `mailing`) per subscribed address in one transaction, so each
//! subscriber is queued once, people who join later are not added, and a restart goes
//! on from the rows still pending. The bulk worker renders and sends them
//! (`email/mailing.rs`); pausing moves the pending rows out of reach, cancelling gives
//! them up.

use chrono::NaiveDateTime;
use diesel::dsl::count_star;
use diesel::prelude::*;
use diesel::sql_types::{Integer, Nullable, Text, Timestamp};

use super::schema::{mailing_texts, mailings, outbox, subscribers, suppressions};
use super::{DbConnection, DbError};
use crate::domain::status::{OutboxStatus, SubscriberStatus};
use crate::i18n::Lang;

/// The outbox kind of a mailing's emails.
pub const KIND: &str = "mailing";

/// Where paused emails wait: far enough that no worker claims them.
fn paused_until() -> NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(9999, 1, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .expect("a valid date")
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = mailings)]
pub struct Mailing {
    pub id: String,
    pub article_id: String,
    pub status: String,
    pub send_at: Option<NaiveDateTime>,
    pub recipients: i32,
    pub created_at: NaiveDateTime,
    pub started_at: Option<NaiveDateTime>,
    pub finished_at: Option<NaiveDateTime>,
}

/// A subject and introduction in one language.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MailingText {
    pub subject: String,
    pub intro: String,
}

/// Creates a draft mailing of `article_id` with its texts per language.
pub fn create(
    conn: &mut DbConnection,
    article_id: &str,
    staff_id: &str,
    texts: &[(Lang, MailingText)],
    now: NaiveDateTime,
) -> Result<String, DbError> {
    let id = super::new_id();
    super::write_transaction(conn, |conn| {
        diesel::insert_into(mailings::table)
            .values((
                mailings::id.eq(&id),
                mailings::article_id.eq(article_id),
                mailings::status.eq("draft"),
                mailings::recipients.eq(0),
                mailings::created_by.eq(staff_id),
                mailings::created_at.eq(now),
                mailings::updated_at.eq(now),
            ))
            .execute(conn)?;
        save_texts_in(conn, &id, texts)
    })?;
    Ok(id)
}

fn save_texts_in(
    conn: &mut DbConnection,
    id: &str,
    texts: &[(Lang, MailingText)],
) -> Result<(), DbError> {
    for (lang, text) in texts {
        let row = mailing_texts::table
            .filter(mailing_texts::mailing_id.eq(id))
            .filter(mailing_texts::language.eq(lang.code()));
        diesel::delete(row).execute(conn)?;
        diesel::insert_into(mailing_texts::table)
            .values((
                mailing_texts::mailing_id.eq(id),
                mailing_texts::language.eq(lang.code()),
                mailing_texts::subject.eq(&text.subject),
                mailing_texts::intro.eq(&text.intro),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Changes the texts of a mailing not started yet; answers whether it could.
pub fn save_texts(
    conn: &mut DbConnection,
    id: &str,
    texts: &[(Lang, MailingText)],
    now: NaiveDateTime,
) -> Result<bool, DbError> {
    super::write_transaction(conn, |conn| {
        let changed = diesel::update(
            mailings::table
                .find(id)
                .filter(mailings::status.eq_any(["draft", "scheduled"])),
        )
        .set(mailings::updated_at.eq(now))
        .execute(conn)?;
        if changed == 1 {
            save_texts_in(conn, id, texts)?;
        }
        Ok(changed == 1)
    })
}

pub fn find(conn: &mut DbConnection, id: &str) -> Result<Option<Mailing>, DbError> {
    Ok(mailings::table
        .find(id)
        .select(Mailing::as_select())
        .first(conn)
        .optional()?)
}

/// Every mailing, newest first.
pub fn all(conn: &mut DbConnection) -> Result<Vec<Mailing>, DbError> {
    Ok(mailings::table
        .order(mailings::created_at.desc())
        .select(Mailing::as_select())
        .load(conn)?)
}

/// The texts of mailing `id` in each language it has.
pub fn texts(conn: &mut DbConnection, id: &str) -> Result<Vec<(Lang, MailingText)>, DbError> {
    let rows: Vec<(String, String, String)> = mailing_texts::table
        .filter(mailing_texts::mailing_id.eq(id))
        .select((
            mailing_texts::language,
            mailing_texts::subject,
            mailing_texts::intro,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(lang, subject, intro)| {
            Some((Lang::parse(&lang)?, MailingText { subject, intro }))
        })
        .collect())
}

/// Starts mailing `id` (a draft, or a scheduled one) now: one outbox row per subscribed
/// address, in one transaction. Answers how many, or `None` when it had started already.
pub fn start(
    conn: &mut DbConnection,
    id: &str,
    now: NaiveDateTime,
) -> Result<Option<i64>, DbError> {
    super::write_transaction(conn, |conn| {
        let taken = diesel::update(
            mailings::table
                .find(id)
                .filter(mailings::status.eq_any(["draft", "scheduled"])),
        )
        .set((
            mailings::status.eq("sending"),
            mailings::started_at.eq(now),
            mailings::updated_at.eq(now),
        ))
        .execute(conn)?;
        if taken == 0 {
            return Ok(None);
        }
        // Each row's id names its mailing and subscriber: queued twice, it would collide.
        let suppressed = suppressions::table.select(suppressions::email_canonical);
        let rows = subscribers::table
            .filter(subscribers::status.eq(SubscriberStatus::Subscribed.as_str()))
            .filter(diesel::dsl::not(
                subscribers::email_canonical.eq_any(suppressed),
            ))
            .select((
                format!("{id}:").into_sql::<Text>().concat(subscribers::id),
                KIND.into_sql::<Text>(),
                subscribers::email,
                "".into_sql::<Text>(),
                "".into_sql::<Text>(),
                OutboxStatus::Pending.as_str().into_sql::<Text>(),
                0.into_sql::<Integer>(),
                now.into_sql::<Timestamp>(),
                now.into_sql::<Timestamp>(),
                Some(id.to_string()).into_sql::<Nullable<Text>>(),
                subscribers::id.nullable(),
            ));
        let queued = diesel::insert_into(outbox::table)
            .values(rows)
            .into_columns((
                outbox::id,
                outbox::kind,
                outbox::to_address,
                outbox::subject,
                outbox::body_text,
                outbox::status,
                outbox::attempts,
                outbox::next_attempt_at,
                outbox::created_at,
                outbox::mailing_id,
                outbox::subscriber_id,
            ))
            .execute(conn)? as i64;
        diesel::update(mailings::table.find(id))
            .set(mailings::recipients.eq(queued as i32))
            .execute(conn)?;
        Ok(Some(queued))
    })
}

/// Sets a draft to start at `at` (the bulk worker starts it then).
pub fn schedule(conn: &mut DbConnection, id: &str, at: NaiveDateTime) -> Result<bool, DbError> {
    let changed = diesel::update(
        mailings::table
            .find(id)
            .filter(mailings::status.eq_any(["draft", "scheduled"])),
    )
    .set((
        mailings::status.eq("scheduled"),
        mailings::send_at.eq(at),
        mailings::updated_at.eq(super::now()),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Starts every scheduled mailing whose time came (one node wins each).
pub fn start_due(conn: &mut DbConnection, now: NaiveDateTime) -> Result<usize, DbError> {
    let due: Vec<String> = mailings::table
        .filter(mailings::status.eq("scheduled"))
        .filter(mailings::send_at.le(now))
        .select(mailings::id)
        .load(conn)?;
    let mut started = 0;
    for id in due {
        started += usize::from(start(conn, &id, now)?.is_some());
    }
    Ok(started)
}

/// Pauses, resumes or cancels a mailing: its pending emails wait, come due again, or
/// are given up. Emails a worker holds already still go. Answers whether it applied.
pub fn control(
    conn: &mut DbConnection,
    id: &str,
    action: Control,
    now: NaiveDateTime,
) -> Result<bool, DbError> {
    let (from, to): (&[&str], &str) = match action {
        Control::Pause => (&["sending"], "paused"),
        Control::Resume => (&["paused"], "sending"),
        Control::Cancel => (&["draft", "scheduled", "sending", "paused"], "cancelled"),
    };
    super::write_transaction(conn, |conn| {
        let changed = diesel::update(
            mailings::table
                .find(id)
                .filter(mailings::status.eq_any(from)),
        )
        .set((mailings::status.eq(to), mailings::updated_at.eq(now)))
        .execute(conn)?;
        if changed == 0 {
            return Ok(false);
        }
        let pending = outbox::table
            .filter(outbox::mailing_id.eq(id))
            .filter(outbox::status.eq(OutboxStatus::Pending));
        match action {
            Control::Pause => diesel::update(pending)
                .set(outbox::next_attempt_at.eq(paused_until()))
                .execute(conn)?,
            Control::Resume => diesel::update(pending)
                .set(outbox::next_attempt_at.eq(now))
                .execute(conn)?,
            Control::Cancel => diesel::update(pending)
                .set((
                    outbox::status.eq(OutboxStatus::Failed),
                    outbox::last_error.eq("mailing cancelled"),
                ))
                .execute(conn)?,
        };
        Ok(true)
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control {
    Pause,
    Resume,
    Cancel,
}

/// Marks `sent` every sending mailing with no email left to send (its rows were all
/// queued when it started, so none can appear after the count).
pub fn finish_done(conn: &mut DbConnection, now: NaiveDateTime) -> Result<usize, DbError> {
    let sending: Vec<String> = mailings::table
        .filter(mailings::status.eq("sending"))
        .select(mailings::id)
        .load(conn)?;
    let mut finished = 0;
    for id in sending {
        let waiting: i64 = outbox::table
            .filter(outbox::mailing_id.eq(&id))
            .filter(outbox::status.eq_any([OutboxStatus::Pending, OutboxStatus::Sending]))
            .count()
            .get_result(conn)?;
        if waiting > 0 {
            continue;
        }
        finished += diesel::update(
            mailings::table
                .find(&id)
                .filter(mailings::status.eq("sending")),
        )
        .set((
            mailings::status.eq("sent"),
            mailings::finished_at.eq(now),
            mailings::updated_at.eq(now),
        ))
        .execute(conn)?;
    }
    Ok(finished)
}

/// How many of a mailing's emails stand in each outbox status.
pub fn results(conn: &mut DbConnection, id: &str) -> Result<Vec<(OutboxStatus, i64)>, DbError> {
    super::outbox::by_status(conn, id, KIND)
}

/// `id` if a mailing has it: what a link's `?mailing=` may record.
pub fn existing(conn: &mut DbConnection, id: &str) -> Result<Option<String>, DbError> {
    Ok(mailings::table
        .find(id)
        .select(mailings::id)
        .first(conn)
        .optional()?)
}

/// The signatures and the letters that came through mailing `id`, by status.
pub fn brought(conn: &mut DbConnection, id: &str) -> Result<Brought, DbError> {
    use super::schema::{messages, signatures};
    Ok(Brought {
        signatures: signatures::table
            .filter(signatures::mailing_id.eq(id))
            .group_by(signatures::status)
            .select((signatures::status, count_star()))
            .load(conn)?,
        letters: messages::table
            .filter(messages::mailing_id.eq(id))
            .group_by(messages::status)
            .select((messages::status, count_star()))
            .load(conn)?,
    })
}

/// What a mailing's links brought, by status (`signatures.status`, `messages.status`).
#[derive(Debug, Default)]
pub struct Brought {
    pub signatures: Vec<(String, i64)>,
    pub letters: Vec<(String, i64)>,
}

/// The article a mailing sends, as the public reads it.
pub fn article(
    conn: &mut DbConnection,
    article_id: &str,
) -> Result<Option<super::articles::Article>, DbError> {
    use super::schema::articles;
    Ok(articles::table
        .find(article_id)
        .select(super::articles::Article::as_select())
        .first(conn)
        .optional()?)
}

/// Who left through mailing `id`: subscribers it saw unsubscribe or bounce, by status.
pub fn left_through(conn: &mut DbConnection, id: &str) -> Result<Vec<(String, i64)>, DbError> {
    Ok(subscribers::table
        .filter(subscribers::left_mailing_id.eq(id))
        .group_by(subscribers::status)
        .select((subscribers::status, count_star()))
        .load(conn)?)
}
