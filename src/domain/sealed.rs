//! Sealed values for URLs: a small value encrypted and authenticated (AES-256-GCM) under a
//! key derived from the site's secret, valid for a short time and for one purpose only.
//! The "check your email" page learns from one which address the email went to: a query
//! parameter, not a cookie, so it also works where cookies do not (a partner's iframe),
//! and nobody who sees the URL in a log or over a shoulder can read it.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine as _;
use hmac::{Hmac, Mac};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sha2::Sha256;

const NONCE_LEN: usize = 12;

/// The seal's own key, kept apart from the other uses of the site's secret.
fn cipher(secret: &[u8]) -> Aes256Gcm {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret).expect("HMAC takes any key");
    mac.update(b"clarion sealed url value v1");
    Aes256Gcm::new(&mac.finalize().into_bytes())
}

#[derive(Serialize, Deserialize)]
struct Envelope<T> {
    /// Unix seconds after which the value is no longer opened.
    until: i64,
    value: T,
}

/// Seals `value` for `purpose` (bound into the tag, so a seal made for one page does not
/// open on another) until `until` (Unix seconds). URL-safe base64 without padding.
pub fn seal<T: Serialize>(secret: &[u8], purpose: &str, value: &T, until: i64) -> String {
    let plain = serde_json::to_vec(&Envelope { until, value }).expect("plain data serialises");
    let nonce: [u8; NONCE_LEN] = rand::random();
    let payload = Payload {
        msg: &plain,
        aad: purpose.as_bytes(),
    };
    let sealed = cipher(secret)
        .encrypt(Nonce::from_slice(&nonce), payload)
        .expect("AES-GCM encrypts any message of this size");
    let mut bytes = nonce.to_vec();
    bytes.extend_from_slice(&sealed);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// The value sealed for `purpose`, unless the text was altered, made for another purpose
/// or with another secret, or its time is over at `now`.
pub fn open<T: DeserializeOwned>(secret: &[u8], purpose: &str, text: &str, now: i64) -> Option<T> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(text.trim())
        .ok()?;
    if bytes.len() <= NONCE_LEN {
        return None;
    }
    let (nonce, sealed) = bytes.split_at(NONCE_LEN);
    let payload = Payload {
        msg: sealed,
        aad: purpose.as_bytes(),
    };
    let plain = cipher(secret)
        .decrypt(Nonce::from_slice(nonce), payload)
        .ok()?;
    let envelope: Envelope<T> = serde_json::from_slice(&plain).ok()?;
    (now <= envelope.until).then_some(envelope.value)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";

    #[test]
    fn a_sealed_value_opens_for_its_purpose_until_its_time() {
        let text = seal(SECRET, "check:a", &"sok@example.org", 1_000);
        assert!(!text.contains("sok"), "the address cannot be read: {text}");
        let opened: Option<String> = open(SECRET, "check:a", &text, 1_000);
        assert_eq!(opened.as_deref(), Some("sok@example.org"));
        assert_eq!(open::<String>(SECRET, "check:a", &text, 1_001), None);
        assert_eq!(open::<String>(SECRET, "check:b", &text, 900), None);
        assert_eq!(
            open::<String>(b"another secret", "check:a", &text, 900),
            None
        );
    }

    #[test]
    fn altered_or_foreign_text_does_not_open() {
        let text = seal(SECRET, "p", &"x", 1_000);
        let mut bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(&text)
            .unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        let altered = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
        for text in [altered.as_str(), "", "abc", "%%%", &"A".repeat(5000)] {
            assert_eq!(open::<String>(SECRET, "p", text, 0), None, "{text:.20}");
        }
    }

    #[test]
    fn two_seals_of_one_value_differ() {
        assert_ne!(seal(SECRET, "p", &1, 9), seal(SECRET, "p", &1, 9));
    }
}
