//! Maps every failure of a command to an [`IpcError`] with a code the UI switches on.

use crate::dto::{IpcError, IpcErrorCode};
use ecabinet_sync::SyncError;

impl IpcError {
    pub fn new(code: IpcErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }

    pub fn not_signed_in() -> Self {
        Self::new(
            IpcErrorCode::NotSignedIn,
            "nobody is signed in on this device",
        )
    }
}

impl From<SyncError> for IpcError {
    fn from(e: SyncError) -> Self {
        let code = match &e {
            SyncError::InvalidServerUrl(_) => IpcErrorCode::InvalidServerUrl,
            SyncError::Unreachable(_) | SyncError::Protocol(_) => IpcErrorCode::ServerUnreachable,
            SyncError::InvalidCredentials => IpcErrorCode::InvalidCredentials,
            SyncError::SessionExpired => IpcErrorCode::SessionExpired,
            SyncError::Refused(_) | SyncError::LocalStore(_) => IpcErrorCode::Internal,
        };
        IpcError::new(code, e.to_string())
    }
}

/// Local failures (the store, a panicked task) are logged in full and reported briefly.
impl From<anyhow::Error> for IpcError {
    fn from(e: anyhow::Error) -> Self {
        tracing::error!("command failed: {e:#}");
        IpcError::new(IpcErrorCode::Internal, format!("{e:#}"))
    }
}
