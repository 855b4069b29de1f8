//! Target lists from CSV, in either column set docs/CONTRACT.md names (told apart by the header):
//! Clarion's own, or the European Parliament MEP list's. Every row is checked; one bad row
//! rejects the whole file, and each error names its file line (the header is line 1).

use std::collections::HashSet;

use super::country::Country;
use super::email::Email;

pub const CLARION_COLUMNS: [&str; 8] = [
    "external_id",
    "name",
    "role",
    "country_code",
    "political_group",
    "party",
    "email",
    "constituency",
];
pub const MEP_COLUMNS: [&str; 9] = [
    "ep_id",
    "first_name",
    "last_name",
    "country_code",
    "country",
    "political_group",
    "national_party",
    "email",
    "profile_url",
];

/// One valid target of a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetRow {
    pub external_id: String,
    pub name: String,
    pub role: String,
    pub country_code: String,
    pub political_group: String,
    pub party: String,
    pub email: String,
    pub constituency: String,
    pub profile_url: String,
}

/// Every problem found, each as "line N: reason".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvErrors(pub Vec<String>);

impl std::fmt::Display for CsvErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.join("\n"))
    }
}

/// At most this many errors are listed; the rest are counted.
pub const MAX_LISTED_ERRORS: usize = 50;

/// Errors as they are found: the first [`MAX_LISTED_ERRORS`] kept, the others counted, so
/// a file of bad rows cannot make a huge page.
#[derive(Default)]
struct Found {
    listed: Vec<String>,
    more: usize,
}

impl Found {
    fn push(&mut self, error: String) {
        if self.listed.len() < MAX_LISTED_ERRORS {
            self.listed.push(error);
        } else {
            self.more += 1;
        }
    }

    fn is_empty(&self) -> bool {
        self.listed.is_empty()
    }

    fn into_errors(mut self) -> CsvErrors {
        if self.more > 0 {
            let s = if self.more == 1 { "" } else { "s" };
            self.listed
                .push(format!("… and {} more error{s} not listed", self.more));
        }
        CsvErrors(self.listed)
    }
}

/// A typed value as an error quotes it: its first 40 characters.
fn shown(value: &str) -> String {
    const MAX: usize = 40;
    match value.char_indices().nth(MAX) {
        Some((end, _)) => format!("{}…", &value[..end]),
        None => value.to_string(),
    }
}

enum Format {
    Clarion,
    Mep,
}

/// Reads a whole CSV file (UTF-8, with or without a byte-order mark).
pub fn parse(bytes: &[u8]) -> Result<Vec<TargetRow>, CsvErrors> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1;
        CsvErrors(vec![format!("line {line}: the file is not UTF-8 text")])
    })?;
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| CsvErrors(vec![format!("line 1: {e}")]))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let has = |cols: &[&str]| cols.iter().all(|c| header.iter().any(|h| h == c));
    let format = if has(&CLARION_COLUMNS) {
        Format::Clarion
    } else if has(&MEP_COLUMNS) {
        Format::Mep
    } else {
        return Err(CsvErrors(vec![format!(
            "line 1: the header must name the columns {} or {}",
            CLARION_COLUMNS.join(","),
            MEP_COLUMNS.join(",")
        )]));
    };
    let index = |name: &str| header.iter().position(|h| h == name).unwrap_or(0);
    let mut rows = Vec::new();
    let mut errors = Found::default();
    let mut seen = HashSet::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                errors.push(format!("line {line}: {e}"));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        let get = |name: &str| record.get(index(name)).unwrap_or("").trim().to_string();
        let row = match format {
            Format::Clarion => TargetRow {
                external_id: get("external_id"),
                name: get("name"),
                role: get("role"),
                country_code: get("country_code"),
                political_group: get("political_group"),
                party: get("party"),
                email: get("email"),
                constituency: get("constituency"),
                profile_url: String::new(),
            },
            Format::Mep => TargetRow {
                external_id: get("ep_id"),
                name: format!("{} {}", get("first_name"), get("last_name"))
                    .trim()
                    .to_string(),
                role: "Member of the European Parliament".into(),
                country_code: get("country_code"),
                political_group: get("political_group"),
                party: get("national_party"),
                email: get("email"),
                constituency: String::new(),
                profile_url: get("profile_url"),
            },
        };
        match check(row, &mut seen) {
            Ok(row) => rows.push(row),
            Err(reasons) => {
                for reason in reasons {
                    errors.push(format!("line {line}: {reason}"));
                }
            }
        }
    }
    if rows.is_empty() && errors.is_empty() {
        errors.push("line 2: the file has no targets".into());
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors.into_errors())
    }
}

fn check(mut row: TargetRow, seen: &mut HashSet<String>) -> Result<TargetRow, Vec<String>> {
    let mut reasons = Vec::new();
    let control = |s: &str| s.chars().any(char::is_control);
    if row.external_id.is_empty() || row.external_id.len() > 100 {
        reasons.push("the id must have 1 to 100 characters".to_string());
    } else if !seen.insert(row.external_id.clone()) {
        reasons.push(format!("the id {} appears twice", shown(&row.external_id)));
    }
    if row.name.is_empty() || row.name.chars().count() > 200 || control(&row.name) {
        reasons.push("the name must have 1 to 200 printable characters".to_string());
    }
    match Country::parse(&row.country_code) {
        Ok(country) => row.country_code = country.code().to_string(),
        Err(_) => reasons.push(format!(
            "'{}' is not an ISO 3166-1 country code",
            shown(&row.country_code)
        )),
    }
    match Email::parse(&row.email) {
        Ok(email) => row.email = email.as_str().to_string(),
        Err(_) => reasons.push(format!("'{}' is not an email address", shown(&row.email))),
    }
    for (what, value) in [
        ("role", &row.role),
        ("group", &row.political_group),
        ("party", &row.party),
        ("constituency", &row.constituency),
        ("profile URL", &row.profile_url),
    ] {
        if value.chars().count() > 300 || control(value) {
            reasons.push(format!(
                "the {what} must have at most 300 printable characters"
            ));
        }
    }
    if reasons.is_empty() {
        Ok(row)
    } else {
        Err(reasons)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_column_sets_are_read() {
        let ours = "external_id,name,role,country_code,political_group,party,email,constituency\n\
                    a1,Anna Example,MEP,fr,Renew,,anna@example.org,\n";
        let rows = parse(ours.as_bytes()).unwrap();
        assert_eq!(rows[0].country_code, "FR");
        let mep = "\u{FEFF}ep_id,first_name,last_name,country_code,country,political_group,national_party,email,profile_url\n\
                   1,Mika,AALTOLA,FI,Finland,EPP,,mika@example.org,https://example.org/1\n";
        let rows = parse(mep.as_bytes()).unwrap();
        assert_eq!(
            (rows[0].name.as_str(), rows[0].external_id.as_str()),
            ("Mika AALTOLA", "1")
        );
    }

    #[test]
    fn a_file_of_bad_rows_lists_fifty_errors_and_counts_the_rest() {
        let mut text = CLARION_COLUMNS.join(",") + "\n";
        let long = "x".repeat(10_000);
        for i in 0..1_000 {
            text.push_str(&format!("a{i},Anna,,{long},,,anna@example.org,\n"));
        }
        let errors = parse(text.as_bytes()).unwrap_err().0;
        assert_eq!(errors.len(), MAX_LISTED_ERRORS + 1);
        assert_eq!(
            errors[MAX_LISTED_ERRORS],
            "… and 950 more errors not listed"
        );
        assert!(errors[0].starts_with("line 2: 'xxxx"), "{}", errors[0]);
        assert!(
            errors.iter().all(|e| e.chars().count() < 120),
            "{}",
            errors[0]
        );
    }

    #[test]
    fn every_bad_row_is_reported_with_its_file_line() {
        let text = "external_id,name,role,country_code,political_group,party,email,constituency\n\
                    a1,Anna,,FR,,,anna@example.org,\n\
                    a2,,,XX,,,not-an-email,\n\
                    a1,Again,,FR,,,again@example.org,\n";
        let errors = parse(text.as_bytes()).unwrap_err().0;
        assert!(errors
            .iter()
            .any(|e| e.starts_with("line 3:") && e.contains("name")));
        assert!(errors
            .iter()
            .any(|e| e.starts_with("line 3:") && e.contains("'XX'")));
        assert!(errors
            .iter()
            .any(|e| e.starts_with("line 3:") && e.contains("not-an-email")));
        assert!(errors
            .iter()
            .any(|e| e.starts_with("line 4:") && e.contains("twice")));
        assert!(parse(b"foo,bar\n1,2\n").unwrap_err().0[0].starts_with("line 1:"));
        assert!(parse(
            b"external_id,name,role,country_code,political_group,party,email,constituency\n\xff\n"
        )
        .is_err());
    }
}
