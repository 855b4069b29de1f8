//! Group commit for signing: many submissions stored in one transaction, so one fsync
//! (SQLite) or one commit (PostgreSQL) serves them all. Held rules and duplicates are
//! decided here, in submission order, exactly as one-at-a-time signing would decide
//! them: a duplicate (in the batch or already stored) re-sends its link instead of
//! failing the batch, and the per-address count includes the batch's own rows.

mod by_address;
mod pg;
mod recent;

pub use recent::Recent;

use std::collections::{HashMap, HashSet};
use std::net::IpAddr;

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use super::holds::AccessRules;
use super::outbox::NewEmail;
use super::schema::{outbox, signatures};
use super::signatures::{resend_existing, NewSignature, SubmitOutcome};
use super::{DbConnection, DbError};
use crate::domain::status::{HoldReason, SignatureStatus};

/// One sign request, checked and ready to store.
#[derive(Debug, Clone)]
pub struct Submission {
    /// Pending, or held already by a rule that needs no database.
    pub signature: NewSignature,
    /// The confirmation email, for `signature.id`.
    pub email: NewEmail,
    /// The slug of the article whose card it came from ("" for none).
    pub source: String,
    /// The mailing whose link led here, as the form said (checked here to exist).
    pub mailing: Option<String>,
    pub email_domain: String,
    pub address: IpAddr,
}

/// The rules that read the database: more than `burst` signatures in `period` from one
/// address on one petition are held.
#[derive(Debug, Clone, Copy)]
pub struct PerAddress {
    pub burst: i64,
    pub period: TimeDelta,
}

/// How the per-address rule counts: in the database (PostgreSQL, whose writers and
/// nodes share it) or in the SQLite writer's memory (see `batch/recent.rs`).
pub enum Counting<'m> {
    Off,
    Database(PerAddress),
    Memory(PerAddress, &'m mut Recent),
}

impl<'m> Counting<'m> {
    /// How `conn` counts `rule`; on SQLite, `recent` is built from the stored rows of
    /// the period first when it is not yet (remembering `cap` rows at most).
    pub fn on(
        conn: &mut DbConnection,
        rule: Option<PerAddress>,
        cap: usize,
        recent: &'m mut Option<Recent>,
        now: NaiveDateTime,
    ) -> Result<Self, DbError> {
        Ok(match (rule, &*conn) {
            (None, _) => Counting::Off,
            (Some(rule), DbConnection::Postgresql(_)) => Counting::Database(rule),
            (Some(rule), DbConnection::Sqlite(_)) => {
                let recent = match recent {
                    Some(recent) => recent,
                    None => recent.insert(by_address::rebuild(conn, rule, cap, now)?),
                };
                Counting::Memory(rule, recent)
            }
        })
    }

    fn rule(&self) -> Option<PerAddress> {
        match self {
            Counting::Off => None,
            Counting::Database(rule) | Counting::Memory(rule, _) => Some(*rule),
        }
    }
}

/// Stores `batch` in one transaction; answers each submission's outcome, in order.
/// When a row is taken by another writer meanwhile (another node), the batch is retried
/// one submission per transaction, so one conflict never fails the others.
pub fn store(
    conn: &mut DbConnection,
    batch: &[Submission],
    mut counting: Counting,
    now: NaiveDateTime,
) -> Result<Vec<SubmitOutcome>, DbError> {
    match stored_counted(conn, batch, &mut counting, now) {
        Err(e) if super::is_unique_violation(&e) => batch
            .iter()
            .map(|one| store_one(conn, one, &mut counting, now))
            .collect(),
        other => other,
    }
}

/// One transaction for `batch`; the memory takes its rows only once it is stored.
fn stored_counted(
    conn: &mut DbConnection,
    batch: &[Submission],
    counting: &mut Counting,
    now: NaiveDateTime,
) -> Result<Vec<SubmitOutcome>, DbError> {
    let rule = counting.rule();
    let mut tally = match counting {
        Counting::Memory(rule, recent) => Some(by_address::Tally::new(recent, *rule, now)),
        _ => None,
    };
    let outcomes = super::write_transaction(conn, |conn| {
        store_in(conn, batch, rule, tally.as_mut(), now)
    })?;
    if let Some(tally) = tally {
        tally.commit();
    }
    Ok(outcomes)
}

fn store_one(
    conn: &mut DbConnection,
    one: &Submission,
    counting: &mut Counting,
    now: NaiveDateTime,
) -> Result<SubmitOutcome, DbError> {
    let one_only = std::slice::from_ref(one);
    match stored_counted(conn, one_only, counting, now) {
        Ok(mut outcomes) => Ok(outcomes.remove(0)),
        // Taken between the check and the insert: it is a duplicate now.
        Err(e) if super::is_unique_violation(&e) => super::write_transaction(conn, |conn| {
            resend_existing(conn, &one.signature, &one.email)
        }),
        Err(e) => Err(e),
    }
}

fn store_in(
    conn: &mut DbConnection,
    batch: &[Submission],
    per_address: Option<PerAddress>,
    mut tally: Option<&mut by_address::Tally>,
    now: NaiveDateTime,
) -> Result<Vec<SubmitOutcome>, DbError> {
    if per_address.is_some() {
        take_addresses(conn, batch)?;
    }
    // PostgreSQL is asked once which pairs are stored (a round trip per query counts);
    // SQLite answers each insert in-process, so there the insert itself tells.
    // Positions in `batch` whose (petition, email) is stored already.
    let stored_before = match conn {
        DbConnection::Postgresql(c) => pg::already_signed(c, batch)?,
        DbConnection::Sqlite(_) => HashSet::new(),
    };
    let (sources, mailings) = (sources(conn, batch, now)?, mailings(conn, batch)?);
    let rules = AccessRules::load(conn)?;
    // PostgreSQL counts every (petition, address) pair of the batch in one query: one
    // round trip per pair (as SQLite asks, in-process, below) starved a surge from many
    // addresses (CHANGELOG, issue 20's measurements).
    let mut recent: HashMap<(&str, &str), i64> = match (&mut *conn, per_address) {
        (DbConnection::Postgresql(c), Some(rule)) => {
            pg::recent_by_client(c, batch, now - rule.period)?
        }
        _ => HashMap::new(),
    };
    let mut seen: HashSet<(&str, &str)> = HashSet::new();
    let (mut rows, mut emails, mut outcomes) = (Vec::new(), Vec::new(), Vec::new());
    let mut again: Vec<usize> = Vec::new();
    for (i, s) in batch.iter().enumerate() {
        let sig = &s.signature;
        if stored_before.contains(&i) || !seen.insert(petition_and_email(s)) {
            again.push(i);
            outcomes.push(SubmitOutcome::Unchanged);
            continue;
        }
        let mut row = sig.clone();
        row.source_article_id = sources.get(s.source.as_str()).cloned().flatten();
        row.mailing_id = s
            .mailing
            .as_ref()
            .and_then(|m| mailings.get(m).cloned().flatten());
        row.hold_reason = rules.hold(row.hold_reason, &s.email_domain, s.address);
        let mut count = None;
        let mut counted = None;
        // What the per-address rule counts for this row: in memory or in the database.
        let stored = if let (Some(_), Some(tally)) = (per_address, tally.as_deref_mut()) {
            let found = tally.count(conn, &sig.action_id, &sig.client_hash)?;
            row.client_indexed = by_address::Tally::indexed_row(&found, &row.id);
            let stored = found.stored;
            counted = Some(found);
            Some(stored)
        } else if let Some(rule) = per_address {
            let (petition, client) = (sig.action_id.as_str(), sig.client_hash.as_str());
            let stored = match recent.get_mut(&(petition, client)) {
                Some(stored) => stored,
                None => {
                    let since = now - rule.period;
                    let stored =
                        super::holds::recent_from_client(conn, petition, client, since, false)?;
                    recent.entry((petition, client)).or_insert(stored)
                }
            };
            let n = *stored;
            count = Some(stored);
            Some(n)
        } else {
            None
        };
        if let (Some(rule), Some(stored)) = (per_address, stored) {
            if row.hold_reason.is_none() && stored >= rule.burst {
                row.hold_reason = Some(HoldReason::PerAddress);
            }
        }
        row.status = SignatureStatus::new_with(row.hold_reason);
        let created = match row.hold_reason {
            Some(reason) => SubmitOutcome::Held(reason),
            None => SubmitOutcome::Created,
        };
        if let DbConnection::Sqlite(c) = conn {
            // One prepared statement, reused for every row: cheaper in-process than
            // building and compiling a many-row statement for each batch.
            if diesel::insert_or_ignore_into(signatures::table)
                .values(&row)
                .execute(c)?
                == 0
            {
                again.push(i);
                outcomes.push(SubmitOutcome::Unchanged);
                continue;
            }
            diesel::insert_into(outbox::table)
                .values(&s.email)
                .execute(c)?;
            if let (Some(found), Some(tally)) = (&counted, tally.as_deref_mut()) {
                tally.stored(found, &row.id, row.created_at);
            }
        } else {
            rows.push(row);
            emails.push(s.email.clone());
        }
        if let Some(count) = count {
            *count += 1;
        }
        outcomes.push(created);
    }
    if let (DbConnection::Postgresql(c), false) = (&mut *conn, rows.is_empty()) {
        // One round trip for the batch's rows of each table.
        pg::insert_signatures(c, &rows)?;
        pg::insert_emails(c, &emails)?;
    }
    // Duplicates last, so that one repeated inside the batch finds its first row stored.
    for i in again {
        outcomes[i] = resend_existing(conn, &batch[i].signature, &batch[i].email)?;
    }
    Ok(outcomes)
}

/// On PostgreSQL several writers (and nodes) store batches at once. Each first takes a
/// lock on every (petition, address) pair of its batch, held to the end of its
/// transaction, so that its per-address count sees the other batches from that address
/// committed and two batches never both admit the last place. All take their locks in
/// the same (sorted) order, so none waits for another in a circle.
fn take_addresses(conn: &mut DbConnection, batch: &[Submission]) -> Result<(), DbError> {
    let DbConnection::Postgresql(c) = conn else {
        return Ok(());
    };
    let mut keys: Vec<String> = batch
        .iter()
        .map(|s| format!("{} {}", s.signature.action_id, s.signature.client_hash))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    diesel::sql_query(
        "SELECT pg_advisory_xact_lock(hashtextextended(k, 0)) FROM unnest($1::text[]) AS k",
    )
    .bind::<diesel::sql_types::Array<diesel::sql_types::Text>, _>(keys)
    .execute(c)?;
    Ok(())
}

/// A submission's (action, canonical email): one signature each.
pub(super) fn petition_and_email(s: &Submission) -> (&str, &str) {
    (
        s.signature.action_id.as_str(),
        s.signature.email_canonical.as_str(),
    )
}

/// Article ids of the batch's distinct source slugs (`None`: not a published article).
fn sources(
    conn: &mut DbConnection,
    batch: &[Submission],
    now: NaiveDateTime,
) -> Result<HashMap<String, Option<String>>, DbError> {
    let mut ids = HashMap::new();
    for s in batch {
        if !ids.contains_key(&s.source) {
            let id = super::articles::published_id(conn, &s.source, now)?;
            ids.insert(s.source.clone(), id);
        }
    }
    Ok(ids)
}

/// The batch's distinct mailing ids, each kept only if a mailing has it.
fn mailings(
    conn: &mut DbConnection,
    batch: &[Submission],
) -> Result<HashMap<String, Option<String>>, DbError> {
    let mut ids = HashMap::new();
    for m in batch.iter().filter_map(|s| s.mailing.as_ref()) {
        if !ids.contains_key(m) {
            ids.insert(m.clone(), super::mailings::existing(conn, m)?);
        }
    }
    Ok(ids)
}
