//! Updates to supporters on an action's admin page: those posted (when, what, in which
//! languages, how their emails stand) and the form to post one.

use maud::{html, Markup};

use super::fields::{self, Errors};
use super::layout;
use crate::db::updates::{Update, UpdateText};
use crate::domain::staff::CurrentStaff;
use crate::domain::status::OutboxStatus;
use crate::i18n::Lang;

/// What the form holds: typed values, or the defaults.
#[derive(Debug, Clone)]
pub struct UpdateValues {
    pub kind: String,
    pub texts: Vec<(Lang, UpdateText)>,
    pub email: bool,
}

impl Default for UpdateValues {
    fn default() -> Self {
        Self {
            kind: "update".into(),
            texts: Vec::new(),
            email: true,
        }
    }
}

/// An update as staff see it: its texts and its emails by outbox status.
pub struct Posted {
    pub update: Update,
    pub texts: Vec<(Lang, UpdateText)>,
    pub results: Vec<(OutboxStatus, i64)>,
}

/// The section of the action's admin page.
pub struct Panel<'a> {
    pub action_id: &'a str,
    pub petition: bool,
    /// Addresses that would receive an update emailed now.
    pub readers: usize,
    pub posted: &'a [Posted],
    pub values: &'a UpdateValues,
    pub errors: &'a Errors,
}

fn emails(p: &Posted) -> String {
    if !p.update.emailed {
        return "Not emailed".into();
    }
    let of = |s: OutboxStatus| {
        p.results
            .iter()
            .filter(|(status, _)| *status == s)
            .map(|(_, n)| n)
            .sum::<i64>()
    };
    let waiting = of(OutboxStatus::Pending) + of(OutboxStatus::Sending);
    format!(
        "{} queued: {} sent, {} waiting, {} not sent",
        p.update.recipients,
        of(OutboxStatus::Sent),
        waiting,
        of(OutboxStatus::Failed)
    )
}

fn text_of(texts: &[(Lang, UpdateText)], lang: Lang) -> UpdateText {
    texts
        .iter()
        .find(|(l, _)| *l == lang)
        .map(|(_, t)| t.clone())
        .unwrap_or_default()
}

pub fn panel(staff: &CurrentStaff, panel: &Panel) -> Markup {
    let (v, e) = (panel.values, panel.errors);
    let delivered = if panel.petition {
        "Delivered: attaches the signature list's digest and rows, as the report shows them now"
    } else {
        "Delivered: the letters reached their recipients"
    };
    let kinds = [("update", "An update"), ("delivered", delivered)];
    let kinds = fields::options(&kinds);
    let email_label = format!(
        "Email it to the {} supporters who asked for news of this action (each address once, in the language they used)",
        panel.readers
    );
    html! {
        section #updates aria-labelledby="updates-heading" {
            h2 #updates-heading { "Updates to supporters" }
            p { "Shown on the action's page, newest first; emailed through the mailings' worker (paced, with a one-click way out of this action's news)." }
            @if panel.posted.is_empty() {
                p { "No update yet." }
            } @else {
                table.updates {
                    thead { tr { th { "Published (UTC)" } th { "Kind" } th { "Title" } th { "Languages" } th { "Emails" } } }
                    tbody {
                        @for p in panel.posted {
                            tr {
                                td { (fields::when(p.update.published_at)) }
                                td { (p.update.kind) }
                                td { (text_of(&p.texts, Lang::En).title) }
                                td { (p.texts.iter().map(|(l, _)| l.code()).collect::<Vec<_>>().join(", ")) }
                                td.emails { (emails(p)) }
                            }
                        }
                    }
                }
            }
            h3 { "Post an update" }
            (fields::error_summary(e))
            form method="post" action={ "/admin/actions/" (panel.action_id) "/updates" } {
                (fields::csrf(&staff.csrf))
                (fields::select("kind", "Kind", &kinds, &v.kind, e))
                @for (lang, name) in [(Lang::En, "English"), (Lang::Fr, "French"), (Lang::Km, "Khmer")] {
                    @let text = text_of(&v.texts, lang);
                    @let (title, body) = field_names(lang);
                    @let hint = (lang != Lang::En).then_some("Optional: without it, readers in this language get the English.");
                    (fields::text(title, &format!("Title ({name})"), &text.title, hint, e))
                    (fields::textarea(body, &format!("Text ({name}, Markdown)"), &text.body_md, 6, None, e))
                }
                div.field.checkbox {
                    input #email type="checkbox" name="email" value="1" checked[v.email];
                    label for="email" { (email_label) }
                }
                button.button type="submit" { "Publish the update" }
            }
        }
    }
}

/// The form's field names for `lang`'s title and text.
pub fn field_names(lang: Lang) -> (&'static str, &'static str) {
    match lang {
        Lang::En => ("title_en", "body_en"),
        Lang::Fr => ("title_fr", "body_fr"),
        Lang::Km => ("title_km", "body_km"),
    }
}

/// The panel on a page of its own: what a refused form answers with.
pub fn page(staff: &CurrentStaff, action_title: &str, panel_view: &Panel) -> Markup {
    let title = format!("Error: Updates of {action_title}");
    layout::page(
        &title,
        staff,
        html! {
            h1 { "Updates of " (action_title) }
            p { a href={ "/admin/actions/" (panel_view.action_id) } { "Back to the action" } }
            (panel(staff, panel_view))
        },
    )
}
