//! An article's picture: kept in the database so that every node serves it, already made
//! safe and light by `domain::picture`; its alt text is required. Public pages read its
//! size and alt text (to reserve its space and describe it); the bytes are served apart.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{article_pictures, articles, campaigns};
use super::{DbConnection, DbError};
use crate::domain::picture::Picture;

/// What a page needs of a picture: its size, its description, its version.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = article_pictures)]
pub struct PictureInfo {
    pub width: i32,
    pub height: i32,
    pub alt: String,
    pub updated_at: NaiveDateTime,
}

impl PictureInfo {
    /// Changes with the picture, so that its URL can be kept a day by browsers.
    pub fn version(&self) -> i64 {
        self.updated_at.and_utc().timestamp_millis()
    }
}

pub fn info(conn: &mut DbConnection, article_id: &str) -> Result<Option<PictureInfo>, DbError> {
    Ok(article_pictures::table
        .find(article_id)
        .select(PictureInfo::as_select())
        .first(conn)
        .optional()?)
}

/// The bytes and media type of a published article's picture (the article's own rule:
/// published, its date reached, its campaign not a draft).
pub fn published_bytes(
    conn: &mut DbConnection,
    slug: &str,
    now: NaiveDateTime,
) -> Result<Option<(Vec<u8>, String)>, DbError> {
    Ok(article_pictures::table
        .inner_join(articles::table.inner_join(campaigns::table))
        .filter(articles::slug.eq(slug))
        .filter(articles::status.eq("published"))
        .filter(articles::published_at.le(now))
        .filter(campaigns::status.ne("draft"))
        .select((article_pictures::bytes, article_pictures::media_type))
        .first(conn)
        .optional()?)
}

/// The picture of any article, drafts included (for staff).
pub fn bytes(
    conn: &mut DbConnection,
    article_id: &str,
) -> Result<Option<(Vec<u8>, String)>, DbError> {
    Ok(article_pictures::table
        .find(article_id)
        .select((article_pictures::bytes, article_pictures::media_type))
        .first(conn)
        .optional()?)
}

/// What saving a picture came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PictureSaved {
    Done,
    UnknownArticle,
    /// Alt text sent for an article that has no picture yet.
    NoPicture,
}

/// Sets article `article_id`'s picture (`None` keeps the current one, changing only its
/// alt text) by staff member `staff_id`, audited as `article.picture_changed`.
pub fn save_by(
    conn: &mut DbConnection,
    staff_id: &str,
    article_id: &str,
    picture: Option<Picture>,
    alt: &str,
) -> Result<PictureSaved, DbError> {
    super::write_transaction(conn, |conn| {
        let article: i64 = articles::table.find(article_id).count().get_result(conn)?;
        if article == 0 {
            return Ok(PictureSaved::UnknownArticle);
        }
        let now = super::now();
        let detail = match picture {
            Some(p) => {
                diesel::delete(article_pictures::table.find(article_id)).execute(conn)?;
                diesel::insert_into(article_pictures::table)
                    .values((
                        article_pictures::article_id.eq(article_id),
                        article_pictures::bytes.eq(&p.bytes),
                        article_pictures::media_type.eq(p.media_type),
                        article_pictures::width.eq(p.width as i32),
                        article_pictures::height.eq(p.height as i32),
                        article_pictures::alt.eq(alt),
                        article_pictures::updated_at.eq(now),
                    ))
                    .execute(conn)?;
                format!("{}×{} {}", p.width, p.height, p.media_type)
            }
            None => {
                let changed = diesel::update(article_pictures::table.find(article_id))
                    .set(article_pictures::alt.eq(alt))
                    .execute(conn)?;
                if changed == 0 {
                    return Ok(PictureSaved::NoPicture);
                }
                "alt text".to_string()
            }
        };
        let subject = ("article", article_id);
        super::audit::staff_change(conn, staff_id, "article.picture_changed", subject, &detail)?;
        Ok(PictureSaved::Done)
    })
}

/// Removes the picture; answers whether there was one.
pub fn remove_by(
    conn: &mut DbConnection,
    staff_id: &str,
    article_id: &str,
) -> Result<bool, DbError> {
    super::write_transaction(conn, |conn| {
        let removed = diesel::delete(article_pictures::table.find(article_id)).execute(conn)?;
        if removed > 0 {
            let subject = ("article", article_id);
            super::audit::staff_change(conn, staff_id, "article.picture_removed", subject, "")?;
        }
        Ok(removed > 0)
    })
}
