//! The delivery report as a campaigner prints it from the browser: Chromium shows it with
//! print styles, then prints it to A4; the PDF's text (read with poppler's `pdftotext`,
//! which `.ci/run` installs) must hold the petition, every member state and one total, and
//! none of the site's navigation.

use std::process::Command;

use fantoccini::wd::{PrintConfiguration, PrintSize};

use crate::helpers::browser::{Browser, VIEWPORTS};
use crate::helpers::rows::{insert, petition_id, signature};
use crate::helpers::{add_staff, log_in, say, TestApp};

const REPORT: &str = "/admin/petitions/cambodia-political-prisoners-petition/report?signatories=1";

/// Seven countries, over ten days: 60 confirmed signatures, and some the report leaves out.
fn signatures(action_id: &str) -> Vec<clarion::db::signatures::NewSignature> {
    let countries = ["FR", "DE", "KH", "SE", "PL", "US", "IE"];
    (1..=70)
        .map(|n| {
            let status = if n > 60 { "pending" } else { "confirmed" };
            let day = 10 + (n % 10) as u32;
            // A Khmer name among them: the printout must draw it (no Khmer font installed).
            let name = if n == 3 { "សុផា" } else { "Sophea" };
            let mut row = signature(action_id, n, status, countries[n % 7], name, "", day);
            if n == 3 {
                row.last_name = "ចាន់".into();
            }
            row
        })
        .collect()
}

#[actix_web::test]
async fn the_delivery_report_prints_on_a4_with_every_member_state_and_no_site_navigation() {
    let app = TestApp::spawn().await;
    insert(&app, &signatures(&petition_id(&app)));
    add_staff(&app, "staff@example.org", "campaigner");
    let Some(browser) = Browser::start("printing the report", VIEWPORTS[1]).await else {
        return;
    };
    log_in(&app, &browser, "staff@example.org", false).await;
    browser.open(&app.url(REPORT)).await;
    browser.field("main h1").await;

    browser.emulate_media("print").await;
    let shown = browser
        .client
        .execute(
            "const gone = s => [...document.querySelectorAll(s)]
               .every(e => getComputedStyle(e).display === 'none');
             const rows = document.querySelectorAll('table.report-table')[0]
               .querySelectorAll('tbody tr');
             const chart = document.querySelector('.chart svg').getBoundingClientRect();
             const labels = [...document.querySelectorAll('.chart text.label')]
               .map(l => l.getBoundingClientRect());
             const apart = labels.length > 1 &&
               labels.every((l, i) => i === 0 || labels[i - 1].right <= l.left);
             return [gone('.site-header'), gone('.site-footer'), gone('main .button'),
                     rows.length, chart.width > 200 && chart.height > 50, apart,
                     getComputedStyle(document.body).color];",
            vec![],
        )
        .await
        .expect("a script runs");
    assert_eq!(
        shown,
        serde_json::json!([true, true, true, 27, true, true, "rgb(0, 0, 0)"]),
        "print styles: no header, footer or buttons; 27 member states; the chart, its day \
         labels apart; black text"
    );
    browser.photograph("report-print").await;
    // The signatory with a Khmer name, drawn by the report's own Khmer font.
    let khmer = browser
        .client
        .execute(
            "await document.fonts.ready;
             const li = [...document.querySelectorAll('ol.signatories li')]
               .find(l => l.textContent.includes('សុផា'));
             li.scrollIntoView();
             return [document.fonts.check('16px \"Clarion Khmer\"', 'សុផា'),
                     li.getBoundingClientRect().height > 0];",
            vec![],
        )
        .await
        .expect("a script runs");
    assert_eq!(
        khmer,
        serde_json::json!([true, true]),
        "the Khmer font draws the name"
    );
    browser.photograph("report-print-khmer-name").await;

    let pdf = browser
        .client
        .print(
            PrintConfiguration::builder()
                .size(PrintSize::A4)
                .build()
                .expect("an A4 page"),
        )
        .await
        .expect("Chromium prints the page");
    assert!(pdf.starts_with(b"%PDF"), "a PDF");
    let file = crate::helpers::browser::screenshots_dir().join("report-print.pdf");
    std::fs::write(&file, &pdf).expect("the PDF is written");
    browser.stop().await;

    let Some(text) = pdf_text(&file) else {
        return;
    };
    let pages = text.matches('\u{c}').count();
    assert!(
        (1..=4).contains(&pages),
        "the report fits on at most four A4 pages, not {pages}"
    );
    for (_, name, _) in clarion::domain::country::EU_MEMBER_STATES {
        assert!(text.contains(name), "{name} is missing from the printout");
    }
    assert_eq!(text.matches("EU total").count(), 1, "one total:\n{text}");
    assert!(text.contains("United States"), "countries outside the EU");
    assert!(text.contains("Sophea D. (France)"), "the signatory list");
    for navigation in ["Log out", "Dashboard", "Skip to"] {
        assert!(
            !text.contains(navigation),
            "{navigation:?} printed:\n{text}"
        );
    }
}

/// The text of a PDF, page by page (form feeds between pages); `None` after saying why
/// when poppler's `pdftotext` is missing, except under `CI=true`.
fn pdf_text(file: &std::path::Path) -> Option<String> {
    match Command::new("pdftotext")
        .arg("-layout")
        .arg(file)
        .arg("-")
        .output()
    {
        Ok(out) if out.status.success() => {
            Some(String::from_utf8(out.stdout).expect("pdftotext writes UTF-8"))
        }
        other => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "CI=true but pdftotext failed ({other:?}): .ci/run installs poppler-utils"
            );
            say("SKIPPED the printed report's text: no pdftotext (apt-get install poppler-utils)");
            None
        }
    }
}
