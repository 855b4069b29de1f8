//! A petition's page in the admin (counts by status, country and day, links to its
//! exports and moderation) and its printable delivery report.

use std::collections::HashMap;

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse};

use crate::db;
use crate::db::handovers;
use crate::db::petitions::{self, Petition};
use crate::domain::staff::CurrentStaff;
use crate::error::AppError;
use crate::export::counts;
use crate::views::admin::petition::{self as view, ReportView};
use crate::web::limits::StaffWork;
use crate::web::{html_page, inline_stylesheet_csp, AppState};

use super::exports::digest_of_default_export;

/// Any petition by its slug, open or not (staff see them all).
pub async fn find_petition(state: &AppState, slug: String) -> Result<Petition, AppError> {
    state
        .db(move |conn| petitions::find_any(conn, &slug))
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn page(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
    slug: web::Path<String>,
) -> Result<maud::Markup, AppError> {
    let petition = find_petition(&state, slug.into_inner()).await?;
    let (id, slug) = (petition.id.clone(), petition.slug.clone());
    let (counts, partners) = state
        .db(move |conn| {
            let keys = db::partners::all(conn)?
                .into_iter()
                .map(|(p, _)| p.key)
                .collect::<Vec<_>>();
            Ok((counts::load(conn, &id, &slug)?, keys))
        })
        .await?;
    Ok(view::page(
        &staff,
        &petition,
        &counts,
        (&partners, &state.base_url),
    ))
}

/// The most signers a printed list shows; the CSV holds them all.
const SIGNATORY_LIMIT: i64 = 50_000;

/// `GET /admin/petitions/{slug}/report[?signatories=1]`: the delivery report.
pub async fn report(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
    slug: web::Path<String>,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, AppError> {
    state
        .limits
        .check_staff(StaffWork::Report, &staff.id)
        .map_err(AppError::RateLimited)?;
    let petition = find_petition(&state, slug.into_inner()).await?;
    let with_list = match query.get("signatories").map(String::as_str) {
        None | Some("" | "0") => false,
        Some("1") => true,
        Some(_) => return Err(AppError::BadQuery("signatories must be 1 or 0".into())),
    };
    let (id, slug, staff_id) = (petition.id.clone(), petition.slug.clone(), staff.id.clone());
    let digests = state.report_digests.clone();
    let (counts, digest, first, signatories, versions, handed) = state
        .db(move |conn| {
            let counts = counts::load(conn, &id, &slug)?;
            let digest = digests.get(conn, &id, |conn| digest_of_default_export(conn, &id))?;
            let first = petitions::first_signed_at(conn, &id)?;
            let signatories = with_list
                .then(|| db::exports::signatories_by(conn, &staff_id, &id, SIGNATORY_LIMIT))
                .transpose()?;
            let versions = db::petition_versions::all(conn, &id)?;
            let handovers = handovers::all(conn, &id)?;
            let withdrawn = match handovers.last() {
                Some(last) => handovers::withdrawn_since(conn, &id, last.handed_on)?,
                None => Vec::new(),
            };
            Ok((
                counts,
                digest,
                first,
                signatories,
                versions,
                (handovers, withdrawn),
            ))
        })
        .await?;
    let date = |d: chrono::NaiveDateTime| d.format("%-d %B %Y").to_string();
    let end = petition.deadline.filter(|d| *d < db::now());
    let period = (
        first.map_or_else(|| "(no signatures yet)".to_string(), date),
        date(end.unwrap_or_else(db::now)),
    );
    let view = ReportView {
        petition: &petition,
        counts: &counts,
        period,
        digest: &digest,
        signatories: signatories.as_deref(),
        signatory_limit: SIGNATORY_LIMIT as usize,
        versions: &versions,
        handovers: &handed.0,
        withdrawn: &handed.1,
        today: db::now().date(),
    };
    // Its styles travel inside it, so that a saved copy prints as the page does.
    let mut response = html_page(StatusCode::OK, view::report(&staff, &view));
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        header::HeaderValue::from_static(inline_stylesheet_csp()),
    );
    Ok(response)
}

/// `POST /admin/petitions/{slug}/report/handed-over`: the report handed over on
/// `handed_on` (a day, not in the future) with the list whose digest is `digest`.
pub async fn handed_over(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
    slug: web::Path<String>,
    form: super::staff_form::StaffForm,
) -> Result<HttpResponse, AppError> {
    let petition = find_petition(&state, slug.into_inner()).await?;
    let today = db::now().date();
    let handed_on = chrono::NaiveDate::parse_from_str(form.get("handed_on").trim(), "%Y-%m-%d")
        .ok()
        .filter(|day| *day <= today)
        .ok_or_else(|| {
            AppError::BadQuery("handed_on must be a day like 2026-12-12, not in the future".into())
        })?;
    let digest = form.get("digest").trim().to_string();
    if digest.len() != 64
        || !digest
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    {
        return Err(AppError::BadQuery(
            "digest must be the report's SHA-256 digest: 64 lowercase hexadecimal characters"
                .into(),
        ));
    }
    let (id, staff_id) = (petition.id.clone(), staff.id.clone());
    state
        .db(move |conn| handovers::record(conn, &staff_id, &id, handed_on, &digest))
        .await?;
    Ok(HttpResponse::SeeOther()
        .insert_header((
            header::LOCATION,
            format!("/admin/petitions/{}/report#handovers", petition.slug),
        ))
        .finish())
}
