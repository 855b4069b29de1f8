//! Test harness: each test spawns the real server on a random port against a fresh
//! database of its own, a temporary SQLite file or, when `CLARION_TEST_POSTGRES_URL` is
//! set, a PostgreSQL database created for the test and dropped after it.
//!
//! `CLARION_TEST_BACKEND=sqlite` forces SQLite even when PostgreSQL is configured (CI runs
//! the suite once per backend). Tests that need PostgreSQL itself call [`require_postgres`],
//! which skips them with one printed line outside CI and fails them under `CI=true`.
//!
//! Shared by every behaviour file, which import from here only. The harness and the helpers
//! most files use are re-exported here; the rest are reached by their module.

use std::io::Write as _;

/// How long a test client keeps an idle connection: less than actix's keep-alive (5 s).
pub const IDLE: std::time::Duration = std::time::Duration::from_secs(2);

pub mod admin;
mod app;
pub mod binary;
pub mod browser;
pub mod cluster;
pub mod contact;
pub mod content;
mod db;
pub mod follow_up;
pub mod load;
mod mail;
pub mod metrics;
pub mod newsletter;
mod page;
mod petitions;
pub mod rows;
pub mod smtp;
pub mod webhooks;

pub use admin::{add_staff, csrf, log_in, logged_in, login, login_cookie, PASSWORD};
pub use app::{after_copies_expire, futures_join_all, TestApp};
pub use db::{require_postgres, TestDb};
pub use mail::{email_link, link_to, own_data};
pub use page::{attrs, form_as_sent, html, location_path, texts};
pub use petitions::{
    app_with_smtp, confirmation_emails, json_count, stored_rows, supporter, ARTICLE, PETITION,
};

/// Printed past the test harness's capture, so a skip is seen in `cargo test` output.
pub fn say(line: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}
