//! A webhook receiver for tests, and the steps that give an app a partner with an
//! endpoint.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::TestApp;

/// One request the receiver got: its headers of interest and body.
#[derive(Debug, Clone)]
pub struct Received {
    pub id: String,
    pub timestamp: String,
    pub signature: String,
    pub body: Vec<u8>,
}

/// A webhook receiver on a random loopback port: answers each request with the next
/// status of `script` (the last one repeats) and keeps what it got.
pub struct Receiver {
    pub port: u16,
    pub got: Arc<Mutex<Vec<Received>>>,
}

impl Receiver {
    pub fn start(script: Vec<u16>) -> Receiver {
        let got: Arc<Mutex<Vec<Received>>> = Arc::default();
        let kept = got.clone();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = actix_web::HttpServer::new(move || {
            let (kept, script) = (kept.clone(), script.clone());
            actix_web::App::new().default_service(actix_web::web::to(
                move |req: actix_web::HttpRequest, body: actix_web::web::Bytes| {
                    let (kept, script) = (kept.clone(), script.clone());
                    async move {
                        let header = |name: &str| {
                            req.headers()
                                .get(name)
                                .map(|v| v.to_str().unwrap().to_string())
                                .unwrap_or_default()
                        };
                        let mut got = kept.lock().unwrap();
                        got.push(Received {
                            id: header("webhook-id"),
                            timestamp: header("webhook-timestamp"),
                            signature: header("webhook-signature"),
                            body: body.to_vec(),
                        });
                        let status = script[(got.len() - 1).min(script.len() - 1)];
                        actix_web::HttpResponse::build(
                            actix_web::http::StatusCode::from_u16(status).unwrap(),
                        )
                        .finish()
                    }
                },
            ))
        })
        .workers(1)
        .listen(listener)
        .unwrap()
        .run();
        actix_web::rt::spawn(server);
        Receiver { port, got }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/hooks/clarion", self.port)
    }

    /// Waits up to `secs` for `n` requests; answers what came.
    pub async fn wait_for(&self, n: usize, secs: u64) -> Vec<Received> {
        for _ in 0..secs * 10 {
            if self.got.lock().unwrap().len() >= n {
                break;
            }
            actix_web::rt::time::sleep(Duration::from_millis(100)).await;
        }
        self.got.lock().unwrap().clone()
    }
}

/// An app whose webhooks may reach loopback, with the partner `union`.
pub async fn app_with_partner() -> TestApp {
    let app = TestApp::builder()
        .set("CLARION_WEBHOOK_ALLOW_PRIVATE", "1")
        .spawn()
        .await;
    crate::partners::add_partner(&app, "union", "https://union.example.org");
    app
}

/// `clarion webhook add`: the secret, alone on the last line.
pub fn add_webhook(app: &TestApp, partner: &str, url: &str, events: &[&str]) -> String {
    let mut args = vec!["webhook", "add", "--partner", partner, "--url", url];
    for event in events {
        args.extend(["--event", event]);
    }
    let (ok, out, err) = app.cli(&args, &[("CLARION_WEBHOOK_ALLOW_PRIVATE", "1")]);
    assert!(ok, "{out} {err}");
    let secret = out.lines().last().unwrap().trim().to_string();
    assert!(secret.starts_with("whsec_"), "{out}");
    secret
}
