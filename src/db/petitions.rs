//! Petitions as their public pages read them: cached counters only, never a COUNT over
//! signatures, so a page costs the same at ten signatures or ten million.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{action_country_counts, actions, article_actions, articles, signatures};
use super::{DbConnection, DbError};
use crate::domain::status::SignatureStatus;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = actions)]
pub struct Petition {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub status: String,
    pub body_md: String,
    pub addressee: String,
    pub goal: Option<i64>,
    pub deadline: Option<NaiveDateTime>,
    pub confirm_window_days: i32,
    pub consent_text: String,
    pub consent_version: String,
    pub confirmed_count: i64,
    pub updated_at: NaiveDateTime,
    /// Whether the page lists its latest signers (those who chose to be shown).
    pub public_signers: bool,
    /// When staff closed it (`None` while open, or when only its deadline closed it).
    pub closed_at: Option<NaiveDateTime>,
    /// What came of it, written by staff for the closed page (Markdown).
    pub outcome_md: String,
    /// The version of its text people sign now, and when that version began (`None`
    /// while the text never changed after a signature).
    pub text_version: i32,
    pub text_changed_at: Option<NaiveDateTime>,
}

impl Petition {
    /// When signing ended: staff closing it, or its deadline passing (`None`: still open).
    pub fn closed_on(&self, now: NaiveDateTime) -> Option<NaiveDateTime> {
        crate::domain::opening::closed_on(&self.status, self.deadline, self.closed_at, now)
    }

    /// Open for signing: not closed by staff and its deadline, if any, not yet passed.
    pub fn is_open(&self, now: NaiveDateTime) -> bool {
        crate::domain::opening::open_at(&self.status, self.deadline, now)
    }
}

/// A public (open or closed) petition by slug.
pub fn find(conn: &mut DbConnection, slug: &str) -> Result<Option<Petition>, DbError> {
    Ok(actions::table
        .filter(actions::slug.eq(slug))
        .filter(actions::kind.eq("petition"))
        .filter(actions::status.ne("draft"))
        .filter(actions::campaign_id.eq_any(super::campaigns::shown_ids()))
        .select(Petition::as_select())
        .first(conn)
        .optional()?)
}

/// Any petition by slug, drafts included (for staff).
pub fn find_any(conn: &mut DbConnection, slug: &str) -> Result<Option<Petition>, DbError> {
    Ok(actions::table
        .filter(actions::slug.eq(slug))
        .filter(actions::kind.eq("petition"))
        .select(Petition::as_select())
        .first(conn)
        .optional()?)
}

/// Confirmed signatures per country code, from the cached counters.
/// Confirmed signatures by the language of the page signed on (`en`, `fr`, `km`).
pub fn counts_by_language(
    conn: &mut DbConnection,
    action_id: &str,
) -> Result<Vec<(String, i64)>, DbError> {
    Ok(signatures::table
        .filter(signatures::action_id.eq(action_id))
        .filter(signatures::status.eq(SignatureStatus::Confirmed))
        .group_by(signatures::language)
        .select((signatures::language, diesel::dsl::count_star()))
        .load(conn)?)
}

pub fn counts_by_country(
    conn: &mut DbConnection,
    action_id: &str,
) -> Result<Vec<(String, i64)>, DbError> {
    Ok(action_country_counts::table
        .filter(action_country_counts::action_id.eq(action_id))
        .filter(action_country_counts::confirmed_count.gt(0))
        .order(action_country_counts::country_code.asc())
        .select((
            action_country_counts::country_code,
            action_country_counts::confirmed_count,
        ))
        .load(conn)?)
}

/// A recent signer as the petition page lists them: first name and country only.
#[derive(Debug, Clone, Queryable)]
pub struct RecentSigner {
    pub first_name: String,
    pub country_code: String,
}

/// The newest confirmed signers who chose to be shown, newest first.
pub fn latest_signers(
    conn: &mut DbConnection,
    action_id: &str,
    limit: i64,
) -> Result<Vec<RecentSigner>, DbError> {
    Ok(signatures::table
        .filter(signatures::action_id.eq(action_id))
        .filter(signatures::status.eq(SignatureStatus::Confirmed))
        .filter(signatures::show_publicly.eq(true))
        .order((signatures::created_at.desc(), signatures::id.desc()))
        .limit(limit)
        .select((signatures::first_name, signatures::country_code))
        .load(conn)?)
}

/// A published article that carries an action, linked from the action's page.
#[derive(Debug, Clone, Queryable)]
pub struct ArticleLink {
    pub slug: String,
    pub title: String,
}

/// Published articles that carry this action, newest first.
pub fn linking_articles(
    conn: &mut DbConnection,
    action_id: &str,
    now: NaiveDateTime,
) -> Result<Vec<ArticleLink>, DbError> {
    Ok(article_actions::table
        .inner_join(articles::table)
        .filter(article_actions::action_id.eq(action_id))
        .filter(articles::status.eq("published"))
        .filter(articles::published_at.le(now))
        .filter(articles::campaign_id.eq_any(super::campaigns::shown_ids()))
        .order(articles::published_at.desc())
        .select((articles::slug, articles::title))
        .load(conn)?)
}

/// When the first signature of a petition was made, if any.
pub fn first_signed_at(
    conn: &mut DbConnection,
    action_id: &str,
) -> Result<Option<NaiveDateTime>, DbError> {
    Ok(signatures::table
        .filter(signatures::action_id.eq(action_id))
        .order(signatures::created_at.asc())
        .select(signatures::created_at)
        .first(conn)
        .optional()?)
}

/// Recomputes a petition's cached counters from its rows (after bulk changes, or to
/// repair): the total and the per-country counts of confirmed signatures.
pub fn recount(conn: &mut DbConnection, action_id: &str) -> Result<i64, DbError> {
    super::write_transaction(conn, |conn| {
        // The petition's row first: a withdrawal or confirmation counted meanwhile on
        // another connection then either commits before the count below reads (and is
        // in it) or applies its change after this one (PostgreSQL; SQLite has one
        // writer at a time).
        diesel::update(actions::table.find(action_id))
            .set(actions::confirmed_count.eq(actions::confirmed_count))
            .execute(conn)?;
        let per_country: Vec<(String, i64)> = signatures::table
            .filter(signatures::action_id.eq(action_id))
            .filter(signatures::status.eq(SignatureStatus::Confirmed))
            .group_by(signatures::country_code)
            .select((signatures::country_code, diesel::dsl::count_star()))
            .load(conn)?;
        diesel::delete(
            action_country_counts::table.filter(action_country_counts::action_id.eq(action_id)),
        )
        .execute(conn)?;
        for (country, n) in &per_country {
            diesel::insert_into(action_country_counts::table)
                .values((
                    action_country_counts::action_id.eq(action_id),
                    action_country_counts::country_code.eq(country),
                    action_country_counts::confirmed_count.eq(n),
                ))
                .execute(conn)?;
        }
        let total: i64 = per_country.iter().map(|(_, n)| n).sum();
        diesel::update(actions::table.find(action_id))
            .set(actions::confirmed_count.eq(total))
            .execute(conn)?;
        Ok(total)
    })
}
