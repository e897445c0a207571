//! The PDF worker role alone, for this crate's tests; the app runs its own executable.

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    ecabinet_app::pdf_worker::run_if_asked(&args).unwrap_or_else(|| {
        eprintln!("usage: ecabinet-app-pdf-worker worker --parent PID [--memory-limit BYTES]");
        std::process::ExitCode::FAILURE
    })
}
