//! A graceful stop on SIGTERM (or Ctrl-C), all within `CLARION_SHUTDOWN_SECS`:
//! 1. the server stops accepting: new connections are refused, which a load balancer
//!    retries on another node;
//! 2. `/readyz` answers 503 and every answer closes its connection, so clients keeping
//!    connections open move too; the requests in hand are answered (a sign request
//!    waits for its group commit, so every acknowledged signature is stored);
//! 3. once the server's state is gone, the signing writers store what is still queued
//!    and the outbox workers finish the batch they hold, then end.
//!
//! What is unfinished at the deadline is left: emails claimed but not sent go out after
//! their lease (`CLARION_OUTBOX_LEASE_SECS`), from another node or the next start.

use std::sync::atomic::{AtomicBool, Ordering::SeqCst};
use std::sync::{Arc, OnceLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use actix_web::dev::ServerHandle;
use tokio::signal::unix::{signal, SignalKind};

/// Time for the server's accept thread to close the listener once told to stop.
const LISTENER_CLOSES: Duration = Duration::from_millis(50);

/// What a stop needs, taken from the application (`Application::stopping`).
pub struct Stopping {
    pub server: ServerHandle,
    pub metrics: Option<ServerHandle>,
    /// Read by `/readyz` and the closing middleware (`web/health.rs`).
    pub flag: Arc<AtomicBool>,
    pub background: Vec<JoinHandle<()>>,
    pub grace: Duration,
}

impl Stopping {
    /// Begins the stop at the first SIGTERM or SIGINT; answers when it began (unset
    /// until then). Runs inside the server's system.
    pub fn on_signals(&self) -> std::io::Result<Arc<OnceLock<Instant>>> {
        let began = Arc::new(OnceLock::new());
        for kind in [SignalKind::terminate(), SignalKind::interrupt()] {
            let mut listener = signal(kind)?;
            let (server, metrics) = (self.server.clone(), self.metrics.clone());
            let (flag, began) = (self.flag.clone(), began.clone());
            actix_web::rt::spawn(async move {
                listener.recv().await;
                if began.set(Instant::now()).is_err() {
                    return; // the other signal began it
                }
                tracing::info!("stopping: finishing the requests and work in hand");
                let stopped = server.stop(true);
                // Closing answers first would send clients to a listener that no longer
                // accepts: the connections they open meanwhile would be reset unanswered.
                actix_web::rt::time::sleep(LISTENER_CLOSES).await;
                flag.store(true, SeqCst);
                stopped.await;
                if let Some(metrics) = metrics {
                    metrics.stop(true).await;
                }
            });
        }
        Ok(began)
    }

    /// Waits, once the server and its state are gone, for the background threads to end,
    /// at most until `grace` after `began` (or after now, when no signal began it).
    pub fn finish(self, began: Option<Instant>) {
        let deadline = began.unwrap_or_else(Instant::now) + self.grace;
        loop {
            let left = self.background.iter().filter(|t| !t.is_finished()).count();
            if left == 0 {
                tracing::info!("stopped");
                return;
            }
            if Instant::now() >= deadline {
                tracing::warn!(
                    threads = left,
                    "stopped at the deadline (CLARION_SHUTDOWN_SECS) with work unfinished"
                );
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}
