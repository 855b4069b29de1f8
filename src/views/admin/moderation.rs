//! Moderation pages: a petition's signatures (search, filters, 50 a page, a button per
//! decision) and the bulk decision (criterion, preview, confirmation).

use std::collections::HashMap;

use maud::{html, Markup};

use super::fields::{self, Errors};
use super::{decisions, layout};
use crate::db::moderation::{Past, Preview, Row, PAGE};
use crate::db::petitions::Petition;
use crate::domain::staff::CurrentStaff;
use crate::domain::status::{Decision, HoldReason, SignatureStatus};

fn value<'a>(query: &'a HashMap<String, String>, name: &str) -> &'a str {
    query.get(name).map_or("", String::as_str)
}

fn choices(any: &str, values: &[&str]) -> Vec<(String, String)> {
    std::iter::once((String::new(), any.to_string()))
        .chain(values.iter().map(|v| (v.to_string(), v.replace('_', " "))))
        .collect()
}

/// The query string of `query` with `page` replaced, for the pager links.
fn with_page(query: &HashMap<String, String>, page: i64) -> String {
    let mut pairs: Vec<(&String, &String)> = query
        .iter()
        .filter(|(k, v)| {
            !["page", "decided", "undone", "of"].contains(&k.as_str()) && !v.is_empty()
        })
        .collect();
    pairs.sort();
    let mut out = url_pairs(&pairs);
    if !out.is_empty() {
        out.push('&');
    }
    out.push_str(&format!("page={page}"));
    out
}

fn url_pairs(pairs: &[(&String, &String)]) -> String {
    use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
    pairs
        .iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                utf8_percent_encode(k, NON_ALPHANUMERIC),
                utf8_percent_encode(v, NON_ALPHANUMERIC)
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

pub struct ListView<'a> {
    pub petition: &'a Petition,
    pub query: &'a HashMap<String, String>,
    pub rows: &'a [Row],
    pub total: i64,
    /// From 1.
    pub page: i64,
    /// The latest decisions, to undo.
    pub decisions: &'a [Past],
}

pub fn list(staff: &CurrentStaff, view: &ListView) -> Markup {
    let (p, q) = (view.petition, view.query);
    let base = format!("/admin/petitions/{}", p.slug);
    let pages = (view.total + PAGE - 1) / PAGE;
    let no_errors = Errors::new();
    let back = with_page(q, view.page);
    layout::page(
        &format!("Signatures: {}", p.title),
        staff,
        html! {
            p { a href=(base) { "Back to the petition" } }
            h1 { "Signatures of " (p.title) }
            @if let Some(n) = q.get("decided") {
                p.notice role="status" { (n) " signatures changed." }
            }
            @if let Some(n) = q.get("undone") {
                p.notice role="status" { "Undone: " (n) " of " (value(q, "of")) " signatures turned back." }
            }
            form.filters method="get" action={ (base) "/signatures" } {
                (fields::text("q", "Name or email contains", value(q, "q"), None, &no_errors))
                (fields::select("status", "Status", &choices("Any status", SignatureStatus::TEXTS), value(q, "status"), &no_errors))
                (fields::text("country", "Country code", value(q, "country"), Some("Like FR."), &no_errors))
                (fields::select("reason", "Hold reason", &choices("Any reason", HoldReason::TEXTS), value(q, "reason"), &no_errors))
                (fields::kind("from", "Signed from (UTC)", value(q, "from"), "date", None, &no_errors))
                (fields::kind("to", "Signed until (UTC)", value(q, "to"), "date", None, &no_errors))
                button.button type="submit" { "Search" }
            }
            p { a href={ (base) "/bulk" } { "Release or invalidate many signatures at once" } }
            p role="status" { (view.total) " signatures match." }
            @if !view.rows.is_empty() {
                div.table-scroll role="region" aria-label="Matching signatures" tabindex="0" {
                    table.data {
                        caption.visually-hidden { "Matching signatures, newest first" }
                        thead { tr {
                            th scope="col" { "Name" } th scope="col" { "Email" } th scope="col" { "Country" } th scope="col" { "Comment" }
                            th scope="col" { "Status" } th scope="col" { "Signed (UTC)" } th scope="col" { "Address" }
                            th scope="col" { "Decide" }
                        } }
                        tbody {
                            @for r in view.rows {
                                tr {
                                    td { (r.first_name) " " (r.last_name) }
                                    td { (r.email) }
                                    td { (r.country_code) }
                                    td.comment { (r.comment) }
                                    td { (r.status) @if let Some(reason) = &r.hold_reason { " (" (reason.as_str().replace('_', " ")) ")" } }
                                    td { (super::fields::when(r.created_at)) }
                                    td {
                                        @if r.client_hash.len() >= 12 {
                                            a href={ (base) "/bulk?decision=invalidate&client=" (r.client_hash) } title="Every signature from this address" { code { (r.client_hash[..12]) } }
                                        }
                                    }
                                    td { (decide_buttons(&base, r, &back)) }
                                }
                            }
                        }
                    }
                }
            }
            (decisions::recent(staff, &base, view.decisions))
            @if pages > 1 {
                nav.pager aria-label="Pages" {
                    @if view.page > 1 { a href={ (base) "/signatures?" (with_page(q, view.page - 1)) } rel="prev" { "Previous" } " " }
                    span { "Page " (view.page) " of " (pages) }
                    @if view.page < pages { " " a href={ (base) "/signatures?" (with_page(q, view.page + 1)) } rel="next" { "Next" } }
                }
            }
        },
    )
}

/// Links to the page that asks for a reason before deciding.
fn decide_buttons(base: &str, r: &Row, back: &str) -> Markup {
    use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
    let back = utf8_percent_encode(back, NON_ALPHANUMERIC);
    let who = format!("{} {}", r.first_name, r.last_name);
    html! {
        @for decision in [Decision::Release, Decision::Invalidate] {
            @if decision.applies_to().contains(&r.status) {
                a href={ (base) "/signatures/" (r.id) "?decision=" (decision) "&back=" (back) }
                    aria-label={ (decision.verb()) " " (who) } { (decision.verb()) } " "
            }
        }
    }
}

pub struct BulkView<'a> {
    pub petition: &'a Petition,
    /// The criterion as typed.
    pub fields: &'a HashMap<String, String>,
    pub error: Option<String>,
    pub preview: Option<Preview>,
    /// The rows changed between preview and confirmation.
    pub stale: bool,
    /// The reason for the decision, as typed, and why it was refused.
    pub why: &'a str,
    pub why_error: Option<&'a str>,
}

pub fn bulk(staff: &CurrentStaff, view: &BulkView) -> Markup {
    let (p, f) = (view.petition, view.fields);
    let base = format!("/admin/petitions/{}", p.slug);
    let errors: Errors = view
        .error
        .iter()
        .map(|m| ("decision", m.clone()))
        .chain(
            view.why_error
                .map(|m| (decisions::REASON_FIELD, m.to_string())),
        )
        .collect();
    let decisions = fields::options(&[
        (Decision::Invalidate.as_str(), "Invalidate"),
        (Decision::Release.as_str(), "Release (held only)"),
    ]);
    // Invalidation unless release was chosen, as the form's first choice.
    let decision = match Decision::parse(value(f, "decision")) {
        Some(Decision::Release) => Decision::Release,
        _ => Decision::Invalidate,
    };
    let verb = decision.done();
    let applicable: Vec<&str> = Decision::Invalidate
        .applies_to()
        .iter()
        .map(|s| s.as_str())
        .collect();
    layout::page(
        &format!(
            "{}Decide many signatures: {}",
            if errors.is_empty() { "" } else { "Error: " },
            p.title
        ),
        staff,
        html! {
            p { a href={ (base) "/signatures" } { "Back to the signatures" } }
            h1 { "Release or invalidate many signatures" }
            (fields::error_summary(&errors))
            @if let Some(preview) = &view.preview {
                @if view.stale {
                    div.error-summary role="alert" {
                        h2 { "The matching signatures changed since the preview" }
                        p { "Nothing was changed. Check the new number and confirm again." }
                    }
                }
                div.notice role="status" {
                    p { strong { (preview.count) } (if preview.count == 1 { " signature would be " } else { " signatures would be " }) (verb) "." }
                }
                @if preview.count > 0 {
                    form method="post" action={ (base) "/bulk" } {
                        (fields::csrf(&staff.csrf))
                        @for name in ["decision", "status", "reason", "client", "domain", "from", "to"] {
                            input type="hidden" name=(name) value=(value(f, name));
                        }
                        input type="hidden" name="digest" value=(preview.digest);
                        (decisions::reason_field(view.why, view.why_error))
                        button.button type="submit" { "Yes, " (decision.as_str()) (if preview.count == 1 { " this signature".to_string() } else { format!(" these {} signatures", preview.count) }) }
                    }
                }
                h2 { "Change the criterion" }
            }
            form method="get" action={ (base) "/bulk" } {
                (fields::select("decision", "Decision", &decisions, value(f, "decision"), &errors))
                (fields::select("status", "Status", &choices("Every status the decision applies to", &applicable), value(f, "status"), &Errors::new()))
                (fields::select("reason", "Hold reason", &choices("Any reason", HoldReason::TEXTS), value(f, "reason"), &Errors::new()))
                (fields::text("client", "Address hash", value(f, "client"), Some("The hashed client address, as linked from the signature list."), &Errors::new()))
                (fields::text("domain", "Email domain", value(f, "domain"), Some("Like example.org."), &Errors::new()))
                (fields::kind("from", "Signed from (UTC)", value(f, "from"), "date", None, &Errors::new()))
                (fields::kind("to", "Signed until (UTC)", value(f, "to"), "date", None, &Errors::new()))
                button.button type="submit" { "Preview" }
            }
        },
    )
}
