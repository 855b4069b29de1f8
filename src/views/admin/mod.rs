//! Staff pages. English only (the translation function covers the public pages).

pub mod actions;
pub mod articles;
pub mod campaigns;
pub mod charts;
pub mod dashboard;
pub mod fields;
pub mod layout;
pub mod login;
pub mod petition;
pub mod target_lists;
