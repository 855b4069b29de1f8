//! What a contact action's link carries on to its letter form: the country chosen, the
//! article and mailing it came from, the partner and the page's campaign values.

use serde::Deserialize;

use super::AppState;
use crate::domain::newsletter::mailing_ref;
use crate::error::AppError;

#[derive(Deserialize)]
pub struct CountryQuery {
    pub country: Option<String>,
    pub source: Option<String>,
    /// The mailing whose link led here (`?mailing=`), carried to the letter form.
    pub mailing: Option<String>,
    /// The letter as typed, from "Wrong address? Change it" (`web/sent.rs`).
    pub change: Option<String>,
    /// The partner whose link led here, and the page's campaign parameters.
    pub partner: Option<String>,
    utm_source: Option<String>,
    utm_medium: Option<String>,
    utm_campaign: Option<String>,
}

impl CountryQuery {
    pub fn utm(&self) -> [String; 3] {
        [&self.utm_source, &self.utm_medium, &self.utm_campaign]
            .map(|v| crate::domain::partner::tracking_value(v.as_deref().unwrap_or("")))
    }
}

/// What the country form carries on to the letter form: the mailing, the partner's key
/// and the campaign values (each made harmless first).
pub fn carried(mailing: &str, partner: &str, utm: &[String; 3]) -> Vec<(&'static str, String)> {
    let mut carried = Vec::new();
    if let Some(m) = mailing_ref(mailing) {
        carried.push(("mailing", m));
    }
    if crate::domain::slug::Slug::parse(partner).is_ok() {
        carried.push(("partner", partner.to_string()));
    }
    let names = ["utm_source", "utm_medium", "utm_campaign"];
    for (name, value) in names.into_iter().zip(utm) {
        if !value.is_empty() {
            carried.push((name, crate::domain::partner::tracking_value(value)));
        }
    }
    carried
}

/// The registered partner's name, for the choice to share with it.
pub async fn partner_name(state: &AppState, key: &str) -> Result<Option<String>, AppError> {
    Ok(super::petitions::partner_named(state, key)
        .await?
        .map(|p| p.name))
}
