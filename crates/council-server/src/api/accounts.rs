//! Account administration (administrator only): the council's members, their roles, units,
//! passwords and whether they may log in, and the import of a member list from CSV.

use super::ApiResult;
use crate::ServerState;
use crate::auth::{self, Caller};
use crate::error::{Json, ServerError};
use crate::live::SessionsEnded;
use crate::member_list;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use council_storage::{AccountChange, AccountDetails, NewAccount, StorageError};
use ecabinet_domain::{Member, MemberId, check_password};
use ecabinet_protocol::{
    AccountCreated, AccountPatch, AccountSummary, ApiError, ErrorCode, ImportProblem,
    ImportRejected, MembersImported, NewAccountRequest, PasswordIssued, PasswordReset,
};
use unicode_normalization::UnicodeNormalization;
use uuid::Uuid;

fn summary(details: AccountDetails) -> AccountSummary {
    AccountSummary {
        member: details.member,
        active_sessions: details.active_sessions,
        unit: details.unit,
        disabled: details.disabled,
        must_change_password: details.must_change_password,
    }
}

/// Refuses a password the policy does not allow, with the policy's reason.
pub(super) fn check_policy(password: &str, username: &str) -> Result<(), ServerError> {
    check_password(password, username)
        .map_err(|refusal| ServerError::new(refusal.into(), refusal.message()))
}

/// Hashes a password on the password threads (argon2 is slow on purpose).
pub(super) async fn hash(state: &ServerState, password: String) -> Result<String, ServerError> {
    state
        .passwords
        .hash(password)
        .await
        .map_err(ServerError::internal)
}

/// The given password (checked) or a generated one, returned so it can be shown once.
async fn first_password(
    state: &ServerState,
    given: Option<String>,
    username: &str,
) -> Result<(String, Option<String>), ServerError> {
    match given.filter(|p| !p.is_empty()) {
        Some(password) => {
            check_policy(&password, username)?;
            Ok((hash(state, password).await?, None))
        }
        None => {
            let generated = auth::generate_password(&mut rand::rng());
            Ok((hash(state, generated.clone()).await?, Some(generated)))
        }
    }
}

fn taken(username: &str) -> ServerError {
    ServerError::new(
        ErrorCode::UsernameTaken,
        format!("the user name {username:?} is taken"),
    )
}

/// An account of the caller's council, or "no such account" for any other.
async fn own_council_account(
    state: &ServerState,
    caller: &Caller,
    member: MemberId,
) -> Result<AccountDetails, ServerError> {
    let not_found = || ServerError::new(ErrorCode::NotFound, "no such account");
    match state.storage.account(member, state.clock.now()).await {
        Ok(account) if account.member.council_id == caller.member.council_id => Ok(account),
        Ok(_) | Err(StorageError::NotFound) => Err(not_found()),
        Err(e) => Err(e.into()),
    }
}

/// Every account of the caller's council, disabled ones included, with its live sessions.
#[utoipa::path(
    get, path = "/api/v1/admin/accounts", tag = "administration", security(("bearer" = [])),
    responses((status = 200, body = Vec<AccountSummary>), (status = 401, body = ApiError), (status = 403, body = ApiError))
)]
pub async fn list_accounts(
    State(state): State<ServerState>,
    caller: Caller,
) -> ApiResult<Vec<AccountSummary>> {
    caller.require(caller.member.role.may_manage_accounts(), "manage accounts")?;
    let accounts = state
        .storage
        .account_details(caller.member.council_id, state.clock.now())
        .await?;
    Ok(Json(accounts.into_iter().map(summary).collect()))
}

/// Adds a member to the caller's council. The member must change the password (given or
/// generated) at first login.
#[utoipa::path(
    post, path = "/api/v1/admin/accounts", tag = "administration", security(("bearer" = [])),
    request_body = NewAccountRequest,
    responses(
        (status = 201, body = AccountCreated),
        (status = 400, description = "a field or the password breaks a rule", body = ApiError),
        (status = 401, body = ApiError), (status = 403, body = ApiError),
        (status = 409, description = "`username_taken`", body = ApiError),
    )
)]
pub async fn create_account(
    State(state): State<ServerState>,
    caller: Caller,
    Json(req): Json<NewAccountRequest>,
) -> Result<(StatusCode, Json<AccountCreated>), ServerError> {
    caller.require(caller.member.role.may_manage_accounts(), "manage accounts")?;
    let username = req.username.trim().to_owned();
    // One spelling of each accented letter (NFC), as the member list import stores them.
    let display_name: String = req.display_name.trim().nfc().collect();
    let unit: String = req.unit.trim().nfc().collect();
    if let Some(problem) = member_list::user_name_problem(&username)
        .or_else(|| member_list::name_problem("display name", &display_name, true))
        .or_else(|| member_list::name_problem("unit", &unit, false))
    {
        return Err(ServerError::bad_request(problem));
    }
    if state
        .storage
        .account_by_username(&username)
        .await?
        .is_some()
    {
        return Err(taken(&username));
    }
    let (password_hash, generated_password) =
        first_password(&state, req.password, &username).await?;
    let member = Member {
        id: MemberId(Uuid::new_v4()),
        council_id: caller.member.council_id,
        username: username.clone(),
        display_name,
        role: req.role,
    };
    let council = caller.member.council_id;
    let head = match state
        .storage
        .create_accounts(
            council,
            vec![NewAccount {
                member: member.clone(),
                unit,
                password_hash,
                must_change_password: true,
            }],
        )
        .await
    {
        Err(StorageError::Conflict(_)) => return Err(taken(&username)),
        other => other?,
    };
    state.live.announce(council, head);
    let account = state.storage.account(member.id, state.clock.now()).await?;
    tracing::info!(admin = %caller.member.username, user = %username, "account created");
    Ok((
        StatusCode::CREATED,
        Json(AccountCreated {
            account: summary(account),
            generated_password,
        }),
    ))
}

/// Changes a member's name, role or unit, or disables the account (every session of it
/// ends and its live sockets close) or enables it again.
#[utoipa::path(
    patch, path = "/api/v1/admin/accounts/{member_id}", tag = "administration", security(("bearer" = [])),
    params(("member_id" = Uuid, Path, description = "the member")),
    request_body = AccountPatch,
    responses(
        (status = 200, body = AccountSummary),
        (status = 400, description = "a field breaks a rule, or an administrator disables or demotes themself", body = ApiError),
        (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError),
    )
)]
pub async fn patch_account(
    State(state): State<ServerState>,
    caller: Caller,
    Path(member_id): Path<MemberId>,
    Json(patch): Json<AccountPatch>,
) -> ApiResult<AccountSummary> {
    caller.require(caller.member.role.may_manage_accounts(), "manage accounts")?;
    own_council_account(&state, &caller, member_id).await?;
    let demotes = patch.role.is_some_and(|r| !r.may_manage_accounts());
    if member_id == caller.member.id && (patch.disabled == Some(true) || demotes) {
        // The council would be left without anyone to undo it.
        return Err(ServerError::bad_request(
            "you cannot disable your own account or give up your own role: another administrator must",
        ));
    }
    let display_name = patch
        .display_name
        .map(|n| n.trim().nfc().collect::<String>());
    let unit = patch.unit.map(|u| u.trim().nfc().collect::<String>());
    if let Some(problem) = display_name
        .as_deref()
        .and_then(|n| member_list::name_problem("display name", n, true))
        .or_else(|| {
            unit.as_deref()
                .and_then(|u| member_list::name_problem("unit", u, false))
        })
    {
        return Err(ServerError::bad_request(problem));
    }
    let now = state.clock.now();
    let head = state
        .storage
        .update_account(
            member_id,
            AccountChange {
                display_name,
                role: patch.role,
                unit,
                disabled: patch.disabled,
            },
            now,
        )
        .await?;
    if patch.disabled == Some(true) {
        state.live.end_sessions(SessionsEnded::Member {
            member: member_id,
            except: None,
        });
    }
    state.live.announce(caller.member.council_id, head);
    let account = state.storage.account(member_id, now).await?;
    tracing::info!(admin = %caller.member.username, user = %account.member.username, "account changed");
    Ok(Json(summary(account)))
}

/// Sets a new password for a member (given, or generated and returned once). Every session
/// of the member ends, and the member must change the password at the next login.
#[utoipa::path(
    post, path = "/api/v1/admin/accounts/{member_id}/password", tag = "administration", security(("bearer" = [])),
    params(("member_id" = Uuid, Path, description = "the member")),
    request_body = PasswordReset,
    responses(
        (status = 200, body = PasswordIssued),
        (status = 400, description = "the password breaks the policy", body = ApiError),
        (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError),
    )
)]
pub async fn reset_password(
    State(state): State<ServerState>,
    caller: Caller,
    Path(member_id): Path<MemberId>,
    Json(req): Json<PasswordReset>,
) -> ApiResult<PasswordIssued> {
    caller.require(caller.member.role.may_manage_accounts(), "manage accounts")?;
    let account = own_council_account(&state, &caller, member_id).await?;
    let (password_hash, generated_password) =
        first_password(&state, req.password, &account.member.username).await?;
    state
        .storage
        .set_password(member_id, password_hash, true, None, state.clock.now())
        .await?;
    state.live.end_sessions(SessionsEnded::Member {
        member: member_id,
        except: None,
    });
    tracing::info!(admin = %caller.member.username, user = %account.member.username, "password reset");
    Ok(Json(PasswordIssued { generated_password }))
}

/// Imports a council's member list: a UTF-8 CSV file with a header row (see
/// `member_list`). Either every row becomes an account, in one transaction, or none does
/// and the answer lists each bad row with its line number.
#[utoipa::path(
    post, path = "/api/v1/admin/accounts/import", tag = "administration", security(("bearer" = [])),
    request_body(content = String, content_type = "text/csv", description = "display_name, username, role, unit, password; a header row first"),
    responses(
        (status = 201, body = MembersImported),
        (status = 400, description = "the body is not UTF-8", body = ApiError),
        (status = 401, body = ApiError), (status = 403, body = ApiError),
        (status = 409, description = "`username_taken`: a user name was taken meanwhile; nothing was imported", body = ApiError),
        (status = 413, body = ApiError),
        (status = 422, description = "`import_rejected`: rows with errors; nothing was imported", body = ImportRejected),
    )
)]
pub async fn import_members(
    State(state): State<ServerState>,
    caller: Caller,
    body: Bytes,
) -> Result<Response, ServerError> {
    caller.require(caller.member.role.may_manage_accounts(), "manage accounts")?;
    let text = std::str::from_utf8(&body).map_err(|_| {
        ServerError::bad_request("the member list must be a UTF-8 text file (CSV UTF-8)")
    })?;
    let rows = match member_list::parse(text) {
        Ok(rows) => rows,
        Err(problems) => return Err(rejected(problems)),
    };
    let mut problems = Vec::new();
    for row in &rows {
        if state
            .storage
            .account_by_username(&row.username)
            .await?
            .is_some()
        {
            problems.push(ImportProblem {
                line: row.line,
                reason: format!("the user name {:?} is taken", row.username),
            });
        }
    }
    if !problems.is_empty() {
        return Err(rejected(problems));
    }
    let council = caller.member.council_id;
    let mut accounts = Vec::with_capacity(rows.len());
    let mut generated = Vec::with_capacity(rows.len());
    for row in rows {
        let (password_hash, password) = first_password(&state, row.password, &row.username).await?;
        generated.push(password);
        accounts.push(NewAccount {
            member: Member {
                id: MemberId(Uuid::new_v4()),
                council_id: council,
                username: row.username,
                display_name: row.display_name,
                role: row.role,
            },
            unit: row.unit,
            password_hash,
            must_change_password: true,
        });
    }
    let ids: Vec<_> = accounts.iter().map(|a| a.member.id).collect();
    let head = match state.storage.create_accounts(council, accounts).await {
        Err(StorageError::Conflict(_)) => {
            return Err(ServerError::new(
                ErrorCode::UsernameTaken,
                "a user name of the list was taken meanwhile: nothing was imported, import the list again",
            ));
        }
        other => other?,
    };
    state.live.announce(council, head);
    let now = state.clock.now();
    let mut created = Vec::with_capacity(ids.len());
    for (id, generated_password) in ids.into_iter().zip(generated) {
        created.push(AccountCreated {
            account: summary(state.storage.account(id, now).await?),
            generated_password,
        });
    }
    tracing::info!(admin = %caller.member.username, count = created.len(), "member list imported");
    Ok((
        StatusCode::CREATED,
        Json(MembersImported { accounts: created }),
    )
        .into_response())
}

fn rejected(problems: Vec<ImportProblem>) -> ServerError {
    ServerError::new(
        ErrorCode::ImportRejected,
        format!(
            "{} row(s) of the member list cannot be imported, so nothing was: correct them and import the list again",
            problems.len()
        ),
    )
    .with_details(serde_json::json!({ "problems": problems }))
}
