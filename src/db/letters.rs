//! Letters per target of a contact action, for staff pages and letters.csv.

use diesel::prelude::*;

use super::messages::Target;
use super::schema::{message_targets, messages, outbox as outbox_table, targets};
use super::{DbConnection, DbError};
use crate::domain::status::TargetStatus;

/// Delivery per target of one contact action, for staff.
#[derive(Debug, Clone, Default)]
pub struct TargetDelivery {
    pub name: String,
    pub country_code: String,
    pub political_group: String,
    pub queued: i64,
    pub sent: i64,
    pub failed: i64,
    pub prepared: i64,
    pub last_error: Option<String>,
}

/// Letters of `action_id` per target: queued (waiting for their slot or being retried),
/// sent, failed and prepared (mailto), with the last delivery error seen.
pub fn delivery_by_target(
    conn: &mut DbConnection,
    action_id: &str,
) -> Result<Vec<TargetDelivery>, DbError> {
    let counts: Vec<(String, TargetStatus, i64)> = message_targets::table
        .inner_join(messages::table)
        .filter(messages::action_id.eq(action_id))
        .group_by((message_targets::target_id, message_targets::status))
        .select((
            message_targets::target_id,
            message_targets::status,
            diesel::dsl::count_star(),
        ))
        .load(conn)?;
    let ids: Vec<&String> = counts.iter().map(|(id, _, _)| id).collect();
    let details: Vec<Target> = targets::table
        .filter(targets::id.eq_any(ids))
        .select(Target::as_select())
        .load(conn)?;
    let mut by_target: Vec<(String, TargetDelivery)> = details
        .into_iter()
        .map(|t| {
            let entry = TargetDelivery {
                name: t.name,
                country_code: t.country_code,
                political_group: t.political_group,
                ..Default::default()
            };
            (t.id, entry)
        })
        .collect();
    for (id, status, n) in counts {
        let Some((_, entry)) = by_target.iter_mut().find(|(t, _)| *t == id) else {
            continue;
        };
        match status {
            TargetStatus::Sent => entry.sent += n,
            TargetStatus::Failed => entry.failed += n,
            TargetStatus::Prepared => entry.prepared += n,
            TargetStatus::Queued | TargetStatus::Waiting => entry.queued += n,
        }
    }
    for (id, entry) in &mut by_target {
        entry.last_error = outbox_table::table
            .filter(outbox_table::target_id.eq(&*id))
            .filter(outbox_table::last_error.is_not_null())
            .order(outbox_table::next_attempt_at.desc())
            .select(outbox_table::last_error)
            .first::<Option<String>>(conn)
            .optional()?
            .flatten();
    }
    let mut list: Vec<TargetDelivery> = by_target.into_iter().map(|(_, d)| d).collect();
    list.sort_by(|a, b| (&a.country_code, &a.name).cmp(&(&b.country_code, &b.name)));
    Ok(list)
}
