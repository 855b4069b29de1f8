//! A new letter: built from a checked form, held by the rules that need the database,
//! and stored with its targets and its confirmation email in one transaction.

use std::net::IpAddr;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

use super::super::actions::ContactAction;
use super::super::holds::AccessRules;
use super::super::outbox::{self, NewEmail};
use super::super::schema::{actions, message_targets, messages};
use super::super::{DbConnection, DbError};
use crate::domain::letter::LetterInput;
use crate::domain::status::{HoldReason, MessageStatus, TargetStatus};
use crate::email::messages::{self as messages_email, Confirmation};

/// At most this many emails per letter, however often someone writes again.
const MAX_EMAILS: i32 = super::super::signatures::MAX_EMAILS;

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = messages)]
pub struct NewMessage {
    pub id: String,
    pub action_id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub email_canonical: String,
    pub country_code: String,
    pub postcode: String,
    pub subject: String,
    pub body: String,
    pub consent_updates: bool,
    pub consent_text: String,
    pub consent_version: String,
    pub status: MessageStatus,
    pub hold_reason: Option<HoldReason>,
    pub client_hash: String,
    pub token_hash: String,
    pub emails_sent: i32,
    pub source_article_id: Option<String>,
    pub created_day: chrono::NaiveDate,
    pub created_at: NaiveDateTime,
    pub confirmed_at: Option<NaiveDateTime>,
    pub updated_at: NaiveDateTime,
    /// The language of the page written on (`en`, `fr`, `km`): its emails use it.
    pub language: String,
    /// The mailing whose link it came through (checked by `store` to exist).
    pub mailing_id: Option<String>,
    /// The partner it came through, the choice to share with it and its wording, and the
    /// page's utm_* parameters as one query string (`prepare::letter` sets them).
    pub partner_id: Option<String>,
    pub consent_partner: bool,
    pub consent_partner_text: String,
    pub utm: String,
}

impl NewMessage {
    /// A checked letter through `action`. Mailto delivery: confirmed at once (its writer
    /// sends it from their own mail program). Platform delivery: pending its link.
    pub fn new(
        action: &ContactAction,
        input: &LetterInput,
        client_hash: String,
        token_hash: String,
        now: NaiveDateTime,
    ) -> Self {
        let mailto = action.is_mailto();
        Self {
            id: super::super::new_id(),
            action_id: action.id.clone(),
            first_name: input.first_name.as_str().into(),
            last_name: input.last_name.as_str().into(),
            email: input.email.as_str().into(),
            email_canonical: input.email.canonical().into(),
            country_code: input.country.code().into(),
            postcode: input.postcode.as_str().into(),
            subject: input.subject.clone(),
            body: input.body.clone(),
            consent_updates: input.consent_updates,
            consent_text: action.consent_text.clone(),
            consent_version: action.consent_version.clone(),
            status: if mailto {
                MessageStatus::Confirmed
            } else {
                MessageStatus::Pending
            },
            hold_reason: None,
            client_hash,
            token_hash,
            emails_sent: if mailto { 0 } else { 1 },
            // Set by `store`, which looks the article up.
            source_article_id: None,
            created_day: now.date(),
            created_at: now,
            confirmed_at: mailto.then_some(now),
            updated_at: now,
            // The page's language belongs to the request; `prepare::letter` sets it.
            language: "en".into(),
            // Set by `store`, from `NewLetter::mailing`.
            mailing_id: None,
            partner_id: None,
            consent_partner: false,
            consent_partner_text: String::new(),
            utm: String::new(),
        }
    }
}

/// Stores a letter to `target_ids`. With `confirmation` (platform delivery) it waits for
/// that email's link; without (mailto delivery) it is prepared at once and counted.
/// `Ok(false)`: this email already wrote through this action today; nothing changed.
fn submit(
    conn: &mut DbConnection,
    message: &NewMessage,
    target_ids: &[String],
    confirmation: Option<&NewEmail>,
) -> Result<bool, DbError> {
    super::super::write_transaction(conn, |conn| {
        let inserted = conn.transaction(|c| {
            diesel::insert_into(messages::table)
                .values(message)
                .execute(c)
        });
        match inserted {
            Ok(_) => {}
            Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => {
                if let Some(email) = confirmation {
                    tell_again(conn, message, email)?;
                }
                return Ok(false);
            }
            Err(e) => return Err(e.into()),
        }
        let status = if confirmation.is_some() {
            TargetStatus::Waiting
        } else {
            TargetStatus::Prepared
        };
        for target_id in target_ids {
            diesel::insert_into(message_targets::table)
                .values((
                    message_targets::message_id.eq(&message.id),
                    message_targets::target_id.eq(target_id),
                    message_targets::status.eq(status),
                    message_targets::updated_at.eq(message.created_at),
                ))
                .execute(conn)?;
        }
        match confirmation {
            Some(email) => outbox::enqueue(conn, email)?,
            // A held mailto letter is prepared but not counted until released.
            None if message.status == MessageStatus::Held => {}
            None => {
                diesel::update(actions::table.find(&message.action_id))
                    .set(
                        actions::letters_count.eq(actions::letters_count + target_ids.len() as i64),
                    )
                    .execute(conn)?;
            }
        }
        Ok(true)
    })
}

/// A second letter the same day from an address that has written through this action:
/// nothing is stored, but the address hears of its first letter. Unconfirmed, its link is
/// sent again (the new one); confirmed or held, it is told it has written already; at most
/// `MAX_EMAILS` emails per letter in all, so nobody can flood an address by writing with
/// it. `email` is the confirmation built for the second letter.
fn tell_again(
    conn: &mut DbConnection,
    message: &NewMessage,
    email: &NewEmail,
) -> Result<(), DbError> {
    let first: Option<(String, MessageStatus, String)> = messages::table
        .filter(messages::action_id.eq(&message.action_id))
        .filter(messages::email_canonical.eq(&message.email_canonical))
        .filter(messages::created_day.eq(message.created_day))
        .select((messages::id, messages::status, messages::first_name))
        .first(conn)
        .optional()?;
    let Some((id, status, first_name)) = first else {
        return Ok(());
    };
    let target = messages::table
        .find(&id)
        .filter(messages::status.eq(status))
        .filter(messages::emails_sent.lt(MAX_EMAILS));
    let one_more = messages::emails_sent.eq(messages::emails_sent + 1);
    let told = match status {
        MessageStatus::Pending => diesel::update(target)
            .set((messages::token_hash.eq(&message.token_hash), one_more))
            .execute(conn)?,
        MessageStatus::Confirmed | MessageStatus::Held => {
            diesel::update(target).set(one_more).execute(conn)?
        }
        MessageStatus::Invalidated | MessageStatus::Withdrawn => 0,
    };
    if told == 0 {
        return Ok(());
    }
    let mut email = match status {
        MessageStatus::Pending => email.clone(),
        _ => {
            let slug: String = actions::table
                .find(&message.action_id)
                .select(actions::slug)
                .first(conn)?;
            let page = format!("/act/{slug}");
            let which = Confirmation::AlreadyWrote;
            let Some(told) = messages_email::already_done(email, which, &first_name, &page) else {
                return Ok(());
            };
            told
        }
    };
    email.message_id = Some(id);
    outbox::enqueue(conn, &email)
}

/// A letter checked and ready to store, with what the hold rules need.
#[derive(Debug, Clone)]
pub struct NewLetter {
    pub message: NewMessage,
    /// The chosen targets' ids.
    pub targets: Vec<String>,
    /// Platform delivery: the email with the confirmation link. Mailto: none.
    pub confirmation: Option<NewEmail>,
    /// The slug of the article whose card the form was on ("" for none).
    pub source: String,
    /// The mailing whose link led here, as the form said (unchecked).
    pub mailing: Option<String>,
    /// Held already by a rule that needs no database.
    pub hold: Option<HoldReason>,
    pub email_domain: String,
    pub address: IpAddr,
}

/// Stores `letter` after the rules that need the database: the source article is looked
/// up and the blocked-sender rule applied (the per-address rule is for petitions only). A
/// held letter is confirmed as usual but leaves only when staff release it. Answers as
/// `submit` does.
pub fn store(
    conn: &mut DbConnection,
    letter: NewLetter,
    now: NaiveDateTime,
) -> Result<bool, DbError> {
    let mut message = letter.message;
    message.source_article_id = super::super::articles::published_id(conn, &letter.source, now)?;
    message.mailing_id = match &letter.mailing {
        Some(id) => super::super::mailings::existing(conn, id)?,
        None => None,
    };
    message.hold_reason =
        AccessRules::load(conn)?.hold(letter.hold, &letter.email_domain, letter.address);
    if message.hold_reason.is_some() {
        message.status = MessageStatus::Held;
    }
    submit(
        conn,
        &message,
        &letter.targets,
        letter.confirmation.as_ref(),
    )
}
