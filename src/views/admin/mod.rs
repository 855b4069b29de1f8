//! Staff pages. English only (the translation function covers the public pages).

pub mod access_rules;
pub mod actions;
pub mod articles;
pub mod audit_log;
pub mod campaigns;
pub mod charts;
pub mod dashboard;
pub mod decisions;
pub mod erasure;
pub mod fields;
pub mod layout;
pub mod login;
pub mod mailings;
pub mod moderation;
pub mod organisation;
pub mod partner;
pub mod partners;
pub mod petition;
pub mod pictures;
pub mod replies;
pub mod retention;
pub mod staff;
pub mod subscribers;
pub mod target_lists;
pub mod translations;
pub mod updates;
