//! Did they reply? Twelve writers write to French MEPs; ten answer through their
//! follow-up links. The public page shows France's share with its interval, names only
//! the MEP with ten answers, and the admin's page and CSV show everyone.

use crate::helpers::admin::{add_staff, logged_in, staff_page};
use crate::helpers::contact::{send_in, set_action, target_id, CONTACT};
use crate::helpers::follow_up;
use crate::helpers::smtp::{Mode, SmtpServer};
use crate::helpers::{html, texts};

/// The row of `table` whose first cell is `name`: its cells' texts.
fn row(page: &scraper::Html, table: &str, name: &str) -> Option<Vec<String>> {
    let rows = scraper::Selector::parse(&format!("table.{table} tbody tr")).unwrap();
    let cells = scraper::Selector::parse("th, td").unwrap();
    page.select(&rows)
        .map(|r| {
            r.select(&cells)
                .map(|c| c.text().collect::<String>().trim().to_string())
                .collect::<Vec<_>>()
        })
        .find(|cells| cells[0].starts_with(name))
}

#[actix_web::test]
async fn ten_answers_make_a_share_with_its_interval_and_fewer_keep_an_mep_off_the_public_page() {
    let smtp = SmtpServer::start(Mode::Accept).await;
    let app = follow_up::app(&smtp, "1s", "7d").await;
    set_action(&app, "max_per_hour", "1000");
    let alice = target_id(&app, "Demo MEP Alice Martin");
    let bruno = target_id(&app, "Demo MEP Bruno Laurent");
    let page = app.get_text(&format!("/act/{CONTACT}/replies"), 200).await;
    assert!(page.contains("No letter has been delivered yet."), "{page}");

    // Twelve writers: all to Alice, the first three to Bruno as well.
    for i in 0..12 {
        let chosen = if i < 3 {
            vec![alice.clone(), bruno.clone()]
        } else {
            vec![alice.clone()]
        };
        let email = format!("writer{i}@example.org");
        let sent = send_in(&app, "", "FR", &chosen, &[("email", &email)]).await;
        assert_eq!(sent.status(), 303);
    }
    let mails = smtp.wait_for(12).await;
    for mail in &mails[..12] {
        let confirmed = app.client.post(mail.link()).send().await.unwrap();
        assert_eq!(confirmed.status(), 303);
    }
    // 15 letters, 12 copies, then 12 follow-ups.
    let mails = smtp.wait_for(12 + 15 + 12 + 12).await;
    let mut asked: Vec<String> = mails
        .iter()
        .filter(|m| m.subject().starts_with("Did they reply"))
        .map(|m| m.text())
        .collect();
    assert_eq!(asked.len(), 12);
    // Those asked about Bruno too come first.
    asked.sort_by_key(|text| !text.contains("Bruno"));

    // Ten answer about Alice: six replied, four had no reply; two of them about Bruno.
    for (i, text) in asked.iter().take(10).enumerate() {
        let answer = if i < 6 { "replied" } else { "no_reply" };
        let links = follow_up::answering(text, answer);
        // Alice's question comes first (by name), Bruno's second.
        let asked_about = if text.contains("Bruno") { 2 } else { 1 };
        assert_eq!(links.len(), asked_about, "{text}");
        for link in links.iter().take(if i < 2 { 2 } else { 1 }) {
            let path = link.split('?').next().unwrap();
            let form = [("answer", answer), ("reply", "")];
            assert_eq!(app.post_form(path, &form).await.status(), 303);
        }
    }

    // Public: France 6 of 10 (and Bruno's), Alice named, Bruno too few.
    for (prefix, france) in [("", "France"), ("/fr", "France"), ("/km", "បារាំង")] {
        let page = html(
            &app.get_text(&format!("{prefix}/act/{CONTACT}/replies"), 200)
                .await,
        );
        let fr = row(&page, "by-country", france).expect("France's row");
        assert_eq!(fr[1], "15", "letters delivered to France's MEPs: {fr:?}");
        // 8 replied of 12 answers (Alice's 10, Bruno's 2).
        assert_eq!(fr[3], "67% (39–86%)", "{fr:?}");
        let alice_row = row(&page, "by-official", "Demo MEP Alice Martin").expect("Alice");
        assert_eq!(alice_row[3], "60% (31–83%)", "{alice_row:?}");
        assert!(
            row(&page, "by-official", "Demo MEP Bruno").is_none(),
            "too few"
        );
        assert_eq!(texts(&page, "p#total").len(), 1);
    }
    let overall = html(&app.get_text("/replies", 200).await);
    assert!(row(&overall, "by-official", "Demo MEP Alice Martin").is_some());
    assert_eq!(app.get("/act/no-such-action/replies").await.status(), 404);

    // Staff see Bruno with too few answers, and the CSV says the same.
    add_staff(&app, "campaigner@example.org", "campaigner");
    let staff = logged_in(&app, "campaigner@example.org").await;
    let admin = staff_page(&app, &staff, &format!("/admin/contacts/{CONTACT}/replies")).await;
    let bruno_row = row(&admin, "replies", "Demo MEP Bruno Laurent").expect("Bruno for staff");
    assert!(
        bruno_row.last().unwrap().contains("too few answers"),
        "{bruno_row:?}"
    );
    let csv = staff
        .get(app.url(&format!("/admin/contacts/{CONTACT}/replies.csv")))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert!(csv.starts_with(b"\xEF\xBB\xBF"), "the BOM Excel needs");
    let mut reader = csv::Reader::from_reader(&csv[3..]);
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header[0], "level");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let find = |name: &str| rows.iter().find(|r| &r[1] == name).unwrap().clone();
    let a = find("Demo MEP Alice Martin");
    assert_eq!(
        (&a[0], &a[5], &a[7], &a[9], &a[11], &a[12], &a[13]),
        ("official", "12", "6", "4", "60", "31", "83")
    );
    let b = find("Demo MEP Bruno Laurent");
    assert_eq!((&b[5], &b[6], &b[11]), ("3", "2", ""));
}

#[actix_web::test]
async fn a_pasted_reply_shows_publicly_only_once_staff_allow_it_and_never_with_the_writer() {
    let smtp = SmtpServer::start(Mode::Accept).await;
    let app = follow_up::app(&smtp, "1s", "7d").await;
    let alice = target_id(&app, "Demo MEP Alice Martin");
    let fields = [("email", "dara@example.org"), ("first_name", "Dara")];
    assert_eq!(
        send_in(&app, "", "FR", &[alice], &fields).await.status(),
        303
    );
    let confirm = smtp.wait_for(1).await.remove(0).link();
    assert_eq!(app.client.post(confirm).send().await.unwrap().status(), 303);
    let mails = smtp.wait_for(4).await;
    let link = follow_up::answering(&follow_up::follow_up_text(&mails), "replied").remove(0);
    let path = link.split('?').next().unwrap().to_string();
    let reply = "Thank you, <b>I will</b> raise it.\n=SUM(A1)";
    let form = [("answer", "replied"), ("reply", reply)];
    assert_eq!(app.post_form(&path, &form).await.status(), 303);
    let public = format!("/act/{CONTACT}/replies");
    let quotes = |page: &str| texts(&html(page), "figure.quote blockquote");
    assert!(
        quotes(&app.get_text(&public, 200).await).is_empty(),
        "private"
    );

    // Staff see it, and allow quoting it.
    add_staff(&app, "campaigner@example.org", "campaigner");
    let staff = logged_in(&app, "campaigner@example.org").await;
    let admin = format!("/admin/contacts/{CONTACT}/replies");
    let page = staff_page(&app, &staff, &admin).await;
    let folded = reply.split_whitespace().collect::<Vec<_>>().join(" ");
    assert_eq!(
        texts(&page, "figure.quote blockquote"),
        std::slice::from_ref(&folded)
    );
    let hidden = |name: &str| {
        crate::helpers::attrs(&page, &format!("figure.quote input[name={name}]"), "value").remove(0)
    };
    let csrf = crate::helpers::attrs(&page, "figure.quote input[name=csrf]", "value").remove(0);
    let post = |quotable: &'static str, message: String| {
        let form = vec![
            ("csrf", csrf.clone()),
            ("message_id", message),
            ("target_id", hidden("target_id")),
            ("quotable", quotable.to_string()),
        ];
        staff
            .post(app.url(&format!("{admin}/quote")))
            .form(&form)
            .send()
    };
    assert_eq!(post("2", hidden("message_id")).await.unwrap().status(), 400);
    assert_eq!(post("1", "forged".into()).await.unwrap().status(), 404);
    assert_eq!(post("1", hidden("message_id")).await.unwrap().status(), 303);
    crate::helpers::after_copies_expire().await;
    let page = app.get_text(&public, 200).await;
    assert_eq!(quotes(&page), [folded]);
    assert!(page.contains("Demo MEP Alice Martin"));
    assert!(
        !page.contains("Dara") && !page.contains("dara@"),
        "never the writer"
    );
    assert!(!page.contains("<b>I will</b>"), "escaped");

    // The writer changes the text: private again until staff allow it again.
    let form = [("answer", "replied"), ("reply", "A new text")];
    assert_eq!(app.post_form(&path, &form).await.status(), 303);
    assert!(quotes(&app.get_text(&public, 200).await).is_empty());
}
