//! The pages after a letter: check your email, the prepared mailto letters, confirming,
//! thanks.

use maud::{html, Markup};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use super::{components, layout};
use crate::db::actions::ContactAction;
use crate::i18n::{href, t, t_with, Msg};

/// The characters a mailto address keeps as they are (RFC 6068 allows these unescaped).
const ADDRESS: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'@')
    .remove(b'.')
    .remove(b'-')
    .remove(b'_');

/// A `mailto:` link with the subject and body filled in, every part percent-encoded.
pub fn mailto(address: &str, subject: &str, body: &str) -> String {
    let body = body.replace("\r\n", "\n").replace('\n', "\r\n");
    format!(
        "mailto:{}?subject={}&body={}",
        utf8_percent_encode(address, ADDRESS),
        utf8_percent_encode(subject, NON_ALPHANUMERIC),
        utf8_percent_encode(&body, NON_ALPHANUMERIC)
    )
}

/// Mailto mode: one link per chosen target, (name, link).
pub fn prepared(action: &ContactAction, links: &[(String, String)]) -> Markup {
    layout::page(
        t(Msg::MailtoTitle),
        html! {
            h1 { (t(Msg::MailtoTitle)) }
            p { (t(Msg::MailtoBody)) }
            ul.mailto-links {
                @for (name, link) in links { li { a.button href=(link) { (t_with(Msg::MailtoLink, &[("name", name)])) } } }
            }
            p { a href={ (href("/act/")) (action.slug) } { (action.title) } }
        },
    )
}

/// "Check your email", with the address and "Change it" when the page learnt them.
pub fn check_email(action: &ContactAction, sent_to: Option<(&str, &str)>) -> Markup {
    layout::page(
        t(Msg::CheckEmailTitle),
        html! {
            h1 { (t(Msg::CheckEmailTitle)) }
            (components::sent_to(sent_to))
            p { (t(Msg::ContactCheckEmailBody)) }
            p { (t_with(Msg::CheckEmailNext, &[("days", &action.confirm_window_days.to_string())])) }
            p { (t(Msg::CheckEmailNothing)) }
            p { a href={ (href("/act/")) (action.slug) } { (action.title) } }
        },
    )
}

pub fn confirm(subject: &str, count: i64, form_action: &str) -> Markup {
    layout::page(
        t(Msg::ContactConfirmTitle),
        html! {
            h1 { (t(Msg::ContactConfirmTitle)) }
            p { (t_with(Msg::ContactConfirmBody, &[("subject", subject), ("count", &count.to_string())])) }
            form method="post" action=(form_action) { button.button type="submit" { (t(Msg::ContactConfirmButton)) } }
        },
    )
}

pub fn thanks(action: &ContactAction) -> Markup {
    layout::page(
        t(Msg::ContactThanksTitle),
        html! {
            h1 { (t(Msg::ContactThanksTitle)) }
            p { (t(Msg::ContactThanksBody)) }
            p { a href={ (href("/act/")) (action.slug) } { (action.title) } }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::mailto;

    #[test]
    fn mailto_links_encode_every_part() {
        let link = mailto(
            "anna.o'neil@example.org",
            "Act & stop? #now",
            "Dear Anna,\nact.\n=1+1 <b>",
        );
        assert_eq!(
            link,
            "mailto:anna.o%27neil@example.org?subject=Act%20%26%20stop%3F%20%23now&body=Dear%20Anna%2C%0D%0Aact%2E%0D%0A%3D1%2B1%20%3Cb%3E"
        );
    }
}
