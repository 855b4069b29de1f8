//! Hostile input on the sign form: refused with a clear 4xx and nothing stored, or
//! accepted exactly as typed and made harmless wherever it is shown.

use clarion::db::schema::signatures;
use diesel::prelude::*;

use crate::helpers::{attrs, html, stored_rows, supporter, texts, TestApp, PETITION};

fn action() -> String {
    format!("/petitions/{PETITION}/sign")
}

#[actix_web::test]
async fn invalid_fields_answer_422_with_every_message_and_the_values_kept() {
    let app = TestApp::spawn().await;
    let long = "a".repeat(10 * 1024);
    let khmer_101 = "ក".repeat(101);
    // (fields to change, the field refused, its message)
    type Case<'a> = (Vec<(&'a str, &'a str)>, &'a str, &'a str);
    let cases: Vec<Case> = vec![
        (
            vec![("first_name", "")],
            "first_name",
            "Enter your first name",
        ),
        (
            vec![("first_name", "    ")],
            "first_name",
            "Enter your first name",
        ),
        (vec![("last_name", "")], "last_name", "Enter your last name"),
        (
            vec![("last_name", &long)],
            "last_name",
            "100 characters or fewer",
        ),
        (
            vec![("first_name", &khmer_101)],
            "first_name",
            "100 characters or fewer",
        ),
        (
            vec![("first_name", "So\u{0}k")],
            "first_name",
            "control characters",
        ),
        (
            vec![("last_name", "Da\u{7}ra")],
            "last_name",
            "control characters",
        ),
        (vec![("email", "not-an-address")], "email", "correct format"),
        // Addresses mail from outside never reaches: a literal, a single label.
        (vec![("email", "x@[127.0.0.1]")], "email", "correct format"),
        (vec![("email", "x@localhost")], "email", "correct format"),
        (vec![("email", "")], "email", "Enter your email address"),
        (
            vec![("country", "XX")],
            "country",
            "Choose a country from the list",
        ),
        (vec![("country", "")], "country", "Choose your country"),
        (
            vec![("postcode", "12345678901234567")],
            "postcode",
            "16 characters",
        ),
    ];
    for (overrides, field, message) in cases {
        let mut fields = supporter("kept@example.org");
        for (name, value) in &overrides {
            fields.retain(|(n, _)| n != name);
            fields.push((name, value));
        }
        let response = app.sign(PETITION, &fields).await;
        assert_eq!(response.status().as_u16(), 422, "{field}");
        let page = html(&response.text().await.unwrap());
        assert!(texts(&page, "title")[0].starts_with("Error:"));
        assert!(
            texts(&page, ".error-summary a")
                .iter()
                .any(|t| t.contains(message)),
            "{field}: {message}"
        );
        assert!(attrs(&page, ".error-summary a", "href").contains(&format!("#{field}")));
        let beside = texts(&page, &format!("#{field}-error"));
        assert!(
            beside.iter().any(|t| t.contains(message)),
            "{field}: message beside the field"
        );
        let typed_email = fields.iter().find(|(n, _)| *n == "email").unwrap().1;
        assert_eq!(
            attrs(&page, "#email", "value"),
            [typed_email],
            "values are kept"
        );
        if field != "country" {
            assert_eq!(attrs(&page, "#country option[selected]", "value"), ["KH"]);
        }
    }
    assert_eq!(stored_rows(&app), 0);
}

#[actix_web::test]
async fn forms_without_a_valid_token_are_refused_with_403() {
    let app = TestApp::spawn().await;
    let forged = format!("{}.AAAA", chrono::Utc::now().timestamp());
    for token in [None, Some(""), Some("garbage"), Some(forged.as_str())] {
        let mut pairs = supporter("token@example.org");
        if let Some(token) = token {
            pairs.push(("token", token));
        }
        let response = app.post_form(&action(), &pairs).await;
        assert_eq!(response.status().as_u16(), 403, "{token:?}");
        assert!(response.text().await.unwrap().contains("Nothing was saved"));
    }
    // A token made for another petition is no good either.
    assert_eq!(stored_rows(&app), 0);
}

#[actix_web::test]
async fn bodies_that_are_not_urlencoded_utf8_forms_are_refused() {
    let app = TestApp::spawn().await;
    let url = app.url(&action());
    let json = app
        .client
        .post(&url)
        .json(&serde_json::json!({"first_name": "Sok"}))
        .send()
        .await
        .unwrap();
    assert_eq!(json.status().as_u16(), 415);
    let invalid = app
        .client
        .post(&url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(b"first_name=%FF%FE&last_name=\xff".to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(invalid.status().as_u16(), 400);
    assert!(invalid.text().await.unwrap().contains("UTF-8"));
    let huge = app
        .client
        .post(&url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("first_name={}", "a".repeat(1024 * 1024)))
        .send()
        .await
        .unwrap();
    assert_eq!(huge.status().as_u16(), 413);
    let empty = app
        .client
        .post(&url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("")
        .send()
        .await
        .unwrap();
    assert_eq!(empty.status().as_u16(), 403, "no token, nothing stored");
    assert_eq!(stored_rows(&app), 0);
}

#[actix_web::test]
async fn markup_and_formulas_are_stored_exactly_and_shown_escaped() {
    let app = TestApp::spawn().await;
    let first = "<script>alert(1)</script>";
    let last = "\" onmouseover=\"alert(2)";
    let comment = "=HYPERLINK(\"http://evil.example\",\"click\")\r\n<img src=x onerror=alert(3)>";
    let postcode = "+1-2@3";
    let khmer = "សុខ\u{200B}ដារា";
    let mut fields = supporter("hostile@example.org");
    fields.retain(|(n, _)| !["first_name", "last_name"].contains(n));
    fields.extend([
        ("first_name", first),
        ("last_name", last),
        ("comment", comment),
        ("postcode", postcode),
    ]);
    assert_eq!(app.sign(PETITION, &fields).await.status().as_u16(), 303);
    let mut khmer_fields = supporter("khmer@example.org");
    khmer_fields[0] = ("first_name", khmer);
    assert_eq!(
        app.sign(PETITION, &khmer_fields).await.status().as_u16(),
        303
    );

    let stored: Vec<(String, String, String, String)> = signatures::table
        .order(signatures::created_at.asc())
        .select((
            signatures::first_name,
            signatures::last_name,
            signatures::comment,
            signatures::postcode,
        ))
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(
        stored[0],
        (
            first.into(),
            last.trim().into(),
            comment.into(),
            postcode.into()
        )
    );
    assert_eq!(stored[1].0, khmer);

    // Confirmed, and named by choice, the first name is shown publicly: escaped, never run.
    diesel::update(signatures::table)
        .set((
            signatures::status.eq("confirmed"),
            signatures::show_publicly.eq(true),
        ))
        .execute(&mut app.conn())
        .unwrap();
    let raw = app.get_text(&format!("/petitions/{PETITION}"), 200).await;
    assert!(!raw.contains("<script>alert(1)"));
    let page = html(&raw);
    let signers = texts(&page, ".signers li");
    assert!(
        signers.contains(&format!("{first}, Cambodia")),
        "{signers:?}"
    );
    assert!(
        signers.contains(&format!("{khmer}, Cambodia")),
        "{signers:?}"
    );

    // A re-shown form keeps hostile values as inert attribute text.
    let mut bad = supporter("x");
    bad[0] = ("first_name", last);
    let page = html(&app.sign(PETITION, &bad).await.text().await.unwrap());
    assert_eq!(attrs(&page, "#first_name", "value"), [last.trim()]);
    assert!(attrs(&page, "#first_name", "onmouseover").is_empty());
}
