//! `/feed.atom`: the published articles as a valid Atom feed.

use actix_web::{web, HttpResponse};
use atom_syndication::{Content, Entry, Feed, FixedDateTime, Link, Person, Text};
use chrono::{NaiveDateTime, TimeZone as _, Utc};

use super::AppState;
use crate::db::{self, articles::Article};
use crate::error::AppError;
use crate::i18n::{t, Msg};
use crate::views::markdown;

const FEED_ARTICLES: i64 = 20;

pub async fn atom(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let list = state
        .db(|conn| db::articles::published(conn, db::now(), FEED_ARTICLES))
        .await?;
    Ok(HttpResponse::Ok()
        .content_type("application/atom+xml; charset=utf-8")
        .insert_header(("Cache-Control", "public, max-age=300"))
        .body(build(&state.base_url, &list).to_string()))
}

fn utc(at: NaiveDateTime) -> FixedDateTime {
    Utc.from_utc_datetime(&at).fixed_offset()
}

fn link(href: String, rel: &str) -> Link {
    let mut link = Link::default();
    link.set_href(href);
    link.set_rel(rel);
    link
}

fn build(base_url: &str, articles: &[Article]) -> Feed {
    let mut feed = Feed::default();
    feed.set_id(format!("{base_url}/"));
    let org = crate::organisation::current();
    feed.set_title(Text::plain(org.display_name()));
    let subtitle = match org.description.as_str() {
        "" => t(Msg::SiteTagline),
        described => described,
    };
    feed.set_subtitle(Some(Text::plain(subtitle)));
    feed.set_links(vec![
        link(format!("{base_url}/feed.atom"), "self"),
        link(format!("{base_url}/"), "alternate"),
    ]);
    let newest = articles.iter().map(|a| a.updated_at).max();
    feed.set_updated(utc(
        newest.unwrap_or(chrono::DateTime::UNIX_EPOCH.naive_utc())
    ));
    feed.set_entries(
        articles
            .iter()
            .map(|a| entry(base_url, a))
            .collect::<Vec<_>>(),
    );
    feed
}

fn entry(base_url: &str, article: &Article) -> Entry {
    let mut entry = Entry::default();
    // A stable id that survives a change of slug.
    entry.set_id(format!("urn:uuid:{}", article.id));
    entry.set_title(Text::plain(article.title.clone()));
    entry.set_links(vec![link(
        format!("{base_url}/articles/{}", article.slug),
        "alternate",
    )]);
    entry.set_published(article.published_at.map(utc));
    entry.set_updated(utc(article.updated_at));
    if !article.author.is_empty() {
        let mut author = Person::default();
        author.set_name(article.author.clone());
        entry.set_authors(vec![author]);
    }
    if !article.standfirst.is_empty() {
        entry.set_summary(Some(Text::plain(article.standfirst.clone())));
    }
    let mut content = Content::default();
    content.set_content_type(Some("html".to_string()));
    content.set_value(Some(markdown::render(&article.body_md).into_string()));
    entry.set_content(Some(content));
    entry
}
