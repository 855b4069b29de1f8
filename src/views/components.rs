//! Small pieces of markup shared by several pages.

use maud::{html, Markup};

use crate::db::actions::ActionCard;
use crate::db::articles::Article;
use crate::i18n::{self, href, t, t_count, t_with, Msg};

/// "Published 28 November 2026 by …", as a `<p>` with a machine-readable `<time>`.
pub fn byline(article: &Article) -> Markup {
    html! {
        p.byline {
            @if let Some(at) = article.published_at {
                time datetime=(at.format("%Y-%m-%dT%H:%M:%SZ")) {
                    (t_with(Msg::PublishedOn, &[("date", &i18n::date(at))]))
                }
                @if !article.author.is_empty() { " " }
            }
            @if !article.author.is_empty() {
                (t_with(Msg::By, &[("author", &article.author)]))
            }
        }
    }
}

/// An article in a list: title as a link, byline, standfirst; `translated`: they are in
/// the page's language.
pub fn article_teaser(article: &Article, translated: bool) -> Markup {
    html! {
        article.teaser {
            h3 lang=[original_lang(translated)] { a href={ (href("/articles/")) (article.slug) } { (article.title) } }
            (byline(article))
            @if !article.standfirst.is_empty() { p lang=[original_lang(translated)] { (article.standfirst) } }
        }
    }
}

/// Progress toward a goal: a native `<progress>` (read by screen readers) plus the words.
pub fn progress(count: i64, goal: Option<i64>) -> Markup {
    html! {
        @match goal.filter(|g| *g > 0) {
            Some(goal) => {
                progress.goal max=(goal) value=(count.min(goal)) aria-label=(t(Msg::ProgressLabel)) {}
                p.count {
                    (t_count(Msg::SignatureOfGoal, Msg::SignaturesOfGoal, count, &[("goal", &i18n::number(goal))]))
                }
            }
            None => { p.count { (t_count(Msg::OneSignature, Msg::Signatures, count, &[])) } }
        }
    }
}

/// A call-to-action card under an article: a petition (with its sign form when open)
/// or a contact action.
/// `translated`: its title and summary are in the page's language.
pub fn action_card(
    card: &ActionCard,
    (open, translated): (bool, bool),
    sign_form: Option<Markup>,
) -> Markup {
    let is_petition = card.kind == "petition";
    html! {
        section.cta-card aria-labelledby={ "cta-" (card.slug) } {
            p.kicker {
                (t(if is_petition { Msg::PetitionKicker } else { Msg::ContactKicker }))
            }
            h3 #{ "cta-" (card.slug) } lang=[original_lang(translated)] { (card.title) }
            @if is_petition && !card.addressee.is_empty() {
                p.addressee { (t_with(Msg::PetitionTo, &[("addressee", &card.addressee)])) }
            }
            @if !card.summary.is_empty() { p lang=[original_lang(translated)] { (card.summary) } }
            @if is_petition {
                (progress(card.confirmed_count, card.goal))
                @if let (true, Some(deadline)) = (open, card.deadline) {
                    p.deadline { (t_with(Msg::Deadline, &[("date", &i18n::date(deadline))])) }
                }
            } @else {
                p.count { (t_count(Msg::OneLetterSent, Msg::LettersSent, card.letters_count, &[])) }
            }
            @if !open {
                p.closed { strong { (t(Msg::ActionClosed)) } }
            } @else if let Some(form) = sign_form {
                (form)
            } @else if is_petition {
                a.button href={ (href("/petitions/")) (card.slug) } { (t(Msg::SignThePetition)) }
            } @else {
                a.button href={ (href("/act/")) (card.slug) } { (t(Msg::WriteToOfficials)) }
            }
        }
    }
}

/// "We sent the email to: …" and "Wrong address? Change it" (a link back to the form as
/// typed), or nothing when the page does not know the address.
pub fn sent_to(sent_to: Option<(&str, &str)>) -> Markup {
    html! {
        @if let Some((email, change)) = sent_to {
            p.sent-to { (t(Msg::SentTo)) " " strong { (email) } }
            p { (t(Msg::WrongAddress)) " " a href=(change) { (t(Msg::ChangeIt)) } }
        }
    }
}

/// The language staff wrote the content in, for its `lang` attribute on a page in another
/// language: articles, campaigns and actions are not translated yet, so a French or Khmer
/// page shows them as written, marked as English for browsers and screen readers.
/// `translated`: staff gave this page's language a translation, which is then shown.
pub fn original_lang(translated: bool) -> Option<&'static str> {
    (i18n::current() != i18n::Lang::En && !translated).then_some("en")
}

/// One line, on a page not in English, saying that the text below is shown as written.
pub fn not_translated(translated: bool) -> Markup {
    html! {
        @if original_lang(translated).is_some() { p.not-translated { (t(Msg::NotTranslated)) } }
    }
}
