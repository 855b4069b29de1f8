//! Staff accounts and their sessions: a staff user created in the database, logging in over
//! HTTP or through a browser, the session cookie and the CSRF token.

use super::browser::Browser;
use super::{attrs, html, TestApp};

pub const PASSWORD: &str = "a long enough password";

/// Creates a staff user straight in the database.
pub fn add_staff(app: &TestApp, email: &str, role: &str) {
    let hash = clarion::domain::staff::hash_password(PASSWORD);
    assert!(clarion::db::staff::create(&mut app.conn(), email, &hash, role).unwrap());
}

/// A client with its own cookie jar, logged in as `email`.
pub async fn logged_in(app: &TestApp, email: &str) -> reqwest::Client {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .pool_idle_timeout(super::IDLE)
        .build()
        .unwrap();
    let response = login(app, &client, email, PASSWORD).await;
    assert_eq!(response.status().as_u16(), 303, "login of {email}");
    client
}

pub async fn login(
    app: &TestApp,
    client: &reqwest::Client,
    email: &str,
    password: &str,
) -> reqwest::Response {
    let form = client.get(app.url("/admin/login")).send().await.unwrap();
    // The form's token is bound to the session cookie it comes with; a client without a
    // cookie store carries it by hand, as a browser would.
    let cookie = login_cookie(&form);
    let page = html(&form.text().await.unwrap());
    let token = attrs(&page, "input[name=token]", "value").remove(0);
    let mut post = client.post(app.url("/admin/login"));
    if let Some(cookie) = cookie {
        post = post.header("cookie", cookie);
    }
    post.form(&[
        ("token", token.as_str()),
        ("email", email),
        ("password", password),
    ])
    .send()
    .await
    .unwrap()
}

/// The `name=value` of the staff session cookie a response sets, if any.
pub fn login_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("clarion_admin="))
        .map(|v| v.split(';').next().unwrap_or("").to_string())
}

/// The CSRF token of the logged-in client's session, read from a page's logout form.
pub async fn csrf(app: &TestApp, client: &reqwest::Client) -> String {
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
    attrs(&page, "form.logout input[name=csrf]", "value").remove(0)
}

/// Logs `email` in through the login form (checking the form with axe when asked).
pub async fn log_in(app: &TestApp, browser: &Browser, email: &str, check_form: bool) {
    browser.open(&app.url("/admin/login")).await;
    if check_form {
        browser.check_accessibility("the login form").await;
    }
    browser.type_into("input[name=email]", email).await;
    browser.type_into("input[name=password]", PASSWORD).await;
    browser.press("main form button[type=submit]").await;
    browser.arrive_at("/admin").await;
}

/// Opens the staff form at `path` (a form that posts back to `path`), lets `change` edit
/// its fields as a browser would send them, and posts it back. Returns the answer's status.
pub async fn edit_form(
    app: &TestApp,
    staff: &reqwest::Client,
    path: &str,
    change: impl FnOnce(&mut Vec<(String, String)>),
) -> reqwest::StatusCode {
    let page = staff.get(app.url(path)).send().await.unwrap();
    assert_eq!(page.status(), 200, "{path} opens");
    let page = html(&page.text().await.unwrap());
    let mut pairs = super::form_as_sent(&page, &format!("form[action=\"{path}\"]"));
    change(&mut pairs);
    let saved = staff.post(app.url(path)).form(&pairs).send().await.unwrap();
    saved.status()
}

/// A staff page at `path`, which must answer 200, parsed.
pub async fn staff_page(app: &TestApp, staff: &reqwest::Client, path: &str) -> scraper::Html {
    let page = staff.get(app.url(path)).send().await.unwrap();
    assert_eq!(page.status(), 200, "{path}");
    html(&page.text().await.unwrap())
}
