//! Exporting the signed-in member's annotations on a paper into a copy of it: real PDF
//! annotations with appearance streams, which any other reader shows (`ecabinet_pdf::markup`).
//!
//! The paper is the version the member reads, from its verified file; its text and character
//! boxes come from a PDF worker, as the reader's do. An annotation made on an earlier version
//! is re-anchored on this one first (from its quote and context, `reanchor`); one that cannot
//! be placed with confidence is left out of the copy and named in the answer, never placed
//! somewhere it may not belong.

use std::path::{Path, PathBuf};

use ecabinet_domain::annotation::{PaperText, Reanchoring, reanchor};
use ecabinet_domain::{Annotation, AnnotationId, PaperId};
use ecabinet_pdf::markup::{self, LaidOutPaper, MarkupError};

use crate::dto::{IpcError, IpcErrorCode};
use crate::{AppCore, parse_id};

/// What went into an exported copy.
#[derive(Debug, Clone, PartialEq)]
pub struct AnnotatedCopy {
    /// The file written.
    pub path: PathBuf,
    /// The member's annotations written into it.
    pub written: Vec<AnnotationId>,
    /// Those left out: made on an earlier version and not placed with confidence on this
    /// one, or with no text to place them by.
    pub left_out: Vec<AnnotationId>,
}

impl AppCore {
    /// The name the save dialog suggests for a copy of the paper with the member's marks.
    pub fn export_file_name(&self, paper_id: &str) -> Result<String, IpcError> {
        let member = self.session()?.member.id;
        let paper: PaperId = parse_id(paper_id)?;
        let title = self
            .store()
            .readable_papers(member)?
            .into_iter()
            .find(|p| p.paper_id == paper)
            .map(|p| p.title)
            .filter(|t| !t.trim().is_empty())
            .unwrap_or_else(|| "tai-lieu".into());
        let safe: String = title
            .chars()
            .map(|c| if "/\\:*?\"<>|".contains(c) { '-' } else { c })
            .collect();
        Ok(format!("{safe} (ghi chú).pdf"))
    }

    /// [`AppCore::export_annotated_paper`] as the window hears it: how many marks went in
    /// and how many were left out.
    pub async fn export_annotated_copy(
        &self,
        paper_id: &str,
        destination: &Path,
    ) -> Result<crate::dto::ExportOutcome, IpcError> {
        let copy = self.export_annotated_paper(paper_id, destination).await?;
        Ok(crate::dto::ExportOutcome::Saved {
            file_name: copy
                .path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            written: copy.written.len() as u32,
            left_out: copy.left_out.len() as u32,
        })
    }

    /// Writes a copy of the paper (the version the member reads) with the member's own
    /// annotations in it to `destination` (a path the shell's save dialog gave). The file
    /// appears whole or not at all: it is written beside the destination and renamed.
    pub async fn export_annotated_paper(
        &self,
        paper_id: &str,
        destination: &Path,
    ) -> Result<AnnotatedCopy, IpcError> {
        let session = self.session()?;
        let member = session.member.id;
        let paper: PaperId = parse_id(paper_id)?;
        let (_, made_on) = self.paper_read(member, paper)?;
        let mut own: Vec<Annotation> = self
            .store()
            .annotations(member, paper)?
            .into_iter()
            .map(|local| local.annotation)
            .filter(|a| a.author == member && !a.deleted)
            .collect();
        // In reading order, so the copy's annotations list as the paper reads.
        own.sort_by_key(|a| (a.anchor.text().position.start, a.id.to_string()));
        let bytes = self.files.read_verified(&made_on.hash)?;
        let author = session.member.display_name.clone();
        tokio::task::block_in_place(|| {
            let document = self.pdf_workers()?.open_bytes(bytes.clone(), None)?;
            let layouts = (0..document.page_count())
                .map(|page| document.page_text_layout(page))
                .collect::<Result<Vec<_>, _>>()?;
            let pages = markup::page_geometries(&bytes).map_err(export_failed)?;
            let texts: Vec<&str> = layouts.iter().map(|l| l.text.as_str()).collect();
            let text = PaperText::new(&texts);
            let laid_out = LaidOutPaper {
                layouts: &layouts,
                pages: &pages,
            };
            let mut copy = AnnotatedCopy {
                path: destination.to_path_buf(),
                written: Vec::new(),
                left_out: Vec::new(),
            };
            let mut markups = Vec::new();
            for annotation in &own {
                let position = annotation.anchor.text().position;
                let reads_the_same = annotation.made_on.hash == made_on.hash
                    && text.slice(position.start, position.end)
                        == annotation.anchor.text().quote.exact;
                let here = if reads_the_same {
                    Some(annotation.clone())
                } else {
                    on_this_version(annotation, &text)
                };
                match here.map(|a| markup::place_annotation(&a, &author, laid_out, &text)) {
                    Some(Ok(placed)) => {
                        markups.extend(placed);
                        copy.written.push(annotation.id);
                    }
                    Some(Err(MarkupError::Unplaceable { .. })) | None => {
                        copy.left_out.push(annotation.id);
                    }
                    Some(Err(other)) => return Err(export_failed(other)),
                }
            }
            let annotated = markup::write_annotations(&bytes, &markups).map_err(export_failed)?;
            write_whole(destination, &annotated)?;
            Ok(copy)
        })
    }
}

/// The annotation re-anchored on `text` (another version than it was made on, or one whose
/// text does not read the quote at the stored offsets), if its place there is certain enough.
fn on_this_version(annotation: &Annotation, text: &PaperText) -> Option<Annotation> {
    let Reanchoring::Placed { start, end, .. } = reanchor(annotation.anchor.text(), text) else {
        return None;
    };
    let anchor = annotation.anchor.moved_to(text, start, end);
    Some(Annotation {
        anchor,
        ..annotation.clone()
    })
}

fn export_failed(error: MarkupError) -> IpcError {
    let code = match error {
        MarkupError::Corrupt { .. } => IpcErrorCode::PdfCorrupt,
        MarkupError::Encrypted => IpcErrorCode::PdfUnsupportedSecurity,
        _ => IpcErrorCode::Internal,
    };
    IpcError::new(code, format!("exporting the annotated copy: {error}"))
}

/// Writes `bytes` to a temporary file beside `destination`, then renames it into place.
fn write_whole(destination: &Path, bytes: &[u8]) -> Result<(), IpcError> {
    let unwritable = |e: std::io::Error| {
        IpcError::new(
            IpcErrorCode::FileUnreadable,
            format!("cannot write {}: {e}", destination.display()),
        )
    };
    let folder = destination
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = destination
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let partial = folder.join(format!(".{name}.part"));
    std::fs::write(&partial, bytes)
        .and_then(|()| std::fs::rename(&partial, destination))
        .map_err(|e| {
            let _ = std::fs::remove_file(&partial);
            unwritable(e)
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ecabinet_domain::annotation::{Anchor, MarkAnchor, MarkOffset};
    use ecabinet_domain::{
        AnnotationKind, BlobHash, MadeOn, MeetingId, MemberId, Sharing, Timestamp,
    };
    use uuid::Uuid;

    fn made_on(old: &PaperText, start: usize, end: usize, mark: bool) -> Annotation {
        let text = old.anchor(start, end);
        Annotation {
            id: AnnotationId(Uuid::from_u128(1)),
            author: MemberId(Uuid::from_u128(2)),
            paper_id: PaperId(Uuid::from_u128(3)),
            meeting_id: MeetingId(Uuid::from_u128(4)),
            made_on: MadeOn {
                packet_version: Some(1),
                hash: BlobHash::parse(&"ab".repeat(32)).unwrap(),
            },
            anchor: if mark {
                Anchor::Mark(MarkAnchor {
                    text,
                    offset: MarkOffset { dx: 5.0, dy: -3.0 },
                })
            } else {
                Anchor::Text(text)
            },
            kind: AnnotationKind::Highlight,
            colour: "#ffd54f".into(),
            thickness: 1.0,
            body: String::new(),
            sharing: Sharing::Private,
            revision: 1,
            updated_at: Timestamp(0),
            deleted: false,
        }
    }

    #[test]
    fn a_mark_made_on_the_previous_version_follows_its_words_or_stays_out() {
        let old = PaperText::new(&[
            "Điều 1. Phê chuẩn dự toán thu ngân sách nhà nước trên địa bàn năm 2027 là 12.450 tỷ đồng.",
        ]);
        let new = PaperText::new(&[
            "Điều 1. Sửa đổi.\nĐiều 2. Phê chuẩn dự toán thu ngân sách nhà nước trên địa bàn năm 2027 là 12.450 tỷ đồng.",
        ]);
        let quote = "thu ngân sách nhà nước";
        let start = old
            .slice(0, old.len())
            .find(quote)
            .map(|byte| old.slice(0, old.len())[..byte].chars().count());
        let start = start.unwrap();
        let end = start + quote.chars().count();
        for mark in [false, true] {
            let moved = on_this_version(&made_on(&old, start, end, mark), &new)
                .expect("the words are all still there");
            let text = moved.anchor.text();
            assert_eq!(new.slice(text.position.start, text.position.end), quote);
            assert_eq!(
                text.position.start,
                start + "Điều 1. Sửa đổi.\n".chars().count()
            );
            if let Anchor::Mark(mark) = &moved.anchor {
                assert_eq!(
                    mark.offset,
                    MarkOffset { dx: 5.0, dy: -3.0 },
                    "the offset goes along"
                );
            }
        }

        let rewritten =
            PaperText::new(&["Điều 1. Giao Ủy ban nhân dân thành phố tổ chức thực hiện."]);
        assert!(
            on_this_version(&made_on(&old, start, end, false), &rewritten).is_none(),
            "words that are gone are not placed somewhere else"
        );
    }
}
