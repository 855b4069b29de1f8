//! A petition's text is versioned once someone has signed it: changing it asks first,
//! every version is kept with its date, each signature records the version it was signed
//! on, and the delivery report shows the versions and how many signed each.

use clarion::db::schema::{actions, petition_versions, signatures};
use diesel::prelude::*;

use crate::helpers::admin::edit_form;
use crate::helpers::rows::{insert, petition_id, signature};
use crate::helpers::{
    add_staff, form_as_sent, html, logged_in, supporter, texts, TestApp, PETITION,
};

const NEW_TEXT: &str = "We now also ask for the release of **all** journalists.";

fn stored_version(app: &TestApp) -> (i32, String) {
    actions::table
        .filter(actions::slug.eq(PETITION))
        .select((actions::text_version, actions::body_md))
        .first(&mut app.conn())
        .unwrap()
}

/// The action form as a browser sends it, with the petition text replaced.
async fn changed_text(app: &TestApp, staff: &reqwest::Client, path: &str) -> Vec<(String, String)> {
    let page = staff.get(app.url(path)).send().await.unwrap();
    let page = html(&page.text().await.unwrap());
    let mut pairs = form_as_sent(&page, &format!("form[action=\"{path}\"]"));
    for (name, value) in pairs.iter_mut() {
        if name == "body_md" {
            *value = NEW_TEXT.into();
        }
    }
    pairs
}

#[actix_web::test]
async fn changing_a_signed_text_asks_keeps_both_versions_and_the_report_shows_them() {
    let app = TestApp::spawn().await;
    let id = petition_id(&app);
    let path = format!("/admin/actions/{id}");
    add_staff(&app, "staff@example.org", "campaigner");
    let staff = logged_in(&app, "staff@example.org").await;

    // Nobody has signed: the text changes freely, and no version is recorded.
    let (_, original) = stored_version(&app);
    let status = edit_form(&app, &staff, &path, |pairs| {
        for (name, value) in pairs.iter_mut() {
            if name == "body_md" {
                *value = format!("{value}\n\nA typo fixed.");
            }
        }
    })
    .await;
    assert_eq!(status, 303);
    let (version, corrected) = stored_version(&app);
    assert_eq!(version, 1);
    assert_ne!(corrected, original);
    let kept: i64 = petition_versions::table
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(kept, 0);

    insert(&app, &[signature(&id, 1, "confirmed", "FR", "Sok", "", 1)]);

    // A setting that is not the text saves without a question.
    let status = edit_form(&app, &staff, &path, |pairs| {
        pairs.retain(|(name, _)| name != "goal");
        pairs.push(("goal".into(), "5000".into()));
    })
    .await;
    assert_eq!(status, 303);
    assert_eq!(stored_version(&app).0, 1);

    // The text: asked first, nothing saved.
    let pairs = changed_text(&app, &staff, &path).await;
    let asked = staff
        .post(app.url(&path))
        .form(&pairs)
        .send()
        .await
        .unwrap();
    assert_eq!(asked.status().as_u16(), 409);
    let asked = html(&asked.text().await.unwrap());
    assert_eq!(
        texts(&asked, "[role=alert] h2"),
        ["People have signed this text"]
    );
    assert!(texts(&asked, "[role=alert] p")[0].starts_with("1 person has signed version 1"));
    assert_eq!(
        texts(&asked, "label[for=new_version]"),
        ["Yes, save the changed text as version 2"]
    );
    assert_eq!(
        stored_version(&app),
        (1, corrected.clone()),
        "nothing saved"
    );

    // Confirmed from the same page: version 2, the first kept.
    let mut pairs = form_as_sent(&asked, &format!("form[action=\"{path}\"]"));
    pairs.push(("new_version".into(), "1".into()));
    let saved = staff
        .post(app.url(&path))
        .form(&pairs)
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status().as_u16(), 303);
    assert_eq!(stored_version(&app), (2, NEW_TEXT.to_string()));
    let versions: Vec<(i32, String)> = petition_versions::table
        .order(petition_versions::version.asc())
        .select((petition_versions::version, petition_versions::body_md))
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(
        versions,
        [(1, corrected.clone()), (2, NEW_TEXT.to_string())]
    );

    // The public page says so; a new signature records version 2.
    let page = html(&app.get_text(&format!("/petitions/{PETITION}"), 200).await);
    let today = clarion::db::now().format("%-d %B %Y");
    assert_eq!(
        texts(&page, "p.text-changed"),
        [format!("This text was changed on {today}. People who signed before then signed an earlier version, which the organisers keep.")]
    );
    assert_eq!(
        app.sign(PETITION, &supporter("new@example.org"))
            .await
            .status(),
        303
    );
    let signed: Vec<i32> = signatures::table
        .order(signatures::created_at.asc())
        .select(signatures::text_version)
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(signed, [1, 2]);

    // The report: signatures by version, and the earlier text as it was signed.
    diesel::update(signatures::table.filter(signatures::email.eq("new@example.org")))
        .set((
            signatures::status.eq("confirmed"),
            signatures::confirmed_at.eq(clarion::db::now()),
        ))
        .execute(&mut app.conn())
        .unwrap();
    let report = staff
        .get(app.url(&format!("/admin/petitions/{PETITION}/report")))
        .send()
        .await
        .unwrap();
    let report = html(&report.text().await.unwrap());
    let rows = texts(&report, "table.versions tbody tr");
    let by_version: Vec<&String> = rows.iter().filter(|r| r.contains(" to ")).collect();
    assert_eq!(by_version.len(), 2, "{rows:?}");
    assert!(
        by_version[0].starts_with("1 ") && by_version[0].ends_with(" 1"),
        "{rows:?}"
    );
    assert!(
        by_version[1].starts_with("2 ") && by_version[1].ends_with("today 1"),
        "{rows:?}"
    );
    let earlier = texts(&report, "section.earlier-version .prose");
    assert_eq!(earlier.len(), 1);
    assert!(earlier[0].contains("A typo fixed."), "{earlier:?}");
}
