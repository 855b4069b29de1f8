//! Where mail goes: an SMTP server when `CLARION_SMTP_URL` is set (lettre's URL forms),
//! otherwise `.eml` files under `{data_dir}/outbox/`, so a first run needs no mail server.

use std::path::PathBuf;
use std::sync::Arc;

use lettre::message::dkim::DkimConfig;
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::{FileTransport, Message, SmtpTransport, Transport as _};

use super::plain_smtp::PlainSmtp;
use crate::db::outbox::QueuedEmail;

pub struct Mailer {
    way: Way,
    /// Signs every email when DKIM is set (`email/dkim.rs`).
    dkim: Option<Arc<DkimConfig>>,
}

enum Way {
    /// A relay without TLS or login: our own connections, with `TCP_NODELAY`.
    Plain(Box<PlainSmtp>),
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
    pub failure: Failure,
}

/// What a failed send means for the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// This email's recipient was refused for good (550, 551, 553) or the message cannot
    /// be built: retrying cannot help, so it is given up.
    Recipient,
    /// This email may go through later (a 4xx for it, a full mailbox): retried with
    /// backoff.
    Temporary,
    /// The relay itself fails (no connection, a refused greeting, login or sender, 554,
    /// 421), or the outbox folder cannot be written: every email waits and none is ever
    /// given up for it.
    Relay,
}

impl SendError {
    fn recipient(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            failure: Failure::Recipient,
        }
    }

    /// Tells a recipient's refusal from the relay's own failure by the reply code
    /// (RFC 5321): 550, 551 and 553 name the mailbox; 552 is a full one; any other
    /// permanent code, 421, and every failure without a reply are the relay's.
    pub(super) fn of_smtp(error: &lettre::transport::smtp::Error) -> Self {
        let code = error.status().map(u16::from);
        let failure = match code {
            Some(550 | 551 | 553) => Failure::Recipient,
            Some(421) => Failure::Relay,
            Some(400..=499 | 552) => Failure::Temporary,
            _ => Failure::Relay,
        };
        Self {
            message: error.to_string(),
            failure,
        }
    }
}

impl Mailer {
    /// Builds the transport; an unusable SMTP URL is a start-up error (never printed whole:
    /// it may hold a password).
    pub fn new(
        smtp_url: Option<&str>,
        data_dir: &std::path::Path,
        dkim: Option<Arc<DkimConfig>>,
    ) -> Result<Self, String> {
        let way = match smtp_url {
            Some(url) => match PlainSmtp::for_url(url) {
                Some(plain) => Way::Plain(Box::new(plain?)),
                None => SmtpTransport::from_url(url)
                    .map(|builder| Way::Smtp(Box::new(builder.build())))
                    .map_err(|e| format!("CLARION_SMTP_URL is not usable: {e}"))?,
            },
            None => {
                let dir = data_dir.join("outbox");
                std::fs::create_dir_all(&dir)
                    .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
                Way::Files {
                    transport: FileTransport::new(&dir),
                    dir,
                }
            }
        };
        Ok(Self { way, dkim })
    }

    /// Whether emails become files here (no network round trip to wait out).
    pub fn is_local(&self) -> bool {
        matches!(self.way, Way::Files { .. })
    }

    /// Sends one queued email from `from` (its display name replaced when the row has
    /// one); a mailing's email carries its recipient's one-click `unsubscribe` URL.
    pub fn send(
        &self,
        email: &QueuedEmail,
        from: &Mailbox,
        unsubscribe: Option<&str>,
    ) -> Result<(), SendError> {
        let mut message = build(email, from, unsubscribe)?;
        if let Some(dkim) = &self.dkim {
            message.sign(dkim);
        }
        match &self.way {
            Way::Plain(plain) => plain.send(message.envelope(), &message.formatted()),
            Way::Smtp(smtp) => smtp
                .send(&message)
                .map(drop)
                .map_err(|e| SendError::of_smtp(&e)),
            Way::Files { transport, dir } => {
                // A folder that cannot be written (a full disk) fails every email alike.
                let id = transport.send(&message).map_err(|e| SendError {
                    failure: Failure::Relay,
                    message: e.to_string(),
                })?;
                // Never a link: links confirm signatures and set staff passwords.
                tracing::info!(
                    outbox_id = %email.id,
                    kind = %email.kind,
                    file = %dir.join(format!("{id}.eml")).display(),
                    "email written to the outbox folder (no CLARION_SMTP_URL)"
                );
                Ok(())
            }
        }
    }
}

fn build(
    email: &QueuedEmail,
    from: &Mailbox,
    unsubscribe: Option<&str>,
) -> Result<Message, SendError> {
    let from = match email.from_name.as_deref().map(header_name) {
        Some(name) if !name.is_empty() => Mailbox::new(Some(name), from.email.clone()),
        _ => from.clone(),
    };
    let to: Mailbox = email
        .to_address
        .parse()
        .map_err(|e| SendError::recipient(format!("bad recipient address: {e}")))?;
    let mut builder = Message::builder()
        .from(from)
        .to(to)
        .subject(header_text(&email.subject));
    if let Some(reply_to) = &email.reply_to {
        let reply_to: Mailbox = reply_to
            .parse()
            .map_err(|e| SendError::recipient(format!("bad reply-to address: {e}")))?;
        builder = builder.reply_to(reply_to);
    }
    if let Some(url) = unsubscribe {
        // RFC 2369 and RFC 8058: mail programs show "Unsubscribe" and POST to the URL.
        builder = builder
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe"),
                format!("<{url}>"),
            ))
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                "List-Unsubscribe=One-Click".to_string(),
            ));
    }
    let built = match &email.body_html {
        Some(html) => builder.multipart(MultiPart::alternative_plain_html(
            email.body_text.clone(),
            html.clone(),
        )),
        // Declared UTF-8 text: without a Content-Type a reader takes the body as US-ASCII.
        None => builder.singlepart(SinglePart::plain(email.body_text.clone())),
    };
    built.map_err(|e| SendError::recipient(format!("cannot build the message: {e}")))
}

/// A name as a header's display name: no characters that could pass for an address
/// (`<`, `>`, `@`, `"`), no bidirectional controls that reorder what the reader sees, and
/// no encoded-word opening that a mail program would decode.
pub fn header_name(name: &str) -> String {
    let kept: String = name
        .chars()
        .filter(|c| !matches!(c, '<' | '>' | '@' | '"') && !is_bidi_control(*c))
        .collect();
    header_text(
        kept.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .as_str(),
    )
}

/// Text for a header as typed, except that `=?` cannot open an RFC 2047 encoded word.
fn header_text(text: &str) -> String {
    text.replace("=?", "= ?")
}

/// Unicode's explicit bidirectional formatting characters.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_headers_lose_what_could_pass_for_an_address_or_reorder_it() {
        assert_eq!(
            header_name("President <president@gov.example> Dara"),
            "President presidentgov.example Dara"
        );
        assert_eq!(header_name("\u{202E}Sok \"Dara\""), "Sok Dara");
        assert_eq!(header_name("Chloé សុខ\u{200B}ដារា"), "Chloé សុខ\u{200B}ដារា");
        assert_eq!(header_name("=?utf-8?q?Boss?="), "= ?utf-8?q?Boss?=");
    }
}
