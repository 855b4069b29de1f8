//! Partners (issue 27, first part): admins and the command line register them with
//! checked origins; a signature made through a partner's link or embed records it (and
//! the page's campaign parameters, and the separate choice to share with it); the CSV
//! names it and the admin counts it. The embed is in `embed.rs`.

use clarion::db::schema::{partners, signatures};
use diesel::prelude::*;

use crate::helpers::admin::staff_page;
use crate::helpers::{
    add_staff, attrs, csrf, html, link_to, logged_in, supporter, texts, TestApp, PETITION,
};

fn stored_partners(app: &TestApp) -> i64 {
    partners::table.count().get_result(&mut app.conn()).unwrap()
}

/// `clarion partner add` with `name` and `origins`; answers (success, stdout, stderr).
fn add_by_cli(app: &TestApp, key: &str, origins: &[&str]) -> (bool, String, String) {
    let mut args = vec!["partner", "add", "--key", key, "--name", "Khmer Union"];
    for origin in origins {
        args.extend(["--origin", origin]);
    }
    app.cli(&args, &[])
}

/// Registers the partner `key` framing from `origin`, by the command line.
pub(crate) fn add_partner(app: &TestApp, key: &str, origin: &str) {
    let (ok, out, err) = add_by_cli(app, key, &[origin]);
    assert!(ok, "{out} {err}");
}

#[actix_web::test]
async fn admins_register_partners_and_hostile_values_are_refused_with_a_message() {
    let app = TestApp::spawn().await;
    add_staff(&app, "admin@example.org", "admin");
    let admin = logged_in(&app, "admin@example.org").await;
    let token = csrf(&app, &admin).await;
    let post = |fields: Vec<(&'static str, String)>| {
        let (app, admin, token) = (&app, &admin, token.clone());
        async move {
            let mut form = vec![("csrf", token)];
            form.extend(fields);
            admin
                .post(app.url("/admin/partners"))
                .form(&form)
                .send()
                .await
                .unwrap()
        }
    };
    let valid = |key: &str, origins: &str| {
        vec![
            ("key", key.to_string()),
            ("name", "Khmer Union".to_string()),
            ("origins", origins.to_string()),
            ("contact_email", "contact@union.example".to_string()),
        ]
    };
    for (fields, expected) in [
        (valid("", "https://union.example"), "The key"),
        (valid("Bad Key!", "https://union.example"), "The key"),
        (valid("union", ""), "at least one origin"),
        (valid("union", "http://union.example"), "https://"),
        (
            valid("union", "https://user:pw@union.example"),
            "without a path, user",
        ),
        (
            valid("union", "https://union.example/page"),
            "without a path, user",
        ),
        (valid("union", "https://127.0.0.1"), "not an IP address"),
        (
            valid("union", "https://union.example\r\nSet-Cookie: x=1"),
            "not an origin",
        ),
        (
            valid("union", "https://union.example; script-src *"),
            "not an origin",
        ),
        (
            vec![
                ("key", "union".into()),
                ("name", "x".repeat(201)),
                ("origins", "https://union.example".into()),
                ("contact_email", "contact@union.example".into()),
            ],
            "200 characters",
        ),
        (
            vec![
                ("key", "union".into()),
                ("name", "Khmer Union".into()),
                ("origins", "https://union.example".into()),
                ("contact_email", "not an address".into()),
            ],
            "contact email",
        ),
    ] {
        let refused = post(fields.clone()).await;
        assert_eq!(refused.status(), 422, "{fields:?}");
        let body = refused.text().await.unwrap();
        assert!(body.contains(expected), "{fields:?}: wanted {expected:?}");
    }
    assert_eq!(stored_partners(&app), 0, "nothing refused is stored");

    let added = post(valid(
        "union",
        "https://union.example\nhttps://www.union.example:8443/",
    ))
    .await;
    assert_eq!(added.status(), 303);
    let page = staff_page(&app, &admin, "/admin/partners").await;
    let row = texts(&page, "table.partners tbody tr").join("");
    assert!(row.contains("https://www.union.example:8443"), "{row}");
    let again = post(valid("union", "https://other.example")).await;
    assert_eq!(again.status(), 422);
    assert!(again.text().await.unwrap().contains("has this key already"));
    assert_eq!(stored_partners(&app), 1);

    // The command line: the same checks, a taken key refused.
    let (ok, _, err) = add_by_cli(&app, "union", &["https://u.example"]);
    assert!(!ok && err.contains("exists already"), "{err}");
    let (ok, _, err) = add_by_cli(&app, "cli", &["http://u.example"]);
    assert!(!ok && err.contains("https://"), "{err}");
    let (ok, out, _) = add_by_cli(&app, "cli", &["https://u.example", "https://v.example"]);
    assert!(
        ok && out.contains("https://u.example https://v.example"),
        "{out}"
    );
    assert_eq!(stored_partners(&app), 2);
}

#[actix_web::test]
async fn a_signature_through_a_partner_records_it_its_choice_and_the_campaign_and_the_csv_names_it()
{
    let app = TestApp::spawn().await;
    add_partner(&app, "union", "https://union.example");
    let page = html(
        &app.get_text(
            &format!("/fr/petitions/{PETITION}?partner=union&utm_source=news&utm_medium=%3Cb%3Email%3C/b%3E&utm_campaign=dec"),
            200,
        )
        .await,
    );
    let hidden = |name: &str| {
        attrs(
            &page,
            &format!("form.sign-form input[name={name}]"),
            "value",
        )
    };
    assert_eq!(hidden("partner"), ["union"]);
    assert_eq!(
        hidden("utm_medium"),
        ["<b>mail</b>"],
        "kept as text, shown escaped"
    );
    let label = texts(&page, "label[for=consent_partner]").join("");
    assert!(label.contains("Khmer Union"), "{label}");
    assert!(
        attrs(&page, "#consent_partner[checked]", "name").is_empty(),
        "never pre-ticked"
    );

    let mut shared = supporter("shared@example.org");
    shared.extend([
        ("partner", "union"),
        ("consent_partner", "1"),
        ("utm_source", "news"),
        ("utm_campaign", "dec\u{7}ember"),
    ]);
    assert_eq!(app.sign_in("/fr", PETITION, &shared).await.status(), 303);
    let mut unknown = supporter("unknown@example.org");
    unknown.extend([("partner", "no-such-partner"), ("consent_partner", "1")]);
    assert_eq!(app.sign(PETITION, &unknown).await.status(), 303);
    let mut long = supporter("long@example.org");
    let huge = "p".repeat(5000);
    long.extend([("partner", huge.as_str()), ("utm_source", huge.as_str())]);
    assert_eq!(app.sign(PETITION, &long).await.status(), 303);

    type Row = (String, Option<String>, bool, String, String);
    let rows: Vec<Row> = signatures::table
        .filter(signatures::email.like("%@example.org"))
        .order(signatures::email.asc())
        .select((
            signatures::email,
            signatures::partner_id,
            signatures::consent_partner,
            signatures::consent_partner_text,
            signatures::utm,
        ))
        .load(&mut app.conn())
        .unwrap();
    let find = |email: &str| rows.iter().find(|r| r.0 == email).unwrap().clone();
    let shared = find("shared@example.org");
    assert!(shared.1.is_some() && shared.2);
    assert!(
        shared.3.contains("Khmer Union"),
        "the wording ticked: {}",
        shared.3
    );
    assert_eq!(shared.4, "utm_source=news&utm_campaign=december");
    let unknown = find("unknown@example.org");
    assert_eq!(
        (unknown.1, unknown.2),
        (None, false),
        "an unknown partner is no partner"
    );
    let long = find("long@example.org");
    assert_eq!(long.1, None);
    assert_eq!(
        long.4,
        format!("utm_source={}", "p".repeat(100)),
        "a campaign value is cut to 100 characters"
    );

    // The CSV's last column names the partner.
    add_staff(&app, "staff@example.org", "campaigner");
    let staff = logged_in(&app, "staff@example.org").await;
    let csv = staff
        .get(app.url(&format!(
            "/admin/petitions/{PETITION}/signatures.csv?status=all&bom=0"
        )))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header = reader.headers().unwrap().clone();
    assert_eq!(header.iter().next_back(), Some("partner"));
    let partner_of: Vec<(String, String)> = reader
        .records()
        .map(|r| r.unwrap())
        .map(|r| (r[3].to_string(), r[14].to_string()))
        .collect();
    assert!(partner_of.contains(&("shared@example.org".into(), "union".into())));
    assert!(partner_of.contains(&("unknown@example.org".into(), String::new())));

    // Confirmed, it counts for its partner: counts.json, the petition's page (with the
    // tag to paste) and the report.
    let link = link_to(&app, "shared@example.org").await;
    assert_eq!(app.client.post(&link).send().await.unwrap().status(), 303);
    let base = format!("/admin/petitions/{PETITION}");
    let counts: serde_json::Value = staff
        .get(app.url(&format!("{base}/counts.json")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(counts["by_partner"], serde_json::json!({ "union": 1 }));
    for path in [base.clone(), format!("{base}/report")] {
        let page = staff_page(&app, &staff, &path).await;
        let table = texts(&page, "table.by-partner tbody tr");
        assert_eq!(table[0], "union 1", "{path}");
    }
    let dashboard = staff_page(&app, &staff, "/admin").await;
    assert_eq!(
        texts(&dashboard, "table.partners tbody tr"),
        ["Khmer Union union 1"]
    );
    // The signer sees the choice among their own data.
    let mine = crate::my_data_steps::link_for(&app, "shared@example.org");
    let data: serde_json::Value = app
        .get(&format!("{mine}/data.json"))
        .await
        .json()
        .await
        .unwrap();
    let signed = &data["signatures"][0];
    assert_eq!(signed["consent_partner"], true);
    assert!(signed["consent_partner_text"]
        .as_str()
        .unwrap()
        .contains("Khmer Union"));
    let page = staff_page(&app, &staff, &base).await;
    let snippet = texts(&page, "pre.snippet").join("");
    assert!(
        snippet.contains(&format!(
            "/embed.js\" data-petition=\"{PETITION}\" data-partner=\"union\""
        )),
        "{snippet}"
    );
}
