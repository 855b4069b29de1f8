//! PostgreSQL's side of group commit: a batch's rows go in as one array per column,
//! unnested by one short statement. A many-row `VALUES` list was parsed and planned anew
//! for each batch, and its length grew with the batch: PostgreSQL spent most of a surge
//! in its parser and planner. This statement is the same few lines for any batch, and
//! is prepared once per connection ([`Kept`]). What the batch must know first (which
//! pairs are signed already, how many each address signed lately) is asked once per
//! batch too, each submission's keys as arrays joined to an index: a round trip per
//! submission would cost more than the whole insert.

use std::collections::{HashMap, HashSet};
use std::marker::PhantomData;

use chrono::NaiveDateTime;

use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::serialize::ToSql;
use diesel::sql_types::{Array, Bool, HasSqlType, Integer, Nullable, Text, Timestamp, Untyped};

use super::Submission;
use crate::db::outbox::NewEmail;
use crate::db::signatures::NewSignature;
use crate::db::DbError;
use crate::domain::status::HoldReason;

/// `head`, then the bound arrays as `unnest`'s arguments, then `tail`: a statement diesel
/// keeps prepared on its connection, keyed by its text. Diesel never keeps a `sql_query`,
/// so PostgreSQL parsed and planned each batch's statements anew: a fifth of its time in
/// a surge.
struct Kept<'a> {
    head: &'static str,
    columns: Vec<Box<dyn Column + 'a>>,
    tail: &'static str,
}

/// One bound array and the cast that names its type.
trait Column {
    fn push<'b>(&'b self, out: &mut AstPass<'_, 'b, Pg>) -> QueryResult<()>;
}

/// The cast PostgreSQL needs for an array of this element type.
trait Cast: 'static {
    const CAST: &'static str;
}

impl Cast for Text {
    const CAST: &'static str = "::text[]";
}
impl Cast for Nullable<Text> {
    const CAST: &'static str = "::text[]";
}
impl Cast for Bool {
    const CAST: &'static str = "::boolean[]";
}
impl Cast for Integer {
    const CAST: &'static str = "::int4[]";
}
impl Cast for Timestamp {
    const CAST: &'static str = "::timestamp[]";
}
impl Cast for Nullable<Timestamp> {
    const CAST: &'static str = "::timestamp[]";
}

struct Typed<ST, T> {
    values: Vec<T>,
    element: PhantomData<ST>,
}

impl<ST: Cast, T> Column for Typed<ST, T>
where
    Pg: HasSqlType<Array<ST>>,
    Vec<T>: ToSql<Array<ST>, Pg>,
{
    fn push<'b>(&'b self, out: &mut AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        out.push_bind_param::<Array<ST>, _>(&self.values)?;
        out.push_sql(ST::CAST);
        Ok(())
    }
}

/// `values` bound as an array of `ST`, with its cast.
fn array<'a, ST: Cast + 'a, T: 'a>(values: Vec<T>) -> Box<dyn Column + 'a>
where
    Pg: HasSqlType<Array<ST>>,
    Vec<T>: ToSql<Array<ST>, Pg>,
{
    Box::new(Typed::<ST, T> {
        values,
        element: PhantomData,
    })
}

impl QueryFragment<Pg> for Kept<'_> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        out.push_sql(self.head);
        for (i, column) in self.columns.iter().enumerate() {
            if i > 0 {
                out.push_sql(", ");
            }
            column.push(&mut out)?;
        }
        out.push_sql(self.tail);
        Ok(())
    }
}

/// Kept by its text, not by a type of its own.
impl QueryId for Kept<'_> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl Query for Kept<'_> {
    type SqlType = Untyped;
}

impl RunQueryDsl<PgConnection> for Kept<'_> {}

/// One column of `rows`, as the array PostgreSQL unnests.
fn column<'a, R, T>(rows: &'a [R], value: impl Fn(&'a R) -> T) -> Vec<T> {
    rows.iter().map(value).collect()
}

pub(super) fn insert_signatures(
    conn: &mut PgConnection,
    rows: &[NewSignature],
) -> QueryResult<usize> {
    Kept {
        head: "INSERT INTO signatures (id, action_id, first_name, last_name, email, \
               email_canonical, country_code, postcode, comment, consent_updates, \
               consent_text, consent_version, status, hold_reason, client_hash, token_hash, \
               emails_sent, source_article_id, created_at, confirmed_at, updated_at, \
               show_publicly, show_publicly_text, text_version, language, mailing_id, \
               partner_id, consent_partner, consent_partner_text, utm) \
               SELECT * FROM unnest(",
        columns: vec![
            array::<Text, _>(column(rows, |r| r.id.as_str())),
            array::<Text, _>(column(rows, |r| r.action_id.as_str())),
            array::<Text, _>(column(rows, |r| r.first_name.as_str())),
            array::<Text, _>(column(rows, |r| r.last_name.as_str())),
            array::<Text, _>(column(rows, |r| r.email.as_str())),
            array::<Text, _>(column(rows, |r| r.email_canonical.as_str())),
            array::<Text, _>(column(rows, |r| r.country_code.as_str())),
            array::<Text, _>(column(rows, |r| r.postcode.as_str())),
            array::<Text, _>(column(rows, |r| r.comment.as_str())),
            array::<Bool, _>(column(rows, |r| r.consent_updates)),
            array::<Text, _>(column(rows, |r| r.consent_text.as_str())),
            array::<Text, _>(column(rows, |r| r.consent_version.as_str())),
            array::<Text, _>(column(rows, |r| r.status.as_str())),
            array::<Nullable<Text>, _>(column(rows, |r| r.hold_reason.map(HoldReason::as_str))),
            array::<Text, _>(column(rows, |r| r.client_hash.as_str())),
            array::<Text, _>(column(rows, |r| r.token_hash.as_str())),
            array::<Integer, _>(column(rows, |r| r.emails_sent)),
            array::<Nullable<Text>, _>(column(rows, |r| r.source_article_id.as_deref())),
            array::<Timestamp, _>(column(rows, |r| r.created_at)),
            array::<Nullable<Timestamp>, _>(column(rows, |r| r.confirmed_at)),
            array::<Timestamp, _>(column(rows, |r| r.updated_at)),
            array::<Bool, _>(column(rows, |r| r.show_publicly)),
            array::<Text, _>(column(rows, |r| r.show_publicly_text.as_str())),
            array::<Integer, _>(column(rows, |r| r.text_version)),
            array::<Text, _>(column(rows, |r| r.language.as_str())),
            array::<Nullable<Text>, _>(column(rows, |r| r.mailing_id.as_deref())),
            array::<Nullable<Text>, _>(column(rows, |r| r.partner_id.as_deref())),
            array::<Bool, _>(column(rows, |r| r.consent_partner)),
            array::<Text, _>(column(rows, |r| r.consent_partner_text.as_str())),
            array::<Text, _>(column(rows, |r| r.utm.as_str())),
        ],
        tail: ")",
    }
    .execute(conn)
}

pub(super) fn insert_emails(conn: &mut PgConnection, rows: &[NewEmail]) -> QueryResult<usize> {
    Kept {
        head: "INSERT INTO outbox (id, kind, to_address, from_name, reply_to, subject, \
               body_text, body_html, status, next_attempt_at, signature_id, message_id, \
               target_id, created_at, fields) SELECT * FROM unnest(",
        columns: vec![
            array::<Text, _>(column(rows, |r| r.id.as_str())),
            array::<Text, _>(column(rows, |r| r.kind.as_str())),
            array::<Text, _>(column(rows, |r| r.to_address.as_str())),
            array::<Nullable<Text>, _>(column(rows, |r| r.from_name.as_deref())),
            array::<Nullable<Text>, _>(column(rows, |r| r.reply_to.as_deref())),
            array::<Text, _>(column(rows, |r| r.subject.as_str())),
            array::<Text, _>(column(rows, |r| r.body_text.as_str())),
            array::<Nullable<Text>, _>(column(rows, |r| r.body_html.as_deref())),
            array::<Text, _>(column(rows, |r| r.status.as_str())),
            array::<Timestamp, _>(column(rows, |r| r.next_attempt_at)),
            array::<Nullable<Text>, _>(column(rows, |r| r.signature_id.as_deref())),
            array::<Nullable<Text>, _>(column(rows, |r| r.message_id.as_deref())),
            array::<Nullable<Text>, _>(column(rows, |r| r.target_id.as_deref())),
            array::<Timestamp, _>(column(rows, |r| r.created_at)),
            array::<Nullable<Text>, _>(column(rows, |r| r.fields.as_deref())),
        ],
        tail: ")",
    }
    .execute(conn)
}

/// A stored (action, canonical email) pair, as PostgreSQL's join answers it.
#[derive(QueryableByName)]
struct Signed {
    #[diesel(sql_type = diesel::sql_types::Text)]
    action_id: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    email_canonical: String,
}

/// The positions in the batch of (action, canonical email) pairs stored already.
///
/// PostgreSQL joins the batch's pairs to the unique index. Asked as two `= ANY` lists, it
/// planned from statistics taken while the petition was small and read every signature
/// of the petition instead, a cost that grows with the petition. Planned anew for each
/// batch, unlike the inserts ([`Kept`]): kept prepared, a surge stored far fewer
/// signatures a second (likely PostgreSQL's generic plan, which it may choose after
/// five runs; CHANGELOG has the figures).
pub(super) fn already_signed(
    conn: &mut diesel::PgConnection,
    batch: &[Submission],
) -> Result<HashSet<usize>, DbError> {
    let (actions, emails): (Vec<&str>, Vec<&str>) =
        batch.iter().map(super::petition_and_email).unzip();
    let found: Vec<Signed> = diesel::sql_query(
        "SELECT s.action_id, s.email_canonical \
         FROM unnest($1::text[], $2::text[]) AS k (action_id, email_canonical) \
         JOIN signatures s ON s.action_id = k.action_id \
          AND s.email_canonical = k.email_canonical",
    )
    .bind::<Array<Text>, _>(actions)
    .bind::<Array<Text>, _>(emails)
    .load(conn)?;
    let found: HashSet<(&str, &str)> = found
        .iter()
        .map(|s| (s.action_id.as_str(), s.email_canonical.as_str()))
        .collect();
    Ok(batch
        .iter()
        .enumerate()
        .filter(|(_, s)| found.contains(&super::petition_and_email(s)))
        .map(|(i, _)| i)
        .collect())
}

/// A (petition, address) pair's signatures since a time, as PostgreSQL counts them.
#[derive(QueryableByName)]
struct Recent {
    #[diesel(sql_type = Text)]
    action_id: String,
    #[diesel(sql_type = Text)]
    client_hash: String,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    signed: i64,
}

/// The signatures stored since `since` for each (petition, address) pair of the batch,
/// 0 for a pair with none: one query, the batch's distinct pairs joined to
/// `signatures_by_client`. Planned per batch, like [`already_signed`].
pub(super) fn recent_by_client<'a>(
    conn: &mut PgConnection,
    batch: &'a [Submission],
    since: NaiveDateTime,
) -> Result<HashMap<(&'a str, &'a str), i64>, DbError> {
    let mut recent: HashMap<(&str, &str), i64> = batch
        .iter()
        .map(|s| {
            (
                (
                    s.signature.action_id.as_str(),
                    s.signature.client_hash.as_str(),
                ),
                0,
            )
        })
        .collect();
    let (actions, clients): (Vec<&str>, Vec<&str>) = recent.keys().copied().unzip();
    let counted: Vec<Recent> = diesel::sql_query(
        "SELECT k.action_id, k.client_hash, count(*) AS signed \
         FROM unnest($1::text[], $2::text[]) AS k (action_id, client_hash) \
         JOIN signatures s ON s.action_id = k.action_id \
          AND s.client_hash = k.client_hash AND s.created_at >= $3 \
         GROUP BY k.action_id, k.client_hash",
    )
    .bind::<Array<Text>, _>(actions)
    .bind::<Array<Text>, _>(clients)
    .bind::<Timestamp, _>(since)
    .load(conn)?;
    let counted: HashMap<(&str, &str), i64> = counted
        .iter()
        .map(|r| ((r.action_id.as_str(), r.client_hash.as_str()), r.signed))
        .collect();
    for (pair, n) in recent.iter_mut() {
        *n = counted.get(pair).copied().unwrap_or(0);
    }
    Ok(recent)
}
