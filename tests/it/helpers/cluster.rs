//! Three `clarion` nodes on the test's PostgreSQL database behind HAProxy with
//! `contrib/haproxy.cfg`, as docs/DEPLOYMENT.md runs them; a node can be restarted
//! gracefully on its own address, as a rolling restart does.

use std::collections::HashMap;
use std::ffi::OsString;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::binary::{client, Running};
use super::load::{as_os, vars_with};
use super::say;

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

/// Three nodes behind HAProxy, every node's links naming the proxy and every node
/// serving metrics on a port of its own.
pub struct Cluster {
    pub nodes: Vec<Running>,
    pub base: String,
    vars: Vec<(String, OsString)>,
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
            ("CLARION_METRICS_BIND", "127.0.0.1:0"),
        ];
        all.extend_from_slice(extra);
        let vars = vars_with(&settings, &all);
        let nodes: Vec<Running> = (0..3).map(|_| Running::start(&as_os(&vars))).collect();
        let at: Vec<&str> = nodes.iter().map(Running::address).collect();
        let mut proxy = Proxy::start(&bind, [at[0], at[1], at[2]]);
        ready(&format!("{base}/readyz")).await;
        assert!(
            proxy.running(),
            "HAProxy has {bind} (not another test's server)"
        );
        Self {
            nodes,
            base,
            vars,
            _proxy: proxy,
        }
    }

    /// Stops node `n` with SIGTERM, checks that it exits 0 within `limit`, and starts it
    /// again on the same address; answers how long the stop took.
    pub async fn restart(&mut self, n: usize, limit: Duration) -> Duration {
        let address = self.nodes[n].address().to_string();
        let stopped = Instant::now();
        let mut node = self.nodes.remove(n);
        node.terminate();
        let (node, exit) = actix_web::rt::task::spawn_blocking(move || {
            let exit = node.wait_exit(limit);
            (node, exit)
        })
        .await
        .unwrap();
        let took = stopped.elapsed();
        let exit = exit.unwrap_or_else(|| panic!("node {n} exits within {limit:?}"));
        assert!(exit.success(), "node {n}: {exit:?}");
        drop(node);
        let mut vars = self.vars.clone();
        vars.push(("CLARION_BIND".into(), address.into()));
        self.nodes.insert(n, Running::start(&as_os(&vars)));
        ready(&format!("{}/readyz", self.nodes[n].base)).await;
        took
    }
}

/// Waits (at most 10 s) until `url` answers 200.
async fn ready(url: &str) {
    let web = client(Duration::from_secs(10));
    let start = Instant::now();
    while !web
        .get(url)
        .send()
        .await
        .is_ok_and(|r| r.status().as_u16() == 200)
    {
        assert!(start.elapsed() < Duration::from_secs(10), "{url} is ready");
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    }
}
