// Keeps a console window from opening next to the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() -> std::process::ExitCode {
    // The app is also its own PDF worker process: a hostile PDF costs a worker, not the app.
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(code) = ecabinet_app::pdf_worker::run_if_asked(&args) {
        return code;
    }
    ecabinet_shell::run();
    std::process::ExitCode::SUCCESS
}
