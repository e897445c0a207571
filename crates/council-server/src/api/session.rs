//! Logging in and out, and changing one's own password.

use super::ApiResult;
use crate::ServerState;
use crate::auth::{self, Caller, SessionCaller};
use crate::error::{Json, ServerError};
use crate::live::SessionsEnded;
use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use council_storage::NewSession;
use ecabinet_protocol::{ApiError, ErrorCode, LoginRequest, LoginResponse, PasswordChange, WhoAmI};
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};

/// The address the request came from, when the server was started with connection info
/// (`council-server serve` is; in-process tests need not be).
pub struct ClientAddress(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddress(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ConnectInfo(addr)| addr.ip()),
        ))
    }
}

/// Exchanges a user name and password for a bearer token.
#[utoipa::path(
    post, path = "/api/v1/auth/login", tag = "session",
    request_body = LoginRequest,
    responses(
        (status = 200, body = LoginResponse),
        (status = 401, description = "unknown user, wrong password or disabled account (`invalid_credentials`)", body = ApiError),
        (status = 429, description = "too many failed logins for this user name or from this address (`too_many_attempts`), told the same whether the account exists or not",
            body = ApiError, headers(("Retry-After" = u64, description = "seconds to wait"))),
        (status = 400, body = ApiError), (status = 413, body = ApiError),
    )
)]
pub async fn login(
    State(state): State<ServerState>,
    ClientAddress(address): ClientAddress,
    Json(req): Json<LoginRequest>,
) -> Result<Response, ServerError> {
    let user_name = req.username.trim().to_owned();
    let now = state.clock.now();
    // Refused before the password is looked at, so waiting is the only way on.
    if let Err(retry) = state.throttle.check(&user_name, address, now) {
        tracing::warn!(user = %user_name, ?address, "login throttled");
        return Err(ServerError::new(
            ErrorCode::TooManyAttempts,
            format!(
                "too many failed logins: try again in {} seconds",
                retry.seconds
            ),
        )
        .with_retry_after(retry.seconds));
    }
    let account = state.storage.account_by_username(&user_name).await?;
    // Argon2 is deliberately slow: keep it off the async workers.
    let stored = account.as_ref().map(|a| a.password_hash.clone());
    let password = req.password;
    let verified = state.passwords.verify(password, stored).await;
    let details = match account.filter(|_| verified) {
        Some(account) => Some(state.storage.account(account.member.id, now).await?),
        None => None,
    };
    // A disabled account answers as a wrong password does: it cannot log in, whoever asks.
    let Some(details) = details.filter(|d| !d.disabled) else {
        state.throttle.failed(&user_name, address, now);
        return Err(ServerError::new(
            ErrorCode::InvalidCredentials,
            "the user name or the password is wrong",
        ));
    };
    state.throttle.succeeded(&user_name);
    let token = auth::new_token(&mut rand::rng());
    let expires_at = now.plus_millis(state.session_ttl_ms);
    state
        .storage
        .create_session(NewSession {
            token_hash: auth::token_hash(&token),
            member_id: details.member.id,
            created_at: now,
            expires_at,
        })
        .await?;
    let council = state.storage.council(details.member.council_id).await?;
    tracing::info!(user = %details.member.username, "logged in");
    Ok(Json(LoginResponse {
        token,
        expires_at,
        member: details.member,
        council,
        must_change_password: details.must_change_password,
    })
    .into_response())
}

/// Ends the caller's session: its token is refused from now on, and its live socket closes.
#[utoipa::path(
    post, path = "/api/v1/auth/logout", tag = "session", security(("bearer" = [])),
    responses((status = 204), (status = 401, body = ApiError))
)]
pub async fn logout(
    State(state): State<ServerState>,
    caller: SessionCaller,
) -> Result<StatusCode, ServerError> {
    state
        .storage
        .revoke_session(&caller.token_hash, state.clock.now())
        .await?;
    state
        .live
        .end_sessions(SessionsEnded::Session(caller.token_hash));
    Ok(StatusCode::NO_CONTENT)
}

/// The caller and their council.
#[utoipa::path(
    get, path = "/api/v1/auth/me", tag = "session", security(("bearer" = [])),
    responses((status = 200, body = WhoAmI), (status = 401, body = ApiError), (status = 403, body = ApiError))
)]
pub async fn who_am_i(State(state): State<ServerState>, caller: Caller) -> ApiResult<WhoAmI> {
    let council = state.storage.council(caller.member.council_id).await?;
    Ok(Json(WhoAmI {
        member: caller.member,
        council,
    }))
}

/// The caller replaces their own password (the one route a session that must change its
/// password may use, with logout). Every other session of the member ends.
#[utoipa::path(
    post, path = "/api/v1/auth/password", tag = "session", security(("bearer" = [])),
    request_body = PasswordChange,
    responses(
        (status = 204),
        (status = 400, description = "the current password is wrong (`wrong_current_password`) or the new one breaks the policy (`password_too_short`, `password_contains_user_name`, `password_too_common`)", body = ApiError),
        (status = 401, body = ApiError),
        (status = 429, description = "too many wrong current passwords (`too_many_attempts`)", body = ApiError),
    )
)]
pub async fn change_password(
    State(state): State<ServerState>,
    ClientAddress(address): ClientAddress,
    caller: SessionCaller,
    Json(req): Json<PasswordChange>,
) -> Result<StatusCode, ServerError> {
    // Guessing the current password here is throttled like guessing it at login.
    let now = state.clock.now();
    let username = &caller.member.username;
    if let Err(retry) = state.throttle.check(username, address, now) {
        return Err(ServerError::new(
            ErrorCode::TooManyAttempts,
            format!(
                "too many wrong passwords: try again in {} seconds",
                retry.seconds
            ),
        )
        .with_retry_after(retry.seconds));
    }
    if req.new_password == req.current_password {
        return Err(ServerError::new(
            ErrorCode::BadRequest,
            "the new password must differ from the current one",
        ));
    }
    let account = state
        .storage
        .account_by_username(&caller.member.username)
        .await?
        .ok_or(ServerError::new(ErrorCode::NotFound, "no such account"))?;
    let stored = account.password_hash;
    let current = req.current_password;
    let verified = state.passwords.verify(current, Some(stored)).await;
    if !verified {
        state.throttle.failed(username, address, now);
        return Err(ServerError::new(
            ErrorCode::WrongCurrentPassword,
            "the current password is wrong",
        ));
    }
    super::accounts::check_policy(&req.new_password, username)?;
    let hash = super::accounts::hash(&state, req.new_password).await?;
    state
        .storage
        .set_password(caller.member.id, hash, false, Some(&caller.token_hash), now)
        .await?;
    state.live.end_sessions(SessionsEnded::Member {
        member: caller.member.id,
        except: Some(caller.token_hash),
    });
    Ok(StatusCode::NO_CONTENT)
}
