//! Letters through partners (issue 27): a partner's link carries its key and campaign
//! values through the country step to the letter form, which offers the separate choice
//! to share with it; the letter records them; each copy sent is a `letter.sent` webhook
//! to that partner; its CRM reads the letter as an OSDI outreach, another partner not;
//! a withdrawal and leaving the newsletter reach the partner too, naming nobody in the
//! first case.

use clarion::db::schema::{messages, signatures};
use diesel::prelude::*;
use serde_json::Value;

use crate::helpers::contact::{send, CONTACT};
use crate::helpers::webhooks::{add_webhook, app_with_partner, Receiver};
use crate::helpers::{attrs, html, link_to, supporter, texts, PETITION};
use crate::my_data_steps::link_for;
use crate::osdi::api_token;
use crate::partners::add_partner;

#[actix_web::test]
async fn a_letter_through_a_partner_reaches_its_webhook_and_crm_and_no_other() {
    let receiver = Receiver::start(vec![200]);
    let app = app_with_partner().await;
    add_partner(&app, "students", "https://students.example.org");
    add_webhook(&app, "union", &receiver.url(), &["letter.sent"]);

    let query = "partner=union&utm_source=%3Cb%3Enews";
    let step = html(&app.get_text(&format!("/act/{CONTACT}?{query}"), 200).await);
    let hidden = |page: &scraper::Html, form: &str, name: &str| {
        attrs(page, &format!("{form} input[name={name}]"), "value")
    };
    assert_eq!(hidden(&step, "form.country-form", "partner"), ["union"]);
    assert_eq!(
        hidden(&step, "form.country-form", "utm_source"),
        ["<b>news"]
    );
    let form = html(
        &app.get_text(&format!("/act/{CONTACT}?country=FR&{query}"), 200)
            .await,
    );
    assert_eq!(hidden(&form, "form.letter-form", "partner"), ["union"]);
    let label = texts(&form, "label[for=consent_partner]").join("");
    assert!(label.contains("Khmer Union"), "{label}");
    assert!(
        attrs(&form, "#consent_partner[checked]", "name").is_empty(),
        "never pre-ticked"
    );
    let targets = attrs(&form, "input[name=targets][checked]", "value");

    let shared = [
        ("partner", "union"),
        ("consent_partner", "1"),
        ("utm_source", "<b>news"),
    ];
    assert_eq!(send(&app, "FR", &targets[..2], &shared).await.status(), 303);
    let (partner, consent, utm): (Option<String>, bool, String) = messages::table
        .select((
            messages::partner_id,
            messages::consent_partner,
            messages::utm,
        ))
        .first(&mut app.conn())
        .unwrap();
    assert!(partner.is_some() && consent);
    assert_eq!(utm, "utm_source=%3Cb%3Enews");
    let link = link_to(&app, "sok@example.org").await;
    assert_eq!(app.client.post(&link).send().await.unwrap().status(), 303);

    let got = receiver.wait_for(2, 15).await;
    assert_eq!(got.len(), 2, "one letter.sent per copy sent");
    for one in &got {
        let body: Value = serde_json::from_slice(&one.body).unwrap();
        assert_eq!(body["type"], "letter.sent");
        assert_eq!(body["data"]["targets"].as_array().unwrap().len(), 1);
        assert_eq!(
            body["data"]["person"]["email_addresses"][0]["address"],
            "sok@example.org"
        );
        assert_eq!(
            body["data"]["clarion:advocacy_campaign"],
            format!("clarion:{CONTACT}")
        );
    }

    let union = api_token(&app, "union", &["read:signatures"]);
    let students = api_token(&app, "students", &["read:signatures"]);
    let get = |token: &str, path: String| {
        let (app, token) = (&app, token.to_string());
        async move {
            app.client
                .get(app.url(&format!("/api/osdi/v1{path}")))
                .header("OSDI-API-Token", token)
                .send()
                .await
                .unwrap()
                .json::<Value>()
                .await
                .unwrap()
        }
    };
    let campaigns = get(&union, "/advocacy_campaigns".into()).await;
    let ours = campaigns["_embedded"]["osdi:advocacy_campaigns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["identifiers"][0] == format!("clarion:{CONTACT}"))
        .unwrap()
        .clone();
    let outreaches = ours["_links"]["osdi:outreaches"]["href"].as_str().unwrap();
    let path = outreaches.split("/api/osdi/v1").nth(1).unwrap().to_string();
    let page = get(&union, path.clone()).await;
    let found = page["_embedded"]["osdi:outreaches"].as_array().unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["targets"].as_array().unwrap().len(), 2);
    assert_eq!(found[0]["subject"], "Please act on Cambodia");
    let page = get(&students, path).await;
    assert!(page["_embedded"]["osdi:outreaches"]
        .as_array()
        .unwrap()
        .is_empty());
    campaigners_see_the_partner(&app).await;
}

/// The messages CSV names the partner in its last column; the action's admin page counts
/// the partner's confirmed letters.
async fn campaigners_see_the_partner(app: &crate::helpers::TestApp) {
    crate::helpers::add_staff(app, "staff@example.org", "campaigner");
    let staff = crate::helpers::logged_in(app, "staff@example.org").await;
    let url = app.url(&format!("/admin/contacts/{CONTACT}/messages.csv"));
    let bytes = staff.get(url).send().await.unwrap().bytes().await.unwrap();
    let mut csv = csv::Reader::from_reader(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap());
    assert_eq!(csv.headers().unwrap().iter().next_back(), Some("partner"));
    let rows: Vec<csv::StringRecord> = csv.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].iter().next_back(), Some("union"));
    let id: String = clarion::db::schema::actions::table
        .filter(clarion::db::schema::actions::slug.eq(CONTACT))
        .select(clarion::db::schema::actions::id)
        .first(&mut app.conn())
        .unwrap();
    let path = format!("/admin/actions/{id}");
    let page = crate::helpers::admin::staff_page(app, &staff, &path).await;
    assert_eq!(texts(&page, "table.partners tbody tr"), ["union 1"]);
}

#[actix_web::test]
async fn a_withdrawal_and_leaving_the_newsletter_reach_the_partner() {
    let receiver = Receiver::start(vec![200]);
    let app = app_with_partner().await;
    let events = ["signature.withdrawn", "subscriber.unsubscribed"];
    add_webhook(&app, "union", &receiver.url(), &events);
    let mut fields = supporter("leaving@example.org");
    fields.extend([
        ("partner", "union"),
        ("consent_partner", "1"),
        ("consent_updates", "1"),
    ]);
    assert_eq!(app.sign(PETITION, &fields).await.status(), 303);
    let link = link_to(&app, "leaving@example.org").await;
    assert_eq!(app.client.post(&link).send().await.unwrap().status(), 303);
    let id: String = signatures::table
        .filter(signatures::email.eq("leaving@example.org"))
        .select(signatures::id)
        .first(&mut app.conn())
        .unwrap();

    let me = link_for(&app, "leaving@example.org");
    let left = app.post_form(&format!("{me}/unsubscribe"), &[]).await;
    assert_eq!(left.status(), 303);
    let gone = app
        .post_form(&format!("{me}/withdraw"), &[("signature", id.as_str())])
        .await;
    assert_eq!(gone.status(), 303);

    let got = receiver.wait_for(2, 15).await;
    let bodies: Vec<Value> = got
        .iter()
        .map(|g| serde_json::from_slice(&g.body).unwrap())
        .collect();
    let of = |kind: &str| bodies.iter().find(|b| b["type"] == kind).cloned();
    let unsubscribed = of("subscriber.unsubscribed").expect("the partner hears of it");
    assert_eq!(
        unsubscribed["data"]["email_addresses"][0]["address"],
        "leaving@example.org"
    );
    let withdrawn = of("signature.withdrawn").expect("the partner hears of it");
    assert_eq!(withdrawn["data"]["identifiers"][0], format!("clarion:{id}"));
    let text = withdrawn.to_string();
    assert!(
        !text.contains("leaving@") && !text.contains("Sok"),
        "it names nobody: {text}"
    );
}
