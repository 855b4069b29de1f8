//! Strict reading of form bodies. actix's `web::Form` turns invalid UTF-8 into U+FFFD
//! without a word; the contract asks for a 400 instead, so form posts are read as bytes
//! and decoded here, refusing anything that is not a UTF-8 urlencoded form.

use actix_web::http::header::CONTENT_TYPE;
use actix_web::HttpRequest;
use percent_encoding::percent_decode;

use crate::error::AppError;

/// Decoded `name=value` pairs of an `application/x-www-form-urlencoded` body, in order.
pub fn parse(req: &HttpRequest, body: &[u8]) -> Result<Vec<(String, String)>, AppError> {
    let content_type = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let essence = content_type.split(';').next().unwrap_or("").trim();
    if !essence.eq_ignore_ascii_case("application/x-www-form-urlencoded") {
        return Err(AppError::UnsupportedFormat);
    }
    decode(body).ok_or(AppError::BadForm)
}

/// The first value of field `name` among `pairs` ("" when it is absent).
pub fn value_of<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    let found = pairs.iter().find(|(n, _)| n == name);
    found.map_or("", |(_, v)| v.as_str())
}

/// `None` when a name or value is not valid UTF-8 once percent-decoded.
pub fn decode(body: &[u8]) -> Option<Vec<(String, String)>> {
    body.split(|b| *b == b'&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = match pair.iter().position(|b| *b == b'=') {
                Some(at) => (&pair[..at], &pair[at + 1..]),
                None => (pair, &[][..]),
            };
            Some((field(name)?, field(value)?))
        })
        .collect()
}

fn field(raw: &[u8]) -> Option<String> {
    let spaced: Vec<u8> = raw
        .iter()
        .map(|b| if *b == b'+' { b' ' } else { *b })
        .collect();
    percent_decode(&spaced)
        .decode_utf8()
        .ok()
        .map(|text| text.into_owned())
}

#[cfg(test)]
mod tests {
    use super::decode;

    #[test]
    fn forms_decode_plus_percent_and_unicode() {
        let pairs = decode(b"first_name=%E1%9E%9F%E1%9E%BB%E1%9E%81&comment=a+b%26c&flag").unwrap();
        assert_eq!(pairs[0], ("first_name".into(), "សុខ".into()));
        assert_eq!(pairs[1], ("comment".into(), "a b&c".into()));
        assert_eq!(pairs[2], ("flag".into(), String::new()));
    }

    #[test]
    fn invalid_utf8_is_refused_not_replaced() {
        assert!(decode(b"first_name=%FF%FE").is_none());
        assert!(decode(b"first_name=\xff").is_none());
        assert!(decode(b"%C3=x").is_none());
    }
}

/// What a page says about its form beside the values and errors: a notice for the whole
/// form ("try again in N seconds"), or the "did you mean …?" question about the email.
#[derive(Default)]
pub(crate) struct Said<'a> {
    pub notice: Option<&'a str>,
    pub suggestion: Option<&'a str>,
}
