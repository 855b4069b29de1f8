//! Property tests: arbitrary bytes and strings at the public form and query parsers.
//! The server never answers 5xx and never stores anything from an invalid submission.

use proptest::prelude::*;

use crate::helpers::TestApp;

/// One server for every case, on a runtime of its own.
fn shared_app() -> &'static (String, std::sync::Mutex<TestApp>) {
    static APP: std::sync::OnceLock<(String, std::sync::Mutex<TestApp>)> =
        std::sync::OnceLock::new();
    APP.get_or_init(|| {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let app = TestApp::builder().on_sqlite().spawn().await;
                tx.send((app.address.clone(), std::sync::Mutex::new(app)))
                    .unwrap();
                futures_util::future::pending::<()>().await;
            });
        });
        rx.recv().unwrap()
    })
}

fn post(url: String, content_type: &'static str, body: Vec<u8>) -> u16 {
    actix_web::rt::System::new().block_on(async move {
        reqwest::Client::new()
            .post(url)
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    })
}

fn get(url: String) -> u16 {
    actix_web::rt::System::new()
        .block_on(async move { reqwest::get(url).await.unwrap().status().as_u16() })
}

fn stored_signatures() -> i64 {
    use clarion::db::schema::signatures;
    use diesel::prelude::*;
    let app = shared_app().1.lock().unwrap();
    signatures::table
        .count()
        .get_result(&mut app.conn())
        .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_sign_form_bodies_never_cause_a_5xx_or_a_stored_row(body in proptest::collection::vec(any::<u8>(), 0..2048), json in any::<bool>()) {
        let (address, _) = shared_app();
        let content_type = if json { "application/json" } else { "application/x-www-form-urlencoded" };
        let status = post(format!("{address}/petitions/cambodia-political-prisoners-petition/sign"), content_type, body);
        prop_assert!((400..500).contains(&status), "status {status}");
        prop_assert_eq!(stored_signatures(), 0);
    }

    #[test]
    fn arbitrary_form_fields_without_a_token_store_nothing(name in "\\PC{0,300}", email in "\\PC{0,80}", country in "\\PC{0,4}") {
        let (address, _) = shared_app();
        let body = format!(
            "first_name={}&last_name={}&email={}&country={}",
            urlencode(&name), urlencode(&name), urlencode(&email), urlencode(&country)
        );
        let status = post(format!("{address}/petitions/cambodia-political-prisoners-petition/sign"), "application/x-www-form-urlencoded", body.into_bytes());
        prop_assert_eq!(status, 403);
        prop_assert_eq!(stored_signatures(), 0);
    }

    #[test]
    fn arbitrary_query_strings_never_cause_a_5xx(query in "\\PC{0,200}", slug in "[a-z0-9<>%'\"-]{0,40}") {
        let (address, _) = shared_app();
        for path in [format!("/act/write-to-your-meps-on-cambodia?country={}", urlencode(&query)), format!("/api/v1/petitions/{}", urlencode(&slug)), format!("/articles?{}", urlencode(&query))] {
            let status = get(format!("{address}{path}"));
            prop_assert!(status < 500, "{path}: {status}");
        }
    }
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
