//! Did they reply? Staff see every official's answers for one contact action or all of
//! them, as a page and as replies.csv.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use super::exports::{attachment, bom_of, with_bom};
use super::staff_form::StaffForm;
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
    let id = action.id.clone();
    let pasted = state
        .db(move |conn| db::quotes::of_action(conn, &id, false))
        .await?;
    let csv = format!("/admin/contacts/{}/replies.csv", action.slug);
    let shown = (
        csv.as_str(),
        Some((action.slug.as_str(), pasted.as_slice())),
    );
    let page = views::admin::replies::page(&staff, Some(&action.title), shown, &replies);
    Ok(html_page(StatusCode::OK, page))
}

pub async fn all_page(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
) -> Result<HttpResponse, AppError> {
    let (_, replies) = tallies(&state, None).await?;
    let page = views::admin::replies::page(&staff, None, ("/admin/replies.csv", None), &replies);
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

/// Allows quoting a pasted reply on the public page (`quotable=1`) or makes it private
/// again (`0`); audited.
pub async fn quote(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
    slug: web::Path<String>,
    form: StaffForm,
) -> Result<HttpResponse, AppError> {
    let quotable = match form.get("quotable") {
        "1" => true,
        "0" => false,
        _ => return Err(AppError::BadForm),
    };
    let (message_id, target_id) = (
        form.get("message_id").to_string(),
        form.get("target_id").to_string(),
    );
    let staff_id = staff.id.clone();
    let slug = slug.into_inner();
    let found = state
        .db(move |conn| {
            let Some(action) = db::actions::find_contact_any(conn, &slug)? else {
                return Ok(None);
            };
            db::write_transaction(conn, |conn| {
                let ids = (message_id.as_str(), target_id.as_str());
                if !db::quotes::set_quotable(conn, &action.id, ids, quotable)? {
                    return Ok(None);
                }
                let event = if quotable {
                    "reply.quotable"
                } else {
                    "reply.private"
                };
                let subject = format!("{message_id}:{target_id}");
                db::audit::record(
                    conn,
                    &db::audit::Event {
                        staff_user_id: Some(&staff_id),
                        event,
                        subject_type: "reply",
                        subject_id: &subject,
                        detail: "",
                        row_count: None,
                    },
                )?;
                Ok(Some(action.slug.clone()))
            })
        })
        .await?
        .ok_or(AppError::NotFound)?;
    state.recent.forget();
    Ok(super::saved(
        &format!("/admin/contacts/{found}/replies"),
        "Saved",
    ))
}
