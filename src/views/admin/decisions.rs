//! Deciding with a reason: the page that asks before one signature is released or
//! invalidated, and the list of recent decisions that can be undone.

use maud::{html, Markup};

use super::fields::{self, Errors};
use super::layout;
use crate::db::moderation::{Past, Row, UNDO_DAYS};
use crate::db::petitions::Petition;
use crate::domain::staff::CurrentStaff;
use crate::domain::status::Decision;

/// The field both decision forms take the reason in (`reason` is the hold reason).
pub const REASON_FIELD: &str = "decision_reason";

pub struct OneView<'a> {
    pub petition: &'a Petition,
    pub row: &'a Row,
    pub decision: Decision,
    /// As typed, kept when refused.
    pub reason: &'a str,
    /// The list's query to go back to.
    pub back: &'a str,
    pub error: Option<&'a str>,
}

/// The reason box both decision forms show.
pub fn reason_field(value: &str, error: Option<&str>) -> Markup {
    let errors: Errors = error
        .iter()
        .map(|m| (REASON_FIELD, m.to_string()))
        .collect();
    let hint = "Kept with the decision and in the audit log. Say what you saw, for the \
                colleague who may undo it.";
    fields::textarea(REASON_FIELD, "Reason", value, 3, Some(hint), &errors)
}

pub fn one(staff: &CurrentStaff, view: &OneView) -> Markup {
    let (p, r, decision) = (view.petition, view.row, view.decision);
    let base = format!("/admin/petitions/{}", p.slug);
    let verb = decision.verb();
    let errors: Errors = view
        .error
        .iter()
        .map(|m| (REASON_FIELD, m.to_string()))
        .collect();
    let title = format!(
        "{}{verb} the signature of {} {}",
        if errors.is_empty() { "" } else { "Error: " },
        r.first_name,
        r.last_name
    );
    layout::page(
        &title,
        staff,
        html! {
            p { a href={ (base) "/signatures" } { "Back to the signatures" } }
            h1 { (verb) " this signature?" }
            (fields::error_summary(&errors))
            dl.summary {
                dt { "Name" } dd { (r.first_name) " " (r.last_name) }
                dt { "Email" } dd { (r.email) }
                dt { "Country" } dd { (r.country_code) }
                dt { "Status" } dd { (r.status) @if let Some(reason) = &r.hold_reason { " (" (reason.as_str().replace('_', " ")) ")" } }
                dt { "Signed (UTC)" } dd { (fields::when(r.created_at)) }
                @if !r.comment.is_empty() { dt { "Comment" } dd.comment { (r.comment) } }
            }
            p { (match decision {
                Decision::Invalidate => "It will stop counting and stay out of exports and the report.",
                Decision::Release => "It will count if its supporter confirmed it, or wait for them to confirm.",
            }) " You can undo this from the signature list for " (UNDO_DAYS) " days." }
            form method="post" action={ (base) "/signatures/" (r.id) } {
                (fields::csrf(&staff.csrf))
                input type="hidden" name="decision" value=(decision);
                input type="hidden" name="back" value=(view.back);
                (reason_field(view.reason, view.error))
                button.button type="submit" { "Yes, " (decision.as_str()) " it" }
            }
        },
    )
}

/// Recent decisions, with an Undo button while one can be undone.
pub fn recent(staff: &CurrentStaff, base: &str, decisions: &[Past]) -> Markup {
    let now = crate::db::now();
    let done = |d: &Past| d.decision().map_or("unknown", Decision::done);
    html! {
        @if !decisions.is_empty() {
            h2 #decisions { "Recent decisions" }
            p.hint { "A decision can be undone for " (UNDO_DAYS) " days. Undoing turns back the signatures still as it left them." }
            div.table-scroll role="region" aria-labelledby="decisions" tabindex="0" {
                table.data {
                    thead { tr {
                        th scope="col" { "When (UTC)" } th scope="col" { "Who" } th scope="col" { "Decision" }
                        th scope="col" { "Signatures" } th scope="col" { "Reason" } th scope="col" { "Undo" }
                    } }
                    tbody {
                        @for d in decisions {
                            tr {
                                td { (fields::when(d.decided_at)) }
                                td { (d.staff_email.as_deref().unwrap_or("command line")) }
                                td { (done(d)) }
                                td { (d.row_count) }
                                td.comment { (d.reason) }
                                td {
                                    @if let Some(at) = d.undone_at {
                                        "Undone " (fields::when(at))
                                    } @else if d.can_undo(now) {
                                        form.inline method="post" action={ (base) "/decisions/" (d.id) "/undo" } {
                                            (fields::csrf(&staff.csrf))
                                            button.link-button type="submit" aria-label={ "Undo: " (d.reason) } { "Undo" }
                                        }
                                    } @else { "Too old" }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
