//! The signature CSV: the columns of docs/CONTRACT.md ("Exports"), one page at a time, the same bytes for the
//! HTTP export, the command line and the report's digest.

use std::io::Write;

use crate::db::exports::{self, Cursor, ExportRow, SignatureFilter};
use crate::db::{DbConnection, DbError};

use super::{neutral, rfc3339_bytes, writer, ExportError};

pub const COLUMNS: [&str; 15] = [
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
    "language",
    "partner",
];

/// Rows read per page: large enough to stream fast, small enough to keep memory flat.
pub const PAGE: i64 = 10_000;

/// The header line, after a UTF-8 byte-order mark when asked (for Excel).
pub fn header(bom: bool) -> Vec<u8> {
    super::header_of(&COLUMNS, bom)
}

/// Appends `rows` as CSV records to `out`.
pub fn encode(rows: &[ExportRow], out: &mut Vec<u8>) {
    let mut w = writer(out);
    for r in rows {
        let created = rfc3339_bytes(r.created_at);
        let confirmed = r.confirmed_at.map(rfc3339_bytes);
        let _ = w.write_record([
            r.id.as_bytes(),
            neutral(&r.first_name).as_bytes(),
            neutral(&r.last_name).as_bytes(),
            neutral(&r.email).as_bytes(),
            r.country_code.as_bytes(),
            neutral(&r.postcode).as_bytes(),
            neutral(&r.comment).as_bytes(),
            if r.consent_updates { b"true" } else { b"false" },
            neutral(&r.consent_version).as_bytes(),
            r.status.as_str().as_bytes(),
            &created,
            confirmed.as_ref().map_or(&b""[..], |c| &c[..]),
            r.source.as_deref().unwrap_or("").as_bytes(),
            r.language.as_bytes(),
            r.partner.as_deref().unwrap_or("").as_bytes(),
        ]);
    }
}

/// Streams every matching row, encoded, to `sink` one page at a time (`sink` gets the
/// page's bytes and the rows written so far, and stops the export by answering an error).
/// With several connections, the first plans the pages (where each ends,
/// from the index alone) and each other one reads whole pages, so a database that
/// answers one query at a time per connection answers several at once. Pages are
/// encoded in order; at most a few are in memory.
pub fn stream_with(
    mut conns: Vec<&mut DbConnection>,
    action_id: &str,
    filter: &SignatureFilter,
    mut sink: impl FnMut(Vec<u8>, u64) -> Result<(), ExportError>,
) -> Result<u64, ExportError> {
    let planner = conns.remove(0);
    if conns.is_empty() {
        return one_reader(planner, action_id, filter, sink);
    }
    type Job = (usize, Option<Cursor>, Option<Cursor>);
    let (jobs, open_jobs) = std::sync::mpsc::sync_channel::<Job>(conns.len());
    let open_jobs = std::sync::Arc::new(std::sync::Mutex::new(open_jobs));
    let (pages, read) = std::sync::mpsc::sync_channel::<(usize, Vec<ExportRow>)>(conns.len());
    std::thread::scope(|scope| {
        let planning = scope.spawn(move || -> Result<(), DbError> {
            let mut after: Option<Cursor> = None;
            for k in 0.. {
                let end = exports::page_end(planner, action_id, filter, after.as_ref(), PAGE)?;
                let last = end.is_none();
                // A closed queue means the readers stopped; their error is reported.
                if jobs.send((k, after.take(), end.clone())).is_err() || last {
                    break;
                }
                after = end;
            }
            Ok(())
        });
        let readers: Vec<_> = conns
            .into_iter()
            .map(|conn| {
                let (open_jobs, pages) = (open_jobs.clone(), pages.clone());
                scope.spawn(move || -> Result<(), DbError> {
                    loop {
                        let job = open_jobs.lock().unwrap_or_else(|e| e.into_inner()).recv();
                        let Ok((k, after, through)) = job else {
                            return Ok(());
                        };
                        let rows = exports::signature_range(
                            conn,
                            action_id,
                            filter,
                            after.as_ref(),
                            through.as_ref(),
                            PAGE + PAGE / 10,
                        )?;
                        if pages.send((k, rows)).is_err() {
                            return Ok(());
                        }
                    }
                })
            })
            .collect();
        drop((open_jobs, pages));
        let mut waiting = std::collections::BTreeMap::new();
        let (mut next, mut total, mut written) = (0, 0u64, Ok(()));
        'pages: for (k, rows) in read.iter() {
            waiting.insert(k, rows);
            while let Some(rows) = waiting.remove(&next) {
                next += 1;
                let mut out = Vec::with_capacity(rows.len() * 170);
                encode(&rows, &mut out);
                total += rows.len() as u64;
                written = sink(out, total);
                if written.is_err() {
                    break 'pages;
                }
            }
        }
        drop(read);
        let join = |h: std::thread::ScopedJoinHandle<'_, Result<(), DbError>>| {
            h.join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        };
        let planned = join(planning);
        let fetched: Result<Vec<()>, DbError> = readers.into_iter().map(join).collect();
        written?;
        planned?;
        fetched?;
        Ok(total)
    })
}

/// One connection: it reads the next page while this thread encodes the last, so
/// database reads and CSV encoding overlap on two cores.
fn one_reader(
    conn: &mut DbConnection,
    action_id: &str,
    filter: &SignatureFilter,
    mut sink: impl FnMut(Vec<u8>, u64) -> Result<(), ExportError>,
) -> Result<u64, ExportError> {
    let (pages, received) = std::sync::mpsc::sync_channel::<Vec<ExportRow>>(1);
    std::thread::scope(|scope| {
        let reader = scope.spawn(move || -> Result<(), DbError> {
            let mut cursor: Option<Cursor> = None;
            loop {
                let rows = exports::signature_page(conn, action_id, filter, cursor.as_ref(), PAGE)?;
                let last = (rows.len() as i64) < PAGE;
                cursor = rows.last().map(|r| (r.created_at, r.id.clone()));
                // A closed channel means the writer gave up; its error is the one to report.
                if pages.send(rows).is_err() || last {
                    return Ok(());
                }
            }
        });
        let mut total = 0u64;
        let mut written = Ok(());
        for rows in received.iter() {
            let mut out = Vec::with_capacity(rows.len() * 170);
            encode(&rows, &mut out);
            total += rows.len() as u64;
            written = sink(out, total);
            if written.is_err() {
                break;
            }
        }
        drop(received);
        let read = reader
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        written?;
        read?;
        Ok(total)
    })
}

/// Writes the whole export to `out` through `conns` (see [`stream_with`]); `progress(rows
/// so far)` after each page. Answers the number of rows written.
pub fn write_all(
    conns: Vec<&mut DbConnection>,
    action_id: &str,
    filter: &SignatureFilter,
    bom: bool,
    out: &mut impl Write,
    mut progress: impl FnMut(u64),
) -> Result<u64, ExportError> {
    out.write_all(&header(bom))?;
    stream_with(conns, action_id, filter, |bytes, total| {
        out.write_all(&bytes)?;
        progress(total);
        Ok(())
    })
}
