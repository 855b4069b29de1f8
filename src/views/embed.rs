//! The embed (issue 27): a petition's sign form alone, to sit in an iframe on a
//! partner's site. No site header or footer; links that leave it open a new tab, so that
//! the partner's page stays where the supporter is.

use maud::{html, Markup, DOCTYPE};

use super::components;
use super::sign_form::{email_question_above, error_summary, sign_form, SignFormView};
use crate::db::petitions::Petition;
use crate::i18n::{self, href, t, Msg};

fn shell(title: &str, content: Markup) -> Markup {
    let lang = i18n::current();
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                link rel="stylesheet" href="/static/clarion.css";
                // Tells the page around the iframe how tall this one is (`/embed.js`).
                script src="/static/embed-frame.js" defer {}
            }
            body.embed {
                main #main { (content) }
            }
        }
    }
}

/// The form, under the petition's title and count.
pub fn page(petition: &Petition, open: bool, form: &SignFormView) -> Markup {
    let content = html! {
        (error_summary(form))
        @if let Some(suggested) = form.suggestion { (email_question_above("email-suggestion", suggested)) }
        h1.embed-title { (petition.title) }
        (components::progress(petition.confirmed_count, petition.goal))
        p { a href=(href(&format!("/petitions/{}", petition.slug))) target="_blank" rel="noopener" { (t(Msg::ReadThePetition)) } }
        @if open {
            section #sign { (sign_form(form)) }
        } @else {
            p.notice { (t(Msg::PetitionClosed)) }
        }
        p.hint { a href=(href("/privacy")) target="_blank" rel="noopener" { (t(Msg::PrivacyLink)) } }
    };
    shell(&petition.title, content)
}

/// "Check your email", inside the iframe.
pub fn check_email(petition: &Petition) -> Markup {
    let content = html! {
        h1 { (t(Msg::CheckEmailTitle)) }
        p { (t(Msg::CheckEmailBody)) }
        p { (i18n::t_with(Msg::CheckEmailNext, &[("days", &petition.confirm_window_days.to_string())])) }
        p { (t(Msg::CheckEmailNothing)) }
    };
    shell(t(Msg::CheckEmailTitle), content)
}
