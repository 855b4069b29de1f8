//! What the outbox workers need of the site to write links into emails: its key (for
//! signed links) and its base URL.

use crate::db::outbox::QueuedEmail;
use crate::domain::data_link::{self, Row};
use crate::i18n::Lang;

#[derive(Clone)]
pub struct Site {
    pub key: Vec<u8>,
    pub base_url: String,
}

impl Site {
    /// The "your data" link for the supporter `email` goes to, in `lang`, issued now;
    /// `None` for an email that is not about a supporter's row.
    pub fn data_link(&self, email: &QueuedEmail, lang: Lang) -> Option<String> {
        let (row, id) = match (&email.signature_id, &email.message_id, &email.subscriber_id) {
            (Some(id), _, _) => (Row::Signature, id),
            (None, Some(id), _) => (Row::Letter, id),
            (None, None, Some(id)) => (Row::Subscriber, id),
            _ => return None,
        };
        let issued = crate::db::now().and_utc().timestamp();
        let token = data_link::token(&self.key, row, id, issued);
        Some(format!("{}{}/me/{token}", self.base_url, lang.prefix()))
    }
}
