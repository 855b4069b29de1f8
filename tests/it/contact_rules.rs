//! Writing to officials: the rules a letter must meet, pacing, and what staff see.

use clarion::db::schema::{actions, outbox};
use diesel::prelude::*;

use crate::helpers::contact::{letter_form, send, set_action, stored_messages, CONTACT};
use crate::helpers::smtp::{Mode, SmtpServer};
use crate::helpers::{attrs, email_link, futures_join_all, html, texts, TestApp};

#[actix_web::test]
async fn hostile_letters_are_refused_with_a_message_and_nothing_stored() {
    let app = TestApp::spawn().await;
    let (_, french, _) = letter_form(&app, "FR").await;
    let (_, german, _) = letter_form(&app, "DE").await;
    let long_body = "x".repeat(6_000);
    // (targets chosen, fields changed, the message expected)
    type Case<'a> = (Vec<String>, Vec<(&'a str, &'a str)>, &'a str);
    let cases: Vec<Case> = vec![
        (
            french.clone(),
            vec![("subject", "Hi\r\nBcc: everyone@example.org")],
            "The subject must be one line",
        ),
        (
            french.clone(),
            vec![("first_name", "Sok\r\nBcc: x@example.org")],
            "control characters",
        ),
        (
            french.clone(),
            vec![("body", &long_body)],
            "5,000 characters",
        ),
        (
            german.clone(),
            vec![],
            "Choose people from the list for your country",
        ),
        (
            vec!["01a22112-0000-7000-8000-000000000000".into()],
            vec![],
            "Choose people from the list",
        ),
        (
            vec![french[0].clone(), french[0].clone()],
            vec![],
            "only once",
        ),
        (vec![], vec![], "at least one"),
    ];
    for (targets, overrides, message) in cases {
        let response = send(&app, "FR", &targets, &overrides).await;
        assert_eq!(response.status().as_u16(), 422, "{message}");
        let page = html(&response.text().await.unwrap());
        assert!(
            texts(&page, ".error-summary li")
                .iter()
                .any(|t| t.contains(message)),
            "{message}"
        );
    }
    set_action(&app, "max_targets", "1");
    let response = send(&app, "FR", &french[..2], &[]).await;
    assert_eq!(response.status().as_u16(), 422, "too many targets");
    let huge = "y".repeat(100 * 1024);
    let response = send(&app, "FR", &french[..1], &[("body", &huge)]).await;
    assert_eq!(response.status().as_u16(), 413);
    assert_eq!(
        app.get(&format!("/act/{CONTACT}?country=XX"))
            .await
            .status()
            .as_u16(),
        400
    );
    assert_eq!(stored_messages(&app), 0);
}

#[actix_web::test]
async fn letters_beyond_a_targets_hourly_share_wait_for_the_next_hour() {
    let app = TestApp::spawn().await;
    set_action(&app, "max_per_hour", "1");
    set_action(&app, "max_targets", "1");
    let mut links = Vec::new();
    for i in 0..2 {
        let (_, _, page) = letter_form(&app, "DE").await;
        let first = attrs(&page, "input[name=targets]", "value")[0].clone();
        let email = format!("writer{i}@example.org");
        assert_eq!(
            send(&app, "DE", &[first], &[("email", &email)])
                .await
                .status()
                .as_u16(),
            303
        );
        links.push(app.link_mailed_to(&email).await);
    }
    let presses = links.iter().map(|link| {
        let request = app.client.post(link);
        async move { request.send().await.unwrap().status().as_u16() }
    });
    assert_eq!(futures_join_all(presses).await, [303, 303]);
    let mut due: Vec<chrono::NaiveDateTime> = outbox::table
        .filter(outbox::kind.eq("letter"))
        .select(outbox::next_attempt_at)
        .load(&mut app.conn())
        .unwrap();
    due.sort();
    let now = clarion::db::now();
    assert!(due[0] <= now, "the first leaves at once");
    assert!(due[1] > now, "the second waits");
    assert_eq!(
        chrono::Timelike::minute(&due[1]),
        0,
        "until the start of the next hour"
    );
}

#[actix_web::test]
async fn staff_see_letters_per_target_with_the_last_delivery_error() {
    let smtp = SmtpServer::start(Mode::TempFail).await;
    let app = TestApp::builder()
        .set("CLARION_SMTP_URL", &smtp.url())
        .spawn()
        .await;
    set_action(&app, "max_targets", "1");
    let (_, ticked, _) = letter_form(&app, "DE").await;
    assert_eq!(send(&app, "DE", &ticked, &[]).await.status().as_u16(), 303);
    let link = email_link(
        outbox::table
            .select((outbox::body_text, outbox::fields))
            .first(&mut app.conn())
            .unwrap(),
    );
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
    // The confirmation and the letter each fail once with 451 and wait for a retry.
    for _ in 0..100 {
        if smtp.attempts() >= 2 {
            break;
        }
        actix_web::rt::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    crate::helpers::add_staff(&app, "staff@example.org", "campaigner");
    let client = crate::helpers::logged_in(&app, "staff@example.org").await;
    let id: String = actions::table
        .filter(actions::slug.eq(CONTACT))
        .select(actions::id)
        .first(&mut app.conn())
        .unwrap();
    let page = html(
        &client
            .get(app.url(&format!("/admin/actions/{id}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
    );
    let rows = texts(&page, "table.data tbody tr");
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(
        rows[0].starts_with("Demo MEP") && rows[0].contains(" DE "),
        "{}",
        rows[0]
    );
    assert!(
        rows[0].contains("1 0 0 0") && rows[0].contains("451"),
        "queued 1, last error 451: {}",
        rows[0]
    );
}

#[actix_web::test]
async fn staff_can_list_only_the_member_states_and_the_page_says_where_overseas_regions_go() {
    let app = TestApp::spawn().await;
    crate::helpers::add_staff(&app, "staff@example.org", "campaigner");
    let staff = crate::helpers::logged_in(&app, "staff@example.org").await;
    let id: String = actions::table
        .filter(actions::slug.eq(CONTACT))
        .select(actions::id)
        .first(&mut app.conn())
        .unwrap();
    let path = format!("/admin/actions/{id}");
    let status = crate::helpers::admin::edit_form(&app, &staff, &path, |pairs| {
        assert!(
            !pairs.iter().any(|(name, _)| name == "member_states_only"),
            "off by default"
        );
        pairs.push(("member_states_only".into(), "1".into()));
    })
    .await;
    assert_eq!(status, 303);

    let step = html(&app.get_text(&format!("/act/{CONTACT}"), 200).await);
    assert!(attrs(&step, "select#country optgroup", "label").is_empty());
    let listed = attrs(&step, "select#country option", "value");
    assert_eq!(
        listed.len(),
        28,
        "the 27 member states after the empty choice"
    );
    assert!(!listed.contains(&"KH".to_string()) && listed.contains(&"FR".to_string()));
    assert_eq!(
        attrs(&step, "select#country", "aria-describedby"),
        ["country-hint"]
    );
    assert!(texts(&step, "#country-hint")[0].contains("such as Réunion, choose its member state"));
    // Réunion typed by hand still reaches France's MEPs.
    let reunion = html(
        &app.get_text(&format!("/act/{CONTACT}?country=RE"), 200)
            .await,
    );
    assert!(!texts(&reunion, "#targets label").is_empty());
}
