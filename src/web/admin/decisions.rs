//! Deciding one signature (a confirmation page asking for a reason, then the decision) and
//! undoing a decision from the signature list for 30 days. Bulk decisions are in
//! `moderation.rs`; both keep the reason with the decision and in the audit log.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use super::moderation::{back_to, event_of, record};
use super::petition::find_petition;
use super::staff_form::StaffForm;
use crate::db::moderation::{self, Decided, Undone};
use crate::domain::staff::{decision_reason, CurrentStaff};
use crate::domain::status::Decision;
use crate::error::AppError;
use crate::views::admin::decisions::{self as view, OneView};
use crate::web::{html_page, AppState};

fn decision_of(typed: &str) -> Result<Decision, AppError> {
    Decision::parse(typed.trim())
        .ok_or_else(|| AppError::BadQuery("decision must be release or invalidate".into()))
}

/// The signature, what the decision does, and a reason to give (`error`: why the last
/// one was refused).
async fn confirm_page(
    state: &AppState,
    staff: &CurrentStaff,
    (slug, id): (String, String),
    decision: Decision,
    (reason, back, error): (&str, &str, Option<&str>),
) -> Result<HttpResponse, AppError> {
    let petition = find_petition(state, slug).await?;
    let action_id = petition.id.clone();
    let row = state
        .db(move |conn| moderation::one(conn, &action_id, &id))
        .await?
        .ok_or(AppError::NotFound)?;
    if !decision.applies_to().contains(&row.status) {
        return Err(AppError::BadQuery(format!(
            "this signature cannot be {} now; reload the list",
            decision.done()
        )));
    }
    let status = match error {
        Some(_) => StatusCode::UNPROCESSABLE_ENTITY,
        None => StatusCode::OK,
    };
    let view = OneView {
        petition: &petition,
        row: &row,
        decision,
        reason,
        back,
        error,
    };
    Ok(html_page(status, view::one(staff, &view)))
}

/// `GET /admin/petitions/{slug}/signatures/{id}?decision=…`: asks before deciding.
pub async fn ask(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
    path: web::Path<(String, String)>,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, AppError> {
    let field = |name: &str| query.get(name).map_or("", String::as_str);
    let decision = decision_of(field("decision"))?;
    let said = ("", field("back"), None);
    confirm_page(&state, &staff, path.into_inner(), decision, said).await
}

/// `POST /admin/petitions/{slug}/signatures/{id}`: decides, with the reason given.
pub async fn decide_one(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
    path: web::Path<(String, String)>,
    form: StaffForm,
) -> Result<HttpResponse, AppError> {
    let decision = decision_of(form.get("decision"))?;
    let reason = match decision_reason(form.get("decision_reason")) {
        Ok(reason) => reason,
        Err(message) => {
            let said = (form.get("decision_reason"), form.get("back"), Some(message));
            return confirm_page(&state, &staff, path.into_inner(), decision, said).await;
        }
    };
    let (slug, signature_id) = path.into_inner();
    let petition = find_petition(&state, slug).await?;
    let staff = staff.into_inner();
    let (action_id, id) = (petition.id.clone(), signature_id);
    let changed = state
        .db(move |conn| {
            let by = Decided {
                staff_user_id: Some(&staff.id),
                reason: &reason,
                at: crate::db::now(),
            };
            let changed = moderation::decide_one(conn, &action_id, &id, decision, &by)?;
            if changed {
                let event = event_of(decision);
                record(conn, &staff, &event, ("signature", &id), &reason, 1)?;
            }
            Ok(changed)
        })
        .await?;
    if !changed {
        return Err(AppError::BadQuery(format!(
            "this signature cannot be {} now; reload the list",
            decision.done()
        )));
    }
    Ok(super::see_other(&back_to(&petition.slug, form.get("back"))))
}

/// `POST /admin/petitions/{slug}/decisions/{id}/undo`: turns the decision's rows back.
pub async fn undo(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
    path: web::Path<(String, String)>,
    _form: StaffForm,
) -> Result<HttpResponse, AppError> {
    let (slug, decision_id) = path.into_inner();
    let petition = find_petition(&state, slug).await?;
    let (staff, action_id) = (staff.into_inner(), petition.id.clone());
    let undone = state
        .db(move |conn| {
            let undone = moderation::undo(conn, &action_id, &decision_id, &staff.id)?;
            if let Undone::Done { turned_back, .. } = undone {
                let subject = ("decision", decision_id.as_str());
                record(
                    conn,
                    &staff,
                    "signatures.decision_undone",
                    subject,
                    "",
                    turned_back,
                )?;
            }
            Ok(undone)
        })
        .await?;
    match undone {
        Undone::Done { turned_back, of } => Ok(super::see_other(&format!(
            "/admin/petitions/{}/signatures?undone={turned_back}&of={of}",
            petition.slug
        ))),
        Undone::Unknown => Err(AppError::NotFound),
        Undone::TooLate => Err(AppError::BadQuery(format!(
            "this decision was undone already or is older than {} days",
            moderation::UNDO_DAYS
        ))),
    }
}
