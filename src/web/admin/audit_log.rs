//! The audit log page (admins only): read-only, filterable by event, staff member and
//! dates, 50 events a page, newest first.

use std::collections::HashMap;

use actix_web::web;
use maud::Markup;

use crate::db::audit::{self, Filter};
use crate::domain::staff::CurrentStaff;
use crate::error::AppError;
use crate::export::day_range;
use crate::views::admin::audit_log::{self as view, LogView};
use crate::web::AppState;

fn parse(query: &HashMap<String, String>) -> Result<(Filter, i64), String> {
    let get = |name: &str| query.get(name).map(|v| v.trim()).filter(|v| !v.is_empty());
    let short = |name: &str| -> Result<Option<String>, String> {
        match get(name) {
            Some(v) if v.chars().count() > 254 => Err(format!("{name} is too long")),
            v => Ok(v.map(str::to_string)),
        }
    };
    let (from, before) = day_range(get("from"), get("to"))?;
    let page = super::page_number(query.get("page").map(String::as_str))?;
    Ok((
        Filter {
            event: short("event")?,
            staff: short("staff")?,
            from,
            before,
        },
        page,
    ))
}

pub async fn show(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
    query: web::Query<HashMap<String, String>>,
) -> Result<Markup, AppError> {
    let (filter, page) = parse(&query).map_err(AppError::BadQuery)?;
    let (entries, total, kinds) = state
        .db(move |conn| {
            let (entries, total) = audit::page(conn, &filter, page - 1)?;
            Ok((entries, total, audit::kinds(conn)?))
        })
        .await?;
    Ok(view::page(
        &staff,
        &LogView {
            query: &query,
            entries: &entries,
            total,
            page,
            kinds: &kinds,
        },
    ))
}
