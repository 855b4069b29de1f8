//! One partner's page (admins): API tokens (made, shown once, revoked) and webhook
//! endpoints (added with a secret shown once, tested, failed deliveries sent again).
//! The command line's twins are `clarion api-token create` and `clarion webhook add`.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use super::staff_form::StaffForm;
use crate::db::partners::Partner;
use crate::db::{self, api_tokens, partners, webhooks};
use crate::domain::api_token::parse_scopes;
use crate::domain::staff::CurrentStaff;
use crate::domain::webhook;
use crate::error::AppError;
use crate::views::admin::fields::Errors;
use crate::views::admin::partner::{self as view, PartnerPage};
use crate::web::{private_page, AppState};

/// How many deliveries each endpoint lists.
const LATEST: i64 = 20;

async fn partner(state: &AppState, key: String) -> Result<Partner, AppError> {
    state
        .db(move |conn| partners::by_key(conn, &key))
        .await?
        .ok_or(AppError::NotFound)
}

/// Post/redirect/get back to the partner's page with `message`.
fn back_to(partner: &Partner, message: &'static str) -> HttpResponse {
    super::saved(&format!("/admin/partners/{}", partner.key), message)
}

/// The page, with what was just made (shown once) or the webhook form's errors.
async fn answer(
    state: &AppState,
    staff: &CurrentStaff,
    partner: Partner,
    (shown_once, url, errors): (Option<(&str, &str)>, &str, &Errors),
) -> Result<HttpResponse, AppError> {
    let id = partner.id.clone();
    let (tokens, endpoints) = state
        .db(move |conn| {
            let tokens = api_tokens::of_partner(conn, &id)?;
            let mut endpoints = Vec::new();
            for endpoint in webhooks::of_partner(conn, &id)? {
                let latest = webhooks::queue::latest(conn, &endpoint.id, LATEST)?;
                endpoints.push((endpoint, latest));
            }
            Ok((tokens, endpoints))
        })
        .await?;
    let page = PartnerPage {
        partner: &partner,
        tokens: &tokens,
        endpoints: &endpoints,
        shown_once,
        url,
        errors,
    };
    let status = match errors.is_empty() {
        true => StatusCode::OK,
        false => StatusCode::UNPROCESSABLE_ENTITY,
    };
    // A page that may show a secret is never cached.
    Ok(private_page(status, view::page(staff, &page)))
}

pub async fn show(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
    key: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let partner = partner(&state, key.into_inner()).await?;
    answer(&state, &staff, partner, (None, "", &Errors::new())).await
}

pub async fn create_token(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
    key: web::Path<String>,
    form: StaffForm,
) -> Result<HttpResponse, AppError> {
    let partner = partner(&state, key.into_inner()).await?;
    let scopes = match parse_scopes(form.all("scope")) {
        Ok(scopes) => scopes,
        Err(e) => {
            let errors: Errors = vec![("scope-read:counts", e)];
            return answer(&state, &staff, partner, (None, "", &errors)).await;
        }
    };
    let (id, staff_id) = (partner.id.clone(), staff.id.clone());
    let token = state
        .db(move |conn| api_tokens::create(conn, Some(&staff_id), &id, &scopes))
        .await?;
    answer(
        &state,
        &staff,
        partner,
        (Some(("API token", &token)), "", &Errors::new()),
    )
    .await
}

pub async fn revoke_token(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
    path: web::Path<(String, String)>,
    _form: StaffForm,
) -> Result<HttpResponse, AppError> {
    let (key, token_id) = path.into_inner();
    let partner = partner(&state, key).await?;
    let (id, staff_id) = (partner.id.clone(), staff.id.clone());
    state
        .db(move |conn| api_tokens::revoke(conn, &staff_id, &id, &token_id))
        .await?;
    Ok(back_to(&partner, "Token revoked"))
}

pub async fn add_webhook(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
    key: web::Path<String>,
    form: StaffForm,
) -> Result<HttpResponse, AppError> {
    let partner = partner(&state, key.into_inner()).await?;
    let typed = form.get("url").trim().to_string();
    let mut errors = Errors::new();
    let url = webhook::parse_url(&typed, state.allow_private)
        .map_err(|e| errors.push(("url", e)))
        .ok();
    let events = webhook::parse_events(form.all("event"))
        .map_err(|e| errors.push(("event-signature.confirmed", e)))
        .ok();
    let (Some(url), Some(events)) = (url, events) else {
        return answer(&state, &staff, partner, (None, &typed, &errors)).await;
    };
    let (id, staff_id, key) = (partner.id.clone(), staff.id.clone(), state.secret.clone());
    let secret = state
        .db(move |conn| {
            crate::webhooks::add_endpoint(
                conn,
                Some(&staff_id),
                key.as_bytes(),
                (&id, &url, &events),
            )
        })
        .await?;
    let shown = Some(("endpoint's signing secret", secret.as_str()));
    answer(&state, &staff, partner, (shown, "", &Errors::new())).await
}

pub async fn test_webhook(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
    path: web::Path<(String, String)>,
    _form: StaffForm,
) -> Result<HttpResponse, AppError> {
    let (key, endpoint) = path.into_inner();
    let partner = partner(&state, key).await?;
    let (id, staff_id) = (partner.id.clone(), staff.id.clone());
    let sent = state
        .db(move |conn| webhooks::send_test(conn, &staff_id, (&id, &endpoint), db::now()))
        .await?;
    if !sent {
        return Err(AppError::NotFound);
    }
    Ok(back_to(&partner, "Test queued"))
}

pub async fn replay(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
    path: web::Path<(String, String, String)>,
    _form: StaffForm,
) -> Result<HttpResponse, AppError> {
    let (key, endpoint, delivery) = path.into_inner();
    let partner = partner(&state, key).await?;
    let staff_id = staff.id.clone();
    let owned = endpoint.clone();
    let partner_id = partner.id.clone();
    let replayed = state
        .db(move |conn| {
            let ours = webhooks::of_partner(conn, &partner_id)?
                .iter()
                .any(|e| e.id == owned);
            Ok(ours && webhooks::queue::replay(conn, &staff_id, (&owned, &delivery), db::now())?)
        })
        .await?;
    if !replayed {
        return Err(AppError::NotFound);
    }
    Ok(back_to(&partner, "Delivery queued again"))
}
