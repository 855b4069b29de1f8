//! The deployment files in `contrib/` (docs/DEPLOYMENT.md), checked by the programs that
//! read them, and used: three nodes on one PostgreSQL behind HAProxy with
//! `contrib/haproxy.cfg`, one stopped gracefully while signers sign through the proxy.

use std::collections::HashMap;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use crate::helpers::binary::{client, hidden_fields, Running};
use crate::helpers::load::{all_stored, as_os, start_load, vars_with, Load};
use crate::helpers::{say, TestApp};

const UNIT: &str = include_str!("../../contrib/clarion.service");

/// Whether `program` runs here; under CI it must (`.ci/run` installs it).
pub fn present(program: &str, test: &str) -> bool {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "{program} is missing; .ci/run installs it"
        );
        say(&format!(
            "SKIPPED {test}: no {program} (apt-get install {program})"
        ));
    }
    found
}

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

/// HAProxy with `contrib/haproxy.cfg`, listening on `bind`, balancing `nodes`.
pub struct Proxy(Child);

impl Proxy {
    pub fn start(bind: &str, nodes: [&str; 3]) -> Self {
        let cfg = concat!(env!("CARGO_MANIFEST_DIR"), "/contrib/haproxy.cfg");
        let child = Command::new("haproxy")
            .args(["-db", "-f", cfg])
            .env("CLARION_LB_BIND", bind)
            .env("CLARION_NODE1", nodes[0])
            .env("CLARION_NODE2", nodes[1])
            .env("CLARION_NODE3", nodes[2])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("haproxy starts");
        Self(child)
    }
}

impl Proxy {
    /// Whether HAProxy still runs (it exits at once when its port was taken meanwhile).
    fn running(&mut self) -> bool {
        self.0.try_wait().is_ok_and(|exit| exit.is_none())
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
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

/// Three nodes on the test's PostgreSQL database behind HAProxy, every node's links
/// naming the proxy.
pub struct Cluster {
    pub nodes: Vec<Running>,
    pub base: String,
    _proxy: Proxy,
}

impl Cluster {
    pub async fn start(settings: HashMap<String, String>, extra: &[(&str, &str)]) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let bind = format!("127.0.0.1:{port}");
        let base = format!("http://{bind}");
        let settings: Vec<(String, String)> = settings.into_iter().collect();
        let mut all = vec![
            ("CLARION_TRUSTED_PROXIES", "127.0.0.1/32"),
            ("CLARION_BASE_URL", base.as_str()),
        ];
        all.extend_from_slice(extra);
        let vars = vars_with(&settings, &all);
        let nodes: Vec<Running> = (0..3).map(|_| Running::start(&as_os(&vars))).collect();
        let at: Vec<&str> = nodes
            .iter()
            .map(|n| n.base.trim_start_matches("http://"))
            .collect();
        let mut proxy = Proxy::start(&bind, [at[0], at[1], at[2]]);
        let web = client(Duration::from_secs(10));
        let start = std::time::Instant::now();
        while !web
            .get(format!("{base}/readyz"))
            .send()
            .await
            .is_ok_and(|r| r.status().as_u16() == 200)
        {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "HAProxy is ready"
            );
            actix_web::rt::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(
            proxy.running(),
            "HAProxy has {bind} (not another test's server)"
        );
        Self {
            nodes,
            base,
            _proxy: proxy,
        }
    }
}

#[actix_web::test]
async fn three_nodes_behind_haproxy_lose_nothing_when_one_stops_midway() {
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
    let signers = start_load(&cluster.base, &hidden, 16, "nodes", &load);
    actix_web::rt::time::sleep(Duration::from_millis(1500)).await;
    let mut stopped = cluster.nodes.remove(1);
    stopped.terminate();
    let exit =
        actix_web::rt::task::spawn_blocking(move || stopped.wait_exit(Duration::from_secs(15)));
    let exit = exit.await.unwrap().expect("the node exits");
    assert!(exit.success(), "{exit:?}");
    actix_web::rt::time::sleep(Duration::from_millis(1500)).await;
    let acked = load.finish(signers).await;
    all_stored(&acked, &db.url);
}
