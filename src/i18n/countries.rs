//! Country names in each language, from CLDR through ICU4X's compiled data (current
//! names: Eswatini, North Macedonia, Türkiye), and the country list sorted the way each
//! language sorts (CLDR collation, not bytes: "Égypte" among the E in French).
//! `icu_experimental` is pinned to an exact version in Cargo.toml: its API is unstable.

use std::sync::OnceLock;

use icu_collator::options::CollatorOptions;
use icu_collator::Collator;
use icu_experimental::displaynames::multi::RegionDisplayNames;
use icu_experimental::displaynames::DisplayNamesOptions;
use icu_locale_core::subtags::Region;
use icu_locale_core::{locale, Locale};

use super::Lang;

fn locale_of(lang: Lang) -> Locale {
    match lang {
        Lang::En => locale!("en"),
        Lang::Fr => locale!("fr"),
        Lang::Km => locale!("km"),
    }
}

/// Every country as (ISO code, name in the language), sorted by that language's rules.
pub struct Names {
    sorted: Vec<(&'static str, String)>,
}

impl Names {
    fn build(lang: Lang) -> Names {
        let display =
            RegionDisplayNames::try_new(locale_of(lang).into(), DisplayNamesOptions::default())
                .expect("compiled CLDR data has region names for en, fr and km");
        let collator = Collator::try_new(locale_of(lang).into(), CollatorOptions::default())
            .expect("compiled CLDR data has collation for en, fr and km");
        let mut sorted: Vec<(&'static str, String)> = crate::domain::country::all_codes()
            .map(|code| {
                let name = Region::try_from_str(code)
                    .ok()
                    .and_then(|region| display.of(region))
                    .map_or_else(
                        || crate::domain::country::name_of(code).to_string(),
                        str::to_string,
                    );
                (code, name)
            })
            .collect();
        sorted.sort_by(|a, b| collator.compare(&a.1, &b.1));
        Names { sorted }
    }

    pub fn sorted(&self) -> &[(&'static str, String)] {
        &self.sorted
    }

    /// The name of `code`, or the code itself when it is not a country.
    pub fn of<'a>(&'a self, code: &'a str) -> &'a str {
        self.sorted
            .iter()
            .find(|(c, _)| c.eq_ignore_ascii_case(code))
            .map_or(code, |(_, name)| name.as_str())
    }
}

/// The names in `lang`, built once per language for the life of the process.
pub fn names(lang: Lang) -> &'static Names {
    static ALL: [OnceLock<Names>; 3] = [OnceLock::new(), OnceLock::new(), OnceLock::new()];
    ALL[lang as usize].get_or_init(|| Names::build(lang))
}

/// The name of `code` in the language of the request being served.
pub fn country_name(code: &str) -> &str {
    names(super::current()).of(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_current_and_in_each_language() {
        assert_eq!(names(Lang::En).of("SZ"), "Eswatini");
        assert_eq!(names(Lang::En).of("MK"), "North Macedonia");
        assert_eq!(names(Lang::Fr).of("KH"), "Cambodge");
        assert_eq!(names(Lang::Fr).of("DE"), "Allemagne");
        assert_eq!(names(Lang::Km).of("KH"), "កម្ពុជា");
        assert_eq!(names(Lang::Km).of("FR"), "បារាំង");
        assert_eq!(names(Lang::Fr).of("ZZ"), "ZZ");
    }

    #[test]
    fn the_list_is_sorted_by_the_language_not_by_bytes() {
        let french: Vec<&str> = names(Lang::Fr)
            .sorted()
            .iter()
            .map(|(_, n)| n.as_str())
            .collect();
        let egypt = french.iter().position(|n| *n == "Égypte").unwrap();
        let zambia = french.iter().position(|n| *n == "Zambie").unwrap();
        let estonia = french.iter().position(|n| *n == "Estonie").unwrap();
        assert!(
            egypt < estonia && estonia < zambia,
            "É sorts with E, not after Z"
        );
        for lang in Lang::ALL {
            assert_eq!(
                names(lang).sorted().len(),
                crate::domain::country::all_codes().count()
            );
        }
    }
}
