//! A partner as staff register it: its key (a slug), name, the web origins allowed to
//! frame its embed, and a contact address. Origins are checked here, once, so that a
//! stored origin is always safe to write into a `frame-ancestors` header.

use super::email::Email;
use super::slug::Slug;

/// The most origins one partner may register.
pub const MAX_ORIGINS: usize = 20;
const MAX_NAME: usize = 200;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerInput {
    pub key: Slug,
    pub name: String,
    /// `https://host[:port]`, lower case, without a path.
    pub origins: Vec<String>,
    pub contact_email: String,
}

/// What the operator allows beyond the safe default (`CLARION_WEBHOOK_ALLOW_PRIVATE`):
/// `http`, loopback and IP literals, for tests and private deployments.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AllowPrivate(pub bool);

/// One origin as typed: `https://example.org`, `https://www.example.org:8443`. Refused:
/// other schemes, userinfo, paths, queries, fragments, wildcards, IP literals (unless
/// `allow` says so), and anything a header could be split with.
pub fn parse_origin(raw: &str, allow: AllowPrivate) -> Result<String, String> {
    let typed = raw.trim().trim_end_matches('/');
    let refused = |why: &str| Err(format!("{typed:?} is not an origin: {why}"));
    let Some((scheme, rest)) = typed.split_once("://") else {
        return refused("write it as https://example.org");
    };
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "https" && !(allow.0 && scheme == "http") {
        return refused("it must start with https://");
    }
    if rest.is_empty() || rest.len() > 253 + 6 {
        return refused("the host is missing or too long");
    }
    if rest.contains(['@', '/', '?', '#', '*', ' ', ',', ';', '\\'])
        || rest.chars().any(char::is_control)
    {
        return refused("only a host and an optional port, without a path, user or wildcard");
    }
    let (host, port) = match rest.strip_prefix('[').and_then(|r| r.split_once(']')) {
        // An IPv6 literal: `[::1]` or `[::1]:8080`.
        Some((inside, after)) => match after.strip_prefix(':') {
            Some(port) => (&rest[..inside.len() + 2], Some(port)),
            None if after.is_empty() => (rest, None),
            None => return refused("the port must follow a colon"),
        },
        None => match rest.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (rest, None),
        },
    };
    if let Some(port) = port {
        if port.is_empty() || port.len() > 5 || !port.bytes().all(|b| b.is_ascii_digit()) {
            return refused("the port must be a number");
        }
    }
    let host = host.to_ascii_lowercase();
    let literal = host.starts_with('[') || host.parse::<std::net::Ipv4Addr>().is_ok();
    if literal && !allow.0 {
        return refused("use the site's name, not an IP address");
    }
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    let named = host.split('.').all(label_ok) && (host.contains('.') || allow.0);
    if !literal && !named {
        return refused("the host must be a domain name like example.org");
    }
    if literal
        && !host
            .trim_matches(['[', ']'])
            .bytes()
            .all(|b| b.is_ascii_hexdigit() || b == b'.' || b == b':')
    {
        return refused("the address is malformed");
    }
    Ok(match port {
        Some(port) => format!("{scheme}://{host}:{port}"),
        None => format!("{scheme}://{host}"),
    })
}

impl PartnerInput {
    /// Checks every field; each refused one with its message, by field name.
    pub fn parse(
        key: &str,
        name: &str,
        origins: &str,
        contact_email: &str,
        allow: AllowPrivate,
    ) -> Result<Self, Vec<(&'static str, String)>> {
        let mut errors = Vec::new();
        let key = Slug::parse(key.trim())
            .map_err(|e| errors.push(("key", format!("The key: {e}"))))
            .ok();
        let name = name.trim().to_string();
        if name.is_empty() || name.chars().count() > MAX_NAME || name.chars().any(char::is_control)
        {
            errors.push((
                "name",
                "Enter the partner's name, at most 200 characters, on one line".into(),
            ));
        }
        let mut parsed: Vec<String> = Vec::new();
        for line in origins.lines().filter(|l| !l.trim().is_empty()) {
            match parse_origin(line, allow) {
                Ok(origin) if !parsed.contains(&origin) => parsed.push(origin),
                Ok(_) => {}
                Err(e) => errors.push(("origins", e)),
            }
        }
        if parsed.is_empty() && !errors.iter().any(|(f, _)| *f == "origins") {
            errors.push((
                "origins",
                "Enter at least one origin, like https://example.org".into(),
            ));
        }
        if parsed.len() > MAX_ORIGINS {
            errors.push(("origins", format!("At most {MAX_ORIGINS} origins")));
        }
        // Optional on the command line; the admin form asks for it.
        let contact = match contact_email.trim() {
            "" => Some(String::new()),
            typed => Email::parse(typed)
                .map(|e| e.as_str().to_string())
                .map_err(|_| {
                    errors.push((
                        "contact_email",
                        "Enter the partner's contact email, like name@example.org".into(),
                    ))
                })
                .ok(),
        };
        match (key, contact) {
            (Some(key), Some(contact)) if errors.is_empty() => Ok(Self {
                key,
                name,
                origins: parsed,
                contact_email: contact,
            }),
            _ => Err(errors),
        }
    }
}

/// A `utm_*` value as a stranger's URL gave it, made harmless: control characters
/// dropped, at most 100 characters.
pub fn tracking_value(raw: &str) -> String {
    raw.chars()
        .filter(|c| !c.is_control())
        .take(100)
        .collect::<String>()
        .trim()
        .to_string()
}

/// The three campaign values as one query string, the empty ones left out ("" for none).
pub fn utm_query(values: &[String; 3]) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (name, value) in ["utm_source", "utm_medium", "utm_campaign"]
        .iter()
        .zip(values)
    {
        if !value.is_empty() {
            query.append_pair(name, value);
        }
    }
    query.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_a_scheme_a_host_and_a_port_only() {
        let safe = AllowPrivate(false);
        assert_eq!(
            parse_origin("https://Example.org/", safe).unwrap(),
            "https://example.org"
        );
        assert_eq!(
            parse_origin(" https://www.example.org:8443 ", safe).unwrap(),
            "https://www.example.org:8443"
        );
        for bad in [
            "http://example.org",
            "example.org",
            "https://user:pw@example.org",
            "https://example.org/path",
            "https://example.org?x=1",
            "https://*.example.org",
            "https://127.0.0.1",
            "https://[::1]:8080",
            "https://localhost",
            "https://exa mple.org",
            "https://example.org\r\nSet-Cookie: x",
            "https://example.org;script-src",
            "https://example.org:99999x",
            "javascript://example.org",
            "",
        ] {
            assert!(
                parse_origin(bad, safe).is_err(),
                "{bad:?} should be refused"
            );
        }
        let private = AllowPrivate(true);
        assert_eq!(
            parse_origin("http://127.0.0.1:8080", private).unwrap(),
            "http://127.0.0.1:8080"
        );
        assert_eq!(
            parse_origin("http://localhost:3000", private).unwrap(),
            "http://localhost:3000"
        );
        assert!(parse_origin("http://user@127.0.0.1", private).is_err());
    }
}
