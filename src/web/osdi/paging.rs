//! The signatures collection's query: `filter=modified_date gt '…'` (and `lt`, joined
//! by `and`) and the opaque `cursor` that `_links.next` carries: the last row's
//! (`updated_at`, `id`), so the next page starts after it without counting rows.

use base64::Engine as _;
use chrono::{DateTime, NaiveDate, NaiveDateTime};

use crate::db::osdi::Window;

const MAX_FILTER: usize = 200;

/// The query's pairs; the first of a repeated name wins.
pub(super) fn query(req: &actix_web::HttpRequest) -> Vec<(String, String)> {
    form_urlencoded::parse(req.query_string().as_bytes())
        .into_owned()
        .collect()
}

pub(super) fn first<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// The window a query asks for; `Err` says what is wrong with it.
pub fn window(filter: Option<&str>, cursor: Option<&str>) -> Result<Window, String> {
    let mut window = Window::default();
    if let Some(filter) = filter.map(str::trim).filter(|f| !f.is_empty()) {
        if filter.len() > MAX_FILTER {
            return Err("The filter is too long.".into());
        }
        for clause in split_and(filter) {
            let (op, at) = clause_of(clause)?;
            match op {
                "gt" => window.modified_after = Some(at),
                _ => window.modified_before = Some(at),
            }
        }
    }
    if let Some(cursor) = cursor.filter(|c| !c.is_empty()) {
        window.after = Some(open_cursor(cursor).ok_or_else(|| {
            "The cursor is not one this API gave; follow _links.next as it is.".to_string()
        })?);
    }
    Ok(window)
}

fn split_and(filter: &str) -> Vec<&str> {
    let mut clauses = Vec::new();
    let mut rest = filter;
    while let Some(at) = rest.find(" and ") {
        clauses.push(rest[..at].trim());
        rest = &rest[at + 5..];
    }
    clauses.push(rest.trim());
    clauses
}

fn clause_of(clause: &str) -> Result<(&'static str, NaiveDateTime), String> {
    let wrong = || {
        format!(
            "The filter {clause:?} is not understood: write modified_date gt '2026-12-01T00:00:00Z' (gt or lt, joined by and)."
        )
    };
    let mut words = clause.splitn(3, ' ');
    let (field, op, value) = (words.next(), words.next(), words.next());
    if field != Some("modified_date") {
        return Err(wrong());
    }
    let op = match op {
        Some("gt") => "gt",
        Some("lt") => "lt",
        _ => return Err(wrong()),
    };
    let value = value
        .map(str::trim)
        .and_then(|v| v.strip_prefix('\''))
        .and_then(|v| v.strip_suffix('\''))
        .ok_or_else(wrong)?;
    Ok((op, date(value).ok_or_else(wrong)?))
}

/// `2026-12-01`, `2026-12-01T10:00:00` (UTC) or RFC 3339 with an offset.
fn date(value: &str) -> Option<NaiveDateTime> {
    if let Ok(at) = DateTime::parse_from_rfc3339(value) {
        return Some(at.naive_utc());
    }
    if let Ok(at) = NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M:%S%.f") {
        return Some(at);
    }
    NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
}

/// The query of the page after the row (`updated_at`, `id`), keeping size and filter.
pub fn next_query(
    per_page: i64,
    filter: Option<&str>,
    updated_at: NaiveDateTime,
    id: &str,
) -> String {
    let mut next = form_urlencoded::Serializer::new(String::new());
    next.append_pair("per_page", &per_page.to_string());
    if let Some(filter) = filter {
        next.append_pair("filter", filter);
    }
    next.append_pair("cursor", &cursor(updated_at, id));
    next.finish()
}

/// The cursor after the row (`updated_at`, `id`).
pub fn cursor(updated_at: NaiveDateTime, id: &str) -> String {
    let micros = updated_at.and_utc().timestamp_micros();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{micros}.{id}"))
}

fn open_cursor(text: &str) -> Option<(NaiveDateTime, String)> {
    if text.len() > 200 {
        return None;
    }
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(text)
        .ok()?;
    let plain = String::from_utf8(bytes).ok()?;
    let (micros, id) = plain.split_once('.')?;
    let at = DateTime::from_timestamp_micros(micros.parse().ok()?)?.naive_utc();
    let well_formed = !id.is_empty()
        && id.len() <= 64
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    well_formed.then(|| (at, id.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_take_dates_in_the_forms_crms_send() {
        let w = window(Some("modified_date gt '2026-12-01T10:00:00Z'"), None).unwrap();
        assert_eq!(w.modified_after.unwrap().to_string(), "2026-12-01 10:00:00");
        let w = window(
            Some("modified_date gt '2026-12-01' and modified_date lt '2026-12-02T01:00:00+01:00'"),
            None,
        )
        .unwrap();
        assert_eq!(w.modified_after.unwrap().to_string(), "2026-12-01 00:00:00");
        assert_eq!(
            w.modified_before.unwrap().to_string(),
            "2026-12-02 00:00:00"
        );
        for bad in [
            "modified_date gt 2026-12-01",
            "created_date gt '2026-12-01'",
            "modified_date eq '2026-12-01'",
            "modified_date gt '<script>'",
            "modified_date gt '2026-13-45'",
            "modified_date",
        ] {
            assert!(window(Some(bad), None).is_err(), "{bad}");
        }
        assert!(window(Some(&"x".repeat(500)), None).is_err());
    }

    #[test]
    fn a_cursor_comes_back_as_the_row_it_names_and_a_forged_one_is_refused() {
        let at = date("2026-12-01T10:00:00.123456Z").unwrap();
        let id = "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
        let w = window(None, Some(&cursor(at, id))).unwrap();
        assert_eq!(w.after, Some((at, id.to_string())));
        for bad in ["%%%", "bm90LWEtY3Vyc29y", "MTIz", &"A".repeat(300)] {
            assert!(window(None, Some(bad)).is_err(), "{bad}");
        }
        let sneaky = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode("1.x' OR 1=1");
        assert!(window(None, Some(&sneaky)).is_err());
    }
}
