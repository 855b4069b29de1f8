//! Every admin route, in one table per family (`actions`, `content`, `site`), read by
//! the router (nothing is registered any other way) and by the guard (which answers a
//! route missing here with 404), and walked by a test that proves each one refuses
//! anonymous visitors, campaigners where it must, and POSTs without a CSRF token.

use actix_web::{web, Route};

mod actions;
mod content;
mod site;

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

pub(super) const PUBLIC: Access = Access::Public;
pub(super) const CAMPAIGNER: Access = Access::Staff(Role::Campaigner);
pub(super) const ADMIN: Access = Access::Staff(Role::Admin);

/// One line per route in the families' tables.
pub(super) const fn r(
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

/// Every route, family by family; within a family, a fixed path comes before a pattern
/// that would also match it.
pub fn all() -> impl Iterator<Item = &'static AdminRoute> {
    [site::ROUTES, content::ROUTES, actions::ROUTES]
        .into_iter()
        .flatten()
}

/// Who may use `method` on the route whose pattern is `path`; `None` if it is not in the table.
pub fn access(method: &str, path: &str) -> Option<Access> {
    all()
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
    for route in all() {
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
        for route in all().filter(|r| r.path == path) {
            resource = resource.route((route.route)());
        }
        cfg.service(resource);
    }
}
