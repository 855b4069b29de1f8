//! The one page layout: head, header with navigation, main, footer.

use maud::{html, Markup, DOCTYPE};

use crate::i18n::{self, href, t, t_with, Lang, Msg};

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
        meta property="og:url" content={ (base) (href(shared.path)) };
        meta property="og:locale" content=(i18n::current().locale());
        @for other in Lang::ALL.iter().filter(|l| **l != i18n::current()) {
            meta property="og:locale:alternate" content=(other.locale());
        }
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

/// The page's own path without a language prefix, for the switcher and the `hreflang`
/// links: the request's (a GET), else the shared page's, else the home page.
fn page_path(shared: Option<&Shared>) -> String {
    let requested = i18n::unprefixed_path();
    match (requested.is_empty(), shared) {
        (false, _) => requested.to_string(),
        (true, Some(shared)) => shared.path.to_string(),
        (true, None) => "/".to_string(),
    }
}

/// Links to this page in the other languages, each named in itself; the current one is
/// marked for screen readers. Following one remembers the choice (`web/lang.rs`).
fn switcher(path: &str) -> Markup {
    let current = i18n::current();
    let joiner = if path.contains('?') { '&' } else { '?' };
    html! {
        nav.languages aria-label="Language · Langue · ភាសា" {
            ul {
                @for lang in Lang::ALL {
                    li {
                        a href={ (i18n::path_in(lang, path)) (joiner) "chosen=1" } lang=(lang.code()) hreflang=(lang.code())
                            aria-current=[(lang == current).then_some("true")] { (lang.own_name()) }
                    }
                }
            }
        }
    }
}

fn shell(title: &str, shared: Option<&Shared>, content: Markup) -> Markup {
    let org = crate::organisation::current();
    let name = org.display_name();
    let lang = i18n::current();
    let path = page_path(shared);
    let base = crate::organisation::base_url();
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " – " (name) }
                link rel="stylesheet" href="/static/clarion.css";
                link rel="alternate" type="application/atom+xml" title=(t(Msg::FeedLink)) href="/feed.atom";
                @for other in Lang::ALL {
                    link rel="alternate" hreflang=(other.code()) href={ (&*base) (i18n::path_in(other, &path)) };
                }
                link rel="alternate" hreflang="x-default" href={ (&*base) (path) };
                @if let Some(shared) = shared { (share_tags(shared)) }
            }
            body {
                a.skip-link href="#main" { (t(Msg::SkipToContent)) }
                header.site-header {
                    div.wrap {
                        (switcher(&path))
                        a.site-name href=(href("/")) {
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
                                li { a href=(href("/")) { (t(Msg::NavHome)) } }
                                li { a href=(href("/articles")) { (t(Msg::NavArticles)) } }
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
                        p {
                            a href=(href("/me")) { (t(Msg::MeTitle)) } " · "
                            a href=(href("/privacy")) { (t(Msg::PrivacyLink)) } " · "
                            a href="/feed.atom" { (t(Msg::FeedLink)) }
                        }
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
