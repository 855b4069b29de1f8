//! Checking the text staff type into admin forms, field by field: each check keeps the
//! value (trimmed) and collects a message for the field when it is refused, so a form
//! shows every problem at once.

use super::text::{has_control, has_stray_control};

/// Each refused field by its form name, with the message shown beside it.
pub type FieldMessages = Vec<(&'static str, String)>;

/// What an empty required field asks for, by its form name: what is missing, not a rule.
fn missing(field: &str) -> String {
    let what = match field {
        "title" => "a title",
        "name" => "the organisation's name",
        "addressee" => "who the petition is addressed to",
        "body_md" => "the petition's text",
        "consent_text" => "the consent wording",
        "consent_version" => "a consent version",
        "subject_template" => "a subject",
        "body_template" => "the letter",
        "confirm_window_days" => "how many days a confirmation link stays valid",
        "max_targets" => "how many people a letter may go to",
        "max_per_hour" => "how many letters a target may get in an hour",
        "standfirst" => "a standfirst",
        "author" => "an author",
        _ => "a value",
    };
    format!("Enter {what}")
}

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
            self.refuse(field, missing(field));
        } else if value.chars().count() > max {
            self.refuse(field, format!("This must be {max} characters or fewer"));
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
        if value.trim().is_empty() {
            self.refuse(field, missing(field));
            return None;
        }
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

#[cfg(test)]
mod tests {
    use super::FieldChecks;

    #[test]
    fn an_empty_field_says_what_is_missing_and_a_long_one_says_the_limit() {
        let mut c = FieldChecks::default();
        c.line("title", "  ", true, 200);
        c.number("confirm_window_days", "", 1..=365);
        c.text("body_md", &"x".repeat(11), false, 10);
        c.number("max_targets", "99", 1..=50);
        let said: Vec<&str> = c.0.iter().map(|(_, m)| m.as_str()).collect();
        assert_eq!(
            said,
            [
                "Enter a title",
                "Enter how many days a confirmation link stays valid",
                "This must be 10 characters or fewer",
                "Enter a whole number from 1 to 50",
            ]
        );
    }
}
