//! The one page layout: head, header with navigation, main, footer.

use maud::{html, Markup, DOCTYPE};

use crate::i18n::{t, t_with, Msg, LANG};

/// What a page says of itself when shared (Open Graph and Twitter card tags).
pub struct Shared<'a> {
    /// `article` or `website`.
    pub kind: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    /// The page's path, as `/articles/{slug}`.
    pub path: &'a str,
    /// The page's own picture; without one, the organisation's logo.
    pub picture: Option<SharedPicture<'a>>,
}

/// A share picture: its path (made absolute here), description and size.
pub struct SharedPicture<'a> {
    pub path: String,
    pub alt: &'a str,
    pub width: i32,
    pub height: i32,
}

/// A whole HTML page titled "`title` – {the organisation}" around `content`.
pub fn page(title: &str, content: Markup) -> Markup {
    shell(title, None, content)
}

/// A page made to be shared: `page` with a share card (title, description, the
/// organisation's logo as its picture, the locale).
pub fn shared_page(title: &str, shared: &Shared, content: Markup) -> Markup {
    shell(title, Some(shared), content)
}

fn share_tags(shared: &Shared) -> Markup {
    let org = crate::organisation::current();
    let base = crate::organisation::base_url();
    let logo = org
        .logo_version
        .map(|v| format!("{base}/organisation/logo?v={v}"));
    html! {
        meta property="og:type" content=(shared.kind);
        meta property="og:site_name" content=(org.display_name());
        meta property="og:title" content=(shared.title);
        meta property="og:description" content=(shared.description);
        meta property="og:url" content={ (base) (shared.path) };
        meta property="og:locale" content="en_GB";
        @if let Some(picture) = &shared.picture {
            meta property="og:image" content={ (base) (picture.path) };
            meta property="og:image:alt" content=(picture.alt);
            meta property="og:image:width" content=(picture.width);
            meta property="og:image:height" content=(picture.height);
            meta name="twitter:card" content="summary_large_image";
        } @else {
            @if let Some(logo) = &logo {
                meta property="og:image" content=(logo);
                meta property="og:image:alt" content=(org.logo_alt);
            }
            meta name="twitter:card" content="summary";
        }
        meta name="description" content=(shared.description);
    }
}

fn shell(title: &str, shared: Option<&Shared>, content: Markup) -> Markup {
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
                @if let Some(shared) = shared { (share_tags(shared)) }
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
