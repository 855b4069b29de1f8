//! Staff pages for mailings: the list with the form that starts one, and a mailing's
//! page (texts per language, test, audience, send, pause, resume, cancel, results).

use maud::{html, Markup};

use super::fields::{self, Errors};
use super::layout;
use crate::db::articles::Article;
use crate::db::mailings::{Brought, Mailing, MailingText};
use crate::domain::staff::CurrentStaff;
use crate::domain::status::OutboxStatus;
use crate::i18n::Lang;

pub fn list(staff: &CurrentStaff, mailings: &[Mailing], articles: &[Article]) -> Markup {
    let choices: Vec<(String, String)> = articles
        .iter()
        .map(|a| (a.slug.clone(), a.title.clone()))
        .collect();
    layout::page(
        "Mailings",
        staff,
        html! {
            h1 { "Mailings" }
            p { "Send a published article to the newsletter's subscribers, each in their language." }
            form method="post" action="/admin/mailings" {
                (fields::csrf(&staff.csrf))
                (fields::select("article", "Article to send", &choices, "", &Errors::new()))
                button.button type="submit" { "Create a mailing" }
            }
            @if mailings.is_empty() { p { "No mailings yet." } } @else {
                table.data {
                    caption.visually-hidden { "Mailings" }
                    thead { tr { th scope="col" { "Created (UTC)" } th scope="col" { "Status" } th scope="col" { "Recipients" } } }
                    tbody { @for m in mailings { tr {
                        th scope="row" { a href={ "/admin/mailings/" (m.id) } { (fields::when(m.created_at)) } }
                        td { (m.status) }
                        td { (m.recipients) }
                    } } }
                }
            }
        },
    )
}

pub fn no_article(staff: &CurrentStaff) -> Markup {
    let errors: Errors = vec![("article", "Choose a published article".to_string())];
    layout::page(
        "Error: Mailings",
        staff,
        html! {
            h1 { "Mailings" }
            (fields::error_summary(&errors))
            p { a href="/admin/mailings" { "Back to mailings" } }
        },
    )
}

/// A mailing as its page shows it.
pub struct MailingView {
    pub mailing: Mailing,
    pub article_title: String,
    pub texts: Vec<(Lang, MailingText)>,
    /// Subscribed addresses by (language, country).
    pub audience: Vec<(String, String, i64)>,
    pub results: Vec<(OutboxStatus, i64)>,
    /// Subscribers who unsubscribed through it, or bounced on it, by status.
    pub left: Vec<(String, i64)>,
    /// Signatures and letters that came through its links, by status.
    pub brought: Brought,
}

fn texts_form(view: &MailingView, staff: &CurrentStaff, errors: &Errors) -> Markup {
    let id = &view.mailing.id;
    let editable = matches!(view.mailing.status.as_str(), "draft" | "scheduled");
    html! {
        h2 { "What it says" }
        p { "Each subscriber gets the subject and introduction in their language; where one is empty, the English. The email then gives the article's title and standfirst in their language, a link to read it, and a link for each open action." }
        form method="post" action={ "/admin/mailings/" (id) } {
            (fields::csrf(&staff.csrf))
            @for lang in Lang::ALL {
                @let text = view.texts.iter().find(|(l, _)| *l == lang).map(|(_, t)| t.clone()).unwrap_or_default();
                fieldset lang=(lang.code()) {
                    legend { (lang.own_name()) }
                    (fields::text(subject_field(lang), "Subject", &text.subject, None, errors))
                    (fields::textarea(intro_field(lang), "Introduction", &text.intro, 3, None, errors))
                }
            }
            @if editable { button.button type="submit" { "Save the texts" } }
        }
    }
}

fn subject_field(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "subject_en",
        Lang::Fr => "subject_fr",
        Lang::Km => "subject_km",
    }
}

fn intro_field(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "intro_en",
        Lang::Fr => "intro_fr",
        Lang::Km => "intro_km",
    }
}

fn audience(view: &MailingView) -> Markup {
    let total: i64 = view.audience.iter().map(|(_, _, n)| n).sum();
    html! {
        h2 { "Who would receive it now" }
        p.count { (total) " subscribed addresses" }
        @if !view.audience.is_empty() {
            table.data {
                caption.visually-hidden { "Subscribers by language and country" }
                thead { tr { th scope="col" { "Language" } th scope="col" { "Country" } th scope="col" { "Subscribers" } } }
                tbody { @for (lang, country, n) in &view.audience { tr {
                    td { (lang) } td { (country) } td { (n) }
                } } }
            }
        }
    }
}

fn button(staff: &CurrentStaff, action: &str, label: &str) -> Markup {
    html! {
        form.inline method="post" action=(action) {
            (fields::csrf(&staff.csrf))
            button.button type="submit" { (label) }
        }
    }
}

fn sending(view: &MailingView, staff: &CurrentStaff, errors: &Errors) -> Markup {
    let (id, status) = (&view.mailing.id, view.mailing.status.as_str());
    let languages: Vec<(String, String)> = Lang::ALL
        .iter()
        .map(|l| (l.code().to_string(), l.own_name().to_string()))
        .collect();
    html! {
        h2 { "Test" }
        form method="post" action={ "/admin/mailings/" (id) "/test" } {
            (fields::csrf(&staff.csrf))
            (fields::select("language", "Language of the test", &languages, "en", errors))
            button.button type="submit" { "Send a test to " (staff.email) }
        }
        h2 { "Send" }
        p { "Status: " strong { (status) }
            @if let Some(at) = view.mailing.send_at { " (set for " (fields::when(at)) " UTC)" } }
        @if matches!(status, "draft" | "scheduled") {
            form method="post" action={ "/admin/mailings/" (id) "/send" } {
                (fields::csrf(&staff.csrf))
                (fields::kind("send_at", "Send at (UTC)", "", "datetime-local", Some("Empty: now."), errors))
                button.button type="submit" { "Send" }
            }
        }
        @if status == "sending" { (button(staff, &format!("/admin/mailings/{id}/pause"), "Pause")) }
        @if status == "paused" { (button(staff, &format!("/admin/mailings/{id}/resume"), "Resume")) }
        @if matches!(status, "draft" | "scheduled" | "sending" | "paused") {
            (button(staff, &format!("/admin/mailings/{id}/cancel"), "Cancel the mailing"))
        }
    }
}

fn left(view: &MailingView, status: &str) -> i64 {
    view.left
        .iter()
        .find(|(s, _)| s == status)
        .map_or(0, |(_, n)| *n)
}

/// "12 confirmed, 3 pending, 1 held": the counts that are not zero, or "None".
fn brought(by_status: &[(String, i64)]) -> String {
    let shown: Vec<String> = ["confirmed", "pending", "held", "invalidated"]
        .iter()
        .filter_map(|s| {
            let n = by_status.iter().find(|(t, _)| t == s)?.1;
            Some(format!("{n} {s}"))
        })
        .collect();
    match shown.is_empty() {
        true => "None".to_string(),
        false => shown.join(", "),
    }
}

fn results(view: &MailingView) -> Markup {
    let count = |s: OutboxStatus| {
        view.results
            .iter()
            .find(|(r, _)| *r == s)
            .map_or(0, |(_, n)| *n)
    };
    html! {
        h2 { "Results" }
        dl.results {
            dt { "Recipients" } dd { (view.mailing.recipients) }
            dt { "Sent" } dd { (count(OutboxStatus::Sent)) }
            dt { "Waiting" } dd { (count(OutboxStatus::Pending) + count(OutboxStatus::Sending)) }
            dt { "Not sent (left, bounced, cancelled or failed)" } dd { (count(OutboxStatus::Failed)) }
            dt { "Unsubscribed through it" } dd { (left(view, "unsubscribed")) }
            dt { "Bounced" } dd { (left(view, "bounced")) }
            dt { "Signatures through its links" } dd { (brought(&view.brought.signatures)) }
            dt { "Letters through its links" } dd { (brought(&view.brought.letters)) }
        }
        p.hint { "No opens or clicks are tracked: its links carry the mailing's id, and a signature or letter made from one records it." }
    }
}

pub fn show(staff: &CurrentStaff, view: &MailingView, errors: &Errors) -> Markup {
    let title = format!("Mailing: {}", view.article_title);
    layout::page(
        &title,
        staff,
        html! {
            p { a href="/admin/mailings" { "Back to mailings" } }
            (fields::error_summary(errors))
            h1 { (title) }
            (texts_form(view, staff, errors))
            (audience(view))
            (sending(view, staff, errors))
            (results(view))
        },
    )
}
