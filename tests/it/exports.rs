//! Exports: signature CSVs that open anywhere and round-trip exactly, counts, the report.

use clarion::db::signatures::NewSignature;
use sha2::Digest as _;

use crate::helpers::rows::{insert, petition_id, signature};
use crate::helpers::{add_staff, html, logged_in, texts, TestApp, PETITION};

async fn download(
    app: &TestApp,
    client: &reqwest::Client,
    query: &str,
) -> (reqwest::StatusCode, reqwest::header::HeaderMap, Vec<u8>) {
    let response = client
        .get(app.url(&format!(
            "/admin/petitions/{PETITION}/signatures.csv{query}"
        )))
        .send()
        .await
        .unwrap();
    let (status, headers) = (response.status(), response.headers().clone());
    (status, headers, response.bytes().await.unwrap().to_vec())
}

fn records(bytes: &[u8]) -> Vec<csv::StringRecord> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    csv::Reader::from_reader(bytes)
        .records()
        .map(|r| r.expect("valid CSV"))
        .collect()
}

#[actix_web::test]
async fn the_signature_csv_has_the_contract_columns_filters_and_exact_values() {
    let app = TestApp::spawn().await;
    let id = petition_id(&app);
    let hostile = [
        ("Sok", "plain"),
        (
            "=HYPERLINK(\"http://evil.example\",\"x\")",
            "a, \"quoted\" comment\r\nwith a line break",
        ),
        ("សុខ\u{200B}ដារា", "<script>alert(1)</script> 😀"),
        ("+33 Marie", "@SUM(A1:A9)"),
    ];
    let mut rows: Vec<NewSignature> = hostile
        .iter()
        .enumerate()
        .map(|(n, (name, comment))| signature(&id, n, "confirmed", "KH", name, comment, 3))
        .collect();
    rows.push(signature(&id, 10, "pending", "FR", "Pending", "", 4));
    rows.push(signature(&id, 11, "confirmed", "FR", "French", "", 20));
    insert(&app, &rows);
    add_staff(&app, "staff@example.org", "campaigner");
    let client = logged_in(&app, "staff@example.org").await;

    let (status, headers, body) = download(&app, &client, "").await;
    assert_eq!(status.as_u16(), 200);
    assert!(headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let today = chrono::Utc::now().format("%Y-%m-%d");
    assert_eq!(
        headers["content-disposition"],
        format!("attachment; filename=\"{PETITION}-signatures-{today}.csv\"").as_str()
    );
    // Excel reads it as UTF-8 only after a byte-order mark: there by default.
    let text = String::from_utf8(body.clone()).unwrap();
    let text = text
        .strip_prefix('\u{FEFF}')
        .expect("a byte-order mark first");
    assert!(text.starts_with("signature_id,first_name,last_name,email,country,postcode,comment,consent_updates,consent_version,status,created_at,confirmed_at,source,language,partner\r\n"));
    let all = records(&body);
    assert_eq!(all.len(), 5, "confirmed only by default");
    assert_eq!(&all[0][1], "Sok");
    assert_eq!(
        &all[1][1], "'=HYPERLINK(\"http://evil.example\",\"x\")",
        "formula neutralised"
    );
    assert_eq!(
        &all[1][6], "a, \"quoted\" comment\r\nwith a line break",
        "exact round trip"
    );
    assert_eq!(&all[2][1], "សុខ\u{200B}ដារា");
    assert_eq!(&all[2][6], "<script>alert(1)</script> 😀");
    assert_eq!((&all[3][1], &all[3][6]), ("'+33 Marie", "'@SUM(A1:A9)"));
    assert_eq!(&all[0][7], "true");
    assert_eq!(&all[0][10], "2026-11-03T10:00:00Z");
    assert_eq!(&all[0][11], "2026-11-03T10:00:00Z");
    assert_eq!(&all[4][1], "French", "ordered by created_at");

    let count = |query: &'static str| {
        let (app, client) = (&app, &client);
        async move { records(&download(app, client, query).await.2).len() }
    };
    assert_eq!(count("?status=all").await, 6);
    assert_eq!(count("?status=pending").await, 1);
    assert_eq!(count("?country=fr").await, 1);
    assert_eq!(count("?from=2026-11-04&to=2026-11-20").await, 1);
    assert_eq!(count("?to=2026-11-03").await, 4, "to is inclusive");
    assert_eq!(count("?consent=1").await, 2);
    let (_, _, bom) = download(&app, &client, "?bom=1").await;
    assert_eq!(bom, body, "bom=1 is the default");
    let (_, _, plain) = download(&app, &client, "?bom=0").await;
    assert_eq!(plain, body[3..], "bom=0: the same bytes without the mark");
    for bad in [
        "?status=deleted",
        "?country=XX",
        "?from=yesterday",
        "?consent=maybe",
        "?bom=yes",
    ] {
        let (status, _, body) = download(&app, &client, bad).await;
        assert_eq!(status.as_u16(), 400, "{bad}");
        assert!(!String::from_utf8_lossy(&body).is_empty());
    }
    // Each export is in the audit log with its filters and row count.
    let log = clarion::db::audit::latest(&mut app.conn(), 50).unwrap();
    assert!(log.iter().any(|(e, d, n)| e == "export.signatures"
        && d.contains("status=confirmed")
        && *n == Some(5)));
    assert!(log
        .iter()
        .any(|(_, d, n)| d.contains("status=all") && *n == Some(6)));

    // Anonymous visitors are sent to the login page.
    let (status, headers, _) = download(&app, &app.client, "").await;
    assert_eq!(
        (status.as_u16(), headers["location"].to_str().unwrap()),
        (303, "/admin/login")
    );
}

#[actix_web::test]
async fn an_export_of_ten_thousand_rows_has_ten_thousand_records_and_the_report_gives_its_digest() {
    let app = TestApp::spawn().await;
    let id = petition_id(&app);
    let countries = ["FR", "DE", "KH", "US", "ES"];
    let rows: Vec<NewSignature> = (0..10_000)
        .map(|n| {
            signature(
                &id,
                n,
                "confirmed",
                countries[n % 5],
                "Sok",
                "",
                1 + (n % 20) as u32,
            )
        })
        .collect();
    insert(&app, &rows);
    add_staff(&app, "staff@example.org", "campaigner");
    let client = logged_in(&app, "staff@example.org").await;
    let (_, _, body) = download(&app, &client, "?bom=0").await;
    assert_eq!(records(&body).len(), 10_000);
    let digest = hex::encode(sha2::Sha256::digest(&body));

    let report = html(
        &client
            .get(app.url(&format!("/admin/petitions/{PETITION}/report")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
    );
    assert_eq!(texts(&report, "code.digest"), [digest]);
    let member_states = texts(&report, "table.report-table:not(.languages) tbody tr");
    assert_eq!(
        member_states.len(),
        27 + 2,
        "every member state, then Cambodia and the US"
    );
    assert_eq!(
        texts(&report, "table.languages tbody tr"),
        ["English 10000", "Français 0", "ខ្មែរ 0"],
        "the signatures by language of the page signed on"
    );
    assert!(
        member_states.contains(&"Malta 6 0".to_string()),
        "zeros are shown"
    );
    assert!(member_states.contains(&"France 81 2000".to_string()));

    // The command line writes the same bytes.
    let out = app.db.dir.path().join("export.csv");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_clarion"))
        .env("CLARION_DATABASE_URL", &app.db.url)
        .env("CLARION_DATA_DIR", app.db.dir.path())
        .args(["export-signatures", "--petition", PETITION, "--output"])
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(
        std::fs::read(&out).unwrap(),
        body,
        "CLI and HTTP exports are byte for byte the same"
    );
}

#[actix_web::test]
async fn counts_come_as_csv_and_json_and_contact_exports_list_letters_and_messages() {
    let app = TestApp::spawn().await;
    let id = petition_id(&app);
    insert(
        &app,
        &[
            signature(&id, 1, "confirmed", "KH", "Sok", "", 1),
            signature(&id, 2, "confirmed", "FR", "Marie", "", 2),
        ],
    );
    add_staff(&app, "staff@example.org", "campaigner");
    let client = logged_in(&app, "staff@example.org").await;
    let get = |path: String| {
        let client = client.clone();
        let url = app.url(&path);
        async move { client.get(url).send().await.unwrap() }
    };
    let json: serde_json::Value = get(format!("/admin/petitions/{PETITION}/counts.json"))
        .await
        .json()
        .await
        .unwrap();
    for key in [
        "counted",
        "pending",
        "held",
        "invalidated",
        "by_country",
        "by_day",
    ] {
        assert!(json.get(key).is_some(), "{key}");
    }
    let csv = get(format!("/admin/petitions/{PETITION}/counts.csv?by=day"))
        .await
        .bytes()
        .await
        .unwrap();
    assert!(
        csv.starts_with(b"\xEF\xBB\xBFday,confirmed\r\n"),
        "a BOM first"
    );
    let by_country = get(format!("/admin/petitions/{PETITION}/counts.csv?bom=0"))
        .await
        .bytes()
        .await
        .unwrap();
    let mut reader = csv::Reader::from_reader(&by_country[..]);
    assert_eq!(
        reader.headers().unwrap(),
        vec!["country", "confirmed", "country_name"]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(
        rows,
        [
            csv::StringRecord::from(vec!["FR", "1", "France"]),
            csv::StringRecord::from(vec!["KH", "1", "Cambodia"]),
        ],
        "a name beside every code"
    );
    assert_eq!(
        get(format!("/admin/petitions/{PETITION}/counts.csv?by=week"))
            .await
            .status()
            .as_u16(),
        400
    );
    let letters = get("/admin/contacts/write-to-your-meps-on-cambodia/letters.csv?bom=0".into())
        .await
        .text()
        .await
        .unwrap();
    assert!(letters.starts_with("target,country,political_group,letters_sent,letters_failed"));
    let messages = get("/admin/contacts/write-to-your-meps-on-cambodia/messages.csv".into())
        .await
        .bytes()
        .await
        .unwrap();
    assert!(messages.starts_with(b"\xEF\xBB\xBF"), "a BOM first");
    let messages = String::from_utf8(messages[3..].to_vec()).unwrap();
    assert!(messages.starts_with("message_id,supporter,email,country,postcode,targets,subject,created_at,confirmed_at,status,partner\r\n"));
    let page = html(
        &get(format!("/admin/petitions/{PETITION}"))
            .await
            .text()
            .await
            .unwrap(),
    );
    let empty = texts(&page, "p.chart-empty");
    assert_eq!(texts(&page, "svg[role=img] > title").len() + empty.len(), 2);
    assert!(empty.iter().all(|t| t.ends_with("nothing to show yet.")));
}
