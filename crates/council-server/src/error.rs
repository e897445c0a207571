//! Errors as the client sees them: a code it can switch on, a message it may show, and the
//! id of the request in the server's log. The internal cause is logged here and never sent.
//!
//! Every answer that is not a success leaves the server through [`finish_errors`]: an
//! [`ServerError`] travels to it as an [`ApiError`] in the response's extensions, and anything
//! else (a rejection axum answered itself) is replaced by `{code, message}` chosen by its
//! status. Handlers take this module's [`Json`], [`Path`] and [`Query`], whose rejections say
//! what was wrong in words for people and leave the parser's text to the log.

use axum::extract::Request;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use council_storage::StorageError;
use ecabinet_protocol::{ApiError, ErrorCode};
use tracing::Instrument;

/// The header that carries a request's id, in every answer.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

#[derive(Debug)]
pub struct ServerError {
    code: ErrorCode,
    message: String,
    /// Logged, never returned.
    cause: Option<anyhow::Error>,
    /// Seconds to wait before trying again (`Retry-After`), for a throttled request.
    retry_after: Option<u64>,
    /// Fields the body carries beside `{code, message, request_id}` (e.g. the rows of a
    /// member list that were refused).
    details: Option<ErrorDetails>,
}

/// Extra fields of an error body, carried to [`finish_errors`] in the response's extensions.
#[derive(Debug, Clone)]
struct ErrorDetails(serde_json::Map<String, serde_json::Value>);

impl ServerError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            cause: None,
            retry_after: None,
            details: None,
        }
    }

    /// Tells the client to wait `seconds` before trying again (`Retry-After`).
    pub fn with_retry_after(mut self, seconds: u64) -> Self {
        self.retry_after = Some(seconds);
        self
    }

    /// Adds the fields of `details` (a struct or map serialising to a JSON object) to the
    /// body beside `code`, `message` and `request_id`.
    pub fn with_details(mut self, details: impl serde::Serialize) -> Self {
        if let Ok(serde_json::Value::Object(mut fields)) = serde_json::to_value(details) {
            for reserved in ["code", "message", "request_id"] {
                fields.remove(reserved);
            }
            self.details = Some(ErrorDetails(fields));
        }
        self
    }

    pub fn code(&self) -> ErrorCode {
        self.code
    }

    pub fn forbidden(what: &str) -> Self {
        Self::new(ErrorCode::Forbidden, format!("your role may not {what}"))
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::BadRequest, message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::NotFound, message)
    }

    pub fn internal(cause: anyhow::Error) -> Self {
        Self::new(
            ErrorCode::Internal,
            "the server failed to handle this request; the administrator can find details in its log under the request id",
        )
        .with_cause(cause)
    }

    /// Keeps `cause` for the log; the client still reads only the code and message.
    pub fn with_cause(mut self, cause: anyhow::Error) -> Self {
        self.cause = Some(cause);
        self
    }
}

/// A lookup of something the request named: missing is the client's `missing` answer (a 4xx
/// in the caller's words), anything else is the server's failure (500 `internal`).
pub fn missing_or_internal(
    error: StorageError,
    missing: impl FnOnce() -> ServerError,
) -> ServerError {
    match error {
        StorageError::NotFound => missing(),
        other => other.into(),
    }
}

impl From<StorageError> for ServerError {
    fn from(e: StorageError) -> Self {
        match e {
            StorageError::NotFound => ServerError::not_found("no such record"),
            // The database's own words name tables and constraints: for the log only.
            StorageError::Conflict(what) => ServerError::new(
                ErrorCode::Conflict,
                "this would duplicate something that already exists; reload and try again",
            )
            .with_cause(anyhow::anyhow!("storage conflict: {what}")),
            StorageError::Backend(cause) => ServerError::internal(cause),
        }
    }
}

impl From<JsonRejection> for ServerError {
    fn from(rejection: JsonRejection) -> Self {
        let detail = anyhow::anyhow!("request body refused: {}", rejection.body_text());
        let error = match rejection {
            JsonRejection::MissingJsonContentType(_) => ServerError::new(
                ErrorCode::UnsupportedMediaType,
                "send the request body as JSON, with the header Content-Type: application/json",
            ),
            JsonRejection::JsonSyntaxError(_) => ServerError::new(
                ErrorCode::MalformedJson,
                "the request body is not valid JSON",
            ),
            JsonRejection::JsonDataError(_) => ServerError::new(
                ErrorCode::MalformedJson,
                "the request body lacks a field this request needs, or a field has the wrong type",
            ),
            rejection if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => ServerError::new(
                ErrorCode::PayloadTooLarge,
                format!(
                    "the request body is larger than {} bytes",
                    ecabinet_protocol::MAX_JSON_BODY_BYTES
                ),
            ),
            _ => ServerError::new(
                ErrorCode::MalformedJson,
                "the request body could not be read; send it again",
            ),
        };
        error.with_cause(detail)
    }
}

impl From<PathRejection> for ServerError {
    fn from(rejection: PathRejection) -> Self {
        ServerError::bad_request(
            "the address names a record by an id that is not valid (ids are UUIDs)",
        )
        .with_cause(anyhow::anyhow!("path refused: {}", rejection.body_text()))
    }
}

impl From<QueryRejection> for ServerError {
    fn from(rejection: QueryRejection) -> Self {
        ServerError::bad_request(
            "a parameter after the ? in the address is missing or not a valid value",
        )
        .with_cause(anyhow::anyhow!("query refused: {}", rejection.body_text()))
    }
}

impl IntoResponse for ServerError {
    fn into_response(self) -> Response {
        match &self.cause {
            Some(cause) if self.code == ErrorCode::Internal => {
                tracing::error!(code = ?self.code, "request failed: {cause:#}");
            }
            Some(cause) => tracing::info!(code = ?self.code, "request refused: {cause:#}"),
            None => tracing::debug!(code = ?self.code, "request refused: {}", self.message),
        }
        let mut response = error_response(ApiError::new(self.code, self.message));
        if let Some(seconds) = self.retry_after
            && let Ok(value) = HeaderValue::from_str(&seconds.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        if let Some(details) = self.details {
            response.extensions_mut().insert(details);
        }
        response
    }
}

fn status_of(code: ErrorCode) -> StatusCode {
    StatusCode::from_u16(code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

/// The answer for an error; [`finish_errors`] adds the request id to its body.
fn error_response(error: ApiError) -> Response {
    let mut response = (status_of(error.code), axum::Json(error.clone())).into_response();
    response.extensions_mut().insert(error);
    response
}

/// What to tell the client for an error response axum made itself (a route without this
/// method, a WebSocket route asked without an upgrade...), by its status.
fn error_for_status(status: StatusCode) -> ApiError {
    let (code, message) = match status {
        StatusCode::NOT_FOUND => (ErrorCode::NotFound, "no such endpoint"),
        StatusCode::METHOD_NOT_ALLOWED => (
            ErrorCode::MethodNotAllowed,
            "this address does not answer this method; the Allow header lists the ones it does",
        ),
        StatusCode::PAYLOAD_TOO_LARGE => (
            ErrorCode::PayloadTooLarge,
            "the request body is larger than the server accepts",
        ),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => (
            ErrorCode::UnsupportedMediaType,
            "the request body is not of a type this address reads",
        ),
        StatusCode::RANGE_NOT_SATISFIABLE => (
            ErrorCode::RangeNotSatisfiable,
            "the requested byte range lies outside the file; the Content-Range header gives its length",
        ),
        StatusCode::UPGRADE_REQUIRED => (
            ErrorCode::UpgradeRequired,
            "this address serves a WebSocket; connect to it with a WebSocket client",
        ),
        StatusCode::UNAUTHORIZED => (
            ErrorCode::Unauthenticated,
            "this request needs a bearer token: log in first",
        ),
        StatusCode::FORBIDDEN => (ErrorCode::Forbidden, "you may not do this"),
        StatusCode::CONFLICT => (
            ErrorCode::Conflict,
            "this conflicts with the current state; reload and try again",
        ),
        s if s.is_server_error() => (
            ErrorCode::Internal,
            "the server failed to handle this request; the administrator can find details in its log under the request id",
        ),
        _ => (
            ErrorCode::BadRequest,
            "the server could not use this request",
        ),
    };
    ApiError::new(code, message)
}

/// The outermost layer: gives each request an id (a fresh UUID, never one a client sent),
/// logs everything the request causes in a span with that id, answers the id in the
/// `x-request-id` header, and makes sure every error answer is `{code, message,
/// request_id}` JSON.
pub async fn finish_errors(request: Request, next: Next) -> Response {
    let id = uuid::Uuid::new_v4().to_string();
    let span = tracing::info_span!(
        "request",
        request_id = %id,
        method = %request.method(),
        path = %request.uri().path(),
    );
    let mut response = next.run(request).instrument(span.clone()).await;
    let status = response.status();
    if status.is_client_error() || status.is_server_error() {
        let mut error = match response.extensions_mut().remove::<ApiError>() {
            Some(error) => error,
            None => {
                let _entered = span.enter();
                tracing::info!(%status, "answered by the framework; replaced by a JSON error");
                error_for_status(status)
            }
        };
        error.request_id = Some(id.clone());
        let details = response.extensions_mut().remove::<ErrorDetails>();
        let (mut parts, _) = response.into_parts();
        parts.headers.remove(header::CONTENT_LENGTH);
        let mut json = serde_json::to_value(&error).unwrap_or_default();
        if let (Some(ErrorDetails(fields)), serde_json::Value::Object(body)) = (details, &mut json)
        {
            body.extend(fields);
        }
        let body = serde_json::to_vec(&json).unwrap_or_default();
        parts.headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        response = Response::from_parts(parts, axum::body::Body::from(body));
    }
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID_HEADER, value);
    }
    response
}

/// `axum::Json`, but a body it cannot read becomes an [`ServerError`] with a code.
#[derive(Debug, axum::extract::FromRequest)]
#[from_request(via(axum::Json), rejection(ServerError))]
pub struct Json<T>(pub T);

impl<T: serde::Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

/// `axum::extract::Path`, but a malformed id becomes a `bad_request` without parser text.
#[derive(Debug, axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ServerError))]
pub struct Path<T>(pub T);

/// `axum::extract::Query`, but a bad parameter becomes a `bad_request` without parser text.
#[derive(Debug, axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ServerError))]
pub struct Query<T>(pub T);
