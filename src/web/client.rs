//! The client's address: the socket peer, unless that peer is a trusted proxy, in which
//! case the right-most address in the one forwarding header those proxies set
//! (`CLARION_PROXY_HEADER`: `X-Forwarded-For` by default, or `Forwarded`) that is not
//! itself a trusted proxy. The other header is never read: a proxy that appends only to
//! `X-Forwarded-For` passes a client's own `Forwarded` through untouched. A forged header
//! from anyone else changes nothing. (actix-web's `realip_remote_addr()` believes any
//! peer, so it is not used.)

use std::net::IpAddr;

use actix_web::dev::ServiceRequest;
use actix_web::HttpRequest;
use ipnet::IpNet;

pub use crate::config::ProxyHeader;

/// The proxies whose forwarding header is believed, and which header that is.
#[derive(Debug, Clone, Default)]
pub struct Proxies {
    pub nets: Vec<IpNet>,
    pub header: ProxyHeader,
}

/// The key that quotas and the per-address hold rule count by: an IPv4 address as it is
/// (an IPv4-mapped IPv6 address as IPv4), an IPv6 address by its /64, the block one
/// subscriber is usually given, so that one line cannot pose as millions of clients.
pub fn quota_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let mut octets = v6.octets();
                octets[8..].fill(0);
                IpAddr::from(octets)
            }
        },
    }
}

fn trusted(ip: &IpAddr, proxies: &[IpNet]) -> bool {
    proxies.iter().any(|net| net.contains(ip))
}

/// `for=` addresses of `Forwarded` headers (RFC 7239), nearest hop last.
fn forwarded_for(headers: &actix_web::http::header::HeaderMap) -> Vec<IpAddr> {
    let mut chain = Vec::new();
    for value in headers.get_all("forwarded") {
        for element in value.to_str().unwrap_or("").split(',') {
            for pair in element.split(';') {
                let Some((key, value)) = pair.split_once('=') else {
                    continue;
                };
                if key.trim().eq_ignore_ascii_case("for") {
                    let value = value.trim().trim_matches('"');
                    // [v6]:port, v4:port or a bare address.
                    let host = value
                        .strip_prefix('[')
                        .and_then(|v| v.split(']').next())
                        .unwrap_or_else(|| {
                            value
                                .rsplit_once(':')
                                .filter(|(h, _)| !h.contains(':'))
                                .map_or(value, |(h, _)| h)
                        });
                    if let Ok(ip) = host.parse() {
                        chain.push(ip);
                    }
                }
            }
        }
    }
    chain
}

/// Addresses of `X-Forwarded-For` headers, nearest hop last.
fn x_forwarded_for(headers: &actix_web::http::header::HeaderMap) -> Vec<IpAddr> {
    headers
        .get_all("x-forwarded-for")
        .flat_map(|value| value.to_str().unwrap_or("").split(','))
        .filter_map(|a| a.trim().parse::<IpAddr>().ok())
        .collect()
}

/// The client address of a request, given the trusted proxies and their header.
pub fn address(req: &HttpRequest, proxies: &Proxies) -> IpAddr {
    let peer = req
        .peer_addr()
        .map_or(IpAddr::from([0, 0, 0, 0]), |a| a.ip());
    if !trusted(&peer, &proxies.nets) {
        return peer;
    }
    let chain = match proxies.header {
        ProxyHeader::XForwardedFor => x_forwarded_for(req.headers()),
        ProxyHeader::Forwarded => forwarded_for(req.headers()),
    };
    chain
        .into_iter()
        .rev()
        .find(|ip| !trusted(ip, &proxies.nets))
        .unwrap_or(peer)
}

pub fn of_service_request(req: &ServiceRequest, proxies: &Proxies) -> IpAddr {
    address(req.request(), proxies)
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn nets(list: &[&str]) -> Proxies {
        via(list, ProxyHeader::XForwardedFor)
    }

    fn via(list: &[&str], header: ProxyHeader) -> Proxies {
        Proxies {
            nets: list.iter().map(|n| n.parse().unwrap()).collect(),
            header,
        }
    }

    #[test]
    fn headers_count_only_behind_a_trusted_proxy() {
        let req = TestRequest::default()
            .peer_addr("203.0.113.9:5000".parse().unwrap())
            .insert_header(("x-forwarded-for", "198.51.100.1"))
            .to_http_request();
        assert_eq!(
            address(&req, &nets(&[])),
            "203.0.113.9".parse::<IpAddr>().unwrap()
        );
        assert_eq!(
            address(&req, &nets(&["10.0.0.0/8"])),
            "203.0.113.9".parse::<IpAddr>().unwrap()
        );
        assert_eq!(
            address(&req, &nets(&["203.0.113.0/24"])),
            "198.51.100.1".parse::<IpAddr>().unwrap()
        );
    }

    #[test]
    fn a_chain_of_proxies_resolves_to_the_rightmost_untrusted_address() {
        let proxies = nets(&["10.0.0.0/8"]);
        let req = TestRequest::default()
            .peer_addr("10.0.0.2:1".parse().unwrap())
            .insert_header(("x-forwarded-for", "6.6.6.6, 198.51.100.7, 10.0.0.5"))
            .to_http_request();
        assert_eq!(
            address(&req, &proxies),
            "198.51.100.7".parse::<IpAddr>().unwrap()
        );
        let req = TestRequest::default()
            .peer_addr("10.0.0.2:1".parse().unwrap())
            .insert_header((
                "forwarded",
                "for=6.6.6.6, for=\"[2001:db8::1]:443\";proto=https, for=10.0.0.9",
            ))
            .to_http_request();
        assert_eq!(
            address(&req, &via(&["10.0.0.0/8"], ProxyHeader::Forwarded)),
            "2001:db8::1".parse::<IpAddr>().unwrap()
        );
    }

    #[test]
    fn only_the_configured_header_is_read_so_a_client_cannot_supply_the_other() {
        // nginx appends the peer to X-Forwarded-For and passes the client's Forwarded on.
        let req = TestRequest::default()
            .peer_addr("10.0.0.2:1".parse().unwrap())
            .insert_header(("forwarded", "for=198.51.100.99"))
            .insert_header(("x-forwarded-for", "203.0.113.5"))
            .to_http_request();
        let real: IpAddr = "203.0.113.5".parse().unwrap();
        assert_eq!(address(&req, &nets(&["10.0.0.0/8"])), real);
        let req = TestRequest::default()
            .peer_addr("10.0.0.2:1".parse().unwrap())
            .insert_header(("forwarded", "for=203.0.113.5"))
            .insert_header(("x-forwarded-for", "198.51.100.99"))
            .to_http_request();
        assert_eq!(
            address(&req, &via(&["10.0.0.0/8"], ProxyHeader::Forwarded)),
            real
        );
    }

    #[test]
    fn ipv6_clients_count_by_their_64_block_and_mapped_v4_as_v4() {
        let key = |s: &str| quota_key(s.parse().unwrap()).to_string();
        assert_eq!(key("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::");
        assert_eq!(key("2001:db8:1:2:ffff:1:2:3"), "2001:db8:1:2::");
        assert_ne!(key("2001:db8:1:3::1"), "2001:db8:1:2::");
        assert_eq!(key("::ffff:192.0.2.7"), "192.0.2.7");
        assert_eq!(key("192.0.2.7"), "192.0.2.7");
    }
}
