//! Held, not lost: each anti-abuse rule holds a submission, answers exactly as for an
//! accepted one, leaves the count alone, and staff can release or invalidate from the CLI.

use clarion::db::schema::{actions, outbox, signatures};
use diesel::prelude::*;

use crate::helpers::{location_path, stored_rows, supporter, TestApp, PETITION};

fn stored(app: &TestApp) -> Vec<(String, Option<String>)> {
    signatures::table
        .order(signatures::created_at.asc())
        .select((signatures::status, signatures::hold_reason))
        .load(&mut app.conn())
        .unwrap()
}

fn emails(app: &TestApp) -> i64 {
    outbox::table.count().get_result(&mut app.conn()).unwrap()
}

async fn public_count(app: &TestApp) -> i64 {
    let json: serde_json::Value = app
        .get(&format!("/api/v1/petitions/{PETITION}"))
        .await
        .json()
        .await
        .unwrap();
    json["signature_count"].as_i64().unwrap()
}

/// Signs and checks the answer is the one every accepted signature gets.
async fn sign_as_accepted(app: &TestApp, fields: &[(&str, &str)]) {
    let response = app.sign(PETITION, fields).await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(
        location_path(&response),
        format!("/petitions/{PETITION}/check-your-email")
    );
}

fn clarion(app: &TestApp, args: &[&str]) -> String {
    let (ok, out, err) = app.cli(args, &[]);
    assert!(ok, "clarion {args:?}: {err} {out}");
    out
}

#[actix_web::test]
async fn a_form_sent_too_fast_is_held_by_the_time_in_its_token_and_counts_once_released() {
    let app = TestApp::builder()
        .set("CLARION_MIN_FILL_SECS", "30")
        .spawn()
        .await;
    sign_as_accepted(&app, &supporter("quick@example.org")).await;
    assert_eq!(
        stored(&app),
        [("held".to_string(), Some("too_fast".to_string()))]
    );
    assert_eq!(emails(&app), 1, "the confirmation email goes out as usual");

    // A token served 31 seconds ago (as a cached page would replay it) passes.
    let petition_id: String = actions::table
        .filter(actions::slug.eq(PETITION))
        .select(actions::id)
        .first(&mut app.conn())
        .unwrap();
    let key = clarion::config::SecretKey::parse(&app.settings["CLARION_SECRET_KEY"]).unwrap();
    let old = clarion::domain::form_token::issue(
        key.as_bytes(),
        &format!("sign:{petition_id}"),
        chrono::Utc::now().timestamp() - 31,
    );
    let mut fields = supporter("patient@example.org");
    fields.push(("token", &old));
    let response = app
        .post_form(&format!("/petitions/{PETITION}/sign"), &fields)
        .await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(stored(&app)[1], ("pending".to_string(), None));

    // The held supporter confirms: remembered, still held, not counted.
    let link = app.link_mailed_to("quick@example.org").await;
    assert_eq!(
        app.client
            .post(&link)
            .send()
            .await
            .unwrap()
            .status()
            .as_u16(),
        303
    );
    assert_eq!(stored(&app)[0].0, "held");
    assert_eq!(public_count(&app).await, 0);

    assert!(clarion(
        &app,
        &[
            "held",
            "--action",
            PETITION,
            "--reason",
            "too_fast",
            "--release"
        ]
    )
    .contains("released 1 held signature"));
    assert_eq!(stored(&app)[0].0, "confirmed");
    crate::helpers::after_copies_expire().await;
    assert_eq!(
        public_count(&app).await,
        1,
        "a confirmed held signature counts once released"
    );
}

#[actix_web::test]
async fn the_honeypot_the_block_list_and_many_signatures_from_one_address_hold_without_telling() {
    let app = TestApp::builder()
        .set("CLARION_HOLD_PER_ADDRESS", "3/1h")
        .spawn()
        .await;
    let mut honey = supporter("bot@example.org");
    honey.push(("website", "http://spam.example"));
    sign_as_accepted(&app, &honey).await;

    clarion(
        &app,
        &["access-rule", "--list", "block", "--domain", "spam.example"],
    );
    clarion(
        &app,
        &["access-rule", "--list", "block", "--domain", "example.net"],
    );
    clarion(
        &app,
        &[
            "access-rule",
            "--list",
            "allow",
            "--domain",
            "good.example.net",
        ],
    );
    sign_as_accepted(&app, &supporter("someone@mail.spam.example")).await;
    sign_as_accepted(&app, &supporter("friend@good.example.net")).await;

    // This address has now signed 3 times; the per-address rule (3/1h) holds the next.
    sign_as_accepted(&app, &supporter("fourth@example.org")).await;
    let reasons: Vec<Option<String>> = stored(&app).into_iter().map(|(_, r)| r).collect();
    assert_eq!(
        reasons,
        [
            Some("honeypot".into()),
            Some("blocked".into()),
            None,
            Some("per_address".into())
        ]
    );
    assert_eq!(
        emails(&app),
        4,
        "every submitter gets the same confirmation email"
    );
    assert_eq!(stored_rows(&app), 4);

    assert!(
        clarion(&app, &["held", "--action", PETITION, "--invalidate"])
            .contains("invalidated 3 held signature")
    );
    let statuses: Vec<String> = stored(&app).into_iter().map(|(s, _)| s).collect();
    assert_eq!(
        statuses,
        ["invalidated", "invalidated", "pending", "invalidated"]
    );
    assert_eq!(public_count(&app).await, 0);
    let json: serde_json::Value = {
        crate::helpers::add_staff(&app, "staff@example.org", "campaigner");
        let client = crate::helpers::logged_in(&app, "staff@example.org").await;
        client
            .get(app.url(&format!("/admin/petitions/{PETITION}/counts.json")))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    };
    assert_eq!(
        (json["invalidated"].as_i64(), json["pending"].as_i64()),
        (Some(3), Some(1))
    );
}

#[actix_web::test]
async fn a_held_letter_is_confirmed_but_leaves_only_when_released() {
    let smtp = crate::helpers::smtp::SmtpServer::start(crate::helpers::smtp::Mode::Accept).await;
    let app = TestApp::builder()
        .set("CLARION_MIN_FILL_SECS", "30")
        .set("CLARION_SMTP_URL", &smtp.url())
        .spawn()
        .await;
    let (_, ticked, _) = crate::helpers::contact::letter_form(&app, "DE").await;
    let response =
        crate::helpers::contact::send(&app, "DE", &ticked, &[("email", "fast@example.org")]).await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(
        location_path(&response),
        "/act/write-to-your-meps-on-cambodia/check-your-email"
    );
    let link = smtp.wait_for(1).await[0].link();
    assert_eq!(
        app.client
            .post(&link)
            .send()
            .await
            .unwrap()
            .status()
            .as_u16(),
        303
    );
    actix_web::rt::time::sleep(std::time::Duration::from_millis(1200)).await;
    assert_eq!(smtp.mails().len(), 1, "a held letter is not delivered");

    let out = clarion(
        &app,
        &[
            "held",
            "--action",
            "write-to-your-meps-on-cambodia",
            "--release",
        ],
    );
    assert!(out.contains("released 1 held letter"), "{out}");
    let mails = smtp.wait_for(4).await;
    assert_eq!(
        mails.len(),
        4,
        "one email per chosen target after release, and the writer's copy"
    );
}
