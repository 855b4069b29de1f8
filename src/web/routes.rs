//! The public route table. Every public path is one line here (the admin table is
//! `admin/routes/`).
//!
//! Actix tries the routes in this order and matches each `{…}` segment with a regular
//! expression (regex-lite's, see docs/ARCHITECTURE.md): microseconds when the path
//! shares the pattern's beginning, and still a search when it fails at the first letter.
//! So the routes a surge asks for come first (the petition, the article, the JSON
//! count), and a family of routes after one segment is one scope (`/petitions/{slug}`
//! holding `/sign`, `/thank-you`…) whose pattern runs once, its fixed endings then
//! compared as strings. The flat table ran two patterns in full for a signature, and ten
//! for the JSON count (nine failing early). A scope costs about as much as two patterns
//! failing early (the server's CPU per request, CHANGELOG session 22), so single routes
//! stay single. Logs and metrics still name each route by its whole pattern
//! (`/petitions/{slug}/sign`): actix joins a scope's pattern to its routes'.

use actix_web::web;

use super::{
    api, articles, assets, confirm, contact, contact_after, embed, feed, follow_up, health, me,
    message_confirm, newsletter, not_found, organisation, osdi, petitions, privacy, replies,
    updates,
};
use super::{CONTACT_FORM_LIMIT, FOLLOW_UP_FORM_LIMIT, SIGN_FORM_LIMIT};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(articles::home))
        .route("/articles", web::get().to(articles::list))
        .service(
            web::scope("/petitions/{slug}")
                .route("", web::get().to(petitions::show))
                .service(
                    web::resource("/sign")
                        .app_data(web::PayloadConfig::new(SIGN_FORM_LIMIT))
                        .route(web::post().to(petitions::sign)),
                )
                .route("/check-your-email", web::get().to(petitions::check_email))
                .route("/thank-you", web::get().to(petitions::thank_you)),
        )
        .route("/articles/{slug}", web::get().to(articles::show))
        .route("/api/v1/petitions/{slug}", web::get().to(api::petition))
        .route("/articles/{slug}/picture", web::get().to(articles::picture))
        .service(
            web::resource("/signatures/confirm/{token}")
                .route(web::get().to(confirm::show))
                .route(web::post().to(confirm::confirm)),
        )
        .configure(osdi::routes)
        .service(
            web::scope("/act/{slug}")
                .route("", web::get().to(contact::show))
                .service(
                    web::resource("/send")
                        .app_data(web::PayloadConfig::new(CONTACT_FORM_LIMIT))
                        .route(web::post().to(contact::send)),
                )
                .route(
                    "/check-your-email",
                    web::get().to(contact_after::check_email),
                )
                .route("/thank-you", web::get().to(contact_after::thank_you))
                .route("/replies", web::get().to(replies::action))
                .route("/letters/{token}", web::get().to(contact_after::prepared)),
        )
        .route("/campaigns/{slug}", web::get().to(articles::campaign))
        .route("/organisation/logo", web::get().to(organisation::logo))
        .route("/feed.atom", web::get().to(feed::atom))
        .route("/replies", web::get().to(replies::all))
        .service(
            web::resource("/messages/confirm/{token}")
                .route(web::get().to(message_confirm::show))
                .route(web::post().to(message_confirm::confirm)),
        )
        .service(
            web::resource("/follow-up/{token}")
                .app_data(web::PayloadConfig::new(FOLLOW_UP_FORM_LIMIT))
                .route(web::get().to(follow_up::show))
                .route(web::post().to(follow_up::record)),
        )
        .configure(newsletter::routes)
        .configure(updates::routes)
        .configure(me::routes)
        .route("/privacy", web::get().to(privacy::show))
        .route("/embed.js", web::get().to(assets::embed_script))
        .service(
            web::scope("/embed/petitions/{slug}")
                .route("", web::get().to(embed::petition))
                .route("/check-your-email", web::get().to(embed::check_email)),
        )
        .route("/healthz", web::get().to(health::healthz))
        .route("/readyz", web::get().to(health::readyz))
        .route("/static/{file}", web::get().to(assets::file))
        .default_service(web::to(not_found));
}
