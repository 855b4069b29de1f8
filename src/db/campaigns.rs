//! Campaigns: the causes that group articles and actions.

use diesel::prelude::*;

use super::actions::ActionCard;
use super::articles::Article;
use super::schema::{actions, articles, campaigns};
use super::{DbConnection, DbError};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = campaigns)]
pub struct Campaign {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub status: String,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = campaigns)]
pub struct NewCampaign<'a> {
    pub id: String,
    pub slug: &'a str,
    pub title: &'a str,
    pub summary: &'a str,
    pub status: &'a str,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
}

/// The ids of campaigns whose articles and actions the public may see: all but drafts
/// (a closed campaign's pages stay up). Used as `campaign_id.eq_any(shown_ids())`.
#[diesel::dsl::auto_type]
pub fn shown_ids() -> _ {
    let draft: &'static str = "draft";
    campaigns::table
        .filter(campaigns::status.ne(draft))
        .select(campaigns::id)
}

/// A campaign the public may see, by slug.
pub fn find_shown(conn: &mut DbConnection, slug: &str) -> Result<Option<Campaign>, DbError> {
    Ok(campaigns::table
        .filter(campaigns::slug.eq(slug))
        .filter(campaigns::status.ne("draft"))
        .select(Campaign::as_select())
        .first(conn)
        .optional()?)
}

/// A campaign's page: its published articles (newest first) and its public actions.
pub fn page_of(
    conn: &mut DbConnection,
    campaign: &Campaign,
    now: chrono::NaiveDateTime,
) -> Result<(Vec<Article>, Vec<ActionCard>), DbError> {
    let articles = articles::table
        .filter(articles::campaign_id.eq(&campaign.id))
        .filter(articles::status.eq("published"))
        .filter(articles::published_at.le(now))
        .order((articles::published_at.desc(), articles::id.desc()))
        .select(Article::as_select())
        .load(conn)?;
    let actions = actions::table
        .filter(actions::campaign_id.eq(&campaign.id))
        .filter(actions::status.ne("draft"))
        .order(actions::created_at.asc())
        .select(ActionCard::as_select())
        .load(conn)?;
    Ok((articles, actions))
}

/// Campaigns shown on the home page, newest first.
pub fn live(conn: &mut DbConnection) -> Result<Vec<Campaign>, DbError> {
    Ok(campaigns::table
        .filter(campaigns::status.eq("live"))
        .order(campaigns::created_at.desc())
        .select(Campaign::as_select())
        .load(conn)?)
}

pub fn insert(conn: &mut DbConnection, campaign: &NewCampaign) -> Result<(), DbError> {
    diesel::insert_into(campaigns::table)
        .values(campaign)
        .execute(conn)?;
    Ok(())
}

/// Every campaign, for staff, newest first.
pub fn all(conn: &mut DbConnection) -> Result<Vec<Campaign>, DbError> {
    Ok(campaigns::table
        .order(campaigns::created_at.desc())
        .select(Campaign::as_select())
        .load(conn)?)
}

pub fn find(conn: &mut DbConnection, id: &str) -> Result<Option<Campaign>, DbError> {
    Ok(campaigns::table
        .find(id)
        .select(Campaign::as_select())
        .first(conn)
        .optional()?)
}

/// Changes a campaign; `Ok(false)` when no campaign has this id.
pub fn update(
    conn: &mut DbConnection,
    id: &str,
    slug: &str,
    title: &str,
    summary: &str,
    status: &str,
) -> Result<bool, DbError> {
    Ok(diesel::update(campaigns::table.find(id))
        .set((
            campaigns::slug.eq(slug),
            campaigns::title.eq(title),
            campaigns::summary.eq(summary),
            campaigns::status.eq(status),
            campaigns::updated_at.eq(super::now()),
        ))
        .execute(conn)?
        == 1)
}

pub fn count(conn: &mut DbConnection) -> Result<i64, DbError> {
    Ok(campaigns::table.count().get_result(conn)?)
}
