//! The action form's fields checked: typed text in, the values to store or the errors to
//! show beside each field out. Each check is `domain::field_check`'s; this file says which
//! field gets which, for a petition and for a letter-writing action.

use chrono::NaiveDateTime;

use super::actions::{Choices, DATETIME};
use super::staff_form::StaffForm;
use crate::db::actions::ActionChanges;
use crate::domain::field_check::FieldChecks;
use crate::domain::slug::Slug;
use crate::views::admin::actions::ActionValues;
use crate::views::admin::fields::Errors;

/// The form's values as typed, for an action of `kind`.
fn typed(form: &StaffForm, kind: &str) -> ActionValues {
    let field = |name: &str| form.get(name).to_string();
    ActionValues {
        kind: kind.to_string(),
        campaign_id: field("campaign_id"),
        title: field("title"),
        slug: field("slug"),
        summary: field("summary"),
        status: field("status"),
        body_md: field("body_md"),
        addressee: field("addressee"),
        goal: field("goal"),
        deadline: field("deadline"),
        confirm_window_days: field("confirm_window_days"),
        target_list_id: field("target_list_id"),
        subject_template: field("subject_template"),
        body_template: field("body_template"),
        max_targets: field("max_targets"),
        delivery_mode: field("delivery_mode"),
        max_per_hour: field("max_per_hour"),
        consent_text: field("consent_text"),
        consent_version: field("consent_version"),
        public_signers: !form.get("public_signers").is_empty(),
        outcome_md: field("outcome_md"),
        member_states_only: !form.get("member_states_only").is_empty(),
    }
}

/// A petition's own fields: addressee, goal, deadline, confirmation window.
fn petition(c: &mut FieldChecks, v: &ActionValues, changes: &mut ActionChanges) {
    changes.addressee = c.line("addressee", &v.addressee, true, 200);
    changes.goal = if v.goal.trim().is_empty() {
        None
    } else {
        c.number("goal", &v.goal, 1..=1_000_000_000)
    };
    changes.deadline = match v.deadline.trim() {
        "" => None,
        typed => NaiveDateTime::parse_from_str(typed, DATETIME)
            .map_err(|_| c.refuse("deadline", "Enter a date and time like 2027-05-31T23:59"))
            .ok(),
    };
    changes.outcome_md = c.text("outcome_md", &v.outcome_md, false, 5_000);
    changes.confirm_window_days = c
        .number("confirm_window_days", &v.confirm_window_days, 1..=365)
        .unwrap_or(30) as i32;
}

/// A letter-writing action's own fields: target list, templates, delivery and pacing.
fn contact(c: &mut FieldChecks, v: &ActionValues, choices: &Choices, changes: &mut ActionChanges) {
    let known = |(id, _): &(String, String)| *id == v.target_list_id;
    if !choices.target_lists.iter().any(known) {
        let message = "Choose a target list (upload one first if the list is empty)";
        c.refuse("target_list_id", message);
    }
    changes.target_list_id = Some(v.target_list_id.clone());
    changes.subject_template = c.line("subject_template", &v.subject_template, true, 200);
    if v.subject_template.contains("=?") {
        // An RFC 2047 encoded word: mail programs would show other text.
        c.refuse("subject_template", "The subject must not contain \"=?\"");
    }
    changes.body_template = c.text("body_template", &v.body_template, true, 5_000);
    changes.max_targets = c.number("max_targets", &v.max_targets, 1..=50).unwrap_or(5) as i32;
    let modes = ["platform", "mailto"];
    changes.delivery_mode = c.one_of("delivery_mode", &v.delivery_mode, &modes);
    changes.max_per_hour = c
        .number("max_per_hour", &v.max_per_hour, 1..=10_000)
        .unwrap_or(30) as i32;
    changes.member_states_only = v.member_states_only;
}

pub(super) fn parse(
    form: &StaffForm,
    kind: &str,
    choices: &Choices,
) -> (ActionValues, Result<ActionChanges, Errors>) {
    let v = typed(form, kind);
    let is_petition = kind == "petition";
    let mut c = FieldChecks::default();
    if !choices.campaigns.iter().any(|(id, _)| *id == v.campaign_id) {
        let message = "Choose a campaign (create one first if the list is empty)";
        c.refuse("campaign_id", message);
    }
    let mut changes = ActionChanges {
        campaign_id: v.campaign_id.clone(),
        title: c.line("title", &v.title, true, 200),
        summary: c.text("summary", &v.summary, false, 600),
        status: c.one_of("status", &v.status, &["draft", "open", "closed"]),
        body_md: c.text("body_md", &v.body_md, is_petition, 20_000),
        consent_text: c.text("consent_text", &v.consent_text, true, 500),
        consent_version: c.line("consent_version", &v.consent_version, true, 50),
        confirm_window_days: 30,
        max_targets: 5,
        delivery_mode: "platform".into(),
        max_per_hour: 30,
        // Only a petition lists signers; a letter-writing action keeps the default.
        public_signers: !is_petition || v.public_signers,
        ..Default::default()
    };
    if is_petition {
        petition(&mut c, &v, &mut changes);
    } else {
        contact(&mut c, &v, choices, &mut changes);
    }
    match Slug::parse_or_from(&v.slug, &v.title) {
        Ok(slug) => changes.slug = slug.as_str().to_string(),
        Err(message) => c.refuse("slug", message),
    }
    let result = c.result(changes);
    (v, result)
}
