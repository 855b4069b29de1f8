//! Failed staff logins, remembered in memory on each node (a restart forgets); the
//! per-address rate limit of `CLARION_RATE_LOGIN` sits in front of it.
//!
//! - Per client address (IPv6 by its /64): 5 failures within 15 minutes and that address
//!   waits until the oldest leaves the window. Strict, since one address is one attacker.
//! - Per account: after 5 failures in a row, each further attempt waits 1 s, then 2, 4 …
//!   up to 60 s after the last failure, and the right password is let in once the wait is
//!   over. Slowing down rather than refusing means that a stranger failing on purpose
//!   cannot lock the owner out for long.
//!
//! Accounts are kept by a hash of the lower-cased email (a fixed 32 bytes, whatever was
//! typed), both maps are pruned by a timer, and each holds at most [`MAX_KEYS`] keys:
//! when full, the key whose last failure is oldest makes room.

use std::collections::{HashMap, VecDeque};
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use sha2::{Digest as _, Sha256};

use crate::web::client::quota_key;

pub const WINDOW: Duration = Duration::from_secs(15 * 60);
pub const PER_CLIENT: usize = 5;
/// Failures in a row on one account before each further attempt waits.
pub const ACCOUNT_FREE_FAILURES: u32 = 5;
pub const ACCOUNT_MAX_WAIT: Duration = Duration::from_secs(60);
/// Keys each map may hold; past it the stalest key is dropped.
pub const MAX_KEYS: usize = 100_000;

type AccountKey = [u8; 32];

#[derive(Default)]
pub struct LoginThrottle {
    inner: Mutex<Failures>,
}

#[derive(Default)]
struct Failures {
    by_client: HashMap<IpAddr, VecDeque<Instant>>,
    by_account: HashMap<AccountKey, Streak>,
}

/// Failures in a row on one account, and when the last one was.
#[derive(Clone, Copy)]
struct Streak {
    count: u32,
    last: Instant,
}

impl Streak {
    /// How long after the last failure the next attempt must wait.
    fn wait(&self) -> Duration {
        if self.count < ACCOUNT_FREE_FAILURES {
            return Duration::ZERO;
        }
        let doublings = (self.count - ACCOUNT_FREE_FAILURES).min(6);
        Duration::from_secs(1 << doublings).min(ACCOUNT_MAX_WAIT)
    }
}

fn account_key(account: &str) -> AccountKey {
    Sha256::digest(account.to_lowercase().as_bytes()).into()
}

fn prune(list: &mut VecDeque<Instant>, now: Instant) {
    while list
        .front()
        .is_some_and(|t| now.duration_since(*t) >= WINDOW)
    {
        list.pop_front();
    }
}

/// Makes room for one more key: the expired go first, then the stalest one.
fn make_room<K: Hash + Eq + Copy, V>(
    map: &mut HashMap<K, V>,
    key: &K,
    last: impl Fn(&V) -> Option<Instant>,
    now: Instant,
) {
    if map.len() < MAX_KEYS || map.contains_key(key) {
        return;
    }
    map.retain(|_, v| last(v).is_some_and(|t| now.duration_since(t) < WINDOW));
    if map.len() >= MAX_KEYS {
        if let Some(stalest) = map.iter().min_by_key(|(_, v)| last(v)).map(|(k, _)| *k) {
            map.remove(&stalest);
        }
    }
}

impl LoginThrottle {
    /// How long `client` must wait before trying `account` again, if at all.
    pub fn blocked(&self, client: IpAddr, account: &str) -> Option<Duration> {
        let now = Instant::now();
        let mut f = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let client = quota_key(client);
        let by_client = f.by_client.get_mut(&client).and_then(|list| {
            prune(list, now);
            (list.len() >= PER_CLIENT)
                .then(|| WINDOW.saturating_sub(now.duration_since(list[list.len() - PER_CLIENT])))
        });
        let by_account = f.by_account.get(&account_key(account)).and_then(|streak| {
            let left = streak
                .wait()
                .saturating_sub(now.duration_since(streak.last));
            (!left.is_zero()).then_some(left)
        });
        by_client
            .max(by_account)
            .map(|d| d.max(Duration::from_secs(1)))
    }

    pub fn record_failure(&self, client: IpAddr, account: &str) {
        let now = Instant::now();
        let (client, key) = (quota_key(client), account_key(account));
        let mut f = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        make_room(&mut f.by_client, &client, |l| l.back().copied(), now);
        make_room(&mut f.by_account, &key, |s| Some(s.last), now);
        let list = f.by_client.entry(client).or_default();
        prune(list, now);
        list.push_back(now);
        let streak = f.by_account.entry(key).or_insert(Streak {
            count: 0,
            last: now,
        });
        // A streak older than the window starts again.
        if now.duration_since(streak.last) >= WINDOW {
            streak.count = 0;
        }
        streak.count = streak.count.saturating_add(1);
        streak.last = now;
    }

    /// A successful login forgets that address's and that account's failures.
    pub fn clear(&self, client: IpAddr, account: &str) {
        let mut f = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        f.by_client.remove(&quota_key(client));
        f.by_account.remove(&account_key(account));
    }

    /// Drops what no longer counts (run by a timer, so memory follows recent failures).
    pub fn forget_old(&self) {
        let now = Instant::now();
        let mut f = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        f.by_client.retain(|_, list| {
            prune(list, now);
            !list.is_empty()
        });
        f.by_account
            .retain(|_, s| now.duration_since(s.last) < WINDOW);
        f.by_client.shrink_to_fit();
        f.by_account.shrink_to_fit();
    }

    /// (client addresses, accounts) remembered now.
    pub fn sizes(&self) -> (usize, usize) {
        let f = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        (f.by_client.len(), f.by_account.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn five_failures_from_one_address_block_it() {
        let t = LoginThrottle::default();
        for i in 0..PER_CLIENT {
            assert!(t.blocked(ip("1.2.3.4"), &format!("a{i}")).is_none());
            t.record_failure(ip("1.2.3.4"), &format!("a{i}"));
        }
        let wait = t.blocked(ip("1.2.3.4"), "other").unwrap();
        assert!(wait > Duration::from_secs(14 * 60) && wait <= WINDOW);
        assert!(t.blocked(ip("5.6.7.8"), "other").is_none());
    }

    #[test]
    fn failures_on_one_account_slow_it_down_doubling_to_a_minute_never_longer() {
        let t = LoginThrottle::default();
        for i in 0..ACCOUNT_FREE_FAILURES {
            assert!(t.blocked(ip("192.0.2.9"), "staff@example.org").is_none());
            t.record_failure(ip(&format!("10.0.0.{i}")), "Staff@Example.org");
        }
        let wait = t.blocked(ip("192.0.2.9"), "staff@example.org").unwrap();
        assert_eq!(wait, Duration::from_secs(1));
        for i in 0..20 {
            t.record_failure(ip(&format!("10.0.1.{i}")), "staff@example.org");
        }
        let wait = t.blocked(ip("192.0.2.9"), "staff@example.org").unwrap();
        assert!(
            wait <= ACCOUNT_MAX_WAIT && wait > Duration::from_secs(59),
            "{wait:?}"
        );
        t.clear(ip("192.0.2.9"), "staff@example.org");
        assert!(t.blocked(ip("192.0.2.9"), "staff@example.org").is_none());
    }

    #[test]
    fn accounts_are_kept_by_a_fixed_size_hash_and_the_maps_are_capped() {
        let t = LoginThrottle::default();
        let huge = "x".repeat(1_900_000);
        t.record_failure(ip("192.0.2.1"), &huge);
        for i in 0..(MAX_KEYS + 10) {
            let client = IpAddr::from((0x0a00_0000u32 + i as u32).to_be_bytes());
            t.record_failure(client, &format!("{i}@example.org"));
        }
        assert_eq!(t.sizes(), (MAX_KEYS, MAX_KEYS));
        t.forget_old();
        assert_eq!(
            t.sizes(),
            (MAX_KEYS, MAX_KEYS),
            "all still within the window"
        );
    }
}
