//! "Check your email" names the address the email went to, learnt from a sealed query
//! parameter (never a cookie: the test client keeps none), and "Wrong address? Change it"
//! leads back to the form as typed.

use crate::helpers::contact::{letter_form, send, CONTACT};
use crate::helpers::{attrs, html, location_path, texts, TestApp, PETITION};

async fn follow(app: &TestApp, response: &reqwest::Response) -> (reqwest::Response, String) {
    assert_eq!(response.status().as_u16(), 303);
    let location = response.headers()["location"].to_str().unwrap().to_string();
    (app.get(&location).await, location)
}

/// The address the page names, and where its "Change it" link leads.
fn sent_to_and_change(page: &scraper::Html) -> (Vec<String>, String) {
    let change = attrs(page, "main a", "href")
        .into_iter()
        .find(|href| href.contains("change="))
        .expect("a Change it link");
    (texts(page, "p.sent-to"), change)
}

#[actix_web::test]
async fn the_page_names_the_address_and_change_it_brings_the_form_back_filled_in() {
    let app = TestApp::spawn().await;
    let mut fields = vec![
        ("first_name", "Sok"),
        ("last_name", "Dara"),
        ("email", "sok.dara@example.org"),
        ("country", "FR"),
        ("postcode", "69001"),
        ("comment", "For my uncle."),
        ("show_publicly", "1"),
    ];
    let response = app.sign(PETITION, &fields).await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(
        location_path(&response),
        format!("/petitions/{PETITION}/check-your-email")
    );
    let (page, location) = follow(&app, &response).await;
    assert!(
        // Sealed: not the address, whole or encoded (a random three letters may be "sok").
        !location.contains("example.org") && !location.contains("%40") && !location.contains('@'),
        "the address cannot be read in the URL: {location}"
    );
    assert_eq!(page.status().as_u16(), 200);
    assert_eq!(page.headers()["cache-control"], "no-store");
    assert_eq!(page.headers()["referrer-policy"], "no-referrer");
    let (sent_to, change) = sent_to_and_change(&html(&page.text().await.unwrap()));
    assert_eq!(sent_to, ["We sent the email to: sok.dara@example.org"]);
    assert!(change.starts_with(&format!("/petitions/{PETITION}?change=")));

    let form = app.get(&change).await;
    assert_eq!(form.headers()["cache-control"], "no-store");
    let form = html(&form.text().await.unwrap());
    assert_eq!(attrs(&form, "#email", "value"), ["sok.dara@example.org"]);
    assert_eq!(attrs(&form, "#first_name", "value"), ["Sok"]);
    assert_eq!(attrs(&form, "#postcode", "value"), ["69001"]);
    assert_eq!(texts(&form, "#comment"), ["For my uncle."]);
    assert_eq!(attrs(&form, "#country option[selected]", "value"), ["FR"]);
    assert_eq!(attrs(&form, "#show_publicly", "checked").len(), 1);

    // Corrected and sent again, the new address is the one named.
    fields[2] = ("email", "dara.sok@example.org");
    let (page, _) = follow(&app, &app.sign(PETITION, &fields).await).await;
    let page = html(&page.text().await.unwrap());
    assert_eq!(
        texts(&page, "p.sent-to"),
        ["We sent the email to: dara.sok@example.org"]
    );
}

#[actix_web::test]
async fn a_letter_comes_back_with_its_own_text_and_recipients() {
    let app = TestApp::spawn().await;
    let (_, ticked, _) = letter_form(&app, "DE").await;
    let body = "Dear {target_name},\r\nMy own words about Cambodia.\r\n{supporter_name}";
    let overrides = [("email", "writer@example.org"), ("body", body)];
    let response = send(&app, "DE", &ticked[..1], &overrides).await;
    assert_eq!(
        location_path(&response),
        format!("/act/{CONTACT}/check-your-email")
    );
    let (page, _) = follow(&app, &response).await;
    let (sent_to, change) = sent_to_and_change(&html(&page.text().await.unwrap()));
    assert_eq!(sent_to, ["We sent the email to: writer@example.org"]);
    let form = html(&app.get_text(&change, 200).await);
    assert_eq!(attrs(&form, "#email", "value"), ["writer@example.org"]);
    assert_eq!(
        texts(&form, "#body"),
        ["Dear {target_name}, My own words about Cambodia. {supporter_name}"]
    );
    assert_eq!(
        attrs(&form, "input[name=targets][checked]", "value"),
        ticked[..1]
    );
}

#[actix_web::test]
async fn a_missing_altered_foreign_or_hostile_seal_shows_the_page_without_an_address() {
    let app = TestApp::spawn().await;
    let (_, ticked, _) = letter_form(&app, "DE").await;
    let letter = send(&app, "DE", &ticked[..1], &[]).await;
    let letter_seal = letter.headers()["location"].to_str().unwrap();
    let letter_seal = letter_seal.split("sent=").nth(1).unwrap().to_string();
    let signed = app
        .sign(PETITION, &crate::helpers::supporter("a@example.org"))
        .await;
    let seal = signed.headers()["location"].to_str().unwrap();
    let seal = seal.split("sent=").nth(1).unwrap().to_string();
    let mut altered = seal.clone().into_bytes();
    altered[20] = if altered[20] == b'A' { b'B' } else { b'A' };
    let altered = String::from_utf8(altered).unwrap();
    let long = "A".repeat(6000);
    let hostile = [
        "",
        altered.as_str(),
        letter_seal.as_str(),
        long.as_str(),
        "%FF%FE",
        "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    ];
    for sent in hostile {
        for path in [
            format!("/petitions/{PETITION}/check-your-email?sent={sent}"),
            format!("/petitions/{PETITION}?change={sent}"),
        ] {
            let response = app.get(&path).await;
            assert_eq!(response.status().as_u16(), 200, "{path:.80}");
            let body = response.text().await.unwrap();
            let page = html(&body);
            assert!(texts(&page, "p.sent-to").is_empty(), "{path:.80}");
            assert!(attrs(&page, "#email", "value").iter().all(String::is_empty));
            assert!(!body.contains("<script>alert"), "{path:.80}");
        }
    }
    // The petition's seal does not open on the contact action either.
    let path = format!("/act/{CONTACT}/check-your-email?sent={seal}");
    let page = html(&app.get_text(&path, 200).await);
    assert!(texts(&page, "p.sent-to").is_empty());
}

#[actix_web::test]
async fn change_it_keeps_the_partner_and_the_choice_to_share_with_it() {
    let app = TestApp::spawn().await;
    crate::partners::add_partner(&app, "union", "https://union.example.org");
    let mut fields = crate::helpers::supporter("shared@example.org");
    fields.extend([
        ("partner", "union"),
        ("consent_partner", "1"),
        ("utm_source", "news"),
    ]);
    let (page, _) = follow(&app, &app.sign(PETITION, &fields).await).await;
    let (_, change) = sent_to_and_change(&html(&page.text().await.unwrap()));
    let form = html(&app.get_text(&change, 200).await);
    let hidden = |name: &str| {
        attrs(
            &form,
            &format!("form.sign-form input[name={name}]"),
            "value",
        )
    };
    assert_eq!(hidden("partner"), ["union"]);
    assert_eq!(hidden("utm_source"), ["news"]);
    assert_eq!(
        attrs(&form, "#consent_partner[checked]", "name"),
        ["consent_partner"]
    );

    let (_, ticked, _) = letter_form(&app, "FR").await;
    let shared = [("partner", "union"), ("consent_partner", "1")];
    let (page, _) = follow(&app, &send(&app, "FR", &ticked[..1], &shared).await).await;
    let (_, change) = sent_to_and_change(&html(&page.text().await.unwrap()));
    let form = html(&app.get_text(&change, 200).await);
    let hidden = attrs(&form, "form.letter-form input[name=partner]", "value");
    assert_eq!(hidden, ["union"]);
    assert_eq!(
        attrs(&form, "#consent_partner[checked]", "name"),
        ["consent_partner"]
    );
}
