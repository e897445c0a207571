//! The bound PDFium library and the documents opened with it.
//!
//! PDFium can be bound only once per process (pdfium-render keeps the bindings in a global), so
//! the bound library lives in a static and [`PdfEngine`] is a cheap `Copy` handle to it. Binding
//! failures are not remembered: after the user runs `make setup`, the next attempt can succeed.
//!
//! Thread safety: PDFium itself is not thread-safe. pdfium-render's default `thread_safe` feature
//! wraps every FFI call in one process-wide mutex and, on that basis, marks `Pdfium` and
//! `PdfDocument` as `Send + Sync`. That lock is per call, not per operation, so a load on one
//! thread could read the error code (`FPDF_GetLastError`) left by a load on another; this module
//! therefore also holds [`OPERATIONS`] around each whole operation. Nothing runs in parallel:
//! parallel rendering or isolation from a PDF that crashes PDFium needs separate processes.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, OnceLock, PoisonError};

use pdfium_render::prelude::{
    PdfDocument, PdfDocumentMetadataTagType, PdfPage, PdfPageRenderRotation, PdfPageText,
    PdfRenderConfig, PdfSecurityHandlerRevision, Pdfium, PdfiumError, PdfiumInternalError,
};
use serde::{Deserialize, Serialize};

use crate::annotations::{self, PageAnnotation};
use crate::error::{LoadAttempt, LoadFailure, PdfError};
use crate::layout::{self, PageFrame, TextLayout};
use crate::locate::{PdfiumLocation, search_order_from_process};
use crate::outline::{self, OutlineEntry};

/// Readers accept a `%PDF-` header anywhere in the first 1024 bytes (PDF 32000-1, annex H).
const HEADER_SEARCH_WINDOW: usize = 1024;

/// Refuse to allocate bitmaps beyond this: 64 Mpx is 256 MB of RGBA, far above an A0 sheet at
/// 150 dpi (about 35 Mpx) and well below what would take a laptop down.
const MAX_RENDER_PIXELS: u64 = 64 * 1024 * 1024;

/// PDFium's own limit on a bitmap's side is `i32`; keep well inside it.
const MAX_RENDER_SIDE: u64 = 32_000;

struct BoundLibrary {
    pdfium: Pdfium,
    path: PathBuf,
}

static BOUND: OnceLock<BoundLibrary> = OnceLock::new();
/// Serialises binding, so two threads cannot both load the library.
static BINDING: Mutex<()> = Mutex::new(());
/// Serialises whole engine operations (see the module documentation).
static OPERATIONS: Mutex<()> = Mutex::new(());

fn lock(mutex: &'static Mutex<()>) -> MutexGuard<'static, ()> {
    // A panic caught by `guarded` may poison the lock; the `()` it protects cannot be left
    // inconsistent, so carry on.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Runs one engine operation under [`OPERATIONS`] and turns a panic inside pdfium-render into an
/// error, so one hostile PDF cannot take the app down. Limits: a crash inside PDFium itself still
/// can (that needs process isolation), and a panic while pdfium-render holds its own FFI lock
/// poisons it, after which every call fails with `engine_failure` until the app restarts; known
/// causes of such panics are ruled out before calling in (see `open_bytes`).
fn guarded<T>(
    doing: &'static str,
    run: impl FnOnce() -> Result<T, PdfError>,
) -> Result<T, PdfError> {
    let _operation = lock(&OPERATIONS);
    catch_unwind(AssertUnwindSafe(run)).unwrap_or_else(|panic| {
        let detail = panic
            .downcast_ref::<&str>()
            .map(|message| (*message).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "internal panic".to_owned());
        Err(PdfError::EngineFailure {
            doing: doing.into(),
            detail,
        })
    })
}

/// Handle to the process's bound PDFium. `Copy`, `Send` and `Sync`: hold it in Tauri's managed
/// state or pass it to worker threads freely; calls are serialised underneath.
#[derive(Clone, Copy)]
pub struct PdfEngine {
    bound: &'static BoundLibrary,
}

impl std::fmt::Debug for PdfEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PdfEngine")
            .field("library_path", &self.bound.path)
            .finish()
    }
}

impl PdfEngine {
    /// Binds PDFium from the standard [`search_order`](crate::search_order) of this process,
    /// or returns the library already bound.
    pub fn bind() -> Result<Self, PdfError> {
        Self::bind_from(&search_order_from_process())
    }

    /// Binds the first of `locations` that loads. If PDFium is already bound in this process
    /// the existing binding is returned whatever `locations` says, because PDFium cannot be
    /// bound twice.
    pub fn bind_from(locations: &[PdfiumLocation]) -> Result<Self, PdfError> {
        let _binding = lock(&BINDING);
        if let Some(bound) = BOUND.get() {
            return Ok(Self { bound });
        }
        let mut attempts = Vec::with_capacity(locations.len());
        for location in locations {
            let path = location.library_path();
            match load_library(&path) {
                Ok(pdfium) => {
                    let bound = BOUND.get_or_init(|| BoundLibrary { pdfium, path });
                    return Ok(Self { bound });
                }
                Err(failure) => attempts.push(LoadAttempt {
                    origin: location.origin,
                    path,
                    failure,
                }),
            }
        }
        Err(PdfError::EngineUnavailable { attempts })
    }

    /// The library file that was bound, for the app's status line.
    pub fn library_path(&self) -> &Path {
        &self.bound.path
    }

    /// Opens the PDF at `path`. The file is read into memory first, so a file that a watched
    /// folder is still writing cannot change underneath the open document.
    pub fn open_path(&self, path: &Path, password: Option<&str>) -> Result<Document, PdfError> {
        let bytes = std::fs::read(path).map_err(|source| PdfError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        self.open_bytes(bytes, password)
    }

    /// Opens a PDF from its bytes. `None` and `Some("")` both mean "no password".
    pub fn open_bytes(&self, bytes: Vec<u8>, password: Option<&str>) -> Result<Document, PdfError> {
        if bytes.is_empty() {
            return Err(PdfError::EmptyFile);
        }
        // PDFium reports a non-PDF as a generic format error; tell the user what it really is.
        if !has_pdf_header(&bytes) {
            return Err(PdfError::NotAPdf);
        }
        let password = password.filter(|password| !password.is_empty());
        // pdfium-render unwraps `CString::new(password)` while holding its process-wide FFI
        // lock: a NUL would panic there, poison that lock and break PDFium for the rest of the
        // process. No PDF password can contain one, so it is simply wrong.
        if password.is_some_and(|password| password.contains('\0')) {
            return Err(PdfError::WrongPassword);
        }
        let pdfium: &'static Pdfium = &self.bound.pdfium;
        guarded("opening the document", || {
            let inner = pdfium
                .load_pdf_from_byte_vec(bytes, password)
                .map_err(|error| open_error(error, password.is_some()))?;
            let page_count = u32::try_from(inner.pages().len()).unwrap_or(0);
            Ok(Document { inner, page_count })
        })
    }
}

fn load_library(path: &Path) -> Result<Pdfium, LoadFailure> {
    if !path.exists() {
        return Err(LoadFailure::Missing);
    }
    match Pdfium::bind_to_library(path) {
        Ok(bindings) => Ok(Pdfium::new(bindings)),
        Err(PdfiumError::PdfiumLibraryBindingsAlreadyInitialized) => {
            Err(LoadFailure::FailedToLoad(
                "PDFium was already bound in this process by code outside ecabinet-pdf".to_owned(),
            ))
        }
        Err(PdfiumError::LoadLibraryError(error)) => {
            Err(LoadFailure::FailedToLoad(error.to_string()))
        }
        Err(error) => Err(LoadFailure::FailedToLoad(format!("{error:?}"))),
    }
}

fn has_pdf_header(bytes: &[u8]) -> bool {
    let window = &bytes[..bytes.len().min(HEADER_SEARCH_WINDOW)];
    window.windows(5).any(|candidate| candidate == b"%PDF-")
}

fn open_error(error: PdfiumError, password_given: bool) -> PdfError {
    match error {
        PdfiumError::PdfiumLibraryInternalError(internal) => match internal {
            PdfiumInternalError::PasswordError if password_given => PdfError::WrongPassword,
            PdfiumInternalError::PasswordError => PdfError::PasswordRequired,
            PdfiumInternalError::SecurityError => PdfError::UnsupportedSecurity,
            // FPDF_ERR_FILE cannot mean "file not found" for an in-memory document: PDFium also
            // uses it when the data ends before anything useful was found.
            PdfiumInternalError::FileError => PdfError::Corrupt {
                detail: "PDFium could not read the data".to_owned(),
            },
            PdfiumInternalError::FormatError => PdfError::Corrupt {
                detail: "PDFium could not parse its structure".to_owned(),
            },
            PdfiumInternalError::PageError | PdfiumInternalError::Unknown => PdfError::Corrupt {
                detail: "PDFium gave no reason".to_owned(),
            },
        },
        other => PdfError::Corrupt {
            detail: format!("{other:?}"),
        },
    }
}

/// An open PDF. `Send + Sync` (see the module documentation); dropping it closes the document.
pub struct Document {
    inner: PdfDocument<'static>,
    page_count: u32,
}

impl std::fmt::Debug for Document {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Document")
            .field("page_count", &self.page_count)
            .finish_non_exhaustive()
    }
}

/// What the app shows about a document before rendering any page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentInfo {
    pub page_count: u32,
    /// The document information dictionary, blank entries left out.
    pub metadata: Metadata,
    /// Whether the file is encrypted, including files that open without a password because
    /// only an owner password restricts them.
    pub encrypted: bool,
    /// `None` when the file uses a security handler revision pdfium-render cannot interpret
    /// (AES-256, revisions 5 and 6): the document opens, but its restrictions are unknown.
    pub permissions: Option<Permissions>,
    /// The size of every page, in order, so a viewer can lay out the whole document before
    /// rendering any of it. A page whose size PDFium cannot read gets US Letter, the size
    /// PDFium itself assumes for a page without a usable `/MediaBox`.
    pub page_sizes: Vec<PageSize>,
    /// Whether page 1 has any extractable non-blank text. `false` usually means a scan, which
    /// search cannot find anything in.
    pub first_page_has_text: bool,
}

/// The document information dictionary. Dates are kept as the PDF wrote them
/// (`D:YYYYMMDDHHmmSSOHH'mm'`, often incomplete or malformed in the wild).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metadata {
    pub title: Option<String>,
    pub author: Option<String>,
    pub subject: Option<String>,
    pub keywords: Option<String>,
    pub creator: Option<String>,
    pub producer: Option<String>,
    pub created: Option<String>,
    pub modified: Option<String>,
}

/// What the document's author allows. All `true` for an unencrypted file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Permissions {
    /// Printing at any quality.
    pub print: bool,
    /// Copying text and graphics.
    pub copy: bool,
    /// Changing the content.
    pub modify: bool,
    /// Adding or changing annotations and filling forms.
    pub annotate: bool,
}

/// A page size in PDF points (1/72 inch), after the page's own rotation.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PageSize {
    pub width: f32,
    pub height: f32,
}

impl PageSize {
    /// US Letter, what PDFium assumes for a page without a usable `/MediaBox`.
    const FALLBACK: Self = Self {
        width: 612.0,
        height: 792.0,
    };
}

/// How large to render a page.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum RenderSize {
    /// Dots per inch: 72 gives one pixel per point, 150 a sharp A4 page on a laptop screen.
    Dpi(f32),
    /// The width of the rendered page in pixels (after the page's rotation), the height
    /// following the page's proportions: what a viewer fitting the page to its window asks for.
    Width(u32),
}

/// A rendered page: `rgba` holds `width * height` pixels, 4 bytes each, row by row, no padding.
#[derive(Clone, PartialEq, Eq)]
pub struct RenderedPage {
    pub width: u32,
    pub height: u32,
    pub rgba: Vec<u8>,
}

impl std::fmt::Debug for RenderedPage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Millions of bytes of pixels help nobody reading a log.
        f.debug_struct("RenderedPage")
            .field("width", &self.width)
            .field("height", &self.height)
            .field("rgba_len", &self.rgba.len())
            .finish()
    }
}

impl Document {
    pub fn page_count(&self) -> u32 {
        self.page_count
    }

    pub fn info(&self) -> Result<DocumentInfo, PdfError> {
        // A page 1 whose text cannot be extracted should not stop the document from opening.
        let first_page_has_text = self.page_count > 0
            && self
                .page_text(0)
                .is_ok_and(|text| text.chars().any(|character| !character.is_whitespace()));
        guarded("reading document information", || {
            let metadata = self.inner.metadata();
            let tag = |tag_type| {
                metadata
                    .get(tag_type)
                    .map(|tag| tag.value().trim().to_owned())
                    .filter(|value| !value.is_empty())
            };
            let metadata = Metadata {
                title: tag(PdfDocumentMetadataTagType::Title),
                author: tag(PdfDocumentMetadataTagType::Author),
                subject: tag(PdfDocumentMetadataTagType::Subject),
                keywords: tag(PdfDocumentMetadataTagType::Keywords),
                creator: tag(PdfDocumentMetadataTagType::Creator),
                producer: tag(PdfDocumentMetadataTagType::Producer),
                created: tag(PdfDocumentMetadataTagType::CreationDate),
                modified: tag(PdfDocumentMetadataTagType::ModificationDate),
            };
            let permissions = self.inner.permissions();
            let revision = permissions.security_handler_revision();
            let encrypted = !matches!(revision, Ok(PdfSecurityHandlerRevision::Unprotected));
            let permissions = revision.ok().and_then(|_| {
                Some(Permissions {
                    print: permissions.can_print_high_quality().ok()?
                        || permissions.can_print_only_low_quality().ok()?,
                    copy: permissions.can_extract_text_and_graphics().ok()?,
                    modify: permissions.can_modify_document_content().ok()?,
                    annotate: permissions.can_add_or_modify_text_annotations().ok()?,
                })
            });
            // Reading a size does not load the page, so this stays quick on long documents.
            let pages = self.inner.pages();
            let page_sizes = (0..self.page_count)
                .map(|index| {
                    i32::try_from(index)
                        .ok()
                        .and_then(|index| pages.page_size(index).ok())
                        .map_or(PageSize::FALLBACK, |rect| PageSize {
                            width: rect.width().value,
                            height: rect.height().value,
                        })
                })
                .collect();
            Ok(DocumentInfo {
                page_count: self.page_count,
                metadata,
                encrypted,
                permissions,
                page_sizes,
                first_page_has_text,
            })
        })
    }

    /// Size of the page at zero-based `index`, for laying out a viewer before rendering.
    pub fn page_size(&self, index: u32) -> Result<PageSize, PdfError> {
        guarded("measuring a page", || {
            let page = self.page(index)?;
            Ok(PageSize {
                width: page.width().value,
                height: page.height().value,
            })
        })
    }

    /// Renders the page at zero-based `index` at `dpi` dots per inch, on white, with its
    /// annotations and form field values.
    pub fn render_page(&self, index: u32, dpi: f32) -> Result<RenderedPage, PdfError> {
        self.render(index, RenderSize::Dpi(dpi))
    }

    /// Renders the page at zero-based `index` at `size`, on white, with its annotations and
    /// form field values.
    pub fn render(&self, index: u32, size: RenderSize) -> Result<RenderedPage, PdfError> {
        match size {
            RenderSize::Dpi(dpi) if !dpi.is_finite() || dpi <= 0.0 => {
                return Err(PdfError::InvalidDpi { dpi });
            }
            RenderSize::Width(0) => return Err(PdfError::InvalidWidth { width: 0 }),
            _ => {}
        }
        guarded("rendering a page", || {
            let page = self.page(index)?;
            let (page_width, page_height) = (page.width().value, page.height().value);
            let scale = match size {
                RenderSize::Dpi(dpi) => f64::from(dpi) / 72.0,
                RenderSize::Width(width) => f64::from(width) / f64::from(page_width),
            };
            let width = match size {
                RenderSize::Width(width) => u64::from(width),
                RenderSize::Dpi(_) => pixels(page_width, scale),
            };
            let height = pixels(page_height, scale);
            if width > MAX_RENDER_SIDE
                || height > MAX_RENDER_SIDE
                || width * height > MAX_RENDER_PIXELS
            {
                return Err(PdfError::PageTooLarge {
                    index,
                    width,
                    height,
                });
            }
            // Both sides are at most MAX_RENDER_SIDE, so they fit in i32. pdfium-render asks
            // PDFium for RGBA byte order by default, so no conversion follows the render.
            let config = PdfRenderConfig::new().set_target_size(width as i32, height as i32);
            let bitmap =
                page.render_with_config(&config)
                    .map_err(|error| PdfError::EngineFailure {
                        doing: "rendering a page".into(),
                        detail: format!("{error:?}"),
                    })?;
            let (width, height) = (bitmap.width() as u32, bitmap.height() as u32);
            let rgba = tightly_packed(bitmap.as_rgba_bytes(), width, height);
            Ok(RenderedPage {
                width,
                height,
                rgba,
            })
        })
    }

    /// The text of the page at zero-based `index` in reading order as PDFium sees it, lines
    /// separated by `\n`. Empty for a scanned page without a text layer.
    ///
    /// Always the `text` of [`Document::page_text_layout`], from the same walk over PDFium's
    /// characters, so an index into one is an index into the other.
    pub fn page_text(&self, index: u32) -> Result<String, PdfError> {
        guarded("extracting text", || {
            let page = self.page(index)?;
            let text = page_text_of(&page, "extracting text")?;
            Ok(layout::collect(&text, None).text)
        })
    }

    /// The text of the page at zero-based `index` with the box of each character on the page
    /// as displayed (after its `/Rotate`), for a reader's text layer and find highlights.
    pub fn page_text_layout(&self, index: u32) -> Result<TextLayout, PdfError> {
        let doing = "laying out the text of a page";
        guarded(doing, || {
            let page = self.page(index)?;
            let text = page_text_of(&page, doing)?;
            let frame = frame_of(&page, doing)?;
            Ok(layout::collect(&text, Some(&frame)))
        })
    }

    /// The annotations already inside the document (made with other readers), page by page in
    /// each page's `/Annots` order, every subtype included; read-only.
    pub fn annotations(&self) -> Result<Vec<PageAnnotation>, PdfError> {
        let doing = "reading the annotations";
        guarded(doing, || {
            let mut found = Vec::new();
            for index in 0..self.page_count {
                let page = self.page(index)?;
                let frame = frame_of(&page, doing)?;
                found.extend(annotations::of_page(&page, index, &frame));
            }
            Ok(found)
        })
    }

    /// The document's outline (bookmarks), flattened in reading order with each entry's depth;
    /// empty when the document has none. Bounded against hostile outlines: loops are cut,
    /// nesting stops at 32 levels and at most 10,000 entries come back.
    pub fn outline(&self) -> Result<Vec<OutlineEntry>, PdfError> {
        guarded("reading the outline", || {
            Ok(outline::flatten(self.inner.bookmarks(), self.page_count))
        })
    }

    fn page(&self, index: u32) -> Result<PdfPage<'_>, PdfError> {
        let out_of_range = PdfError::PageOutOfRange {
            index,
            page_count: self.page_count,
        };
        if index >= self.page_count {
            return Err(out_of_range);
        }
        let pdfium_index = i32::try_from(index).map_err(|_| out_of_range)?;
        self.inner
            .pages()
            .get(pdfium_index)
            .map_err(|error| PdfError::Corrupt {
                detail: format!("page {} cannot be loaded: {error:?}", index + 1),
            })
    }
}

/// The page as displayed, for placing boxes on it.
fn frame_of(page: &PdfPage<'_>, doing: &'static str) -> Result<PageFrame, PdfError> {
    let displayed = page
        .boundaries()
        .bounding()
        .map_err(|error| PdfError::EngineFailure {
            doing: doing.into(),
            detail: format!("the page's bounding box: {error:?}"),
        })?;
    // A `/Rotate` that is not a multiple of 90 is one PDFium does not apply either.
    let rotation = page.rotation().unwrap_or(PdfPageRenderRotation::None);
    Ok(PageFrame::new(displayed.bounds, rotation))
}

fn page_text_of<'a>(
    page: &'a PdfPage<'a>,
    doing: &'static str,
) -> Result<PdfPageText<'a>, PdfError> {
    page.text().map_err(|error| PdfError::EngineFailure {
        doing: doing.into(),
        detail: format!("{error:?}"),
    })
}

fn pixels(points: f32, scale: f64) -> u64 {
    let pixels = (f64::from(points) * scale).round();
    // A NaN or negative page size from a broken file still yields a 1-pixel bitmap, not a panic.
    if pixels.is_nan() || pixels < 1.0 {
        1
    } else if pixels > u64::MAX as f64 {
        u64::MAX
    } else {
        pixels as u64
    }
}

/// PDFium may pad bitmap rows to an alignment; callers get rows of exactly `width * 4` bytes.
fn tightly_packed(bytes: Vec<u8>, width: u32, height: u32) -> Vec<u8> {
    let row = width as usize * 4;
    let rows = height as usize;
    if rows == 0 || bytes.len() == row * rows {
        return bytes;
    }
    let stride = bytes.len() / rows;
    bytes
        .chunks(stride)
        .take(rows)
        .flat_map(|padded| &padded[..row.min(padded.len())])
        .copied()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_is_found_within_the_first_kilobyte_only() {
        assert!(has_pdf_header(b"%PDF-1.7\n"));
        let mut late = vec![b' '; 1000];
        late.extend_from_slice(b"%PDF-1.4");
        assert!(has_pdf_header(&late));
        let mut too_late = vec![b' '; 1020];
        too_late.extend_from_slice(b"%PDF-1.4");
        assert!(!has_pdf_header(&too_late));
        assert!(!has_pdf_header("Đây không phải tệp PDF".as_bytes()));
    }

    #[test]
    fn padded_rows_are_packed() {
        // 2x2 pixels with rows padded from 8 to 12 bytes.
        let padded = [[1u8; 8].as_slice(), &[0; 4], &[2; 8], &[0; 4]].concat();
        assert_eq!(tightly_packed(padded, 2, 2), [[1u8; 8], [2; 8]].concat());
        assert_eq!(tightly_packed(vec![7; 16], 2, 2), vec![7; 16]);
    }

    #[test]
    fn page_pixels_survive_nonsense_sizes() {
        assert_eq!(pixels(595.276, 150.0 / 72.0), 1240);
        assert_eq!(pixels(f32::NAN, 2.0), 1);
        assert_eq!(pixels(-5.0, 2.0), 1);
        assert_eq!(pixels(f32::INFINITY, 2.0), u64::MAX);
    }

    #[test]
    fn unloadable_locations_are_all_reported() {
        let dir = tempfile::tempdir().unwrap();
        let junk = dir.path().join("libpdfium.so");
        std::fs::write(&junk, b"not a shared library").unwrap();
        let missing = dir.path().join("nowhere").join("libpdfium.so");
        let locations = [
            PdfiumLocation {
                origin: crate::LocationOrigin::BesideExecutable,
                path: missing.clone(),
            },
            PdfiumLocation {
                origin: crate::LocationOrigin::InstallDir,
                path: junk.clone(),
            },
        ];
        // This unit-test binary never binds a real library, so the attempt really happens.
        let error = PdfEngine::bind_from(&locations).unwrap_err();
        assert_eq!(error.code(), "engine_unavailable");
        let PdfError::EngineUnavailable { attempts } = &error else {
            panic!("unexpected error {error:?}");
        };
        assert_eq!(attempts[0].path, missing);
        assert_eq!(attempts[0].failure, LoadFailure::Missing);
        assert_eq!(attempts[1].path, junk);
        assert!(matches!(attempts[1].failure, LoadFailure::FailedToLoad(_)));
        let message = error.to_string();
        assert!(
            message.contains(&format!("{}", missing.display())),
            "{message}"
        );
        assert!(message.contains("missing"), "{message}");
        assert!(message.contains("failed to load"), "{message}");
        assert!(message.contains("make setup"), "{message}");
        assert!(message.contains("ECABINET_PDFIUM"), "{message}");
    }
}
