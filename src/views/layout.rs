//! The one page layout: head, header with navigation, main, footer.

use maud::{html, Markup, DOCTYPE};

use crate::i18n::{t, t_with, Msg, LANG};

/// A whole HTML page titled "`title` – {the organisation}" around `content`.
pub fn page(title: &str, content: Markup) -> Markup {
    let org = crate::organisation::current();
    let name = org.display_name();
    html! {
        (DOCTYPE)
        html lang=(LANG) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " – " (name) }
                link rel="stylesheet" href="/static/clarion.css";
                link rel="alternate" type="application/atom+xml" title=(t(Msg::FeedLink)) href="/feed.atom";
            }
            body {
                a.skip-link href="#main" { (t(Msg::SkipToContent)) }
                header.site-header {
                    div.wrap {
                        a.site-name href="/" {
                            @if let Some(version) = org.logo_version {
                                img.logo src={ "/organisation/logo?v=" (version) } alt=(org.logo_alt) height="40";
                            }
                            (name)
                        }
                        @if org.description.is_empty() {
                            span.site-tagline { (t(Msg::SiteTagline)) }
                        } @else {
                            span.site-tagline { (org.description) }
                        }
                        nav aria-label="Main" {
                            ul {
                                li { a href="/" { (t(Msg::NavHome)) } }
                                li { a href="/articles" { (t(Msg::NavArticles)) } }
                            }
                        }
                    }
                }
                main #main.wrap tabindex="-1" { (content) }
                footer.site-footer {
                    div.wrap {
                        @if !org.controller_name.is_empty() {
                            p.controller {
                                (t_with(Msg::ControllerFooter, &[("controller", &org.controller_name)]))
                                @if !org.controller_address.is_empty() { " " (org.controller_address) "." }
                                @if !org.contact_email.is_empty() {
                                    " " (t(Msg::ContactLabel)) " " a href={ "mailto:" (org.contact_email) } { (org.contact_email) }
                                }
                                @if !org.legal_url.is_empty() {
                                    " " a href=(org.legal_url) { (t(Msg::LegalNotice)) }
                                }
                            }
                        }
                        p { (t(Msg::FooterText)) }
                        p { a href="/feed.atom" { (t(Msg::FeedLink)) } }
                    }
                }
            }
        }
    }
}

/// The line under every form that collects personal data: who is responsible for it,
/// and where to read more (the legal notice until Clarion has a privacy page).
pub fn controller_line() -> Markup {
    let org = crate::organisation::current();
    html! {
        @if !org.controller_name.is_empty() {
            p.hint.controller-line {
                (t_with(Msg::ControllerLine, &[("controller", &org.controller_name)]))
                @if !org.legal_url.is_empty() { " " a href=(org.legal_url) { (t(Msg::LegalNotice)) } }
            }
        }
    }
}
