//! Every admin route in one table, read by the router (nothing is registered any other
//! way) and by the guard (which answers a route missing here with 404), and walked by a
//! test that proves each one refuses anonymous visitors, campaigners where it must, and
//! POSTs without a CSRF token.

use actix_web::{web, Route};

use super::{
    access_rules, actions, articles, audit_log, campaigns, dashboard, decisions, erasure, exports,
    login, mailings, moderation, organisation, partner, partners, petition, pictures, replies,
    retention, staff, subscribers, target_lists, translations,
};
use crate::domain::staff::Role;

/// Who may use a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone: the login form.
    Public,
    /// Staff with at least this role.
    Staff(Role),
}

pub struct AdminRoute {
    pub method: &'static str,
    /// The full path pattern, starting with `/admin`.
    pub path: &'static str,
    pub access: Access,
    pub route: fn() -> Route,
}

const PUBLIC: Access = Access::Public;
const CAMPAIGNER: Access = Access::Staff(Role::Campaigner);
const ADMIN: Access = Access::Staff(Role::Admin);

/// One line per route in the table below.
const fn r(
    method: &'static str,
    path: &'static str,
    access: Access,
    route: fn() -> Route,
) -> AdminRoute {
    AdminRoute {
        method,
        path,
        access,
        route,
    }
}

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
    r("GET", "/admin/campaigns", CAMPAIGNER, || {
        web::get().to(campaigns::list)
    }),
    r("GET", "/admin/campaigns/new", CAMPAIGNER, || {
        web::get().to(campaigns::new)
    }),
    r("POST", "/admin/campaigns", CAMPAIGNER, || {
        web::post().to(campaigns::create)
    }),
    r("GET", "/admin/campaigns/{id}", CAMPAIGNER, || {
        web::get().to(campaigns::edit)
    }),
    r("POST", "/admin/campaigns/{id}", CAMPAIGNER, || {
        web::post().to(campaigns::update)
    }),
    r("GET", "/admin/articles", CAMPAIGNER, || {
        web::get().to(articles::list)
    }),
    r("GET", "/admin/articles/new", CAMPAIGNER, || {
        web::get().to(articles::new)
    }),
    r("POST", "/admin/articles", CAMPAIGNER, || {
        web::post().to(articles::create)
    }),
    r("GET", "/admin/articles/{id}", CAMPAIGNER, || {
        web::get().to(articles::edit)
    }),
    r("POST", "/admin/articles/{id}", CAMPAIGNER, || {
        web::post().to(articles::update)
    }),
    r("GET", "/admin/articles/{id}/picture", CAMPAIGNER, || {
        web::get().to(pictures::show)
    }),
    r("POST", "/admin/articles/{id}/picture", CAMPAIGNER, || {
        web::post().to(pictures::save)
    }),
    r(
        "POST",
        "/admin/articles/{id}/picture/remove",
        CAMPAIGNER,
        || web::post().to(pictures::remove),
    ),
    r("GET", "/admin/actions", CAMPAIGNER, || {
        web::get().to(actions::list)
    }),
    r("GET", "/admin/actions/new", CAMPAIGNER, || {
        web::get().to(actions::new)
    }),
    r("POST", "/admin/actions", CAMPAIGNER, || {
        web::post().to(actions::create)
    }),
    r("GET", "/admin/actions/{id}", CAMPAIGNER, || {
        web::get().to(actions::edit)
    }),
    r("POST", "/admin/actions/{id}", CAMPAIGNER, || {
        web::post().to(actions::update)
    }),
    r("GET", "/admin/target-lists", CAMPAIGNER, || {
        web::get().to(target_lists::list)
    }),
    r("POST", "/admin/target-lists", CAMPAIGNER, || {
        web::post().to(target_lists::upload)
    }),
    r("GET", "/admin/petitions/{slug}", CAMPAIGNER, || {
        web::get().to(petition::page)
    }),
    r(
        "GET",
        "/admin/petitions/{slug}/signatures.csv",
        CAMPAIGNER,
        || web::get().to(exports::signatures_csv),
    ),
    r(
        "GET",
        "/admin/petitions/{slug}/counts.csv",
        CAMPAIGNER,
        || web::get().to(exports::counts_csv),
    ),
    r(
        "GET",
        "/admin/petitions/{slug}/counts.json",
        CAMPAIGNER,
        || web::get().to(exports::counts_json),
    ),
    r("GET", "/admin/petitions/{slug}/report", CAMPAIGNER, || {
        web::get().to(petition::report)
    }),
    r(
        "POST",
        "/admin/petitions/{slug}/report/handed-over",
        CAMPAIGNER,
        || web::post().to(petition::handed_over),
    ),
    r(
        "GET",
        "/admin/contacts/{slug}/letters.csv",
        CAMPAIGNER,
        || web::get().to(exports::letters_csv),
    ),
    r("GET", "/admin/contacts/{slug}/replies", CAMPAIGNER, || {
        web::get().to(replies::action_page)
    }),
    r(
        "GET",
        "/admin/contacts/{slug}/replies.csv",
        CAMPAIGNER,
        || web::get().to(replies::action_csv),
    ),
    r(
        "POST",
        "/admin/contacts/{slug}/replies/quote",
        CAMPAIGNER,
        || web::post().to(replies::quote),
    ),
    r("GET", "/admin/replies", CAMPAIGNER, || {
        web::get().to(replies::all_page)
    }),
    r("GET", "/admin/replies.csv", CAMPAIGNER, || {
        web::get().to(replies::all_csv)
    }),
    r(
        "GET",
        "/admin/contacts/{slug}/messages.csv",
        CAMPAIGNER,
        || web::get().to(exports::messages_csv),
    ),
    r(
        "GET",
        "/admin/petitions/{slug}/signatures",
        CAMPAIGNER,
        || web::get().to(moderation::list),
    ),
    r(
        "GET",
        "/admin/petitions/{slug}/signatures/{id}",
        CAMPAIGNER,
        || web::get().to(decisions::ask),
    ),
    r(
        "POST",
        "/admin/petitions/{slug}/signatures/{id}",
        CAMPAIGNER,
        || web::post().to(decisions::decide_one),
    ),
    r(
        "POST",
        "/admin/petitions/{slug}/decisions/{id}/undo",
        CAMPAIGNER,
        || web::post().to(decisions::undo),
    ),
    r("GET", "/admin/petitions/{slug}/bulk", CAMPAIGNER, || {
        web::get().to(moderation::preview)
    }),
    r("POST", "/admin/petitions/{slug}/bulk", CAMPAIGNER, || {
        web::post().to(moderation::apply)
    }),
    r("GET", "/admin/subscribers", CAMPAIGNER, || {
        web::get().to(subscribers::list)
    }),
    r(
        "POST",
        "/admin/subscribers/suppressions",
        CAMPAIGNER,
        || web::post().to(subscribers::suppress),
    ),
    r("POST", "/admin/subscribers/import", CAMPAIGNER, || {
        web::post().to(subscribers::import)
    }),
    r("GET", "/admin/subscribers.csv", CAMPAIGNER, || {
        web::get().to(subscribers::csv)
    }),
    r("GET", "/admin/mailings", CAMPAIGNER, || {
        web::get().to(mailings::list)
    }),
    r("POST", "/admin/mailings", CAMPAIGNER, || {
        web::post().to(mailings::create)
    }),
    r("GET", "/admin/mailings/{id}", CAMPAIGNER, || {
        web::get().to(mailings::show)
    }),
    r("POST", "/admin/mailings/{id}", CAMPAIGNER, || {
        web::post().to(mailings::save)
    }),
    r("POST", "/admin/mailings/{id}/test", CAMPAIGNER, || {
        web::post().to(mailings::test)
    }),
    r("POST", "/admin/mailings/{id}/send", CAMPAIGNER, || {
        web::post().to(mailings::send)
    }),
    r("POST", "/admin/mailings/{id}/{action}", CAMPAIGNER, || {
        web::post().to(mailings::control)
    }),
    r("GET", "/admin/translations", CAMPAIGNER, || {
        web::get().to(translations::overview)
    }),
    r(
        "GET",
        "/admin/translations/{kind}/{id}/{lang}",
        CAMPAIGNER,
        || web::get().to(translations::show),
    ),
    r(
        "POST",
        "/admin/translations/{kind}/{id}/{lang}",
        CAMPAIGNER,
        || web::post().to(translations::save),
    ),
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

/// Who may use `method` on the route whose pattern is `path`; `None` if it is not in the table.
pub fn access(method: &str, path: &str) -> Option<Access> {
    ROUTES
        .iter()
        .find(|r| r.method == method && r.path == path)
        .map(|r| r.access)
}

/// Paths anyone may post to, which take small bodies only (docs/CONTRACT.md: 16 KB for login).
const SMALL_BODIES: [&str; 2] = ["/admin/login", "/admin/invite/{token}"];
const SMALL_BODY_LIMIT: usize = 16 * 1024;

/// Registers every route of the table inside the `/admin` scope, one resource per path.
pub fn register(cfg: &mut web::ServiceConfig) {
    // In the table's order (a fixed path before a pattern that would also match it).
    let mut paths: Vec<&str> = Vec::new();
    for route in ROUTES {
        if !paths.contains(&route.path) {
            paths.push(route.path);
        }
    }
    for path in paths {
        let inner = path
            .strip_prefix("/admin")
            .expect("admin routes start with /admin");
        let mut resource = web::resource(inner);
        if SMALL_BODIES.contains(&path) {
            resource = resource.app_data(web::PayloadConfig::new(SMALL_BODY_LIMIT));
        }
        for route in ROUTES.iter().filter(|r| r.path == path) {
            resource = resource.route((route.route)());
        }
        cfg.service(resource);
    }
}
