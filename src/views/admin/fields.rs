//! Staff form fields: a label above, an optional hint, the error beside the field, the
//! typed value kept. Each field's id is its name.

use maud::{html, Markup};

/// Field errors of a staff form, by field name.
pub type Errors = Vec<(&'static str, String)>;

pub fn error_of<'a>(errors: &'a Errors, name: &str) -> Option<&'a str> {
    errors
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, m)| m.as_str())
}

pub fn error_summary(errors: &Errors) -> Markup {
    html! {
        @if !errors.is_empty() {
            div.error-summary role="alert" aria-labelledby="error-summary-title" tabindex="-1" {
                h2 #error-summary-title { "There is a problem" }
                ul { @for (field, message) in errors { li { a href={ "#" (field) } { (message) } } } }
            }
        }
    }
}

pub fn csrf(token: &str) -> Markup {
    html! { input type="hidden" name="csrf" value=(token); }
}

fn wrap(name: &str, label: &str, hint: Option<&str>, errors: &Errors, control: Markup) -> Markup {
    let error = error_of(errors, name);
    html! {
        div.field.field-error[error.is_some()] {
            label for=(name) { (label) }
            @if let Some(hint) = hint { p.hint { (hint) } }
            @if let Some(message) = error { p.error-message #{ (name) "-error" } { "Error: " (message) } }
            (control)
        }
    }
}

pub fn text(name: &str, label: &str, value: &str, hint: Option<&str>, errors: &Errors) -> Markup {
    let invalid = error_of(errors, name).map(|_| "true");
    wrap(
        name,
        label,
        hint,
        errors,
        html! {
            input #(name) type="text" name=(name) value=(value) aria-invalid=[invalid];
        },
    )
}

pub fn kind(
    name: &str,
    label: &str,
    value: &str,
    input_type: &str,
    hint: Option<&str>,
    errors: &Errors,
) -> Markup {
    let invalid = error_of(errors, name).map(|_| "true");
    wrap(
        name,
        label,
        hint,
        errors,
        html! {
            input #(name) type=(input_type) name=(name) value=(value) aria-invalid=[invalid];
        },
    )
}

pub fn textarea(
    name: &str,
    label: &str,
    value: &str,
    rows: u32,
    hint: Option<&str>,
    errors: &Errors,
) -> Markup {
    let invalid = error_of(errors, name).map(|_| "true");
    wrap(
        name,
        label,
        hint,
        errors,
        html! {
            textarea #(name) name=(name) rows=(rows) aria-invalid=[invalid] { (value) }
        },
    )
}

pub fn select(
    name: &str,
    label: &str,
    options: &[(String, String)],
    selected: &str,
    errors: &Errors,
) -> Markup {
    wrap(
        name,
        label,
        None,
        errors,
        html! {
            select #(name) name=(name) {
                @for (value, text) in options {
                    option value=(value) selected[value == selected] { (text) }
                }
            }
        },
    )
}

/// Options from (value, label) string pairs.
pub fn options(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(v, l)| (v.to_string(), l.to_string()))
        .collect()
}

/// A moment in a staff table: readable ("28 Nov 2026, 13:26", UTC as the column says),
/// with the exact instant in the `datetime` attribute.
pub fn when(at: chrono::NaiveDateTime) -> Markup {
    html! { time datetime=(crate::export::rfc3339(at)) { (at.format("%-d %b %Y, %H:%M")) } }
}

/// Links to the French and Khmer translations of what the form edits.
pub fn translation_links(kind: &str, id: &str) -> Markup {
    html! {
        p.translation-links {
            "Translations: "
            a href={ "/admin/translations/" (kind) "/" (id) "/fr" } lang="fr" { "Français" }
            " · "
            a href={ "/admin/translations/" (kind) "/" (id) "/km" } lang="km" { "ខ្មែរ" }
        }
    }
}
