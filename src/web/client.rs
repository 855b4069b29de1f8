//! The client's address: the socket peer, unless that peer is a trusted proxy, in which
//! case the right-most address in `X-Forwarded-For` / `Forwarded` that is not itself a
//! trusted proxy. A forged header from anyone else changes nothing. (actix-web's
//! `realip_remote_addr()` believes any peer, so it is not used.)

use std::net::IpAddr;

use actix_web::dev::ServiceRequest;
use actix_web::HttpRequest;
use ipnet::IpNet;

fn trusted(ip: &IpAddr, proxies: &[IpNet]) -> bool {
    proxies.iter().any(|net| net.contains(ip))
}

/// Addresses named by the forwarding headers, nearest hop last.
fn forwarded_chain(headers: &actix_web::http::header::HeaderMap) -> Vec<IpAddr> {
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
    if chain.is_empty() {
        for value in headers.get_all("x-forwarded-for") {
            chain.extend(
                value
                    .to_str()
                    .unwrap_or("")
                    .split(',')
                    .filter_map(|a| a.trim().parse::<IpAddr>().ok()),
            );
        }
    }
    chain
}

/// The client address of a request, given the trusted proxy ranges.
pub fn address(req: &HttpRequest, proxies: &[IpNet]) -> IpAddr {
    let peer = req
        .peer_addr()
        .map_or(IpAddr::from([0, 0, 0, 0]), |a| a.ip());
    if !trusted(&peer, proxies) {
        return peer;
    }
    forwarded_chain(req.headers())
        .into_iter()
        .rev()
        .find(|ip| !trusted(ip, proxies))
        .unwrap_or(peer)
}

pub fn of_service_request(req: &ServiceRequest, proxies: &[IpNet]) -> IpAddr {
    address(req.request(), proxies)
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn nets(list: &[&str]) -> Vec<IpNet> {
        list.iter().map(|n| n.parse().unwrap()).collect()
    }

    #[test]
    fn headers_count_only_behind_a_trusted_proxy() {
        let req = TestRequest::default()
            .peer_addr("203.0.113.9:5000".parse().unwrap())
            .insert_header(("x-forwarded-for", "198.51.100.1"))
            .to_http_request();
        assert_eq!(address(&req, &[]), "203.0.113.9".parse::<IpAddr>().unwrap());
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
            address(&req, &proxies),
            "2001:db8::1".parse::<IpAddr>().unwrap()
        );
    }
}
