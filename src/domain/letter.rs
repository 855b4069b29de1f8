//! A letter to officials as submitted through the contact form: raw strings in, valid
//! values out, every field's error collected. Also fills a template for one target.

use super::country::Country;
use super::email::Email;
use super::signature::FieldErrors;
use super::text::{PersonName, Postcode};
use super::FieldError;
use crate::i18n::Msg;

pub const SUBJECT_MAX_CHARS: usize = 200;
pub const BODY_MAX_CHARS: usize = 5_000;

/// The contact form's fields exactly as posted (docs/CONTRACT.md, "Public forms").
#[derive(Debug, Clone, Default)]
pub struct ContactForm {
    pub targets: Vec<String>,
    pub subject: String,
    pub body: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub postcode: String,
    pub consent_updates: bool,
    pub country: String,
    pub token: String,
    pub website: String,
    pub source: String,
    /// The mailing whose link led here (hidden field `mailing`, from `?mailing=`).
    pub mailing: String,
    /// Asked "did you mean …?" about this email already: the form goes through as it is.
    pub email_checked: bool,
    /// The partner whose link led here (hidden field `partner`: its key).
    pub partner: String,
    /// Share my details with that partner (unticked by default; only with a partner).
    pub consent_partner: bool,
    /// The page's `utm_source`, `utm_medium`, `utm_campaign` (hidden fields).
    pub utm: [String; 3],
}

impl ContactForm {
    pub fn from_pairs(pairs: &[(String, String)]) -> Self {
        let mut form = Self::default();
        for (name, value) in pairs {
            let value = value.clone();
            let first = |slot: &mut String| {
                if slot.is_empty() {
                    *slot = value.clone();
                }
            };
            match name.as_str() {
                "targets" => form.targets.push(value.clone()),
                "subject" => first(&mut form.subject),
                "body" => first(&mut form.body),
                "first_name" => first(&mut form.first_name),
                "last_name" => first(&mut form.last_name),
                "email" => first(&mut form.email),
                "postcode" => first(&mut form.postcode),
                "country" => first(&mut form.country),
                "token" => first(&mut form.token),
                "website" => first(&mut form.website),
                "source" => first(&mut form.source),
                "mailing" => first(&mut form.mailing),
                "partner" => first(&mut form.partner),
                "utm_source" => first(&mut form.utm[0]),
                "utm_medium" => first(&mut form.utm[1]),
                "utm_campaign" => first(&mut form.utm[2]),
                "consent_partner" => form.consent_partner = !value.is_empty() && value != "0",
                "email_checked" => form.email_checked = !value.is_empty() && value != "0",
                "consent_updates" => form.consent_updates = !value.is_empty() && value != "0",
                _ => {}
            }
        }
        form
    }
}

/// A valid letter; the targets are checked against the action's list separately.
#[derive(Debug, Clone)]
pub struct LetterInput {
    pub subject: String,
    pub body: String,
    pub first_name: PersonName,
    pub last_name: PersonName,
    pub email: Email,
    pub postcode: Postcode,
    pub country: Country,
    pub consent_updates: bool,
    pub consent_partner: bool,
    pub targets: Vec<String>,
}

fn subject(raw: &str) -> Result<String, FieldError> {
    let subject = raw.trim();
    if subject.is_empty() {
        return Err(FieldError(Msg::ErrSubjectMissing));
    }
    // One line only: a line break here could inject mail headers.
    if subject.chars().any(char::is_control) {
        return Err(FieldError(Msg::ErrSubjectOneLine));
    }
    if subject.chars().count() > SUBJECT_MAX_CHARS {
        return Err(FieldError(Msg::ErrSubjectTooLong));
    }
    // `=?…?=` is an RFC 2047 encoded word: mail programs would decode it into other text.
    if subject.contains("=?") {
        return Err(FieldError(Msg::ErrSubjectEncoded));
    }
    Ok(subject.to_string())
}

fn body(raw: &str) -> Result<String, FieldError> {
    let body = raw.trim();
    if body.is_empty() {
        return Err(FieldError(Msg::ErrBodyMissing));
    }
    if body.chars().count() > BODY_MAX_CHARS {
        return Err(FieldError(Msg::ErrBodyTooLong));
    }
    if body
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r')
    {
        return Err(FieldError(Msg::ErrControlChars));
    }
    Ok(body.to_string())
}

/// Parses every field; `max_targets` bounds how many targets may be chosen, and each
/// must be `known` (one of the action's targets for the country).
pub fn parse(
    form: &ContactForm,
    max_targets: usize,
    known: impl Fn(&str) -> bool,
) -> Result<LetterInput, FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut keep = |field: &'static str, e: &FieldError| errors.push((field, *e));
    let subject = subject(&form.subject);
    let body = body(&form.body);
    let first_name = PersonName::first(&form.first_name);
    let last_name = PersonName::last(&form.last_name);
    let email = Email::parse(&form.email);
    let postcode = Postcode::parse(&form.postcode);
    let country = Country::parse(&form.country);
    let mut unique = form.targets.clone();
    unique.sort();
    unique.dedup();
    let targets = if form.targets.is_empty() {
        Err(FieldError(Msg::ErrTargetsMissing))
    } else if unique.len() != form.targets.len() {
        Err(FieldError(Msg::ErrTargetsRepeated))
    } else if form.targets.len() > max_targets {
        Err(FieldError(Msg::ErrTargetsTooMany))
    } else if !form.targets.iter().all(|t| known(t)) {
        Err(FieldError(Msg::ErrTargetsUnknown))
    } else {
        Ok(form.targets.clone())
    };
    for (field, result) in [
        ("targets", targets.as_ref().err()),
        ("subject", subject.as_ref().err()),
        ("body", body.as_ref().err()),
        ("first_name", first_name.as_ref().err()),
        ("last_name", last_name.as_ref().err()),
        ("email", email.as_ref().err()),
        ("postcode", postcode.as_ref().err()),
        ("country", country.as_ref().err()),
    ] {
        if let Some(e) = result {
            keep(field, e);
        }
    }
    match (
        subject, body, first_name, last_name, email, postcode, country, targets,
    ) {
        (
            Ok(subject),
            Ok(body),
            Ok(first_name),
            Ok(last_name),
            Ok(email),
            Ok(postcode),
            Ok(country),
            Ok(targets),
        ) => Ok(LetterInput {
            subject,
            body,
            first_name,
            last_name,
            email,
            postcode,
            country,
            consent_updates: form.consent_updates,
            consent_partner: form.consent_partner,
            targets,
        }),
        _ => Err(errors),
    }
}

/// A template with `{target_name}`, `{supporter_name}` and `{supporter_country}` filled.
pub fn fill(
    template: &str,
    target_name: &str,
    supporter_name: &str,
    supporter_country: &str,
) -> String {
    template
        .replace("{target_name}", target_name)
        .replace("{supporter_name}", supporter_name)
        .replace("{supporter_country}", supporter_country)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> ContactForm {
        ContactForm {
            targets: vec!["t1".into(), "t2".into()],
            subject: "Please act".into(),
            body: "Dear {target_name},\r\nAct.\r\n{supporter_name}".into(),
            first_name: "Sok".into(),
            last_name: "Dara".into(),
            email: "sok@example.org".into(),
            country: "FR".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_letter_parses_and_fills_per_target() {
        let letter = parse(&form(), 5, |_| true).unwrap();
        assert_eq!(
            fill(&letter.body, "Anna", "Sok Dara", "France"),
            "Dear Anna,\r\nAct.\r\nSok Dara"
        );
    }

    #[test]
    fn a_subject_holding_an_encoded_word_is_refused() {
        let errors = parse(
            &ContactForm {
                subject: "=?utf-8?q?Urgent=3A_from_the_President?=".into(),
                ..form()
            },
            5,
            |_| true,
        )
        .unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].0, "subject");
    }

    #[test]
    fn header_injection_floods_and_bad_target_lists_are_refused() {
        let field = |f: ContactForm, max| {
            parse(&f, max, |t| t != "unknown")
                .unwrap_err()
                .iter()
                .map(|(n, _)| *n)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            field(
                ContactForm {
                    subject: "Hi\r\nBcc: x@y.org".into(),
                    ..form()
                },
                5
            ),
            ["subject"]
        );
        assert_eq!(
            field(
                ContactForm {
                    body: "x".repeat(5_001),
                    ..form()
                },
                5
            ),
            ["body"]
        );
        assert_eq!(
            field(
                ContactForm {
                    targets: vec!["t1".into(), "t1".into()],
                    ..form()
                },
                5
            ),
            ["targets"]
        );
        assert_eq!(
            field(
                ContactForm {
                    targets: vec![],
                    ..form()
                },
                5
            ),
            ["targets"]
        );
        assert_eq!(field(form(), 1), ["targets"]);
        assert_eq!(
            field(
                ContactForm {
                    first_name: "A\r\nB".into(),
                    ..form()
                },
                5
            ),
            ["first_name"]
        );
    }
}
