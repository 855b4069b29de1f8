//! Staff find the newsletter's subscribers and export them as CSV: formulas made
//! harmless, a byte-order mark for Excel, the download audited, hostile searches refused.

use clarion::db::schema::audit_events;
use diesel::prelude::*;

use crate::helpers::admin::staff_page;
use crate::helpers::newsletter::{join, subscribe};
use crate::helpers::smtp::Mode;
use crate::helpers::{add_staff, app_with_smtp, logged_in, texts};

#[actix_web::test]
async fn staff_search_and_export_subscribers_and_the_export_is_audited() {
    let (app, smtp) = app_with_smtp(Mode::Accept).await;
    subscribe(&app, &smtp, "/fr/newsletter", "lyon@example.org", 1).await;
    let formula = [
        ("email", "formula@example.org"),
        ("first_name", "=HYPERLINK(\"http://evil.example\")"),
        ("country", "GB"),
    ];
    assert_eq!(join(&app, "/newsletter", &formula).await.status(), 303);
    add_staff(&app, "staff@example.org", "campaigner");
    let staff = logged_in(&app, "staff@example.org").await;

    let page = staff_page(&app, &staff, "/admin/subscribers").await;
    assert_eq!(
        texts(&page, "ul.counts li"),
        ["pending: 1", "subscribed: 1"]
    );
    assert_eq!(texts(&page, "p.count"), ["2 found"]);
    let found = staff_page(&app, &staff, "/admin/subscribers?q=LYON&status=subscribed").await;
    assert_eq!(texts(&found, "tbody th"), ["lyon@example.org"]);
    let literal = staff_page(&app, &staff, "/admin/subscribers?q=%25").await;
    assert_eq!(
        texts(&literal, "p.count"),
        ["0 found"],
        "% is searched for, not a wildcard"
    );
    let long = format!("/admin/subscribers?q={}", "x".repeat(201));
    for bad in [
        long.as_str(),
        "/admin/subscribers?status=gone",
        "/admin/subscribers?page=0",
    ] {
        let answer = staff.get(app.url(bad)).send().await.unwrap();
        assert_eq!(answer.status(), 400, "{bad}");
    }

    let csv = staff
        .get(app.url("/admin/subscribers.csv"))
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), 200);
    let body = csv.bytes().await.unwrap();
    let body = body
        .strip_prefix(b"\xEF\xBB\xBF")
        .expect("a byte-order mark first");
    let mut reader = csv::Reader::from_reader(body);
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "email",
            "first_name",
            "country",
            "language",
            "status",
            "consent_version",
            "subscribed_at",
            "confirmed_at",
            "source"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 2);
    let lyon = rows.iter().find(|r| &r[0] == "lyon@example.org").unwrap();
    assert_eq!(
        (&lyon[3], &lyon[4], &lyon[5]),
        ("fr", "subscribed", "newsletter-form-2026-12")
    );
    assert!(lyon[7].ends_with('Z'), "confirmed at, RFC 3339");
    let hostile = rows
        .iter()
        .find(|r| &r[0] == "formula@example.org")
        .unwrap();
    assert_eq!(
        &hostile[1], "'=HYPERLINK(\"http://evil.example\")",
        "formula neutralised"
    );
    assert_eq!(&hostile[7], "", "not confirmed");

    let logged: Vec<(String, Option<i64>)> = audit_events::table
        .filter(audit_events::event.eq("export.subscribers"))
        .select((audit_events::event, audit_events::row_count))
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(logged, [("export.subscribers".to_string(), Some(2))]);
}
