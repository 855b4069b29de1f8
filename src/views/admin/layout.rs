//! The staff layout: the public one's head and styles, a staff navigation bar and a
//! logout button (a POST with the session's CSRF token).

use maud::{html, Markup, PreEscaped, DOCTYPE};

use crate::domain::staff::{CurrentStaff, Role};

/// Where a page's styles come from: the shared file (cached across pages), or a copy in
/// the page, for a page kept as a file that must look the same offline.
#[derive(Clone, Copy)]
enum Styles {
    Linked,
    Inline,
}

fn shell(title: &str, nav: Option<&CurrentStaff>, styles: Styles, content: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="robots" content="noindex";
                title { (title) " – Clarion admin" }
                @match styles {
                    Styles::Linked => link rel="stylesheet" href="/static/clarion.css";,
                    Styles::Inline => style { (PreEscaped(crate::views::STYLESHEET)) },
                }
            }
            body.admin {
                a.skip-link href="#main" { "Skip to main content" }
                header.site-header {
                    div.wrap.wide {
                        a.site-name href="/admin" { "Clarion admin" }
                        @if let Some(staff) = nav {
                            nav aria-label="Admin" {
                                ul {
                                    li { a href="/admin" { "Dashboard" } }
                                    li { a href="/admin/campaigns" { "Campaigns" } }
                                    li { a href="/admin/articles" { "Articles" } }
                                    li { a href="/admin/actions" { "Actions" } }
                                    li { a href="/admin/target-lists" { "Target lists" } }
                                    li { a href="/admin/translations" { "Translations" } }
                                    li { a href="/admin/mailings" { "Mailings" } }
                                    li { a href="/admin/subscribers" { "Subscribers" } }
                                    @if staff.role == Role::Admin {
                                        li { a href="/admin/organisation" { "Organisation" } }
                                        li { a href="/admin/staff" { "Staff" } }
                                        li { a href="/admin/access-rules" { "Block lists" } }
                                        li { a href="/admin/partners" { "Partners" } }
                                        li { a href="/admin/retention" { "Retention" } }
                                        li { a href="/admin/erase" { "Erase a supporter" } }
                                        li { a href="/admin/audit" { "Audit log" } }
                                    }
                                    li { a href="/" { "Public site" } }
                                }
                            }
                            form.logout method="post" action="/admin/logout" {
                                input type="hidden" name="csrf" value=(staff.csrf);
                                span.who { (staff.email) " (" (if staff.role == Role::Admin { "admin" } else { "campaigner" }) ")" }
                                " "
                                button.link-button type="submit" { "Log out" }
                            }
                        }
                    }
                }
                main #main.wrap.wide tabindex="-1" {
                    @if let Some(flash) = nav.and_then(|s| s.flash.as_deref()) {
                        div.notice.flash role="status" { p { (flash) } }
                    }
                    (content)
                }
            }
        }
    }
}

/// A staff page for a logged-in staff member.
pub fn page(title: &str, staff: &CurrentStaff, content: Markup) -> Markup {
    shell(title, Some(staff), Styles::Linked, content)
}

/// A staff page that is saved and printed as a file (the delivery report): its styles
/// travel inside it. Its response must allow that one inline stylesheet
/// ([`crate::web::inline_stylesheet_csp`]).
pub fn printable(title: &str, staff: &CurrentStaff, content: Markup) -> Markup {
    shell(title, Some(staff), Styles::Inline, content)
}

/// A staff page without navigation (the login form).
pub fn bare(title: &str, content: Markup) -> Markup {
    shell(title, None, Styles::Linked, content)
}
