//! Who runs this Clarion: the organisation's name and logo on every page, its sender on
//! every email, and the data controller supporters are told about under every form.
//! Empty until an admin sets it; "Clarion" then stands in for the name.

use super::email::Email;
use super::field_check::{FieldChecks, FieldMessages};

/// The organisation as pages and emails show it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Organisation {
    pub name: String,
    pub description: String,
    pub logo_alt: String,
    pub sender_name: String,
    pub sender_email: String,
    pub controller_name: String,
    pub controller_address: String,
    pub contact_email: String,
    /// The organisation's legal notice (and, until Clarion has one, its privacy notice).
    pub legal_url: String,
    /// Changes whenever the logo does, so its URL changes too; `None`: no logo.
    pub logo_version: Option<i64>,
}

impl Organisation {
    /// The name pages show: the organisation's, or "Clarion" until it is set.
    pub fn display_name(&self) -> &str {
        if self.name.is_empty() {
            "Clarion"
        } else {
            &self.name
        }
    }

    /// What an admin still has to set, in the words of the form's labels.
    pub fn missing(&self) -> Vec<&'static str> {
        [
            (self.name.is_empty(), "the organisation's name"),
            (self.logo_version.is_none(), "a logo"),
            (self.sender_email.is_empty(), "the sender of emails"),
            (
                self.controller_name.is_empty(),
                "the data controller's legal name",
            ),
            (
                self.controller_address.is_empty(),
                "the data controller's postal address",
            ),
            (self.contact_email.is_empty(), "a contact email"),
            (self.legal_url.is_empty(), "a link to the legal notice"),
        ]
        .into_iter()
        .filter_map(|(missing, what)| missing.then_some(what))
        .collect()
    }
}

/// The form's text fields checked: the values to store (the logo comes apart), or every
/// field's message. The name is required; the rest may wait.
pub fn parse(get: impl Fn(&str) -> String) -> Result<Organisation, FieldMessages> {
    let mut c = FieldChecks::default();
    let email = |c: &mut FieldChecks, field: &'static str| {
        let typed = c.line(field, &get(field), false, 254);
        if !typed.is_empty() && Email::parse(&typed).is_err() {
            c.refuse(field, "Enter an email address, like name@example.org");
        }
        typed
    };
    let organisation = Organisation {
        name: c.line("name", &get("name"), true, 200),
        description: c.text("description", &get("description"), false, 500),
        logo_alt: c.line("logo_alt", &get("logo_alt"), false, 200),
        sender_name: c.line("sender_name", &get("sender_name"), false, 100),
        sender_email: email(&mut c, "sender_email"),
        controller_name: c.line("controller_name", &get("controller_name"), false, 200),
        controller_address: c.text("controller_address", &get("controller_address"), false, 500),
        contact_email: email(&mut c, "contact_email"),
        legal_url: c.line("legal_url", &get("legal_url"), false, 500),
        logo_version: None,
    };
    let url = &organisation.legal_url;
    let web_address = url.starts_with("https://") || url.starts_with("http://");
    if !url.is_empty() && !web_address {
        c.refuse("legal_url", "Enter a web address starting with https://");
    }
    // The sender's name goes into a From header: nothing that could break it.
    if organisation.sender_name.contains(['<', '>', '"', '@']) {
        c.refuse(
            "sender_name",
            "The sender's name must not contain < > \" or @",
        );
    }
    c.result(organisation)
}

/// The largest logo accepted.
pub const LOGO_MAX_BYTES: usize = 1024 * 1024;

/// An uploaded logo made safe to serve: a PNG, JPEG or WebP image (never SVG, which can
/// carry scripts), at most [`LOGO_MAX_BYTES`], with its EXIF metadata (where a phone puts
/// the place a photo was taken) removed. Answers the bytes and their media type.
pub fn checked_logo(bytes: Vec<u8>) -> Result<(Vec<u8>, &'static str), &'static str> {
    use img_parts::{DynImage, ImageEXIF as _};
    if bytes.is_empty() {
        return Err("The file is empty");
    }
    if bytes.len() > LOGO_MAX_BYTES {
        return Err("The logo must be 1 MB or smaller");
    }
    let refused = "Choose a PNG, JPEG or WebP image";
    let mut image = match DynImage::from_bytes(bytes.into()) {
        Ok(Some(image)) => image,
        _ => return Err(refused),
    };
    let kind = match &image {
        DynImage::Jpeg(_) => "image/jpeg",
        DynImage::Png(_) => "image/png",
        DynImage::WebP(_) => "image/webp",
    };
    if image.dimensions().is_none_or(|(w, h)| w == 0 || h == 0) {
        return Err(refused);
    }
    image.set_exif(None);
    Ok((image.encoder().bytes().to_vec(), kind))
}
