//! Rate limits per route class and client address, and the headers every response carries.

use clarion::db::schema::{messages, signatures};
use diesel::prelude::*;

use crate::helpers::{attrs, futures_join_all, html, supporter, texts, TestApp, PETITION};

fn rows(app: &TestApp) -> i64 {
    signatures::table
        .count()
        .get_result(&mut app.conn())
        .unwrap()
}

#[actix_web::test]
async fn a_flood_from_one_address_gets_its_quota_and_polite_429s_and_nothing_more() {
    let app = TestApp::builder()
        .set("CLARION_RATE_SIGN", "3/60s")
        .spawn()
        .await;
    let hidden = app
        .hidden_fields(
            &format!("/petitions/{PETITION}"),
            &format!("/petitions/{PETITION}/sign"),
        )
        .await;
    let url = app.url(&format!("/petitions/{PETITION}/sign"));
    let requests = (0..200).map(|i| {
        let mut pairs: Vec<(String, String)> = hidden.clone();
        for (n, v) in supporter(&format!("flood{i}@example.org")) {
            pairs.push((n.into(), v.into()));
        }
        let request = app.client.post(&url).form(&pairs);
        async move {
            let response = request.send().await.unwrap();
            let retry = response
                .headers()
                .get("retry-after")
                .map(|v| v.to_str().unwrap().parse::<u64>().unwrap());
            (
                response.status().as_u16(),
                retry,
                response.text().await.unwrap(),
            )
        }
    });
    let answers = futures_join_all(requests).await;
    assert_eq!(answers.iter().filter(|a| a.0 == 303).count(), 3);
    let refused: Vec<_> = answers.iter().filter(|a| a.0 == 429).collect();
    assert_eq!(
        refused.len(),
        197,
        "every other answer is a 429, never a 5xx"
    );
    assert!(refused
        .iter()
        .all(|a| a.1.is_some_and(|s| (1..=20).contains(&s))));
    // The 429 is the form again, with what was typed and when to try again.
    let page = html(&refused[0].2);
    assert!(texts(&page, ".notice p")[0].contains("try again in"));
    assert!(attrs(&page, "#email", "value")[0].starts_with("flood"));
    assert_eq!(rows(&app), 3);
}

#[actix_web::test]
async fn behind_a_trusted_proxy_each_client_has_its_own_quota_and_forged_headers_count_for_nothing()
{
    let behind = TestApp::builder()
        .set("CLARION_RATE_PUBLIC", "1/60s")
        .set("CLARION_TRUSTED_PROXIES", "127.0.0.1/32, 10.0.0.0/8")
        .spawn()
        .await;
    let get = |app: &TestApp, forwarded: &'static str| {
        let request = app
            .client
            .get(app.url("/articles"))
            .header("x-forwarded-for", forwarded);
        async move { request.send().await.unwrap().status().as_u16() }
    };
    assert_eq!(get(&behind, "198.51.100.1").await, 200);
    assert_eq!(get(&behind, "198.51.100.1").await, 429);
    assert_eq!(
        get(&behind, "198.51.100.2").await,
        200,
        "another client behind the proxy"
    );
    assert_eq!(
        get(&behind, "6.6.6.6, 198.51.100.3, 10.0.0.7").await,
        200,
        "the right-most untrusted hop"
    );
    assert_eq!(
        get(&behind, "7.7.7.7, 198.51.100.3").await,
        429,
        "the same client, whatever it claims before"
    );

    let direct = TestApp::builder()
        .set("CLARION_RATE_PUBLIC", "1/60s")
        .spawn()
        .await;
    assert_eq!(get(&direct, "198.51.100.1").await, 200);
    assert_eq!(
        get(&direct, "198.51.100.2").await,
        429,
        "from an untrusted peer the header is ignored"
    );
}

#[actix_web::test]
async fn login_contact_export_and_api_limits_each_refuse_beyond_their_quota() {
    let app = TestApp::builder()
        .set("CLARION_RATE_LOGIN", "1/60s")
        .set("CLARION_RATE_CONTACT", "1/60s")
        .set("CLARION_RATE_EXPORT", "1/60s")
        .set("CLARION_RATE_PUBLIC", "40/60s")
        .spawn()
        .await;
    crate::helpers::add_staff(&app, "staff@example.org", "campaigner");
    let client = crate::helpers::logged_in(&app, "staff@example.org").await;
    let again =
        crate::helpers::login(&app, &app.client, "staff@example.org", "wrong password!").await;
    assert_eq!(again.status().as_u16(), 429);
    assert!(again.headers().contains_key("retry-after"));
    assert_eq!(
        attrs(&html(&again.text().await.unwrap()), "#email", "value"),
        ["staff@example.org"]
    );

    let export = |client: reqwest::Client| {
        let url = app.url(&format!("/admin/petitions/{PETITION}/signatures.csv"));
        async move { client.get(url).send().await.unwrap().status().as_u16() }
    };
    assert_eq!(export(client.clone()).await, 200);
    assert_eq!(export(client.clone()).await, 429);

    let page = html(
        &app.get_text("/act/write-to-your-meps-on-cambodia?country=FR", 200)
            .await,
    );
    let mut pairs: Vec<(String, String)> =
        attrs(&page, "form.letter-form input[type=hidden]", "name")
            .into_iter()
            .zip(attrs(&page, "form.letter-form input[type=hidden]", "value"))
            .collect();
    let target = attrs(&page, "input[name=targets]", "value").remove(0);
    for (n, v) in [
        ("targets", target.as_str()),
        ("subject", "Act"),
        ("body", "Please act."),
        ("first_name", "Sok"),
        ("last_name", "Dara"),
        ("email", "sok@example.org"),
    ] {
        pairs.push((n.into(), v.into()));
    }
    let send = || {
        app.client
            .post(app.url("/act/write-to-your-meps-on-cambodia/send"))
            .form(&pairs)
            .send()
    };
    assert_eq!(send().await.unwrap().status().as_u16(), 303);
    let limited = send().await.unwrap();
    assert_eq!(limited.status().as_u16(), 429);
    assert_eq!(
        texts(&html(&limited.text().await.unwrap()), "#body"),
        ["Please act."],
        "the letter is kept"
    );
    let stored: i64 = messages::table.count().get_result(&mut app.conn()).unwrap();
    assert_eq!(stored, 1);

    let mut last = 0;
    for _ in 0..41 {
        last = app
            .get(&format!("/api/v1/petitions/{PETITION}"))
            .await
            .status()
            .as_u16();
    }
    let response = app.get(&format!("/api/v1/petitions/{PETITION}")).await;
    assert_eq!((last, response.status().as_u16()), (429, 429));
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"], "rate_limited");
}

#[actix_web::test]
async fn every_kind_of_response_carries_the_security_headers() {
    let app = TestApp::builder()
        .set("CLARION_RATE_PUBLIC", "12/60s")
        .spawn()
        .await;
    crate::helpers::add_staff(&app, "staff@example.org", "campaigner");
    let client = crate::helpers::logged_in(&app, "staff@example.org").await;
    let big = "x".repeat(64 * 1024);
    let mut responses = vec![
        ("page", app.get("/").await),
        ("redirect", app.get("/admin").await),
        ("error", app.get("/nowhere").await),
        (
            "json",
            app.get(&format!("/api/v1/petitions/{PETITION}")).await,
        ),
        ("static", app.get("/static/clarion.css").await),
        (
            "csv",
            client
                .get(app.url(&format!("/admin/petitions/{PETITION}/signatures.csv")))
                .send()
                .await
                .unwrap(),
        ),
        (
            "too large",
            app.client
                .post(app.url(&format!("/petitions/{PETITION}/sign")))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(big)
                .send()
                .await
                .unwrap(),
        ),
    ];
    let mut last = app.get("/").await;
    while last.status().as_u16() != 429 {
        last = app.get("/").await;
    }
    responses.push(("rate limited", last));
    for (kind, response) in &responses {
        let h = response.headers();
        let csp = h
            .get("content-security-policy")
            .unwrap_or_else(|| panic!("{kind}: no CSP"))
            .to_str()
            .unwrap();
        assert!(
            csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'none'"),
            "{kind}"
        );
        assert_eq!(h["x-content-type-options"], "nosniff", "{kind}");
        assert!(h.contains_key("referrer-policy"), "{kind}");
        assert!(!h.contains_key("server"), "{kind}: no server banner");
        assert!(
            !h.contains_key("strict-transport-security"),
            "{kind}: no HSTS over http"
        );
    }
    assert_eq!(responses[6].1.status().as_u16(), 413);
    let https = TestApp::builder()
        .set("CLARION_BASE_URL", "https://petitions.example.org")
        .spawn()
        .await;
    assert!(https.get("/").await.headers()["strict-transport-security"]
        .to_str()
        .unwrap()
        .contains("max-age="));
}
