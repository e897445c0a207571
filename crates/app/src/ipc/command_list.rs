// The app's commands, listed once. In a file of its own, holding nothing else, so that
// `src-tauri/build.rs` can `include!` it to write the permission manifest.

/// Calls the macro named by `$then` with every command the window may call (snake case, as
/// the UI invokes them). A new command goes here, in the shell (its `#[tauri::command]`
/// function) and in `capabilities/main.json`; the build says which of the last two is missing.
#[macro_export]
macro_rules! with_app_commands {
    ($then:ident) => {
        $then![
            app_snapshot,
            login,
            logout,
            complete_first_login,
            change_own_password,
            list_accounts,
            create_account,
            update_account,
            reset_account_password,
            import_members,
            list_meetings,
            meeting_agenda,
            meeting_packet,
            acknowledge_packet,
            storage_overview,
            release_meeting,
            keep_meeting,
            download_progress,
            pause_downloads,
            resume_downloads,
            open_paper,
            render_page,
            close_paper,
            open_local_pdf,
            open_launch_pdf,
            unlock_local_pdf,
            page_text,
            find_in_paper,
            remember_page,
            set_fullscreen,
            search_papers,
            search_index_progress,
            annotations_needing_review,
            resolve_annotation_review,
            paper_changes,
            meeting_draft,
            create_meeting,
            update_meeting,
            archive_meeting,
            add_agenda_item,
            update_agenda_item,
            move_agenda_item,
            set_participants,
            import_papers,
            import_dropped_papers,
            update_paper,
            replace_paper_file,
            approve_paper,
            return_paper,
            withdraw_paper_approval,
            open_draft_paper,
            publish_packet,
            watch_folder,
            stop_watching_folder,
            watched_folder,
        ]
    };
}
