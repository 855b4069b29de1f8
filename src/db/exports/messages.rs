//! A contact action's messages in export order (messages.csv), page by page.

use chrono::NaiveDateTime;
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Text, Timestamp};

use super::{partner_keys, Cursor};
use crate::db::{DbConnection, DbError};
use crate::domain::status::MessageStatus;

#[derive(Debug, Clone, Queryable)]
pub struct MessageExportRow {
    pub id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub country_code: String,
    pub postcode: String,
    pub subject: String,
    pub status: MessageStatus,
    pub created_at: NaiveDateTime,
    pub confirmed_at: Option<NaiveDateTime>,
    /// The partner's id as read, its key once looked up.
    pub partner: Option<String>,
}

/// A page of a contact action's messages in export order, with each one's target names.
pub fn message_page(
    conn: &mut DbConnection,
    action_id: &str,
    after: Option<&Cursor>,
    limit: i64,
) -> Result<Vec<(MessageExportRow, Vec<String>)>, DbError> {
    use crate::db::schema::{message_targets, messages, targets};
    let mut query = messages::table
        .filter(messages::action_id.eq(action_id.to_string()))
        .select((
            messages::id,
            messages::first_name,
            messages::last_name,
            messages::email,
            messages::country_code,
            messages::postcode,
            messages::subject,
            messages::status,
            messages::created_at,
            messages::confirmed_at,
            messages::partner_id,
        ))
        .order((messages::created_at.asc(), messages::id.asc()))
        .limit(limit)
        .into_boxed();
    if let Some((at, id)) = after {
        // A row-value comparison, which both backends answer with one index range scan
        // (an OR of two conditions makes SQLite scan from the start on every page).
        query = query.filter(
            sql::<Bool>("(messages.created_at, messages.id) > (")
                .bind::<Timestamp, _>(*at)
                .sql(", ")
                .bind::<Text, _>(id.clone())
                .sql(")"),
        );
    }
    let mut rows: Vec<MessageExportRow> = query.load(conn)?;
    partner_keys(conn, &mut rows, |r| &mut r.partner)?;
    let ids: Vec<&String> = rows.iter().map(|r| &r.id).collect();
    let names: Vec<(String, String)> = message_targets::table
        .inner_join(targets::table)
        .filter(message_targets::message_id.eq_any(ids))
        .order((message_targets::message_id.asc(), targets::name.asc()))
        .select((message_targets::message_id, targets::name))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let chosen = names
                .iter()
                .filter(|(m, _)| *m == row.id)
                .map(|(_, n)| n.clone())
                .collect();
            (row, chosen)
        })
        .collect())
}
