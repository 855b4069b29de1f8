//! The delivery report shows the SHA-256 of the default signature export, which costs a
//! whole export to compute. Each node keeps the last digest per petition with the
//! fingerprint of what it was computed from (`db::exports::default_export_fingerprint`,
//! two indexed aggregates), and computes it again only when that fingerprint changes.
//! The fingerprint is read before the export, so a change in between only makes the next
//! report compute again; a digest never outlives the rows it describes.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::db::exports::{default_export_fingerprint, ExportFingerprint};
use crate::db::{DbConnection, DbError};

/// Petitions remembered at most; past it the cache starts afresh.
const MAX_PETITIONS: usize = 1_000;

#[derive(Default)]
pub struct DigestCache(Mutex<HashMap<String, (ExportFingerprint, String)>>);

impl DigestCache {
    /// The digest of petition `action_id`'s default export, computed by `compute` only
    /// when its signatures changed since the last time.
    pub fn get(
        &self,
        conn: &mut DbConnection,
        action_id: &str,
        compute: impl FnOnce(&mut DbConnection) -> Result<String, DbError>,
    ) -> Result<String, DbError> {
        let fingerprint = default_export_fingerprint(conn, action_id)?;
        let known = self.lock().get(action_id).cloned();
        if let Some((seen, digest)) = known {
            if seen == fingerprint {
                return Ok(digest);
            }
        }
        let digest = compute(conn)?;
        let mut cache = self.lock();
        if cache.len() >= MAX_PETITIONS {
            cache.clear();
        }
        cache.insert(action_id.to_string(), (fingerprint, digest.clone()));
        Ok(digest)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, (ExportFingerprint, String)>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}
