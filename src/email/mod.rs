//! Email: the messages Clarion writes (plain text + HTML), the transport that carries them
//! (SMTP, or `.eml` files when no server is configured), and the outbox worker.

pub mod batch;
pub mod dkim;
pub mod follow_ups;
pub mod letters;
pub mod mailing;
pub mod messages;
mod plain_smtp;
pub mod reminders;
pub mod site;
pub mod transport;
pub mod updates;
pub mod worker;
