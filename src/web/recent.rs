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
    entries: RwLock<HashMap<String, (Instant, V)>>,
}

impl<V: Clone> Recent<V> {
    pub fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            entries: RwLock::new(HashMap::new()),
        }
    }

    /// The copy of `key` if it is younger than the time to live.
    pub fn get(&self, key: &str) -> Option<V> {
        let entries = self.entries.read().unwrap_or_else(|e| e.into_inner());
        entries
            .get(key)
            .filter(|(at, _)| at.elapsed() < self.ttl)
            .map(|(_, v)| v.clone())
    }

    pub fn clear(&self) {
        self.entries
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }

    pub fn put(&self, key: &str, value: V) {
        let mut entries = self.entries.write().unwrap_or_else(|e| e.into_inner());
        if entries.len() > 10_000 {
            let ttl = self.ttl;
            entries.retain(|_, (at, _)| at.elapsed() < ttl);
        }
        entries.insert(key.to_string(), (Instant::now(), value));
    }
}

/// The copies public pages share.
pub struct RecentPages {
    /// Petitions by slug, as the sign handler and the petition page look them up.
    pub petitions: Recent<Petition>,
    /// Rendered article pages by slug (their form tokens are at most a second old).
    pub articles: Recent<Bytes>,
    /// The JSON count of each petition by slug.
    pub counts: Recent<Bytes>,
}

impl RecentPages {
    /// Drops every copy: after a change on this server (a confirmation, a staff
    /// decision or edit), its pages show the change at once. Changes made elsewhere
    /// (another node, the command line) show within a second.
    pub fn forget(&self) {
        self.petitions.clear();
        self.articles.clear();
        self.counts.clear();
    }
}

impl Default for RecentPages {
    fn default() -> Self {
        let second = Duration::from_secs(1);
        Self {
            petitions: Recent::new(second),
            articles: Recent::new(second),
            counts: Recent::new(second),
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
}
