//! What a stored row means, written once for every backend.
//!
//! The backends store the same tables with different column types (SQLite keeps ids and
//! JSON as TEXT, PostgreSQL as UUID and JSONB), so each says how it reads one column
//! ([`StoredRow`]), and this module says how columns make a domain record, and the names
//! enums are stored under. Stored names and JSON shapes are part of every database
//! already written: changing one here needs a migration in every backend.

use crate::{
    Account, AccountDetails, CurrentAnnotation, SessionHolder, StorageError, StorageResult,
    StoredOpinionVersion,
};
use anyhow::Context;
use ecabinet_domain::sitting::SittingEvent;
use ecabinet_domain::{
    AgendaItem, AgendaItemId, Annotation, BlobHash, Council, CouncilId, Meeting, MeetingId,
    MeetingStatus, Member, MemberId, Role, Timestamp,
};
use ecabinet_protocol::{BlobInfo, Change};
use serde::Serialize;
use serde::de::DeserializeOwned;
use uuid::Uuid;

/// One result row as a backend reads its columns; each error says which column failed.
pub trait StoredRow {
    fn id(&self, column: &'static str) -> anyhow::Result<Uuid>;
    fn optional_id(&self, column: &'static str) -> anyhow::Result<Option<Uuid>>;
    fn text(&self, column: &'static str) -> anyhow::Result<String>;
    fn optional_text(&self, column: &'static str) -> anyhow::Result<Option<String>>;
    /// A 32-bit `INTEGER` column.
    fn integer(&self, column: &'static str) -> anyhow::Result<i32>;
    fn optional_integer(&self, column: &'static str) -> anyhow::Result<Option<i32>>;
    /// A 64-bit column: times in Unix milliseconds, sizes, counts, log seqs.
    fn big_integer(&self, column: &'static str) -> anyhow::Result<i64>;
    fn optional_big_integer(&self, column: &'static str) -> anyhow::Result<Option<i64>>;
    fn flag(&self, column: &'static str) -> anyhow::Result<bool>;
    /// A column holding a JSON document.
    fn json<T: DeserializeOwned>(&self, column: &'static str) -> anyhow::Result<T>;
}

/// A backend's row type on sqlx: it says how it keeps ids and JSON documents, and gets the
/// other columns (text, integers, flags), which every sqlx database reads alike, from the
/// [`StoredRow`] implementation below.
#[cfg(feature = "sqlx")]
pub trait SqlxRow {
    type Row: sqlx::Row;
    fn row(&self) -> &Self::Row;
    fn id(&self, column: &'static str) -> anyhow::Result<Uuid>;
    fn optional_id(&self, column: &'static str) -> anyhow::Result<Option<Uuid>>;
    fn json<T: DeserializeOwned>(&self, column: &'static str) -> anyhow::Result<T>;
}

/// One column of an sqlx row, or an error naming the column.
#[cfg(feature = "sqlx")]
pub fn sqlx_column<'r, R, T>(row: &'r R, column: &'static str) -> anyhow::Result<T>
where
    R: sqlx::Row,
    T: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    &'static str: sqlx::ColumnIndex<R>,
{
    row.try_get(column)
        .with_context(|| format!("reading column {column}"))
}

#[cfg(feature = "sqlx")]
impl<S> StoredRow for S
where
    S: SqlxRow,
    for<'r> String: sqlx::Decode<'r, <S::Row as sqlx::Row>::Database>,
    String: sqlx::Type<<S::Row as sqlx::Row>::Database>,
    for<'r> i32: sqlx::Decode<'r, <S::Row as sqlx::Row>::Database>,
    i32: sqlx::Type<<S::Row as sqlx::Row>::Database>,
    for<'r> i64: sqlx::Decode<'r, <S::Row as sqlx::Row>::Database>,
    i64: sqlx::Type<<S::Row as sqlx::Row>::Database>,
    for<'r> bool: sqlx::Decode<'r, <S::Row as sqlx::Row>::Database>,
    bool: sqlx::Type<<S::Row as sqlx::Row>::Database>,
    &'static str: sqlx::ColumnIndex<S::Row>,
{
    fn id(&self, column: &'static str) -> anyhow::Result<Uuid> {
        SqlxRow::id(self, column)
    }
    fn optional_id(&self, column: &'static str) -> anyhow::Result<Option<Uuid>> {
        SqlxRow::optional_id(self, column)
    }
    fn text(&self, column: &'static str) -> anyhow::Result<String> {
        sqlx_column(self.row(), column)
    }
    fn optional_text(&self, column: &'static str) -> anyhow::Result<Option<String>> {
        sqlx_column(self.row(), column)
    }
    fn integer(&self, column: &'static str) -> anyhow::Result<i32> {
        sqlx_column(self.row(), column)
    }
    fn optional_integer(&self, column: &'static str) -> anyhow::Result<Option<i32>> {
        sqlx_column(self.row(), column)
    }
    fn big_integer(&self, column: &'static str) -> anyhow::Result<i64> {
        sqlx_column(self.row(), column)
    }
    fn optional_big_integer(&self, column: &'static str) -> anyhow::Result<Option<i64>> {
        sqlx_column(self.row(), column)
    }
    fn flag(&self, column: &'static str) -> anyhow::Result<bool> {
        sqlx_column(self.row(), column)
    }
    fn json<T: DeserializeOwned>(&self, column: &'static str) -> anyhow::Result<T> {
        SqlxRow::json(self, column)
    }
}

/// The names meeting statuses are stored under (the same as their JSON names).
const MEETING_STATUSES: [(MeetingStatus, &str); 5] = [
    (MeetingStatus::Draft, "draft"),
    (MeetingStatus::Scheduled, "scheduled"),
    (MeetingStatus::InProgress, "in_progress"),
    (MeetingStatus::Closed, "closed"),
    (MeetingStatus::Archived, "archived"),
];

/// The name a meeting status is stored under.
pub fn meeting_status_name(status: MeetingStatus) -> &'static str {
    MEETING_STATUSES
        .iter()
        .find(|(s, _)| *s == status)
        .map(|(_, name)| *name)
        .expect("every meeting status has a stored name")
}

/// The meeting status stored as `name`.
pub fn meeting_status(name: &str) -> anyhow::Result<MeetingStatus> {
    MEETING_STATUSES
        .iter()
        .find(|(_, n)| *n == name)
        .map(|(status, _)| *status)
        .with_context(|| format!("unknown meeting status {name:?}"))
}

/// The role stored as `name` (the names are the domain's, [`Role::as_str`]).
pub fn role(name: &str) -> anyhow::Result<Role> {
    Role::parse(name).with_context(|| format!("unknown role {name:?}"))
}

/// A value for a JSON column stored as text; `what` names it in the error.
pub fn encode_json<T: Serialize>(value: &T, what: &'static str) -> StorageResult<String> {
    serde_json::to_string(value)
        .with_context(|| format!("encoding {what}"))
        .map_err(StorageError::Backend)
}

/// A JSON column's text as a value; `what` names it in the error.
pub fn decode_json<T: DeserializeOwned>(json: &str, what: &'static str) -> StorageResult<T> {
    serde_json::from_str(json)
        .with_context(|| format!("decoding {what}"))
        .map_err(StorageError::Backend)
}

/// Reads a record from a row; a failure is a backend error that names the record.
fn stored<T>(what: &'static str, read: impl FnOnce() -> anyhow::Result<T>) -> StorageResult<T> {
    read()
        .with_context(|| format!("reading a stored {what}"))
        .map_err(StorageError::Backend)
}

/// `id, name` of `councils`.
pub fn council(row: &impl StoredRow) -> StorageResult<Council> {
    stored("council", || {
        Ok(Council {
            id: CouncilId(row.id("id")?),
            name: row.text("name")?,
        })
    })
}

/// `id, council_id, username, display_name, role` of `members`.
pub fn member(row: &impl StoredRow) -> StorageResult<Member> {
    stored("member", || read_member(row))
}

fn read_member(row: &impl StoredRow) -> anyhow::Result<Member> {
    Ok(Member {
        id: MemberId(row.id("id")?),
        council_id: CouncilId(row.id("council_id")?),
        username: row.text("username")?,
        display_name: row.text("display_name")?,
        role: role(&row.text("role")?)?,
    })
}

/// A member's columns and `password_hash`.
pub fn account(row: &impl StoredRow) -> StorageResult<Account> {
    stored("account", || {
        Ok(Account {
            member: read_member(row)?,
            password_hash: row.text("password_hash")?,
        })
    })
}

/// A member's columns and `active`, the count of its live sessions.
pub fn member_with_sessions(row: &impl StoredRow) -> StorageResult<(Member, u32)> {
    stored("member", || Ok((read_member(row)?, session_count(row)?)))
}

/// A member's columns, `unit`, `disabled_at`, `must_change_password` and `active`.
pub fn account_details(row: &impl StoredRow) -> StorageResult<AccountDetails> {
    stored("account", || {
        Ok(AccountDetails {
            member: read_member(row)?,
            unit: row.text("unit")?,
            disabled: row.optional_big_integer("disabled_at")?.is_some(),
            must_change_password: row.flag("must_change_password")?,
            active_sessions: session_count(row)?,
        })
    })
}

fn session_count(row: &impl StoredRow) -> anyhow::Result<u32> {
    let active = row.big_integer("active")?;
    u32::try_from(active).with_context(|| format!("{active} live sessions"))
}

/// A member's columns and `must_change_password`.
pub fn session_holder(row: &impl StoredRow) -> StorageResult<SessionHolder> {
    stored("session", || {
        Ok(SessionHolder {
            member: read_member(row)?,
            must_change_password: row.flag("must_change_password")?,
        })
    })
}

/// `id, council_id, title, starts_at, location, status` of `meetings`.
pub fn meeting(row: &impl StoredRow) -> StorageResult<Meeting> {
    stored("meeting", || {
        Ok(Meeting {
            id: MeetingId(row.id("id")?),
            council_id: CouncilId(row.id("council_id")?),
            title: row.text("title")?,
            starts_at: Timestamp(row.big_integer("starts_at")?),
            location: row.text("location")?,
            status: meeting_status(&row.text("status")?)?,
        })
    })
}

/// `id, meeting_id, parent_id, position, title, presenter, planned_minutes, paper_titles`
/// of `agenda_items`; the paper titles are a JSON list.
pub fn agenda_item(row: &impl StoredRow) -> StorageResult<AgendaItem> {
    stored("agenda item", || {
        Ok(AgendaItem {
            id: AgendaItemId(row.id("id")?),
            meeting_id: MeetingId(row.id("meeting_id")?),
            parent_id: row.optional_id("parent_id")?.map(AgendaItemId),
            position: row.integer("position")?,
            title: row.text("title")?,
            presenter: row.optional_text("presenter")?,
            planned_minutes: row.optional_integer("planned_minutes")?,
            paper_titles: row.json("paper_titles")?,
        })
    })
}

/// `size, pages` of the blob named `hash`.
pub fn blob_info(row: &impl StoredRow, hash: &BlobHash) -> StorageResult<BlobInfo> {
    stored("blob", || {
        Ok(BlobInfo {
            hash: hash.clone(),
            size: u64::try_from(row.big_integer("size")?).context("a negative size")?,
            pages: u32::try_from(row.big_integer("pages")?).context("a page count out of range")?,
        })
    })
}

/// `record` of `annotations` or `annotation_revisions`: the annotation as JSON.
pub fn annotation(row: &impl StoredRow) -> StorageResult<Annotation> {
    stored("annotation", || row.json("record"))
}

/// `record, readers` of `annotations`: the current revision and who besides its author may
/// read it (a JSON list of member ids).
pub fn current_annotation(row: &impl StoredRow) -> StorageResult<CurrentAnnotation> {
    stored("annotation", || {
        Ok(CurrentAnnotation {
            annotation: row.json("record")?,
            readers: row.json("readers")?,
        })
    })
}

/// `record` of `opinion_versions`: the opinion's version as JSON.
pub fn opinion(row: &impl StoredRow) -> StorageResult<ecabinet_domain::Opinion> {
    stored("opinion", || row.json("record"))
}

/// `record, asked_version` of `opinion_versions`.
pub fn stored_opinion_version(row: &impl StoredRow) -> StorageResult<StoredOpinionVersion> {
    stored("opinion", || {
        Ok(StoredOpinionVersion {
            opinion: row.json("record")?,
            asked_version: u32::try_from(row.integer("asked_version")?)
                .context("a negative version")?,
        })
    })
}

/// `record` of `sitting_events`: the sitting event as JSON.
pub fn sitting_event(row: &impl StoredRow) -> StorageResult<SittingEvent> {
    stored("sitting event", || row.json("record"))
}

/// `record, voted` of `polls`: the poll as JSON and its voted set as hex.
pub fn stored_poll(row: &impl StoredRow) -> StorageResult<crate::StoredPoll> {
    stored("poll", || {
        let voted = hex::decode(row.text("voted")?).context("a voted set that is not hex")?;
        Ok(crate::StoredPoll {
            poll: row.json("record")?,
            voted: ecabinet_domain::poll::VotedSet::from_bytes(voted),
        })
    })
}

/// `receipt, choice, voter_id, replaced` of `poll_ballots`.
pub fn cast_ballot(row: &impl StoredRow) -> StorageResult<ecabinet_domain::poll::CastBallot> {
    stored("ballot", || {
        let receipt: [u8; 32] = hex::decode(row.text("receipt")?)
            .ok()
            .and_then(|bytes| bytes.try_into().ok())
            .context("a receipt that is not 32 bytes of hex")?;
        Ok(ecabinet_domain::poll::CastBallot {
            receipt: ecabinet_domain::poll::Receipt(receipt),
            choice: row.json("choice")?,
            voter: row.optional_id("voter_id")?.map(MemberId),
            replaced: row.flag("replaced")?,
        })
    })
}

/// `line` of `poll_log`.
pub fn poll_log_line(
    row: &impl StoredRow,
) -> StorageResult<ecabinet_domain::poll::log::PollLogLine> {
    stored("poll log line", || row.json("line"))
}

/// `seq, record` of `change_log`.
pub fn change(row: &impl StoredRow) -> StorageResult<Change> {
    stored("change", || {
        let seq = row.big_integer("seq")?;
        let record = row
            .json("record")
            .with_context(|| format!("change {seq} is not a valid record"))?;
        Ok(Change { seq, record })
    })
}

/// `council_id, record, rev, last_seq` of `conversations`.
pub fn stored_conversation(row: &impl StoredRow) -> StorageResult<crate::StoredConversation> {
    stored("conversation", || {
        Ok(crate::StoredConversation {
            council: CouncilId(row.id("council_id")?),
            conversation: row.json("record")?,
            rev: u64::try_from(row.big_integer("rev")?).context("a negative revision")?,
            last_seq: u64::try_from(row.big_integer("last_seq")?).context("a negative number")?,
        })
    })
}

/// `rev, record` of `chat_messages`.
pub fn chat_entry(row: &impl StoredRow) -> StorageResult<ecabinet_protocol::ChatEntry> {
    stored("chat message", || {
        Ok(ecabinet_protocol::ChatEntry {
            rev: u64::try_from(row.big_integer("rev")?).context("a negative revision")?,
            message: row.json("record")?,
        })
    })
}

/// `member_id, delivered, read, muted` of `chat_marks`.
pub fn chat_mark(row: &impl StoredRow) -> StorageResult<crate::StoredMark> {
    stored("chat mark", || {
        Ok(crate::StoredMark {
            mark: ecabinet_protocol::ChatMark {
                member: MemberId(row.id("member_id")?),
                delivered: u64::try_from(row.big_integer("delivered")?)
                    .context("a negative mark")?,
                read: u64::try_from(row.big_integer("read")?).context("a negative mark")?,
            },
            muted: row.flag("muted")?,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meeting_statuses_are_stored_under_their_json_names() {
        // Databases written before this table existed stored the serde name; both must stay
        // one name, or existing meetings stop loading.
        for (status, name) in MEETING_STATUSES {
            assert_eq!(
                serde_json::to_value(status).unwrap(),
                serde_json::Value::String(name.into()),
                "the stored name of {status:?}"
            );
            assert_eq!(meeting_status(name).unwrap(), status);
            assert_eq!(meeting_status_name(status), name);
        }
        assert!(meeting_status("postponed").is_err());
    }
}
