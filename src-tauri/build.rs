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
        ]),
    ))
    .expect("running tauri-build");
}
