//! Staff pages for actions: petitions (text, addressee, goal, deadline, confirmation
//! window) and contact actions (target list, templates, limits, delivery mode, pacing).

use maud::{html, Markup};

use super::fields::{self, Errors};
use super::layout;
use crate::db::actions::ActionRecord;
use crate::db::letters::TargetDelivery;
use crate::domain::staff::CurrentStaff;

/// Every field as typed (or as stored, when editing).
#[derive(Debug, Clone, Default)]
pub struct ActionValues {
    pub kind: String,
    pub campaign_id: String,
    pub title: String,
    pub slug: String,
    pub summary: String,
    pub status: String,
    pub body_md: String,
    pub addressee: String,
    pub goal: String,
    pub deadline: String,
    pub confirm_window_days: String,
    pub target_list_id: String,
    pub subject_template: String,
    pub body_template: String,
    pub max_targets: String,
    pub delivery_mode: String,
    pub max_per_hour: String,
    pub consent_text: String,
    pub consent_version: String,
    /// The box "List the latest signers on the petition page".
    pub public_signers: bool,
    pub outcome_md: String,
    /// The box "List only the EU member states" of a contact action.
    pub member_states_only: bool,
}

pub fn list(staff: &CurrentStaff, actions: &[ActionRecord]) -> Markup {
    layout::page(
        "Actions",
        staff,
        html! {
            h1 { "Actions" }
            p {
                a.button href="/admin/actions/new?kind=petition" { "New petition" } " "
                a.button href="/admin/actions/new?kind=contact" { "New contact action" }
            }
            table.data {
                caption.visually-hidden { "Actions" }
                thead { tr { th scope="col" { "Title" } th scope="col" { "Kind" } th scope="col" { "Status" } th scope="col" { "Public page" } th scope="col" { "Staff pages" } } }
                tbody {
                    @for a in actions {
                        @let public = if a.kind == "petition" { format!("/petitions/{}", a.changes.slug) } else { format!("/act/{}", a.changes.slug) };
                        tr {
                            th scope="row" { a href={ "/admin/actions/" (a.id) } { (a.changes.title) } }
                            td { (a.kind) } td { (a.changes.status) } td { a href=(public) { (public) } }
                            td {
                                @if a.kind == "petition" {
                                    a href={ "/admin/petitions/" (a.changes.slug) } { "Numbers and exports" }
                                } @else {
                                    a href={ "/admin/contacts/" (a.changes.slug) "/letters.csv" } { "Letters (CSV)" } " · "
                                    a href={ "/admin/contacts/" (a.changes.slug) "/messages.csv" } { "Messages (CSV)" } " · "
                                    a href={ "/admin/contacts/" (a.changes.slug) "/replies" } { "Did they reply?" }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}

/// Letters per target, shown under a contact action's form.
pub fn delivery(rows: &[TargetDelivery]) -> Markup {
    html! {
        h2 { "Letters per target" }
        @if rows.is_empty() { p { "No letters yet." } } @else {
            table.data {
                caption.visually-hidden { "Letters per target" }
                thead { tr {
                    th scope="col" { "Target" } th scope="col" { "Country" } th scope="col" { "Group" }
                    th scope="col" { "Queued" } th scope="col" { "Sent" } th scope="col" { "Failed" }
                    th scope="col" { "Prepared (mailto)" } th scope="col" { "Last error" }
                } }
                tbody { @for r in rows { tr {
                    th scope="row" { (r.name) } td { (r.country_code) } td { (r.political_group) }
                    td { (r.queued) } td { (r.sent) } td { (r.failed) } td { (r.prepared) }
                    td { (r.last_error.as_deref().unwrap_or("")) }
                } } }
            }
        }
    }
}

/// Confirmed letters through each partner, when any came through one.
fn by_partner(partners: &[(String, i64)]) -> Markup {
    html! {
        @if !partners.is_empty() {
            table.data.partners {
                caption { "Confirmed letters through partners" }
                thead { tr { th scope="col" { "Partner" } th scope="col" { "Letters" } } }
                tbody { @for (key, n) in partners { tr { td { code { (key) } } td { (n) } } } }
            }
        }
    }
}

/// A contact action's letters per target, and its confirmed letters per partner (by key).
pub struct Delivery<'a> {
    pub targets: &'a [TargetDelivery],
    pub partners: &'a [(String, i64)],
}

pub struct ActionForm<'a> {
    pub id: Option<&'a str>,
    pub values: &'a ActionValues,
    pub errors: &'a Errors,
    pub campaigns: &'a [(String, String)],
    pub target_lists: &'a [(String, String)],
    /// For an existing contact action: its letters per target.
    pub delivery: Option<Delivery<'a>>,
    /// The petition's text changes after (people, version) signed it: ask first.
    pub ask_version: Option<(i64, i32)>,
    /// An existing action's updates to supporters, and the form to post one.
    pub updates: Option<super::updates::Panel<'a>>,
}

/// The petition's text is about to change after people signed it: a new version, kept
/// beside the old one, once staff tick the box.
fn ask_new_version(signed: i64, version: i32) -> Markup {
    html! {
        div.error-summary role="alert" tabindex="-1" {
            h2 { "People have signed this text" }
            p {
                (signed) (if signed == 1 { " person has" } else { " people have" })
                " signed version " (version) " of this petition. Nothing is saved yet."
            }
            p {
                "Saving makes the new text version " (version + 1) ". Every version is kept with its date, "
                "each signature keeps the version it was signed on, and the delivery report shows them."
            }
            div.field.checkbox {
                input #new_version type="checkbox" name="new_version" value="1";
                label for="new_version" { "Yes, save the changed text as version " (version + 1) }
            }
        }
    }
}

pub fn form(staff: &CurrentStaff, form: &ActionForm) -> Markup {
    let (v, e) = (form.values, form.errors);
    let petition = v.kind == "petition";
    let noun = if petition {
        "petition"
    } else {
        "contact action"
    };
    let heading = if form.id.is_some() {
        format!("Edit {noun}")
    } else {
        format!("New {noun}")
    };
    let title = if e.is_empty() {
        heading.clone()
    } else {
        format!("Error: {heading}")
    };
    let action = form.id.map_or("/admin/actions".to_string(), |id| {
        format!("/admin/actions/{id}")
    });
    let statuses = fields::options(&[
        ("draft", "Draft (not shown)"),
        ("open", "Open"),
        ("closed", "Closed"),
    ]);
    let modes = fields::options(&[
        ("platform", "Sent by the platform, after email confirmation"),
        ("mailto", "Prepared as mailto links, sent by the supporter"),
    ]);
    layout::page(
        &title,
        staff,
        html! {
            p { a href="/admin/actions" { "Back to actions" } }
            (fields::error_summary(e))
            h1 { (heading) }
            @if let Some(id) = form.id { (fields::translation_links("action", id)) }
            form method="post" action=(action) {
                (fields::csrf(&staff.csrf))
                @if let Some((signed, version)) = form.ask_version { (ask_new_version(signed, version)) }
                input type="hidden" name="kind" value=(v.kind);
                (fields::select("campaign_id", "Campaign", form.campaigns, &v.campaign_id, e))
                (fields::text("title", "Title", &v.title, None, e))
                (fields::text("slug", "Slug", &v.slug, Some("Leave empty to make one from the title."), e))
                (fields::textarea("summary", "Summary", &v.summary, 2, Some("Shown on the call-to-action card."), e))
                (fields::select("status", "Status", &statuses, &v.status, e))
                @if petition {
                    (fields::text("addressee", "Addressed to", &v.addressee, Some("For example: Members of the European Parliament"), e))
                    (fields::textarea("body_md", "Petition text", &v.body_md, 10, Some("Markdown. Scripts and styles are removed."), e))
                    (fields::kind("goal", "Goal (signatures)", &v.goal, "number", Some("Optional."), e))
                    (fields::kind("deadline", "Deadline (UTC)", &v.deadline, "datetime-local", Some("Optional. The petition closes then."), e))
                    (fields::kind("confirm_window_days", "Confirmation window (days)", &v.confirm_window_days, "number", Some("How long a confirmation link stays valid."), e))
                    div.field.checkbox {
                        input #public_signers type="checkbox" name="public_signers" value="1" checked[v.public_signers];
                        label for="public_signers" { "List the latest signers on the petition page (only those who chose to be named)" }
                    }
                } @else {
                    (fields::select("target_list_id", "Target list", form.target_lists, &v.target_list_id, e))
                    (fields::textarea("body_md", "Introduction", &v.body_md, 4, Some("Optional Markdown shown above the letter."), e))
                    (fields::text("subject_template", "Subject template", &v.subject_template, Some("One line. May use {target_name}, {supporter_name}, {supporter_country}."), e))
                    (fields::textarea("body_template", "Letter template", &v.body_template, 10, Some("May use {target_name}, {supporter_name}, {supporter_country}."), e))
                    (fields::kind("max_targets", "Most targets per letter", &v.max_targets, "number", None, e))
                    (fields::select("delivery_mode", "Delivery", &modes, &v.delivery_mode, e))
                    (fields::kind("max_per_hour", "Letters per target per hour", &v.max_per_hour, "number", Some("Beyond this, letters wait for the next hour."), e))
                    div.field.checkbox {
                        input #member_states_only type="checkbox" name="member_states_only" value="1" checked[v.member_states_only];
                        label for="member_states_only" { "List only the EU member states in the country choice (for letters to MEPs). Otherwise they come first, then every other country." }
                    }
                }
                @if petition {
                    (fields::textarea("outcome_md", "Outcome", &v.outcome_md, 4, Some("Shown on the petition's page once it is closed: what came of it. Markdown."), e))
                }
                (fields::textarea("consent_text", "Consent wording", &v.consent_text, 2, Some("Shown beside the unticked box; stored with each signature."), e))
                (fields::text("consent_version", "Consent version", &v.consent_version, Some("Change it whenever the wording changes."), e))
                button.button type="submit" { "Save " (noun) }
            }
            @if let Some(d) = &form.delivery { (delivery(d.targets)) (by_partner(d.partners)) }
            @if let Some(u) = &form.updates { (super::updates::panel(staff, u)) }
        },
    )
}
