//! Members' annotations on papers: kept on the device the moment they are drawn (shown at
//! once, queued for the server in the same transaction, so quitting or a crash loses
//! nothing), pushed by the sync loop when online, and pulled from the member's other
//! devices and from those who share with them.

use crate::dto::{self, IpcError, IpcErrorCode};
use crate::{AppCore, parse_id};
use ecabinet_domain::{
    Annotation, AnnotationId, AnnotationRefusal, MadeOn, MeetingId, MemberId, PaperId, Sharing,
};
use ecabinet_store::{AnnotationSync, LocalAnnotation};
use uuid::Uuid;

impl AppCore {
    /// The annotations on a paper the signed-in member sees: their own (their writes not
    /// yet acknowledged included) and those shared with them.
    pub fn annotations(&self, paper_id: &str) -> Result<Vec<dto::AnnotationView>, IpcError> {
        let member = self.session()?.member.id;
        let paper: PaperId = parse_id(paper_id)?;
        let shown = self.store().annotations(member, paper)?;
        Ok(shown.into_iter().map(|a| view(a, member)).collect())
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
        let (meeting_id, made_on) = self.paper_read(member, paper)?;
        let annotation = Annotation {
            id,
            author: member,
            paper_id: paper,
            meeting_id,
            made_on,
            anchor: input.anchor.into(),
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
        self.store()
            .annotation(member, id)?
            .map(|a| view(a, member))
            .ok_or_else(|| IpcError::new(IpcErrorCode::Internal, "the annotation was not kept"))
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

fn view(shown: LocalAnnotation, member: MemberId) -> dto::AnnotationView {
    let a = shown.annotation;
    dto::AnnotationView {
        id: a.id.to_string(),
        author_id: a.author.to_string(),
        own: a.author == member,
        paper_id: a.paper_id.to_string(),
        kind: (&a.kind).into(),
        anchor: (&a.anchor).into(),
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
