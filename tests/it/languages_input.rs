//! Khmer and mixed-script input at the limits: the text rules count characters as they
//! always did, keep every zero-width character and combining mark exactly as typed, and
//! a refused value is explained in the language of the page it came from.

use clarion::db::schema::{messages, signatures};
use diesel::prelude::*;

use crate::helpers::contact::{letter_form, CONTACT};
use crate::helpers::{html, texts, TestApp, PETITION};

/// Exactly `n` characters of Khmer, with a zero width space (one of them) every few.
fn khmer(n: usize) -> String {
    "សុខ\u{200b}ចាន់".chars().cycle().take(n).collect()
}

#[actix_web::test]
async fn khmer_names_and_comments_at_the_limit_are_kept_exactly_one_more_is_refused_in_khmer() {
    let app = TestApp::spawn().await;
    let (name, comment) = (khmer(100), khmer(500));
    let mixed = "Dara ដារ៉ា 다라 e\u{301}\u{200c}\u{200d}";
    let fields = [
        ("first_name", name.as_str()),
        ("last_name", mixed),
        ("email", "dara@example.org"),
        ("country", "KH"),
        ("comment", comment.as_str()),
    ];
    let signed = app.sign_in("/km", PETITION, &fields).await;
    assert_eq!(signed.status(), 303);
    let stored: (String, String, String) = signatures::table
        .select((
            signatures::first_name,
            signatures::last_name,
            signatures::comment,
        ))
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(stored, (name.clone(), mixed.to_string(), comment.clone()));

    let (long_name, long_comment) = (khmer(101), khmer(501));
    let too_long = [
        ("first_name", long_name.as_str()),
        ("last_name", "ដារ៉ា"),
        ("email", "other@example.org"),
        ("country", "KH"),
        ("comment", long_comment.as_str()),
    ];
    let refused = app.sign_in("/km", PETITION, &too_long).await;
    assert_eq!(refused.status(), 422);
    let page = html(&refused.text().await.unwrap());
    let messages = texts(&page, ".error-summary li");
    assert!(
        messages.contains(&"ឈ្មោះ\u{200b}ត្រូវ\u{200b}មាន\u{200b}មិន\u{200b}លើស 100 តួអក្សរ".to_string()),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.starts_with("មតិ\u{200b}យោបល់")),
        "{messages:?}"
    );
    let control = [
        ("first_name", "សុខ\u{7}"),
        ("last_name", "ដារ៉ា"),
        ("email", "third@example.org"),
        ("country", "KH"),
    ];
    let refused = app.sign_in("/fr", PETITION, &control).await;
    assert_eq!(refused.status(), 422);
    let page = html(&refused.text().await.unwrap());
    assert!(texts(&page, ".error-summary li")
        .contains(&"Retirez les caractères de contrôle invisibles de ce champ".to_string()));
    let rows: i64 = signatures::table
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(rows, 1, "nothing refused was stored");
}

#[actix_web::test]
async fn a_khmer_letter_of_the_maximum_length_is_kept_and_one_more_character_is_refused() {
    let app = TestApp::spawn().await;
    let (hidden, ticked, _) = letter_form(&app, "FR").await;
    let send = |body: String| {
        let mut pairs = hidden.clone();
        pairs.push(("targets".into(), ticked[0].clone()));
        for (name, value) in [
            ("subject", "សូម\u{200b}ជួយ"),
            ("first_name", "សុខា"),
            ("last_name", "ចាន់"),
            ("email", "sokha@example.org"),
        ] {
            pairs.push((name.into(), value.into()));
        }
        pairs.push(("body".into(), body));
        pairs.push(("email_checked".into(), "1".into()));
        let url = app.url(&format!("/km/act/{CONTACT}/send"));
        let client = app.client.clone();
        async move { client.post(url).form(&pairs).send().await.unwrap() }
    };
    let refused = send(khmer(5001)).await;
    assert_eq!(refused.status(), 422);
    let page = html(&refused.text().await.unwrap());
    assert!(texts(&page, ".error-summary li")
        .contains(&"លិខិត\u{200b}ត្រូវ\u{200b}មាន\u{200b}មិន\u{200b}លើស 5000 តួអក្សរ".to_string()));
    let body = khmer(5000);
    assert_eq!(send(body.clone()).await.status(), 303);
    let stored: (String, String) = messages::table
        .select((messages::body, messages::language))
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(stored, (body, "km".to_string()));
}
