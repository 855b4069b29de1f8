//! DKIM signing of every outgoing email (lettre's signer), when the three settings are
//! given: `CLARION_DKIM_DOMAIN`, `CLARION_DKIM_SELECTOR` and `CLARION_DKIM_KEY_FILE` (an
//! RSA key in PKCS#1 PEM, `-----BEGIN RSA PRIVATE KEY-----`, or an Ed25519 key as the
//! base64 of its 32 bytes). The signature covers From, To, Subject, Date and, on
//! mailings, List-Unsubscribe and List-Unsubscribe-Post, so a receiver can trust the
//! one-click unsubscribe (RFC 8058 asks for it).

use std::path::PathBuf;
use std::sync::Arc;

use lettre::message::dkim::{
    DkimCanonicalization, DkimCanonicalizationType, DkimConfig, DkimSigningAlgorithm,
    DkimSigningKey,
};
use lettre::message::header::HeaderName;

/// The DKIM settings as given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DkimSettings {
    pub domain: String,
    pub selector: String,
    pub key_file: PathBuf,
}

impl DkimSettings {
    /// All three settings, or none; one or two alone is a mistake worth stopping for.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Option<Self>, String> {
        let names = [
            "CLARION_DKIM_DOMAIN",
            "CLARION_DKIM_SELECTOR",
            "CLARION_DKIM_KEY_FILE",
        ];
        match names.map(|n| get(n).filter(|v| !v.trim().is_empty())) {
            [None, None, None] => Ok(None),
            [Some(domain), Some(selector), Some(key_file)] => Ok(Some(Self {
                domain: domain.trim().to_string(),
                selector: selector.trim().to_string(),
                key_file: PathBuf::from(key_file.trim()),
            })),
            given => {
                let missing: Vec<&str> = names
                    .iter()
                    .zip(&given)
                    .filter(|(_, v)| v.is_none())
                    .map(|(n, _)| *n)
                    .collect();
                Err(format!(
                    "DKIM needs all three settings; missing {}",
                    missing.join(", ")
                ))
            }
        }
    }

    /// The signer: the key read and checked now, so a bad key stops the start.
    pub fn signer(&self) -> Result<Arc<DkimConfig>, String> {
        let text = std::fs::read_to_string(&self.key_file)
            .map_err(|e| format!("CLARION_DKIM_KEY_FILE {}: {e}", self.key_file.display()))?;
        let algorithm = match text.contains("BEGIN RSA PRIVATE KEY") {
            true => DkimSigningAlgorithm::Rsa,
            false => DkimSigningAlgorithm::Ed25519,
        };
        let key = DkimSigningKey::new(text.trim(), algorithm).map_err(|e| {
            format!("CLARION_DKIM_KEY_FILE: not an RSA PKCS#1 PEM key nor an Ed25519 key: {e}")
        })?;
        let headers = [
            "From",
            "To",
            "Subject",
            "Date",
            "List-Unsubscribe",
            "List-Unsubscribe-Post",
        ]
        .map(HeaderName::new_from_ascii_str)
        .to_vec();
        // Relaxed both ways: relays that refold headers or trim spaces do not break it.
        let canonicalization = DkimCanonicalization {
            header: DkimCanonicalizationType::Relaxed,
            body: DkimCanonicalizationType::Relaxed,
        };
        Ok(Arc::new(DkimConfig::new(
            self.selector.clone(),
            self.domain.clone(),
            key,
            headers,
            canonicalization,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_three_settings_or_none() {
        let none = DkimSettings::from_lookup(|_| None).unwrap();
        assert_eq!(none, None);
        let partial = DkimSettings::from_lookup(|n| {
            (n == "CLARION_DKIM_DOMAIN").then(|| "example.org".into())
        });
        let error = partial.unwrap_err();
        assert!(
            error.contains("CLARION_DKIM_SELECTOR, CLARION_DKIM_KEY_FILE"),
            "{error}"
        );
        let all = DkimSettings::from_lookup(|n| Some(format!("{n}-value")))
            .unwrap()
            .unwrap();
        assert_eq!(all.selector, "CLARION_DKIM_SELECTOR-value");
    }

    #[test]
    fn a_missing_or_unreadable_key_stops_the_start() {
        let settings = DkimSettings {
            domain: "example.org".into(),
            selector: "s1".into(),
            key_file: "/nonexistent/key.pem".into(),
        };
        assert!(settings
            .signer()
            .unwrap_err()
            .contains("/nonexistent/key.pem"));
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("key.pem");
        std::fs::write(&file, "not a key").unwrap();
        let settings = DkimSettings {
            key_file: file,
            ..settings
        };
        assert!(settings.signer().unwrap_err().contains("not an RSA"));
    }
}
