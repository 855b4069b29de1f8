//! Surges: signatures stored in batches stay exact (duplicates, held rules, emails), a
//! full queue answers 503 at once, and a server killed mid-surge loses no signature it
//! acknowledged.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use clarion::db::schema::{action_country_counts, actions, outbox, signatures};
use diesel::prelude::*;

use crate::helpers::{email_link, say, supporter, TestApp, PETITION};

fn count_where(conn: &mut clarion::db::DbConnection, status: &str) -> i64 {
    signatures::table
        .filter(signatures::status.eq(status))
        .count()
        .get_result(conn)
        .unwrap()
}

#[actix_web::test]
async fn concurrent_signings_batched_together_keep_duplicates_holds_and_emails_exact() {
    let app = TestApp::builder()
        .set("CLARION_HOLD_PER_ADDRESS", "10/1h")
        .spawn()
        .await;
    // 40 people sign at once, each twice, from one address: 40 rows, 10 pending, 30 held.
    let answers = futures_util::future::join_all((0..80).map(|n| {
        let app = &app;
        async move {
            let email = format!("surge{}@example.org", n % 40);
            app.sign(PETITION, &supporter(&email))
                .await
                .status()
                .as_u16()
        }
    }))
    .await;
    assert!(answers.iter().all(|s| *s == 303), "{answers:?}");
    let mut conn = app.conn();
    assert_eq!(
        signatures::table
            .count()
            .get_result::<i64>(&mut conn)
            .unwrap(),
        40
    );
    assert_eq!(count_where(&mut conn, "pending"), 10);
    assert_eq!(count_where(&mut conn, "held"), 30);
    // One email per row plus one per repeat that found its row still pending.
    let emails: i64 = outbox::table.count().get_result(&mut conn).unwrap();
    let sent_counts: i64 = signatures::table
        .select(diesel::dsl::sum(signatures::emails_sent))
        .first::<Option<i64>>(&mut conn)
        .unwrap()
        .unwrap_or(0);
    assert_eq!(emails, sent_counts);
    assert!((40..=80).contains(&emails), "{emails}");
}

#[actix_web::test]
async fn a_full_signing_queue_answers_503_with_retry_after_and_every_303_is_stored() {
    let app = TestApp::builder()
        .set("CLARION_SIGN_QUEUE", "1")
        .spawn()
        .await;
    let mut accepted = 0;
    let mut busy = 0;
    for round in 0..5 {
        // 48 at once fill a queue of one; 150 at once starved this test's own client on
        // a loaded machine until the server's 10 s request timeout cut a connection.
        let answers = futures_util::future::join_all((0..48).map(|n| {
            let app = &app;
            async move {
                let email = format!("busy{round}-{n}@example.org");
                let response = app.sign(PETITION, &supporter(&email)).await;
                let retry = response.headers().get("retry-after").cloned();
                (response.status().as_u16(), retry)
            }
        }))
        .await;
        for (status, retry) in answers {
            match status {
                303 => accepted += 1,
                503 => {
                    busy += 1;
                    assert_eq!(retry.unwrap(), "1");
                }
                other => panic!("answer {other}"),
            }
        }
        if busy > 0 {
            break;
        }
    }
    assert!(busy > 0, "a queue of one never filled");
    let stored: i64 = signatures::table
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(
        stored, accepted,
        "every 303 is a stored row, and only those"
    );
}

/// A `clarion serve` process on `settings`, answering on its port.
async fn start_server(settings: &HashMap<String, String>) -> std::process::Child {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_clarion"))
        .envs(settings)
        .env("RUST_LOG", "warn")
        .arg("serve")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let health = format!("http://{}/healthz", settings["CLARION_BIND"]);
    for _ in 0..200 {
        if reqwest::get(&health).await.is_ok_and(|r| r.status() == 200) {
            return child;
        }
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("clarion did not start");
}

#[actix_web::test]
async fn a_server_killed_mid_surge_keeps_every_acknowledged_signature_and_sends_its_mail() {
    let (mut settings, db) = TestApp::builder().into_parts();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    settings.insert("CLARION_BIND".into(), format!("127.0.0.1:{port}"));
    let base = format!("http://127.0.0.1:{port}");
    let mut server = start_server(&settings).await;
    let pool =
        clarion::db::connect_and_migrate(&clarion::config::DatabaseUrl::parse(&db.url).unwrap())
            .unwrap();
    let page = reqwest::get(format!("{base}/petitions/{PETITION}"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let hidden: Vec<(String, String)> = {
        let doc = crate::helpers::html(&page);
        let selector = format!("form[action=\"/petitions/{PETITION}/sign\"] input[type=hidden]");
        let selector = scraper::Selector::parse(&selector).unwrap();
        doc.select(&selector)
            .map(|e| {
                let v = e.value();
                (
                    v.attr("name").unwrap().into(),
                    v.attr("value").unwrap_or("").into(),
                )
            })
            .collect()
    };

    // Eight clients sign without pause; every third confirms its signature at once.
    let acknowledged = Arc::new(Mutex::new(Vec::<String>::new()));
    let confirmed = Arc::new(Mutex::new(Vec::<String>::new()));
    let clients: Vec<_> = (0..8)
        .map(|c| {
            let (base, hidden, pool) = (base.clone(), hidden.clone(), pool.clone());
            let (acknowledged, confirmed) = (acknowledged.clone(), confirmed.clone());
            actix_web::rt::spawn(async move {
                let client = reqwest::Client::builder()
                    .redirect(reqwest::redirect::Policy::none())
                    .build()
                    .unwrap();
                for n in 0.. {
                    let email = format!("c{c}n{n}@example.org");
                    let mut form = hidden.clone();
                    for (k, v) in supporter(&email) {
                        form.push((k.into(), v.into()));
                    }
                    let url = format!("{base}/petitions/{PETITION}/sign");
                    let Ok(answer) = client.post(url).form(&form).send().await else {
                        return;
                    };
                    if answer.status() != 303 {
                        continue;
                    }
                    acknowledged.lock().unwrap().push(email.clone());
                    if n % 3 != 0 {
                        continue;
                    }
                    let mut conn = pool.get().unwrap();
                    let id: String = signatures::table
                        .filter(signatures::email.eq(&email))
                        .select(signatures::id)
                        .first(&mut conn)
                        .unwrap();
                    let queued = outbox::table
                        .filter(outbox::signature_id.eq(&id))
                        // A sent email's body is cleared; its link is gone from here.
                        .filter(outbox::status.ne("sent"))
                        .select((outbox::body_text, outbox::fields))
                        .first(&mut conn)
                        .optional()
                        .unwrap();
                    drop(conn);
                    let Some(link) = queued.map(email_link) else {
                        continue;
                    };
                    match client.post(link).send().await {
                        Ok(r) if r.status() == 303 => confirmed.lock().unwrap().push(email),
                        Ok(_) => {}
                        Err(_) => return,
                    }
                }
            })
        })
        .collect();
    actix_web::rt::time::sleep(Duration::from_millis(1500)).await;
    server.kill().unwrap(); // SIGKILL: no shutdown, no flush
    server.wait().unwrap();
    for client in clients {
        let _ = client.await;
    }
    let (acknowledged, confirmed) = (
        acknowledged.lock().unwrap().clone(),
        confirmed.lock().unwrap().clone(),
    );
    say(&format!(
        "crash test: {} signatures and {} confirmations acknowledged before SIGKILL",
        acknowledged.len(),
        confirmed.len()
    ));
    assert!(acknowledged.len() > 20, "the surge was under way");

    let mut server = start_server(&settings).await;
    let mut conn = pool.get().unwrap();
    if let clarion::db::DbConnection::Sqlite(c) = &mut *conn {
        #[derive(QueryableByName)]
        struct Check {
            #[diesel(sql_type = diesel::sql_types::Text)]
            integrity_check: String,
        }
        let check: Check = diesel::sql_query("PRAGMA integrity_check")
            .get_result(c)
            .unwrap();
        assert_eq!(check.integrity_check, "ok");
    }
    let stored: Vec<(String, String)> = signatures::table
        .select((signatures::email, signatures::status))
        .load(&mut conn)
        .unwrap();
    let stored: HashMap<String, String> = stored.into_iter().collect();
    for email in &acknowledged {
        assert!(
            stored.contains_key(email),
            "{email} got its 303 but is gone"
        );
    }
    for email in &confirmed {
        assert_eq!(stored[email], "confirmed", "{email}");
    }
    let counted: i64 = actions::table
        .filter(actions::slug.eq(PETITION))
        .select(actions::confirmed_count)
        .first(&mut conn)
        .unwrap();
    let real = count_where(&mut conn, "confirmed");
    assert_eq!(counted, real, "the counter equals the real count");
    let by_country: Vec<i64> = action_country_counts::table
        .select(action_country_counts::confirmed_count)
        .load(&mut conn)
        .unwrap();
    assert_eq!(by_country.iter().sum::<i64>(), real);

    // Mail left pending by the dead server goes out after the restart.
    let mut pending = i64::MAX;
    for _ in 0..300 {
        pending = outbox::table
            .filter(outbox::status.eq("pending"))
            .count()
            .get_result(&mut conn)
            .unwrap();
        if pending == 0 {
            break;
        }
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(pending, 0, "pending mail was sent after the restart");
    server.kill().unwrap();
    server.wait().unwrap();
}
