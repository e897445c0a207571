//! The secretariat's changes: each is a request to the council server, after which the
//! core pulls the change log, so the store (and the screen reloaded from it) shows the
//! result as soon as the command returns. The server decides; nothing is changed locally
//! first, since a refused change must never look made.

use super::{AppCore, parse_id};
use crate::dto::{self, IpcError, IpcErrorCode};
use ecabinet_domain::agenda_moves::{self, Movement};
use ecabinet_domain::{AgendaItemId, MeetingId, MemberId, PaperId, Timestamp};
use ecabinet_protocol::{
    AgendaItemPatch, MeetingPatch, NewAgendaItem, NewMeeting, PaperPatch, ParticipantEntry,
};
use ecabinet_store::StoredSession;
use ecabinet_sync::{CouncilClient, SyncError};

impl AppCore {
    /// Runs one change against the server as the signed-in member, then catches up with
    /// the change log whatever the answer (a refusal may come with news: someone else
    /// published first, an approval lapsed).
    pub(super) async fn change<T>(
        &self,
        request: impl AsyncFnOnce(&CouncilClient, &str) -> Result<T, SyncError>,
    ) -> Result<T, IpcError> {
        let session = self.session()?;
        let client = CouncilClient::new(&session.server_url)?;
        let answer = request(&client, &session.token).await;
        self.catch_up(&client, &session).await;
        Ok(answer?)
    }

    /// Pulls what the server has now; a failure only means the live loop brings it later.
    pub(super) async fn catch_up(&self, client: &CouncilClient, session: &StoredSession) {
        match ecabinet_sync::pull_all(client, &session.token, &self.store, self.clock.as_ref())
            .await
        {
            Ok(cursor) => {
                self.notify.store_changed(dto::StoreChanged { cursor });
                self.store_cursor.send_replace(cursor);
                // A new packet version may need files.
                self.files.kick();
            }
            Err(e) => tracing::info!("catching up after a change: {e}"),
        }
    }

    /// Creates a meeting of the member's council; returns its id once it is in the store.
    pub async fn create_meeting(&self, details: dto::MeetingDetails) -> Result<String, IpcError> {
        let meeting = NewMeeting {
            title: details.title,
            starts_at: Timestamp(details.starts_at),
            location: details.location,
        };
        let created = self
            .change(async |client, token| client.create_meeting(token, &meeting).await)
            .await?;
        Ok(created.id.to_string())
    }

    /// Files a session that is over away, or brings it back.
    pub async fn archive_meeting(&self, meeting_id: &str, archived: bool) -> Result<(), IpcError> {
        let meeting: MeetingId = parse_id(meeting_id)?;
        let patch = MeetingPatch {
            archived: Some(archived),
            ..Default::default()
        };
        self.change(async |client, token| client.patch_meeting(token, meeting, &patch).await)
            .await?;
        Ok(())
    }

    pub async fn update_meeting(
        &self,
        meeting_id: &str,
        details: dto::MeetingDetails,
    ) -> Result<(), IpcError> {
        let meeting: MeetingId = parse_id(meeting_id)?;
        let patch = MeetingPatch {
            title: Some(details.title),
            starts_at: Some(Timestamp(details.starts_at)),
            location: Some(details.location),
            archived: None,
        };
        self.change(async |client, token| client.patch_meeting(token, meeting, &patch).await)
            .await?;
        Ok(())
    }

    /// Adds an item at the end of the programme, or at the end of `parent_id`'s sub-items.
    pub async fn add_agenda_item(
        &self,
        meeting_id: &str,
        parent_id: Option<String>,
        details: dto::AgendaItemDetails,
    ) -> Result<(), IpcError> {
        let meeting: MeetingId = parse_id(meeting_id)?;
        let parent: Option<AgendaItemId> = parent_id.as_deref().map(parse_id).transpose()?;
        let last = self
            .store()
            .agenda_items(meeting)?
            .iter()
            .filter(|i| i.parent_id == parent)
            .map(|i| i.position)
            .max()
            .unwrap_or(0);
        let item = NewAgendaItem {
            parent_id: parent,
            position: last + 10,
            title: details.title,
            presenter: details.presenter,
            planned_minutes: details.planned_minutes,
            paper_titles: Vec::new(),
        };
        self.change(async |client, token| client.add_agenda_item(token, meeting, &item).await)
            .await?;
        Ok(())
    }

    /// Sets an item's title, presenter and planned time as the form shows them: an empty
    /// presenter or planned time clears it. The item's place is left alone.
    pub async fn update_agenda_item(
        &self,
        item_id: &str,
        details: dto::AgendaItemDetails,
    ) -> Result<(), IpcError> {
        let item: AgendaItemId = parse_id(item_id)?;
        let patch = AgendaItemPatch {
            title: Some(details.title),
            presenter: Some(details.presenter.unwrap_or_default()),
            planned_minutes: Some(details.planned_minutes),
            ..Default::default()
        };
        self.change(async |client, token| client.patch_agenda_item(token, item, &patch).await)
            .await?;
        Ok(())
    }

    /// Moves an item (see [`agenda_moves`], a rule of the domain): one patch per item whose
    /// place changes.
    pub async fn move_agenda_item(
        &self,
        item_id: &str,
        movement: dto::AgendaMove,
    ) -> Result<(), IpcError> {
        let item: AgendaItemId = parse_id(item_id)?;
        let movement = match movement {
            dto::AgendaMove::Up => Movement::Up,
            dto::AgendaMove::Down => Movement::Down,
            dto::AgendaMove::Indent => Movement::Indent,
            dto::AgendaMove::Outdent => Movement::Outdent,
            dto::AgendaMove::To { parent_id, index } => Movement::To {
                parent: parent_id.as_deref().map(parse_id).transpose()?,
                index: index as usize,
            },
        };
        let placements = {
            let store = self.store();
            let meeting = store
                .agenda_item(item)?
                .ok_or_else(|| {
                    IpcError::new(IpcErrorCode::NotFound, "the item is not on this device")
                })?
                .meeting_id;
            agenda_moves::plan(&store.agenda_items(meeting)?, item, movement)
                .map_err(|refusal| IpcError::new(IpcErrorCode::BadRequest, refusal.to_string()))?
        };
        self.change(async |client, token| {
            for placement in &placements {
                let patch = AgendaItemPatch {
                    position: Some(placement.position),
                    parent_id: placement.parent,
                    ..Default::default()
                };
                client
                    .patch_agenda_item(token, placement.item, &patch)
                    .await?;
            }
            Ok(())
        })
        .await
    }

    pub async fn set_participants(
        &self,
        meeting_id: &str,
        participants: Vec<dto::ParticipantChoice>,
    ) -> Result<(), IpcError> {
        let meeting: MeetingId = parse_id(meeting_id)?;
        let entries = participants
            .into_iter()
            .map(|p| {
                Ok(ParticipantEntry {
                    member_id: parse_id::<MemberId>(&p.member_id)?,
                    meeting_role: p.meeting_role.into(),
                    votes: p.votes,
                })
            })
            .collect::<Result<Vec<_>, IpcError>>()?;
        self.change(async |client, token| client.put_participants(token, meeting, &entries).await)
            .await?;
        Ok(())
    }

    /// Changes a paper's title, kind, visibility or place, or withdraws or restores it.
    pub async fn update_paper(
        &self,
        paper_id: &str,
        changes: dto::PaperChanges,
    ) -> Result<(), IpcError> {
        let paper: PaperId = parse_id(paper_id)?;
        let patch = PaperPatch {
            title: changes.title,
            kind: changes.kind.map(Into::into),
            visibility: changes.visibility.map(TryInto::try_into).transpose()?,
            place: changes.place.map(TryInto::try_into).transpose()?,
            withdrawn: changes.withdrawn,
            ..Default::default()
        };
        self.change(async |client, token| client.patch_paper(token, paper, &patch).await)
            .await?;
        Ok(())
    }

    pub async fn approve_paper(&self, paper_id: &str) -> Result<(), IpcError> {
        let paper: PaperId = parse_id(paper_id)?;
        self.change(async |client, token| client.approve_paper(token, paper).await)
            .await?;
        Ok(())
    }

    /// Returns a paper awaiting review to the secretariat, saying why (the chair).
    pub async fn return_paper(&self, paper_id: &str, reason: &str) -> Result<(), IpcError> {
        let paper: PaperId = parse_id(paper_id)?;
        self.change(async |client, token| client.return_paper(token, paper, reason).await)
            .await?;
        Ok(())
    }

    /// Withdraws a paper's approval before it is published (the chair).
    pub async fn withdraw_paper_approval(&self, paper_id: &str) -> Result<(), IpcError> {
        let paper: PaperId = parse_id(paper_id)?;
        self.change(async |client, token| client.withdraw_approval(token, paper).await)
            .await?;
        Ok(())
    }

    /// Publishes version `expected_number`; the server refuses when someone published
    /// first, when papers wait for approval, or when nothing changed.
    pub async fn publish_packet(
        &self,
        meeting_id: &str,
        expected_number: u32,
    ) -> Result<dto::PublishedVersion, IpcError> {
        let meeting: MeetingId = parse_id(meeting_id)?;
        let version = self
            .change(async |client, token| {
                client.publish_packet(token, meeting, expected_number).await
            })
            .await?;
        tracing::info!(meeting = %meeting, number = version.number, "published a packet version");
        Ok(dto::PublishedVersion {
            number: version.number,
        })
    }
}
