//! Logging in and out.

use super::ApiResult;
use crate::AppState;
use crate::auth::{self, Caller};
use crate::error::{AppError, Json};
use axum::extract::State;
use axum::http::StatusCode;
use council_storage::NewSession;
use ecabinet_protocol::{ApiError, ErrorCode, LoginRequest, LoginResponse, WhoAmI};

/// Exchanges a user name and password for a bearer token.
#[utoipa::path(
    post, path = "/api/v1/auth/login", tag = "session",
    request_body = LoginRequest,
    responses(
        (status = 200, body = LoginResponse),
        (status = 401, description = "unknown user or wrong password (`invalid_credentials`)", body = ApiError),
        (status = 400, body = ApiError), (status = 413, body = ApiError),
    )
)]
pub async fn login(
    State(state): State<AppState>,
    Json(req): Json<LoginRequest>,
) -> ApiResult<LoginResponse> {
    let account = state
        .storage
        .account_by_username(req.username.trim())
        .await?;
    // Argon2 is deliberately slow: keep it off the async workers.
    let stored = account.as_ref().map(|a| a.password_hash.clone());
    let password = req.password;
    let verified =
        tokio::task::spawn_blocking(move || auth::verify_password(&password, stored.as_deref()))
            .await
            .map_err(|e| AppError::internal(e.into()))?;
    let Some(account) = account.filter(|_| verified) else {
        return Err(AppError::new(
            ErrorCode::InvalidCredentials,
            "the user name or the password is wrong",
        ));
    };
    let now = state.clock.now();
    let token = auth::new_token(&mut rand::rng());
    let expires_at = now.plus_millis(state.session_ttl_ms);
    state
        .storage
        .create_session(NewSession {
            token_hash: auth::token_hash(&token),
            member_id: account.member.id,
            created_at: now,
            expires_at,
        })
        .await?;
    let council = state.storage.council(account.member.council_id).await?;
    tracing::info!(user = %account.member.username, "logged in");
    Ok(Json(LoginResponse {
        token,
        expires_at,
        member: account.member,
        council,
    }))
}

/// Ends the caller's session: its token is refused from now on.
#[utoipa::path(
    post, path = "/api/v1/auth/logout", tag = "session", security(("bearer" = [])),
    responses((status = 204), (status = 401, body = ApiError))
)]
pub async fn logout(State(state): State<AppState>, caller: Caller) -> Result<StatusCode, AppError> {
    state
        .storage
        .revoke_session(&caller.token_hash, state.clock.now())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The caller and their council.
#[utoipa::path(
    get, path = "/api/v1/auth/me", tag = "session", security(("bearer" = [])),
    responses((status = 200, body = WhoAmI), (status = 401, body = ApiError))
)]
pub async fn who_am_i(State(state): State<AppState>, caller: Caller) -> ApiResult<WhoAmI> {
    let council = state.storage.council(caller.member.council_id).await?;
    Ok(Json(WhoAmI {
        member: caller.member,
        council,
    }))
}
