//! `HEAD` answers like `GET`, without a body, on every page: link checkers, uptime
//! monitors and share-preview crawlers ask with HEAD, and a 405 or 404 tells them the page
//! is gone. The request is routed as a GET; the server sends the head only (the HTTP/1
//! codec knows the request was HEAD and leaves the body out).

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;

pub async fn as_get(
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    if req.method() == Method::HEAD {
        req.head_mut().method = Method::GET;
    }
    next.call(req).await
}
