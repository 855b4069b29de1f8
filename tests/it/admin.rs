//! Staff login, sessions and the guard on every admin route.

use clarion::db::schema::staff_users;
use clarion::web::admin::routes::{self, Access};
use diesel::prelude::*;

use crate::helpers::{add_staff, attrs, html, logged_in, login, texts, TestApp, PASSWORD};

fn concrete(path: &str) -> String {
    path.replace("{id}", "01a22103-bd3a-71e5-b62e-8d52c4c26f7e")
        .replace("{slug}", "cambodia-political-prisoners-petition")
}

#[actix_web::test]
async fn every_admin_route_sends_anonymous_visitors_to_the_login_page() {
    let app = TestApp::spawn().await;
    for route in routes::all().filter(|r| r.access != Access::Public) {
        let request = match route.method {
            "GET" => app.client.get(app.url(&concrete(route.path))),
            _ => app
                .client
                .post(app.url(&concrete(route.path)))
                .form(&[("csrf", "x")]),
        };
        let response = request.send().await.unwrap();
        assert_eq!(
            response.status().as_u16(),
            303,
            "{} {}",
            route.method,
            route.path
        );
        assert_eq!(
            response.headers()["location"],
            "/admin/login",
            "{} {}",
            route.method,
            route.path
        );
    }
    // A path under /admin that no route serves still asks for a login first.
    assert_eq!(app.get("/admin/no-such-page").await.status().as_u16(), 303);
}

#[actix_web::test]
async fn campaigners_get_403_on_admin_only_routes_and_staff_posts_need_the_csrf_token() {
    let app = TestApp::spawn().await;
    add_staff(&app, "campaigner@example.org", "campaigner");
    let client = logged_in(&app, "campaigner@example.org").await;
    let admin_only = Access::Staff(clarion::domain::staff::Role::Admin);
    assert!(
        routes::all().filter(|r| r.access == admin_only).count() >= 9,
        "staff accounts, block lists, erasure and the audit log are admin-only"
    );
    for route in routes::all().filter(|r| r.access == admin_only) {
        let url = app.url(&concrete(route.path));
        let request = match route.method {
            "GET" => client.get(url),
            _ => client.post(url).form(&[("csrf", "x")]),
        };
        let response = request.send().await.unwrap();
        assert_eq!(
            response.status().as_u16(),
            403,
            "{} {}",
            route.method,
            route.path
        );
    }
    for route in routes::all().filter(|r| r.method == "POST" && r.access != Access::Public) {
        let response = client
            .post(app.url(&concrete(route.path)))
            .form(&[("title", "x"), ("csrf", "wrong")])
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status().as_u16(),
            403,
            "POST {} with a wrong token",
            route.path
        );
        let response = client
            .post(app.url(&concrete(route.path)))
            .form(&[("title", "x")])
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status().as_u16(),
            403,
            "POST {} without a token",
            route.path
        );
    }
    // Still logged in: nothing above ended the session or changed anything.
    assert_eq!(
        client
            .get(app.url("/admin"))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16(),
        200
    );
}

#[actix_web::test]
async fn wrong_credentials_get_one_generic_message() {
    let app = TestApp::spawn().await;
    add_staff(&app, "staff@example.org", "admin");
    let mut messages = Vec::new();
    for (email, password) in [
        ("staff@example.org", "wrong password!"),
        ("nobody@example.org", PASSWORD),
    ] {
        let response = login(&app, &app.client, email, password).await;
        assert_eq!(response.status().as_u16(), 200);
        messages.push(texts(
            &html(&response.text().await.unwrap()),
            ".error-summary p",
        ));
    }
    assert_eq!(messages[0], messages[1]);
    assert_eq!(messages[0], ["The email address or password is not right."]);
}

#[actix_web::test]
async fn repeated_failures_answer_429_with_retry_after_and_say_when_to_try_again() {
    let app = TestApp::spawn().await;
    add_staff(&app, "staff@example.org", "admin");
    for _ in 0..5 {
        assert_eq!(
            login(&app, &app.client, "staff@example.org", "wrong password!")
                .await
                .status()
                .as_u16(),
            200
        );
    }
    // Even the right password waits now.
    let response = login(&app, &app.client, "staff@example.org", PASSWORD).await;
    assert_eq!(response.status().as_u16(), 429);
    let retry: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((800..=900).contains(&retry), "{retry}");
    let page = html(&response.text().await.unwrap());
    assert!(texts(&page, ".error-summary p")[0].contains("Try again in 15 minutes"));
    assert_eq!(attrs(&page, "#email", "value"), ["staff@example.org"]);
}

fn session_cookie(response: &reqwest::Response) -> String {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("clarion_admin="))
        .expect("a session cookie")
}

#[actix_web::test]
async fn the_session_cookie_is_private_to_the_admin_and_logout_ends_it_at_once() {
    let app = TestApp::spawn().await;
    add_staff(&app, "staff@example.org", "admin");
    let response = login(&app, &app.client, "staff@example.org", PASSWORD).await;
    let cookie = session_cookie(&response);
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/admin"] {
        assert!(cookie.contains(attribute), "{attribute} missing: {cookie}");
    }
    assert!(!cookie.contains("Secure"), "plain http base URL");
    assert!(
        !cookie.contains("staff@example.org"),
        "the cookie is encrypted"
    );
    let pair = cookie.split(';').next().unwrap().to_string();
    let with_cookie = |path: &str| app.client.get(app.url(path)).header("cookie", pair.clone());
    assert_eq!(
        with_cookie("/admin")
            .send()
            .await
            .unwrap()
            .status()
            .as_u16(),
        200
    );

    let page = html(
        &with_cookie("/admin")
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
    );
    let csrf = attrs(&page, "form.logout input[name=csrf]", "value").remove(0);
    let logout = app
        .client
        .post(app.url("/admin/logout"))
        .header("cookie", pair.clone())
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(logout.status().as_u16(), 303);
    // A copy of the old cookie is worthless now.
    let replay = with_cookie("/admin").send().await.unwrap();
    assert_eq!(replay.status().as_u16(), 303);
    assert_eq!(replay.headers()["location"], "/admin/login");
}

#[actix_web::test]
async fn the_session_cookie_is_secure_when_the_base_url_is_https() {
    let app = TestApp::builder()
        .set("CLARION_BASE_URL", "https://petitions.example.org")
        .spawn()
        .await;
    add_staff(&app, "staff@example.org", "admin");
    let response = login(&app, &app.client, "staff@example.org", PASSWORD).await;
    assert!(session_cookie(&response).contains("Secure"));
}

#[actix_web::test]
async fn disabling_an_account_ends_its_sessions_at_once() {
    let app = TestApp::spawn().await;
    add_staff(&app, "staff@example.org", "admin");
    let client = logged_in(&app, "staff@example.org").await;
    assert_eq!(
        client
            .get(app.url("/admin"))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16(),
        200
    );
    diesel::update(staff_users::table)
        .set(staff_users::disabled.eq(true))
        .execute(&mut app.conn())
        .unwrap();
    assert_eq!(
        client
            .get(app.url("/admin"))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16(),
        303
    );
    assert_eq!(
        login(&app, &client, "staff@example.org", PASSWORD)
            .await
            .status()
            .as_u16(),
        200
    );
}

#[actix_web::test]
async fn the_dashboard_counts_every_action_and_draws_charts_with_text_alternatives() {
    let app = TestApp::spawn().await;
    add_staff(&app, "staff@example.org", "campaigner");
    let client = logged_in(&app, "staff@example.org").await;
    let page = html(
        &client
            .get(app.url("/admin"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
    );
    let rows = texts(&page, "table.data tbody tr");
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(rows
        .iter()
        .any(|r| r.starts_with("Act on the European Parliament")));
    // Two charts: drawn when they have data, else a sentence saying there is none yet.
    assert_eq!(
        attrs(&page, "svg[role=img]", "aria-labelledby").len()
            + texts(&page, "p.chart-empty").len(),
        2
    );
    assert_eq!(
        texts(&page, "svg title")
            .iter()
            .filter(|t| t.contains("last 30 days"))
            .count(),
        1
    );
    assert_eq!(
        texts(&page, "table.chart-data").len(),
        attrs(&page, "svg[role=img]", "aria-labelledby").len()
    );
}
