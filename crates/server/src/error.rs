//! Errors as the client sees them: a code it can switch on and a message it may show.
//! The internal cause is logged here and never sent.

use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use council_storage::StorageError;
use ecabinet_protocol::{ApiError, ErrorCode};

#[derive(Debug)]
pub struct AppError {
    code: ErrorCode,
    message: String,
    /// Logged, never returned.
    cause: Option<anyhow::Error>,
}

impl AppError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            cause: None,
        }
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

    pub fn internal(cause: anyhow::Error) -> Self {
        Self {
            code: ErrorCode::Internal,
            message: "the server failed to handle this request; the administrator can find details in its log".into(),
            cause: Some(cause),
        }
    }
}

impl From<StorageError> for AppError {
    fn from(e: StorageError) -> Self {
        match e {
            StorageError::NotFound => AppError::new(ErrorCode::NotFound, "no such record"),
            StorageError::Conflict(what) => AppError::new(ErrorCode::Conflict, what),
            StorageError::Backend(cause) => AppError::internal(cause),
        }
    }
}

impl From<JsonRejection> for AppError {
    fn from(rejection: JsonRejection) -> Self {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            return AppError::new(
                ErrorCode::PayloadTooLarge,
                format!(
                    "the request body is larger than {} bytes",
                    ecabinet_protocol::MAX_JSON_BODY_BYTES
                ),
            );
        }
        AppError::new(ErrorCode::MalformedJson, rejection.body_text())
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let Some(cause) = &self.cause {
            tracing::error!(code = ?self.code, "request failed: {cause:#}");
        }
        let status = StatusCode::from_u16(self.code.http_status())
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (status, axum::Json(ApiError::new(self.code, self.message))).into_response()
    }
}

/// `axum::Json`, but a body it cannot read becomes an [`AppError`] with a code.
#[derive(Debug, axum::extract::FromRequest)]
#[from_request(via(axum::Json), rejection(AppError))]
pub struct Json<T>(pub T);

impl<T: serde::Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}
