//! Articles: list, create, edit with a server-rendered preview, attach actions in order.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::NaiveDateTime;
use maud::Markup;

use super::staff_form::StaffForm;
use crate::db::articles::ArticleChanges;
use crate::db::{self, actions, articles, campaigns};
use crate::domain::slug::Slug;
use crate::domain::staff::CurrentStaff;
use crate::domain::text::{has_control, has_stray_control};
use crate::error::AppError;
use crate::views::admin::articles::{self as view, ArticleForm, ArticleValues};
use crate::views::admin::fields::Errors;
use crate::web::AppState;

const DATETIME: &str = "%Y-%m-%dT%H:%M";

/// Campaigns and actions offered by the form.
struct Choices {
    campaigns: Vec<(String, String)>,
    actions: Vec<(String, String, String)>,
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
    let id = id.into_inner();
    let key = id.clone();
    let (article, attached) = state
        .db(move |conn| Ok((articles::find(conn, &key)?, articles::attached(conn, &key)?)))
        .await?;
    let article = article.ok_or(AppError::NotFound)?;
    let choices = choices(&state).await?;
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
        &staff,
        StatusCode::OK,
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

/// The values as typed, and either what to store or the errors to show.
fn parse(form: &StaffForm, choices: &Choices) -> (ArticleValues, Result<Parsed, Errors>) {
    let values = ArticleValues {
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
    };
    let mut errors = Errors::new();
    if !choices
        .campaigns
        .iter()
        .any(|(id, _)| *id == values.campaign_id)
    {
        errors.push((
            "campaign_id",
            "Choose a campaign (create one first if the list is empty)".into(),
        ));
    }
    if values.title.is_empty() {
        errors.push(("title", "Enter a title".into()));
    }
    limit(&mut errors, "title", &values.title, 200, "The title");
    limit(
        &mut errors,
        "standfirst",
        &values.standfirst,
        600,
        "The standfirst",
    );
    limit(&mut errors, "body_md", &values.body_md, 100_000, "The body");
    limit(&mut errors, "author", &values.author, 200, "The author");
    if !["draft", "published"].contains(&values.status.as_str()) {
        errors.push(("status", "Choose a status from the list".into()));
    }
    let published_at = match values.published_at.as_str() {
        "" => (values.status == "published").then(db::now),
        typed => match NaiveDateTime::parse_from_str(typed, DATETIME) {
            Ok(at) => Some(at),
            Err(_) => {
                errors.push((
                    "published_at",
                    "Enter a date and time like 2026-11-28T09:00".into(),
                ));
                None
            }
        },
    };
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
    let slug = Slug::parse_or_from(&values.slug, &values.title);
    if let Err(message) = &slug {
        errors.push(("slug", (*message).into()));
    }
    let result = match slug {
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
    };
    (values, result)
}

async fn save(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
    id: Option<String>,
    form: StaffForm,
) -> Result<HttpResponse, AppError> {
    let choices = choices(&state).await?;
    let (values, parsed) = parse(&form, &choices);
    let id = id.as_deref();
    let (changes, attached) = match parsed {
        Err(errors) => {
            return Ok(render(
                &staff,
                StatusCode::UNPROCESSABLE_ENTITY,
                id,
                &values,
                &errors,
                &choices,
                false,
            ))
        }
        Ok(ok) => ok,
    };
    if form.get("intent") == "preview" {
        return Ok(render(
            &staff,
            StatusCode::OK,
            id,
            &values,
            &Errors::new(),
            &choices,
            true,
        ));
    }
    let (key, staff_id) = (id.map(str::to_string), staff.id.clone());
    let saved = state
        .db(move |conn| {
            let before = match key.as_deref() {
                Some(k) => articles::find(conn, k)?.map(|a| a.status),
                None => None,
            };
            let saved =
                db::unless_taken(articles::save(conn, key.as_deref(), &changes, &attached))?;
            if let Some(Some(id)) = &saved {
                let record = db::audit::Saved {
                    subject: ("article", id),
                    before: before.as_deref(),
                    status: &changes.status,
                    public: ("published", "article.published"),
                    title: &changes.title,
                    detail: &format!("{} ({})", changes.title, changes.status),
                };
                db::audit::staff_saved(conn, &staff_id, &record)?;
            }
            Ok(saved)
        })
        .await?;
    match saved {
        Some(Some(_)) => Ok(super::see_other("/admin/articles")),
        Some(None) => Err(AppError::NotFound),
        None => {
            let errors = vec![("slug", "Another article already has this slug".to_string())];
            Ok(render(
                &staff,
                StatusCode::UNPROCESSABLE_ENTITY,
                id,
                &values,
                &errors,
                &choices,
                false,
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
