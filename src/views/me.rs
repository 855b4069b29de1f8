//! A supporter's own data: the form that emails the link (`/me`), "check your email",
//! the page the link opens (everything kept about them) and the page of a link that no
//! longer works.

use maud::{html, Markup};

use super::layout;
use super::sign_form::{error_summary_of, notice_box};
use crate::db::supporter_data::{LetterData, SignatureData, SubscriptionData, SupporterData};
use crate::domain::signature::FieldErrors;
use crate::i18n::{self, href, t, t_with, Msg};

/// What the form shows.
pub struct FormView<'a> {
    pub token: &'a str,
    pub email: &'a str,
    pub errors: &'a FieldErrors,
    /// A message about the whole form (e.g. "try again in N seconds").
    pub notice: Option<&'a str>,
}

fn form(view: &FormView) -> Markup {
    let error = view
        .errors
        .iter()
        .find(|(f, _)| *f == "email")
        .map(|(_, e)| t(e.0));
    html! {
        @if let Some(notice) = view.notice { (notice_box(notice)) }
        (error_summary_of(view.errors, "me-"))
        form.me-form method="post" action=(href("/me")) novalidate {
            input type="hidden" name="token" value=(view.token);
            div.field.field-error[error.is_some()] {
                label for="me-email" { (t(Msg::EmailAddress)) }
                @if let Some(message) = error { p.error-message #me-email-error { (t(Msg::ErrorPrefix)) (message) } }
                input #me-email name="email" type="email" value=(view.email) autocomplete="email" required
                    aria-invalid=[error.map(|_| "true")] aria-describedby=[error.map(|_| "me-email-error")];
            }
            div.hp aria-hidden="true" {
                label for="me-website" { (t(Msg::HoneypotLabel)) }
                input #me-website type="text" name="website" value="" tabindex="-1" autocomplete="off";
            }
            button.button type="submit" { (t(Msg::MeSend)) }
        }
    }
}

/// `/me`: what the link does, and the form.
pub fn page(view: &FormView) -> Markup {
    let title = match view.errors.is_empty() {
        true => t(Msg::MeTitle).to_string(),
        false => format!("{}{}", t(Msg::ErrorPrefix), t(Msg::MeTitle)),
    };
    layout::page(
        &title,
        html! {
            h1 { (t(Msg::MeTitle)) }
            p { (t(Msg::MeIntro)) }
            (form(view))
        },
    )
}

/// The same answer whatever is stored about the address.
pub fn check_email() -> Markup {
    layout::page(
        t(Msg::CheckEmailTitle),
        html! {
            h1 { (t(Msg::CheckEmailTitle)) }
            p { (t(Msg::MeSentBody)) }
        },
    )
}

/// A forged, expired, replaced or erased link: nothing shown, a way to a new one.
pub fn gone(view: &FormView) -> Markup {
    layout::page(
        t(Msg::MeGoneTitle),
        html! {
            h1 { (t(Msg::MeGoneTitle)) }
            p { (t(Msg::MeGoneBody)) }
            (form(view))
        },
    )
}

fn when(at: chrono::NaiveDateTime) -> String {
    i18n::date(at)
}

fn signature_status(status: &str) -> Msg {
    match status {
        "pending" => Msg::MeStatusPending,
        "confirmed" => Msg::MeStatusCounted,
        "held" => Msg::MeStatusHeld,
        _ => Msg::MeStatusNotCounted,
    }
}

fn signature(s: &SignatureData, base: &str) -> Markup {
    let hint = format!("withdraw-{}", s.id);
    html! {
        li.me-item {
            h3 { a href={ (href("/petitions/")) (s.petition_slug) } { (s.petition_title) } }
            p { (t_with(Msg::MeSignedOn, &[("date", &when(s.signed_at))])) " · " strong { (t(signature_status(&s.status))) } }
            p { (s.first_name) " " (s.last_name) " · " (s.email) " · " (i18n::country_name(&s.country)) }
            @if !s.comment.is_empty() { p { (s.comment) } }
            p.hint { (t(Msg::MeAgreed)) " " (s.consent_text) }
            @if s.show_publicly { p.hint { (s.show_publicly_text) } }
            @if s.consent_partner { p.hint { (s.consent_partner_text) } }
            form.me-withdraw method="post" action={ (base) "/withdraw" } {
                input type="hidden" name="signature" value=(s.id);
                p.hint #(hint) { (t(Msg::MeWithdrawHint)) }
                button.button.secondary type="submit" aria-describedby=(hint) { (t(Msg::MeWithdraw)) }
            }
        }
    }
}

fn letter(l: &LetterData) -> Markup {
    let status = match l.status.as_str() {
        "confirmed" => Msg::MeLetterConfirmed,
        other => signature_status(other),
    };
    let names: Vec<&str> = l.recipients.iter().map(|r| r.name.as_str()).collect();
    html! {
        li.me-item {
            h3 { a href={ (href("/act/")) (l.action_slug) } { (l.action_title) } }
            p { (t_with(Msg::MeWrittenOn, &[("date", &when(l.written_at))])) " · " strong { (t(status)) } }
            p { (t(Msg::MeRecipients)) " " (names.join(", ")) }
            @for r in l.recipients.iter().filter(|r| r.answer.is_some()) {
                @let answer = r.answer.as_deref().and_then(crate::domain::status::ReplyAnswer::parse);
                @let label = crate::email::follow_ups::ANSWERS.iter().find(|(a, _)| Some(*a) == answer);
                @if let Some((_, label)) = label {
                    p.me-answer { (t_with(Msg::FollowUpQuestion, &[("name", &r.name), ("title", &t_with(Msg::Quoted, &[("text", &l.action_title)]))])) " " strong { (t(*label)) } }
                }
                @if !r.reply.is_empty() { blockquote.me-letter { (r.reply) } }
            }
            p { strong { (l.subject) } }
            @for line in l.body.lines() { p.me-letter { (line) } }
            p.hint { (t(Msg::MeAgreed)) " " (l.consent_text) }
        }
    }
}

fn subscription(n: &SubscriptionData, base: &str) -> Markup {
    let status = match n.status.as_str() {
        "pending" => Msg::MeStatusPending,
        "subscribed" => Msg::MeSubscribed,
        "unsubscribed" => Msg::MeUnsubscribed,
        _ => Msg::MeBounced,
    };
    html! {
        p { strong { (t(status)) } " · " (n.email) " · " (when(n.asked_at)) }
        p.hint { (t(Msg::MeAgreed)) " " (n.consent_text) }
        @if matches!(n.status.as_str(), "pending" | "subscribed") {
            form method="post" action={ (base) "/unsubscribe" } {
                button.button.secondary type="submit" { (t(Msg::MeUnsubscribe)) }
            }
        }
    }
}

/// `/me/{token}`: everything kept about the supporter, and the download; `notice`
/// says what the last step did.
pub fn data(data: &SupporterData, base: &str, notice: Option<Msg>) -> Markup {
    html! {
        h1 { (t(Msg::MeDataTitle)) }
        @if let Some(notice) = notice { div.notice role="status" { p { (t(notice)) } } }
        p { (t(Msg::MeDataIntro)) }
        p { a.button href={ (base) "/data.json" } download { (t(Msg::MeDownload)) } }
        h2 { (t(Msg::MeSignatures)) }
        @if data.signatures.is_empty() { p { (t(Msg::MeNone)) } }
        ul.me-list { @for s in &data.signatures { (signature(s, base)) } }
        h2 { (t(Msg::MeLetters)) }
        @if data.letters.is_empty() { p { (t(Msg::MeNone)) } }
        ul.me-list { @for l in &data.letters { (letter(l)) } }
        h2 { (t(Msg::MeNewsletter)) }
        @match &data.newsletter {
            Some(n) => (subscription(n, base)),
            None => p { (t(Msg::MeNone)) },
        }
        @if !data.news_stopped.is_empty() {
            p #news-stopped { (t(Msg::MeNewsStopped)) }
            ul.me-list { @for n in &data.news_stopped { li { (n.action_title) } } }
        }
        h2 { (t(Msg::MeVisits)) }
        p { (t(Msg::MeVisitsBody)) }
        h2 { (t(Msg::MeErase)) }
        p { (t(Msg::MeEraseIntro)) }
        form method="post" action={ (base) "/erase" } {
            button.button.secondary type="submit" { (t(Msg::MeErase)) }
        }
    }
}

/// What erasing will take, and the button that does it.
pub fn erase(footprint: &crate::db::erasure::Footprint, base: &str) -> Markup {
    layout::page(
        t(Msg::MeEraseTitle),
        html! {
            h1 { (t(Msg::MeEraseTitle)) }
            @if !footprint.actions.is_empty() {
                p { (t(Msg::MeEraseList)) }
                ul { @for title in &footprint.actions { li { (title) } } }
            }
            @if footprint.subscription { p { (t(Msg::MeEraseNewsletter)) } }
            p { (t(Msg::MeEraseIntro)) }
            form method="post" action={ (base) "/erase" } {
                input type="hidden" name="confirm" value="1";
                button.button type="submit" { (t(Msg::MeEraseConfirm)) }
            }
            p { a href=(base) { (t(Msg::MeDataTitle)) } }
        },
    )
}

pub fn erased() -> Markup {
    layout::page(
        t(Msg::MeErasedTitle),
        html! {
            h1 { (t(Msg::MeErasedTitle)) }
            p { (t(Msg::MeErasedBody)) }
        },
    )
}

pub fn data_page(body: Markup) -> Markup {
    layout::page(t(Msg::MeDataTitle), body)
}
