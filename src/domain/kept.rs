//! What Clarion keeps about a supporter, column by column. The privacy page lists it
//! (`views/privacy.rs`), and a test checks that every column of these tables is named
//! here, as personal or not, so that the page cannot drift from what is stored.

use crate::i18n::Msg;

/// Columns of `table` that hold something about the person, said in one message.
pub struct Kept {
    pub table: &'static str,
    pub columns: &'static [&'static str],
    pub what: Msg,
}

const fn kept(table: &'static str, columns: &'static [&'static str], what: Msg) -> Kept {
    Kept {
        table,
        columns,
        what,
    }
}

/// The personal columns, in the order the privacy page lists them.
pub const PERSONAL: &[Kept] = &[
    kept("signatures", &["first_name", "last_name"], Msg::KeptName),
    kept("signatures", &["email", "email_canonical"], Msg::KeptEmail),
    kept("signatures", &["country_code"], Msg::KeptCountry),
    kept("signatures", &["postcode"], Msg::KeptPostcode),
    kept("signatures", &["comment"], Msg::KeptComment),
    kept(
        "signatures",
        &[
            "consent_updates",
            "consent_text",
            "consent_version",
            "show_publicly",
            "show_publicly_text",
            "consent_partner",
            "consent_partner_text",
        ],
        Msg::KeptChoices,
    ),
    kept("signatures", &["language"], Msg::KeptLanguage),
    kept(
        "signatures",
        &[
            "created_at",
            "confirmed_at",
            "updated_at",
            "reminded_at",
            "withdrawn_at",
        ],
        Msg::KeptDates,
    ),
    kept(
        "signatures",
        &["source_article_id", "mailing_id", "partner_id", "utm"],
        Msg::KeptSource,
    ),
    kept("signatures", &["client_hash"], Msg::KeptAddressHash),
    kept("messages", &["first_name", "last_name"], Msg::KeptName),
    kept("messages", &["email", "email_canonical"], Msg::KeptEmail),
    kept("messages", &["country_code"], Msg::KeptCountry),
    kept("messages", &["postcode"], Msg::KeptPostcode),
    kept("messages", &["subject", "body"], Msg::KeptLetter),
    kept(
        "messages",
        &[
            "consent_updates",
            "consent_text",
            "consent_version",
            "consent_partner",
            "consent_partner_text",
        ],
        Msg::KeptChoices,
    ),
    kept("messages", &["language"], Msg::KeptLanguage),
    kept(
        "messages",
        &[
            "created_day",
            "created_at",
            "confirmed_at",
            "updated_at",
            "reminded_at",
            "follow_up_at",
            "follow_up_reminded_at",
        ],
        Msg::KeptDates,
    ),
    kept(
        "messages",
        &["source_article_id", "mailing_id", "partner_id", "utm"],
        Msg::KeptSource,
    ),
    kept("messages", &["client_hash"], Msg::KeptAddressHash),
    // Each copy of a letter: what its writer answered about a reply.
    kept(
        "message_targets",
        &["answer", "first_answered_at", "answered_at", "reply_text"],
        Msg::KeptReplies,
    ),
    kept("subscribers", &["first_name"], Msg::KeptName),
    kept("subscribers", &["email", "email_canonical"], Msg::KeptEmail),
    kept("subscribers", &["country_code"], Msg::KeptCountry),
    kept(
        "subscribers",
        &["consent_text", "consent_version"],
        Msg::KeptChoices,
    ),
    kept("subscribers", &["language"], Msg::KeptLanguage),
    kept(
        "subscribers",
        &[
            "created_at",
            "confirmed_at",
            "unsubscribed_at",
            "updated_at",
        ],
        Msg::KeptDates,
    ),
    kept(
        "subscribers",
        &["source", "left_mailing_id"],
        Msg::KeptSource,
    ),
    kept("subscribers", &["client_hash"], Msg::KeptAddressHash),
    kept(
        "update_optouts",
        &["email_canonical", "created_at"],
        Msg::KeptUpdateOptOut,
    ),
];

/// Columns that say nothing about the person: ids, statuses, counters, hashes of tokens.
pub const NOT_PERSONAL: &[(&str, &[&str])] = &[
    (
        "signatures",
        &[
            "id",
            "action_id",
            "status",
            "hold_reason",
            "token_hash",
            "emails_sent",
            "text_version",
            // Which count of the per-address rule the row is in (`db/batch/recent.rs`).
            "client_indexed",
        ],
    ),
    (
        "messages",
        &[
            "id",
            "action_id",
            "status",
            "hold_reason",
            "token_hash",
            "emails_sent",
        ],
    ),
    (
        "subscribers",
        &["id", "status", "token_hash", "emails_sent"],
    ),
    (
        "message_targets",
        &[
            "message_id",
            "target_id",
            "status",
            "outbox_id",
            "updated_at",
            // Staff's approval to quote a pasted reply, never with a name.
            "reply_quotable",
        ],
    ),
    ("update_optouts", &["action_id"]),
];

/// What is kept for one table, each message once, in order.
pub fn kept_in(table: &str) -> Vec<Msg> {
    let mut said: Vec<Msg> = Vec::new();
    for k in PERSONAL.iter().filter(|k| k.table == table) {
        if !said.contains(&k.what) {
            said.push(k.what);
        }
    }
    said
}
