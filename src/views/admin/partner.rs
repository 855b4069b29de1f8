//! One partner's page (admins): its API tokens and webhook endpoints with their latest
//! deliveries, and the forms that make them. A new token or secret is shown once, on
//! the page that answers its form.

use maud::{html, Markup};

use super::fields::{self, Errors};
use super::layout;
use crate::db::api_tokens::Listed as Token;
use crate::db::partners::Partner;
use crate::db::webhooks::queue::Listed as Delivery;
use crate::db::webhooks::{Endpoint, FAILED};
use crate::domain::api_token::Scope;
use crate::domain::staff::CurrentStaff;
use crate::domain::webhook::EVENTS;

pub struct PartnerPage<'a> {
    pub partner: &'a Partner,
    pub tokens: &'a [Token],
    pub endpoints: &'a [(Endpoint, Vec<Delivery>)],
    /// A token or secret just made, to show this once: (what it is, the value).
    pub shown_once: Option<(&'a str, &'a str)>,
    /// The webhook form as typed, when it came back with errors.
    pub url: &'a str,
    pub errors: &'a Errors,
}

pub fn page(staff: &CurrentStaff, p: &PartnerPage) -> Markup {
    let base = format!("/admin/partners/{}", p.partner.key);
    let title = match p.errors.is_empty() {
        true => format!("Partner {}", p.partner.name),
        false => format!("Error: Partner {}", p.partner.name),
    };
    layout::page(
        &title,
        staff,
        html! {
            p { a href="/admin/partners" { "All partners" } }
            h1 { (p.partner.name) " " code { (p.partner.key) } }
            @if let Some((what, value)) = p.shown_once {
                div.notice role="status" {
                    p { strong { "Copy the " (what) " now: it is shown this once." } }
                    pre.snippet { code { (value) } }
                }
            }
            (fields::error_summary(p.errors))
            h2 { "API tokens" }
            p { "A token lets the partner's CRM read this Clarion through the OSDI API at " code { "/api/osdi/v1/" } ", sent in the " code { "OSDI-API-Token" } " header. It reads only signatures made through this partner whose signers chose to share with it." }
            (tokens(staff, &base, p.tokens))
            form method="post" action=(format!("{base}/tokens")) {
                (fields::csrf(&staff.csrf))
                fieldset {
                    legend { "Scopes of a new token" }
                    @for scope in Scope::ALL {
                        div.field.checkbox {
                            input id=(format!("scope-{scope}")) type="checkbox" name="scope" value=(scope.as_str());
                            label for=(format!("scope-{scope}")) { code { (scope.as_str()) } " " (scope_help(scope)) }
                        }
                    }
                }
                button.button type="submit" { "Make a token" }
            }
            h2 { "Webhooks" }
            p { "Clarion posts each chosen event to the endpoint, signed as the Standard Webhooks specification says, and tries again on its schedule for a day. An endpoint that answers 410 is disabled." }
            @for (endpoint, deliveries) in p.endpoints {
                (endpoint_section(staff, &base, endpoint, deliveries))
            }
            h3 { "Add an endpoint" }
            form method="post" action=(format!("{base}/webhooks")) {
                (fields::csrf(&staff.csrf))
                (fields::kind("url", "URL", p.url, "url", Some("https://… on the partner's server."), p.errors))
                fieldset {
                    legend { "Events" }
                    @for event in EVENTS {
                        div.field.checkbox {
                            input id=(format!("event-{event}")) type="checkbox" name="event" value=(event);
                            label for=(format!("event-{event}")) { code { (event) } }
                        }
                    }
                }
                button.button type="submit" { "Add the endpoint" }
            }
        },
    )
}

fn scope_help(scope: Scope) -> &'static str {
    match scope {
        Scope::ReadCounts => "petitions and their counts",
        Scope::ReadSignatures => "also the partner's shared signatures",
        Scope::WriteSignatures => "record signatures (each confirmed by email)",
    }
}

fn tokens(staff: &CurrentStaff, base: &str, tokens: &[Token]) -> Markup {
    html! {
        @if tokens.is_empty() { p { "No tokens yet." } } @else {
            div.table-scroll role="region" aria-label="API tokens" tabindex="0" {
                table.data.tokens {
                    caption.visually-hidden { "API tokens" }
                    thead { tr { th scope="col" { "Made" } th scope="col" { "Scopes" } th scope="col" { "Last used" } th scope="col" { "State" } } }
                    tbody {
                        @for t in tokens {
                            tr {
                                td { (fields::when(t.created_at)) }
                                td { code { (t.scopes) } }
                                td { @if let Some(at) = t.last_used_at { (fields::when(at)) } @else { "never" } }
                                td {
                                    @if let Some(at) = t.revoked_at { "revoked " (fields::when(at)) } @else {
                                        form method="post" action=(format!("{base}/tokens/{}/revoke", t.id)) {
                                            (fields::csrf(&staff.csrf))
                                            button.button.secondary type="submit" { "Revoke" }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn endpoint_section(
    staff: &CurrentStaff,
    base: &str,
    endpoint: &Endpoint,
    deliveries: &[Delivery],
) -> Markup {
    let own = format!("{base}/webhooks/{}", endpoint.id);
    html! {
        section.endpoint {
            h3 { code { (endpoint.url) } }
            p { "Events: " code { (endpoint.events) } }
            @if let Some(at) = endpoint.disabled_at {
                p.error { "Disabled " (fields::when(at)) ": " (endpoint.disabled_reason) }
            } @else {
                form method="post" action=(format!("{own}/test")) {
                    (fields::csrf(&staff.csrf))
                    button.button.secondary type="submit" { "Send a test" }
                }
            }
            @if deliveries.is_empty() { p { "Nothing sent yet." } } @else {
                div.table-scroll role="region" aria-label="Latest deliveries" tabindex="0" {
                    table.data.deliveries {
                        caption { "Latest deliveries" }
                        thead { tr { th scope="col" { "Queued" } th scope="col" { "Event" } th scope="col" { "State" } th scope="col" { "Tries" } th scope="col" { "Last answer" } } }
                        tbody {
                            @for d in deliveries {
                                tr {
                                    td { (fields::when(d.created_at)) }
                                    td { code { (d.event) } }
                                    td {
                                        (d.status)
                                        @if d.status == FAILED && endpoint.disabled_at.is_none() {
                                            form method="post" action=(format!("{own}/deliveries/{}/replay", d.id)) {
                                                (fields::csrf(&staff.csrf))
                                                button.button.secondary type="submit" { "Send again" }
                                            }
                                        }
                                    }
                                    td { (d.attempts) }
                                    td {
                                        @if let Some(status) = d.last_status { (status) " " }
                                        (d.last_error)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
