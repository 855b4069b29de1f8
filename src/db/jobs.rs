//! Periodic jobs that several nodes share (`job_runs`): a node runs a job only after
//! moving its next run time on, by a conditional update that one node alone can win.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use super::schema::job_runs;
use super::{DbConnection, DbError};

/// The retention job (`db/retention.rs`); its row is made by migration 24.
pub const RETENTION: &str = "retention";

/// Whether this node runs job `name` at `at`: true for one caller per `every`.
pub fn claim(
    conn: &mut DbConnection,
    name: &str,
    at: NaiveDateTime,
    every: TimeDelta,
) -> Result<bool, DbError> {
    let won = diesel::update(
        job_runs::table
            .find(name)
            .filter(job_runs::next_run_at.le(at)),
    )
    .set((
        job_runs::next_run_at.eq(at + every),
        job_runs::last_run_at.eq(at),
    ))
    .execute(conn)?;
    Ok(won == 1)
}

/// When job `name` last ran and when it may next run.
pub fn times(
    conn: &mut DbConnection,
    name: &str,
) -> Result<(Option<NaiveDateTime>, Option<NaiveDateTime>), DbError> {
    let row: Option<(Option<NaiveDateTime>, NaiveDateTime)> = job_runs::table
        .find(name)
        .select((job_runs::last_run_at, job_runs::next_run_at))
        .first(conn)
        .optional()?;
    Ok(match row {
        Some((last, next)) => (last, Some(next)),
        None => (None, None),
    })
}
