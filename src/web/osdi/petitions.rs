//! The entry point, petitions and a petition's signatures.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::{json, Value};

use super::{audit_read, bearer, hal, href, PageQuery, Problem, MAX_PAGE_SIZE};
use crate::db::osdi;
use crate::db::petitions::Petition;
use crate::domain::api_token::Scope;
use crate::domain::osdi::{date, identifier, Signature, SignatureFacts};
use crate::web::AppState;

const CURIES: &str = "https://opensupporter.org/docs/v1/{rel}";

pub async fn entry(state: web::Data<AppState>, req: HttpRequest) -> Result<HttpResponse, Problem> {
    bearer(&state, &req, Scope::ReadCounts).await?;
    Ok(hal(&json!({
        "motd": "Clarion's OSDI API: petitions and their signatures.",
        "vendor_name": "Clarion",
        "product_name": "Clarion",
        "osdi_version": "1.1",
        "namespace": "clarion",
        "max_page_size": MAX_PAGE_SIZE,
        "max_pagesize": MAX_PAGE_SIZE,
        "_links": {
            "self": href(&state, "/"),
            "osdi:petitions": href(&state, "/petitions"),
            "osdi:advocacy_campaigns": href(&state, "/advocacy_campaigns"),
            "curies": [{ "name": "osdi", "href": CURIES, "templated": true }],
        },
    })))
}

fn petition_doc(state: &AppState, p: &Petition, created: chrono::NaiveDateTime) -> Value {
    let own = format!("/petitions/{}", p.slug);
    json!({
        "identifiers": [identifier(&p.slug)],
        "origin_system": "Clarion",
        "created_date": date(created),
        "modified_date": date(p.updated_at),
        "title": p.title,
        "description": p.summary,
        "petition_text": p.body_md,
        "browser_url": format!("{}/petitions/{}", state.base_url, p.slug),
        "total_signatures": p.confirmed_count,
        "target": [{ "name": p.addressee }],
        "_links": {
            "self": href(state, &own),
            "osdi:signatures": href(state, &format!("{own}/signatures")),
            "osdi:record_signature_helper": href(state, &format!("{own}/record_signature_helper")),
        },
    })
}

/// Every published petition, on one page (there are tens, not thousands).
pub async fn list(state: web::Data<AppState>, req: HttpRequest) -> Result<HttpResponse, Problem> {
    bearer(&state, &req, Scope::ReadCounts).await?;
    let all = state.db(osdi::petitions).await?;
    let docs: Vec<Value> = all
        .iter()
        .map(|(p, at)| petition_doc(&state, p, *at))
        .collect();
    let links: Vec<Value> = all
        .iter()
        .map(|(p, _)| href(&state, &format!("/petitions/{}", p.slug)))
        .collect();
    Ok(hal(&json!({
        "total_pages": 1,
        "per_page": docs.len(),
        "page": 1,
        "total_records": docs.len(),
        "_links": { "self": href(&state, "/petitions"), "osdi:petitions": links },
        "_embedded": { "osdi:petitions": docs },
    })))
}

/// The published petition `id` (its slug, or `clarion:{slug}`).
async fn find(state: &AppState, id: &str) -> Result<(Petition, chrono::NaiveDateTime), Problem> {
    let slug = id.strip_prefix("clarion:").unwrap_or(id).to_string();
    let found = state
        .db(move |conn| {
            Ok(osdi::petitions(conn)?
                .into_iter()
                .find(|(p, _)| p.slug == slug))
        })
        .await?;
    found.ok_or_else(|| {
        Problem::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "No published petition has this id; /api/osdi/v1/petitions lists them.",
        )
    })
}

pub async fn one(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, Problem> {
    bearer(&state, &req, Scope::ReadCounts).await?;
    let (petition, created) = find(&state, &id).await?;
    Ok(hal(&petition_doc(&state, &petition, created)))
}

/// A page of the signatures the token's partner may see: confirmed, made through it,
/// shared with it. Each read is in the audit log with its row count.
pub async fn signatures(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, Problem> {
    let bearer = bearer(&state, &req, Scope::ReadSignatures).await?;
    let query = PageQuery::of(&req)?;
    let (petition, _) = find(&state, &id).await?;
    let (slug, action_id, window) = (
        petition.slug.clone(),
        petition.id.clone(),
        query.window.clone(),
    );
    let limit = query.per_page + 1;
    let rows = state
        .db(move |conn| {
            let keys = (
                bearer.partner.id.as_str(),
                action_id.as_str(),
                slug.as_str(),
            );
            let rows = osdi::signatures_page(conn, keys, &window, limit)?;
            let shown = rows.len().min(limit as usize - 1);
            let what = format!("petition {slug}");
            audit_read(conn, &bearer, ("osdi.signatures_read", &what), shown)?;
            Ok(rows)
        })
        .await?;
    let own = format!("/petitions/{}/signatures", petition.slug);
    let petition_link = href(&state, &format!("/petitions/{}", petition.slug));
    let doc = |row: &SignatureFacts| {
        let mut doc = serde_json::to_value(Signature::from(row)).unwrap_or_default();
        doc["_links"] = json!({ "osdi:petition": petition_link });
        doc
    };
    Ok(query.answer(&state, (&own, "osdi:signatures"), rows, doc))
}
