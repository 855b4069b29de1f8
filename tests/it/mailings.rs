//! Staff send an article to the newsletter: a test copy first (the real email, headers
//! included), then the mailing, each subscriber once in their language with a one-click
//! way out that works without a cookie.

use crate::helpers::admin::staff_page;
use crate::helpers::newsletter::{create, exactly, header, path_of, post, subscribe, SLUG};
use crate::helpers::smtp::{Mail, Mode, SmtpServer};
use crate::helpers::{add_staff, app_with_smtp, csrf, logged_in, texts, TestApp};

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
    // The subscriber's own data, one click away, in their language.
    let text = to("phnompenh@example.org").text();
    let data = text
        .split_whitespace()
        .find(|w| w.contains("/me/"))
        .expect("a link to the subscriber's data");
    assert_eq!(app.get(&path_of(data)).await.status(), 200);
    assert!(path_of(data).starts_with("/km/me/"), "{data}");
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
