//! Responsiveness: what writers answered about each official their delivered letters
//! reached, for one contact action or all of them, in one grouped query. The same
//! official in two target lists (the same `external_id`) is counted once.

use diesel::dsl::count_star;
use diesel::prelude::*;

use super::schema::{message_targets, messages, targets};
use super::{DbConnection, DbError};
use crate::domain::responsiveness::Tally;
use crate::domain::status::{ReplyAnswer, TargetStatus};

diesel::allow_columns_to_appear_in_same_group_by_clause!(
    targets::id,
    targets::external_id,
    targets::name,
    targets::country_code,
    targets::political_group,
    targets::active,
    message_targets::answer,
);

/// One official's letters and answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Official {
    pub name: String,
    pub country_code: String,
    pub political_group: String,
    /// Still in the target list; one who left keeps their history.
    pub active: bool,
    pub tally: Tally,
}

/// Every official with at least one delivered letter, by country then name, and for
/// one action the replies staff approved for quoting (official, text), newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Replies {
    pub officials: Vec<Official>,
    pub quotes: Vec<(String, String)>,
}

impl Replies {
    pub fn total(&self) -> Tally {
        let mut all = Tally::default();
        for o in &self.officials {
            all.merge(&o.tally);
        }
        all
    }

    /// Tallies per member state, by country code.
    pub fn by_country(&self) -> Vec<(String, Tally)> {
        group(&self.officials, |o| &o.country_code)
    }

    /// Tallies per political group, by name.
    pub fn by_group(&self) -> Vec<(String, Tally)> {
        group(&self.officials, |o| &o.political_group)
    }
}

fn group(officials: &[Official], key: impl Fn(&Official) -> &String) -> Vec<(String, Tally)> {
    let mut groups: std::collections::BTreeMap<String, Tally> = Default::default();
    for o in officials {
        groups.entry(key(o).clone()).or_default().merge(&o.tally);
    }
    groups.into_iter().collect()
}

type Row = (
    (String, String, String, String, String, bool),
    Option<ReplyAnswer>,
    i64,
);

/// The answers about letters of `action_id` (all contact actions when `None`).
pub fn of(conn: &mut DbConnection, action_id: Option<&str>) -> Result<Replies, DbError> {
    let official = (
        targets::id,
        targets::external_id,
        targets::name,
        targets::country_code,
        targets::political_group,
        targets::active,
    );
    let mut query = message_targets::table
        .inner_join(targets::table)
        .inner_join(messages::table)
        .filter(message_targets::status.eq(TargetStatus::Sent))
        .group_by((official, message_targets::answer))
        .select((official, message_targets::answer, count_star()))
        .into_boxed();
    if let Some(id) = action_id {
        query = query.filter(messages::action_id.eq(id.to_string()));
    }
    let rows: Vec<Row> = query.load(conn)?;
    let mut replies = tally(rows);
    if let Some(id) = action_id {
        replies.quotes = super::quotes::of_action(conn, id, true)?
            .into_iter()
            .map(|q| (q.official, q.text))
            .collect();
    }
    Ok(replies)
}

fn tally(rows: Vec<Row>) -> Replies {
    let mut by_key: std::collections::HashMap<String, Official> = Default::default();
    for ((id, external, name, country_code, political_group, active), answer, n) in rows {
        let key = if external.is_empty() { id } else { external };
        let official = by_key.entry(key).or_insert_with(|| Official {
            name,
            country_code,
            political_group,
            active,
            tally: Tally::default(),
        });
        official.active |= active;
        official.tally.add_many(answer, n);
    }
    let mut officials: Vec<Official> = by_key.into_values().collect();
    officials.sort_by(|a, b| (&a.country_code, &a.name).cmp(&(&b.country_code, &b.name)));
    Replies {
        officials,
        quotes: Vec::new(),
    }
}
