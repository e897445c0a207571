//! Account administration (administrator only).

use super::ApiResult;
use crate::AppState;
use crate::auth::Caller;
use crate::error::Json;
use axum::extract::State;
use ecabinet_protocol::{AccountSummary, ApiError};

/// Every account of the caller's council with its number of live sessions.
#[utoipa::path(
    get, path = "/api/v1/admin/accounts", tag = "administration", security(("bearer" = [])),
    responses((status = 200, body = Vec<AccountSummary>), (status = 401, body = ApiError), (status = 403, body = ApiError))
)]
pub async fn list_accounts(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Vec<AccountSummary>> {
    caller.require(caller.member.role.may_manage_accounts(), "manage accounts")?;
    let accounts = state
        .storage
        .accounts(caller.member.council_id, state.clock.now())
        .await?;
    Ok(Json(
        accounts
            .into_iter()
            .map(|(member, active_sessions)| AccountSummary {
                member,
                active_sessions,
            })
            .collect(),
    ))
}
