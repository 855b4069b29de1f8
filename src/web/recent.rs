//! Short-lived copies of what public pages read, so that a surge of readers costs the
//! database one query per page and second instead of one per request. A copy lives one
//! second: counts and edits show within a second, and no per-request work grows with the
//! number of signatures. Only things that exist are kept, so strangers asking for
//! made-up slugs cannot grow the map.

use std::collections::HashMap;
use std::sync::RwLock;
use std::time::{Duration, Instant};

use actix_web::web::Bytes;

use crate::db::petitions::Petition;

pub struct Recent<V> {
    ttl: Duration,
    entries: RwLock<HashMap<String, Entry<V>>>,
}

struct Entry<V> {
    at: Instant,
    value: V,
    /// Marked old by `clear`: a change on this server must show at once.
    old: bool,
    /// When one request began to fetch a new copy; until it puts one (or a time to live
    /// passes, should it fail), the others are served this copy.
    refreshing: Option<Instant>,
}

impl<V: Clone> Recent<V> {
    pub fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            entries: RwLock::new(HashMap::new()),
        }
    }

    /// The copy of `key` if it is younger than the time to live. Once it is older, one
    /// caller gets `None` and fetches a new copy; callers meanwhile get the old copy.
    /// Without that, every request in flight when a copy expired queried the database
    /// at once, and the slowest waited behind all of them.
    pub fn get(&self, key: &str) -> Option<V> {
        let fresh = |e: &Entry<V>| !e.old && e.at.elapsed() < self.ttl;
        {
            let entries = self.entries.read().unwrap_or_else(|e| e.into_inner());
            match entries.get(key) {
                None => return None,
                Some(e) if fresh(e) => return Some(e.value.clone()),
                Some(_) => {}
            }
        }
        let mut entries = self.entries.write().unwrap_or_else(|e| e.into_inner());
        let entry = entries.get_mut(key)?;
        // The old copy is served at most a second time to live: a fetch that finds the
        // thing gone (unpublished, say) puts nothing, and then it must stop showing.
        let fetching = entry.refreshing.is_some_and(|t| t.elapsed() < self.ttl);
        if fresh(entry) || (fetching && entry.at.elapsed() < self.ttl * 2) {
            return Some(entry.value.clone());
        }
        entry.refreshing = Some(Instant::now());
        None
    }

    /// Marks every copy old: the next request for each fetches a new one.
    pub fn clear(&self) {
        let mut entries = self.entries.write().unwrap_or_else(|e| e.into_inner());
        for entry in entries.values_mut() {
            entry.old = true;
            entry.refreshing = None;
        }
    }

    pub fn put(&self, key: &str, value: V) {
        let mut entries = self.entries.write().unwrap_or_else(|e| e.into_inner());
        if entries.len() > 10_000 {
            let ttl = self.ttl;
            entries.retain(|_, e| e.at.elapsed() < ttl);
        }
        let entry = Entry {
            at: Instant::now(),
            value,
            old: false,
            refreshing: None,
        };
        entries.insert(key.to_string(), entry);
    }
}

/// The copies public pages share.
pub struct RecentPages {
    /// Petitions by language and slug, as the sign handler and the petition page look
    /// them up: in that language where staff translated them.
    pub petitions: Recent<Petition>,
    /// Rendered article pages by slug (their form tokens are at most a second old).
    pub articles: Recent<Bytes>,
    /// The JSON count of each petition by slug.
    pub counts: Recent<Bytes>,
    /// Responsiveness by contact action id ("" for every action), kept 30 s: its query
    /// reads every delivered letter (`web/replies.rs`).
    pub replies: Recent<std::sync::Arc<crate::db::replies::Replies>>,
    /// Rendered responsiveness pages by language and slug (the language alone: every
    /// action).
    pub replies_pages: Recent<Bytes>,
}

impl RecentPages {
    /// Drops every copy: after a change on this server (a confirmation, a staff
    /// decision or edit), its pages show the change at once. Changes made elsewhere
    /// (another node, the command line) show within a second.
    pub fn forget(&self) {
        self.petitions.clear();
        self.articles.clear();
        self.counts.clear();
        self.replies.clear();
        self.replies_pages.clear();
    }
}

impl Default for RecentPages {
    fn default() -> Self {
        let second = Duration::from_secs(1);
        Self {
            petitions: Recent::new(second),
            articles: Recent::new(second),
            counts: Recent::new(second),
            replies: Recent::new(Duration::from_secs(30)),
            replies_pages: Recent::new(second),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copy_is_served_until_it_is_a_second_old() {
        let recent = Recent::new(Duration::from_millis(50));
        assert_eq!(recent.get("a"), None::<u32>);
        recent.put("a", 1);
        assert_eq!(recent.get("a"), Some(1));
        std::thread::sleep(Duration::from_millis(60));
        assert_eq!(recent.get("a"), None);
    }

    #[test]
    fn one_caller_fetches_an_expired_copy_while_the_others_get_the_old_one() {
        let recent = Recent::new(Duration::from_millis(50));
        recent.put("a", 1);
        std::thread::sleep(Duration::from_millis(60));
        assert_eq!(recent.get("a"), None, "the first caller fetches");
        assert_eq!(
            recent.get("a"),
            Some(1),
            "the others are not sent to the database"
        );
        recent.put("a", 2);
        assert_eq!(recent.get("a"), Some(2));
        // A fetch that never puts (a failed query, a thing gone) is taken over after a
        // time to live, and the old copy is not served past twice its time to live.
        std::thread::sleep(Duration::from_millis(60));
        assert_eq!(recent.get("a"), None);
        std::thread::sleep(Duration::from_millis(60));
        assert_eq!(recent.get("a"), None, "taken over");
        assert_eq!(recent.get("a"), None, "too old to serve");
    }

    #[test]
    fn cleared_copies_are_fetched_again_at_once() {
        let recent = Recent::new(Duration::from_secs(60));
        recent.put("a", 1);
        recent.clear();
        assert_eq!(recent.get("a"), None);
        recent.put("a", 2);
        assert_eq!(recent.get("a"), Some(2));
    }
}
