//! The sign form, the same on the petition page and in an article's petition card: labels
//! above fields, hints, autocomplete, an error summary that links to each field, each
//! message beside its field, and the values kept after an error.

use maud::{html, Markup};

use crate::domain::newsletter::mailing_ref;
use crate::domain::signature::{FieldErrors, SignForm};
use crate::i18n::{self, href, t, t_with, Msg};

/// Everything the form shows: where it posts, what was typed, what was wrong.
pub struct SignFormView<'a> {
    pub petition_slug: &'a str,
    pub token: &'a str,
    pub values: &'a SignForm,
    pub errors: &'a FieldErrors,
    /// The article whose card holds the form, recorded as the signature's source.
    pub source: Option<&'a str>,
    /// Makes field ids unique when a page holds more than one form.
    pub id_prefix: &'a str,
    /// A message about the whole form (e.g. "try again in N seconds").
    pub notice: Option<&'a str>,
    /// The email as it was likely meant ("did you mean …?"), asked once before sending.
    pub suggestion: Option<&'a str>,
    /// The registered partner named by `values.partner`: its name, for the choice to
    /// share with it.
    pub partner: Option<&'a str>,
}

impl SignFormView<'_> {
    fn id(&self, field: &str) -> String {
        format!("{}{field}", self.id_prefix)
    }

    fn error(&self, field: &str) -> Option<&'static str> {
        self.errors
            .iter()
            .find(|(name, _)| *name == field)
            .map(|(_, e)| t(e.0))
    }
}

/// "There is a problem" and one link per error, placed above the form.
pub fn error_summary(form: &SignFormView) -> Markup {
    html! {
        @if let Some(notice) = form.notice { (notice_box(notice)) }
        (error_summary_of(form.errors, form.id_prefix))
    }
}

/// A message about a whole form, announced to screen readers.
pub fn notice_box(text: &str) -> Markup {
    html! {
        div.notice role="alert" tabindex="-1" {
            h2 { (t(Msg::RateLimitedTitle)) }
            p { (text) }
        }
    }
}

/// The error summary of any public form whose field ids are `id_prefix` + field name.
pub fn error_summary_of(errors: &FieldErrors, id_prefix: &str) -> Markup {
    html! {
        @if !errors.is_empty() {
            div.error-summary role="alert" aria-labelledby="error-summary-title" tabindex="-1" {
                h2 #error-summary-title { (t(Msg::ErrorSummaryTitle)) }
                ul {
                    @for (field, error) in errors {
                        li { a href={ "#" (id_prefix) (field) } { (t(error.0)) } }
                    }
                }
            }
        }
    }
}

fn text_field(
    form: &SignFormView,
    name: &str,
    label: Msg,
    value: &str,
    kind: &str,
    autocomplete: &str,
    optional: bool,
) -> Markup {
    let id = form.id(name);
    let error = form.error(name);
    html! {
        div.field.field-error[error.is_some()] {
            label for=(id) { (t(label)) @if optional { " " span.hint-inline { (t(Msg::Optional)) } } }
            @if name == "email" { p.hint #{ (id) "-hint" } { (t(Msg::EmailHint)) } }
            @if let Some(message) = error { p.error-message #{ (id) "-error" } { (t(Msg::ErrorPrefix)) (message) } }
            input #(id) name=(name) type=(kind) value=(value) autocomplete=(autocomplete)
                required[!optional] aria-invalid=[error.map(|_| "true")]
                aria-describedby=[error.map(|_| format!("{id}-error"))];
        }
    }
}

/// "Did you mean …?" inside a form, just before its email field: the button's value is
/// then the first `email` sent, and `email_checked` lets the form through either way.
pub fn email_question(id: &str, suggested: &str) -> Markup {
    html! {
        div.notice.suggestion #(id) {
            p { (t_with(Msg::DidYouMean, &[("email", suggested)])) }
            button.button type="submit" name="email" value=(suggested) { (t_with(Msg::UseSuggested, &[("email", suggested)])) }
            p.hint { (t(Msg::KeepTyped)) }
        }
        input type="hidden" name="email_checked" value="1";
    }
}

/// The same question announced at the top of a long page, linking down to it.
pub fn email_question_above(id: &str, suggested: &str) -> Markup {
    html! {
        div.notice role="status" {
            p { a href={ "#" (id) } { (t_with(Msg::DidYouMean, &[("email", suggested)])) } }
        }
    }
}

pub fn sign_form(form: &SignFormView) -> Markup {
    let v = form.values;
    let country_id = form.id("country");
    let comment_id = form.id("comment");
    let consent_id = form.id("consent_updates");
    html! {
        form.sign-form method="post" action={ (href("/petitions/")) (form.petition_slug) "/sign" } novalidate {
            input type="hidden" name="token" value=(form.token);
            @if let Some(source) = form.source { input type="hidden" name="source" value=(source); }
            @if let Some(m) = mailing_ref(&v.mailing) { input type="hidden" name="mailing" value=(m); }
            (partner_fields(form.partner.map(|_| v.partner.as_str()), &v.utm))
            @if v.embed { input type="hidden" name="embed" value="1"; }
            (text_field(form, "first_name", Msg::FirstName, &v.first_name, "text", "given-name", false))
            (text_field(form, "last_name", Msg::LastName, &v.last_name, "text", "family-name", false))
            @if let Some(suggested) = form.suggestion { (email_question(&form.id("email-suggestion"), suggested)) }
            (text_field(form, "email", Msg::EmailAddress, &v.email, "email", "email", false))
            div.field.field-error[form.error("country").is_some()] {
                label for=(country_id) { (t(Msg::CountryLabel)) }
                @if let Some(message) = form.error("country") { p.error-message #{ (country_id) "-error" } { (t(Msg::ErrorPrefix)) (message) } }
                select #(country_id) name="country" autocomplete="country" required {
                    option value="" { (t(Msg::ChooseCountry)) }
                    @for (code, name) in i18n::country_names(i18n::current()).sorted() {
                        option value=(code) selected[v.country.eq_ignore_ascii_case(code)] { (name) }
                    }
                }
            }
            // A petition has no targets to find by postcode: asked for no more, but a
            // postcode sent (or refused) is shown, so that nothing typed is lost.
            @if !v.postcode.is_empty() || form.error("postcode").is_some() {
                (text_field(form, "postcode", Msg::PostcodeLabel, &v.postcode, "text", "postal-code", true))
            }
            div.field.field-error[form.error("comment").is_some()] {
                label for=(comment_id) { (t(Msg::CommentLabel)) " " span.hint-inline { (t(Msg::Optional)) } }
                p.hint { (t(Msg::CommentHint)) }
                @if let Some(message) = form.error("comment") { p.error-message #{ (comment_id) "-error" } { (t(Msg::ErrorPrefix)) (message) } }
                textarea #(comment_id) name="comment" rows="3" maxlength="500" { (v.comment) }
            }
            div.field.checkbox {
                input #(consent_id) type="checkbox" name="consent_updates" value="1" checked[v.consent_updates];
                label for=(consent_id) { (crate::organisation::newsletter_box()) }
            }
            (partner_choice(&form.id("consent_partner"), form.partner, v.consent_partner))
            div.field.checkbox {
                input #(form.id("show_publicly")) type="checkbox" name="show_publicly" value="1" checked[v.show_publicly];
                label for=(form.id("show_publicly")) { (t(Msg::ShowPublicly)) }
            }
            // The honeypot: hidden from view and from assistive technology, never focused.
            div.hp aria-hidden="true" {
                label for=(form.id("website")) { (t(Msg::HoneypotLabel)) }
                input #(form.id("website")) type="text" name="website" value="" tabindex="-1" autocomplete="off";
            }
            p.hint.privacy-note {
                (t(Msg::PrivacyNote)) " "
                (t_with(Msg::SignFormKept, &[("period", &i18n::period_in(i18n::current(), crate::organisation::retention().signatures))]))
                " " a href=(href("/privacy")) { (t(Msg::PrivacyLink)) }
            }
            button.button type="submit" { (t(Msg::SignButton)) }
            (super::layout::controller_line())
        }
    }
}

/// The hidden fields a form carries from a partner's link: its key (only a registered
/// one) and the page's `utm_*` values.
pub fn partner_fields(key: Option<&str>, utm: &[String; 3]) -> Markup {
    html! {
        @if let Some(key) = key { input type="hidden" name="partner" value=(key); }
        @for (name, value) in ["utm_source", "utm_medium", "utm_campaign"].iter().zip(utm) {
            @if !value.is_empty() { input type="hidden" name=(name) value=(value); }
        }
    }
}

/// The separate, never pre-ticked choice to share one's details with the registered
/// `partner` (nothing without one).
pub fn partner_choice(id: &str, partner: Option<&str>, checked: bool) -> Markup {
    html! {
        @if let Some(partner) = partner {
            div.field.checkbox {
                input #(id) type="checkbox" name="consent_partner" value="1" checked[checked];
                label for=(id) { (t_with(Msg::ConsentPartner, &[("partner", partner)])) }
            }
        }
    }
}
