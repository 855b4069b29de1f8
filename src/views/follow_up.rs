//! The page behind a follow-up link: did this official reply to your letter?

use maud::{html, Markup};

use super::layout;
use crate::db::follow_ups::Question;
use crate::domain::status::ReplyAnswer;
use crate::email::follow_ups::ANSWERS;
use crate::i18n::{t, t_with, Msg};

/// What the page shows besides the question.
pub struct Shown<'a> {
    /// The link's own path (`/follow-up/{token}`, in the request's language).
    pub action: &'a str,
    /// The answer the link or the form chose, to be saved with the button.
    pub chosen: Option<ReplyAnswer>,
    /// The text typed into the form (or stored before).
    pub reply: &'a str,
    /// Why the form was refused, if it was.
    pub error: Option<Msg>,
    /// Just saved: say so, and until when it can be changed.
    pub saved_until: Option<String>,
}

fn label(answer: ReplyAnswer) -> &'static str {
    let found = ANSWERS.iter().find(|(a, _)| *a == answer);
    t(found.map_or(Msg::AnswerNoReply, |(_, m)| *m))
}

pub fn page(question: &Question, shown: &Shown) -> Markup {
    let quoted = t_with(Msg::Quoted, &[("text", &question.title)]);
    let others: Vec<ReplyAnswer> = ANSWERS
        .iter()
        .map(|(a, _)| *a)
        .filter(|a| Some(*a) != shown.chosen)
        .collect();
    let content = html! {
        h1 { (t(Msg::FollowUpTitle)) }
        p.lead { (t_with(Msg::FollowUpQuestion, &[("name", &question.official), ("title", &quoted)])) }
        @if let Some(until) = &shown.saved_until {
            p.notice role="status" {
                (t(Msg::FollowUpSaved)) " "
                (t_with(Msg::FollowUpChangeUntil, &[("date", until)]))
            }
        }
        @if let Some(error) = shown.error {
            p.error-message role="alert" { (t(Msg::ErrorPrefix)) (t(error)) }
        }
        @if let Some(chosen) = shown.chosen {
            form method="post" action=(shown.action) {
                input type="hidden" name="answer" value=(chosen.as_str());
                p { strong { (t_with(Msg::FollowUpYourAnswer, &[("answer", label(chosen))])) } }
                div.field {
                    label for="reply" { (t(Msg::FollowUpReplyLabel)) }
                    p.hint #reply-hint { (t(Msg::FollowUpReplyHint)) }
                    textarea #reply name="reply" rows="6" maxlength="20000" aria-describedby="reply-hint" { (shown.reply) }
                }
                button.button type="submit" { (t(Msg::FollowUpSave)) }
            }
        }
        p { (t(if shown.chosen.is_some() { Msg::FollowUpOthers } else { Msg::FollowUpChoose })) }
        ul.choices {
            @for answer in others {
                li { a href={ (shown.action) "?answer=" (answer.as_str()) } { (label(answer)) } }
            }
        }
        p.hint { (t(Msg::MailFollowUpPrivacy)) }
    };
    layout::page(t(Msg::FollowUpTitle), content)
}

/// A forged, erased or stale link.
pub fn gone() -> Markup {
    let content = html! {
        h1 { (t(Msg::FollowUpGoneTitle)) }
        p { (t(Msg::FollowUpGoneBody)) }
    };
    layout::page(t(Msg::FollowUpGoneTitle), content)
}
