//! Sending an article to the newsletter: create a mailing from a published article, edit
//! its subject and introduction per language, send a test to oneself, see who would
//! receive it, then send it now or at a set time; pause, resume or cancel it.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::NaiveDateTime;

use super::staff_form::StaffForm;
use crate::db::mailings::{self, Control, MailingText};
use crate::db::{self, articles, audit, outbox, subscribers, translations};
use crate::domain::staff::CurrentStaff;
use crate::domain::text::has_stray_control;
use crate::email::mailing;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::views::admin::fields::Errors;
use crate::views::admin::mailings::{self as view, MailingView};
use crate::web::{html_page, AppState};

/// Subjects are a line; introductions a paragraph or two.
const SUBJECT_MAX: usize = 200;
const INTRO_MAX: usize = 2_000;

/// Back to the mailing's page, saying whether it was `done`.
fn back(id: &str, done: bool, (yes, no): (&'static str, &'static str)) -> HttpResponse {
    super::saved(
        &format!("/admin/mailings/{id}"),
        if done { yes } else { no },
    )
}

/// `GET /admin/mailings`.
pub async fn list(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
) -> Result<HttpResponse, AppError> {
    let (all, articles) = state
        .db(|conn| {
            let now = db::now();
            Ok((mailings::all(conn)?, articles::published(conn, now, 100)?))
        })
        .await?;
    Ok(html_page(
        StatusCode::OK,
        view::list(&staff, &all, &articles),
    ))
}

/// `POST /admin/mailings`: a draft of the published article `article` (its slug), its
/// texts prefilled from the article's title and standfirst in each language.
pub async fn create(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
    form: StaffForm,
) -> Result<HttpResponse, AppError> {
    let slug = form.get("article").trim().to_string();
    let staff_id = staff.id.clone();
    let created = state
        .db(move |conn| {
            let now = db::now();
            let found = articles::published(conn, now, 100)?
                .into_iter()
                .find(|a| a.slug == slug);
            let Some(article) = found else {
                return Ok(None);
            };
            let mut texts = Vec::new();
            for lang in Lang::ALL {
                let (shown, translated) = translations::localise_one(conn, article.clone(), lang)?;
                let text = match lang == Lang::En || translated {
                    true => MailingText {
                        subject: shown.title,
                        intro: shown.standfirst,
                    },
                    false => MailingText::default(),
                };
                texts.push((lang, text));
            }
            mailings::create(conn, &article.id, &staff_id, &texts, now).map(Some)
        })
        .await?;
    match created {
        Some(id) => Ok(super::saved(
            &format!("/admin/mailings/{id}"),
            "Mailing created",
        )),
        None => Ok(html_page(
            StatusCode::UNPROCESSABLE_ENTITY,
            view::no_article(&staff),
        )),
    }
}

/// The page of mailing `id`, with `errors` under its texts.
async fn page(
    state: &AppState,
    staff: &CurrentStaff,
    id: String,
    errors: Errors,
) -> Result<HttpResponse, AppError> {
    let found = state
        .db(move |conn| {
            let Some(mailing) = mailings::find(conn, &id)? else {
                return Ok(None);
            };
            let article = mailings::article(conn, &mailing.article_id)?;
            Ok(Some(MailingView {
                texts: mailings::texts(conn, &mailing.id)?,
                audience: subscribers::audience(conn)?,
                results: mailings::results(conn, &mailing.id)?,
                left: mailings::left_through(conn, &mailing.id)?,
                brought: mailings::brought(conn, &mailing.id)?,
                article_title: article.map(|a| a.title).unwrap_or_default(),
                mailing,
            }))
        })
        .await?
        .ok_or(AppError::NotFound)?;
    let status = match errors.is_empty() {
        true => StatusCode::OK,
        false => StatusCode::UNPROCESSABLE_ENTITY,
    };
    Ok(html_page(status, view::show(staff, &found, &errors)))
}

/// `GET /admin/mailings/{id}`.
pub async fn show(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    page(&state, &staff, id.into_inner(), Vec::new()).await
}

/// The texts as typed, or what is wrong with them.
fn typed_texts(form: &StaffForm) -> Result<Vec<(Lang, MailingText)>, Errors> {
    let mut errors = Vec::new();
    let mut texts = Vec::new();
    for lang in Lang::ALL {
        let (subject, intro) = match lang {
            Lang::En => ("subject_en", "intro_en"),
            Lang::Fr => ("subject_fr", "intro_fr"),
            Lang::Km => ("subject_km", "intro_km"),
        };
        for (field, max) in [(subject, SUBJECT_MAX), (intro, INTRO_MAX)] {
            let text = form.get(field);
            if text.chars().count() > max
                || has_stray_control(text)
                || (field == subject && text.contains(['\r', '\n']))
            {
                errors.push((
                    field,
                    format!("Keep it to {max} characters of plain text, on one line for a subject"),
                ));
            }
        }
        texts.push((
            lang,
            MailingText {
                subject: form.get(subject).trim().to_string(),
                intro: form.get(intro).trim().to_string(),
            },
        ));
    }
    if texts[0].1.subject.is_empty() {
        errors.push(("subject_en", "Enter the subject".to_string()));
    }
    match errors.is_empty() {
        true => Ok(texts),
        false => Err(errors),
    }
}

/// `POST /admin/mailings/{id}`: its texts, while it has not started.
pub async fn save(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
    id: web::Path<String>,
    form: StaffForm,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let texts = match typed_texts(&form) {
        Ok(texts) => texts,
        Err(errors) => return page(&state, &staff, id, errors).await,
    };
    let key = id.clone();
    let saved = state
        .db(move |conn| mailings::save_texts(conn, &key, &texts, db::now()))
        .await?;
    Ok(back(
        &id,
        saved,
        ("Saved", "This mailing has started: its texts stay as sent"),
    ))
}

/// `POST /admin/mailings/{id}/test`: the real email, headers included, to the staff
/// member's own address, in the `language` chosen.
pub async fn test(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
    id: web::Path<String>,
    form: StaffForm,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let lang = Lang::parse(form.get("language")).unwrap_or_default();
    let (key, to) = (id.clone(), staff.email.clone());
    let (secret, base_url) = (state.secret.as_bytes().to_vec(), state.base_url.clone());
    let found = state
        .db(move |conn| {
            let Some(found) = mailings::find(conn, &key)? else {
                return Ok(false);
            };
            let Some(content) = mailing::content(conn, &found, lang)? else {
                return Ok(false);
            };
            let organisation = db::organisation::load(conn)?;
            let site = (found.id.as_str(), secret.as_slice(), base_url.as_str());
            let email = mailing::test_email(&content, lang, &to, organisation.display_name(), site);
            outbox::enqueue(conn, &email)?;
            Ok(true)
        })
        .await?;
    if !found {
        return Err(AppError::NotFound);
    }
    state.wake_mailings();
    Ok(super::saved(
        &format!("/admin/mailings/{id}"),
        "Test sent to your address",
    ))
}

/// `POST /admin/mailings/{id}/send`: now, or at `send_at` (UTC) when given.
pub async fn send(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
    id: web::Path<String>,
    form: StaffForm,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let at = match form.get("send_at").trim() {
        "" => None,
        typed => match NaiveDateTime::parse_from_str(typed, "%Y-%m-%dT%H:%M") {
            Ok(at) => Some(at),
            Err(_) => {
                let error = (
                    "send_at",
                    "Enter a date and time like 2026-12-12T09:00".to_string(),
                );
                return page(&state, &staff, id, vec![error]).await;
            }
        },
    };
    let (key, staff_id) = (id.clone(), staff.id.clone());
    let done = state
        .db(move |conn| {
            let now = db::now();
            let (event, detail) = match at.filter(|at| *at > now) {
                Some(at) if mailings::schedule(conn, &key, at)? => {
                    ("mailing.scheduled", format!("for {at} UTC"))
                }
                Some(_) => return Ok(false),
                None => match mailings::start(conn, &key, now)? {
                    Some(count) => ("mailing.sent", format!("{count} recipients")),
                    None => return Ok(false),
                },
            };
            audit::staff_change(conn, &staff_id, event, ("mailing", &key), &detail)?;
            Ok(true)
        })
        .await?;
    state.wake_mailings();
    Ok(back(
        &id,
        done,
        ("Sending as asked", "This mailing has started already"),
    ))
}

/// `POST /admin/mailings/{id}/{pause|resume|cancel}`.
pub async fn control(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
    path: web::Path<(String, String)>,
    _form: StaffForm,
) -> Result<HttpResponse, AppError> {
    let (id, verb) = path.into_inner();
    let action = match verb.as_str() {
        "pause" => Control::Pause,
        "resume" => Control::Resume,
        "cancel" => Control::Cancel,
        _ => return Err(AppError::NotFound),
    };
    let (key, staff_id) = (id.clone(), staff.id.clone());
    let done = state
        .db(move |conn| {
            let done = mailings::control(conn, &key, action, db::now())?;
            let event = match action {
                Control::Pause => "mailing.paused",
                Control::Resume => "mailing.resumed",
                Control::Cancel => "mailing.cancelled",
            };
            if done {
                audit::staff_change(conn, &staff_id, event, ("mailing", &key), "")?;
            }
            Ok(done)
        })
        .await?;
    state.wake_mailings();
    Ok(back(
        &id,
        done,
        ("Done", "Not possible in the mailing's state"),
    ))
}
