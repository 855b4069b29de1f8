//! Checking the text staff type into admin forms, field by field: each check keeps the
//! value (trimmed) and collects a message for the field when it is refused, so a form
//! shows every problem at once.

use super::text::{has_control, has_stray_control};

/// Each refused field by its form name, with the message shown beside it.
pub type FieldMessages = Vec<(&'static str, String)>;

/// Collects field messages while turning typed text into values to store.
#[derive(Debug, Default)]
pub struct FieldChecks(pub FieldMessages);

impl FieldChecks {
    pub fn refuse(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.push((field, message.into()));
    }

    /// Text of at most `max` characters (line breaks allowed), trimmed.
    pub fn text(&mut self, field: &'static str, value: &str, required: bool, max: usize) -> String {
        if required && value.trim().is_empty() {
            self.refuse(field, "This field is required");
        } else if value.chars().count() > max {
            self.refuse(field, format!("At most {max} characters"));
        } else if has_stray_control(value) {
            self.refuse(field, "Remove the control characters (such as NUL)");
        }
        value.trim().to_string()
    }

    /// One line of text: `text`, and no line breaks either.
    pub fn line(&mut self, field: &'static str, value: &str, required: bool, max: usize) -> String {
        let before = self.0.len();
        let kept = self.text(field, value, required, max);
        if self.0.len() == before && has_control(value, false) {
            self.refuse(field, "This must be one line");
        }
        kept
    }

    /// A whole number within `range`.
    pub fn number(
        &mut self,
        field: &'static str,
        value: &str,
        range: std::ops::RangeInclusive<i64>,
    ) -> Option<i64> {
        match value.trim().parse::<i64>() {
            Ok(n) if range.contains(&n) => Some(n),
            _ => {
                let (from, to) = (range.start(), range.end());
                self.refuse(field, format!("Enter a whole number from {from} to {to}"));
                None
            }
        }
    }

    /// One of `allowed`, as typed.
    pub fn one_of(&mut self, field: &'static str, value: &str, allowed: &[&str]) -> String {
        if !allowed.contains(&value) {
            self.refuse(field, "Choose an option from the list");
        }
        value.to_string()
    }

    /// `value` when no field was refused, else every message.
    pub fn result<T>(self, value: T) -> Result<T, FieldMessages> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self.0)
        }
    }
}
