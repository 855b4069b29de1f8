//! Articles and the ordered call-to-action links between articles and actions.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{article_actions, articles, campaigns};
use super::{DbConnection, DbError};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = articles)]
pub struct Article {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub standfirst: String,
    pub body_md: String,
    pub author: String,
    pub published_at: Option<NaiveDateTime>,
    pub updated_at: NaiveDateTime,
}

/// An article with the campaign it belongs to, as its page shows it.
#[derive(Debug, Clone)]
pub struct ArticleWithCampaign {
    pub article: Article,
    pub campaign_title: String,
    /// Shown under the title and as the share picture.
    pub picture: Option<super::article_pictures::PictureInfo>,
    /// Staff translated it into the language asked for: the fields above are translated.
    pub translated: bool,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = articles)]
pub struct NewArticle<'a> {
    pub id: String,
    pub campaign_id: &'a str,
    pub slug: &'a str,
    pub title: &'a str,
    pub standfirst: &'a str,
    pub body_md: &'a str,
    pub author: &'a str,
    pub status: &'a str,
    pub published_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// Published articles whose publish date has come, newest first.
pub fn published(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    limit: i64,
) -> Result<Vec<Article>, DbError> {
    Ok(articles::table
        .filter(articles::status.eq("published"))
        .filter(articles::published_at.le(now))
        .filter(articles::campaign_id.eq_any(super::campaigns::shown_ids()))
        .order((articles::published_at.desc(), articles::id.desc()))
        .limit(limit)
        .select(Article::as_select())
        .load(conn)?)
}

/// One published article by slug, if it is visible now, in `lang` where staff
/// translated it (its campaign's title too).
pub fn find_published(
    conn: &mut DbConnection,
    slug: &str,
    now: NaiveDateTime,
    lang: crate::i18n::Lang,
) -> Result<Option<ArticleWithCampaign>, DbError> {
    let found = articles::table
        .inner_join(campaigns::table)
        .filter(articles::slug.eq(slug))
        .filter(articles::status.eq("published"))
        .filter(articles::published_at.le(now))
        .filter(campaigns::status.ne("draft"))
        .select((Article::as_select(), campaigns::id, campaigns::title))
        .first::<(Article, String, String)>(conn)
        .optional()?;
    let Some((article, campaign_id, mut campaign_title)) = found else {
        return Ok(None);
    };
    let picture = super::article_pictures::info(conn, &article.id)?;
    let (article, translated) = super::translations::localise_one(conn, article, lang)?;
    let campaign = super::translations::of(conn, "campaign", &campaign_id, lang)?;
    campaign.apply("title", &mut campaign_title);
    Ok(Some(ArticleWithCampaign {
        article,
        campaign_title,
        picture,
        translated,
    }))
}

pub fn insert(conn: &mut DbConnection, article: &NewArticle) -> Result<(), DbError> {
    diesel::insert_into(articles::table)
        .values(article)
        .execute(conn)?;
    Ok(())
}

/// Attaches an action to an article at `position` (cards are shown in that order).
pub fn attach_action(
    conn: &mut DbConnection,
    article_id: &str,
    action_id: &str,
    position: i32,
) -> Result<(), DbError> {
    diesel::insert_into(article_actions::table)
        .values((
            article_actions::article_id.eq(article_id),
            article_actions::action_id.eq(action_id),
            article_actions::position.eq(position),
        ))
        .execute(conn)?;
    Ok(())
}

/// The id of a published, visible article by slug (the source of a signature), if any.
pub fn published_id(
    conn: &mut DbConnection,
    slug: &str,
    now: NaiveDateTime,
) -> Result<Option<String>, DbError> {
    if slug.is_empty() {
        return Ok(None);
    }
    Ok(articles::table
        .filter(articles::slug.eq(slug))
        .filter(articles::status.eq("published"))
        .filter(articles::published_at.le(now))
        .select(articles::id)
        .first(conn)
        .optional()?)
}

/// An article as staff edit it.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = articles)]
pub struct ArticleRecord {
    pub id: String,
    pub campaign_id: String,
    pub slug: String,
    pub title: String,
    pub standfirst: String,
    pub body_md: String,
    pub author: String,
    pub status: String,
    pub published_at: Option<NaiveDateTime>,
}

/// The fields staff set; the same for creating and editing.
#[derive(Debug, Clone, AsChangeset, Insertable)]
#[diesel(table_name = articles, treat_none_as_null = true)]
pub struct ArticleChanges {
    pub campaign_id: String,
    pub slug: String,
    pub title: String,
    pub standfirst: String,
    pub body_md: String,
    pub author: String,
    pub status: String,
    pub published_at: Option<NaiveDateTime>,
}

/// Every article for staff, newest first.
pub fn all(conn: &mut DbConnection) -> Result<Vec<ArticleRecord>, DbError> {
    Ok(articles::table
        .order(articles::created_at.desc())
        .select(ArticleRecord::as_select())
        .load(conn)?)
}

pub fn find(conn: &mut DbConnection, id: &str) -> Result<Option<ArticleRecord>, DbError> {
    Ok(articles::table
        .find(id)
        .select(ArticleRecord::as_select())
        .first(conn)
        .optional()?)
}

/// The actions attached to an article as (action id, position).
pub fn attached(conn: &mut DbConnection, article_id: &str) -> Result<Vec<(String, i32)>, DbError> {
    Ok(article_actions::table
        .filter(article_actions::article_id.eq(article_id))
        .order(article_actions::position.asc())
        .select((article_actions::action_id, article_actions::position))
        .load(conn)?)
}

/// Creates (`id` None) or updates an article and sets its attached actions, in one
/// transaction; answers the article's id, or `None` when updating an unknown one.
pub fn save(
    conn: &mut DbConnection,
    id: Option<&str>,
    changes: &ArticleChanges,
    attached: &[(String, i32)],
) -> Result<Option<String>, DbError> {
    conn.transaction(|conn| {
        let now = super::now();
        let id = match id {
            Some(id) => {
                let n = diesel::update(articles::table.find(id))
                    .set((changes, articles::updated_at.eq(now)))
                    .execute(conn)?;
                if n == 0 {
                    return Ok(None);
                }
                id.to_string()
            }
            None => {
                let id = super::new_id();
                diesel::insert_into(articles::table)
                    .values((
                        articles::id.eq(&id),
                        changes,
                        articles::created_at.eq(now),
                        articles::updated_at.eq(now),
                    ))
                    .execute(conn)?;
                id
            }
        };
        diesel::delete(article_actions::table.filter(article_actions::article_id.eq(&id)))
            .execute(conn)?;
        for (action_id, position) in attached {
            attach_action(conn, &id, action_id, *position)?;
        }
        Ok(Some(id))
    })
}

/// `save` by staff member `staff_id`, with its audit event (`article.published` when it
/// goes public). `None`: another article has the slug.
pub fn save_by(
    conn: &mut DbConnection,
    staff_id: &str,
    id: Option<&str>,
    changes: &ArticleChanges,
    attached: &[(String, i32)],
) -> Result<Option<Option<String>>, DbError> {
    let before = id.map(|id| find(conn, id)).transpose()?.flatten();
    let before = before.map(|a| a.status);
    let saved = super::unless_taken(save(conn, id, changes, attached))?;
    if let Some(Some(id)) = &saved {
        let record = super::audit::Saved {
            subject: ("article", id),
            before: before.as_deref(),
            status: &changes.status,
            public: ("published", "article.published"),
            title: &changes.title,
            detail: &format!("{} ({})", changes.title, changes.status),
        };
        super::audit::staff_saved(conn, staff_id, &record)?;
    }
    Ok(saved)
}
