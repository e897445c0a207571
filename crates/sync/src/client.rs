//! The council server's HTTP API, as the app calls it.

use ecabinet_protocol::{
    API_PREFIX, ApiError, ChangesPage, ErrorCode, LoginRequest, LoginResponse,
};
use std::time::Duration;

/// Why talking to the server failed, sorted by what the app should do about it.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("the server address {0:?} is not a valid http:// or https:// address")]
    InvalidServerUrl(String),
    /// No answer: offline, wrong address, server down. Retry later.
    #[error("cannot reach the council server: {0}")]
    Unreachable(String),
    #[error("the user name or the password is wrong")]
    InvalidCredentials,
    /// The token expired or was revoked: the user must log in again.
    #[error("the session has expired or was ended")]
    SessionExpired,
    /// The server answered with an error the app does not handle specially.
    #[error("the server refused: {0}")]
    Refused(ApiError),
    /// The server answered something that is not our protocol (wrong address? proxy?).
    #[error("unexpected answer from the server: {0}")]
    Protocol(String),
    /// Pulled changes could not be written here (disk full, store damaged); retried later.
    #[error("the local store could not be updated: {0}")]
    LocalStore(String),
}

/// A client of one council server.
#[derive(Debug, Clone)]
pub struct CouncilClient {
    http: reqwest::Client,
    base: reqwest::Url,
}

impl CouncilClient {
    pub fn new(server_url: &str) -> Result<Self, SyncError> {
        let invalid = || SyncError::InvalidServerUrl(server_url.to_owned());
        let base = reqwest::Url::parse(server_url.trim()).map_err(|_| invalid())?;
        if !matches!(base.scheme(), "http" | "https") || base.host().is_none() {
            return Err(invalid());
        }
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(30))
            .build()
            .map_err(|e| SyncError::Protocol(format!("building HTTP client: {e}")))?;
        Ok(Self { http, base })
    }

    /// The server address as given, normalised (what the store remembers).
    pub fn server_url(&self) -> String {
        self.base.as_str().trim_end_matches('/').to_owned()
    }

    fn url(&self, path: &str) -> reqwest::Url {
        let mut url = self.base.clone();
        url.set_path(&format!(
            "{}{API_PREFIX}{path}",
            self.base.path().trim_end_matches('/')
        ));
        url
    }

    /// The live WebSocket's address (ws:// or wss://).
    pub fn live_url(&self) -> String {
        let url = self.url("/live");
        let scheme = if url.scheme() == "https" { "wss" } else { "ws" };
        format!("{scheme}{}", &url.as_str()[url.scheme().len()..])
    }

    pub async fn login(&self, username: &str, password: &str) -> Result<LoginResponse, SyncError> {
        let request = LoginRequest {
            username: username.to_owned(),
            password: password.to_owned(),
        };
        let response = self
            .http
            .post(self.url("/auth/login"))
            .json(&request)
            .send()
            .await;
        decode(response).await
    }

    /// Revokes the token on the server. Best effort: offline logout still forgets it locally.
    pub async fn logout(&self, token: &str) -> Result<(), SyncError> {
        let response = self
            .http
            .post(self.url("/auth/logout"))
            .bearer_auth(token)
            .send()
            .await;
        let response = response.map_err(unreachable)?;
        if response.status().is_success() {
            Ok(())
        } else {
            Err(error_of(response).await)
        }
    }

    pub async fn changes(&self, token: &str, after: i64) -> Result<ChangesPage, SyncError> {
        let response = self
            .http
            .get(self.url("/sync/changes"))
            .bearer_auth(token)
            .query(&[("after", after)])
            .send()
            .await;
        decode(response).await
    }
}

fn unreachable(e: reqwest::Error) -> SyncError {
    // reqwest's Display hides the cause ("error sending request"); the source says why.
    let mut reason = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        reason = format!("{reason}: {s}");
        source = s.source();
    }
    SyncError::Unreachable(reason)
}

async fn decode<T: serde::de::DeserializeOwned>(
    response: Result<reqwest::Response, reqwest::Error>,
) -> Result<T, SyncError> {
    let response = response.map_err(unreachable)?;
    if !response.status().is_success() {
        return Err(error_of(response).await);
    }
    response
        .json::<T>()
        .await
        .map_err(|e| SyncError::Protocol(e.to_string()))
}

async fn error_of(response: reqwest::Response) -> SyncError {
    let status = response.status();
    match response.json::<ApiError>().await {
        Ok(e) if e.code == ErrorCode::InvalidCredentials => SyncError::InvalidCredentials,
        Ok(e)
            if matches!(
                e.code,
                ErrorCode::SessionExpired | ErrorCode::Unauthenticated
            ) =>
        {
            SyncError::SessionExpired
        }
        Ok(e) => SyncError::Refused(e),
        Err(_) => SyncError::Protocol(format!("HTTP {status} without an eCabinet error body")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_addresses_are_checked_and_normalised() {
        assert!(matches!(
            CouncilClient::new("ftp://x"),
            Err(SyncError::InvalidServerUrl(_))
        ));
        assert!(matches!(
            CouncilClient::new("not a url"),
            Err(SyncError::InvalidServerUrl(_))
        ));
        let c = CouncilClient::new("http://127.0.0.1:8470/").unwrap();
        assert_eq!(c.server_url(), "http://127.0.0.1:8470");
        assert_eq!(c.live_url(), "ws://127.0.0.1:8470/api/v1/live");
        let c = CouncilClient::new("https://hdnd.example.vn/council/").unwrap();
        assert_eq!(
            c.live_url(),
            "wss://hdnd.example.vn/council/api/v1/live",
            "a path prefix (reverse proxy) is kept"
        );
    }
}
