//! `record_signature_helper`: a partner's CRM records a signature. It goes through the
//! same checks, hold rules, duplicate handling and group commit as the sign form, and
//! is pending until its signer follows the confirmation email: the API never skips
//! double opt-in. The body is OSDI's, read strictly: wrong types, unknown fields,
//! malformed or oversized JSON are refused with what is wrong.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use futures_util::StreamExt as _;
use serde::Deserialize;
use serde_json::{json, Value};

use super::{bearer, hal, Problem, BODY_LIMIT};
use crate::db::signatures::SubmitOutcome;
use crate::domain::api_token::Scope;
use crate::domain::osdi::identifier;
use crate::domain::signature::{SignForm, SignatureInput};
use crate::i18n::{self, Lang};
use crate::web::{client, AppState};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Body {
    person: PersonIn,
    comments: Option<String>,
    /// Clarion's own: the partner says its supporter agreed to share with it.
    #[serde(rename = "clarion:consent_partner", default)]
    consent_partner: bool,
    // OSDI fields a CRM may send, taken and not used.
    #[allow(dead_code)]
    identifiers: Option<Vec<String>>,
    #[allow(dead_code)]
    origin_system: Option<String>,
    #[allow(dead_code)]
    add_tags: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PersonIn {
    #[serde(default)]
    given_name: String,
    #[serde(default)]
    family_name: String,
    email_addresses: Vec<EmailIn>,
    #[serde(default)]
    postal_addresses: Vec<PostalIn>,
    #[serde(default)]
    languages_spoken: Vec<String>,
    #[allow(dead_code)]
    identifiers: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EmailIn {
    address: String,
    #[serde(default)]
    primary: bool,
    #[allow(dead_code)]
    address_type: Option<String>,
    #[allow(dead_code)]
    status: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PostalIn {
    #[serde(default)]
    postal_code: String,
    #[serde(default)]
    country: String,
    #[allow(dead_code)]
    primary: Option<bool>,
    #[allow(dead_code)]
    locality: Option<String>,
    #[allow(dead_code)]
    region: Option<String>,
    #[allow(dead_code)]
    address_lines: Option<Vec<String>>,
}

/// The body, at most [`BODY_LIMIT`] bytes of JSON.
async fn read(req: &HttpRequest, mut payload: web::Payload) -> Result<Body, Problem> {
    let essence = req
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase());
    if !matches!(
        essence.as_deref(),
        Some("application/json" | "application/hal+json")
    ) {
        return Err(Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "Send the body as application/json.",
        ));
    }
    let mut bytes = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|_| {
            Problem::new(
                StatusCode::BAD_REQUEST,
                "bad_body",
                "The body could not be read.",
            )
        })?;
        if bytes.len() + chunk.len() > BODY_LIMIT {
            return Err(Problem::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                "The body is over 16 KB.",
            ));
        }
        bytes.extend_from_slice(&chunk);
    }
    serde_json::from_slice(&bytes).map_err(|e| {
        let (status, code) = match e.classify() {
            serde_json::error::Category::Data => (StatusCode::UNPROCESSABLE_ENTITY, "invalid_body"),
            _ => (StatusCode::BAD_REQUEST, "malformed_json"),
        };
        Problem::new(
            status,
            code,
            format!("The body is not what this takes: {e}"),
        )
    })
}

/// The OSDI field a form field is written in.
fn osdi_field(field: &str) -> &'static str {
    match field {
        "first_name" => "person.given_name",
        "last_name" => "person.family_name",
        "email" => "person.email_addresses",
        "country" => "person.postal_addresses.country",
        "postcode" => "person.postal_addresses.postal_code",
        _ => "comments",
    }
}

pub async fn record(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, Problem> {
    let bearer = bearer(&state, &req, Scope::WriteSignatures).await?;
    let body = read(&req, payload).await?;
    let slug = id.strip_prefix("clarion:").unwrap_or(&id).to_string();
    let person = &body.person;
    let email = person
        .email_addresses
        .iter()
        .find(|e| e.primary)
        .or(person.email_addresses.first());
    let postal = person.postal_addresses.first();
    let form = SignForm {
        first_name: person.given_name.clone(),
        last_name: person.family_name.clone(),
        email: email.map(|e| e.address.clone()).unwrap_or_default(),
        country: postal.map(|p| p.country.clone()).unwrap_or_default(),
        postcode: postal.map(|p| p.postal_code.clone()).unwrap_or_default(),
        comment: body.comments.clone().unwrap_or_default(),
        consent_partner: body.consent_partner,
        ..SignForm::default()
    };
    let lang = person
        .languages_spoken
        .iter()
        .find_map(|l| Lang::parse(l))
        .unwrap_or_default();
    let path = format!("/petitions/{slug}");
    let address = client::address(&req, &state.limits.proxies);
    i18n::speaking(lang, &path, async move {
        let petition = crate::web::petitions::find(&state, slug)
            .await
            .map_err(|_| {
                Problem::new(
                    StatusCode::NOT_FOUND,
                    "not_found",
                    "No published petition has this id; /api/osdi/v1/petitions lists them.",
                )
            })?;
        let now = crate::db::now();
        if !petition.is_open(now) {
            return Err(Problem::new(
                StatusCode::GONE,
                "petition_closed",
                "This petition no longer takes signatures.",
            ));
        }
        let input = SignatureInput::try_from(&form).map_err(|errors| {
            let fields: Value = errors
                .iter()
                .map(|(field, e)| (osdi_field(field).to_string(), json!(i18n::t(e.0))))
                .collect::<serde_json::Map<_, _>>()
                .into();
            Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_person",
                format!("Some fields are not accepted: {fields}"),
            )
        })?;
        // The partner's own form was filled in long before its CRM calls: no fill-time hold.
        let served_at = now.and_utc().timestamp() - 3_600;
        let mut origin = state.origin(address, "", "", served_at, now);
        origin.partner = Some((bearer.partner.id.clone(), bearer.partner.name.clone()));
        let submission =
            crate::prepare::signature(&petition, &input, origin, &state.base_url, now);
        let new_id = submission.signature.id.clone();
        let stored = state.signing.submit(submission).map_err(|_| {
            Problem::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "busy",
                "Too many signatures are waiting; try again in a second.",
            )
        })?;
        let outcome = stored
            .await
            .map_err(|_| Problem::from(crate::error::AppError::SigningStopped))?
            .map_err(|_| Problem::from(crate::error::AppError::SigningStopped))?;
        state.wake_outbox();
        let mut doc = json!({
            "created_date": crate::domain::osdi::date(now),
            "modified_date": crate::domain::osdi::date(now),
            "clarion:status": "pending",
            "person": {
                "given_name": form.first_name,
                "family_name": form.last_name,
                "email_addresses": [{ "address": input.email.as_str(), "primary": true }],
            },
            "_links": { "osdi:petition": super::href(&state, &format!("/petitions/{}", petition.slug)) },
        });
        match outcome {
            // Held alike: a held signer is never told.
            SubmitOutcome::Created | SubmitOutcome::Held(_) => doc["identifiers"] = json!([identifier(&new_id)]),
            // Signed already: its signer got a fresh link or was told; nothing new.
            _ => doc["clarion:status"] = json!("already_signed"),
        }
        Ok(hal(&doc))
    })
    .await
}
