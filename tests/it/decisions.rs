//! Invalidating and releasing ask for confirmation and a reason (kept with the decision
//! and in the audit log), and a decision can be undone from the signature list for 30
//! days, turning back exactly the signatures still as it left them.

use clarion::db::schema::{audit_events, moderation_decisions, signatures};
use clarion::domain::status::HoldReason;
use diesel::prelude::*;

use crate::helpers::rows::{insert, petition_id, signature};
use crate::helpers::{add_staff, attrs, csrf, html, json_count, logged_in, texts, TestApp};

const LIST: &str = "/admin/petitions/cambodia-political-prisoners-petition/signatures";
const BASE: &str = "/admin/petitions/cambodia-political-prisoners-petition";

fn status_of(app: &TestApp, id: &str) -> String {
    signatures::table
        .find(id)
        .select(signatures::status)
        .first(&mut app.conn())
        .unwrap()
}

async fn count(app: &TestApp) -> i64 {
    json_count(app).await["signature_count"].as_i64().unwrap()
}

/// A staff member's client and a function posting a form to a path with their token.
async fn staff(app: &TestApp) -> (reqwest::Client, String) {
    add_staff(app, "campaigner@example.org", "campaigner");
    let client = logged_in(app, "campaigner@example.org").await;
    let token = csrf(app, &client).await;
    (client, token)
}

async fn post(
    app: &TestApp,
    (client, token): &(reqwest::Client, String),
    path: &str,
    fields: &[(&str, &str)],
) -> (u16, String) {
    let mut form = vec![("csrf", token.as_str())];
    form.extend_from_slice(fields);
    let response = client.post(app.url(path)).form(&form).send().await.unwrap();
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_string());
    let body = response.text().await.unwrap();
    (status, location.unwrap_or(body))
}

async fn get(app: &TestApp, staff: &(reqwest::Client, String), path: &str) -> scraper::Html {
    let response = staff.0.get(app.url(path)).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 200, "{path}");
    html(&response.text().await.unwrap())
}

#[actix_web::test]
async fn invalidating_one_asks_why_and_undoing_it_counts_the_signature_again() {
    let app = TestApp::spawn().await;
    let id = petition_id(&app);
    let counted = signature(&id, 1, "confirmed", "FR", "Sok", "", 1);
    let sid = counted.id.clone();
    insert(&app, &[counted]);
    let before = count(&app).await;
    let staff = staff(&app).await;

    // The list links to a page that asks; the page names the signer and wants a reason.
    let list = get(&app, &staff, LIST).await;
    let ask = attrs(&list, "td:last-child a", "href");
    assert_eq!(ask.len(), 1, "a confirmed row can only be invalidated");
    let asked = get(&app, &staff, &ask[0]).await;
    assert_eq!(texts(&asked, "h1"), ["Invalidate this signature?"]);
    assert!(texts(&asked, "dd").contains(&"Sok Dara".to_string()));
    assert_eq!(attrs(&asked, "textarea#decision_reason", "name").len(), 1);
    assert_eq!(status_of(&app, &sid), "confirmed", "asking changes nothing");

    let path = format!("{LIST}/{sid}");
    let hostile = [
        ("", "Enter a reason"),
        ("   ", "Enter a reason"),
        (
            "a\u{1b}b",
            "Remove the invisible control characters from the reason",
        ),
    ];
    for (reason, message) in hostile {
        let fields = [("decision", "invalidate"), ("decision_reason", reason)];
        let (status, body) = post(&app, &staff, &path, &fields).await;
        assert_eq!(status, 422, "{reason:?}");
        assert_eq!(texts(&html(&body), ".error-summary li"), [message]);
    }
    let long = "x".repeat(501);
    let fields = [
        ("decision", "invalidate"),
        ("decision_reason", long.as_str()),
    ];
    assert_eq!(post(&app, &staff, &path, &fields).await.0, 422);
    assert_eq!(
        status_of(&app, &sid),
        "confirmed",
        "refused: nothing changed"
    );

    let reason = "<b>Signed twice</b> under two names";
    let fields = [("decision", "invalidate"), ("decision_reason", reason)];
    let (status, location) = post(&app, &staff, &path, &fields).await;
    assert_eq!((status, location.as_str()), (303, LIST));
    assert_eq!(count(&app).await, before - 1);

    // The list shows the decision with its reason, as text, and an Undo button.
    let list = get(&app, &staff, LIST).await;
    let row = texts(&list, "#decisions + p + div tbody tr");
    assert_eq!(row.len(), 1);
    assert!(
        row[0].contains("campaigner@example.org invalidated 1"),
        "{}",
        row[0]
    );
    assert!(row[0].contains(reason), "markup shown as typed: {}", row[0]);
    let undo = attrs(&list, "form[action$=\"/undo\"]", "action");
    assert_eq!(undo.len(), 1);

    let (status, location) = post(&app, &staff, &undo[0], &[]).await;
    assert_eq!(status, 303);
    assert_eq!(location, format!("{LIST}?undone=1&of=1"));
    assert_eq!(status_of(&app, &sid), "confirmed");
    assert_eq!(count(&app).await, before, "counted again");
    let list = get(&app, &staff, &location).await;
    assert!(texts(&list, ".notice").contains(&"Undone: 1 of 1 signatures turned back.".into()));
    assert!(attrs(&list, "form[action$=\"/undo\"]", "action").is_empty());

    // Undoing twice, or an unknown decision, changes nothing.
    assert_eq!(post(&app, &staff, &undo[0], &[]).await.0, 400);
    let unknown = format!("{BASE}/decisions/no-such-decision/undo");
    assert_eq!(post(&app, &staff, &unknown, &[]).await.0, 404);
    let events: Vec<String> = audit_events::table
        .select(audit_events::event)
        .order(audit_events::created_at.asc())
        .load(&mut app.conn())
        .unwrap();
    let ours: Vec<&String> = events
        .iter()
        .filter(|e| e.starts_with("signatures."))
        .collect();
    assert_eq!(
        ours,
        ["signatures.invalidated", "signatures.decision_undone"]
    );
}

#[actix_web::test]
async fn undoing_a_release_holds_again_only_the_rows_it_left_alone_and_not_after_30_days() {
    let app = TestApp::spawn().await;
    let id = petition_id(&app);
    let mut rows = Vec::new();
    for n in 1..=3 {
        let mut held = signature(&id, n, "held", "FR", "Held", "", 1);
        held.hold_reason = Some(HoldReason::PerAddress);
        held.confirmed_at = (n != 3).then_some(held.created_at);
        rows.push(held);
    }
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    insert(&app, &rows);
    let staff = staff(&app).await;

    // Release all three at once, with a reason.
    let criterion = "decision=release&status=held&reason=per_address";
    let preview = get(&app, &staff, &format!("{BASE}/bulk?{criterion}")).await;
    let digest = attrs(&preview, "input[name=digest]", "value").remove(0);
    let fields = [
        ("decision", "release"),
        ("status", "held"),
        ("reason", "per_address"),
        ("digest", digest.as_str()),
        ("decision_reason", "A school class signing from one network"),
    ];
    let (status, _) = post(&app, &staff, &format!("{BASE}/bulk"), &fields).await;
    assert_eq!(status, 303);
    let statuses: Vec<String> = ids.iter().map(|i| status_of(&app, i)).collect();
    assert_eq!(statuses, ["confirmed", "confirmed", "pending"]);

    // One moves on (invalidated by a later decision): undoing the release leaves it.
    let fields = [
        ("decision", "invalidate"),
        ("decision_reason", "A test entry"),
    ];
    let path = format!("{LIST}/{}", ids[0]);
    assert_eq!(post(&app, &staff, &path, &fields).await.0, 303);
    let list = get(&app, &staff, LIST).await;
    let undo = attrs(&list, "form[action$=\"/undo\"]", "action");
    assert_eq!(undo.len(), 2, "both decisions can be undone");
    let release = undo.last().unwrap();
    let (status, location) = post(&app, &staff, release, &[]).await;
    assert_eq!((status, location), (303, format!("{LIST}?undone=2&of=3")));
    let statuses: Vec<String> = ids.iter().map(|i| status_of(&app, i)).collect();
    assert_eq!(statuses, ["invalidated", "held", "held"]);
    let reasons: Vec<Option<HoldReason>> = signatures::table
        .filter(signatures::id.eq_any(&ids[1..]))
        .select(signatures::hold_reason)
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(reasons, [Some(HoldReason::PerAddress); 2], "held as before");

    // A decision older than 30 days can no longer be undone.
    diesel::update(moderation_decisions::table)
        .set(moderation_decisions::decided_at.eq(clarion::db::now() - chrono::Duration::days(31)))
        .execute(&mut app.conn())
        .unwrap();
    let list = get(&app, &staff, LIST).await;
    assert!(attrs(&list, "form[action$=\"/undo\"]", "action").is_empty());
    assert!(texts(&list, "#decisions + p + div td").contains(&"Too old".to_string()));
    assert_eq!(post(&app, &staff, &undo[0], &[]).await.0, 400);
    assert_eq!(status_of(&app, &ids[0]), "invalidated");
}
