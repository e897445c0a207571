//! Maps every failure of a command to an [`IpcError`] with a code the UI switches on.

use crate::dto::{IpcError, IpcErrorCode};
use ecabinet_pdf::PdfError;
use ecabinet_protocol::ErrorCode;
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
            SyncError::Refused(refusal) => return refused(refusal.code, &refusal.message),
            SyncError::LocalStore(_) => IpcErrorCode::Internal,
        };
        IpcError::new(code, e.to_string())
    }
}

/// A refusal the store kept by its code's wire name (an annotation write the server
/// refused), under the code the UI shows it by.
pub(crate) fn server_refusal(code: &str, message: &str) -> IpcError {
    match serde_json::from_value::<ErrorCode>(serde_json::Value::String(code.to_owned())) {
        Ok(code) => refused(code, message),
        Err(_) => IpcError::new(IpcErrorCode::Internal, message),
    }
}

/// The server's refusal, under the code the UI shows it by. The server's message (English,
/// naming the specifics) travels along for the log and for details the UI cannot know.
pub(crate) fn refused(code: ErrorCode, message: &str) -> IpcError {
    let code = match code {
        ErrorCode::BadRequest | ErrorCode::MalformedJson => IpcErrorCode::BadRequest,
        ErrorCode::PayloadTooLarge => IpcErrorCode::PayloadTooLarge,
        ErrorCode::Unauthenticated | ErrorCode::SessionExpired => IpcErrorCode::SessionExpired,
        ErrorCode::InvalidCredentials => IpcErrorCode::InvalidCredentials,
        ErrorCode::Forbidden => IpcErrorCode::Forbidden,
        ErrorCode::NotFound => IpcErrorCode::NotFound,
        ErrorCode::Conflict => IpcErrorCode::Conflict,
        ErrorCode::HashMismatch => IpcErrorCode::HashMismatch,
        ErrorCode::PdfEmpty => IpcErrorCode::PdfEmpty,
        ErrorCode::NotAPdf => IpcErrorCode::NotAPdf,
        ErrorCode::PdfCorrupt => IpcErrorCode::PdfCorrupt,
        ErrorCode::PdfPasswordProtected => IpcErrorCode::PdfPasswordProtected,
        ErrorCode::PdfRestricted => IpcErrorCode::PdfRestricted,
        ErrorCode::PublishConflict => IpcErrorCode::PublishConflict,
        ErrorCode::PapersNotApproved => IpcErrorCode::PapersNotApproved,
        ErrorCode::NothingToPublish => IpcErrorCode::NothingToPublish,
        ErrorCode::ReviewChanged => IpcErrorCode::ReviewChanged,
        ErrorCode::ApprovalPublished => IpcErrorCode::ApprovalPublished,
        ErrorCode::TooManyAttempts => IpcErrorCode::TooManyAttempts,
        ErrorCode::PasswordChangeRequired => IpcErrorCode::PasswordChangeRequired,
        ErrorCode::PasswordTooShort => IpcErrorCode::PasswordTooShort,
        ErrorCode::PasswordContainsUserName => IpcErrorCode::PasswordContainsUserName,
        ErrorCode::PasswordTooCommon => IpcErrorCode::PasswordTooCommon,
        ErrorCode::WrongCurrentPassword => IpcErrorCode::WrongCurrentPassword,
        ErrorCode::UsernameTaken => IpcErrorCode::UsernameTaken,
        ErrorCode::ImportRejected => IpcErrorCode::ImportRejected,
        ErrorCode::OwnUpload => IpcErrorCode::OwnUpload,
        ErrorCode::SittingClosed => IpcErrorCode::SittingClosed,
        ErrorCode::SittingNotOpen => IpcErrorCode::SittingNotOpen,
        ErrorCode::RemoteNotAllowed => IpcErrorCode::RemoteNotAllowed,
        ErrorCode::NotCheckedIn => IpcErrorCode::NotCheckedIn,
        ErrorCode::RequestGone => IpcErrorCode::RequestGone,
        ErrorCode::PollNotOpen => IpcErrorCode::PollNotOpen,
        ErrorCode::PollClosed => IpcErrorCode::PollClosed,
        ErrorCode::PollCancelled => IpcErrorCode::PollCancelled,
        ErrorCode::NotEntitled => IpcErrorCode::NotEntitled,
        ErrorCode::AlreadyVoted => IpcErrorCode::AlreadyVoted,
        ErrorCode::BallotNotCurrent => IpcErrorCode::BallotNotCurrent,
        ErrorCode::NobodyPresent => IpcErrorCode::NobodyPresent,
        ErrorCode::TooManyMessages => IpcErrorCode::TooManyMessages,
        ErrorCode::MessageTooLong => IpcErrorCode::MessageTooLong,
        ErrorCode::MessageDeleted => IpcErrorCode::MessageDeleted,
        // The app never sends these: a server that answers them met a bug of the app's.
        ErrorCode::MethodNotAllowed
        | ErrorCode::UnsupportedMediaType
        | ErrorCode::UpgradeRequired
        | ErrorCode::RangeNotSatisfiable
        | ErrorCode::Internal => IpcErrorCode::Internal,
    };
    IpcError::new(code, message)
}

/// A PDF this device could not use, under the same codes the server refuses uploads with,
/// so a secretary reads one message whether the file was refused here or there.
impl From<PdfError> for IpcError {
    fn from(e: PdfError) -> Self {
        let code = match &e {
            PdfError::EngineUnavailable { .. } => IpcErrorCode::PdfEngineUnavailable,
            PdfError::Io { .. } => IpcErrorCode::FileUnreadable,
            PdfError::EmptyFile => IpcErrorCode::PdfEmpty,
            PdfError::NotAPdf => IpcErrorCode::NotAPdf,
            PdfError::PasswordRequired => IpcErrorCode::PdfPasswordProtected,
            PdfError::UnsupportedSecurity => IpcErrorCode::PdfUnsupportedSecurity,
            PdfError::WrongPassword => IpcErrorCode::PdfWrongPassword,
            PdfError::FileTooLarge { .. } => IpcErrorCode::PayloadTooLarge,
            PdfError::PageTooLarge { .. } => IpcErrorCode::PageTooLarge,
            PdfError::PageOutOfRange { .. } => IpcErrorCode::NotFound,
            // A file that crashes or hangs PDFium is as good as damaged to its reader.
            PdfError::Corrupt { .. }
            | PdfError::EngineFailure { .. }
            | PdfError::EngineCrashed { .. }
            | PdfError::TimedOut { .. } => IpcErrorCode::PdfCorrupt,
            PdfError::WorkerUnavailable { .. } => IpcErrorCode::PdfEngineUnavailable,
            PdfError::DocumentChanged => IpcErrorCode::FileUnreadable,
            PdfError::InvalidDpi { .. } | PdfError::InvalidWidth { .. } => IpcErrorCode::Internal,
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

/// The search index is local derived data: any failure of it is ours, not the user's.
impl From<ecabinet_search::SearchError> for IpcError {
    fn from(e: ecabinet_search::SearchError) -> Self {
        IpcError::from(anyhow::Error::new(e).context("using the search index"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_password_lock_makes_the_reader_ask_for_a_password() {
        let code = |e: PdfError| IpcError::from(e).code;
        assert_eq!(
            code(PdfError::PasswordRequired),
            IpcErrorCode::PdfPasswordProtected
        );
        assert_eq!(
            code(PdfError::WrongPassword),
            IpcErrorCode::PdfWrongPassword
        );
        // A certificate-locked file would otherwise loop in the password dialog.
        assert_eq!(
            code(PdfError::UnsupportedSecurity),
            IpcErrorCode::PdfUnsupportedSecurity
        );
    }
}
