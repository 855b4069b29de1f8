//! Translating what staff wrote: for an article, a campaign or an action, the original
//! and its French or Khmer translation side by side, field by field. An empty field is
//! not translated: pages in that language show the original there.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use super::staff_form::StaffForm;
use crate::db::translation_status;
use crate::db::translations::{self, Subject};
use crate::db::{actions, articles, campaigns};
use crate::domain::staff::CurrentStaff;
use crate::domain::text::has_stray_control;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::views::admin::translations::{self as view, TranslationView};
use crate::web::{html_page, AppState};

/// The longest translated field: a body, like the originals' longest.
const FIELD_MAX: usize = 20_000;

/// What is being translated, and its original fields as (name, text).
async fn original(
    state: &AppState,
    kind: &str,
    id: &str,
) -> Result<(Subject, String, Vec<(&'static str, String)>), AppError> {
    let (kind, key) = (kind.to_string(), id.to_string());
    let found = state
        .db(move |conn| {
            Ok(match kind.as_str() {
                "article" => articles::find(conn, &key)?.map(|a| {
                    let fields = vec![
                        ("title", a.title.clone()),
                        ("standfirst", a.standfirst),
                        ("body_md", a.body_md),
                    ];
                    (Subject::Article, a.title, fields)
                }),
                "campaign" => campaigns::find(conn, &key)?.map(|c| {
                    (
                        Subject::Campaign,
                        c.title.clone(),
                        vec![("title", c.title), ("summary", c.summary)],
                    )
                }),
                "action" => actions::find(conn, &key)?.map(|a| {
                    let c = a.changes;
                    let subject = if a.kind == "petition" {
                        Subject::Petition
                    } else {
                        Subject::Contact
                    };
                    let all = [
                        ("title", c.title.clone()),
                        ("summary", c.summary),
                        ("addressee", c.addressee),
                        ("body_md", c.body_md),
                        ("subject_template", c.subject_template),
                        ("body_template", c.body_template),
                    ];
                    let fields = all
                        .into_iter()
                        .filter(|(f, _)| subject.fields().contains(f))
                        .collect();
                    (subject, c.title, fields)
                }),
                _ => None,
            })
        })
        .await?;
    found.ok_or(AppError::NotFound)
}

fn language(code: &str) -> Result<Lang, AppError> {
    Lang::parse(code)
        .filter(|l| *l != Lang::En)
        .ok_or(AppError::NotFound)
}

/// `GET /admin/translations`: which translations exist.
pub async fn overview(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
) -> Result<HttpResponse, AppError> {
    let items = state.db(translation_status::all).await?;
    Ok(html_page(StatusCode::OK, view::overview(&staff, &items)))
}

/// `GET /admin/translations/{kind}/{id}/{lang}`.
pub async fn show(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
    path: web::Path<(String, String, String)>,
) -> Result<HttpResponse, AppError> {
    let (kind, id, code) = path.into_inner();
    let lang = language(&code)?;
    let (subject, title, fields) = original(&state, &kind, &id).await?;
    let key = (subject.kind(), id.clone());
    let (done, demo) = state
        .db(move |conn| {
            let done = translations::of(conn, key.0, &key.1, lang)?;
            Ok((done, translations::from_demo(conn, key.0, &key.1, lang)?))
        })
        .await?;
    let typed: Vec<String> = fields
        .iter()
        .map(|(f, _)| done.get(f).unwrap_or("").to_string())
        .collect();
    let page = TranslationView {
        subject: (subject.kind(), &id, &title),
        lang,
        fields: &fields,
        typed: &typed,
        errors: &[],
        demo,
    };
    Ok(html_page(StatusCode::OK, view::page(&staff, &page)))
}

/// `POST /admin/translations/{kind}/{id}/{lang}`: one field per original field.
pub async fn save(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
    path: web::Path<(String, String, String)>,
    form: StaffForm,
) -> Result<HttpResponse, AppError> {
    let (kind, id, code) = path.into_inner();
    let lang = language(&code)?;
    let (subject, title, fields) = original(&state, &kind, &id).await?;
    let typed: Vec<String> = fields
        .iter()
        .map(|(f, _)| form.get(f).to_string())
        .collect();
    let errors: Vec<(&'static str, String)> = fields
        .iter()
        .zip(&typed)
        .filter_map(|((field, _), text)| {
            if text.chars().count() > FIELD_MAX {
                Some((
                    *field,
                    format!("Keep it to {FIELD_MAX} characters or fewer"),
                ))
            } else if has_stray_control(text) {
                Some((
                    *field,
                    "Remove the invisible control characters".to_string(),
                ))
            } else {
                None
            }
        })
        .collect();
    if !errors.is_empty() {
        let page = TranslationView {
            subject: (subject.kind(), &id, &title),
            lang,
            fields: &fields,
            typed: &typed,
            errors: &errors,
            demo: false,
        };
        return Ok(html_page(
            StatusCode::UNPROCESSABLE_ENTITY,
            view::page(&staff, &page),
        ));
    }
    let staff_id = staff.id.clone();
    let (kind, key) = (subject.kind(), id.clone());
    let names: Vec<&'static str> = fields.iter().map(|(f, _)| *f).collect();
    state
        .db(move |conn| {
            let pairs: Vec<(&str, &str)> = names
                .iter()
                .copied()
                .zip(typed.iter().map(String::as_str))
                .collect();
            translations::save_by(conn, Some(&staff_id), (kind, &key), lang, &pairs)
        })
        .await?;
    let back = format!("/admin/translations/{kind}/{id}/{}", lang.code());
    Ok(super::saved(&back, "Saved"))
}
