//! The administrator's accounts screen, and the first login's password change.

use super::{MemberView, Role};
use ecabinet_protocol as protocol;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One account as the administrator sees it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AccountView {
    pub member: MemberView,
    pub unit: String,
    pub disabled: bool,
    /// The password was set by an administrator and not changed yet.
    pub must_change_password: bool,
    pub active_sessions: u32,
}

impl From<&protocol::AccountSummary> for AccountView {
    fn from(a: &protocol::AccountSummary) -> Self {
        AccountView {
            member: (&a.member).into(),
            unit: a.unit.clone(),
            disabled: a.disabled,
            must_change_password: a.must_change_password,
            active_sessions: a.active_sessions,
        }
    }
}

/// A member the administrator adds; the server generates the first password.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct NewAccountDetails {
    pub display_name: String,
    pub username: String,
    pub role: Role,
    pub unit: String,
}

/// An account just made, with the password generated for it (shown this once).
#[derive(Debug, Clone, Serialize, TS)]
pub struct AccountCreatedView {
    pub account: AccountView,
    pub generated_password: Option<String>,
}

impl From<&protocol::AccountCreated> for AccountCreatedView {
    fn from(c: &protocol::AccountCreated) -> Self {
        AccountCreatedView {
            account: (&c.account).into(),
            generated_password: c.generated_password.clone(),
        }
    }
}

/// What the administrator changes on an account; an absent field stays as it is.
#[derive(Debug, Clone, Default, Deserialize, TS)]
pub struct AccountChanges {
    #[ts(optional)]
    pub role: Option<Role>,
    #[ts(optional)]
    pub disabled: Option<bool>,
}

/// One row of a member list that cannot be imported.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ImportProblemView {
    pub line: u32,
    /// The server's reason (English, naming the value).
    pub reason: String,
}

/// What importing a member list did: every row imported, or none and the rows to correct.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum MemberImportOutcome {
    /// The user closed the dialog without choosing a file.
    Cancelled,
    Imported {
        file_name: String,
        accounts: Vec<AccountCreatedView>,
    },
    Rejected {
        file_name: String,
        problems: Vec<ImportProblemView>,
    },
}
