//! What three nodes behind HAProxy share through their one PostgreSQL database (issue
//! 29): a staff session opened on one node works, and ends, on every node; the
//! per-address hold rule counts one address's signatures across nodes exactly, even
//! when they arrive at once; and each node's `/metrics` adds up to what was signed.

use std::time::Duration;

use diesel::prelude::*;

use crate::helpers::binary::{client, hidden_fields};
use crate::helpers::cluster::{present, Cluster};
use crate::helpers::metrics::{scrape, value};
use crate::helpers::{attrs, html, login_cookie, say, supporter, TestApp, PASSWORD, PETITION};
use clarion::db::schema::signatures;

/// Status of a GET of `/admin` on `base` with the session `cookie`.
async fn admin_status(web: &reqwest::Client, base: &str, cookie: &str) -> u16 {
    let answer = web.get(format!("{base}/admin")).header("cookie", cookie);
    answer.send().await.unwrap().status().as_u16()
}

#[actix_web::test]
async fn three_nodes_share_sessions_and_the_hold_rule_and_their_metrics_add_up() {
    let (settings, db) = TestApp::builder().into_parts();
    if !db.url.starts_with("postgres") {
        say("SKIPPED nodes_shared: several nodes share PostgreSQL only");
        return;
    }
    if !present("haproxy", "nodes_shared") {
        return;
    }
    let cluster = Cluster::start(settings, &[("CLARION_HOLD_PER_ADDRESS", "5/1h")]).await;
    let nodes: Vec<String> = cluster.nodes.iter().map(|n| n.base.clone()).collect();
    let web = client(Duration::from_secs(10));
    let url = clarion::config::DatabaseUrl::parse(&db.url).unwrap();
    let mut conn = clarion::db::connect_another(&url).unwrap();

    // A staff session opened on node 1 works on nodes 2 and 3; logging out on node 3
    // (with node 2's CSRF token) ends it on node 1 too.
    let staff = "organiser@example.org";
    let hash = clarion::domain::staff::hash_password(PASSWORD);
    clarion::db::staff::create(&mut conn, staff, &hash, "admin").unwrap();
    let form = web.get(format!("{}/admin/login", nodes[0])).send().await;
    let form = form.unwrap();
    let pre = login_cookie(&form).unwrap_or_default();
    let token = attrs(
        &html(&form.text().await.unwrap()),
        "input[name=token]",
        "value",
    )
    .remove(0);
    let fields = [
        ("token", token.as_str()),
        ("email", staff),
        ("password", PASSWORD),
    ];
    let login = web.post(format!("{}/admin/login", nodes[0]));
    let login = login
        .header("cookie", pre)
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(login.status().as_u16(), 303, "logged in on node 1");
    let session = login_cookie(&login).expect("a session cookie");
    for node in &nodes {
        assert_eq!(admin_status(&web, node, &session).await, 200, "{node}");
    }
    let page = web
        .get(format!("{}/admin", nodes[1]))
        .header("cookie", &session);
    let page = html(&page.send().await.unwrap().text().await.unwrap());
    let csrf = attrs(&page, "form.logout input[name=csrf]", "value").remove(0);
    let out = web.post(format!("{}/admin/logout", nodes[2]));
    let out = out.header("cookie", &session).form(&[("csrf", csrf)]);
    assert_eq!(out.send().await.unwrap().status().as_u16(), 303);
    assert_eq!(admin_status(&web, &nodes[0], &session).await, 303, "ended");

    // Twelve people behind one address sign at once; the proxy spreads them over the
    // three nodes. The rule (5 an hour) holds exactly seven.
    let hidden = hidden_fields(&web, &cluster.base).await;
    let signings: Vec<_> = (0..12)
        .map(|i| {
            let (web, lb) = (web.clone(), cluster.base.clone());
            let mut form = hidden.clone();
            let email = format!("shared-{i}@example.org");
            form.extend(
                supporter(&email)
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), v.to_string())),
            );
            actix_web::rt::spawn(async move {
                let post = web.post(format!("{lb}/petitions/{PETITION}/sign"));
                let post = post.header("x-forwarded-for", "198.51.100.9").form(&form);
                post.send().await.unwrap().status().as_u16()
            })
        })
        .collect();
    for signing in signings {
        assert_eq!(
            signing.await.unwrap(),
            303,
            "a held signer is answered alike"
        );
    }
    let held: Vec<Option<String>> = signatures::table
        .filter(signatures::email_canonical.like("shared-%"))
        .select(signatures::hold_reason)
        .load(&mut conn)
        .unwrap();
    assert_eq!(held.len(), 12);
    let by_rule = held.iter().filter(|r| r.as_deref() == Some("per_address"));
    assert_eq!(
        (by_rule.count(), held.iter().filter(|r| r.is_none()).count()),
        (7, 5)
    );

    // Each node counted its share, and together they counted all twelve.
    let (mut accepted, mut by_address, mut serving) = (0.0, 0.0, 0);
    for node in &cluster.nodes {
        let metrics = scrape(&web, &node.metrics_url()).await;
        let signed = [("outcome", "accepted")];
        accepted += value(&metrics, "clarion_signatures_total", &signed);
        let held = [("outcome", "held"), ("reason", "per_address")];
        by_address += value(&metrics, "clarion_signatures_total", &held);
        let route = [("route", "/petitions/{slug}/sign")];
        serving += usize::from(value(&metrics, "clarion_http_requests_total", &route) > 0.0);
    }
    assert_eq!((accepted, by_address), (5.0, 7.0), "summed over the nodes");
    assert_eq!(
        serving, 3,
        "the proxy spread the signers over all three nodes"
    );
}
