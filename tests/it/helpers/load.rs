//! A sign load against running binaries (`binary.rs`): many clients signing new
//! addresses until told to stop or the node goes, and what the database then holds.

use std::collections::HashSet;
use std::ffi::OsString;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use diesel::prelude::*;

use super::binary::{client, try_sign};
use clarion::db::schema::signatures;

/// The test's settings with `extra` over them, as the binary takes them.
pub fn vars_with(settings: &[(String, String)], extra: &[(&str, &str)]) -> Vec<(String, OsString)> {
    let mut vars: Vec<(String, OsString)> = settings
        .iter()
        .filter(|(k, _)| !extra.iter().any(|(e, _)| e == k))
        .map(|(k, v)| (k.clone(), OsString::from(v)))
        .collect();
    vars.extend(
        extra
            .iter()
            .map(|(k, v)| (k.to_string(), OsString::from(v))),
    );
    vars
}

pub fn as_os(vars: &[(String, OsString)]) -> Vec<(&str, &std::ffi::OsStr)> {
    vars.iter()
        .map(|(k, v)| (k.as_str(), v.as_os_str()))
        .collect()
}

/// Acknowledged (303) emails, with when each answer came, and every other answer.
#[derive(Default)]
pub struct Load {
    pub acked: Mutex<Vec<(Instant, String)>>,
    pub other: Mutex<Vec<(u16, Option<String>)>>,
    /// Emails whose request met a connection closed before any answer (a refused
    /// connection is not one): HTTP/1.1's race when a server closes a kept connection.
    pub dropped: Mutex<Vec<String>>,
    pub stop: std::sync::atomic::AtomicBool,
}

impl Load {
    /// The acknowledged emails, after checking that the load ran and that every other
    /// answer was a 503 saying when to come back.
    pub fn checked_acks(&self) -> Vec<String> {
        let acked: Vec<String> = self
            .acked
            .lock()
            .unwrap()
            .iter()
            .map(|a| a.1.clone())
            .collect();
        assert!(acked.len() > 50, "the load ran: {} signed", acked.len());
        for (status, retry) in self.other.lock().unwrap().iter() {
            assert_eq!(*status, 503, "no answer but 303 and 503");
            assert!(retry.is_some(), "a 503 says when to come back");
        }
        acked
    }

    /// Stops the signers and waits for them; then checks as `checked_acks` does, and that
    /// no request went unanswered (for loads through a proxy, which sends such a request
    /// again).
    pub async fn finish(&self, signers: Vec<tokio::task::JoinHandle<()>>) -> Vec<String> {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        for signer in signers {
            signer.await.unwrap();
        }
        let dropped = self.dropped.lock().unwrap().clone();
        assert!(dropped.is_empty(), "unanswered: {dropped:?}");
        self.checked_acks()
    }
}

/// Checks that every one of `acked` is stored at `url`; answers what is stored.
pub fn all_stored(acked: &[String], url: &str) -> HashSet<String> {
    let stored = stored_emails(url);
    let lost: Vec<&String> = acked.iter().filter(|e| !stored.contains(*e)).collect();
    assert!(lost.is_empty(), "acknowledged but not stored: {lost:?}");
    stored
}

/// `signers` clients signing new addresses one after another until `load.stop` is set or
/// the node stops answering.
pub fn start_load(
    base: &str,
    hidden: &[(String, String)],
    signers: usize,
    tag: &str,
    load: &Arc<Load>,
) -> Vec<tokio::task::JoinHandle<()>> {
    (0..signers)
        .map(|t| {
            let (base, hidden, load) = (base.to_string(), hidden.to_vec(), load.clone());
            let tag = tag.to_string();
            actix_web::rt::spawn(async move {
                let client = client(Duration::from_secs(20));
                for n in 0.. {
                    if load.stop.load(std::sync::atomic::Ordering::Relaxed) {
                        break;
                    }
                    let email = format!("{tag}-{t}-{n}@example.org");
                    match try_sign(&client, &base, &hidden, &email).await {
                        Ok((303, _)) => load.acked.lock().unwrap().push((Instant::now(), email)),
                        Ok(answer) => load.other.lock().unwrap().push(answer),
                        Err(e) if e.is_connect() => break,
                        Err(_) => {
                            load.dropped.lock().unwrap().push(email);
                            break;
                        }
                    }
                }
            })
        })
        .collect()
}

/// The canonical emails stored in the database at `url`.
pub fn stored_emails(url: &str) -> HashSet<String> {
    let url = clarion::config::DatabaseUrl::parse(url).unwrap();
    let mut conn = clarion::db::connect_another(&url).unwrap();
    signatures::table
        .select(signatures::email_canonical)
        .load::<String>(&mut conn)
        .unwrap()
        .into_iter()
        .collect()
}
