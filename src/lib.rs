//! Clarion: a campaign and petition platform. Newsletter articles end in calls to action
//! (petitions, letters to officials); staff create them; supporters act without an account.

pub mod cli;
pub mod config;
pub mod db;
pub mod domain;
pub mod email;
pub mod error;
pub mod export;
pub mod i18n;
pub mod jobs;
pub mod organisation;
pub mod prepare;
pub mod priority;
pub mod private_files;
pub mod shutdown;
pub mod signing;
pub mod startup;
pub mod telemetry;
pub mod views;
pub mod web;
pub mod webhooks;
