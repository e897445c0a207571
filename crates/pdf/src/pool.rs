//! PDFium in separate processes: [`PdfWorkers`] runs a few `ecabinet-pdf worker` processes and
//! sends each request to one of them, with a deadline.
//!
//! Why processes: PDFium is not thread-safe, so one process renders one page at a time, and a
//! hostile PDF can crash it or send it into an endless loop. A worker that dies or misses its
//! deadline is killed and replaced; its caller gets [`PdfError::EngineCrashed`] or
//! [`PdfError::TimedOut`], and the app carries on.
//!
//! Documents: the pool remembers how each document was opened (its path or bytes, and its
//! password) and opens it in a worker when a request for it lands there: in a second worker
//! when the first is busy (up to [`WorkerConfig::workers_per_document`]), and again after a
//! worker was replaced. Only the request that was running when a worker died fails; the next
//! request reopens the document transparently. A file that changed on disk in between is
//! reported ([`PdfError::DocumentChanged`]) rather than shown in place of the old one.
//!
//! **Architecture Invariant:** no PDFium code runs in the calling process; the pool only moves
//! bytes through pipes, so nothing a PDF contains can take the caller down.

use std::borrow::Cow;
use std::collections::HashSet;
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, sync_channel};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use crate::annotations::PageAnnotation;
use crate::engine::{DocumentInfo, RenderSize, RenderedPage};
use crate::error::PdfError;
use crate::layout::TextLayout;
use crate::outline::OutlineEntry;
use crate::protocol::{
    Answer, DocId, Fault, Frame, Hello, MAX_DOCUMENT_LEN, PROTOCOL_VERSION, Reply, Request, Source,
    decode, hello_version, read_frame, write_frame,
};

/// How long each kind of request may take before its worker is killed.
///
/// On Linux, `open`, `render` and `text` count the CPU time the worker spends on the request,
/// so a machine busy with other work (a build, a video call) does not make an honest but slow
/// page miss its deadline; a worker blocked without using CPU is still stopped once four times
/// the limit has passed on the clock. Elsewhere they count time on the clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadlines {
    /// From starting a worker process to its hello (loading PDFium).
    pub start: Duration,
    /// Opening a document, including reading its information and the text of page 1; also
    /// reading its outline.
    pub open: Duration,
    /// Rendering one page.
    pub render: Duration,
    /// Extracting the text of one page, with or without the boxes of its characters.
    pub text: Duration,
}

impl Default for Deadlines {
    /// Generous for honest PDFs: an A4 page renders in 10–40 ms and a document opens in a few,
    /// and the slowest honest page met so far (a slide with a 151-megapixel mask drawn 40
    /// times, issue16263.pdf in the corpus) takes 2–3 s; so these fire on a file that sends
    /// PDFium into a loop, not on a heavy page.
    fn default() -> Self {
        Self {
            start: Duration::from_secs(10),
            open: Duration::from_secs(10),
            render: Duration::from_secs(5),
            text: Duration::from_secs(5),
        }
    }
}

impl Deadlines {
    /// The same limit for every request (and for starting a worker), as the corpus runner uses.
    pub fn all(limit: Duration) -> Self {
        Self {
            start: limit.max(Duration::from_secs(10)),
            open: limit,
            render: limit,
            text: limit,
        }
    }
}

/// Where a worker's stderr goes. PDFium is mostly quiet; a worker reports there why it gave up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkerStderr {
    /// The caller's stderr: the app's log.
    Inherit,
    /// Nowhere: for command-line tools that promise one line of output.
    Discard,
}

/// How to run the pool's workers; [`WorkerConfig::new`] gives the defaults.
#[derive(Debug, Clone)]
pub struct WorkerConfig {
    /// The `ecabinet-pdf` executable, run as `ecabinet-pdf worker`. The app ships it beside
    /// its own executable; tests use `env!("CARGO_BIN_EXE_ecabinet-pdf")`.
    pub program: PathBuf,
    /// How many worker processes, so how many pages render at once.
    pub workers: usize,
    /// How many workers may have the same document open at once. More renders its pages in
    /// parallel; each copy costs the memory of the document again.
    pub workers_per_document: usize,
    pub deadlines: Deadlines,
    /// The PDFium library the workers bind (passed to them as `ECABINET_PDFIUM`). `None` lets
    /// each worker search for it as [`search_order`](crate::search_order) describes, starting
    /// beside the worker's executable.
    pub pdfium: Option<PathBuf>,
    /// The most memory (address space) one worker may use, in bytes; Linux only. A PDF that
    /// inflates into gigabytes then costs one worker ([`PdfError::EngineCrashed`]) instead of
    /// starving the machine. `None`: no limit.
    pub memory_limit: Option<u64>,
    pub stderr: WorkerStderr,
}

impl WorkerConfig {
    /// One worker per core (at least one), two workers per document, default deadlines, 2 GiB
    /// of memory per worker: enough for the largest page the engine renders (256 MB of pixels,
    /// twice) beside a document of a few hundred megabytes.
    pub fn new(program: impl Into<PathBuf>) -> Self {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        Self {
            program: program.into(),
            workers: cores.max(1),
            workers_per_document: 2,
            deadlines: Deadlines::default(),
            pdfium: None,
            memory_limit: Some(2 << 30),
            stderr: WorkerStderr::Inherit,
        }
    }
}

/// Counts since the pool started, for logs and tests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WorkerStats {
    /// Worker processes started, including replacements.
    pub started: u64,
    /// Workers that died on their own (crash, exit, broken protocol) and were replaced.
    pub crashed: u64,
    /// Workers killed for missing a deadline and replaced.
    pub timed_out: u64,
    /// Workers that answered, then retired because a panic inside pdfium-render had left
    /// their PDFium unusable, and were replaced.
    pub retired: u64,
}

/// A pool of PDFium worker processes. Cheap to clone (clones share the workers), `Send` and
/// `Sync`; every method blocks until its worker answers or its deadline passes, so call it
/// off the UI thread (`spawn_blocking` in async code). The workers stop when the pool and
/// every document opened with it are dropped.
#[derive(Clone)]
pub struct PdfWorkers {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for PdfWorkers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PdfWorkers")
            .field("program", &self.shared.config.program)
            .field("workers", &self.shared.slots.len())
            .finish_non_exhaustive()
    }
}

impl PdfWorkers {
    /// Starts the first worker now, so that a missing worker program or PDFium is reported
    /// when the pool starts rather than when a delegate opens a paper; the others start when
    /// requests overlap (a worker holds tens of megabytes, and one reading after another
    /// needs only one).
    pub fn start(config: WorkerConfig) -> Result<Self, PdfError> {
        let workers = config.workers.max(1);
        let mut config = config;
        config.workers = workers;
        config.workers_per_document = config.workers_per_document.clamp(1, workers);
        let first = WorkerProcess::launch(&config)?.await_hello(&config)?;
        let shared = Arc::new(Shared {
            schedule: Mutex::new(Schedule {
                slots: (0..workers).map(|_| SlotState::default()).collect(),
            }),
            slot_freed: Condvar::new(),
            slots: std::iter::once(Some(first))
                .chain((1..workers).map(|_| None))
                .map(Mutex::new)
                .collect(),
            next_doc: AtomicU64::new(1),
            started: AtomicU64::new(1),
            crashed: AtomicU64::new(0),
            timed_out: AtomicU64::new(0),
            retired: AtomicU64::new(0),
            config,
        });
        Ok(Self { shared })
    }

    /// Opens the PDF at `path`; the worker reads the file. `None` and `Some("")` both mean
    /// "no password".
    pub fn open_path(
        &self,
        path: &Path,
        password: Option<&str>,
    ) -> Result<WorkerDocument, PdfError> {
        // The worker may run in another directory.
        let path = std::path::absolute(path).map_err(|source| PdfError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        self.open(Origin::Path(path), password)
    }

    /// Opens a PDF from its bytes, which the pool keeps (shared, not copied) to open the
    /// document again in another worker.
    pub fn open_bytes(
        &self,
        bytes: impl Into<Arc<[u8]>>,
        password: Option<&str>,
    ) -> Result<WorkerDocument, PdfError> {
        self.open(Origin::Bytes(bytes.into()), password)
    }

    fn open(&self, origin: Origin, password: Option<&str>) -> Result<WorkerDocument, PdfError> {
        if let Origin::Bytes(bytes) = &origin
            && bytes.len() as u64 > MAX_DOCUMENT_LEN
        {
            return Err(PdfError::FileTooLarge {
                bytes: bytes.len() as u64,
                limit: MAX_DOCUMENT_LEN,
            });
        }
        let id = self.shared.next_doc.fetch_add(1, Ordering::Relaxed);
        let mut record = DocRecord {
            id,
            origin,
            password: password.filter(|p| !p.is_empty()).map(str::to_owned),
            fingerprint: None,
        };
        let mut slot = self.shared.acquire(None);
        let (info, fingerprint) = slot.open_in_worker(&record, true)?;
        let info = match info {
            Some(info) => info,
            None => return Err(slot.protocol_broken_by("opening the document", "no information")),
        };
        record.fingerprint = fingerprint;
        Ok(WorkerDocument {
            shared: Arc::clone(&self.shared),
            record,
            info,
        })
    }

    pub fn worker_count(&self) -> usize {
        self.shared.slots.len()
    }

    pub fn stats(&self) -> WorkerStats {
        WorkerStats {
            started: self.shared.started.load(Ordering::Relaxed),
            crashed: self.shared.crashed.load(Ordering::Relaxed),
            timed_out: self.shared.timed_out.load(Ordering::Relaxed),
            retired: self.shared.retired.load(Ordering::Relaxed),
        }
    }
}

/// A document open in the pool. `Send` and `Sync`: several threads may render its pages at
/// once, and up to [`WorkerConfig::workers_per_document`] of them run in parallel. Dropping it
/// closes the document in every worker (at that worker's next request).
pub struct WorkerDocument {
    shared: Arc<Shared>,
    record: DocRecord,
    info: DocumentInfo,
}

impl std::fmt::Debug for WorkerDocument {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WorkerDocument")
            .field("id", &self.record.id)
            .field("page_count", &self.info.page_count)
            .finish_non_exhaustive()
    }
}

impl WorkerDocument {
    /// What the worker found when it opened the document.
    pub fn info(&self) -> &DocumentInfo {
        &self.info
    }

    pub fn page_count(&self) -> u32 {
        self.info.page_count
    }

    /// Renders the page at zero-based `index` to RGBA pixels (see [`RenderedPage`]).
    pub fn render(&self, index: u32, size: RenderSize) -> Result<RenderedPage, PdfError> {
        let doing = format!("rendering page {}", u64::from(index) + 1);
        let request = Request::Render {
            doc: self.record.id,
            page: index,
            size,
        };
        let limit = self.shared.config.deadlines.render;
        let mut slot = self.shared.acquire(Some(self.record.id));
        slot.ensure_open(&self.record)?;
        let (reply, pixels) = slot.call(&doing, &request, &[], limit)?;
        match reply {
            Reply::Rendered { width, height }
                if pixels.len() as u64 == u64::from(width) * u64::from(height) * 4 =>
            {
                Ok(RenderedPage {
                    width,
                    height,
                    rgba: pixels,
                })
            }
            Reply::Failed(error) => Err(error.into()),
            other => Err(slot.protocol_broken(&doing, &other)),
        }
    }

    /// The text of the page at zero-based `index` (see [`Document::page_text`](crate::Document::page_text)).
    pub fn page_text(&self, index: u32) -> Result<String, PdfError> {
        let doing = format!("extracting the text of page {}", u64::from(index) + 1);
        let request = Request::Text {
            doc: self.record.id,
            page: index,
        };
        self.ask(
            &doing,
            &request,
            self.shared.config.deadlines.text,
            |reply| match reply {
                Reply::Text { text } => Ok(text),
                other => Err(Box::new(other)),
            },
        )
    }

    /// The text of the page at zero-based `index` and the box of each character (see
    /// [`Document::page_text_layout`](crate::Document::page_text_layout)). Its `text` is what
    /// [`WorkerDocument::page_text`] returns. Runs under the text deadline.
    pub fn page_text_layout(&self, index: u32) -> Result<TextLayout, PdfError> {
        let doing = format!("laying out the text of page {}", u64::from(index) + 1);
        let request = Request::TextLayout {
            doc: self.record.id,
            page: index,
        };
        self.ask(
            &doing,
            &request,
            self.shared.config.deadlines.text,
            |reply| match reply {
                Reply::TextLayout { layout } => Ok(layout),
                other => Err(Box::new(other)),
            },
        )
    }

    /// The document's outline (see [`Document::outline`](crate::Document::outline)). Runs
    /// under the open deadline, since it is read once per document, like its information.
    pub fn outline(&self) -> Result<Vec<OutlineEntry>, PdfError> {
        let request = Request::Outline {
            doc: self.record.id,
        };
        let doing = "reading the outline";
        self.ask(
            doing,
            &request,
            self.shared.config.deadlines.open,
            |reply| match reply {
                Reply::Outline { entries } => Ok(entries),
                other => Err(Box::new(other)),
            },
        )
    }

    /// The annotations already inside the document (see
    /// [`Document::annotations`](crate::Document::annotations)). Runs under the open deadline,
    /// since they are read once per document, like its outline.
    pub fn annotations(&self) -> Result<Vec<PageAnnotation>, PdfError> {
        let request = Request::Annotations {
            doc: self.record.id,
        };
        self.ask(
            "reading the annotations",
            &request,
            self.shared.config.deadlines.open,
            |reply| match reply {
                Reply::Annotations { annotations } => Ok(annotations),
                other => Err(Box::new(other)),
            },
        )
    }

    /// Sends `request` about this document to a worker that has it open (opening it there
    /// first if need be) and takes the answer apart with `expect`, which gives back a reply
    /// it did not expect. A worker that dies or misses `limit` is replaced, as for every
    /// request; the next request opens the document again.
    fn ask<T>(
        &self,
        doing: &str,
        request: &Request,
        limit: Duration,
        expect: impl FnOnce(Reply) -> Result<T, Box<Reply>>,
    ) -> Result<T, PdfError> {
        let mut slot = self.shared.acquire(Some(self.record.id));
        slot.ensure_open(&self.record)?;
        match expect(slot.call(doing, request, &[], limit)?.0) {
            Ok(value) => Ok(value),
            Err(reply) => match *reply {
                Reply::Failed(error) => Err(error.into()),
                other => Err(slot.protocol_broken(doing, &other)),
            },
        }
    }

    /// Makes a worker that has this document open misbehave, as a hostile PDF could. For
    /// tests of the pool; the request fails with the error the real thing would cause.
    #[doc(hidden)]
    pub fn inject_fault(&self, fault: Fault) -> Result<(), PdfError> {
        let limit = self.shared.config.deadlines.render;
        let mut slot = self.shared.acquire(Some(self.record.id));
        slot.ensure_open(&self.record)?;
        match slot
            .call("misbehaving on request", &Request::Fault(fault), &[], limit)?
            .0
        {
            Reply::Failed(error) => Err(error.into()),
            other => Err(slot.protocol_broken("misbehaving on request", &other)),
        }
    }
}

impl Drop for WorkerDocument {
    fn drop(&mut self) {
        let mut schedule = lock(&self.shared.schedule);
        for slot in &mut schedule.slots {
            if slot.open.remove(&self.record.id) {
                slot.to_close.push(self.record.id);
            }
        }
    }
}

/// How a document was opened, to open it again.
enum Origin {
    Path(PathBuf),
    Bytes(Arc<[u8]>),
}

struct DocRecord {
    id: DocId,
    origin: Origin,
    password: Option<String>,
    fingerprint: Option<u64>,
}

struct Shared {
    config: WorkerConfig,
    schedule: Mutex<Schedule>,
    slot_freed: Condvar,
    /// The worker process of each slot; `None` after it died, until the slot's next request.
    /// Only the holder of a [`SlotGuard`] locks one, so these locks are never contended.
    slots: Vec<Mutex<Option<WorkerProcess>>>,
    next_doc: AtomicU64,
    started: AtomicU64,
    crashed: AtomicU64,
    timed_out: AtomicU64,
    retired: AtomicU64,
}

/// Which slots are busy and what their workers have open.
struct Schedule {
    slots: Vec<SlotState>,
}

#[derive(Default)]
struct SlotState {
    busy: bool,
    /// Documents open in the slot's current worker process.
    open: HashSet<DocId>,
    /// Documents dropped while open here, to close before the slot's next request.
    to_close: Vec<DocId>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // Nothing under these locks is left half-updated by a panic, so carry on after one.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Shared {
    /// Waits for a free slot: preferably one whose worker has `doc` open, else (while `doc` is
    /// open in fewer than `workers_per_document` workers) the free one with the fewest
    /// documents open.
    fn acquire(&self, doc: Option<DocId>) -> SlotGuard<'_> {
        let mut schedule = lock(&self.schedule);
        loop {
            if let Some(index) = self.pick(&schedule, doc) {
                let slot = &mut schedule.slots[index];
                slot.busy = true;
                let to_close = std::mem::take(&mut slot.to_close);
                drop(schedule);
                let mut guard = SlotGuard {
                    shared: self,
                    index,
                    process: lock(&self.slots[index]),
                };
                guard.close_dropped(to_close);
                return guard;
            }
            schedule = self
                .slot_freed
                .wait(schedule)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }

    fn pick(&self, schedule: &Schedule, doc: Option<DocId>) -> Option<usize> {
        let free = || schedule.slots.iter().enumerate().filter(|(_, s)| !s.busy);
        // Documents dropped but not closed yet do not count, and among equals the first slot
        // wins: one request after another stays in the worker already running.
        let least_loaded = || {
            free()
                .min_by_key(|(_, slot)| slot.open.len().saturating_sub(slot.to_close.len()))
                .map(|(index, _)| index)
        };
        let Some(doc) = doc else {
            return least_loaded();
        };
        if let Some((index, _)) = free().find(|(_, slot)| slot.open.contains(&doc)) {
            return Some(index);
        }
        let copies = schedule
            .slots
            .iter()
            .filter(|slot| slot.open.contains(&doc))
            .count();
        if copies < self.config.workers_per_document {
            least_loaded()
        } else {
            None
        }
    }
}

/// Exclusive use of one slot (and its worker) for one request.
struct SlotGuard<'a> {
    shared: &'a Shared,
    index: usize,
    process: MutexGuard<'a, Option<WorkerProcess>>,
}

impl Drop for SlotGuard<'_> {
    fn drop(&mut self) {
        lock(&self.shared.schedule).slots[self.index].busy = false;
        // Every waiter, since a waiter may want one particular slot.
        self.shared.slot_freed.notify_all();
    }
}

const STOPPED: &str = "the worker stopped";

/// glibc's allocator hands a buffer of a page's size (8.7 MB at 150 dpi) fresh pages from the
/// system each time and gives them back when it is freed, so every render pays for faulting
/// in its bitmap and its copy: measured at 10 ms per copy on the VMs we run on, half of a
/// 150 dpi render. With these settings a worker keeps buffers up to 32 MB (the most glibc
/// allows; a 200 dpi A4 page is 15.5 MB) in its heap and reuses them. Other C libraries ignore
/// the variable; one the parent already sets is left alone.
const MALLOC_TUNABLES: (&str, &str) = (
    "GLIBC_TUNABLES",
    "glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=268435456",
);

/// A worker blocked without using CPU (waiting on a lock that will never be released) is
/// stopped after this many times its CPU budget has passed on the clock.
const WALL_CLOCK_BACKSTOP: u32 = 4;

/// What a deadline is measured in.
#[derive(Clone, Copy)]
enum Clock {
    /// Time on the wall clock: for a worker starting up.
    Wall,
    /// CPU time the worker uses, where the system tells (Linux), else the wall clock.
    WorkerCpu,
}

/// Why a request got no reply.
enum Lost {
    /// The limit that ran out.
    TimedOut(Duration),
    Died(String),
}

impl SlotGuard<'_> {
    fn with_schedule<T>(&self, change: impl FnOnce(&mut SlotState) -> T) -> T {
        change(&mut lock(&self.shared.schedule).slots[self.index])
    }

    /// The slot's worker, started now if the last one died.
    fn worker(&mut self) -> Result<&mut WorkerProcess, PdfError> {
        if self.process.is_none() {
            // A new process has nothing open, whatever its predecessor had.
            self.with_schedule(|slot| slot.open.clear());
            let config = &self.shared.config;
            let process = WorkerProcess::launch(config)?.await_hello(config)?;
            self.shared.started.fetch_add(1, Ordering::Relaxed);
            *self.process = Some(process);
        }
        self.process
            .as_mut()
            .ok_or_else(|| PdfError::EngineFailure {
                doing: "starting a PDF worker".into(),
                detail: "no worker after starting one".to_owned(),
            })
    }

    /// Sends one request and waits for its reply; a worker that misses `limit` or dies is
    /// replaced and the error says which.
    fn call(
        &mut self,
        doing: &str,
        request: &Request,
        payload: &[u8],
        limit: Duration,
    ) -> Result<(Reply, Vec<u8>), PdfError> {
        let worker = self.worker()?;
        let outcome = worker.exchange(request, payload, limit);
        let frame = match outcome {
            Ok(frame) => frame,
            Err(lost) => return Err(self.replace_worker(doing, lost)),
        };
        match frame.decode::<Answer>() {
            Ok(Answer { reply, retiring }) => {
                if retiring {
                    self.retire_worker();
                }
                Ok((reply, frame.payload))
            }
            Err(error) => Err(self.replace_worker(
                doing,
                Lost::Died(format!("the worker broke the protocol: {error}")),
            )),
        }
    }

    /// Kills the worker (if it is still alive), forgets what it had open, and turns the loss
    /// into the caller's error.
    fn replace_worker(&mut self, doing: &str, lost: Lost) -> PdfError {
        let grace = !matches!(lost, Lost::TimedOut(_));
        let detail = self.process.take().map(|process| process.finish(grace));
        self.with_schedule(|slot| slot.open.clear());
        let doing = Cow::Owned(doing.to_owned());
        match lost {
            Lost::TimedOut(limit) => {
                self.shared.timed_out.fetch_add(1, Ordering::Relaxed);
                PdfError::TimedOut { doing, limit }
            }
            Lost::Died(reason) => {
                self.shared.crashed.fetch_add(1, Ordering::Relaxed);
                let detail = match detail {
                    // The exit says it all: "the worker was killed by signal 11 (SIGSEGV)".
                    Some(exit) if !exit.is_empty() && reason == STOPPED => {
                        format!("the worker {exit}")
                    }
                    Some(exit) if !exit.is_empty() => format!("{reason}; the worker {exit}"),
                    _ => reason,
                };
                PdfError::EngineCrashed { doing, detail }
            }
        }
    }

    /// Lets a worker that announced it is retiring go, and forgets what it had open.
    fn retire_worker(&mut self) {
        if let Some(process) = self.process.take() {
            process.finish(true);
        }
        self.with_schedule(|slot| slot.open.clear());
        self.shared.retired.fetch_add(1, Ordering::Relaxed);
    }

    fn protocol_broken(&mut self, doing: &str, reply: &Reply) -> PdfError {
        self.protocol_broken_by(doing, &format!("unexpected reply {reply:?}"))
    }

    fn protocol_broken_by(&mut self, doing: &str, what: &str) -> PdfError {
        let reason = format!("the worker broke the protocol: {what}");
        self.replace_worker(doing, Lost::Died(reason))
    }

    /// Closes documents that were dropped; failures are left for the next request to meet.
    fn close_dropped(&mut self, docs: Vec<DocId>) {
        if self.process.is_none() {
            return;
        }
        let limit = self.shared.config.deadlines.open;
        for doc in docs {
            if self
                .call("closing a document", &Request::Close { doc }, &[], limit)
                .is_err()
            {
                return;
            }
        }
    }

    /// Opens `record` in this slot's worker unless it is open there already.
    fn ensure_open(&mut self, record: &DocRecord) -> Result<(), PdfError> {
        if self.process.is_some() && self.with_schedule(|slot| slot.open.contains(&record.id)) {
            return Ok(());
        }
        let (_, fingerprint) = self.open_in_worker(record, false)?;
        if record.fingerprint.is_some() && fingerprint != record.fingerprint {
            let close = Request::Close { doc: record.id };
            let limit = self.shared.config.deadlines.open;
            self.with_schedule(|slot| slot.open.remove(&record.id));
            self.call("closing a document", &close, &[], limit)?;
            return Err(PdfError::DocumentChanged);
        }
        Ok(())
    }

    fn open_in_worker(
        &mut self,
        record: &DocRecord,
        describe: bool,
    ) -> Result<(Option<DocumentInfo>, Option<u64>), PdfError> {
        let doing = "opening the document";
        let (source, payload): (Source, &[u8]) = match &record.origin {
            Origin::Path(path) => (Source::Path(path.clone()), &[]),
            Origin::Bytes(bytes) => (Source::Bytes, bytes),
        };
        let request = Request::Open {
            doc: record.id,
            source,
            password: record.password.clone(),
            describe,
        };
        let limit = self.shared.config.deadlines.open;
        match self.call(doing, &request, payload, limit)?.0 {
            Reply::Opened { info, fingerprint } => {
                // Unless the worker retired right after answering.
                if self.process.is_some() {
                    self.with_schedule(|slot| slot.open.insert(record.id));
                }
                Ok((info, fingerprint))
            }
            Reply::Failed(error) => Err(error.into()),
            other => Err(self.protocol_broken(doing, &other)),
        }
    }
}

/// One running `ecabinet-pdf worker` and the thread that reads its replies, which is what lets
/// a reply be waited for with a deadline using only the standard library.
struct WorkerProcess {
    child: Child,
    stdin: ChildStdin,
    replies: Receiver<io::Result<Option<Frame>>>,
}

/// A worker that was spawned but has not said hello yet.
struct Launched(WorkerProcess);

/// A worker asks Linux to kill it when its parent dies (`PR_SET_PDEATHSIG`), but "parent"
/// there is the *thread* that spawned it: spawned from a thread of tokio's blocking pool, which
/// ends after ten idle seconds, a worker would be killed under an open document. So every
/// worker is spawned from one thread that lives as long as the process.
fn spawn_from_launcher(command: Command) -> io::Result<Child> {
    type Request = (Command, std::sync::mpsc::Sender<io::Result<Child>>);
    static LAUNCHER: std::sync::OnceLock<io::Result<std::sync::mpsc::Sender<Request>>> =
        std::sync::OnceLock::new();
    let launcher = LAUNCHER.get_or_init(|| {
        let (requests, received) = std::sync::mpsc::channel::<Request>();
        std::thread::Builder::new()
            .name("pdf-worker-launcher".to_owned())
            .spawn(move || {
                for (mut command, answer) in received {
                    let _ = answer.send(command.spawn());
                }
            })?;
        Ok(requests)
    });
    let launcher = launcher
        .as_ref()
        .map_err(|error| io::Error::new(error.kind(), error.to_string()))?;
    let (answer, child) = std::sync::mpsc::channel();
    let gone = || io::Error::other("the worker launcher thread is gone");
    launcher.send((command, answer)).map_err(|_| gone())?;
    child.recv().map_err(|_| gone())?
}

impl WorkerProcess {
    fn launch(config: &WorkerConfig) -> Result<Launched, PdfError> {
        let unavailable = |detail: String| PdfError::WorkerUnavailable {
            program: config.program.clone(),
            detail,
        };
        let mut command = Command::new(&config.program);
        command
            .arg("worker")
            .arg("--parent")
            .arg(std::process::id().to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(match config.stderr {
                WorkerStderr::Inherit => Stdio::inherit(),
                WorkerStderr::Discard => Stdio::null(),
            });
        if let Some(bytes) = config.memory_limit {
            command.arg("--memory-limit").arg(bytes.to_string());
        }
        if let Some(pdfium) = &config.pdfium {
            command.env("ECABINET_PDFIUM", pdfium);
        }
        if std::env::var_os(MALLOC_TUNABLES.0).is_none() {
            command.env(MALLOC_TUNABLES.0, MALLOC_TUNABLES.1);
        }
        let mut child =
            spawn_from_launcher(command).map_err(|error| unavailable(error.to_string()))?;
        let (Some(stdin), Some(mut stdout)) = (child.stdin.take(), child.stdout.take()) else {
            let _ = child.kill();
            let _ = child.wait();
            return Err(unavailable(
                "its stdin and stdout were not piped".to_owned(),
            ));
        };
        grow_pipe(&stdout);
        let (sender, replies) = sync_channel(1);
        let reader = std::thread::Builder::new()
            .name("pdf-worker-replies".to_owned())
            .spawn(move || {
                loop {
                    let frame = read_frame(&mut stdout);
                    let last = !matches!(frame, Ok(Some(_)));
                    if sender.send(frame).is_err() || last {
                        return;
                    }
                }
            });
        if let Err(error) = reader {
            let _ = child.kill();
            let _ = child.wait();
            return Err(unavailable(format!("cannot start a thread: {error}")));
        }
        Ok(Launched(Self {
            child,
            stdin,
            replies,
        }))
    }

    fn exchange(
        &mut self,
        request: &Request,
        payload: &[u8],
        limit: Duration,
    ) -> Result<Frame, Lost> {
        // A worker only ever waits for our next request here, so this write cannot block for
        // long; if it died, the write fails instead.
        if let Err(error) = write_frame(&mut self.stdin, request, payload) {
            return Err(Lost::Died(format!("cannot send the request: {error}")));
        }
        self.receive(limit, Clock::WorkerCpu)
    }

    /// Waits for the worker's next frame. With [`Clock::WorkerCpu`], `limit` is CPU time the
    /// worker spends on the request, so an honest slow page is not cut short because the
    /// machine is busy with other work (a build, a video call); a worker blocked without using
    /// any CPU is still stopped after [`WALL_CLOCK_BACKSTOP`] times `limit`.
    fn receive(&mut self, limit: Duration, clock: Clock) -> Result<Frame, Lost> {
        let started = Instant::now();
        let cpu_at_start = match clock {
            Clock::WorkerCpu => cpu_time(self.child.id()),
            Clock::Wall => None,
        };
        let backstop = match cpu_at_start {
            Some(_) => limit.saturating_mul(WALL_CLOCK_BACKSTOP),
            None => limit,
        };
        loop {
            let waited = started.elapsed();
            // One thread cannot use CPU faster than the clock runs, so waiting for the rest
            // of the budget never oversleeps the moment it could be spent.
            let worked = match cpu_at_start {
                Some(at_start) => {
                    cpu_time(self.child.id()).map_or(waited, |now| now.saturating_sub(at_start))
                }
                None => waited,
            };
            if worked >= limit {
                return Err(Lost::TimedOut(limit));
            }
            if waited >= backstop {
                return Err(Lost::TimedOut(backstop));
            }
            let wait = (limit - worked)
                .min(backstop - waited)
                .max(Duration::from_millis(10));
            match self.replies.recv_timeout(wait) {
                Ok(Ok(Some(frame))) => return Ok(frame),
                Ok(Ok(None)) | Err(RecvTimeoutError::Disconnected) => {
                    return Err(Lost::Died(STOPPED.to_owned()));
                }
                Ok(Err(error)) => return Err(Lost::Died(format!("unreadable reply: {error}"))),
                Err(RecvTimeoutError::Timeout) => {}
            }
        }
    }

    /// Stops the worker and says how it ended, for the error message. With `grace`, a worker
    /// that seems to have died on its own is given a moment to be reaped first, so that a
    /// crash shows as the signal that caused it.
    fn finish(mut self, grace: bool) -> String {
        let grace = if grace { 200 } else { 0 };
        let deadline = Instant::now() + Duration::from_millis(grace);
        let status = loop {
            match self.child.try_wait() {
                Ok(Some(status)) => break Some(status),
                Ok(None) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(5));
                }
                _ => break None,
            }
        };
        match status {
            Some(status) => describe_exit(status),
            None => {
                let _ = self.child.kill();
                let _ = self.child.wait();
                String::new()
            }
        }
    }
}

impl Launched {
    fn await_hello(mut self, config: &WorkerConfig) -> Result<WorkerProcess, PdfError> {
        let unavailable = |detail: String| PdfError::WorkerUnavailable {
            program: config.program.clone(),
            detail,
        };
        let frame = match self.0.receive(config.deadlines.start, Clock::Wall) {
            Ok(frame) => frame,
            Err(Lost::TimedOut(_)) => {
                return Err(unavailable(format!(
                    "it did not start within {} s",
                    config.deadlines.start.as_secs_f32()
                )));
            }
            Err(Lost::Died(reason)) => {
                let exit = self.0.finish(true);
                return Err(unavailable(format!(
                    "{reason} before saying hello; {exit}; is it an ecabinet-pdf executable?"
                )));
            }
        };
        let version = hello_version(&frame).map_err(|error| unavailable(error.to_string()))?;
        if version != PROTOCOL_VERSION {
            return Err(unavailable(format!(
                "it speaks worker protocol {version}, this app speaks {PROTOCOL_VERSION}: a different version of ecabinet-pdf"
            )));
        }
        let hello: Hello = decode(&frame.header).map_err(|error| unavailable(error.to_string()))?;
        match hello.engine {
            None => Ok(self.0),
            Some(error) => Err(error.into()),
        }
    }
}

impl Drop for WorkerProcess {
    fn drop(&mut self) {
        // Closing stdin alone would let an idle worker exit, but not a busy one.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn describe_exit(status: ExitStatus) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            let name = match signal {
                4 => "SIGILL",
                5 => "SIGTRAP",
                6 => "SIGABRT",
                7 => "SIGBUS",
                8 => "SIGFPE",
                9 => "SIGKILL",
                11 => "SIGSEGV",
                _ => "",
            };
            return if name.is_empty() {
                format!("was killed by signal {signal}")
            } else {
                format!("was killed by signal {signal}, {name}")
            };
        }
    }
    match status.code() {
        Some(code) => format!("exited with status {code}"),
        None => format!("ended ({status})"),
    }
}

/// The CPU time (user and system) process `pid` has used, from `/proc/PID/stat`.
#[cfg(target_os = "linux")]
fn cpu_time(pid: u32) -> Option<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) is in parentheses and may hold spaces; count after it.
    // utime and stime are fields 14 and 15, so the 12th and 13th after the name.
    let mut fields = stat
        .get(stat.rfind(')')? + 1..)?
        .split_whitespace()
        .skip(11);
    let ticks: u64 = fields.next()?.parse::<u64>().ok()? + fields.next()?.parse::<u64>().ok()?;
    let per_second = rustix::param::clock_ticks_per_second();
    (per_second > 0).then(|| Duration::from_secs_f64(ticks as f64 / per_second as f64))
}

#[cfg(not(target_os = "linux"))]
fn cpu_time(_pid: u32) -> Option<Duration> {
    None
}

/// Pipes hold 64 KiB by default: a page of pixels would cross in some 130 rounds of the two
/// processes waking each other. A larger pipe (when the system allows it) makes that a few.
fn grow_pipe(stdout: &std::process::ChildStdout) {
    #[cfg(target_os = "linux")]
    {
        let _ = rustix::pipe::fcntl_setpipe_size(stdout, 1 << 20);
    }
    #[cfg(not(target_os = "linux"))]
    let _ = stdout;
}
