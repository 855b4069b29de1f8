//! Values of block and allow rules, checked the same way from the command line and the
//! admin page: an email domain, or an address range (a bare address is a range of one).

/// A rule's kind and its value in the form the signing-time check compares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleValue {
    EmailDomain(String),
    Cidr(ipnet::IpNet),
}

impl RuleValue {
    pub fn kind(&self) -> &'static str {
        match self {
            Self::EmailDomain(_) => "email_domain",
            Self::Cidr(_) => "cidr",
        }
    }

    pub fn value(&self) -> String {
        match self {
            Self::EmailDomain(domain) => domain.clone(),
            Self::Cidr(net) => net.to_string(),
        }
    }

    /// `example.org` (or `@example.org`), lower-cased; subdomains match it too.
    pub fn email_domain(text: &str) -> Result<Self, String> {
        let domain = text.trim().trim_start_matches('@').to_lowercase();
        let label_ok = |l: &str| {
            !l.is_empty()
                && l.len() <= 63
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        };
        if domain.len() > 253 || !domain.contains('.') || !domain.split('.').all(label_ok) {
            return Err(format!(
                "'{}' is not an email domain like example.org",
                text.trim()
            ));
        }
        Ok(Self::EmailDomain(domain))
    }

    /// `203.0.113.0/24`, `2001:db8::/32` or one address; host bits are cleared.
    pub fn cidr(text: &str) -> Result<Self, String> {
        let text = text.trim();
        text.parse::<ipnet::IpNet>()
            .or_else(|_| text.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
            .map(|net| Self::Cidr(net.trunc()))
            .map_err(|_| format!("'{text}' is not an address range like 203.0.113.0/24"))
    }

    /// By kind name, as forms send it.
    pub fn parse(kind: &str, text: &str) -> Result<Self, String> {
        match kind {
            "email_domain" => Self::email_domain(text),
            "cidr" => Self::cidr(text),
            _ => Err("choose email domain or address range".into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_and_ranges_are_normalised_and_nonsense_refused() {
        assert_eq!(
            RuleValue::email_domain(" @Spam.Example ").unwrap().value(),
            "spam.example"
        );
        assert_eq!(
            RuleValue::cidr("203.0.113.7/24").unwrap().value(),
            "203.0.113.0/24"
        );
        assert_eq!(
            RuleValue::cidr("2001:db8::1").unwrap().value(),
            "2001:db8::1/128"
        );
        for bad in [
            "", "nodot", "a@b.c", "<b>.org", "x..org", "-a.org", "a b.org",
        ] {
            assert!(RuleValue::email_domain(bad).is_err(), "{bad}");
        }
        for bad in ["", "300.1.1.1", "10.0.0.0/33", "=1+1"] {
            assert!(RuleValue::cidr(bad).is_err(), "{bad}");
        }
    }
}
