//! Hostile input to the OSDI API (issue 27): bodies of the wrong type, shape, size,
//! depth or encoding, unknown fields, filters, page sizes, page numbers and cursors, and
//! unknown paths and methods. Each gets a 4xx in JSON with a reason, never a 5xx or
//! HTML, and nothing is stored.

use serde_json::Value;

use crate::helpers::{stored_rows, TestApp, PETITION};
use crate::osdi::api_token;
use crate::partners::add_partner;

async fn expect_json(answer: reqwest::Response, status: u16, what: &str) -> Value {
    assert_eq!(answer.status().as_u16(), status, "{what}");
    let kind = answer.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_string();
    assert_eq!(kind, "application/json", "{what}");
    let body: Value = answer.json().await.unwrap();
    assert!(
        body["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{what}: {body}"
    );
    body
}

#[actix_web::test]
async fn hostile_bodies_get_a_json_4xx_with_a_reason_and_store_nothing() {
    let app = TestApp::spawn().await;
    add_partner(&app, "union", "https://union.example.org");
    let token = api_token(&app, "union", &["write:signatures"]);
    let helper = app.url(&format!(
        "/api/osdi/v1/petitions/{PETITION}/record_signature_helper"
    ));
    let rows = stored_rows(&app);
    let person = |email: Value| {
        serde_json::json!({ "person": {
            "given_name": "Dara", "family_name": "Sok",
            "email_addresses": [{ "address": email }],
            "postal_addresses": [{ "country": "FR" }]
        }})
        .to_string()
    };
    let deep = format!("{}{}", "[".repeat(3_000), "]".repeat(3_000));
    let huge = person(Value::String(format!("{}@example.org", "a".repeat(20_000))));
    let cases: Vec<(&str, Vec<u8>, &str, u16)> = vec![
        ("wrong type", br#"{"person": "Dara"}"#.to_vec(), "application/json", 422),
        ("email a number", person(Value::from(7)).into_bytes(), "application/json", 422),
        ("unknown field", br#"{"person": {"email_addresses": []}, "admin": true}"#.to_vec(), "application/json", 422),
        ("no email", br#"{"person": {"given_name": "A", "family_name": "B", "email_addresses": []}}"#.to_vec(), "application/json", 422),
        ("markup for an email", person(Value::from("<script>@x")).into_bytes(), "application/json", 422),
        ("unknown country", br#"{"person": {"given_name": "Dara", "family_name": "Sok", "email_addresses": [{"address": "f@example.org"}], "postal_addresses": [{"country": "ZZ"}]}}"#.to_vec(), "application/json", 422),
        ("too deep", deep.into_bytes(), "application/json", 422),
        ("over 16 KB", huge.into_bytes(), "application/json", 413),
        ("not UTF-8", b"{\"person\": \"\xff\xfe\"}".to_vec(), "application/json", 400),
        ("truncated", b"{\"person\": {".to_vec(), "application/json", 400),
        ("empty", Vec::new(), "application/json", 400),
        ("a form, not JSON", b"person=x".to_vec(), "application/x-www-form-urlencoded", 415),
    ];
    for (what, body, kind, status) in cases {
        let answer = app
            .client
            .post(&helper)
            .header("OSDI-API-Token", &token)
            .header("content-type", kind)
            .body(body)
            .send()
            .await
            .unwrap();
        expect_json(answer, status, what).await;
    }
    assert_eq!(stored_rows(&app), rows, "nothing stored");
}

#[actix_web::test]
async fn hostile_queries_paths_and_methods_get_a_json_4xx() {
    let app = TestApp::spawn().await;
    add_partner(&app, "union", "https://union.example.org");
    let token = api_token(&app, "union", &["read:signatures"]);
    let signatures = format!("/api/osdi/v1/petitions/{PETITION}/signatures");
    let get = |path: String| {
        app.client
            .get(app.url(&path))
            .header("OSDI-API-Token", &token)
            .send()
    };
    for (query, status) in [
        ("per_page=0", 422),
        ("per_page=-1", 422),
        ("per_page=501", 422),
        ("per_page=99999999999999999999", 422),
        ("per_page=abc", 422),
        ("page=2", 422),
        ("page=%00", 422),
        ("filter=modified_date%20gt%202026", 422),
        ("filter=1%3D1%3B%20DROP%20TABLE%20signatures", 422),
        ("filter=modified_date%20gt%20%27%3Cscript%3E%27", 422),
        ("cursor=AAAA", 422),
        ("cursor=%FF%FE", 422),
    ] {
        let answer = get(format!("{signatures}?{query}")).await.unwrap();
        expect_json(answer, status, query).await;
    }
    for path in [
        "/api/osdi/v1/people".to_string(),
        "/api/osdi/v1/petitions/no-such-petition".to_string(),
        "/api/osdi/v1/petitions/no-such-petition/signatures".to_string(),
        format!("/api/osdi/v1/petitions/{}", "x".repeat(3000)),
    ] {
        let answer = get(path.clone()).await.unwrap();
        expect_json(answer, 404, &path[..40.min(path.len())]).await;
    }
    let answer = app
        .client
        .delete(app.url(&signatures))
        .header("OSDI-API-Token", &token)
        .send()
        .await
        .unwrap();
    expect_json(answer, 405, "DELETE").await;
    let helper = format!("/api/osdi/v1/petitions/{PETITION}/record_signature_helper");
    expect_json(get(helper).await.unwrap(), 405, "GET on the helper").await;
}
