//! Letters as OSDI outreaches (issue 27): one partner's letters of a contact action that
//! chose to share with it, a page at a time by keyset (`updated_at`, `id`) on the partial
//! index `messages_by_partner`; and one sent copy, for the `letter.sent` webhook.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::actions::ContactAction;
use super::osdi::Window;
use super::schema::{actions, message_targets, messages, targets};
use super::{DbConnection, DbError};
use crate::domain::osdi::{LetterFacts, Target};
use crate::domain::status::MessageStatus;

/// Published contact actions, oldest first, with when each was made.
pub fn published(
    conn: &mut DbConnection,
) -> Result<Vec<(ContactAction, chrono::NaiveDateTime)>, DbError> {
    Ok(actions::table
        .filter(actions::kind.eq("contact"))
        .filter(actions::status.ne("draft"))
        .filter(actions::campaign_id.eq_any(super::campaigns::shown_ids()))
        .order((actions::created_at.asc(), actions::id.asc()))
        .select((ContactAction::as_select(), actions::created_at))
        .load(conn)?)
}

type Row = (
    (String, String, String, String, String, String),
    (String, String, String, NaiveDateTime, NaiveDateTime),
);

macro_rules! letter_columns {
    () => {
        (
            (
                messages::id,
                messages::first_name,
                messages::last_name,
                messages::email,
                messages::country_code,
                messages::postcode,
            ),
            (
                messages::subject,
                messages::body,
                messages::language,
                messages::created_at,
                messages::updated_at,
            ),
        )
    };
}

fn facts(row: Row, slug: &str, targets: Vec<Target>) -> LetterFacts {
    let ((id, first_name, last_name, email, country_code, postcode), rest) = row;
    let (subject, body, language, created_at, updated_at) = rest;
    LetterFacts {
        id,
        action_slug: slug.to_string(),
        first_name,
        last_name,
        email,
        country_code,
        postcode,
        subject,
        body,
        language,
        created_at,
        updated_at,
        targets,
    }
}

/// The officials each of `ids` was written to.
fn targets_of(conn: &mut DbConnection, ids: &[String]) -> Result<Vec<(String, Target)>, DbError> {
    let rows: Vec<(String, String, String, String, String)> = message_targets::table
        .inner_join(targets::table)
        .filter(message_targets::message_id.eq_any(ids))
        .order((message_targets::message_id, targets::name))
        .select((
            message_targets::message_id,
            targets::name,
            targets::role,
            targets::political_group,
            targets::country_code,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, name, title, organization, country)| {
            let target = Target {
                name,
                title,
                organization,
                country,
            };
            (id, target)
        })
        .collect())
}

/// Up to `limit` confirmed letters of action `action_id` through partner `partner_id`
/// that chose to share with it, in (`updated_at`, `id`) order within `window`.
pub fn page(
    conn: &mut DbConnection,
    (partner_id, action_id, slug): (&str, &str, &str),
    window: &Window,
    limit: i64,
) -> Result<Vec<LetterFacts>, DbError> {
    let mut q = messages::table
        .filter(messages::partner_id.eq(partner_id))
        .filter(messages::action_id.eq(action_id))
        .filter(messages::consent_partner.eq(true))
        .filter(messages::status.eq(MessageStatus::Confirmed))
        .into_boxed();
    if let Some(at) = window.modified_after {
        q = q.filter(messages::updated_at.gt(at));
    }
    if let Some(at) = window.modified_before {
        q = q.filter(messages::updated_at.lt(at));
    }
    if let Some((at, id)) = window.after.clone() {
        // The range first, so the index is read from the cursor on (an OR alone made
        // SQLite read the partner's rows from the start for every page).
        q = q
            .filter(messages::updated_at.ge(at))
            .filter(messages::updated_at.gt(at).or(messages::id.gt(id)));
    }
    let rows: Vec<Row> = q
        .order((messages::updated_at.asc(), messages::id.asc()))
        .limit(limit)
        .select(letter_columns!())
        .load(conn)?;
    let ids: Vec<String> = rows.iter().map(|r| r.0 .0.clone()).collect();
    let mut written: std::collections::HashMap<String, Vec<Target>> = Default::default();
    for (id, target) in targets_of(conn, &ids)? {
        written.entry(id).or_default().push(target);
    }
    Ok(rows
        .into_iter()
        .map(|row| {
            let own = written.remove(&row.0 .0).unwrap_or_default();
            facts(row, slug, own)
        })
        .collect())
}

/// The letter whose copy is outbox email `outbox_id`, with that copy's one target and
/// the partner, when its writer chose to share with that partner.
pub fn sent_copy(
    conn: &mut DbConnection,
    outbox_id: &str,
) -> Result<Option<(String, LetterFacts)>, DbError> {
    let found: Option<(Option<String>, bool, String, String, Row)> = message_targets::table
        .inner_join(messages::table.inner_join(actions::table))
        .filter(message_targets::outbox_id.eq(outbox_id))
        .select((
            messages::partner_id,
            messages::consent_partner,
            actions::slug,
            message_targets::target_id,
            letter_columns!(),
        ))
        .first(conn)
        .optional()?;
    let Some((Some(partner), true, slug, target_id, row)) = found else {
        return Ok(None);
    };
    let (name, title, organization, country): (String, String, String, String) = targets::table
        .find(&target_id)
        .select((
            targets::name,
            targets::role,
            targets::political_group,
            targets::country_code,
        ))
        .first(conn)?;
    let target = Target {
        name,
        title,
        organization,
        country,
    };
    Ok(Some((partner, facts(row, &slug, vec![target]))))
}
