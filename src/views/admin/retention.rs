//! The retention page: the periods as configured, when the job runs, and per action what
//! the next run removes, with its exemption form.

use chrono::NaiveDateTime;
use maud::{html, Markup};

use super::fields::{self, when};
use super::layout;
use crate::config::periods::Retention;
use crate::db::retention::ActionRetention;
use crate::domain::staff::CurrentStaff;
use crate::i18n::{number_in, period_in, Lang};

pub struct RetentionView {
    pub settings: Retention,
    pub plans: Vec<ActionRetention>,
    pub last_run: Option<NaiveDateTime>,
    pub next_run: Option<NaiveDateTime>,
    /// The action whose exemption form was refused, and why.
    pub error: Option<(String, String)>,
}

fn period(p: chrono::TimeDelta) -> String {
    period_in(Lang::En, p)
}

pub fn page(staff: &CurrentStaff, view: &RetentionView) -> Markup {
    let s = &view.settings;
    let title = if view.error.is_some() {
        "Error: Retention"
    } else {
        "Retention"
    };
    layout::page(
        title,
        staff,
        html! {
            h1 { "Retention" }
            p { "Clarion deletes personal data by itself when its period ends. The periods are settings of the server; the public privacy page shows the same." }
            div.table-scroll role="region" aria-label="Periods" tabindex="0" { table.data {
                caption { "Periods" }
                thead { tr { th scope="col" { "What" } th scope="col" { "When it goes" } th scope="col" { "Setting" } } }
                tbody {
                    tr { td { "Signatures and letters never confirmed" } td { "deleted " (period(s.unconfirmed)) " after they were made (their links stop working then)" } td { code { "CLARION_RETAIN_UNCONFIRMED" } } }
                    tr { td { "Signatures of a closed petition" } td { "anonymised " (period(s.signatures)) " after it closed: name, email, postcode, comment and address hash go; country, language, source, status and dates stay, so counts stay true" } td { code { "CLARION_RETAIN_SIGNATURES" } } }
                    tr { td { "Subjects and texts of letters" } td { "deleted " (period(s.letters)) " after delivery; who wrote to whom and when stay" } td { code { "CLARION_RETAIN_LETTERS" } } }
                }
            } }
            p {
                "The job looks every " (period(chrono::TimeDelta::from_std(s.every()).unwrap_or_default())) ". "
                @match view.last_run { Some(at) => { "It last ran " (when(at)) " UTC. " } None => { "It has not run yet. " } }
                @if let Some(at) = view.next_run { "Its next run starts after " (when(at)) " UTC." }
            }
            h2 { "What the next run removes" }
            div.table-scroll role="region" aria-label="What the next run removes" tabindex="0" { table.data {
                thead { tr {
                    th scope="col" { "Action" } th scope="col" { "Closed" }
                    th scope="col" { "Never confirmed, deleted" } th scope="col" { "Signatures anonymised" }
                    th scope="col" { "Letters emptied" } th scope="col" { "Exemption" }
                } }
                tbody { @for plan in &view.plans { (row(staff, plan, view.error.as_ref())) } }
            } }
        },
    )
}

fn row(staff: &CurrentStaff, plan: &ActionRetention, error: Option<&(String, String)>) -> Markup {
    let error = error
        .filter(|(id, _)| *id == plan.action_id)
        .map(|(_, e)| e);
    let field = format!("reason-{}", plan.action_id);
    let count = |n: i64| number_in(Lang::En, n);
    html! {
        tr id={ "action-" (plan.action_id) } {
            td { (plan.title) " " small { "(" (plan.kind) ")" } }
            td { @match plan.closed_on { Some(at) => (when(at)), None => "open" } }
            @if let Some(reason) = &plan.exempt {
                td colspan="3" { "Exempt: nothing is removed." }
                td {
                    p { "Reason: " (reason) }
                    form method="post" action={ "/admin/retention/" (plan.action_id) "/lift" } {
                        (fields::csrf(&staff.csrf))
                        button.button type="submit" { "Apply the periods again" }
                    }
                }
            } @else {
                td.unconfirmed { (count(plan.unconfirmed)) }
                td.anonymised { (count(plan.anonymised)) }
                td.letters { (count(plan.letters)) }
                td {
                    form method="post" action={ "/admin/retention/" (plan.action_id) "/exempt" } {
                        (fields::csrf(&staff.csrf))
                        label for=(field) { "Reason to keep its data longer" }
                        @if let Some(e) = error { p.error-message id={ (field) "-error" } { "Error: " (e) } }
                        input id=(field) type="text" name="reason" maxlength="500" required
                            aria-describedby=[error.map(|_| format!("{field}-error"))];
                        button.button type="submit" { "Exempt from retention" }
                    }
                }
            }
        }
    }
}
