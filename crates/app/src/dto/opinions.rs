//! Opinions (ý kiến): what the window sends to give one, and the opinions of a meeting
//! grouped per agenda item as the member may see them (all of them, every version, for the
//! secretariat and the chair; their own for a delegate).

use super::IpcError;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The paper, page (from 0) and passage an opinion answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PaperLinkView {
    pub paper_id: String,
    pub page: u32,
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
}

/// A new opinion: on an item of a meeting, with an optional link to the paper it answers.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct OpinionInput {
    pub meeting_id: String,
    pub item_id: String,
    #[ts(optional)]
    #[serde(default)]
    pub paper: Option<PaperLinkView>,
    pub body: String,
}

/// Where a version stands with the server.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum OpinionSyncView {
    Synced,
    /// Kept on this device, not yet acknowledged by the server.
    Pending,
    /// The server refused it; it stays shown until the member sends a new version.
    Refused {
        error: IpcError,
    },
}

/// One version of an opinion.
#[derive(Debug, Clone, Serialize, TS)]
pub struct OpinionVersionView {
    /// 1 as first sent, then 2, 3, … for each edit.
    pub version: u32,
    pub body: String,
    pub paper: Option<PaperLinkView>,
    /// Milliseconds since the epoch: when the server received it (or this device sent it,
    /// while pending).
    pub sent_at: i64,
    pub withdrawn: bool,
    pub sync: OpinionSyncView,
}

/// An opinion with every version the member may see, oldest first.
#[derive(Debug, Clone, Serialize, TS)]
pub struct OpinionView {
    pub id: String,
    pub item_id: String,
    pub author_id: String,
    pub author_name: String,
    /// The signed-in member's own: they may edit and withdraw it.
    pub own: bool,
    pub versions: Vec<OpinionVersionView>,
}

/// One agenda item with its opinions, in the order they were first sent.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ItemOpinions {
    pub item_id: String,
    /// "2.1", as the programme numbers it; empty for an item no longer on the programme.
    pub number: String,
    pub title: String,
    /// The papers under this item (the form picks the item of the paper being read).
    pub paper_ids: Vec<String>,
    pub opinions: Vec<OpinionView>,
}

/// A meeting's opinions per agenda item, in programme order.
#[derive(Debug, Clone, Serialize, TS)]
pub struct MeetingOpinions {
    pub meeting_id: String,
    pub items: Vec<ItemOpinions>,
    /// The member may send opinions in this meeting (a delegate or its chair, and the
    /// meeting is not archived).
    pub may_send: bool,
    /// The member reads every member's opinions (the secretariat and the chair).
    pub reads_all: bool,
}
