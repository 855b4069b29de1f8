//! The one reminder: a signature or letter still pending `after` it was made gets one
//! email with a new link, in its supporter's language. Never a second (a conditional
//! update sets `reminded_at`, so nodes working at once send one), never for a held row,
//! never once the action closed or the link's window has passed. The outbox worker
//! runs it every min(after / 2, 60 s).

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use super::messages::{queued_confirmation, Confirmation};
use super::site::Site;
use crate::db::schema::{actions, messages, signatures};
use crate::db::{self, outbox, translations, DbConnection, DbError};
use crate::domain::secrets;
use crate::domain::status::SignatureStatus;
use crate::i18n::Lang;

/// Rows looked at in one run, newest first: rows past their window come last.
const BATCH: i64 = 200;

/// How often the reminders are looked for.
pub fn every(after: TimeDelta) -> std::time::Duration {
    crate::config::periods::half_within(after)
}

/// A row due for its reminder: id, email, first name, language, action id and title,
/// when it was made, and its action's confirmation window in days.
type Due = (
    String,
    String,
    String,
    String,
    String,
    String,
    NaiveDateTime,
    i32,
);

/// Queues the reminders due at `now`; answers how many.
pub fn run(
    conn: &mut DbConnection,
    site: &Site,
    after: TimeDelta,
    now: NaiveDateTime,
) -> Result<usize, DbError> {
    let open = || {
        actions::status
            .eq("open")
            .and(actions::deadline.is_null().or(actions::deadline.gt(now)))
    };
    let signed: Vec<Due> = signatures::table
        .inner_join(actions::table)
        .filter(signatures::status.eq(SignatureStatus::Pending))
        .filter(signatures::reminded_at.is_null())
        .filter(signatures::created_at.le(now - after))
        .filter(open())
        .order(signatures::created_at.desc())
        .limit(BATCH)
        .select((
            signatures::id,
            signatures::email,
            signatures::first_name,
            signatures::language,
            actions::id,
            actions::title,
            signatures::created_at,
            actions::confirm_window_days,
        ))
        .load(conn)?;
    let wrote: Vec<Due> = messages::table
        .inner_join(actions::table)
        .filter(messages::status.eq(SignatureStatus::Pending))
        .filter(messages::reminded_at.is_null())
        .filter(messages::created_at.le(now - after))
        .filter(open())
        .order(messages::created_at.desc())
        .limit(BATCH)
        .select((
            messages::id,
            messages::email,
            messages::first_name,
            messages::language,
            actions::id,
            actions::title,
            messages::created_at,
            actions::confirm_window_days,
        ))
        .load(conn)?;
    let mut sent = 0;
    let still_open = |row: &Due| now <= row.6 + TimeDelta::days(i64::from(row.7));
    for row in signed.iter().filter(|r| still_open(r)) {
        sent += usize::from(remind(
            conn,
            site,
            row,
            Confirmation::SignatureReminder,
            now,
        )?);
    }
    for row in wrote.iter().filter(|r| still_open(r)) {
        sent += usize::from(remind(conn, site, row, Confirmation::MessageReminder, now)?);
    }
    Ok(sent)
}

/// Gives `row` a new link and queues its reminder, unless another node did first.
fn remind(
    conn: &mut DbConnection,
    site: &Site,
    row: &Due,
    which: Confirmation,
    now: NaiveDateTime,
) -> Result<bool, DbError> {
    let (id, email, first_name, language, action_id, title, _, _) = row;
    let lang = Lang::parse(language).unwrap_or_default();
    let (token, token_hash) = secrets::new_token();
    let letter = which == Confirmation::MessageReminder;
    let path = if letter { "messages" } else { "signatures" };
    let link = format!("{}{}/{path}/confirm/{token}", site.base_url, lang.prefix());
    db::write_transaction(conn, |conn| {
        let changed = if letter {
            diesel::update(
                messages::table
                    .find(id)
                    .filter(messages::status.eq(SignatureStatus::Pending))
                    .filter(messages::reminded_at.is_null()),
            )
            .set((
                messages::reminded_at.eq(now),
                messages::token_hash.eq(&token_hash),
                messages::emails_sent.eq(messages::emails_sent + 1),
            ))
            .execute(conn)?
        } else {
            diesel::update(
                signatures::table
                    .find(id)
                    .filter(signatures::status.eq(SignatureStatus::Pending))
                    .filter(signatures::reminded_at.is_null()),
            )
            .set((
                signatures::reminded_at.eq(now),
                signatures::token_hash.eq(&token_hash),
                signatures::emails_sent.eq(signatures::emails_sent + 1),
            ))
            .execute(conn)?
        };
        if changed == 0 {
            return Ok(false);
        }
        let mut title = title.clone();
        translations::of(conn, "action", action_id, lang)?.apply("title", &mut title);
        let mut mail = queued_confirmation(lang, which, email, &title, first_name, &link, now);
        if letter {
            mail.message_id = Some(id.clone());
        } else {
            mail.signature_id = Some(id.clone());
        }
        outbox::enqueue(conn, &mail)?;
        Ok(true)
    })
}
