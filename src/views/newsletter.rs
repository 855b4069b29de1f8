//! The newsletter's public pages: the join form (also on the home page and under each
//! article), "check your email", the confirmation button, and leaving.

use maud::{html, Markup};

use super::layout;
use super::sign_form::{error_summary_of, notice_box};
use crate::domain::newsletter::JoinForm;
use crate::domain::signature::FieldErrors;
use crate::i18n::{self, href, t, t_with, Msg};

/// What the join form shows.
pub struct JoinView<'a> {
    pub token: &'a str,
    pub values: &'a JoinForm,
    pub errors: &'a FieldErrors,
    /// Where the form is (`home`, an article's slug; empty on `/newsletter`).
    pub source: &'a str,
    /// A message about the whole form (e.g. "try again in N seconds").
    pub notice: Option<&'a str>,
}

/// The consent wording shown beside the form and stored with the subscription.
pub fn consent_text() -> String {
    let organisation = crate::organisation::current();
    t_with(
        Msg::NewsletterConsent,
        &[("organisation", organisation.display_name())],
    )
}

fn field(view: &JoinView, name: &'static str, label: Msg, value: &str, kind: &str) -> Markup {
    let id = format!("newsletter-{name}");
    let error = view
        .errors
        .iter()
        .find(|(field, _)| *field == name)
        .map(|(_, e)| t(e.0));
    let autocomplete = if name == "email" {
        "email"
    } else {
        "given-name"
    };
    html! {
        div.field.field-error[error.is_some()] {
            label for=(id) { (t(label)) }
            @if let Some(message) = error { p.error-message #{ (id) "-error" } { (t(Msg::ErrorPrefix)) (message) } }
            input #(id) name=(name) type=(kind) value=(value) autocomplete=(autocomplete) required
                aria-invalid=[error.map(|_| "true")] aria-describedby=[error.map(|_| format!("{id}-error"))];
        }
    }
}

/// The join form, as a section with its own heading.
pub fn join_form(view: &JoinView) -> Markup {
    let v = view.values;
    let organisation = crate::organisation::current();
    let country_error = view.errors.iter().find(|(f, _)| *f == "country");
    html! {
        section.newsletter aria-labelledby="newsletter-heading" {
            h2 #newsletter-heading { (t(Msg::NewsletterHeading)) }
            p { (t_with(Msg::NewsletterIntro, &[("organisation", organisation.display_name())])) }
            @if let Some(notice) = view.notice { (notice_box(notice)) }
            (error_summary_of(view.errors, "newsletter-"))
            form.newsletter-form method="post" action=(href("/newsletter")) novalidate {
                input type="hidden" name="token" value=(view.token);
                @if !view.source.is_empty() { input type="hidden" name="source" value=(view.source); }
                (field(view, "email", Msg::EmailAddress, &v.email, "email"))
                (field(view, "first_name", Msg::FirstName, &v.first_name, "text"))
                div.field.field-error[country_error.is_some()] {
                    label for="newsletter-country" { (t(Msg::CountryLabel)) }
                    @if let Some((_, e)) = country_error { p.error-message #newsletter-country-error { (t(Msg::ErrorPrefix)) (t(e.0)) } }
                    select #newsletter-country name="country" autocomplete="country" required {
                        option value="" { (t(Msg::ChooseCountry)) }
                        @for (code, name) in i18n::country_names(i18n::current()).sorted() {
                            option value=(code) selected[v.country.eq_ignore_ascii_case(code)] { (name) }
                        }
                    }
                }
                p.hint { (consent_text()) }
                div.hp aria-hidden="true" {
                    label for="newsletter-website" { (t(Msg::HoneypotLabel)) }
                    input #newsletter-website type="text" name="website" value="" tabindex="-1" autocomplete="off";
                }
                button.button type="submit" { (t(Msg::NewsletterButton)) }
            }
        }
    }
}

/// `/newsletter`: the form alone.
pub fn page(view: &JoinView) -> Markup {
    let title = match view.errors.is_empty() {
        true => t(Msg::NewsletterHeading).to_string(),
        false => format!("{}{}", t(Msg::ErrorPrefix), t(Msg::NewsletterHeading)),
    };
    layout::page(&title, join_form(view))
}

pub fn check_email() -> Markup {
    layout::page(
        t(Msg::CheckEmailTitle),
        html! {
            h1 { (t(Msg::CheckEmailTitle)) }
            p { (t(Msg::NewsletterCheckBody)) }
            p { (t(Msg::NewsletterCheckNothing)) }
        },
    )
}

/// A page with a heading, a line and, when `button` is given, one button posting to its
/// action (confirming and unsubscribing both wait for a press: mail scanners open links).
fn one_step(title: Msg, body: &str, button: Option<(&str, Msg)>) -> Markup {
    layout::page(
        t(title),
        html! {
            h1 { (t(title)) }
            p { (body) }
            @if let Some((action, label)) = button {
                form method="post" action=(action) {
                    button.button type="submit" { (t(label)) }
                }
            }
        },
    )
}

pub fn confirm(action: &str) -> Markup {
    let organisation = crate::organisation::current();
    let body = t_with(
        Msg::NewsletterConfirmBody,
        &[("organisation", organisation.display_name())],
    );
    let button = Some((action, Msg::NewsletterConfirmButton));
    one_step(Msg::NewsletterConfirmTitle, &body, button)
}

pub fn subscribed() -> Markup {
    one_step(
        Msg::NewsletterThanksTitle,
        t(Msg::NewsletterThanksBody),
        None,
    )
}

pub fn link_problem() -> Markup {
    one_step(Msg::LinkUnknownTitle, t(Msg::NewsletterLinkBody), None)
}

pub fn unsubscribe(action: &str) -> Markup {
    let organisation = crate::organisation::current();
    let body = t_with(
        Msg::UnsubscribeBody,
        &[("organisation", organisation.display_name())],
    );
    one_step(
        Msg::UnsubscribeTitle,
        &body,
        Some((action, Msg::UnsubscribeButton)),
    )
}

pub fn unsubscribed() -> Markup {
    one_step(Msg::UnsubscribedTitle, t(Msg::UnsubscribedBody), None)
}
