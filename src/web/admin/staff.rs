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
use crate::domain::email::Email;
use crate::domain::secrets::{new_token, token_hash};
use crate::domain::staff::{check_password_strength, hash_password, CurrentStaff, Role};
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

pub async fn invite(
    state: web::Data<AppState>,
    staff: web::ReqData<CurrentStaff>,
    form: StaffForm,
) -> Result<HttpResponse, AppError> {
    let values = InviteValues {
        email: form.get("email").trim().to_string(),
        role: form.get("role").to_string(),
    };
    let mut errors = Errors::new();
    let email = Email::parse(&values.email);
    if email.is_err() {
        errors.push((
            "email",
            "Enter an email address, like name@example.org".into(),
        ));
    }
    let role = Role::parse(&values.role);
    if role.is_none() {
        errors.push(("role", "Choose admin or campaigner".into()));
    }
    let (Ok(email), Some(role), true) = (email, role, errors.is_empty()) else {
        let rows = state.db(accounts::list).await?;
        let page = view::list(&staff, &rows, &values, &errors, None);
        return Ok(html_page(StatusCode::UNPROCESSABLE_ENTITY, page));
    };
    let (token, hash) = new_token();
    let link = format!("{}/admin/invite/{token}", state.base_url);
    let now = db::now();
    let expires = now + chrono::TimeDelta::hours(VALID_HOURS);
    let (address, staff_id) = (email.as_str().to_lowercase(), staff.id.clone());
    let (outcome, _) = state
        .db(move |conn| {
            let mail = |to: &str| {
                let m = crate::email::messages::staff_invitation(&link, VALID_HOURS);
                NewEmail::new("staff_invite", to, m.subject, m.text, Some(m.html), now)
            };
            let (outcome, id) =
                accounts::invite(conn, &address, role.as_str(), &hash, expires, mail)?;
            if outcome != Invited::AlreadyActive {
                record(
                    &staff_id,
                    "staff.invited",
                    &id,
                    &format!("{address} as {}", role.as_str()),
                )(conn)?;
            }
            Ok((outcome, id))
        })
        .await?;
    if outcome == Invited::AlreadyActive {
        errors.push(("email", "This person already has an account".into()));
        let rows = state.db(accounts::list).await?;
        let page = view::list(&staff, &rows, &values, &errors, None);
        return Ok(html_page(StatusCode::UNPROCESSABLE_ENTITY, page));
    }
    state.wake_outbox();
    let rows = state.db(accounts::list).await?;
    let notice = format!(
        "An invitation is on its way to {}. The link works for {VALID_HOURS} hours, once.",
        values.email
    );
    Ok(html_page(
        StatusCode::OK,
        view::list(
            &staff,
            &rows,
            &InviteValues::default(),
            &Errors::new(),
            Some(&notice),
        ),
    ))
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
        Ok(()) => Ok(super::see_other("/admin/staff")),
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
    let get = |name: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, v)| v.as_str())
    };
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
