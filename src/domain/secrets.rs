//! Secrets made and kept by Clarion: confirmation tokens (only their hash is stored) and
//! the keyed hash that replaces a client's address (HMAC, fast and pseudonymous: a slow
//! password hash here would cap signing at a few per second for no gain).

use base64::Engine as _;
use hmac::{Hmac, Mac};
use rand::RngCore as _;
use sha2::{Digest, Sha256};

/// Bytes of a token's issue time (milliseconds since 1970, big-endian) before its secret.
const ISSUED_LEN: usize = 6;
/// Length of a token (base64url of the issue time and 128 random bits).
const TOKEN_LEN: usize = 30;

/// A new confirmation token for a link (128 random bits after its issue time), and the
/// hash to store.
///
/// The stored hash begins with the issue time, so tokens made one after another land
/// at the end of the unique index instead of at random places in it: a random key
/// rewrote a different index page for each signature of a surge, a third of the bytes
/// each one wrote.
pub fn new_token() -> (String, String) {
    let mut bytes = [0u8; ISSUED_LEN + 16];
    let millis = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64);
    bytes[..ISSUED_LEN].copy_from_slice(&millis.to_be_bytes()[8 - ISSUED_LEN..]);
    rand::rng().fill_bytes(&mut bytes[ISSUED_LEN..]);
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let hash = token_hash(&token);
    (token, hash)
}

/// What the database keeps of a token: SHA-256, lowercase hex, after the token's issue
/// time in hex. Tokens made before issue times were part of them (22 characters) keep
/// their plain SHA-256, so links already sent still work.
pub fn token_hash(token: &str) -> String {
    let digest = hex::encode(Sha256::digest(token.as_bytes()));
    if token.len() != TOKEN_LEN {
        return digest;
    }
    match base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(token) {
        Ok(bytes) => hex::encode(&bytes[..ISSUED_LEN]) + &digest,
        Err(_) => digest,
    }
}

/// The keyed hash of a client address; the address itself is never stored. Callers pass
/// the address's quota key (an IPv6 address by its /64), so that the per-address hold
/// rule counts one line as one client.
pub fn client_hash(key: &[u8], address: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(b"client-address\n");
    mac.update(address.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_unique_and_stored_only_as_hashes() {
        let (a, hash_a) = new_token();
        let (b, _) = new_token();
        assert_ne!(a, b);
        assert_eq!(a.len(), TOKEN_LEN);
        assert_eq!(hash_a, token_hash(&a));
        assert!(!hash_a.contains(&a));
        assert!(!hash_a.contains(&a[ISSUED_LEN..]));
    }

    #[test]
    fn later_tokens_hash_after_earlier_ones() {
        let (_, earlier) = new_token();
        std::thread::sleep(std::time::Duration::from_millis(2));
        let (_, later) = new_token();
        assert!(earlier < later, "{earlier} then {later}");
    }

    #[test]
    fn tokens_from_before_issue_times_keep_their_plain_hash() {
        // A 22-character token as links sent by earlier versions carry.
        let old = "q3Xk9bT0aZ_8mN2pL5vW1A";
        assert_eq!(token_hash(old), hex::encode(Sha256::digest(old.as_bytes())));
        // Anything else a stranger puts in a link hashes without failing.
        for odd in [
            "",
            "é",
            "%00",
            &"a".repeat(30),
            &"*".repeat(30),
            &"x".repeat(5000),
        ] {
            assert!(token_hash(odd).len() >= 64);
        }
    }

    #[test]
    fn client_hashes_depend_on_the_key() {
        let one = client_hash(b"key one", "192.0.2.1");
        assert_eq!(one, client_hash(b"key one", "192.0.2.1"));
        assert_ne!(one, client_hash(b"key two", "192.0.2.1"));
        assert!(!one.contains("192.0.2.1"));
    }
}
