//! Trust: staff invitations, roles and disabling, block and allow lists, and the audit
//! log that records each of those steps.

use clarion::db::schema::{audit_events, signatures, staff_invites};
use diesel::prelude::*;

use crate::helpers::{add_staff, csrf, html, link_to, logged_in, login, texts, TestApp, PETITION};

#[actix_web::test]
async fn an_invited_campaigner_sets_a_password_once_and_cannot_see_the_audit_log() {
    let app = TestApp::spawn().await;
    add_staff(&app, "admin@example.org", "admin");
    let admin = logged_in(&app, "admin@example.org").await;
    let token = csrf(&app, &admin).await;
    for (email, role, message) in [
        ("not-an-email", "campaigner", "Enter an email address"),
        ("new@example.org", "owner", "Choose admin or campaigner"),
        ("admin@example.org", "campaigner", "already has an account"),
    ] {
        let refused = admin
            .post(app.url("/admin/staff"))
            .form(&[("csrf", token.as_str()), ("email", email), ("role", role)])
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 422, "{email}");
        assert!(refused.text().await.unwrap().contains(message), "{email}");
    }
    let invited = admin
        .post(app.url("/admin/staff"))
        .form(&[
            ("csrf", token.as_str()),
            ("email", "New@Example.org"),
            ("role", "campaigner"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(invited.status(), 200);
    let link = link_to(&app, "new@example.org").await;
    let path = reqwest::Url::parse(&link).unwrap().path().to_string();
    assert!(path.starts_with("/admin/invite/"));

    let newcomer = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    assert_eq!(
        newcomer.get(app.url(&path)).send().await.unwrap().status(),
        200
    );
    let mismatch = newcomer
        .post(app.url(&path))
        .form(&[
            ("password", "a long enough password"),
            ("password_confirm", "something else entirely"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(mismatch.status(), 422);
    let short = newcomer
        .post(app.url(&path))
        .form(&[("password", "short"), ("password_confirm", "short")])
        .send()
        .await
        .unwrap();
    assert_eq!(short.status(), 422);
    let set = newcomer
        .post(app.url(&path))
        .form(&[
            ("password", "a long enough password"),
            ("password_confirm", "a long enough password"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(set.status(), 303);
    let again = newcomer
        .post(app.url(&path))
        .form(&[
            ("password", "another long password"),
            ("password_confirm", "another long password"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 410, "single use");
    assert_eq!(
        newcomer
            .get(app.url("/admin/invite/forged"))
            .send()
            .await
            .unwrap()
            .status(),
        410
    );

    assert_eq!(
        login(&app, &newcomer, "new@example.org", "a long enough password")
            .await
            .status(),
        303
    );
    assert_eq!(
        newcomer
            .get(app.url("/admin"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(
        newcomer
            .get(app.url("/admin/audit"))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );

    // Disabling ends the newcomer's session at once.
    let id: String = clarion::db::staff::find_by_email(&mut app.conn(), "new@example.org")
        .unwrap()
        .unwrap()
        .id;
    let disabled = admin
        .post(app.url(&format!("/admin/staff/{id}")))
        .form(&[("csrf", token.as_str()), ("status", "disabled")])
        .send()
        .await
        .unwrap();
    assert_eq!(disabled.status(), 303);
    let after = newcomer.get(app.url("/admin")).send().await.unwrap();
    assert_eq!(after.status(), 303);
    assert_eq!(after.headers()["location"], "/admin/login");

    // The only admin cannot demote themselves.
    let me: String = clarion::db::staff::find_by_email(&mut app.conn(), "admin@example.org")
        .unwrap()
        .unwrap()
        .id;
    let demoted = admin
        .post(app.url(&format!("/admin/staff/{me}")))
        .form(&[("csrf", token.as_str()), ("role", "campaigner")])
        .send()
        .await
        .unwrap();
    assert_eq!(demoted.status(), 409);

    // An expired invitation no longer works.
    admin
        .post(app.url("/admin/staff"))
        .form(&[
            ("csrf", token.as_str()),
            ("email", "late@example.org"),
            ("role", "admin"),
        ])
        .send()
        .await
        .unwrap();
    let late = reqwest::Url::parse(&link_to(&app, "late@example.org").await)
        .unwrap()
        .path()
        .to_string();
    diesel::update(staff_invites::table)
        .set(staff_invites::expires_at.eq(clarion::db::now() - chrono::TimeDelta::minutes(1)))
        .execute(&mut app.conn())
        .unwrap();
    assert_eq!(
        newcomer.get(app.url(&late)).send().await.unwrap().status(),
        410
    );

    // Every step is in the audit log, which the admin can filter.
    let log = html(
        &admin
            .get(app.url("/admin/audit?event=staff.changed"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
    );
    assert_eq!(texts(&log, "table.audit tbody tr").len(), 1);
    let all = html(
        &admin
            .get(app.url("/admin/audit"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
    );
    let events = texts(&all, "table.audit tbody tr td code");
    for event in ["staff.invited", "staff.joined", "staff.changed"] {
        assert!(events.iter().any(|e| e == event), "{event} in {events:?}");
    }
    assert_eq!(
        admin
            .get(app.url("/admin/audit?page=0"))
            .send()
            .await
            .unwrap()
            .status(),
        400
    );
}

#[actix_web::test]
async fn admins_edit_the_block_list_and_a_blocked_domain_is_held_at_signing() {
    let app = TestApp::spawn().await;
    add_staff(&app, "admin@example.org", "admin");
    let admin = logged_in(&app, "admin@example.org").await;
    let token = csrf(&app, &admin).await;
    let add = |list: &str, kind: &str, value: &str| {
        let form = vec![
            ("csrf".to_string(), token.clone()),
            ("list".to_string(), list.to_string()),
            ("kind".to_string(), kind.to_string()),
            ("value".to_string(), value.to_string()),
        ];
        let (admin, url) = (admin.clone(), app.url("/admin/access-rules"));
        async move { admin.post(url).form(&form).send().await.unwrap() }
    };
    for (list, kind, value) in [
        ("block", "email_domain", "<script>.org"),
        ("block", "email_domain", "=cmd|x.org"),
        ("block", "cidr", "300.1.1.1/8"),
        ("block", "cidr", ""),
        ("nowhere", "cidr", "10.0.0.0/8"),
        ("block", "kind", "x.org"),
    ] {
        let refused = add(list, kind, value).await;
        assert_eq!(refused.status(), 422, "{list} {kind} {value}");
    }
    assert_eq!(
        add("block", "email_domain", "@Spam.Example").await.status(),
        303
    );
    assert_eq!(
        add("block", "email_domain", "spam.example").await.status(),
        303,
        "twice is once"
    );
    let page = html(
        &admin
            .get(app.url("/admin/access-rules"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
    );
    assert_eq!(
        texts(&page, "table.data tbody tr td code"),
        ["spam.example"]
    );

    assert_eq!(
        app.sign(PETITION, &crate::helpers::supporter("bot@spam.example"))
            .await
            .status(),
        303
    );
    let held: Vec<Option<String>> = signatures::table
        .select(signatures::hold_reason)
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(held, [Some("blocked".to_string())]);

    let id: String = clarion::db::schema::access_rules::table
        .select(clarion::db::schema::access_rules::id)
        .first(&mut app.conn())
        .unwrap();
    let removed = admin
        .post(app.url(&format!("/admin/access-rules/{id}/delete")))
        .form(&[("csrf", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(removed.status(), 303);
    let page = html(
        &admin
            .get(app.url("/admin/access-rules"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
    );
    assert!(texts(&page, "table.data tbody tr").is_empty());
    let events: Vec<String> = audit_events::table
        .select(audit_events::event)
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(events, ["access_rule.added", "access_rule.removed"]);
}
