//! Did they reply? Staff see every official's answers for one contact action or all of
//! them, as a page and as replies.csv.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use super::exports::{attachment, bom_of, with_bom};
use crate::domain::staff::CurrentStaff;
use crate::error::AppError;
use crate::web::{html_page, AppState};
use crate::{db, export, views};

async fn tallies(
    state: &AppState,
    slug: Option<String>,
) -> Result<(Option<db::actions::ContactAction>, db::replies::Replies), AppError> {
    state
        .db(move |conn| {
            let action = match slug {
                Some(slug) => match db::actions::find_contact_any(conn, &slug)? {
                    Some(action) => Some(action),
                    None => return Ok(None),
                },
                None => None,
            };
            let replies = db::replies::of(conn, action.as_ref().map(|a| a.id.as_str()))?;
            Ok(Some((action, replies)))
        })
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn action_page(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (action, replies) = tallies(&state, Some(slug.into_inner())).await?;
    let action = action.ok_or(AppError::NotFound)?;
    let csv = format!("/admin/contacts/{}/replies.csv", action.slug);
    let page = views::admin::replies::page(&staff, Some(&action.title), &csv, &replies);
    Ok(html_page(StatusCode::OK, page))
}

pub async fn all_page(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
) -> Result<HttpResponse, AppError> {
    let (_, replies) = tallies(&state, None).await?;
    let page = views::admin::replies::page(&staff, None, "/admin/replies.csv", &replies);
    Ok(html_page(StatusCode::OK, page))
}

pub async fn action_csv(
    state: web::Data<AppState>,
    slug: web::Path<String>,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, AppError> {
    let bom = bom_of(&query)?;
    let (action, replies) = tallies(&state, Some(slug.into_inner())).await?;
    let slug = action.map_or_else(String::new, |a| a.slug);
    download(&format!("{slug}-replies"), bom, &replies)
}

pub async fn all_csv(
    state: web::Data<AppState>,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, AppError> {
    let bom = bom_of(&query)?;
    let (_, replies) = tallies(&state, None).await?;
    download("replies", bom, &replies)
}

fn download(
    name: &str,
    bom: bool,
    replies: &db::replies::Replies,
) -> Result<HttpResponse, AppError> {
    let filename = format!("{name}-{}.csv", chrono::Utc::now().format("%Y-%m-%d"));
    let body = with_bom(bom, export::replies::csv(replies));
    Ok(attachment(&filename, "text/csv; charset=utf-8").body(body))
}
