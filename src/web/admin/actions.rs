//! Actions: list, create (petition or contact), edit, open and close.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::NaiveDateTime;
use maud::Markup;
use serde::Deserialize;

use super::staff_form::StaffForm;
use crate::db::actions::{self, ActionChanges};
use crate::db::letters::{self, TargetDelivery};
use crate::db::{self, campaigns};
use crate::domain::slug::Slug;
use crate::domain::staff::CurrentStaff;
use crate::error::AppError;
use crate::views::admin::actions::{self as view, ActionForm, ActionValues};
use crate::views::admin::fields::Errors;
use crate::web::AppState;

const DATETIME: &str = "%Y-%m-%dT%H:%M";

struct Choices {
    campaigns: Vec<(String, String)>,
    target_lists: Vec<(String, String)>,
    /// An existing contact action's letters per target, shown under its form.
    delivery: Option<Vec<TargetDelivery>>,
}

async fn choices(state: &AppState) -> Result<Choices, AppError> {
    state
        .db(|conn| {
            Ok(Choices {
                campaigns: campaigns::all(conn)?
                    .into_iter()
                    .map(|c| (c.id, c.title))
                    .collect(),
                target_lists: actions::target_list_choices(conn)?,
                delivery: None,
            })
        })
        .await
}

fn render(
    staff: &CurrentStaff,
    status: StatusCode,
    id: Option<&str>,
    values: &ActionValues,
    errors: &Errors,
    choices: &Choices,
) -> HttpResponse {
    let page = view::form(
        staff,
        &ActionForm {
            id,
            values,
            errors,
            campaigns: &choices.campaigns,
            target_lists: &choices.target_lists,
            delivery: choices.delivery.as_deref(),
        },
    );
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(page.into_string())
}

pub async fn list(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
) -> Result<Markup, AppError> {
    Ok(view::list(&staff, &state.db(actions::all).await?))
}

#[derive(Deserialize)]
pub struct NewQuery {
    kind: Option<String>,
}

pub async fn new(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
    query: web::Query<NewQuery>,
) -> Result<HttpResponse, AppError> {
    let kind = if query.kind.as_deref() == Some("contact") {
        "contact"
    } else {
        "petition"
    };
    let choices = choices(&state).await?;
    let values = ActionValues {
        kind: kind.into(),
        campaign_id: choices
            .campaigns
            .first()
            .map(|c| c.0.clone())
            .unwrap_or_default(),
        status: "draft".into(),
        confirm_window_days: "30".into(),
        max_targets: "5".into(),
        delivery_mode: "platform".into(),
        max_per_hour: "30".into(),
        consent_text:
            "Keep me informed about this campaign by email. I can unsubscribe at any time.".into(),
        consent_version: "1".into(),
        ..Default::default()
    };
    Ok(render(
        &staff,
        StatusCode::OK,
        None,
        &values,
        &Errors::new(),
        &choices,
    ))
}

fn values_of(record: actions::ActionRecord) -> ActionValues {
    let c = record.changes;
    ActionValues {
        kind: record.kind,
        campaign_id: c.campaign_id,
        title: c.title,
        slug: c.slug,
        summary: c.summary,
        status: c.status,
        body_md: c.body_md,
        addressee: c.addressee,
        goal: c.goal.map(|g| g.to_string()).unwrap_or_default(),
        deadline: c
            .deadline
            .map(|d| d.format(DATETIME).to_string())
            .unwrap_or_default(),
        confirm_window_days: c.confirm_window_days.to_string(),
        target_list_id: c.target_list_id.unwrap_or_default(),
        subject_template: c.subject_template,
        body_template: c.body_template,
        max_targets: c.max_targets.to_string(),
        delivery_mode: c.delivery_mode,
        max_per_hour: c.max_per_hour.to_string(),
        consent_text: c.consent_text,
        consent_version: c.consent_version,
    }
}

pub async fn edit(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let key = id.clone();
    let record = state
        .db(move |conn| actions::find(conn, &key))
        .await?
        .ok_or(AppError::NotFound)?;
    let mut choices = choices(&state).await?;
    if record.kind == "contact" {
        let key = id.clone();
        choices.delivery = Some(
            state
                .db(move |conn| letters::delivery_by_target(conn, &key))
                .await?,
        );
    }
    Ok(render(
        &staff,
        StatusCode::OK,
        Some(&id),
        &values_of(record),
        &Errors::new(),
        &choices,
    ))
}

/// Collects field errors while turning typed text into stored values.
struct Check(Errors);

impl Check {
    fn text(&mut self, field: &'static str, value: &str, required: bool, max: usize) -> String {
        if required && value.trim().is_empty() {
            self.0.push((field, "This field is required".into()));
        } else if value.chars().count() > max {
            self.0.push((field, format!("At most {max} characters")));
        }
        value.trim().to_string()
    }

    fn number(
        &mut self,
        field: &'static str,
        value: &str,
        range: std::ops::RangeInclusive<i64>,
    ) -> Option<i64> {
        match value.trim().parse::<i64>() {
            Ok(n) if range.contains(&n) => Some(n),
            _ => {
                self.0.push((
                    field,
                    format!(
                        "Enter a whole number from {} to {}",
                        range.start(),
                        range.end()
                    ),
                ));
                None
            }
        }
    }

    fn one_of(&mut self, field: &'static str, value: &str, allowed: &[&str]) -> String {
        if !allowed.contains(&value) {
            self.0
                .push((field, "Choose an option from the list".into()));
        }
        value.to_string()
    }
}

fn parse(
    form: &StaffForm,
    kind: &str,
    choices: &Choices,
) -> (ActionValues, Result<ActionChanges, Errors>) {
    let field = |name: &str| form.get(name).to_string();
    let v = ActionValues {
        kind: kind.to_string(),
        campaign_id: field("campaign_id"),
        title: field("title"),
        slug: field("slug"),
        summary: field("summary"),
        status: field("status"),
        body_md: field("body_md"),
        addressee: field("addressee"),
        goal: field("goal"),
        deadline: field("deadline"),
        confirm_window_days: field("confirm_window_days"),
        target_list_id: field("target_list_id"),
        subject_template: field("subject_template"),
        body_template: field("body_template"),
        max_targets: field("max_targets"),
        delivery_mode: field("delivery_mode"),
        max_per_hour: field("max_per_hour"),
        consent_text: field("consent_text"),
        consent_version: field("consent_version"),
    };
    let petition = kind == "petition";
    let mut c = Check(Errors::new());
    if !choices.campaigns.iter().any(|(id, _)| *id == v.campaign_id) {
        c.0.push((
            "campaign_id",
            "Choose a campaign (create one first if the list is empty)".into(),
        ));
    }
    let mut changes = ActionChanges {
        campaign_id: v.campaign_id.clone(),
        title: c.text("title", &v.title, true, 200),
        summary: c.text("summary", &v.summary, false, 600),
        status: c.one_of("status", &v.status, &["draft", "open", "closed"]),
        body_md: c.text("body_md", &v.body_md, petition, 20_000),
        consent_text: c.text("consent_text", &v.consent_text, true, 500),
        consent_version: c.text("consent_version", &v.consent_version, true, 50),
        confirm_window_days: 30,
        max_targets: 5,
        delivery_mode: "platform".into(),
        max_per_hour: 30,
        ..Default::default()
    };
    if petition {
        changes.addressee = c.text("addressee", &v.addressee, true, 200);
        changes.goal = if v.goal.trim().is_empty() {
            None
        } else {
            c.number("goal", &v.goal, 1..=1_000_000_000)
        };
        changes.deadline = match v.deadline.trim() {
            "" => None,
            typed => NaiveDateTime::parse_from_str(typed, DATETIME)
                .map_err(|_| {
                    c.0.push((
                        "deadline",
                        "Enter a date and time like 2027-05-31T23:59".into(),
                    ))
                })
                .ok(),
        };
        changes.confirm_window_days = c
            .number("confirm_window_days", &v.confirm_window_days, 1..=365)
            .unwrap_or(30) as i32;
    } else {
        if !choices
            .target_lists
            .iter()
            .any(|(id, _)| *id == v.target_list_id)
        {
            c.0.push((
                "target_list_id",
                "Choose a target list (upload one first if the list is empty)".into(),
            ));
        }
        changes.target_list_id = Some(v.target_list_id.clone());
        changes.subject_template = c.text("subject_template", &v.subject_template, true, 200);
        if v.subject_template.contains(['\r', '\n']) {
            c.0.push(("subject_template", "The subject must be one line".into()));
        }
        changes.body_template = c.text("body_template", &v.body_template, true, 5_000);
        changes.max_targets = c.number("max_targets", &v.max_targets, 1..=50).unwrap_or(5) as i32;
        changes.delivery_mode =
            c.one_of("delivery_mode", &v.delivery_mode, &["platform", "mailto"]);
        changes.max_per_hour = c
            .number("max_per_hour", &v.max_per_hour, 1..=10_000)
            .unwrap_or(30) as i32;
    }
    match Slug::parse_or_from(&v.slug, &v.title) {
        Ok(slug) => changes.slug = slug.as_str().to_string(),
        Err(message) => c.0.push(("slug", message.into())),
    }
    let result = if c.0.is_empty() {
        Ok(changes)
    } else {
        Err(c.0)
    };
    (v, result)
}

async fn save(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
    id: Option<String>,
    form: StaffForm,
) -> Result<HttpResponse, AppError> {
    let choices = choices(&state).await?;
    // The kind is chosen once: on edit it comes from the stored action, not the form.
    let kind = match &id {
        Some(id) => {
            let key = id.clone();
            state
                .db(move |conn| actions::find(conn, &key))
                .await?
                .ok_or(AppError::NotFound)?
                .kind
        }
        None if form.get("kind") == "contact" => "contact".to_string(),
        None => "petition".to_string(),
    };
    let (values, parsed) = parse(&form, &kind, &choices);
    let changes = match parsed {
        Ok(changes) => changes,
        Err(errors) => {
            return Ok(render(
                &staff,
                StatusCode::UNPROCESSABLE_ENTITY,
                id.as_deref(),
                &values,
                &errors,
                &choices,
            ))
        }
    };
    let (key, kind_of, staff_id) = (id.clone(), kind.clone(), staff.id.clone());
    let saved = state
        .db(move |conn| {
            let before = match key.as_deref() {
                Some(k) => actions::find(conn, k)?.map(|a| a.changes.status),
                None => None,
            };
            let saved = db::unless_taken(actions::save(conn, key.as_deref(), &kind_of, &changes))?;
            if let Some(Some(id)) = &saved {
                let event = if key.is_some() {
                    "action.changed"
                } else {
                    "action.created"
                };
                let detail = format!("{} {} ({})", kind_of, changes.title, changes.status);
                db::audit::staff_change(conn, &staff_id, event, ("action", id), &detail)?;
                if changes.status == "open" && before.as_deref() != Some("open") {
                    db::audit::staff_change(
                        conn,
                        &staff_id,
                        "action.opened",
                        ("action", id),
                        &changes.title,
                    )?;
                }
            }
            Ok(saved)
        })
        .await?;
    match saved {
        Some(Some(_)) => Ok(super::see_other("/admin/actions")),
        Some(None) => Err(AppError::NotFound),
        None => {
            let errors = vec![("slug", "Another action already has this slug".to_string())];
            Ok(render(
                &staff,
                StatusCode::UNPROCESSABLE_ENTITY,
                id.as_deref(),
                &values,
                &errors,
                &choices,
            ))
        }
    }
}

pub async fn create(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
    form: StaffForm,
) -> Result<HttpResponse, AppError> {
    save(state, staff, None, form).await
}

pub async fn update(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
    id: web::Path<String>,
    form: StaffForm,
) -> Result<HttpResponse, AppError> {
    save(state, staff, Some(id.into_inner()), form).await
}
