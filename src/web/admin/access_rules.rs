//! The block and allow lists consulted at signing time (admins only): email domains and
//! address ranges, added and removed here or with `clarion access-rule`.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use maud::Markup;

use super::staff_form::StaffForm;
use crate::db::{audit, holds};
use crate::domain::access_rule::RuleValue;
use crate::domain::staff::CurrentStaff;
use crate::error::AppError;
use crate::views::admin::access_rules::{self as view, RuleValues};
use crate::views::admin::fields::Errors;
use crate::web::{html_page, AppState};

pub async fn list(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
) -> Result<Markup, AppError> {
    let rules = state.db(holds::rules).await?;
    Ok(view::page(
        &staff,
        &rules,
        &RuleValues::default(),
        &Errors::new(),
    ))
}

fn event(
    staff: &CurrentStaff,
    name: &'static str,
    detail: String,
) -> impl FnOnce(&mut crate::db::DbConnection) -> Result<(), crate::db::DbError> {
    let staff_id = staff.id.clone();
    move |conn| {
        audit::record(
            conn,
            &audit::Event {
                staff_user_id: Some(&staff_id),
                event: name,
                subject_type: "access_rule",
                subject_id: "",
                detail: &detail,
                row_count: None,
            },
        )
    }
}

pub async fn add(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
    form: StaffForm,
) -> Result<HttpResponse, AppError> {
    let values = RuleValues {
        list: form.get("list").to_string(),
        kind: form.get("kind").to_string(),
        value: form.get("value").trim().to_string(),
        note: form.get("note").trim().to_string(),
    };
    let mut errors = Errors::new();
    if !["block", "allow"].contains(&values.list.as_str()) {
        errors.push(("list", "Choose the block list or the allow list".into()));
    }
    let rule = RuleValue::parse(&values.kind, &values.value);
    if let Err(message) = &rule {
        errors.push(("value", message.clone()));
    }
    if values.note.chars().count() > 200 || values.note.chars().any(char::is_control) {
        errors.push((
            "note",
            "The note must be one line of at most 200 characters".into(),
        ));
    }
    let rule = match rule {
        Ok(rule) if errors.is_empty() => rule,
        _ => {
            let rules = state.db(holds::rules).await?;
            let page = view::page(&staff, &rules, &values, &errors);
            return Ok(html_page(StatusCode::UNPROCESSABLE_ENTITY, page));
        }
    };
    let detail = format!("{} {} {}", values.list, rule.kind(), rule.value());
    let record = event(&staff, "access_rule.added", detail);
    state
        .db(move |conn| {
            let added = holds::set_rule(
                conn,
                &values.list,
                rule.kind(),
                &rule.value(),
                &values.note,
                false,
            )?;
            if added > 0 {
                record(conn)?;
            }
            Ok(())
        })
        .await?;
    Ok(super::saved("/admin/access-rules", "Rule added"))
}

pub async fn remove(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
    id: web::Path<String>,
    _form: StaffForm,
) -> Result<HttpResponse, AppError> {
    let staff = staff.into_inner();
    let removed = state
        .db(move |conn| {
            let removed = holds::remove_rule(conn, &id)?;
            if let Some(rule) = &removed {
                let detail = format!("{} {} {}", rule.list, rule.kind, rule.value);
                event(&staff, "access_rule.removed", detail)(conn)?;
            }
            Ok(removed)
        })
        .await?;
    removed.ok_or(AppError::NotFound)?;
    Ok(super::saved("/admin/access-rules", "Rule removed"))
}
