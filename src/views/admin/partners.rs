//! The partners page (admins): every partner with its allowed origins and confirmed
//! signatures, and the form that registers one.

use maud::{html, Markup};

use super::fields::{self, Errors};
use super::layout;
use crate::db::partners::Partner;
use crate::domain::staff::CurrentStaff;

#[derive(Debug, Clone, Default)]
pub struct PartnerValues {
    pub key: String,
    pub name: String,
    pub origins: String,
    pub contact_email: String,
}

pub fn page(
    staff: &CurrentStaff,
    partners: &[(Partner, i64)],
    values: &PartnerValues,
    errors: &Errors,
) -> Markup {
    let title = if errors.is_empty() {
        "Partners"
    } else {
        "Error: Partners"
    };
    layout::page(
        title,
        staff,
        html! {
            h1 { "Partners" }
            p { "Organisations that show a petition's sign form on their own sites. Signatures made through a partner record it; the CSV's last column names it. A supporter shares their details with a partner only by ticking a separate box." }
            @if partners.is_empty() { p { "No partners yet." } } @else {
                div.table-scroll role="region" aria-label="Partners" tabindex="0" {
                    table.data.partners {
                        caption.visually-hidden { "Partners" }
                        thead { tr { th scope="col" { "Key" } th scope="col" { "Name" } th scope="col" { "May embed from" } th scope="col" { "Contact" } th scope="col" { "Confirmed signatures" } } }
                        tbody {
                            @for (p, count) in partners {
                                tr {
                                    td { a href=(format!("/admin/partners/{}", p.key)) { code { (p.key) } } } td { (p.name) }
                                    td { @for origin in p.origins() { code { (origin) } " " } }
                                    td { (p.contact_email) } td { (count) }
                                }
                            }
                        }
                    }
                }
            }
            h2 { "Add a partner" }
            (fields::error_summary(errors))
            form method="post" action="/admin/partners" {
                (fields::csrf(&staff.csrf))
                (fields::text("key", "Key", &values.key, Some("Its short name in embed links and the CSV: lower-case letters, digits and hyphens, like khmer-union."), errors))
                (fields::text("name", "Name", &values.name, Some("As supporters read it: the box to share details with it names it."), errors))
                (fields::textarea("origins", "Sites that may embed the form", &values.origins, 3, Some("One origin a line, like https://www.example.org (no path)."), errors))
                (fields::kind("contact_email", "Contact email", &values.contact_email, "email", None, errors))
                button.button type="submit" { "Add the partner" }
            }
        },
    )
}
