//! Reading a meeting's packet: the latest version with its change marks, the delegate
//! list, acknowledging news, and how much of the device each meeting's papers take.

use super::{AppCore, parse_id};
use crate::dto::{self, IpcError};
use ecabinet_domain::MeetingId;

impl AppCore {
    /// The latest published packet of a meeting as the signed-in member received it, or
    /// `None` before the first version.
    pub fn meeting_packet(&self, meeting_id: &str) -> Result<Option<dto::MeetingPacket>, IpcError> {
        let session = self.session()?;
        let meeting: MeetingId = parse_id(meeting_id)?;
        let store = self.store();
        let Some(view) = store.packet_view(meeting, session.member.id)? else {
            return Ok(None);
        };
        let released = store
            .storage_by_meeting()?
            .iter()
            .any(|m| m.meeting_id == meeting && m.released);
        Ok(Some(dto::MeetingPacket {
            meeting_id: meeting.to_string(),
            version: view.version.number,
            published_at: view.version.published_at.millis(),
            baseline: view.baseline,
            papers: view.papers.iter().map(Into::into).collect(),
            removed_titles: view.removed_titles,
            total_bytes: view.total_bytes,
            held_bytes: view.held_bytes,
            participants: view.version.participants.iter().map(Into::into).collect(),
            released,
        }))
    }

    /// The member has seen what changed: marks are measured from the latest version on.
    pub fn acknowledge_packet(&self, meeting_id: &str) -> Result<(), IpcError> {
        let session = self.session()?;
        let meeting: MeetingId = parse_id(meeting_id)?;
        self.store()
            .acknowledge_packet(session.member.id, meeting)?;
        Ok(())
    }

    /// Space per meeting, newest meeting first.
    pub fn storage_overview(&self) -> Result<Vec<dto::MeetingStorageView>, IpcError> {
        self.session()?;
        Ok(self
            .store()
            .storage_by_meeting()?
            .iter()
            .map(Into::into)
            .collect())
    }
}

impl AppCore {
    /// Removes a meeting's papers from this device (files no kept meeting uses) and stops
    /// fetching them.
    pub async fn release_meeting(&self, meeting_id: &str) -> Result<(), IpcError> {
        self.session()?;
        let meeting: MeetingId = parse_id(meeting_id)?;
        let files = self.files.clone();
        let freed = tokio::task::spawn_blocking(move || files.release_meeting(meeting))
            .await
            .map_err(super::task_failed)??;
        tracing::info!("released meeting {meeting}: {freed} bytes freed");
        // The search index forgets the text of the papers that left.
        self.index_wake.notify_one();
        Ok(())
    }

    /// Keeps a released meeting's papers on this device again; they are fetched anew.
    pub async fn keep_meeting(&self, meeting_id: &str) -> Result<(), IpcError> {
        self.session()?;
        let meeting: MeetingId = parse_id(meeting_id)?;
        self.store().keep_meeting(meeting)?;
        self.files.kick();
        Ok(())
    }

    pub async fn download_progress(&self) -> dto::DownloadProgress {
        // A session the server ended is forgotten by the sync loop while the downloader
        // still stands, idle: nobody is signed in, whatever it last said (as `snapshot`).
        let signed_in = matches!(self.store().session(), Ok(Some(_)));
        match self.following.lock().await.as_ref() {
            Some(super::Following {
                downloads: Some(downloads),
                ..
            }) if signed_in => dto::DownloadProgress::from(&*downloads.progress().borrow()),
            _ => dto::DownloadProgress::signed_out(),
        }
    }

    pub async fn pause_downloads(&self, paused: bool) -> Result<(), IpcError> {
        self.session()?;
        if let Some(super::Following {
            downloads: Some(downloads),
            ..
        }) = self.following.lock().await.as_ref()
        {
            if paused {
                downloads.pause();
            } else {
                downloads.resume();
            }
        }
        Ok(())
    }
}
