//! Staff accounts (admins only): invite by email (a set-password link through the
//! outbox, valid 48 hours, single use), change a role, disable or enable. Accepting an
//! invitation is the one public page here: the link's secret is its credential.

use actix_web::http::StatusCode;
use actix_web::web::{self, Bytes};
use actix_web::{HttpRequest, HttpResponse};
use maud::Markup;

use super::staff_form::StaffForm;
use crate::db::staff::{self as accounts, Invited, Refused};
use crate::db::{self, audit, outbox::NewEmail};
use crate::domain::secrets::{new_token, token_hash};
use crate::domain::staff::{
    check_password_strength, hash_password, parse_invitation, CurrentStaff, Role,
};
use crate::error::AppError;
use crate::views::admin::fields::Errors;
use crate::views::admin::staff::{self as view, InviteValues};
use crate::web::{form, html_page, private_page, AppState};

const VALID_HOURS: i64 = 48;

pub async fn list(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
) -> Result<Markup, AppError> {
    let rows = state.db(accounts::list).await?;
    Ok(view::list(
        &staff,
        &rows,
        &InviteValues::default(),
        &Errors::new(),
        None,
    ))
}

fn record(
    staff_id: &str,
    event: &str,
    subject: &str,
    detail: &str,
) -> impl FnOnce(&mut db::DbConnection) -> Result<(), db::DbError> {
    let (staff_id, event, subject, detail) = (
        staff_id.to_string(),
        event.to_string(),
        subject.to_string(),
        detail.to_string(),
    );
    move |conn| {
        audit::record(
            conn,
            &audit::Event {
                staff_user_id: Some(&staff_id),
                event: &event,
                subject_type: "staff_user",
                subject_id: &subject,
                detail: &detail,
                row_count: None,
            },
        )
    }
}

/// The account list with the invitation form (`values`, `errors`) and a `notice`.
async fn list_page(
    state: &AppState,
    staff: &CurrentStaff,
    status: StatusCode,
    values: &InviteValues,
    errors: &Errors,
    notice: Option<&str>,
) -> Result<HttpResponse, AppError> {
    let rows = state.db(accounts::list).await?;
    let page = view::list(staff, &rows, values, errors, notice);
    Ok(html_page(status, page))
}

pub async fn invite(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
    form: StaffForm,
) -> Result<HttpResponse, AppError> {
    let values = InviteValues {
        email: form.get("email").trim().to_string(),
        role: form.get("role").to_string(),
    };
    let refused = StatusCode::UNPROCESSABLE_ENTITY;
    let (email, role) = match parse_invitation(&values.email, &values.role) {
        Ok(parsed) => parsed,
        Err(errors) => return list_page(&state, &staff, refused, &values, &errors, None).await,
    };
    let (token, hash) = new_token();
    let link = format!("{}/admin/invite/{token}", state.base_url);
    let now = db::now();
    let expires = now + chrono::TimeDelta::hours(VALID_HOURS);
    let (address, staff_id) = (email.as_str().to_lowercase(), staff.id.clone());
    let mail = move |to: &str| {
        let organisation = crate::organisation::current();
        let name = organisation.display_name();
        let m = crate::email::messages::staff_invitation(&link, VALID_HOURS, name);
        NewEmail::new("staff_invite", to, m.subject, m.text, Some(m.html), now)
    };
    let outcome = state
        .db(move |conn| accounts::invite_by(conn, &staff_id, &address, role, &hash, expires, mail))
        .await?;
    if outcome == Invited::AlreadyActive {
        let errors = vec![("email", "This person already has an account".into())];
        return list_page(&state, &staff, refused, &values, &errors, None).await;
    }
    state.wake_outbox();
    let notice = format!(
        "An invitation is on its way to {}. The link works for {VALID_HOURS} hours, once.",
        values.email
    );
    let (blank, no_errors) = (InviteValues::default(), Errors::new());
    list_page(
        &state,
        &staff,
        StatusCode::OK,
        &blank,
        &no_errors,
        Some(&notice),
    )
    .await
}

/// Changes one account: `role` (admin or campaigner) or `status` (disabled or enabled).
pub async fn change(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
    id: web::Path<String>,
    form: StaffForm,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let role = match form.get("role") {
        "" => None,
        r => Some(
            Role::parse(r)
                .ok_or_else(|| AppError::BadQuery("role must be admin or campaigner".into()))?,
        ),
    };
    let disabled = match form.get("status") {
        "" => None,
        "disabled" => Some(true),
        "enabled" => Some(false),
        _ => {
            return Err(AppError::BadQuery(
                "status must be disabled or enabled".into(),
            ))
        }
    };
    if role.is_none() && disabled.is_none() {
        return Err(AppError::BadQuery("give a role or a status".into()));
    }
    let staff_id = staff.id.clone();
    let outcome = state
        .db(move |conn| {
            let outcome = accounts::change(conn, &id, role.map(Role::as_str), disabled)?;
            if outcome.is_ok() {
                let detail = match (role, disabled) {
                    (Some(r), _) => format!("role {}", r.as_str()),
                    (None, Some(true)) => "disabled".to_string(),
                    _ => "enabled".to_string(),
                };
                record(&staff_id, "staff.changed", &id, &detail)(conn)?;
            }
            Ok(outcome)
        })
        .await?;
    match outcome {
        Ok(()) => Ok(super::saved("/admin/staff", "Saved")),
        Err(Refused::NotFound) => Err(AppError::NotFound),
        Err(Refused::LastAdmin) => {
            let rows = state.db(accounts::list).await?;
            let errors = vec![(
                "email",
                "That would leave no admin who can log in; make someone else an admin first"
                    .to_string(),
            )];
            Ok(html_page(
                StatusCode::CONFLICT,
                view::list(&staff, &rows, &InviteValues::default(), &errors, None),
            ))
        }
    }
}

/// The set-password form behind an invitation link, or why the link no longer works.
pub async fn accept_form(
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let hash = token_hash(&token);
    let email = state
        .db(move |conn| accounts::invitation(conn, &hash))
        .await?;
    Ok(match email {
        Some(email) => private_page(StatusCode::OK, view::accept(&email, None)),
        None => private_page(StatusCode::GONE, view::link_gone()),
    })
}

pub async fn accept(
    state: web::Data<AppState>,
    token: web::Path<String>,
    req: HttpRequest,
    body: Bytes,
) -> Result<HttpResponse, AppError> {
    // Guessing invitation tokens or hashing passwords on a stranger's behalf: the
    // login limiter (per client address) bounds both.
    let address = crate::web::client::address(&req, &state.limits.proxies);
    if let Err(wait) = state
        .limits
        .check(crate::web::limits::Class::Login, address)
    {
        return Ok(crate::web::limits::too_many(wait, false));
    }
    let pairs = form::parse(&req, &body)?;
    let get = |name: &str| form::value_of(&pairs, name);
    let (password, again) = (get("password"), get("password_confirm"));
    let hash = token_hash(&token);
    let lookup = hash.clone();
    let Some(email) = state
        .db(move |conn| accounts::invitation(conn, &lookup))
        .await?
    else {
        return Ok(private_page(StatusCode::GONE, view::link_gone()));
    };
    let problem = check_password_strength(password)
        .err()
        .map(|m| format!("Choose a password: {m}"))
        .or_else(|| (password != again).then(|| "The two passwords are not the same".to_string()));
    if let Some(problem) = problem {
        return Ok(private_page(
            StatusCode::UNPROCESSABLE_ENTITY,
            view::accept(&email, Some(&problem)),
        ));
    }
    let password_hash = web::block({
        let password = password.to_string();
        move || hash_password(&password)
    })
    .await
    .map_err(|_| AppError::Cancelled)?;
    let accepted = state
        .db(move |conn| {
            let accepted = accounts::accept_invitation(conn, &hash, &password_hash)?;
            if let Some(id) = &accepted {
                record(id, "staff.joined", id, "password set from an invitation")(conn)?;
            }
            Ok(accepted)
        })
        .await?;
    Ok(match accepted {
        Some(_) => super::see_other("/admin/login?joined=1"),
        None => private_page(StatusCode::GONE, view::link_gone()),
    })
}
