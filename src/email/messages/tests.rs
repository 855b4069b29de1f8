//! What each confirmation email says, in each language.

use super::*;

fn queued(email: NewEmail) -> QueuedEmail {
    QueuedEmail {
        id: email.id,
        kind: email.kind,
        to_address: email.to_address,
        from_name: email.from_name,
        reply_to: email.reply_to,
        subject: email.subject,
        body_text: email.body_text,
        body_html: email.body_html,
        attempts: 1,
        fields: email.fields,
        claim: None,
        mailing_id: email.mailing_id,
        subscriber_id: email.subscriber_id,
        signature_id: email.signature_id,
        message_id: email.message_id,
    }
}

fn site() -> Site {
    Site {
        key: b"a test key".to_vec(),
        base_url: "https://example.org".into(),
    }
}

#[test]
fn a_confirmation_queued_as_fields_renders_as_if_rendered_at_once() {
    // Quotes and a backslash: JSON escapes them, so they cannot be borrowed back.
    let title = r#"Free "the 11" \ now <b>é</b>"#;
    let link = "https://example.org/signatures/confirm/abc";
    let now = chrono::NaiveDate::from_ymd_opt(2026, 11, 28)
        .unwrap()
        .and_hms_opt(12, 0, 0)
        .unwrap();
    let email = queued_confirmation(
        Lang::En,
        Confirmation::Signature,
        "a@b.org",
        title,
        "Dara",
        link,
        now,
    );
    assert!(email.body_text.is_empty() && email.body_html.is_none());
    let mut email = queued(email);
    render_queued(&mut email, "Khmer Voices", &site()).unwrap();
    let direct =
        Confirmation::Signature.render(Lang::En, (title, "Dara", link), ("Khmer Voices", None));
    assert_eq!(email.subject, direct.subject);
    assert_eq!(email.body_text, direct.text);
    assert_eq!(email.body_html.as_deref(), Some(direct.html.as_str()));
    assert!(email.body_text.contains(link) && email.subject.contains(title));
}

#[test]
fn fields_that_cannot_be_read_are_an_error_not_an_empty_email() {
    let now = chrono::DateTime::UNIX_EPOCH.naive_utc();
    let mut email = queued(queued_confirmation(
        Lang::En,
        Confirmation::Message,
        "a@b.org",
        "T",
        "N",
        "https://x",
        now,
    ));
    email.fields = Some("{not json".into());
    assert!(render_queued(&mut email, "Khmer Voices", &site())
        .unwrap_err()
        .contains("unreadable"));
    email.kind = "letter".into();
    email.fields = Some(r#"{"title":"T","first_name":"N","link":"L"}"#.into());
    assert!(render_queued(&mut email, "Khmer Voices", &site())
        .unwrap_err()
        .contains("no template"));
}

#[test]
fn a_confirmation_is_written_in_the_language_of_the_page_used() {
    let now = chrono::DateTime::UNIX_EPOCH.naive_utc();
    let link = "https://example.org/km/signatures/confirm/abc";
    for (lang, greeting) in [(Lang::Fr, "Bonjour Dara,"), (Lang::Km, "សួស្តី Dara")] {
        let queued_email = queued_confirmation(
            lang,
            Confirmation::Signature,
            "a@b.org",
            "T",
            "Dara",
            link,
            now,
        );
        let mut email = queued(queued_email);
        render_queued(&mut email, "Org", &site()).unwrap();
        assert!(email.body_text.starts_with(greeting), "{}", email.body_text);
        let html = email.body_html.unwrap();
        assert!(
            html.contains(&format!("<html lang=\"{}\">", lang.code())),
            "{html}"
        );
    }
}

#[test]
fn a_stored_copy_gets_its_data_link_at_its_end_and_nowhere_else() {
    let now = chrono::DateTime::UNIX_EPOCH.naive_utc();
    let marker = super::super::letters::data_link_marker(Lang::Km);
    let typed = format!("Dear MEP,\n{marker}\nwritten by the supporter");
    let mut stored = NewEmail::new(
        "letter_copy",
        "a@b.org",
        "Your letter was sent".into(),
        format!("{typed}\n\nYour data: {marker}\n"),
        None,
        now,
    );
    stored.message_id = Some("0192-letter".into());
    let mut email = queued(stored);
    render_queued(&mut email, "Org", &site()).unwrap();
    let (kept, end) = email.body_text.rsplit_once("Your data: ").unwrap();
    assert!(
        kept.contains(&typed),
        "what the writer typed stays as typed"
    );
    assert!(end.starts_with("https://example.org/km/me/"), "{end}");
    assert!(!end.contains("[[data-link"));
}
