//! Versions 1 and 2 of the demo session's packet: real Vietnamese PDF papers (made by
//! `scripts/demo-papers/`, shipped in `assets/demo/papers/`, compiled in by `build.rs`),
//! attached to the programme, approved by the chair and published by the secretary, so a
//! delegate of the demo opens a complete, readable packet. The session's drafts and a few
//! delegates' opinions on its items (one edited) are seeded beside it.

use crate::ServerState;
use anyhow::Context;
use council_storage::{NewOpinionVersion, NewPacketVersion};
use ecabinet_domain::{
    BlobHash, CouncilId, MeetingId, MeetingStatus, Member, MemberId, Opinion, OpinionId,
    PacketVersion, Paper, PaperFile, PaperId, PaperKind, PaperLink, PaperPlace, Review, Role,
    SectionKind, Timestamp, Visibility,
};
use ecabinet_protocol::BlobInfo;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use uuid::Uuid;

include!(concat!(env!("OUT_DIR"), "/demo_papers.rs"));

const PACKET_JSON: &str = include_str!("../../../assets/demo/packet.json");

#[derive(Deserialize)]
struct DemoPacket {
    papers: Vec<DemoPaper>,
    /// Papers of the session still being prepared: one waiting for the chair, one the chair
    /// returned, so the chair's review and the secretary's side of it show in the demo.
    #[serde(default)]
    drafts: Vec<DemoDraft>,
    /// Opinions delegates sent on the session's items, so the secretary's list of opinions
    /// per item has something to show; an opinion with two versions shows an edit.
    #[serde(default)]
    opinions: Vec<DemoOpinion>,
    /// Amended files the secretariat publishes as the packet's second version, so the demo
    /// shows a replaced paper and what changed inside it.
    #[serde(default)]
    amendments: Vec<DemoAmendment>,
}

#[derive(Deserialize)]
struct DemoOpinion {
    /// The delegate's user name.
    author: String,
    /// The programme item it is on.
    item: String,
    /// The demo file of the paper it quotes.
    paper: String,
    /// Zero-based page of the quote.
    page: u32,
    quote: String,
    /// The opinion's words, version by version.
    versions: Vec<String>,
}

#[derive(Deserialize)]
struct DemoAmendment {
    file: String,
    /// The file of version 1 it replaces.
    replaces: String,
}

#[derive(Deserialize)]
struct DemoDraft {
    file: String,
    title: String,
    kind: PaperKind,
    /// The programme item it belongs to.
    item: String,
    /// The chair's reason, for a paper the chair returned.
    returned: Option<String>,
}

#[derive(Deserialize)]
struct DemoPaper {
    file: String,
    title: String,
    kind: PaperKind,
    place: DemoPlace,
    visibility: DemoVisibility,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum DemoPlace {
    Item(String),
    Section(SectionKind),
}

#[derive(Deserialize)]
#[serde(untagged)]
enum DemoVisibility {
    Everyone(Everyone),
    Named {
        named: Vec<String>,
        title_hidden: bool,
    },
}

#[derive(Deserialize)]
enum Everyone {
    #[serde(rename = "all")]
    All,
}

/// Publishes version 1 of the upcoming demo session's packet, unless it has one already
/// (so a restart, or a start after a crash mid-seed, completes the demo exactly once).
pub async fn publish(state: &ServerState, council: CouncilId) -> anyhow::Result<()> {
    let storage = &state.storage;
    let now = state.clock.now();
    let members = storage.accounts(council, now).await?;
    let by_name = |username: &str| -> anyhow::Result<MemberId> {
        members
            .iter()
            .find(|(m, _)| m.username == username)
            .map(|(m, _)| m.id)
            .with_context(|| format!("demo packet names unknown member {username:?}"))
    };
    let (chair, secretary) = officers(&members)?;
    let Some(meeting) = upcoming_meeting(state, council).await? else {
        return Ok(());
    };
    if storage.latest_packet(meeting).await?.is_some() {
        return Ok(());
    }
    let items = storage.agenda_items(meeting).await?;
    let plan = demo_packet()?;
    let mut papers = Vec::new();
    for (position, demo) in plan.papers.into_iter().enumerate() {
        let blob = store_demo_file(state, council, &demo.file).await?;
        let place = match demo.place {
            DemoPlace::Section(kind) => PaperPlace::Section(kind),
            DemoPlace::Item(title) => PaperPlace::Item(
                items
                    .iter()
                    .find(|i| i.title == title)
                    .map(|i| i.id)
                    .with_context(|| format!("demo packet names unknown agenda item {title:?}"))?,
            ),
        };
        let visibility = match demo.visibility {
            DemoVisibility::Everyone(Everyone::All) => Visibility::AllParticipants,
            DemoVisibility::Named {
                named,
                title_hidden,
            } => Visibility::Named {
                readers: named
                    .iter()
                    .map(|u| by_name(u))
                    .collect::<anyhow::Result<_>>()?,
                title_hidden,
            },
        };
        let paper = Paper {
            id: PaperId(Uuid::new_v4()),
            meeting_id: meeting,
            place,
            position: position as i32 + 1,
            title: demo.title,
            kind: demo.kind,
            visibility,
            file: PaperFile {
                hash: blob.hash,
                size: blob.size,
                pages: blob.pages,
                file_name: demo.file,
            },
            revision: 1,
            source: None,
            // Four eyes: the secretary uploaded it, the chair approved it.
            uploaded_by: Some(secretary),
            review: Review::Approved { by: chair, at: now },
            withdrawn: false,
            updated_at: now,
        };
        storage.put_paper(council, paper.clone()).await?;
        papers.push(paper);
    }
    let meeting_record = storage.meeting(meeting).await?;
    let participants = crate::api::default_participants(state, &meeting_record)
        .await
        .map_err(|e| anyhow::anyhow!("listing demo participants: {e:?}"))?;
    let programme = storage.agenda_items(meeting).await?;
    let version = PacketVersion::freeze(
        meeting,
        None,
        &papers,
        participants,
        programme,
        secretary,
        now,
    )
    .map_err(|refusal| anyhow::anyhow!("freezing the demo packet: {refusal}"))?;
    let head = storage
        .publish_packet(NewPacketVersion { council, version })
        .await?;
    state.live.announce(council, head);
    Ok(())
}

/// Publishes version 2 of the demo session's packet: the amended files of `packet.json`'s
/// `amendments` replace the papers they name (uploaded by the secretary, approved by the
/// chair), unless a second version exists already. Returns whether it published.
pub async fn publish_amendment(state: &ServerState, council: CouncilId) -> anyhow::Result<bool> {
    let storage = &state.storage;
    let now = state.clock.now();
    let members = storage.accounts(council, now).await?;
    let (chair, secretary) = officers(&members)?;
    let Some(meeting) = upcoming_meeting(state, council).await? else {
        return Ok(false);
    };
    let Some(previous) = storage.latest_packet(meeting).await? else {
        return Ok(false);
    };
    if previous.number != 1 {
        return Ok(false);
    }
    let mut papers = storage.papers(meeting).await?;
    for amendment in demo_packet()?.amendments {
        let blob = store_demo_file(state, council, &amendment.file).await?;
        let paper = papers
            .iter_mut()
            .find(|p| p.file.file_name == amendment.replaces)
            .with_context(|| format!("no demo paper has the file {}", amendment.replaces))?;
        let file = PaperFile {
            hash: blob.hash,
            size: blob.size,
            pages: blob.pages,
            file_name: amendment.file,
        };
        if paper.replace_file(file, secretary, now) {
            paper
                .approve(chair, now)
                .map_err(|e| anyhow::anyhow!("approving the amended demo paper: {e:?}"))?;
            storage.put_paper(council, paper.clone()).await?;
        }
    }
    let programme = storage.agenda_items(meeting).await?;
    let version = PacketVersion::freeze(
        meeting,
        Some(&previous),
        &papers,
        previous.participants.clone(),
        programme,
        secretary,
        now,
    )
    .map_err(|refusal| anyhow::anyhow!("freezing the amended demo packet: {refusal}"))?;
    let head = storage
        .publish_packet(NewPacketVersion { council, version })
        .await?;
    state.live.announce(council, head);
    Ok(true)
}

/// Attaches the draft papers of the demo's session in preparation (a meeting still in draft),
/// unless it has papers already.
pub async fn seed_drafts(state: &ServerState, council: CouncilId) -> anyhow::Result<()> {
    let storage = &state.storage;
    let now = state.clock.now();
    let members = storage.accounts(council, now).await?;
    let (chair, secretary) = officers(&members)?;
    let Some(meeting) = storage
        .meetings(council)
        .await?
        .into_iter()
        .find(|m| m.status == MeetingStatus::Draft)
    else {
        return Ok(());
    };
    if !storage.papers(meeting.id).await?.is_empty() {
        return Ok(());
    }
    let items = storage.agenda_items(meeting.id).await?;
    let plan = demo_packet()?;
    for (position, draft) in plan.drafts.into_iter().enumerate() {
        let blob = store_demo_file(state, council, &draft.file).await?;
        let item = items
            .iter()
            .find(|i| i.title == draft.item)
            .with_context(|| format!("demo drafts name unknown agenda item {:?}", draft.item))?;
        let review = match draft.returned {
            Some(reason) => Review::Returned {
                by: chair,
                at: now,
                reason,
            },
            None => Review::Pending,
        };
        let paper = Paper {
            id: PaperId(Uuid::new_v4()),
            meeting_id: meeting.id,
            place: PaperPlace::Item(item.id),
            position: position as i32 + 1,
            title: draft.title,
            kind: draft.kind,
            visibility: Visibility::AllParticipants,
            file: PaperFile {
                hash: blob.hash,
                size: blob.size,
                pages: blob.pages,
                file_name: draft.file,
            },
            revision: 1,
            source: None,
            uploaded_by: Some(secretary),
            review,
            withdrawn: false,
            updated_at: now,
        };
        let head = storage.put_paper(council, paper).await?;
        state.live.announce(council, head);
    }
    Ok(())
}

/// Sends the demo delegates' opinions on the published session's items (every version, an
/// hour apart, the last half an hour ago), by the same rules as the API, unless the session
/// has opinions already or no published packet.
pub async fn seed_opinions(state: &ServerState, council: CouncilId) -> anyhow::Result<()> {
    let storage = &state.storage;
    let now = state.clock.now();
    let Some(meeting) = upcoming_meeting(state, council).await? else {
        return Ok(());
    };
    let Some(version) = storage.latest_packet(meeting).await? else {
        return Ok(());
    };
    if !storage.meeting_opinions(meeting).await?.is_empty() {
        return Ok(());
    }
    let status = storage.meeting(meeting).await?.status;
    let members = storage.accounts(council, now).await?;
    let items = storage.agenda_items(meeting).await?;
    let papers = storage.papers(meeting).await?;
    for demo in demo_packet()?.opinions {
        // A council the demo began as and someone then reshaped (stories rename items,
        // publish other papers) keeps running: an opinion naming what is gone is skipped.
        let found = (
            members.iter().find(|(m, _)| m.username == demo.author),
            items.iter().find(|i| i.title == demo.item),
            papers.iter().find(|p| p.file.file_name == demo.paper),
        );
        let (Some((author, _)), Some(item), Some(paper)) = found else {
            tracing::warn!(
                author = demo.author,
                item = demo.item,
                paper = demo.paper,
                "a demo opinion names what this council no longer has; not sent"
            );
            continue;
        };
        let seat = version
            .participants
            .iter()
            .find(|p| p.member_id == author.id)
            .map(|p| p.meeting_role);
        Opinion::may_send(author.role, seat, status)
            .map_err(|refusal| anyhow::anyhow!("demo opinion of {}: {refusal}", demo.author))?;
        let id = OpinionId(Uuid::new_v4());
        let count = demo.versions.len() as i64;
        for (index, body) in demo.versions.into_iter().enumerate() {
            let hours_ago = count - index as i64;
            let opinion = Opinion {
                id,
                author: author.id,
                meeting_id: meeting,
                item_id: item.id,
                paper: Some(PaperLink {
                    paper_id: paper.id,
                    page: demo.page,
                    quote: Some(demo.quote.clone()),
                }),
                body,
                version: index as u32 + 1,
                sent_at: Timestamp(now.millis() - hours_ago * 3_600_000 + 1_800_000),
                withdrawn: false,
            };
            opinion
                .check(item.meeting_id == meeting)
                .map_err(|refusal| anyhow::anyhow!("demo opinion of {}: {refusal}", demo.author))?;
            let written = storage
                .write_opinion(NewOpinionVersion { council, opinion })
                .await?;
            if let Some(head) = written.head {
                state.live.announce(council, head);
            }
        }
    }
    Ok(())
}

/// The demo council's chair and secretary.
fn officers(members: &[(Member, u32)]) -> anyhow::Result<(MemberId, MemberId)> {
    let with_role = |role: Role| {
        members
            .iter()
            .find(|(m, _)| m.role == role)
            .map(|(m, _)| m.id)
            .with_context(|| format!("the demo council has no {role:?}"))
    };
    Ok((with_role(Role::Chair)?, with_role(Role::Secretary)?))
}

fn demo_packet() -> anyhow::Result<DemoPacket> {
    serde_json::from_str(PACKET_JSON).context("reading assets/demo/packet.json")
}

/// Stores the demo paper compiled in as `file` for the council, as an upload would.
async fn store_demo_file(
    state: &ServerState,
    council: CouncilId,
    file: &str,
) -> anyhow::Result<BlobInfo> {
    let bytes = DEMO_PAPER_FILES
        .iter()
        .find(|(name, _)| *name == file)
        .map(|(_, bytes)| *bytes)
        .with_context(|| format!("demo paper {file} was not compiled in"))?;
    store_blob(state, council, bytes)
        .await
        .with_context(|| format!("storing demo paper {file}"))
}

/// The bytes of a demo paper compiled in, by its file name.
pub(crate) fn demo_file(file: &str) -> Option<&'static [u8]> {
    DEMO_PAPER_FILES
        .iter()
        .find(|(name, _)| *name == file)
        .map(|(_, bytes)| *bytes)
}

/// The demo session: the first meeting that has not started yet.
pub(crate) async fn upcoming_meeting(
    state: &ServerState,
    council: CouncilId,
) -> anyhow::Result<Option<MeetingId>> {
    let now = state.clock.now();
    let mut meetings = state.storage.meetings(council).await?;
    meetings.retain(|m| m.starts_at > now);
    meetings.sort_by_key(|m| m.starts_at);
    Ok(meetings.first().map(|m| m.id))
}

/// Checks and stores one demo file exactly as an upload would be.
async fn store_blob(
    state: &ServerState,
    council: CouncilId,
    bytes: &'static [u8],
) -> anyhow::Result<BlobInfo> {
    let hash = BlobHash::parse(&hex::encode(Sha256::digest(bytes))).context("hashing")?;
    if let Some(info) = state.storage.council_blob(council, &hash).await? {
        return Ok(info);
    }
    let staged = tempfile::Builder::new()
        .prefix("demo-")
        .tempfile_in(state.blobs.staging_dir())?
        .into_temp_path();
    std::fs::write(&staged, bytes)?;
    let path = staged.to_path_buf();
    let checker = state.papers.clone();
    let pages = tokio::task::spawn_blocking(move || checker.inspect(&path))
        .await?
        .map_err(|e| anyhow::anyhow!("the demo paper is refused: {e:?}"))?;
    state.blobs.put(&hash, &staged).await?;
    let _ = staged.keep();
    let info = BlobInfo {
        hash,
        size: bytes.len() as u64,
        pages,
    };
    state.storage.put_blob(council, info.clone()).await?;
    Ok(info)
}
