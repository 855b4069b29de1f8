//! The dashboard: every action's numbers, and two charts.

use maud::{html, Markup};

use super::charts;
use super::layout;
use chrono::NaiveDateTime;

use crate::db::dashboard::ActionRow;
use crate::db::outbox::Backlog;
use crate::domain::staff::CurrentStaff;

pub struct DashboardView {
    /// What the organisation's identity still lacks (empty when all is set).
    pub organisation_missing: Vec<&'static str>,
    /// (signed-for domain, sender's domain) when they differ.
    pub dkim_mismatch: Option<(String, String)>,
    pub actions: Vec<ActionRow>,
    pub per_day: Vec<(String, i64)>,
    pub countries: Vec<(String, i64)>,
    pub outbox: OutboxView,
    /// Each partner's name, key and confirmed signatures on every petition.
    pub partners: Vec<(String, String, i64)>,
}

/// Confirmation emails later than this (seconds) are a warning: supporters wait to act.
pub const CONFIRMATIONS_LATE_SECS: i64 = 5 * 60;

/// The outbox's depth and lag (in seconds).
pub struct OutboxView {
    pub waiting: i64,
    pub due: i64,
    pub failed: i64,
    pub oldest_due_secs: i64,
    pub confirmations_behind_secs: i64,
}

impl OutboxView {
    pub fn of(backlog: &Backlog, now: NaiveDateTime) -> Self {
        let secs = |at: Option<NaiveDateTime>| at.map_or(0, |at| (now - at).num_seconds().max(0));
        Self {
            waiting: backlog.waiting,
            due: backlog.due,
            failed: backlog.failed,
            oldest_due_secs: secs(backlog.oldest_due),
            confirmations_behind_secs: secs(backlog.oldest_confirmation_due),
        }
    }
}

/// A lag as staff read it: seconds under two minutes, then whole minutes.
fn lag(secs: i64) -> String {
    if secs < 120 {
        format!("{secs} s")
    } else {
        format!("{} min", secs / 60)
    }
}

fn outbox(view: &OutboxView) -> Markup {
    html! {
        @if view.confirmations_behind_secs > CONFIRMATIONS_LATE_SECS {
            div.error-summary.outbox-late role="alert" {
                h2 { "Confirmation emails are " (lag(view.confirmations_behind_secs)) " behind" }
                p { "Supporters are waiting for the email that confirms their signature or letter. Check that the mail relay (CLARION_SMTP_URL) accepts mail, and the server's log." }
            }
        }
        h2 { "Outbox" }
        dl.outbox-backlog {
            dt { "Emails waiting" } dd { (view.waiting) }
            dt { "Due now" } dd { (view.due) }
            dt { "Oldest due email waiting" } dd { (lag(view.oldest_due_secs)) }
            dt { "Confirmations behind by" } dd { (lag(view.confirmations_behind_secs)) }
            dt { "Given up (failed)" } dd { (view.failed) }
        }
    }
}

pub fn page(staff: &CurrentStaff, view: &DashboardView) -> Markup {
    let content = html! {
        h1 { "Dashboard" }
        @if !view.organisation_missing.is_empty() {
            div.notice role="status" {
                h2 { "Your organisation is not fully set up" }
                p { "Supporters do not yet see: " (view.organisation_missing.join(", ")) "." }
                @if staff.role == crate::domain::staff::Role::Admin {
                    p { a href="/admin/organisation" { "Set up your organisation" } }
                } @else {
                    p { "An admin can set these." }
                }
            }
        }
        @if let Some((dkim, sender)) = &view.dkim_mismatch {
            div.notice role="status" {
                h2 { "Emails are signed for another domain" }
                p { "Emails are DKIM-signed for " strong { (dkim) } " but sent from an address at " strong { (sender) } ": receiving servers give such a signature no weight, and may treat newsletters as spam. Set a sender address at " (dkim) " in the organisation's settings, or sign for " (sender) "." }
            }
        }
        (outbox(&view.outbox))
        div.table-scroll role="region" aria-label="Actions" tabindex="0" {
            table.data {
                caption { "Actions and their signatures or letters" }
                thead { tr {
                    th scope="col" { "Action" } th scope="col" { "Kind" } th scope="col" { "Status" }
                    th scope="col" { "Confirmed" } th scope="col" { "Pending" } th scope="col" { "Held" }
                    th scope="col" { "Invalidated" } th scope="col" { "Confirmed today" }
                } }
                tbody {
                    @for row in &view.actions {
                        tr {
                            th scope="row" { a href={ "/admin/actions/" (row.id) } { (row.title) } }
                            td { (row.kind) } td { (row.status) }
                            td { (row.counts.confirmed) } td { (row.counts.pending) } td {
                                (row.counts.held)
                                @for (reason, n) in &row.counts.held_by_reason { br; small { (reason) ": " (n) } }
                            }
                            td { (row.counts.invalidated) } td { (row.counts.today) }
                        }
                    }
                }
            }
        }
        h2 { "Confirmed signatures per day" }
        (charts::bars("per-day", "Confirmed signatures per day, last 30 days (UTC)",
            "One bar per day, oldest on the left; the table below gives each day's number.", &view.per_day))
        h2 { "Top countries" }
        (charts::bars("countries", "Confirmed signatures by country, top ten",
            "One bar per country, most signatures first; the table below gives the numbers.", &view.countries))
        @if !view.partners.is_empty() {
            table.data.partners {
                caption { "Confirmed signatures through partners, every petition" }
                thead { tr { th scope="col" { "Partner" } th scope="col" { "Key" } th scope="col" { "Confirmed" } } }
                tbody { @for (name, key, n) in &view.partners { tr { td { (name) } td { code { (key) } } td { (n) } } } }
            }
        }
    };
    layout::page("Dashboard", staff, content)
}
