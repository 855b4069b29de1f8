//! Rate limits with governor, one keyed limiter per route class, keyed by the client's
//! address (see `client`). `N/PERIOD` lets N requests through at once, then one every
//! PERIOD/N. Pages and the JSON API are limited by middleware, before any other work;
//! the sign, contact and login handlers check first thing, so that a refused form comes
//! back with what was typed.

use std::net::IpAddr;
use std::num::NonZeroU32;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{web, HttpResponse};
use governor::clock::{Clock as _, DefaultClock};
use governor::DefaultKeyedRateLimiter;

use super::{client, AppState};
use crate::config::{Quota, RateLimits};
use crate::i18n::{t_with, Msg};
use crate::views;

/// Client keys one limiter remembers at most (about 100 bytes each).
pub const MAX_CLIENTS: usize = 1_000_000;
/// Where clients beyond [`MAX_CLIENTS`] are counted together.
const OVERFLOW: IpAddr = IpAddr::V6(std::net::Ipv6Addr::UNSPECIFIED);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    Sign,
    Contact,
    Login,
    Export,
    Public,
}

/// Staff work that costs the database a whole scan, limited per staff account: a
/// signature search (`LIKE '%…%'`, a count, an offset) and the delivery report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaffWork {
    Search,
    Report,
}

/// Searches per staff account: 60 at once, then one a second.
const STAFF_SEARCH: Quota = Quota {
    burst: 60,
    period: std::time::Duration::from_secs(60),
};
/// Reports per staff account: 12 at once, then one every 5 seconds.
const STAFF_REPORT: Quota = Quota {
    burst: 12,
    period: std::time::Duration::from_secs(60),
};

pub struct RateLimiters {
    staff_search: DefaultKeyedRateLimiter<String>,
    staff_report: DefaultKeyedRateLimiter<String>,
    sign: Option<DefaultKeyedRateLimiter<IpAddr>>,
    contact: Option<DefaultKeyedRateLimiter<IpAddr>>,
    login: Option<DefaultKeyedRateLimiter<IpAddr>>,
    export: Option<DefaultKeyedRateLimiter<IpAddr>>,
    public: Option<DefaultKeyedRateLimiter<IpAddr>>,
    pub proxies: client::Proxies,
}

fn limiter<K: std::hash::Hash + Eq + Clone>(
    quota: Option<Quota>,
) -> Option<DefaultKeyedRateLimiter<K>> {
    let quota = quota?;
    let burst = NonZeroU32::new(quota.burst)?;
    let every = quota.period / quota.burst;
    governor::Quota::with_period(every)
        .map(|q| DefaultKeyedRateLimiter::keyed(q.allow_burst(burst)))
}

impl RateLimiters {
    pub fn new(limits: &RateLimits, proxies: client::Proxies) -> Self {
        Self {
            staff_search: limiter(Some(STAFF_SEARCH)).expect("a valid quota"),
            staff_report: limiter(Some(STAFF_REPORT)).expect("a valid quota"),
            sign: limiter(limits.sign),
            contact: limiter(limits.contact),
            login: limiter(limits.login),
            export: limiter(limits.export),
            public: limiter(limits.public),
            proxies,
        }
    }

    fn of(&self, class: Class) -> Option<&DefaultKeyedRateLimiter<IpAddr>> {
        match class {
            Class::Sign => self.sign.as_ref(),
            Class::Contact => self.contact.as_ref(),
            Class::Login => self.login.as_ref(),
            Class::Export => self.export.as_ref(),
            Class::Public => self.public.as_ref(),
        }
    }

    /// `Err(seconds)` to wait (at least 1) when `client` is over the class's quota.
    pub fn check(&self, class: Class, client: IpAddr) -> Result<(), u64> {
        let Some(limiter) = self.of(class) else {
            return Ok(());
        };
        let mut key = client::quota_key(client);
        if limiter.len() >= MAX_CLIENTS {
            // Full of clients within their period: until the timer forgets those whose
            // quota refilled (`forget_idle`), every request of this class shares one
            // bucket. Memory stays bounded and a flood of addresses gets one quota
            // (governor cannot tell whether a key is known without counting it).
            key = OVERFLOW;
        }
        limiter.check_key(&key).map_err(|not_until| {
            whole_seconds(not_until.wait_time_from(DefaultClock::default().now()))
        })
    }

    /// `Err(seconds)` to wait (at least 1) when staff member `staff_id` has done too much
    /// of `work` lately.
    pub fn check_staff(&self, work: StaffWork, staff_id: &str) -> Result<(), u64> {
        let limiter = match work {
            StaffWork::Search => &self.staff_search,
            StaffWork::Report => &self.staff_report,
        };
        limiter
            .check_key(&staff_id.to_string())
            .map_err(|not_until| {
                whole_seconds(not_until.wait_time_from(DefaultClock::default().now()))
            })
    }

    /// Forgets clients whose quota has refilled, so memory does not grow with every
    /// address ever seen.
    pub fn forget_idle(&self) {
        for limiter in [
            &self.sign,
            &self.contact,
            &self.login,
            &self.export,
            &self.public,
        ]
        .into_iter()
        .flatten()
        {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
        for limiter in [&self.staff_search, &self.staff_report] {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
    }
}

/// A wait in whole seconds, rounded up, at least one (`Retry-After`).
fn whole_seconds(wait: std::time::Duration) -> u64 {
    (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1)
}

/// The "try again in N seconds" sentence.
pub fn message(wait: u64) -> String {
    t_with(Msg::RateLimited, &[("when", &how_long(wait))])
}

/// A wait as people say it: seconds up to a minute and a half, then whole minutes up to
/// an hour and a half, then whole hours (rounded up, so nobody comes back too early).
pub fn how_long(seconds: u64) -> String {
    let (one, many, n) = match seconds {
        0..=89 => (Msg::OneSecond, Msg::Seconds, seconds),
        90..=5399 => (Msg::OneMinute, Msg::Minutes, seconds.div_ceil(60)),
        _ => (Msg::OneHour, Msg::Hours, seconds.div_ceil(3600)),
    };
    crate::i18n::t_count(one, many, n as i64, &[])
}

/// A 429 with `Retry-After`: JSON for API clients, else a page.
pub fn too_many(wait: u64, json: bool) -> HttpResponse {
    if json {
        return HttpResponse::TooManyRequests()
            .insert_header(("Retry-After", wait.to_string()))
            .json(serde_json::json!({
                "error": "rate_limited",
                "message": message(wait),
                "retry_after": wait,
            }));
    }
    let page = views::errors::page(Msg::RateLimitedTitle, &message(wait));
    super::rate_limited(wait, page)
}

/// Which limiter a request meets in the middleware (`None`: the handler checks, or none).
fn class_of(method: &actix_web::http::Method, path: &str) -> Option<Class> {
    let post = method == actix_web::http::Method::POST;
    if path == "/healthz" || path == "/readyz" || path.starts_with("/static/") {
        return None;
    }
    if post && (path.ends_with("/sign") || path.ends_with("/send") || path == "/admin/login") {
        return None;
    }
    // The join form checks the signing limiter itself. Unsubscribing is never limited:
    // mail providers send one-click unsubscribes for many people from a few addresses.
    let unsubscribe =
        path.contains("/newsletter/unsubscribe/") || path.contains("/updates/unsubscribe/");
    if post && (path.ends_with("/newsletter") || unsubscribe) {
        return None;
    }
    if path.starts_with("/admin/") || path == "/admin" {
        let export =
            path.ends_with(".csv") || path.ends_with("/counts.json") || path.ends_with("/report");
        return export.then_some(Class::Export);
    }
    Some(Class::Public)
}

/// Middleware: public pages, the JSON API and exports meet their limiter first of all.
pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    if let Some(class) = class_of(req.method(), req.path()) {
        if let Some(state) = req.app_data::<web::Data<AppState>>() {
            let ip = client::of_service_request(&req, &state.limits.proxies);
            if let Err(wait) = state.limits.check(class, ip) {
                let json = req.path().starts_with("/api/");
                return Ok(req
                    .into_response(too_many(wait, json))
                    .map_into_right_body());
            }
        }
    }
    Ok(next.call(req).await?.map_into_left_body())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Quota;
    use std::time::Duration;

    #[test]
    fn waits_are_said_in_the_unit_people_use_rounded_up() {
        assert_eq!(how_long(1), "1 second");
        assert_eq!(how_long(89), "89 seconds");
        assert_eq!(how_long(90), "2 minutes");
        assert_eq!(how_long(900), "15 minutes");
        assert_eq!(how_long(3599), "60 minutes");
        assert_eq!(how_long(5400), "2 hours");
    }

    #[test]
    fn a_burst_passes_then_the_client_waits_and_others_do_not() {
        let limits = RateLimits {
            sign: Some(Quota {
                burst: 3,
                period: Duration::from_secs(60),
            }),
            contact: None,
            login: None,
            export: None,
            public: None,
        };
        let limiters = RateLimiters::new(&limits, client::Proxies::default());
        let (a, b): (IpAddr, IpAddr) = ("192.0.2.1".parse().unwrap(), "192.0.2.2".parse().unwrap());
        for _ in 0..3 {
            assert!(limiters.check(Class::Sign, a).is_ok());
        }
        let wait = limiters.check(Class::Sign, a).unwrap_err();
        assert!((1..=20).contains(&wait), "{wait}");
        assert!(limiters.check(Class::Sign, b).is_ok());
        assert!(limiters.check(Class::Contact, a).is_ok(), "off means off");
    }

    #[test]
    fn requests_meet_the_limiter_of_their_class() {
        use actix_web::http::Method;
        assert_eq!(class_of(&Method::GET, "/articles/x"), Some(Class::Public));
        assert_eq!(
            class_of(&Method::GET, "/api/v1/petitions/x"),
            Some(Class::Public)
        );
        assert_eq!(
            class_of(&Method::GET, "/admin/petitions/x/signatures.csv"),
            Some(Class::Export)
        );
        assert_eq!(
            class_of(&Method::GET, "/admin/petitions/x/report"),
            Some(Class::Export)
        );
        assert_eq!(class_of(&Method::GET, "/admin"), None);
        assert_eq!(class_of(&Method::POST, "/petitions/x/sign"), None);
        assert_eq!(class_of(&Method::GET, "/healthz"), None);
        assert_eq!(class_of(&Method::GET, "/readyz"), None);
    }
}
