//! The public JSON API: counts that anyone may embed (CORS open, cached briefly).

use std::collections::BTreeMap;

use actix_web::{web, HttpResponse};
use chrono::{NaiveDateTime, SecondsFormat};
use serde::Serialize;

use super::AppState;
use crate::db::petitions;

#[derive(Serialize)]
struct PetitionCount {
    slug: String,
    title: String,
    goal: Option<i64>,
    signature_count: i64,
    by_country: BTreeMap<String, i64>,
    closes_at: Option<String>,
    updated_at: String,
}

#[derive(Serialize)]
struct ApiError {
    error: &'static str,
    message: &'static str,
}

fn rfc3339(at: NaiveDateTime) -> String {
    at.and_utc().to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn json(
    mut response: actix_web::HttpResponseBuilder,
    cache: &str,
    body: impl Serialize,
) -> HttpResponse {
    response
        .insert_header(("Access-Control-Allow-Origin", "*"))
        .insert_header(("Cache-Control", cache.to_string()))
        .json(body)
}

fn counted(body: web::Bytes) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("Access-Control-Allow-Origin", "*"))
        .insert_header(("Cache-Control", "public, max-age=5"))
        .content_type("application/json")
        .body(body)
}

pub async fn petition(state: web::Data<AppState>, slug: web::Path<String>) -> HttpResponse {
    let slug = slug.into_inner();
    if let Some(body) = state.recent.counts.get(&slug) {
        return counted(body);
    }
    let key = slug.clone();
    let found = state
        .db(move |conn| {
            let Some(p) = petitions::find(conn, &key)? else {
                return Ok(None);
            };
            let by_country = petitions::counts_by_country(conn, &p.id)?;
            Ok(Some((p, by_country)))
        })
        .await;
    match found {
        Ok(Some((p, by_country))) => {
            let count = PetitionCount {
                slug: p.slug,
                title: p.title,
                goal: p.goal,
                signature_count: p.confirmed_count,
                by_country: by_country.into_iter().collect(),
                closes_at: p.deadline.map(rfc3339),
                updated_at: rfc3339(p.updated_at),
            };
            let body = web::Bytes::from(serde_json::to_vec(&count).unwrap_or_default());
            state.recent.counts.put(&slug, body.clone());
            counted(body)
        }
        Ok(None) => json(
            HttpResponse::NotFound(),
            "public, max-age=5",
            ApiError {
                error: "not_found",
                message: "No published petition has this slug.",
            },
        ),
        Err(_) => json(
            HttpResponse::ServiceUnavailable(),
            "no-store",
            ApiError {
                error: "unavailable",
                message: "The service is briefly unavailable; try again.",
            },
        ),
    }
}
