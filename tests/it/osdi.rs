//! The OSDI API (issue 27): a CRM with a partner's token reads petitions and pages
//! through the signatures that partner may see (keyset `_links.next`, `modified_date`
//! filters), never another partner's; the helper records a pending signature that
//! counts only once its email is confirmed; every refusal is JSON with a reason.

use clarion::db::schema::{audit_events, signatures};
use diesel::prelude::*;
use serde_json::Value;

use crate::helpers::rows::{insert, petition_id, signature};
use crate::helpers::{json_count, link_to, supporter, TestApp, PETITION};
use crate::partners::add_partner;

/// `clarion api-token create` for `partner` with `scopes`: the token on its last line.
pub(crate) fn api_token(app: &TestApp, partner: &str, scopes: &[&str]) -> String {
    let mut args = vec!["api-token", "create", "--partner", partner];
    for scope in scopes {
        args.extend(["--scope", scope]);
    }
    let (ok, out, err) = app.cli(&args, &[]);
    assert!(ok, "{out} {err}");
    out.lines().last().unwrap().trim().to_string()
}

/// GET `path` under the API with `token`: (status, content type, JSON body).
async fn api(app: &TestApp, token: &str, path: &str) -> (u16, String, Value) {
    let answer = app
        .client
        .get(app.url(&format!("/api/osdi/v1{path}")))
        .header("OSDI-API-Token", token)
        .send()
        .await
        .unwrap();
    let status = answer.status().as_u16();
    let kind = answer.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_string();
    let body = answer.json().await.unwrap_or(Value::Null);
    (status, kind, body)
}

fn emails(page: &Value) -> Vec<String> {
    page["_embedded"]["osdi:signatures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            s["person"]["email_addresses"][0]["address"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

/// Signs `PETITION` as `email` through `partner`, sharing with it or not, and confirms.
async fn sign_through(app: &TestApp, email: &str, partner: &str, share: bool) {
    let mut fields = supporter(email);
    fields.push(("partner", partner));
    if share {
        fields.push(("consent_partner", "1"));
    }
    assert_eq!(app.sign(PETITION, &fields).await.status(), 303);
    let link = link_to(app, email).await;
    assert_eq!(app.client.post(&link).send().await.unwrap().status(), 303);
}

#[actix_web::test]
async fn a_crm_pulls_what_its_partner_may_see_by_modified_date_and_never_another_partners() {
    let app = TestApp::spawn().await;
    add_partner(&app, "union", "https://union.example.org");
    add_partner(&app, "students", "https://students.example.org");
    let before = clarion::db::now() - chrono::TimeDelta::seconds(1);
    sign_through(&app, "shared@example.org", "union", true).await;
    sign_through(&app, "kept@example.org", "union", false).await;
    sign_through(&app, "other@example.org", "students", true).await;
    assert_eq!(
        app.sign(PETITION, &supporter("plain@example.org"))
            .await
            .status(),
        303
    );

    let union = api_token(&app, "union", &["read:signatures"]);
    let students = api_token(&app, "students", &["read:signatures"]);
    let counts_only = api_token(&app, "union", &["read:counts"]);

    let (status, kind, entry) = api(&app, &union, "/").await;
    assert_eq!(
        (status, kind.as_str()),
        (200, "application/hal+json; charset=utf-8")
    );
    assert_eq!(entry["max_page_size"], 500);
    let petitions_href = entry["_links"]["osdi:petitions"]["href"].as_str().unwrap();
    assert_eq!(petitions_href, app.url("/api/osdi/v1/petitions"));

    let (_, _, petitions) = api(&app, &counts_only, "/petitions").await;
    let ours = petitions["_embedded"]["osdi:petitions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["identifiers"][0] == format!("clarion:{PETITION}"))
        .expect("the petition is listed")
        .clone();
    let public = json_count(&app).await["signature_count"].clone();
    assert_eq!(
        ours["total_signatures"], public,
        "counts include everyone confirmed"
    );
    assert!(public.as_i64().unwrap() >= 3);
    let signatures_href = ours["_links"]["osdi:signatures"]["href"].as_str().unwrap();
    assert_eq!(
        signatures_href,
        app.url(&format!("/api/osdi/v1/petitions/{PETITION}/signatures"))
    );
    assert!(ours["_links"]["osdi:record_signature_helper"]["href"]
        .as_str()
        .unwrap()
        .starts_with("http"));

    let path = format!("/petitions/{PETITION}/signatures");
    let (status, _, page) = api(&app, &union, &path).await;
    assert_eq!(status, 200);
    assert_eq!(
        emails(&page),
        ["shared@example.org"],
        "only what was shared with union"
    );
    let (_, _, page) = api(&app, &students, &path).await;
    assert_eq!(emails(&page), ["other@example.org"]);

    let since = |at: chrono::NaiveDateTime| {
        let at = at
            .and_utc()
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        format!(
            "{path}?filter={}",
            urlencode(&format!("modified_date gt '{at}'"))
        )
    };
    let (_, _, page) = api(&app, &union, &since(before)).await;
    assert_eq!(emails(&page), ["shared@example.org"]);
    let later = clarion::db::now() + chrono::TimeDelta::seconds(5);
    let (_, _, page) = api(&app, &union, &since(later)).await;
    assert!(emails(&page).is_empty(), "nothing changed since");

    let (status, kind, refused) = api(&app, &counts_only, &path).await;
    assert_eq!((status, kind.as_str()), (403, "application/json"));
    assert!(refused["message"]
        .as_str()
        .unwrap()
        .contains("read:signatures"));
    for token in ["", "clarion_forged", &"x".repeat(5000)] {
        let (status, kind, refused) = api(&app, token, &path).await;
        assert_eq!(
            (status, kind.as_str()),
            (401, "application/json"),
            "{token:.20}"
        );
        assert_eq!(refused["error"], "unauthorized");
    }

    let reads: Vec<Option<i64>> = audit_events::table
        .filter(audit_events::event.eq("osdi.signatures_read"))
        .select(audit_events::row_count)
        .load(&mut app.conn())
        .unwrap();
    assert!(
        reads.contains(&Some(1)) && reads.contains(&Some(0)),
        "{reads:?}"
    );
}

fn urlencode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

#[actix_web::test]
async fn pages_follow_next_links_to_the_end_without_repeats_or_gaps() {
    let app = TestApp::spawn().await;
    add_partner(&app, "union", "https://union.example.org");
    let partner: String = clarion::db::schema::partners::table
        .select(clarion::db::schema::partners::id)
        .first(&mut app.conn())
        .unwrap();
    let action = petition_id(&app);
    // Twelve rows, some changed at the very same instant: the id breaks the tie.
    let rows: Vec<_> = (0..12)
        .map(|n| {
            let mut row = signature(
                &action,
                n,
                "confirmed",
                "FR",
                "Sokha",
                "",
                1 + (n as u32 % 3),
            );
            row.updated_at = row.created_at.date().and_hms_opt(12, 0, 0).unwrap();
            row.partner_id = Some(partner.clone());
            row.consent_partner = n != 5;
            row
        })
        .collect();
    insert(&app, &rows);
    let token = api_token(&app, "union", &["read:signatures"]);
    let mut next = Some(app.url(&format!(
        "/api/osdi/v1/petitions/{PETITION}/signatures?per_page=5"
    )));
    let (mut seen, mut pages) = (Vec::new(), 0);
    while let Some(href) = next {
        let page: Value = app
            .client
            .get(&href)
            .header("OSDI-API-Token", &token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        seen.extend(emails(&page));
        next = page["_links"]["next"]["href"].as_str().map(String::from);
        pages += 1;
        assert!(pages < 10, "the pages end");
    }
    let mut expected: Vec<String> = (0..12)
        .filter(|n| *n != 5)
        .map(|n| format!("s{n}@example.org"))
        .collect();
    assert_eq!(seen.len(), 11, "{seen:?}");
    seen.sort();
    expected.sort();
    assert_eq!(
        seen, expected,
        "each shared row once, the unshared one never"
    );
    assert_eq!(pages, 3);
}

#[actix_web::test]
async fn the_helper_records_a_pending_signature_that_counts_only_once_confirmed() {
    let app = TestApp::spawn().await;
    add_partner(&app, "union", "https://union.example.org");
    let writer = api_token(&app, "union", &["write:signatures"]);
    let reader = api_token(&app, "union", &["read:signatures"]);
    let helper = app.url(&format!(
        "/api/osdi/v1/petitions/{PETITION}/record_signature_helper"
    ));
    let body = serde_json::json!({
        "person": {
            "given_name": "Sophea",
            "family_name": "Chan",
            "email_addresses": [{ "address": "crm@example.org", "primary": true }],
            "postal_addresses": [{ "country": "FR", "postal_code": "75011" }],
            "languages_spoken": ["fr"]
        },
        "comments": "Pour ma famille.",
        "clarion:consent_partner": true,
        "add_tags": ["december"]
    });
    let post = |token: &str, body: &Value| {
        app.client
            .post(&helper)
            .header("OSDI-API-Token", token)
            .json(body)
            .send()
    };
    let refused = post(&reader, &body).await.unwrap();
    assert_eq!(refused.status(), 403, "reading is not writing");
    let before = json_count(&app).await["signature_count"].clone();
    let made = post(&writer, &body).await.unwrap();
    assert_eq!(made.status(), 200);
    let made: Value = made.json().await.unwrap();
    assert_eq!(made["clarion:status"], "pending");
    let id = made["identifiers"][0]
        .as_str()
        .unwrap()
        .trim_start_matches("clarion:")
        .to_string();
    let (status, partner): (String, Option<String>) = signatures::table
        .find(&id)
        .select((signatures::status, signatures::partner_id))
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(status, "pending");
    assert!(partner.is_some());
    assert_eq!(
        json_count(&app).await["signature_count"],
        before,
        "pending does not count"
    );

    let link = link_to(&app, "crm@example.org").await;
    assert!(
        link.contains("/fr/"),
        "the email is in the person's language: {link}"
    );
    assert_eq!(app.client.post(&link).send().await.unwrap().status(), 303);
    let after = json_count(&app).await["signature_count"].as_i64().unwrap();
    assert_eq!(after, before.as_i64().unwrap() + 1, "confirmed, it counts");
    let again: Value = post(&writer, &body).await.unwrap().json().await.unwrap();
    assert_eq!(again["clarion:status"], "already_signed");
}
