//! `/privacy` (and `/fr/privacy`, `/km/privacy`): what is kept and for how long, from the
//! running settings, so that it cannot say what the site does not do.

use actix_web::web;
use maud::Markup;

use super::AppState;
use crate::error::AppError;

pub async fn show(state: web::Data<AppState>) -> Result<Markup, AppError> {
    let exempt = state.db(crate::db::retention::exempt_titles).await?;
    Ok(crate::views::privacy::page(&exempt))
}
