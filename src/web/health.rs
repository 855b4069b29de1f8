//! `/healthz`: 200 `ok` when the database answers and writes work, else 503 with the
//! cause. While writes fail (the last one did), it tries one small real write every few
//! seconds to learn whether they work again; while they work it writes nothing.

use actix_web::{web, HttpResponse};

use super::AppState;
use crate::db::{self, health::probe_write, DbError};

pub async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    let (pool, health) = (state.pool.clone(), state.write_health.clone());
    let checked = web::block(move || {
        db::ping(&pool).inspect_err(|e| {
            health.failed(e);
        })?;
        if health.probe_due() {
            let written = pool
                .get_timeout(db::CONNECTION_WAIT)
                .map_err(DbError::from)
                .and_then(|mut conn| probe_write(&mut conn));
            match written {
                Ok(()) => health.succeeded(),
                Err(e) => {
                    health.failed(&e);
                }
            }
        }
        Ok::<_, DbError>(health.fault())
    })
    .await;
    let (status, body) = match checked {
        Ok(Ok(None)) => (actix_web::http::StatusCode::OK, "ok"),
        Ok(Ok(Some(fault))) => (
            actix_web::http::StatusCode::SERVICE_UNAVAILABLE,
            fault.describe(),
        ),
        _ => (
            actix_web::http::StatusCode::SERVICE_UNAVAILABLE,
            "database unavailable",
        ),
    };
    HttpResponse::build(status)
        .content_type("text/plain; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .body(body)
}
