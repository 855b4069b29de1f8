//! The organisation's one row ('main'): read for every page (kept a few seconds by
//! `web::organisation`), its logo served apart, written by admins.

use diesel::prelude::*;

use super::schema::organisation;
use super::{DbConnection, DbError};
use crate::domain::organisation::Organisation;

const ROW: &str = "main";

/// The organisation as set, or empty when no admin has set it yet.
pub fn load(conn: &mut DbConnection) -> Result<Organisation, DbError> {
    type Row = (
        (String, String, String, String, String),
        (String, String, String, String),
        Option<chrono::NaiveDateTime>,
    );
    let row: Option<Row> = organisation::table
        .find(ROW)
        .select((
            (
                organisation::name,
                organisation::description,
                organisation::logo_alt,
                organisation::sender_name,
                organisation::sender_email,
            ),
            (
                organisation::controller_name,
                organisation::controller_address,
                organisation::contact_email,
                organisation::legal_url,
            ),
            organisation::logo_at,
        ))
        .first(conn)
        .optional()?;
    let Some(((name, description, logo_alt, sender_name, sender_email), rest, logo_at)) = row
    else {
        return Ok(Organisation::default());
    };
    let (controller_name, controller_address, contact_email, legal_url) = rest;
    Ok(Organisation {
        name,
        description,
        logo_alt,
        sender_name,
        sender_email,
        controller_name,
        controller_address,
        contact_email,
        legal_url,
        logo_version: logo_at.map(|at| at.and_utc().timestamp_millis()),
    })
}

/// The logo's bytes and media type, if there is one.
pub fn logo(conn: &mut DbConnection) -> Result<Option<(Vec<u8>, String)>, DbError> {
    let found: Option<(Option<Vec<u8>>, String)> = organisation::table
        .find(ROW)
        .select((organisation::logo, organisation::logo_type))
        .first(conn)
        .optional()?;
    Ok(found.and_then(|(bytes, kind)| bytes.map(|b| (b, kind))))
}

/// Saves what admin `staff_id` set; `logo` (bytes, media type) replaces the logo, `None`
/// keeps the one there. Audited as `organisation.updated`.
pub fn save_by(
    conn: &mut DbConnection,
    staff_id: &str,
    org: &Organisation,
    logo: Option<(Vec<u8>, &str)>,
) -> Result<(), DbError> {
    let detail = match logo {
        Some(_) => "identity and logo",
        None => "identity",
    };
    conn.transaction(|conn| {
        put(conn, org, logo)?;
        super::audit::record(
            conn,
            &super::audit::Event {
                staff_user_id: Some(staff_id),
                event: "organisation.updated",
                subject_type: "organisation",
                subject_id: ROW,
                detail,
                row_count: None,
            },
        )
    })
}

/// Writes the organisation's row (created on first use), unaudited: the demo's seed;
/// staff go through [`save_by`].
pub fn put(
    conn: &mut DbConnection,
    org: &Organisation,
    logo: Option<(Vec<u8>, &str)>,
) -> Result<(), DbError> {
    let now = super::now();
    let exists: i64 = organisation::table.find(ROW).count().get_result(conn)?;
    if exists == 0 {
        diesel::insert_into(organisation::table)
            .values((
                organisation::id.eq(ROW),
                organisation::name.eq(""),
                organisation::description.eq(""),
                organisation::logo_type.eq(""),
                organisation::logo_alt.eq(""),
                organisation::sender_name.eq(""),
                organisation::sender_email.eq(""),
                organisation::controller_name.eq(""),
                organisation::controller_address.eq(""),
                organisation::contact_email.eq(""),
                organisation::legal_url.eq(""),
                organisation::updated_at.eq(now),
            ))
            .execute(conn)?;
    }
    diesel::update(organisation::table.find(ROW))
        .set((
            organisation::name.eq(&org.name),
            organisation::description.eq(&org.description),
            organisation::logo_alt.eq(&org.logo_alt),
            organisation::sender_name.eq(&org.sender_name),
            organisation::sender_email.eq(&org.sender_email),
            organisation::controller_name.eq(&org.controller_name),
            organisation::controller_address.eq(&org.controller_address),
            organisation::contact_email.eq(&org.contact_email),
            organisation::legal_url.eq(&org.legal_url),
            organisation::updated_at.eq(now),
        ))
        .execute(conn)?;
    if let Some((bytes, kind)) = &logo {
        diesel::update(organisation::table.find(ROW))
            .set((
                organisation::logo.eq(bytes),
                organisation::logo_type.eq(kind),
                organisation::logo_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}
