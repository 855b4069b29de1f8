//! The demo contact action: its letter form, sending a letter, changing the action's
//! settings in the database, and counting stored messages.

use clarion::db::schema::{actions, messages, targets};
use diesel::prelude::*;

use super::{attrs, html, TestApp};

pub const CONTACT: &str = "write-to-your-meps-on-cambodia";

/// The letter form for `country`: its hidden fields and the pre-ticked target ids.
pub async fn letter_form(
    app: &TestApp,
    country: &str,
) -> (Vec<(String, String)>, Vec<String>, scraper::Html) {
    let page = html(
        &app.get_text(&format!("/act/{CONTACT}?country={country}"), 200)
            .await,
    );
    let hidden = attrs(&page, "form.letter-form input[type=hidden]", "name")
        .into_iter()
        .zip(attrs(&page, "form.letter-form input[type=hidden]", "value"))
        .collect();
    let ticked = attrs(&page, "input[name=targets][checked]", "value");
    (hidden, ticked, page)
}

pub async fn send(
    app: &TestApp,
    country: &str,
    targets: &[String],
    overrides: &[(&str, &str)],
) -> reqwest::Response {
    send_in(app, "", country, targets, overrides).await
}

/// `send` from the page in the language of `prefix` (`""`, `"/fr"`, `"/km"`).
pub async fn send_in(
    app: &TestApp,
    prefix: &str,
    country: &str,
    targets: &[String],
    overrides: &[(&str, &str)],
) -> reqwest::Response {
    let (hidden, _, _) = letter_form(app, country).await;
    let mut pairs: Vec<(String, String)> = hidden;
    for t in targets {
        pairs.push(("targets".into(), t.clone()));
    }
    let defaults = [
        ("subject", "Please act on Cambodia"),
        (
            "body",
            "Dear {target_name},\r\nPlease act.\r\n{supporter_name}, {supporter_country}",
        ),
        ("first_name", "Sok"),
        ("last_name", "Dara"),
        ("email", "sok@example.org"),
    ];
    for (name, value) in defaults {
        let value = overrides
            .iter()
            .find(|(n, _)| *n == name)
            .map_or(value, |(_, v)| v);
        pairs.push((name.into(), value.into()));
    }
    // Fields the defaults do not have (a ticked box) go as given.
    for (name, value) in overrides {
        if !defaults.iter().any(|(n, _)| n == name) {
            pairs.push((name.to_string(), value.to_string()));
        }
    }
    app.client
        .post(app.url(&format!("{prefix}/act/{CONTACT}/send")))
        .form(&pairs)
        .send()
        .await
        .unwrap()
}

pub fn set_action(app: &TestApp, column: &str, value: &str) {
    let target = actions::table.filter(actions::slug.eq(CONTACT));
    let mut conn = app.conn();
    match column {
        "delivery_mode" => diesel::update(target)
            .set(actions::delivery_mode.eq(value))
            .execute(&mut conn),
        "max_targets" => diesel::update(target)
            .set(actions::max_targets.eq(value.parse::<i32>().unwrap()))
            .execute(&mut conn),
        "max_per_hour" => diesel::update(target)
            .set(actions::max_per_hour.eq(value.parse::<i32>().unwrap()))
            .execute(&mut conn),
        other => panic!("{other}"),
    }
    .unwrap();
}

pub fn stored_messages(app: &TestApp) -> i64 {
    messages::table.count().get_result(&mut app.conn()).unwrap()
}

/// The id of the target named `name` (the demo list's MEPs).
pub fn target_id(app: &TestApp, name: &str) -> String {
    targets::table
        .filter(targets::name.eq(name))
        .select(targets::id)
        .first(&mut app.conn())
        .unwrap()
}

/// The demo contact action's id.
pub fn contact_id(app: &TestApp) -> String {
    actions::table
        .filter(actions::slug.eq(CONTACT))
        .select(actions::id)
        .first(&mut app.conn())
        .unwrap()
}
