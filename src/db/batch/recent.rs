//! The SQLite signing writer's memory of recent signatures by (petition, address), so
//! that the per-address hold rule counts without an index by address: each new row in
//! such an index dirtied a leaf at a random place, and a surge from many addresses
//! stored 40% more a second without it (CHANGELOG, issue 28).
//!
//! It holds, for each pair, at most the rule's burst of its latest rows (their time and
//! id): that is all the rule asks ("at least `burst` in the period?"). Rows past that,
//! and rows of new pairs once `cap` rows are held, are marked for the database's index
//! instead (`client_indexed`), which [`super::by_address`] counts. Rows erased since
//! (their address emptied) are found by id before a pair is held, so the decision stays
//! the one the database alone would make.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use sha2::{Digest, Sha256};
use smallvec::SmallVec;

/// A (petition, address) pair: 16 bytes of a hash, so every pair takes the same room.
pub type Pair = [u8; 16];

/// One remembered row: when it was made (µs since 1970) and its id (a UUID's bytes:
/// no 16-byte alignment, so a pair with its one row takes 48 bytes, not 64).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    pub at: i64,
    pub id: [u8; 16],
}

impl Stamp {
    /// `None` for an id that is no UUID: such a row goes to the index instead.
    pub fn new(at: NaiveDateTime, id: &str) -> Option<Self> {
        let id = uuid::Uuid::parse_str(id).ok()?.into_bytes();
        Some(Self { at: micros(at), id })
    }

    pub fn id(&self) -> String {
        uuid::Uuid::from_bytes(self.id).to_string()
    }
}

pub fn micros(at: NaiveDateTime) -> i64 {
    at.and_utc().timestamp_micros()
}

pub fn pair(action_id: &str, client_hash: &str) -> Pair {
    let digest = Sha256::new()
        .chain_update(action_id)
        .chain_update([0])
        .chain_update(client_hash)
        .finalize();
    let mut pair = [0; 16];
    pair.copy_from_slice(&digest[..16]);
    pair
}

/// Where a new row is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Memory,
    Index,
}

pub struct Recent {
    /// The rule's period and burst.
    period: i64,
    burst: usize,
    /// Rows held at most, over all pairs.
    cap: usize,
    held: usize,
    /// Each pair's latest rows, oldest first (most pairs sign once: kept inline).
    pairs: HashMap<Pair, SmallVec<[Stamp; 1]>>,
    /// Until when the index may hold rows inside the period (µs): before then every
    /// count asks the database too.
    indexed_until: i64,
    swept_at: i64,
}

impl Recent {
    pub fn new(period: chrono::TimeDelta, burst: i64, cap: usize) -> Self {
        Self {
            period: period.num_microseconds().unwrap_or(i64::MAX),
            burst: usize::try_from(burst).unwrap_or(0),
            cap,
            held: 0,
            pairs: HashMap::new(),
            indexed_until: i64::MIN,
            swept_at: i64::MIN,
        }
    }

    /// Remembered rows of `pair` made at `since` or later.
    pub fn count(&self, pair: &Pair, since: i64) -> usize {
        self.pairs
            .get(pair)
            .map_or(0, |s| s.iter().filter(|s| s.at >= since).count())
    }

    /// The ids of `pair`'s remembered rows made at `since` or later.
    pub fn stamps(&self, pair: &Pair, since: i64) -> Vec<Stamp> {
        self.pairs.get(pair).map_or(Vec::new(), |s| {
            s.iter().filter(|s| s.at >= since).copied().collect()
        })
    }

    /// Forgets rows found erased (or deleted) in the database.
    pub fn forget(&mut self, pair: &Pair, gone: &[Stamp]) {
        if let Some(stamps) = self.pairs.get_mut(pair) {
            let before = stamps.len();
            stamps.retain(|s| !gone.contains(s));
            self.held -= before - stamps.len();
            if stamps.is_empty() {
                self.pairs.remove(pair);
            }
        }
    }

    /// Whether the index may hold rows made at `since` or later.
    pub fn index_in_use(&self, now: i64) -> bool {
        now < self.indexed_until
    }

    /// Where the next row of `pair` goes, with `pending` rows of this batch already
    /// placed in memory (`pending_total` over all pairs).
    pub fn place(&self, pair: &Pair, since: i64, pending: usize, pending_total: usize) -> Place {
        let known = self.pairs.contains_key(pair) || pending > 0;
        if self.count(pair, since) + pending >= self.burst {
            Place::Index
        } else if known || self.held + pending_total < self.cap {
            Place::Memory
        } else {
            Place::Index
        }
    }

    /// Takes in a stored row counted in memory; keeps only the pair's latest `burst`.
    pub fn remember(&mut self, pair: Pair, stamp: Stamp) {
        let stamps = self.pairs.entry(pair).or_default();
        stamps.push(stamp);
        self.held += 1;
        if stamps.len() > self.burst.max(1) {
            // A batch's rows come nearly, not exactly, in time order.
            let oldest = (0..stamps.len()).min_by_key(|&i| stamps[i].at).unwrap_or(0);
            stamps.remove(oldest);
            self.held -= 1;
        }
    }

    /// Notes a stored row counted by the index.
    pub fn indexed(&mut self, at: i64) {
        self.indexed_until = self.indexed_until.max(at.saturating_add(self.period));
    }

    /// Drops what the period has left behind: every minute (or a quarter of the period,
    /// if shorter), and at most once a second while memory is full.
    pub fn sweep_if_due(&mut self, now: i64) {
        let every = (self.period / 4).clamp(1, 60_000_000);
        let full = self.held >= self.cap;
        let due = now.saturating_sub(self.swept_at) >= if full { 1_000_000 } else { every };
        if !due {
            return;
        }
        self.swept_at = now;
        let since = now.saturating_sub(self.period);
        let mut held = 0;
        self.pairs.retain(|_, stamps| {
            stamps.retain(|s| s.at >= since);
            held += stamps.len();
            !stamps.is_empty()
        });
        self.held = held;
        if self.pairs.capacity() > 4 * self.pairs.len().max(1024) {
            self.pairs.shrink_to_fit();
        }
    }

    pub fn held(&self) -> usize {
        self.held
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp(at: i64, id: u8) -> Stamp {
        Stamp { at, id: [id; 16] }
    }

    #[test]
    fn a_pair_keeps_its_latest_burst_and_past_it_rows_go_to_the_index() {
        let mut recent = Recent::new(chrono::TimeDelta::seconds(100), 3, 10);
        let p = pair("petition", "address");
        for n in 0..3 {
            assert_eq!(recent.place(&p, 0, 0, 0), Place::Memory);
            recent.remember(p, stamp(n, n as u8));
        }
        assert_eq!(recent.count(&p, 0), 3);
        assert_eq!(recent.place(&p, 0, 0, 0), Place::Index, "the burst is full");
        assert_eq!(
            recent.count(&p, 1),
            2,
            "a row before `since` is not counted"
        );
        assert_eq!(recent.place(&p, 1, 0, 0), Place::Memory);
        recent.remember(p, stamp(5, 5));
        assert_eq!((recent.count(&p, 0), recent.held()), (3, 3));
        recent.forget(&p, &[stamp(5, 5)]);
        assert_eq!(recent.stamps(&p, 0), [stamp(1, 1), stamp(2, 2)]);
    }

    #[test]
    fn once_full_new_pairs_go_to_the_index_and_a_sweep_makes_room() {
        let mut recent = Recent::new(chrono::TimeDelta::seconds(10), 5, 2);
        let (a, b, c) = (pair("p", "a"), pair("p", "b"), pair("p", "c"));
        recent.remember(a, stamp(0, 1));
        assert_eq!(
            recent.place(&b, 0, 0, 1),
            Place::Index,
            "one pending fills it"
        );
        recent.remember(b, stamp(9_000_000, 2));
        assert_eq!(recent.place(&c, 0, 0, 0), Place::Index);
        assert_eq!(
            recent.place(&a, 0, 0, 0),
            Place::Memory,
            "a known pair stays"
        );
        assert!(!recent.index_in_use(0));
        recent.indexed(1);
        assert!(recent.index_in_use(10_000_000) && !recent.index_in_use(10_000_001));
        recent.sweep_if_due(10_000_001);
        assert_eq!(recent.held(), 1, "the row of 0 s left the period");
        assert_eq!(recent.place(&c, 0, 0, 0), Place::Memory);
    }

    #[test]
    fn a_pair_with_its_one_row_takes_48_bytes() {
        // What `signing::HOLD_MEMORY`'s figure of memory assumes.
        assert_eq!(std::mem::size_of::<(Pair, SmallVec<[Stamp; 1]>)>(), 48);
    }

    #[test]
    fn pairs_differ_by_petition_and_by_address() {
        assert_ne!(pair("p1", "a"), pair("p2", "a"));
        assert_ne!(pair("p", "a1"), pair("p", "a2"));
        assert_ne!(pair("pa", "b"), pair("p", "ab"));
    }
}
