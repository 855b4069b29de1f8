//! Staff exports of a petition: signatures as CSV (streamed page by page, logged in the
//! audit log with its filters and row count), counts as CSV or JSON.

use std::collections::HashMap;

use actix_web::web::{self, Bytes};
use actix_web::HttpResponse;
use futures_util::stream;

use crate::db::{self, audit};
use crate::domain::staff::CurrentStaff;
use crate::error::AppError;
use crate::export::{contacts, counts, signatures, Export, ExportError, ExportOptions};
use crate::web::AppState;

use super::petition::find_petition;

/// The query string's export options (unknown names are ignored). Downloads open cleanly
/// in Excel: a byte-order mark unless the query says `bom=0`.
pub fn options(query: &HashMap<String, String>) -> ExportOptions {
    let get = |name: &str| query.get(name).cloned();
    ExportOptions {
        status: get("status"),
        country: get("country"),
        from: get("from"),
        to: get("to"),
        consent: get("consent"),
        bom: Some(get("bom").unwrap_or_else(|| "1".into())),
    }
}

/// `bom` for the other staff CSV downloads, with the same default.
pub(super) fn bom_of(query: &HashMap<String, String>) -> Result<bool, AppError> {
    let value = query.get("bom").map_or("1", String::as_str);
    crate::export::flag("bom", Some(value)).map_err(AppError::BadQuery)
}

/// `body` after a UTF-8 byte-order mark when `bom`.
pub(super) fn with_bom(bom: bool, body: Vec<u8>) -> Vec<u8> {
    if bom {
        [crate::export::BOM, &body].concat()
    } else {
        body
    }
}

pub(super) fn attachment(filename: &str, content_type: &str) -> actix_web::HttpResponseBuilder {
    let mut response = HttpResponse::Ok();
    response
        .content_type(content_type)
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{filename}\""),
        ))
        .insert_header(("Cache-Control", "no-store"));
    response
}

/// What the audit log records of an export once it has ended.
pub(super) struct Audited {
    pub staff_id: String,
    pub event: &'static str,
    pub subject_type: &'static str,
    pub subject_id: String,
    pub detail: String,
}

/// Writes an export's pages to `sink` (bytes, rows so far) and answers the rows written.
pub(super) type Job = Box<
    dyn FnOnce(
            &mut db::DbConnection,
            &mut dyn FnMut(Vec<u8>, u64) -> Result<(), ExportError>,
        ) -> Result<u64, ExportError>
        + Send,
>;

/// A CSV body made on a blocking thread and handed over page by page through a short
/// queue, so a slow client slows the export down instead of filling memory. The audit
/// event is written when the export ends, with the rows that left (an export the client
/// broke off is logged as interrupted).
pub(super) fn streamed_csv(
    state: web::Data<AppState>,
    header: Vec<u8>,
    job: Job,
    audited: Audited,
) -> impl futures_util::Stream<Item = Result<Bytes, actix_web::Error>> {
    let (pages, received) = tokio::sync::mpsc::channel::<Result<Bytes, ()>>(2);
    let _ = pages.try_send(Ok(Bytes::from(header)));
    actix_web::rt::task::spawn_blocking(move || {
        let mut conn = match state.pool.get() {
            Ok(conn) => conn,
            Err(e) => {
                tracing::error!(error = %e, "no database connection for an export");
                let _ = pages.blocking_send(Err(()));
                return;
            }
        };
        let mut sent = 0u64;
        let mut sink = |bytes: Vec<u8>, total: u64| {
            pages
                .blocking_send(Ok(Bytes::from(bytes)))
                .map_err(|_| ExportError::Io(std::io::ErrorKind::BrokenPipe.into()))?;
            sent = total;
            Ok(())
        };
        let outcome = job(&mut conn, &mut sink);
        let detail = match &outcome {
            Ok(_) => audited.detail.clone(),
            Err(_) => format!("{} (interrupted)", audited.detail),
        };
        let logged = audit::record(
            &mut conn,
            &audit::Event {
                staff_user_id: Some(&audited.staff_id),
                event: audited.event,
                subject_type: audited.subject_type,
                subject_id: &audited.subject_id,
                detail: &detail,
                row_count: Some(sent as i64),
            },
        );
        if let Err(e) = outcome
            .map_err(|e| e.to_string())
            .and(logged.map_err(|e| e.to_string()))
        {
            tracing::error!(error = %e, event = audited.event, "export failed");
            let _ = pages.blocking_send(Err(()));
        }
    });
    stream::unfold(received, |mut received| async move {
        // An error ends the body early, so the client sees a broken download, not a
        // short file that looks whole.
        let page = received.recv().await?;
        let page = page.map_err(|()| actix_web::error::ErrorInternalServerError("export failed"));
        Some((page, received))
    })
}

pub async fn signatures_csv(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
    slug: web::Path<String>,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, AppError> {
    let petition = find_petition(&state, slug.into_inner()).await?;
    let Export {
        filter,
        bom,
        description,
    } = options(&query).parse().map_err(AppError::BadQuery)?;
    let filename = format!(
        "{}-signatures-{}.csv",
        petition.slug,
        chrono::Utc::now().format("%Y-%m-%d")
    );
    let audited = Audited {
        staff_id: staff.id.clone(),
        event: "export.signatures",
        subject_type: "petition",
        subject_id: petition.id,
        detail: description,
    };
    let action_id = audited.subject_id.clone();
    let pool = state.pool.clone();
    let job: Job = Box::new(move |conn, sink| {
        // More connections read pages side by side where that helps and the pool has
        // them free; the export never waits for them.
        let wanted = db::export_readers_beside(conn);
        let mut readers: Vec<_> = (0..wanted).filter_map(|_| pool.try_get()).collect();
        let mut conns = vec![conn];
        conns.extend(readers.iter_mut().map(|c| &mut **c));
        signatures::stream_with(conns, &action_id, &filter, sink)
    });
    let body = streamed_csv(state, signatures::header(bom), job, audited);
    Ok(attachment(&filename, "text/csv; charset=utf-8").streaming(body))
}

async fn find_contact(
    state: &AppState,
    slug: String,
) -> Result<crate::db::actions::ContactAction, AppError> {
    state
        .db(move |conn| crate::db::actions::find_contact_any(conn, &slug))
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn letters_csv(
    state: web::Data<AppState>,
    slug: web::Path<String>,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, AppError> {
    let bom = bom_of(&query)?;
    let action = find_contact(&state, slug.into_inner()).await?;
    let id = action.id.clone();
    let rows = state
        .db(move |conn| crate::db::letters::delivery_by_target(conn, &id))
        .await?;
    let filename = format!(
        "{}-letters-{}.csv",
        action.slug,
        chrono::Utc::now().format("%Y-%m-%d")
    );
    let body = with_bom(bom, contacts::letters(&rows));
    Ok(attachment(&filename, "text/csv; charset=utf-8").body(body))
}

pub async fn messages_csv(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
    slug: web::Path<String>,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, AppError> {
    let bom = bom_of(&query)?;
    let action = find_contact(&state, slug.into_inner()).await?;
    let filename = format!(
        "{}-messages-{}.csv",
        action.slug,
        chrono::Utc::now().format("%Y-%m-%d")
    );
    let audited = Audited {
        staff_id: staff.id.clone(),
        event: "export.messages",
        subject_type: "contact",
        subject_id: action.id,
        detail: "all messages".into(),
    };
    let action_id = audited.subject_id.clone();
    let job: Job = Box::new(move |conn, sink| contacts::stream_messages(conn, &action_id, sink));
    let header = with_bom(bom, contacts::message_header());
    let body = streamed_csv(state, header, job, audited);
    Ok(attachment(&filename, "text/csv; charset=utf-8").streaming(body))
}

pub async fn counts_csv(
    state: web::Data<AppState>,
    slug: web::Path<String>,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, AppError> {
    let by = query.get("by").map(String::as_str).unwrap_or("country");
    if by != "country" && by != "day" {
        return Err(AppError::BadQuery("by must be country or day".into()));
    }
    let bom = bom_of(&query)?;
    let petition = find_petition(&state, slug.into_inner()).await?;
    let (id, slug) = (petition.id.clone(), petition.slug.clone());
    let counts = state.db(move |conn| counts::load(conn, &id, &slug)).await?;
    let (column, rows) = if by == "day" {
        ("day", &counts.by_day)
    } else {
        ("country", &counts.by_country)
    };
    let filename = format!("{}-counts-by-{by}.csv", petition.slug);
    let body = with_bom(bom, counts::csv(column, rows));
    Ok(attachment(&filename, "text/csv; charset=utf-8").body(body))
}

pub async fn counts_json(
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let petition = find_petition(&state, slug.into_inner()).await?;
    let (id, slug) = (petition.id.clone(), petition.slug.clone());
    let counts = state.db(move |conn| counts::load(conn, &id, &slug)).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(counts))
}

/// The report's digest: SHA-256 of exactly the bytes `signatures.csv` answers with
/// `?bom=0`, which are the CLI's bytes without `--bom`.
pub fn digest_of_default_export(
    conn: &mut db::DbConnection,
    action_id: &str,
) -> Result<String, db::DbError> {
    Ok(digest_and_rows_of_default_export(conn, action_id)?.0)
}

/// [`digest_of_default_export`], and how many signatures the list holds.
pub fn digest_and_rows_of_default_export(
    conn: &mut db::DbConnection,
    action_id: &str,
) -> Result<(String, u64), db::DbError> {
    use sha2::Digest as _;
    let default = ExportOptions::default()
        .parse()
        .unwrap_or_else(|_| unreachable!("the defaults are valid"));
    let mut hasher = HashWriter(sha2::Sha256::new());
    match signatures::write_all(
        vec![conn],
        action_id,
        &default.filter,
        default.bom,
        &mut hasher,
        |_| {},
    ) {
        Ok(rows) => Ok((hex::encode(hasher.0.finalize()), rows)),
        Err(ExportError::Db(e)) => Err(e),
        Err(ExportError::Io(_)) => unreachable!("hashing never fails to write"),
    }
}

struct HashWriter(sha2::Sha256);

impl std::io::Write for HashWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        sha2::Digest::update(&mut self.0, buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
