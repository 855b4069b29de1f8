//! Campaigns: list, create, edit (title, slug, summary, status).

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use maud::Markup;

use super::staff_form::StaffForm;
use crate::db::{self, campaigns};
use crate::domain::slug::Slug;
use crate::domain::staff::CurrentStaff;
use crate::domain::text::{has_control, has_stray_control};
use crate::error::AppError;
use crate::views::admin::campaigns::{self as view, CampaignValues};
use crate::views::admin::fields::Errors;
use crate::web::{html_page, AppState};

const STATUSES: [&str; 3] = ["draft", "live", "closed"];

pub async fn list(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
) -> Result<Markup, AppError> {
    let all = state.db(campaigns::all).await?;
    Ok(view::list(&staff, &all))
}

pub async fn new(staff: web::ReqData<CurrentStaff>) -> Markup {
    let values = CampaignValues {
        // New campaigns start hidden: their articles and actions too, until made live.
        status: "draft".into(),
        ..Default::default()
    };
    view::form(&staff, None, &values, &Errors::new())
}

pub async fn edit(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
    id: web::Path<String>,
) -> Result<Markup, AppError> {
    let id = id.into_inner();
    let lookup = id.clone();
    let c = state
        .db(move |conn| campaigns::find(conn, &lookup))
        .await?
        .ok_or(AppError::NotFound)?;
    let values = CampaignValues {
        title: c.title,
        slug: c.slug,
        summary: c.summary,
        status: c.status,
    };
    Ok(view::form(&staff, Some(&id), &values, &Errors::new()))
}

/// Checks the form: the values to store, or the errors to show.
fn parse(form: &StaffForm) -> (CampaignValues, Result<Slug, Errors>) {
    let values = CampaignValues {
        title: form.get("title").trim().to_string(),
        slug: form.get("slug").trim().to_string(),
        summary: form.get("summary").trim().to_string(),
        status: form.get("status").to_string(),
    };
    let mut errors = Errors::new();
    if values.title.is_empty() {
        errors.push(("title", "Enter a title".into()));
    } else if values.title.chars().count() > 200 {
        errors.push(("title", "The title must be 200 characters or fewer".into()));
    } else if has_control(&values.title, false) {
        errors.push((
            "title",
            "The title must not contain line breaks or control characters".into(),
        ));
    }
    if has_stray_control(&values.summary) {
        errors.push((
            "summary",
            "The summary must not contain control characters (such as NUL)".into(),
        ));
    } else if values.summary.chars().count() > 1000 {
        errors.push((
            "summary",
            "The summary must be 1,000 characters or fewer".into(),
        ));
    }
    if !STATUSES.contains(&values.status.as_str()) {
        errors.push(("status", "Choose a status from the list".into()));
    }
    let slug = Slug::parse_or_from(&values.slug, &values.title);
    if let Err(message) = &slug {
        errors.push(("slug", (*message).into()));
    }
    match slug {
        Ok(slug) if errors.is_empty() => (values, Ok(slug)),
        _ => (values, Err(errors)),
    }
}

fn invalid(
    staff: &CurrentStaff,
    id: Option<&str>,
    values: &CampaignValues,
    errors: &Errors,
) -> HttpResponse {
    html_page(
        StatusCode::UNPROCESSABLE_ENTITY,
        view::form(staff, id, values, errors),
    )
}

fn slug_taken() -> Errors {
    vec![("slug", "Another campaign already has this slug".into())]
}

pub async fn create(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
    form: StaffForm,
) -> Result<HttpResponse, AppError> {
    let (values, slug) = parse(&form);
    let slug = match slug {
        Ok(slug) => slug,
        Err(errors) => return Ok(invalid(&staff, None, &values, &errors)),
    };
    let (row, staff_id) = (values.clone(), staff.id.clone());
    let result = state
        .db(move |conn| {
            let now = db::now();
            let id = db::new_id();
            let inserted = db::unless_taken(campaigns::insert(
                conn,
                &campaigns::NewCampaign {
                    id: id.clone(),
                    slug: slug.as_str(),
                    title: &row.title,
                    summary: &row.summary,
                    status: &row.status,
                    created_at: now,
                    updated_at: now,
                },
            ))?;
            if inserted.is_some() {
                let detail = format!("{} ({})", row.title, row.status);
                db::audit::staff_change(
                    conn,
                    &staff_id,
                    "campaign.created",
                    ("campaign", &id),
                    &detail,
                )?;
            }
            Ok(inserted)
        })
        .await?;
    if result.is_none() {
        return Ok(invalid(&staff, None, &values, &slug_taken()));
    }
    Ok(super::saved("/admin/campaigns", "Saved"))
}

pub async fn update(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
    id: web::Path<String>,
    form: StaffForm,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let (values, slug) = parse(&form);
    let slug = match slug {
        Ok(slug) => slug,
        Err(errors) => return Ok(invalid(&staff, Some(&id), &values, &errors)),
    };
    let (row, key, staff_id) = (values.clone(), id.clone(), staff.id.clone());
    let result = state
        .db(move |conn| {
            let updated = db::unless_taken(campaigns::update(
                conn,
                &key,
                slug.as_str(),
                &row.title,
                &row.summary,
                &row.status,
            ))?;
            if updated == Some(true) {
                let detail = format!("{} ({})", row.title, row.status);
                db::audit::staff_change(
                    conn,
                    &staff_id,
                    "campaign.changed",
                    ("campaign", &key),
                    &detail,
                )?;
            }
            Ok(updated)
        })
        .await?;
    match result {
        Some(true) => Ok(super::saved("/admin/campaigns", "Saved")),
        Some(false) => Err(AppError::NotFound),
        None => Ok(invalid(&staff, Some(&id), &values, &slug_taken())),
    }
}
