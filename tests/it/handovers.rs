//! A delivery report marked as handed over keeps its day and digest, and shows the
//! signatures withdrawn by their signers since; hostile days and digests are refused.

use clarion::db::schema::{audit_events, handovers};
use diesel::prelude::*;

use crate::helpers::admin::staff_page;
use crate::helpers::rows::{insert, petition_id, signature};
use crate::helpers::{add_staff, attrs, csrf, logged_in, texts, TestApp, PETITION};
use crate::my_data_steps::link_for;

async fn report(app: &TestApp, staff: &reqwest::Client) -> scraper::Html {
    staff_page(app, staff, &format!("/admin/petitions/{PETITION}/report")).await
}

fn stored(app: &TestApp) -> i64 {
    handovers::table
        .count()
        .get_result(&mut app.conn())
        .unwrap()
}

#[actix_web::test]
async fn a_handed_over_report_keeps_its_day_and_digest_and_lists_withdrawals_since() {
    let app = TestApp::spawn().await;
    let id = petition_id(&app);
    let mut mine = signature(&id, 1, "confirmed", "FR", "Sokha", "", 2);
    mine.email = "sokha@example.org".into();
    mine.email_canonical = "sokha@example.org".into();
    let other = signature(&id, 2, "confirmed", "KH", "Dara", "", 2);
    insert(&app, &[mine.clone(), other]);
    add_staff(&app, "staff@example.org", "campaigner");
    let staff = logged_in(&app, "staff@example.org").await;
    let token = csrf(&app, &staff).await;

    let page = report(&app, &staff).await;
    assert!(texts(&page, "main p")
        .iter()
        .any(|p| p == "Not marked as handed over yet."));
    let form = "form[action$='/report/handed-over']";
    let digest = attrs(&page, &format!("{form} input[name=digest]"), "value").remove(0);
    let today = attrs(&page, &format!("{form} input[name=handed_on]"), "value").remove(0);
    assert_eq!(
        attrs(&page, &format!("{form}.screen-only"), "method"),
        ["post"]
    );

    let post = |day: String, digest: String| {
        let (app, staff, token) = (&app, &staff, token.clone());
        async move {
            staff
                .post(app.url(&format!("/admin/petitions/{PETITION}/report/handed-over")))
                .form(&[
                    ("csrf", token.as_str()),
                    ("handed_on", day.as_str()),
                    ("digest", digest.as_str()),
                ])
                .send()
                .await
                .unwrap()
        }
    };
    for (day, hostile) in [
        ("2999-01-01".to_string(), digest.clone()),
        ("yesterday".into(), digest.clone()),
        (String::new(), digest.clone()),
        (today.clone(), "abc".into()),
        (today.clone(), digest.to_uppercase()),
        (today.clone(), format!("<b>{}</b>", &digest[..57])),
        (today.clone(), String::new()),
    ] {
        let refused = post(day.clone(), hostile.clone()).await;
        assert_eq!(refused.status(), 400, "{day:?} {hostile:?}");
        assert!(refused.text().await.unwrap().contains("must be"));
    }
    assert_eq!(stored(&app), 0, "nothing refused is stored");

    let done = post(today.clone(), digest.clone()).await;
    assert_eq!(done.status(), 303);
    assert_eq!(
        done.headers()["location"],
        format!("/admin/petitions/{PETITION}/report#handovers").as_str()
    );
    let page = report(&app, &staff).await;
    let rows = texts(&page, "table.handovers tbody tr");
    assert_eq!(rows.len(), 1);
    assert!(rows[0].contains(&digest) && rows[0].contains("the list as it is now"));
    let since = texts(&page, "p.withdrawn-since").join("");
    assert!(since.ends_with(": 0"), "{since}");

    // The supporter withdraws after the handover: the report says so, by country.
    let link = link_for(&app, "sokha@example.org");
    let withdrawn = app
        .post_form(
            &format!("{link}/withdraw"),
            &[("signature", mine.id.as_str())],
        )
        .await;
    assert_eq!(withdrawn.status(), 303);
    let page = report(&app, &staff).await;
    let since = texts(&page, "p.withdrawn-since").join("");
    assert!(since.contains(": 1 (France 1)"), "{since}");
    let rows = texts(&page, "table.handovers tbody tr");
    assert!(
        !rows[0].contains("the list as it is now"),
        "the list changed"
    );
    let audited: Vec<Option<String>> = audit_events::table
        .filter(audit_events::event.eq("report.handed_over"))
        .select(audit_events::staff_user_id)
        .load(&mut app.conn())
        .unwrap();
    assert!(audited.len() == 1 && audited[0].is_some());
}
