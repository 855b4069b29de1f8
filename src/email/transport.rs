//! Where mail goes: an SMTP server when `CLARION_SMTP_URL` is set (lettre's URL forms),
//! otherwise `.eml` files under `{data_dir}/outbox/`, so a first run needs no mail server.

use std::path::PathBuf;

use lettre::message::{Mailbox, MultiPart};
use lettre::{FileTransport, Message, SmtpTransport, Transport as _};

use crate::db::outbox::QueuedEmail;

pub enum Mailer {
    Smtp(Box<SmtpTransport>),
    Files {
        dir: PathBuf,
        transport: FileTransport,
    },
}

#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct SendError {
    pub message: String,
    /// True when retrying cannot help (a refused address, a malformed message).
    pub permanent: bool,
}

impl SendError {
    fn permanent(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            permanent: true,
        }
    }
}

impl Mailer {
    /// Builds the transport; an unusable SMTP URL is a start-up error (never printed whole:
    /// it may hold a password).
    pub fn new(smtp_url: Option<&str>, data_dir: &std::path::Path) -> Result<Self, String> {
        match smtp_url {
            Some(url) => SmtpTransport::from_url(url)
                .map(|builder| Self::Smtp(Box::new(builder.build())))
                .map_err(|e| format!("CLARION_SMTP_URL is not usable: {e}")),
            None => {
                let dir = data_dir.join("outbox");
                std::fs::create_dir_all(&dir)
                    .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
                Ok(Self::Files {
                    transport: FileTransport::new(&dir),
                    dir,
                })
            }
        }
    }

    /// Whether emails become files here (no network round trip to wait out).
    pub fn is_local(&self) -> bool {
        matches!(self, Self::Files { .. })
    }

    /// Sends one queued email from `from` (its display name replaced when the row has one).
    pub fn send(&self, email: &QueuedEmail, from: &Mailbox) -> Result<(), SendError> {
        let message = build(email, from)?;
        match self {
            Self::Smtp(smtp) => smtp.send(&message).map(drop).map_err(|e| SendError {
                permanent: e.is_permanent(),
                message: e.to_string(),
            }),
            Self::Files { transport, dir } => {
                let id = transport.send(&message).map_err(|e| SendError {
                    permanent: false,
                    message: e.to_string(),
                })?;
                tracing::info!(
                    outbox_id = %email.id,
                    file = %dir.join(format!("{id}.eml")).display(),
                    link = first_link(&email.body_text).unwrap_or("-"),
                    "email written to the outbox folder (no CLARION_SMTP_URL)"
                );
                Ok(())
            }
        }
    }
}

fn build(email: &QueuedEmail, from: &Mailbox) -> Result<Message, SendError> {
    let from = match &email.from_name {
        Some(name) => Mailbox::new(Some(name.clone()), from.email.clone()),
        None => from.clone(),
    };
    let to: Mailbox = email
        .to_address
        .parse()
        .map_err(|e| SendError::permanent(format!("bad recipient address: {e}")))?;
    let mut builder = Message::builder()
        .from(from)
        .to(to)
        .subject(email.subject.clone());
    if let Some(reply_to) = &email.reply_to {
        let reply_to: Mailbox = reply_to
            .parse()
            .map_err(|e| SendError::permanent(format!("bad reply-to address: {e}")))?;
        builder = builder.reply_to(reply_to);
    }
    let built = match &email.body_html {
        Some(html) => builder.multipart(MultiPart::alternative_plain_html(
            email.body_text.clone(),
            html.clone(),
        )),
        None => builder.body(email.body_text.clone()),
    };
    built.map_err(|e| SendError::permanent(format!("cannot build the message: {e}")))
}

/// The first http(s) link of a text, for the log line that replaces a real mail server.
fn first_link(text: &str) -> Option<&str> {
    text.split_whitespace()
        .find(|w| w.starts_with("http://") || w.starts_with("https://"))
}
