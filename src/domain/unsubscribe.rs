//! The link in a newsletter that unsubscribes its recipient: the subscriber's id and an
//! HMAC over it. An update's link works the same way, naming the signature or letter it
//! was sent for (and so its action). Nothing is stored for it, so every mailing can carry it; it cannot be
//! made for another subscriber without the site's secret, and it works for as long as
//! the subscriber exists (an unsubscribe link must not expire).

use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

const NEWSLETTER: &[u8] = b"newsletter-unsubscribe\n";
const UPDATES: &[u8] = b"updates-unsubscribe\n";

fn mac(key: &[u8], purpose: &[u8], named: &str) -> HmacSha256 {
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC takes keys of any length");
    // Its own purpose, so no other token of the site can stand for it.
    mac.update(purpose);
    mac.update(named.as_bytes());
    mac
}

fn signed(key: &[u8], purpose: &[u8], named: String) -> String {
    let tag = mac(key, purpose, &named).finalize().into_bytes();
    format!(
        "{named}.{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(tag)
    )
}

fn named_by<'a>(key: &[u8], purpose: &[u8], token: &'a str) -> Option<&'a str> {
    let (named, tag) = token.rsplit_once('.')?;
    let tag = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(tag)
        .ok()?;
    mac(key, purpose, named).verify_slice(&tag).ok()?;
    Some(named)
}

/// The token of the link that stops an action's updates to the supporter of `record`
/// (`s:{signature id}` or `m:{letter id}`).
pub fn updates_token(key: &[u8], record: &str) -> String {
    signed(key, UPDATES, record.to_string())
}

/// The record an updates token names, if it is genuine.
pub fn record_of(key: &[u8], token: &str) -> Option<String> {
    named_by(key, UPDATES, token).map(str::to_string)
}

/// The token of `subscriber_id`'s unsubscribe link, naming the `mailing` it came in
/// (so the mailing can count who left through it).
pub fn token(key: &[u8], subscriber_id: &str, mailing: Option<&str>) -> String {
    let named = match mailing {
        Some(mailing) => format!("{subscriber_id}.{mailing}"),
        None => subscriber_id.to_string(),
    };
    signed(key, NEWSLETTER, named)
}

/// The subscriber a token names, and the mailing it came in, if it is genuine.
pub fn subscriber_of(key: &[u8], token: &str) -> Option<(String, Option<String>)> {
    let named = named_by(key, NEWSLETTER, token)?;
    Some(match named.split_once('.') {
        Some((id, mailing)) => (id.to_string(), Some(mailing.to_string())),
        None => (named.to_string(), None),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_genuine_token_names_its_subscriber() {
        let key = b"a key of the site";
        let token = token(key, "3f1c", None);
        assert_eq!(subscriber_of(key, &token), Some(("3f1c".into(), None)));
        let from_mailing = super::token(key, "3f1c", Some("m9"));
        assert_eq!(
            subscriber_of(key, &from_mailing),
            Some(("3f1c".into(), Some("m9".into())))
        );
        let moved = from_mailing.replacen("m9", "m8", 1);
        assert_eq!(
            subscriber_of(key, &moved),
            None,
            "the mailing is signed too"
        );
        assert_eq!(subscriber_of(b"another key", &token), None);
        let forged = token.replacen("3f1c", "3f1d", 1);
        assert_eq!(subscriber_of(key, &forged), None);
        assert_eq!(subscriber_of(key, &token[..token.len() - 2]), None);
        assert_eq!(subscriber_of(key, ""), None);
        assert_eq!(subscriber_of(key, "3f1c"), None);
    }

    #[test]
    fn an_updates_token_is_not_a_newsletter_token() {
        let key = b"a key of the site";
        let token = updates_token(key, "s:3f1c");
        assert_eq!(record_of(key, &token).as_deref(), Some("s:3f1c"));
        assert_eq!(subscriber_of(key, &token), None);
        assert_eq!(record_of(key, &super::token(key, "s:3f1c", None)), None);
        assert_eq!(record_of(key, &token.replacen("s:", "m:", 1)), None);
    }
}
