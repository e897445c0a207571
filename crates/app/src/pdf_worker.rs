//! The PDF worker role: the app's executable started as `ecabinet worker --parent PID
//! [--memory-limit BYTES]` serves PDFium to the app over a pipe (see
//! `ecabinet_pdf::PdfWorkers`), so nothing else needs installing.

use std::process::ExitCode;

/// Serves as a PDF worker when `args` (the command line after the program) are a worker's;
/// `None` otherwise: start the app.
pub fn run_if_asked(args: &[String]) -> Option<ExitCode> {
    worker_limits(args).map(ecabinet_pdf::serve_worker)
}

fn worker_limits(args: &[String]) -> Option<ecabinet_pdf::WorkerLimits> {
    let (command, rest) = args.split_first()?;
    if command != "worker" {
        return None;
    }
    let mut limits = ecabinet_pdf::WorkerLimits::default();
    for pair in rest.chunks(2) {
        match pair {
            [flag, value] if flag == "--parent" => limits.parent = value.parse().ok(),
            [flag, value] if flag == "--memory-limit" => limits.memory = value.parse().ok(),
            _ => {}
        }
    }
    Some(limits)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_app_runs_as_a_pdf_worker_only_when_asked_like_the_pool_asks() {
        let args = |line: &str| line.split(' ').map(str::to_owned).collect::<Vec<_>>();
        let limits = super::worker_limits(&args("worker --parent 42 --memory-limit 2147483648"))
            .expect("the pool's command line starts a worker");
        assert_eq!((limits.parent, limits.memory), (Some(42), Some(2 << 30)));
        assert!(super::worker_limits(&[]).is_none(), "no arguments: the app");
        assert!(super::worker_limits(&args("--some-webdriver-flag")).is_none());
    }
}
