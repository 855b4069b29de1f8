//! The newsletter's subscribers: joining (double opt-in), confirming, leaving.
//! One row per canonical address; what a join does depends on where that row stands, and
//! the page answered is the same in every case, so the form tells nobody whether an
//! address is subscribed.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use super::outbox::{enqueue, NewEmail};
use super::schema::subscribers;
use super::{DbConnection, DbError};
use crate::domain::status::SubscriberStatus;

/// Confirmation emails one address may be sent while pending (as for signatures).
const MAX_EMAILS: i32 = 3;
/// How long a confirmation link works after it was sent.
pub const LINK_VALID: TimeDelta = TimeDelta::days(7);

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = subscribers)]
pub struct NewSubscriber {
    pub id: String,
    pub email: String,
    pub email_canonical: String,
    pub first_name: String,
    pub country_code: String,
    pub language: String,
    pub status: String,
    pub consent_text: String,
    pub consent_version: String,
    pub source: String,
    pub token_hash: String,
    pub client_hash: String,
    pub emails_sent: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// What a request to join came to (never shown to the person asking).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Joined {
    /// A new or returning address: pending, the confirmation email queued.
    Asked,
    /// Pending already: a fresh link sent, or nothing once [`MAX_EMAILS`] went out.
    AskedAgain { sent: bool },
    /// Subscribed already: nothing changes and nothing is sent.
    AlreadySubscribed,
}

/// Stores a request to join and queues `email` (the confirmation) where one is due. A
/// returning address (unsubscribed or bounced) starts again from pending: rejoining
/// needs the confirmation again, with the wording shown now.
pub fn join(
    conn: &mut DbConnection,
    new: &NewSubscriber,
    email: &NewEmail,
) -> Result<Joined, DbError> {
    super::write_transaction(conn, |conn| {
        let found: Option<(String, String, i32)> = subscribers::table
            .filter(subscribers::email_canonical.eq(&new.email_canonical))
            .select((
                subscribers::id,
                subscribers::status,
                subscribers::emails_sent,
            ))
            .first(conn)
            .optional()?;
        let Some((id, status, sent)) = found else {
            diesel::insert_into(subscribers::table)
                .values(new)
                .execute(conn)?;
            enqueue(conn, &about(email, &new.id))?;
            return Ok(Joined::Asked);
        };
        let status = SubscriberStatus::parse(&status).unwrap_or(SubscriberStatus::Pending);
        let again = status == SubscriberStatus::Pending;
        match status {
            SubscriberStatus::Subscribed => return Ok(Joined::AlreadySubscribed),
            SubscriberStatus::Pending if sent >= MAX_EMAILS => {
                return Ok(Joined::AskedAgain { sent: false })
            }
            _ => {}
        }
        diesel::update(subscribers::table.find(&id))
            .set((
                subscribers::email.eq(&new.email),
                subscribers::first_name.eq(&new.first_name),
                subscribers::country_code.eq(&new.country_code),
                subscribers::language.eq(&new.language),
                subscribers::status.eq(SubscriberStatus::Pending.as_str()),
                subscribers::consent_text.eq(&new.consent_text),
                subscribers::consent_version.eq(&new.consent_version),
                subscribers::source.eq(&new.source),
                subscribers::token_hash.eq(&new.token_hash),
                subscribers::client_hash.eq(&new.client_hash),
                subscribers::emails_sent.eq(if again { sent + 1 } else { 1 }),
                subscribers::updated_at.eq(new.updated_at),
            ))
            .execute(conn)?;
        enqueue(conn, &about(email, &id))?;
        Ok(match again {
            true => Joined::AskedAgain { sent: true },
            false => Joined::Asked,
        })
    })
}

/// The confirmation `email`, naming the subscriber it asks about: its "your data" link
/// leads from there to the address.
fn about(email: &NewEmail, id: &str) -> NewEmail {
    let mut email = email.clone();
    email.subscriber_id = Some(id.to_string());
    email
}

/// Where a confirmation link stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    /// No such link, or one replaced by a newer email, or too old.
    Unusable,
    Pending,
    Subscribed,
}

fn link_state(
    conn: &mut DbConnection,
    token_hash: &str,
    now: NaiveDateTime,
) -> Result<(Link, Option<String>), DbError> {
    let found: Option<(String, String, NaiveDateTime)> = subscribers::table
        .filter(subscribers::token_hash.eq(token_hash))
        .select((
            subscribers::id,
            subscribers::status,
            subscribers::updated_at,
        ))
        .first(conn)
        .optional()?;
    Ok(match found {
        Some((_, status, _)) if status == SubscriberStatus::Subscribed.as_str() => {
            (Link::Subscribed, None)
        }
        Some((id, status, sent_at))
            if status == SubscriberStatus::Pending.as_str() && now - sent_at <= LINK_VALID =>
        {
            (Link::Pending, Some(id))
        }
        _ => (Link::Unusable, None),
    })
}

/// What the link `token_hash` would do; changes nothing (mail scanners open links).
pub fn link(
    conn: &mut DbConnection,
    token_hash: &str,
    now: NaiveDateTime,
) -> Result<Link, DbError> {
    Ok(link_state(conn, token_hash, now)?.0)
}

/// Confirms the subscription of the link `token_hash`; confirming twice is harmless.
pub fn confirm(
    conn: &mut DbConnection,
    token_hash: &str,
    now: NaiveDateTime,
) -> Result<Link, DbError> {
    super::write_transaction(conn, |conn| {
        let (state, id) = link_state(conn, token_hash, now)?;
        if let (Link::Pending, Some(id)) = (state, id) {
            diesel::update(subscribers::table.find(&id))
                .set((
                    subscribers::status.eq(SubscriberStatus::Subscribed.as_str()),
                    subscribers::confirmed_at.eq(now),
                    subscribers::updated_at.eq(now),
                ))
                .execute(conn)?;
            return Ok(Link::Subscribed);
        }
        Ok(state)
    })
}

/// Unsubscribes `id` (pending or subscribed) through the link of `mailing`; anything else
/// is left as it is. Answers whether it changed something.
pub fn unsubscribe(
    conn: &mut DbConnection,
    id: &str,
    mailing: Option<&str>,
    now: NaiveDateTime,
) -> Result<bool, DbError> {
    let receiving = [
        SubscriberStatus::Pending.as_str(),
        SubscriberStatus::Subscribed.as_str(),
    ];
    let changed = diesel::update(
        subscribers::table
            .find(id)
            .filter(subscribers::status.eq_any(receiving)),
    )
    .set((
        subscribers::status.eq(SubscriberStatus::Unsubscribed.as_str()),
        subscribers::unsubscribed_at.eq(now),
        subscribers::left_mailing_id.eq(mailing),
        subscribers::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(changed > 0)
}

/// The status of subscriber `id`, if there is one.
pub fn status_of(conn: &mut DbConnection, id: &str) -> Result<Option<SubscriberStatus>, DbError> {
    let status: Option<String> = subscribers::table
        .find(id)
        .select(subscribers::status)
        .first(conn)
        .optional()?;
    Ok(status.and_then(|s| SubscriberStatus::parse(&s)))
}

/// Who a mailing would reach now: subscribed addresses by language and country.
pub fn audience(conn: &mut DbConnection) -> Result<Vec<(String, String, i64)>, DbError> {
    Ok(subscribers::table
        .filter(subscribers::status.eq(SubscriberStatus::Subscribed.as_str()))
        .group_by((subscribers::language, subscribers::country_code))
        .select((
            subscribers::language,
            subscribers::country_code,
            diesel::dsl::count_star(),
        ))
        .order((subscribers::language, subscribers::country_code))
        .load(conn)?)
}

/// A subscriber as a mailing addresses them.
#[derive(Debug, Clone, Queryable)]
pub struct Recipient {
    pub id: String,
    pub email_canonical: String,
    pub first_name: String,
    pub language: String,
    pub status: String,
}

/// The subscribers `ids` (at most a batch), as they stand now.
pub fn recipients(conn: &mut DbConnection, ids: &[&str]) -> Result<Vec<Recipient>, DbError> {
    Ok(subscribers::table
        .filter(subscribers::id.eq_any(ids))
        .select((
            subscribers::id,
            subscribers::email_canonical,
            subscribers::first_name,
            subscribers::language,
            subscribers::status,
        ))
        .load(conn)?)
}

/// A mail server refused the address for good: no more mail to it.
pub fn mark_bounced(
    conn: &mut DbConnection,
    id: &str,
    mailing: Option<&str>,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    diesel::update(subscribers::table.find(id))
        .set((
            subscribers::status.eq(SubscriberStatus::Bounced.as_str()),
            subscribers::left_mailing_id.eq(mailing),
            subscribers::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// What a confirmed signature or letter agreed to, as (email, canonical email, first
/// name, country, language, consent ticked, its wording, its version, client hash).
type ConsentRow = (
    String,
    String,
    String,
    String,
    String,
    bool,
    String,
    String,
    String,
);

/// Subscribes the address of a signature just confirmed when its newsletter box was
/// ticked under the newsletter's wording: the confirmation proved the address, so no
/// second email. Consents under older wordings (about one campaign) subscribe no one.
pub fn from_signature(
    conn: &mut DbConnection,
    signature_id: &str,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    use super::schema::{actions, signatures as s};
    let (row, slug): (ConsentRow, String) = s::table
        .inner_join(actions::table)
        .filter(s::id.eq(signature_id))
        .select((
            (
                s::email,
                s::email_canonical,
                s::first_name,
                s::country_code,
                s::language,
                s::consent_updates,
                s::consent_text,
                s::consent_version,
                s::client_hash,
            ),
            actions::slug,
        ))
        .first(conn)?;
    subscribe_consented(conn, row, &format!("signature:{slug}"), now)
}

/// [`from_signature`] for a letter just confirmed.
pub fn from_message(
    conn: &mut DbConnection,
    message_id: &str,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    use super::schema::{actions, messages as m};
    let (row, slug): (ConsentRow, String) = m::table
        .inner_join(actions::table)
        .filter(m::id.eq(message_id))
        .select((
            (
                m::email,
                m::email_canonical,
                m::first_name,
                m::country_code,
                m::language,
                m::consent_updates,
                m::consent_text,
                m::consent_version,
                m::client_hash,
            ),
            actions::slug,
        ))
        .first(conn)?;
    subscribe_consented(conn, row, &format!("letter:{slug}"), now)
}

fn subscribe_consented(
    conn: &mut DbConnection,
    row: ConsentRow,
    source: &str,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    let (email, canonical, first_name, country, language, ticked, text, version, client) = row;
    if !ticked || version != crate::domain::newsletter::BOX_CONSENT_VERSION {
        return Ok(());
    }
    let status: Option<String> = subscribers::table
        .filter(subscribers::email_canonical.eq(&canonical))
        .select(subscribers::status)
        .first(conn)
        .optional()?;
    let subscribed = SubscriberStatus::Subscribed.as_str();
    let fields = (
        subscribers::email.eq(&email),
        subscribers::first_name.eq(&first_name),
        subscribers::country_code.eq(&country),
        subscribers::language.eq(&language),
        subscribers::status.eq(subscribed),
        subscribers::consent_text.eq(&text),
        subscribers::consent_version.eq(&version),
        subscribers::source.eq(source),
        subscribers::client_hash.eq(&client),
        subscribers::confirmed_at.eq(now),
        subscribers::updated_at.eq(now),
    );
    match status.as_deref() {
        Some(s) if s == subscribed => {}
        Some(_) => {
            diesel::update(subscribers::table.filter(subscribers::email_canonical.eq(&canonical)))
                .set(fields)
                .execute(conn)?;
        }
        None => {
            let id = super::new_id();
            diesel::insert_into(subscribers::table)
                .values((
                    subscribers::id.eq(&id),
                    subscribers::email_canonical.eq(&canonical),
                    // No link was sent for this subscription: a hash no token has.
                    subscribers::token_hash.eq(format!("none:{id}")),
                    subscribers::emails_sent.eq(0),
                    subscribers::created_at.eq(now),
                    fields,
                ))
                .execute(conn)?;
        }
    }
    Ok(())
}
