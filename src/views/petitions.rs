//! The petition page and the pages of the signing flow: check your email, confirm,
//! thank you, and the link that is unknown or expired.

use maud::{html, Markup};
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};

use super::components::{self, progress};
use super::sign_form::{email_question_above, error_summary, sign_form, SignFormView};
use super::{layout, markdown};
use crate::db::petitions::{ArticleLink, Petition, RecentSigner};
use crate::i18n::{self, href, t, t_count, t_with, Msg};

pub struct PetitionView<'a> {
    pub petition: &'a Petition,
    pub open: bool,
    /// When signing ended, for a closed petition.
    pub closed_on: Option<chrono::NaiveDateTime>,
    pub signers: &'a [RecentSigner],
    pub articles: &'a [ArticleLink],
    pub form: SignFormView<'a>,
    pub page_url: String,
    /// Staff translated the petition into the page's language (`db/translations.rs`).
    pub translated: bool,
    /// Its updates to supporters, newest first.
    pub updates: &'a [crate::db::updates::Shown],
}

fn heading(petition: &Petition, translated: bool) -> Markup {
    html! {
        p.kicker { (t(Msg::PetitionKicker)) }
        (components::not_translated(translated))
        h1 lang=[components::original_lang(translated)] { (petition.title) }
        @if !petition.addressee.is_empty() {
            p.addressee { (t_with(Msg::PetitionTo, &[("addressee", &petition.addressee)])) }
        }
    }
}

pub fn page(view: &PetitionView) -> Markup {
    let p = view.petition;
    let content = html! {
        (error_summary(&view.form))
        @if let Some(suggested) = view.form.suggestion {
            // The question sits by the form, far down on a phone: say so at the top.
            (email_question_above("email-suggestion", suggested))
        }
        (heading(p, view.translated))
        // The form comes after the petition's text; on a phone that is a long way down.
        @if view.open { p.jump { a href="#sign" { (t(Msg::SignThePetition)) } } }
        div.prose lang=[components::original_lang(view.translated)] { (markdown::render(&p.body_md)) }
        @if let Some(changed) = p.text_changed_at {
            p.text-changed { (t_with(Msg::TextChanged, &[("date", &i18n::date(changed))])) }
        }
        (progress(p.confirmed_count, p.goal))
        @if let (true, Some(deadline)) = (view.open, p.deadline) {
            p.deadline { (t_with(Msg::Deadline, &[("date", &i18n::date(deadline))])) }
        }
        @if view.open {
            section #sign .sign aria-labelledby="sign-heading" {
                h2 #sign-heading { (t(Msg::SignThePetition)) }
                (sign_form(&view.form))
            }
        } @else {
            p.closed { strong { (t(Msg::PetitionClosed)) } }
            @if let Some(on) = view.closed_on {
                p.closed-on {
                    (t_with(Msg::ClosedOn, &[("date", &i18n::date(on))])) " "
                    (t_count(Msg::FinalCountOne, Msg::FinalCount, p.confirmed_count, &[]))
                }
            }
            @if !p.outcome_md.trim().is_empty() {
                section.outcome aria-labelledby="outcome-heading" {
                    h2 #outcome-heading { (t(Msg::Outcome)) }
                    div.prose lang=[components::original_lang(false)] { (markdown::render(&p.outcome_md)) }
                }
            }
        }
        (super::updates::timeline(view.updates))
        @if p.public_signers {
            section aria-labelledby="signers-heading" {
                h2 #signers-heading { (t(Msg::LatestSigners)) }
                @if view.signers.is_empty() && p.confirmed_count == 0 {
                    p { (t(Msg::NoSignersYet)) }
                } @else {
                    @if !view.signers.is_empty() {
                        ul.signers {
                            @for s in view.signers {
                                li { (t_with(Msg::SignerLine, &[("name", &s.first_name), ("country", i18n::country_name(&s.country_code))])) }
                            }
                        }
                    }
                    p.hint { (t(Msg::SignersShownByChoice)) }
                }
            }
        }
        @if !view.articles.is_empty() {
            section aria-labelledby="articles-heading" {
                h2 #articles-heading { (t(Msg::LinkedArticles)) }
                ul { @for a in view.articles { li { a href={ (href("/articles/")) (a.slug) } { (a.title) } } } }
            }
        }
        (share_links(&p.title, &view.page_url))
    };
    let title = if view.form.errors.is_empty() {
        p.title.clone()
    } else {
        format!("{}{}", t(Msg::ErrorPrefix), p.title)
    };
    let path = format!("/petitions/{}", p.slug);
    let shared = layout::Shared {
        kind: "website",
        title: &p.title,
        description: &p.summary,
        path: &path,
        picture: None,
    };
    layout::shared_page(&title, &shared, content)
}

/// Plain links to share a petition: no scripts, no tracking pixels.
pub fn share_links(title: &str, url: &str) -> Markup {
    let enc = |s: &str| utf8_percent_encode(s, NON_ALPHANUMERIC).to_string();
    let subject = t_with(Msg::ShareSubject, &[("title", title)]);
    let text = format!("{subject} {url}");
    let links = [
        (
            t(Msg::ShareByEmail).to_string(),
            format!("mailto:?subject={}&body={}", enc(&subject), enc(url)),
        ),
        (
            "Bluesky".into(),
            format!("https://bsky.app/intent/compose?text={}", enc(&text)),
        ),
        (
            "Mastodon".into(),
            format!("https://mastodonshare.com/?text={}", enc(&text)),
        ),
        (
            "Facebook".into(),
            format!("https://www.facebook.com/sharer/sharer.php?u={}", enc(url)),
        ),
        (
            "X".into(),
            format!(
                "https://x.com/intent/post?text={}&url={}",
                enc(&subject),
                enc(url)
            ),
        ),
        (
            "WhatsApp".into(),
            format!("https://wa.me/?text={}", enc(&text)),
        ),
        (
            "Telegram".into(),
            format!(
                "https://t.me/share/url?url={}&text={}",
                enc(url),
                enc(&subject)
            ),
        ),
    ];
    html! {
        section.share aria-labelledby="share-heading" {
            h2 #share-heading { (t(Msg::Share)) }
            ul.share-links {
                @for (name, href) in &links { li { a href=(href) rel="noopener noreferrer" { (name) } } }
            }
        }
    }
}

/// "Check your email"; `sent_to` is the address and the link back to the form filled in,
/// when the page learnt them.
pub fn check_email(petition: &Petition, sent_to: Option<(&str, &str)>) -> Markup {
    let content = html! {
        h1 { (t(Msg::CheckEmailTitle)) }
        (components::sent_to(sent_to))
        p { (t(Msg::CheckEmailBody)) }
        p { (t_with(Msg::CheckEmailNext, &[("days", &petition.confirm_window_days.to_string())])) }
        p { (t(Msg::CheckEmailNothing)) }
        p { a href={ (href("/petitions/")) (petition.slug) } { (t(Msg::BackToPetition)) } }
    };
    layout::page(t(Msg::CheckEmailTitle), content)
}

/// One button: opening the link alone (as mail scanners do) confirms nothing.
pub fn confirm(title: &str, action: &str) -> Markup {
    let content = html! {
        h1 { (t(Msg::ConfirmTitle)) }
        p { (t_with(Msg::ConfirmBody, &[("title", title)])) }
        form method="post" action=(action) {
            button.button type="submit" { (t(Msg::ConfirmButton)) }
        }
    };
    layout::page(t(Msg::ConfirmTitle), content)
}

pub fn thanks(petition: &Petition, page_url: &str) -> Markup {
    let content = html! {
        h1 { (t(Msg::ThanksTitle)) }
        p { (t_with(Msg::ThanksBody, &[("title", &petition.title)])) }
        (progress(petition.confirmed_count, petition.goal))
        (share_links(&petition.title, page_url))
        p { a href={ (href("/petitions/")) (petition.slug) } { (t(Msg::BackToPetition)) } }
    };
    layout::page(t(Msg::ThanksTitle), content)
}

/// An unknown link (`slug` = None) or an expired one, with a way to sign again.
pub fn link_problem(slug: Option<&str>, days: i32) -> Markup {
    let (title, body) = match slug {
        Some(_) => (
            Msg::LinkExpiredTitle,
            t_with(Msg::LinkExpiredBody, &[("days", &days.to_string())]),
        ),
        None => (Msg::LinkUnknownTitle, t(Msg::LinkUnknownBody).to_string()),
    };
    let content = html! {
        h1 { (t(title)) }
        p { (body) }
        @match slug {
            Some(slug) => p { a.button href={ (href("/petitions/")) (slug) } { (t(Msg::SignAgain)) } },
            None => p { a href=(href("/articles")) { (t(Msg::NavArticles)) } },
        }
    };
    layout::page(t(title), content)
}

/// An expired letter link, with a way to write again.
pub fn link_problem_contact(slug: &str, days: i32) -> Markup {
    let content = html! {
        h1 { (t(Msg::LinkExpiredTitle)) }
        p { (t_with(Msg::LinkExpiredBody, &[("days", &days.to_string())])) }
        p { a.button href={ (href("/act/")) (slug) } { (t(Msg::WriteToOfficials)) } }
    };
    layout::page(t(Msg::LinkExpiredTitle), content)
}
