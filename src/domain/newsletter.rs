//! Joining the newsletter: the form as posted, and the checked values to store.

use super::country::Country;
use super::email::Email;
use super::signature::FieldErrors;
use super::text::PersonName;

/// The version of the join form's wording (`Msg::NewsletterConsent`): stored with each
/// subscription beside the wording shown. A new wording needs a new version.
pub const FORM_CONSENT_VERSION: &str = "newsletter-form-2026-12";

/// The version of the sign and letter forms' newsletter box (`Msg::ConsentNewsletter`).
/// Only a box ticked under this version subscribes; older versions were about one
/// campaign's updates.
pub const BOX_CONSENT_VERSION: &str = "newsletter-box-2026-12";

/// A mailing id as a link or a hidden field carries it (`?mailing=`): a UUID, else
/// nothing. Whether a mailing has it is asked when the signature or letter is stored.
pub fn mailing_ref(value: &str) -> Option<String> {
    let id = uuid::Uuid::try_parse(value.trim()).ok()?;
    Some(id.hyphenated().to_string())
}

/// The join form's fields exactly as posted (docs/CONTRACT.md, "The newsletter").
#[derive(Debug, Clone, Default)]
pub struct JoinForm {
    pub email: String,
    pub first_name: String,
    pub country: String,
    /// The signed form token (hidden field `token`).
    pub token: String,
    /// The honeypot (hidden field `website`): people leave it empty.
    pub website: String,
    /// Where the form was: `home`, an article's slug, or empty for `/newsletter`.
    pub source: String,
}

impl JoinForm {
    /// Builds the form from decoded pairs; unknown fields are ignored and the first value
    /// of a repeated field wins.
    pub fn from_pairs(pairs: &[(String, String)]) -> Self {
        let mut form = Self::default();
        for (name, value) in pairs.iter().rev() {
            let value = value.clone();
            match name.as_str() {
                "email" => form.email = value,
                "first_name" => form.first_name = value,
                "country" => form.country = value,
                "token" => form.token = value,
                "website" => form.website = value,
                "source" => form.source = value,
                _ => {}
            }
        }
        form
    }
}

/// A valid request to join.
#[derive(Debug, Clone)]
pub struct JoinInput {
    pub email: Email,
    pub first_name: PersonName,
    pub country: Country,
}

impl TryFrom<&JoinForm> for JoinInput {
    type Error = FieldErrors;

    /// The same rules as the sign form's fields, every error at once.
    fn try_from(form: &JoinForm) -> Result<Self, FieldErrors> {
        let email = Email::parse(&form.email);
        let first_name = PersonName::first(&form.first_name);
        let country = Country::parse(&form.country);
        let mut errors = FieldErrors::new();
        if let Err(e) = &email {
            errors.push(("email", *e));
        }
        if let Err(e) = &first_name {
            errors.push(("first_name", *e));
        }
        if let Err(e) = &country {
            errors.push(("country", *e));
        }
        match (email, first_name, country) {
            (Ok(email), Ok(first_name), Ok(country)) => Ok(Self {
                email,
                first_name,
                country,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> JoinForm {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect();
        JoinForm::from_pairs(&pairs)
    }

    #[test]
    fn every_refused_field_is_named_at_once() {
        let bad = form(&[
            ("email", "not an address"),
            ("first_name", ""),
            ("country", "ZZ"),
        ]);
        let errors = JoinInput::try_from(&bad).unwrap_err();
        let names: Vec<&str> = errors.iter().map(|(n, _)| *n).collect();
        assert_eq!(names, ["email", "first_name", "country"]);
        let good = form(&[
            ("email", "Sok@Example.org"),
            ("first_name", "សុខ"),
            ("country", "fr"),
            ("email", "second@example.org"),
        ]);
        let input = JoinInput::try_from(&good).unwrap();
        assert_eq!(input.first_name.as_str(), "សុខ");
        assert_eq!(input.country.code(), "FR");
    }
}
