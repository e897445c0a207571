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
use std::sync::atomic::{AtomicBool, Ordering};

use crate::engine::{Document, PdfEngine};
use crate::error::PdfError;
use crate::protocol::{
    Answer, DocId, Fault, Hello, MAX_DOCUMENT_LEN, PROTOCOL_VERSION, Reply, Request, Source,
    WireError, read_frame, write_frame,
};

/// Set by the panic hook: a panic was caught somewhere in this process (see [`Answer`]).
static PANICKED: AtomicBool = AtomicBool::new(false);

/// How a worker is started; the pool passes these as command-line arguments.
#[derive(Debug, Clone, Copy, Default)]
pub struct WorkerLimits {
    /// The pool's process id: on Linux the worker asks to be killed when that process dies, so
    /// a worker stuck in PDFium does not outlive an app that crashed or was killed.
    pub parent: Option<u32>,
    /// The most address space the worker may use, in bytes (Linux: `RLIMIT_AS`). A PDF that
    /// inflates into gigabytes then fails an allocation and costs one worker, instead of
    /// pushing the whole machine into swap or the OOM killer's hands.
    pub memory: Option<u64>,
}

/// Serves the pool on this process's stdin and stdout until stdin closes.
pub fn serve(limits: WorkerLimits) -> ExitCode {
    die_with_parent(limits.parent);
    if let Err(error) = limit_memory(limits.memory) {
        eprintln!("ecabinet-pdf worker: cannot limit its memory: {error}");
        return ExitCode::FAILURE;
    }
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        PANICKED.store(true, Ordering::SeqCst);
        default_hook(info);
    }));
    let output = match protocol_output() {
        Ok(output) => output,
        Err(error) => {
            eprintln!("ecabinet-pdf worker: cannot set up its output: {error}");
            return ExitCode::FAILURE;
        }
    };
    let mut output = BufWriter::with_capacity(64 * 1024, output);
    let mut input = BufReader::with_capacity(64 * 1024, io::stdin().lock());

    let (engine, failure) = match PdfEngine::bind() {
        Ok(engine) => (Some(engine), None),
        Err(error) => (None, Some(WireError::from(error))),
    };
    let hello = Hello {
        protocol: PROTOCOL_VERSION,
        engine: failure,
    };
    if write_frame(&mut output, &hello, &[]).is_err() {
        return ExitCode::FAILURE;
    }
    let Some(engine) = engine else {
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
        let (reply, pixels) = match request {
            Request::Fault(fault) => misbehave(fault, &mut output),
            request => answer(&engine, &mut documents, request, frame.payload),
        };
        let retiring = PANICKED.load(Ordering::SeqCst);
        if let Err(error) = write_frame(&mut output, &Answer { reply, retiring }, &pixels) {
            eprintln!("ecabinet-pdf worker: cannot answer: {error}");
            return ExitCode::FAILURE;
        }
        if retiring {
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
            describe,
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
                .and_then(|document| {
                    let info = if describe {
                        Some(document.info()?)
                    } else {
                        None
                    };
                    Ok((info, document))
                });
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
        Request::TextLayout { doc, page } => match documents.get(&doc) {
            Some(document) => match document.page_text_layout(page) {
                Ok(layout) => (Reply::TextLayout { layout }, Vec::new()),
                Err(error) => failed(error),
            },
            None => unknown(doc),
        },
        Request::Outline { doc } => match documents.get(&doc) {
            Some(document) => match document.outline() {
                Ok(entries) => (Reply::Outline { entries }, Vec::new()),
                Err(error) => failed(error),
            },
            None => unknown(doc),
        },
        Request::Annotations { doc } => match documents.get(&doc) {
            Some(document) => match document.annotations() {
                Ok(annotations) => (Reply::Annotations { annotations }, Vec::new()),
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

fn misbehave(fault: Fault, output: &mut impl Write) -> (Reply, Vec<u8>) {
    match fault {
        Fault::Crash => std::process::abort(),
        Fault::Hang => {
            let mut spins: u64 = 0;
            loop {
                spins = std::hint::black_box(spins.wrapping_add(1));
            }
        }
        Fault::Stall => loop {
            std::thread::sleep(std::time::Duration::from_secs(3600));
        },
        Fault::Garbage => {
            let _ = output.write_all(b"Warning: this is not a frame\n");
            let _ = output.flush();
            // Never reached in practice: the pool kills the worker on reading the garbage.
            (Reply::Closed, Vec::new())
        }
        Fault::Panic => {
            let caught = std::panic::catch_unwind(|| panic!("a panic asked for by the pool"));
            let detail = if caught.is_err() {
                "a panic asked for by the pool"
            } else {
                "no panic"
            };
            let error = PdfError::EngineFailure {
                doing: "misbehaving on request".into(),
                detail: detail.to_owned(),
            };
            (Reply::Failed(error.into()), Vec::new())
        }
    }
}

fn limit_memory(bytes: Option<u64>) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    if let Some(bytes) = bytes {
        use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
        // A limit the worker inherited that is already lower stays: it may not be raised.
        let bytes = getrlimit(Resource::As)
            .maximum
            .map_or(bytes, |inherited| inherited.min(bytes));
        setrlimit(
            Resource::As,
            Rlimit {
                current: Some(bytes),
                maximum: Some(bytes),
            },
        )?;
    }
    #[cfg(not(target_os = "linux"))]
    let _ = bytes;
    Ok(())
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
    let io = |source| PdfError::Io {
        path: path.to_path_buf(),
        source,
    };
    let bytes = std::fs::metadata(path).map_err(io)?.len();
    if bytes > MAX_DOCUMENT_LEN {
        return Err(PdfError::FileTooLarge {
            bytes,
            limit: MAX_DOCUMENT_LEN,
        });
    }
    std::fs::read(path).map_err(io)
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
