//! The per-address hold rule on SQLite: counted in the writer's memory ([`Recent`]) and,
//! for the rows it leaves out, in the partial index `signatures_by_client` (only rows
//! with `client_indexed`). A count is the database's own: memory plus index, with rows
//! erased since checked by id before a pair is held.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::recent::{micros, pair, Pair, Place, Recent, Stamp};
use super::PerAddress;
use crate::db::holds::recent_from_client;
use crate::db::schema::{actions, signatures};
use crate::db::{DbConnection, DbError};

/// Rows of one petition read at a time while rebuilding.
const CHUNK: i64 = 50_000;

/// Builds the memory from the stored rows of the last period (after a start or a
/// restart). Rows it cannot hold (past a pair's burst, or past `cap`) are marked for
/// the index, so that nothing is left uncounted.
pub fn rebuild(
    conn: &mut DbConnection,
    rule: PerAddress,
    cap: usize,
    now: NaiveDateTime,
) -> Result<Recent, DbError> {
    let mut recent = Recent::new(rule.period, rule.burst, cap);
    let since = now - rule.period;
    let mut to_index: Vec<String> = Vec::new();
    let petitions: Vec<String> = actions::table.select(actions::id).load(conn)?;
    for petition in petitions {
        // Read by `signatures_by_time`, in time order, a chunk at a time.
        let mut after = (since, String::new());
        loop {
            let rows: Vec<(String, String, NaiveDateTime)> = signatures::table
                .filter(signatures::action_id.eq(&petition))
                // The range first, then the tie-break: SQLite then reads the index
                // from the right place (as `db/osdi.rs` learned).
                .filter(signatures::created_at.ge(after.0))
                .filter(
                    signatures::created_at
                        .gt(after.0)
                        .or(signatures::id.gt(&after.1)),
                )
                .filter(signatures::client_indexed.eq(false))
                .filter(signatures::client_hash.ne(""))
                .order((signatures::created_at, signatures::id))
                .select((
                    signatures::id,
                    signatures::client_hash,
                    signatures::created_at,
                ))
                .limit(CHUNK)
                .load(conn)?;
            let Some(last) = rows.last() else { break };
            after = (last.2, last.0.clone());
            let full = rows.len() as i64 == CHUNK;
            for (id, client, at) in rows {
                let p = pair(&petition, &client);
                match (recent.place(&p, micros(since), 0, 0), Stamp::new(at, &id)) {
                    (Place::Memory, Some(stamp)) => recent.remember(p, stamp),
                    _ => to_index.push(id),
                }
            }
            if !full {
                break;
            }
        }
    }
    if !to_index.is_empty() {
        crate::db::write_transaction(conn, |conn| {
            for ids in to_index.chunks(500) {
                diesel::update(signatures::table.filter(signatures::id.eq_any(ids)))
                    .set(signatures::client_indexed.eq(true))
                    .execute(conn)?;
            }
            Ok(())
        })?;
    }
    let latest: Option<NaiveDateTime> = signatures::table
        .filter(signatures::client_indexed)
        .select(diesel::dsl::max(signatures::created_at))
        .first(conn)?;
    if let Some(latest) = latest {
        recent.indexed(micros(latest));
    }
    tracing::info!(
        rows = recent.held(),
        indexed = to_index.len(),
        "per-address counts rebuilt"
    );
    Ok(recent)
}

/// One batch's counting: rows it places are taken into the memory only once the batch
/// is stored ([`Tally::commit`]); a failed batch leaves the memory as it was.
pub struct Tally<'m> {
    recent: &'m mut Recent,
    burst: i64,
    since: NaiveDateTime,
    now: i64,
    pending: HashMap<Pair, usize>,
    placed: Vec<(Pair, Stamp)>,
    /// The latest row this batch sent to the index.
    indexed: Option<i64>,
}

/// What the rule found for one submission.
pub struct Counted {
    pub stored: i64,
    pub place: Place,
    pair: Pair,
}

impl<'m> Tally<'m> {
    pub fn new(recent: &'m mut Recent, rule: PerAddress, now: NaiveDateTime) -> Self {
        Self {
            recent,
            burst: rule.burst,
            since: now - rule.period,
            now: micros(now),
            pending: HashMap::new(),
            placed: Vec::new(),
            indexed: None,
        }
    }

    /// Signatures on `action_id` from `client_hash` in the period, as the database
    /// would count them, and where the next one goes.
    pub fn count(
        &mut self,
        conn: &mut DbConnection,
        action_id: &str,
        client_hash: &str,
    ) -> Result<Counted, DbError> {
        let (p, since) = (pair(action_id, client_hash), micros(self.since));
        let pending = self.pending.get(&p).copied().unwrap_or(0);
        let in_index = if self.recent.index_in_use(self.now) || self.indexed.is_some() {
            recent_from_client(conn, action_id, client_hash, self.since, true)?
        } else {
            0
        };
        let mut remembered = self.recent.count(&p, since);
        if (remembered + pending) as i64 + in_index >= self.burst && remembered > 0 {
            // About to hold: first forget rows erased since they were remembered.
            let stamps = self.recent.stamps(&p, since);
            let gone = erased(conn, client_hash, &stamps)?;
            if !gone.is_empty() {
                self.recent.forget(&p, &gone);
                remembered = self.recent.count(&p, since);
            }
        }
        let place = self.recent.place(&p, since, pending, self.placed.len());
        Ok(Counted {
            stored: (remembered + pending) as i64 + in_index,
            place,
            pair: p,
        })
    }

    /// Notes a row stored where `counted` placed it (an id that is no UUID: indexed).
    pub fn stored(&mut self, counted: &Counted, id: &str, at: NaiveDateTime) {
        match (counted.place, Stamp::new(at, id)) {
            (Place::Memory, Some(stamp)) => {
                *self.pending.entry(counted.pair).or_default() += 1;
                self.placed.push((counted.pair, stamp));
            }
            _ => self.indexed = Some(self.indexed.unwrap_or(i64::MIN).max(micros(at))),
        }
    }

    /// Where a row must go: memory only for a UUID id.
    pub fn indexed_row(counted: &Counted, id: &str) -> bool {
        counted.place == Place::Index || uuid::Uuid::parse_str(id).is_err()
    }

    /// The batch is stored: the memory takes its rows.
    pub fn commit(self) {
        for (p, stamp) in self.placed {
            self.recent.remember(p, stamp);
        }
        if let Some(at) = self.indexed {
            self.recent.indexed(at);
        }
        self.recent.sweep_if_due(self.now);
    }
}

/// Of `stamps`, the rows no longer stored from `client_hash` (erased or deleted).
fn erased(
    conn: &mut DbConnection,
    client_hash: &str,
    stamps: &[Stamp],
) -> Result<Vec<Stamp>, DbError> {
    let ids: Vec<String> = stamps.iter().map(Stamp::id).collect();
    let there: Vec<String> = signatures::table
        .filter(signatures::id.eq_any(&ids))
        .filter(signatures::client_hash.eq(client_hash))
        .select(signatures::id)
        .load(conn)?;
    Ok(stamps
        .iter()
        .filter(|s| !there.contains(&s.id()))
        .copied()
        .collect())
}
