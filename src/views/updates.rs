//! Updates to supporters as the public reads them: the timeline under a petition or a
//! contact action, and the page that stops an action's updates.

use maud::{html, Markup};

use super::{components, layout, markdown};
use crate::db::updates::{Shown, Update};
use crate::i18n::{self, t, t_with, t_with_in, Lang, Msg};

/// What a "delivered" update handed over, in `lang`: the sentence, and the list's digest.
pub fn handed_over(update: &Update, lang: Lang) -> Option<(String, String)> {
    let rows = update.handed_over?;
    let count = i18n::number_in(lang, rows);
    let said = match update.handed_on {
        Some(on) => {
            let date = i18n::date_in(lang, on.and_time(chrono::NaiveTime::MIN));
            let words = [("count", count.as_str()), ("date", date.as_str())];
            t_with_in(lang, Msg::UpdateHandedOverOn, &words)
        }
        None => t_with_in(lang, Msg::UpdateHandedOver, &[("count", &count)]),
    };
    Some((said, update.digest.clone()))
}

/// The timeline of an action's updates, newest first; nothing when there is none.
pub fn timeline(updates: &[Shown]) -> Markup {
    let lang = i18n::current();
    html! {
        @if !updates.is_empty() {
            section #updates .updates aria-labelledby="updates-heading" {
                h2 #updates-heading { (t(Msg::UpdatesHeading)) }
                @for shown in updates {
                    @let u = &shown.update;
                    @let original = components::original_lang(shown.translated);
                    article.update #{ "update-" (u.id) } .delivered[u.kind == "delivered"] {
                        p.update-date {
                            time datetime=(u.published_at.format("%Y-%m-%d")) { (i18n::date(u.published_at)) }
                        }
                        h3 lang=[original] { (shown.text.title) }
                        div.prose lang=[original] { (markdown::render(&shown.text.body_md)) }
                        @if let Some((said, digest)) = handed_over(u, lang) {
                            p.handed-over { (said) }
                            p.digest { (t(Msg::UpdateDigest)) " " code { (digest) } }
                        }
                    }
                }
            }
        }
    }
}

fn one_step(title: Msg, body: &str, button: Option<&str>) -> Markup {
    layout::page(
        t(title),
        html! {
            h1 { (t(title)) }
            p { (body) }
            @if let Some(action) = button {
                form method="post" action=(action) {
                    button.button type="submit" { (t(Msg::UpdatesLeaveButton)) }
                }
            }
        },
    )
}

/// One button that stops the updates (posting to `action`); nothing changes before.
pub fn leave(action: &str) -> Markup {
    let organisation = crate::organisation::current();
    let words = [("organisation", organisation.display_name())];
    let body = t_with(Msg::UpdatesLeaveBody, &words);
    one_step(Msg::UpdatesLeaveTitle, &body, Some(action))
}

pub fn left() -> Markup {
    one_step(Msg::UpdatesLeftTitle, t(Msg::UpdatesLeftBody), None)
}
