//! The eCabinet desktop app: a thin Tauri shell over `ecabinet-app`.
//!
//! Commands convert arguments, call [`AppCore`] and return its answers; the shell adds only
//! what needs a window: the system's file dialogs, drag and drop, full screen, and turning
//! the core's [`Notify`] calls into window events. The commands are listed once, in
//! `ecabinet_app::with_app_commands!`. Nothing here decides a council rule, talks SQL or
//! speaks HTTP; see ARCHITECTURE.md.

use ecabinet_app::dto::{self, IpcError};
use ecabinet_app::ipc::{self, AppEvent};
use ecabinet_app::{AppCore, AppSetup, Notify};
use serde::Serialize;
use std::path::PathBuf;
use std::sync::Arc;
use tauri::{
    AppHandle, DragDropEvent, Emitter, Manager, State, Window, WindowEvent, Wry, generate_handler,
};
use tauri_plugin_dialog::{DialogExt, FilePath};
use tracing_subscriber::EnvFilter;

/// The core as the commands get it: shared, since the watched folder's task holds it too.
type Core<'a> = State<'a, Arc<AppCore>>;

#[tauri::command]
async fn app_snapshot(core: Core<'_>) -> Result<dto::AppSnapshot, IpcError> {
    core.snapshot().await
}

#[tauri::command]
async fn login(
    core: Core<'_>,
    server_url: String,
    username: String,
    password: String,
) -> Result<dto::SessionInfo, IpcError> {
    core.login(&server_url, &username, &password).await
}

#[tauri::command]
async fn logout(core: Core<'_>) -> Result<(), IpcError> {
    core.logout().await
}

/// After a login whose password an administrator set: the member's own password, then
/// the session as a login gives it.
#[tauri::command]
async fn complete_first_login(
    core: Core<'_>,
    current_password: String,
    new_password: String,
) -> Result<dto::SessionInfo, IpcError> {
    core.complete_first_login(&current_password, &new_password)
        .await
}

#[tauri::command]
async fn change_own_password(
    core: Core<'_>,
    current_password: String,
    new_password: String,
) -> Result<(), IpcError> {
    core.change_own_password(&current_password, &new_password)
        .await
}

#[tauri::command]
async fn list_accounts(core: Core<'_>) -> Result<Vec<dto::AccountView>, IpcError> {
    core.accounts().await
}

#[tauri::command]
async fn create_account(
    core: Core<'_>,
    details: dto::NewAccountDetails,
) -> Result<dto::AccountCreatedView, IpcError> {
    core.create_account(details).await
}

#[tauri::command]
async fn update_account(
    core: Core<'_>,
    member_id: String,
    changes: dto::AccountChanges,
) -> Result<dto::AccountView, IpcError> {
    core.update_account(&member_id, changes).await
}

#[tauri::command]
async fn reset_account_password(
    core: Core<'_>,
    member_id: String,
) -> Result<Option<String>, IpcError> {
    core.reset_password(&member_id).await
}

/// Asks for a member list (CSV) with the system's dialog, here rather than in the window,
/// so the UI never handles a path.
#[tauri::command]
async fn import_members(
    app: AppHandle,
    window: Window,
    core: Core<'_>,
) -> Result<dto::MemberImportOutcome, IpcError> {
    let (answer, chosen) = tokio::sync::oneshot::channel();
    app.dialog()
        .file()
        .set_parent(&window)
        .add_filter("CSV", &["csv", "CSV", "txt"])
        .pick_file(move |file| {
            let _ = answer.send(file.and_then(into_path));
        });
    match chosen.await.ok().flatten() {
        Some(path) => core.import_members(&path).await,
        None => Ok(dto::MemberImportOutcome::Cancelled),
    }
}

#[tauri::command]
async fn list_meetings(core: Core<'_>) -> Result<Vec<dto::MeetingSummary>, IpcError> {
    core.meetings()
}

#[tauri::command]
async fn meeting_agenda(
    core: Core<'_>,
    meeting_id: String,
) -> Result<dto::MeetingAgenda, IpcError> {
    core.agenda(&meeting_id)
}

#[tauri::command]
async fn meeting_packet(
    core: Core<'_>,
    meeting_id: String,
) -> Result<Option<dto::MeetingPacket>, IpcError> {
    core.meeting_packet(&meeting_id)
}

#[tauri::command]
async fn acknowledge_packet(core: Core<'_>, meeting_id: String) -> Result<(), IpcError> {
    core.acknowledge_packet(&meeting_id)
}

#[tauri::command]
async fn storage_overview(core: Core<'_>) -> Result<Vec<dto::MeetingStorageView>, IpcError> {
    core.storage_overview()
}

#[tauri::command]
async fn release_meeting(core: Core<'_>, meeting_id: String) -> Result<(), IpcError> {
    core.release_meeting(&meeting_id).await
}

#[tauri::command]
async fn keep_meeting(core: Core<'_>, meeting_id: String) -> Result<(), IpcError> {
    core.keep_meeting(&meeting_id).await
}

#[tauri::command]
async fn download_progress(core: Core<'_>) -> Result<dto::DownloadProgress, IpcError> {
    Ok(core.download_progress().await)
}

#[tauri::command]
async fn pause_downloads(core: Core<'_>) -> Result<(), IpcError> {
    core.pause_downloads(true).await
}

#[tauri::command]
async fn resume_downloads(core: Core<'_>) -> Result<(), IpcError> {
    core.pause_downloads(false).await
}

#[tauri::command]
async fn open_paper(
    core: Core<'_>,
    meeting_id: String,
    paper_id: String,
) -> Result<dto::OpenedPaper, IpcError> {
    core.open_paper(&meeting_id, &paper_id).await
}

/// Raw bytes, not JSON: a page is megabytes of pixels, drawn as they come on a canvas.
#[tauri::command]
async fn render_page(
    core: Core<'_>,
    paper_id: String,
    page_index: u32,
    width_px: u32,
) -> Result<tauri::ipc::Response, IpcError> {
    let bytes = core.render_page(&paper_id, page_index, width_px).await?;
    Ok(tauri::ipc::Response::new(bytes))
}

#[tauri::command]
async fn close_paper(core: Core<'_>) -> Result<(), IpcError> {
    core.close_paper();
    Ok(())
}

/// `None` when the user cancels the dialog.
#[tauri::command]
async fn open_local_pdf(
    app: AppHandle,
    window: Window,
    core: Core<'_>,
) -> Result<Option<dto::OpenedPaper>, IpcError> {
    match pick_pdfs(&app, &window, false).await.pop() {
        Some(path) => core.open_local_pdf(&path).await.map(Some),
        None => Ok(None),
    }
}

/// The PDF the app was started with (`ecabinet FILE.pdf`), once.
#[tauri::command]
async fn open_launch_pdf(core: Core<'_>) -> Result<Option<dto::OpenedPaper>, IpcError> {
    core.open_launch_pdf().await
}

#[tauri::command]
async fn unlock_local_pdf(core: Core<'_>, password: String) -> Result<dto::OpenedPaper, IpcError> {
    core.unlock_local_pdf(&password).await
}

#[tauri::command]
async fn page_text(
    core: Core<'_>,
    paper_id: String,
    page_index: u32,
) -> Result<dto::PageTextView, IpcError> {
    core.page_text(&paper_id, page_index).await
}

#[tauri::command]
async fn find_in_paper(
    core: Core<'_>,
    paper_id: String,
    query: String,
) -> Result<Vec<dto::FindHitView>, IpcError> {
    core.find_in_paper(&paper_id, &query).await
}

#[tauri::command]
async fn paper_annotation_changes(
    core: Core<'_>,
    paper_id: String,
    since: Option<i64>,
) -> Result<dto::AnnotationChanges, IpcError> {
    core.paper_annotation_changes(&paper_id, since).await
}

#[tauri::command]
async fn meeting_annotations(
    core: Core<'_>,
    meeting_id: String,
) -> Result<Vec<dto::PacketAnnotationView>, IpcError> {
    core.meeting_annotations(&meeting_id)
}

#[tauri::command]
async fn file_annotations(
    core: Core<'_>,
    paper_id: String,
) -> Result<Vec<dto::FileAnnotationView>, IpcError> {
    core.file_annotations(&paper_id).await
}

#[tauri::command]
async fn save_annotation(
    core: Core<'_>,
    annotation: dto::AnnotationInput,
) -> Result<dto::AnnotationView, IpcError> {
    core.save_annotation(annotation).await
}

#[tauri::command]
async fn delete_annotation(core: Core<'_>, id: String) -> Result<(), IpcError> {
    core.delete_annotation(&id).await
}

/// Asks where to save a copy of the paper with the member's marks, with the system's save
/// dialog, and has the core write it there.
#[tauri::command]
async fn export_annotated_paper(
    app: AppHandle,
    window: Window,
    core: Core<'_>,
    paper_id: String,
) -> Result<dto::ExportOutcome, IpcError> {
    let suggested = core.export_file_name(&paper_id)?;
    let (answer, chosen) = tokio::sync::oneshot::channel();
    app.dialog()
        .file()
        .set_parent(&window)
        .add_filter("PDF", &["pdf"])
        .set_file_name(&suggested)
        .save_file(move |file| {
            let _ = answer.send(file.and_then(into_path));
        });
    match chosen.await.ok().flatten() {
        Some(path) => core.export_annotated_copy(&paper_id, &path).await,
        None => Ok(dto::ExportOutcome::Cancelled),
    }
}

#[tauri::command]
async fn remember_page(core: Core<'_>, paper_id: String, page_index: u32) -> Result<(), IpcError> {
    core.remember_page(&paper_id, page_index)
}

#[tauri::command]
async fn set_fullscreen(window: Window, on: bool) -> Result<(), IpcError> {
    window
        .set_fullscreen(on)
        .map_err(|e| IpcError::from(anyhow::Error::new(e).context("switching full screen")))
}

#[tauri::command]
async fn search_papers(core: Core<'_>, query: String) -> Result<dto::SearchResults, IpcError> {
    core.search_papers(&query).await
}

#[tauri::command]
async fn search_index_progress(core: Core<'_>) -> Result<dto::SearchIndexProgress, IpcError> {
    core.search_index_progress()
}

// Papers replaced by an amended version: marks waiting for the member, changes inside.

#[tauri::command]
async fn annotations_needing_review(
    core: Core<'_>,
    paper_id: String,
) -> Result<Vec<dto::AnnotationReviewView>, IpcError> {
    core.annotations_needing_review(&paper_id)
}

#[tauri::command]
async fn resolve_annotation_review(
    core: Core<'_>,
    annotation_id: String,
    choice: dto::ReviewChoice,
) -> Result<(), IpcError> {
    core.resolve_annotation_review(&annotation_id, choice).await
}

#[tauri::command]
async fn paper_changes(
    core: Core<'_>,
    paper_id: String,
) -> Result<dto::PaperAmendmentView, IpcError> {
    core.paper_changes(&paper_id).await
}

#[tauri::command]
async fn meeting_draft(core: Core<'_>, meeting_id: String) -> Result<dto::MeetingDraft, IpcError> {
    core.meeting_draft(&meeting_id)
}

#[tauri::command]
async fn create_meeting(core: Core<'_>, details: dto::MeetingDetails) -> Result<String, IpcError> {
    core.create_meeting(details).await
}

#[tauri::command]
async fn archive_meeting(
    core: Core<'_>,
    meeting_id: String,
    archived: bool,
) -> Result<(), IpcError> {
    core.archive_meeting(&meeting_id, archived).await
}

#[tauri::command]
async fn update_meeting(
    core: Core<'_>,
    meeting_id: String,
    details: dto::MeetingDetails,
) -> Result<(), IpcError> {
    core.update_meeting(&meeting_id, details).await
}

#[tauri::command]
async fn add_agenda_item(
    core: Core<'_>,
    meeting_id: String,
    parent_id: Option<String>,
    details: dto::AgendaItemDetails,
) -> Result<(), IpcError> {
    core.add_agenda_item(&meeting_id, parent_id, details).await
}

#[tauri::command]
async fn update_agenda_item(
    core: Core<'_>,
    item_id: String,
    details: dto::AgendaItemDetails,
) -> Result<(), IpcError> {
    core.update_agenda_item(&item_id, details).await
}

#[tauri::command]
async fn move_agenda_item(
    core: Core<'_>,
    item_id: String,
    movement: dto::AgendaMove,
) -> Result<(), IpcError> {
    core.move_agenda_item(&item_id, movement).await
}

#[tauri::command]
async fn set_participants(
    core: Core<'_>,
    meeting_id: String,
    participants: Vec<dto::ParticipantChoice>,
) -> Result<(), IpcError> {
    core.set_participants(&meeting_id, participants).await
}

/// Asks for PDFs with the system's dialog, here rather than in the window, so the UI never
/// handles a path; an empty answer means the user cancelled.
#[tauri::command]
async fn import_papers(
    app: AppHandle,
    window: Window,
    core: Core<'_>,
    meeting_id: String,
    place: dto::PaperPlace,
) -> Result<Vec<dto::ImportOutcome>, IpcError> {
    let paths = pick_pdfs(&app, &window, true).await;
    if paths.is_empty() {
        return Ok(Vec::new());
    }
    core.import_files(&meeting_id, place, paths).await
}

#[tauri::command]
async fn import_dropped_papers(
    core: Core<'_>,
    drop_id: u32,
    meeting_id: String,
    place: dto::PaperPlace,
) -> Result<Vec<dto::ImportOutcome>, IpcError> {
    core.import_dropped(drop_id, &meeting_id, place).await
}

#[tauri::command]
async fn update_paper(
    core: Core<'_>,
    paper_id: String,
    changes: dto::PaperChanges,
) -> Result<(), IpcError> {
    core.update_paper(&paper_id, changes).await
}

#[tauri::command]
async fn replace_paper_file(
    app: AppHandle,
    window: Window,
    core: Core<'_>,
    paper_id: String,
) -> Result<Option<dto::ImportOutcome>, IpcError> {
    match pick_pdfs(&app, &window, false).await.pop() {
        Some(path) => core.replace_paper_file(&paper_id, path).await.map(Some),
        None => Ok(None),
    }
}

#[tauri::command]
async fn approve_paper(core: Core<'_>, paper_id: String) -> Result<(), IpcError> {
    core.approve_paper(&paper_id).await
}

#[tauri::command]
async fn return_paper(core: Core<'_>, paper_id: String, reason: String) -> Result<(), IpcError> {
    core.return_paper(&paper_id, &reason).await
}

#[tauri::command]
async fn withdraw_paper_approval(core: Core<'_>, paper_id: String) -> Result<(), IpcError> {
    core.withdraw_paper_approval(&paper_id).await
}

/// Opens a paper in the making in the reader, for the chair who reviews it and the
/// secretariat (its file is fetched, verified, when this device does not hold it yet).
#[tauri::command]
async fn open_draft_paper(core: Core<'_>, paper_id: String) -> Result<dto::OpenedPaper, IpcError> {
    core.open_draft_paper(&paper_id).await
}

#[tauri::command]
async fn publish_packet(
    core: Core<'_>,
    meeting_id: String,
    expected_number: u32,
) -> Result<dto::PublishedVersion, IpcError> {
    core.publish_packet(&meeting_id, expected_number).await
}

#[tauri::command]
async fn watch_folder(
    app: AppHandle,
    window: Window,
    core: Core<'_>,
    meeting_id: String,
) -> Result<Option<dto::WatchedFolderView>, IpcError> {
    let (answer, chosen) = tokio::sync::oneshot::channel();
    app.dialog()
        .file()
        .set_parent(&window)
        .pick_folder(move |folder| {
            let _ = answer.send(folder.and_then(into_path));
        });
    match chosen.await.ok().flatten() {
        Some(folder) => core.watch_folder(&meeting_id, folder).await.map(Some),
        None => Ok(None),
    }
}

#[tauri::command]
async fn stop_watching_folder(core: Core<'_>) -> Result<(), IpcError> {
    core.stop_watching_folder().await
}

#[tauri::command]
async fn watched_folder(core: Core<'_>) -> Result<Option<dto::WatchedFolderView>, IpcError> {
    Ok(core.watched_folder().await)
}

#[tauri::command]
async fn meeting_opinions(
    core: Core<'_>,
    meeting_id: String,
) -> Result<dto::MeetingOpinions, IpcError> {
    core.opinions(&meeting_id)
}

#[tauri::command]
async fn send_opinion(
    core: Core<'_>,
    opinion: dto::OpinionInput,
) -> Result<dto::OpinionView, IpcError> {
    core.send_opinion(opinion).await
}

#[tauri::command]
async fn edit_opinion(
    core: Core<'_>,
    opinion_id: String,
    body: String,
) -> Result<dto::OpinionView, IpcError> {
    core.edit_opinion(&opinion_id, body).await
}

#[tauri::command]
async fn withdraw_opinion(
    core: Core<'_>,
    opinion_id: String,
) -> Result<dto::OpinionView, IpcError> {
    core.withdraw_opinion(&opinion_id).await
}

#[tauri::command]
async fn sitting(core: Core<'_>, meeting_id: String) -> Result<dto::SittingView, IpcError> {
    core.sitting(&meeting_id).await
}

#[tauri::command]
async fn act_in_sitting(
    core: Core<'_>,
    meeting_id: String,
    action: dto::SittingActionInput,
) -> Result<dto::SittingView, IpcError> {
    core.act_in_sitting(&meeting_id, action).await
}

#[tauri::command]
async fn meeting_polls(core: Core<'_>, meeting_id: String) -> Result<Vec<dto::PollView>, IpcError> {
    core.meeting_polls(&meeting_id).await
}

#[tauri::command]
async fn draft_poll(
    core: Core<'_>,
    meeting_id: String,
    draft: dto::PollDraftInput,
) -> Result<dto::PollView, IpcError> {
    core.draft_poll(&meeting_id, draft).await
}

#[tauri::command]
async fn step_poll(
    core: Core<'_>,
    poll_id: String,
    step: dto::PollStepInput,
) -> Result<dto::PollView, IpcError> {
    core.step_poll(&poll_id, step).await
}

#[tauri::command]
async fn cast_ballot(
    core: Core<'_>,
    poll_id: String,
    choice: Vec<u32>,
) -> Result<dto::PollView, IpcError> {
    core.cast_ballot(&poll_id, choice).await
}

#[tauri::command]
async fn check_ballot_receipt(
    core: Core<'_>,
    poll_id: String,
) -> Result<dto::ReceiptCheckView, IpcError> {
    core.check_ballot_receipt(&poll_id).await
}

#[tauri::command]
fn chat_conversations(core: Core<'_>) -> Result<Vec<dto::ConversationSummary>, IpcError> {
    core.chat_conversations()
}

#[tauri::command]
fn chat_messages(
    core: Core<'_>,
    conversation_id: String,
) -> Result<Vec<dto::ChatMessageView>, IpcError> {
    core.chat_messages(&conversation_id)
}

#[tauri::command]
fn chat_members(core: Core<'_>) -> Result<Vec<dto::ChatMemberView>, IpcError> {
    core.chat_members()
}

#[tauri::command]
fn open_private_chat(core: Core<'_>, member_id: String) -> Result<String, IpcError> {
    core.open_private_chat(&member_id)
}

#[tauri::command]
fn ask_secretariat(core: Core<'_>) -> Result<String, IpcError> {
    core.ask_secretariat()
}

#[tauri::command]
fn send_chat_message(
    core: Core<'_>,
    draft: dto::ChatDraft,
) -> Result<dto::ChatMessageView, IpcError> {
    core.send_chat_message(draft)
}

#[tauri::command]
fn edit_chat_message(core: Core<'_>, message_id: String, body: String) -> Result<(), IpcError> {
    core.edit_chat_message(&message_id, body)
}

#[tauri::command]
fn delete_chat_message(core: Core<'_>, message_id: String) -> Result<(), IpcError> {
    core.delete_chat_message(&message_id)
}

#[tauri::command]
fn retry_chat_message(core: Core<'_>, message_id: String) -> Result<(), IpcError> {
    core.retry_chat_message(&message_id)
}

#[tauri::command]
fn discard_chat_message(core: Core<'_>, message_id: String) -> Result<(), IpcError> {
    core.discard_chat_message(&message_id)
}

#[tauri::command]
fn mark_chat_read(core: Core<'_>, conversation_id: String) -> Result<(), IpcError> {
    core.mark_chat_read(&conversation_id)
}

#[tauri::command]
fn mute_chat(core: Core<'_>, conversation_id: String, muted: bool) -> Result<(), IpcError> {
    core.mute_chat(&conversation_id, muted)
}

#[tauri::command]
async fn create_chat_group(
    core: Core<'_>,
    title: String,
    members: Vec<String>,
) -> Result<String, IpcError> {
    core.create_chat_group(title, members).await
}

#[tauri::command]
async fn change_chat_group(
    core: Core<'_>,
    conversation_id: String,
    add: Vec<String>,
    remove: Vec<String>,
) -> Result<(), IpcError> {
    core.change_chat_group(&conversation_id, add, remove).await
}

/// Opens a message's web address in the system's browser (checked by the core first).
#[tauri::command]
fn open_link(app: AppHandle, address: String) -> Result<(), IpcError> {
    use tauri_plugin_opener::OpenerExt;
    let address = ecabinet_app::checked_link(&address)?;
    app.opener().open_url(address, None::<&str>).map_err(|e| {
        IpcError::new(
            dto::IpcErrorCode::Internal,
            format!("opening the browser: {e}"),
        )
    })
}

#[tauri::command]
fn search_chat(core: Core<'_>, query: String) -> Result<Vec<dto::ChatSearchHit>, IpcError> {
    core.search_chat(&query)
}

/// The system's open dialog for PDFs; empty when cancelled.
async fn pick_pdfs(app: &AppHandle, window: &Window, many: bool) -> Vec<PathBuf> {
    let (answer, chosen) = tokio::sync::oneshot::channel();
    let dialog = app
        .dialog()
        .file()
        .set_parent(window)
        .add_filter("PDF", &["pdf", "PDF"]);
    if many {
        dialog.pick_files(move |files| {
            let paths = files.unwrap_or_default().into_iter().filter_map(into_path);
            let _ = answer.send(paths.collect());
        });
    } else {
        dialog.pick_file(move |file| {
            let _ = answer.send(file.and_then(into_path).into_iter().collect());
        });
    }
    chosen.await.unwrap_or_default()
}

fn into_path(file: FilePath) -> Option<PathBuf> {
    file.into_path().ok()
}

/// Files dragged onto the window: the core keeps the paths of a drop and the window only
/// learns names and where they landed, so it can say which item they go to.
fn on_window_event(window: &Window, event: &WindowEvent) {
    let WindowEvent::DragDrop(drag) = event else {
        return;
    };
    let scale = window.scale_factor().unwrap_or(1.0);
    match drag {
        DragDropEvent::Enter { position, .. } | DragDropEvent::Over { position } => {
            let point = position.to_logical::<f64>(scale);
            let hover = dto::DropPoint {
                x: point.x,
                y: point.y,
            };
            emit(window, &ipc::PAPER_FILES_HOVER, Some(hover));
        }
        DragDropEvent::Leave => {
            emit(window, &ipc::PAPER_FILES_HOVER, None);
        }
        DragDropEvent::Drop { paths, position } => {
            let point = position.to_logical::<f64>(scale);
            let core = window.state::<Arc<AppCore>>();
            let dropped = dto::FilesDropped {
                x: point.x,
                y: point.y,
                ..core.remember_drop(paths.clone())
            };
            emit(window, &ipc::PAPER_FILES_DROPPED, dropped);
        }
        _ => {}
    }
}

/// Sends `event` to the window(s) of `target`; a window gone is only logged.
fn emit<T: Serialize + Clone>(target: &impl Emitter<Wry>, event: &AppEvent<T>, payload: T) {
    if let Err(e) = target.emit(event.name(), payload) {
        tracing::warn!("emitting {}: {e}", event.name());
    }
}

/// Sends the core's news to every window.
struct WindowEvents(AppHandle);

/// Others' new messages as a desktop notification, while the window is not in front (in
/// front, the window shows them itself). A system without a notification service shows
/// nothing, and the window's own badge still counts them.
fn notify_desktop(app: &AppHandle, arrived: &[dto::ChatMessageView]) {
    use tauri_plugin_notification::NotificationExt;
    let Some(first) = arrived.first() else {
        return;
    };
    let in_front = app
        .get_webview_window("main")
        .and_then(|w| w.is_focused().ok())
        .unwrap_or(false);
    if in_front {
        return;
    }
    let body: String = first.body.chars().take(140).collect();
    let body = if arrived.len() > 1 {
        format!("{body}\n(+{})", arrived.len() - 1)
    } else {
        body
    };
    if let Err(e) = app
        .notification()
        .builder()
        .title(&first.author_name)
        .body(body)
        .show()
    {
        tracing::debug!("no desktop notification: {e}");
    }
}

impl Notify for WindowEvents {
    fn sync_status(&self, status: dto::SyncStatus) {
        emit(&self.0, &ipc::SYNC_STATUS, status);
    }

    fn store_changed(&self, change: dto::StoreChanged) {
        emit(&self.0, &ipc::STORE_CHANGED, change);
    }

    fn download_progress(&self, progress: dto::DownloadProgress) {
        emit(&self.0, &ipc::DOWNLOAD_PROGRESS, progress);
    }

    fn upload_progress(&self, progress: dto::UploadProgress) {
        emit(&self.0, &ipc::UPLOAD_PROGRESS, progress);
    }

    fn watched_folder(&self, folder: Option<dto::WatchedFolderView>) {
        emit(&self.0, &ipc::WATCHED_FOLDER, folder);
    }

    fn search_index_progress(&self, progress: dto::SearchIndexProgress) {
        emit(&self.0, &ipc::SEARCH_INDEX_PROGRESS, progress);
    }

    fn sitting_changed(&self, sitting: dto::SittingView) {
        emit(&self.0, &ipc::SITTING_CHANGED, sitting);
    }

    fn poll_changed(&self, poll: dto::PollView) {
        emit(&self.0, &ipc::POLL_CHANGED, poll);
    }

    fn poll_turnout(&self, turnout: dto::PollTurnoutView) {
        emit(&self.0, &ipc::POLL_TURNOUT, turnout);
    }

    fn chat_changed(&self, changed: dto::ChatChanged) {
        notify_desktop(&self.0, &changed.arrived);
        emit(&self.0, &ipc::CHAT_CHANGED, changed);
    }
}

/// The file to open from the command line: the first argument that names a file.
fn launch_file(args: impl Iterator<Item = std::ffi::OsString>) -> Option<PathBuf> {
    args.map(PathBuf::from).find(|path| path.is_file())
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
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_opener::init())
        .setup(|app| {
            let handle = app.handle().clone();
            let dir = data_dir(&handle)?;
            tracing::info!("local data in {}", dir.display());
            // The app is its own PDF worker (see main.rs): a hostile PDF costs a worker.
            let worker = std::env::current_exe()?;
            let events = Arc::new(WindowEvents(handle.clone()));
            let core = Arc::new(AppCore::open(AppSetup::new(dir, worker), events)?);
            if let Some(path) = launch_file(std::env::args_os().skip(1)) {
                core.open_at_launch(path);
            }
            tauri::async_runtime::spawn(core.clone().keep_search_index());
            app.manage(core);
            tauri::async_runtime::spawn(async move {
                if let Err(e) = handle.state::<Arc<AppCore>>().resume().await {
                    tracing::error!("resuming the saved session: {e:#}");
                }
            });
            Ok(())
        })
        .invoke_handler(ecabinet_app::with_app_commands!(generate_handler))
        .on_window_event(on_window_event)
        .run(tauri::generate_context!())
        .expect("running the eCabinet app");
}
