//! Erasing a supporter: their data leaves every table, file page and export; counts stay.

use clarion::db::schema::{audit_events, signatures};
use diesel::prelude::*;

use crate::helpers::contact::{letter_form, send};
use crate::helpers::{add_staff, csrf, html, link_to, logged_in, texts, TestApp, PETITION};

/// Every stored byte that could hold `needle`: on SQLite the database file and its log,
/// on PostgreSQL every row of every table as text.
pub(crate) fn stored_anywhere(app: &TestApp, needle: &str) -> Vec<String> {
    let needle = needle.to_lowercase();
    let mut conn = app.conn();
    match &mut *conn {
        clarion::db::DbConnection::Sqlite(_) => {
            let path = app.db.url.trim_start_matches("sqlite://").to_string();
            [path.clone(), format!("{path}-wal")]
                .iter()
                .filter_map(|p| std::fs::read(p).ok())
                .filter(|bytes| {
                    String::from_utf8_lossy(bytes)
                        .to_lowercase()
                        .contains(&needle)
                })
                .map(|_| "the SQLite file".to_string())
                .collect()
        }
        clarion::db::DbConnection::Postgresql(pg) => {
            #[derive(QueryableByName)]
            struct Row {
                #[diesel(sql_type = diesel::sql_types::Text)]
                row: String,
            }
            let tables: Vec<String> = diesel::dsl::sql::<diesel::sql_types::Text>(
                "SELECT tablename::text FROM pg_tables WHERE schemaname = 'public'",
            )
            .load(pg)
            .unwrap();
            tables
                .into_iter()
                .filter(|t| {
                    let rows: Vec<Row> =
                        diesel::sql_query(format!("SELECT CAST(t AS TEXT) AS row FROM \"{t}\" t"))
                            .load(pg)
                            .unwrap();
                    rows.iter().any(|r| r.row.to_lowercase().contains(&needle))
                })
                .collect()
        }
    }
}

#[actix_web::test]
async fn an_erased_supporter_is_gone_from_the_database_and_every_export_and_the_counts_stay() {
    let app = TestApp::spawn().await;
    let details = [
        ("first_name", "Vannaksith"),
        ("last_name", "Phirunrotha"),
        ("email", "Vannak.Phirun+news@Gmail.com"),
        ("country", "KH"),
        ("postcode", "12000-zz"),
        ("comment", "my secret remark"),
    ];
    assert_eq!(app.sign(PETITION, &details).await.status(), 303);
    let link = link_to(&app, "Vannak.Phirun+news@Gmail.com").await;
    assert_eq!(app.client.post(&link).send().await.unwrap().status(), 303);
    assert_eq!(
        app.sign(PETITION, &crate::helpers::supporter("other@example.org"))
            .await
            .status(),
        303
    );
    let (_, ticked, _) = letter_form(&app, "FR").await;
    let sent = send(
        &app,
        "FR",
        &ticked[..1],
        &[
            ("email", "vannakphirun@gmail.com"),
            ("first_name", "Vannaksith"),
            ("body", "Dear {target_name}, from Phirunrotha"),
        ],
    )
    .await;
    assert_eq!(sent.status(), 303);
    // The newsletter too, under another variant of the address.
    let hidden = app.hidden_fields("/newsletter", "/newsletter").await;
    let mut join: Vec<(&str, &str)> = hidden
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    join.extend([
        ("email", "vannak.phirun@gmail.com"),
        ("first_name", "Vannaksith"),
        ("country", "KH"),
    ]);
    assert_eq!(app.post_form("/newsletter", &join).await.status(), 303);
    let count = crate::helpers::json_count(&app).await["signature_count"].clone();

    add_staff(&app, "admin@example.org", "admin");
    let client = logged_in(&app, "admin@example.org").await;
    let token = csrf(&app, &client).await;
    let preview = client
        .post(app.url("/admin/erase"))
        .form(&[
            ("csrf", token.as_str()),
            ("email", "VANNAKPHIRUN@gmail.com"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(preview.status(), 200);
    let preview = html(&preview.text().await.unwrap());
    assert!(texts(&preview, ".notice p")[0].contains("1 signatures and 1 messages"));
    assert!(texts(&preview, ".notice p")[1].contains("newsletter subscription"));
    assert!(
        !stored_anywhere(&app, "phirunrotha").is_empty(),
        "nothing erased before confirming"
    );

    let done = client
        .post(app.url("/admin/erase"))
        .form(&[
            ("csrf", token.as_str()),
            ("email", "VANNAKPHIRUN@gmail.com"),
            ("confirm", "1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(done.status(), 200);
    for trace in [
        "vannak.phirun",
        "vannakphirun",
        "phirunrotha",
        "vannaksith",
        "my secret remark",
        "12000-zz",
    ] {
        assert_eq!(
            stored_anywhere(&app, trace),
            Vec::<String>::new(),
            "{trace}"
        );
    }
    assert_eq!(
        crate::helpers::json_count(&app).await["signature_count"],
        count,
        "the count stays"
    );
    assert_eq!(
        signatures::table
            .count()
            .get_result::<i64>(&mut app.conn())
            .unwrap(),
        2
    );
    for export in [
        format!("/admin/petitions/{PETITION}/signatures.csv?status=all"),
        format!(
            "/admin/contacts/{}/messages.csv",
            crate::helpers::contact::CONTACT
        ),
    ] {
        let body = client
            .get(app.url(&export))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            body.contains("other@example.org") || export.contains("messages"),
            "{export}"
        );
        for trace in ["phirun", "vannak", "secret"] {
            assert!(
                !body.to_lowercase().contains(trace),
                "{export} holds {trace}"
            );
        }
    }
    let log: Vec<(String, Option<i64>)> = audit_events::table
        .filter(audit_events::event.eq("supporter.erased"))
        .select((audit_events::detail, audit_events::row_count))
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(log, [("1 signatures and 1 messages".to_string(), Some(2))]);
}

/// The erasure turns full zeroing on for its connection and back to `FAST`, which every
/// connection keeps so that old copies of updated rows never linger: a pooled
/// connection left with zeroing off made later erasures leave traces.
#[actix_web::test]
async fn after_an_erasure_its_connection_still_zeroes_what_it_frees() {
    #[derive(QueryableByName)]
    struct Setting {
        #[diesel(sql_type = diesel::sql_types::Integer)]
        secure_delete: i32,
    }
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    if !matches!(&*conn, clarion::db::DbConnection::Sqlite(_)) {
        crate::helpers::say("SKIPPED on PostgreSQL: a setting of SQLite");
        return;
    }
    clarion::db::erasure::erase(&mut conn, "nobody@example.org").unwrap();
    let setting: Setting = diesel::sql_query("PRAGMA secure_delete")
        .get_result(&mut *conn)
        .unwrap();
    assert_eq!(setting.secure_delete, 2, "FAST");
}
