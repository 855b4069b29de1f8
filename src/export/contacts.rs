//! A contact action's exports: letters per target, and the messages themselves.

use crate::db::exports::{self, Cursor};
use crate::db::letters::TargetDelivery;
use crate::db::{DbConnection, DbError};

use super::{neutral, rfc3339, writer, ExportError};

pub const MESSAGE_COLUMNS: [&str; 11] = [
    "message_id",
    "supporter",
    "email",
    "country",
    "postcode",
    "targets",
    "subject",
    "created_at",
    "confirmed_at",
    "status",
    "partner",
];

const PAGE: i64 = 5_000;

/// letters.csv: one row per target.
pub fn letters(rows: &[TargetDelivery]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut w = writer(&mut out);
    let _ = w.write_record([
        "target",
        "country",
        "political_group",
        "letters_sent",
        "letters_failed",
        "letters_queued",
        "letters_prepared",
    ]);
    for r in rows {
        let _ = w.write_record([
            &*neutral(&r.name),
            r.country_code.as_str(),
            &neutral(&r.political_group),
            &r.sent.to_string(),
            &r.failed.to_string(),
            &r.queued.to_string(),
            &r.prepared.to_string(),
        ]);
    }
    drop(w);
    out
}

pub fn message_header() -> Vec<u8> {
    super::header_of(&MESSAGE_COLUMNS, false)
}

/// One page of messages.csv after `cursor`, as for the signature export.
pub fn message_page(
    conn: &mut DbConnection,
    action_id: &str,
    cursor: Option<&Cursor>,
) -> Result<(Vec<u8>, usize, Option<Cursor>), DbError> {
    let rows = exports::message_page(conn, action_id, cursor, PAGE)?;
    let mut out = Vec::new();
    let mut w = writer(&mut out);
    for (m, targets) in &rows {
        let supporter = format!("{} {}", m.first_name, m.last_name);
        let _ = w.write_record([
            m.id.as_str(),
            &neutral(&supporter),
            &neutral(&m.email),
            m.country_code.as_str(),
            &neutral(&m.postcode),
            &neutral(&targets.join("; ")),
            &neutral(&m.subject),
            &rfc3339(m.created_at),
            &m.confirmed_at.map(rfc3339).unwrap_or_default(),
            m.status.as_str(),
            m.partner.as_deref().unwrap_or(""),
        ]);
    }
    drop(w);
    let next = (rows.len() as i64 == PAGE)
        .then(|| rows.last().map(|(m, _)| (m.created_at, m.id.clone())))
        .flatten();
    Ok((out, rows.len(), next))
}

/// Every message of `action_id`, encoded page by page to `sink`, as for signatures.
pub fn stream_messages(
    conn: &mut DbConnection,
    action_id: &str,
    mut sink: impl FnMut(Vec<u8>, u64) -> Result<(), ExportError>,
) -> Result<u64, ExportError> {
    let (mut cursor, mut total) = (None, 0u64);
    loop {
        let (bytes, rows, next) = message_page(conn, action_id, cursor.as_ref())?;
        total += rows as u64;
        sink(bytes, total)?;
        match next {
            Some(next) => cursor = Some(next),
            None => return Ok(total),
        }
    }
}
