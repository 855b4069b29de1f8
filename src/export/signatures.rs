//! The signature CSV: DESIGN.md's columns, one page at a time, the same bytes for the
//! HTTP export, the command line and the report's digest.

use std::io::Write;

use crate::db::exports::{self, Cursor, ExportRow, SignatureFilter};
use crate::db::{DbConnection, DbError};

use super::{neutral, rfc3339};

pub const COLUMNS: [&str; 13] = [
    "signature_id",
    "first_name",
    "last_name",
    "email",
    "country",
    "postcode",
    "comment",
    "consent_updates",
    "consent_version",
    "status",
    "created_at",
    "confirmed_at",
    "source",
];

/// Rows read per page: large enough to stream fast, small enough to keep memory flat.
pub const PAGE: i64 = 10_000;

fn writer(out: &mut Vec<u8>) -> csv::Writer<&mut Vec<u8>> {
    csv::WriterBuilder::new()
        .has_headers(false)
        .terminator(csv::Terminator::CRLF)
        .from_writer(out)
}

/// The header line, after a UTF-8 byte-order mark when asked (for Excel).
pub fn header(bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    if bom {
        out.extend_from_slice(b"\xEF\xBB\xBF");
    }
    let mut w = writer(&mut out);
    // Writing to memory cannot fail.
    let _ = w.write_record(COLUMNS);
    drop(w);
    out
}

/// Appends `rows` as CSV records to `out`.
pub fn encode(rows: &[ExportRow], out: &mut Vec<u8>) {
    let mut w = writer(out);
    for r in rows {
        let created = rfc3339(r.created_at);
        let confirmed = r.confirmed_at.map(rfc3339).unwrap_or_default();
        let _ = w.write_record([
            r.id.as_str(),
            &neutral(&r.first_name),
            &neutral(&r.last_name),
            &neutral(&r.email),
            r.country_code.as_str(),
            &neutral(&r.postcode),
            &neutral(&r.comment),
            if r.consent_updates { "true" } else { "false" },
            &neutral(&r.consent_version),
            r.status.as_str(),
            created.as_str(),
            confirmed.as_str(),
            r.source.as_deref().unwrap_or(""),
        ]);
    }
}

/// One page of CSV after `cursor`: its bytes, its row count and where the next starts
/// (`None` when this was the last page).
pub fn page(
    conn: &mut DbConnection,
    action_id: &str,
    filter: &SignatureFilter,
    cursor: Option<&Cursor>,
) -> Result<(Vec<u8>, usize, Option<Cursor>), DbError> {
    let rows = exports::signature_page(conn, action_id, filter, cursor, PAGE)?;
    let mut out = Vec::with_capacity(rows.len() * 160);
    encode(&rows, &mut out);
    let next = (rows.len() as i64 == PAGE)
        .then(|| rows.last().map(|r| (r.created_at, r.id.clone())))
        .flatten();
    Ok((out, rows.len(), next))
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("cannot write the export: {0}")]
    Io(#[from] std::io::Error),
}

/// Writes the whole export to `out`; `progress(rows so far)` after each page. Answers the
/// number of rows written.
pub fn write_all(
    conn: &mut DbConnection,
    action_id: &str,
    filter: &SignatureFilter,
    bom: bool,
    out: &mut impl Write,
    mut progress: impl FnMut(u64),
) -> Result<u64, ExportError> {
    out.write_all(&header(bom))?;
    let mut cursor = None;
    let mut total = 0u64;
    loop {
        let (bytes, rows, next) = page(conn, action_id, filter, cursor.as_ref())?;
        out.write_all(&bytes)?;
        total += rows as u64;
        progress(total);
        match next {
            Some(next) => cursor = Some(next),
            None => return Ok(total),
        }
    }
}
