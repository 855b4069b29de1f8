//! Responsiveness for staff: every official with a delivered letter, shares shown from
//! 10 answers as on the public page, but no official hidden.

use maud::{html, Markup};

use super::{fields, layout};
use crate::db::quotes::Pasted;
use crate::db::replies::Replies;
use crate::domain::responsiveness::Tally;
use crate::domain::staff::CurrentStaff;

fn share(t: &Tally) -> String {
    t.share()
        .map_or_else(|| "too few answers".into(), |s| s.text())
}

fn table(caption: &str, first: &str, rows: &[(String, String, Tally)]) -> Markup {
    html! {
        div.table-scroll role="region" aria-label=(caption) tabindex="0" {
            table.data.replies {
                caption { (caption) }
                thead { tr {
                    th scope="col" { (first) } th scope="col" { "Detail" }
                    th scope="col" { "Delivered" } th scope="col" { "Replied" }
                    th scope="col" { "Acknowledgement" } th scope="col" { "No reply yet" }
                    th scope="col" { "Not expected" } th scope="col" { "Share replied" }
                } }
                tbody {
                    @for (name, detail, t) in rows {
                        tr {
                            th scope="row" { (name) } td { (detail) }
                            td { (t.delivered) } td { (t.replied) } td { (t.acknowledgement) }
                            td { (t.no_reply) } td { (t.not_expected) } td { (share(t)) }
                        }
                    }
                }
            }
        }
    }
}

/// The replies writers pasted about one action's letters, each with the button that
/// lets the public page quote it (or stops it).
fn pasted(staff: &CurrentStaff, slug: &str, rows: &[Pasted]) -> Markup {
    html! {
        h2 { "Pasted replies" }
        p { "Writers may paste the reply they got. It stays private until you allow quoting it; the public page then shows it with the official's name, never the writer's. A text changed by its writer is private again." }
        @if rows.is_empty() { p { "None yet." } }
        @for r in rows {
            figure.quote {
                blockquote { (r.text) }
                figcaption {
                    (r.official) " · " (r.answer.map_or("", |a| a.as_str()))
                    @if let Some(at) = r.answered_at { " · " (at.format("%Y-%m-%d")) }
                    " · " strong { @if r.quotable { "may be quoted" } @else { "private" } }
                }
                form method="post" action={ "/admin/contacts/" (slug) "/replies/quote" } {
                    (fields::csrf(&staff.csrf))
                    input type="hidden" name="message_id" value=(r.message_id);
                    input type="hidden" name="target_id" value=(r.target_id);
                    input type="hidden" name="quotable" value=(if r.quotable { "0" } else { "1" });
                    button.button.secondary type="submit" { @if r.quotable { "Keep it private" } @else { "Allow quoting" } }
                }
            }
        }
    }
}

/// `title`: the action's (`None`: all actions); `csv`: the download's path; `pasted`:
/// for one action, its slug and the replies writers pasted.
pub fn page(
    staff: &CurrentStaff,
    title: Option<&str>,
    (csv, pasted_replies): (&str, Option<(&str, &[Pasted])>),
    replies: &Replies,
) -> Markup {
    let heading = match title {
        Some(t) => format!("Did they reply? {t}"),
        None => "Did they reply? All contact actions".to_string(),
    };
    let plain = |rows: Vec<(String, Tally)>| -> Vec<(String, String, Tally)> {
        rows.into_iter()
            .map(|(k, t)| (k, String::new(), t))
            .collect()
    };
    let officials: Vec<(String, String, Tally)> = replies
        .officials
        .iter()
        .map(|o| {
            let left = if o.active { "" } else { ", left the list" };
            let detail = format!("{}, {}{left}", o.political_group, o.country_code);
            (o.name.clone(), detail, o.tally)
        })
        .collect();
    layout::page(
        &heading,
        staff,
        html! {
            h1 { (heading) }
            p { "What writers answered when asked whether the officials replied. Shares count replied among replied, acknowledgement and no reply (not expected apart), with a 95% Wilson interval, from 10 answers. The public page names an official only from 10 answers; here everyone is listed." }
            p { a href=(csv) { "Download as CSV" } }
            @if replies.officials.is_empty() { p { "No letter has been delivered yet." } } @else {
                p #total { "All letters: " (share(&replies.total())) }
                (table("By member state", "Member state", &plain(replies.by_country())))
                (table("By political group", "Political group", &plain(replies.by_group())))
                (table("By official", "Official", &officials))
            }
            @if let Some((slug, rows)) = pasted_replies { (pasted(staff, slug, rows)) }
        },
    )
}
