//! The audit log page: filters, then one row per event (when, who, what, which record,
//! the criterion or filters, rows), newest first.

use std::collections::HashMap;

use maud::{html, Markup};

use super::fields::{self, Errors};
use super::layout;
use crate::db::audit::{Entry, PAGE};
use crate::domain::staff::CurrentStaff;

pub struct LogView<'a> {
    pub query: &'a HashMap<String, String>,
    pub entries: &'a [Entry],
    pub total: i64,
    pub page: i64,
    /// Every event name recorded so far.
    pub kinds: &'a [String],
}

fn page_link(query: &HashMap<String, String>, page: i64) -> String {
    use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
    let mut pairs: Vec<String> = ["event", "staff", "from", "to"]
        .iter()
        .filter_map(|k| query.get(*k).filter(|v| !v.is_empty()).map(|v| (k, v)))
        .map(|(k, v)| format!("{k}={}", utf8_percent_encode(v, NON_ALPHANUMERIC)))
        .collect();
    pairs.push(format!("page={page}"));
    format!("/admin/audit?{}", pairs.join("&"))
}

pub fn page(staff: &CurrentStaff, view: &LogView) -> Markup {
    let q = view.query;
    let value = |name: &str| q.get(name).map_or("", String::as_str);
    let kinds: Vec<(String, String)> = std::iter::once((String::new(), "Every event".to_string()))
        .chain(view.kinds.iter().map(|k| (k.clone(), k.clone())))
        .collect();
    let pages = (view.total + PAGE - 1) / PAGE;
    let none = Errors::new();
    layout::page(
        "Audit log",
        staff,
        html! {
            h1 { "Audit log" }
            p { "Who created, changed, published, exported, released, invalidated or erased what, and when. Nothing here can be edited." }
            form.filters method="get" action="/admin/audit" {
                (fields::select("event", "Event", &kinds, value("event"), &none))
                (fields::text("staff", "Staff email", value("staff"), Some("Or cli for the command line."), &none))
                (fields::kind("from", "From (UTC)", value("from"), "date", None, &none))
                (fields::kind("to", "Until (UTC)", value("to"), "date", None, &none))
                button.button type="submit" { "Filter" }
            }
            p role="status" { (view.total) " events match." }
            @if !view.entries.is_empty() {
                div.table-scroll role="region" aria-label="Audit events" tabindex="0" {
                    table.data.audit {
                        caption.visually-hidden { "Audit events, newest first" }
                        thead { tr { th scope="col" { "When (UTC)" } th scope="col" { "Who" } th scope="col" { "Event" } th scope="col" { "Record" } th scope="col" { "Details" } th scope="col" { "Rows" } } }
                        tbody {
                            @for e in view.entries {
                                tr {
                                    td { (super::fields::when(e.created_at)) }
                                    td { (e.staff_email.as_deref().unwrap_or("command line")) }
                                    td { code { (e.event) } }
                                    td { (e.subject_type) @if !e.subject_id.is_empty() { " " code { (e.subject_id) } } }
                                    td { (e.detail) }
                                    td { (e.row_count.map(|n| n.to_string()).unwrap_or_default()) }
                                }
                            }
                        }
                    }
                }
            }
            @if pages > 1 {
                nav.pager aria-label="Pages" {
                    @if view.page > 1 { a href=(page_link(q, view.page - 1)) rel="prev" { "Previous" } " " }
                    span { "Page " (view.page) " of " (pages) }
                    @if view.page < pages { " " a href=(page_link(q, view.page + 1)) rel="next" { "Next" } }
                }
            }
        },
    )
}
