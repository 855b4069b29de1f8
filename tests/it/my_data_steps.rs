//! What a supporter does from their own data page: withdraw a signature (the public
//! count drops at once, the export shows it only when asked for `withdrawn`, its
//! personal fields empty), leave the newsletter, erase everything; each step twice is
//! harmless, and a withdrawal racing a staff decision leaves the counters exact.

use clarion::db::schema::{action_country_counts, actions, data_links, signatures};
use clarion::domain::status::HoldReason;
use diesel::prelude::*;

use crate::helpers::newsletter::subscribe;
use crate::helpers::rows::{insert, petition_id, signature};
use crate::helpers::smtp::Mode;
use crate::helpers::{
    add_staff, after_copies_expire, app_with_smtp, attrs, csrf, html, json_count, logged_in, texts,
    TestApp, PETITION,
};

/// A working data link for `canonical`, as `/me` would have emailed it.
pub(crate) fn link_for(app: &TestApp, canonical: &str) -> String {
    let (token, hash) = clarion::domain::secrets::new_token();
    let now = clarion::db::now();
    diesel::insert_into(data_links::table)
        .values((
            data_links::email_canonical.eq(canonical),
            data_links::token_hash.eq(hash),
            data_links::created_at.eq(now),
            data_links::emails_sent.eq(1),
            data_links::window_started_at.eq(now),
        ))
        .execute(&mut app.conn())
        .unwrap();
    format!("/me/{token}")
}

async fn count(app: &TestApp) -> i64 {
    json_count(app).await["signature_count"].as_i64().unwrap()
}

/// The petition's cached counters and what its rows say, which must agree.
fn counters(app: &TestApp) -> ((i64, i64), i64) {
    let id = petition_id(app);
    let cached: i64 = actions::table
        .find(&id)
        .select(actions::confirmed_count)
        .first(&mut app.conn())
        .unwrap();
    let by_country: Vec<i64> = action_country_counts::table
        .filter(action_country_counts::action_id.eq(&id))
        .select(action_country_counts::confirmed_count)
        .load(&mut app.conn())
        .unwrap();
    let rows: i64 = signatures::table
        .filter(signatures::action_id.eq(&id))
        .filter(signatures::status.eq("confirmed"))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    ((cached, by_country.iter().sum()), rows)
}

/// The staff CSV of the petition with `query`, as rows of fields.
async fn export(app: &TestApp, staff: &reqwest::Client, query: &str) -> Vec<Vec<String>> {
    let path = format!("/admin/petitions/{PETITION}/signatures.csv?bom=0&{query}");
    let body = staff.get(app.url(&path)).send().await.unwrap();
    assert_eq!(body.status(), 200, "{query}");
    let bytes = body.bytes().await.unwrap();
    csv::Reader::from_reader(bytes.as_ref())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

#[actix_web::test]
async fn a_supporter_withdraws_a_signature_leaves_the_newsletter_and_erases_everything() {
    let (app, smtp) = app_with_smtp(Mode::Accept).await;
    subscribe(&app, &smtp, "/km/newsletter", "sokha@example.org", 1).await;
    let mut mine = signature(
        &petition_id(&app),
        1,
        "confirmed",
        "FR",
        "Sokha",
        "Free them",
        2,
    );
    mine.email = "sokha@example.org".into();
    mine.email_canonical = "sokha@example.org".into();
    let other = signature(&petition_id(&app), 2, "confirmed", "FR", "Dara", "", 2);
    insert(&app, &[mine.clone(), other]);
    let link = link_for(&app, "sokha@example.org");
    let before = count(&app).await;

    let page = html(&app.get_text(&format!("/km{link}"), 200).await);
    let forms = attrs(&page, "form.me-withdraw", "action");
    assert_eq!(forms, [format!("/km{link}/withdraw")]);
    let withdrawn = app
        .post_form(&forms[0], &[("signature", mine.id.as_str())])
        .await;
    assert_eq!(withdrawn.status(), 303);
    after_copies_expire().await;
    assert_eq!(count(&app).await, before - 1, "the public count drops");
    let ((cached, by_country), rows) = counters(&app);
    assert_eq!((cached, by_country), (rows, rows));
    let page = html(
        &app.get_text(&format!("/km{link}?done=withdrawn"), 200)
            .await,
    );
    assert_eq!(texts(&page, "div.notice").len(), 1);
    assert!(attrs(&page, "form.me-withdraw", "action").is_empty());
    // Twice, or someone else's signature: nothing changes.
    let again = app
        .post_form(&forms[0], &[("signature", mine.id.as_str())])
        .await;
    assert_eq!(again.status(), 303);
    assert_eq!(count(&app).await, before - 1);

    add_staff(&app, "staff@example.org", "campaigner");
    let staff = logged_in(&app, "staff@example.org").await;
    let all = export(&app, &staff, "status=all").await;
    assert!(all.iter().all(|r| !r.contains(&"withdrawn".to_string())));
    let shown = export(&app, &staff, "status=withdrawn").await;
    assert_eq!(shown.len(), 1);
    assert!(!shown[0]
        .iter()
        .any(|f| f.contains("sokha") || f == "Free them"));

    // Leaving the newsletter, then erasing everything from the same page.
    let left = app.post_form(&format!("{link}/unsubscribe"), &[]).await;
    assert_eq!(left.status(), 303);
    let asked = html(
        &app.post_form(&format!("{link}/erase"), &[])
            .await
            .text()
            .await
            .unwrap(),
    );
    assert_eq!(attrs(&asked, "input[name=confirm]", "value"), ["1"]);
    let erased = app
        .post_form(&format!("{link}/erase"), &[("confirm", "1")])
        .await;
    assert_eq!(erased.status(), 200);
    assert_eq!(app.get(&link).await.status(), 410);
    let everything = export(&app, &staff, "status=all").await;
    assert!(everything.iter().flatten().all(|f| !f.contains("sokha")));
}

#[actix_web::test]
async fn a_withdrawal_racing_a_staff_decision_leaves_the_counters_exact() {
    let app = TestApp::builder().spawn().await;
    add_staff(&app, "campaigner@example.org", "campaigner");
    let staff = logged_in(&app, "campaigner@example.org").await;
    let id = petition_id(&app);
    for round in 0..6 {
        let n = 100 * (round + 1);
        let mut mine = signature(&id, n, "confirmed", "FR", "Sokha", "", 3);
        let canonical = format!("racer{round}@example.org");
        mine.email_canonical = canonical.clone();
        let mut rows = vec![mine.clone()];
        for k in 1..=4 {
            let mut held = signature(&id, n + k, "held", "DE", "Held", "", 3);
            held.hold_reason = Some(HoldReason::PerAddress);
            held.confirmed_at = Some(held.created_at);
            rows.push(held);
        }
        insert(&app, &rows);
        let link = link_for(&app, &canonical);
        let base = format!("/admin/petitions/{PETITION}/bulk");
        let criterion = "decision=release&status=held&reason=per_address";
        let preview = staff
            .get(app.url(&format!("{base}?{criterion}")))
            .send()
            .await
            .unwrap();
        let preview = html(&preview.text().await.unwrap());
        let digest = attrs(&preview, "input[name=digest]", "value").remove(0);
        let token = csrf(&app, &staff).await;
        let fields = [
            ("csrf", token.as_str()),
            ("decision", "release"),
            ("status", "held"),
            ("reason", "per_address"),
            ("digest", digest.as_str()),
            ("decision_reason", "One school"),
        ];
        let release = staff.post(app.url(&base)).form(&fields).send();
        let (path, id) = (
            format!("{link}/withdraw"),
            [("signature", mine.id.as_str())],
        );
        let withdraw = app.post_form(&path, &id);
        let (released, withdrawn) = tokio::join!(release, withdraw);
        assert_eq!(released.unwrap().status(), 303);
        assert_eq!(withdrawn.status(), 303);
        let ((cached, by_country), rows) = counters(&app);
        assert_eq!((cached, by_country), (rows, rows), "round {round}");
    }
}
