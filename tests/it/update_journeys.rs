//! Issue 30's journey, as its people would live it, in Chromium: twelve supporters write
//! to MEPs of one member state in three languages; ten answer the follow-up from its
//! emailed links; the public page shows the member state's share with its interval and
//! hides the MEP with fewer than ten answers; staff publish a "delivered" update in three
//! languages from the action's admin page, and only the writers who asked for news get
//! it, once each, in their language. Each page is checked with axe-core and photographed
//! at a phone's and a desktop's width.

use clarion::i18n::{t_in, Lang, Msg};

use crate::helpers::admin::log_in;
use crate::helpers::browser::{Browser, VIEWPORTS};
use crate::helpers::contact::{contact_id, send_in, set_action, target_id, CONTACT};
use crate::helpers::follow_up;
use crate::helpers::newsletter::{exactly, post};
use crate::helpers::rows::petition_id;
use crate::helpers::smtp::{Mode, SmtpServer};
use crate::helpers::{add_staff, logged_in, TestApp, PETITION};

const PREFIXES: [&str; 3] = ["", "/fr", "/km"];
const TITLES: [(&str, &str); 3] = [
    ("en", "We delivered your letters"),
    ("fr", "Nous avons remis vos lettres"),
    (
        "km",
        "យើង\u{200b}បាន\u{200b}ប្រគល់\u{200b}លិខិត\u{200b}របស់\u{200b}អ្នក",
    ),
];

/// Writer `i`'s language (by page prefix) and whether they asked for news: one writer
/// in four (one per language) did not.
fn writer(i: usize) -> (&'static str, bool) {
    (PREFIXES[i % 3], i % 4 != 3)
}

fn lang_of(path: &str) -> Lang {
    match &path[..3] {
        "/fr" => Lang::Fr,
        "/km" => Lang::Km,
        _ => Lang::En,
    }
}

/// Twelve letters to France's demo MEPs (the first three to Bruno too), confirmed.
async fn twelve_write(app: &TestApp, smtp: &SmtpServer) {
    let alice = target_id(app, "Demo MEP Alice Martin");
    let bruno = target_id(app, "Demo MEP Bruno Laurent");
    for i in 0..12 {
        let chosen = match i < 3 {
            true => vec![alice.clone(), bruno.clone()],
            false => vec![alice.clone()],
        };
        let email = format!("writer{i}@example.org");
        let (prefix, news) = writer(i);
        let mut fields = vec![("email", email.as_str())];
        if news {
            fields.push(("consent_updates", "1"));
        }
        let sent = send_in(app, prefix, "FR", &chosen, &fields).await;
        assert_eq!(sent.status(), 303);
    }
    for mail in &smtp.wait_for(12).await[..12] {
        let confirmed = app.client.post(mail.link()).send().await.unwrap();
        assert_eq!(confirmed.status(), 303);
    }
}

/// Ten writers answer in the browser: six "replied", four "no reply"; the two asked
/// about Bruno as well answer for him too.
async fn ten_answer(app: &TestApp, smtp: &SmtpServer, browser: &Browser) {
    // 15 letters, 12 copies, then 12 follow-ups.
    let mails = smtp.wait_for(12 + 15 + 12 + 12).await;
    let mut asked: Vec<String> = mails
        .iter()
        .map(|m| m.text())
        .filter(|t| t.contains("/follow-up/"))
        .collect();
    assert_eq!(asked.len(), 12);
    asked.sort_by_key(|text| !text.contains("Bruno"));
    for (i, text) in asked.iter().take(10).enumerate() {
        let answer = if i < 6 { "replied" } else { "no_reply" };
        let links = follow_up::answering(text, answer);
        for link in links.iter().take(if i < 2 { 2 } else { 1 }) {
            browser.open(&app.url(link)).await;
            if i == 0 {
                browser.check_accessibility("the follow-up page").await;
            }
            browser.press("form button[type=submit]").await;
            browser.see(t_in(lang_of(link), Msg::FollowUpSaved)).await;
        }
    }
}

/// Staff post the "delivered" update in three languages from the action's admin page.
async fn staff_publish(app: &TestApp, browser: &Browser) {
    add_staff(app, "staff@example.org", "campaigner");
    log_in(app, browser, "staff@example.org", false).await;
    let admin = format!("/admin/actions/{}", contact_id(app));
    browser.open(&app.url(&admin)).await;
    let label = browser.text_of("section#updates label[for=email]").await;
    assert!(label.contains("the 9 supporters"), "{label}");
    browser.choose_value("select#kind", "delivered").await;
    for (code, title) in TITLES {
        browser.type_into(&format!("#title_{code}"), title).await;
        let text = match code {
            "en" => "On 12 December we handed **every letter** to the offices of your MEPs.",
            "fr" => "Le 12 décembre, nous avons remis **chaque lettre** aux bureaux de vos députés.",
            _ => "នៅ\u{200b}ថ្ងៃ\u{200b}ទី 12 ខែ\u{200b}ធ្នូ យើង\u{200b}បាន\u{200b}ប្រគល់\u{200b}លិខិត\u{200b}ទាំង\u{200b}អស់\u{200b}ទៅ\u{200b}ការិយាល័យ\u{200b}តំណាង\u{200b}របស់\u{200b}អ្នក។",
        };
        browser.type_into(&format!("#body_{code}"), text).await;
    }
    browser.check_accessibility("the action's admin page").await;
    browser.photograph("update-form").await;
    browser
        .press("section#updates form button[type=submit]")
        .await;
    browser.see("Update published").await;
    browser.see("9 queued").await;
}

#[actix_web::test]
async fn ten_answers_make_a_public_share_and_a_delivered_update_reaches_only_those_who_asked() {
    let smtp = SmtpServer::start(Mode::Accept).await;
    let app = follow_up::app(&smtp, "1s", "7d").await;
    let Some(desktop) = Browser::start("update journey", VIEWPORTS[1]).await else {
        return;
    };
    set_action(&app, "max_per_hour", "1000");
    twelve_write(&app, &smtp).await;
    ten_answer(&app, &smtp, &desktop).await;
    let before = smtp.mails().len();
    staff_publish(&app, &desktop).await;

    // Only the nine who asked, once each, in the language they wrote in.
    let mails = exactly(&smtp, before + 9).await;
    for i in 0..12 {
        let address = format!("<writer{i}@example.org>");
        let got: Vec<_> = mails[before..]
            .iter()
            .filter(|m| m.to == [address.clone()])
            .collect();
        let (prefix, news) = writer(i);
        if !news {
            assert!(got.is_empty(), "writer {i} did not ask for news");
            continue;
        }
        assert_eq!(got.len(), 1, "writer {i}: once");
        let title = TITLES[PREFIXES.iter().position(|p| *p == prefix).unwrap()].1;
        assert_eq!(got[0].subject(), title, "writer {i}");
        assert!(got[0]
            .text()
            .contains(&format!("{prefix}/act/{CONTACT}#update-")));
    }
    desktop.stop().await;

    // A petition's "delivered" update carries the list's 64-character digest: it must
    // still fit a phone's width.
    let staff = logged_in(&app, "staff@example.org").await;
    let petition = format!("/admin/actions/{}/updates", petition_id(&app));
    let delivered = [
        ("kind", "delivered"),
        ("title_en", "We delivered the petition"),
        ("body_en", "To the European Parliament."),
        ("title_km", "យើង\u{200b}បាន\u{200b}ប្រគល់\u{200b}ញត្តិ"),
        ("body_km", "ជូន\u{200b}សភា\u{200b}អឺរ៉ុប។"),
    ];
    assert_eq!(post(&app, &staff, &petition, &delivered).await, 303);

    for viewport in VIEWPORTS {
        let browser = Browser::start("update journey pages", viewport)
            .await
            .expect("Chromium started once already");
        for (prefix, (_, title)) in PREFIXES.iter().zip(TITLES) {
            browser
                .open(&app.url(&format!("{prefix}/act/{CONTACT}")))
                .await;
            // WebDriver's text leaves out the zero-width spaces between Khmer words.
            let shown = browser.text_of("section#updates h3").await;
            assert_eq!(shown, title.replace('\u{200b}', ""), "{prefix}");
            browser
                .check_accessibility("the action's page with its news")
                .await;
            browser
                .photograph(&format!("timeline{}", prefix.replace('/', "-")))
                .await;

            browser
                .open(&app.url(&format!("{prefix}/act/{CONTACT}/replies")))
                .await;
            // 8 replied of 12 answers about France's MEPs (Alice's 10, Bruno's 2).
            let countries = browser.text_of("table.by-country").await;
            assert!(countries.contains("67% (39–86%)"), "{countries}");
            let officials = browser.text_of("table.by-official").await;
            assert!(officials.contains("Alice"), "{officials}");
            assert!(
                !officials.contains("Bruno"),
                "fewer than 10 answers: {officials}"
            );
            browser.check_accessibility("the replies page").await;
            browser
                .photograph(&format!("replies{}", prefix.replace('/', "-")))
                .await;
        }
        browser
            .open(&app.url(&format!("/km/petitions/{PETITION}")))
            .await;
        let digest = browser.text_of("section#updates .digest code").await;
        assert_eq!(digest.len(), 64, "{digest}");
        browser
            .check_accessibility("the petition's page with its news")
            .await;
        browser.show("section#updates .digest").await;
        browser.photograph("timeline-petition-km").await;
        browser.stop().await;
    }
}
