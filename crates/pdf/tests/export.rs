//! Annotations written into a copy of a paper and read back: every kind eCabinet makes, with
//! appearance streams, on upright and turned pages.

mod every_kind;
mod tiny_pdf;

use ecabinet_pdf::markup::{self, MarkupError, MarkupSubtype};
use ecabinet_pdf::{AnnotationKind, PdfEngine};
use every_kind::{every_kind, submission};

#[test]
fn every_kind_written_into_a_copy_reads_back_exactly() {
    let paper = submission();
    let written = every_kind();
    let copy = markup::write_annotations(&paper, &written).unwrap();
    assert!(
        copy.starts_with(&paper),
        "the copy is an incremental update: the paper's own bytes stay as they were"
    );
    let read = markup::read_annotations(&copy).unwrap();
    assert_eq!(
        read, written,
        "colour, quads, ink with pressure, line ends, names and the reply all come back"
    );
    assert!(markup::read_annotations(&paper).unwrap().is_empty());
}

#[test]
fn pdfium_finds_each_written_annotation_with_its_kind_author_and_text() {
    let engine = PdfEngine::bind().unwrap_or_else(|error| panic!("{error}"));
    let written = every_kind();
    let copy = markup::write_annotations(&submission(), &written).unwrap();
    let document = engine.open_bytes(copy, None).unwrap();
    let found = document.annotations().unwrap();
    let kinds: Vec<AnnotationKind> = found.iter().map(|f| f.kind.clone()).collect();
    use AnnotationKind as K;
    assert_eq!(
        kinds,
        [
            K::Highlight,
            K::Underline,
            K::StrikeOut,
            K::Squiggly,
            K::Ink,
            K::Note,
            K::FreeText,
            K::Square,
            K::Circle,
            K::Line,
            K::Line,
            K::Note
        ]
    );
    for (found, written) in found.iter().zip(&written) {
        assert_eq!(found.author, written.author, "/T survives as UTF-16");
        assert_eq!(found.contents, written.contents);
    }
}

#[test]
fn an_annotation_on_a_page_the_paper_lacks_is_refused() {
    let mut beyond = every_kind().remove(0);
    beyond.page = 10;
    let error = markup::write_annotations(&submission(), &[beyond]).unwrap_err();
    assert!(
        matches!(
            error,
            MarkupError::PageOutOfRange {
                page: 10,
                page_count: 10
            }
        ),
        "{error}"
    );
    assert_eq!(error.code(), "page_out_of_range");
    let error = markup::write_annotations(b"%PDF-1.7\nnothing else", &every_kind()).unwrap_err();
    assert_eq!(error.code(), "corrupt", "{error}");
}

#[test]
fn annotations_added_to_an_annotated_copy_keep_the_earlier_ones() {
    let all = every_kind();
    let (first, second) = all.split_at(5);
    let once = markup::write_annotations(&submission(), first).unwrap();
    let twice = markup::write_annotations(&once, second).unwrap();
    let read = markup::read_annotations(&twice).unwrap();
    assert_eq!(read.len(), all.len());
    assert_eq!(read[..5], *first);
    assert_eq!(read[5..], *second);
}

#[test]
fn a_reply_written_later_answers_the_annotation_already_in_the_file() {
    let all = every_kind();
    let (note, reply) = (&all[5], &all[11]);
    assert_eq!(reply.in_reply_to.as_deref(), note.name.as_deref());
    let once = markup::write_annotations(&submission(), std::slice::from_ref(note)).unwrap();
    let twice = markup::write_annotations(&once, std::slice::from_ref(reply)).unwrap();
    let read = markup::read_annotations(&twice).unwrap();
    assert_eq!(read, [note.clone(), reply.clone()]);
    assert_eq!(read[1].subtype, MarkupSubtype::Text);
}

#[test]
fn an_owner_locked_paper_gets_its_annotations_encrypted_like_the_rest_of_it() {
    // Encrypted with an empty user password: it opens without one, and its new objects must
    // be encrypted with the file's key or no reader could read their text.
    let paper = std::fs::read(every_kind::fixture("bad/owner-locked-no-print.pdf")).unwrap();
    let written = every_kind();
    let copy = markup::write_annotations(&paper, &written).unwrap();
    assert_eq!(markup::read_annotations(&copy).unwrap(), written);
    let engine = PdfEngine::bind().unwrap_or_else(|error| panic!("{error}"));
    let document = engine.open_bytes(copy.clone(), None).unwrap();
    assert!(
        document.info().unwrap().encrypted,
        "still the owner's protected file"
    );
    let found = document.annotations().unwrap();
    assert_eq!(found.len(), written.len());
    for (found, written) in found.iter().zip(&written) {
        assert_eq!(
            found.contents, written.contents,
            "PDFium decrypts the text with the file's key"
        );
    }
    let needs_password = std::fs::read(every_kind::fixture("bad/password-matkhau.pdf")).unwrap();
    let error = markup::write_annotations(&needs_password, &written).unwrap_err();
    assert_eq!(error.code(), "encrypted", "{error}");
}
