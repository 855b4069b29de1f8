//! Who an update reaches: each address once among an action's confirmed signers and
//! writers who asked for news, leaving out those who opted out of its news, are
//! suppressed, or left the organisation's emails; and queueing their emails.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::KIND;
use crate::db::schema::{messages, outbox, signatures, subscribers, suppressions, update_optouts};
use crate::db::{DbConnection, DbError};
use crate::domain::status::{SignatureStatus, SubscriberStatus};

/// One of an action's supporters who asked for news: their newest confirmed signature
/// or letter (its language and name are the email's, read when it is sent). Only what
/// queueing needs, so that an update to 100,000 people stays small in memory.
#[derive(Debug, Clone)]
pub struct Reader {
    pub email: String,
    pub email_canonical: String,
    pub signature_id: Option<String>,
    pub message_id: Option<String>,
    created_at: NaiveDateTime,
}

type ReaderRow = (String, String, String, NaiveDateTime);

/// Who would receive an update of `action_id` now: one per address, newest record first
/// chosen, leaving out addresses that opted out of its updates, are suppressed, or left
/// the organisation's emails (newsletter unsubscribed or bounced).
pub fn readers(conn: &mut DbConnection, action_id: &str) -> Result<Vec<Reader>, DbError> {
    let confirmed = SignatureStatus::Confirmed.as_str();
    let signed: Vec<ReaderRow> = signatures::table
        .filter(signatures::action_id.eq(action_id))
        .filter(signatures::status.eq(confirmed))
        .filter(signatures::consent_updates.eq(true))
        .select((
            signatures::id,
            signatures::email,
            signatures::email_canonical,
            signatures::created_at,
        ))
        .load(conn)?;
    let wrote: Vec<ReaderRow> = messages::table
        .filter(messages::action_id.eq(action_id))
        .filter(messages::status.eq(confirmed))
        .filter(messages::consent_updates.eq(true))
        .select((
            messages::id,
            messages::email,
            messages::email_canonical,
            messages::created_at,
        ))
        .load(conn)?;
    let mut newest: HashMap<String, Reader> = HashMap::new();
    let rows = signed
        .into_iter()
        .map(|r| (r, true))
        .chain(wrote.into_iter().map(|r| (r, false)));
    for ((id, email, canonical, created_at), is_signature) in rows {
        if email.is_empty() {
            continue;
        }
        let reader = Reader {
            signature_id: is_signature.then(|| id.clone()),
            message_id: (!is_signature).then_some(id),
            email,
            email_canonical: canonical.clone(),
            created_at,
        };
        match newest.get(&canonical) {
            Some(kept) if kept.created_at >= reader.created_at => {}
            _ => {
                newest.insert(canonical, reader);
            }
        }
    }
    let addresses: Vec<String> = newest.keys().cloned().collect();
    let left = left_among(conn, action_id, &addresses)?;
    let mut readers: Vec<Reader> = newest
        .into_values()
        .filter(|r| !left.contains(&r.email_canonical))
        .collect();
    readers.sort_by(|a, b| a.email_canonical.cmp(&b.email_canonical));
    Ok(readers)
}

/// Which of `addresses` must not receive `action_id`'s updates: opted out of them,
/// suppressed, or gone from the organisation's emails.
pub fn left_among(
    conn: &mut DbConnection,
    action_id: &str,
    addresses: &[String],
) -> Result<HashSet<String>, DbError> {
    let mut left = HashSet::new();
    let gone = [
        SubscriberStatus::Unsubscribed.as_str(),
        SubscriberStatus::Bounced.as_str(),
    ];
    // Well under every backend's limit of bound values.
    for chunk in addresses.chunks(500) {
        left.extend(
            update_optouts::table
                .filter(update_optouts::action_id.eq(action_id))
                .filter(update_optouts::email_canonical.eq_any(chunk))
                .select(update_optouts::email_canonical)
                .load::<String>(conn)?,
        );
        left.extend(
            suppressions::table
                .filter(suppressions::email_canonical.eq_any(chunk))
                .select(suppressions::email_canonical)
                .load::<String>(conn)?,
        );
        left.extend(
            subscribers::table
                .filter(subscribers::email_canonical.eq_any(chunk))
                .filter(subscribers::status.eq_any(gone))
                .select(subscribers::email_canonical)
                .load::<String>(conn)?,
        );
    }
    Ok(left)
}

/// Queues update `id`'s emails, one per reader; answers how many.
pub(super) fn queue(
    conn: &mut DbConnection,
    id: &str,
    action_id: &str,
    now: NaiveDateTime,
) -> Result<usize, DbError> {
    let readers = readers(conn, action_id)?;
    let email_of = |r: &Reader| {
        let mut email =
            crate::db::outbox::NewEmail::new(KIND, &r.email, "".into(), "".into(), None, now);
        // Named after its update and record: queued twice, it would collide.
        let record = r.signature_id.as_deref().or(r.message_id.as_deref());
        email.id = format!("{id}:{}", record.unwrap_or_default());
        email.mailing_id = Some(id.to_string());
        email.signature_id = r.signature_id.clone();
        email.message_id = r.message_id.clone();
        email
    };
    // A chunk's rows at a time; the shared connection type cannot insert many rows at
    // once, both backends can.
    for chunk in readers.chunks(200) {
        let rows: Vec<_> = chunk.iter().map(email_of).collect();
        match conn {
            DbConnection::Sqlite(c) => diesel::insert_into(outbox::table)
                .values(&rows)
                .execute(c)?,
            DbConnection::Postgresql(c) => diesel::insert_into(outbox::table)
                .values(&rows)
                .execute(c)?,
        };
    }
    Ok(readers.len())
}
