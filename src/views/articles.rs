//! The article list and the article page with its call-to-action cards.

use maud::{html, Markup};

use super::components::{action_card, article_teaser, byline, not_translated, original_lang};
use super::sign_form::{sign_form, SignFormView};
use super::{layout, markdown};
use crate::db::actions::ActionCard;
use crate::db::article_pictures::PictureInfo;
use crate::db::articles::{Article, ArticleWithCampaign};
use crate::domain::signature::{FieldErrors, SignForm};
use crate::i18n::{t, t_count, t_with, Msg};

/// Each article with whether it is in the page's language.
pub fn list(articles: &[(Article, bool)]) -> Markup {
    let content = html! {
        h1 { (t(Msg::ArticlesTitle)) }
        @if articles.is_empty() { p { (t(Msg::NoArticles)) } }
        @for (article, translated) in articles { (article_teaser(article, *translated)) }
    };
    layout::page(t(Msg::ArticlesTitle), content)
}

pub struct ArticleView {
    pub article: ArticleWithCampaign,
    pub cards: Vec<CardView>,
    /// The newsletter's join form (`views/newsletter.rs`).
    pub newsletter: Markup,
    /// The mailing whose link led here (it exists): the sign forms record it.
    pub mailing: Option<String>,
}

/// A card and, for an open petition, the token of its embedded sign form.
pub struct CardView {
    pub card: ActionCard,
    pub open: bool,
    /// Its title and summary are in the page's language.
    pub translated: bool,
    pub sign_token: Option<String>,
}

fn card(view: &CardView, article_slug: &str, mailing: Option<&str>) -> Markup {
    let values = SignForm {
        mailing: mailing.unwrap_or_default().to_string(),
        ..SignForm::default()
    };
    let errors = FieldErrors::new();
    let prefix = format!("{}-", view.card.slug);
    let form = view.sign_token.as_deref().map(|token| {
        sign_form(&SignFormView {
            petition_slug: &view.card.slug,
            token,
            values: &values,
            errors: &errors,
            source: Some(article_slug),
            id_prefix: &prefix,
            notice: None,
            suggestion: None,
            partner: None,
        })
    });
    action_card(&view.card, (view.open, view.translated), form)
}

/// On a phone the cards sit a long scroll away: one short line per open action under
/// the standfirst, with its count and a link down to its card.
fn jump_links(cards: &[CardView]) -> Markup {
    html! {
        @for each in cards.iter().filter(|c| c.open) {
            @let card = &each.card;
            p.jump {
                @if card.kind == "petition" {
                    (t_count(Msg::OneSignature, Msg::Signatures, card.confirmed_count, &[]))
                    " · "
                    a href={ "#cta-" (card.slug) } { (t(Msg::SignThePetition)) }
                } @else {
                    (t_count(Msg::OneLetterSent, Msg::LettersSent, card.letters_count, &[]))
                    " · "
                    a href={ "#cta-" (card.slug) } { (t(Msg::WriteToOfficials)) }
                }
            }
        }
    }
}

/// Where an article's picture is served; the version lets browsers keep it a day.
fn picture_path(slug: &str, picture: &PictureInfo) -> String {
    format!("/articles/{slug}/picture?v={}", picture.version())
}

pub fn show(view: &ArticleView) -> Markup {
    let article = &view.article.article;
    let content = html! {
        article.article {
            p.kicker { (t_with(Msg::PartOfCampaign, &[("campaign", &view.article.campaign_title)])) }
            (not_translated(view.article.translated))
            h1 lang=[original_lang(view.article.translated)] { (article.title) }
            @if !article.standfirst.is_empty() { p.standfirst lang=[original_lang(view.article.translated)] { (article.standfirst) } }
            @if let Some(picture) = &view.article.picture {
                // Its size reserves the space, so the text does not jump as it loads.
                figure.picture {
                    img src=(picture_path(&article.slug, picture)) alt=(picture.alt)
                        width=(picture.width) height=(picture.height);
                }
            }
            (jump_links(&view.cards))
            (byline(article))
            div.prose lang=[original_lang(view.article.translated)] { (markdown::render(&article.body_md)) }
        }
        @if !view.cards.is_empty() {
            section.cta aria-labelledby="cta-heading" {
                h2 #cta-heading { (t(Msg::TakeAction)) }
                @for each in &view.cards { (card(each, &article.slug, view.mailing.as_deref())) }
            }
        }
        (view.newsletter)
    };
    let path = format!("/articles/{}", article.slug);
    let shared = layout::Shared {
        kind: "article",
        title: &article.title,
        description: &article.standfirst,
        path: &path,
        picture: view
            .article
            .picture
            .as_ref()
            .map(|p| layout::SharedPicture {
                path: picture_path(&article.slug, p),
                alt: &p.alt,
                width: p.width,
                height: p.height,
            }),
    };
    layout::shared_page(&article.title, &shared, content)
}
