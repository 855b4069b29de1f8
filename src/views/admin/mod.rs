//! Staff pages. English only (the translation function covers the public pages).

pub mod campaigns;
pub mod charts;
pub mod dashboard;
pub mod fields;
pub mod layout;
pub mod login;
