//! Email addresses: checked with `validator`, at most 254 characters, kept as typed
//! (trimmed) for sending, and compared through a canonical form so that one person signs
//! once: lower-cased, `+tag` removed, dots removed for gmail.com / googlemail.com.

use validator::ValidateEmail as _;

use super::FieldError;
use crate::i18n::Msg;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    address: String,
    canonical: String,
}

impl Email {
    pub const MAX_LEN: usize = 254;

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let address = raw.trim();
        if address.is_empty() {
            return Err(FieldError(Msg::ErrEmailMissing));
        }
        if address.len() > Self::MAX_LEN {
            return Err(FieldError(Msg::ErrEmailTooLong));
        }
        if address.chars().any(char::is_control)
            || !address.validate_email()
            || !has_public_domain(address)
        {
            return Err(FieldError(Msg::ErrEmailInvalid));
        }
        Ok(Self {
            canonical: canonical(address),
            address: address.to_string(),
        })
    }

    /// As typed (trimmed): where mail is sent.
    pub fn as_str(&self) -> &str {
        &self.address
    }

    /// The form duplicates are found on.
    pub fn canonical(&self) -> &str {
        &self.canonical
    }

    /// The domain, lower-cased (for block lists).
    pub fn domain(&self) -> &str {
        self.canonical.rsplit_once('@').map_or("", |(_, d)| d)
    }
}

/// A domain mail can reach from outside: a name with at least two labels, not an
/// address literal (`x@[127.0.0.1]`) nor a single label (`x@localhost`).
fn has_public_domain(address: &str) -> bool {
    let domain = address.rsplit_once('@').map_or("", |(_, d)| d);
    let labels: Vec<&str> = domain.trim_end_matches('.').split('.').collect();
    !domain.starts_with('[')
        && labels.len() >= 2
        && labels.iter().all(|l| !l.is_empty())
        && labels
            .last()
            .is_some_and(|tld| !tld.chars().all(|c| c.is_ascii_digit()))
}

fn canonical(address: &str) -> String {
    let lower = address.to_lowercase();
    let Some((local, domain)) = lower.rsplit_once('@') else {
        return lower;
    };
    let local = local.split_once('+').map_or(local, |(base, _)| base);
    match domain {
        "gmail.com" | "googlemail.com" => format!("{}@gmail.com", local.replace('.', "")),
        _ => format!("{local}@{domain}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equivalent_addresses_share_one_canonical_form() {
        let forms = [
            "Sok.Dara@Gmail.com",
            "  sokdara+petition@gmail.com ",
            "s.o.k.d.a.r.a@googlemail.com",
        ];
        for form in forms {
            assert_eq!(
                Email::parse(form).unwrap().canonical(),
                "sokdara@gmail.com",
                "{form}"
            );
        }
        assert_eq!(
            Email::parse("First.Last+x@Example.ORG")
                .unwrap()
                .canonical(),
            "first.last@example.org"
        );
        assert_eq!(Email::parse(" A@b.org ").unwrap().as_str(), "A@b.org");
    }

    #[test]
    fn malformed_and_oversized_addresses_are_refused() {
        for bad in [
            "",
            "   ",
            "no-at-sign",
            "a@",
            "@b.org",
            "a b@c.org",
            "a@b.org\r\nBcc: x@y.org",
            "x@[127.0.0.1]",
            "x@[IPv6:::1]",
            "x@localhost",
            "x@127.0.0.1",
            "x@example..org",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?}");
        }
        let long = format!("{}@example.org", "a".repeat(250));
        assert!(Email::parse(&long).is_err());
    }
}
