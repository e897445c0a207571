// The app's commands come from their one list (crates/app/src/ipc/command_list.rs).
// Listing them in the manifest makes each one need an explicit grant in capabilities/, so
// the window can call exactly what it needs and nothing more; the build refuses a
// capability file that grants a command not in the list or misses one that is.

include!("../crates/app/src/ipc/command_list.rs");

macro_rules! command_names {
    ($($command:ident),* $(,)?) => {
        &[$(stringify!($command)),*]
    };
}

const COMMANDS: &[&str] = with_app_commands!(command_names);
const CAPABILITY: &str = "capabilities/main.json";
/// What the window may do besides calling the app's commands: listen to its events.
const CORE_GRANTS: &[&str] = &["core:event:allow-listen", "core:event:allow-unlisten"];

fn main() {
    println!("cargo:rerun-if-changed=../crates/app/src/ipc/command_list.rs");
    println!("cargo:rerun-if-changed={CAPABILITY}");
    check_capability();
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("running tauri-build");
}

/// The main window's grants are exactly one `allow-<command>` per command, plus
/// [`CORE_GRANTS`].
fn check_capability() {
    let text = std::fs::read_to_string(CAPABILITY).expect("reading capabilities/main.json");
    let capability: serde_json::Value =
        serde_json::from_str(&text).expect("capabilities/main.json is JSON");
    let granted: Vec<&str> = capability["permissions"]
        .as_array()
        .expect("capabilities/main.json lists permissions")
        .iter()
        .map(|p| p.as_str().expect("each permission is a plain name"))
        .collect();
    let expected: Vec<String> = CORE_GRANTS
        .iter()
        .map(|g| g.to_string())
        .chain(
            COMMANDS
                .iter()
                .map(|c| format!("allow-{}", c.replace('_', "-"))),
        )
        .collect();
    let missing: Vec<&String> = expected
        .iter()
        .filter(|e| !granted.contains(&e.as_str()))
        .collect();
    let extra: Vec<&&str> = granted
        .iter()
        .filter(|g| !expected.iter().any(|e| e == *g))
        .collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{CAPABILITY} must grant exactly the commands of crates/app/src/ipc/command_list.rs: \
         missing {missing:?}, not a command {extra:?}"
    );
}
