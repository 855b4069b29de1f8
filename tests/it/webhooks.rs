//! Webhooks (issue 27): a receiver verifies the Standard Webhooks signature of
//! `signature.confirmed`, answers 500 once and then 200, and sees the same
//! `webhook-id` on both tries; a 410 disables the endpoint; a name that leads to a
//! private address is refused at delivery, after DNS; staff add endpoints (hostile URLs
//! refused), send a test and replay a failed delivery.

use std::time::Duration;

use base64::Engine as _;
use clarion::db::schema::{webhook_deliveries, webhook_endpoints};
use diesel::prelude::*;
use hmac::{Hmac, Mac};
use serde_json::Value;

use crate::helpers::webhooks::{add_webhook, app_with_partner, Received, Receiver};
use crate::helpers::{add_staff, csrf, link_to, logged_in, supporter, texts, TestApp, PETITION};
use crate::partners::add_partner;

/// What a receiver following the specification checks: the signature over
/// `id.timestamp.body` under the secret's bytes, and a timestamp within five minutes.
fn verifies(secret: &str, got: &Received) -> bool {
    let key = base64::engine::general_purpose::STANDARD
        .decode(secret.strip_prefix("whsec_").unwrap())
        .unwrap();
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(&key).unwrap();
    mac.update(format!("{}.{}.", got.id, got.timestamp).as_bytes());
    mac.update(&got.body);
    let expected = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    let fresh = got
        .timestamp
        .parse::<i64>()
        .is_ok_and(|t| (chrono::Utc::now().timestamp() - t).abs() < 300);
    let signed = got
        .signature
        .split(' ')
        .any(|s| s.strip_prefix("v1,") == Some(expected.as_str()));
    fresh && signed
}

async fn sign_shared_and_confirm(app: &TestApp, email: &str) {
    let mut fields = supporter(email);
    fields.extend([("partner", "union"), ("consent_partner", "1")]);
    assert_eq!(app.sign(PETITION, &fields).await.status(), 303);
    let link = link_to(app, email).await;
    assert_eq!(app.client.post(&link).send().await.unwrap().status(), 303);
}

#[actix_web::test]
async fn a_receiver_verifies_the_signature_and_a_retry_after_500_keeps_the_id() {
    let receiver = Receiver::start(vec![500, 200]);
    let app = app_with_partner().await;
    let secret = add_webhook(&app, "union", &receiver.url(), &["signature.confirmed"]);
    sign_shared_and_confirm(&app, "hook@example.org").await;
    let mut unshared = supporter("private@example.org");
    unshared.push(("partner", "union"));
    assert_eq!(app.sign(PETITION, &unshared).await.status(), 303);
    let link = link_to(&app, "private@example.org").await;
    assert_eq!(app.client.post(&link).send().await.unwrap().status(), 303);

    // The first try at once, the second about 5 seconds later.
    let got = receiver.wait_for(2, 20).await;
    assert_eq!(got.len(), 2, "one failed try, one retry: {got:?}");
    assert_eq!(got[0].id, got[1].id, "the id is stable across retries");
    assert!(got[0].id.starts_with("msg_"));
    for one in &got {
        assert!(verifies(&secret, one), "the signature verifies: {one:?}");
        assert!(!verifies(
            "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
            one
        ));
    }
    let body: Value = serde_json::from_slice(&got[1].body).unwrap();
    assert_eq!(body["type"], "signature.confirmed");
    let person = &body["data"]["person"];
    assert_eq!(person["email_addresses"][0]["address"], "hook@example.org");
    assert_eq!(
        body["data"]["clarion:petition"],
        format!("clarion:{PETITION}")
    );
    actix_web::rt::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(
        receiver.got.lock().unwrap().len(),
        2,
        "not shared: not sent; delivered: not again"
    );
    let (status, attempts, kept): (String, i32, String) = webhook_deliveries::table
        .select((
            webhook_deliveries::status,
            webhook_deliveries::attempts,
            webhook_deliveries::body,
        ))
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(
        (status.as_str(), attempts, kept.as_str()),
        ("delivered", 2, "")
    );
}

#[actix_web::test]
async fn a_410_disables_the_endpoint() {
    let receiver = Receiver::start(vec![410]);
    let app = app_with_partner().await;
    add_webhook(&app, "union", &receiver.url(), &["signature.confirmed"]);
    sign_shared_and_confirm(&app, "gone@example.org").await;
    assert_eq!(receiver.wait_for(1, 10).await.len(), 1);
    actix_web::rt::time::sleep(Duration::from_millis(500)).await;
    let disabled: Option<chrono::NaiveDateTime> = webhook_endpoints::table
        .select(webhook_endpoints::disabled_at)
        .first(&mut app.conn())
        .unwrap();
    assert!(disabled.is_some(), "410 disables the endpoint");
    sign_shared_and_confirm(&app, "later@example.org").await;
    actix_web::rt::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(
        receiver.got.lock().unwrap().len(),
        1,
        "nothing more is sent"
    );
}

#[actix_web::test]
async fn a_name_leading_to_a_private_address_is_refused_at_delivery() {
    let receiver = Receiver::start(vec![200]);
    // Private addresses are not allowed here. The name is put straight into the table, as
    // if a public name had been registered and its DNS later pointed at loopback.
    let app = TestApp::spawn().await;
    add_partner(&app, "union", "https://union.example.org");
    let url = format!("https://localhost:{}/hooks", receiver.port);
    add_webhook(&app, "union", &url, &["signature.confirmed"]);
    sign_shared_and_confirm(&app, "ssrf@example.org").await;
    let mut error = String::new();
    for _ in 0..50 {
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
        error = webhook_deliveries::table
            .select(webhook_deliveries::last_error)
            .first(&mut app.conn())
            .unwrap();
        if !error.is_empty() {
            break;
        }
    }
    assert!(
        receiver.got.lock().unwrap().is_empty(),
        "nothing reached it"
    );
    assert!(
        error.contains("127.0.0.1") && error.contains("not a public address"),
        "refused after DNS, saying why: {error}"
    );
}

#[actix_web::test]
async fn staff_add_endpoints_see_the_secret_once_send_a_test_and_replay_a_failure() {
    let receiver = Receiver::start(vec![503, 503, 200]);
    let app = app_with_partner().await;
    add_staff(&app, "admin@example.org", "admin");
    let admin = logged_in(&app, "admin@example.org").await;
    let token = csrf(&app, &admin).await;
    let post = |path: &str, fields: Vec<(&str, String)>| {
        let mut form = vec![("csrf", token.clone())];
        form.extend(fields);
        admin.post(app.url(path)).form(&form).send()
    };
    let hooks = "/admin/partners/union/webhooks";
    for (url, events) in [
        (
            "ftp://union.example.org/x".to_string(),
            vec!["signature.confirmed"],
        ),
        (
            "https://user:pw@union.example.org/x".to_string(),
            vec!["signature.confirmed"],
        ),
        (
            format!("https://union.example.org/{}", "x".repeat(3000)),
            vec!["signature.confirmed"],
        ),
        (
            "javascript:alert(1)".to_string(),
            vec!["signature.confirmed"],
        ),
        ("<script>".to_string(), vec!["signature.confirmed"]),
        (receiver.url(), vec![]),
        (receiver.url(), vec!["signature.*"]),
    ] {
        let mut fields = vec![("url", url.clone())];
        fields.extend(events.iter().map(|e| ("event", e.to_string())));
        let answer = post(hooks, fields).await.unwrap();
        assert_eq!(answer.status(), 422, "{url:.40} {events:?}");
        let page = crate::helpers::html(&answer.text().await.unwrap());
        assert!(!texts(&page, ".error-summary").is_empty(), "{url:.40}");
    }
    let fields = vec![
        ("url", receiver.url()),
        ("event", "signature.confirmed".to_string()),
    ];
    let answer = post(hooks, fields).await.unwrap();
    assert_eq!(answer.status(), 200);
    assert_eq!(answer.headers()["cache-control"], "no-store");
    let page = crate::helpers::html(&answer.text().await.unwrap());
    let shown = texts(&page, "pre.snippet code").join("");
    assert!(shown.starts_with("whsec_"), "the secret, once: {shown}");
    let again = crate::helpers::admin::staff_page(&app, &admin, "/admin/partners/union").await;
    assert!(
        !texts(&again, "body").join("").contains(&shown),
        "never shown again"
    );

    let endpoint: String = webhook_endpoints::table
        .select(webhook_endpoints::id)
        .first(&mut app.conn())
        .unwrap();
    let sent = post(&format!("{hooks}/{endpoint}/test"), vec![])
        .await
        .unwrap();
    assert_eq!(sent.status(), 303);
    let got = receiver.wait_for(1, 10).await;
    let body: Value = serde_json::from_slice(&got[0].body).unwrap();
    assert_eq!(body["type"], "webhook.test");
    // Make the test a failure given up, as after its last try, and replay it.
    diesel::update(webhook_deliveries::table)
        .set((
            webhook_deliveries::status.eq("failed"),
            webhook_deliveries::lease_until.eq(None::<chrono::NaiveDateTime>),
        ))
        .execute(&mut app.conn())
        .unwrap();
    let delivery: String = webhook_deliveries::table
        .select(webhook_deliveries::id)
        .first(&mut app.conn())
        .unwrap();
    let page = crate::helpers::admin::staff_page(&app, &admin, "/admin/partners/union").await;
    assert_eq!(
        texts(&page, "table.deliveries button").join(""),
        "Send again"
    );
    let replay = format!("{hooks}/{endpoint}/deliveries/{delivery}/replay");
    assert_eq!(post(&replay, vec![]).await.unwrap().status(), 303);
    let got = receiver.wait_for(2, 10).await;
    assert_eq!(got.len(), 2, "replayed");
    assert_eq!(got[1].id, delivery, "with the same id");
    let forged = format!("{hooks}/{endpoint}/deliveries/msg_forged/replay");
    assert_eq!(post(&forged, vec![]).await.unwrap().status(), 404);
}

#[actix_web::test]
async fn a_redirect_is_not_followed_and_the_command_line_refuses_what_the_form_does() {
    // The endpoint answers 302 to a second server: Clarion does not follow it.
    let elsewhere = Receiver::start(vec![200]);
    let redirecting = Receiver::start(vec![302]);
    let app = app_with_partner().await;
    add_webhook(&app, "union", &redirecting.url(), &["signature.confirmed"]);
    sign_shared_and_confirm(&app, "moved@example.org").await;
    assert_eq!(redirecting.wait_for(1, 10).await.len(), 1);
    actix_web::rt::time::sleep(Duration::from_millis(500)).await;
    assert!(elsewhere.got.lock().unwrap().is_empty(), "never followed");
    let (status, last): (String, Option<i32>) = webhook_deliveries::table
        .select((webhook_deliveries::status, webhook_deliveries::last_status))
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(
        (status.as_str(), last),
        ("pending", Some(302)),
        "a failure, tried again later"
    );

    // Without CLARION_WEBHOOK_ALLOW_PRIVATE, as on a public site.
    for url in [
        "http://hooks.example.org/x",
        "https://127.0.0.1/x",
        "https://[::1]/x",
        "https://user:secret@hooks.example.org/x",
        "https://hooks/x",
    ] {
        let args = [
            "webhook",
            "add",
            "--partner",
            "union",
            "--url",
            url,
            "--event",
            "letter.sent",
        ];
        let (ok, out, err) = app.cli(&args, &[]);
        assert!(
            !ok && err.contains("cannot be an endpoint"),
            "{url}: {out} {err}"
        );
        assert!(!out.contains("whsec_"), "no secret for a refused URL");
    }
    let args = [
        "webhook",
        "add",
        "--partner",
        "nobody",
        "--url",
        "https://hooks.example.org/x",
    ];
    let (ok, _, err) = app.cli(&[&args[..], &["--event", "letter.sent"]].concat(), &[]);
    assert!(!ok && err.contains("no partner"), "{err}");
    let args = [
        "api-token",
        "create",
        "--partner",
        "union",
        "--scope",
        "admin",
    ];
    let (ok, _, err) = app.cli(&args, &[]);
    assert!(!ok && err.contains("is not a scope"), "{err}");
}
