//! Opinions (ý kiến): a delegate's formal view on an agenda item, sent from a note or a
//! passage of a paper to the secretariat. Each version is kept on the device the moment it
//! is sent (shown at once, queued in the same transaction, so an opinion written offline
//! survives a restart) and pushed by the sync loop when online; the secretariat and the
//! chair receive every version of every opinion through their pull.

use crate::dto::{self, IpcError, IpcErrorCode};
use crate::{AppCore, parse_id};
use ecabinet_domain::{
    AgendaItemId, AgendaTree, MeetingId, MemberId, Opinion, OpinionId, OpinionRefusal, PaperLink,
    PaperPlace,
};
use ecabinet_store::{LocalOpinion, OpinionSync};
use std::collections::HashMap;
use uuid::Uuid;

impl AppCore {
    /// The opinions of a meeting the member may see, per agenda item in programme order:
    /// every member's, with every version, for the secretariat and the chair; their own for
    /// a delegate.
    pub fn opinions(&self, meeting_id: &str) -> Result<dto::MeetingOpinions, IpcError> {
        let session = self.session()?;
        let member = session.member.id;
        let meeting: MeetingId = parse_id(meeting_id)?;
        let store = self.store();
        let programme = store.programme_view(meeting, member)?.items;
        let papers = store
            .latest_packet(meeting)?
            .map(|v| v.entries)
            .unwrap_or_default();
        let names: HashMap<MemberId, String> = store
            .members()?
            .into_iter()
            .map(|m| (m.id, m.display_name))
            .collect();
        let shown = store.opinions(member, meeting)?;
        let may_send = self.may_send_in(&store, member, session.member.role, meeting)?;
        drop(store);

        let tree = AgendaTree::build(programme);
        let mut items: Vec<dto::ItemOpinions> = tree
            .walk()
            .into_iter()
            .map(|node| dto::ItemOpinions {
                item_id: node.item.id.to_string(),
                number: node.number.clone(),
                title: node.item.title.clone(),
                paper_ids: papers
                    .iter()
                    .filter(|e| e.place == PaperPlace::Item(node.item.id))
                    .map(|e| e.paper_id.to_string())
                    .collect(),
                opinions: Vec::new(),
            })
            .collect();
        for opinion in grouped(shown, member, &names) {
            let group = match items.iter_mut().find(|i| i.item_id == opinion.item_id) {
                Some(group) => group,
                None => {
                    // An item taken off the programme keeps its opinions, listed last.
                    items.push(dto::ItemOpinions {
                        item_id: opinion.item_id.clone(),
                        number: String::new(),
                        title: String::new(),
                        paper_ids: Vec::new(),
                        opinions: Vec::new(),
                    });
                    items.last_mut().expect("just pushed")
                }
            };
            group.opinions.push(opinion);
        }
        Ok(dto::MeetingOpinions {
            meeting_id: meeting.to_string(),
            items,
            may_send,
            reads_all: session.member.role.may_read_opinions(),
        })
    }

    /// Sends a new opinion (the core makes its id): kept on the device at once, sent by the
    /// sync loop when online.
    pub async fn send_opinion(
        &self,
        input: dto::OpinionInput,
    ) -> Result<dto::OpinionView, IpcError> {
        let session = self.session()?;
        let member = session.member.id;
        let meeting: MeetingId = parse_id(&input.meeting_id)?;
        let item: AgendaItemId = parse_id(&input.item_id)?;
        let paper = input.paper.map(link).transpose()?;
        let opinion = Opinion {
            id: OpinionId(Uuid::new_v4()),
            author: member,
            meeting_id: meeting,
            item_id: item,
            paper,
            body: input.body,
            // The store numbers it.
            version: 0,
            sent_at: self.clock.now(),
            withdrawn: false,
        };
        self.keep(opinion, session.member.role, None).await
    }

    /// Sends a new version of the member's opinion with `body`; the earlier versions stay on
    /// record, and the secretariat sees them all.
    pub async fn edit_opinion(&self, id: &str, body: String) -> Result<dto::OpinionView, IpcError> {
        let session = self.session()?;
        let previous = self.own_opinion(session.member.id, parse_id(id)?)?;
        let opinion = Opinion {
            body,
            withdrawn: false,
            sent_at: self.clock.now(),
            ..previous.clone()
        };
        self.keep(opinion, session.member.role, Some(&previous))
            .await
    }

    /// Withdraws the member's opinion: one more version, marked withdrawn; the earlier ones
    /// stay on record.
    pub async fn withdraw_opinion(&self, id: &str) -> Result<dto::OpinionView, IpcError> {
        let session = self.session()?;
        let previous = self.own_opinion(session.member.id, parse_id(id)?)?;
        let opinion = Opinion {
            withdrawn: true,
            sent_at: self.clock.now(),
            ..previous.clone()
        };
        self.keep(opinion, session.member.role, Some(&previous))
            .await
    }

    /// Checks a version by the domain's rules, as the server will, keeps it and wakes the
    /// sync loop.
    async fn keep(
        &self,
        opinion: Opinion,
        role: ecabinet_domain::Role,
        previous: Option<&Opinion>,
    ) -> Result<dto::OpinionView, IpcError> {
        let member = opinion.author;
        let meeting = opinion.meeting_id;
        {
            let mut store = self.store();
            if !self.may_send_in(&store, member, role, meeting)? {
                let status = store.meeting(meeting)?.map(|m| m.status);
                let refusal = match status {
                    Some(ecabinet_domain::MeetingStatus::Archived) => {
                        OpinionRefusal::MeetingArchived
                    }
                    _ => OpinionRefusal::NotASender,
                };
                return Err(refused(refusal));
            }
            let in_meeting = store
                .programme_view(meeting, member)?
                .items
                .iter()
                .any(|i| i.id == opinion.item_id);
            opinion.check(in_meeting).map_err(refused)?;
            if let Some(previous) = previous {
                opinion.check_edit_of(previous).map_err(refused)?;
            }
            store.send_opinion(&opinion)?;
        }
        if let Some(following) = self.following.lock().await.as_ref() {
            following.sync.push_now();
        }
        let names: HashMap<MemberId, String> = self
            .store()
            .members()?
            .into_iter()
            .map(|m| (m.id, m.display_name))
            .collect();
        let shown = self.store().opinions(member, meeting)?;
        grouped(shown, member, &names)
            .into_iter()
            .find(|o| o.id == opinion.id.to_string())
            .ok_or_else(|| IpcError::new(IpcErrorCode::Internal, "the opinion was not kept"))
    }

    /// Whether `member` may send opinions in `meeting` now, by the domain's rule: how they
    /// sit in it and whether it is archived. Who sits in it is read as the server reads it:
    /// the latest published version's list, else the secretariat's working list, else the
    /// default list (every member but the administrator, in their council role).
    fn may_send_in(
        &self,
        store: &ecabinet_store::Store,
        member: MemberId,
        role: ecabinet_domain::Role,
        meeting: MeetingId,
    ) -> Result<bool, IpcError> {
        let Some(status) = store.meeting(meeting)?.map(|m| m.status) else {
            return Err(IpcError::new(IpcErrorCode::NotFound, "no such meeting"));
        };
        let seat = crate::sitting::participants(store, meeting)?
            .into_iter()
            .find(|p| p.member_id == member)
            .map(|p| p.meeting_role);
        Ok(Opinion::may_send(role, seat, status).is_ok())
    }

    /// The latest version of the member's own opinion; another member's or an unknown id is
    /// not found alike.
    fn own_opinion(&self, member: MemberId, id: OpinionId) -> Result<Opinion, IpcError> {
        self.store()
            .latest_opinion(member, id)?
            .filter(|o| o.author == member)
            .ok_or_else(|| IpcError::new(IpcErrorCode::NotFound, "no such opinion of yours"))
    }
}

fn link(view: dto::PaperLinkView) -> Result<PaperLink, IpcError> {
    Ok(PaperLink {
        paper_id: parse_id(&view.paper_id)?,
        page: view.page,
        quote: view.quote.filter(|q| !q.trim().is_empty()),
    })
}

fn link_view(link: PaperLink) -> dto::PaperLinkView {
    dto::PaperLinkView {
        paper_id: link.paper_id.to_string(),
        page: link.page,
        quote: link.quote,
    }
}

/// A refusal by the domain's rule, under the code the server would answer it with.
fn refused(refusal: OpinionRefusal) -> IpcError {
    let code = match refusal {
        OpinionRefusal::NotASender => IpcErrorCode::Forbidden,
        OpinionRefusal::MeetingArchived => IpcErrorCode::Conflict,
        OpinionRefusal::BodyTooLong | OpinionRefusal::QuoteTooLong => IpcErrorCode::PayloadTooLarge,
        _ => IpcErrorCode::BadRequest,
    };
    IpcError::new(code, refusal.to_string())
}

/// Versions as the store lists them, gathered per opinion (in the order each was first
/// sent), each opinion's versions oldest first. (A waiting version leaves the outbox in the
/// transaction that keeps the server's answer, so none shows twice; one numbered like a
/// version another device sent meanwhile shows beside it, and the server numbers it next.)
fn grouped(
    shown: Vec<LocalOpinion>,
    member: MemberId,
    names: &HashMap<MemberId, String>,
) -> Vec<dto::OpinionView> {
    let mut opinions: Vec<dto::OpinionView> = Vec::new();
    for LocalOpinion { opinion: o, sync } in shown {
        let version = dto::OpinionVersionView {
            version: o.version,
            body: o.body,
            paper: o.paper.map(link_view),
            sent_at: o.sent_at.millis(),
            withdrawn: o.withdrawn,
            sync: match sync {
                OpinionSync::Synced => dto::OpinionSyncView::Synced,
                OpinionSync::Pending => dto::OpinionSyncView::Pending,
                OpinionSync::Refused { code, message } => dto::OpinionSyncView::Refused {
                    error: crate::error::server_refusal(&code, &message),
                },
            },
        };
        let id = o.id.to_string();
        match opinions.iter_mut().find(|v| v.id == id) {
            Some(view) => view.versions.push(version),
            None => opinions.push(dto::OpinionView {
                id,
                item_id: o.item_id.to_string(),
                author_id: o.author.to_string(),
                author_name: names.get(&o.author).cloned().unwrap_or_default(),
                own: o.author == member,
                versions: vec![version],
            }),
        }
    }
    for view in &mut opinions {
        // Where numbers tie, what the server holds comes before what still waits here.
        view.versions
            .sort_by_key(|v| (v.version, !matches!(v.sync, dto::OpinionSyncView::Synced)));
    }
    opinions
}
