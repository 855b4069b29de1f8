//! "Did you mean …@gmail.com?": a likely typo in a well-known mail domain, asked about
//! once before sending and never refused. The matching is the mailidator crate's; the
//! providers are ours, for supporters in France, Belgium, Germany and the UK (the crate's
//! own list also holds `example.com`, `company.com` and the like, which real addresses
//! would be "corrected" to).

use std::sync::OnceLock;

use mailidator::{Config, Mailidator};

/// Most used first: on a tie the crate prefers the earlier domain.
const PROVIDERS: &[&str] = &[
    "gmail.com",
    "yahoo.com",
    "hotmail.com",
    "outlook.com",
    "icloud.com",
    "hotmail.fr",
    "yahoo.fr",
    "orange.fr",
    "live.com",
    "live.fr",
    "outlook.fr",
    "free.fr",
    "sfr.fr",
    "wanadoo.fr",
    "laposte.net",
    "msn.com",
    "aol.com",
    "gmx.de",
    "gmx.fr",
    "gmx.net",
    "web.de",
    "t-online.de",
    "hotmail.co.uk",
    "yahoo.co.uk",
    "btinternet.com",
    "googlemail.com",
    "proton.me",
    "protonmail.com",
    "me.com",
    "skynet.be",
    "telenet.be",
    "neuf.fr",
    "bbox.fr",
];

/// The address as it was likely meant, when its domain looks like a mistyped well-known
/// one (`sok@gmial.com` → `sok@gmail.com`); `None` for a known or an unlike domain.
pub fn suggestion(email: &str) -> Option<String> {
    static CHECKER: OnceLock<Mailidator> = OnceLock::new();
    let checker = CHECKER.get_or_init(|| {
        // Only whole known domains: one built from parts would turn an unknown
        // `example.org` into `example.com`.
        Mailidator::new(Config {
            domains: PROVIDERS.iter().map(|d| d.to_string()).collect(),
            second_level_domains: Vec::new(),
            top_level_domains: Vec::new(),
            ..Config::default()
        })
    });
    let email = email.trim();
    let suggested = checker.check(email)?.full();
    (!suggested.eq_ignore_ascii_case(email)).then_some(suggested)
}

#[cfg(test)]
mod tests {
    use super::suggestion;

    #[test]
    fn common_slips_get_a_suggestion() {
        assert_eq!(
            suggestion("sok@gmial.com").as_deref(),
            Some("sok@gmail.com")
        );
        assert_eq!(
            suggestion("sok@gmail.con").as_deref(),
            Some("sok@gmail.com")
        );
        assert_eq!(
            suggestion("marie@hotmial.fr").as_deref(),
            Some("marie@hotmail.fr")
        );
        assert_eq!(
            suggestion("marie@ornage.fr").as_deref(),
            Some("marie@orange.fr")
        );
    }

    #[test]
    fn known_and_unlike_domains_get_none() {
        for email in [
            "sok@gmail.com",
            "marie@orange.fr",
            "jan@web.de",
            "dara@example.org",
            "press@cambodia-democracy.org",
            "staff@europarl.europa.eu",
        ] {
            assert_eq!(suggestion(email), None, "{email}");
        }
    }
}
