//! Secrets made and kept by Clarion: confirmation tokens (only their hash is stored) and
//! the keyed hash that replaces a client's address (HMAC, fast and pseudonymous: a slow
//! password hash here would cap signing at a few per second for no gain).

use base64::Engine as _;
use hmac::{Hmac, Mac};
use rand::RngCore as _;
use sha2::{Digest, Sha256};

/// A new 128-bit confirmation token for a link, and the hash to store.
pub fn new_token() -> (String, String) {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let hash = token_hash(&token);
    (token, hash)
}

/// What the database keeps of a token: SHA-256, lowercase hex.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The keyed hash of a client address; the address itself is never stored.
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
        assert_eq!(a.len(), 22);
        assert_eq!(hash_a, token_hash(&a));
        assert!(!hash_a.contains(&a));
    }

    #[test]
    fn client_hashes_depend_on_the_key() {
        let one = client_hash(b"key one", "192.0.2.1");
        assert_eq!(one, client_hash(b"key one", "192.0.2.1"));
        assert_ne!(one, client_hash(b"key two", "192.0.2.1"));
        assert!(!one.contains("192.0.2.1"));
    }
}
