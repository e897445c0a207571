//! The worker protocol: how [`PdfWorkers`](crate::PdfWorkers) talks to an `ecabinet-pdf worker`
//! process over the worker's stdin and stdout.
//!
//! The worker speaks first, once: a [`Hello`] saying which protocol it speaks and whether it
//! could bind PDFium. After that the pool sends one [`Request`] and waits for one [`Reply`],
//! strictly alternating, so no request ids are needed; a worker that is late is killed, never
//! waited for, so a stale reply cannot arrive either.
//!
//! Every message is one frame:
//!
//! ```text
//! "ecpw"  u32 LE header length  u32 LE payload length  header (postcard)  payload (raw bytes)
//! ```
//!
//! The header is the typed message, encoded with postcard: a serde format with a documented,
//! stable wire specification (1.0), small (its only required dependencies are serde and cobs),
//! and maintained; bincode, the usual alternative, stopped being maintained in 2025. The payload
//! carries the bulk bytes (a PDF sent by value, a page's pixels) outside serde, so 8.7 MB of
//! pixels are copied once into the pipe and once out of it, never walked byte by byte. The
//! magic and the length limits make a worker that writes anything else to its stdout (a stray
//! `printf` in PDFium, memory corruption) show up as a broken worker at once, instead of as a
//! multi-gigabyte allocation.

use std::borrow::Cow;
use std::io::{self, Read, Write};
use std::path::PathBuf;
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::annotations::PageAnnotation;
use crate::engine::{DocumentInfo, RenderSize};
use crate::error::{LoadAttempt, PdfError};
use crate::layout::TextLayout;
use crate::outline::OutlineEntry;

/// Bump whenever a message changes shape; the pool refuses a worker that speaks another version
/// (a stale `ecabinet-pdf` left beside a newer app).
pub(crate) const PROTOCOL_VERSION: u32 = 3;

const MAGIC: [u8; 4] = *b"ecpw";
const PREFIX_LEN: usize = 12;
/// Headers are small except for the text of a page (with its boxes, 16 bytes a character), the
/// page sizes of a long document and its outline.
const MAX_HEADER_LEN: u32 = 64 << 20;
/// Bounds a PDF sent by value and the pixels of a page (at most 256 MB, see the engine).
const MAX_PAYLOAD_LEN: u32 = 1 << 30;

/// The largest PDF a worker opens, whether read from a file or sent by value.
pub(crate) const MAX_DOCUMENT_LEN: u64 = MAX_PAYLOAD_LEN as u64;

/// The pool's name for an open document, the same in every worker that has it open.
pub(crate) type DocId = u64;

/// The worker's first frame. `protocol` must stay the first field: the pool reads it alone
/// before decoding the rest, which may have a different shape in another version.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Hello {
    pub protocol: u32,
    /// Why PDFium could not be bound, when it could not; the worker exits after saying so.
    pub engine: Option<WireError>,
}

#[derive(Debug, Serialize, Deserialize)]
pub(crate) enum Request {
    /// With [`Source::Bytes`] the PDF is the frame's payload.
    Open {
        doc: DocId,
        source: Source,
        password: Option<String>,
        /// Whether to reply with the document's information; not when the pool opens it
        /// again in another worker, where reading every page size would only delay the page
        /// that is waiting.
        describe: bool,
    },
    Render {
        doc: DocId,
        page: u32,
        size: RenderSize,
    },
    Text {
        doc: DocId,
        page: u32,
    },
    TextLayout {
        doc: DocId,
        page: u32,
    },
    Outline {
        doc: DocId,
    },
    Annotations {
        doc: DocId,
    },
    Close {
        doc: DocId,
    },
    Fault(Fault),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) enum Source {
    /// The worker reads the file itself (an absolute path: the worker's directory may differ).
    Path(PathBuf),
    /// The bytes are the frame's payload.
    Bytes,
}

/// Misbehaviour a worker can be asked for, so tests can prove that the pool survives the real
/// thing (a PDF that crashes or hangs PDFium) without needing such a PDF. Always compiled in:
/// it gives nothing to an attacker, who controls PDF bytes, not the pool's requests, and
/// whoever does control the requests can already kill the worker, which is all these do.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Fault {
    /// Abort the process, as a crash inside PDFium does.
    Crash,
    /// Never answer and keep a core busy, as PDFium does in an endless loop.
    Hang,
    /// Never answer and use no CPU, as a worker blocked on a lock would.
    Stall,
    /// Write bytes that are not a frame, as memory corruption might.
    Garbage,
    /// Panic inside an engine operation, as pdfium-render does on some inputs.
    Panic,
}

/// Every reply after the hello.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Answer {
    pub reply: Reply,
    /// The worker exits after this answer: something panicked inside pdfium-render, which
    /// leaves its process-wide lock poisoned and every later call failing. The pool replaces
    /// the worker without counting a crash, since the request itself got its answer.
    pub retiring: bool,
}

#[derive(Debug, Serialize, Deserialize)]
pub(crate) enum Reply {
    Opened {
        /// `None` unless asked for.
        info: Option<DocumentInfo>,
        /// A hash of the file's bytes for [`Source::Path`], so a reopen can tell that the file
        /// changed; `None` for bytes sent by value, which cannot change.
        fingerprint: Option<u64>,
    },
    /// The pixels (RGBA, `width * height * 4` bytes) are the frame's payload.
    Rendered {
        width: u32,
        height: u32,
    },
    Text {
        text: String,
    },
    TextLayout {
        layout: TextLayout,
    },
    Outline {
        entries: Vec<OutlineEntry>,
    },
    Annotations {
        annotations: Vec<PageAnnotation>,
    },
    Closed,
    Failed(WireError),
}

/// [`PdfError`] as it crosses the pipe: the same variants with plain data, since an
/// `io::Error` cannot be serialised and decoded strings cannot be `&'static`.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) enum WireError {
    EngineUnavailable {
        attempts: Vec<LoadAttempt>,
    },
    Io {
        path: PathBuf,
        os_error: Option<i32>,
        message: String,
    },
    EmptyFile,
    NotAPdf,
    FileTooLarge {
        bytes: u64,
        limit: u64,
    },
    Corrupt {
        detail: String,
    },
    PasswordRequired,
    WrongPassword,
    UnsupportedSecurity,
    PageOutOfRange {
        index: u32,
        page_count: u32,
    },
    PageTooLarge {
        index: u32,
        width: u64,
        height: u64,
    },
    InvalidDpi {
        dpi: f32,
    },
    InvalidWidth {
        width: u32,
    },
    EngineFailure {
        doing: String,
        detail: String,
    },
    EngineCrashed {
        doing: String,
        detail: String,
    },
    TimedOut {
        doing: String,
        limit: Duration,
    },
    WorkerUnavailable {
        program: PathBuf,
        detail: String,
    },
    DocumentChanged,
}

impl From<PdfError> for WireError {
    fn from(error: PdfError) -> Self {
        match error {
            PdfError::EngineUnavailable { attempts } => Self::EngineUnavailable { attempts },
            PdfError::Io { path, source } => Self::Io {
                path,
                os_error: source.raw_os_error(),
                message: source.to_string(),
            },
            PdfError::EmptyFile => Self::EmptyFile,
            PdfError::NotAPdf => Self::NotAPdf,
            PdfError::FileTooLarge { bytes, limit } => Self::FileTooLarge { bytes, limit },
            PdfError::Corrupt { detail } => Self::Corrupt { detail },
            PdfError::PasswordRequired => Self::PasswordRequired,
            PdfError::WrongPassword => Self::WrongPassword,
            PdfError::UnsupportedSecurity => Self::UnsupportedSecurity,
            PdfError::PageOutOfRange { index, page_count } => {
                Self::PageOutOfRange { index, page_count }
            }
            PdfError::PageTooLarge {
                index,
                width,
                height,
            } => Self::PageTooLarge {
                index,
                width,
                height,
            },
            PdfError::InvalidDpi { dpi } => Self::InvalidDpi { dpi },
            PdfError::InvalidWidth { width } => Self::InvalidWidth { width },
            PdfError::EngineFailure { doing, detail } => Self::EngineFailure {
                doing: doing.into_owned(),
                detail,
            },
            PdfError::EngineCrashed { doing, detail } => Self::EngineCrashed {
                doing: doing.into_owned(),
                detail,
            },
            PdfError::TimedOut { doing, limit } => Self::TimedOut {
                doing: doing.into_owned(),
                limit,
            },
            PdfError::WorkerUnavailable { program, detail } => {
                Self::WorkerUnavailable { program, detail }
            }
            PdfError::DocumentChanged => Self::DocumentChanged,
        }
    }
}

impl From<WireError> for PdfError {
    fn from(error: WireError) -> Self {
        match error {
            WireError::EngineUnavailable { attempts } => Self::EngineUnavailable { attempts },
            WireError::Io {
                path,
                os_error,
                message,
            } => Self::Io {
                path,
                // The OS error number gives back the same kind and the same text.
                source: os_error
                    .map_or_else(|| io::Error::other(message), io::Error::from_raw_os_error),
            },
            WireError::EmptyFile => Self::EmptyFile,
            WireError::NotAPdf => Self::NotAPdf,
            WireError::FileTooLarge { bytes, limit } => Self::FileTooLarge { bytes, limit },
            WireError::Corrupt { detail } => Self::Corrupt { detail },
            WireError::PasswordRequired => Self::PasswordRequired,
            WireError::WrongPassword => Self::WrongPassword,
            WireError::UnsupportedSecurity => Self::UnsupportedSecurity,
            WireError::PageOutOfRange { index, page_count } => {
                Self::PageOutOfRange { index, page_count }
            }
            WireError::PageTooLarge {
                index,
                width,
                height,
            } => Self::PageTooLarge {
                index,
                width,
                height,
            },
            WireError::InvalidDpi { dpi } => Self::InvalidDpi { dpi },
            WireError::InvalidWidth { width } => Self::InvalidWidth { width },
            WireError::EngineFailure { doing, detail } => Self::EngineFailure {
                doing: Cow::Owned(doing),
                detail,
            },
            WireError::EngineCrashed { doing, detail } => Self::EngineCrashed {
                doing: Cow::Owned(doing),
                detail,
            },
            WireError::TimedOut { doing, limit } => Self::TimedOut {
                doing: Cow::Owned(doing),
                limit,
            },
            WireError::WorkerUnavailable { program, detail } => {
                Self::WorkerUnavailable { program, detail }
            }
            WireError::DocumentChanged => Self::DocumentChanged,
        }
    }
}

/// One received frame, not yet decoded.
#[derive(Debug)]
pub(crate) struct Frame {
    pub header: Vec<u8>,
    pub payload: Vec<u8>,
}

impl Frame {
    pub fn decode<T: DeserializeOwned>(&self) -> io::Result<T> {
        decode(&self.header)
    }
}

pub(crate) fn decode<T: DeserializeOwned>(bytes: &[u8]) -> io::Result<T> {
    postcard::from_bytes(bytes).map_err(|error| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("undecodable message: {error}"),
        )
    })
}

/// Reads the version from a [`Hello`] without assuming the rest of its shape.
pub(crate) fn hello_version(frame: &Frame) -> io::Result<u32> {
    postcard::take_from_bytes::<u32>(&frame.header)
        .map(|(version, _)| version)
        .map_err(|error| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("undecodable hello: {error}"),
            )
        })
}

/// Writes one frame and flushes it.
pub(crate) fn write_frame(
    output: &mut impl Write,
    header: &impl Serialize,
    payload: &[u8],
) -> io::Result<()> {
    let header = postcard::to_allocvec(header).map_err(io::Error::other)?;
    let too_long = |what: &str| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{what} too long for one frame"),
        )
    };
    let header_len = u32::try_from(header.len())
        .ok()
        .filter(|len| *len <= MAX_HEADER_LEN)
        .ok_or_else(|| too_long("message"))?;
    let payload_len = u32::try_from(payload.len())
        .ok()
        .filter(|len| *len <= MAX_PAYLOAD_LEN)
        .ok_or_else(|| too_long("payload"))?;
    let mut head = Vec::with_capacity(PREFIX_LEN + header.len());
    head.extend_from_slice(&MAGIC);
    head.extend_from_slice(&header_len.to_le_bytes());
    head.extend_from_slice(&payload_len.to_le_bytes());
    head.extend_from_slice(&header);
    output.write_all(&head)?;
    output.write_all(payload)?;
    output.flush()
}

/// Reads one frame; `Ok(None)` when the stream ends cleanly between frames.
pub(crate) fn read_frame(input: &mut impl Read) -> io::Result<Option<Frame>> {
    let mut prefix = [0u8; PREFIX_LEN];
    let mut filled = 0;
    while filled < PREFIX_LEN {
        match input.read(&mut prefix[filled..]) {
            Ok(0) if filled == 0 => return Ok(None),
            Ok(0) => return Err(io::ErrorKind::UnexpectedEof.into()),
            Ok(read) => filled += read,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
            Err(error) => return Err(error),
        }
    }
    if prefix[..4] != MAGIC {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("not a frame (starts with {:?})", &prefix[..4]),
        ));
    }
    let length = |at: usize| {
        u32::from_le_bytes([prefix[at], prefix[at + 1], prefix[at + 2], prefix[at + 3]])
    };
    let (header_len, payload_len) = (length(4), length(8));
    if header_len > MAX_HEADER_LEN || payload_len > MAX_PAYLOAD_LEN {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("frame too long ({header_len} + {payload_len} bytes)"),
        ));
    }
    Ok(Some(Frame {
        header: read_exactly(input, header_len)?,
        payload: read_exactly(input, payload_len)?,
    }))
}

/// Reads `len` bytes into a new vector without zeroing it first (pixels are megabytes).
fn read_exactly(input: &mut impl Read, len: u32) -> io::Result<Vec<u8>> {
    let len = len as usize;
    let mut bytes = Vec::with_capacity(len);
    input.take(len as u64).read_to_end(&mut bytes)?;
    if bytes.len() == len {
        Ok(bytes)
    } else {
        Err(io::ErrorKind::UnexpectedEof.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_round_trip_with_their_payload() {
        let mut pipe = Vec::new();
        let request = Request::Render {
            doc: 7,
            page: 2,
            size: RenderSize::Width(800),
        };
        write_frame(&mut pipe, &request, b"pixels").unwrap();
        let closed = Answer {
            reply: Reply::Closed,
            retiring: false,
        };
        write_frame(&mut pipe, &closed, &[]).unwrap();
        let mut input = pipe.as_slice();
        let frame = read_frame(&mut input).unwrap().unwrap();
        assert!(matches!(
            frame.decode::<Request>().unwrap(),
            Request::Render {
                doc: 7,
                page: 2,
                size: RenderSize::Width(800)
            }
        ));
        assert_eq!(frame.payload, b"pixels");
        let frame = read_frame(&mut input).unwrap().unwrap();
        assert!(matches!(
            frame.decode::<Answer>().unwrap(),
            Answer {
                reply: Reply::Closed,
                retiring: false
            }
        ));
        assert!(
            read_frame(&mut input).unwrap().is_none(),
            "clean end between frames"
        );
    }

    #[test]
    fn anything_but_a_frame_is_refused_before_allocating() {
        let error = read_frame(&mut b"Warning: unsupported font\n".as_slice()).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::InvalidData);

        let mut huge = MAGIC.to_vec();
        huge.extend_from_slice(&u32::MAX.to_le_bytes());
        huge.extend_from_slice(&0u32.to_le_bytes());
        let error = read_frame(&mut huge.as_slice()).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::InvalidData);

        let mut pipe = Vec::new();
        write_frame(&mut pipe, &Reply::Closed, b"payload").unwrap();
        pipe.truncate(pipe.len() - 3);
        let error = read_frame(&mut pipe.as_slice()).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::UnexpectedEof);
    }

    #[test]
    fn errors_cross_the_pipe_with_their_code_and_message() {
        let missing = std::fs::read("/nonexistent/ecabinet/paper.pdf").unwrap_err();
        let errors = [
            PdfError::Io {
                path: PathBuf::from("/nonexistent/ecabinet/paper.pdf"),
                source: missing,
            },
            PdfError::WrongPassword,
            PdfError::PageOutOfRange {
                index: 10,
                page_count: 10,
            },
            PdfError::EngineFailure {
                doing: "rendering a page".into(),
                detail: "FPDF error".to_owned(),
            },
        ];
        for error in errors {
            let (code, message) = (error.code(), error.to_string());
            let mut pipe = Vec::new();
            write_frame(&mut pipe, &Reply::Failed(error.into()), &[]).unwrap();
            let frame = read_frame(&mut pipe.as_slice()).unwrap().unwrap();
            let Reply::Failed(wire) = frame.decode().unwrap() else {
                panic!("not a failure");
            };
            let error = PdfError::from(wire);
            assert_eq!((error.code(), error.to_string()), (code, message));
        }
    }

    #[test]
    fn the_version_is_read_before_the_rest_of_the_hello() {
        let mut pipe = Vec::new();
        let hello = Hello {
            protocol: PROTOCOL_VERSION,
            engine: None,
        };
        write_frame(&mut pipe, &hello, &[]).unwrap();
        let frame = read_frame(&mut pipe.as_slice()).unwrap().unwrap();
        assert_eq!(hello_version(&frame).unwrap(), PROTOCOL_VERSION);
    }
}
