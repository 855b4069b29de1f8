//! The signing queue and its writer (group commit). Sign requests that passed the rate
//! limiter and validation wait here, at most `capacity` of them, split evenly between the
//! writers. A writer thread takes everything waiting for it (up to `MAX_BATCH`), stores it
//! in one transaction, and answers each request only once
//! that transaction is durable. When the queue is full the request is refused at once
//! (503 with Retry-After) rather than left to wait without limit. With light traffic a
//! batch is a single request, stored as soon as it arrives: no added latency.
//!
//! SQLite has one writer (one writer at a time anyway). PostgreSQL has two: a writer
//! there mostly waits for round trips, so writers overlap. Each email always goes to the
//! same writer, so a repeated signing is never stored twice by two writers at once; the
//! price is that one writer's share of the queue can be full while the other's is not.

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering::Relaxed};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender, TrySendError};
use std::sync::Arc;

use tokio::sync::oneshot;

use crate::db::batch::{self, Counting, PerAddress, Submission};
use crate::db::health::{WriteFault, WriteHealth};
use crate::db::signatures::SubmitOutcome;
use crate::db::{self, Pool};

/// Waiting sign requests, at most.
pub const CAPACITY: usize = 4096;
/// Submissions stored in one transaction, at most.
const MAX_BATCH: usize = 1024;
/// Recent signatures the SQLite writer remembers for the per-address rule, at most:
/// about 50 MB when full (one row a pair: a table of 2^20 places of 49 bytes, which
/// holds 917,504); an hour of 250 a second from as many addresses.
pub const HOLD_MEMORY: usize = 900_000;

type Reply = oneshot::Sender<Result<SubmitOutcome, WriteFault>>;

struct Job {
    submission: Submission,
    reply: Reply,
}

/// Why a submission was not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueueFull;

pub struct SignQueue {
    /// Boxed: a bounded channel allocates (and touches) all its places at once, and
    /// 4,096 places of a whole submission were about 5 MB of an idle server's memory.
    senders: Vec<SyncSender<Box<Job>>>,
    /// Requests waiting for a writer (the metrics' queue depth).
    depth: Arc<AtomicUsize>,
}

/// Whether signatures are pouring in: at least [`SURGE_PER_TENTH`] stored in the last
/// tenth of a second. The outbox then keeps to a rate (`CLARION_OUTBOX_SURGE_RATE`), so
/// that the machine's cores go first to storing signatures while confirmations still
/// leave. Counted by rate, not by batch size: on PostgreSQL a surge that starved
/// the web workers reached the writers one request at a time, the outbox took that for
/// calm, sent at full speed and starved them further.
#[derive(Clone, Default)]
pub struct Surge(std::sync::Arc<SurgeClock>);

#[derive(Default)]
struct SurgeClock {
    /// When the current tenth of a second began (ms since 1970) and what it stored.
    window: AtomicU64,
    stored: AtomicU64,
    /// When the last tenth that reached the rate ended.
    last: AtomicU64,
}

/// Signatures stored in a tenth of a second that make a surge (500 a second).
const SURGE_PER_TENTH: u64 = 50;

impl Surge {
    fn millis() -> u64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as u64)
    }

    /// Counts `n` signatures just stored. Writers race here harmlessly: a count lost at
    /// the turn of a window only delays the surge by a tenth of a second.
    fn stored(&self, n: usize) {
        let (now, clock) = (Self::millis(), &self.0);
        let stored = if now.saturating_sub(clock.window.load(Relaxed)) >= 100 {
            clock.window.store(now, Relaxed);
            clock.stored.store(n as u64, Relaxed);
            n as u64
        } else {
            clock.stored.fetch_add(n as u64, Relaxed) + n as u64
        };
        if stored >= SURGE_PER_TENTH {
            clock.last.store(now, Relaxed);
        }
    }

    pub fn is_on(&self) -> bool {
        Self::millis().saturating_sub(self.0.last.load(Relaxed)) < 100
    }
}

impl SignQueue {
    /// Starts `writers` writer threads sharing `capacity` places; they end when the queue
    /// is dropped, after storing what waits, and so do the threads pushed on `threads`.
    /// On SQLite a writer copies the log's tail itself once the log holds
    /// [`db::LONG_LOG_PAGES`] (see `db::checkpoint`).
    #[allow(clippy::too_many_arguments)]
    pub fn start(
        pool: Pool,
        per_address: Option<PerAddress>,
        hold_memory: usize,
        capacity: usize,
        writers: usize,
        surge: Surge,
        health: Arc<WriteHealth>,
        threads: &mut Vec<std::thread::JoinHandle<()>>,
    ) -> Self {
        let writers = writers.max(1);
        let depth = Arc::new(AtomicUsize::new(0));
        let (stop, stopped) = sync_channel::<()>(0);
        let checkpoints = pool.clone();
        // Set by the checkpoint thread when the log is long; the writer then copies its
        // tail (see `db::checkpoint`).
        let long_log = Arc::new(AtomicBool::new(false));
        let senders = (0..writers)
            .map(|n| {
                let (sender, receiver) = sync_channel(capacity.div_ceil(writers));
                let (pool, surge, stop) = (pool.clone(), surge.clone(), stop.clone());
                let (long_log, health) = (long_log.clone(), health.clone());
                let depth = depth.clone();
                let thread = std::thread::Builder::new()
                    .name(format!("clarion-signing-{n}"))
                    .spawn(move || {
                        crate::priority::urgent("signing writer");
                        let writer = Writer {
                            pool: &pool,
                            per_address,
                            hold_memory,
                            surge: &surge,
                            long_log: &long_log,
                            health: &health,
                            depth: &depth,
                        };
                        writer.run(&receiver);
                        drop(stop);
                    })
                    .expect("the system can start a thread");
                threads.push(thread);
                sender
            })
            .collect();
        drop(stop);
        // No connection checkpoints in its own commits (see `db::Manager`): this thread
        // does, every 50 ms, so that each copy is small and no commit waits for a big one.
        let checkpointer = std::thread::Builder::new()
            .name("clarion-checkpoint".into())
            .spawn(move || {
                crate::priority::background("checkpoint");
                // Said once when checkpoints start failing (a full disk), not every 50 ms.
                let mut failing = false;
                while let Err(std::sync::mpsc::RecvTimeoutError::Timeout) =
                    stopped.recv_timeout(std::time::Duration::from_millis(50))
                {
                    if let Ok(mut conn) = checkpoints.get_timeout(CONNECT_WAIT) {
                        match db::checkpoint(&mut conn) {
                            Ok(pages) => {
                                failing = false;
                                if pages >= db::LONG_LOG_PAGES {
                                    long_log.store(true, Relaxed)
                                }
                            }
                            Err(e) if !failing => {
                                failing = true;
                                tracing::warn!(error = %e.detail(), "checkpoint failed");
                            }
                            Err(_) => {}
                        }
                    }
                }
            })
            .expect("the system can start a thread");
        threads.push(checkpointer);
        Self { senders, depth }
    }

    /// The requests waiting for a writer now.
    pub fn depth(&self) -> Arc<AtomicUsize> {
        self.depth.clone()
    }

    /// Queues `submission`; the answer arrives once it is stored (`Err`: the batch failed,
    /// nothing of it was stored, and why).
    pub fn submit(
        &self,
        submission: Submission,
    ) -> Result<oneshot::Receiver<Result<SubmitOutcome, WriteFault>>, QueueFull> {
        let (reply, answer) = oneshot::channel();
        let mut hasher = std::hash::DefaultHasher::new();
        std::hash::Hash::hash(&submission.signature.email_canonical, &mut hasher);
        let writer = std::hash::Hasher::finish(&hasher) as usize % self.senders.len();
        // Counted before it is sent: the writer may take it at once and count it out.
        self.depth.fetch_add(1, Relaxed);
        match self.senders[writer].try_send(Box::new(Job { submission, reply })) {
            Ok(()) => Ok(answer),
            Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => {
                self.depth.fetch_sub(1, Relaxed);
                Err(QueueFull)
            }
        }
    }
}

/// One writer thread's shared parts.
struct Writer<'a> {
    pool: &'a Pool,
    per_address: Option<PerAddress>,
    hold_memory: usize,
    surge: &'a Surge,
    long_log: &'a AtomicBool,
    health: &'a WriteHealth,
    depth: &'a AtomicUsize,
}

/// How long a writer waits for a connection: while the database is unreachable, every
/// waiting request is answered 503 within this, and a returning database is noticed by
/// the next batch.
const CONNECT_WAIT: std::time::Duration = std::time::Duration::from_millis(250);

impl Writer<'_> {
    fn run(&self, receiver: &Receiver<Box<Job>>) {
        // The writer keeps one connection, tuned for writing, for as long as it can use it.
        let mut kept: Option<db::PooledConnection> = None;
        // On SQLite, the per-address rule's recent counts (`db/batch/recent.rs`), built
        // from the database before the first batch; kept across failed batches, which
        // change nothing in it.
        let mut recent: Option<batch::Recent> = None;
        while let Ok(first) = receiver.recv() {
            let mut jobs = vec![first];
            while jobs.len() < MAX_BATCH {
                match receiver.try_recv() {
                    Ok(job) => jobs.push(job),
                    Err(_) => break,
                }
            }
            self.depth.fetch_sub(jobs.len(), Relaxed);
            let (submissions, replies): (Vec<Submission>, Vec<Reply>) =
                jobs.into_iter().map(|j| (j.submission, j.reply)).unzip();
            let stored = self.store(&mut kept, &mut recent, &submissions);
            match stored {
                Ok(outcomes) => {
                    self.health.succeeded();
                    self.surge.stored(submissions.len());
                    for (reply, outcome) in replies.into_iter().zip(outcomes) {
                        count(outcome);
                        // A client that went away no longer waits for its answer.
                        let _ = reply.send(Ok(outcome));
                    }
                }
                Err(error) => {
                    // Logged once per change of cause, not per batch (see `db::health`).
                    let fault = self.health.failed(&error);
                    for reply in replies {
                        let _ = reply.send(Err(fault));
                    }
                    // After a failure the connection may be the cause: take a fresh one.
                    kept = None;
                    // Whatever queued meanwhile would meet the same fault: answer it now
                    // rather than after another wait for a connection.
                    if fault == WriteFault::Unreachable {
                        while let Ok(job) = receiver.try_recv() {
                            self.depth.fetch_sub(1, Relaxed);
                            let _ = job.reply.send(Err(fault));
                        }
                    }
                }
            }
            // After the answers, so that no request waits for the copy it did not need.
            if let (true, Some(conn)) = (self.long_log.swap(false, Relaxed), kept.as_mut()) {
                if let Err(e) = db::checkpoint(conn) {
                    tracing::warn!(error = ?e, "checkpoint of the log's tail failed");
                }
            }
        }
    }

    /// Stores one batch on the kept connection, taking a new one when there is none.
    fn store(
        &self,
        kept: &mut Option<db::PooledConnection>,
        recent: &mut Option<batch::Recent>,
        submissions: &[Submission],
    ) -> Result<Vec<SubmitOutcome>, db::DbError> {
        if kept.is_none() {
            let mut conn = self.pool.get_timeout(CONNECT_WAIT)?;
            db::tune_for_writes(&mut conn)?;
            *kept = Some(conn);
        }
        let conn = kept.as_mut().expect("a connection was just taken");
        let started = std::time::Instant::now();
        let now = db::now();
        let counting = Counting::on(conn, self.per_address, self.hold_memory, recent, now)?;
        let stored = batch::store(conn, submissions, counting, now);
        crate::telemetry::metrics::sign_batch(submissions.len(), started.elapsed());
        tracing::debug!(
            batch = submissions.len(),
            micros = started.elapsed().as_micros() as u64,
            "signing batch stored"
        );
        stored
    }
}

/// A stored submission in the metrics, by what became of it.
fn count(outcome: SubmitOutcome) {
    use crate::telemetry::metrics::signature;
    match outcome {
        SubmitOutcome::Created => signature("accepted", None),
        SubmitOutcome::Held(reason) => signature("held", Some(reason.as_str())),
        SubmitOutcome::Resent | SubmitOutcome::Unchanged => signature("duplicate", None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_surge_is_a_rate_not_a_batch_size() {
        let trickle = Surge::default();
        for _ in 0..10 {
            trickle.stored(1);
        }
        assert!(!trickle.is_on(), "ten single signatures are no surge");
        let pour = Surge::default();
        for _ in 0..SURGE_PER_TENTH {
            pour.stored(1);
        }
        assert!(
            pour.is_on(),
            "signatures one at a time but fast are a surge"
        );
    }
}
