//! Three nodes on one PostgreSQL behind HAProxy (`contrib/haproxy.cfg`) under a sign
//! load spread over them, one killed with SIGKILL midway (issue 29): every acknowledged
//! signature stored; every confirmation sent, twice only for the killed node's claimed
//! batch; a link from one node confirming on another; one person signing through two
//! nodes at the same instant stored once; the same exact count on every node.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use diesel::prelude::*;

use crate::helpers::binary::{client, hidden_fields, sign};
use crate::helpers::cluster::{present, Cluster};
use crate::helpers::load::{all_stored, start_load, Load};
use crate::helpers::smtp::{Mode, SmtpServer};
use crate::helpers::{say, TestApp, PETITION};
use clarion::db::schema::signatures;

/// Emails received per recipient.
fn per_recipient(smtp: &SmtpServer) -> HashMap<String, usize> {
    let mut seen = HashMap::new();
    for mail in smtp.mails() {
        let to = mail.to[0].trim_matches(['<', '>']).to_string();
        *seen.entry(to).or_insert(0) += 1;
    }
    seen
}

async fn count_on(web: &reqwest::Client, base: &str) -> i64 {
    let url = format!("{base}/api/v1/petitions/{PETITION}");
    let json: serde_json::Value = web.get(url).send().await.unwrap().json().await.unwrap();
    json["signature_count"].as_i64().unwrap()
}

#[actix_web::test]
async fn three_nodes_sign_send_and_count_once_with_one_killed_midway() {
    let (settings, db) = TestApp::builder().into_parts();
    if !db.url.starts_with("postgres") {
        say("SKIPPED nodes_load: several nodes share PostgreSQL only");
        return;
    }
    if !present("haproxy", "nodes_load") {
        return;
    }
    let smtp = SmtpServer::start(Mode::Accept).await;
    let smtp_url = smtp.url();
    let extra = [
        ("CLARION_SMTP_URL", smtp_url.as_str()),
        ("CLARION_OUTBOX_LEASE_SECS", "5"),
    ];
    let mut cluster = Cluster::start(settings, &extra).await;
    let (lb, nodes) = (cluster.base.clone(), &mut cluster.nodes);
    let web = client(Duration::from_secs(10));

    // One person through two nodes at the same instant: one signature.
    let hidden = hidden_fields(&web, &lb).await;
    let twice = "twice@example.org";
    let (first, second) = (nodes[0].base.clone(), nodes[2].base.clone());
    let (h1, h2, w1, w2) = (hidden.clone(), hidden.clone(), web.clone(), web.clone());
    let one = actix_web::rt::spawn(async move { sign(&w1, &first, &h1, twice).await.0 });
    let other = actix_web::rt::spawn(async move { sign(&w2, &second, &h2, twice).await.0 });
    assert_eq!((one.await.unwrap(), other.await.unwrap()), (303, 303));

    let load = Arc::new(Load::default());
    let signers = start_load(&lb, &hidden, 16, "nodes", &load);
    actix_web::rt::time::sleep(Duration::from_millis(1500)).await;
    let killed_at = Instant::now();
    drop(nodes.remove(1)); // SIGKILL
    actix_web::rt::time::sleep(Duration::from_millis(2500)).await;
    let acked = load.finish(signers).await;
    let after_kill = load
        .acked
        .lock()
        .unwrap()
        .iter()
        .filter(|a| a.0 > killed_at)
        .count();
    assert!(
        after_kill > 20,
        "the proxy kept signing after the kill: {after_kill}"
    );
    all_stored(&acked, &db.url);
    let url = clarion::config::DatabaseUrl::parse(&db.url).unwrap();
    let mut conn = clarion::db::connect_another(&url).unwrap();
    let rows: i64 = signatures::table
        .filter(signatures::email_canonical.eq(twice))
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(rows, 1, "one signature through two nodes at once");

    // The killed node's claimed emails go out from the others once its lease passes.
    let start = Instant::now();
    let mut received = per_recipient(&smtp);
    while acked.iter().any(|e| !received.contains_key(e)) {
        if start.elapsed() > Duration::from_secs(60) {
            let waiting: Vec<&String> = acked
                .iter()
                .filter(|e| !received.contains_key(*e))
                .collect();
            let outbox: Vec<(String, i64)> = clarion::db::schema::outbox::table
                .group_by(clarion::db::schema::outbox::status)
                .select((
                    clarion::db::schema::outbox::status,
                    diesel::dsl::count_star(),
                ))
                .load(&mut conn)
                .unwrap();
            panic!(
                "{} of {} signers got no email; outbox {outbox:?}; e.g. {:?}",
                waiting.len(),
                acked.len(),
                &waiting[..waiting.len().min(3)]
            );
        }
        actix_web::rt::time::sleep(Duration::from_millis(250)).await;
        received = per_recipient(&smtp);
    }
    let twice_sent: Vec<&String> = acked.iter().filter(|e| received[*e] > 1).collect();
    say(&format!(
        "nodes_load: {} signed, {after_kill} after the kill, {} emails sent twice",
        acked.len(),
        twice_sent.len()
    ));
    // Only an email the relay took before the kill, not yet marked sent: one batch.
    assert!(twice_sent.len() <= 200, "{} sent twice", twice_sent.len());

    // Links name the proxy; each works on either node left.
    let mails = smtp.mails();
    let links: Vec<String> = acked[..10]
        .iter()
        .map(|e| {
            let to = format!("<{e}>");
            mails.iter().find(|m| m.to[0] == to).unwrap().link()
        })
        .collect();
    for (n, link) in links.iter().enumerate() {
        let on = link.replace(&lb, &nodes[n % 2].base);
        assert_ne!(&on, link, "the link names the proxy");
        let answer = web.post(&on).send().await.unwrap();
        assert_eq!(answer.status().as_u16(), 303, "{on}");
    }
    let start = Instant::now();
    loop {
        let counts = (
            count_on(&web, &nodes[0].base).await,
            count_on(&web, &nodes[1].base).await,
        );
        if counts == (10, 10) {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "counts {counts:?}"
        );
        actix_web::rt::time::sleep(Duration::from_millis(200)).await;
    }
}
