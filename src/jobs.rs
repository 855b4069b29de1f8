//! Jobs that run by themselves beside the server. Retention (`db/retention.rs`): every
//! node wakes every `Retention::every`, and the node that claims the run (`db/jobs.rs`)
//! applies the periods, so several nodes run it once.

use std::sync::mpsc::{Receiver, RecvTimeoutError};

use chrono::TimeDelta;

use crate::config::periods::Retention;
use crate::db::{self, jobs, retention, Pool};

/// Runs until every sender of `alive` is gone (the server stopped); first at once.
pub fn spawn_retention(
    pool: Pool,
    settings: Retention,
    alive: Receiver<()>,
) -> std::thread::JoinHandle<()> {
    std::thread::Builder::new()
        .name("retention".into())
        .spawn(move || loop {
            retain(&pool, &settings);
            match alive.recv_timeout(settings.every()) {
                Ok(()) | Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => break,
            }
        })
        .expect("the retention thread starts")
}

/// One turn: a failure is logged and tried again at the next.
fn retain(pool: &Pool, settings: &Retention) {
    let every = TimeDelta::from_std(settings.every()).unwrap_or(TimeDelta::seconds(60));
    let done = pool.get().map_err(db::DbError::from).and_then(|mut conn| {
        let at = db::now();
        if !jobs::claim(&mut conn, jobs::RETENTION, at, every)? {
            return Ok(Vec::new());
        }
        retention::run(&mut conn, settings, at)
    });
    match done {
        Ok(done) => {
            for action in done {
                tracing::info!(
                    action = %action.action_id,
                    unconfirmed_deleted = action.unconfirmed,
                    anonymised = action.anonymised,
                    letters_emptied = action.letters,
                    "retention applied"
                );
            }
        }
        Err(e) => tracing::warn!(error = %e, "retention could not run"),
    }
}
