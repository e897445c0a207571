//! What the secretariat sees while preparing a meeting (and the chair while reviewing it):
//! its details, programme, papers in the making and participants, from the local store,
//! and a paper in the making opened in the reader.

use super::reader::OpenedDocument;
use super::{AppCore, parse_id};
use crate::dto::{self, IpcError, IpcErrorCode};
use ecabinet_domain::{
    AgendaTree, MeetingId, PacketVersion, PaperId, Participant, Review, ReviewRefusal, Role,
    Timestamp,
};
use ecabinet_sync::{CouncilClient, PaperFileError};

impl AppCore {
    /// Opens a paper in the making in the reader: what the chair is asked to approve, as
    /// it is now. Drafts reach no published version, so the downloader does not bring their
    /// files; one not on this device yet is fetched now, and opened only once its bytes
    /// hash to the paper's, as a published paper's are.
    pub async fn open_draft_paper(&self, paper_id: &str) -> Result<dto::OpenedPaper, IpcError> {
        let session = self.session()?;
        let id: PaperId = parse_id(paper_id)?;
        let paper = self.store().paper(id)?.ok_or_else(|| {
            IpcError::new(IpcErrorCode::NotFound, "this paper is not on this device")
        })?;
        let hash = paper.file.hash.clone();
        let read = || tokio::task::block_in_place(|| self.files.read_verified(&hash));
        let bytes = match read() {
            Ok(bytes) => bytes,
            Err(
                PaperFileError::NotDownloaded | PaperFileError::Missing | PaperFileError::Damaged,
            ) => {
                let client = CouncilClient::new(&session.server_url)?;
                self.files
                    .fetch_now(&client, &session.token, &hash, paper.file.size)
                    .await?;
                read()?
            }
            Err(e) => return Err(e.into()),
        };
        let document = tokio::task::block_in_place(|| -> Result<_, IpcError> {
            Ok(self.pdf_workers()?.open_bytes(bytes, None)?)
        })?;
        self.show(
            OpenedDocument {
                id: paper.id.to_string(),
                // The same paper as it will be published: one reading position for both.
                position_key: paper.id.to_string(),
                title: paper.title,
                // The search index holds published papers only.
                index_key: None,
                searchable_if_unindexed: None,
            },
            document,
            false,
        )
    }

    pub fn meeting_draft(&self, meeting_id: &str) -> Result<dto::MeetingDraft, IpcError> {
        let session = self.session()?;
        let id: MeetingId = parse_id(meeting_id)?;
        let store = self.store();
        let meeting = store.meeting(id)?.ok_or_else(|| {
            IpcError::new(IpcErrorCode::NotFound, "this meeting is not on this device")
        })?;
        let items = store.agenda_items(id)?;
        let members = store.members()?;
        let working = store.participants(id)?;
        let (participants, participants_are_default) = if working.is_empty() {
            (Participant::defaults(&members), true)
        } else {
            (working, false)
        };
        let name_of = |member| {
            members
                .iter()
                .find(|m| m.id == member)
                .map(|m| m.display_name.clone())
        };
        let latest = store.latest_packet(id)?;
        let papers = store
            .papers(id)?
            .iter()
            .map(|p| dto::DraftPaperView {
                paper_id: p.id.to_string(),
                place: p.place.into(),
                position: p.position,
                title: p.title.clone(),
                kind: p.kind.into(),
                visibility: (&p.visibility).into(),
                file: (&p.file).into(),
                revision: p.revision,
                source: p.source.clone(),
                review: match &p.review {
                    Review::Pending => dto::ReviewView::Pending,
                    Review::Approved { by, at } => dto::ReviewView::Approved {
                        by: name_of(*by),
                        at: at.millis(),
                        // The domain's rule, asked of a copy: would withdrawing be refused?
                        published: matches!(
                            p.clone().withdraw_approval(latest.as_ref()),
                            Err(ReviewRefusal::AlreadyPublished { .. })
                        ),
                    },
                    Review::Returned { by, at, reason } => dto::ReviewView::Returned {
                        by: name_of(*by),
                        at: at.millis(),
                        reason: reason.clone(),
                    },
                },
                withdrawn: p.withdrawn,
                updated_at: p.updated_at.millis(),
            })
            .collect();
        let published_version = latest.as_ref().map(|v| v.number);
        // What the server would freeze if the secretary published now (`published_by` and
        // the time do not matter to what changes).
        let next = PacketVersion::freeze(
            id,
            latest.as_ref(),
            &store.papers(id)?,
            participants.clone(),
            items.clone(),
            session.member.id,
            Timestamp(0),
        );
        let publish = dto::PublishOutlook::new(latest.as_ref(), next);
        let listing = ecabinet_store::MeetingListing {
            item_count: items.len() as u32,
            meeting,
        };
        Ok(dto::MeetingDraft {
            meeting: (&listing).into(),
            items: AgendaTree::build(items)
                .roots
                .into_iter()
                .map(Into::into)
                .collect(),
            papers,
            participants: participants.iter().map(Into::into).collect(),
            participants_are_default,
            members: members
                .iter()
                .filter(|m| m.role != Role::Administrator)
                .map(Into::into)
                .collect(),
            published_version,
            publish,
        })
    }
}
