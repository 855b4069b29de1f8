//! Logging: tracing to stdout, and one line per request naming the route pattern (never
//! the path, which may hold a confirmation token) with status and duration, counted in
//! the metrics too (`metrics.rs`). No personal data is logged anywhere.

pub mod metrics;

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use tracing_subscriber::EnvFilter;

/// Logs at `info` unless `RUST_LOG` says otherwise; one JSON object a line when
/// `CLARION_LOG_FORMAT=json` (a wrong value is refused by `Config`, which names it).
pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let json = std::env::var("CLARION_LOG_FORMAT").is_ok_and(|f| f.trim() == "json");
    let text = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stdout)
        .with_target(false);
    let _ = if json {
        text.json().flatten_event(true).try_init()
    } else {
        text.with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()))
            .try_init()
    };
}

/// Middleware: one log line per request.
pub async fn log_request(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let method = req.method().clone();
    let response = next.call(req).await?;
    let elapsed = started.elapsed();
    // Read after routing: the matched route is then known. Before it, actix would match
    // the path against the routes a second time, running each pattern until one matches.
    let route = response
        .request()
        .match_pattern()
        .unwrap_or_else(|| "(unmatched)".to_string());
    metrics::request(method.as_str(), &route, response.status().as_u16(), elapsed);
    tracing::info!(
        method = %method,
        route = %route,
        status = response.status().as_u16(),
        ms = format!("{:.1}", elapsed.as_secs_f64() * 1000.0),
        "request"
    );
    Ok(response)
}
