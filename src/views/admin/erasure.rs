//! The erasure page: the email form, what would be erased with a confirm button, and
//! what was erased.

use maud::{html, Markup};

use super::fields::{self, Errors};
use super::layout;
use crate::db::erasure::Footprint;
use crate::domain::staff::CurrentStaff;

#[derive(Debug, Clone, Default)]
pub struct ErasureView {
    pub email: String,
    pub error: Option<String>,
    /// What erasing would touch (the preview step).
    pub found: Option<Footprint>,
    /// What was erased (the last step).
    pub erased: Option<Footprint>,
}

pub fn page(staff: &CurrentStaff, view: &ErasureView) -> Markup {
    let errors: Errors = view.error.iter().map(|m| ("email", m.clone())).collect();
    let title = if errors.is_empty() {
        "Erase a supporter"
    } else {
        "Error: Erase a supporter"
    };
    layout::page(
        title,
        staff,
        html! {
            h1 { "Erase a supporter" }
            @if let Some(done) = &view.erased {
                div.notice role="status" {
                    p { "Erased: " (done.signatures) " signatures and " (done.messages) " messages. Their counts stay; their name, email, postcode, comments, letters and address are gone." }
                }
            }
            p { "Removes a supporter's personal data from every signature, letter and email of theirs. Signatures keep counting; nothing can bring the data back." }
            (fields::error_summary(&errors))
            @match &view.found {
                Some(found) if found.is_empty() => {
                    p role="status" { "Nothing is stored for " (view.email) "." }
                }
                Some(found) => {
                    div.notice role="status" {
                        p { "For " strong { (view.email) } " (and every variant of it) this erases " (found.signatures) " signatures and " (found.messages) " messages, on:" }
                        @if found.subscription { p { "It also deletes their newsletter subscription." } }
                        ul { @for title in &found.actions { li { (title) } } }
                    }
                    form method="post" action="/admin/erase" {
                        (fields::csrf(&staff.csrf))
                        input type="hidden" name="email" value=(view.email);
                        input type="hidden" name="confirm" value="1";
                        button.button.warning type="submit" { "Erase this supporter" }
                    }
                }
                None => {}
            }
            form method="post" action="/admin/erase" {
                (fields::csrf(&staff.csrf))
                (fields::kind("email", "Supporter's email", &view.email, "email", Some("You will see what would be erased before anything is."), &errors))
                button.button type="submit" { "Find their data" }
            }
        },
    )
}
