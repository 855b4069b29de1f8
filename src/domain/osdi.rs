//! The shapes of OSDI 1.1 that Clarion speaks (HAL+JSON): a signature with its person,
//! as the API lists it and as webhooks carry it. Only what a partner may see goes in.

use chrono::{NaiveDateTime, SecondsFormat};
use serde::Serialize;

/// OSDI's date format: RFC 3339 in UTC, to the second.
pub fn date(at: NaiveDateTime) -> String {
    at.and_utc().to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// An identifier in Clarion's namespace: `clarion:{id}`.
pub fn identifier(id: &str) -> String {
    format!("clarion:{id}")
}

#[derive(Debug, Clone, Serialize)]
pub struct EmailAddress {
    pub address: String,
    pub primary: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct PostalAddress {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    pub country: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Person {
    pub given_name: String,
    pub family_name: String,
    pub email_addresses: Vec<EmailAddress>,
    pub postal_addresses: Vec<PostalAddress>,
    pub languages_spoken: Vec<String>,
}

/// What a stored signature holds for OSDI, read by `db::osdi`.
#[derive(Debug, Clone)]
pub struct SignatureFacts {
    pub id: String,
    pub petition_slug: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub country_code: String,
    pub postcode: String,
    pub comment: String,
    pub language: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Serialize)]
pub struct Signature {
    pub identifiers: Vec<String>,
    pub created_date: String,
    pub modified_date: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comments: Option<String>,
    pub person: Person,
    /// The petition's identifier (`clarion:{slug}`), so a webhook body stands alone.
    #[serde(rename = "clarion:petition")]
    pub petition: String,
}

impl From<&SignatureFacts> for Signature {
    fn from(s: &SignatureFacts) -> Self {
        let postal_code = (!s.postcode.is_empty()).then(|| s.postcode.clone());
        Signature {
            identifiers: vec![identifier(&s.id)],
            created_date: date(s.created_at),
            modified_date: date(s.updated_at),
            comments: (!s.comment.is_empty()).then(|| s.comment.clone()),
            person: Person {
                given_name: s.first_name.clone(),
                family_name: s.last_name.clone(),
                email_addresses: vec![EmailAddress {
                    address: s.email.clone(),
                    primary: true,
                }],
                postal_addresses: vec![PostalAddress {
                    postal_code,
                    country: s.country_code.clone(),
                }],
                languages_spoken: vec![s.language.clone()],
            },
            petition: identifier(&s.petition_slug),
        }
    }
}

/// A row of a keyset collection: where it stands in (`updated_at`, `id`) order.
pub trait Keyed {
    fn key(&self) -> (NaiveDateTime, &str);
}

impl Keyed for SignatureFacts {
    fn key(&self) -> (NaiveDateTime, &str) {
        (self.updated_at, &self.id)
    }
}

impl Keyed for LetterFacts {
    fn key(&self) -> (NaiveDateTime, &str) {
        (self.updated_at, &self.id)
    }
}

/// A webhook's body as Standard Webhooks recommends it: `type`, `timestamp`, `data`.
pub fn event_body(event: &str, at: NaiveDateTime, data: serde_json::Value) -> String {
    serde_json::json!({ "type": event, "timestamp": date(at), "data": data }).to_string()
}

/// One official a letter went to, as an outreach names them.
#[derive(Debug, Clone, Serialize)]
pub struct Target {
    pub name: String,
    pub title: String,
    pub organization: String,
    pub country: String,
}

/// What a stored letter holds for OSDI (an outreach), read by `db::outreaches`.
#[derive(Debug, Clone)]
pub struct LetterFacts {
    pub id: String,
    pub action_slug: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub country_code: String,
    pub postcode: String,
    pub subject: String,
    pub body: String,
    pub language: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub targets: Vec<Target>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Outreach {
    pub identifiers: Vec<String>,
    pub created_date: String,
    pub modified_date: String,
    /// Always `email`: Clarion's letters are emails.
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub subject: String,
    pub message: String,
    pub targets: Vec<Target>,
    pub person: Person,
    /// The action's identifier (`clarion:{slug}`).
    #[serde(rename = "clarion:advocacy_campaign")]
    pub advocacy_campaign: String,
}

impl From<&LetterFacts> for Outreach {
    fn from(l: &LetterFacts) -> Self {
        let postal_code = (!l.postcode.is_empty()).then(|| l.postcode.clone());
        Outreach {
            identifiers: vec![identifier(&l.id)],
            created_date: date(l.created_at),
            modified_date: date(l.updated_at),
            kind: "email",
            subject: l.subject.clone(),
            message: l.body.clone(),
            targets: l.targets.clone(),
            person: Person {
                given_name: l.first_name.clone(),
                family_name: l.last_name.clone(),
                email_addresses: vec![EmailAddress {
                    address: l.email.clone(),
                    primary: true,
                }],
                postal_addresses: vec![PostalAddress {
                    postal_code,
                    country: l.country_code.clone(),
                }],
                languages_spoken: vec![l.language.clone()],
            },
            advocacy_campaign: identifier(&l.action_slug),
        }
    }
}
