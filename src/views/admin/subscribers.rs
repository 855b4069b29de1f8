//! The newsletter's subscribers for staff: a search, counts by status, one page of them,
//! and the CSV export.

use maud::{html, Markup};

use super::fields;
use super::layout;
use crate::db::subscriber_list::{Listed, PAGE};
use crate::domain::staff::CurrentStaff;
use crate::domain::status::SubscriberStatus;

pub struct ListView<'a> {
    pub text: &'a str,
    pub status: &'a str,
    pub page: i64,
    pub rows: &'a [Listed],
    pub total: i64,
    /// (status, subscribers) for every status that has any.
    pub counts: &'a [(String, i64)],
    /// Addresses on the suppression list.
    pub suppressed: i64,
    /// What was wrong with an uploaded suppression list.
    pub errors: &'a [String],
}

fn upload_form(staff: &CurrentStaff, action: &str, label: &str, button: &str) -> Markup {
    html! {
        form method="post" action=(action) enctype="multipart/form-data" {
            input type="hidden" name="csrf" value=(staff.csrf);
            label { (label) " " input type="file" name="file" accept=".csv,text/csv" required; }
            button.button type="submit" { (button) }
        }
    }
}

fn suppression_form(staff: &CurrentStaff, view: &ListView) -> Markup {
    html! {
        h2 { "Import subscribers" }
        p { "A CSV with the columns email, first_name, country, language, consent_text, consent_version and subscribed_at: the wording each person agreed to, and when. Addresses already here are left as they are." }
        (upload_form(staff, "/admin/subscribers/import", "CSV file of subscribers", "Import subscribers"))
        h2 { "Suppression list" }
        p { (view.suppressed) " addresses no mailing will reach." }
        @if !view.errors.is_empty() {
            div.error-summary role="alert" tabindex="-1" {
                h2 { "Nothing was imported" }
                ul { @for e in view.errors { li { (e) } } }
            }
        }
        (upload_form(staff, "/admin/subscribers/suppressions", "CSV file, addresses in the first column", "Add to the suppression list"))
    }
}

fn search_form(view: &ListView) -> Markup {
    html! {
        form.search method="get" action="/admin/subscribers" {
            label for="q" { "Name or email contains" }
            input #q type="search" name="q" value=(view.text);
            label for="status" { "Status" }
            select #status name="status" {
                option value="" { "Any" }
                @for s in SubscriberStatus::TEXTS {
                    option value=(s) selected[view.status == *s] { (s) }
                }
            }
            button.button type="submit" { "Search" }
        }
    }
}

fn next_page(view: &ListView) -> Option<String> {
    (view.page * PAGE < view.total).then(|| {
        let q: String = url_encoded(view.text);
        format!(
            "/admin/subscribers?q={q}&status={}&page={}",
            view.status,
            view.page + 1
        )
    })
}

fn url_encoded(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC).to_string()
}

pub fn list(staff: &CurrentStaff, view: &ListView) -> Markup {
    layout::page(
        "Subscribers",
        staff,
        html! {
            h1 { "Newsletter subscribers" }
            ul.counts { @for (status, n) in view.counts { li { (status) ": " (n) } } }
            p { a href="/admin/subscribers.csv" { "Download every subscriber (CSV)" } }
            (search_form(view))
            p.count { (view.total) " found" }
            @if !view.rows.is_empty() {
                table.data {
                    caption.visually-hidden { "Subscribers found" }
                    thead { tr {
                        th scope="col" { "Email" } th scope="col" { "First name" } th scope="col" { "Country" }
                        th scope="col" { "Language" } th scope="col" { "Status" } th scope="col" { "Source" }
                        th scope="col" { "Subscribed (UTC)" } th scope="col" { "Confirmed (UTC)" }
                    } }
                    tbody { @for r in view.rows { tr {
                        th scope="row" { (r.email) } td { (r.first_name) } td { (r.country_code) }
                        td { (r.language) } td { (r.status) } td { (r.source) }
                        td { (fields::when(r.created_at)) }
                        td { @if let Some(at) = r.confirmed_at { (fields::when(at)) } }
                    } } }
                }
            }
            @if let Some(next) = next_page(view) { p { a href=(next) { "Next page" } } }
            (suppression_form(staff, view))
        },
    )
}
