//! Staff find the newsletter's subscribers and export them as CSV: formulas made
//! harmless, a byte-order mark for Excel, the download audited, hostile searches refused.

use clarion::db::schema::audit_events;
use diesel::prelude::*;

use crate::helpers::admin::staff_page;
use crate::helpers::newsletter::{create, exactly, join, post, subscribe};
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

/// Uploads `bytes` as the suppression list; answers the status and the page.
async fn suppress(
    app: &crate::helpers::TestApp,
    staff: &reqwest::Client,
    bytes: &[u8],
) -> (u16, String) {
    upload(app, staff, "/admin/subscribers/suppressions", bytes).await
}

/// Uploads `bytes` as the file of the staff form posting to `path`.
async fn upload(
    app: &crate::helpers::TestApp,
    staff: &reqwest::Client,
    path: &str,
    bytes: &[u8],
) -> (u16, String) {
    let token = crate::helpers::csrf(app, staff).await;
    let form = reqwest::multipart::Form::new().text("csrf", token).part(
        "file",
        reqwest::multipart::Part::bytes(bytes.to_vec()).file_name("suppress.csv"),
    );
    let answer = staff
        .post(app.url(path))
        .multipart(form)
        .send()
        .await
        .unwrap();
    (answer.status().as_u16(), answer.text().await.unwrap())
}

#[actix_web::test]
async fn a_suppressed_address_is_skipped_by_every_mailing_and_a_bad_list_imports_nothing() {
    let (app, smtp) = app_with_smtp(Mode::Accept).await;
    subscribe(&app, &smtp, "/newsletter", "leeds@example.org", 1).await;
    subscribe(&app, &smtp, "/fr/newsletter", "lyon@example.org", 2).await;
    add_staff(&app, "staff@example.org", "campaigner");
    let staff = logged_in(&app, "staff@example.org").await;

    for bad in [
        &b"email\nlyon@example.org\n=cmd|' /C calc'!A0\n"[..],
        b"\xff\xfeemail",
        b"",
    ] {
        let (status, page) = suppress(&app, &staff, bad).await;
        assert_eq!(status, 422, "{bad:?}");
        assert!(page.contains("Nothing was imported"));
    }
    let page = staff_page(&app, &staff, "/admin/subscribers").await;
    assert!(texts(&page, "main p")
        .iter()
        .any(|p| p == "0 addresses no mailing will reach."));
    let (status, _) = suppress(&app, &staff, b"\xEF\xBB\xBFemail\r\nLyon@Example.org\r\n").await;
    assert_eq!(status, 303);

    let mailing = create(&app, &staff).await;
    assert_eq!(
        post(&app, &staff, &format!("{mailing}/send"), &[]).await,
        303
    );
    let mails = exactly(&smtp, 3).await;
    assert_eq!(mails[2].to, ["<leeds@example.org>"]);
}

#[actix_web::test]
async fn staff_import_subscribers_with_their_consent_all_or_nothing() {
    use clarion::db::schema::subscribers;
    let (app, smtp) = app_with_smtp(Mode::Accept).await;
    subscribe(&app, &smtp, "/newsletter", "left@example.org", 1).await;
    diesel::update(subscribers::table)
        .set(subscribers::status.eq("unsubscribed"))
        .execute(&mut app.conn())
        .unwrap();
    add_staff(&app, "staff@example.org", "campaigner");
    let staff = logged_in(&app, "staff@example.org").await;
    let header = "email,first_name,country,language,consent_text,consent_version,subscribed_at\r\n";
    let bad = format!("{header}ok@example.org,Sok,FR,fr,Send me the news,v1,2026-03-01\r\n=cmd,<b>x</b>,ZZ,de,,v1,tomorrow\r\n");
    let (status, page) = upload(&app, &staff, "/admin/subscribers/import", bad.as_bytes()).await;
    assert_eq!(status, 422);
    assert!(page.contains("Line 3"), "the bad line is named");
    let count = || {
        subscribers::table
            .count()
            .get_result::<i64>(&mut app.conn())
            .unwrap()
    };
    assert_eq!(count(), 1, "nothing imported");

    let good = format!("\u{feff}{header}Ok@Example.org,សុខ,KH,km,Send me the news,v1,2026-03-01\r\nleft@example.org,Left,FR,en,Yes,v1,2026-01-01T10:00:00Z\r\n");
    let (status, _) = upload(&app, &staff, "/admin/subscribers/import", good.as_bytes()).await;
    assert_eq!(status, 303);
    let rows: Vec<(
        String,
        String,
        String,
        String,
        Option<chrono::NaiveDateTime>,
    )> = subscribers::table
        .order(subscribers::email_canonical)
        .select((
            subscribers::email_canonical,
            subscribers::status,
            subscribers::source,
            subscribers::consent_text,
            subscribers::confirmed_at,
        ))
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(
        rows[0].1, "unsubscribed",
        "an import never signs up again someone who left"
    );
    assert_eq!(
        (rows[1].1.as_str(), rows[1].2.as_str(), rows[1].3.as_str()),
        ("subscribed", "import", "Send me the news")
    );
    assert_eq!(rows[1].4.unwrap().to_string(), "2026-03-01 00:00:00");
}
