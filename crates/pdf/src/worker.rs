//! The worker side of [`PdfWorkers`](crate::PdfWorkers): `ecabinet-pdf worker` runs [`serve`],
//! which binds PDFium, says hello, then answers requests on stdin and stdout until stdin
//! closes. The process holds nothing but the documents the pool opened in it, so when PDFium
//! crashes or hangs on a hostile PDF, killing it loses nothing the pool cannot open again.

use std::collections::HashMap;
use std::fs::File;
use std::hash::Hasher;
use std::io::{self, BufReader, BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;

use crate::engine::{Document, PdfEngine};
use crate::error::PdfError;
use crate::protocol::{
    DocId, Fault, Hello, PROTOCOL_VERSION, Reply, Request, Source, WireError, read_frame,
    write_frame,
};

/// Serves the pool on this process's stdin and stdout. `parent` is the pool's process id: on
/// Linux the worker asks to be killed when that process dies, so a worker stuck in PDFium does
/// not outlive an app that crashed or was killed.
pub fn serve(parent: Option<u32>) -> ExitCode {
    die_with_parent(parent);
    let output = match protocol_output() {
        Ok(output) => output,
        Err(error) => {
            eprintln!("ecabinet-pdf worker: cannot set up its output: {error}");
            return ExitCode::FAILURE;
        }
    };
    let mut output = BufWriter::with_capacity(64 * 1024, output);
    let mut input = BufReader::with_capacity(64 * 1024, io::stdin().lock());

    let engine = PdfEngine::bind();
    let hello = Hello {
        protocol: PROTOCOL_VERSION,
        engine: engine.as_ref().err().map(|error| {
            // `PdfError` is not `Clone`; rebuild the one variant `bind` returns.
            match error {
                PdfError::EngineUnavailable { attempts } => WireError::EngineUnavailable {
                    attempts: attempts.clone(),
                },
                other => WireError::EngineFailure {
                    doing: "binding PDFium".to_owned(),
                    detail: other.to_string(),
                },
            }
        }),
    };
    if write_frame(&mut output, &hello, &[]).is_err() {
        return ExitCode::FAILURE;
    }
    let Ok(engine) = engine else {
        return ExitCode::FAILURE;
    };

    let mut documents: HashMap<DocId, Document> = HashMap::new();
    loop {
        let frame = match read_frame(&mut input) {
            Ok(Some(frame)) => frame,
            // The pool closed our stdin: it is done with us.
            Ok(None) => return ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("ecabinet-pdf worker: unreadable request: {error}");
                return ExitCode::FAILURE;
            }
        };
        let request: Request = match frame.decode() {
            Ok(request) => request,
            Err(error) => {
                eprintln!("ecabinet-pdf worker: {error}");
                return ExitCode::FAILURE;
            }
        };
        if let Request::Fault(fault) = request {
            misbehave(fault, &mut output);
            continue;
        }
        let (reply, pixels) = answer(&engine, &mut documents, request, frame.payload);
        if let Err(error) = write_frame(&mut output, &reply, &pixels) {
            eprintln!("ecabinet-pdf worker: cannot answer: {error}");
            return ExitCode::FAILURE;
        }
    }
}

fn answer(
    engine: &PdfEngine,
    documents: &mut HashMap<DocId, Document>,
    request: Request,
    payload: Vec<u8>,
) -> (Reply, Vec<u8>) {
    let failed = |error: PdfError| (Reply::Failed(error.into()), Vec::new());
    let unknown = |doc: DocId| {
        failed(PdfError::EngineFailure {
            doing: "finding the document in the worker".into(),
            detail: format!("document {doc} is not open in this worker"),
        })
    };
    match request {
        Request::Open {
            doc,
            source,
            password,
        } => {
            let (bytes, fingerprint) = match source {
                Source::Bytes => (payload, None),
                Source::Path(path) => match read_file(&path) {
                    Ok(bytes) => {
                        let fingerprint = fingerprint(&bytes);
                        (bytes, Some(fingerprint))
                    }
                    Err(error) => return failed(error),
                },
            };
            let opened = engine
                .open_bytes(bytes, password.as_deref())
                .and_then(|document| Ok((document.info()?, document)));
            match opened {
                Ok((info, document)) => {
                    documents.insert(doc, document);
                    (Reply::Opened { info, fingerprint }, Vec::new())
                }
                Err(error) => failed(error),
            }
        }
        Request::Render { doc, page, size } => match documents.get(&doc) {
            Some(document) => match document.render(page, size) {
                Ok(rendered) => (
                    Reply::Rendered {
                        width: rendered.width,
                        height: rendered.height,
                    },
                    rendered.rgba,
                ),
                Err(error) => failed(error),
            },
            None => unknown(doc),
        },
        Request::Text { doc, page } => match documents.get(&doc) {
            Some(document) => match document.page_text(page) {
                Ok(text) => (Reply::Text { text }, Vec::new()),
                Err(error) => failed(error),
            },
            None => unknown(doc),
        },
        Request::Close { doc } => {
            documents.remove(&doc);
            (Reply::Closed, Vec::new())
        }
        Request::Fault(_) => failed(PdfError::EngineFailure {
            doing: "answering a request".into(),
            detail: "faults are handled before answering".to_owned(),
        }),
    }
}

fn misbehave(fault: Fault, output: &mut impl Write) {
    match fault {
        Fault::Crash => std::process::abort(),
        Fault::Hang => loop {
            std::thread::sleep(std::time::Duration::from_secs(3600));
        },
        Fault::Garbage => {
            let _ = output.write_all(b"Warning: this is not a frame\n");
            let _ = output.flush();
        }
    }
}

/// On Linux, asks the kernel to kill this worker when the pool's process dies, then checks
/// that the pool did not die before the request (the worker would have been adopted).
fn die_with_parent(parent: Option<u32>) {
    #[cfg(target_os = "linux")]
    {
        use rustix::process::{Signal, getppid, set_parent_process_death_signal};
        if set_parent_process_death_signal(Some(Signal::KILL)).is_ok()
            && let Some(parent) = parent
            && getppid().map(|pid| pid.as_raw_nonzero().get()) != i32::try_from(parent).ok()
        {
            std::process::exit(1);
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = parent;
}

fn read_file(path: &Path) -> Result<Vec<u8>, PdfError> {
    std::fs::read(path).map_err(|source| PdfError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// Tells two versions of a file apart when the pool has to open it again. Computed by the
/// worker both times, so the hash only has to be stable within one build.
fn fingerprint(bytes: &[u8]) -> u64 {
    let mut hasher = std::hash::DefaultHasher::new();
    hasher.write(bytes);
    hasher.write_usize(bytes.len());
    hasher.finish()
}

/// The protocol gets a private copy of stdout, and stdout itself is pointed at stderr, so that
/// anything else in the process that prints (PDFium, a dependency) lands in the log instead of
/// in the middle of a frame.
fn protocol_output() -> io::Result<File> {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        let private = io::stdout().as_fd().try_clone_to_owned()?;
        #[cfg(target_os = "linux")]
        rustix::stdio::dup2_stdout(io::stderr().as_fd())?;
        Ok(File::from(private))
    }
    #[cfg(windows)]
    {
        use std::os::windows::io::AsHandle;
        Ok(File::from(io::stdout().as_handle().try_clone_to_owned()?))
    }
}
