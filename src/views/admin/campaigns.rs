//! Staff pages for campaigns: the list and the create/edit form.

use maud::{html, Markup};

use super::fields::{self, Errors};
use super::layout;
use crate::db::campaigns::Campaign;
use crate::domain::staff::CurrentStaff;

/// The form's values as typed (or as stored, when editing).
#[derive(Debug, Clone, Default)]
pub struct CampaignValues {
    pub title: String,
    pub slug: String,
    pub summary: String,
    pub status: String,
}

pub fn list(staff: &CurrentStaff, campaigns: &[Campaign]) -> Markup {
    layout::page(
        "Campaigns",
        staff,
        html! {
            h1 { "Campaigns" }
            p { a.button href="/admin/campaigns/new" { "New campaign" } }
            table.data {
                caption.visually-hidden { "Campaigns" }
                thead { tr { th scope="col" { "Title" } th scope="col" { "Slug" } th scope="col" { "Status" } } }
                tbody {
                    @for c in campaigns {
                        tr { th scope="row" { a href={ "/admin/campaigns/" (c.id) } { (c.title) } } td { (c.slug) } td { (c.status) } }
                    }
                }
            }
        },
    )
}

/// The form; `id` is `None` for a new campaign.
pub fn form(
    staff: &CurrentStaff,
    id: Option<&str>,
    values: &CampaignValues,
    errors: &Errors,
) -> Markup {
    let heading = if id.is_some() {
        "Edit campaign"
    } else {
        "New campaign"
    };
    let title = if errors.is_empty() {
        heading.to_string()
    } else {
        format!("Error: {heading}")
    };
    let action = id.map_or("/admin/campaigns".to_string(), |id| {
        format!("/admin/campaigns/{id}")
    });
    let statuses = fields::options(&[
        ("draft", "Draft (not shown)"),
        ("live", "Live (on the home page)"),
        ("closed", "Closed"),
    ]);
    layout::page(
        &title,
        staff,
        html! {
            p { a href="/admin/campaigns" { "Back to campaigns" } }
            (fields::error_summary(errors))
            h1 { (heading) }
            @if let Some(id) = id { (fields::translation_links("campaign", id)) }
            form method="post" action=(action) {
                (fields::csrf(&staff.csrf))
                (fields::text("title", "Title", &values.title, None, errors))
                (fields::text("slug", "Slug", &values.slug, Some("Leave empty to make one from the title."), errors))
                (fields::textarea("summary", "Summary", &values.summary, 3, Some("Shown on the home page."), errors))
                (fields::select("status", "Status", &statuses, &values.status, errors))
                button.button type="submit" { "Save campaign" }
            }
        },
    )
}
