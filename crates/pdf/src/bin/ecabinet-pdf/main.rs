//! `ecabinet-pdf`: the worker process of [`ecabinet_pdf::PdfWorkers`] (`ecabinet-pdf worker`,
//! hidden: only the pool starts it).

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "ecabinet-pdf",
    version,
    about = "Look at PDFs the way eCabinet does"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve a PdfWorkers pool on stdin and stdout (started by the pool, not by people).
    #[command(hide = true)]
    Worker {
        /// The pool's process id: the worker dies with it.
        #[arg(long)]
        parent: Option<u32>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Worker { parent } => ecabinet_pdf::serve_worker(parent),
    }
}
