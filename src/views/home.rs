//! The home page: live campaigns and the latest articles.

use maud::{html, Markup};

use super::components::{article_teaser, original_lang};
use super::layout;
use crate::db::articles::Article;
use crate::db::campaigns::Campaign;
use crate::i18n::{href, t, Msg};

/// Each with whether it is in the page's language.
pub struct HomeView {
    pub campaigns: Vec<(Campaign, bool)>,
    pub articles: Vec<(Article, bool)>,
    /// The newsletter's join form (`views/newsletter.rs`).
    pub newsletter: Markup,
}

pub fn page(view: &HomeView) -> Markup {
    let content = html! {
        h1.visually-hidden { (crate::organisation::current().display_name()) }
        section aria-labelledby="campaigns-heading" {
            h2 #campaigns-heading { (t(Msg::LiveCampaigns)) }
            @if view.campaigns.is_empty() {
                p { (t(Msg::NoCampaigns)) }
            }
            ul.campaigns {
                @for (campaign, translated) in &view.campaigns {
                    @let lang = original_lang(*translated);
                    li.campaign {
                        h3 lang=[lang] { a href={ (href("/campaigns/")) (campaign.slug) } { (campaign.title) } }
                        @if !campaign.summary.is_empty() { p lang=[lang] { (campaign.summary) } }
                    }
                }
            }
        }
        section aria-labelledby="articles-heading" {
            h2 #articles-heading { (t(Msg::LatestArticles)) }
            @if view.articles.is_empty() {
                p { (t(Msg::NoArticles)) }
            }
            @for (article, translated) in &view.articles { (article_teaser(article, *translated)) }
            p { a href=(href("/articles")) { (t(Msg::AllArticles)) } }
        }
        (view.newsletter)
    };
    layout::page(t(Msg::NavHome), content)
}
