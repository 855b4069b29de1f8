//! The printable delivery report's optional signatory list, reduced for privacy.

use clarion::db::schema::audit_events;
use clarion::db::signatures::NewSignature;
use diesel::prelude::*;

use crate::helpers::rows::{insert, petition_id, signature};
use crate::helpers::{add_staff, attrs, html, logged_in, texts, TestApp};

const REPORT: &str = "/admin/petitions/cambodia-political-prisoners-petition/report";

#[actix_web::test]
async fn the_report_lists_confirmed_signers_by_first_name_initial_and_country_only_when_asked() {
    let app = TestApp::spawn().await;
    let id = petition_id(&app);
    insert(
        &app,
        &[
            signature(&id, 1, "confirmed", "FR", "Sok", "", 1),
            signature(&id, 2, "pending", "DE", "Pending", "", 2),
            signature(&id, 3, "confirmed", "KH", "<b>Chan</b>", "", 3),
            signature(&id, 4, "held", "FR", "Held", "", 4),
            NewSignature {
                show_publicly: false,
                show_publicly_text: String::new(),
                text_version: 1,
                language: "en".into(),
                ..signature(&id, 5, "confirmed", "DE", "Unnamed", "", 5)
            },
        ],
    );
    add_staff(&app, "staff@example.org", "campaigner");
    let client = logged_in(&app, "staff@example.org").await;
    let get = |query: &'static str| {
        let client = client.clone();
        let url = app.url(&format!("{REPORT}{query}"));
        async move { client.get(url).send().await.unwrap() }
    };

    let plain = html(&get("").await.text().await.unwrap());
    assert!(
        texts(&plain, "ol.signatories li").is_empty(),
        "no list unless asked"
    );

    let listed = get("?signatories=1").await;
    assert_eq!(listed.status(), 200);
    let body = listed.text().await.unwrap();
    assert!(
        !body.contains("s1@example.org") && !body.contains("Dara"),
        "no email, no surname"
    );
    assert!(
        !body.contains("Unnamed"),
        "nobody who chose not to be named"
    );
    assert_eq!(
        texts(&html(&body), "ol.signatories li"),
        ["Sok D. (France)", "<b>Chan</b> D. (Cambodia)"],
        "confirmed signers who chose to be named, in signing order, markup shown as typed"
    );
    let logged: Vec<(String, Option<i64>)> = audit_events::table
        .filter(audit_events::event.eq("export.signatories"))
        .select((audit_events::event, audit_events::row_count))
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(logged, [("export.signatories".to_string(), Some(2))]);

    let refused = get("?signatories=yes").await;
    assert_eq!(refused.status(), 400);
    assert!(refused
        .text()
        .await
        .unwrap()
        .contains("signatories must be 1 or 0"));
}

#[actix_web::test]
async fn a_saved_report_prints_styled_because_its_styles_travel_inside_it() {
    use base64::Engine as _;
    use sha2::{Digest as _, Sha256};
    let app = TestApp::spawn().await;
    add_staff(&app, "staff@example.org", "campaigner");
    let client = logged_in(&app, "staff@example.org").await;
    let policy = |response: &reqwest::Response| {
        response.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_string()
    };

    let report = client.get(app.url(REPORT)).send().await.unwrap();
    assert_eq!(report.status(), 200);
    let csp = policy(&report);
    let page = html(&report.text().await.unwrap());
    assert!(
        attrs(&page, "link[rel=stylesheet]", "href").is_empty(),
        "a copy saved as one file has nothing to fetch"
    );
    let selector = scraper::Selector::parse("head style").unwrap();
    let styles: Vec<String> = page.select(&selector).map(|e| e.text().collect()).collect();
    assert_eq!(styles.len(), 1, "one stylesheet in the page");
    assert!(styles[0].contains("@media print"), "with its print rules");
    let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(&styles[0]));
    assert!(
        csp.contains(&format!("style-src 'self' 'sha256-{hash}';")),
        "the browser may apply exactly that stylesheet: {csp}"
    );
    assert!(csp.contains("script-src 'none'"), "{csp}");

    // Other pages link the shared file and allow no inline style at all.
    let dashboard = client.get(app.url("/admin")).send().await.unwrap();
    assert!(policy(&dashboard).contains("style-src 'self';"));
    let page = html(&dashboard.text().await.unwrap());
    assert_eq!(
        attrs(&page, "link[rel=stylesheet]", "href"),
        ["/static/clarion.css"]
    );
}
