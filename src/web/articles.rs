//! Home, the article list, article pages and campaign pages.

use actix_web::web::{self, Bytes};
use actix_web::HttpResponse;
use maud::Markup;

use super::AppState;
use crate::db::translations::{localise, localise_one};
use crate::db::{self, actions, article_pictures, articles, campaigns};
use crate::domain::newsletter::mailing_ref;
use crate::error::AppError;
use crate::views;
use crate::views::articles::{ArticleView, CardView};
use crate::views::campaigns::CampaignView;
use crate::views::home::HomeView;

const HOME_ARTICLES: i64 = 10;
const LIST_ARTICLES: i64 = 100;

pub async fn home(state: web::Data<AppState>) -> Result<Markup, AppError> {
    let lang = crate::i18n::current();
    let (campaigns, articles) = state
        .db(move |conn| {
            let campaigns = campaigns::live(conn)?;
            let articles = articles::published(conn, db::now(), HOME_ARTICLES)?;
            Ok((
                localise(conn, campaigns, lang)?,
                localise(conn, articles, lang)?,
            ))
        })
        .await?;
    let view = HomeView {
        campaigns,
        articles,
        newsletter: super::newsletter::embedded_form(&state, "home"),
    };
    Ok(views::home::page(&view))
}

/// `GET /campaigns/{slug}`: a campaign that is not a draft, its articles and actions.
pub async fn campaign(
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<Markup, AppError> {
    let slug = slug.into_inner();
    let (now, lang) = (db::now(), crate::i18n::current());
    let view = state
        .db(move |conn| {
            let Some(campaign) = campaigns::find_shown(conn, &slug)? else {
                return Ok(None);
            };
            let (articles, actions) = campaigns::page_of(conn, &campaign, now)?;
            Ok(Some(CampaignView {
                campaign: localise_one(conn, campaign, lang)?,
                articles: localise(conn, articles, lang)?,
                actions: localise(conn, actions, lang)?,
            }))
        })
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(views::campaigns::page(&view, now))
}

pub async fn list(state: web::Data<AppState>) -> Result<Markup, AppError> {
    let lang = crate::i18n::current();
    let list = state
        .db(move |conn| {
            let list = articles::published(conn, db::now(), LIST_ARTICLES)?;
            localise(conn, list, lang)
        })
        .await?;
    Ok(views::articles::list(&list))
}

#[derive(serde::Deserialize)]
pub struct ArticleQuery {
    /// The mailing whose link led here: its sign forms record it.
    mailing: Option<String>,
}

pub async fn show(
    state: web::Data<AppState>,
    slug: web::Path<String>,
    query: web::Query<ArticleQuery>,
) -> Result<HttpResponse, AppError> {
    let slug = slug.into_inner();
    let lang = crate::i18n::current();
    // One copy per language (the same article in another interface), and per mailing
    // that exists: a made-up id is served the plain copy and never grows the map.
    let mailing = query.mailing.as_deref().and_then(mailing_ref);
    let plain = format!("{}:{slug}", lang.code());
    let kept = match &mailing {
        Some(id) => format!("{plain}:{id}"),
        None => plain.clone(),
    };
    if let Some(page) = state.recent.articles.get(&kept) {
        return Ok(page_response(page));
    }
    let key = slug.clone();
    let (article, cards, mailing) = state
        .db(move |conn| {
            let Some(article) = articles::find_published(conn, &key, db::now(), lang)? else {
                return Ok(None);
            };
            let cards = actions::cards_for_article(conn, &article.article.id, lang)?;
            let mailing = match mailing {
                Some(id) => db::mailings::existing(conn, &id)?,
                None => None,
            };
            Ok(Some((article, cards, mailing)))
        })
        .await?
        .ok_or(AppError::NotFound)?;
    let view = ArticleView {
        cards: card_views(&state, cards),
        newsletter: super::newsletter::embedded_form(&state, &slug),
        mailing,
        article,
    };
    let page = Bytes::from(views::articles::show(&view).into_string());
    let kept = if view.mailing.is_some() { kept } else { plain };
    state.recent.articles.put(&kept, page.clone());
    Ok(page_response(page))
}

/// The article's action cards, with a sign form's token for each open petition.
fn card_views(state: &AppState, cards: Vec<(actions::ActionCard, bool)>) -> Vec<CardView> {
    let now = db::now();
    cards
        .into_iter()
        .map(|(card, translated)| {
            let open = card.is_open(now);
            let sign_token = (open && card.kind == "petition")
                .then(|| state.form_token(&super::petitions::form_id(&card.id)));
            CardView {
                card,
                open,
                translated,
                sign_token,
            }
        })
        .collect()
}

/// `GET /articles/{slug}/picture`: a published article's picture, as prepared when it
/// was uploaded. Its URL carries a version, so it may be kept a day.
pub async fn picture(
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let slug = slug.into_inner();
    let (bytes, kind) = state
        .db(move |conn| article_pictures::published_bytes(conn, &slug, db::now()))
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(super::picture_response(
        bytes,
        kind,
        "public, max-age=86400",
    ))
}

fn page_response(page: Bytes) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(page)
}
