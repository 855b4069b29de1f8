//! The home page: live campaigns and the latest articles.

use maud::{html, Markup};

use super::components::article_teaser;
use super::layout;
use crate::db::articles::Article;
use crate::db::campaigns::Campaign;
use crate::i18n::{href, t, Msg};

pub struct HomeView {
    pub campaigns: Vec<Campaign>,
    pub articles: Vec<Article>,
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
                @for campaign in &view.campaigns {
                    li.campaign {
                        h3 lang=[super::components::original_lang(false)] { a href={ (href("/campaigns/")) (campaign.slug) } { (campaign.title) } }
                        @if !campaign.summary.is_empty() { p { (campaign.summary) } }
                    }
                }
            }
        }
        section aria-labelledby="articles-heading" {
            h2 #articles-heading { (t(Msg::LatestArticles)) }
            @if view.articles.is_empty() {
                p { (t(Msg::NoArticles)) }
            }
            @for article in &view.articles { (article_teaser(article)) }
            p { a href=(href("/articles")) { (t(Msg::AllArticles)) } }
        }
    };
    layout::page(t(Msg::NavHome), content)
}
