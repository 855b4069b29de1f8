//! The dashboard: every action's numbers, and two charts.

use maud::{html, Markup};

use super::charts;
use super::layout;
use crate::db::dashboard::ActionRow;
use crate::domain::staff::CurrentStaff;

pub struct DashboardView {
    pub actions: Vec<ActionRow>,
    pub per_day: Vec<(String, i64)>,
    pub countries: Vec<(String, i64)>,
}

pub fn page(staff: &CurrentStaff, view: &DashboardView) -> Markup {
    let content = html! {
        h1 { "Dashboard" }
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
    };
    layout::page("Dashboard", staff, content)
}
