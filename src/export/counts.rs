//! A petition's counts by country, by day and by status, as CSV or JSON.

use std::collections::BTreeMap;

use crate::domain::country;
use crate::domain::status::{HoldReason, SignatureStatus};
use chrono::NaiveDate;
use serde::Serialize;

use crate::db::{dashboard, petitions, DbConnection, DbError};

#[derive(Debug, Clone, Serialize)]
pub struct Counts {
    pub slug: String,
    /// Confirmed signatures (the public count).
    pub counted: i64,
    pub pending: i64,
    /// Held signatures by the rule that held them.
    pub held: BTreeMap<String, i64>,
    pub invalidated: i64,
    /// Withdrawn by their signers.
    pub withdrawn: i64,
    pub by_country: BTreeMap<String, i64>,
    pub by_day: BTreeMap<String, i64>,
    /// Confirmed signatures by the language of the page signed on.
    pub by_language: BTreeMap<String, i64>,
    /// Confirmed signatures by the key of the partner they came through (only those).
    pub by_partner: BTreeMap<String, i64>,
}

pub fn load(conn: &mut DbConnection, action_id: &str, slug: &str) -> Result<Counts, DbError> {
    let mut counts = Counts {
        slug: slug.to_string(),
        counted: 0,
        pending: 0,
        held: BTreeMap::new(),
        invalidated: 0,
        withdrawn: 0,
        by_country: petitions::counts_by_country(conn, action_id)?
            .into_iter()
            .collect(),
        by_day: by_day(conn, action_id)?
            .into_iter()
            .map(|(d, n)| (d.to_string(), n))
            .collect(),
        by_language: petitions::counts_by_language(conn, action_id)?
            .into_iter()
            .collect(),
        by_partner: crate::db::partners::confirmed_by_partner(conn, action_id)?
            .into_iter()
            .collect(),
    };
    for (status, reason, n) in dashboard::by_status(conn, action_id)? {
        match status {
            SignatureStatus::Confirmed => counts.counted += n,
            SignatureStatus::Pending => counts.pending += n,
            SignatureStatus::Invalidated => counts.invalidated += n,
            SignatureStatus::Withdrawn => counts.withdrawn += n,
            SignatureStatus::Held => {
                let reason = reason.map_or("unspecified", HoldReason::as_str);
                *counts.held.entry(reason.to_string()).or_default() += n
            }
        }
    }
    Ok(counts)
}

pub fn by_day(conn: &mut DbConnection, action_id: &str) -> Result<Vec<(NaiveDate, i64)>, DbError> {
    dashboard::confirmed_per_day(conn, None, Some(action_id))
}

/// `day,confirmed` rows, or `country,confirmed,country_name` rows (the name in English
/// beside the code, for people reading the file).
pub fn csv(first_column: &str, rows: &BTreeMap<String, i64>) -> Vec<u8> {
    let by_country = first_column == "country";
    let mut out = Vec::new();
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(&mut out);
    // The column counts the signatures of that status.
    let confirmed = SignatureStatus::Confirmed.as_str();
    let header = [first_column, confirmed, "country_name"];
    let width = if by_country { 3 } else { 2 };
    let _ = w.write_record(&header[..width]);
    for (key, n) in rows {
        let n = n.to_string();
        let name = if by_country {
            country::name_of(key)
        } else {
            ""
        };
        let _ = w.write_record(&[key.as_str(), &n, name][..width]);
    }
    drop(w);
    out
}
