//! The site's secret key: from hex or base64, never printed.

use std::fmt;

/// The key that signs sessions and form tokens and keys the hash of client addresses.
#[derive(Clone)]
pub struct SecretKey(Vec<u8>);

impl SecretKey {
    pub const MIN_LEN: usize = 32;

    /// Hex or base64, at least 32 bytes once decoded.
    pub fn parse(text: &str) -> Result<Self, String> {
        use base64::Engine as _;
        let text = text.trim();
        let bytes = hex::decode(text)
            .or_else(|_| base64::engine::general_purpose::STANDARD.decode(text))
            .or_else(|_| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(text))
            .map_err(|_| "must be hex or base64".to_string())?;
        if bytes.len() < Self::MIN_LEN {
            return Err(format!(
                "must be at least {} bytes (it has {})",
                Self::MIN_LEN,
                bytes.len()
            ));
        }
        Ok(Self(bytes))
    }

    pub fn generate() -> Self {
        use rand::RngCore as _;
        let mut bytes = vec![0u8; Self::MIN_LEN];
        rand::rng().fill_bytes(&mut bytes);
        Self(bytes)
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    pub fn to_hex(&self) -> String {
        hex::encode(&self.0)
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey(redacted)")
    }
}
