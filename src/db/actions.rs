//! Actions (petitions and contact actions) and their target lists.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{actions, article_actions, target_lists, targets};
use super::{DbConnection, DbError};

/// What a call-to-action card needs: no personal data, only cached counters.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = actions)]
pub struct ActionCard {
    pub id: String,
    pub kind: String,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub status: String,
    pub addressee: String,
    pub goal: Option<i64>,
    pub deadline: Option<NaiveDateTime>,
    pub consent_text: String,
    pub confirmed_count: i64,
    pub letters_count: i64,
}

impl ActionCard {
    /// Accepting signatures or letters now.
    pub fn is_open(&self, now: NaiveDateTime) -> bool {
        self.status == "open" && self.deadline.is_none_or(|d| now < d)
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = actions)]
pub struct NewAction<'a> {
    pub id: String,
    pub campaign_id: &'a str,
    pub kind: &'a str,
    pub slug: &'a str,
    pub title: &'a str,
    pub summary: &'a str,
    pub status: &'a str,
    pub body_md: &'a str,
    pub addressee: &'a str,
    pub goal: Option<i64>,
    pub deadline: Option<NaiveDateTime>,
    pub target_list_id: Option<&'a str>,
    pub subject_template: &'a str,
    pub body_template: &'a str,
    pub max_targets: i32,
    pub consent_text: &'a str,
    pub consent_version: &'a str,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = target_lists)]
pub struct NewTargetList<'a> {
    pub id: String,
    pub name: &'a str,
    pub description: &'a str,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = targets)]
pub struct NewTarget<'a> {
    pub id: String,
    pub list_id: &'a str,
    pub external_id: &'a str,
    pub name: &'a str,
    pub role: &'a str,
    pub country_code: &'a str,
    pub political_group: &'a str,
    pub party: &'a str,
    pub email: &'a str,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// The public (open or closed, never draft) actions attached to an article, in order.
pub fn cards_for_article(
    conn: &mut DbConnection,
    article_id: &str,
) -> Result<Vec<ActionCard>, DbError> {
    Ok(article_actions::table
        .inner_join(actions::table)
        .filter(article_actions::article_id.eq(article_id))
        .filter(actions::status.ne("draft"))
        .order(article_actions::position.asc())
        .select(ActionCard::as_select())
        .load(conn)?)
}

pub fn insert(conn: &mut DbConnection, action: &NewAction) -> Result<(), DbError> {
    diesel::insert_into(actions::table)
        .values(action)
        .execute(conn)?;
    Ok(())
}

pub fn insert_target_list(conn: &mut DbConnection, list: &NewTargetList) -> Result<(), DbError> {
    diesel::insert_into(target_lists::table)
        .values(list)
        .execute(conn)?;
    Ok(())
}

/// Row by row: the shared connection type has no portable multi-row insert, and target
/// lists are small (hundreds of rows, one transaction).
pub fn insert_targets(conn: &mut DbConnection, rows: &[NewTarget]) -> Result<(), DbError> {
    for row in rows {
        diesel::insert_into(targets::table)
            .values(row)
            .execute(conn)?;
    }
    Ok(())
}
