//! The "your data" link at the foot of every email to a supporter: a signed token that
//! names the row the email was sent for (a signature, a letter, a subscription) and
//! when it was issued. Nothing is stored per email, so a surge's confirmations write
//! nothing more; the row leads to the address, and the address to everything kept. It
//! works for 24 hours, not after a newer link asked for at `/me`, and not once the row
//! is erased (it then names no address).

use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// What the emailed row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row {
    Signature,
    Letter,
    Subscriber,
}

impl Row {
    fn letter(self) -> char {
        match self {
            Self::Signature => 's',
            Self::Letter => 'l',
            Self::Subscriber => 'n',
        }
    }

    fn of(letter: &str) -> Option<Self> {
        match letter {
            "s" => Some(Self::Signature),
            "l" => Some(Self::Letter),
            "n" => Some(Self::Subscriber),
            _ => None,
        }
    }
}

/// How long a link works, in seconds.
const VALID_SECS: i64 = 24 * 3600;

fn mac(key: &[u8], row: Row, id: &str, issued: i64) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(format!("data-link\n{}\n{id}\n{issued}", row.letter()).as_bytes());
    let digest = mac.finalize().into_bytes();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&digest[..16])
}

/// The token for row `id`, issued at `issued` (Unix seconds).
pub fn token(key: &[u8], row: Row, id: &str, issued: i64) -> String {
    format!(
        "{}.{id}.{issued}.{}",
        row.letter(),
        mac(key, row, id, issued)
    )
}

/// The row a token names and when it was issued, if it is genuine and at most 24 hours
/// old at `now` (Unix seconds).
pub fn read(key: &[u8], token: &str, now: i64) -> Option<(Row, String, i64)> {
    let mut parts = token.split('.');
    let (row, id, issued, given) = (
        Row::of(parts.next()?)?,
        parts.next()?,
        parts.next()?.parse::<i64>().ok()?,
        parts.next()?,
    );
    if parts.next().is_some() || id.is_empty() || id.len() > 64 {
        return None;
    }
    let expected = mac(key, row, id, issued);
    // Compared in constant time: the MAC is the secret part.
    let same = expected.len() == given.len()
        && expected
            .bytes()
            .zip(given.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    (same && issued <= now && now - issued < VALID_SECS).then(|| (row, id.to_string(), issued))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_reads_back_for_a_day_and_only_with_its_key() {
        let key = b"a site key of thirty-two bytes!!";
        let made = token(key, Row::Letter, "0193-abc", 1_000_000);
        assert_eq!(
            read(key, &made, 1_000_000 + 60),
            Some((Row::Letter, "0193-abc".to_string(), 1_000_000))
        );
        assert_eq!(read(key, &made, 1_000_000 + VALID_SECS), None, "expired");
        assert_eq!(read(b"another key", &made, 1_000_060), None);
        let forged = made.replace("0193-abc", "0193-abd");
        assert_eq!(read(key, &forged, 1_000_060), None);
        for junk in [
            "",
            "s",
            "s.x.1",
            "x.id.1.mac",
            "s.id.notanumber.mac",
            "s.id.1.mac.more",
        ] {
            assert_eq!(read(key, junk, 1_000_060), None, "{junk}");
        }
    }
}
