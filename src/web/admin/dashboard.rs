//! The staff dashboard.

use actix_web::web;
use chrono::{Days, Utc};
use maud::Markup;

use crate::db::dashboard;
use crate::domain::country;
use crate::domain::staff::CurrentStaff;
use crate::email::messages::Confirmation;
use crate::error::AppError;
use crate::views::admin::dashboard::{page, DashboardView, OutboxView};
use crate::web::AppState;

const DAYS: u64 = 30;

pub async fn show(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
) -> Result<Markup, AppError> {
    let today = Utc::now().date_naive();
    let first = today.checked_sub_days(Days::new(DAYS - 1)).unwrap_or(today);
    let now = crate::db::now();
    let organisation = state.organisation().await;
    let (actions, per_day, countries, (outbox, partners)) = state
        .db(move |conn| {
            Ok((
                dashboard::actions(conn, today.and_hms_opt(0, 0, 0).unwrap_or_default())?,
                dashboard::confirmed_per_day(conn, Some(first), None)?,
                dashboard::top_countries(conn, 10)?,
                (
                    crate::db::outbox::backlog(conn, now, &Confirmation::kinds())?,
                    crate::db::partners::all(conn)?,
                ),
            ))
        })
        .await?;
    let per_day = first
        .iter_days()
        .take(DAYS as usize)
        .map(|day| {
            let n = per_day
                .iter()
                .find(|(d, _)| *d == day)
                .map_or(0, |(_, n)| *n);
            (day.format("%d %b").to_string(), n)
        })
        .collect();
    let countries = countries
        .into_iter()
        .map(|(code, n)| (country::name_of(&code).to_string(), n))
        .collect();
    Ok(page(
        &staff,
        &DashboardView {
            organisation_missing: organisation.missing(),
            dkim_mismatch: dkim_mismatch(&state.mail_domains, &organisation.sender_email),
            actions,
            per_day,
            countries,
            outbox: OutboxView::of(&outbox, now),
            partners: partners
                .into_iter()
                .map(|(p, n)| (p.name, p.key, n))
                .collect(),
        },
    ))
}

/// (signed-for domain, sender's domain) when emails are DKIM-signed for a domain that is
/// not the sender's: receivers then give the signature no weight (DMARC alignment).
fn dkim_mismatch(
    (dkim, configured): &(Option<String>, String),
    organisation_sender: &str,
) -> Option<(String, String)> {
    let dkim = dkim.as_ref()?;
    let sender = match organisation_sender.rsplit_once('@') {
        Some((_, domain)) => domain,
        None => configured.as_str(),
    };
    let aligned = sender.eq_ignore_ascii_case(dkim)
        || sender
            .to_ascii_lowercase()
            .ends_with(&format!(".{}", dkim.to_ascii_lowercase()));
    (!aligned).then(|| (dkim.clone(), sender.to_string()))
}
