//! The durable queue of webhook deliveries: queued in the transaction of their event,
//! claimed by one node at a time (a lease, so a node that dies hands its claims on),
//! tried on the Standard Webhooks schedule, given up after the last try, disabled on
//! 410. Staff see the latest, send a test and replay a failed one.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use super::{DELIVERED, FAILED, PENDING};
use crate::db::schema::{webhook_deliveries, webhook_endpoints};
use crate::db::{audit, write_transaction, DbConnection, DbError};
use crate::domain::webhook;

/// How long a claim holds: longer than one try may take.
const LEASE: TimeDelta = TimeDelta::seconds(60);

/// Queues one delivery, due at once. Its id (`msg_…`) is the `webhook-id` of every try.
pub fn insert(
    conn: &mut DbConnection,
    endpoint_id: &str,
    (event, subject_id): (&str, &str),
    body: &str,
    now: NaiveDateTime,
) -> Result<String, DbError> {
    let id = format!("msg_{}", uuid::Uuid::now_v7().simple());
    diesel::insert_into(webhook_deliveries::table)
        .values((
            webhook_deliveries::id.eq(&id),
            webhook_deliveries::endpoint_id.eq(endpoint_id),
            webhook_deliveries::event.eq(event),
            webhook_deliveries::subject_id.eq(subject_id),
            webhook_deliveries::body.eq(body),
            webhook_deliveries::status.eq(PENDING),
            webhook_deliveries::next_attempt_at.eq(now),
            webhook_deliveries::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(id)
}

/// One claimed delivery, with what its try needs.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub id: String,
    pub endpoint_id: String,
    pub url: String,
    pub secret_sealed: String,
    pub body: String,
    pub attempts: i32,
}

/// Claims up to `limit` due deliveries of live endpoints for this node.
pub fn claim(
    conn: &mut DbConnection,
    limit: i64,
    now: NaiveDateTime,
) -> Result<Vec<Claimed>, DbError> {
    let free = webhook_deliveries::lease_until
        .is_null()
        .or(webhook_deliveries::lease_until.lt(now));
    let due: Vec<String> = webhook_deliveries::table
        .filter(webhook_deliveries::status.eq(PENDING))
        .filter(webhook_deliveries::next_attempt_at.le(now))
        .filter(free)
        .order(webhook_deliveries::next_attempt_at.asc())
        .limit(limit)
        .select(webhook_deliveries::id)
        .load(conn)?;
    let mut claimed = Vec::new();
    for id in due {
        // Another node may have claimed it since: only a row still free is taken.
        let took = diesel::update(
            webhook_deliveries::table
                .find(&id)
                .filter(webhook_deliveries::status.eq(PENDING))
                .filter(free),
        )
        .set(webhook_deliveries::lease_until.eq(now + LEASE))
        .execute(conn)?;
        if took == 1 {
            claimed.push(id);
        }
    }
    let rows: Vec<(String, String, String, String, String, i32)> = webhook_deliveries::table
        .inner_join(webhook_endpoints::table)
        .filter(webhook_deliveries::id.eq_any(&claimed))
        .select((
            webhook_deliveries::id,
            webhook_deliveries::endpoint_id,
            webhook_endpoints::url,
            webhook_endpoints::secret_sealed,
            webhook_deliveries::body,
            webhook_deliveries::attempts,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|r| Claimed {
            id: r.0,
            endpoint_id: r.1,
            url: r.2,
            secret_sealed: r.3,
            body: r.4,
            attempts: r.5,
        })
        .collect())
}

/// How one try ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A 2xx.
    Delivered(u16),
    /// 410 Gone: the endpoint is disabled.
    Gone,
    /// Any other status, a timeout, a refused address: tried again on the schedule.
    Failed { status: Option<u16>, error: String },
}

/// Records how `delivery`'s try ended.
pub fn record(
    conn: &mut DbConnection,
    delivery: &Claimed,
    outcome: &Outcome,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    let attempts = delivery.attempts + 1;
    let row = webhook_deliveries::table.find(&delivery.id);
    write_transaction(conn, |conn| {
        match outcome {
            Outcome::Delivered(status) => diesel::update(row)
                .set((
                    webhook_deliveries::status.eq(DELIVERED),
                    webhook_deliveries::attempts.eq(attempts),
                    webhook_deliveries::last_status.eq(i32::from(*status)),
                    webhook_deliveries::last_error.eq(""),
                    // Delivered: the partner has it, Clarion keeps no copy.
                    webhook_deliveries::body.eq(""),
                    webhook_deliveries::delivered_at.eq(now),
                    webhook_deliveries::lease_until.eq(None::<NaiveDateTime>),
                ))
                .execute(conn)?,
            Outcome::Gone => {
                disable(conn, &delivery.endpoint_id, now)?;
                diesel::update(row)
                    .set((
                        webhook_deliveries::attempts.eq(attempts),
                        webhook_deliveries::last_status.eq(410),
                    ))
                    .execute(conn)?
            }
            Outcome::Failed { status, error } => {
                let next =
                    webhook::retry_after(attempts).and_then(|wait| TimeDelta::from_std(wait).ok());
                diesel::update(row)
                    .set((
                        webhook_deliveries::status.eq(if next.is_some() {
                            PENDING
                        } else {
                            FAILED
                        }),
                        webhook_deliveries::attempts.eq(attempts),
                        webhook_deliveries::last_status.eq(status.map(i32::from)),
                        webhook_deliveries::last_error
                            .eq(error.chars().take(300).collect::<String>()),
                        webhook_deliveries::next_attempt_at.eq(now + next.unwrap_or_default()),
                        webhook_deliveries::lease_until.eq(None::<NaiveDateTime>),
                    ))
                    .execute(conn)?
            }
        };
        Ok(())
    })
}

/// A 410: the endpoint takes nothing more, and what waited for it is failed.
fn disable(conn: &mut DbConnection, endpoint_id: &str, now: NaiveDateTime) -> Result<(), DbError> {
    diesel::update(webhook_endpoints::table.find(endpoint_id))
        .set((
            webhook_endpoints::disabled_at.eq(now),
            webhook_endpoints::disabled_reason.eq("The endpoint answered 410 Gone."),
        ))
        .execute(conn)?;
    diesel::update(
        webhook_deliveries::table
            .filter(webhook_deliveries::endpoint_id.eq(endpoint_id))
            .filter(webhook_deliveries::status.eq(PENDING)),
    )
    .set((
        webhook_deliveries::status.eq(FAILED),
        webhook_deliveries::last_error.eq("The endpoint was disabled (410 Gone)."),
        webhook_deliveries::lease_until.eq(None::<NaiveDateTime>),
    ))
    .execute(conn)?;
    audit::record(
        conn,
        &audit::Event {
            staff_user_id: None,
            event: "webhook.disabled",
            subject_type: "webhook_endpoint",
            subject_id: endpoint_id,
            detail: "410 Gone",
            row_count: None,
        },
    )
}

/// One delivery as staff see it.
#[derive(Debug, Clone, Queryable)]
pub struct Listed {
    pub id: String,
    pub event: String,
    pub status: String,
    pub attempts: i32,
    pub last_status: Option<i32>,
    pub last_error: String,
    pub created_at: NaiveDateTime,
    pub next_attempt_at: NaiveDateTime,
}

/// The latest `limit` deliveries to `endpoint_id`, newest first.
pub fn latest(
    conn: &mut DbConnection,
    endpoint_id: &str,
    limit: i64,
) -> Result<Vec<Listed>, DbError> {
    Ok(webhook_deliveries::table
        .filter(webhook_deliveries::endpoint_id.eq(endpoint_id))
        .order((
            webhook_deliveries::created_at.desc(),
            webhook_deliveries::id.desc(),
        ))
        .limit(limit)
        .select((
            webhook_deliveries::id,
            webhook_deliveries::event,
            webhook_deliveries::status,
            webhook_deliveries::attempts,
            webhook_deliveries::last_status,
            webhook_deliveries::last_error,
            webhook_deliveries::created_at,
            webhook_deliveries::next_attempt_at,
        ))
        .load(conn)?)
}

/// Staff try a failed delivery again, with the same id, from its first try on the
/// schedule; `false` when it is not a failed delivery of a live endpoint.
pub fn replay(
    conn: &mut DbConnection,
    staff_id: &str,
    (endpoint_id, id): (&str, &str),
    now: NaiveDateTime,
) -> Result<bool, DbError> {
    write_transaction(conn, |conn| {
        let live: Option<Option<NaiveDateTime>> = webhook_endpoints::table
            .find(endpoint_id)
            .select(webhook_endpoints::disabled_at)
            .first(conn)
            .optional()?;
        if live != Some(None) {
            return Ok(false);
        }
        let changed = diesel::update(
            webhook_deliveries::table
                .find(id)
                .filter(webhook_deliveries::endpoint_id.eq(endpoint_id))
                .filter(webhook_deliveries::status.eq(FAILED))
                .filter(webhook_deliveries::body.ne("")),
        )
        .set((
            webhook_deliveries::status.eq(PENDING),
            webhook_deliveries::attempts.eq(0),
            webhook_deliveries::next_attempt_at.eq(now),
            webhook_deliveries::lease_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
        if changed == 1 {
            audit::record(
                conn,
                &audit::Event {
                    staff_user_id: Some(staff_id),
                    event: "webhook.replayed",
                    subject_type: "webhook_endpoint",
                    subject_id: endpoint_id,
                    detail: id,
                    row_count: None,
                },
            )?;
        }
        Ok(changed == 1)
    })
}
