//! Whether a new staff password is one an attacker would try early: one of the 10,000
//! most common passwords (shipped in the binary, `password/common.txt`, from SecLists;
//! its licence beside it), or one of them dressed up the usual ways. No network.

use std::collections::HashSet;
use std::sync::LazyLock;

static COMMON: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| include_str!("password/common.txt").lines().collect());

/// True for a common password, or a common one with digits or symbols around it
/// (`Password1234!`), repeated (`dragondragon`), made of very few characters
/// (`121212121212`), or digits counted in order. The list's entries are lower-case.
pub fn is_common(password: &str) -> bool {
    let lower = password.to_lowercase();
    let decorated = |c: char| c.is_ascii_digit() || c.is_ascii_punctuation() || c == ' ';
    let core = lower.trim_matches(decorated);
    let distinct: HashSet<char> = lower.chars().collect();
    COMMON.contains(lower.as_str())
        || (core.chars().count() >= 4 && COMMON.contains(core))
        || repeated_unit(core).is_some_and(|unit| COMMON.contains(unit) || unit.len() <= 3)
        || distinct.len() <= 4
        || counting(&lower)
}

/// Digits counted up or down (`123456789012`, `0987654321`).
fn counting(text: &str) -> bool {
    text.chars().all(|c| c.is_ascii_digit())
        && ("0123456789".repeat(4).contains(text) || "9876543210".repeat(4).contains(text))
}

/// The shortest text that `text` is two or more copies of.
fn repeated_unit(text: &str) -> Option<&str> {
    let n = text.len();
    (1..=n / 2)
        .filter(|len| n.is_multiple_of(*len) && text.is_char_boundary(*len))
        .map(|len| &text[..len])
        .find(|unit| unit.repeat(n / unit.len()) == text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_list_holds_ten_thousand_passwords() {
        assert_eq!(COMMON.len(), 10_000);
        assert!(COMMON.contains("password") && COMMON.contains("qwerty"));
    }

    #[test]
    fn common_passwords_and_their_usual_disguises_are_refused() {
        for weak in [
            "masterbating",
            "Password1234!",
            "123456789012",
            "qwertyuiop12",
            "dragondragondragon",
            "aaaaaaaaaaaa",
            "121212121212",
            "!!Monkey2026!!",
        ] {
            assert!(is_common(weak), "{weak}");
        }
        for strong in [
            "correct horse battery staple",
            "Sok-Dara-2026-Phnom-Penh",
            "ពាក្យសម្ងាត់វែងណាស់",
        ] {
            assert!(!is_common(strong), "{strong}");
        }
    }
}
