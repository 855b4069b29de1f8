//! maud pages: one layout, small components, one file per page family. Every page is a
//! pure function of its view model; none does I/O.

pub mod admin;
pub mod articles;
pub mod campaigns;
pub mod components;
pub mod contact;
pub mod contact_after;
pub mod embed;
pub mod errors;
pub mod follow_up;
pub mod home;
pub mod layout;
pub mod markdown;
pub mod me;
pub mod newsletter;
pub mod petitions;
pub mod privacy;
pub mod replies;
pub mod sign_form;
pub mod updates;

/// The site's stylesheet, served as `/static/clarion.css` and copied into the pages a
/// reader keeps as a file (the delivery report), which must print styled offline.
pub const STYLESHEET: &str = include_str!("../../static/clarion.css");
