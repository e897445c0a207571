//! What the secretariat sees while preparing a meeting: its details, programme, papers in
//! the making and participants, from the local store.

use super::{AppCore, parse_id};
use crate::dto::{self, IpcError, IpcErrorCode};
use ecabinet_domain::{AgendaTree, MeetingId, PacketVersion, Participant, Review, Role, Timestamp};

impl AppCore {
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
                    },
                },
                withdrawn: p.withdrawn,
                updated_at: p.updated_at.millis(),
            })
            .collect();
        let latest = store.latest_packet(id)?;
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
