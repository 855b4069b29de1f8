//! The staff side against a hostile stranger: huge login emails, a stranger failing on
//! purpose, spoofed forwarding headers, IPv6 address hopping, login CSRF, cached staff
//! pages, floods of bad rows, and heavy requests repeated.

use crate::helpers::{
    add_staff, attrs, csrf, html, logged_in, login, login_cookie, texts, TestApp, PASSWORD,
    PETITION,
};

/// An app behind a proxy at 127.0.0.1 that sets `X-Forwarded-For`, with these settings.
async fn behind_proxy(settings: &[(&str, &str)]) -> TestApp {
    let mut builder = TestApp::builder().set("CLARION_TRUSTED_PROXIES", "127.0.0.1/32");
    for (name, value) in settings {
        builder = builder.set(name, value);
    }
    builder.spawn().await
}

/// One login attempt as a fresh browser at client address `ip` (through the proxy):
/// the form, then the POST with its cookie and token.
async fn login_from(app: &TestApp, ip: &str, email: &str, password: &str) -> reqwest::Response {
    let form = app
        .client
        .get(app.url("/admin/login"))
        .header("x-forwarded-for", ip)
        .send()
        .await
        .unwrap();
    let cookie = login_cookie(&form).expect("the login form sets its cookie");
    let token = attrs(
        &html(&form.text().await.unwrap()),
        "input[name=token]",
        "value",
    )
    .remove(0);
    app.client
        .post(app.url("/admin/login"))
        .header("x-forwarded-for", ip)
        .header("cookie", cookie)
        .form(&[
            ("token", token.as_str()),
            ("email", email),
            ("password", password),
        ])
        .send()
        .await
        .unwrap()
}

fn retry_after(response: &reqwest::Response) -> u64 {
    response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap()
}

#[actix_web::test]
async fn a_login_email_longer_than_any_address_is_refused_before_anything_is_kept() {
    let app = TestApp::spawn().await;
    // 1.9 MB: past the login form's 16 KB body limit.
    let huge = "a".repeat(1_900_000) + "@example.org";
    let response = app
        .client
        .post(app.url("/admin/login"))
        .form(&[("email", huge.as_str()), ("password", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413);
    // Within the body limit but longer than an address: a clear message, no echo.
    let long = "a".repeat(300) + "@example.org";
    let response = login(&app, &app.client, &long, "wrong password!").await;
    assert_eq!(response.status(), 422);
    let page = html(&response.text().await.unwrap());
    assert!(texts(&page, ".error-summary p")[0].contains("254 characters or fewer"));
    assert_eq!(attrs(&page, "#email", "value"), [""]);
}

#[actix_web::test]
async fn a_stranger_failing_on_purpose_slows_an_account_down_but_never_locks_its_owner_out() {
    let app = behind_proxy(&[]).await;
    add_staff(&app, "staff@example.org", "admin");
    // The review's case: ten wrong passwords from two addresses, as fast as they go.
    let mut statuses = Vec::new();
    for i in 0..10 {
        let ip = format!("198.51.100.{}", 1 + i % 2);
        let failed = login_from(&app, &ip, "staff@example.org", "wrong password!").await;
        statuses.push(failed.status().as_u16());
    }
    assert_eq!(
        &statuses[..5],
        [200; 5],
        "the first five are answered with the form"
    );
    assert!(statuses[5..].iter().all(|s| *s == 429), "{statuses:?}");
    // The owner, from a third address, waits a second, not a quarter of an hour.
    let waiting = login_from(&app, "203.0.113.50", "staff@example.org", PASSWORD).await;
    assert_eq!(waiting.status(), 429);
    assert_eq!(retry_after(&waiting), 1);
    actix_web::rt::time::sleep(std::time::Duration::from_millis(1100)).await;
    // One more failure doubles the wait; the right password passes once it is over.
    let failed = login_from(&app, "198.51.100.3", "staff@example.org", "wrong password!").await;
    assert_eq!(failed.status(), 200);
    let waiting = login_from(&app, "203.0.113.50", "staff@example.org", PASSWORD).await;
    assert_eq!(waiting.status(), 429);
    let wait = retry_after(&waiting);
    assert!((1..=2).contains(&wait), "{wait}");
    actix_web::rt::time::sleep(std::time::Duration::from_millis(2100)).await;
    let owner = login_from(&app, "203.0.113.50", "staff@example.org", PASSWORD).await;
    assert_eq!(owner.status(), 303);
}

#[actix_web::test]
async fn a_clients_own_forwarded_header_behind_an_x_forwarded_for_proxy_buys_no_fresh_quota() {
    let app = behind_proxy(&[("CLARION_RATE_LOGIN", "5/15m")]).await;
    let mut statuses = Vec::new();
    for i in 0..6 {
        let response = app
            .client
            .post(app.url("/admin/login"))
            .header("x-forwarded-for", "203.0.113.7")
            .header("forwarded", format!("for=198.51.100.{i}"))
            .form(&[("email", "staff@example.org"), ("password", "guess")])
            .send()
            .await
            .unwrap();
        statuses.push(response.status().as_u16());
    }
    assert_eq!(statuses, [403, 403, 403, 403, 403, 429]);
}

#[actix_web::test]
async fn ipv6_addresses_of_one_64_block_share_one_quota() {
    let app = behind_proxy(&[("CLARION_RATE_LOGIN", "3/15m")]).await;
    let post = |ip: String| {
        let request = app
            .client
            .post(app.url("/admin/login"))
            .header("x-forwarded-for", ip)
            .form(&[("email", "staff@example.org"), ("password", "guess")]);
        async move { request.send().await.unwrap().status().as_u16() }
    };
    let mut statuses = Vec::new();
    for i in 1..=4 {
        statuses.push(post(format!("2001:db8:1:2::{i:x}")).await);
    }
    assert_eq!(statuses, [403, 403, 403, 429], "one /64, one client");
    assert_eq!(
        post("2001:db8:1:3::1".into()).await,
        403,
        "the next /64 is another"
    );
}

#[actix_web::test]
async fn a_login_token_is_worthless_without_its_visitors_cookie_or_from_another_site() {
    let app = TestApp::spawn().await;
    add_staff(&app, "staff@example.org", "admin");
    let form = app
        .client
        .get(app.url("/admin/login"))
        .send()
        .await
        .unwrap();
    let cookie = login_cookie(&form).unwrap();
    let token = attrs(
        &html(&form.text().await.unwrap()),
        "input[name=token]",
        "value",
    )
    .remove(0);
    let fields = [
        ("token", token.as_str()),
        ("email", "staff@example.org"),
        ("password", PASSWORD),
    ];
    // An attacker's page posting its own token from the visitor's browser: no cookie.
    let forged = app
        .client
        .post(app.url("/admin/login"))
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    assert!(login_cookie(&forged).is_none(), "no session was started");
    // A visitor who has a login cookie of their own: the attacker's token is not theirs.
    let visitor = app
        .client
        .get(app.url("/admin/login"))
        .send()
        .await
        .unwrap();
    let visitor_cookie = login_cookie(&visitor).unwrap();
    let not_theirs = app
        .client
        .post(app.url("/admin/login"))
        .header("cookie", &visitor_cookie)
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(not_theirs.status(), 403);
    let cross_site = app
        .client
        .post(app.url("/admin/login"))
        .header("cookie", &cookie)
        .header("origin", "https://attacker.example")
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(cross_site.status(), 403);
    let ours = app
        .client
        .post(app.url("/admin/login"))
        .header("cookie", &cookie)
        .header("origin", app.url(""))
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(ours.status(), 303);
}

#[actix_web::test]
async fn staff_pages_and_exports_are_never_stored_by_a_browser_or_proxy() {
    let app = TestApp::spawn().await;
    add_staff(&app, "staff@example.org", "admin");
    let admin = logged_in(&app, "staff@example.org").await;
    for path in [
        "/admin",
        "/admin/staff",
        &format!("/admin/petitions/{PETITION}/signatures"),
        &format!("/admin/petitions/{PETITION}/signatures.csv"),
        &format!("/admin/petitions/{PETITION}/counts.json"),
        &format!("/admin/petitions/{PETITION}/report"),
    ] {
        let response = admin.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(response.headers()["cache-control"], "no-store", "{path}");
    }
    let anonymous = app
        .client
        .get(app.url("/admin/audit"))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 303);
    assert_eq!(anonymous.headers()["cache-control"], "no-store");
}

#[actix_web::test]
async fn a_megabyte_of_bad_target_rows_lists_fifty_errors_and_counts_the_rest() {
    let app = TestApp::spawn().await;
    add_staff(&app, "staff@example.org", "admin");
    let admin = logged_in(&app, "staff@example.org").await;
    let token = csrf(&app, &admin).await;
    let mut csv =
        "external_id,name,role,country_code,political_group,party,email,constituency\n".to_string();
    let bad_country = "Z".repeat(500);
    let mut rows = 0;
    while csv.len() < 1_000_000 {
        rows += 1;
        csv.push_str(&format!(
            "x{rows},Name,,{bad_country},,,x{rows}@example.org,\n"
        ));
    }
    let form = reqwest::multipart::Form::new()
        .text("csrf", token)
        .text("name", "Flood")
        .part(
            "file",
            reqwest::multipart::Part::bytes(csv.into_bytes()).file_name("flood.csv"),
        );
    let response = admin
        .post(app.url("/admin/target-lists"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    let body = response.text().await.unwrap();
    assert!(body.len() < 100_000, "a page of {} bytes", body.len());
    let errors = texts(&html(&body), ".error-summary li");
    assert_eq!(errors.len(), 51);
    assert_eq!(
        errors[50],
        format!("… and {} more errors not listed", rows - 50)
    );
    assert!(errors[0].starts_with("line 2: 'ZZZZ"), "{}", errors[0]);
}

#[actix_web::test]
async fn staff_text_with_line_breaks_or_nul_is_refused_and_nothing_is_created() {
    let app = TestApp::spawn().await;
    add_staff(&app, "staff@example.org", "admin");
    let admin = logged_in(&app, "staff@example.org").await;
    let token = csrf(&app, &admin).await;
    for (title, status) in [
        ("Line one\r\nBcc: x@example.org", 422),
        ("Nul\u{0}byte", 422),
        ("A plain title", 303),
    ] {
        let response = admin
            .post(app.url("/admin/campaigns"))
            .form(&[
                ("csrf", token.as_str()),
                ("title", title),
                ("slug", ""),
                ("summary", ""),
                ("status", "draft"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), status, "{title:?}");
    }
    let list = admin.get(app.url("/admin/campaigns")).send().await.unwrap();
    let body = list.text().await.unwrap();
    assert!(!body.contains("Line one") && !body.contains("Nul"));
}

#[actix_web::test]
async fn reports_and_searches_are_limited_per_staff_member_and_pages_are_capped() {
    let app = TestApp::spawn().await;
    add_staff(&app, "staff@example.org", "admin");
    let admin = logged_in(&app, "staff@example.org").await;
    let report = app.url(&format!("/admin/petitions/{PETITION}/report"));
    for i in 0..12 {
        let response = admin.get(&report).send().await.unwrap();
        assert_eq!(response.status(), 200, "report {i}");
    }
    let refused = admin.get(&report).send().await.unwrap();
    assert_eq!(refused.status(), 429);
    assert!(retry_after(&refused) >= 1);
    let far = admin
        .get(app.url(&format!("/admin/petitions/{PETITION}/signatures?page=1001")))
        .send()
        .await
        .unwrap();
    assert_eq!(far.status(), 400);
    assert!(far.text().await.unwrap().contains("from 1 to 1000"));
}
