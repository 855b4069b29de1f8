//! The language of the request being served, and how numbers and dates are written in it.
//! The language comes from the path (`/fr/…`, `/km/…`, or none for English), which the
//! middleware (`web/lang.rs`) strips before routing and keeps here, in a task-local, for
//! the length of the request; outside a request it is English.

use std::future::Future;
use std::sync::Arc;

use chrono::Datelike as _;

/// A language of the public pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    En,
    Fr,
    Km,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::En, Lang::Fr, Lang::Km];

    /// The BCP 47 code: `<html lang>`, `hreflang`, the stored `language` column.
    pub const fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
            Lang::Km => "km",
        }
    }

    pub fn parse(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.code() == code)
    }

    /// What the path starts with: nothing for English, whose URLs came first.
    pub const fn prefix(self) -> &'static str {
        match self {
            Lang::En => "",
            Lang::Fr => "/fr",
            Lang::Km => "/km",
        }
    }

    /// The language's name in itself, as the switcher shows it.
    pub const fn own_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Fr => "Français",
            Lang::Km => "ខ្មែរ",
        }
    }

    /// `og:locale`.
    pub const fn locale(self) -> &'static str {
        match self {
            Lang::En => "en_GB",
            Lang::Fr => "fr_FR",
            Lang::Km => "km_KH",
        }
    }
}

tokio::task_local! {
    /// The request's language, and its path without the language prefix (with its query).
    static SPEAKING: (Lang, Arc<str>);
}

/// The language of the request being served (English outside a request).
pub fn current() -> Lang {
    SPEAKING.try_with(|(lang, _)| *lang).unwrap_or_default()
}

/// The request's path without its language prefix, for links to the same page in the
/// other languages ("/" outside a request).
pub fn unprefixed_path() -> Arc<str> {
    SPEAKING
        .try_with(|(_, path)| Arc::clone(path))
        .unwrap_or_else(|_| Arc::from("/"))
}

/// Runs `work` (a request) in `lang`, its path without prefix being `path`.
pub async fn speaking<F: Future>(lang: Lang, path: &str, work: F) -> F::Output {
    SPEAKING.scope((lang, Arc::from(path)), work).await
}

/// `path` (an English path, from `/`) in the language of the request being served.
pub fn href(path: &str) -> String {
    path_in(current(), path)
}

/// `path` in `lang`: `/fr/petitions/x`; the home page is `/fr/`.
pub fn path_in(lang: Lang, path: &str) -> String {
    format!("{}{path}", lang.prefix())
}

/// A count as people read it in the request's language: 12,345 · 12 345 · 12.345.
pub fn number(n: i64) -> String {
    number_in(current(), n)
}

/// A count in `lang`, grouped by thousands with its CLDR separator (French: a narrow
/// no-break space; Khmer: a full stop).
pub fn number_in(lang: Lang, n: i64) -> String {
    let separator = match lang {
        Lang::En => ',',
        Lang::Fr => '\u{202f}',
        Lang::Km => '.',
    };
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(c);
    }
    out
}

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const MONTHS_FR: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];
const MONTHS_KM: [&str; 12] = [
    "មករា",
    "កុម្ភៈ",
    "មីនា",
    "មេសា",
    "ឧសភា",
    "មិថុនា",
    "កក្កដា",
    "សីហា",
    "កញ្ញា",
    "តុលា",
    "វិច្ឆិកា",
    "ធ្នូ",
];

/// A date as people read it in the request's language ("4 December 2026",
/// "4 décembre 2026", "4 ធ្នូ 2026": CLDR's long date in each).
pub fn date(d: chrono::NaiveDateTime) -> String {
    date_in(current(), d)
}

pub fn date_in(lang: Lang, d: chrono::NaiveDateTime) -> String {
    let months = match lang {
        Lang::En => &MONTHS_EN,
        Lang::Fr => &MONTHS_FR,
        Lang::Km => &MONTHS_KM,
    };
    let month = months[d.month0() as usize];
    format!("{} {month} {}", d.day(), d.year())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_as_each_language_writes_them() {
        assert_eq!(number_in(Lang::En, 0), "0");
        assert_eq!(number_in(Lang::En, 999), "999");
        assert_eq!(number_in(Lang::En, 1000), "1,000");
        assert_eq!(number_in(Lang::En, 1234567), "1,234,567");
        assert_eq!(number_in(Lang::En, -1234), "-1,234");
        assert_eq!(number_in(Lang::Fr, 12345), "12\u{202f}345");
        assert_eq!(number_in(Lang::Km, 12345), "12.345");
    }

    #[test]
    fn dates_read_naturally_in_each_language() {
        let d = chrono::NaiveDate::from_ymd_opt(2026, 12, 4)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap();
        assert_eq!(date_in(Lang::En, d), "4 December 2026");
        assert_eq!(date_in(Lang::Fr, d), "4 décembre 2026");
        assert_eq!(date_in(Lang::Km, d), "4 ធ្នូ 2026");
    }

    #[test]
    fn paths_carry_the_prefix_and_codes_read_back() {
        assert_eq!(path_in(Lang::En, "/petitions/x"), "/petitions/x");
        assert_eq!(path_in(Lang::Km, "/"), "/km/");
        for lang in Lang::ALL {
            assert_eq!(Lang::parse(lang.code()), Some(lang));
        }
        assert_eq!(Lang::parse("de"), None);
    }
}

/// The language an `Accept-Language` header prefers to English, if any: the highest `q`
/// among English, French and Khmer (a region such as `fr-BE` counts as its language),
/// only when it is above English's. Anything unreadable counts for nothing.
pub fn preferred_over_english(header: &str) -> Option<Lang> {
    let mut weights = [None::<f32>; 3];
    for entry in header.split(',') {
        let mut parts = entry.split(';');
        let tag = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let primary = tag.split(['-', '_']).next().unwrap_or("");
        let Some(lang) = Lang::parse(primary) else {
            continue;
        };
        let q = parts
            .filter_map(|p| p.trim().strip_prefix("q="))
            .find_map(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0)
            .clamp(0.0, 1.0);
        let slot = &mut weights[lang as usize];
        *slot = Some(slot.map_or(q, |w: f32| w.max(q)));
    }
    let english = weights[Lang::En as usize].unwrap_or(0.0);
    [Lang::Fr, Lang::Km]
        .into_iter()
        .filter_map(|l| weights[l as usize].map(|w| (l, w)))
        .filter(|(_, w)| *w > 0.0 && *w > english)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(l, _)| l)
}

#[cfg(test)]
mod accept_language {
    use super::*;

    #[test]
    fn the_header_decides_only_when_it_prefers_french_or_khmer() {
        assert_eq!(
            preferred_over_english("fr-FR,fr;q=0.9,en;q=0.8"),
            Some(Lang::Fr)
        );
        assert_eq!(preferred_over_english("km-KH"), Some(Lang::Km));
        assert_eq!(preferred_over_english("en-GB,en;q=0.9,fr;q=0.8"), None);
        assert_eq!(preferred_over_english("de-DE,de;q=0.9"), None);
        assert_eq!(
            preferred_over_english("de,km;q=0.5,fr;q=0.4"),
            Some(Lang::Km)
        );
        assert_eq!(preferred_over_english("fr;q=0"), None);
        for hostile in ["", ";;;", "fr;q=abc", "\u{1b}[31m", &"fr,".repeat(5000)] {
            let _ = preferred_over_english(hostile);
        }
        assert_eq!(preferred_over_english("fr;q=abc"), Some(Lang::Fr));
    }
}
