//! A suppression list as staff upload it: a CSV whose first column holds email addresses
//! (a header row `email` is skipped). All or nothing: any line that is not an address is
//! reported with its number, and nothing is imported.

use super::email::Email;

/// Lines one upload may hold.
pub const MAX_LINES: usize = 100_000;

/// The canonical addresses of `bytes`, each once, or every problem found.
pub fn parse(bytes: &[u8]) -> Result<Vec<String>, Vec<String>> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Err(vec![
            "The file must be UTF-8 text (save it as CSV UTF-8).".into()
        ]);
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let (mut found, mut errors) = (Vec::new(), Vec::new());
    for (n, record) in reader.records().enumerate() {
        let line = n + 1;
        if line > MAX_LINES {
            return Err(vec![format!(
                "The file has more than {MAX_LINES} lines; split it."
            )]);
        }
        let Ok(record) = record else {
            errors.push(format!("Line {line}: not readable as CSV."));
            continue;
        };
        let cell = record.get(0).unwrap_or("").trim();
        if cell.is_empty() || (line == 1 && cell.eq_ignore_ascii_case("email")) {
            continue;
        }
        match Email::parse(cell) {
            Ok(email) => found.push(email.canonical().to_string()),
            Err(_) => errors.push(format!("Line {line}: not an email address.")),
        }
    }
    if found.is_empty() && errors.is_empty() {
        errors.push("The file holds no addresses.".into());
    }
    found.sort();
    found.dedup();
    match errors.is_empty() {
        true => Ok(found),
        false => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_read_once_and_every_bad_line_is_named() {
        let good =
            "\u{feff}email,reason\nSok@Example.org,bounce\nsok@example.org\n\nother@example.org\n";
        assert_eq!(
            parse(good.as_bytes()).unwrap(),
            ["other@example.org", "sok@example.org"]
        );
        let bad = "email\n=HYPERLINK(\"x\")\nfine@example.org\nnot an address\n";
        assert_eq!(
            parse(bad.as_bytes()).unwrap_err(),
            [
                "Line 2: not an email address.",
                "Line 4: not an email address."
            ]
        );
        assert!(parse(b"\xff\xfe").unwrap_err()[0].contains("UTF-8"));
        assert!(parse(b"email\n").unwrap_err()[0].contains("no addresses"));
    }
}
