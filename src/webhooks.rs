//! Webhook delivery (issue 27): a thread that tries due deliveries every second, as the
//! Standard Webhooks specification says (`webhook-id`, `webhook-timestamp`,
//! `webhook-signature`; 15 s per try; only a 2xx delivers; 410 disables the endpoint).
//! Unless private addresses are allowed, a name is resolved here and refused when any of
//! its addresses is not public, and the connection goes to the addresses checked: a
//! partner's DNS cannot point Clarion at its own network. Redirects are not followed.

use std::net::SocketAddr;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::Arc;
use std::time::Duration;

use crate::db::webhooks::queue::{self, Claimed, Outcome};
use crate::db::{self, Pool};
use crate::domain::partner::AllowPrivate;
use crate::domain::{sealed, webhook};

const BATCH: i64 = 20;
const POLL: Duration = Duration::from_secs(1);

/// Runs until every sender of `alive` is gone (the server stopped).
pub fn spawn(
    pool: Pool,
    secret: Vec<u8>,
    allow: AllowPrivate,
    alive: Receiver<()>,
) -> std::thread::JoinHandle<()> {
    std::thread::Builder::new()
        .name("webhooks".into())
        .spawn(move || {
            // Made at the first delivery: a site without webhooks never pays for an HTTP
            // client with its TLS roots (about 18 MB resident at rest otherwise).
            let mut sender: Option<(tokio::runtime::Runtime, reqwest::Client)> = None;
            loop {
                let claimed = claim(&pool);
                if !claimed.is_empty() {
                    let (runtime, client) = sender.get_or_insert_with(|| {
                        let runtime = tokio::runtime::Builder::new_current_thread()
                            .enable_all()
                            .build()
                            .expect("a runtime for webhook deliveries");
                        (runtime, client(allow).expect("an HTTP client for webhooks"))
                    });
                    runtime.block_on(deliver(&pool, client, &secret, allow, claimed));
                }
                match alive.recv_timeout(POLL) {
                    Ok(()) | Err(RecvTimeoutError::Timeout) => {}
                    Err(RecvTimeoutError::Disconnected) => break,
                }
            }
        })
        .expect("the webhooks thread starts")
}

fn client(allow: AllowPrivate) -> reqwest::Result<reqwest::Client> {
    let builder = reqwest::Client::builder()
        .timeout(webhook::TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        // A fresh connection for every try: an endpoint that closed a kept one would fail
        // the next try, and each try's name is checked again after DNS.
        .pool_max_idle_per_host(0)
        .user_agent(concat!("Clarion-Webhooks/", env!("CARGO_PKG_VERSION")));
    match allow.0 {
        true => builder.build(),
        false => builder.dns_resolver(Arc::new(PublicOnly)).build(),
    }
}

/// Resolves a name and gives its addresses only when every one of them is public.
struct PublicOnly;

impl reqwest::dns::Resolve for PublicOnly {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_string();
        Box::pin(async move {
            let found: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            if let Some(bad) = found.iter().find(|a| !webhook::is_public(a.ip())) {
                let refused = format!(
                    "{host} leads to {}, which is not a public address",
                    bad.ip()
                );
                return Err(refused.into());
            }
            if found.is_empty() {
                return Err(format!("{host} has no address").into());
            }
            Ok(Box::new(found.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

/// What is due now, claimed for this node (nothing when the database fails: logged).
fn claim(pool: &Pool) -> Vec<Claimed> {
    let claimed = pool
        .get()
        .map_err(db::DbError::from)
        .and_then(|mut conn| queue::claim(&mut conn, BATCH, db::now()));
    claimed.unwrap_or_else(|e| {
        tracing::warn!(error = %e, "webhook deliveries could not be claimed");
        Vec::new()
    })
}

/// Tries each claimed delivery at once and records how each ended.
async fn deliver(
    pool: &Pool,
    client: &reqwest::Client,
    secret: &[u8],
    allow: AllowPrivate,
    claimed: Vec<Claimed>,
) {
    let mut tries = tokio::task::JoinSet::new();
    for delivery in claimed {
        let (client, secret) = (client.clone(), secret.to_vec());
        tries.spawn(async move {
            let outcome = attempt(&client, &secret, &delivery, allow).await;
            (delivery, outcome)
        });
    }
    while let Some(Ok((delivery, outcome))) = tries.join_next().await {
        let recorded = pool
            .get()
            .map_err(db::DbError::from)
            .and_then(|mut conn| queue::record(&mut conn, &delivery, &outcome, db::now()));
        if let Err(e) = recorded {
            tracing::warn!(error = %e, delivery = %delivery.id, "a webhook delivery's outcome was not recorded");
        }
        crate::telemetry::metrics::webhook(matches!(outcome, Outcome::Delivered(_)));
        if let Outcome::Failed { status, error } = &outcome {
            tracing::info!(delivery = %delivery.id, ?status, error = %error, "webhook delivery failed");
        }
    }
}

/// One try of `delivery`.
async fn attempt(
    client: &reqwest::Client,
    site_secret: &[u8],
    delivery: &Claimed,
    allow: AllowPrivate,
) -> Outcome {
    let failed = |error: String| Outcome::Failed {
        status: None,
        error,
    };
    let url = match webhook::deliverable(&delivery.url, allow) {
        Ok(url) => url,
        Err(refused) => return failed(refused),
    };
    let now = chrono::Utc::now().timestamp();
    let purpose = crate::db::webhooks::secret_purpose(&delivery.endpoint_id);
    let Some(secret) = sealed::open::<String>(site_secret, &purpose, &delivery.secret_sealed, now)
    else {
        return failed("The endpoint's secret cannot be opened with this site's key.".into());
    };
    let body = delivery.body.clone().into_bytes();
    let Some(signature) = webhook::signature(&secret, &delivery.id, now, &body) else {
        return failed("The endpoint's secret is malformed.".into());
    };
    let sent = client
        .post(url)
        .header("content-type", "application/json")
        .header("webhook-id", &delivery.id)
        .header("webhook-timestamp", now.to_string())
        .header("webhook-signature", signature)
        .body(body)
        .send()
        .await;
    match sent {
        Ok(answer) if answer.status().is_success() => Outcome::Delivered(answer.status().as_u16()),
        Ok(answer) if answer.status().as_u16() == 410 => Outcome::Gone,
        Ok(answer) => Outcome::Failed {
            status: Some(answer.status().as_u16()),
            error: format!("The endpoint answered {}.", answer.status()),
        },
        Err(e) => failed(reason(&e)),
    }
}

/// The innermost cause, which says what happened (a refused address, a timeout).
fn reason(error: &reqwest::Error) -> String {
    if error.is_timeout() {
        return "No answer within 15 seconds.".into();
    }
    let mut cause: &dyn std::error::Error = error;
    while let Some(inner) = cause.source() {
        cause = inner;
    }
    format!("Not delivered: {cause}")
}

/// Adds an endpoint with a new secret, sealed under the site's key; answers the secret
/// (`whsec_…`) to show once. Shared by the admin and `clarion webhook add`.
pub fn add_endpoint(
    conn: &mut db::DbConnection,
    staff_id: Option<&str>,
    site_secret: &[u8],
    (partner_id, url, events): (&str, &url::Url, &[String]),
) -> Result<String, db::DbError> {
    let secret = webhook::new_secret();
    let seal = |id: &str| {
        let purpose = crate::db::webhooks::secret_purpose(id);
        sealed::seal(site_secret, &purpose, &secret, i64::MAX)
    };
    crate::db::webhooks::add(conn, staff_id, (partner_id, url.as_str(), events), seal)?;
    Ok(secret)
}
