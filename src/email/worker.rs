//! The outbox worker: a thread that sends due emails, woken at once when a request queues
//! one and every second otherwise. A recipient refused for good is marked failed; an
//! email's temporary failure is retried with exponential backoff (attempts, last error
//! and next try are stored). When the relay itself fails, no email is given up: every
//! email of the batch waits, sending pauses (10 s doubling to 5 minutes), and the log
//! says so once, then once more when mail flows again.

use crate::telemetry::metrics;
use std::sync::mpsc::{Receiver, RecvTimeoutError, TryRecvError};
use std::time::Duration;

use chrono::TimeDelta;
use lettre::message::Mailbox;

use super::site::Site;
use super::transport::{Failure, Mailer};
use super::{batch, messages};
use crate::db::outbox::Lane;
use crate::db::{self, outbox, Pool};
use crate::domain::organisation::Organisation;

/// After this many attempts an email is given up: the waits between them double from
/// 30 s to at most 8 hours (see `backoff`), about 16.5 hours in all.
const MAX_ATTEMPTS: i32 = 12;
const BATCH: i64 = 200;
const IDLE_POLL: Duration = Duration::from_secs(1);
/// While signatures pour in, confirmations still leave, at this many a second by
/// default (`CLARION_OUTBOX_SURGE_RATE`): each batch's claim and marks are write
/// transactions the signing writer waits behind, and sending takes cores from it.
/// Unpaced, a 10 s surge stored 44% fewer signatures; paced at 200 a second, its
/// confirmations waited for the surge to end (CHANGELOG, session 13's measurements).
pub const SURGE_RATE: u32 = 1_200;
/// Mailings can wait: while signatures pour in they go at this rate.
const SURGE_RATE_MAILINGS: u32 = 200;
const SURGE_BATCH: i64 = 100;
/// The first pause after the relay failed, and the longest.
const RELAY_PAUSE: Duration = Duration::from_secs(10);
const RELAY_PAUSE_MAX: Duration = Duration::from_secs(300);

/// Runs until every sender of `wake` is gone (the server stopped). In the `Mailings`
/// lane, the worker sends mailings' emails (and starts scheduled mailings); in the `Mail`
/// lane, every other email. Each has its own SMTP connections.
pub fn spawn(
    pool: Pool,
    (mailer, lane, site): (Mailer, Lane, Site),
    (from, lease, surge_rate, chores): (Mailbox, TimeDelta, Option<u32>, Option<Chores>),
    wake: Receiver<()>,
    surge: crate::signing::Surge,
    health: std::sync::Arc<crate::db::health::WriteHealth>,
) -> std::thread::JoinHandle<()> {
    let name = if lane == Lane::Mailings {
        "mailings"
    } else {
        "outbox"
    };
    std::thread::Builder::new()
        .name(name.into())
        .spawn(move || {
            let mut relay = RelayState::default();
            let rate = match lane {
                Lane::Mailings => Some(SURGE_RATE_MAILINGS),
                Lane::Mail => surge_rate,
            };
            let mut reminded = std::time::Instant::now();
            let mut followed = std::time::Instant::now();
            loop {
                if let Some(chores) = chores {
                    if reminded.elapsed() >= super::reminders::every(chores.reminder_after) {
                        reminded = std::time::Instant::now();
                        remind(&pool, &site, chores.reminder_after);
                    }
                    if followed.elapsed() >= chores.follow_up.every() {
                        followed = std::time::Instant::now();
                        follow_up(&pool, &site, chores.follow_up);
                    }
                }
                if relay.wait() {
                    // Paused: wake-ups do not end it; the timer (or the server's end) does.
                    std::thread::sleep(Duration::from_millis(200));
                    if let Err(TryRecvError::Disconnected) = wake.try_recv() {
                        break;
                    }
                    continue;
                }
                let paced = rate.filter(|_| surge.is_on());
                let batch = if paced.is_some() { SURGE_BATCH } else { BATCH };
                let started = std::time::Instant::now();
                let sending = (&mailer, lane, &site);
                let sent = match run_once(&pool, sending, (&from, lease), batch) {
                    Ok(outcome) => {
                        // Rows were claimed and marked: writes work.
                        if outcome.handled > 0 {
                            health.succeeded();
                        }
                        relay.after(&outcome);
                        outcome.handled
                    }
                    Err(e) => {
                        // Logged once per change of cause (see `db::health`), then retried
                        // every second.
                        health.failed(&e);
                        0
                    }
                };
                // During a signing surge, a pause after each batch keeps to the rate.
                if let (Some(rate), true) = (paced, sent > 0) {
                    let due = Duration::from_secs_f64(sent as f64 / f64::from(rate));
                    if let Some(rest) = due.checked_sub(started.elapsed()) {
                        std::thread::sleep(rest);
                    }
                }
                if sent == 0 {
                    match wake.recv_timeout(IDLE_POLL) {
                        Ok(()) | Err(RecvTimeoutError::Timeout) => {}
                        Err(RecvTimeoutError::Disconnected) => break,
                    }
                } else if let Err(TryRecvError::Disconnected) = wake.try_recv() {
                    // The server stopped: the batch it held is done; what is left waits
                    // for the next start or another node.
                    break;
                }
            }
        })
        .expect("the outbox thread starts")
}

/// The timed jobs the transactional worker runs between batches.
#[derive(Debug, Clone, Copy)]
pub struct Chores {
    /// `CLARION_REMINDER_AFTER`: the one reminder to confirm (`email/reminders.rs`).
    pub reminder_after: TimeDelta,
    /// `CLARION_FOLLOW_UP_*`: did the officials reply (`email/follow_ups.rs`).
    pub follow_up: crate::config::periods::FollowUp,
}

/// Queues the follow-ups of delivered letters now due; a failure is logged and tried
/// again at the next turn.
fn follow_up(pool: &Pool, site: &Site, periods: crate::config::periods::FollowUp) {
    let queued = pool
        .get()
        .map_err(db::DbError::from)
        .and_then(|mut conn| super::follow_ups::run(&mut conn, site, periods, db::now()));
    match queued {
        Ok(0) => {}
        Ok(n) => tracing::info!(follow_ups = n, "outbox: follow-ups queued"),
        Err(e) => tracing::warn!(error = %e, "outbox: follow-ups could not be queued"),
    }
}

/// Queues the reminders now due (`email/reminders.rs`); a failure is logged and tried
/// again at the next turn.
fn remind(pool: &Pool, site: &Site, after: TimeDelta) {
    let queued = pool
        .get()
        .map_err(db::DbError::from)
        .and_then(|mut conn| super::reminders::run(&mut conn, site, after, db::now()));
    match queued {
        Ok(0) => {}
        Ok(n) => tracing::info!(reminders = n, "outbox: reminders queued"),
        Err(e) => tracing::warn!(error = %e, "outbox: reminders could not be queued"),
    }
}

/// What one round of sending did.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Rows claimed (sent, retried, given up or left waiting).
    pub handled: usize,
    pub delivered: usize,
    /// Set when the relay itself failed: why.
    pub relay_failed: Option<String>,
}

/// Whether sending is paused because the relay failed, and for how long.
#[derive(Default)]
struct RelayState {
    paused_until: Option<std::time::Instant>,
    pause: Option<Duration>,
}

impl RelayState {
    /// True while paused.
    fn wait(&mut self) -> bool {
        self.paused_until
            .is_some_and(|until| std::time::Instant::now() < until)
    }

    fn after(&mut self, outcome: &Outcome) {
        match &outcome.relay_failed {
            Some(error) => {
                let pause = self
                    .pause
                    .map_or(RELAY_PAUSE, |p| (p * 2).min(RELAY_PAUSE_MAX));
                if self.pause.is_none() {
                    tracing::error!(%error, "outbox: the mail relay fails; no email is given up, sending pauses and retries");
                }
                self.pause = Some(pause);
                self.paused_until = Some(std::time::Instant::now() + pause);
            }
            None if outcome.delivered > 0 && self.pause.is_some() => {
                tracing::warn!("outbox: the mail relay works again");
                self.pause = None;
                self.paused_until = None;
            }
            None => {}
        }
    }
}

/// The sender of every email: the organisation's address and name where staff set them,
/// else `CLARION_MAIL_FROM`'s.
pub fn sender(configured: &Mailbox, organisation: &Organisation) -> Mailbox {
    let address = organisation
        .sender_email
        .parse::<lettre::Address>()
        .unwrap_or_else(|_| configured.email.clone());
    let name = match organisation.sender_name.as_str() {
        "" => configured.name.clone(),
        name => Some(name.to_string()),
    };
    Mailbox::new(name, address)
}

/// Sends what is due now in the worker's lane; answers how many rows it handled.
pub fn run_once(
    pool: &Pool,
    (mailer, lane, site): (&Mailer, Lane, &Site),
    (from, lease): (&Mailbox, TimeDelta),
    batch: i64,
) -> Result<Outcome, db::DbError> {
    let mut conn = pool.get()?;
    let now = db::now();
    outbox::release_stale(&mut conn, now, lease, lane)?;
    if lane == Lane::Mailings {
        db::mailings::start_due(&mut conn, now)?;
    }
    let mut due = outbox::claim_due(&mut conn, now, batch, lane)?;
    let handled = due.len();
    if handled == 0 {
        if lane == Lane::Mailings {
            db::mailings::finish_done(&mut conn, now)?;
        }
        return Ok(Outcome::default());
    }
    // One claim holds the whole batch.
    let claim = due
        .first()
        .and_then(|e| e.claim.clone())
        .unwrap_or_default();
    // The organisation as set now: its sender and its name under supporters' emails.
    let organisation = db::organisation::load(&mut conn)?;
    let from = &sender(from, &organisation);
    let signed = organisation.display_name();
    // Emails queued as fields are rendered now, off the signing path.
    let mut unsendable = Vec::new();
    if lane == Lane::Mailings {
        unsendable = super::mailing::render_batch(&mut conn, &mut due, site, signed)?;
        unsendable.extend(super::updates::render_batch(
            &mut conn, &mut due, site, signed,
        )?);
        due.retain(|e| !unsendable.iter().any(|(id, _)| *id == e.id));
    }
    due.retain_mut(|email| match messages::render_queued(email, signed, site) {
        Ok(()) => true,
        Err(e) => {
            unsendable.push((email.id.clone(), e));
            false
        }
    });
    for (id, error) in unsendable {
        tracing::warn!(outbox_id = %id, %error, "outbox: cannot render the email");
        outbox::mark_failed(&mut conn, &claim, &id, &error, None)?;
    }
    // Each email is marked sent within a quarter of a second of the relay taking it.
    let unsubscribe = |email: &outbox::QueuedEmail| {
        (lane == Lane::Mailings).then_some(())?;
        if email.kind == db::updates::KIND {
            let record = super::updates::record_of(email)?;
            return Some(super::updates::unsubscribe_url(
                &site.key,
                &site.base_url,
                "",
                &record,
            ));
        }
        let id = email.subscriber_id.as_deref()?;
        let mailing = email
            .mailing_id
            .as_deref()
            .filter(|_| email.kind == db::mailings::KIND);
        Some(super::mailing::unsubscribe_url(
            &site.key,
            &site.base_url,
            id,
            mailing,
        ))
    };
    let how = batch::Sending {
        mailer,
        unsubscribe: &unsubscribe,
        lane,
        strict: lane == Lane::Mailings,
        // A third of the lease, at most a minute: renewed long before it runs out.
        renew_every: (lease / 3)
            .to_std()
            .unwrap_or(outbox::RENEW_EVERY)
            .min(outbox::RENEW_EVERY),
    };
    let results = batch::send_marking(&mut conn, how, from, &due, &claim)?;
    let results = batch::judged(&due, results);
    let mut outcome = Outcome {
        handled,
        ..Outcome::default()
    };
    for (email, result) in due.iter().zip(results) {
        match result {
            Ok(()) => {
                metrics::email(&email.kind, None);
                outcome.delivered += 1;
            }
            // Waits for the relay, whatever its attempts; logged once by the loop.
            Err(e) if e.failure == Failure::Relay => {
                let retry_at = db::now() + TimeDelta::seconds(RELAY_PAUSE.as_secs() as i64);
                outbox::mark_failed(&mut conn, &claim, &email.id, &e.message, Some(retry_at))?;
                metrics::email(&email.kind, Some("relay"));
                outcome.relay_failed = Some(e.message);
            }
            Err(e) => {
                let give_up = e.failure == Failure::Recipient || email.attempts >= MAX_ATTEMPTS;
                let reason = match e.failure {
                    Failure::Recipient => "recipient",
                    Failure::Temporary => "temporary",
                    Failure::Relay => "relay",
                };
                metrics::email(&email.kind, Some(reason));
                // A mailing's address refused for good: no more mailings to it.
                if let (Failure::Recipient, Some(id)) = (e.failure, &email.subscriber_id) {
                    let mailing = email.mailing_id.as_deref();
                    db::subscribers::mark_bounced(&mut conn, id, mailing, db::now())?;
                }
                let retry_at = (!give_up).then(|| db::now() + backoff(email.attempts));
                tracing::warn!(outbox_id = %email.id, kind = %email.kind, attempts = email.attempts, given_up = give_up, "outbox: sending failed");
                outbox::mark_failed(&mut conn, &claim, &email.id, &e.message, retry_at)?;
            }
        }
    }
    Ok(outcome)
}

/// 30 s, 1 min, 2 min, … doubling, at most 8 hours.
fn backoff(attempts: i32) -> TimeDelta {
    let exponent = attempts.clamp(1, 20) as u32 - 1;
    TimeDelta::seconds((30_i64 << exponent).min(8 * 3600))
}

#[cfg(test)]
mod tests {
    use super::backoff;

    #[test]
    fn backoff_doubles_and_is_capped() {
        assert_eq!(backoff(1).num_seconds(), 30);
        assert_eq!(backoff(2).num_seconds(), 60);
        assert_eq!(backoff(5).num_seconds(), 480);
        assert_eq!(backoff(40).num_seconds(), 8 * 3600);
    }
}
