//! Advocacy campaigns (contact actions) and their outreaches (letters to officials).

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::{json, Value};

use super::{audit_read, bearer, hal, href, PageQuery, Problem};
use crate::db::actions::ContactAction;
use crate::db::outreaches::{self, published};
use crate::domain::api_token::Scope;
use crate::domain::osdi::{date, identifier, LetterFacts, Outreach};
use crate::web::AppState;

fn campaign_doc(state: &AppState, a: &ContactAction, created: chrono::NaiveDateTime) -> Value {
    let own = format!("/advocacy_campaigns/{}", a.slug);
    json!({
        "identifiers": [identifier(&a.slug)],
        "origin_system": "Clarion",
        "created_date": date(created),
        "title": a.title,
        "description": a.summary,
        "template": a.body_template,
        "browser_url": format!("{}/act/{}", state.base_url, a.slug),
        "type": "email",
        "total_outreaches": a.letters_count,
        "_links": {
            "self": href(state, &own),
            "osdi:outreaches": href(state, &format!("{own}/outreaches")),
        },
    })
}

pub async fn list(state: web::Data<AppState>, req: HttpRequest) -> Result<HttpResponse, Problem> {
    bearer(&state, &req, Scope::ReadCounts).await?;
    let all = state.db(published).await?;
    let docs: Vec<Value> = all
        .iter()
        .map(|(a, at)| campaign_doc(&state, a, *at))
        .collect();
    Ok(hal(&json!({
        "total_pages": 1,
        "per_page": docs.len(),
        "page": 1,
        "total_records": docs.len(),
        "_links": { "self": href(&state, "/advocacy_campaigns") },
        "_embedded": { "osdi:advocacy_campaigns": docs },
    })))
}

async fn find(
    state: &AppState,
    id: &str,
) -> Result<(ContactAction, chrono::NaiveDateTime), Problem> {
    let slug = id.strip_prefix("clarion:").unwrap_or(id).to_string();
    let found = state
        .db(move |conn| Ok(published(conn)?.into_iter().find(|(a, _)| a.slug == slug)))
        .await?;
    found.ok_or_else(|| {
        Problem::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "No published advocacy campaign has this id; /api/osdi/v1/advocacy_campaigns lists them.",
        )
    })
}

pub async fn one(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, Problem> {
    bearer(&state, &req, Scope::ReadCounts).await?;
    let (action, created) = find(&state, &id).await?;
    Ok(hal(&campaign_doc(&state, &action, created)))
}

/// A page of the letters the token's partner may see: confirmed, written through it,
/// shared with it, each with its targets. Audited with its row count.
pub async fn outreaches(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, Problem> {
    let bearer = bearer(&state, &req, Scope::ReadSignatures).await?;
    let query = PageQuery::of(&req)?;
    let (action, _) = find(&state, &id).await?;
    let (slug, action_id, window) = (action.slug.clone(), action.id.clone(), query.window.clone());
    let limit = query.per_page + 1;
    let rows = state
        .db(move |conn| {
            let keys = (
                bearer.partner.id.as_str(),
                action_id.as_str(),
                slug.as_str(),
            );
            let rows = outreaches::page(conn, keys, &window, limit)?;
            let shown = rows.len().min(limit as usize - 1);
            let what = format!("advocacy campaign {slug}");
            audit_read(conn, &bearer, ("osdi.outreaches_read", &what), shown)?;
            Ok(rows)
        })
        .await?;
    let own = format!("/advocacy_campaigns/{}/outreaches", action.slug);
    let doc = |row: &LetterFacts| serde_json::to_value(Outreach::from(row)).unwrap_or_default();
    Ok(query.answer(&state, (&own, "osdi:outreaches"), rows, doc))
}
