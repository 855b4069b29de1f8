//! Signature rows written straight to the database, for tests that need many of them in
//! given states (exports, moderation, reports) without signing each one.

use clarion::db::schema::{actions, signatures};
use clarion::db::signatures::NewSignature;
use diesel::prelude::*;

use super::{TestApp, PETITION};

pub fn petition_id(app: &TestApp) -> String {
    actions::table
        .filter(actions::slug.eq(PETITION))
        .select(actions::id)
        .first(&mut app.conn())
        .unwrap()
}

/// A signature as stored, with the fields a test cares about.
pub fn signature(
    action_id: &str,
    n: usize,
    status: &str,
    country: &str,
    first_name: &str,
    comment: &str,
    day: u32,
) -> NewSignature {
    let at = chrono::NaiveDate::from_ymd_opt(2026, 11, day)
        .unwrap()
        .and_hms_opt(10, 0, 0)
        .unwrap()
        + chrono::TimeDelta::seconds(n as i64);
    NewSignature {
        id: clarion::db::new_id(),
        action_id: action_id.into(),
        first_name: first_name.into(),
        last_name: "Dara".into(),
        email: format!("s{n}@example.org"),
        email_canonical: format!("s{n}@example.org"),
        country_code: country.into(),
        postcode: String::new(),
        comment: comment.into(),
        consent_updates: n.is_multiple_of(2),
        consent_text: "Keep me informed.".into(),
        consent_version: "v1".into(),
        status: clarion::domain::status::SignatureStatus::parse(status).expect("a status"),
        hold_reason: None,
        client_hash: "x".into(),
        token_hash: format!("t{n}-{}", uuid::Uuid::new_v4()),
        emails_sent: 1,
        source_article_id: None,
        created_at: at,
        confirmed_at: (status == "confirmed").then_some(at),
        updated_at: at,
        // Most tests look at signers who chose to be named; tests/it/report.rs and
        // tests/it/petitions.rs turn it off for some.
        show_publicly: true,
        show_publicly_text: "Show my first name and country publicly".into(),
        text_version: 1,
        language: "en".into(),
        mailing_id: None,
        partner_id: None,
        consent_partner: false,
        consent_partner_text: String::new(),
        utm: String::new(),
        client_indexed: false,
    }
}

pub fn insert(app: &TestApp, rows: &[NewSignature]) {
    let mut conn = app.conn();
    conn.transaction(|c| {
        for row in rows {
            diesel::insert_into(signatures::table)
                .values(row)
                .execute(c)?;
        }
        Ok::<_, diesel::result::Error>(())
    })
    .unwrap();
    // Rows written straight to the table bypass confirmation: bring the counters along.
    clarion::db::petitions::recount(&mut conn, &rows[0].action_id).unwrap();
}
