//! The app's IPC surface, declared once: the commands the window may call and the events
//! the app sends it.
//!
//! From [`with_app_commands!`] the shell builds its handler list, `src-tauri/build.rs` its
//! permission manifest (and refuses a capability file that grants anything else), and
//! [`typescript_bindings`](crate::dto::typescript_bindings) the `CommandName` type the UI's
//! wrappers must use; from [`app_events!`] come the constants the shell emits by and the UI's
//! `AppEvents` map. `bindings_are_fresh` fails when any of them drifts.

use serde::Serialize;
use std::marker::PhantomData;
use ts_rs::TS;

mod command_list;

macro_rules! command_names {
    ($($command:ident),* $(,)?) => {
        &[$(stringify!($command)),*]
    };
}

/// Every command's name, in the order of [`with_app_commands!`].
pub const COMMANDS: &[&str] = crate::with_app_commands!(command_names);

/// An event the app sends its windows: the name the UI listens by and the type of what it
/// carries, so the shell cannot emit one event with another's payload.
#[derive(Debug)]
pub struct AppEvent<T> {
    name: &'static str,
    payload: PhantomData<fn(T)>,
}

impl<T: Serialize> AppEvent<T> {
    const fn new(name: &'static str) -> Self {
        AppEvent {
            name,
            payload: PhantomData,
        }
    }

    pub fn name(&self) -> &'static str {
        self.name
    }
}

macro_rules! app_events {
    ($($(#[$doc:meta])* $event:ident: $payload:ty = $name:literal;)*) => {
        $($(#[$doc])* pub const $event: AppEvent<$payload> = AppEvent::new($name);)*

        /// Every event's name with its payload's TypeScript type.
        pub(crate) fn event_payloads(cfg: &ts_rs::Config) -> Vec<(&'static str, String)> {
            vec![$(($name, <$payload as TS>::name(cfg))),*]
        }
    };
}

use crate::dto;

app_events! {
    /// The sync loop's connection state, each time it changes.
    SYNC_STATUS: dto::SyncStatus = "sync-status";
    /// Synced data changed the local store: the window reloads what it shows.
    STORE_CHANGED: dto::StoreChanged = "store-changed";
    DOWNLOAD_PROGRESS: dto::DownloadProgress = "download-progress";
    UPLOAD_PROGRESS: dto::UploadProgress = "upload-progress";
    /// The watched folder started, stopped or imported something; `None` once stopped.
    WATCHED_FOLDER: Option<dto::WatchedFolderView> = "watched-folder";
    SEARCH_INDEX_PROGRESS: dto::SearchIndexProgress = "search-index-progress";
    /// Files dragged over the window, where; `None` when they leave it.
    PAPER_FILES_HOVER: Option<dto::DropPoint> = "paper-files-hover";
    /// Files dropped on the window: their names and where they landed (the paths stay here).
    PAPER_FILES_DROPPED: dto::FilesDropped = "paper-files-dropped";
    /// A followed live sitting changed.
    SITTING_CHANGED: dto::SittingView = "sitting-changed";
    /// A poll of a followed meeting changed, or the member's ballot in it.
    POLL_CHANGED: dto::PollView = "poll-changed";
    /// An open poll's turnout grew.
    POLL_TURNOUT: dto::PollTurnoutView = "poll-turnout";
    /// The member's chat changed; others' new messages come along for a notification.
    CHAT_CHANGED: dto::ChatChanged = "chat-changed";
}

/// The TypeScript that names the IPC surface, appended to the generated types.
pub(crate) fn typescript_names(cfg: &ts_rs::Config) -> String {
    let commands: Vec<String> = COMMANDS.iter().map(|c| format!("\n  | \"{c}\"")).collect();
    let events: Vec<String> = event_payloads(cfg)
        .into_iter()
        .map(|(name, payload)| format!("\n  \"{name}\": {payload};"))
        .collect();
    format!(
        "/** Every command the window may call (crates/app/src/ipc.rs). */\n\
         export type CommandName ={};\n\n\
         /** Every event the app sends the window, with what it carries. */\n\
         export interface AppEvents {{{}\n}}\n",
        commands.concat(),
        events.concat()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ui_file(relative: &str) -> String {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../ui/src/lib/ipc")
            .join(relative);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
    }

    #[test]
    fn every_command_has_a_typed_wrapper_in_the_ui() {
        let wrappers = ui_file("commands.ts");
        let unwrapped: Vec<&&str> = COMMANDS
            .iter()
            .filter(|command| !wrappers.contains(&format!(">(\"{command}\"")))
            .collect();
        assert!(
            unwrapped.is_empty(),
            "ui/src/lib/ipc/commands.ts has no wrapper calling {unwrapped:?}: a command the window can never call"
        );
    }

    #[test]
    fn every_event_has_a_subscription_in_the_ui() {
        let subscriptions = ui_file("events.ts");
        let cfg = ts_rs::Config::new();
        let unheard: Vec<&str> = event_payloads(&cfg)
            .into_iter()
            .map(|(name, _)| name)
            .filter(|name| !subscriptions.contains(&format!("on(\"{name}\"")))
            .collect();
        assert!(
            unheard.is_empty(),
            "ui/src/lib/ipc/events.ts never listens to {unheard:?}: the app would send it to no one"
        );
    }
}
