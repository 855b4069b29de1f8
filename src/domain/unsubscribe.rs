//! The link in a newsletter that unsubscribes its recipient: the subscriber's id and an
//! HMAC over it. Nothing is stored for it, so every mailing can carry it; it cannot be
//! made for another subscriber without the site's secret, and it works for as long as
//! the subscriber exists (an unsubscribe link must not expire).

use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

fn mac(key: &[u8], subscriber_id: &str) -> HmacSha256 {
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC takes keys of any length");
    // Its own purpose, so no other token of the site can stand for it.
    mac.update(b"newsletter-unsubscribe\n");
    mac.update(subscriber_id.as_bytes());
    mac
}

/// The token of `subscriber_id`'s unsubscribe link.
pub fn token(key: &[u8], subscriber_id: &str) -> String {
    let tag = mac(key, subscriber_id).finalize().into_bytes();
    format!(
        "{subscriber_id}.{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(tag)
    )
}

/// The subscriber a token names, if it is genuine.
pub fn subscriber_of(key: &[u8], token: &str) -> Option<String> {
    let (id, tag) = token.rsplit_once('.')?;
    let tag = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(tag)
        .ok()?;
    mac(key, id).verify_slice(&tag).ok()?;
    Some(id.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_genuine_token_names_its_subscriber() {
        let key = b"a key of the site";
        let token = token(key, "3f1c");
        assert_eq!(subscriber_of(key, &token).as_deref(), Some("3f1c"));
        assert_eq!(subscriber_of(b"another key", &token), None);
        let forged = token.replacen("3f1c", "3f1d", 1);
        assert_eq!(subscriber_of(key, &forged), None);
        assert_eq!(subscriber_of(key, &token[..token.len() - 2]), None);
        assert_eq!(subscriber_of(key, ""), None);
        assert_eq!(subscriber_of(key, "3f1c"), None);
    }
}
