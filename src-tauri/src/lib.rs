//! The eCabinet desktop app: a thin Tauri shell.
//!
//! Commands convert arguments, call [`core::AppCore`] (which calls the library crates) and
//! map errors to [`dto::IpcError`]. Nothing here decides a council rule, talks SQL or
//! speaks HTTP; see ARCHITECTURE.md.

mod core;
pub mod dto;
mod error;

use crate::core::{AppCore, Notify};
use dto::IpcError;
use std::path::PathBuf;
use std::sync::Arc;
use tauri::{AppHandle, Emitter, Manager, State};
use tracing_subscriber::EnvFilter;

#[tauri::command]
async fn app_snapshot(core: State<'_, AppCore>) -> Result<dto::AppSnapshot, IpcError> {
    core.snapshot().await
}

#[tauri::command]
async fn login(
    core: State<'_, AppCore>,
    server_url: String,
    username: String,
    password: String,
) -> Result<dto::SessionInfo, IpcError> {
    core.login(&server_url, &username, &password).await
}

#[tauri::command]
async fn logout(core: State<'_, AppCore>) -> Result<(), IpcError> {
    core.logout().await
}

#[tauri::command]
async fn list_meetings(core: State<'_, AppCore>) -> Result<Vec<dto::MeetingSummary>, IpcError> {
    core.meetings()
}

#[tauri::command]
async fn meeting_agenda(
    core: State<'_, AppCore>,
    meeting_id: String,
) -> Result<dto::MeetingAgenda, IpcError> {
    core.agenda(&meeting_id)
}

/// Sends the sync loop's news to every window.
struct WindowEvents(AppHandle);

impl Notify for WindowEvents {
    fn sync_status(&self, status: dto::SyncStatus) {
        if let Err(e) = self.0.emit("sync-status", status) {
            tracing::warn!("emitting sync-status: {e}");
        }
    }

    fn store_changed(&self, change: dto::StoreChanged) {
        if let Err(e) = self.0.emit("store-changed", change) {
            tracing::warn!("emitting store-changed: {e}");
        }
    }
}

/// `ECABINET_DATA_DIR` when set (tests, portable installs), else the platform's app data dir.
fn data_dir(app: &AppHandle) -> anyhow::Result<PathBuf> {
    match std::env::var_os("ECABINET_DATA_DIR").filter(|d| !d.is_empty()) {
        Some(dir) => Ok(PathBuf::from(dir)),
        None => Ok(app.path().app_data_dir()?),
    }
}

pub fn run() {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_env("ECABINET_LOG").unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    tauri::Builder::default()
        .setup(|app| {
            let handle = app.handle().clone();
            let dir = data_dir(&handle)?;
            tracing::info!("local data in {}", dir.display());
            let core = AppCore::open(&dir, Arc::new(WindowEvents(handle.clone())))?;
            app.manage(core);
            tauri::async_runtime::spawn(async move {
                if let Err(e) = handle.state::<AppCore>().resume().await {
                    tracing::error!("resuming the saved session: {e:#}");
                }
            });
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            app_snapshot,
            login,
            logout,
            list_meetings,
            meeting_agenda
        ])
        .run(tauri::generate_context!())
        .expect("running the eCabinet app");
}
