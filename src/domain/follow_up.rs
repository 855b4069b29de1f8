//! The follow-up of a delivered letter: what its writer may send back about each
//! official (an answer, and the reply's text if they paste it) and how long a link lasts.

use chrono::{NaiveDateTime, TimeDelta};

use super::status::ReplyAnswer;
use super::text::has_stray_control;
use super::FieldError;
use crate::i18n::Msg;

/// An answer may be changed this long after it was first given; then the link ends.
pub const CHANGE_FOR: TimeDelta = TimeDelta::days(30);
/// A link nobody answered ends this long after it was sent (past the reminder).
pub const UNANSWERED_FOR: TimeDelta = TimeDelta::days(90);

/// Whether a link issued at `issued`, first answered at `first_answered`, still works.
pub fn link_works(
    issued: NaiveDateTime,
    first_answered: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> bool {
    match first_answered {
        Some(at) => now <= at + CHANGE_FOR,
        None => now <= issued + UNANSWERED_FOR,
    }
}

/// The query's or form's `answer`: missing is not an error (the page offers the four),
/// anything but the four spellings is.
pub fn parse_answer(raw: Option<&str>) -> Result<Option<ReplyAnswer>, FieldError> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => ReplyAnswer::parse(text)
            .map(Some)
            .ok_or(FieldError(Msg::ErrAnswerUnknown)),
    }
}

/// The text of an official's reply, pasted by the writer: optional, kept private until
/// staff approve quoting it. Printable text, line breaks and tabs (pasted mail has them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PastedReply(String);

impl PastedReply {
    pub const MAX_CHARS: usize = 20_000;

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let text = raw.trim();
        if text.chars().count() > Self::MAX_CHARS {
            return Err(FieldError(Msg::ErrReplyTooLong));
        }
        if has_stray_control(text) {
            return Err(FieldError(Msg::ErrControlChars));
        }
        Ok(Self(text.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(day: u32) -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 1, day)
            .unwrap()
            .and_hms_opt(12, 0, 0)
            .unwrap()
    }

    #[test]
    fn an_answer_is_one_of_four_spellings_or_none() {
        assert_eq!(parse_answer(None), Ok(None));
        assert_eq!(parse_answer(Some("")), Ok(None));
        assert_eq!(
            parse_answer(Some("no_reply")),
            Ok(Some(ReplyAnswer::NoReply))
        );
        for bad in ["Replied", "yes", "replied;", "<b>", "=1+1", "répondu"] {
            assert!(parse_answer(Some(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_pasted_reply_is_kept_as_typed_within_its_limit() {
        let khmer = "សូម\u{200B}អរគុណ\n\t<b>=SUM(A1)</b>";
        assert_eq!(PastedReply::parse(khmer).unwrap().as_str(), khmer);
        assert_eq!(PastedReply::parse("  ").unwrap().as_str(), "");
        assert!(PastedReply::parse(&"é".repeat(20_000)).is_ok());
        assert!(PastedReply::parse(&"é".repeat(20_001)).is_err());
        assert!(PastedReply::parse("a\u{0}b").is_err());
        assert!(PastedReply::parse("a\u{1b}[31m").is_err());
    }

    #[test]
    fn a_link_lasts_thirty_days_after_the_first_answer() {
        assert!(link_works(at(1), None, at(31)));
        assert!(link_works(at(1), Some(at(2)), at(31)));
        assert!(!link_works(
            at(1),
            Some(at(1)),
            at(31) + TimeDelta::hours(1)
        ));
    }
}
