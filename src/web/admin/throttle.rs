//! Failed staff logins, remembered per client address and per account for 15 minutes:
//! after 5 failures from one address, or 10 against one account, further attempts wait.
//! Kept in memory on each node (a restart forgets); the per-address rate limit of
//! `CLARION_RATE_LOGIN` sits in front of it.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub const WINDOW: Duration = Duration::from_secs(15 * 60);
pub const PER_CLIENT: usize = 5;
pub const PER_ACCOUNT: usize = 10;

#[derive(Default)]
pub struct LoginThrottle {
    inner: Mutex<Failures>,
}

#[derive(Default)]
struct Failures {
    by_client: HashMap<String, VecDeque<Instant>>,
    by_account: HashMap<String, VecDeque<Instant>>,
}

fn prune(list: &mut VecDeque<Instant>, now: Instant) {
    while list
        .front()
        .is_some_and(|t| now.duration_since(*t) >= WINDOW)
    {
        list.pop_front();
    }
}

/// How long until the oldest of `limit` failures leaves the window, if the limit is reached.
fn wait(
    map: &mut HashMap<String, VecDeque<Instant>>,
    key: &str,
    limit: usize,
    now: Instant,
) -> Option<Duration> {
    let list = map.get_mut(key)?;
    prune(list, now);
    (list.len() >= limit)
        .then(|| WINDOW.saturating_sub(now.duration_since(list[list.len() - limit])))
}

impl LoginThrottle {
    /// How long `client` must wait before trying `account` again, if at all.
    pub fn blocked(&self, client: &str, account: &str) -> Option<Duration> {
        let now = Instant::now();
        let mut f = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let a = wait(&mut f.by_client, client, PER_CLIENT, now);
        let b = wait(&mut f.by_account, account, PER_ACCOUNT, now);
        a.max(b).map(|d| d.max(Duration::from_secs(1)))
    }

    pub fn record_failure(&self, client: &str, account: &str) {
        let now = Instant::now();
        let mut f = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        // Old entries of other keys are dropped as the maps are used; cap their growth.
        if f.by_client.len() > 100_000 {
            f.by_client
                .retain(|_, l| l.back().is_some_and(|t| now.duration_since(*t) < WINDOW));
        }
        if f.by_account.len() > 100_000 {
            f.by_account
                .retain(|_, l| l.back().is_some_and(|t| now.duration_since(*t) < WINDOW));
        }
        f.by_client
            .entry(client.to_string())
            .or_default()
            .push_back(now);
        f.by_account
            .entry(account.to_string())
            .or_default()
            .push_back(now);
    }

    pub fn clear(&self, client: &str, account: &str) {
        let mut f = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        f.by_client.remove(client);
        f.by_account.remove(account);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_from_one_address_block_it() {
        let t = LoginThrottle::default();
        for i in 0..PER_CLIENT {
            assert!(t.blocked("1.2.3.4", &format!("a{i}")).is_none());
            t.record_failure("1.2.3.4", &format!("a{i}"));
        }
        let wait = t.blocked("1.2.3.4", "other").unwrap();
        assert!(wait > Duration::from_secs(14 * 60) && wait <= WINDOW);
        assert!(t.blocked("5.6.7.8", "other").is_none());
    }

    #[test]
    fn ten_failures_against_one_account_block_it_from_anywhere() {
        let t = LoginThrottle::default();
        for i in 0..PER_ACCOUNT {
            t.record_failure(&format!("10.0.0.{i}"), "staff@example.org");
        }
        assert!(t.blocked("192.0.2.1", "staff@example.org").is_some());
        t.clear("192.0.2.1", "staff@example.org");
        assert!(t.blocked("192.0.2.1", "staff@example.org").is_none());
    }
}
