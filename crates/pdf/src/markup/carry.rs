//! Carrying a paper's PDF annotations onto its next version: each is anchored in the old
//! version's text, re-anchored by the domain's [`Amendment`] and placed on the new version.

use ecabinet_domain::annotation::{Amendment, Reanchoring};

use super::Markup;
use super::place::{FoundMark, LaidOutPaper, place_mark, unplace_markups};
use ecabinet_domain::annotation::PaperText;

/// An annotation that could not be placed on the new version with confidence.
#[derive(Debug, Clone, PartialEq)]
pub struct NeedsReview {
    /// Its `/NM`, if it has one.
    pub name: Option<String>,
    pub kind: &'static str,
    /// The text it was anchored to in the old version (empty when it had none).
    pub quote: String,
}

/// The annotations on the new version, and those that need a person's decision.
#[derive(Debug, Clone, PartialEq)]
pub struct Carried {
    /// Every annotation, in the order given: placed ones where they now belong, the others
    /// where they were, marked [`Markup::needs_review`].
    pub markups: Vec<Markup>,
    pub needs_review: Vec<NeedsReview>,
}

/// Moves `markups`, made on `old`, onto `new`. None is dropped: one that cannot be placed
/// (no text under it in the old version, or the re-anchoring is not confident, or its new
/// place has no character boxes) keeps its old place, on the new version's last page if the
/// new version is shorter, with `needs_review` set.
pub fn carry_markups(
    markups: &[Markup],
    old: LaidOutPaper<'_>,
    old_text: &PaperText,
    new: LaidOutPaper<'_>,
    new_text: &PaperText,
) -> Carried {
    let amendment = Amendment::between(old_text, new_text);
    let last_page = u32::try_from(new.pages.len().saturating_sub(1)).unwrap_or(0);
    let mut carried = Carried {
        markups: Vec::with_capacity(markups.len()),
        needs_review: Vec::new(),
    };
    for found in unplace_markups(markups, old, old_text) {
        match moved(&found, &amendment, new, new_text) {
            Some(mut placed) => {
                let opacity = markups[found.pieces[0]].opacity;
                for markup in &mut placed {
                    markup.opacity = opacity;
                }
                carried.markups.extend(placed);
            }
            None => {
                carried.needs_review.push(NeedsReview {
                    name: found.style.name.clone(),
                    kind: found.kind.name(),
                    quote: found
                        .anchor
                        .as_ref()
                        .map(|anchor| anchor.text().quote.exact.clone())
                        .unwrap_or_default(),
                });
                carried.markups.extend(found.pieces.iter().map(|&index| {
                    let mut kept = markups[index].clone();
                    kept.page = kept.page.min(last_page);
                    kept.needs_review = true;
                    kept
                }));
            }
        }
    }
    carried
}

fn moved(
    found: &FoundMark,
    amendment: &Amendment<'_>,
    new: LaidOutPaper<'_>,
    new_text: &PaperText,
) -> Option<Vec<Markup>> {
    let anchor = found.anchor.as_ref()?;
    let Reanchoring::Placed { start, end, .. } = amendment.reanchor(anchor.text()) else {
        return None;
    };
    let anchor = anchor.moved_to(new_text, start, end);
    place_mark(&anchor, &found.kind, &found.style, new, new_text).ok()
}
