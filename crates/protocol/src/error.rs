use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What went wrong, as a code the app switches on. Messages are for people and may be
/// reworded or translated; codes are forever.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The request is well-formed JSON but breaks a rule (empty title, unknown parent...).
    BadRequest,
    /// The body is not valid JSON for this endpoint.
    MalformedJson,
    /// The body is larger than the server accepts.
    PayloadTooLarge,
    /// No bearer token was sent.
    Unauthenticated,
    /// Unknown user or wrong password (deliberately not told apart).
    InvalidCredentials,
    /// The token expired or was revoked: log in again.
    SessionExpired,
    /// Authenticated, but this role may not do this.
    Forbidden,
    NotFound,
    Conflict,
    /// An uploaded file's bytes do not hash to the name it was sent under.
    HashMismatch,
    /// An uploaded paper is an empty file.
    PdfEmpty,
    /// An uploaded paper is not a PDF at all.
    NotAPdf,
    /// An uploaded paper is a damaged PDF.
    PdfCorrupt,
    /// An uploaded paper needs a password to open: delegates could not read it.
    PdfPasswordProtected,
    /// An uploaded paper forbids printing or copying: council papers must be usable freely.
    PdfRestricted,
    /// Someone else published a packet version first; look at it and publish again.
    PublishConflict,
    /// Papers of the meeting still await approval, so nothing is published.
    PapersNotApproved,
    /// Nothing changed since the last packet version.
    NothingToPublish,
    /// The paper's review is not in the state this act needs (approved meanwhile, say, or
    /// returned): look at the paper again.
    ReviewChanged,
    /// The approval was published in a packet version already and cannot be withdrawn; a
    /// change goes through a new file.
    ApprovalPublished,
    /// The address exists, but not for this method (`GET` where only `PUT` is served...).
    MethodNotAllowed,
    /// The body is not sent as the type this endpoint reads (JSON without
    /// `Content-Type: application/json`).
    UnsupportedMediaType,
    /// The address serves a WebSocket, and the request did not ask to upgrade to one.
    UpgradeRequired,
    /// A byte range that lies outside the file.
    RangeNotSatisfiable,
    /// Four eyes: the member who uploaded a paper's current revision may not approve it;
    /// another member with the right to approve does.
    OwnUpload,
    // --- Accounts and logins ---------------------------------------------------------
    /// Too many failed logins for this user name or from this address: wait `Retry-After`
    /// seconds. Told the same whether the account exists or not.
    TooManyAttempts,
    /// An administrator set this account's password: change it before anything else.
    PasswordChangeRequired,
    /// A new password is shorter than the policy allows.
    PasswordTooShort,
    /// A new password contains the user name.
    PasswordContainsUserName,
    /// A new password is one everyone tries first.
    PasswordTooCommon,
    /// The current password given to change it is wrong.
    WrongCurrentPassword,
    /// Another account already has this user name (user names are unique server-wide).
    UsernameTaken,
    /// A member list to import has rows with errors; nothing was imported.
    ImportRejected,
    // --- The live sitting ---------------------------------------------------------
    /// The sitting is closed: nothing more is recorded.
    SittingClosed,
    /// The sitting is not open (not yet opened, or paused) for this act.
    SittingNotOpen,
    /// This sitting takes check-ins in the chamber only.
    RemoteNotAllowed,
    /// Check in before asking for the floor.
    NotCheckedIn,
    /// The request for the floor is no longer on the list (withdrawn or granted meanwhile).
    RequestGone,
    // --- Polls -----------------------------------------------------------------------
    /// The poll is a draft: not open for ballots yet.
    PollNotOpen,
    /// The poll is closed (by the chair or its countdown): no more ballots.
    PollClosed,
    /// The poll was cancelled.
    PollCancelled,
    /// Only the voting members checked in when the poll opened vote in it.
    NotEntitled,
    /// The voter has voted already, and the poll does not take a change (or this device
    /// does not hold the ballot).
    AlreadyVoted,
    /// A change names a ballot that is no longer the voter's current one.
    BallotNotCurrent,
    /// No voting member is checked in, so a poll cannot open.
    NobodyPresent,
    // --- Chat ------------------------------------------------------------------------
    /// The sender is over the rate of messages: wait `Retry-After` seconds.
    TooManyMessages,
    /// A message is longer than a message may be.
    MessageTooLong,
    /// The message was deleted: it is not edited or deleted again.
    MessageDeleted,
    /// Something failed inside the server; details are in its log.
    Internal,
}

impl ErrorCode {
    /// The code as the wire spells it (`"poll_closed"`), for a store that keeps a refusal.
    pub fn wire_name(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_else(|| "internal".into())
    }

    pub fn http_status(self) -> u16 {
        match self {
            ErrorCode::BadRequest
            | ErrorCode::MalformedJson
            | ErrorCode::HashMismatch
            | ErrorCode::PdfEmpty
            | ErrorCode::NotAPdf
            | ErrorCode::PdfCorrupt
            | ErrorCode::PdfPasswordProtected
            | ErrorCode::PdfRestricted
            | ErrorCode::PasswordTooShort
            | ErrorCode::PasswordContainsUserName
            | ErrorCode::PasswordTooCommon
            | ErrorCode::WrongCurrentPassword => 400,
            ErrorCode::Unauthenticated
            | ErrorCode::InvalidCredentials
            | ErrorCode::SessionExpired => 401,
            ErrorCode::Forbidden
            | ErrorCode::OwnUpload
            | ErrorCode::PasswordChangeRequired
            | ErrorCode::RemoteNotAllowed
            | ErrorCode::NotEntitled => 403,
            ErrorCode::MethodNotAllowed => 405,
            ErrorCode::UnsupportedMediaType => 415,
            ErrorCode::RangeNotSatisfiable => 416,
            ErrorCode::UpgradeRequired => 426,
            ErrorCode::NotFound => 404,
            ErrorCode::Conflict
            | ErrorCode::PublishConflict
            | ErrorCode::ReviewChanged
            | ErrorCode::ApprovalPublished
            | ErrorCode::UsernameTaken
            | ErrorCode::SittingClosed
            | ErrorCode::SittingNotOpen
            | ErrorCode::NotCheckedIn
            | ErrorCode::RequestGone
            | ErrorCode::PollNotOpen
            | ErrorCode::PollClosed
            | ErrorCode::PollCancelled
            | ErrorCode::AlreadyVoted
            | ErrorCode::BallotNotCurrent
            | ErrorCode::NobodyPresent
            | ErrorCode::MessageDeleted => 409,
            ErrorCode::PapersNotApproved
            | ErrorCode::NothingToPublish
            | ErrorCode::ImportRejected => 422,
            ErrorCode::TooManyAttempts | ErrorCode::TooManyMessages => 429,
            ErrorCode::PayloadTooLarge | ErrorCode::MessageTooLong => 413,
            ErrorCode::Internal => 500,
        }
    }
}

/// The body of every error response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
    /// The id the server logged this request under (also its `x-request-id` header): what
    /// an administrator searches the log for. Absent in answers of older servers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            request_id: None,
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}: {}", self.code, self.message)
    }
}

impl std::error::Error for ApiError {}

impl From<ecabinet_domain::PasswordRefusal> for ErrorCode {
    fn from(refusal: ecabinet_domain::PasswordRefusal) -> Self {
        use ecabinet_domain::PasswordRefusal;
        match refusal {
            PasswordRefusal::TooShort => ErrorCode::PasswordTooShort,
            PasswordRefusal::ContainsUserName => ErrorCode::PasswordContainsUserName,
            PasswordRefusal::TooCommon => ErrorCode::PasswordTooCommon,
        }
    }
}

impl From<ecabinet_domain::sitting::SittingRefusal> for ErrorCode {
    fn from(refusal: ecabinet_domain::sitting::SittingRefusal) -> Self {
        use ecabinet_domain::sitting::SittingRefusal as R;
        match refusal {
            R::NotParticipant
            | R::NotChair
            | R::NotSecretariat
            | R::MayNotSpeak
            | R::NotPresenter => ErrorCode::Forbidden,
            R::RemoteNotAllowed => ErrorCode::RemoteNotAllowed,
            R::Closed => ErrorCode::SittingClosed,
            R::NotOpen => ErrorCode::SittingNotOpen,
            R::NotPresent => ErrorCode::NotCheckedIn,
            R::NoSuchRequest => ErrorCode::RequestGone,
            R::NotPaused | R::AlreadyOpened | R::NoCurrentItem | R::NoSpeech => ErrorCode::Conflict,
            R::NoSuchItem | R::NoSuchPage | R::NoSuchPaper | R::BadSpeechTime | R::BadRules => {
                ErrorCode::BadRequest
            }
        }
    }
}

impl From<ecabinet_domain::poll::PollRefusal> for ErrorCode {
    fn from(refusal: ecabinet_domain::poll::PollRefusal) -> Self {
        use ecabinet_domain::poll::PollRefusal as R;
        match refusal {
            R::NotSecretariat | R::NotChair => ErrorCode::Forbidden,
            R::NotDraft | R::NotClosed | R::Final => ErrorCode::Conflict,
            R::NotOpen => ErrorCode::PollNotOpen,
            R::SittingNotOpen => ErrorCode::SittingNotOpen,
            R::NobodyPresent => ErrorCode::NobodyPresent,
            R::NoSuchItem | R::BadTitle | R::BadOptions | R::BadCountdown => ErrorCode::BadRequest,
        }
    }
}

impl From<ecabinet_domain::poll::BallotRefusal> for ErrorCode {
    fn from(refusal: ecabinet_domain::poll::BallotRefusal) -> Self {
        use ecabinet_domain::poll::BallotRefusal as R;
        match refusal {
            R::NotOpen => ErrorCode::PollNotOpen,
            R::Closed => ErrorCode::PollClosed,
            R::Cancelled => ErrorCode::PollCancelled,
            R::NotEntitled => ErrorCode::NotEntitled,
            R::AlreadyVoted => ErrorCode::AlreadyVoted,
            R::NotCurrent => ErrorCode::BallotNotCurrent,
            R::Conflict => ErrorCode::Conflict,
            R::NoSuchOption | R::TooManyChoices => ErrorCode::BadRequest,
        }
    }
}

impl From<ecabinet_domain::chat::ChatRefusal> for ErrorCode {
    fn from(refusal: ecabinet_domain::chat::ChatRefusal) -> Self {
        use ecabinet_domain::chat::ChatRefusal as R;
        match refusal {
            // A conversation the caller is not in does not exist for them.
            R::NotMember => ErrorCode::NotFound,
            R::NotSecretariat | R::NotOwner | R::NotAuthor => ErrorCode::Forbidden,
            R::Deleted => ErrorCode::MessageDeleted,
            R::BodyTooLong => ErrorCode::MessageTooLong,
            R::TooFast { .. } => ErrorCode::TooManyMessages,
            R::EmptyBody | R::NulCharacter | R::WithSelf | R::BadTitle | R::TooManyMembers => {
                ErrorCode::BadRequest
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_of_an_older_server_without_a_request_id_still_parses() {
        let old: ApiError =
            serde_json::from_str(r#"{"code":"not_found","message":"no such record"}"#).unwrap();
        assert_eq!(old, ApiError::new(ErrorCode::NotFound, "no such record"));
        assert_eq!(
            serde_json::to_string(&old).unwrap(),
            r#"{"code":"not_found","message":"no such record"}"#,
            "an error without an id says nothing about one"
        );
    }
}
