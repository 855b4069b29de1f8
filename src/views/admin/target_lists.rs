//! Staff page for target lists: what exists, and an upload form for a CSV file.

use maud::{html, Markup};

use super::layout;
use crate::domain::staff::CurrentStaff;
use crate::domain::target_csv::{CLARION_COLUMNS, MEP_COLUMNS};

pub struct TargetListsView<'a> {
    pub lists: &'a [(String, String, String, i64)],
    pub name: &'a str,
    /// The last upload's outcome: a summary, or every error with its file line.
    pub notice: Option<&'a str>,
    pub errors: &'a [String],
}

pub fn page(staff: &CurrentStaff, view: &TargetListsView) -> Markup {
    let title = if view.errors.is_empty() {
        "Target lists"
    } else {
        "Error: Target lists"
    };
    layout::page(
        title,
        staff,
        html! {
            @if !view.errors.is_empty() {
                div.error-summary role="alert" tabindex="-1" {
                    h2 { "The file was not imported; nothing changed" }
                    ul { @for e in view.errors { li { (e) } } }
                }
            }
            @if let Some(notice) = view.notice { div.notice role="status" { p { (notice) } } }
            h1 { "Target lists" }
            table.data {
                caption.visually-hidden { "Target lists" }
                thead { tr { th scope="col" { "Name" } th scope="col" { "Active targets" } th scope="col" { "Description" } } }
                tbody { @for (_, name, description, n) in view.lists { tr { th scope="row" { (name) } td { (n) } td { (description) } } } }
            }
            h2 { "Upload a list" }
            p { "A CSV file (UTF-8, at most 10 MB) with either header:" }
            ul { li { code { (CLARION_COLUMNS.join(",")) } } li { code { (MEP_COLUMNS.join(",")) } } }
            p { "Uploading to an existing name updates its targets by id and retires those no longer in the file; one bad row rejects the whole file." }
            form method="post" action="/admin/target-lists" enctype="multipart/form-data" {
                input type="hidden" name="csrf" value=(staff.csrf);
                div.field { label for="name" { "List name" } input #name type="text" name="name" value=(view.name) required; }
                div.field { label for="file" { "CSV file" } input #file type="file" name="file" accept=".csv,text/csv" required; }
                button.button type="submit" { "Upload" }
            }
        },
    )
}
