//! What the metrics read from the database when scraped (`telemetry/metrics.rs`): the
//! outbox's waiting emails by kind, and the mailings being sent. Counts and times only.

use chrono::NaiveDateTime;
use diesel::dsl::{count_star, min};
use diesel::prelude::*;

use super::outbox::{earliest, in_lane, Lane};
use super::schema::{mailings, outbox};
use super::{DbConnection, DbError};
use crate::domain::status::OutboxStatus;

/// Per email kind: how many wait to be sent (pending or being sent), and since when the
/// oldest of them was queued.
pub fn waiting_by_kind(
    conn: &mut DbConnection,
) -> Result<Vec<(String, i64, Option<NaiveDateTime>)>, DbError> {
    // Each lane through its own index (`db/outbox/lane.rs`); a kind found in both is
    // added up.
    let mut kinds: Vec<(String, i64, Option<NaiveDateTime>)> = Vec::new();
    for lane in Lane::BOTH {
        let found: Vec<(String, i64, Option<NaiveDateTime>)> = outbox::table
            .filter(in_lane(lane))
            .filter(outbox::status.eq_any([OutboxStatus::Pending, OutboxStatus::Sending]))
            .group_by(outbox::kind)
            .select((outbox::kind, count_star(), min(outbox::created_at)))
            .load(conn)?;
        for (kind, count, oldest) in found {
            match kinds.iter_mut().find(|(k, _, _)| *k == kind) {
                Some(seen) => {
                    seen.1 += count;
                    seen.2 = earliest(seen.2, oldest);
                }
                None => kinds.push((kind, count, oldest)),
            }
        }
    }
    Ok(kinds)
}

/// Mailings whose emails are going out now.
pub fn mailings_in_progress(conn: &mut DbConnection) -> Result<i64, DbError> {
    Ok(mailings::table
        .filter(mailings::status.eq("sending"))
        .count()
        .get_result(conn)?)
}
