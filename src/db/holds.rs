//! Anti-abuse rules that need the database: block and allow lists, and too many
//! signatures on one petition from one client address. A held row is kept, never counted,
//! confirmed or delivered until staff release it; its reason says which rule held it.

use std::net::IpAddr;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use ipnet::IpNet;

use super::schema::{access_rules, signatures};
use super::{new_id, now, DbConnection, DbError};
use crate::domain::status::{Decision, HoldReason, SignatureStatus};

/// The block and allow lists as loaded once, for checking many submissions.
pub struct AccessRules(Vec<(String, String, String)>);

impl AccessRules {
    pub fn load(conn: &mut DbConnection) -> Result<Self, DbError> {
        Ok(Self(
            access_rules::table
                .select((access_rules::list, access_rules::kind, access_rules::value))
                .load(conn)?,
        ))
    }

    /// Whether `domain` or `address` is on the block list and not on the allow list.
    pub fn blocks(&self, domain: &str, address: IpAddr) -> bool {
        let matches = |list: &str| {
            self.0
                .iter()
                .filter(|(l, _, _)| l == list)
                .any(|(_, kind, value)| match kind.as_str() {
                    "email_domain" => {
                        domain.eq_ignore_ascii_case(value) || domain.ends_with(&format!(".{value}"))
                    }
                    "cidr" => value
                        .parse::<IpNet>()
                        .is_ok_and(|net| net.contains(&address)),
                    _ => false,
                })
        };
        matches("block") && !matches("allow")
    }

    /// The blocked-sender rule, for signatures and letters alike: a row not held yet by
    /// an earlier rule is held as `blocked` when its sender is blocked.
    pub fn hold(
        &self,
        earlier: Option<HoldReason>,
        domain: &str,
        address: IpAddr,
    ) -> Option<HoldReason> {
        earlier.or_else(|| self.blocks(domain, address).then_some(HoldReason::Blocked))
    }
}

/// Signatures on `action_id` from `client_hash` since `since` (any status); with
/// `indexed_only`, only those SQLite's partial index holds (`db/batch/by_address.rs`).
pub fn recent_from_client(
    conn: &mut DbConnection,
    action_id: &str,
    client_hash: &str,
    since: NaiveDateTime,
    indexed_only: bool,
) -> Result<i64, DbError> {
    let mut query = signatures::table
        .filter(signatures::action_id.eq(action_id))
        .filter(signatures::client_hash.eq(client_hash))
        .filter(signatures::created_at.ge(since))
        .into_boxed();
    if indexed_only {
        // The bare column, as the index says it: SQLite uses a partial index only for
        // a query whose terms imply its WHERE, and a bound `= true` would not.
        query = query.filter(signatures::client_indexed);
    }
    Ok(query.count().get_result(conn)?)
}

/// Adds (or, with `remove`, deletes) a block or allow rule; answers rows changed.
pub fn set_rule(
    conn: &mut DbConnection,
    list: &str,
    kind: &str,
    value: &str,
    note: &str,
    remove: bool,
) -> Result<usize, DbError> {
    if remove {
        return Ok(diesel::delete(
            access_rules::table
                .filter(access_rules::list.eq(list))
                .filter(access_rules::kind.eq(kind))
                .filter(access_rules::value.eq(value)),
        )
        .execute(conn)?);
    }
    super::unless_taken(
        diesel::insert_into(access_rules::table)
            .values((
                access_rules::id.eq(new_id()),
                access_rules::list.eq(list),
                access_rules::kind.eq(kind),
                access_rules::value.eq(value),
                access_rules::note.eq(note),
                access_rules::created_at.eq(now()),
            ))
            .execute(conn)
            .map_err(DbError::from),
    )
    .map(|n| n.unwrap_or(0))
}

/// Releases or invalidates the held signatures of a petition (all, or one reason's).
/// Released rows count at once when their supporter had confirmed them, else they await
/// confirmation. Answers how many rows changed; the counters follow in the same
/// transaction.
pub fn decide_signatures(
    conn: &mut DbConnection,
    action_id: &str,
    reason: Option<HoldReason>,
    decision: Decision,
) -> Result<usize, DbError> {
    use super::moderation::{decide, matching, Criterion, Decided};
    let criterion = Criterion {
        status: Some(SignatureStatus::Held),
        hold_reason: reason,
        ..Default::default()
    };
    super::write_transaction(conn, |conn| {
        let ids = matching(conn, action_id, &criterion, decision)?;
        let reason = format!(
            "clarion held on the command line (hold reason: {})",
            reason.map_or("any", HoldReason::as_str)
        );
        let by = Decided {
            staff_user_id: None,
            reason: &reason,
            at: super::now(),
        };
        decide(conn, action_id, &ids, decision, &by)
    })
}

/// A block or allow rule as the admin page lists it.
#[derive(Debug, Clone, Queryable)]
pub struct Rule {
    pub id: String,
    pub list: String,
    pub kind: String,
    pub value: String,
    pub note: String,
    pub created_at: NaiveDateTime,
}

pub fn rules(conn: &mut DbConnection) -> Result<Vec<Rule>, DbError> {
    Ok(access_rules::table
        .order((
            access_rules::list.asc(),
            access_rules::kind.asc(),
            access_rules::value.asc(),
        ))
        .select((
            access_rules::id,
            access_rules::list,
            access_rules::kind,
            access_rules::value,
            access_rules::note,
            access_rules::created_at,
        ))
        .load(conn)?)
}

/// Deletes a rule by id; answers the rule that was removed.
pub fn remove_rule(conn: &mut DbConnection, id: &str) -> Result<Option<Rule>, DbError> {
    let rule = rules(conn)?.into_iter().find(|r| r.id == id);
    if rule.is_some() {
        diesel::delete(access_rules::table.find(id)).execute(conn)?;
    }
    Ok(rule)
}
