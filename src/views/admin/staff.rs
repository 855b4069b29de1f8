//! Staff accounts: the list with role and status controls, the invitation form, and the
//! page behind an invitation link where the new member chooses a password.

use maud::{html, Markup};

use super::fields::{self, Errors};
use super::layout;
use crate::db::staff::StaffRow;
use crate::domain::staff::{CurrentStaff, MIN_PASSWORD_CHARS};

#[derive(Debug, Clone, Default)]
pub struct InviteValues {
    pub email: String,
    pub role: String,
}

fn state_of(row: &StaffRow) -> &'static str {
    match (row.disabled, row.has_password) {
        (true, _) => "Disabled",
        (false, false) => "Invited",
        (false, true) => "Active",
    }
}

pub fn list(
    staff: &CurrentStaff,
    rows: &[StaffRow],
    values: &InviteValues,
    errors: &Errors,
    notice: Option<&str>,
) -> Markup {
    let roles = fields::options(&[("campaigner", "Campaigner"), ("admin", "Admin")]);
    let title = if errors.is_empty() {
        "Staff"
    } else {
        "Error: Staff"
    };
    layout::page(
        title,
        staff,
        html! {
            h1 { "Staff" }
            @if let Some(notice) = notice { p.notice role="status" { (notice) } }
            (fields::error_summary(errors))
            div.table-scroll role="region" aria-label="Staff accounts" tabindex="0" {
                table.data {
                    caption.visually-hidden { "Staff accounts" }
                    thead { tr { th scope="col" { "Email" } th scope="col" { "Role" } th scope="col" { "State" } th scope="col" { "Last login (UTC)" } th scope="col" { "Change" } } }
                    tbody {
                        @for r in rows {
                            tr {
                                td { (r.email) }
                                td { (r.role) }
                                td { (state_of(r)) }
                                td { @if let Some(at) = r.last_login_at { (super::fields::when(at)) } }
                                td {
                                    @if r.id != staff.id {
                                        form.inline method="post" action={ "/admin/staff/" (r.id) } {
                                            (fields::csrf(&staff.csrf))
                                            @let other = if r.role == "admin" { "campaigner" } else { "admin" };
                                            button.link-button type="submit" name="role" value=(other) aria-label={ "Make " (r.email) " " (other) } { "Make " (other) }
                                        }
                                        form.inline method="post" action={ "/admin/staff/" (r.id) } {
                                            (fields::csrf(&staff.csrf))
                                            @if r.disabled {
                                                button.link-button type="submit" name="status" value="enabled" aria-label={ "Enable " (r.email) } { "Enable" }
                                            } @else {
                                                button.link-button type="submit" name="status" value="disabled" aria-label={ "Disable " (r.email) } { "Disable" }
                                            }
                                        }
                                    } @else { "(you)" }
                                }
                            }
                        }
                    }
                }
            }
            h2 { "Invite someone" }
            form method="post" action="/admin/staff" {
                (fields::csrf(&staff.csrf))
                (fields::kind("email", "Email address", &values.email, "email", Some("They get a link to choose a password, valid for 48 hours."), errors))
                (fields::select("role", "Role", &roles, &values.role, errors))
                button.button type="submit" { "Send the invitation" }
            }
        },
    )
}

/// The page behind a valid invitation link.
pub fn accept(email: &str, error: Option<&str>) -> Markup {
    let errors: Errors = error.iter().map(|m| ("password", m.to_string())).collect();
    let title = if errors.is_empty() {
        "Choose your password"
    } else {
        "Error: Choose your password"
    };
    layout::bare(
        title,
        html! {
            h1 { "Choose your password" }
            p { "You are joining Clarion's staff as " strong { (email) } "." }
            (fields::error_summary(&errors))
            form method="post" {
                div.field.field-error[error.is_some()] {
                    label for="password" { "Password" }
                    p.hint { "At least " (MIN_PASSWORD_CHARS) " characters." }
                    @if let Some(e) = error { p.error-message #password-error { "Error: " (e) } }
                    input #password type="password" name="password" autocomplete="new-password" required;
                }
                div.field {
                    label for="password_confirm" { "The same password again" }
                    input #password_confirm type="password" name="password_confirm" autocomplete="new-password" required;
                }
                button.button type="submit" { "Set my password" }
            }
        },
    )
}

pub fn link_gone() -> Markup {
    layout::bare(
        "This invitation link no longer works",
        html! {
            h1 { "This invitation link no longer works" }
            p { "It was used already, it is more than 48 hours old, or a newer invitation replaced it. Ask an admin to invite you again." }
        },
    )
}
