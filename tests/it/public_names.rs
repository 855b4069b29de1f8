//! A signer is named only by their own choice (`show_publicly`, unticked by default), and
//! staff can turn a petition's list of latest signers off. Supporters here face
//! transnational repression: a name on a public page can reach a family at home.

use clarion::db::schema::{actions, signatures};
use diesel::prelude::*;

use crate::helpers::admin::edit_form;
use crate::helpers::smtp::Mode;
use crate::helpers::{
    add_staff, app_with_smtp, attrs, html, json_count, logged_in, texts, TestApp, PETITION,
};

/// Signs as `first_name` through the petition page's form and confirms from the email.
async fn sign_and_confirm(
    app: &TestApp,
    smtp: &crate::helpers::smtp::SmtpServer,
    first_name: &str,
    email: &str,
    named: bool,
) {
    let action = format!("/petitions/{PETITION}/sign");
    let hidden = app
        .hidden_fields(&format!("/petitions/{PETITION}"), &action)
        .await;
    let mut pairs: Vec<(&str, &str)> = hidden
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    pairs.extend([
        ("first_name", first_name),
        ("last_name", "Dara"),
        ("email", email),
        ("country", "FR"),
    ]);
    if named {
        pairs.push(("show_publicly", "1"));
    }
    let sent_before = smtp.mails().len();
    assert_eq!(app.post_form(&action, &pairs).await.status().as_u16(), 303);
    let mail = smtp.wait_for(sent_before + 1).await.remove(sent_before);
    let response = app.client.post(mail.link()).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 303);
}

#[actix_web::test]
async fn only_signers_who_ticked_the_box_are_named_and_staff_can_hide_the_list() {
    let (app, smtp) = app_with_smtp(Mode::Accept).await;
    let page = html(&app.get_text(&format!("/petitions/{PETITION}"), 200).await);
    let label = texts(&page, "label[for=\"show_publicly\"]");
    assert_eq!(
        label,
        ["Show my first name and country publicly and in the list handed to MEPs"]
    );
    assert!(
        attrs(&page, "#show_publicly", "checked").is_empty(),
        "unticked by default"
    );

    sign_and_confirm(&app, &smtp, "Sok", "sok@example.org", false).await;
    sign_and_confirm(&app, &smtp, "Chan", "chan@example.org", true).await;
    assert_eq!(json_count(&app).await["signature_count"], 2, "both count");

    let page = html(&app.get_text(&format!("/petitions/{PETITION}"), 200).await);
    assert_eq!(texts(&page, ".signers li"), ["Chan, France"]);
    let stored: Vec<(String, bool, String)> = signatures::table
        .select((
            signatures::first_name,
            signatures::show_publicly,
            signatures::show_publicly_text,
        ))
        .order(signatures::first_name)
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(
        stored,
        [
            ("Chan".into(), true, label[0].clone()),
            ("Sok".into(), false, String::new())
        ],
        "the choice is stored with the wording ticked"
    );

    // The list handed to MEPs names the same people.
    add_staff(&app, "staff@example.org", "campaigner");
    let staff = logged_in(&app, "staff@example.org").await;
    let report = staff
        .get(app.url(&format!("/admin/petitions/{PETITION}/report?signatories=1")))
        .send()
        .await
        .unwrap();
    let report = html(&report.text().await.unwrap());
    assert_eq!(texts(&report, "ol.signatories li"), ["Chan D. (France)"]);

    // Staff untick "list the latest signers": nobody is named, the count stays.
    let id: String = actions::table
        .filter(actions::slug.eq(PETITION))
        .select(actions::id)
        .first(&mut app.conn())
        .unwrap();
    let status = edit_form(&app, &staff, &format!("/admin/actions/{id}"), |pairs| {
        assert!(
            pairs.iter().any(|(name, _)| name == "public_signers"),
            "on by default"
        );
        pairs.retain(|(name, _)| name != "public_signers");
    })
    .await;
    assert_eq!(status, 303);
    let raw = app.get_text(&format!("/petitions/{PETITION}"), 200).await;
    let page = html(&raw);
    assert!(texts(&page, ".signers li").is_empty());
    assert!(texts(&page, "#signers-heading").is_empty());
    assert!(
        !raw.contains("Chan"),
        "the name appears nowhere on the page"
    );
    assert!(raw.contains("2 signatures"), "the count stays");
}
