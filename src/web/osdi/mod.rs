//! The OSDI 1.1 API for partners' CRMs (issue 27), HAL+JSON under `/api/osdi/v1/`:
//! the entry point, petitions, a petition's signatures (keyset pages), and the helper
//! that records a signature (which sends the confirmation email: the API never skips
//! double opt-in). Every call needs an `OSDI-API-Token`; every answer, errors included,
//! is JSON. docs/CONTRACT.md, "The OSDI API", is the exact contract.

mod campaigns;
mod helper;
mod paging;
mod petitions;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use serde_json::{json, Value};

use super::AppState;
use crate::db::api_tokens::{self, Bearer};
use crate::domain::api_token::Scope;
use crate::domain::osdi::Keyed;

/// Signatures a page may hold at most (`max_page_size` at the entry point).
pub const MAX_PAGE_SIZE: i64 = 500;
/// A page's size when the client names none.
const DEFAULT_PAGE_SIZE: i64 = 25;
/// Largest body the helper takes.
const BODY_LIMIT: usize = 16 * 1024;
const HAL: &str = "application/hal+json; charset=utf-8";

pub fn routes(cfg: &mut web::ServiceConfig) {
    let resource = |path: &str| web::resource(path).default_service(web::to(not_allowed));
    cfg.service(
        web::scope("/api/osdi/v1")
            .service(resource("").route(web::get().to(petitions::entry)))
            .service(resource("/").route(web::get().to(petitions::entry)))
            .service(resource("/petitions").route(web::get().to(petitions::list)))
            .service(resource("/petitions/{id}").route(web::get().to(petitions::one)))
            .service(
                resource("/petitions/{id}/signatures").route(web::get().to(petitions::signatures)),
            )
            .service(
                resource("/petitions/{id}/record_signature_helper")
                    .route(web::post().to(helper::record)),
            )
            .service(resource("/advocacy_campaigns").route(web::get().to(campaigns::list)))
            .service(resource("/advocacy_campaigns/{id}").route(web::get().to(campaigns::one)))
            .service(
                resource("/advocacy_campaigns/{id}/outreaches")
                    .route(web::get().to(campaigns::outreaches)),
            )
            .default_service(web::to(not_found)),
    );
}

/// An API error: its status, a short code and a sentence saying what to do.
#[derive(Debug)]
pub struct Problem {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

impl Problem {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Problem {
            status,
            code,
            message: message.into(),
        }
    }

    fn unavailable() -> Self {
        Problem::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "The service is briefly unavailable; try again.",
        )
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.status, self.code)
    }
}

impl ResponseError for Problem {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let mut answer = HttpResponse::build(self.status);
        answer.insert_header(("Cache-Control", "no-store"));
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            answer.insert_header(("Retry-After", "1"));
        }
        answer.json(json!({ "error": self.code, "message": self.message }))
    }
}

impl From<crate::error::AppError> for Problem {
    fn from(_: crate::error::AppError) -> Self {
        Problem::unavailable()
    }
}

async fn not_found() -> HttpResponse {
    Problem::new(
        StatusCode::NOT_FOUND,
        "not_found",
        "Nothing is here; the entry point /api/osdi/v1/ lists what is.",
    )
    .error_response()
}

async fn not_allowed() -> HttpResponse {
    Problem::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "This resource does not take that method.",
    )
    .error_response()
}

/// A HAL+JSON answer, never cached.
fn hal(body: &Value) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(HAL)
        .insert_header(("Cache-Control", "no-store"))
        .body(body.to_string())
}

/// The absolute URL of an API path (`path` from `/api/osdi/v1`).
fn href(state: &AppState, path: &str) -> Value {
    json!({ "href": format!("{}/api/osdi/v1{path}", state.base_url) })
}

/// The token the request holds, when it is live and may do what `needed` allows.
async fn bearer(state: &AppState, req: &HttpRequest, needed: Scope) -> Result<Bearer, Problem> {
    let token = req
        .headers()
        .get("OSDI-API-Token")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .unwrap_or("")
        .to_string();
    if token.is_empty() {
        return Err(Problem::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "Send your API token in the OSDI-API-Token header.",
        ));
    }
    let found = state
        .db(move |conn| api_tokens::bearer(conn, &token, crate::db::now()))
        .await?;
    let Some(bearer) = found else {
        return Err(Problem::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "This API token is unknown or revoked.",
        ));
    };
    if !bearer.may(needed) {
        return Err(Problem::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            format!("This token's scopes do not include {needed}."),
        ));
    }
    Ok(bearer)
}

/// `per_page` as asked: a whole number from 1 to [`MAX_PAGE_SIZE`], 25 when absent.
fn page_size(asked: Option<&str>) -> Result<i64, Problem> {
    let Some(asked) = asked else {
        return Ok(DEFAULT_PAGE_SIZE);
    };
    match asked.parse::<i64>() {
        Ok(n) if (1..=MAX_PAGE_SIZE).contains(&n) => Ok(n),
        _ => Err(Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_per_page",
            format!("per_page must be a whole number from 1 to {MAX_PAGE_SIZE}."),
        )),
    }
}

/// What a keyset collection's query asks: the page size, the filter as written, and the
/// window (`paging::window`).
struct PageQuery {
    per_page: i64,
    filter: Option<String>,
    window: crate::db::osdi::Window,
}

impl PageQuery {
    fn of(req: &HttpRequest) -> Result<PageQuery, Problem> {
        let pairs = paging::query(req);
        let per_page = page_size(paging::first(&pairs, "per_page"))?;
        if paging::first(&pairs, "page").is_some_and(|p| p != "1") {
            return Err(Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_page",
                "Pages are not numbered here: follow _links.next.",
            ));
        }
        let filter = paging::first(&pairs, "filter").map(str::to_string);
        let window = paging::window(filter.as_deref(), paging::first(&pairs, "cursor"))
            .map_err(|e| Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_query", e))?;
        Ok(PageQuery {
            per_page,
            filter,
            window,
        })
    }

    /// A page of `rows` (read with one more than a page, to know whether more follow)
    /// under `_embedded[name]`, with `self` at `own` and `next` after its last row.
    fn answer<T: Keyed>(
        &self,
        state: &AppState,
        (own, name): (&str, &str),
        mut rows: Vec<T>,
        doc: impl Fn(&T) -> Value,
    ) -> HttpResponse {
        let more = rows.len() as i64 > self.per_page;
        rows.truncate(self.per_page as usize);
        let mut links = json!({ "self": href(state, own) });
        if let (true, Some(last)) = (more, rows.last()) {
            let (at, id) = last.key();
            let next = paging::next_query(self.per_page, self.filter.as_deref(), at, id);
            links["next"] = href(state, &format!("{own}?{next}"));
        }
        let docs: Vec<Value> = rows.iter().map(doc).collect();
        hal(&json!({
            "per_page": self.per_page,
            "_links": links,
            "_embedded": { name: docs },
        }))
    }
}

/// Records a read of personal data by `bearer`: what, and how many rows.
fn audit_read(
    conn: &mut crate::db::DbConnection,
    bearer: &Bearer,
    (event, what): (&str, &str),
    rows: usize,
) -> Result<(), crate::db::DbError> {
    crate::db::audit::record(
        conn,
        &crate::db::audit::Event {
            staff_user_id: None,
            event,
            subject_type: "partner",
            subject_id: &bearer.partner.id,
            detail: &format!("{what}, token {}", bearer.token_id),
            row_count: Some(rows as i64),
        },
    )
}
