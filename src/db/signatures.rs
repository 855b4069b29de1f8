//! Signatures: the new row (`NewSignature`, stored by the group commit in `batch.rs` and
//! `batch/pg.rs`), found again on a second signing by the canonical email, confirmed by
//! the hash of a token, and counted in the same transaction that confirms them.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use super::outbox::{self, NewEmail};
use super::petitions::Petition;
use super::schema::{action_country_counts, actions, signatures};
use super::{DbConnection, DbError};
use crate::domain::signature::SignatureInput;
use crate::domain::status::{HoldReason, SignatureStatus};
use crate::email::messages::{self, Confirmation};

/// At most this many confirmation emails per signature, however often someone signs.
pub const MAX_EMAILS: i32 = 3;

#[derive(Debug, Clone, Insertable)]
// `None` is bound as NULL (no column has another default): the insert's SQL is then
// the same for every row, so diesel finds its prepared statement by type instead of
// writing the SQL out again for each row in the signing writer.
#[diesel(table_name = signatures, treat_none_as_default_value = false)]
pub struct NewSignature {
    pub id: String,
    pub action_id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub email_canonical: String,
    pub country_code: String,
    pub postcode: String,
    pub comment: String,
    pub consent_updates: bool,
    pub consent_text: String,
    pub consent_version: String,
    pub status: SignatureStatus,
    pub hold_reason: Option<HoldReason>,
    pub client_hash: String,
    pub token_hash: String,
    pub emails_sent: i32,
    pub source_article_id: Option<String>,
    pub created_at: NaiveDateTime,
    pub confirmed_at: Option<NaiveDateTime>,
    pub updated_at: NaiveDateTime,
    /// The signer chose to be named (first name, country) publicly and to MEPs.
    pub show_publicly: bool,
    /// The wording of that choice as shown, when ticked ("" when not).
    pub show_publicly_text: String,
    /// The version of the petition's text signed (`db/petition_versions.rs`).
    pub text_version: i32,
    /// The language of the page signed on (`en`, `fr`, `km`): its emails use it.
    pub language: String,
    /// The mailing whose link it came through (checked by the batch to exist).
    pub mailing_id: Option<String>,
    /// The partner whose embed or link it came through (`db/partners.rs`).
    pub partner_id: Option<String>,
    /// The signer chose to share their details with that partner, in these words.
    pub consent_partner: bool,
    pub consent_partner_text: String,
    /// The page's `utm_source`, `utm_medium` and `utm_campaign` as a query string
    /// (`domain::partner::utm_query`; "" when none).
    pub utm: String,
    /// In SQLite's index by address: the signing writer's memory did not count this row
    /// (`db/batch/by_address.rs`). Never set on PostgreSQL, which indexes every row.
    pub client_indexed: bool,
}

impl NewSignature {
    /// A checked signature on `petition`: pending its confirmation, or held already by
    /// `hold` (the batch may still hold it by the rules that need the database).
    pub fn new(
        petition: &Petition,
        input: &SignatureInput,
        hold: Option<HoldReason>,
        client_hash: String,
        token_hash: String,
        now: NaiveDateTime,
    ) -> Self {
        Self {
            id: super::new_id(),
            action_id: petition.id.clone(),
            first_name: input.first_name.as_str().to_string(),
            last_name: input.last_name.as_str().to_string(),
            email: input.email.as_str().to_string(),
            email_canonical: input.email.canonical().to_string(),
            country_code: input.country.code().to_string(),
            postcode: input.postcode.as_str().to_string(),
            comment: input.comment.as_str().to_string(),
            consent_updates: input.consent_updates,
            consent_text: petition.consent_text.clone(),
            consent_version: petition.consent_version.clone(),
            status: SignatureStatus::new_with(hold),
            hold_reason: hold,
            client_hash,
            token_hash,
            emails_sent: 1,
            // Set by the batch, which looks the article up once for many signatures.
            source_article_id: None,
            created_at: now,
            confirmed_at: None,
            updated_at: now,
            show_publicly: input.show_publicly,
            // The wording belongs to the page; `prepare::signature` sets it.
            show_publicly_text: String::new(),
            text_version: petition.text_version,
            // The page's language belongs to the request; `prepare::signature` sets it.
            language: "en".into(),
            // Set by the batch, from `Submission::mailing`.
            mailing_id: None,
            // Set by `prepare::signature` from the partner the handler found.
            partner_id: None,
            consent_partner: false,
            consent_partner_text: String::new(),
            utm: String::new(),
            // Set by the batch, when the writer's memory of recent signers leaves it out.
            client_indexed: false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubmitOutcome {
    /// A new pending signature; its email is queued.
    Created,
    /// A new signature, held by this rule (its email is queued all the same: the signer
    /// is never told).
    Held(HoldReason),
    /// Already signed: a fresh link (pending) or an "already signed" email was queued.
    Resent,
    /// Invalidated, or the email limit reached: nothing new.
    Unchanged,
}

/// A second signing with an address already on the petition: while pending, a fresh
/// link replaces the old one; once confirmed or held, the address is told it has signed
/// (and how it stands). Either way at most `MAX_EMAILS` emails per signature, so nobody
/// can flood an address by signing with it. An invalidated signature gets nothing: its
/// signer may be the flood. The page answered is the same in every case.
pub fn resend_existing(
    conn: &mut DbConnection,
    signature: &NewSignature,
    email: &NewEmail,
) -> Result<SubmitOutcome, DbError> {
    let existing: Option<(String, SignatureStatus, String)> = signatures::table
        .filter(signatures::action_id.eq(&signature.action_id))
        .filter(signatures::email_canonical.eq(&signature.email_canonical))
        .select((signatures::id, signatures::status, signatures::first_name))
        .first(conn)
        .optional()?;
    let Some((id, status, stored_name)) = existing else {
        return Ok(SubmitOutcome::Unchanged);
    };
    let which = match status {
        SignatureStatus::Pending => None,
        SignatureStatus::Confirmed => Some(Confirmation::AlreadyCounted),
        SignatureStatus::Held => Some(Confirmation::AlreadyHeld),
        // A withdrawn row names no one (its address is erased): never found here.
        SignatureStatus::Invalidated | SignatureStatus::Withdrawn => {
            return Ok(SubmitOutcome::Unchanged)
        }
    };
    // One conditional update, so concurrent re-signings cannot pass the limit together.
    // Only a pending signature takes the new link; the others keep theirs.
    let target = signatures::table
        .find(&id)
        .filter(signatures::status.eq(status))
        .filter(signatures::emails_sent.lt(MAX_EMAILS));
    let one_more = signatures::emails_sent.eq(signatures::emails_sent + 1);
    let at = signatures::updated_at.eq(signature.updated_at);
    let updated = match which {
        None => diesel::update(target)
            .set((
                signatures::token_hash.eq(&signature.token_hash),
                one_more,
                at,
            ))
            .execute(conn)?,
        Some(_) => diesel::update(target).set((one_more, at)).execute(conn)?,
    };
    if updated == 0 {
        return Ok(SubmitOutcome::Unchanged);
    }
    let mut email = match which {
        None => email.clone(),
        Some(which) => {
            let slug: String = actions::table
                .find(&signature.action_id)
                .select(actions::slug)
                .first(conn)?;
            let page = format!("/petitions/{slug}");
            match messages::already_done(email, which, &stored_name, &page) {
                Some(told) => told,
                None => return Ok(SubmitOutcome::Unchanged),
            }
        }
    };
    email.signature_id = Some(id);
    outbox::enqueue(conn, &email)?;
    Ok(SubmitOutcome::Resent)
}

/// What a confirmation link leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkState {
    Unknown,
    Expired {
        slug: String,
        days: i32,
    },
    Valid {
        slug: String,
        title: String,
        confirmed: bool,
    },
}

/// What a signature's or a letter's confirmation link is about.
pub(super) struct Link<'a> {
    pub status: SignatureStatus,
    pub confirmed: bool,
    pub created_at: NaiveDateTime,
    pub slug: &'a str,
    pub title: &'a str,
    pub window_days: i32,
}

impl LinkState {
    /// An unconfirmed link expires after the action's window; an invalidated one is
    /// unknown, so that it reveals nothing.
    pub(super) fn of(link: Link<'_>, now: NaiveDateTime) -> Self {
        let days = link.window_days;
        if !link.confirmed && now > link.created_at + TimeDelta::days(i64::from(days)) {
            return Self::Expired {
                slug: link.slug.to_string(),
                days,
            };
        }
        if link.status == SignatureStatus::Invalidated {
            return Self::Unknown;
        }
        Self::Valid {
            slug: link.slug.to_string(),
            title: link.title.to_string(),
            confirmed: link.confirmed,
        }
    }

    /// Whether following the link now confirms something.
    pub(super) fn awaits_confirmation(&self) -> bool {
        matches!(
            self,
            Self::Valid {
                confirmed: false,
                ..
            }
        )
    }
}

/// What a confirmation link's page needs of its signature and petition.
#[derive(Queryable)]
struct LinkRow {
    id: String,
    status: SignatureStatus,
    confirmed_at: Option<NaiveDateTime>,
    created_at: NaiveDateTime,
    slug: String,
    title: String,
    window_days: i32,
}

fn find_by_token(conn: &mut DbConnection, token_hash: &str) -> Result<Option<LinkRow>, DbError> {
    Ok(signatures::table
        .inner_join(actions::table)
        .filter(signatures::token_hash.eq(token_hash))
        .select((
            signatures::id,
            signatures::status,
            signatures::confirmed_at,
            signatures::created_at,
            actions::slug,
            actions::title,
            actions::confirm_window_days,
        ))
        .first(conn)
        .optional()?)
}

fn state_of(row: &LinkRow, now: NaiveDateTime) -> LinkState {
    let link = Link {
        status: row.status,
        confirmed: row.confirmed_at.is_some() || row.status == SignatureStatus::Confirmed,
        created_at: row.created_at,
        slug: &row.slug,
        title: &row.title,
        window_days: row.window_days,
    };
    LinkState::of(link, now)
}

/// For the page a link opens: reads only, so mail scanners confirm nothing.
pub fn link_state(
    conn: &mut DbConnection,
    token_hash: &str,
    now: NaiveDateTime,
) -> Result<LinkState, DbError> {
    Ok(find_by_token(conn, token_hash)?.map_or(LinkState::Unknown, |row| state_of(&row, now)))
}

/// Confirms the signature behind `token_hash`; confirming twice changes nothing. A held
/// signature stays held and not counted, but remembers that it was confirmed.
pub fn confirm(
    conn: &mut DbConnection,
    token_hash: &str,
    now: NaiveDateTime,
) -> Result<LinkState, DbError> {
    super::write_transaction(conn, |conn| {
        let Some(row) = find_by_token(conn, token_hash)? else {
            return Ok(LinkState::Unknown);
        };
        let state = state_of(&row, now);
        if !state.awaits_confirmation() {
            return Ok(state);
        }
        let new_status = row.status.once_confirmed();
        let changed = diesel::update(signatures::table.find(&row.id))
            .filter(signatures::confirmed_at.is_null())
            .set((
                signatures::status.eq(new_status),
                signatures::confirmed_at.eq(now),
                signatures::updated_at.eq(now),
            ))
            .execute(conn)?;
        if changed == 1 && new_status == SignatureStatus::Confirmed {
            count_confirmed(conn, &row.id, now)?;
            super::subscribers::from_signature(conn, &row.id, now)?;
            super::webhooks::signature_confirmed(conn, &row.id, now)?;
        }
        Ok(LinkState::Valid {
            slug: row.slug,
            title: row.title,
            confirmed: true,
        })
    })
}

/// Adds one confirmed signature to the petition's counters and its country's.
fn count_confirmed(
    conn: &mut DbConnection,
    signature_id: &str,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    let (action_id, country): (String, String) = signatures::table
        .find(signature_id)
        .select((signatures::action_id, signatures::country_code))
        .first(conn)?;
    diesel::update(actions::table.find(&action_id))
        .set((
            actions::confirmed_count.eq(actions::confirmed_count + 1),
            actions::updated_at.eq(now),
        ))
        .execute(conn)?;
    let row = (
        action_country_counts::action_id.eq(&action_id),
        action_country_counts::country_code.eq(&country),
        action_country_counts::confirmed_count.eq(1_i64),
    );
    let bump =
        action_country_counts::confirmed_count.eq(action_country_counts::confirmed_count + 1);
    // The shared connection type cannot say ON CONFLICT; both backends can, in the same words.
    match conn {
        DbConnection::Sqlite(c) => diesel::insert_into(action_country_counts::table)
            .values(row)
            .on_conflict((
                action_country_counts::action_id,
                action_country_counts::country_code,
            ))
            .do_update()
            .set(bump)
            .execute(c)?,
        DbConnection::Postgresql(c) => diesel::insert_into(action_country_counts::table)
            .values(row)
            .on_conflict((
                action_country_counts::action_id,
                action_country_counts::country_code,
            ))
            .do_update()
            .set(bump)
            .execute(c)?,
    };
    Ok(())
}
