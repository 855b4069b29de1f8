//! Staff form posts: read strictly (as public forms are) and refused with 403 unless they
//! carry this session's CSRF token. Taking this extractor is the only way an admin
//! handler reads a form, so no handler can forget the check.

use std::future::Future;
use std::pin::Pin;

use actix_session::SessionExt as _;
use actix_web::dev::Payload;
use actix_web::web::Bytes;
use actix_web::{FromRequest, HttpRequest};

use super::auth;
use crate::domain::secrets::token_hash;
use crate::error::AppError;
use crate::web::form;

pub struct StaffForm {
    pairs: Vec<(String, String)>,
}

impl StaffForm {
    /// The first value of `name`, or "" when absent.
    pub fn get(&self, name: &str) -> &str {
        self.pairs
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Every value of `name` (ticked checkboxes sharing a name), in order.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.pairs
            .iter()
            .filter(move |(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

impl FromRequest for StaffForm {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let body = Bytes::from_request(req, payload);
        let req = req.clone();
        Box::pin(async move {
            let body = body.await?;
            let pairs = form::parse(&req, &body)?;
            let sent = pairs
                .iter()
                .find(|(n, _)| n == "csrf")
                .map_or("", |(_, v)| v.as_str());
            check_csrf(&req, sent)?;
            Ok(Self { pairs })
        })
    }
}

/// Refuses a staff post whose `csrf` field is not this session's token (uploads call this
/// directly; forms through [`StaffForm`]).
pub fn check_csrf(req: &HttpRequest, sent: &str) -> Result<(), AppError> {
    let expected = auth::csrf_of(&req.get_session()).ok_or(AppError::Csrf)?;
    // Compare digests, so the comparison's time says nothing about the token.
    if sent.is_empty() || token_hash(sent) != token_hash(&expected) {
        return Err(AppError::Csrf);
    }
    Ok(())
}
