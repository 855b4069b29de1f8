//! Moderation: searching a petition's signatures, releasing and invalidating one or many
//! (previewed first, exact even when signatures arrive in between), with counts exact.

use clarion::db::schema::{audit_events, signatures};
use clarion::domain::status::HoldReason;
use diesel::prelude::*;

use crate::helpers::rows::{insert, petition_id, signature};
use crate::helpers::{
    add_staff, attrs, csrf, html, logged_in, supporter, texts, TestApp, PETITION,
};

const LIST: &str = "/admin/petitions/cambodia-political-prisoners-petition/signatures";
const BULK: &str = "/admin/petitions/cambodia-political-prisoners-petition/bulk";

fn by_status(app: &TestApp, status: &str) -> i64 {
    signatures::table
        .filter(signatures::status.eq(status))
        .count()
        .get_result(&mut app.conn())
        .unwrap()
}

async fn public_count(app: &TestApp) -> i64 {
    crate::helpers::json_count(app).await["signature_count"]
        .as_i64()
        .unwrap()
}

fn audited(app: &TestApp, event: &str) -> Vec<(String, Option<i64>)> {
    audit_events::table
        .filter(audit_events::event.eq(event))
        .order(audit_events::created_at.asc())
        .select((audit_events::detail, audit_events::row_count))
        .load(&mut app.conn())
        .unwrap()
}

async fn page(client: &reqwest::Client, url: String) -> (u16, scraper::Html) {
    let response = client.get(url).send().await.unwrap();
    let status = response.status().as_u16();
    (status, html(&response.text().await.unwrap()))
}

#[actix_web::test]
async fn a_flood_held_by_address_is_invalidated_in_one_previewed_step_that_sweeps_up_nothing_new() {
    let app = TestApp::builder()
        .set("CLARION_HOLD_PER_ADDRESS", "2/1h")
        .spawn()
        .await;
    for n in 0..7 {
        let email = format!("flood{n}@example.org");
        assert_eq!(app.sign(PETITION, &supporter(&email)).await.status(), 303);
    }
    assert_eq!(
        (by_status(&app, "pending"), by_status(&app, "held")),
        (2, 5)
    );
    add_staff(&app, "campaigner@example.org", "campaigner");
    let client = logged_in(&app, "campaigner@example.org").await;

    // Seen by reason.
    let (status, list) = page(
        &client,
        app.url(&format!("{LIST}?status=held&reason=per_address")),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(texts(&list, "table.data tbody tr").len(), 5);
    assert!(texts(&list, "p[role=status]").contains(&"5 signatures match.".to_string()));

    // The preview counts and changes nothing.
    let criterion = "decision=invalidate&status=held&reason=per_address";
    let (status, preview) = page(&client, app.url(&format!("{BULK}?{criterion}"))).await;
    assert_eq!(status, 200);
    assert!(
        texts(&preview, ".notice p").contains(&"5 signatures would be invalidated.".to_string())
    );
    assert_eq!(by_status(&app, "held"), 5);
    let mut fields: Vec<(String, String)> =
        attrs(&preview, "form[method=post] input[type=hidden]", "name")
            .into_iter()
            .zip(attrs(
                &preview,
                "form[method=post] input[type=hidden]",
                "value",
            ))
            .collect();

    // Confirming asks why.
    let no_reason = client
        .post(app.url(BULK))
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(no_reason.status().as_u16(), 422);
    let no_reason = html(&no_reason.text().await.unwrap());
    assert_eq!(texts(&no_reason, ".error-summary li"), ["Enter a reason"]);
    assert_eq!(by_status(&app, "held"), 5, "nothing changed");
    fields.push(("decision_reason".into(), "One address, many names".into()));

    // One more held signature arrives before staff confirm: the old preview is refused.
    assert_eq!(
        app.sign(PETITION, &supporter("late@example.org"))
            .await
            .status(),
        303
    );
    let stale = client
        .post(app.url(BULK))
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status().as_u16(), 409);
    let stale = html(&stale.text().await.unwrap());
    assert!(texts(&stale, ".notice p").contains(&"6 signatures would be invalidated.".to_string()));
    assert_eq!(by_status(&app, "held"), 6, "nothing changed");

    // Confirming the new preview changes exactly those six.
    let digest = attrs(&stale, "form[method=post] input[name=digest]", "value").remove(0);
    fields
        .iter_mut()
        .filter(|(n, _)| n == "digest")
        .for_each(|(_, v)| *v = digest.clone());
    let done = client
        .post(app.url(BULK))
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(done.status().as_u16(), 303);
    assert_eq!(
        (by_status(&app, "held"), by_status(&app, "invalidated")),
        (0, 6)
    );
    assert_eq!(
        by_status(&app, "pending"),
        2,
        "rows outside the criterion are untouched"
    );
    let log = audited(&app, "signatures.invalidated");
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].1, Some(6));
    assert!(log[0].0.contains("reason=per_address"), "{}", log[0].0);
    assert!(log[0].0.contains("One address, many names"), "{}", log[0].0);
}

#[actix_web::test]
async fn releasing_and_invalidating_one_signature_moves_the_public_count_exactly() {
    let app = TestApp::spawn().await;
    let id = petition_id(&app);
    let mut held = signature(&id, 1, "held", "FR", "Remembered", "", 1);
    held.hold_reason = Some(HoldReason::TooFast);
    held.confirmed_at = Some(held.created_at);
    let comment = "<b>Free them</b> =1+1";
    let mut unconfirmed = signature(&id, 2, "held", "FR", "Waiting", comment, 2);
    unconfirmed.hold_reason = Some(HoldReason::Honeypot);
    let counted = signature(&id, 3, "confirmed", "DE", "Counted", "", 3);
    let ids = [held.id.clone(), unconfirmed.id.clone(), counted.id.clone()];
    insert(&app, &[held, unconfirmed, counted]);
    let before = public_count(&app).await;
    add_staff(&app, "campaigner@example.org", "campaigner");
    let client = logged_in(&app, "campaigner@example.org").await;
    let token = csrf(&app, &client).await;
    let decide = |id: &str, decision: &str| {
        let (client, url, token, decision) = (
            client.clone(),
            app.url(&format!("{LIST}/{id}")),
            token.clone(),
            decision.to_string(),
        );
        async move {
            client
                .post(url)
                .form(&[
                    ("csrf", token.as_str()),
                    ("decision", decision.as_str()),
                    ("back", "status=held"),
                    ("decision_reason", "Checked by hand"),
                ])
                .send()
                .await
                .unwrap()
        }
    };

    // Staff read the comment before deciding, as typed (markup shown, not run).
    let (_, list) = page(&client, app.url(&format!("{LIST}?status=held"))).await;
    assert!(texts(&list, "td.comment").contains(&comment.to_string()));
    assert_eq!(
        texts(&list, "td:last-child a"),
        ["Release", "Invalidate", "Release", "Invalidate"],
        "each held row offers both decisions"
    );

    let released = decide(&ids[0], "release").await;
    assert_eq!(released.status().as_u16(), 303);
    assert_eq!(
        released.headers()["location"],
        format!("{LIST}?status=held")
    );
    assert_eq!(
        public_count(&app).await,
        before + 1,
        "a remembered confirmation counts at once"
    );
    assert_eq!(decide(&ids[1], "release").await.status().as_u16(), 303);
    assert_eq!(
        public_count(&app).await,
        before + 1,
        "never confirmed: it awaits confirmation"
    );
    assert_eq!(by_status(&app, "pending"), 1);
    assert_eq!(decide(&ids[2], "invalidate").await.status().as_u16(), 303);
    assert_eq!(public_count(&app).await, before);

    // Deciding again, or nonsense, is refused with a reason and changes nothing.
    let again = decide(&ids[2], "invalidate").await;
    assert_eq!(again.status().as_u16(), 400);
    assert!(again
        .text()
        .await
        .unwrap()
        .contains("cannot be invalidated now"));
    assert_eq!(decide(&ids[0], "delete").await.status().as_u16(), 400);
    assert_eq!(decide("no-such-id", "release").await.status().as_u16(), 400);
    assert_eq!(audited(&app, "signatures.released").len(), 2);
    assert_eq!(audited(&app, "signatures.invalidated").len(), 1);
    assert_eq!(public_count(&app).await, before);
}

#[actix_web::test]
async fn signatures_are_searched_by_name_or_email_and_hostile_queries_get_a_clear_400() {
    let app = TestApp::spawn().await;
    let id = petition_id(&app);
    let rows: Vec<_> = (0..60)
        .map(|n| {
            signature(
                &id,
                n,
                if n % 2 == 0 { "confirmed" } else { "pending" },
                "FR",
                if n == 7 { "Sophea 100%" } else { "Sok" },
                "",
                1 + (n % 5) as u32,
            )
        })
        .collect();
    insert(&app, &rows);
    add_staff(&app, "campaigner@example.org", "campaigner");
    let client = logged_in(&app, "campaigner@example.org").await;

    let (_, all) = page(&client, app.url(LIST)).await;
    assert_eq!(texts(&all, "table.data tbody tr").len(), 50, "50 a page");
    let (_, second) = page(&client, app.url(&format!("{LIST}?page=2"))).await;
    assert_eq!(texts(&second, "table.data tbody tr").len(), 10);
    for (query, expected) in [
        ("q=SOPHEA", 1),
        ("q=100%25", 1),
        ("q=_", 0),
        ("q=s7%40EXAMPLE", 1),
        ("status=pending", 30),
        ("status=confirmed&from=2026-11-01&to=2026-11-01", 6),
        ("q=%3Cscript%3E", 0),
    ] {
        let (status, found) = page(&client, app.url(&format!("{LIST}?{query}"))).await;
        assert_eq!(status, 200, "{query}");
        assert!(
            texts(&found, "p[role=status]").contains(&format!("{expected} signatures match.")),
            "{query}"
        );
    }
    let long = "x".repeat(300);
    for (query, message) in [
        ("page=0", "page must be a number from 1"),
        ("page=abc", "page must be a number from 1"),
        ("status=deleted", "status must be one of"),
        ("country=XX", "country must be"),
        ("reason=%3Cb%3E", "reason must be one of"),
        ("from=2026-13-01", "from must be a date"),
        (&format!("q={long}"), "200 characters or fewer"),
    ] {
        let response = client
            .get(app.url(&format!("{LIST}?{query}")))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 400, "{query}");
        assert!(response.text().await.unwrap().contains(message), "{query}");
    }
    // A bulk criterion that matches everything by accident is refused.
    let (status, empty) = page(&client, app.url(&format!("{BULK}?decision=invalidate"))).await;
    assert_eq!(status, 422);
    assert!(texts(&empty, ".error-summary li")
        .iter()
        .any(|t| t.contains("at least one criterion")));
    let (status, _) = page(
        &client,
        app.url(&format!("{BULK}?decision=invalidate&domain=%3Cb%3E")),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(by_status(&app, "invalidated"), 0);
}
