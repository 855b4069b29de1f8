//! The translation form: each field's original beside a box for its translation.

use maud::{html, Markup};

use super::{fields, layout};
use crate::domain::staff::CurrentStaff;
use crate::i18n::Lang;

pub struct TranslationView<'a> {
    /// (kind, id, title) of what is translated.
    pub subject: (&'a str, &'a str, &'a str),
    pub lang: Lang,
    /// The original fields, (name, text).
    pub fields: &'a [(&'static str, String)],
    /// The translation of each field, as stored or as typed.
    pub typed: &'a [String],
    pub errors: &'a [(&'static str, String)],
    /// It came with the demo, written by Clarion's developers.
    pub demo: bool,
}

fn label(field: &str) -> &'static str {
    match field {
        "title" => "Title",
        "standfirst" => "Standfirst",
        "summary" => "Summary",
        "addressee" => "Addressed to",
        "body_md" => "Text (Markdown)",
        "subject_template" => "Subject template",
        "body_template" => "Letter template",
        _ => "Field",
    }
}

pub fn page(staff: &CurrentStaff, view: &TranslationView) -> Markup {
    let (kind, id, title) = view.subject;
    let lang = view.lang;
    let errors: fields::Errors = view.errors.to_vec();
    let action = format!("/admin/translations/{kind}/{id}/{}", lang.code());
    let other = Lang::ALL
        .into_iter()
        .find(|l| *l != lang && *l != Lang::En)
        .unwrap_or(lang);
    let heading = format!(
        "{} translation: {title}",
        if lang == Lang::Fr { "French" } else { "Khmer" }
    );
    layout::page(
        &heading,
        staff,
        html! {
            p { a href={ "/admin/translations/" (kind) "/" (id) "/" (other.code()) } { "Edit the " (other.own_name()) " translation instead" } }
            h1 { (heading) }
            (fields::error_summary(&errors))
            @if view.demo {
                p.notice { "Demo translation: written by Clarion's developers for the demo campaign, not by your organisation. Check it before relying on it." }
            }
            p { "Leave a box empty where there is no translation yet: pages in " (lang.own_name())
                " then show the original there, marked as English and with a line saying it is not translated." }
            form.translation method="post" action=(action) {
                (fields::csrf(&staff.csrf))
                @for ((field, original), typed) in view.fields.iter().zip(view.typed) {
                    div.side-by-side {
                        div.original lang="en" {
                            p.label { (label(field)) " (original)" }
                            div.original-text { (original) }
                        }
                        div lang=(lang.code()) {
                            (fields::textarea(field, &format!("{} ({})", label(field), lang.own_name()), typed,
                                if field.ends_with("md") || field.ends_with("template") { 10 } else { 2 }, None, &errors))
                        }
                    }
                }
                button.button type="submit" { "Save the translation" }
            }
        },
    )
}
