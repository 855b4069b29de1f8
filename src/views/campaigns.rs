//! A campaign's page: what it is about, its articles and its actions.

use maud::{html, Markup};

use super::components::{self, action_card, article_teaser};
use super::layout;
use crate::db::actions::ActionCard;
use crate::db::articles::Article;
use crate::db::campaigns::Campaign;
use crate::i18n::{t, Msg};

/// Each part with whether it is in the page's language.
pub struct CampaignView {
    pub campaign: (Campaign, bool),
    pub articles: Vec<(Article, bool)>,
    pub actions: Vec<(ActionCard, bool)>,
}

/// The campaign's page; its actions take signatures or letters if open at `now`.
pub fn page(view: &CampaignView, now: chrono::NaiveDateTime) -> Markup {
    let (c, translated) = (&view.campaign.0, view.campaign.1);
    let lang = components::original_lang(translated);
    let content = html! {
        p.kicker { (t(Msg::CampaignKicker)) }
        (components::not_translated(translated))
        h1 lang=[lang] { (c.title) }
        @if !c.summary.is_empty() { p.standfirst lang=[lang] { (c.summary) } }
        @if !view.actions.is_empty() {
            section.cta aria-labelledby="cta-heading" {
                h2 #cta-heading { (t(Msg::TakeAction)) }
                @for (card, translated) in &view.actions { (action_card(card, (card.is_open(now), *translated), None)) }
            }
        }
        section aria-labelledby="articles-heading" {
            h2 #articles-heading { (t(Msg::CampaignArticles)) }
            @if view.articles.is_empty() { p { (t(Msg::NoArticles)) } }
            @for (article, translated) in &view.articles { (article_teaser(article, *translated)) }
        }
    };
    layout::page(&c.title, content)
}
