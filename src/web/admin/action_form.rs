//! The action form's fields checked: typed text in, the values to store or the errors to
//! show beside each field out.

use chrono::NaiveDateTime;

use super::actions::{Choices, DATETIME};
use super::staff_form::StaffForm;
use crate::db::actions::ActionChanges;
use crate::domain::slug::Slug;
use crate::domain::text::{has_control, has_stray_control};
use crate::views::admin::actions::ActionValues;
use crate::views::admin::fields::Errors;

/// Collects field errors while turning typed text into stored values.
struct Check(Errors);

impl Check {
    fn text(&mut self, field: &'static str, value: &str, required: bool, max: usize) -> String {
        if required && value.trim().is_empty() {
            self.0.push((field, "This field is required".into()));
        } else if value.chars().count() > max {
            self.0.push((field, format!("At most {max} characters")));
        } else if has_stray_control(value) {
            self.0
                .push((field, "Remove the control characters (such as NUL)".into()));
        }
        value.trim().to_string()
    }

    /// One line of text: `text`, and no line breaks either.
    fn line(&mut self, field: &'static str, value: &str, required: bool, max: usize) -> String {
        let before = self.0.len();
        let kept = self.text(field, value, required, max);
        if self.0.len() == before && has_control(value, false) {
            self.0.push((field, "This must be one line".into()));
        }
        kept
    }

    fn number(
        &mut self,
        field: &'static str,
        value: &str,
        range: std::ops::RangeInclusive<i64>,
    ) -> Option<i64> {
        match value.trim().parse::<i64>() {
            Ok(n) if range.contains(&n) => Some(n),
            _ => {
                self.0.push((
                    field,
                    format!(
                        "Enter a whole number from {} to {}",
                        range.start(),
                        range.end()
                    ),
                ));
                None
            }
        }
    }

    fn one_of(&mut self, field: &'static str, value: &str, allowed: &[&str]) -> String {
        if !allowed.contains(&value) {
            self.0
                .push((field, "Choose an option from the list".into()));
        }
        value.to_string()
    }
}

pub(super) fn parse(
    form: &StaffForm,
    kind: &str,
    choices: &Choices,
) -> (ActionValues, Result<ActionChanges, Errors>) {
    let field = |name: &str| form.get(name).to_string();
    let v = ActionValues {
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
    };
    let petition = kind == "petition";
    let mut c = Check(Errors::new());
    if !choices.campaigns.iter().any(|(id, _)| *id == v.campaign_id) {
        c.0.push((
            "campaign_id",
            "Choose a campaign (create one first if the list is empty)".into(),
        ));
    }
    let mut changes = ActionChanges {
        campaign_id: v.campaign_id.clone(),
        title: c.line("title", &v.title, true, 200),
        summary: c.text("summary", &v.summary, false, 600),
        status: c.one_of("status", &v.status, &["draft", "open", "closed"]),
        body_md: c.text("body_md", &v.body_md, petition, 20_000),
        consent_text: c.text("consent_text", &v.consent_text, true, 500),
        consent_version: c.line("consent_version", &v.consent_version, true, 50),
        confirm_window_days: 30,
        max_targets: 5,
        delivery_mode: "platform".into(),
        max_per_hour: 30,
        ..Default::default()
    };
    if petition {
        changes.addressee = c.line("addressee", &v.addressee, true, 200);
        changes.goal = if v.goal.trim().is_empty() {
            None
        } else {
            c.number("goal", &v.goal, 1..=1_000_000_000)
        };
        changes.deadline = match v.deadline.trim() {
            "" => None,
            typed => NaiveDateTime::parse_from_str(typed, DATETIME)
                .map_err(|_| {
                    c.0.push((
                        "deadline",
                        "Enter a date and time like 2027-05-31T23:59".into(),
                    ))
                })
                .ok(),
        };
        changes.confirm_window_days = c
            .number("confirm_window_days", &v.confirm_window_days, 1..=365)
            .unwrap_or(30) as i32;
    } else {
        if !choices
            .target_lists
            .iter()
            .any(|(id, _)| *id == v.target_list_id)
        {
            c.0.push((
                "target_list_id",
                "Choose a target list (upload one first if the list is empty)".into(),
            ));
        }
        changes.target_list_id = Some(v.target_list_id.clone());
        changes.subject_template = c.line("subject_template", &v.subject_template, true, 200);
        if v.subject_template.contains("=?") {
            // An RFC 2047 encoded word: mail programs would show other text.
            c.0.push((
                "subject_template",
                "The subject must not contain \"=?\"".into(),
            ));
        }
        changes.body_template = c.text("body_template", &v.body_template, true, 5_000);
        changes.max_targets = c.number("max_targets", &v.max_targets, 1..=50).unwrap_or(5) as i32;
        changes.delivery_mode =
            c.one_of("delivery_mode", &v.delivery_mode, &["platform", "mailto"]);
        changes.max_per_hour = c
            .number("max_per_hour", &v.max_per_hour, 1..=10_000)
            .unwrap_or(30) as i32;
    }
    match Slug::parse_or_from(&v.slug, &v.title) {
        Ok(slug) => changes.slug = slug.as_str().to_string(),
        Err(message) => c.0.push(("slug", message.into())),
    }
    let result = if c.0.is_empty() {
        Ok(changes)
    } else {
        Err(c.0)
    };
    (v, result)
}
