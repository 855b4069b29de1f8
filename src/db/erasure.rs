//! Erasing a supporter: their name, email, postcode, comment, letters and address hash
//! leave every signature, message and email of theirs; statuses stay, so every count
//! stays. Rows are found by the canonical email, so every variant they signed with goes.

use diesel::prelude::*;

use super::schema::{follow_up_links, message_targets, messages, outbox, signatures, subscribers};
use super::{now, DbConnection, DbError};
use crate::domain::status::{OutboxStatus, TargetStatus};

/// What a supporter left with us, as staff see it before erasing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Footprint {
    pub signatures: usize,
    pub messages: usize,
    /// Titles of the actions they signed or wrote through.
    pub actions: Vec<String>,
    /// A newsletter subscription, in any status.
    pub subscription: bool,
}

impl Footprint {
    pub fn is_empty(&self) -> bool {
        self.signatures == 0 && self.messages == 0 && !self.subscription
    }
}

const ERASED_NAME: &str = "Erased";

fn signature_ids(conn: &mut DbConnection, canonical: &str) -> Result<Vec<String>, DbError> {
    Ok(signatures::table
        .filter(signatures::email_canonical.eq(canonical))
        .select(signatures::id)
        .load(conn)?)
}

fn message_ids(conn: &mut DbConnection, canonical: &str) -> Result<Vec<String>, DbError> {
    Ok(messages::table
        .filter(messages::email_canonical.eq(canonical))
        .select(messages::id)
        .load(conn)?)
}

/// What erasing the supporter with this canonical email would touch.
pub fn footprint(conn: &mut DbConnection, canonical: &str) -> Result<Footprint, DbError> {
    use super::schema::actions;
    let signed: Vec<String> = signatures::table
        .inner_join(actions::table)
        .filter(signatures::email_canonical.eq(canonical))
        .select(actions::title)
        .load(conn)?;
    let wrote: Vec<String> = messages::table
        .inner_join(actions::table)
        .filter(messages::email_canonical.eq(canonical))
        .select(actions::title)
        .load(conn)?;
    let mut titles: Vec<String> = signed.iter().chain(&wrote).cloned().collect();
    titles.sort();
    titles.dedup();
    let subscription = subscribers::table
        .filter(subscribers::email_canonical.eq(canonical))
        .count()
        .get_result::<i64>(conn)?
        > 0;
    Ok(Footprint {
        signatures: signed.len(),
        messages: wrote.len(),
        actions: titles,
        subscription,
    })
}

/// `erase` by staff member `staff_id`, in the audit log with how much was erased (never
/// the email).
pub fn erase_by(
    conn: &mut DbConnection,
    staff_id: &str,
    canonical: &str,
) -> Result<Footprint, DbError> {
    let erased = erase(conn, canonical)?;
    let detail = format!(
        "{} signatures and {} messages",
        erased.signatures, erased.messages
    );
    super::audit::record(
        conn,
        &super::audit::Event {
            staff_user_id: Some(staff_id),
            event: "supporter.erased",
            subject_type: "supporter",
            subject_id: "",
            detail: &detail,
            row_count: Some((erased.signatures + erased.messages) as i64),
        },
    )?;
    Ok(erased)
}

/// Erases the supporter in one transaction and answers what was erased. Unsent letters
/// of theirs are not sent; letters already delivered keep only that they were sent.
pub fn erase(conn: &mut DbConnection, canonical: &str) -> Result<Footprint, DbError> {
    secure_delete(conn, true)?;
    let erased = super::write_transaction(conn, |conn| {
        let found = footprint(conn, canonical)?;
        let at = now();
        let signature_ids = signature_ids(conn, canonical)?;
        for id in &signature_ids {
            erase_signature(conn, id, at)?;
        }
        let message_ids = message_ids(conn, canonical)?;
        for id in &message_ids {
            super::webhooks::forget_subject(conn, id)?;
            let placeholder = format!("erased:{id}");
            diesel::update(messages::table.find(id))
                .set((
                    messages::first_name.eq(ERASED_NAME),
                    messages::last_name.eq(""),
                    messages::email.eq(""),
                    messages::email_canonical.eq(&placeholder),
                    messages::postcode.eq(""),
                    messages::subject.eq(""),
                    messages::body.eq(""),
                    messages::client_hash.eq(""),
                    messages::token_hash.eq(&placeholder),
                    messages::updated_at.eq(at),
                ))
                .execute(conn)?;
        }
        let mut mail: Vec<String> = Vec::new();
        for chunk in message_ids.chunks(500) {
            // The answers stay, counted without anyone's name; the pasted replies and
            // the links to change them go.
            diesel::update(message_targets::table)
                .filter(message_targets::message_id.eq_any(chunk))
                .set((
                    message_targets::reply_text.eq(""),
                    message_targets::reply_quotable.eq(false),
                ))
                .execute(conn)?;
            diesel::delete(
                follow_up_links::table.filter(follow_up_links::message_id.eq_any(chunk)),
            )
            .execute(conn)?;
            diesel::update(message_targets::table)
                .filter(message_targets::message_id.eq_any(chunk))
                .filter(
                    message_targets::status.eq_any([TargetStatus::Waiting, TargetStatus::Queued]),
                )
                .set((
                    message_targets::status.eq(TargetStatus::Failed),
                    message_targets::updated_at.eq(at),
                ))
                .execute(conn)?;
            mail.extend(
                outbox::table
                    .filter(outbox::message_id.eq_any(chunk))
                    .select(outbox::id)
                    .load::<String>(conn)?,
            );
        }
        mail.extend(signature_mail(conn, &signature_ids)?);
        mail.extend(erase_subscription(conn, canonical)?);
        mail.extend(forget_data_link(conn, canonical)?);
        for chunk in mail.chunks(500) {
            scrub_outbox(conn, chunk)?;
        }
        Ok(found)
    })?;
    secure_delete(conn, false)?;
    Ok(erased)
}

/// Erases the personal fields of signature `id`; its status, country, language, source
/// and dates stay, so every count stays.
pub(super) fn erase_signature(
    conn: &mut DbConnection,
    id: &str,
    at: chrono::NaiveDateTime,
) -> Result<usize, DbError> {
    // Unique columns get a placeholder of the row's own id, which names no one.
    let placeholder = format!("erased:{id}");
    super::webhooks::forget_subject(conn, id)?;
    Ok(diesel::update(signatures::table.find(id))
        .set((
            signatures::first_name.eq(ERASED_NAME),
            signatures::last_name.eq(""),
            signatures::email.eq(""),
            signatures::email_canonical.eq(&placeholder),
            signatures::postcode.eq(""),
            signatures::comment.eq(""),
            // No longer listed among the latest signers, even as "erased".
            signatures::show_publicly.eq(false),
            signatures::client_hash.eq(""),
            signatures::token_hash.eq(&placeholder),
            signatures::updated_at.eq(at),
        ))
        .execute(conn)?)
}

/// The ids of the emails sent for `signature_ids`, to scrub.
pub(super) fn signature_mail(
    conn: &mut DbConnection,
    signature_ids: &[String],
) -> Result<Vec<String>, DbError> {
    let mut mail = Vec::new();
    for chunk in signature_ids.chunks(500) {
        mail.extend(
            outbox::table
                .filter(outbox::signature_id.eq_any(chunk))
                .select(outbox::id)
                .load::<String>(conn)?,
        );
    }
    Ok(mail)
}

/// Deletes the newsletter subscription of `canonical`; answers the ids of the
/// confirmation emails sent to it, to scrub.
fn erase_subscription(conn: &mut DbConnection, canonical: &str) -> Result<Vec<String>, DbError> {
    let found: Option<(String, String)> = subscribers::table
        .filter(subscribers::email_canonical.eq(canonical))
        .select((subscribers::id, subscribers::email))
        .first(conn)
        .optional()?;
    let Some((id, email)) = found else {
        return Ok(Vec::new());
    };
    diesel::delete(subscribers::table.find(&id)).execute(conn)?;
    super::webhooks::forget_subject(conn, &id)?;
    let kind = crate::email::messages::Confirmation::Newsletter.kind();
    Ok(outbox::table
        .filter(outbox::kind.eq(kind))
        .filter(outbox::to_address.eq(&email))
        .select(outbox::id)
        .load(conn)?)
}

/// Empties the emails `ids` (confirmations to the supporter, letters in their name);
/// those not sent yet never will be. A letter keeps the official it went to.
/// Ends the supporter's own data link and forgets which actions' news they stopped;
/// answers the ids of the emails that carried a data link to any spelling of their
/// address, to scrub. Few are ever sent, so they are compared
/// here rather than indexed by address.
fn forget_data_link(conn: &mut DbConnection, canonical: &str) -> Result<Vec<String>, DbError> {
    super::data_links::forget(conn, canonical)?;
    // Nothing is left to send news to: the choice goes with the rest.
    use super::schema::update_optouts;
    diesel::delete(update_optouts::table.filter(update_optouts::email_canonical.eq(canonical)))
        .execute(conn)?;
    let kind = crate::email::messages::Confirmation::DataLink.kind();
    let sent: Vec<(String, String)> = outbox::table
        .filter(outbox::kind.eq(kind))
        .filter(outbox::to_address.ne(""))
        .select((outbox::id, outbox::to_address))
        .load(conn)?;
    Ok(sent
        .into_iter()
        .filter(|(_, to)| {
            crate::domain::email::Email::parse(to).is_ok_and(|e| e.canonical() == canonical)
        })
        .map(|(id, _)| id)
        .collect())
}

pub(super) fn scrub_outbox(conn: &mut DbConnection, ids: &[String]) -> Result<(), DbError> {
    diesel::update(outbox::table)
        .filter(outbox::id.eq_any(ids))
        .filter(outbox::status.eq_any([OutboxStatus::Pending, OutboxStatus::Sending]))
        .set((
            outbox::status.eq(OutboxStatus::Failed),
            outbox::last_error.eq("the supporter's data was erased"),
        ))
        .execute(conn)?;
    diesel::update(outbox::table)
        .filter(outbox::id.eq_any(ids))
        .filter(outbox::target_id.is_null())
        .set(outbox::to_address.eq(""))
        .execute(conn)?;
    diesel::update(outbox::table)
        .filter(outbox::id.eq_any(ids))
        .set((
            outbox::from_name.eq(None::<String>),
            outbox::reply_to.eq(None::<String>),
            outbox::subject.eq(""),
            outbox::body_text.eq(""),
            outbox::body_html.eq(None::<String>),
            outbox::fields.eq(None::<String>),
        ))
        .execute(conn)?;
    Ok(())
}

/// On SQLite, overwritten values linger in the free space of pages and in the
/// write-ahead log. Zeroing freed space (secure_delete, on for this connection during the
/// erasure) and then checkpointing the log into the file leaves no old copy behind.
pub(super) fn secure_delete(conn: &mut DbConnection, on: bool) -> Result<(), DbError> {
    secure_delete_pragma(conn, on)?;
    if let DbConnection::Sqlite(c) = conn {
        if !on {
            // A reader still on an older snapshot makes the checkpoint report "busy";
            // readers here are short, so a few tries a moment apart get it done.
            for _ in 0..50 {
                let result: Checkpoint =
                    diesel::sql_query("PRAGMA wal_checkpoint(TRUNCATE)").get_result(c)?;
                if result.busy == 0 {
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
        }
    }
    Ok(())
}

/// Only the setting, without the checkpoint: for a connection that freed nothing. Off
/// means back to every connection's `FAST` (`db/mod.rs`), never to no zeroing at all:
/// the connection goes back to the pool.
pub(super) fn secure_delete_pragma(conn: &mut DbConnection, on: bool) -> Result<(), DbError> {
    if let DbConnection::Sqlite(c) = conn {
        let value = if on { "ON" } else { "FAST" };
        use diesel::connection::SimpleConnection as _;
        c.batch_execute(&format!("PRAGMA secure_delete = {value};"))?;
    }
    Ok(())
}

#[derive(QueryableByName)]
struct Checkpoint {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    busy: i32,
}
