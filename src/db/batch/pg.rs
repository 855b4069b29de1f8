//! PostgreSQL's side of group commit: a batch's rows go in as one array per column,
//! unnested by one short statement. A many-row `VALUES` list was parsed and planned anew
//! for each batch, and its length grew with the batch: PostgreSQL spent most of a surge
//! in its parser and planner. This statement is the same few lines for any batch.

use diesel::prelude::*;
use diesel::sql_types::{Array, Bool, Integer, Nullable, Text, Timestamp};

use crate::db::outbox::NewEmail;
use crate::db::signatures::NewSignature;

/// One column of `rows`, as the array PostgreSQL unnests.
fn column<'a, R, T>(rows: &'a [R], value: impl Fn(&'a R) -> T) -> Vec<T> {
    rows.iter().map(value).collect()
}

pub(super) fn insert_signatures(
    conn: &mut PgConnection,
    rows: &[NewSignature],
) -> QueryResult<usize> {
    diesel::sql_query(
        "INSERT INTO signatures (id, action_id, first_name, last_name, email, \
         email_canonical, country_code, postcode, comment, consent_updates, consent_text, \
         consent_version, status, hold_reason, client_hash, token_hash, emails_sent, \
         source_article_id, created_at, confirmed_at, updated_at) \
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], \
         $6::text[], $7::text[], $8::text[], $9::text[], $10::boolean[], $11::text[], \
         $12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::int4[], \
         $18::text[], $19::timestamp[], $20::timestamp[], $21::timestamp[])",
    )
    .bind::<Array<Text>, _>(column(rows, |r| r.id.as_str()))
    .bind::<Array<Text>, _>(column(rows, |r| r.action_id.as_str()))
    .bind::<Array<Text>, _>(column(rows, |r| r.first_name.as_str()))
    .bind::<Array<Text>, _>(column(rows, |r| r.last_name.as_str()))
    .bind::<Array<Text>, _>(column(rows, |r| r.email.as_str()))
    .bind::<Array<Text>, _>(column(rows, |r| r.email_canonical.as_str()))
    .bind::<Array<Text>, _>(column(rows, |r| r.country_code.as_str()))
    .bind::<Array<Text>, _>(column(rows, |r| r.postcode.as_str()))
    .bind::<Array<Text>, _>(column(rows, |r| r.comment.as_str()))
    .bind::<Array<Bool>, _>(column(rows, |r| r.consent_updates))
    .bind::<Array<Text>, _>(column(rows, |r| r.consent_text.as_str()))
    .bind::<Array<Text>, _>(column(rows, |r| r.consent_version.as_str()))
    .bind::<Array<Text>, _>(column(rows, |r| r.status.as_str()))
    .bind::<Array<Nullable<Text>>, _>(column(rows, |r| r.hold_reason.as_deref()))
    .bind::<Array<Text>, _>(column(rows, |r| r.client_hash.as_str()))
    .bind::<Array<Text>, _>(column(rows, |r| r.token_hash.as_str()))
    .bind::<Array<Integer>, _>(column(rows, |r| r.emails_sent))
    .bind::<Array<Nullable<Text>>, _>(column(rows, |r| r.source_article_id.as_deref()))
    .bind::<Array<Timestamp>, _>(column(rows, |r| r.created_at))
    .bind::<Array<Nullable<Timestamp>>, _>(column(rows, |r| r.confirmed_at))
    .bind::<Array<Timestamp>, _>(column(rows, |r| r.updated_at))
    .execute(conn)
}

pub(super) fn insert_emails(conn: &mut PgConnection, rows: &[NewEmail]) -> QueryResult<usize> {
    diesel::sql_query(
        "INSERT INTO outbox (id, kind, to_address, from_name, reply_to, subject, body_text, \
         body_html, status, next_attempt_at, signature_id, message_id, target_id, created_at, \
         fields) \
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], \
         $6::text[], $7::text[], $8::text[], $9::text[], $10::timestamp[], $11::text[], \
         $12::text[], $13::text[], $14::timestamp[], $15::text[])",
    )
    .bind::<Array<Text>, _>(column(rows, |r| r.id.as_str()))
    .bind::<Array<Text>, _>(column(rows, |r| r.kind.as_str()))
    .bind::<Array<Text>, _>(column(rows, |r| r.to_address.as_str()))
    .bind::<Array<Nullable<Text>>, _>(column(rows, |r| r.from_name.as_deref()))
    .bind::<Array<Nullable<Text>>, _>(column(rows, |r| r.reply_to.as_deref()))
    .bind::<Array<Text>, _>(column(rows, |r| r.subject.as_str()))
    .bind::<Array<Text>, _>(column(rows, |r| r.body_text.as_str()))
    .bind::<Array<Nullable<Text>>, _>(column(rows, |r| r.body_html.as_deref()))
    .bind::<Array<Text>, _>(column(rows, |r| r.status.as_str()))
    .bind::<Array<Timestamp>, _>(column(rows, |r| r.next_attempt_at))
    .bind::<Array<Nullable<Text>>, _>(column(rows, |r| r.signature_id.as_deref()))
    .bind::<Array<Nullable<Text>>, _>(column(rows, |r| r.message_id.as_deref()))
    .bind::<Array<Nullable<Text>>, _>(column(rows, |r| r.target_id.as_deref()))
    .bind::<Array<Timestamp>, _>(column(rows, |r| r.created_at))
    .bind::<Array<Nullable<Text>>, _>(column(rows, |r| r.fields.as_deref()))
    .execute(conn)
}
