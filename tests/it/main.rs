//! Clarion's integration tests: one binary, one file per behaviour area. Every test
//! starts the real server on a random port with a fresh database and speaks HTTP to it.

mod helpers;

mod admin;
mod admin_content;
mod article_pictures;
mod batch;
mod check_email;
mod contact;
mod contact_rules;
mod counting;
mod decisions;
mod drafts;
mod erasure;
mod exports;
mod faults;
mod fuzz;
mod holds;
mod journeys;
mod language_journeys;
mod languages;
mod languages_input;
mod limits;
mod mail_headers;
mod migrations;
mod moderation;
mod nodes;
mod organisation;
mod outbox;
mod outbox_claims;
mod pages;
mod petition_versions;
mod petitions;
mod print;
mod private_data;
mod public_names;
mod report;
mod signing_again;
mod signing_input;
mod staff_hardening;
mod staff_journeys;
mod startup;
mod surge;
mod targets;
mod translations;
mod trust;
