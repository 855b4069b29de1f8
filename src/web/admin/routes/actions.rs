//! Admin routes of actions: petitions and contact actions, their signatures, letters,
//! reports, replies and updates.

use actix_web::web;

use super::super::{
    actions, decisions, exports, moderation, petition, replies, target_lists, updates,
};
use super::{r, AdminRoute, CAMPAIGNER};

pub static ROUTES: &[AdminRoute] = &[
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
    r("POST", "/admin/actions/{id}/updates", CAMPAIGNER, || {
        web::post().to(updates::publish)
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
];
