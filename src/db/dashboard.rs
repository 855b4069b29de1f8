//! What the staff dashboard shows: every action's counts by status, today's count, and
//! confirmed signatures per day and per country. Staff pages may count rows; public
//! pages never do.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::count_star;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

use super::schema::{action_country_counts, actions, messages, signatures};
use super::{DbConnection, DbError};
use crate::domain::status::{HoldReason, SignatureStatus};

#[derive(Debug, Clone, Default)]
pub struct StatusCounts {
    pub confirmed: i64,
    pub pending: i64,
    pub held: i64,
    /// Held rows by the rule that held them.
    pub held_by_reason: std::collections::BTreeMap<String, i64>,
    pub invalidated: i64,
    pub today: i64,
}

#[derive(Debug, Clone)]
pub struct ActionRow {
    pub id: String,
    pub kind: String,
    pub slug: String,
    pub title: String,
    pub status: String,
    pub counts: StatusCounts,
}

fn add(
    counts: &mut HashMap<String, StatusCounts>,
    rows: Vec<(String, SignatureStatus, Option<HoldReason>, i64)>,
) {
    for (action_id, status, reason, n) in rows {
        let entry = counts.entry(action_id).or_default();
        match status {
            SignatureStatus::Confirmed => entry.confirmed += n,
            SignatureStatus::Pending => entry.pending += n,
            SignatureStatus::Held => {
                entry.held += n;
                let reason = reason.map_or("", HoldReason::as_str).to_string();
                *entry.held_by_reason.entry(reason).or_default() += n;
            }
            SignatureStatus::Invalidated => entry.invalidated += n,
            // Gone from every count, as the signer asked.
            SignatureStatus::Withdrawn => {}
        }
    }
}

/// Every action, newest first, with its signatures (petitions) or messages (contact
/// actions) counted by status, and those confirmed since `today_start`.
pub fn actions(
    conn: &mut DbConnection,
    today_start: NaiveDateTime,
) -> Result<Vec<ActionRow>, DbError> {
    let mut counts: HashMap<String, StatusCounts> = HashMap::new();
    add(
        &mut counts,
        signatures::table
            .group_by((
                signatures::action_id,
                signatures::status,
                signatures::hold_reason,
            ))
            .select((
                signatures::action_id,
                signatures::status,
                signatures::hold_reason,
                count_star(),
            ))
            .load(conn)?,
    );
    add(
        &mut counts,
        messages::table
            .group_by((messages::action_id, messages::status, messages::hold_reason))
            .select((
                messages::action_id,
                messages::status,
                messages::hold_reason,
                count_star(),
            ))
            .load(conn)?,
    );
    let today: Vec<(String, i64)> = signatures::table
        .filter(signatures::status.eq(SignatureStatus::Confirmed))
        .filter(signatures::confirmed_at.ge(today_start))
        .group_by(signatures::action_id)
        .select((signatures::action_id, count_star()))
        .load(conn)?;
    for (action_id, n) in today {
        counts.entry(action_id).or_default().today = n;
    }
    let rows: Vec<(String, String, String, String, String)> = actions::table
        .order(actions::created_at.desc())
        .select((
            actions::id,
            actions::kind,
            actions::slug,
            actions::title,
            actions::status,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, kind, slug, title, status)| ActionRow {
            counts: counts.remove(&id).unwrap_or_default(),
            id,
            kind,
            slug,
            title,
            status,
        })
        .collect())
}

#[derive(QueryableByName)]
struct DayCount {
    #[diesel(sql_type = Text)]
    day: String,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Confirmed signatures per UTC day since `since`, of one petition or of all (a day with
/// none is absent), oldest first.
pub fn confirmed_per_day(
    conn: &mut DbConnection,
    since: Option<NaiveDate>,
    action_id: Option<&str>,
) -> Result<Vec<(NaiveDate, i64)>, DbError> {
    // date() and CAST read the same on both backends. The values put into the SQL text are
    // a date formatted here and an id read from the database, checked to be a UUID.
    let mut conditions = vec!["status = 'confirmed'".to_string()];
    if let Some(since) = since {
        conditions.push(format!(
            "confirmed_at >= '{} 00:00:00'",
            since.format("%Y-%m-%d")
        ));
    }
    if let Some(id) = action_id {
        if uuid::Uuid::parse_str(id).is_err() {
            return Ok(Vec::new());
        }
        conditions.push(format!("action_id = '{id}'"));
    }
    let query = format!(
        "SELECT CAST(date(confirmed_at) AS TEXT) AS day, COUNT(*) AS n FROM signatures \
         WHERE {} GROUP BY 1 ORDER BY 1",
        conditions.join(" AND ")
    );
    let rows: Vec<DayCount> = diesel::sql_query(query).load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|r| Some((NaiveDate::parse_from_str(&r.day, "%Y-%m-%d").ok()?, r.n)))
        .collect())
}

/// Signatures of one petition by (status, hold reason).
pub fn by_status(
    conn: &mut DbConnection,
    action_id: &str,
) -> Result<Vec<(SignatureStatus, Option<HoldReason>, i64)>, DbError> {
    Ok(signatures::table
        .filter(signatures::action_id.eq(action_id))
        .group_by((signatures::status, signatures::hold_reason))
        .select((signatures::status, signatures::hold_reason, count_star()))
        .load(conn)?)
}

/// The countries with the most confirmed signatures over all petitions, from the counters.
pub fn top_countries(conn: &mut DbConnection, limit: usize) -> Result<Vec<(String, i64)>, DbError> {
    let rows: Vec<(String, i64)> = action_country_counts::table
        .select((
            action_country_counts::country_code,
            action_country_counts::confirmed_count,
        ))
        .load(conn)?;
    let mut totals: HashMap<String, i64> = HashMap::new();
    for (code, n) in rows {
        *totals.entry(code).or_default() += n;
    }
    let mut sorted: Vec<(String, i64)> = totals.into_iter().filter(|(_, n)| *n > 0).collect();
    sorted.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    sorted.truncate(limit);
    Ok(sorted)
}
