//! Every admin route in one table, read by the router (nothing is registered any other
//! way) and by the guard (which answers a route missing here with 404), and walked by a
//! test that proves each one refuses anonymous visitors, campaigners where it must, and
//! POSTs without a CSRF token.

use actix_web::{web, Route};

use super::{actions, articles, campaigns, dashboard, exports, login, target_lists};
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

const CAMPAIGNER: Access = Access::Staff(Role::Campaigner);

pub static ROUTES: &[AdminRoute] = &[
    AdminRoute {
        method: "GET",
        path: "/admin/login",
        access: Access::Public,
        route: || web::get().to(login::form),
    },
    AdminRoute {
        method: "POST",
        path: "/admin/login",
        access: Access::Public,
        route: || web::post().to(login::submit),
    },
    AdminRoute {
        method: "POST",
        path: "/admin/logout",
        access: CAMPAIGNER,
        route: || web::post().to(login::logout),
    },
    AdminRoute {
        method: "GET",
        path: "/admin",
        access: CAMPAIGNER,
        route: || web::get().to(dashboard::show),
    },
    AdminRoute {
        method: "GET",
        path: "/admin/campaigns",
        access: CAMPAIGNER,
        route: || web::get().to(campaigns::list),
    },
    AdminRoute {
        method: "GET",
        path: "/admin/campaigns/new",
        access: CAMPAIGNER,
        route: || web::get().to(campaigns::new),
    },
    AdminRoute {
        method: "POST",
        path: "/admin/campaigns",
        access: CAMPAIGNER,
        route: || web::post().to(campaigns::create),
    },
    AdminRoute {
        method: "GET",
        path: "/admin/campaigns/{id}",
        access: CAMPAIGNER,
        route: || web::get().to(campaigns::edit),
    },
    AdminRoute {
        method: "POST",
        path: "/admin/campaigns/{id}",
        access: CAMPAIGNER,
        route: || web::post().to(campaigns::update),
    },
    AdminRoute {
        method: "GET",
        path: "/admin/articles",
        access: CAMPAIGNER,
        route: || web::get().to(articles::list),
    },
    AdminRoute {
        method: "GET",
        path: "/admin/articles/new",
        access: CAMPAIGNER,
        route: || web::get().to(articles::new),
    },
    AdminRoute {
        method: "POST",
        path: "/admin/articles",
        access: CAMPAIGNER,
        route: || web::post().to(articles::create),
    },
    AdminRoute {
        method: "GET",
        path: "/admin/articles/{id}",
        access: CAMPAIGNER,
        route: || web::get().to(articles::edit),
    },
    AdminRoute {
        method: "POST",
        path: "/admin/articles/{id}",
        access: CAMPAIGNER,
        route: || web::post().to(articles::update),
    },
    AdminRoute {
        method: "GET",
        path: "/admin/actions",
        access: CAMPAIGNER,
        route: || web::get().to(actions::list),
    },
    AdminRoute {
        method: "GET",
        path: "/admin/actions/new",
        access: CAMPAIGNER,
        route: || web::get().to(actions::new),
    },
    AdminRoute {
        method: "POST",
        path: "/admin/actions",
        access: CAMPAIGNER,
        route: || web::post().to(actions::create),
    },
    AdminRoute {
        method: "GET",
        path: "/admin/actions/{id}",
        access: CAMPAIGNER,
        route: || web::get().to(actions::edit),
    },
    AdminRoute {
        method: "POST",
        path: "/admin/actions/{id}",
        access: CAMPAIGNER,
        route: || web::post().to(actions::update),
    },
    AdminRoute {
        method: "GET",
        path: "/admin/target-lists",
        access: CAMPAIGNER,
        route: || web::get().to(target_lists::list),
    },
    AdminRoute {
        method: "POST",
        path: "/admin/target-lists",
        access: CAMPAIGNER,
        route: || web::post().to(target_lists::upload),
    },
    AdminRoute {
        method: "GET",
        path: "/admin/petitions/{slug}",
        access: CAMPAIGNER,
        route: || web::get().to(exports::petition_page),
    },
    AdminRoute {
        method: "GET",
        path: "/admin/petitions/{slug}/signatures.csv",
        access: CAMPAIGNER,
        route: || web::get().to(exports::signatures_csv),
    },
    AdminRoute {
        method: "GET",
        path: "/admin/petitions/{slug}/counts.csv",
        access: CAMPAIGNER,
        route: || web::get().to(exports::counts_csv),
    },
    AdminRoute {
        method: "GET",
        path: "/admin/petitions/{slug}/counts.json",
        access: CAMPAIGNER,
        route: || web::get().to(exports::counts_json),
    },
    AdminRoute {
        method: "GET",
        path: "/admin/petitions/{slug}/report",
        access: CAMPAIGNER,
        route: || web::get().to(exports::report),
    },
    AdminRoute {
        method: "GET",
        path: "/admin/contacts/{slug}/letters.csv",
        access: CAMPAIGNER,
        route: || web::get().to(exports::letters_csv),
    },
    AdminRoute {
        method: "GET",
        path: "/admin/contacts/{slug}/messages.csv",
        access: CAMPAIGNER,
        route: || web::get().to(exports::messages_csv),
    },
];

/// Who may use `method` on the route whose pattern is `path`; `None` if it is not in the table.
pub fn access(method: &str, path: &str) -> Option<Access> {
    ROUTES
        .iter()
        .find(|r| r.method == method && r.path == path)
        .map(|r| r.access)
}

/// Registers every route of the table inside the `/admin` scope.
pub fn register(cfg: &mut web::ServiceConfig) {
    for route in ROUTES {
        let inner = route
            .path
            .strip_prefix("/admin")
            .expect("admin routes start with /admin");
        cfg.route(inner, (route.route)());
    }
}
