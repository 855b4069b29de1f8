//! Admin routes of what the organisation publishes: campaigns, articles, translations,
//! the newsletter's subscribers and mailings.

use actix_web::web;

use super::super::{articles, campaigns, mailings, pictures, subscribers, translations};
use super::{r, AdminRoute, CAMPAIGNER};

pub static ROUTES: &[AdminRoute] = &[
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
];
