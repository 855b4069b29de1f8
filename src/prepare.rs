//! From a checked form to what the database stores: a signature with its confirmation
//! email (for the signing queue), or a letter with its targets and, for platform delivery,
//! its confirmation email. Nothing here reads or writes the database or the request:
//! handlers parse and check, these functions build, `db::` stores.

use std::net::IpAddr;

use chrono::NaiveDateTime;

use crate::db::actions::ContactAction;
use crate::db::batch::Submission;
use crate::db::messages::{NewLetter, NewMessage};
use crate::db::petitions::Petition;
use crate::db::signatures::NewSignature;
use crate::domain::letter::LetterInput;
use crate::domain::newsletter::BOX_CONSENT_VERSION;
use crate::domain::secrets;
use crate::domain::signature::SignatureInput;
use crate::domain::status::HoldReason;
use crate::email::messages::{self, Confirmation};
use crate::i18n::{t, Msg};

/// Where a submission came from, and what the rules that need no database said of it.
#[derive(Debug, Clone)]
pub struct Origin {
    pub address: IpAddr,
    /// The keyed hash of the address's quota key (see `web::client::quota_key`).
    pub client_hash: String,
    /// Held already by the honeypot or the minimum fill time.
    pub hold: Option<HoldReason>,
    /// The slug of the article whose card the form was on ("" for none).
    pub source: String,
    /// The mailing whose link led to the form (hidden field `mailing`), if well formed.
    pub mailing: Option<String>,
    /// The registered partner the form named (id, name), and the page's utm_* values
    /// made harmless (`domain::partner::tracking_value`).
    pub partner: Option<(String, String)>,
    pub utm: [String; 3],
}

/// A signature and its confirmation email, with a fresh link under `base_url`.
pub fn signature(
    petition: &Petition,
    input: &SignatureInput,
    origin: Origin,
    base_url: &str,
    now: NaiveDateTime,
) -> Submission {
    let (token, token_hash) = secrets::new_token();
    let mut signature = NewSignature::new(
        petition,
        input,
        origin.hold,
        origin.client_hash,
        token_hash,
        now,
    );
    if input.show_publicly {
        // Kept with the choice, as the consent's wording is: what exactly they agreed to.
        signature.show_publicly_text = t(Msg::ShowPublicly).to_string();
    }
    let lang = crate::i18n::current();
    signature.language = lang.code().to_string();
    signature.consent_text = crate::organisation::newsletter_box();
    signature.consent_version = BOX_CONSENT_VERSION.to_string();
    if let Some((id, name)) = &origin.partner {
        signature.partner_id = Some(id.clone());
        if input.consent_partner {
            signature.consent_partner = true;
            signature.consent_partner_text =
                crate::i18n::t_with(Msg::ConsentPartner, &[("partner", name)]);
        }
    }
    signature.utm = crate::domain::partner::utm_query(&origin.utm);
    let link = format!("{base_url}{}/signatures/confirm/{token}", lang.prefix());
    let mut email = messages::queued_confirmation(
        lang,
        Confirmation::Signature,
        input.email.as_str(),
        &petition.title,
        input.first_name.as_str(),
        &link,
        now,
    );
    email.signature_id = Some(signature.id.clone());
    Submission {
        signature,
        email,
        source: origin.source,
        mailing: origin.mailing,
        email_domain: input.email.domain().to_string(),
        address: origin.address,
    }
}

/// A letter to the chosen targets, and the token of its link: the confirmation link
/// (platform delivery) or the page of mailto links (mailto delivery, no email).
pub fn letter(
    action: &ContactAction,
    input: &LetterInput,
    origin: Origin,
    base_url: &str,
    now: NaiveDateTime,
) -> (NewLetter, String) {
    let (token, token_hash) = secrets::new_token();
    let mut message = NewMessage::new(action, input, origin.client_hash, token_hash, now);
    let lang = crate::i18n::current();
    message.language = lang.code().to_string();
    message.consent_text = crate::organisation::newsletter_box();
    message.consent_version = BOX_CONSENT_VERSION.to_string();
    if let Some((id, name)) = &origin.partner {
        message.partner_id = Some(id.clone());
        if input.consent_partner {
            message.consent_partner = true;
            message.consent_partner_text =
                crate::i18n::t_with(Msg::ConsentPartner, &[("partner", name)]);
        }
    }
    message.utm = crate::domain::partner::utm_query(&origin.utm);
    let confirmation = (!action.is_mailto()).then(|| {
        let link = format!("{base_url}{}/messages/confirm/{token}", lang.prefix());
        let mut email = messages::queued_confirmation(
            lang,
            Confirmation::Message,
            input.email.as_str(),
            &action.title,
            input.first_name.as_str(),
            &link,
            now,
        );
        email.message_id = Some(message.id.clone());
        email
    });
    let letter = NewLetter {
        message,
        targets: input.targets.clone(),
        confirmation,
        source: origin.source,
        mailing: origin.mailing,
        hold: origin.hold,
        email_domain: input.email.domain().to_string(),
        address: origin.address,
    };
    (letter, token)
}
