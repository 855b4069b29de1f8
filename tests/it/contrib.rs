//! The deployment files in `contrib/` (docs/DEPLOYMENT.md), checked by the programs that
//! read them, and used: three nodes on one PostgreSQL behind HAProxy with
//! `contrib/haproxy.cfg`, restarted one by one while signers sign through the proxy.

use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::helpers::binary::{client, hidden_fields};
use crate::helpers::cluster::{present, Cluster};
use crate::helpers::load::{all_stored, start_load, Load};
use crate::helpers::metrics::{scrape, value};
use crate::helpers::{say, TestApp};

const UNIT: &str = include_str!("../../contrib/clarion.service");

#[test]
fn the_systemd_unit_passes_systemds_check_and_keeps_the_data_private() {
    for setting in [
        "User=clarion",
        "StateDirectoryMode=0700",
        "UMask=0077",
        "ProtectSystem=strict",
        "ReadWritePaths=/var/lib/clarion",
        "NoNewPrivileges=yes",
        "LimitNICE=-2",
        "KillSignal=SIGTERM",
    ] {
        assert!(UNIT.lines().any(|l| l.trim() == setting), "{setting}");
    }
    // systemd's SIGKILL must come after Clarion's own deadline (10 s by default).
    let stop: u64 = UNIT
        .lines()
        .find_map(|l| l.trim().strip_prefix("TimeoutStopSec="))
        .and_then(|v| v.parse().ok())
        .expect("TimeoutStopSec in seconds");
    assert!(stop > 10, "TimeoutStopSec={stop}");
    if !present("systemd-analyze", "the systemd unit check") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let unit = dir.path().join("clarion.service");
    let binary = env!("CARGO_BIN_EXE_clarion");
    let here = UNIT.replace("/usr/local/bin/clarion", binary);
    std::fs::write(&unit, here).unwrap();
    let checked = Command::new("systemd-analyze")
        .arg("verify")
        .arg(&unit)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&checked.stderr);
    assert!(checked.status.success(), "systemd-analyze verify: {said}");
    assert!(!said.contains("clarion.service"), "warnings: {said}");
}

#[test]
fn the_haproxy_configuration_passes_haproxys_check() {
    if !present("haproxy", "the HAProxy check") {
        return;
    }
    let cfg = concat!(env!("CARGO_MANIFEST_DIR"), "/contrib/haproxy.cfg");
    let checked = Command::new("haproxy")
        .args(["-c", "-f", cfg])
        .env("CLARION_LB_BIND", "127.0.0.1:18080")
        .env("CLARION_NODE1", "127.0.0.1:1")
        .env("CLARION_NODE2", "127.0.0.1:2")
        .env("CLARION_NODE3", "127.0.0.1:3")
        .output()
        .unwrap();
    assert!(checked.status.success(), "{checked:?}");
}

#[actix_web::test]
async fn three_nodes_behind_haproxy_restarted_one_by_one_under_load_lose_nothing() {
    let (settings, db) = TestApp::builder().into_parts();
    if !db.url.starts_with("postgres") {
        say("SKIPPED contrib::three_nodes…: several nodes share PostgreSQL only");
        return;
    }
    if !present("haproxy", "contrib::three_nodes…") {
        return;
    }
    let mut cluster = Cluster::start(settings, &[("CLARION_SHUTDOWN_SECS", "5")]).await;
    let web = client(Duration::from_secs(10));
    // Forms come from whichever node the proxy chooses and are signed through others.
    let hidden = hidden_fields(&web, &cluster.base).await;
    let load = Arc::new(Load::default());
    let signers = start_load(&cluster.base, &hidden, 16, "rolling", &load);
    let mut back = Vec::new();
    for n in 0..3 {
        actix_web::rt::time::sleep(Duration::from_millis(1000)).await;
        let took = cluster.restart(n, Duration::from_secs(15)).await;
        say(&format!("contrib: node {n} stopped in {took:?}"));
        back.push(Instant::now());
        // HAProxy takes a node back after two good checks 1 s apart; an operator waits
        // for that before stopping the next one.
        actix_web::rt::time::sleep(Duration::from_millis(2500)).await;
    }
    // Every restarted node is back in rotation and counts what it signs.
    for (n, node) in cluster.nodes.iter().enumerate() {
        let metrics = scrape(&web, &node.metrics_url()).await;
        let signed = value(
            &metrics,
            "clarion_signatures_total",
            &[("outcome", "accepted")],
        );
        assert!(signed > 0.0, "node {n} signed after its restart");
    }
    let acked = load.finish(signers).await;
    all_stored(&acked, &db.url);
    // Signing went on between one restart and the next.
    let times: Vec<Instant> = load.acked.lock().unwrap().iter().map(|a| a.0).collect();
    for pair in back.windows(2) {
        let between = times
            .iter()
            .filter(|t| **t > pair[0] && **t < pair[1])
            .count();
        assert!(between > 10, "signed between restarts: {between}");
    }
}
