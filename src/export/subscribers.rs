//! The newsletter's subscribers as CSV (docs/CONTRACT.md, "Exports"), one page at a time.

use crate::db::subscriber_list::{self, Listed};
use crate::db::DbConnection;

use super::{neutral, rfc3339_bytes, writer, ExportError};

pub const COLUMNS: [&str; 9] = [
    "email",
    "first_name",
    "country",
    "language",
    "status",
    "consent_version",
    "subscribed_at",
    "confirmed_at",
    "source",
];

const PAGE: i64 = 5_000;

/// The header line, after a UTF-8 byte-order mark when asked (for Excel).
pub fn header(bom: bool) -> Vec<u8> {
    super::header_of(&COLUMNS, bom)
}

fn encode(rows: &[Listed], out: &mut Vec<u8>) {
    let mut w = writer(out);
    for r in rows {
        let subscribed = rfc3339_bytes(r.created_at);
        let confirmed = r.confirmed_at.map(rfc3339_bytes);
        let _ = w.write_record([
            neutral(&r.email).as_bytes(),
            neutral(&r.first_name).as_bytes(),
            r.country_code.as_bytes(),
            r.language.as_bytes(),
            r.status.as_bytes(),
            neutral(&r.consent_version).as_bytes(),
            &subscribed,
            confirmed.as_ref().map_or(&b""[..], |c| &c[..]),
            neutral(&r.source).as_bytes(),
        ]);
    }
}

/// Every subscriber, page by page into `sink` (bytes, rows so far); answers the count.
pub fn stream(
    conn: &mut DbConnection,
    mut sink: impl FnMut(Vec<u8>, u64) -> Result<(), ExportError>,
) -> Result<u64, ExportError> {
    let (mut after, mut total) = (None::<String>, 0u64);
    loop {
        let rows = subscriber_list::page_after(conn, after.as_deref(), PAGE)?;
        let Some(last) = rows.last() else {
            return Ok(total);
        };
        after = Some(last.id.clone());
        total += rows.len() as u64;
        let mut out = Vec::new();
        encode(&rows, &mut out);
        sink(out, total)?;
    }
}
