//! Webhooks (issue 27): a partner's endpoints, and the events queued for them in the
//! same transaction as what they tell of, so none is lost to a crash. The queue itself,
//! as the delivery worker and staff use it, is `webhooks/queue.rs`.

pub mod queue;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{signatures, subscribers, webhook_deliveries, webhook_endpoints};
use super::{audit, write_transaction, DbConnection, DbError};
use crate::domain::osdi::{self, event_body};

pub const PENDING: &str = "pending";
pub const DELIVERED: &str = "delivered";
pub const FAILED: &str = "failed";

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = webhook_endpoints)]
pub struct Endpoint {
    pub id: String,
    pub partner_id: String,
    pub url: String,
    /// Space separated.
    pub events: String,
    pub secret_sealed: String,
    pub created_at: NaiveDateTime,
    pub disabled_at: Option<NaiveDateTime>,
    pub disabled_reason: String,
}

impl Endpoint {
    pub fn takes(&self, event: &str) -> bool {
        self.events.split(' ').any(|e| e == event)
    }
}

/// The purpose an endpoint's secret is sealed for (`domain::sealed`).
pub fn secret_purpose(endpoint_id: &str) -> String {
    format!("webhook-secret:{endpoint_id}")
}

/// Adds an endpoint for `partner_id`; `seal` turns the new endpoint's id into its
/// sealed secret. Audited `webhook.added`; answers the endpoint's id.
pub fn add(
    conn: &mut DbConnection,
    staff_id: Option<&str>,
    (partner_id, url, events): (&str, &str, &[String]),
    seal: impl FnOnce(&str) -> String,
) -> Result<String, DbError> {
    let id = super::new_id();
    let sealed = seal(&id);
    let events = events.join(" ");
    write_transaction(conn, |conn| {
        diesel::insert_into(webhook_endpoints::table)
            .values((
                webhook_endpoints::id.eq(&id),
                webhook_endpoints::partner_id.eq(partner_id),
                webhook_endpoints::url.eq(url),
                webhook_endpoints::events.eq(&events),
                webhook_endpoints::secret_sealed.eq(&sealed),
                webhook_endpoints::created_at.eq(super::now()),
            ))
            .execute(conn)?;
        audit::record(
            conn,
            &audit::Event {
                staff_user_id: staff_id,
                event: "webhook.added",
                subject_type: "partner",
                subject_id: partner_id,
                detail: &format!("endpoint {id}: {url} ({events})"),
                row_count: None,
            },
        )
    })?;
    Ok(id)
}

/// A partner's endpoints, oldest first.
pub fn of_partner(conn: &mut DbConnection, partner_id: &str) -> Result<Vec<Endpoint>, DbError> {
    Ok(webhook_endpoints::table
        .filter(webhook_endpoints::partner_id.eq(partner_id))
        .order(webhook_endpoints::created_at.asc())
        .select(Endpoint::as_select())
        .load(conn)?)
}

/// Queues `event` with `data` for each live endpoint of `partner_id` that takes it.
fn enqueue(
    conn: &mut DbConnection,
    partner_id: &str,
    (event, subject_id): (&str, &str),
    data: impl Fn() -> serde_json::Value,
    now: NaiveDateTime,
) -> Result<usize, DbError> {
    let endpoints: Vec<Endpoint> = webhook_endpoints::table
        .filter(webhook_endpoints::partner_id.eq(partner_id))
        .filter(webhook_endpoints::disabled_at.is_null())
        .select(Endpoint::as_select())
        .load(conn)?;
    let mut queued = 0;
    for endpoint in endpoints.iter().filter(|e| e.takes(event)) {
        queue::insert(
            conn,
            &endpoint.id,
            (event, subject_id),
            &event_body(event, now, data()),
            now,
        )?;
        queued += 1;
    }
    Ok(queued)
}

/// `signature.confirmed` for signature `id`, to its partner's endpoints, when its signer
/// chose to share with that partner. Called in the confirming transaction.
pub fn signature_confirmed(
    conn: &mut DbConnection,
    id: &str,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    let Some((partner, facts)) = super::osdi::shared_signature(conn, id)? else {
        return Ok(());
    };
    let signature = osdi::Signature::from(&facts);
    let data = || serde_json::to_value(&signature).unwrap_or_default();
    enqueue(conn, &partner, ("signature.confirmed", id), data, now)?;
    Ok(())
}

/// `letter.sent` for the copy of a letter that is outbox email `outbox_id`, to the
/// partner its writer chose to share with: the letter with that copy's one target.
pub fn letter_sent(
    conn: &mut DbConnection,
    outbox_id: &str,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    let Some((partner, facts)) = super::outreaches::sent_copy(conn, outbox_id)? else {
        return Ok(());
    };
    let outreach = osdi::Outreach::from(&facts);
    let data = || {
        let mut data = serde_json::to_value(&outreach).unwrap_or_default();
        data["clarion:sent_date"] = osdi::date(now).into();
        data
    };
    enqueue(conn, &partner, ("letter.sent", &facts.id), data, now)?;
    Ok(())
}

/// `signature.withdrawn` for signature `id` (already erased: the body names the
/// signature and its petition, nobody), to the partner it was shared with.
pub fn signature_withdrawn(
    conn: &mut DbConnection,
    (id, slug): (&str, &str),
    now: NaiveDateTime,
) -> Result<(), DbError> {
    let shared: Option<(Option<String>, bool)> = signatures::table
        .find(id)
        .select((signatures::partner_id, signatures::consent_partner))
        .first(conn)
        .optional()?;
    let Some((Some(partner), true)) = shared else {
        return Ok(());
    };
    let data = || {
        serde_json::json!({
            "identifiers": [osdi::identifier(id)],
            "clarion:petition": osdi::identifier(slug),
            "withdrawn_date": osdi::date(now),
        })
    };
    enqueue(conn, &partner, ("signature.withdrawn", id), data, now)?;
    Ok(())
}

/// `subscriber.unsubscribed` for subscriber `id`, to every partner its address shared a
/// signature with: their lists must stop too.
pub fn subscriber_unsubscribed(
    conn: &mut DbConnection,
    id: &str,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    let found: Option<(String, String)> = subscribers::table
        .find(id)
        .select((subscribers::email, subscribers::email_canonical))
        .first(conn)
        .optional()?;
    let Some((email, canonical)) = found else {
        return Ok(());
    };
    let partners: Vec<Option<String>> = signatures::table
        .filter(signatures::email_canonical.eq(&canonical))
        .filter(signatures::consent_partner.eq(true))
        .select(signatures::partner_id)
        .distinct()
        .load(conn)?;
    let data = || {
        serde_json::json!({
            "email_addresses": [{ "address": email, "primary": true }],
            "unsubscribed_date": osdi::date(now),
        })
    };
    for partner in partners.into_iter().flatten() {
        enqueue(conn, &partner, ("subscriber.unsubscribed", id), data, now)?;
    }
    Ok(())
}

/// Removes what still waits to be delivered about `subject_id` (a signature or
/// subscriber being erased); delivered rows hold no body already.
pub fn forget_subject(conn: &mut DbConnection, subject_id: &str) -> Result<(), DbError> {
    diesel::delete(
        webhook_deliveries::table
            .filter(webhook_deliveries::subject_id.eq(subject_id))
            .filter(webhook_deliveries::status.ne(DELIVERED)),
    )
    .execute(conn)?;
    Ok(())
}

/// Staff send a test event to endpoint `id` of `partner_id`; `false` when it is not a
/// live endpoint of that partner.
pub fn send_test(
    conn: &mut DbConnection,
    staff_id: &str,
    (partner_id, id): (&str, &str),
    now: NaiveDateTime,
) -> Result<bool, DbError> {
    write_transaction(conn, |conn| {
        let live = webhook_endpoints::table
            .find(id)
            .filter(webhook_endpoints::partner_id.eq(partner_id))
            .filter(webhook_endpoints::disabled_at.is_null())
            .count()
            .get_result::<i64>(conn)?;
        if live == 0 {
            return Ok(false);
        }
        let data = serde_json::json!({ "message": "A test from Clarion's admin." });
        let body = event_body(crate::domain::webhook::TEST_EVENT, now, data);
        let delivery = queue::insert(
            conn,
            id,
            (crate::domain::webhook::TEST_EVENT, ""),
            &body,
            now,
        )?;
        audit::record(
            conn,
            &audit::Event {
                staff_user_id: Some(staff_id),
                event: "webhook.test_sent",
                subject_type: "webhook_endpoint",
                subject_id: id,
                detail: &delivery,
                row_count: None,
            },
        )?;
        Ok(true)
    })
}
