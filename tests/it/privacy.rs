//! The privacy page says what is kept, from the list of stored columns, and for how long,
//! from the running settings, in three languages; the forms say it in one line and ask
//! for a postcode only where a target depends on it.

use clarion::db::schema::{actions, targets};
use diesel::prelude::*;

use crate::helpers::contact::{letter_form, send, stored_messages};
use crate::helpers::{attrs, html, supporter, texts, TestApp, PETITION};

#[actix_web::test]
async fn the_privacy_page_states_the_periods_as_configured_in_each_language() {
    let app = TestApp::builder()
        .set("CLARION_RETAIN_UNCONFIRMED", "36h")
        .set("CLARION_RETAIN_SIGNATURES", "90d")
        .set("CLARION_RETAIN_LETTERS", "1d")
        .spawn()
        .await;
    for (prefix, unconfirmed, signatures, letters) in [
        ("", "36 hours", "90 days", "1 day"),
        ("/fr", "36 heures", "90 jours", "1 jour"),
        ("/km", "36 ម៉ោង", "90 ថ្ងៃ", "1 ថ្ងៃ"),
    ] {
        let page = html(&app.get_text(&format!("{prefix}/privacy"), 200).await);
        for (id, period) in [
            ("unconfirmed", unconfirmed),
            ("signatures", signatures),
            ("letters", letters),
        ] {
            let said = texts(&page, &format!("li#{id}")).join("");
            assert!(said.contains(period), "{prefix}: {said}");
        }
        assert!(texts(&page, "ul.kept li").len() >= 20, "{prefix}");
        assert_eq!(
            attrs(&page, "main a[href$='/me']", "href"),
            [format!("{prefix}/me")]
        );
        assert!(texts(&page, "ul.exempt").is_empty(), "nothing exempt yet");
    }
    let page = html(&app.get_text("/privacy", 200).await);
    let kept = texts(&page, "ul.kept li");
    assert!(kept.iter().any(|k| k.contains("keyed hash")), "{kept:?}");
    assert!(kept.iter().any(|k| k.contains("subject and text")));

    // An action kept longer is named.
    diesel::update(actions::table.filter(actions::slug.eq(PETITION)))
        .set(actions::retention_exempt.eq(Some("a court case")))
        .execute(&mut app.conn())
        .unwrap();
    let page = html(&app.get_text("/fr/privacy", 200).await);
    assert_eq!(texts(&page, "ul.exempt li").len(), 1);

    // The forms say it in one line and link here; every page's footer does too.
    let form = html(
        &app.get_text(&format!("/km/petitions/{PETITION}"), 200)
            .await,
    );
    let note = texts(&form, "form.sign-form p.privacy-note").join("");
    assert!(note.contains("90 ថ្ងៃ"), "{note}");
    assert_eq!(
        attrs(&form, "form.sign-form p.privacy-note a", "href"),
        ["/km/privacy"]
    );
    assert_eq!(attrs(&form, "footer a[href$='/privacy']", "href").len(), 1);
    let (_, _, letter) = letter_form(&app, "FR").await;
    let note = texts(&letter, "form.letter-form p.privacy-note").join("");
    assert!(note.contains("1 day"), "{note}");
}

#[actix_web::test]
async fn the_postcode_is_asked_only_where_a_target_depends_on_it_and_still_taken() {
    let app = TestApp::spawn().await;
    let petition = html(&app.get_text(&format!("/petitions/{PETITION}"), 200).await);
    assert!(attrs(&petition, "input[name=postcode]", "name").is_empty());
    let (_, ticked, letter) = letter_form(&app, "FR").await;
    assert!(attrs(&letter, "input[name=postcode]", "name").is_empty());

    // Posted anyway, as the contract allows: taken and kept, and a refused one is shown
    // with its message.
    let mut fields = supporter("postcode@example.org");
    fields.push(("postcode", "75011"));
    assert_eq!(app.sign(PETITION, &fields).await.status(), 303);
    let mut long = supporter("long@example.org");
    long.push(("postcode", "12345678901234567"));
    let refused = app.sign(PETITION, &long).await;
    assert_eq!(refused.status(), 422);
    let refused = html(&refused.text().await.unwrap());
    assert_eq!(
        attrs(&refused, "input[name=postcode]", "value"),
        ["12345678901234567"]
    );
    let before = stored_messages(&app);
    let wrote = [("email", "writer@example.org"), ("postcode", "75011")];
    assert_eq!(send(&app, "FR", &ticked[..1], &wrote).await.status(), 303);
    assert_eq!(stored_messages(&app), before + 1);

    // A list whose targets are elected by place asks for it.
    diesel::update(targets::table.filter(targets::country_code.eq("FR")))
        .set(targets::constituency.eq("Paris 11e"))
        .execute(&mut app.conn())
        .unwrap();
    let (_, _, letter) = letter_form(&app, "FR").await;
    assert_eq!(attrs(&letter, "input[name=postcode]", "name"), ["postcode"]);
}

#[actix_web::test]
async fn every_stored_column_about_a_supporter_is_on_the_privacy_page_or_named_not_personal() {
    #[derive(QueryableByName)]
    struct Column {
        #[diesel(sql_type = diesel::sql_types::Text)]
        name: String,
    }
    let app = TestApp::spawn().await;
    for table in [
        "signatures",
        "messages",
        "message_targets",
        "subscribers",
        "update_optouts",
    ] {
        let query = match &*app.conn() {
            clarion::db::DbConnection::Sqlite(_) => {
                format!("SELECT name FROM pragma_table_info('{table}')")
            }
            clarion::db::DbConnection::Postgresql(_) => format!(
                "SELECT column_name::text AS name FROM information_schema.columns \
                 WHERE table_schema = 'public' AND table_name = '{table}'"
            ),
        };
        let mut stored: Vec<String> = diesel::sql_query(query)
            .load::<Column>(&mut app.conn())
            .unwrap()
            .into_iter()
            .map(|c| c.name)
            .collect();
        stored.sort();
        let mut named: Vec<String> = clarion::domain::kept::PERSONAL
            .iter()
            .filter(|k| k.table == table)
            .flat_map(|k| k.columns.iter())
            .chain(
                clarion::domain::kept::NOT_PERSONAL
                    .iter()
                    .filter(|(t, _)| *t == table)
                    .flat_map(|(_, columns)| columns.iter()),
            )
            .map(|c| c.to_string())
            .collect();
        named.sort();
        assert_eq!(
            stored, named,
            "{table}: a column the privacy page does not account for"
        );
    }
}
