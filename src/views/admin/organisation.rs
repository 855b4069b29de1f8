//! The organisation's identity form (admins): what pages, emails and the delivery
//! report say about who runs this Clarion.

use maud::{html, Markup};

use super::fields::{self, Errors};
use super::layout;
use crate::domain::organisation::Organisation;
use crate::domain::staff::CurrentStaff;

pub fn form(staff: &CurrentStaff, v: &Organisation, errors: &Errors) -> Markup {
    let title = if errors.is_empty() {
        "Your organisation"
    } else {
        "Error: Your organisation"
    };
    let logo_error = fields::error_of(errors, "logo");
    layout::page(
        title,
        staff,
        html! {
            (fields::error_summary(errors))
            h1 { "Your organisation" }
            p { "Supporters see these on every page and in every email. Clarion itself appears only as \"Powered by Clarion\"." }
            form method="post" action="/admin/organisation" enctype="multipart/form-data" {
                (fields::csrf(&staff.csrf))
                (fields::text("name", "Name", &v.name, Some("As supporters know you."), errors))
                (fields::textarea("description", "Short description", &v.description, 2, Some("One or two sentences, under the name on every page."), errors))
                div.field.field-error[logo_error.is_some()] {
                    label for="logo" { "Logo" }
                    p.hint #logo-hint { "A PNG, JPEG or WebP image of at most 1 MB. Leave empty to keep the current logo." }
                    @if let Some(message) = logo_error { p.error-message #logo-error { "Error: " (message) } }
                    @if let Some(version) = v.logo_version {
                        p { img src={ "/organisation/logo?v=" (version) } alt={ "Current logo: " (v.logo_alt) } height="60"; }
                    }
                    input #logo type="file" name="logo" accept="image/png,image/jpeg,image/webp" aria-describedby="logo-hint";
                }
                (fields::text("logo_alt", "Logo description", &v.logo_alt, Some("What the logo shows, for people who cannot see it."), errors))
                h2 { "Emails" }
                (fields::text("sender_name", "Sender name", &v.sender_name, Some("Shown as the sender of confirmation emails."), errors))
                (fields::text("sender_email", "Sender address", &v.sender_email, Some("Replaces CLARION_MAIL_FROM's address. Use a domain your mail relay may send for."), errors))
                h2 { "Data protection" }
                (fields::text("controller_name", "Data controller's legal name", &v.controller_name, Some("Named under every form that collects personal data."), errors))
                (fields::textarea("controller_address", "Data controller's postal address", &v.controller_address, 3, None, errors))
                (fields::text("contact_email", "Contact email", &v.contact_email, None, errors))
                (fields::text("legal_url", "Legal notice", &v.legal_url, Some("A link to your legal notice and privacy policy, starting with https://"), errors))
                button.button type="submit" { "Save" }
            }
        },
    )
}
