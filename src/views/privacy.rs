//! The privacy page: what is kept, drawn from the list of stored columns
//! (`domain/kept.rs`), and for how long, drawn from the running settings.

use maud::{html, Markup};

use super::layout;
use crate::domain::kept::kept_in;
use crate::i18n::{self, href, t, t_with, Msg};

/// `exempt`: titles of public actions staff exempted from retention.
pub fn page(exempt: &[String]) -> Markup {
    let periods = crate::organisation::retention();
    let period = |p| i18n::period_in(i18n::current(), p);
    let org = crate::organisation::current();
    let list = |tables: &[&str]| {
        let kept = tables.iter().flat_map(|table| kept_in(table));
        html! { ul.kept { @for what in kept { li { (t(what)) } } } }
    };
    layout::page(
        t(Msg::PrivacyTitle),
        html! {
            h1 { (t(Msg::PrivacyTitle)) }
            p.lead { (t(Msg::PrivacyIntro)) }
            h2 { (t(Msg::PrivacySignHeading)) }
            (list(&["signatures", "update_optouts"]))
            h2 { (t(Msg::PrivacyLetterHeading)) }
            (list(&["messages", "message_targets", "update_optouts"]))
            h2 { (t(Msg::PrivacyNewsletterHeading)) }
            (list(&["subscribers"]))
            h2 #how-long { (t(Msg::PrivacyHowLongHeading)) }
            ul.periods {
                li #unconfirmed { (t_with(Msg::PrivacyUnconfirmed, &[("period", &period(periods.unconfirmed))])) }
                li #signatures { (t_with(Msg::PrivacySignatures, &[("period", &period(periods.signatures))])) }
                li #letters { (t_with(Msg::PrivacyLetters, &[("period", &period(periods.letters))])) }
                li #follow-up { (t(Msg::PrivacyFollowUp)) }
                li #updates { (t(Msg::PrivacyUpdates)) }
                li { (t(Msg::PrivacyNewsletterKept)) }
            }
            @if !exempt.is_empty() {
                p { (t(Msg::PrivacyExempt)) }
                ul.exempt { @for title in exempt { li { (title) } } }
            }
            p { (t(Msg::PrivacySharing)) }
            h2 { (t(Msg::PrivacyRightsHeading)) }
            p { (t(Msg::PrivacyRights)) " " a href=(href("/me")) { (t(Msg::MeTitle)) } }
            @if !org.controller_name.is_empty() {
                h2 { (t(Msg::PrivacyWhoHeading)) }
                p.controller {
                    (t_with(Msg::ControllerFooter, &[("controller", &org.controller_name)]))
                    @if !org.controller_address.is_empty() { " " (org.controller_address) "." }
                    @if !org.contact_email.is_empty() {
                        " " (t(Msg::ContactLabel)) " " a href={ "mailto:" (org.contact_email) } { (org.contact_email) }
                    }
                    @if !org.legal_url.is_empty() { " " a href=(org.legal_url) { (t(Msg::LegalNotice)) } }
                }
            }
        },
    )
}
