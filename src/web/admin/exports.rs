//! Staff exports of a petition: signatures as CSV (streamed page by page, logged in the
//! audit log with its filters and row count), counts as CSV or JSON.

use std::collections::HashMap;

use actix_web::web::{self, Bytes};
use actix_web::HttpResponse;
use futures_util::stream;

use crate::db::exports::Cursor;
use crate::db::petitions::{self, Petition};
use crate::db::{self, audit};
use crate::domain::staff::CurrentStaff;
use crate::error::AppError;
use crate::export::{contacts, counts, signatures, Export, ExportOptions};
use crate::web::AppState;

pub async fn find_petition(state: &AppState, slug: String) -> Result<Petition, AppError> {
    state
        .db(move |conn| petitions::find_any(conn, &slug))
        .await?
        .ok_or(AppError::NotFound)
}

/// The query string's export options (unknown names are ignored).
pub fn options(query: &HashMap<String, String>) -> ExportOptions {
    let get = |name: &str| query.get(name).cloned();
    ExportOptions {
        status: get("status"),
        country: get("country"),
        from: get("from"),
        to: get("to"),
        consent: get("consent"),
        bom: get("bom"),
    }
}

fn attachment(filename: &str, content_type: &str) -> actix_web::HttpResponseBuilder {
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

/// Where the stream stands between pages.
struct Progress {
    cursor: Option<Cursor>,
    started: bool,
    done: bool,
    rows: i64,
}

/// What the audit log records of an export once its last page is read.
#[derive(Clone)]
struct Audited {
    staff_id: String,
    event: &'static str,
    subject_type: &'static str,
    subject_id: String,
    detail: String,
}

type PageFn = fn(
    &mut db::DbConnection,
    &str,
    &Filter,
    Option<&Cursor>,
) -> Result<(Vec<u8>, usize, Option<Cursor>), db::DbError>;

/// What a paged export reads: the signature filter, or nothing for messages.
type Filter = Option<crate::db::exports::SignatureFilter>;

/// A CSV body read page by page off the async workers: the header, then each page, the
/// audit event written with the last one. Memory holds one page at a time.
fn paged_csv(
    state: web::Data<AppState>,
    header: Vec<u8>,
    filter: Filter,
    page: PageFn,
    audited: Audited,
) -> impl futures_util::Stream<Item = Result<Bytes, actix_web::Error>> {
    let start = Progress {
        cursor: None,
        started: false,
        done: false,
        rows: 0,
    };
    stream::unfold(start, move |mut progress| {
        let (state, filter, audited, header) = (
            state.clone(),
            filter.clone(),
            audited.clone(),
            header.clone(),
        );
        async move {
            if progress.done {
                return None;
            }
            if !progress.started {
                progress.started = true;
                return Some((Ok(Bytes::from(header)), progress));
            }
            let cursor = progress.cursor.take();
            let so_far = progress.rows;
            let result = state
                .db(move |conn| {
                    let (bytes, rows, next) =
                        page(conn, &audited.subject_id, &filter, cursor.as_ref())?;
                    if next.is_none() {
                        audit::record(
                            conn,
                            &audit::Event {
                                staff_user_id: Some(&audited.staff_id),
                                event: audited.event,
                                subject_type: audited.subject_type,
                                subject_id: &audited.subject_id,
                                detail: &audited.detail,
                                row_count: Some(so_far + rows as i64),
                            },
                        )?;
                    }
                    Ok((bytes, rows, next))
                })
                .await;
            match result {
                Ok((bytes, rows, next)) => {
                    progress.rows += rows as i64;
                    progress.done = next.is_none();
                    progress.cursor = next;
                    Some((Ok(Bytes::from(bytes)), progress))
                }
                Err(e) => {
                    progress.done = true;
                    Some((Err(e.into()), progress))
                }
            }
        }
    })
}

fn signature_page(
    conn: &mut db::DbConnection,
    action_id: &str,
    filter: &Filter,
    cursor: Option<&Cursor>,
) -> Result<(Vec<u8>, usize, Option<Cursor>), db::DbError> {
    signatures::page(
        conn,
        action_id,
        filter.as_ref().unwrap_or(&Default::default()),
        cursor,
    )
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
    let body = paged_csv(
        state,
        signatures::header(bom),
        Some(filter),
        signature_page,
        audited,
    );
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
) -> Result<HttpResponse, AppError> {
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
    Ok(attachment(&filename, "text/csv; charset=utf-8").body(contacts::letters(&rows)))
}

fn message_page(
    conn: &mut db::DbConnection,
    action_id: &str,
    _: &Filter,
    cursor: Option<&Cursor>,
) -> Result<(Vec<u8>, usize, Option<Cursor>), db::DbError> {
    contacts::message_page(conn, action_id, cursor)
}

pub async fn messages_csv(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
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
    let body = paged_csv(
        state,
        contacts::message_header(),
        None,
        message_page,
        audited,
    );
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
    let petition = find_petition(&state, slug.into_inner()).await?;
    let (id, slug) = (petition.id.clone(), petition.slug.clone());
    let counts = state.db(move |conn| counts::load(conn, &id, &slug)).await?;
    let (column, rows) = if by == "day" {
        ("day", &counts.by_day)
    } else {
        ("country", &counts.by_country)
    };
    let filename = format!("{}-counts-by-{by}.csv", petition.slug);
    Ok(attachment(&filename, "text/csv; charset=utf-8").body(counts::csv(column, rows)))
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

/// The report's digest: SHA-256 of exactly the bytes `signatures.csv` answers with no query.
pub fn digest_of_default_export(
    conn: &mut db::DbConnection,
    action_id: &str,
) -> Result<String, db::DbError> {
    use sha2::Digest as _;
    let default = ExportOptions::default()
        .parse()
        .unwrap_or_else(|_| unreachable!("the defaults are valid"));
    let mut hasher = HashWriter(sha2::Sha256::new());
    match signatures::write_all(
        conn,
        action_id,
        &default.filter,
        default.bom,
        &mut hasher,
        |_| {},
    ) {
        Ok(_) => Ok(hex::encode(hasher.0.finalize())),
        Err(signatures::ExportError::Db(e)) => Err(e),
        Err(signatures::ExportError::Io(_)) => unreachable!("hashing never fails to write"),
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

pub async fn petition_page(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
    slug: web::Path<String>,
) -> Result<maud::Markup, AppError> {
    let petition = find_petition(&state, slug.into_inner()).await?;
    let (id, slug) = (petition.id.clone(), petition.slug.clone());
    let counts = state.db(move |conn| counts::load(conn, &id, &slug)).await?;
    Ok(crate::views::admin::petition::page(
        &staff, &petition, &counts,
    ))
}

pub async fn report(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
    slug: web::Path<String>,
) -> Result<maud::Markup, AppError> {
    let petition = find_petition(&state, slug.into_inner()).await?;
    let (id, slug) = (petition.id.clone(), petition.slug.clone());
    let (counts, digest, first) = state
        .db(move |conn| {
            let counts = counts::load(conn, &id, &slug)?;
            let digest = digest_of_default_export(conn, &id)?;
            Ok((counts, digest, petitions::first_signed_at(conn, &id)?))
        })
        .await?;
    let date = |d: chrono::NaiveDateTime| d.format("%-d %B %Y").to_string();
    let end = petition
        .deadline
        .filter(|d| *d < db::now())
        .unwrap_or_else(db::now);
    let period = (
        first.map_or_else(|| "(no signatures yet)".to_string(), date),
        date(end),
    );
    let view = crate::views::admin::petition::ReportView {
        petition: &petition,
        counts: &counts,
        period,
        digest: &digest,
    };
    Ok(crate::views::admin::petition::report(&staff, &view))
}
