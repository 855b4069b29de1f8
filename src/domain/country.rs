//! Countries: every ISO 3166-1 alpha-2 code (the diaspora lives everywhere), and the 27 EU
//! member states with their seats in the European Parliament for 2024–2029.

use isocountry::CountryCode;

use super::FieldError;
use crate::i18n::Msg;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Country(CountryCode);

impl Country {
    /// A two-letter ISO 3166-1 code, in either case.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let code = raw.trim().to_ascii_uppercase();
        if code.is_empty() {
            return Err(FieldError(Msg::ErrCountryMissing));
        }
        if code.len() != 2 {
            return Err(FieldError(Msg::ErrCountryInvalid));
        }
        CountryCode::for_alpha2(&code)
            .map(Self)
            .map_err(|_| FieldError(Msg::ErrCountryInvalid))
    }

    pub fn code(&self) -> &'static str {
        self.0.alpha2()
    }
}

/// The English name of a stored code (ISO 3166's, for staff pages and exports), or the
/// code itself if unknown. Public pages name countries in their language: `i18n::country_name`.
pub fn name_of(code: &str) -> &str {
    CountryCode::for_alpha2(code).map_or(code, |c| c.name())
}

/// Every ISO 3166-1 alpha-2 code.
pub fn all_codes() -> impl Iterator<Item = &'static str> {
    CountryCode::iter().map(|c| c.alpha2())
}

/// Outermost regions that are part of an EU member state, and so elect its MEPs, though
/// ISO 3166 gives them codes of their own.
const PART_OF_MEMBER_STATE: [(&str, &str); 7] = [
    ("RE", "FR"), // Réunion
    ("GP", "FR"), // Guadeloupe
    ("MQ", "FR"), // Martinique
    ("GF", "FR"), // French Guiana
    ("YT", "FR"), // Mayotte
    ("MF", "FR"), // Saint-Martin
    ("AX", "FI"), // Åland
];

/// Whether `code` is an EU member state.
pub fn is_member_state(code: &str) -> bool {
    EU_MEMBER_STATES
        .iter()
        .any(|(c, _, _)| c.eq_ignore_ascii_case(code))
}

/// The member state whose MEPs represent people living in `code`: itself, the state an
/// outermost region belongs to (Réunion: France), or `None` outside the EU.
pub fn member_state_of(code: &str) -> Option<&'static str> {
    if let Some((c, _, _)) = EU_MEMBER_STATES
        .iter()
        .find(|(c, _, _)| c.eq_ignore_ascii_case(code))
    {
        return Some(c);
    }
    PART_OF_MEMBER_STATE
        .iter()
        .find(|(region, _)| region.eq_ignore_ascii_case(code))
        .map(|(_, state)| *state)
}

/// The EU member states and their seats in the European Parliament (2024–2029),
/// fixed by the European Council's decision of 22 September 2023.
pub const EU_MEMBER_STATES: [(&str, &str, u32); 27] = [
    ("AT", "Austria", 20),
    ("BE", "Belgium", 22),
    ("BG", "Bulgaria", 17),
    ("HR", "Croatia", 12),
    ("CY", "Cyprus", 6),
    ("CZ", "Czechia", 21),
    ("DK", "Denmark", 15),
    ("EE", "Estonia", 7),
    ("FI", "Finland", 15),
    ("FR", "France", 81),
    ("DE", "Germany", 96),
    ("GR", "Greece", 21),
    ("HU", "Hungary", 21),
    ("IE", "Ireland", 14),
    ("IT", "Italy", 76),
    ("LV", "Latvia", 9),
    ("LT", "Lithuania", 11),
    ("LU", "Luxembourg", 6),
    ("MT", "Malta", 6),
    ("NL", "Netherlands", 31),
    ("PL", "Poland", 53),
    ("PT", "Portugal", 21),
    ("RO", "Romania", 33),
    ("SK", "Slovakia", 15),
    ("SI", "Slovenia", 9),
    ("ES", "Spain", 61),
    ("SE", "Sweden", 21),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_iso_code_is_accepted_and_nothing_else() {
        assert_eq!(Country::parse("kh").unwrap().code(), "KH");
        assert_eq!(Country::parse("FR").unwrap().code(), "FR");
        for bad in ["", "XX", "FRA", "F", "EU", "<b>"] {
            assert!(Country::parse(bad).is_err(), "{bad}");
        }
        assert!(all_codes().count() >= 249);
    }

    #[test]
    fn the_parliament_has_720_seats_across_27_states() {
        let seats: u32 = EU_MEMBER_STATES.iter().map(|(_, _, s)| s).sum();
        assert_eq!(seats, 720);
        assert_eq!(
            member_state_of("re"),
            Some("FR"),
            "Réunion elects French MEPs"
        );
        assert_eq!(member_state_of("AX"), Some("FI"));
        assert_eq!(member_state_of("DE"), Some("DE"));
        assert_eq!(member_state_of("KH"), None);
        assert_eq!(all_codes().filter(|c| is_member_state(c)).count(), 27);
        for (code, _, _) in EU_MEMBER_STATES {
            assert!(Country::parse(code).is_ok(), "{code}");
        }
    }

    /// Cross-checks the table against the shared data file when it is present.
    #[test]
    fn seats_match_the_shared_member_state_list() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/data/eu_member_states.csv"
        );
        let Ok(text) = std::fs::read_to_string(path) else {
            eprintln!("SKIPPED seats_match_the_shared_member_state_list: {path} not found");
            return;
        };
        let rows: Vec<_> = text.lines().skip(1).filter(|l| !l.is_empty()).collect();
        assert_eq!(rows.len(), 27);
        for row in rows {
            let cols: Vec<&str> = row.split(',').collect();
            let ours = EU_MEMBER_STATES
                .iter()
                .find(|(c, _, _)| *c == cols[0])
                .expect(cols[0]);
            assert_eq!(ours.2.to_string(), cols[2], "{}", cols[0]);
        }
    }
}
