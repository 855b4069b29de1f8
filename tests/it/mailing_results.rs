//! What a mailing brought, counted without spying: its links carry `?mailing={id}`, the
//! forms they lead to carry it on, and each signature or letter made there records it
//! beside its source. A made-up or malformed id records nothing.

use clarion::db::schema::{messages, signatures};
use diesel::prelude::*;

use crate::helpers::admin::staff_page;
use crate::helpers::contact::CONTACT;
use crate::helpers::newsletter::{create, path_of, post, subscribe};
use crate::helpers::smtp::{Mail, Mode};
use crate::helpers::{
    add_staff, app_with_smtp, attrs, html, logged_in, supporter, texts, TestApp, PETITION,
};

/// The links of `mail`'s text that lead to `page` (e.g. "/petitions/"), as paths.
fn links_to(mail: &Mail, page: &str) -> Vec<String> {
    mail.text()
        .split_whitespace()
        .filter(|word| word.starts_with("http") && word.contains(page))
        .map(path_of)
        .collect()
}

/// Signs from the form posting to `action` on `page`, with its own hidden fields.
async fn sign_from(app: &TestApp, page: &str, email: &str) -> Vec<(String, String)> {
    let action = format!("/petitions/{PETITION}/sign");
    let signed = app.submit(page, &action, &supporter(email)).await;
    assert_eq!(signed.status(), 303, "{page}");
    app.hidden_fields(page, &action).await
}

fn mailing_of(app: &TestApp, email: &str) -> Option<String> {
    signatures::table
        .filter(signatures::email.eq(email))
        .select(signatures::mailing_id)
        .first(&mut app.conn())
        .unwrap()
}

#[actix_web::test]
async fn signatures_and_letters_made_through_a_mailings_links_are_counted_on_it() {
    let (app, smtp) = app_with_smtp(Mode::Accept).await;
    subscribe(&app, &smtp, "/newsletter", "reader@example.org", 1).await;
    add_staff(&app, "staff@example.org", "campaigner");
    let staff = logged_in(&app, "staff@example.org").await;
    let page = create(&app, &staff).await;
    let id = page.rsplit('/').next().unwrap().to_string();
    assert_eq!(post(&app, &staff, &format!("{page}/send"), &[]).await, 303);
    let mail = smtp.wait_for(2).await.remove(1);

    // The petition's link: its form carries the mailing; confirmed, it counts.
    let petition = links_to(&mail, "/petitions/").remove(0);
    assert!(petition.ends_with(&format!("?mailing={id}")), "{petition}");
    let hidden = sign_from(&app, &petition, "one@example.org").await;
    assert!(
        hidden.contains(&("mailing".into(), id.clone())),
        "{hidden:?}"
    );
    let link = smtp.wait_for(3).await.remove(2).link();
    assert_eq!(app.post_form(&path_of(&link), &[]).await.status(), 303);

    // The article's link: the petition card's form carries it too.
    let article = links_to(&mail, "/articles/").remove(0);
    sign_from(&app, &article, "two@example.org").await;
    assert_eq!(mailing_of(&app, "two@example.org").as_deref(), Some(&*id));

    // The letter's link: through the choice of country to the letter form.
    let act = links_to(&mail, "/act/").remove(0);
    assert!(act.starts_with(&format!("/act/{CONTACT}")), "{act}");
    let choose = html(&app.get_text(&act, 200).await);
    let carried = attrs(&choose, "form.country-form input[name=mailing]", "value");
    assert_eq!(carried, std::slice::from_ref(&id));
    let form = html(
        &app.get_text(&format!("/act/{CONTACT}?mailing={id}&country=FR"), 200)
            .await,
    );
    let names = attrs(&form, "form.letter-form input[type=hidden]", "name");
    let values = attrs(&form, "form.letter-form input[type=hidden]", "value");
    let mut pairs: Vec<(String, String)> = names.into_iter().zip(values).collect();
    assert!(pairs.contains(&("mailing".into(), id.clone())), "{pairs:?}");
    for target in attrs(&form, "input[name=targets][checked]", "value") {
        pairs.push(("targets".into(), target));
    }
    for (name, value) in [
        ("subject", "Please act on Cambodia"),
        (
            "body",
            "Dear {target_name},\r\nPlease act.\r\n{supporter_name}",
        ),
        ("first_name", "Sok"),
        ("last_name", "Dara"),
        ("email", "letter@example.org"),
    ] {
        pairs.push((name.into(), value.into()));
    }
    let sent = app
        .client
        .post(app.url(&format!("/act/{CONTACT}/send")))
        .form(&pairs)
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), 303);
    let letter: Option<String> = messages::table
        .select(messages::mailing_id)
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(letter.as_deref(), Some(&*id));

    // What staff see: what came through its links, by status; nobody's clicks.
    let shown = staff_page(&app, &staff, &page).await;
    let figures = texts(&shown, "dl.results dd");
    assert_eq!(figures[6..], ["1 confirmed, 1 pending", "1 pending"]);
}

#[actix_web::test]
async fn a_made_up_or_hostile_mailing_id_records_nothing_and_breaks_no_page() {
    let (app, _smtp) = app_with_smtp(Mode::Accept).await;
    let made_up = "0193a5b0-0000-7000-8000-000000000000";
    let hidden = sign_from(
        &app,
        &format!("/petitions/{PETITION}?mailing={made_up}"),
        "madeup@example.org",
    )
    .await;
    assert!(hidden.iter().any(|(n, _)| n == "mailing"), "well formed");
    assert_eq!(mailing_of(&app, "madeup@example.org"), None);

    for hostile in [
        "%3Cscript%3Ealert(1)%3C/script%3E",
        "%27%20OR%201=1--",
        "",
        &"a".repeat(5000),
        "%FF%FE",
    ] {
        let page = format!("/petitions/{PETITION}?mailing={hostile}");
        let body = app.get_text(&page, 200).await;
        assert!(!body.contains("<script>alert"), "{hostile}");
        let shown = attrs(&html(&body), "input[name=mailing]", "value");
        assert!(shown.is_empty(), "{hostile}: {shown:?}");
        let article = "/articles/european-parliament-resolution-on-cambodia";
        app.get_text(&format!("{article}?mailing={hostile}"), 200)
            .await;
    }
    // Sent straight in the form, a hostile value is dropped the same way.
    let mut fields = supporter("forged@example.org");
    fields.push(("mailing", "'); DROP TABLE signatures; --"));
    let page = format!("/petitions/{PETITION}");
    let action = format!("{page}/sign");
    assert_eq!(app.submit(&page, &action, &fields).await.status(), 303);
    assert_eq!(mailing_of(&app, "forged@example.org"), None);
}
