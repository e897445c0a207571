//! The app's state behind the commands: the local store, the PDF engine, and the sync loop
//! of whoever is signed in. Knows nothing of windows; events go out through [`Notify`].

use crate::dto::{self, IpcError, IpcErrorCode};
use anyhow::Context;
use ecabinet_domain::{AgendaTree, Clock, MeetingId, SystemClock};
use ecabinet_pdf::PdfEngine;
use ecabinet_store::{Store, StoredSession};
use ecabinet_sync::{Backoff, CouncilClient, SyncHandle};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Where the sync loop reports: the Tauri shell turns these into window events.
pub trait Notify: Send + Sync + 'static {
    fn sync_status(&self, status: dto::SyncStatus);
    fn store_changed(&self, change: dto::StoreChanged);
}

pub struct AppCore {
    store: Arc<Mutex<Store>>,
    clock: Arc<dyn Clock>,
    pdf: Result<PdfEngine, String>,
    sync: tokio::sync::Mutex<Option<SyncHandle>>,
    notify: Arc<dyn Notify>,
}

impl AppCore {
    /// Opens the local store in `data_dir` and binds PDFium. A missing PDFium is reported
    /// in the snapshot, not fatal: the programme and sync work without it.
    pub fn open(data_dir: &Path, notify: Arc<dyn Notify>) -> anyhow::Result<AppCore> {
        let store =
            Store::open(&data_dir.join("ecabinet.db")).context("opening the local store")?;
        let pdf = PdfEngine::bind().map_err(|e| e.to_string());
        match &pdf {
            Ok(engine) => tracing::info!("PDFium bound from {}", engine.library_path().display()),
            Err(e) => tracing::warn!("PDFium unavailable: {e}"),
        }
        Ok(AppCore {
            store: Arc::new(Mutex::new(store)),
            clock: Arc::new(SystemClock),
            pdf,
            sync: tokio::sync::Mutex::new(None),
            notify,
        })
    }

    fn store(&self) -> std::sync::MutexGuard<'_, Store> {
        self.store
            .lock()
            .expect("a panic while holding the store lock")
    }

    fn session(&self) -> Result<StoredSession, IpcError> {
        self.store().session()?.ok_or_else(IpcError::not_signed_in)
    }

    /// Starts following the server if someone is signed in (called once at start-up).
    pub async fn resume(&self) -> anyhow::Result<()> {
        let session = self.store().session()?;
        if let Some(session) = session {
            self.start_sync(session).await;
        }
        Ok(())
    }

    async fn start_sync(&self, session: StoredSession) {
        let mut slot = self.sync.lock().await;
        if let Some(old) = slot.take() {
            old.stop().await;
        }
        let handle = ecabinet_sync::spawn(
            self.store.clone(),
            session,
            self.clock.clone(),
            Backoff::default(),
        );
        tokio::spawn(forward(handle.status(), self.notify.clone()));
        *slot = Some(handle);
    }

    pub async fn snapshot(&self) -> Result<dto::AppSnapshot, IpcError> {
        let session = self.store().session()?;
        let sync = match (&session, self.sync.lock().await.as_ref()) {
            (Some(_), Some(handle)) => dto::SyncStatus::from(&*handle.status().borrow()),
            _ => dto::SyncStatus {
                connection: dto::ConnectionState::SignedOut,
                last_synced_at: self.store().last_synced_at()?.map(|t| t.millis()),
                detail: None,
            },
        };
        let pdf_engine = match &self.pdf {
            Ok(engine) => dto::PdfEngineStatus {
                available: true,
                detail: format!("PDFium: {}", engine.library_path().display()),
            },
            Err(e) => dto::PdfEngineStatus {
                available: false,
                detail: e.clone(),
            },
        };
        Ok(dto::AppSnapshot {
            session: session.as_ref().map(Into::into),
            sync,
            pdf_engine,
        })
    }

    pub async fn login(
        &self,
        server_url: &str,
        username: &str,
        password: &str,
    ) -> Result<dto::SessionInfo, IpcError> {
        let client = CouncilClient::new(server_url)?;
        let response = client.login(username.trim(), password).await?;
        let session = StoredSession {
            server_url: client.server_url(),
            token: response.token,
            member: response.member,
            council: response.council,
        };
        self.store().save_session(&session)?;
        tracing::info!(user = %session.member.username, server = %session.server_url, "signed in");
        let info = dto::SessionInfo::from(&session);
        self.start_sync(session).await;
        Ok(info)
    }

    /// Signs out here at once; telling the server is best effort, so logout works offline.
    pub async fn logout(&self) -> Result<(), IpcError> {
        if let Some(handle) = self.sync.lock().await.take() {
            handle.stop().await;
        }
        let Some(session) = self.store().session()? else {
            return Ok(());
        };
        self.store().clear_session()?;
        if let Ok(client) = CouncilClient::new(&session.server_url) {
            let reason =
                match tokio::time::timeout(Duration::from_secs(3), client.logout(&session.token))
                    .await
                {
                    Ok(Ok(())) => None,
                    Ok(Err(e)) => Some(e.to_string()),
                    Err(_) => Some("no answer within 3 s".to_owned()),
                };
            if let Some(reason) = reason {
                tracing::info!(
                    "could not revoke the token on the server (it expires on its own): {reason}"
                );
            }
        }
        Ok(())
    }

    pub fn meetings(&self) -> Result<Vec<dto::MeetingSummary>, IpcError> {
        self.session()?;
        Ok(self.store().meetings()?.iter().map(Into::into).collect())
    }

    pub fn agenda(&self, meeting_id: &str) -> Result<dto::MeetingAgenda, IpcError> {
        self.session()?;
        let not_found =
            || IpcError::new(IpcErrorCode::NotFound, "this meeting is not on this device");
        let id: MeetingId = meeting_id.parse().map_err(|_| not_found())?;
        let store = self.store();
        let meeting = store.meeting(id)?.ok_or_else(not_found)?;
        let items = store.agenda_items(id)?;
        let item_count = items.len() as u32;
        let listing = ecabinet_store::MeetingListing {
            meeting,
            item_count,
        };
        Ok(dto::MeetingAgenda {
            meeting: (&listing).into(),
            items: AgendaTree::build(items)
                .roots
                .into_iter()
                .map(Into::into)
                .collect(),
        })
    }
}

/// Relays a sync loop's status to the window until the loop ends.
async fn forward(
    mut status: tokio::sync::watch::Receiver<ecabinet_sync::SyncStatus>,
    notify: Arc<dyn Notify>,
) {
    let mut cursor = status.borrow().cursor;
    loop {
        let current = status.borrow_and_update().clone();
        notify.sync_status((&current).into());
        if current.cursor != cursor {
            cursor = current.cursor;
            notify.store_changed(dto::StoreChanged { cursor });
        }
        if status.changed().await.is_err() {
            return;
        }
    }
}
