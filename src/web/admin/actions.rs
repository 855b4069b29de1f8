//! Actions: list, create (petition or contact), edit, open and close.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use maud::Markup;
use serde::Deserialize;

use super::action_form::parse;
use super::staff_form::StaffForm;
use crate::db::actions::{self, ActionSaved};
use crate::db::campaigns;
use crate::db::letters::{self, TargetDelivery};
use crate::domain::staff::CurrentStaff;
use crate::error::AppError;
use crate::views::admin::actions::{self as view, ActionForm, ActionValues};
use crate::views::admin::fields::Errors;
use crate::views::admin::updates::{Panel, UpdateValues};
use crate::web::{html_page, AppState};

pub(super) const DATETIME: &str = "%Y-%m-%dT%H:%M";

pub(super) struct Choices {
    pub(super) campaigns: Vec<(String, String)>,
    pub(super) target_lists: Vec<(String, String)>,
    /// An existing contact action's letters per target and confirmed letters per
    /// partner (by key), shown under its form.
    delivery: Option<(Vec<TargetDelivery>, crate::db::partners::Counts)>,
    /// A petition whose text is about to change after (people, version) signed it.
    ask_version: Option<(i64, i32)>,
    /// An existing action's updates to supporters and who one would reach now.
    updates: Option<(usize, Vec<crate::views::admin::updates::Posted>)>,
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
                ask_version: None,
                updates: None,
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
    let (values_of_update, no_errors) = (UpdateValues::default(), Errors::new());
    let updates = match (id, &choices.updates) {
        (Some(action_id), Some((readers, posted))) => Some(Panel {
            action_id,
            petition: values.kind == "petition",
            readers: *readers,
            posted,
            values: &values_of_update,
            errors: &no_errors,
        }),
        _ => None,
    };
    let page = view::form(
        staff,
        &ActionForm {
            id,
            values,
            errors,
            campaigns: &choices.campaigns,
            target_lists: &choices.target_lists,
            delivery: choices
                .delivery
                .as_ref()
                .map(|(targets, partners)| view::Delivery { targets, partners }),
            ask_version: choices.ask_version,
            updates,
        },
    );
    html_page(status, page)
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
        public_signers: true,
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
        public_signers: c.public_signers,
        outcome_md: c.outcome_md,
        member_states_only: c.member_states_only,
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
                .db(move |conn| {
                    let rows = letters::delivery_by_target(conn, &key)?;
                    Ok((rows, crate::db::partners::letters_by_partner(conn, &key)?))
                })
                .await?,
        );
    }
    let key = id.clone();
    choices.updates = Some(
        state
            .db(move |conn| super::updates::panel_data(conn, &key))
            .await?,
    );
    Ok(render(
        &staff,
        StatusCode::OK,
        Some(&id),
        &values_of(record),
        &Errors::new(),
        &choices,
    ))
}

/// The kind is chosen once: on edit it comes from the stored action, not the form.
async fn kind_of(state: &AppState, id: Option<&str>, form: &StaffForm) -> Result<String, AppError> {
    match id {
        Some(id) => {
            let key = id.to_string();
            let found = state.db(move |conn| actions::find(conn, &key)).await?;
            Ok(found.ok_or(AppError::NotFound)?.kind)
        }
        None if form.get("kind") == "contact" => Ok("contact".to_string()),
        None => Ok("petition".to_string()),
    }
}

async fn save(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
    id: Option<String>,
    form: StaffForm,
) -> Result<HttpResponse, AppError> {
    let choices = choices(&state).await?;
    let kind = kind_of(&state, id.as_deref(), &form).await?;
    let (values, parsed) = parse(&form, &kind, &choices);
    let id = id.as_deref();
    let page = |errors: &Errors| {
        render(
            &staff,
            StatusCode::UNPROCESSABLE_ENTITY,
            id,
            &values,
            errors,
            &choices,
        )
    };
    let changes = match parsed {
        Ok(changes) => changes,
        Err(errors) => return Ok(page(&errors)),
    };
    let (key, staff_id) = (id.map(str::to_string), staff.id.clone());
    let new_version = form.get("new_version") == "1";
    let saved = state
        .db(move |conn| {
            let key = key.as_deref();
            actions::save_by(conn, &staff_id, key, &kind, &changes, new_version)
        })
        .await?;
    match saved {
        ActionSaved::Done(_) => Ok(super::saved("/admin/actions", "Saved")),
        ActionSaved::Unknown => Err(AppError::NotFound),
        ActionSaved::SlugTaken => {
            let errors = vec![("slug", "Another action already has this slug".to_string())];
            Ok(page(&errors))
        }
        ActionSaved::AskNewVersion { signed, version } => {
            let mut choices = choices;
            choices.ask_version = Some((signed, version));
            let (status, none) = (StatusCode::CONFLICT, Errors::new());
            Ok(render(&staff, status, id, &values, &none, &choices))
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
