//! A small SMTP server for tests: it speaks just enough of the protocol for lettre, keeps
//! every message it accepts, and can refuse recipients to test retries and failures.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt as _, AsyncWriteExt as _, BufReader};
use tokio::net::TcpListener;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Accept,
    /// 451 to every recipient: a temporary failure, to be retried.
    TempFail,
    /// 550 to every recipient: a permanent failure.
    PermFail,
    /// 554 to every sender (MAIL FROM) until then, as a relay that is down answers;
    /// afterwards it accepts.
    RelayDownUntil(std::time::Instant),
    /// Accepts, taking this long over each message, as a crawling relay does.
    Slow(Duration),
}

#[derive(Debug, Clone)]
pub struct Mail {
    pub to: Vec<String>,
    pub data: Vec<u8>,
}

impl Mail {
    pub fn parsed(&self) -> mail_parser::Message<'_> {
        mail_parser::MessageParser::default()
            .parse(&self.data)
            .expect("a parsable message")
    }

    pub fn text(&self) -> String {
        self.parsed().body_text(0).expect("a text part").to_string()
    }

    pub fn html(&self) -> String {
        self.parsed()
            .body_html(0)
            .expect("an HTML part")
            .to_string()
    }

    pub fn subject(&self) -> String {
        self.parsed().subject().unwrap_or_default().to_string()
    }

    /// The first link in the plain-text body.
    pub fn link(&self) -> String {
        self.text()
            .split_whitespace()
            .find(|w| w.starts_with("http"))
            .expect("a link in the email")
            .to_string()
    }
}

pub struct SmtpServer {
    pub port: u16,
    mails: Arc<Mutex<Vec<Mail>>>,
    attempts: Arc<Mutex<usize>>,
}

impl SmtpServer {
    pub async fn start(mode: Mode) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind SMTP");
        let port = listener.local_addr().unwrap().port();
        let mails = Arc::new(Mutex::new(Vec::new()));
        let attempts = Arc::new(Mutex::new(0));
        let (store, tries) = (mails.clone(), attempts.clone());
        actix_web::rt::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let (store, tries) = (store.clone(), tries.clone());
                actix_web::rt::spawn(async move {
                    let _ = session(socket, mode, store, tries).await;
                });
            }
        });
        Self {
            port,
            mails,
            attempts,
        }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub fn mails(&self) -> Vec<Mail> {
        self.mails.lock().unwrap().clone()
    }

    /// RCPT commands seen, accepted or not.
    pub fn attempts(&self) -> usize {
        *self.attempts.lock().unwrap()
    }

    /// Waits (up to 10 s) until at least `n` messages arrived, and returns them all.
    pub async fn wait_for(&self, n: usize) -> Vec<Mail> {
        for _ in 0..200 {
            if self.mails.lock().unwrap().len() >= n {
                break;
            }
            actix_web::rt::time::sleep(Duration::from_millis(50)).await;
        }
        let mails = self.mails();
        assert!(mails.len() >= n, "expected {n} emails, got {}", mails.len());
        mails
    }
}

async fn session(
    socket: tokio::net::TcpStream,
    mode: Mode,
    store: Arc<Mutex<Vec<Mail>>>,
    tries: Arc<Mutex<usize>>,
) -> std::io::Result<()> {
    let (read, mut write) = socket.into_split();
    let mut lines = BufReader::new(read);
    write.write_all(b"220 clarion-test ESMTP\r\n").await?;
    let mut to = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let command = line.trim_end().to_ascii_uppercase();
        let reply: &[u8] = if command.starts_with("EHLO") || command.starts_with("HELO") {
            b"250-clarion-test\r\n250 8BITMIME\r\n"
        } else if command.starts_with("MAIL FROM")
            && matches!(mode, Mode::RelayDownUntil(until) if std::time::Instant::now() < until)
        {
            b"554 5.3.0 relay unavailable\r\n"
        } else if command.starts_with("MAIL FROM")
            || command.starts_with("RSET")
            || command.starts_with("NOOP")
        {
            b"250 OK\r\n"
        } else if command.starts_with("RCPT TO") {
            *tries.lock().unwrap() += 1;
            match mode {
                Mode::Accept | Mode::RelayDownUntil(_) | Mode::Slow(_) => {
                    to.push(line.trim_end()[8..].trim().to_string());
                    b"250 OK\r\n"
                }
                Mode::TempFail => b"451 try again later\r\n",
                Mode::PermFail => b"550 no such user\r\n",
            }
        } else if command == "DATA" {
            write.write_all(b"354 go ahead\r\n").await?;
            let mut data = Vec::new();
            loop {
                let mut body_line = String::new();
                if lines.read_line(&mut body_line).await? == 0 {
                    return Ok(());
                }
                if body_line == ".\r\n" {
                    break;
                }
                let unstuffed = body_line.strip_prefix('.').unwrap_or(&body_line);
                data.extend_from_slice(unstuffed.as_bytes());
            }
            if let Mode::Slow(delay) = mode {
                tokio::time::sleep(delay).await;
            }
            store.lock().unwrap().push(Mail {
                to: std::mem::take(&mut to),
                data,
            });
            b"250 queued\r\n"
        } else if command == "QUIT" {
            write.write_all(b"221 bye\r\n").await?;
            return Ok(());
        } else {
            b"502 not implemented\r\n"
        };
        write.write_all(reply).await?;
    }
}
