//! "We sent the email to …; wrong address? Change it": after a form is sent, the redirect
//! to "check your email" carries the form as typed, sealed (`domain/sealed.rs`) in the
//! query parameter `sent`; "Change it" hands the same text back to the form's page as
//! `change`. Nothing is kept on the server or in a cookie for it.

use serde::{Deserialize, Serialize};

use super::AppState;
use crate::domain::letter::ContactForm;
use crate::domain::sealed;
use crate::domain::signature::SignForm;

/// How long the page can show the address: long enough to find the email, short enough
/// that an old link in a browser's history shows nothing.
const VALID_SECS: i64 = 60 * 60;

/// The query of the pages that take a sealed form.
#[derive(Debug, Default, Deserialize)]
pub struct SentQuery {
    pub sent: Option<String>,
    pub change: Option<String>,
    /// The mailing whose link led to the page (`?mailing=`), carried to its form.
    pub mailing: Option<String>,
    /// The partner whose link or embed led here (`?partner=`, its key), and the page's
    /// campaign parameters, carried to its form.
    pub partner: Option<String>,
    pub utm_source: Option<String>,
    pub utm_medium: Option<String>,
    pub utm_campaign: Option<String>,
}

/// A form as typed. A letter's subject and text stay out (up to 5,000 characters, too
/// long for a URL); they come back from the stored letter by its id.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Typed {
    pub email: String,
    first_name: String,
    last_name: String,
    country: String,
    postcode: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    comment: String,
    consent_updates: bool,
    #[serde(default)]
    show_publicly: bool,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    source: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub letter_id: Option<String>,
    /// The partner the form came through, the choice to share with it, and the page's
    /// campaign values: "Change it" brings them back with the rest.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    partner: String,
    #[serde(default)]
    consent_partner: bool,
    #[serde(default, skip_serializing_if = "untracked")]
    utm: [String; 3],
}

/// No campaign values: nothing to seal for them.
fn untracked(utm: &[String; 3]) -> bool {
    utm.iter().all(String::is_empty)
}

impl Typed {
    pub fn signature(form: &SignForm, email: &str) -> Self {
        Self {
            email: email.to_string(),
            first_name: form.first_name.clone(),
            last_name: form.last_name.clone(),
            country: form.country.clone(),
            postcode: form.postcode.clone(),
            comment: form.comment.clone(),
            consent_updates: form.consent_updates,
            show_publicly: form.show_publicly,
            source: form.source.clone(),
            partner: form.partner.clone(),
            consent_partner: form.consent_partner,
            utm: form.utm.clone(),
            ..Self::default()
        }
    }

    pub fn letter(form: &ContactForm, email: &str, letter_id: &str) -> Self {
        Self {
            email: email.to_string(),
            first_name: form.first_name.clone(),
            last_name: form.last_name.clone(),
            country: form.country.clone(),
            postcode: form.postcode.clone(),
            consent_updates: form.consent_updates,
            source: form.source.clone(),
            targets: form.targets.clone(),
            letter_id: Some(letter_id.to_string()),
            partner: form.partner.clone(),
            consent_partner: form.consent_partner,
            utm: form.utm.clone(),
            ..Self::default()
        }
    }

    /// The sign form filled in again, asked nothing more about the address.
    pub fn sign_form(self) -> SignForm {
        SignForm {
            first_name: self.first_name,
            last_name: self.last_name,
            email: self.email,
            country: self.country,
            postcode: self.postcode,
            comment: self.comment,
            consent_updates: self.consent_updates,
            show_publicly: self.show_publicly,
            source: self.source,
            partner: self.partner,
            consent_partner: self.consent_partner,
            utm: self.utm,
            ..SignForm::default()
        }
    }

    /// The letter form filled in again with `subject` and `body`.
    pub fn contact_form(self, subject: String, body: String) -> ContactForm {
        ContactForm {
            targets: self.targets,
            subject,
            body,
            first_name: self.first_name,
            last_name: self.last_name,
            email: self.email,
            postcode: self.postcode,
            consent_updates: self.consent_updates,
            country: self.country,
            source: self.source,
            partner: self.partner,
            consent_partner: self.consent_partner,
            utm: self.utm,
            ..ContactForm::default()
        }
    }

    pub fn country(&self) -> &str {
        &self.country
    }
}

/// The purpose a petition's sealed form is bound to: it opens on that petition only.
pub fn petition(slug: &str) -> String {
    format!("sent:petition:{slug}")
}

/// The purpose a contact action's sealed form is bound to.
pub fn letter(slug: &str) -> String {
    format!("sent:letter:{slug}")
}

pub fn seal(state: &AppState, purpose: &str, typed: &Typed) -> String {
    let until = chrono::Utc::now().timestamp() + VALID_SECS;
    sealed::seal(state.secret.as_bytes(), purpose, typed, until)
}

/// The form sealed for `purpose`, if `text` is one and still valid; anything else
/// (altered, expired, from another page) opens to nothing, and the page shows no address.
pub fn open(state: &AppState, purpose: &str, text: Option<&str>) -> Option<Typed> {
    let now = chrono::Utc::now().timestamp();
    sealed::open(state.secret.as_bytes(), purpose, text?, now)
}

/// Where "check your email" is, with the sealed form.
pub fn check_email_url(base: &str, sealed: &str) -> String {
    format!("{base}/check-your-email?sent={sealed}")
}
