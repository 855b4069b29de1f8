//! Free text typed by strangers: names, postcodes, comments. Any printable Unicode is
//! kept exactly as typed (Khmer with its zero-width characters included); control
//! characters (Unicode Cc) are refused, except line breaks where a text may span lines.

use super::FieldError;
use crate::i18n::Msg;

/// Whether `text` holds a control character (Unicode Cc), line breaks allowed or not.
pub fn has_control(text: &str, allow_line_breaks: bool) -> bool {
    text.chars()
        .any(|c| c.is_control() && !(allow_line_breaks && (c == '\n' || c == '\r')))
}

/// Whether a multi-line text typed by staff holds a control character other than a tab or
/// a line break (a NUL, an escape …).
pub fn has_stray_control(text: &str) -> bool {
    text.chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
}

/// A first or last name: 1 to 100 characters after trimming.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonName(String);

impl PersonName {
    pub const MAX_CHARS: usize = 100;

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        Self::parse_or(raw, Msg::ErrNameMissing)
    }

    /// A first name; when missing, the message says which name.
    pub fn first(raw: &str) -> Result<Self, FieldError> {
        Self::parse_or(raw, Msg::ErrFirstNameMissing)
    }

    /// A last name; when missing, the message says which name.
    pub fn last(raw: &str) -> Result<Self, FieldError> {
        Self::parse_or(raw, Msg::ErrLastNameMissing)
    }

    fn parse_or(raw: &str, missing: Msg) -> Result<Self, FieldError> {
        let name = raw.trim();
        if name.is_empty() {
            return Err(FieldError(missing));
        }
        if name.chars().count() > Self::MAX_CHARS {
            return Err(FieldError(Msg::ErrNameTooLong));
        }
        if has_control(name, false) {
            return Err(FieldError(Msg::ErrControlChars));
        }
        Ok(Self(name.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An optional postcode: at most 16 characters, empty when not given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Postcode(String);

impl Postcode {
    pub const MAX_CHARS: usize = 16;

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let code = raw.trim();
        if code.chars().count() > Self::MAX_CHARS {
            return Err(FieldError(Msg::ErrPostcodeTooLong));
        }
        if has_control(code, false) {
            return Err(FieldError(Msg::ErrControlChars));
        }
        Ok(Self(code.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An optional comment: at most 500 characters; line breaks allowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment(String);

impl Comment {
    pub const MAX_CHARS: usize = 500;

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let comment = raw.trim();
        if comment.chars().count() > Self::MAX_CHARS {
            return Err(FieldError(Msg::ErrCommentTooLong));
        }
        if has_control(comment, true) {
            return Err(FieldError(Msg::ErrControlChars));
        }
        Ok(Self(comment.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_keep_unicode_exactly_and_refuse_controls() {
        let khmer = "សុខ\u{200B}ជា";
        assert_eq!(PersonName::parse(khmer).unwrap().as_str(), khmer);
        assert_eq!(PersonName::parse("  Ζωή  ").unwrap().as_str(), "Ζωή");
        assert_eq!(PersonName::parse("=1+1").unwrap().as_str(), "=1+1");
        assert!(PersonName::parse("   ").is_err());
        assert!(PersonName::parse("a\u{0}b").is_err());
        assert!(PersonName::parse("a\nb").is_err());
        assert!(PersonName::parse(&"é".repeat(100)).is_ok());
        assert!(PersonName::parse(&"é".repeat(101)).is_err());
    }

    #[test]
    fn comments_allow_line_breaks_only() {
        assert!(Comment::parse("one\r\ntwo").is_ok());
        assert!(Comment::parse("tab\there").is_err());
        assert!(Comment::parse(&"x".repeat(501)).is_err());
        assert_eq!(Comment::parse("").unwrap().as_str(), "");
    }
}
