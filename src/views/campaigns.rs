//! A campaign's page: what it is about, its articles and its actions.

use maud::{html, Markup};

use super::components::{self, action_card, article_teaser};
use super::layout;
use crate::db::actions::ActionCard;
use crate::db::articles::Article;
use crate::db::campaigns::Campaign;
use crate::i18n::{t, Msg};

pub struct CampaignView {
    pub campaign: Campaign,
    pub articles: Vec<Article>,
    /// Each public action and whether it takes signatures or letters now.
    pub actions: Vec<(ActionCard, bool)>,
}

pub fn page(view: &CampaignView) -> Markup {
    let c = &view.campaign;
    let content = html! {
        p.kicker { (t(Msg::CampaignKicker)) }
        (components::not_translated(false))
        h1 lang=[components::original_lang(false)] { (c.title) }
        @if !c.summary.is_empty() { p.standfirst lang=[components::original_lang(false)] { (c.summary) } }
        @if !view.actions.is_empty() {
            section.cta aria-labelledby="cta-heading" {
                h2 #cta-heading { (t(Msg::TakeAction)) }
                @for (card, open) in &view.actions { (action_card(card, (*open, false), None)) }
            }
        }
        section aria-labelledby="articles-heading" {
            h2 #articles-heading { (t(Msg::CampaignArticles)) }
            @if view.articles.is_empty() { p { (t(Msg::NoArticles)) } }
            @for article in &view.articles { (article_teaser(article)) }
        }
    };
    layout::page(&c.title, content)
}
