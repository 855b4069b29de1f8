//! The one page layout: head, header with navigation, main, footer.

use maud::{html, Markup, DOCTYPE};

use crate::i18n::{t, Msg, LANG};

/// A whole HTML page titled "`title` – Clarion" around `content`.
pub fn page(title: &str, content: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(LANG) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " – " (t(Msg::SiteName)) }
                link rel="stylesheet" href="/static/clarion.css";
                link rel="alternate" type="application/atom+xml" title=(t(Msg::FeedLink)) href="/feed.atom";
            }
            body {
                a.skip-link href="#main" { (t(Msg::SkipToContent)) }
                header.site-header {
                    div.wrap {
                        a.site-name href="/" { (t(Msg::SiteName)) }
                        span.site-tagline { (t(Msg::SiteTagline)) }
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
                        p { (t(Msg::FooterText)) }
                        p { a href="/feed.atom" { (t(Msg::FeedLink)) } }
                    }
                }
            }
        }
    }
}
