//! A relay reached without TLS or login (`smtp://host:port`, typically the local MTA on
//! loopback): connections opened by us with `TCP_NODELAY`, then handed to lettre's SMTP
//! client (`AsyncSmtpConnection::connect_with_transport`), and kept for the next email.
//! lettre's own transport leaves Nagle's algorithm on, and each message then waits about
//! 40 ms for the server's delayed ACK: 25 messages a second per connection at best.

use std::sync::Mutex;

use lettre::address::Envelope;
use lettre::transport::smtp::client::AsyncSmtpConnection;
use lettre::transport::smtp::extension::ClientId;

use super::transport::{Failure, SendError};

pub struct PlainSmtp {
    address: String,
    hello: ClientId,
    /// Drives the connections' IO; senders wait on it from their own threads.
    runtime: tokio::runtime::Runtime,
    idle: Mutex<Vec<AsyncSmtpConnection>>,
}

impl PlainSmtp {
    /// For an `smtp://host[:port]` URL with nothing else (no login, no TLS parameter);
    /// `None` for any other, which lettre's transport handles.
    pub fn for_url(url: &str) -> Option<Result<Self, String>> {
        let rest = url.strip_prefix("smtp://")?.trim_end_matches('/');
        if rest.is_empty() || rest.contains(['@', '?', '/']) {
            return None;
        }
        let address = match rest.rsplit_once(':') {
            Some((_, port)) if port.parse::<u16>().is_ok() => rest.to_string(),
            _ => format!("{rest}:25"),
        };
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("smtp-io")
            .enable_io()
            .enable_time()
            .build()
            .map_err(|e| format!("cannot start the SMTP client: {e}"));
        Some(runtime.map(|runtime| Self {
            address,
            hello: ClientId::default(),
            runtime,
            idle: Mutex::new(Vec::new()),
        }))
    }

    async fn connect(&self) -> Result<AsyncSmtpConnection, SendError> {
        let relay = |e: std::io::Error| SendError {
            message: format!("cannot reach the SMTP relay {}: {e}", self.address),
            failure: Failure::Relay,
        };
        let stream = tokio::time::timeout(
            std::time::Duration::from_secs(30),
            tokio::net::TcpStream::connect(&self.address),
        )
        .await
        .map_err(|_| relay(std::io::ErrorKind::TimedOut.into()))?
        .map_err(relay)?;
        stream.set_nodelay(true).map_err(relay)?;
        AsyncSmtpConnection::connect_with_transport(Box::new(stream), &self.hello)
            .await
            .map_err(|e| SendError::of_smtp(&e))
    }

    /// Sends one message over a kept connection (or a new one).
    pub fn send(&self, envelope: &Envelope, message: &[u8]) -> Result<(), SendError> {
        let kept = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
        self.runtime.handle().block_on(async {
            let mut connection = match kept {
                Some(c) if !c.has_broken() => c,
                _ => self.connect().await?,
            };
            let sent = connection.send(envelope, message).await;
            if !connection.has_broken() {
                self.idle
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(connection);
            }
            sent.map(drop).map_err(|e| SendError::of_smtp(&e))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_relays_take_this_path() {
        let plain = PlainSmtp::for_url("smtp://127.0.0.1:2525")
            .unwrap()
            .unwrap();
        assert_eq!(plain.address, "127.0.0.1:2525");
        let default_port = PlainSmtp::for_url("smtp://localhost").unwrap().unwrap();
        assert_eq!(default_port.address, "localhost:25");
        for other in [
            "smtps://mail.example.org",
            "smtp://user:pass@mail.example.org",
            "smtp://mail.example.org?tls=required",
        ] {
            assert!(PlainSmtp::for_url(other).is_none(), "{other}");
        }
    }
}
