//! Pure types and rules: no SQL, no HTTP. Values are parsed once at the edge into these
//! types, which cannot hold invalid data ("parse, don't validate"). The one use of diesel
//! here is `status`: how each status enum is stored as TEXT.

pub mod access_rule;
pub mod api_token;
pub mod country;
pub mod data_link;
pub mod email;
pub mod email_typo;
pub mod field_check;
pub mod follow_up;
pub mod form_token;
pub mod kept;
pub mod letter;
pub mod newsletter;
pub mod opening;
pub mod organisation;
pub mod osdi;
pub mod partner;
pub mod password;
pub mod picture;
pub mod responsiveness;
pub mod sealed;
pub mod secrets;
pub mod signature;
pub mod slug;
pub mod staff;
pub mod status;
pub mod subscriber_import;
pub mod suppression;
pub mod target_csv;
pub mod text;
pub mod unsubscribe;
pub mod webhook;

use crate::i18n::Msg;

/// Why a field's value was refused; the message is shown next to the field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldError(pub Msg);
