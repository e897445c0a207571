//! An annotation as a member's record: what they drew or wrote on a paper, who may read it,
//! and its revisions. The anchoring rules live in [`crate::annotation`]; this is what is
//! stored, synced and shared.
//!
//! **Who reads an annotation** ([`Annotation::may_read`]): its author always; anyone else
//! only if it is shared with them (named, or the whole meeting), they take part in the
//! meeting, and they may read the paper it is on. A private annotation reaches its author's
//! devices and nobody else.
//!
//! **Revisions**: the server numbers them. The write that reaches it last becomes the next
//! revision (last wins); the one it replaced stays in the annotation's history. A deletion
//! is one more revision with `deleted` set (a tombstone), so it syncs like an edit.

use crate::annotation::Anchor;
use crate::{AnnotationId, BlobHash, MeetingId, MemberId, PaperId, Timestamp};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The longest body (note, free text, comment) an annotation keeps, in characters.
pub const MAX_ANNOTATION_BODY_CHARS: usize = 20_000;
/// The most points all strokes of one ink annotation may hold together.
pub const MAX_INK_POINTS: usize = 20_000;
/// The most members one annotation may be shared with by name.
pub const MAX_SHARED_WITH: usize = 500;
/// The thickest line, in PDF points.
pub const MAX_THICKNESS: f32 = 72.0;

/// One point of an ink stroke, in PDF points from the anchor's origin (see
/// [`MarkOffset`](crate::annotation::MarkOffset): x to the right, y down).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct InkPoint {
    pub x: f32,
    pub y: f32,
    /// From 0 to 1, where the device reports pressure (a stylus); absent for a mouse.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pressure: Option<f32>,
}

/// What kind of mark an annotation is, with the geometry that kind needs. Text marks take
/// their place from a text anchor; every other kind sits at a mark anchor's offset, and its
/// sizes are in PDF points from there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AnnotationKind {
    Highlight,
    Underline,
    StrikeOut,
    Squiggly,
    /// Freehand strokes, each a list of points.
    Ink {
        strokes: Vec<Vec<InkPoint>>,
    },
    /// A sticky note: an icon at the anchor, its text in the body.
    Note,
    /// Text written on the page, in a box of this size.
    FreeText {
        width: f32,
        height: f32,
    },
    Rectangle {
        width: f32,
        height: f32,
    },
    Ellipse {
        width: f32,
        height: f32,
    },
    /// From the anchor's point to `dx`, `dy` further.
    Line {
        dx: f32,
        dy: f32,
    },
    /// Like a line, with its head at the far end.
    Arrow {
        dx: f32,
        dy: f32,
    },
}

impl AnnotationKind {
    /// Marks on text itself (anchored by a [`TextAnchor`](crate::annotation::TextAnchor));
    /// every other kind is anchored by a [`MarkAnchor`](crate::annotation::MarkAnchor).
    pub fn is_on_text(&self) -> bool {
        matches!(
            self,
            AnnotationKind::Highlight
                | AnnotationKind::Underline
                | AnnotationKind::StrikeOut
                | AnnotationKind::Squiggly
        )
    }

    /// Its name as the wire spells it (`highlight`, `strike_out`, `free_text`, …), for
    /// listings and reports.
    pub fn name(&self) -> &'static str {
        match self {
            AnnotationKind::Highlight => "highlight",
            AnnotationKind::Underline => "underline",
            AnnotationKind::StrikeOut => "strike_out",
            AnnotationKind::Squiggly => "squiggly",
            AnnotationKind::Ink { .. } => "ink",
            AnnotationKind::Note => "note",
            AnnotationKind::FreeText { .. } => "free_text",
            AnnotationKind::Rectangle { .. } => "rectangle",
            AnnotationKind::Ellipse { .. } => "ellipse",
            AnnotationKind::Line { .. } => "line",
            AnnotationKind::Arrow { .. } => "arrow",
        }
    }

    fn numbers(&self) -> Vec<f32> {
        match self {
            AnnotationKind::Ink { strokes } => strokes
                .iter()
                .flatten()
                .flat_map(|p| [p.x, p.y, p.pressure.unwrap_or(0.0)])
                .collect(),
            AnnotationKind::FreeText { width, height }
            | AnnotationKind::Rectangle { width, height }
            | AnnotationKind::Ellipse { width, height } => vec![*width, *height],
            AnnotationKind::Line { dx, dy } | AnnotationKind::Arrow { dx, dy } => vec![*dx, *dy],
            _ => Vec::new(),
        }
    }
}

/// Who besides its author reads an annotation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "scope", rename_all = "snake_case")]
pub enum Sharing {
    /// The author alone (on every device they sign in on). The default.
    #[default]
    Private,
    /// The named participants of the meeting.
    Members { members: Vec<MemberId> },
    /// Every participant of the meeting.
    Meeting,
}

/// The version of the paper an annotation was made on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct MadeOn {
    /// The packet version it was read in; `None` for a working copy (the chair reviewing).
    pub packet_version: Option<u32>,
    /// The paper's file in that version.
    pub hash: BlobHash,
}

/// One revision of a member's annotation on a paper.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Annotation {
    pub id: AnnotationId,
    pub author: MemberId,
    pub paper_id: PaperId,
    /// The paper's meeting: whose participants a shared annotation reaches.
    pub meeting_id: MeetingId,
    pub made_on: MadeOn,
    pub anchor: Anchor,
    pub kind: AnnotationKind,
    /// `#rrggbb`.
    pub colour: String,
    /// Line width in PDF points.
    pub thickness: f32,
    /// The note's or free text's words, or a comment on a mark; may be empty.
    pub body: String,
    pub sharing: Sharing,
    /// 1, 2, 3… numbered by the server; each write is a new revision.
    pub revision: u32,
    pub updated_at: Timestamp,
    /// A deletion: the last revision of a deleted annotation (a tombstone).
    pub deleted: bool,
}

/// Why an annotation cannot be stored as given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnnotationRefusal {
    BodyTooLong,
    AnchorMismatch,
    MalformedAnchor(&'static str),
    BadShape(&'static str),
    BadColour,
    BadThickness,
    SharedWithTooMany,
    /// A NUL character in the body or the quote: no text of a paper holds one, and
    /// PostgreSQL cannot store it.
    NulCharacter,
    /// An edit names another paper than the annotation was made on.
    MovedToAnotherPaper,
}

impl std::fmt::Display for AnnotationRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AnnotationRefusal::BodyTooLong => write!(
                f,
                "the note is longer than {MAX_ANNOTATION_BODY_CHARS} characters"
            ),
            AnnotationRefusal::AnchorMismatch => {
                f.write_str("a mark on text needs a text anchor, and any other mark a mark anchor")
            }
            AnnotationRefusal::MalformedAnchor(why) => {
                write!(
                    f,
                    "the anchor does not describe a place in the paper: {why}"
                )
            }
            AnnotationRefusal::BadShape(why) => write!(f, "the mark cannot be drawn: {why}"),
            AnnotationRefusal::BadColour => f.write_str("a colour is written #rrggbb"),
            AnnotationRefusal::BadThickness => write!(
                f,
                "a line is thicker than 0 and at most {MAX_THICKNESS} points"
            ),
            AnnotationRefusal::SharedWithTooMany => write!(
                f,
                "an annotation is shared with at most {MAX_SHARED_WITH} members"
            ),
            AnnotationRefusal::MovedToAnotherPaper => {
                f.write_str("an annotation stays on the paper it was made on; make a new one")
            }
            AnnotationRefusal::NulCharacter => {
                f.write_str("the note or the marked text holds a NUL character")
            }
        }
    }
}

impl Annotation {
    /// Whether `member` may read this annotation. `takes_part`: they are a participant of
    /// its meeting; `may_read_paper`: the paper is one they may read. The author always
    /// may; anyone else only when it is shared with them, they take part and they may read
    /// the paper (a shared quote of a confidential paper reaches no one who may not read it).
    pub fn may_read(&self, member: MemberId, takes_part: bool, may_read_paper: bool) -> bool {
        if member == self.author {
            return true;
        }
        let shared = match &self.sharing {
            Sharing::Private => false,
            Sharing::Members { members } => members.contains(&member),
            Sharing::Meeting => true,
        };
        shared && takes_part && may_read_paper
    }

    /// Everyone besides the author who may read this annotation, among the meeting's
    /// `participants` (each with whether they may read the paper), in the given order.
    pub fn readers(&self, participants: &[(MemberId, bool)]) -> Vec<MemberId> {
        let mut readers: Vec<MemberId> = Vec::new();
        for (member, may_read_paper) in participants {
            if *member != self.author
                && self.may_read(*member, true, *may_read_paper)
                && !readers.contains(member)
            {
                readers.push(*member);
            }
        }
        readers
    }

    /// Whether `other` is the same write as this one: everything but what the server sets
    /// (revision and time). A retried upload is recognised by it.
    pub fn same_content(&self, other: &Annotation) -> bool {
        let plain = |a: &Annotation| Annotation {
            revision: 0,
            updated_at: Timestamp(0),
            ..a.clone()
        };
        plain(self) == plain(other)
    }

    /// Whether this may be the next revision of `previous`: an annotation stays on the
    /// paper it was made on (its anchor means nothing on another).
    pub fn check_edit_of(&self, previous: &Annotation) -> Result<(), AnnotationRefusal> {
        if self.paper_id != previous.paper_id {
            return Err(AnnotationRefusal::MovedToAnotherPaper);
        }
        Ok(())
    }

    /// Checks what a device sent: a body within its limit, an anchor that fits the kind and
    /// describes a place, a drawable shape, a colour, a thickness, a sharing list in bounds.
    pub fn check(&self) -> Result<(), AnnotationRefusal> {
        if self.body.chars().count() > MAX_ANNOTATION_BODY_CHARS {
            return Err(AnnotationRefusal::BodyTooLong);
        }
        let quote = &self.anchor.text().quote;
        if [&self.body, &quote.exact, &quote.prefix, &quote.suffix]
            .iter()
            .any(|text| text.contains('\0'))
        {
            return Err(AnnotationRefusal::NulCharacter);
        }
        match (&self.anchor, self.kind.is_on_text()) {
            (Anchor::Text(_), true) | (Anchor::Mark(_), false) => {}
            _ => return Err(AnnotationRefusal::AnchorMismatch),
        }
        let text = self.anchor.text();
        if text.position.start > text.position.end {
            return Err(AnnotationRefusal::MalformedAnchor(
                "its start lies after its end",
            ));
        }
        if self.kind.is_on_text() && text.quote.exact.trim().is_empty() {
            return Err(AnnotationRefusal::MalformedAnchor("it marks no text"));
        }
        if let Anchor::Mark(mark) = &self.anchor
            && !(mark.offset.dx.is_finite() && mark.offset.dy.is_finite())
        {
            return Err(AnnotationRefusal::MalformedAnchor(
                "its offset is not a number",
            ));
        }
        if let AnnotationKind::Ink { strokes } = &self.kind {
            let points: usize = strokes.iter().map(Vec::len).sum();
            if points == 0 || strokes.iter().any(Vec::is_empty) {
                return Err(AnnotationRefusal::BadShape("a stroke without points"));
            }
            if points > MAX_INK_POINTS {
                return Err(AnnotationRefusal::BadShape("too many points"));
            }
            if strokes
                .iter()
                .flatten()
                .any(|p| p.pressure.is_some_and(|f| !(0.0..=1.0).contains(&f)))
            {
                return Err(AnnotationRefusal::BadShape("a pressure outside 0 to 1"));
            }
        }
        if self.kind.numbers().iter().any(|n| !n.is_finite()) {
            return Err(AnnotationRefusal::BadShape("a coordinate is not a number"));
        }
        if let AnnotationKind::FreeText { width, height }
        | AnnotationKind::Rectangle { width, height }
        | AnnotationKind::Ellipse { width, height } = self.kind
            && (width < 0.0 || height < 0.0)
        {
            return Err(AnnotationRefusal::BadShape("a negative size"));
        }
        if !is_colour(&self.colour) {
            return Err(AnnotationRefusal::BadColour);
        }
        if !(self.thickness > 0.0 && self.thickness <= MAX_THICKNESS) {
            return Err(AnnotationRefusal::BadThickness);
        }
        if let Sharing::Members { members } = &self.sharing
            && members.len() > MAX_SHARED_WITH
        {
            return Err(AnnotationRefusal::SharedWithTooMany);
        }
        Ok(())
    }
}

fn is_colour(text: &str) -> bool {
    text.len() == 7 && text.starts_with('#') && text[1..].bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotation::{MarkAnchor, MarkOffset, TextAnchor, TextPosition, TextQuote};
    use uuid::Uuid;

    fn member(n: u128) -> MemberId {
        MemberId(Uuid::from_u128(n))
    }

    const AUTHOR: u128 = 1;
    const NAMED: u128 = 2;
    const OTHER: u128 = 3;

    fn text_anchor() -> TextAnchor {
        TextAnchor {
            quote: TextQuote {
                exact: "dự toán thu ngân sách".into(),
                prefix: "Phê duyệt ".into(),
                suffix: " năm 2027".into(),
            },
            position: TextPosition { start: 10, end: 31 },
            page: 0,
        }
    }

    fn highlight(sharing: Sharing) -> Annotation {
        Annotation {
            id: AnnotationId(Uuid::from_u128(10)),
            author: member(AUTHOR),
            paper_id: PaperId(Uuid::from_u128(11)),
            meeting_id: MeetingId(Uuid::from_u128(12)),
            made_on: MadeOn {
                packet_version: Some(1),
                hash: BlobHash::parse(&"ab".repeat(32)).unwrap(),
            },
            anchor: Anchor::Text(text_anchor()),
            kind: AnnotationKind::Highlight,
            colour: "#ffd54f".into(),
            thickness: 1.0,
            body: String::new(),
            sharing,
            revision: 1,
            updated_at: Timestamp(1_797_000_000_000),
            deleted: false,
        }
    }

    #[test]
    fn a_kind_s_name_is_the_one_the_wire_tags_it_with() {
        let (width, height, dx, dy) = (10.0, 5.0, 3.0, 4.0);
        let every_kind = [
            AnnotationKind::Highlight,
            AnnotationKind::Underline,
            AnnotationKind::StrikeOut,
            AnnotationKind::Squiggly,
            AnnotationKind::Ink { strokes: vec![] },
            AnnotationKind::Note,
            AnnotationKind::FreeText { width, height },
            AnnotationKind::Rectangle { width, height },
            AnnotationKind::Ellipse { width, height },
            AnnotationKind::Line { dx, dy },
            AnnotationKind::Arrow { dx, dy },
        ];
        for kind in every_kind {
            let json = serde_json::to_value(&kind).unwrap();
            assert_eq!(
                json["type"],
                kind.name(),
                "listings name a kind as the API and the UI do"
            );
        }
    }

    #[test]
    fn a_private_annotation_is_read_by_its_author_alone() {
        let private = highlight(Sharing::Private);
        assert!(
            private.may_read(member(AUTHOR), false, false),
            "the author always reads their own"
        );
        assert!(
            !private.may_read(member(OTHER), true, true),
            "a participant who reads the paper still may not read a private mark"
        );
    }

    #[test]
    fn a_shared_annotation_reaches_only_participants_named_or_of_the_meeting_who_read_the_paper() {
        let named = highlight(Sharing::Members {
            members: vec![member(NAMED)],
        });
        assert!(named.may_read(member(NAMED), true, true));
        assert!(!named.may_read(member(OTHER), true, true), "not named");
        assert!(
            !named.may_read(member(NAMED), false, true),
            "named, but no longer a participant of the meeting"
        );

        let meeting = highlight(Sharing::Meeting);
        assert!(meeting.may_read(member(OTHER), true, true));
        assert!(
            !meeting.may_read(member(OTHER), false, true),
            "not a participant"
        );
        assert!(
            !meeting.may_read(member(OTHER), true, false),
            "a quote of a confidential paper never reaches someone who may not read it"
        );
    }

    #[test]
    fn the_readers_of_an_annotation_are_its_audience_without_its_author() {
        let participants = [
            (member(AUTHOR), true),
            (member(NAMED), true),
            (member(OTHER), false),
            (member(NAMED), true),
        ];
        assert_eq!(highlight(Sharing::Private).readers(&participants), vec![]);
        assert_eq!(
            highlight(Sharing::Meeting).readers(&participants),
            vec![member(NAMED)],
            "the author reads it anyway, OTHER may not read the paper, NAMED counts once"
        );
    }

    #[test]
    fn a_retry_is_the_same_content_whatever_revision_and_time_the_server_gave() {
        let sent = highlight(Sharing::Private);
        let stored = Annotation {
            revision: 4,
            updated_at: Timestamp(1_797_000_500_000),
            ..sent.clone()
        };
        assert!(sent.same_content(&stored));
        let edited = Annotation {
            colour: "#ff0000".into(),
            ..sent.clone()
        };
        assert!(
            !sent.same_content(&edited),
            "another colour is another write"
        );
    }

    #[test]
    fn what_a_device_sends_is_checked() {
        assert_eq!(highlight(Sharing::Private).check(), Ok(()));
        let long = Annotation {
            body: "ý".repeat(MAX_ANNOTATION_BODY_CHARS + 1),
            ..highlight(Sharing::Private)
        };
        assert_eq!(long.check(), Err(AnnotationRefusal::BodyTooLong));
        let ink_on_text = Annotation {
            kind: AnnotationKind::Ink {
                strokes: vec![vec![InkPoint {
                    x: 0.0,
                    y: 0.0,
                    pressure: None,
                }]],
            },
            ..highlight(Sharing::Private)
        };
        assert_eq!(ink_on_text.check(), Err(AnnotationRefusal::AnchorMismatch));
        let backwards = Annotation {
            anchor: Anchor::Text(TextAnchor {
                position: TextPosition { start: 31, end: 10 },
                ..text_anchor()
            }),
            ..highlight(Sharing::Private)
        };
        assert!(matches!(
            backwards.check(),
            Err(AnnotationRefusal::MalformedAnchor(_))
        ));
        let mark = |kind| Annotation {
            anchor: Anchor::Mark(MarkAnchor {
                text: text_anchor(),
                offset: MarkOffset { dx: 4.0, dy: -12.0 },
            }),
            kind,
            ..highlight(Sharing::Private)
        };
        let stylus = mark(AnnotationKind::Ink {
            strokes: vec![vec![
                InkPoint {
                    x: 0.0,
                    y: 0.0,
                    pressure: Some(0.4),
                },
                InkPoint {
                    x: 3.0,
                    y: 1.5,
                    pressure: Some(0.7),
                },
            ]],
        });
        assert_eq!(stylus.check(), Ok(()));
        let nan = mark(AnnotationKind::Line {
            dx: f32::NAN,
            dy: 0.0,
        });
        assert!(matches!(nan.check(), Err(AnnotationRefusal::BadShape(_))));
        let empty_stroke = mark(AnnotationKind::Ink {
            strokes: vec![vec![]],
        });
        assert!(matches!(
            empty_stroke.check(),
            Err(AnnotationRefusal::BadShape(_))
        ));
        let red = Annotation {
            colour: "red".into(),
            ..highlight(Sharing::Private)
        };
        assert_eq!(red.check(), Err(AnnotationRefusal::BadColour));
        let hairline = Annotation {
            thickness: 0.0,
            ..highlight(Sharing::Private)
        };
        assert_eq!(hairline.check(), Err(AnnotationRefusal::BadThickness));
        let nul = Annotation {
            body: "a\0b".into(),
            ..highlight(Sharing::Private)
        };
        assert_eq!(nul.check(), Err(AnnotationRefusal::NulCharacter));
    }
}
