//! Staff send an article to the newsletter: a test copy first (the real email, headers
//! included), then the mailing, each subscriber once in their language with a one-click
//! way out that works without a cookie.

use crate::helpers::admin::staff_page;
use crate::helpers::newsletter::{path_of, subscribe};
use crate::helpers::smtp::{Mail, Mode, SmtpServer};
use crate::helpers::{add_staff, app_with_smtp, csrf, logged_in, texts, TestApp};

const SLUG: &str = "european-parliament-resolution-on-cambodia";

fn header(mail: &Mail, name: &str) -> Option<String> {
    mail.parsed().header_raw(name).map(|v| v.trim().to_string())
}

/// Creates a mailing of the demo article; answers its page's path.
async fn create(app: &TestApp, staff: &reqwest::Client) -> String {
    let token = csrf(app, staff).await;
    let created = staff
        .post(app.url("/admin/mailings"))
        .form(&[("csrf", token.as_str()), ("article", SLUG)])
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 303);
    created.headers()["location"].to_str().unwrap().to_string()
}

async fn post(app: &TestApp, staff: &reqwest::Client, path: &str, fields: &[(&str, &str)]) -> u16 {
    let token = csrf(app, staff).await;
    let mut form = vec![("csrf", token.as_str())];
    form.extend_from_slice(fields);
    let answer = staff.post(app.url(path)).form(&form).send().await.unwrap();
    answer.status().as_u16()
}

/// Waits until `smtp` holds `n` emails, then a little longer to see that no more come.
async fn exactly(smtp: &SmtpServer, n: usize) -> Vec<Mail> {
    smtp.wait_for(n).await;
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let mails = smtp.mails();
    assert_eq!(mails.len(), n, "no more than {n} emails");
    mails
}

#[actix_web::test]
async fn staff_test_then_send_an_article_and_each_subscriber_gets_it_once_in_their_language() {
    let (app, smtp) = app_with_smtp(Mode::Accept).await;
    subscribe(&app, &smtp, "/newsletter", "leeds@example.org", 1).await;
    subscribe(&app, &smtp, "/fr/newsletter", "lyon@example.org", 2).await;
    subscribe(&app, &smtp, "/km/newsletter", "phnompenh@example.org", 3).await;
    add_staff(&app, "staff@example.org", "campaigner");
    let staff = logged_in(&app, "staff@example.org").await;

    let page = create(&app, &staff).await;
    let shown = staff_page(&app, &staff, &page).await;
    assert_eq!(texts(&shown, "p.count"), ["3 subscribed addresses"]);
    let subjects = crate::helpers::attrs(&shown, "input[name^=subject_]", "value");
    assert!(
        subjects[0].starts_with("European Parliament"),
        "{subjects:?}"
    );
    assert!(
        subjects[1].starts_with("Le Parlement européen"),
        "{subjects:?}"
    );

    // The test copy: to the staff member only, the real email with both headers.
    assert_eq!(
        post(&app, &staff, &format!("{page}/test"), &[("language", "fr")]).await,
        303
    );
    let test = smtp.wait_for(4).await.remove(3);
    assert_eq!(test.to, ["<staff@example.org>"]);
    assert!(
        test.subject().starts_with("Le Parlement européen"),
        "{}",
        test.subject()
    );
    assert!(header(&test, "List-Unsubscribe").is_some());
    assert_eq!(
        header(&test, "List-Unsubscribe-Post").as_deref(),
        Some("List-Unsubscribe=One-Click")
    );

    assert_eq!(
        post(&app, &staff, &format!("{page}/send"), &[("send_at", "")]).await,
        303
    );
    let mails = exactly(&smtp, 7).await;
    let sent: Vec<&Mail> = mails[4..].iter().collect();
    let to = |address: &str| {
        *sent
            .iter()
            .find(|m| m.to == [format!("<{address}>")])
            .unwrap()
    };
    assert!(to("leeds@example.org")
        .subject()
        .starts_with("European Parliament"));
    assert!(to("lyon@example.org")
        .subject()
        .starts_with("Le Parlement européen"));
    assert!(to("phnompenh@example.org").text().contains("ព្រឹត្តិបត្រ"));
    assert!(to("lyon@example.org")
        .text()
        .contains(&format!("/fr/articles/{SLUG}?mailing=")));
    let mut links: Vec<String> = Vec::new();
    for mail in &sent {
        let url = header(mail, "List-Unsubscribe").expect("List-Unsubscribe");
        assert!(
            url.starts_with(&format!("<{}/newsletter/unsubscribe/", app.url(""))),
            "{url}"
        );
        assert_eq!(
            header(mail, "List-Unsubscribe-Post").as_deref(),
            Some("List-Unsubscribe=One-Click")
        );
        links.push(url.trim_matches(['<', '>']).to_string());
    }
    links.sort();
    links.dedup();
    assert_eq!(links.len(), 3, "one link per recipient");

    // Lyon leaves with one POST and no cookie; the next mailing skips them.
    let header_url = header(to("lyon@example.org"), "List-Unsubscribe").unwrap();
    let leave = path_of(header_url.trim_matches(['<', '>']));
    let left = reqwest::Client::new()
        .post(app.url(&leave))
        .send()
        .await
        .unwrap();
    assert_eq!(left.status(), 200);
    let first = staff_page(&app, &staff, &page).await;
    let figures = texts(&first, "dl.results dd");
    assert_eq!(
        figures[..5],
        ["3", "3", "0", "0", "1"],
        "one left through it"
    );
    let second = create(&app, &staff).await;
    assert_ne!(second, page);
    assert_eq!(
        post(&app, &staff, &format!("{second}/send"), &[]).await,
        303
    );
    let mails = exactly(&smtp, 9).await;
    let mut again: Vec<String> = mails[7..]
        .iter()
        .map(|m| m.to[0].trim_matches(['<', '>']).to_string())
        .collect();
    again.sort();
    assert_eq!(again, ["leeds@example.org", "phnompenh@example.org"]);

    let results = staff_page(&app, &staff, &second).await;
    let figures = texts(&results, "dl.results dd");
    assert_eq!(figures[..2], ["2", "2"], "recipients and sent");
    assert_eq!(
        post(&app, &staff, &format!("{second}/send"), &[]).await,
        303,
        "sending twice starts nothing"
    );
    tokio::time::sleep(std::time::Duration::from_millis(1000)).await;
    assert_eq!(smtp.mails().len(), 9);
}

#[actix_web::test]
async fn hostile_mailing_forms_are_refused_with_a_message_and_change_nothing() {
    let app = TestApp::spawn().await;
    add_staff(&app, "staff@example.org", "campaigner");
    let staff = logged_in(&app, "staff@example.org").await;
    for article in ["no-such-article", "", "<script>"] {
        let token = csrf(&app, &staff).await;
        let answer = staff
            .post(app.url("/admin/mailings"))
            .form(&[("csrf", token.as_str()), ("article", article)])
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 422, "{article:?}");
    }
    let page = create(&app, &staff).await;
    let long = "s".repeat(201);
    for (field, value) in [
        ("subject_en", long.as_str()),
        ("subject_en", ""),
        ("subject_fr", "a\u{1b}b"),
        ("subject_km", "two\nlines"),
        ("intro_en", &"i".repeat(2001)),
    ] {
        let mut fields = vec![("subject_en", "Kept subject")];
        fields.retain(|(f, _)| *f != field);
        fields.push((field, value));
        assert_eq!(post(&app, &staff, &page, &fields).await, 422, "{field}");
    }
    let shown = staff_page(&app, &staff, &page).await;
    let subjects = crate::helpers::attrs(&shown, "input[name=subject_en]", "value");
    assert!(
        subjects[0].starts_with("European Parliament"),
        "nothing saved"
    );
    let bad_time = post(
        &app,
        &staff,
        &format!("{page}/send"),
        &[("send_at", "next week")],
    )
    .await;
    assert_eq!(bad_time, 422);
    assert_eq!(
        texts(&staff_page(&app, &staff, &page).await, "main strong")[0],
        "draft"
    );
    let unknown = staff
        .get(app.url("/admin/mailings/no-such-id"))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);
    assert_eq!(
        post(&app, &staff, &format!("{page}/explode"), &[]).await,
        404
    );
}

/// Debian's Python, where `apt-get install python3-dkim` puts the module (a `python3`
/// earlier on the PATH may be another).
const PYTHON: &str = "/usr/bin/python3";

/// Whether Python's `dkim` module (Debian's `python3-dkim`, installed by `.ci/run`) is
/// here to check signatures as a receiving mail server would.
fn dkim_verifier() -> bool {
    let found = std::process::Command::new(PYTHON)
        .args(["-c", "import dkim"])
        .status()
        .is_ok_and(|s| s.success());
    if !found {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI must have python3-dkim"
        );
        crate::helpers::say("SKIPPED mailings::dkim…: python3-dkim is not installed");
    }
    found
}

/// An RSA key in PKCS#1 PEM (for Clarion) and its public half as a DNS TXT record.
fn rsa_key(dir: &std::path::Path) -> (std::path::PathBuf, String) {
    let key = dir.join("dkim.pem");
    let made = std::process::Command::new("openssl")
        .args(["genrsa", "-traditional", "-out"])
        .arg(&key)
        .arg("2048")
        .output()
        .unwrap();
    assert!(made.status.success());
    let public = std::process::Command::new("openssl")
        .args(["rsa", "-pubout", "-outform", "DER", "-in"])
        .arg(&key)
        .output()
        .unwrap();
    use base64::Engine as _;
    let p = base64::engine::general_purpose::STANDARD.encode(public.stdout);
    (key, format!("v=DKIM1; k=rsa; p={p}"))
}

/// Python's verdict on `message` with `record` as the selector's DNS TXT record.
fn verifies(message: &[u8], record: &str) -> bool {
    use std::io::Write as _;
    let script = "import sys, dkim\nrecord = sys.argv[1].encode()\nmessage = sys.stdin.buffer.read()\nprint(dkim.verify(message, dnsfunc=lambda name, timeout=5: record))";
    let mut child = std::process::Command::new(PYTHON)
        .args(["-c", script, record])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(message).unwrap();
    let out = child.wait_with_output().unwrap();
    String::from_utf8_lossy(&out.stdout).trim() == "True"
}

#[actix_web::test]
async fn with_dkim_set_every_email_is_signed_and_a_receiver_verifies_the_unsubscribe_headers() {
    if !dkim_verifier() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (key, record) = rsa_key(dir.path());
    let smtp = SmtpServer::start(Mode::Accept).await;
    let app = TestApp::builder()
        .set("CLARION_SMTP_URL", &smtp.url())
        .set("CLARION_DKIM_DOMAIN", "example.org")
        .set("CLARION_DKIM_SELECTOR", "s2026")
        .set("CLARION_DKIM_KEY_FILE", key.to_str().unwrap())
        .spawn()
        .await;
    subscribe(&app, &smtp, "/newsletter", "leeds@example.org", 1).await;
    add_staff(&app, "staff@example.org", "campaigner");
    let staff = logged_in(&app, "staff@example.org").await;
    let page = create(&app, &staff).await;
    assert_eq!(post(&app, &staff, &format!("{page}/send"), &[]).await, 303);
    let mails = exactly(&smtp, 2).await;

    let confirmation = &mails[0];
    assert!(
        verifies(&confirmation.data, &record),
        "the confirmation verifies"
    );
    let mailing = &mails[1];
    let signature = header(mailing, "DKIM-Signature").expect("signed");
    let tags: String = signature.split_whitespace().collect();
    assert!(
        tags.contains("d=example.org;") && tags.contains("s=s2026;"),
        "{tags}"
    );
    assert!(
        tags.contains("list-unsubscribe:list-unsubscribe-post"),
        "{tags}"
    );
    assert!(verifies(&mailing.data, &record), "the mailing verifies");
    // The sender (CLARION_MAIL_FROM, at localhost) is not on the signed domain: the
    // dashboard says so until an admin sets a sender there.
    let warning = "Emails are signed for another domain".to_string();
    let dashboard = staff_page(&app, &staff, "/admin").await;
    assert!(texts(&dashboard, ".notice h2").contains(&warning));
    add_staff(&app, "admin@example.org", "admin");
    let admin = logged_in(&app, "admin@example.org").await;
    let form_page = staff_page(&app, &admin, "/admin/organisation").await;
    let pairs = crate::helpers::form_as_sent(&form_page, "form[action=\"/admin/organisation\"]");
    let mut form = reqwest::multipart::Form::new();
    for (name, value) in pairs {
        let value = if name == "sender_email" {
            "news@example.org".to_string()
        } else {
            value
        };
        form = form.text(name, value);
    }
    let saved = admin
        .post(app.url("/admin/organisation"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 303);
    crate::helpers::after_copies_expire().await;
    tokio::time::sleep(std::time::Duration::from_secs(5)).await;
    let dashboard = staff_page(&app, &staff, "/admin").await;
    assert!(!texts(&dashboard, ".notice h2").contains(&warning));
    // Changing the unsubscribe URL on the way breaks the signature.
    let text = String::from_utf8_lossy(&mailing.data)
        .replace("/newsletter/unsubscribe/", "/newsletter/unsubscribe/x");
    assert!(!verifies(text.as_bytes(), &record), "the header is covered");
}

#[actix_web::test]
async fn an_address_refused_for_good_is_marked_bounced_and_counted_on_its_mailing() {
    use clarion::db::schema::subscribers;
    use diesel::prelude::*;
    let smtp = SmtpServer::start(Mode::PermFail).await;
    let app = TestApp::builder()
        .set("CLARION_SMTP_URL", &smtp.url())
        .spawn()
        .await;
    let now = clarion::db::now();
    diesel::insert_into(subscribers::table)
        .values(clarion::db::subscribers::NewSubscriber {
            id: "gone".into(),
            email: "gone@example.org".into(),
            email_canonical: "gone@example.org".into(),
            first_name: "Gone".into(),
            country_code: "FR".into(),
            language: "en".into(),
            status: "subscribed".into(),
            consent_text: "Yes".into(),
            consent_version: "v1".into(),
            source: "import".into(),
            token_hash: "none:gone".into(),
            client_hash: String::new(),
            emails_sent: 0,
            created_at: now,
            updated_at: now,
        })
        .execute(&mut app.conn())
        .unwrap();
    add_staff(&app, "staff@example.org", "campaigner");
    let staff = logged_in(&app, "staff@example.org").await;
    let page = create(&app, &staff).await;
    assert_eq!(post(&app, &staff, &format!("{page}/send"), &[]).await, 303);
    let status = || -> String {
        subscribers::table
            .select(subscribers::status)
            .first(&mut app.conn())
            .unwrap()
    };
    for _ in 0..100 {
        if status() == "bounced" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(status(), "bounced");
    let shown = staff_page(&app, &staff, &page).await;
    let figures = texts(&shown, "dl.results dd");
    assert_eq!(
        (figures[3].as_str(), figures[5].as_str()),
        ("1", "1"),
        "not sent, bounced"
    );
}
