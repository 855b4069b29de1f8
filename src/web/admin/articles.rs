//! Articles: list, create, edit with a server-rendered preview, attach actions in order.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::NaiveDateTime;
use maud::Markup;

use super::staff_form::StaffForm;
use crate::db::articles::ArticleChanges;
use crate::db::{self, actions, article_pictures, articles, campaigns};
use crate::domain::slug::Slug;
use crate::domain::staff::CurrentStaff;
use crate::domain::text::{has_control, has_stray_control};
use crate::error::AppError;
use crate::views::admin::articles::{self as view, ArticleForm, ArticleValues};
use crate::views::admin::fields::Errors;
use crate::views::admin::pictures::{self, PictureForm};
use crate::web::{html_page, AppState};

const DATETIME: &str = "%Y-%m-%dT%H:%M";

/// Campaigns and actions offered by the form.
struct Choices {
    campaigns: Vec<(String, String)>,
    actions: Vec<(String, String, String)>,
    /// An existing article's picture form, shown under its edit form.
    picture: Option<Markup>,
}

async fn choices(state: &AppState) -> Result<Choices, AppError> {
    state
        .db(|conn| {
            Ok(Choices {
                campaigns: campaigns::all(conn)?
                    .into_iter()
                    .map(|c| (c.id, c.title))
                    .collect(),
                actions: actions::choices(conn)?,
                picture: None,
            })
        })
        .await
}

fn with_positions(
    choices: &Choices,
    positions: impl Fn(&str) -> String,
) -> Vec<(String, String, String, String)> {
    choices
        .actions
        .iter()
        .map(|(id, title, kind)| (id.clone(), title.clone(), kind.clone(), positions(id)))
        .collect()
}

fn render(
    staff: &CurrentStaff,
    status: StatusCode,
    id: Option<&str>,
    values: &ArticleValues,
    errors: &Errors,
    choices: &Choices,
    preview: bool,
) -> HttpResponse {
    let page = view::form(
        staff,
        &ArticleForm {
            id,
            values,
            errors,
            campaigns: &choices.campaigns,
            preview,
            picture: choices.picture.clone(),
        },
    );
    html_page(status, page)
}

pub async fn list(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
) -> Result<Markup, AppError> {
    Ok(view::list(&staff, &state.db(articles::all).await?))
}

pub async fn new(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
) -> Result<HttpResponse, AppError> {
    let choices = choices(&state).await?;
    let values = ArticleValues {
        campaign_id: choices
            .campaigns
            .first()
            .map(|c| c.0.clone())
            .unwrap_or_default(),
        status: "draft".into(),
        actions: with_positions(&choices, |_| String::new()),
        ..Default::default()
    };
    Ok(render(
        &staff,
        StatusCode::OK,
        None,
        &values,
        &Errors::new(),
        &choices,
        false,
    ))
}

pub async fn edit(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let form = PictureForm::default();
    edit_page(&state, &staff, id.into_inner(), StatusCode::OK, &form).await
}

/// The edit page with its picture form as `picture` says (errors, alt text as typed).
pub(super) async fn edit_page(
    state: &AppState,
    staff: &CurrentStaff,
    id: String,
    status: StatusCode,
    picture: &PictureForm<'_>,
) -> Result<HttpResponse, AppError> {
    let key = id.clone();
    let (article, attached, shown) = state
        .db(move |conn| {
            Ok((
                articles::find(conn, &key)?,
                articles::attached(conn, &key)?,
                article_pictures::info(conn, &key)?,
            ))
        })
        .await?;
    let article = article.ok_or(AppError::NotFound)?;
    let mut choices = choices(state).await?;
    choices.picture = Some(pictures::section(staff, &id, shown.as_ref(), picture));
    let values = ArticleValues {
        campaign_id: article.campaign_id,
        title: article.title,
        slug: article.slug,
        standfirst: article.standfirst,
        body_md: article.body_md,
        author: article.author,
        status: article.status,
        published_at: article
            .published_at
            .map(|d| d.format(DATETIME).to_string())
            .unwrap_or_default(),
        actions: with_positions(&choices, |action| {
            attached
                .iter()
                .find(|(a, _)| a == action)
                .map(|(_, p)| p.to_string())
                .unwrap_or_default()
        }),
    };
    Ok(render(
        staff,
        status,
        Some(&id),
        &values,
        &Errors::new(),
        &choices,
        false,
    ))
}

/// At most `max` characters, and no control characters (line breaks only where `lines`).
fn limit(errors: &mut Errors, field: &'static str, value: &str, max: usize, what: &str) {
    let lines = field == "body_md" || field == "standfirst";
    if value.chars().count() > max {
        errors.push((field, format!("{what} must be {max} characters or fewer")));
    } else if if lines {
        has_stray_control(value)
    } else {
        has_control(value, false)
    } {
        let rule = if lines {
            "control characters (such as NUL)"
        } else {
            "line breaks or control characters"
        };
        errors.push((field, format!("{what} must not contain {rule}")));
    }
}

/// What a valid form stores: the article and its (action id, position) links.
type Parsed = (ArticleChanges, Vec<(String, i32)>);

/// The form's values as typed (trimmed where spaces mean nothing).
fn typed(form: &StaffForm, choices: &Choices) -> ArticleValues {
    ArticleValues {
        campaign_id: form.get("campaign_id").to_string(),
        title: form.get("title").trim().to_string(),
        slug: form.get("slug").trim().to_string(),
        standfirst: form.get("standfirst").trim().to_string(),
        body_md: form.get("body_md").to_string(),
        author: form.get("author").trim().to_string(),
        status: form.get("status").to_string(),
        published_at: form.get("published_at").trim().to_string(),
        actions: with_positions(choices, |id| {
            form.get(&format!("position-{id}")).trim().to_string()
        }),
    }
}

/// The publication time typed, or now for an article published without one.
fn published_at(values: &ArticleValues, errors: &mut Errors) -> Option<NaiveDateTime> {
    match values.published_at.as_str() {
        "" => (values.status == "published").then(db::now),
        typed => NaiveDateTime::parse_from_str(typed, DATETIME)
            .inspect_err(|_| {
                let message = "Enter a date and time like 2026-11-28T09:00";
                errors.push(("published_at", message.into()))
            })
            .ok(),
    }
}

/// The attached actions as (action id, position 1 to 99); a blank position detaches.
fn positions(values: &ArticleValues, errors: &mut Errors) -> Vec<(String, i32)> {
    let mut attached = Vec::new();
    for (id, title, _, position) in &values.actions {
        match position.parse::<i32>() {
            _ if position.is_empty() => {}
            Ok(p) if (1..=99).contains(&p) => attached.push((id.clone(), p)),
            _ => errors.push((
                "actions",
                format!("The position of “{title}” must be a number from 1 to 99"),
            )),
        }
    }
    attached
}

/// What to store, or every error to show next to its field.
fn check(values: &ArticleValues, choices: &Choices) -> Result<Parsed, Errors> {
    let mut errors = Errors::new();
    let known = |(id, _): &(String, String)| *id == values.campaign_id;
    if !choices.campaigns.iter().any(known) {
        let message = "Choose a campaign (create one first if the list is empty)";
        errors.push(("campaign_id", message.into()));
    }
    if values.title.is_empty() {
        errors.push(("title", "Enter a title".into()));
    }
    limit(&mut errors, "title", &values.title, 200, "The title");
    let standfirst = &values.standfirst;
    limit(&mut errors, "standfirst", standfirst, 600, "The standfirst");
    limit(&mut errors, "body_md", &values.body_md, 100_000, "The body");
    limit(&mut errors, "author", &values.author, 200, "The author");
    if !["draft", "published"].contains(&values.status.as_str()) {
        errors.push(("status", "Choose a status from the list".into()));
    }
    let published_at = published_at(values, &mut errors);
    let attached = positions(values, &mut errors);
    let slug = Slug::parse_or_from(&values.slug, &values.title);
    if let Err(message) = &slug {
        errors.push(("slug", (*message).into()));
    }
    match slug {
        Ok(slug) if errors.is_empty() => Ok((
            ArticleChanges {
                campaign_id: values.campaign_id.clone(),
                slug: slug.as_str().to_string(),
                title: values.title.clone(),
                standfirst: values.standfirst.clone(),
                body_md: values.body_md.clone(),
                author: values.author.clone(),
                status: values.status.clone(),
                published_at,
            },
            attached,
        )),
        _ => Err(errors),
    }
}

async fn save(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
    id: Option<String>,
    form: StaffForm,
) -> Result<HttpResponse, AppError> {
    let choices = choices(&state).await?;
    let values = typed(&form, &choices);
    let id = id.as_deref();
    let page = |status, errors: &Errors, preview| {
        render(&staff, status, id, &values, errors, &choices, preview)
    };
    let (changes, attached) = match check(&values, &choices) {
        Err(errors) => return Ok(page(StatusCode::UNPROCESSABLE_ENTITY, &errors, false)),
        Ok(ok) => ok,
    };
    if form.get("intent") == "preview" {
        return Ok(page(StatusCode::OK, &Errors::new(), true));
    }
    let (key, staff_id) = (id.map(str::to_string), staff.id.clone());
    let saved = state
        .db(move |conn| articles::save_by(conn, &staff_id, key.as_deref(), &changes, &attached))
        .await?;
    match saved {
        Some(Some(_)) => Ok(super::saved("/admin/articles", "Saved")),
        Some(None) => Err(AppError::NotFound),
        None => {
            let errors = vec![("slug", "Another article already has this slug".to_string())];
            Ok(page(StatusCode::UNPROCESSABLE_ENTITY, &errors, false))
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
