//! Accounts: the first login with a password an administrator set, and the administrator's
//! screen (the council's members, adding, importing a member list, roles, disabling,
//! password resets). Every change is the server's to make; the core asks and pulls.

use super::{AppCore, parse_id};
use crate::dto::{self, IpcError, IpcErrorCode};
use ecabinet_domain::MemberId;
use ecabinet_protocol::{AccountPatch, NewAccountRequest};
use ecabinet_store::StoredSession;
use ecabinet_sync::CouncilClient;
use std::path::Path;

/// The largest member list read from the disk (the server takes 256 KiB of body).
const MAX_MEMBER_LIST_BYTES: u64 = ecabinet_protocol::MAX_JSON_BODY_BYTES as u64;

impl AppCore {
    /// Keeps a login whose password an administrator set until the member chooses their
    /// own: nothing is saved or synced before that (the server would refuse it all).
    pub(super) fn hold_first_login(&self, session: StoredSession) -> IpcError {
        tracing::info!(user = %session.member.username, "signed in with a password to change");
        *self.first_login.lock().expect("first login lock") = Some(session);
        IpcError::new(
            IpcErrorCode::PasswordChangeRequired,
            "an administrator set this password: choose your own to go on",
        )
    }

    /// Changes the held login's password, then signs in as [`AppCore::login`] does.
    pub async fn complete_first_login(
        &self,
        current_password: &str,
        new_password: &str,
    ) -> Result<dto::SessionInfo, IpcError> {
        let session = self
            .first_login
            .lock()
            .expect("first login lock")
            .clone()
            .ok_or_else(IpcError::not_signed_in)?;
        let client = CouncilClient::new(&session.server_url)?;
        client
            .change_password(&session.token, current_password, new_password)
            .await?;
        self.first_login.lock().expect("first login lock").take();
        self.store().save_session(&session)?;
        tracing::info!(user = %session.member.username, "chose a password and signed in");
        let info = dto::SessionInfo::from(&session);
        self.start_sync(session).await;
        Ok(info)
    }

    /// The signed-in member replaces their own password; their other sessions end, this one
    /// goes on.
    pub async fn change_own_password(
        &self,
        current_password: &str,
        new_password: &str,
    ) -> Result<(), IpcError> {
        let session = self.session()?;
        let client = CouncilClient::new(&session.server_url)?;
        client
            .change_password(&session.token, current_password, new_password)
            .await?;
        tracing::info!(user = %session.member.username, "changed their password");
        Ok(())
    }

    async fn admin(&self) -> Result<(CouncilClient, StoredSession), IpcError> {
        let session = self.session()?;
        Ok((CouncilClient::new(&session.server_url)?, session))
    }

    pub async fn accounts(&self) -> Result<Vec<dto::AccountView>, IpcError> {
        let (client, session) = self.admin().await?;
        let accounts = client.accounts(&session.token).await?;
        Ok(accounts.iter().map(Into::into).collect())
    }

    pub async fn create_account(
        &self,
        details: dto::NewAccountDetails,
    ) -> Result<dto::AccountCreatedView, IpcError> {
        let request = NewAccountRequest {
            display_name: details.display_name,
            username: details.username,
            role: details.role.into(),
            unit: details.unit,
            password: None,
        };
        let created = self
            .change(async |client, token| client.create_account(token, &request).await)
            .await?;
        Ok((&created).into())
    }

    pub async fn update_account(
        &self,
        member_id: &str,
        changes: dto::AccountChanges,
    ) -> Result<dto::AccountView, IpcError> {
        let member: MemberId = parse_id(member_id)?;
        let patch = AccountPatch {
            role: changes.role.map(Into::into),
            disabled: changes.disabled,
            ..AccountPatch::default()
        };
        let changed = self
            .change(async |client, token| client.patch_account(token, member, &patch).await)
            .await?;
        Ok((&changed).into())
    }

    /// A new generated password for the member, to hand over once.
    pub async fn reset_password(&self, member_id: &str) -> Result<Option<String>, IpcError> {
        let member: MemberId = parse_id(member_id)?;
        let (client, session) = self.admin().await?;
        let issued = client.reset_password(&session.token, member, None).await?;
        Ok(issued.generated_password)
    }

    /// Imports the member list at `path` (a CSV file the user chose in the dialog).
    pub async fn import_members(&self, path: &Path) -> Result<dto::MemberImportOutcome, IpcError> {
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let unreadable = |e: std::io::Error| {
            IpcError::new(
                IpcErrorCode::FileUnreadable,
                format!("reading {}: {e}", path.display()),
            )
        };
        let size = tokio::fs::metadata(path).await.map_err(unreadable)?.len();
        if size > MAX_MEMBER_LIST_BYTES {
            return Err(IpcError::new(
                IpcErrorCode::PayloadTooLarge,
                format!("a member list of {size} bytes is larger than the server takes"),
            ));
        }
        let csv = tokio::fs::read(path).await.map_err(unreadable)?;
        let outcome = self
            .change(async |client, token| client.import_members(token, csv).await)
            .await?;
        Ok(match outcome {
            Ok(imported) => dto::MemberImportOutcome::Imported {
                file_name,
                accounts: imported.accounts.iter().map(Into::into).collect(),
            },
            Err(rejected) => dto::MemberImportOutcome::Rejected {
                file_name,
                problems: rejected
                    .problems
                    .into_iter()
                    .map(|p| dto::ImportProblemView {
                        line: p.line,
                        reason: p.reason,
                    })
                    .collect(),
            },
        })
    }
}
