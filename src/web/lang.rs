//! The language of a public page is in its path: `/fr/…` French, `/km/…` Khmer, anything
//! else English at the URLs it always had. This middleware, before routing, strips the
//! prefix so that one route table serves the three, and runs the request in that
//! language (`i18n::speaking`). Only the bare `/` looks further: a language chosen with
//! the switcher (a cookie), else the browser's `Accept-Language`, may send it to `/fr/`
//! or `/km/`. No other URL redirects by header, so a shared link shows what it names.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::{Method, Uri};
use actix_web::middleware::Next;
use actix_web::{HttpResponse, ResponseError as _};

use crate::error::AppError;
use crate::i18n::{self, Lang};

/// The cookie the switcher sets; only the bare `/` reads it.
pub const COOKIE: &str = "clarion_lang";
/// The query parameter the switcher's links carry, so that following one remembers it.
pub const CHOSEN: &str = "chosen";

/// `/fr/petitions/x` → (French, `/petitions/x`); `/km` → (Khmer, `/`).
fn split(path: &str) -> (Lang, &str) {
    for lang in [Lang::Fr, Lang::Km] {
        if let Some(rest) = path.strip_prefix(lang.prefix()) {
            if rest.is_empty() {
                return (lang, "/");
            }
            if rest.starts_with('/') {
                return (lang, rest);
            }
        }
    }
    (Lang::En, path)
}

/// Staff pages, the API and the health check have one language and one URL.
fn untranslated(path: &str) -> bool {
    ["/admin", "/api", "/healthz", "/readyz"]
        .iter()
        .any(|p| path == *p || path.starts_with(&format!("{p}/")))
}

/// The query without the switcher's parameter, and whether it was there.
fn without_chosen(query: &str) -> (String, bool) {
    let kept: Vec<&str> = query
        .split('&')
        .filter(|p| !p.is_empty() && *p != format!("{CHOSEN}=1"))
        .collect();
    let had = query.split('&').any(|p| p == format!("{CHOSEN}=1"));
    (kept.join("&"), had)
}

fn with_query(path: &str, query: &str) -> String {
    match query.is_empty() {
        true => path.to_string(),
        false => format!("{path}?{query}"),
    }
}

pub async fn middleware(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let full = req.path().to_string();
    let (lang, rest) = split(&full);
    let (query, chosen) = without_chosen(req.query_string());
    let rest = rest.to_string();
    let readable = matches!(*req.method(), Method::GET | Method::HEAD);
    let shown = if readable {
        with_query(&rest, &query)
    } else {
        String::new()
    };
    if lang != Lang::En && untranslated(&rest) {
        let response = i18n::speaking(lang, &shown, async { AppError::NotFound.error_response() });
        return Ok(req.into_response(response.await));
    }
    if chosen && readable {
        // The switcher was followed: remember the choice, and show the clean URL.
        let location = with_query(&i18n::path_in(lang, &rest), &query);
        let response = HttpResponse::SeeOther()
            .insert_header((header::LOCATION, location))
            .insert_header((header::SET_COOKIE, cookie(lang, &req)))
            .finish();
        return Ok(req.into_response(response));
    }
    if lang == Lang::En && rest == "/" && readable {
        if let Some(other) = home_language(&req) {
            let response = HttpResponse::SeeOther()
                .insert_header((header::LOCATION, i18n::path_in(other, "/")))
                .insert_header((header::VARY, "Accept-Language, Cookie"))
                .finish();
            return Ok(req.into_response(response));
        }
    }
    if lang != Lang::En {
        let uri: Uri = with_query(&rest, req.query_string())
            .parse()
            .map_err(|_| AppError::NotFound)?;
        req.match_info_mut().get_mut().update(&uri);
        req.head_mut().uri = uri;
    }
    let home = lang == Lang::En && rest == "/";
    let mut response = i18n::speaking(lang, &shown, next.call(req))
        .await?
        .map_into_boxed_body();
    if home {
        let vary = HeaderValue::from_static("Accept-Language, Cookie");
        response.headers_mut().insert(header::VARY, vary);
    }
    Ok(response)
}

/// Where the bare `/` sends a visitor: the language they chose, else the one their
/// browser prefers to English; `None` stays in English.
fn home_language(req: &ServiceRequest) -> Option<Lang> {
    if let Some(chosen) = req.cookie(COOKIE).and_then(|c| Lang::parse(c.value())) {
        return (chosen != Lang::En).then_some(chosen);
    }
    let accept = req.headers().get(header::ACCEPT_LANGUAGE)?.to_str().ok()?;
    i18n::preferred_over_english(accept)
}

fn cookie(lang: Lang, req: &ServiceRequest) -> String {
    let secure = if req.connection_info().scheme() == "https" {
        "; Secure"
    } else {
        ""
    };
    format!(
        "{COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly{secure}",
        lang.code()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_prefix_names_the_language_and_the_rest_is_the_english_path() {
        assert_eq!(split("/fr/petitions/x"), (Lang::Fr, "/petitions/x"));
        assert_eq!(split("/km"), (Lang::Km, "/"));
        assert_eq!(split("/km/"), (Lang::Km, "/"));
        assert_eq!(split("/france"), (Lang::En, "/france"));
        assert_eq!(split("/petitions/x"), (Lang::En, "/petitions/x"));
        assert!(untranslated("/admin") && untranslated("/admin/login"));
        assert!(!untranslated("/administration-news"));
    }

    #[test]
    fn the_switchers_parameter_is_taken_out_of_the_query() {
        assert_eq!(without_chosen("chosen=1"), (String::new(), true));
        assert_eq!(without_chosen("a=1&chosen=1&b=2"), ("a=1&b=2".into(), true));
        assert_eq!(without_chosen("chosen=2"), ("chosen=2".into(), false));
    }
}
