//! `/healthz`: 200 `ok` when the database answers and writes work, else 503 with the
//! cause. While writes fail (the last one did), it tries one small real write every few
//! seconds to learn whether they work again; while they work it writes nothing.
//! `/readyz`, for a load balancer: 200 when the database answers and has every
//! migration, 503 once the node is shutting down (`cli::serve`).

use std::sync::atomic::Ordering::Relaxed;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{ConnectionType, StatusCode};
use actix_web::middleware::Next;
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

pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let (status, body) = if state.shutting_down.load(Relaxed) {
        (StatusCode::SERVICE_UNAVAILABLE, "shutting down")
    } else {
        let pool = state.pool.clone();
        match web::block(move || db::migrations_current(&pool)).await {
            Ok(Ok(true)) => (StatusCode::OK, "ready"),
            Ok(Ok(false)) => (StatusCode::SERVICE_UNAVAILABLE, "migrations pending"),
            _ => (StatusCode::SERVICE_UNAVAILABLE, "database unavailable"),
        }
    };
    HttpResponse::build(status)
        .content_type("text/plain; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .body(body)
}

/// Middleware: while shutting down, every answer closes its connection, so that a
/// client or proxy keeping one open sends its next request to another node.
pub async fn closing(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let stopping = req
        .app_data::<web::Data<AppState>>()
        .is_some_and(|s| s.shutting_down.load(Relaxed));
    let mut response = next.call(req).await?;
    if stopping {
        let head = response.response_mut().head_mut();
        head.set_connection_type(ConnectionType::Close);
    }
    Ok(response)
}
