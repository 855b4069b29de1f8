//! Sending one claimed batch: over several SMTP connections at once, each email marked
//! sent within a quarter of a second of the relay taking it (in small groups, one commit
//! each), and the batch's lease renewed while it lasts. Before, a batch of 200 was marked
//! only when all were done: behind a relay taking 13 s a message the lease ran out, and
//! another node sent every email again.

use std::sync::mpsc::RecvTimeoutError;
use std::time::{Duration, Instant};

use lettre::message::Mailbox;

use super::transport::{Failure, Mailer, SendError};
use crate::db::{self, outbox, DbConnection, DbError};

/// SMTP connections used at once (lettre's pool keeps them open between batches).
const SENDERS: usize = 8;
/// Delivered emails wait at most this long, or for this many more, to be marked sent.
const MARK_EVERY: Duration = Duration::from_millis(250);
const MARK_GROUP: usize = 50;
/// Different recipients refused in a batch with nothing delivered: the relay refuses
/// everyone (a 550 for all), not these addresses.
const REFUSED_IN_A_ROW: usize = 3;

/// Each email's one-click unsubscribe URL, for mailings (`None` for other mail).
pub type UnsubscribeOf<'a> = &'a (dyn Fn(&outbox::QueuedEmail) -> Option<String> + Sync);

/// How a batch is sent.
#[derive(Clone, Copy)]
pub struct Sending<'a> {
    pub mailer: &'a Mailer,
    pub unsubscribe: UnsubscribeOf<'a>,
    /// The lane the batch was claimed in (its rows are found through that lane's index).
    pub lane: outbox::Lane,
    /// Each connection waits for its email to be marked sent before sending the next
    /// (mailings): a crash then leaves at most one delivered email per connection to go
    /// twice. Otherwise marks go in groups (every quarter second, or 50), fewer writes
    /// beside a signing surge.
    pub strict: bool,
    /// How often the batch's claim is renewed while it lasts (well within the lease).
    pub renew_every: std::time::Duration,
}

/// Sends `due` (held under `claim`) and answers each email's result, in order; the
/// delivered ones are already marked sent.
pub fn send_marking(
    conn: &mut DbConnection,
    how: Sending,
    from: &Mailbox,
    due: &[outbox::QueuedEmail],
    claim: &str,
) -> Result<Vec<Result<(), SendError>>, DbError> {
    let send = |e: &outbox::QueuedEmail| how.mailer.send(e, from, (how.unsubscribe)(e).as_deref());
    // Files need no waiting out: written one after another, marked in one commit.
    if due.len() <= 1 || how.mailer.is_local() {
        let results: Vec<_> = due.iter().map(send).collect();
        let sent: Vec<&str> = delivered(due, &results);
        outbox::mark_sent(conn, claim, &sent, db::now())?;
        return Ok(results);
    }
    let mut results: Vec<Option<Result<(), SendError>>> = due.iter().map(|_| None).collect();
    let (done, finished) = std::sync::mpsc::channel::<(usize, usize, Result<(), SendError>)>();
    let per_sender = due.len().div_ceil(SENDERS);
    std::thread::scope(|scope| -> Result<(), DbError> {
        let mut acks = Vec::new();
        for (n, chunk) in due.chunks(per_sender).enumerate() {
            let done = done.clone();
            let (ack, acked) = std::sync::mpsc::channel::<()>();
            acks.push(ack);
            scope.spawn(move || {
                for (i, email) in chunk.iter().enumerate() {
                    let reported = done.send((n, n * per_sender + i, send(email)));
                    if reported.is_err() || (how.strict && acked.recv().is_err()) {
                        return;
                    }
                }
            });
        }
        drop(done);
        let (mut unmarked, mut waiting) = (Vec::new(), Vec::new());
        let (mut marked_at, mut renewed_at) = (Instant::now(), Instant::now());
        loop {
            let open = match finished.recv_timeout(MARK_EVERY) {
                Ok(first) => {
                    // Every result already waiting joins this one: one commit marks them.
                    for (n, i, result) in std::iter::once(first).chain(finished.try_iter()) {
                        if result.is_ok() {
                            unmarked.push(due[i].id.as_str());
                        }
                        results[i] = Some(result);
                        if how.strict {
                            waiting.push(n);
                        }
                    }
                    true
                }
                Err(RecvTimeoutError::Timeout) => true,
                Err(RecvTimeoutError::Disconnected) => false,
            };
            let due_now =
                how.strict || marked_at.elapsed() >= MARK_EVERY || unmarked.len() >= MARK_GROUP;
            if !unmarked.is_empty() && (due_now || !open) {
                outbox::mark_sent(conn, claim, &unmarked, db::now())?;
                unmarked.clear();
                marked_at = Instant::now();
            }
            if how.strict {
                for n in waiting.drain(..) {
                    let _ = acks[n].send(());
                }
            }
            if !open {
                return Ok(());
            }
            if renewed_at.elapsed() >= how.renew_every {
                outbox::renew(conn, claim, db::now(), how.lane)?;
                renewed_at = Instant::now();
            }
        }
    })?;
    // A sender thread that died leaves its emails unanswered: they are tried again later.
    Ok(results
        .into_iter()
        .map(|r| {
            r.unwrap_or_else(|| {
                Err(SendError {
                    message: "sender thread panicked".into(),
                    failure: Failure::Temporary,
                })
            })
        })
        .collect())
}

fn delivered<'a>(
    due: &'a [outbox::QueuedEmail],
    results: &[Result<(), SendError>],
) -> Vec<&'a str> {
    due.iter()
        .zip(results)
        .filter(|(_, r)| r.is_ok())
        .map(|(e, _)| e.id.as_str())
        .collect()
}

/// A batch in which nothing was delivered and several recipients in a row were refused
/// for good says more about the relay than about them: those refusals become the relay's.
pub fn judged(
    due: &[outbox::QueuedEmail],
    mut results: Vec<Result<(), SendError>>,
) -> Vec<Result<(), SendError>> {
    let refused: std::collections::HashSet<&str> = due
        .iter()
        .zip(&results)
        .filter(|(_, r)| matches!(r, Err(e) if e.failure == Failure::Recipient))
        .map(|(email, _)| email.to_address.as_str())
        .collect();
    if refused.len() >= REFUSED_IN_A_ROW && results.iter().all(|r| r.is_err()) {
        for result in results.iter_mut() {
            if let Err(e) = result {
                e.failure = Failure::Relay;
            }
        }
    }
    results
}
