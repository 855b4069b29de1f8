//! Existing subscribers as staff import them, with the evidence of their consent: a CSV
//! with the header `email,first_name,country,language,consent_text,consent_version,subscribed_at`
//! (columns in any order). All or nothing: every line's problems are named, and nothing is
//! imported while any remains.

use chrono::NaiveDateTime;

use super::country::Country;
use super::email::Email;
use super::text::{has_stray_control, PersonName};

/// Lines one upload may hold.
pub const MAX_LINES: usize = 100_000;
const REQUIRED: [&str; 7] = [
    "email",
    "first_name",
    "country",
    "language",
    "consent_text",
    "consent_version",
    "subscribed_at",
];

/// One subscriber to import, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    pub email: String,
    pub canonical: String,
    pub first_name: String,
    pub country: String,
    pub language: String,
    pub consent_text: String,
    pub consent_version: String,
    pub subscribed_at: NaiveDateTime,
}

/// A date (`2026-03-01`) or an RFC 3339 instant, as UTC.
fn instant(text: &str) -> Option<NaiveDateTime> {
    chrono::DateTime::parse_from_rfc3339(text)
        .map(|t| t.naive_utc())
        .ok()
        .or_else(|| {
            chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
        })
}

/// The consent evidence: present, one paragraph of plain text.
fn evidence(text: &str, max: usize) -> Option<String> {
    let text = text.trim();
    (!text.is_empty() && text.chars().count() <= max && !has_stray_control(text))
        .then(|| text.to_string())
}

fn row(cell: impl Fn(&str) -> String, now: NaiveDateTime) -> Result<Imported, String> {
    let email = Email::parse(&cell("email")).map_err(|_| "not an email address")?;
    let first_name = PersonName::first(&cell("first_name"))
        .map_err(|_| "a first name is needed (at most 100 characters, plain text)")?;
    let country =
        Country::parse(&cell("country")).map_err(|_| "country must be an ISO code such as FR")?;
    let language = match cell("language").trim() {
        "" => "en".to_string(),
        code @ ("en" | "fr" | "km") => code.to_string(),
        _ => return Err("language must be en, fr or km".into()),
    };
    let consent_text = evidence(&cell("consent_text"), 2_000)
        .ok_or("consent_text must hold the wording agreed to")?;
    let consent_version =
        evidence(&cell("consent_version"), 100).ok_or("consent_version is needed")?;
    let subscribed_at = instant(cell("subscribed_at").trim())
        .filter(|at| *at <= now)
        .ok_or("subscribed_at must be a past date such as 2026-03-01")?;
    Ok(Imported {
        canonical: email.canonical().to_string(),
        email: email.as_str().to_string(),
        first_name: first_name.as_str().to_string(),
        country: country.code().to_string(),
        language,
        consent_text,
        consent_version,
        subscribed_at,
    })
}

/// The subscribers of `bytes`, each address once, or every problem by line.
pub fn parse(bytes: &[u8], now: NaiveDateTime) -> Result<Vec<Imported>, Vec<String>> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Err(vec![
            "The file must be UTF-8 text (save it as CSV UTF-8).".into()
        ]);
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_ascii_lowercase()).collect(),
        Err(_) => return Err(vec!["The first line must name the columns.".into()]),
    };
    let missing: Vec<&str> = REQUIRED
        .into_iter()
        .filter(|c| !header.iter().any(|h| h == c))
        .collect();
    if !missing.is_empty() {
        return Err(vec![format!("Missing columns: {}.", missing.join(", "))]);
    }
    let (mut found, mut errors) = (Vec::<Imported>::new(), Vec::new());
    for (n, record) in reader.records().enumerate() {
        let line = n + 2;
        if n >= MAX_LINES {
            return Err(vec![format!(
                "The file has more than {MAX_LINES} lines; split it."
            )]);
        }
        let Ok(record) = record else {
            errors.push(format!("Line {line}: not readable as CSV."));
            continue;
        };
        let cell = |name: &str| {
            let at = header.iter().position(|h| h == name);
            at.and_then(|i| record.get(i)).unwrap_or("").to_string()
        };
        match row(cell, now) {
            Ok(r) if found.iter().any(|f| f.canonical == r.canonical) => {
                errors.push(format!("Line {line}: this address is in the file twice."));
            }
            Ok(r) => found.push(r),
            Err(e) => errors.push(format!("Line {line}: {e}.")),
        }
    }
    if found.is_empty() && errors.is_empty() {
        errors.push("The file holds no subscribers.".into());
    }
    match errors.is_empty() {
        true => Ok(found),
        false => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str =
        "email,first_name,country,language,consent_text,consent_version,subscribed_at\n";

    #[test]
    fn good_rows_are_read_and_every_bad_line_is_named() {
        let now = crate::db::now();
        let good =
            format!("{HEADER}Sok@Example.org,សុខ,kh,km,Send me the newsletter,v1,2026-03-01\n");
        let rows = parse(good.as_bytes(), now).unwrap();
        assert_eq!(rows[0].canonical, "sok@example.org");
        assert_eq!(rows[0].country, "KH");
        let bad = format!("{HEADER}x,Sok,FR,en,Yes,v1,2026-03-01\na@example.org,Sok,FR,de,Yes,v1,2026-03-01\nb@example.org,Sok,FR,en,,v1,2026-03-01\nc@example.org,Sok,FR,en,Yes,v1,2999-01-01\n");
        let errors = parse(bad.as_bytes(), now).unwrap_err();
        assert_eq!(errors.len(), 4, "{errors:?}");
        assert!(errors[0].starts_with("Line 2: not an email"));
        assert!(errors[3].starts_with("Line 5: subscribed_at"));
        assert!(
            parse(b"email,first_name\nx@example.org,Sok\n", now).unwrap_err()[0]
                .contains("Missing columns")
        );
        let twice = format!("{HEADER}a@example.org,A,FR,en,Yes,v1,2026-03-01\nA@example.org,A,FR,en,Yes,v1,2026-03-01\n");
        assert!(parse(twice.as_bytes(), now).unwrap_err()[0].contains("twice"));
    }
}
