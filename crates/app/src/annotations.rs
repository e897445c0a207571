//! Members' annotations on papers: kept on the device the moment they are drawn (shown at
//! once, queued for the server in the same transaction, so quitting or a crash loses
//! nothing), pushed by the sync loop when online, and pulled from the member's other
//! devices and from those who share with them.

use crate::dto::{self, IpcError, IpcErrorCode};
use crate::{AppCore, parse_id, task_failed};
use ecabinet_domain::annotation::{
    Anchor, MarkAnchor, MarkOffset, PagePoint, PaperText, TextAnchor,
};
use ecabinet_domain::{
    Annotation, AnnotationId, AnnotationRefusal, MadeOn, MeetingId, MemberId, PaperId, PaperPlace,
    Sharing,
};
use ecabinet_pdf::AnnotationKind as PdfKind;
use ecabinet_store::{AnnotationSync, LocalAnnotation};
use std::collections::HashMap;
use uuid::Uuid;

impl AppCore {
    /// The annotations on a paper the signed-in member sees: their own (their writes not
    /// yet acknowledged included) and those shared with them, each placed on the pages of
    /// the paper open in the reader when it was made on that version.
    pub async fn paper_annotations(
        &self,
        paper_id: &str,
    ) -> Result<Vec<dto::AnnotationView>, IpcError> {
        let member = self.session()?.member.id;
        let shown = self.store().annotations(member, parse_id(paper_id)?)?;
        self.placed_views(member, paper_id, shown).await
    }

    /// What changed among the annotations on a paper since `since` (the cursor of an
    /// earlier answer; `None` for all of them): the reader asks this on every change of the
    /// store, so a mark arriving by sync costs one mark, not the paper's every mark.
    pub async fn paper_annotation_changes(
        &self,
        paper_id: &str,
        since: Option<i64>,
    ) -> Result<dto::AnnotationChanges, IpcError> {
        let member = self.session()?.member.id;
        let paper: PaperId = parse_id(paper_id)?;
        // The cursor is read before the marks: a change landing in between is answered
        // again next time, never missed.
        let (cursor, ids) = {
            let store = self.store();
            let cursor = store.annotation_change_cursor()?;
            let ids = match since {
                None => None,
                Some(since) => store.annotations_changed_since(paper, since)?,
            };
            (cursor, ids)
        };
        let Some(ids) = ids else {
            return Ok(dto::AnnotationChanges {
                cursor,
                full: true,
                changed: self.paper_annotations(paper_id).await?,
                removed: Vec::new(),
            });
        };
        let mut shown = Vec::new();
        let mut removed = Vec::new();
        {
            let store = self.store();
            for id in ids {
                match store.annotation(member, id)? {
                    Some(local) if !local.annotation.deleted => shown.push(local),
                    _ => removed.push(id.to_string()),
                }
            }
        }
        Ok(dto::AnnotationChanges {
            cursor,
            full: false,
            changed: self.placed_views(member, paper_id, shown).await?,
            removed,
        })
    }

    /// `shown` as the reader draws them: each placed on the pages of the paper open in the
    /// reader (marks made on an earlier version where they belong on this one, as their
    /// author's device will move them for good), with its author's name.
    async fn placed_views(
        &self,
        member: MemberId,
        paper_id: &str,
        shown: Vec<LocalAnnotation>,
    ) -> Result<Vec<dto::AnnotationView>, IpcError> {
        let names = self.member_names()?;
        let placing = match self.open_document(paper_id).ok() {
            Some(open) if !shown.is_empty() => match open.hash().cloned() {
                Some(hash) => {
                    let index = self.search.clone();
                    let text = tokio::task::spawn_blocking(move || open.whole_text(&index))
                        .await
                        .map_err(task_failed)??;
                    Some((hash, text))
                }
                None => None,
            },
            _ => None,
        };
        let anchors = match &placing {
            Some((hash, text)) => {
                let made: Vec<Annotation> = shown.iter().map(|a| a.annotation.clone()).collect();
                self.anchors_on_current(&made, hash, text)?
            }
            None => vec![None; shown.len()],
        };
        Ok(shown
            .into_iter()
            .zip(anchors)
            .map(|(a, anchor)| {
                let placement = match (&placing, anchor) {
                    (Some((_, text)), Some(anchor)) => placement(&anchor, text),
                    _ => dto::PlacementView::Elsewhere,
                };
                view(a, member, placement, &names)
            })
            .collect())
    }

    /// Every mark the member sees across the meeting's latest packet (their own and those
    /// shared with them), each with its paper and agenda item, in the packet's order: the
    /// list across the packet, filtered in the window by kind, author and item.
    pub fn meeting_annotations(
        &self,
        meeting_id: &str,
    ) -> Result<Vec<dto::PacketAnnotationView>, IpcError> {
        let member = self.session()?.member.id;
        let meeting: MeetingId = parse_id(meeting_id)?;
        let names = self.member_names()?;
        let store = self.store();
        let Some(packet) = store.packet_view(meeting, member)? else {
            return Ok(Vec::new());
        };
        let programme = packet.version.programme.clone().unwrap_or_default();
        let mut listed = Vec::new();
        for paper in packet.papers {
            let entry = paper.entry;
            let item = match entry.place {
                PaperPlace::Item(id) => programme.iter().find(|i| i.id == id),
                PaperPlace::Section(_) => None,
            };
            for shown in store.annotations(member, entry.paper_id)? {
                listed.push(dto::PacketAnnotationView {
                    annotation: view(shown, member, dto::PlacementView::Elsewhere, &names),
                    paper_title: entry.title.clone().unwrap_or_default(),
                    item_id: item.map(|i| i.id.to_string()),
                    item_title: item.map(|i| i.title.clone()),
                });
            }
        }
        Ok(listed)
    }

    /// The annotations other readers left inside the open paper's file, read-only; pop-ups
    /// (the windows their notes open in) and links are not marks and are left out.
    pub async fn file_annotations(
        &self,
        paper_id: &str,
    ) -> Result<Vec<dto::FileAnnotationView>, IpcError> {
        let open = self.open_document(paper_id)?;
        tokio::task::spawn_blocking(move || {
            Ok(open
                .document()
                .annotations()?
                .into_iter()
                .filter(|a| !matches!(a.kind, PdfKind::Popup | PdfKind::Link | PdfKind::Widget))
                .map(|a| dto::FileAnnotationView {
                    page: a.page,
                    kind: match &a.kind {
                        PdfKind::Other(name) => name.clone(),
                        kind => serde_json::to_value(kind)
                            .ok()
                            .and_then(|v| v.as_str().map(str::to_owned))
                            .unwrap_or_default(),
                    },
                    left: a.rect.left,
                    top: a.rect.top,
                    right: a.rect.right,
                    bottom: a.rect.bottom,
                    author: a.author,
                    contents: a.contents,
                })
                .collect())
        })
        .await
        .map_err(task_failed)?
    }

    /// Keeps a new annotation (no id: the core makes one) or an edit of the member's own,
    /// on the device at once; the sync loop sends it when online.
    pub async fn save_annotation(
        &self,
        input: dto::AnnotationInput,
    ) -> Result<dto::AnnotationView, IpcError> {
        let member = self.session()?.member.id;
        let paper: PaperId = parse_id(&input.paper_id)?;
        let previous = match &input.id {
            Some(id) => Some(self.own_annotation(member, parse_id(id)?)?),
            None => None,
        };
        let id = previous
            .as_ref()
            .map_or_else(|| AnnotationId(Uuid::new_v4()), |p| p.id);
        let (meeting_id, made_on, anchor) = match (input.at, &previous) {
            (Some(at), _) => {
                let (meeting_id, made_on) = self.paper_read(member, paper)?;
                let anchor = self.anchor_at(&input.paper_id, &made_on, at).await?;
                (meeting_id, made_on, anchor)
            }
            (None, Some(previous)) => (
                previous.meeting_id,
                previous.made_on.clone(),
                previous.anchor.clone(),
            ),
            (None, None) => {
                return Err(IpcError::new(
                    IpcErrorCode::BadRequest,
                    "a new annotation needs a place on the page",
                ));
            }
        };
        let annotation = Annotation {
            id,
            author: member,
            paper_id: paper,
            meeting_id,
            made_on,
            anchor,
            kind: input.kind.into(),
            colour: input.style.colour,
            thickness: input.style.thickness,
            body: input.body,
            sharing: sharing(input.sharing)?,
            // The store sets the base: the server's revision held here.
            revision: 0,
            updated_at: self.clock.now(),
            deleted: false,
        };
        annotation.check().map_err(refusal)?;
        if let Some(previous) = &previous {
            annotation.check_edit_of(previous).map_err(refusal)?;
        }
        {
            let mut store = self.store();
            store.save_annotation(&annotation, self.clock.now())?;
        }
        self.push_annotations().await;
        self.shown(member, id)
    }

    /// Deletes the member's own annotation: gone from view at once, the deletion sent
    /// when online.
    pub async fn delete_annotation(&self, id: &str) -> Result<(), IpcError> {
        let member = self.session()?.member.id;
        let id: AnnotationId = parse_id(id)?;
        let current = self.own_annotation(member, id)?;
        self.store().delete_annotation(&current, self.clock.now())?;
        self.push_annotations().await;
        Ok(())
    }

    /// The member's annotation as shown here; another member's, a deleted one or an
    /// unknown id is not found alike.
    fn own_annotation(&self, member: MemberId, id: AnnotationId) -> Result<Annotation, IpcError> {
        self.store()
            .annotation(member, id)?
            .map(|a| a.annotation)
            .filter(|a| a.author == member && !a.deleted)
            .ok_or_else(|| IpcError::new(IpcErrorCode::NotFound, "no such annotation of yours"))
    }

    fn shown(&self, member: MemberId, id: AnnotationId) -> Result<dto::AnnotationView, IpcError> {
        let shown = self
            .store()
            .annotation(member, id)?
            .ok_or_else(|| IpcError::new(IpcErrorCode::Internal, "the annotation was not kept"))?;
        let placement = self
            .open_document(&shown.annotation.paper_id.to_string())
            .ok()
            .filter(|open| open.hash() == Some(&shown.annotation.made_on.hash))
            .and_then(|open| open.whole_text(&self.search).ok())
            .map_or(dto::PlacementView::Elsewhere, |text| {
                placement(&shown.annotation.anchor, &text)
            });
        Ok(view(shown, member, placement, &self.member_names()?))
    }

    /// Every member's display name by id, for the authors of shared marks.
    fn member_names(&self) -> Result<HashMap<MemberId, String>, IpcError> {
        Ok(self
            .store()
            .members()?
            .into_iter()
            .map(|m| (m.id, m.display_name))
            .collect())
    }

    /// The anchor of a new mark at `at` on the paper open in the reader, which must be the
    /// version the member reads (`made_on`).
    async fn anchor_at(
        &self,
        paper_id: &str,
        made_on: &MadeOn,
        at: dto::PlaceInput,
    ) -> Result<Anchor, IpcError> {
        let open = self.open_document(paper_id).map_err(|_| {
            IpcError::new(
                IpcErrorCode::NotFound,
                "open the paper in the reader to mark it",
            )
        })?;
        if open.hash() != Some(&made_on.hash) {
            return Err(IpcError::new(
                IpcErrorCode::Conflict,
                "a new version of this paper has arrived: open it again to mark it",
            ));
        }
        let index = self.search.clone();
        tokio::task::spawn_blocking(move || {
            let text = open.whole_text(&index)?;
            let point = |page: u32, offset: u32| {
                text.offset(PagePoint {
                    page: page as usize,
                    offset: offset as usize,
                })
                .ok_or_else(|| {
                    IpcError::new(IpcErrorCode::BadRequest, "no such place in the paper")
                })
            };
            match at {
                dto::PlaceInput::Text {
                    page,
                    start,
                    end_page,
                    end,
                } => {
                    let (start, end) = (point(page, start)?, point(end_page, end)?);
                    Ok(Anchor::Text(text.anchor(start.min(end), start.max(end))))
                }
                dto::PlaceInput::Point { page, x, y } => {
                    let document = open.document();
                    let size = document
                        .info()
                        .page_sizes
                        .get(page as usize)
                        .copied()
                        .ok_or_else(|| IpcError::new(IpcErrorCode::BadRequest, "no such page"))?;
                    let layout = document.page_text_layout(page)?;
                    let word = layout.word_nearest(
                        x / size.width,
                        y / size.height,
                        size.height / size.width,
                    );
                    Ok(Anchor::Mark(match word {
                        Some(word) => {
                            let first = layout.boxes[word.start];
                            MarkAnchor {
                                text: text.anchor(
                                    point(page, word.start as u32)?,
                                    point(page, word.end as u32)?,
                                ),
                                offset: MarkOffset {
                                    dx: x - first.left * size.width,
                                    dy: y - first.top * size.height,
                                },
                            }
                        }
                        None => MarkAnchor {
                            text: TextAnchor::page_only(page as usize, point(page, 0)?),
                            offset: MarkOffset { dx: x, dy: y },
                        },
                    }))
                }
            }
        })
        .await
        .map_err(task_failed)?
    }

    /// The paper's meeting and the version of it the member reads: the latest packet
    /// version's file, or for the secretariat a working copy not yet published.
    pub(crate) fn paper_read(
        &self,
        member: MemberId,
        paper: PaperId,
    ) -> Result<(MeetingId, MadeOn), IpcError> {
        let store = self.store();
        if let Some(readable) = store
            .readable_papers(member)?
            .into_iter()
            .find(|p| p.paper_id == paper)
        {
            let version = store.latest_packet(readable.meeting_id)?.map(|v| v.number);
            return Ok((
                readable.meeting_id,
                MadeOn {
                    packet_version: version,
                    hash: readable.hash,
                },
            ));
        }
        if let Some(working) = store.paper(paper)? {
            return Ok((
                working.meeting_id,
                MadeOn {
                    packet_version: None,
                    hash: working.file.hash,
                },
            ));
        }
        Err(IpcError::new(
            IpcErrorCode::NotFound,
            "no paper you may read has this id",
        ))
    }

    /// Wakes the sync loop to push what waits; offline it does so when it reconnects.
    async fn push_annotations(&self) {
        if let Some(following) = self.following.lock().await.as_ref() {
            following.sync.push_now();
        }
    }
}

fn sharing(view: dto::SharingView) -> Result<Sharing, IpcError> {
    Ok(match view {
        dto::SharingView::Private => Sharing::Private,
        dto::SharingView::Meeting => Sharing::Meeting,
        dto::SharingView::Members { members } => Sharing::Members {
            members: members
                .iter()
                .map(|m| parse_id::<MemberId>(m))
                .collect::<Result<_, _>>()?,
        },
    })
}

fn refusal(refusal: AnnotationRefusal) -> IpcError {
    let code = match refusal {
        AnnotationRefusal::BodyTooLong => IpcErrorCode::PayloadTooLarge,
        _ => IpcErrorCode::BadRequest,
    };
    IpcError::new(code, refusal.to_string())
}

/// Where an anchor made on this version of the paper sits on its pages.
fn placement(anchor: &Anchor, text: &PaperText) -> dto::PlacementView {
    match anchor {
        Anchor::Text(on) => dto::PlacementView::Text {
            ranges: text
                .page_ranges(on.position.start, on.position.end)
                .into_iter()
                .map(|r| dto::PageRangeView {
                    page: r.page as u32,
                    start: r.start as u32,
                    end: r.end as u32,
                })
                .collect(),
        },
        Anchor::Mark(mark) if mark.text.is_page_only() => dto::PlacementView::Mark {
            page: mark.text.page as u32,
            char_index: None,
            dx: mark.offset.dx,
            dy: mark.offset.dy,
        },
        Anchor::Mark(mark) => {
            let at = text.start_point(mark.text.position.start);
            dto::PlacementView::Mark {
                page: at.page as u32,
                char_index: Some(at.offset as u32),
                dx: mark.offset.dx,
                dy: mark.offset.dy,
            }
        }
    }
}

fn view(
    shown: LocalAnnotation,
    member: MemberId,
    placement: dto::PlacementView,
    names: &HashMap<MemberId, String>,
) -> dto::AnnotationView {
    let a = shown.annotation;
    let (page, quote) = (
        a.anchor.text().page as u32,
        a.anchor.text().quote.exact.clone(),
    );
    dto::AnnotationView {
        id: a.id.to_string(),
        author_id: a.author.to_string(),
        author_name: names.get(&a.author).cloned().unwrap_or_default(),
        own: a.author == member,
        paper_id: a.paper_id.to_string(),
        kind: (&a.kind).into(),
        placement,
        page,
        quote,
        style: dto::AnnotationStyle {
            colour: a.colour,
            thickness: a.thickness,
        },
        body: a.body,
        sharing: (&a.sharing).into(),
        revision: a.revision,
        updated_at: a.updated_at.millis(),
        sync: match shown.sync {
            AnnotationSync::Synced => dto::AnnotationSyncView::Synced,
            AnnotationSync::Pending => dto::AnnotationSyncView::Pending,
            AnnotationSync::Refused { code, message } => dto::AnnotationSyncView::Refused {
                error: crate::error::server_refusal(&code, &message),
            },
        },
    }
}
