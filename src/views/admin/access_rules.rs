//! The block and allow lists page: every rule with a remove button, and a form to add one.

use maud::{html, Markup};

use super::fields::{self, Errors};
use super::layout;
use crate::db::holds::Rule;
use crate::domain::staff::CurrentStaff;

#[derive(Debug, Clone, Default)]
pub struct RuleValues {
    pub list: String,
    pub kind: String,
    pub value: String,
    pub note: String,
}

fn kind_label(kind: &str) -> &str {
    match kind {
        "email_domain" => "Email domain",
        "cidr" => "Address range",
        other => other,
    }
}

pub fn page(staff: &CurrentStaff, rules: &[Rule], values: &RuleValues, errors: &Errors) -> Markup {
    let lists = fields::options(&[("block", "Block list"), ("allow", "Allow list")]);
    let kinds = fields::options(&[
        ("email_domain", "Email domain"),
        ("cidr", "Address range (CIDR)"),
    ]);
    let title = if errors.is_empty() {
        "Block and allow lists"
    } else {
        "Error: Block and allow lists"
    };
    layout::page(
        title,
        staff,
        html! {
            h1 { "Block and allow lists" }
            p { "Signatures from a blocked email domain or address range are held, not counted, unless the allow list also matches. The submitter is never told." }
            @if rules.is_empty() { p { "No rules yet." } } @else {
                div.table-scroll role="region" aria-label="Rules" tabindex="0" {
                    table.data {
                        caption.visually-hidden { "Rules" }
                        thead { tr { th scope="col" { "List" } th scope="col" { "Kind" } th scope="col" { "Value" } th scope="col" { "Note" } th scope="col" { "Remove" } } }
                        tbody {
                            @for r in rules {
                                tr {
                                    td { (r.list) } td { (kind_label(&r.kind)) } td { code { (r.value) } } td { (r.note) }
                                    td {
                                        form.inline method="post" action={ "/admin/access-rules/" (r.id) "/delete" } {
                                            (fields::csrf(&staff.csrf))
                                            button.link-button type="submit" aria-label={ "Remove " (r.value) } { "Remove" }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            h2 { "Add a rule" }
            (fields::error_summary(errors))
            form method="post" action="/admin/access-rules" {
                (fields::csrf(&staff.csrf))
                (fields::select("list", "List", &lists, &values.list, errors))
                (fields::select("kind", "Kind", &kinds, &values.kind, errors))
                (fields::text("value", "Value", &values.value, Some("An email domain like example.org, or an address range like 203.0.113.0/24."), errors))
                (fields::text("note", "Note", &values.note, Some("Optional: why this rule exists."), errors))
                button.button type="submit" { "Add the rule" }
            }
        },
    )
}
