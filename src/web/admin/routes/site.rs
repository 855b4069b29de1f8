//! Admin routes of the site itself: logging in, the dashboard, the organisation, access
//! rules, partners, retention, erasure, staff and the audit log.

use actix_web::web;

use super::super::{
    access_rules, audit_log, dashboard, erasure, login, organisation, partner, partners, retention,
    staff,
};
use super::{r, AdminRoute, ADMIN, CAMPAIGNER, PUBLIC};

pub static ROUTES: &[AdminRoute] = &[
    r("GET", "/admin/login", PUBLIC, || web::get().to(login::form)),
    r("POST", "/admin/login", PUBLIC, || {
        web::post().to(login::submit)
    }),
    r("POST", "/admin/logout", CAMPAIGNER, || {
        web::post().to(login::logout)
    }),
    r("GET", "/admin", CAMPAIGNER, || {
        web::get().to(dashboard::show)
    }),
    r("GET", "/admin/organisation", ADMIN, || {
        web::get().to(organisation::show)
    }),
    r("POST", "/admin/organisation", ADMIN, || {
        web::post().to(organisation::save)
    }),
    r("GET", "/admin/access-rules", ADMIN, || {
        web::get().to(access_rules::list)
    }),
    r("POST", "/admin/access-rules", ADMIN, || {
        web::post().to(access_rules::add)
    }),
    r("POST", "/admin/access-rules/{id}/delete", ADMIN, || {
        web::post().to(access_rules::remove)
    }),
    r("GET", "/admin/partners", ADMIN, || {
        web::get().to(partners::list)
    }),
    r("POST", "/admin/partners", ADMIN, || {
        web::post().to(partners::add)
    }),
    r("GET", "/admin/partners/{key}", ADMIN, || {
        web::get().to(partner::show)
    }),
    r("POST", "/admin/partners/{key}/tokens", ADMIN, || {
        web::post().to(partner::create_token)
    }),
    r(
        "POST",
        "/admin/partners/{key}/tokens/{id}/revoke",
        ADMIN,
        || web::post().to(partner::revoke_token),
    ),
    r("POST", "/admin/partners/{key}/webhooks", ADMIN, || {
        web::post().to(partner::add_webhook)
    }),
    r(
        "POST",
        "/admin/partners/{key}/webhooks/{id}/test",
        ADMIN,
        || web::post().to(partner::test_webhook),
    ),
    r(
        "POST",
        "/admin/partners/{key}/webhooks/{id}/deliveries/{delivery}/replay",
        ADMIN,
        || web::post().to(partner::replay),
    ),
    r("GET", "/admin/retention", ADMIN, || {
        web::get().to(retention::show)
    }),
    r("POST", "/admin/retention/{id}/exempt", ADMIN, || {
        web::post().to(retention::exempt)
    }),
    r("POST", "/admin/retention/{id}/lift", ADMIN, || {
        web::post().to(retention::lift)
    }),
    r("GET", "/admin/erase", ADMIN, || {
        web::get().to(erasure::form)
    }),
    r("POST", "/admin/erase", ADMIN, || {
        web::post().to(erasure::submit)
    }),
    r("GET", "/admin/staff", ADMIN, || web::get().to(staff::list)),
    r("POST", "/admin/staff", ADMIN, || {
        web::post().to(staff::invite)
    }),
    r("POST", "/admin/staff/{id}", ADMIN, || {
        web::post().to(staff::change)
    }),
    r("GET", "/admin/invite/{token}", PUBLIC, || {
        web::get().to(staff::accept_form)
    }),
    r("POST", "/admin/invite/{token}", PUBLIC, || {
        web::post().to(staff::accept)
    }),
    r("GET", "/admin/audit", ADMIN, || {
        web::get().to(audit_log::show)
    }),
];
