//! Prometheus metrics, served at `/metrics` on a listener of their own
//! (`CLARION_METRICS_BIND`, off by default), never on the public port. Labels hold route
//! patterns, methods, statuses, outcomes, hold reasons and email kinds: never an email, a
//! name or an address. Without the setting no recorder is installed and every record
//! below costs next to nothing.

use std::collections::BTreeSet;
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use actix_web::{web, App, HttpResponse, HttpServer};
use metrics::{counter, gauge, histogram};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::db::{self, Pool};

/// Latencies: 1 ms to 10 s.
const SECONDS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];
/// Group-commit batch sizes, up to the writer's largest (`signing::MAX_BATCH`).
const SIZES: &[f64] = &[1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0, 512.0];

/// The process's one recorder, installed by the first application that serves metrics
/// (tests build several applications in one process; they share it).
static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

fn install() -> PrometheusHandle {
    HANDLE
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), SECONDS)
                .and_then(|b| {
                    b.set_buckets_for_metric(Matcher::Full("clarion_sign_batch_size".into()), SIZES)
                })
                .expect("the bucket lists are not empty")
                .build_recorder();
            let handle = recorder.handle();
            if metrics::set_global_recorder(recorder).is_err() {
                tracing::warn!("another metrics recorder was installed first");
            }
            // Histograms keep their samples until upkeep folds them in: without a
            // scrape they would grow for ever.
            let upkeep = handle.clone();
            std::thread::Builder::new()
                .name("metrics-upkeep".into())
                .spawn(move || loop {
                    std::thread::sleep(Duration::from_secs(5));
                    upkeep.run_upkeep();
                })
                .expect("the system can start a thread");
            handle
        })
        .clone()
}

/// A method as a label: the usual ones by name, any other (a stranger chooses it) as
/// `other`, so that no one can grow the number of series.
fn method_label(method: &str) -> &'static str {
    match method {
        "GET" => "GET",
        "HEAD" => "HEAD",
        "POST" => "POST",
        "PUT" => "PUT",
        "PATCH" => "PATCH",
        "DELETE" => "DELETE",
        "OPTIONS" => "OPTIONS",
        _ => "other",
    }
}

/// Whether metrics are served: without, the labels below are not even built.
fn serving() -> bool {
    HANDLE.get().is_some()
}

/// One answered request, by route pattern (never the path, which may hold a token).
pub fn request(method: &str, route: &str, status: u16, elapsed: Duration) {
    if !serving() {
        return;
    }
    let labels = [
        ("method", method_label(method).to_string()),
        ("route", route.to_string()),
        ("status", status.to_string()),
    ];
    counter!("clarion_http_requests_total", &labels).increment(1);
    histogram!("clarion_http_request_duration_seconds", &labels).record(elapsed.as_secs_f64());
}

/// What became of a sign request (`outcome`: accepted, held, duplicate,
/// refused_by_limit or unavailable); `reason` says why one was held.
pub fn signature(outcome: &'static str, reason: Option<&'static str>) {
    if !serving() {
        return;
    }
    match reason {
        Some(reason) => {
            counter!("clarion_signatures_total", "outcome" => outcome, "reason" => reason)
                .increment(1)
        }
        None => counter!("clarion_signatures_total", "outcome" => outcome).increment(1),
    }
}

/// One group commit of the signing writer.
pub fn sign_batch(size: usize, elapsed: Duration) {
    if !serving() {
        return;
    }
    histogram!("clarion_sign_batch_size").record(size as f64);
    histogram!("clarion_sign_batch_duration_seconds").record(elapsed.as_secs_f64());
}

/// One email handed to the relay (`sent`) or not; `reason` is the failure's kind.
pub fn email(kind: &str, failed: Option<&'static str>) {
    if !serving() {
        return;
    }
    match failed {
        None => counter!("clarion_emails_sent_total", "kind" => kind.to_string()).increment(1),
        Some(reason) => counter!(
            "clarion_emails_failed_total",
            "kind" => kind.to_string(),
            "reason" => reason
        )
        .increment(1),
    }
}

/// One webhook delivery try.
pub fn webhook(delivered: bool) {
    if !serving() {
        return;
    }
    match delivered {
        true => counter!("clarion_webhooks_delivered_total").increment(1),
        false => counter!("clarion_webhooks_failed_total").increment(1),
    }
}

/// The pool's checkouts: how long each waited, and the waits that gave up.
#[derive(Debug)]
pub struct PoolEvents;

impl diesel::r2d2::HandleEvent for PoolEvents {
    fn handle_checkout(&self, event: diesel::r2d2::event::CheckoutEvent) {
        histogram!("clarion_db_pool_wait_seconds").record(event.duration().as_secs_f64());
    }

    fn handle_timeout(&self, _event: diesel::r2d2::event::TimeoutEvent) {
        counter!("clarion_db_pool_timeouts_total").increment(1);
    }
}

/// What the scrape reads besides the recorder.
struct Scrape {
    handle: PrometheusHandle,
    pool: Pool,
    queue_depth: Arc<AtomicUsize>,
    /// Email kinds seen waiting before, set to zero once none waits.
    kinds: Mutex<BTreeSet<String>>,
}

/// Binds `address` and serves `/metrics` there until the returned server is stopped.
pub fn serve(
    address: &str,
    pool: Pool,
    queue_depth: Arc<AtomicUsize>,
) -> std::io::Result<actix_web::dev::Server> {
    let listener = TcpListener::bind(address)?;
    tracing::info!("metrics on http://{}/metrics", listener.local_addr()?);
    let scrape = web::Data::new(Scrape {
        handle: install(),
        pool,
        queue_depth,
        kinds: Mutex::default(),
    });
    Ok(HttpServer::new(move || {
        App::new()
            .app_data(scrape.clone())
            .route("/metrics", web::get().to(render))
    })
    .workers(1)
    .disable_signals()
    .shutdown_timeout(1)
    .listen(listener)?
    .run())
}

/// `GET /metrics`: the gauges read now, then everything in Prometheus text.
async fn render(scrape: web::Data<Scrape>) -> HttpResponse {
    let reading = scrape.clone();
    let read = web::block(move || read_gauges(&reading)).await;
    if let Ok(Err(e)) = read {
        tracing::warn!(error = %e, "metrics: the database gauges could not be read");
    }
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .body(scrape.handle.render())
}

fn read_gauges(scrape: &Scrape) -> Result<(), db::DbError> {
    gauge!("clarion_sign_queue_depth").set(scrape.queue_depth.load(Relaxed) as f64);
    let state = scrape.pool.state();
    gauge!("clarion_db_pool_connections").set(f64::from(state.connections));
    gauge!("clarion_db_pool_idle_connections").set(f64::from(state.idle_connections));
    let mut conn = scrape.pool.get()?;
    let now = db::now();
    let waiting = db::gauges::waiting_by_kind(&mut conn)?;
    let mut kinds = scrape.kinds.lock().unwrap_or_else(|e| e.into_inner());
    for gone in kinds.iter().filter(|k| !waiting.iter().any(|w| &w.0 == *k)) {
        gauge!("clarion_outbox_waiting", "kind" => gone.clone()).set(0.0);
        gauge!("clarion_outbox_oldest_waiting_seconds", "kind" => gone.clone()).set(0.0);
    }
    for (kind, count, oldest) in waiting {
        let age = oldest.map_or(0.0, |at| (now - at).as_seconds_f64().max(0.0));
        gauge!("clarion_outbox_waiting", "kind" => kind.clone()).set(count as f64);
        gauge!("clarion_outbox_oldest_waiting_seconds", "kind" => kind.clone()).set(age);
        kinds.insert(kind);
    }
    let mailings = db::gauges::mailings_in_progress(&mut conn)?;
    gauge!("clarion_mailings_in_progress").set(mailings as f64);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::method_label;

    #[test]
    fn a_strangers_method_is_one_label() {
        assert_eq!(method_label("POST"), "POST");
        assert_eq!(method_label("BREW"), "other");
        assert_eq!(method_label(&"X".repeat(10_000)), "other");
    }
}
