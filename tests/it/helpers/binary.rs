//! The `clarion` binary run as an operator runs it, for tests that read its log or its
//! files: started with a clean environment on port 0, its stdout collected line by line,
//! killed when the test ends. Also the petition's sign form as a browser sends it.

use std::io::{BufRead as _, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::{supporter, PETITION};

/// A running binary; killed when dropped, however the test ends.
pub struct Running {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    lines: Arc<Mutex<Vec<String>>>,
}

impl Running {
    /// Starts `clarion` with only `vars` (and `CLARION_BIND=127.0.0.1:0`) set among the
    /// `CLARION_*` variables, and waits for the address it logs.
    pub fn start(vars: &[(&str, &std::ffi::OsStr)]) -> Self {
        let mut command = Command::new(env!("CARGO_BIN_EXE_clarion"));
        for (name, _) in std::env::vars() {
            if name.starts_with("CLARION_") || name == "DATABASE_URL" {
                command.env_remove(name);
            }
        }
        let mut child = command
            .env("CLARION_BIND", "127.0.0.1:0")
            .env("RUST_LOG", "info")
            .envs(vars.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("clarion starts");
        let lines = Arc::new(Mutex::new(Vec::<String>::new()));
        let (address_tx, address_rx) = std::sync::mpsc::channel();
        let reader = BufReader::new(child.stdout.take().expect("piped stdout"));
        let seen = lines.clone();
        std::thread::spawn(move || {
            for line in reader.lines().map_while(Result::ok) {
                if let Some(at) = line.find("listening on http://") {
                    let rest = &line[at + "listening on ".len()..];
                    // A text line ends the address with a space, a JSON line with a quote.
                    let end = rest.find([' ', '"']).unwrap_or(rest.len());
                    let _ = address_tx.send(rest[..end].to_string());
                }
                seen.lock().unwrap().push(line);
            }
        });
        let base = address_rx
            .recv_timeout(Duration::from_secs(30))
            .expect("the address is logged");
        Self { child, base, lines }
    }

    /// `127.0.0.1:PORT`, as a proxy names the node.
    pub fn address(&self) -> &str {
        self.base.trim_start_matches("http://")
    }

    /// The `/metrics` URL the node logged (with `CLARION_METRICS_BIND` set).
    pub fn metrics_url(&self) -> String {
        self.log()
            .iter()
            .find_map(|l| {
                let rest = &l[l.find("metrics on ")? + "metrics on ".len()..];
                Some(rest[..rest.find([' ', '"']).unwrap_or(rest.len())].to_string())
            })
            .expect("the metrics address is logged")
    }

    /// Every line logged so far.
    pub fn log(&self) -> Vec<String> {
        self.lines.lock().unwrap().clone()
    }

    /// Sends SIGTERM, as systemd and a rolling restart do.
    pub fn terminate(&self) {
        let sent = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(sent.success(), "SIGTERM was sent");
    }

    /// Waits at most `limit` for the process to end; its exit status, if it did.
    pub fn wait_exit(&mut self, limit: Duration) -> Option<std::process::ExitStatus> {
        let start = std::time::Instant::now();
        while start.elapsed() < limit {
            if let Some(status) = self
                .child
                .try_wait()
                .expect("the process can be waited for")
            {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A client that does not follow redirects and gives up after `timeout`.
pub fn client(timeout: Duration) -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_idle_timeout(super::IDLE)
        .timeout(timeout)
        .build()
        .unwrap()
}

/// The hidden fields of the petition page's sign form (its token is reusable).
pub async fn hidden_fields(client: &reqwest::Client, base: &str) -> Vec<(String, String)> {
    let page = client
        .get(format!("{base}/petitions/{PETITION}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let selector = format!("form[action=\"/petitions/{PETITION}/sign\"] input[type=hidden]");
    let page = crate::helpers::html(&page);
    let names = crate::helpers::attrs(&page, &selector, "name");
    let values = crate::helpers::attrs(&page, &selector, "value");
    names.into_iter().zip(values).collect()
}

/// One signing that may meet a node that has gone: `Err` when nothing answered.
pub async fn try_sign(
    client: &reqwest::Client,
    base: &str,
    hidden: &[(String, String)],
    email: &str,
) -> Result<(u16, Option<String>), reqwest::Error> {
    let mut form = hidden.to_vec();
    for (k, v) in supporter(email) {
        form.push((k.into(), v.into()));
    }
    let response = client
        .post(format!("{base}/petitions/{PETITION}/sign"))
        .form(&form)
        .send()
        .await?;
    let retry = response
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap_or("").to_string());
    Ok((response.status().as_u16(), retry))
}

/// (status, Retry-After) of one signing with the form's `hidden` fields.
pub async fn sign(
    client: &reqwest::Client,
    base: &str,
    hidden: &[(String, String)],
    email: &str,
) -> (u16, Option<String>) {
    try_sign(client, base, hidden, email).await.unwrap()
}
