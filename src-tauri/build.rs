// Listing the app's commands here makes each one need an explicit grant in
// capabilities/, so the window can call exactly what it needs and nothing more.
fn main() {
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(
        tauri_build::AppManifest::new().commands(&[
            "app_snapshot",
            "login",
            "logout",
            "list_meetings",
            "meeting_agenda",
            "meeting_packet",
            "acknowledge_packet",
            "storage_overview",
            "meeting_draft",
            "release_meeting",
            "keep_meeting",
            "download_progress",
            "pause_downloads",
            "resume_downloads",
            "open_paper",
            "render_page",
            "close_paper",
            "update_meeting",
            "add_agenda_item",
            "update_agenda_item",
            "move_agenda_item",
            "set_participants",
            "import_papers",
            "import_dropped_papers",
            "update_paper",
            "replace_paper_file",
            "approve_paper",
            "publish_packet",
            "watch_folder",
            "stop_watching_folder",
            "watched_folder",
        ]),
    ))
    .expect("running tauri-build");
}
