//! With DKIM set, every email is signed, and a receiving server's checker (Debian's
//! python3-dkim) verifies it, the one-click unsubscribe headers included.

use crate::helpers::admin::staff_page;
use crate::helpers::newsletter::{create, exactly, header, post, subscribe};
use crate::helpers::smtp::{Mode, SmtpServer};
use crate::helpers::{add_staff, logged_in, texts, TestApp};

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
        crate::helpers::say("SKIPPED dkim::with_dkim…: python3-dkim is not installed");
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
