//! Moderating a petition's signatures: the searchable list, deciding one row, and
//! deciding many by a criterion, first previewed, then confirmed. Every decision is in
//! the audit log with its criterion and row count.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use maud::Markup;

use super::staff_form::StaffForm;
use crate::db::moderation::{self, Criterion, Decided, Search};
use crate::db::{audit, DbConnection, DbError};
use crate::domain::access_rule::RuleValue;
use crate::domain::country::Country;
use crate::domain::staff::{decision_reason, CurrentStaff};
use crate::domain::status::{Decision, HoldReason, SignatureStatus};
use crate::error::AppError;
use crate::export::day_range;
use crate::views::admin::moderation::{self as view, BulkView, ListView};
use crate::web::limits::StaffWork;
use crate::web::{html_page, AppState};

use super::petition::find_petition;

/// How many of the latest decisions the signature list shows, to undo.
const RECENT_DECISIONS: i64 = 20;

/// A parameter as typed, trimmed; `None` when absent or empty.
fn param<'a>(query: &'a HashMap<String, String>, name: &str) -> Option<&'a str> {
    query.get(name).map(|v| v.trim()).filter(|v| !v.is_empty())
}

/// `value` as one of `allowed`, by its stored text; the error lists them.
fn one_of<T: Copy + std::fmt::Display>(
    name: &str,
    value: Option<&str>,
    allowed: &[T],
) -> Result<Option<T>, String> {
    let Some(value) = value else {
        return Ok(None);
    };
    let found = allowed.iter().find(|a| a.to_string() == value);
    found.map(|a| Some(*a)).ok_or_else(|| {
        let names: Vec<String> = allowed.iter().map(T::to_string).collect();
        format!("{name} must be one of {}", names.join(", "))
    })
}

fn parse_search(query: &HashMap<String, String>) -> Result<(Search, i64), String> {
    let text = param(query, "q").map(str::to_string);
    if text.as_ref().is_some_and(|t| t.chars().count() > 200) {
        return Err("the search text must be 200 characters or fewer".into());
    }
    let country = param(query, "country")
        .map(|c| {
            Country::parse(c)
                .map(|c| c.code().to_string())
                .map_err(|_| "country must be an ISO 3166-1 alpha-2 code like FR".to_string())
        })
        .transpose()?;
    let (from, before) = day_range(param(query, "from"), param(query, "to"))?;
    let page = super::page_number(query.get("page").map(String::as_str))?;
    let search = Search {
        text,
        status: one_of("status", param(query, "status"), SignatureStatus::ALL)?,
        country,
        hold_reason: one_of("reason", param(query, "reason"), HoldReason::ALL)?,
        from,
        before,
    };
    Ok((search, page))
}

pub async fn list(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
    slug: web::Path<String>,
    query: web::Query<HashMap<String, String>>,
) -> Result<Markup, AppError> {
    state
        .limits
        .check_staff(StaffWork::Search, &staff.id)
        .map_err(AppError::RateLimited)?;
    let petition = find_petition(&state, slug.into_inner()).await?;
    let (search, page) = parse_search(&query).map_err(AppError::BadQuery)?;
    let id = petition.id.clone();
    let ((rows, total), decisions) = state
        .db(move |conn| {
            let found = moderation::search(conn, &id, &search, page - 1)?;
            Ok((found, moderation::latest(conn, &id, RECENT_DECISIONS)?))
        })
        .await?;
    let view = ListView {
        petition: &petition,
        query: &query,
        rows: &rows,
        total,
        page,
        decisions: &decisions,
    };
    Ok(view::list(&staff, &view))
}

pub(super) fn record(
    conn: &mut DbConnection,
    staff: &CurrentStaff,
    event: &str,
    subject: (&str, &str),
    detail: &str,
    rows: usize,
) -> Result<(), DbError> {
    audit::record(
        conn,
        &audit::Event {
            staff_user_id: Some(&staff.id),
            event,
            subject_type: subject.0,
            subject_id: subject.1,
            detail,
            row_count: Some(rows as i64),
        },
    )
}

/// The audit event: `signatures.released` or `signatures.invalidated`.
pub(super) fn event_of(decision: Decision) -> String {
    format!("signatures.{}", decision.done())
}

/// Where to go back to after deciding: the list with the search it showed. Only plain
/// query characters pass, so nothing typed can reach the Location header.
pub(super) fn back_to(slug: &str, back: &str) -> String {
    let safe = back
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "=&%+._-".contains(c));
    if safe && !back.is_empty() {
        format!("/admin/petitions/{slug}/signatures?{back}")
    } else {
        format!("/admin/petitions/{slug}/signatures")
    }
}

/// The criterion as typed, kept to show it again, and checked.
fn parse_bulk(fields: &HashMap<String, String>) -> Result<(Decision, Criterion, String), String> {
    let decision = Decision::parse(param(fields, "decision").unwrap_or(""))
        .ok_or("choose whether to release or invalidate")?;
    let allowed = decision.applies_to();
    let client_hash = param(fields, "client").map(str::to_lowercase);
    if client_hash
        .as_ref()
        .is_some_and(|h| h.len() != 64 || !h.chars().all(|c| c.is_ascii_hexdigit()))
    {
        return Err(
            "the address hash must be the 64 hexadecimal characters shown in the list".into(),
        );
    }
    let email_domain = param(fields, "domain")
        .map(|d| RuleValue::email_domain(d).map(|r| r.value()))
        .transpose()?;
    let (from, before) = day_range(param(fields, "from"), param(fields, "to"))?;
    let criterion = Criterion {
        status: one_of("status", param(fields, "status"), allowed)?,
        hold_reason: one_of("reason", param(fields, "reason"), HoldReason::ALL)?,
        client_hash,
        email_domain,
        from,
        before,
    };
    if criterion.is_empty() {
        return Err(
            "choose at least one criterion: status, hold reason, address, email domain or dates"
                .into(),
        );
    }
    let description = format!(
        "{} where status={} reason={} address={} domain={} from={} to={}",
        decision.as_str(),
        criterion.status.map_or_else(
            || allowed
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join("|"),
            |s| s.to_string()
        ),
        criterion.hold_reason.map_or("any", HoldReason::as_str),
        criterion.client_hash.as_deref().map_or("any", |h| &h[..12]),
        criterion.email_domain.as_deref().unwrap_or("any"),
        param(fields, "from").unwrap_or("-"),
        param(fields, "to").unwrap_or("-"),
    );
    Ok((decision, criterion, description))
}

fn bulk_page(staff: &CurrentStaff, status: StatusCode, view: &BulkView) -> HttpResponse {
    html_page(status, view::bulk(staff, view))
}

/// The criterion form, or with a criterion, what deciding would change.
pub async fn preview(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
    slug: web::Path<String>,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, AppError> {
    let petition = find_petition(&state, slug.into_inner()).await?;
    let mut view = BulkView {
        petition: &petition,
        fields: &query,
        error: None,
        preview: None,
        stale: false,
        why: "",
        why_error: None,
    };
    if query.is_empty() {
        return Ok(bulk_page(&staff, StatusCode::OK, &view));
    }
    let (decision, criterion, _) = match parse_bulk(&query) {
        Ok(parsed) => parsed,
        Err(message) => {
            view.error = Some(message);
            return Ok(bulk_page(&staff, StatusCode::UNPROCESSABLE_ENTITY, &view));
        }
    };
    let id = petition.id.clone();
    let found = state
        .db(move |conn| moderation::preview(conn, &id, &criterion, decision))
        .await?;
    view.preview = Some(found);
    Ok(bulk_page(&staff, StatusCode::OK, &view))
}

/// The criterion's fields as posted, the empty ones left out.
fn criterion_fields(form: &StaffForm) -> HashMap<String, String> {
    let names = [
        "decision", "status", "reason", "client", "domain", "from", "to",
    ];
    names
        .iter()
        .map(|n| (n.to_string(), form.get(n).to_string()))
        .filter(|(_, v)| !v.is_empty())
        .collect()
}

/// A bulk decision as staff confirmed it.
struct Asked {
    decision: Decision,
    criterion: Criterion,
    /// The criterion in words, for the audit log.
    description: String,
    why: String,
}

/// Applies `asked` if the rows still have the `previewed` digest, with its audit event.
fn apply_audited(
    conn: &mut DbConnection,
    who: &CurrentStaff,
    action_id: &str,
    asked: Asked,
    previewed: &str,
) -> Result<Result<usize, moderation::Preview>, DbError> {
    let by = Decided {
        staff_user_id: Some(&who.id),
        reason: &asked.why,
        at: crate::db::now(),
    };
    let (decision, criterion) = (asked.decision, &asked.criterion);
    let outcome = moderation::apply(conn, action_id, criterion, decision, previewed, &by)?;
    if let Ok(n) = outcome {
        let detail = format!("{}; reason: {}", asked.description, asked.why);
        let subject = ("petition", action_id);
        record(conn, who, &event_of(decision), subject, &detail, n)?;
    }
    Ok(outcome)
}

/// Applies a previewed decision, or shows the new preview when the rows have changed or
/// the reason is missing.
pub async fn apply(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
    slug: web::Path<String>,
    form: StaffForm,
) -> Result<HttpResponse, AppError> {
    let petition = find_petition(&state, slug.into_inner()).await?;
    let fields = criterion_fields(&form);
    let mut view = BulkView {
        petition: &petition,
        fields: &fields,
        error: None,
        preview: None,
        stale: false,
        why: form.get("decision_reason"),
        why_error: None,
    };
    let (decision, criterion, description) = match parse_bulk(&fields) {
        Ok(parsed) => parsed,
        Err(message) => {
            view.error = Some(message);
            return Ok(bulk_page(&staff, StatusCode::UNPROCESSABLE_ENTITY, &view));
        }
    };
    let why = match decision_reason(form.get("decision_reason")) {
        Ok(why) => why,
        Err(message) => {
            let id = petition.id.clone();
            let found = state
                .db(move |conn| moderation::preview(conn, &id, &criterion, decision))
                .await?;
            (view.preview, view.why_error) = (Some(found), Some(message));
            return Ok(bulk_page(&staff, StatusCode::UNPROCESSABLE_ENTITY, &view));
        }
    };
    let previewed = form.get("digest").to_string();
    let (id, who) = (petition.id.clone(), staff.clone().into_inner());
    let asked = Asked {
        decision,
        criterion,
        description,
        why,
    };
    let outcome = state
        .db(move |conn| apply_audited(conn, &who, &id, asked, &previewed))
        .await?;
    match outcome {
        Ok(n) => Ok(super::see_other(&format!(
            "/admin/petitions/{}/signatures?decided={n}",
            petition.slug
        ))),
        Err(now) => {
            view.preview = Some(now);
            view.stale = true;
            Ok(bulk_page(&staff, StatusCode::CONFLICT, &view))
        }
    }
}
