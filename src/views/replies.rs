//! The public responsiveness page: did the officials reply? Totals per member state and
//! political group, and per official only from `MIN_ANSWERS` answers on.

use maud::{html, Markup};

use super::layout;
use crate::db::replies::Replies;
use crate::domain::responsiveness::Tally;
use crate::i18n::{self, href, number, t, t_with, Msg};

/// The share as written in the tables: "60% (31–83%)", or "too few answers".
fn share(tally: &Tally) -> String {
    tally
        .share()
        .map_or_else(|| t(Msg::RepliesTooFew).to_string(), |s| s.text())
}

fn table(class: &str, first: Msg, rows: &[(String, Tally)]) -> Markup {
    // Wider than a phone: a region keyboard users can reach and scroll.
    html! {
        div.table-scroll role="region" aria-label=(t(first)) tabindex="0" {
            table class={ "data replies " (class) } {
                thead { tr {
                    th scope="col" { (t(first)) }
                    th scope="col" { (t(Msg::RepliesColDelivered)) }
                    th scope="col" { (t(Msg::RepliesColAnswers)) }
                    th scope="col" { (t(Msg::RepliesColShare)) }
                    th scope="col" { (t(Msg::RepliesColNotExpected)) }
                } }
                tbody {
                    @for (name, tally) in rows {
                        tr {
                            th scope="row" { (name) }
                            td { (number(tally.delivered)) }
                            td { (number(tally.answers())) }
                            td.share { (share(tally)) }
                            td { (number(tally.not_expected)) }
                        }
                    }
                }
            }
        }
    }
}

/// `title`: the action's, or `None` for every action; `back`: the action's page.
pub fn page(title: Option<&str>, back: Option<&str>, replies: &Replies) -> Markup {
    let heading = match title {
        Some(title) => t_with(Msg::RepliesTitle, &[("title", title)]),
        None => t(Msg::RepliesAllTitle).to_string(),
    };
    let countries = i18n::country_names(i18n::current());
    let mut by_country: Vec<(String, Tally)> = replies
        .by_country()
        .into_iter()
        .map(|(code, tally)| (countries.of(&code).to_string(), tally))
        .collect();
    by_country.sort_by(|a, b| a.0.cmp(&b.0));
    let officials: Vec<(String, Tally)> = replies
        .officials
        .iter()
        .filter(|o| o.tally.share().is_some())
        .map(|o| {
            let name = format!(
                "{} ({}, {})",
                o.name,
                o.political_group,
                countries.of(&o.country_code)
            );
            (name, o.tally)
        })
        .collect();
    let content = html! {
        h1 { (heading) }
        p { (t(Msg::RepliesIntro)) }
        @if replies.officials.is_empty() {
            p.empty { (t(Msg::RepliesNone)) }
        } @else {
            p.lead #total { (t_with(Msg::RepliesTotal, &[("share", &share(&replies.total()))])) }
            p.hint { (t(Msg::RepliesHowToRead)) }
            h2 { (t(Msg::RepliesByCountry)) }
            (table("by-country", Msg::RepliesColCountry, &by_country))
            h2 { (t(Msg::RepliesByGroup)) }
            (table("by-group", Msg::RepliesColGroup, &replies.by_group()))
            h2 { (t(Msg::RepliesByOfficial)) }
            @if officials.is_empty() {
                p.empty { (t(Msg::RepliesNoOfficial)) }
            } @else {
                (table("by-official", Msg::RepliesColName, &officials))
            }
        }
        @if !replies.quotes.is_empty() {
            h2 { (t(Msg::RepliesQuotes)) }
            p.hint { (t(Msg::RepliesQuotesHint)) }
            @for (official, text) in &replies.quotes {
                figure.quote {
                    blockquote { (text) }
                    figcaption { (official) }
                }
            }
        }
        @if let Some(back) = back {
            p { a href=(href(back)) { (t(Msg::RepliesBack)) } }
        }
    };
    layout::page(&heading, content)
}
