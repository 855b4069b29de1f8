//! Hostile updates from the staff form: each refused with its message and what was typed
//! kept, nothing stored; markup shown as typed in a title and cleaned from a text.

use clarion::db::schema::{action_updates, outbox};
use diesel::prelude::*;

use crate::helpers::admin::staff_page;
use crate::helpers::contact::{contact_id, CONTACT};
use crate::helpers::newsletter::post;
use crate::helpers::rows::petition_id;
use crate::helpers::smtp::Mode;
use crate::helpers::{add_staff, app_with_smtp, html, logged_in, texts, TestApp, PETITION};

fn updates_stored(app: &TestApp) -> i64 {
    action_updates::table
        .count()
        .get_result(&mut app.conn())
        .unwrap()
}

/// A valid update's fields with `more` in place of the defaults.
fn update<'a>(more: &[(&'static str, &'a str)]) -> Vec<(&'static str, &'a str)> {
    let mut fields = vec![
        ("kind", "update"),
        ("title_en", "Title"),
        ("body_en", "Text"),
    ];
    for (name, value) in more {
        fields.retain(|(n, _)| n != name);
        fields.push((name, value));
    }
    fields
}

#[actix_web::test]
async fn hostile_updates_are_refused_with_the_reason_and_markup_is_made_harmless() {
    let (app, _smtp) = app_with_smtp(Mode::Accept).await;
    add_staff(&app, "staff@example.org", "campaigner");
    let staff = logged_in(&app, "staff@example.org").await;
    let path = format!("/admin/actions/{}/updates", petition_id(&app));
    let (long_title, long_body) = ("t".repeat(201), "b".repeat(20_001));
    // Each with the message staff read beside the field.
    let refused = [
        (update(&[("title_en", "")]), "Enter the English title"),
        (update(&[("body_en", "")]), "Enter the English text"),
        (
            update(&[("title_en", &long_title)]),
            "200 characters or fewer",
        ),
        (
            update(&[("body_en", &long_body)]),
            "20,000 characters or fewer",
        ),
        (update(&[("title_en", "Ti\u{1b}tle")]), "one line of text"),
        (update(&[("body_en", "Te\u{0}xt")]), "control character"),
        (update(&[("title_fr", "Titre")]), "Enter the text too"),
        (update(&[("body_km", "អត្ថបទ")]), "Enter the title too"),
        (update(&[("kind", "bogus")]), "Choose a kind"),
        (update(&[("kind", "")]), "Choose a kind"),
    ];
    for (fields, message) in &refused {
        let token = crate::helpers::csrf(&app, &staff).await;
        let mut form = vec![("csrf", token.as_str())];
        form.extend_from_slice(fields);
        let answer = staff.post(app.url(&path)).form(&form).send().await.unwrap();
        assert_eq!(answer.status(), 422, "{fields:?}");
        let page = html(&answer.text().await.unwrap());
        let said = texts(&page, ".error-summary li").join(" ");
        assert!(said.contains(message), "{fields:?}: {said}");
        // What was typed is kept.
        let title_en = crate::helpers::attrs(&page, "input#title_en", "value");
        let typed = fields.iter().find(|(n, _)| *n == "title_en").unwrap().1;
        if !typed.chars().any(char::is_control) {
            assert_eq!(title_en, [typed], "{fields:?}");
        }
    }
    // Not UTF-8: refused before any field is read.
    let token = crate::helpers::csrf(&app, &staff).await;
    let body = format!("csrf={token}&kind=update&title_en=%FF%FE&body_en=Text");
    let answer = staff
        .post(app.url(&path))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 400);
    assert_eq!(updates_stored(&app), 0, "nothing refused is stored");

    // A contact action's "delivered" update has no list to attach.
    let contact = contact_id(&app);
    let delivered = [("kind", "delivered"), ("title_en", "T"), ("body_en", "B")];
    let target = format!("/admin/actions/{contact}/updates");
    assert_eq!(post(&app, &staff, &target, &delivered).await, 303);
    let page = html(&app.get_text(&format!("/act/{CONTACT}"), 200).await);
    assert_eq!(texts(&page, "section#updates h3"), ["T"]);
    assert!(texts(&page, "section#updates .digest").is_empty());

    // Markup is shown as typed in a title and cleaned from the Markdown; not emailed.
    let markup = [
        ("kind", "update"),
        ("title_en", "<script>alert(1)</script> News"),
        (
            "body_en",
            "<img src=x onerror=alert(1)> **bold** [link](javascript:alert(1)) =HYPERLINK(\"x\")",
        ),
    ];
    assert_eq!(post(&app, &staff, &path, &markup).await, 303);
    let page = app.get_text(&format!("/petitions/{PETITION}"), 200).await;
    let shown = html(&page);
    assert_eq!(
        texts(&shown, "section#updates h3"),
        ["<script>alert(1)</script> News"]
    );
    assert!(!page.contains("onerror"), "{page}");
    assert!(!page.contains("javascript:"), "{page}");
    assert_eq!(texts(&shown, "section#updates strong"), ["bold"]);
    let queued: i64 = outbox::table
        .filter(outbox::kind.eq("update"))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(queued, 0, "not emailed when the box is not ticked");
    let admin = staff_page(
        &app,
        &staff,
        &format!("/admin/actions/{}", petition_id(&app)),
    )
    .await;
    assert_eq!(texts(&admin, "table.updates td.emails"), ["Not emailed"]);
    assert_eq!(updates_stored(&app), 2);
}
