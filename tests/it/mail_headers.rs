//! Every kind of email Clarion sends, read back as a standards-following mail program
//! reads it: `MIME-Version: 1.0` and `text/plain; charset=utf-8` declared (a lenient parser
//! takes an undeclared part as UTF-8 anyway, so the headers are asserted, not only the
//! round trip), and accented and Khmer names, subjects and bodies exactly as typed.

use mail_parser::MimeHeaders as _;

use crate::helpers::contact::{letter_form, send};
use crate::helpers::smtp::{Mail, Mode};
use crate::helpers::{add_staff, app_with_smtp, csrf, logged_in, PETITION};

/// The headers a mail program needs to read the text as UTF-8, on the message and on
/// its plain-text part.
fn assert_declares_utf8(mail: &Mail, kind: &str) {
    let parsed = mail.parsed();
    let version = parsed.header_raw("MIME-Version").map(str::trim);
    assert_eq!(version, Some("1.0"), "{kind}: MIME-Version");
    let text = parsed.text_part(0).expect("a text part");
    let content_type = text
        .content_type()
        .expect("a Content-Type on the text part");
    assert_eq!(
        (content_type.ctype(), content_type.subtype()),
        ("text", Some("plain")),
        "{kind}"
    );
    assert!(
        content_type
            .attribute("charset")
            .is_some_and(|c| c.eq_ignore_ascii_case("utf-8")),
        "{kind}: charset"
    );
}

fn unix_lines(text: &str) -> String {
    text.replace("\r\n", "\n")
}

#[actix_web::test]
async fn every_kind_of_email_declares_utf8_and_reads_back_exactly_with_khmer_and_accents() {
    let (app, smtp) = app_with_smtp(Mode::Accept).await;

    // A signature's confirmation.
    let signer = [
        ("first_name", "Chloé"),
        ("last_name", "សុខ\u{200B}ដារា"),
        ("email", "chloe@example.org"),
        ("country", "FR"),
    ];
    assert_eq!(app.sign(PETITION, &signer).await.status(), 303);
    let confirmation = smtp.wait_for(1).await.remove(0);
    assert_declares_utf8(&confirmation, "signature confirmation");
    assert!(
        confirmation.text().contains("Chloé"),
        "{}",
        confirmation.text()
    );

    // A letter: its confirmation, then the letter each MEP receives.
    let (_, _, page) = letter_form(&app, "FR").await;
    let all_fr = crate::helpers::attrs(&page, "input[name=targets]", "value");
    let subject = "Pour la démocratie au Cambodge — សូមជួយ";
    let body = "Madame, Monsieur {target_name},\r\nសូមជួយដោះលែងអ្នកទោសនយោបាយ។\r\nSophéa ចាន់";
    let sent = send(
        &app,
        "FR",
        &all_fr,
        &[
            ("first_name", "Sophéa"),
            ("last_name", "ចាន់"),
            ("email", "sophea@example.org"),
            ("subject", subject),
            ("body", body),
        ],
    )
    .await;
    assert_eq!(sent.status(), 303, "{}", sent.text().await.unwrap());
    let mails = smtp.wait_for(2).await;
    let to_writer = &mails[1];
    assert_declares_utf8(to_writer, "letter confirmation");
    let link = to_writer.link();
    assert!(link.contains("/messages/confirm/"), "{link}");
    assert_eq!(app.client.post(&link).send().await.unwrap().status(), 303);
    // The letters, and the writer's copy.
    let mails = smtp.wait_for(3 + all_fr.len()).await;
    let copy = mails
        .iter()
        .find(|m| m.subject().starts_with("Your letter was sent"))
        .expect("the writer's copy");
    assert_declares_utf8(copy, "letter copy");
    assert!(copy.text().contains("សូមជួយដោះលែងអ្នកទោសនយោបាយ។"));
    let letter = mails
        .iter()
        .find(|m| m.to.iter().any(|t| t.contains("demo-3@example.org")))
        .unwrap_or_else(|| {
            panic!(
                "a letter to Chloé Bernard among {:?}",
                mails.iter().map(|m| &m.to).collect::<Vec<_>>()
            )
        });
    assert_declares_utf8(letter, "letter");
    let parsed = letter.parsed();
    assert_eq!(parsed.subject(), Some(subject));
    assert_eq!(
        parsed.from().and_then(|a| a.first()).and_then(|a| a.name()),
        Some("Sophéa ចាន់")
    );
    assert_eq!(
        parsed
            .reply_to()
            .and_then(|a| a.first())
            .and_then(|a| a.address()),
        Some("sophea@example.org")
    );
    let text = unix_lines(&letter.text());
    assert!(
        text.starts_with(
            "Madame, Monsieur Demo MEP Chloé Bernard,\nសូមជួយដោះលែងអ្នកទោសនយោបាយ។\nSophéa ចាន់"
        ),
        "{text}"
    );

    // A staff invitation.
    add_staff(&app, "admin@example.org", "admin");
    let admin = logged_in(&app, "admin@example.org").await;
    let token = csrf(&app, &admin).await;
    let invited = admin
        .post(app.url("/admin/staff"))
        .form(&[
            ("csrf", token.as_str()),
            ("email", "sovann@example.org"),
            ("role", "campaigner"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(invited.status(), 200);
    let mails = smtp.wait_for(4 + all_fr.len()).await;
    let invitation = mails
        .iter()
        .find(|m| m.to.iter().any(|t| t.contains("sovann")))
        .expect("the invitation");
    assert_declares_utf8(invitation, "staff invitation");
    assert!(invitation.link().contains("/admin/invite/"));
}

#[actix_web::test]
async fn a_supporters_name_cannot_pose_as_an_address_in_a_letters_from_header() {
    let (app, smtp) = app_with_smtp(Mode::Accept).await;
    let (_, ticked, _) = letter_form(&app, "DE").await;
    let sent = send(
        &app,
        "DE",
        &ticked[..1],
        &[
            ("first_name", "President <president@gov.example>"),
            ("last_name", "\u{202E}Dara\""),
            ("email", "writer@example.org"),
        ],
    )
    .await;
    assert_eq!(sent.status(), 303);
    let link = smtp.wait_for(1).await[0].link();
    assert_eq!(app.client.post(&link).send().await.unwrap().status(), 303);
    let mails = smtp.wait_for(3).await;
    let letter = mails
        .iter()
        .find(|m| !m.to.iter().any(|t| t.contains("writer@example.org")))
        .expect("the letter");
    let parsed = letter.parsed();
    let from = parsed.from().and_then(|a| a.first()).expect("a From");
    assert_eq!(from.address(), Some("no-reply@localhost"));
    let name = from.name().unwrap_or_default();
    assert_eq!(name, "President presidentgov.example Dara");
    assert!(!name.contains(['<', '>', '@', '"', '\u{202E}']), "{name}");
}

#[actix_web::test]
async fn a_letter_subject_holding_an_encoded_word_is_refused_beside_its_field() {
    let (app, smtp) = app_with_smtp(Mode::Accept).await;
    let (_, ticked, _) = letter_form(&app, "DE").await;
    let refused = send(
        &app,
        "DE",
        &ticked,
        &[("subject", "=?utf-8?q?Message_from_the_President?=")],
    )
    .await;
    assert_eq!(refused.status(), 422);
    let page = crate::helpers::html(&refused.text().await.unwrap());
    let errors = crate::helpers::texts(&page, ".error-summary a");
    assert!(errors.iter().any(|e| e.contains("=?")), "{errors:?}");
    actix_web::rt::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(smtp.mails().is_empty(), "nothing was sent");
}
