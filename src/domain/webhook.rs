//! Webhooks as the Standard Webhooks specification has them: the events a partner may
//! take, the endpoint URL rules, the secret (`whsec_…`), the signature of one delivery,
//! the retry schedule, and which addresses a delivery may never reach.

use std::net::IpAddr;
use std::time::Duration;

use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::partner::AllowPrivate;

/// Every event an endpoint may take, as the contract names them.
pub const EVENTS: [&str; 4] = [
    "signature.confirmed",
    "signature.withdrawn",
    "letter.sent",
    "subscriber.unsubscribed",
];
/// The event of a test delivery staff send by hand.
pub const TEST_EVENT: &str = "webhook.test";
const MAX_URL: usize = 2_000;
/// Waits after each failed try, as the specification lists them; after the last, the
/// delivery is given up (ten tries in all, the first at once).
const SCHEDULE: [u64; 9] = [5, 300, 1_800, 7_200, 18_000, 36_000, 50_400, 72_000, 86_400];
/// How long one try may take.
pub const TIMEOUT: Duration = Duration::from_secs(15);

/// The events as typed (one or more of [`EVENTS`]), without repeats.
pub fn parse_events<'a>(typed: impl IntoIterator<Item = &'a str>) -> Result<Vec<String>, String> {
    let mut events: Vec<String> = Vec::new();
    for event in typed.into_iter().map(str::trim).filter(|e| !e.is_empty()) {
        if !EVENTS.contains(&event) {
            let event: String = event.chars().take(60).collect();
            return Err(format!(
                "{event:?} is not an event; choose from {}",
                EVENTS.join(", ")
            ));
        }
        if !events.iter().any(|e| e == event) {
            events.push(event.to_string());
        }
    }
    if events.is_empty() {
        return Err("Choose at least one event".into());
    }
    Ok(events)
}

/// An endpoint as typed: `https://` with a host name, no user or password, no fragment.
/// `allow` admits `http`, loopback names and IP literals (tests, private deployments).
/// Where a name leads is checked again at each delivery, after DNS ([`is_public`]).
pub fn parse_url(typed: &str, allow: AllowPrivate) -> Result<url::Url, String> {
    let typed = typed.trim();
    if typed.is_empty() || typed.len() > MAX_URL {
        return Err("Enter the endpoint's URL, at most 2,000 characters".into());
    }
    let refused = |why: &str| Err(format!("This URL cannot be an endpoint: {why}"));
    let Ok(url) = url::Url::parse(typed) else {
        return refused("write it as https://example.org/hooks");
    };
    match url.scheme() {
        "https" => {}
        "http" if allow.0 => {}
        _ => return refused("it must start with https://"),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return refused("it must not hold a user name or password");
    }
    if url.fragment().is_some() {
        return refused("it must not end with a #fragment");
    }
    match url.host() {
        Some(url::Host::Domain(name)) if name.contains('.') || allow.0 => Ok(url),
        Some(url::Host::Domain(_)) => refused("the host must be a domain name like example.org"),
        Some(_) if allow.0 => Ok(url),
        Some(_) => refused("use the site's name, not an IP address"),
        None => refused("it has no host"),
    }
}

/// The checks again at delivery, for a stored URL: https (unless `allow`), and an IP
/// literal only when public (unless `allow`). A name is checked after DNS, by the
/// delivery's resolver, with [`is_public`].
pub fn deliverable(stored: &str, allow: AllowPrivate) -> Result<url::Url, String> {
    let url = url::Url::parse(stored).map_err(|e| format!("The stored URL is malformed: {e}"))?;
    if allow.0 {
        return Ok(url);
    }
    if url.scheme() != "https" {
        return Err("The endpoint is not https.".into());
    }
    let literal = match url.host() {
        Some(url::Host::Ipv4(ip)) => Some(IpAddr::V4(ip)),
        Some(url::Host::Ipv6(ip)) => Some(IpAddr::V6(ip)),
        _ => None,
    };
    match literal {
        Some(ip) if !is_public(ip) => Err(format!("{ip} is not a public address.")),
        _ => Ok(url),
    }
}

/// A delivery may reach `ip` only when it is a public address: never loopback,
/// private, shared (100.64/10), link-local (where cloud metadata lives), unspecified,
/// multicast or documentation ranges, nor an IPv4 address hidden in an IPv6 one.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || a == 0
                || (a == 100 && (64..128).contains(&b))
                || (a == 192 && b == 0)
                || a >= 240)
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
                || first == 0x2001 && v6.segments()[1] == 0x0db8
                || first == 0x0064
                || first == 0)
        }
    }
}

/// A new secret, shown once: `whsec_` and the base64 of 32 random bytes.
pub fn new_secret() -> String {
    let bytes: [u8; 32] = rand::random();
    format!(
        "whsec_{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )
}

/// `webhook-signature`'s value for one delivery: `v1,` and the base64 HMAC-SHA256, under
/// the secret's decoded bytes, of `{id}.{timestamp}.{body}`. `None`: not a secret.
pub fn signature(secret: &str, id: &str, timestamp: i64, body: &[u8]) -> Option<String> {
    let key = base64::engine::general_purpose::STANDARD
        .decode(secret.strip_prefix("whsec_")?)
        .ok()?;
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).ok()?;
    mac.update(format!("{id}.{timestamp}.").as_bytes());
    mac.update(body);
    let tag = mac.finalize().into_bytes();
    Some(format!(
        "v1,{}",
        base64::engine::general_purpose::STANDARD.encode(tag)
    ))
}

/// The wait before the next try once `failed` tries have failed, with up to a tenth
/// more at random so that endpoints coming back are not all tried at one instant;
/// `None`: give up.
pub fn retry_after(failed: i32) -> Option<Duration> {
    let base = *SCHEDULE.get(usize::try_from(failed).ok()?.checked_sub(1)?)?;
    let jitter = rand::random_range(0..=base * 100);
    Some(Duration::from_millis(base * 1_000 + jitter))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_matches_the_specifications_example() {
        // The example of the Standard Webhooks specification's reference libraries.
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let body = br#"{"test": 2432232314}"#;
        let signed = signature(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1_614_265_330, body);
        assert_eq!(
            signed.as_deref(),
            Some("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        );
        assert_eq!(signature("not-a-secret", "id", 1, b""), None);
    }

    #[test]
    fn the_schedule_is_the_specifications_and_ends() {
        assert!(retry_after(0).is_none(), "the first try is at once");
        let first = retry_after(1).unwrap();
        assert!(first >= Duration::from_secs(5) && first <= Duration::from_millis(5_500));
        let last = retry_after(9).unwrap();
        assert!(last >= Duration::from_secs(86_400));
        assert!(retry_after(10).is_none(), "ten tries, then given up");
    }

    #[test]
    fn urls_need_https_a_name_and_no_user() {
        let strict = AllowPrivate(false);
        assert!(parse_url("https://crm.example.org/hooks?x=1", strict).is_ok());
        for bad in [
            "http://crm.example.org/hooks",
            "https://user:pw@crm.example.org/",
            "https://127.0.0.1/hooks",
            "https://[::1]/hooks",
            "https://localhost/hooks",
            "https://crm.example.org/#x",
            "ftp://crm.example.org/",
            "",
            "javascript:alert(1)",
        ] {
            assert!(parse_url(bad, strict).is_err(), "{bad}");
        }
        assert!(parse_url("http://127.0.0.1:9/h", AllowPrivate(true)).is_ok());
        assert!(parse_url(&format!("https://a.org/{}", "x".repeat(2_000)), strict).is_err());
    }

    #[test]
    fn private_and_metadata_addresses_are_not_public() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
        ] {
            assert!(!is_public(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["93.184.216.34", "2606:2800:220:1::1"] {
            assert!(is_public(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn events_are_the_contracts_four() {
        assert_eq!(
            parse_events(["signature.confirmed", " letter.sent", "signature.confirmed"]),
            Ok(vec!["signature.confirmed".into(), "letter.sent".into()])
        );
        assert!(parse_events(["signature.*"]).is_err());
        assert!(parse_events([""]).is_err());
    }
}
