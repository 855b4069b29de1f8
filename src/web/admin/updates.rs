//! Staff post an update to an action from its admin page: title and Markdown text in
//! English (required), French and Khmer (optional, both or neither), a kind (`update`,
//! or `delivered`, which for a petition keeps the signature list's digest and rows), and
//! whether to email it to the supporters who asked for news.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use super::staff_form::StaffForm;
use crate::db::updates::{self, Handed, NewUpdate, UpdateText};
use crate::db::{self, actions, handovers, DbConnection, DbError};
use crate::domain::staff::CurrentStaff;
use crate::domain::text::has_stray_control;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::views::admin::fields::Errors;
use crate::views::admin::updates::{self as view, Panel, Posted, UpdateValues};
use crate::web::{html_page, AppState};

/// A title is a line; a text a few paragraphs (Markdown). The messages say them.
const TITLE_MAX: usize = 200;
const BODY_MAX: usize = 20_000;

/// The posted updates of `action_id`, and how many addresses one emailed now reaches.
pub fn panel_data(
    conn: &mut DbConnection,
    action_id: &str,
) -> Result<(usize, Vec<Posted>), DbError> {
    let readers = updates::readers(conn, action_id)?.len();
    let mut posted = Vec::new();
    for (update, texts) in updates::of_action(conn, action_id)? {
        let results = updates::results(conn, &update.id)?;
        posted.push(Posted {
            update,
            texts,
            results,
        });
    }
    Ok((readers, posted))
}

/// The form's values, or what is wrong with them.
fn typed(form: &StaffForm) -> (UpdateValues, Errors) {
    let mut errors = Errors::new();
    let kind = form.get("kind").trim().to_string();
    if !["update", "delivered"].contains(&kind.as_str()) {
        errors.push(("kind", "Choose a kind from the list".into()));
    }
    let mut texts = Vec::new();
    for lang in Lang::ALL {
        let (title_name, body_name) = view::field_names(lang);
        let title = form.get(title_name).trim().to_string();
        // Line breaks as typed in a browser (CRLF) are kept as one.
        let body = form.get(body_name).trim().replace("\r\n", "\n");
        let required = lang == Lang::En;
        if title.is_empty() && body.is_empty() && !required {
            continue;
        }
        let missing = |what: &str| match required {
            true => format!("Enter the English {what}: every update has one"),
            false => format!("Enter the {what} too, or leave this language empty"),
        };
        if title.is_empty() {
            errors.push((title_name, missing("title")));
        } else if title.chars().count() > TITLE_MAX {
            errors.push((title_name, "A title must be 200 characters or fewer".into()));
        } else if title.chars().any(char::is_control) {
            errors.push((title_name, "A title must be one line of text".into()));
        }
        if body.is_empty() {
            errors.push((body_name, missing("text")));
        } else if body.chars().count() > BODY_MAX {
            errors.push((
                body_name,
                "A text must be 20,000 characters or fewer".into(),
            ));
        } else if has_stray_control(&body) {
            errors.push((
                body_name,
                "The text holds a control character; paste it again as plain text".into(),
            ));
        }
        texts.push((
            lang,
            UpdateText {
                title,
                body_md: body,
            },
        ));
    }
    let email = !form.get("email").is_empty() && form.get("email") != "0";
    (UpdateValues { kind, texts, email }, errors)
}

/// What a "delivered" update of petition `action_id` keeps: the list as the report
/// digests it now, and the day it was handed over if staff recorded that digest.
fn handed(conn: &mut DbConnection, action_id: &str) -> Result<Handed, DbError> {
    let (digest, rows) = super::exports::digest_and_rows_of_default_export(conn, action_id)?;
    let on = handovers::all(conn, action_id)?
        .into_iter()
        .rev()
        .find(|h| h.digest == digest)
        .map(|h| h.handed_on);
    Ok(Handed {
        digest,
        rows: rows as i64,
        on,
    })
}

/// `POST /admin/actions/{id}/updates`: publishes the update (and queues its emails);
/// 303 back to the action's page, or 422 with the form and what is wrong.
pub async fn publish(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
    id: web::Path<String>,
    form: StaffForm,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let key = id.clone();
    let action = state
        .db(move |conn| actions::find(conn, &key))
        .await?
        .ok_or(AppError::NotFound)?;
    let petition = action.kind == "petition";
    let (values, errors) = typed(&form);
    if !errors.is_empty() {
        let key = id.clone();
        let (readers, posted) = state.db(move |conn| panel_data(conn, &key)).await?;
        let shown = Panel {
            action_id: &id,
            petition,
            readers,
            posted: &posted,
            values: &values,
            errors: &errors,
        };
        let page = view::page(&staff, &action.changes.title, &shown);
        return Ok(html_page(StatusCode::UNPROCESSABLE_ENTITY, page));
    }
    let staff_id = staff.id.clone();
    let (action_id, update_values) = (id.clone(), values.clone());
    let queued = state
        .db(move |conn| {
            // A petition's list is handed over as one file; letters went one by one.
            let delivered = update_values.kind == "delivered" && petition;
            let handed = delivered.then(|| handed(conn, &action_id)).transpose()?;
            let new = NewUpdate {
                action_id: &action_id,
                staff_id: &staff_id,
                kind: &update_values.kind,
                texts: &update_values.texts,
                handed,
                email: update_values.email,
            };
            let (update_id, queued) = updates::publish(conn, &new, db::now())?;
            let detail = format!("{} update, {queued} emails queued", update_values.kind);
            db::audit::record(
                conn,
                &db::audit::Event {
                    staff_user_id: Some(&staff_id),
                    event: "update.published",
                    subject_type: "action_update",
                    subject_id: &update_id,
                    detail: &detail,
                    row_count: Some(queued as i64),
                },
            )?;
            Ok(queued)
        })
        .await?;
    if queued > 0 {
        state.wake_mailings();
    }
    Ok(super::saved(
        &format!("/admin/actions/{id}#updates"),
        "Update published",
    ))
}
