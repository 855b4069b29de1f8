//! A signature as submitted through the sign form: raw strings in, valid values out,
//! with every field's error collected for the form to show.

use super::country::Country;
use super::email::Email;
use super::text::{Comment, PersonName, Postcode};
use super::FieldError;

/// The sign form's fields exactly as posted (docs/CONTRACT.md, "Public forms").
#[derive(Debug, Clone, Default)]
pub struct SignForm {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub country: String,
    pub postcode: String,
    pub comment: String,
    pub consent_updates: bool,
    /// Name me publicly and in the list handed to MEPs (unticked by default).
    pub show_publicly: bool,
    /// The signed form token (hidden field `token`).
    pub token: String,
    /// The honeypot (hidden field `website`): people leave it empty.
    pub website: String,
    /// The slug of the article whose card the form was on (hidden field `source`).
    pub source: String,
    /// The mailing whose link led here (hidden field `mailing`, from `?mailing=`).
    pub mailing: String,
    /// The supporter has been asked "did you mean …?" about this email (hidden field
    /// `email_checked`): the form goes through as it is.
    pub email_checked: bool,
    /// The partner whose embed or link led here (hidden field `partner`: its key).
    pub partner: String,
    /// Share my details with that partner (unticked by default; only with a partner).
    pub consent_partner: bool,
    /// The page's `utm_source`, `utm_medium`, `utm_campaign` (hidden fields).
    pub utm: [String; 3],
    /// Sent from the embed (hidden field `embed`): the answers stay inside its iframe.
    pub embed: bool,
}

impl SignForm {
    /// Builds the form from decoded `name=value` pairs; unknown fields are ignored and the
    /// first value of a repeated field wins.
    pub fn from_pairs(pairs: &[(String, String)]) -> Self {
        let mut form = Self::default();
        for (name, value) in pairs.iter().rev() {
            let value = value.clone();
            match name.as_str() {
                "first_name" => form.first_name = value,
                "last_name" => form.last_name = value,
                "email" => form.email = value,
                "country" => form.country = value,
                "postcode" => form.postcode = value,
                "comment" => form.comment = value,
                "consent_updates" => form.consent_updates = ticked(&value),
                "show_publicly" => form.show_publicly = ticked(&value),
                "token" => form.token = value,
                "website" => form.website = value,
                "source" => form.source = value,
                "mailing" => form.mailing = value,
                "email_checked" => form.email_checked = ticked(&value),
                "partner" => form.partner = value,
                "consent_partner" => form.consent_partner = ticked(&value),
                "utm_source" => form.utm[0] = value,
                "utm_medium" => form.utm[1] = value,
                "utm_campaign" => form.utm[2] = value,
                "embed" => form.embed = ticked(&value),
                _ => {}
            }
        }
        form
    }
}

/// A checkbox counts as ticked with any value but "" and "0".
fn ticked(value: &str) -> bool {
    !value.is_empty() && value != "0"
}

/// A valid signature, ready to store.
#[derive(Debug, Clone)]
pub struct SignatureInput {
    pub first_name: PersonName,
    pub last_name: PersonName,
    pub email: Email,
    pub country: Country,
    pub postcode: Postcode,
    pub comment: Comment,
    pub consent_updates: bool,
    pub show_publicly: bool,
    pub consent_partner: bool,
}

/// Each refused field by its form name.
pub type FieldErrors = Vec<(&'static str, FieldError)>;

impl TryFrom<&SignForm> for SignatureInput {
    type Error = FieldErrors;

    fn try_from(form: &SignForm) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut check = |field: &'static str, result: Result<(), FieldError>| {
            if let Err(e) = result {
                errors.push((field, e));
            }
        };
        let first_name = PersonName::first(&form.first_name);
        check("first_name", first_name.as_ref().map(drop).map_err(|e| *e));
        let last_name = PersonName::last(&form.last_name);
        check("last_name", last_name.as_ref().map(drop).map_err(|e| *e));
        let email = Email::parse(&form.email);
        check("email", email.as_ref().map(drop).map_err(|e| *e));
        let country = Country::parse(&form.country);
        check("country", country.as_ref().map(drop).map_err(|e| *e));
        let postcode = Postcode::parse(&form.postcode);
        check("postcode", postcode.as_ref().map(drop).map_err(|e| *e));
        let comment = Comment::parse(&form.comment);
        check("comment", comment.as_ref().map(drop).map_err(|e| *e));
        match (first_name, last_name, email, country, postcode, comment) {
            (Ok(first_name), Ok(last_name), Ok(email), Ok(country), Ok(postcode), Ok(comment)) => {
                Ok(Self {
                    first_name,
                    last_name,
                    email,
                    country,
                    postcode,
                    comment,
                    consent_updates: form.consent_updates,
                    show_publicly: form.show_publicly,
                    consent_partner: form.consent_partner,
                })
            }
            _ => Err(errors),
        }
    }
}
