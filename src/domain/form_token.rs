//! The stateless token public forms carry (docs/CONTRACT.md, "Public forms"): the time the form was
//! served and an HMAC over the form's id and that time. Valid for 24 hours and reusable,
//! so a cached page or a replayed form still works; a forged or stale token does not.

use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// How long a served form stays valid.
pub const VALID_SECS: i64 = 24 * 60 * 60;
/// Clock skew allowed between nodes for a token "from the future".
const SKEW_SECS: i64 = 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("missing form token")]
    Missing,
    #[error("invalid form token")]
    Invalid,
    #[error("expired form token")]
    Expired,
}

fn mac(key: &[u8], form_id: &str, issued_at: i64) -> HmacSha256 {
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(form_id.as_bytes());
    mac.update(b"\n");
    mac.update(issued_at.to_string().as_bytes());
    mac
}

/// A token for `form_id` served at `issued_at` (Unix seconds).
pub fn issue(key: &[u8], form_id: &str, issued_at: i64) -> String {
    let tag = mac(key, form_id, issued_at).finalize().into_bytes();
    format!(
        "{issued_at}.{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(tag)
    )
}

/// Checks a token for `form_id` at time `now`; answers when the form was served.
pub fn verify(key: &[u8], form_id: &str, token: &str, now: i64) -> Result<i64, TokenError> {
    let token = token.trim();
    if token.is_empty() {
        return Err(TokenError::Missing);
    }
    let (issued, tag) = token.split_once('.').ok_or(TokenError::Invalid)?;
    let issued_at: i64 = issued.parse().map_err(|_| TokenError::Invalid)?;
    let tag = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(tag)
        .map_err(|_| TokenError::Invalid)?;
    mac(key, form_id, issued_at)
        .verify_slice(&tag)
        .map_err(|_| TokenError::Invalid)?;
    if issued_at > now + SKEW_SECS {
        return Err(TokenError::Invalid);
    }
    if now - issued_at > VALID_SECS {
        return Err(TokenError::Expired);
    }
    Ok(issued_at)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &[u8] = b"0123456789abcdef0123456789abcdef";

    #[test]
    fn a_token_is_valid_for_its_form_for_a_day_and_reusable() {
        let token = issue(KEY, "sign:1", 1_000);
        assert_eq!(verify(KEY, "sign:1", &token, 1_000), Ok(1_000));
        assert_eq!(verify(KEY, "sign:1", &token, 1_000 + VALID_SECS), Ok(1_000));
        assert_eq!(
            verify(KEY, "sign:1", &token, 1_001 + VALID_SECS),
            Err(TokenError::Expired)
        );
    }

    #[test]
    fn forged_or_foreign_tokens_are_refused() {
        let token = issue(KEY, "sign:1", 1_000);
        assert_eq!(
            verify(KEY, "sign:2", &token, 1_000),
            Err(TokenError::Invalid)
        );
        assert_eq!(
            verify(b"another key of thirty-two bytes!", "sign:1", &token, 1_000),
            Err(TokenError::Invalid)
        );
        let moved = token.replacen("1000", "1999", 1);
        assert_eq!(
            verify(KEY, "sign:1", &moved, 2_000),
            Err(TokenError::Invalid)
        );
        for bad in ["", "abc", "1000.", ".abc", "x.y", "1000.!!!"] {
            assert!(verify(KEY, "sign:1", bad, 1_000).is_err(), "{bad}");
        }
    }
}
