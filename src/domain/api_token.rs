//! The OSDI API's tokens: what each scope allows, and the token itself (shown once; the
//! database keeps its SHA-256).

use std::fmt;

/// What a token may do. `read:signatures` includes `read:counts`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    ReadCounts,
    ReadSignatures,
    WriteSignatures,
}

impl Scope {
    pub const ALL: [Scope; 3] = [
        Scope::ReadCounts,
        Scope::ReadSignatures,
        Scope::WriteSignatures,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Scope::ReadCounts => "read:counts",
            Scope::ReadSignatures => "read:signatures",
            Scope::WriteSignatures => "write:signatures",
        }
    }

    pub fn parse(typed: &str) -> Result<Scope, String> {
        Scope::ALL
            .into_iter()
            .find(|s| s.as_str() == typed.trim())
            .ok_or_else(|| {
                let typed: String = typed.chars().take(60).collect();
                format!(
                    "{typed:?} is not a scope; choose from read:counts, read:signatures, write:signatures"
                )
            })
    }

    /// Whether a token holding `self` may do what `needed` allows.
    pub fn covers(self, needed: Scope) -> bool {
        self == needed || (self == Scope::ReadSignatures && needed == Scope::ReadCounts)
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Scopes as typed (at least one), without repeats.
pub fn parse_scopes<'a>(typed: impl IntoIterator<Item = &'a str>) -> Result<Vec<Scope>, String> {
    let mut scopes = Vec::new();
    for scope in typed.into_iter().filter(|s| !s.trim().is_empty()) {
        let scope = Scope::parse(scope)?;
        if !scopes.contains(&scope) {
            scopes.push(scope);
        }
    }
    if scopes.is_empty() {
        return Err("Choose at least one scope".into());
    }
    Ok(scopes)
}

/// A new token and the hash to keep. The prefix lets secret scanners recognise a leaked
/// one.
pub fn new_token() -> (String, String) {
    let bytes: [u8; 32] = rand::random();
    let token = format!("clarion_{}", hex::encode(bytes));
    let hash = hash(&token);
    (token, hash)
}

/// What the database keeps of a token.
pub fn hash(token: &str) -> String {
    use sha2::Digest as _;
    hex::encode(sha2::Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reading_signatures_includes_counts_and_nothing_else() {
        assert!(Scope::ReadSignatures.covers(Scope::ReadCounts));
        assert!(!Scope::ReadCounts.covers(Scope::ReadSignatures));
        assert!(!Scope::ReadSignatures.covers(Scope::WriteSignatures));
        assert!(!Scope::WriteSignatures.covers(Scope::ReadSignatures));
    }

    #[test]
    fn scopes_are_parsed_strictly() {
        assert_eq!(
            parse_scopes(["read:counts", "read:counts", "write:signatures"]),
            Ok(vec![Scope::ReadCounts, Scope::WriteSignatures])
        );
        assert!(parse_scopes(["admin"]).is_err());
        assert!(parse_scopes(Vec::<&str>::new()).is_err());
    }
}
