//! Writing to officials: choose a country, then the targets and the letter. The pages
//! after it are `contact_after.rs`.

use maud::{html, Markup};

use super::sign_form::{
    email_question, email_question_above, error_summary_of, notice_box, partner_choice,
    partner_fields,
};
use super::{components, layout, markdown};
use crate::db::actions::ContactAction;
use crate::db::messages::Target;
use crate::domain::country;
use crate::domain::letter::ContactForm;
use crate::domain::newsletter::mailing_ref;
use crate::domain::signature::FieldErrors;
use crate::i18n::{self, href, t, t_count, t_with, Msg};

fn field_error(errors: &FieldErrors, name: &str) -> Option<&'static str> {
    errors.iter().find(|(n, _)| *n == name).map(|(_, e)| t(e.0))
}

/// The action's heading and text; `translated`: they are in the page's language.
fn header(action: &ContactAction, translated: bool) -> Markup {
    let count = if action.is_mailto() {
        t_count(
            Msg::OneLetterPrepared,
            Msg::LettersPrepared,
            action.letters_count,
            &[],
        )
    } else {
        t_count(
            Msg::OneLetterSent,
            Msg::LettersSent,
            action.letters_count,
            &[],
        )
    };
    let lang = components::original_lang(translated);
    html! {
        p.kicker { (t(Msg::ContactKicker)) }
        (components::not_translated(translated))
        h1 lang=[lang] { (action.title) }
        @if !action.summary.is_empty() { p.standfirst lang=[lang] { (action.summary) } }
        @if !action.body_md.is_empty() { div.prose lang=[lang] { (markdown::render(&action.body_md)) } }
        p.count { (count) }
    }
}

/// Step one: the country, as a GET form (`?country=XX`); `translated` as for the header.
pub fn choose_country(
    action: &ContactAction,
    (open, translated): (bool, bool),
    error: Option<Msg>,
    (carried, updates): (&[(&str, String)], &[crate::db::updates::Shown]),
) -> Markup {
    let title = match error {
        Some(_) => format!("{}{}", t(Msg::ErrorPrefix), action.title),
        None => action.title.clone(),
    };
    let path = format!("/act/{}", action.slug);
    let shared = layout::Shared {
        kind: "website",
        title: &action.title,
        description: &action.summary,
        path: &path,
        picture: None,
    };
    layout::shared_page(
        &title,
        &shared,
        html! {
            (header(action, translated))
            @if !open {
                p.closed { strong { (t(Msg::ActionClosed)) } }
            } @else {
                form.country-form method="get" action={ (href("/act/")) (action.slug) } {
                    // The mailing, partner and campaign values the page's link carried.
                    @for (name, value) in carried { input type="hidden" name=(name) value=(value); }
                    div.field.field-error[error.is_some()] {
                        label for="country" { (t(Msg::ContactChooseCountry)) }
                        @if let Some(e) = error { p.error-message #country-error { (t(Msg::ErrorPrefix)) (t(e)) } }
                        @if action.member_states_only { p.hint #country-hint { (t(Msg::MemberStatesOnlyHint)) } }
                        select #country name="country" autocomplete="country" required
                            aria-describedby=[action.member_states_only.then_some("country-hint")] {
                            option value="" { (t(Msg::ChooseCountry)) }
                            @let (member_states, others) = member_states_first();
                            @if action.member_states_only {
                                @for (code, name) in member_states { option value=(code) { (name) } }
                            } @else {
                                optgroup label=(t(Msg::EuMemberStates)) {
                                    @for (code, name) in member_states { option value=(code) { (name) } }
                                }
                                optgroup label=(t(Msg::OtherCountries)) {
                                    @for (code, name) in others { option value=(code) { (name) } }
                                }
                            }
                        }
                    }
                    button.button type="submit" { (t(Msg::ContactShowTargets)) }
                }
            }
            p.replies-link { a href={ (href("/act/")) (action.slug) "/replies" } { (t(Msg::RepliesLink)) } }
            (super::updates::timeline(updates))
        },
    )
}

/// No one on the action's list represents `country`: why, and the campaign's open
/// petitions (slug, title) instead.
pub fn nobody_to_write_to(
    (action, translated): (&ContactAction, bool),
    country: &str,
    petitions: &[(String, String)],
) -> Markup {
    let name = i18n::country_name(country);
    layout::page(
        &action.title,
        html! {
            p { a.back href={ (href("/act/")) (action.slug) } { (t(Msg::ChangeCountry)) } }
            (header(action, translated))
            div.notice role="status" {
                p { strong { (t_with(Msg::NobodyFor, &[("country", name)])) } }
                p { (t(Msg::MepsRepresentMemberStates)) }
            }
            @if !petitions.is_empty() {
                h2 { (t(Msg::SignInstead)) }
                ul {
                    @for (slug, title) in petitions {
                        li { a href={ (href("/petitions/")) (slug) } { (title) } }
                    }
                }
            }
        },
    )
}

/// The letter as the first chosen target will receive it, filled in with what is known
/// so far (the supporter's name once typed).
fn preview(view: &LetterView) -> Markup {
    let v = view.values;
    let target = view
        .targets
        .iter()
        .find(|t| v.targets.contains(&t.id))
        .or(view.targets.first());
    let Some(target) = target else {
        return html! {};
    };
    let typed = format!("{} {}", v.first_name.trim(), v.last_name.trim());
    let supporter = match typed.trim() {
        "" => t(Msg::PreviewYourName).to_string(),
        name => name.to_string(),
    };
    let country = i18n::country_name(view.country);
    let fill = |text: &str| crate::domain::letter::fill(text, &target.name, &supporter, country);
    html! {
        section.letter-preview aria-labelledby="preview-heading" {
            h2 #preview-heading { (t_with(Msg::PreviewHeading, &[("name", &target.name)])) }
            p { strong { (t(Msg::SubjectLabel)) ": " } (fill(&v.subject)) }
            div.preview-body {
                @for line in fill(&v.body).lines() { (line) br; }
            }
            p.hint { (t(Msg::PreviewNote)) }
        }
        p.reply-to-note { strong { (t(Msg::RepliesCome)) } }
    }
}

pub struct LetterView<'a> {
    pub action: &'a ContactAction,
    pub country: &'a str,
    pub targets: &'a [Target],
    /// The action's texts are in the page's language.
    pub translated: bool,
    pub values: &'a ContactForm,
    pub errors: &'a FieldErrors,
    pub token: &'a str,
    /// A message about the whole form (e.g. "try again in N seconds").
    pub notice: Option<&'a str>,
    /// The email as it was likely meant ("did you mean …?"), asked once before sending.
    pub suggestion: Option<&'a str>,
    /// The registered partner named by `values.partner`: its name, for the choice to
    /// share with it.
    pub partner: Option<&'a str>,
}

/// Step two: the targets of the chosen country and the letter.
pub fn letter(view: &LetterView) -> Markup {
    let (action, v, errors) = (view.action, view.values, view.errors);
    let title = if errors.is_empty() {
        action.title.clone()
    } else {
        format!("{}{}", t(Msg::ErrorPrefix), action.title)
    };
    let detail = |name: &'static str,
                  label: Msg,
                  value: &str,
                  kind: &str,
                  autocomplete: &str,
                  optional: bool| {
        let error = field_error(errors, name);
        html! {
            div.field.field-error[error.is_some()] {
                label for=(name) { (t(label)) @if optional { " " span.hint-inline { (t(Msg::Optional)) } } }
                @if let Some(e) = error { p.error-message #{ (name) "-error" } { (t(Msg::ErrorPrefix)) (e) } }
                input #(name) type=(kind) name=(name) value=(value) autocomplete=(autocomplete) required[!optional];
            }
        }
    };
    let targets_error = field_error(errors, "targets");
    layout::page(
        &title,
        html! {
            @if let Some(notice) = view.notice { (notice_box(notice)) }
            @if let Some(suggested) = view.suggestion { (email_question_above("email-suggestion", suggested)) }
        (error_summary_of(errors, ""))
            p { a.back href={ (href("/act/")) (action.slug) } { (t(Msg::ChangeCountry)) } }
            (header(action, view.translated))
            @if view.targets.is_empty() {
                p { (t(Msg::ContactNoTargets)) }
            } @else {
                form.letter-form method="post" action={ (href("/act/")) (action.slug) "/send" } {
                    input type="hidden" name="token" value=(view.token);
                    input type="hidden" name="country" value=(view.country);
                    @if !v.source.is_empty() { input type="hidden" name="source" value=(v.source); }
                    @if let Some(m) = mailing_ref(&v.mailing) { input type="hidden" name="mailing" value=(m); }
                    (partner_fields(view.partner.map(|_| v.partner.as_str()), &v.utm))
                    fieldset #targets.field-error[targets_error.is_some()] {
                        legend { (t(Msg::ContactTargetsLegend)) }
                        p.hint { (t_with(Msg::ContactTargetsHint, &[("max", &action.max_targets.to_string())])) }
                        @if let Some(e) = targets_error { p.error-message #targets-error { (t(Msg::ErrorPrefix)) (e) } }
                        @for target in view.targets {
                            div.field.checkbox {
                                input #{ "target-" (target.id) } type="checkbox" name="targets" value=(target.id)
                                    checked[v.targets.contains(&target.id)];
                                label for={ "target-" (target.id) } {
                                    strong { (target.name) }
                                    @if !target.political_group.is_empty() { ", " (target.political_group) }
                                    @if !target.party.is_empty() { " (" (target.party) ")" }
                                }
                            }
                        }
                    }
                    (detail("subject", Msg::SubjectLabel, &v.subject, "text", "off", false))
                    div.field.field-error[field_error(errors, "body").is_some()] {
                        label for="body" { (t(Msg::LetterLabel)) }
                        p.hint { (t(Msg::LetterHint)) " " (t(Msg::LetterPersonal)) }
                        @if let Some(e) = field_error(errors, "body") { p.error-message #body-error { (t(Msg::ErrorPrefix)) (e) } }
                        textarea #body name="body" rows="14" maxlength="5000" required { (v.body) }
                    }
                    (preview(view))
                    h2 { (t(Msg::YourDetails)) }
                    (detail("first_name", Msg::FirstName, &v.first_name, "text", "given-name", false))
                    (detail("last_name", Msg::LastName, &v.last_name, "text", "family-name", false))
                    @if let Some(suggested) = view.suggestion { (email_question("email-suggestion", suggested)) }
                    (detail("email", Msg::EmailAddress, &v.email, "email", "email", false))
                    // Only where a target depends on where the writer lives.
                    @if view.targets.iter().any(|t| !t.constituency.is_empty()) || !v.postcode.is_empty() || field_error(errors, "postcode").is_some() {
                        (detail("postcode", Msg::PostcodeLabel, &v.postcode, "text", "postal-code", true))
                    }
                    div.field.checkbox {
                        input #consent_updates type="checkbox" name="consent_updates" value="1" checked[v.consent_updates]
                            aria-describedby=[action.is_mailto().then_some("consent_updates-hint")];
                        label for="consent_updates" { (crate::organisation::newsletter_box()) }
                        // Never confirmed by email, such a letter cannot subscribe by itself.
                        @if action.is_mailto() { p.hint #consent_updates-hint { (t(Msg::ConsentMailtoHint)) } }
                    }
                    (partner_choice("consent_partner", view.partner, v.consent_partner))
                    div.hp aria-hidden="true" {
                        label for="website" { (t(Msg::HoneypotLabel)) }
                        input #website type="text" name="website" value="" tabindex="-1" autocomplete="off";
                    }
                    p.hint.privacy-note {
                        (t_with(Msg::LetterFormKept, &[("period", &i18n::period_in(i18n::current(), crate::organisation::retention().letters))]))
                        " " a href=(href("/privacy")) { (t(Msg::PrivacyLink)) }
                    }
                    button.button type="submit" {
                        (t(if action.is_mailto() { Msg::PrepareLetter } else { Msg::SendLetter }))
                    }
                    (layout::controller_line())
                }
            }
        },
    )
}

/// A country as a `<select>` offers it: (ISO code, name in the page's language).
type Choice = (&'static str, &'static str);

/// Every country in the page's language and order, in two groups: the EU member states,
/// then the others (a country `<select>` for writing to MEPs).
fn member_states_first() -> (Vec<Choice>, Vec<Choice>) {
    i18n::country_names(i18n::current())
        .sorted()
        .iter()
        .map(|(code, name)| (*code, name.as_str()))
        .partition(|(code, _)| country::is_member_state(code))
}
