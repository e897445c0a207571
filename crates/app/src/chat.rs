//! Chat on this device: the member's conversations and messages from the store, and what
//! the member writes, kept at once in the store's outbox and sent by the sync loop.
//!
//! **Nothing written is lost, nothing is sent twice, nothing overtakes.** A message is saved
//! in the outbox under an id made here the moment the member sends it, and shows at once as
//! waiting; the sync loop sends each conversation's outbox in the order written, and the
//! server stores a retried id once. The server's copy replaces the waiting one in the same
//! transaction that drops it from the outbox, so it never flickers away. A refused message
//! stays, with the reason, and holds back what was written after it in its conversation
//! until the member retries or discards it (Matrix learned this: a skipped failure
//! reorders a conversation).
//!
//! A private conversation, or one with the secretariat, is named by an id its kind makes
//! (`ConversationKind::derived_id`), so the member opens one offline and its first message
//! creates it on the server.

use crate::dto::{self, IpcError, IpcErrorCode};
use crate::{AppCore, Notify, parse_id};
use ecabinet_domain::chat::ChatRefusal;
use ecabinet_domain::chat::{
    Chatter, Conversation, ConversationKind, Message, PaperPage, check_body,
};
use ecabinet_domain::{ConversationId, Member, MemberId, MessageId, PaperId};
use ecabinet_protocol::{ChatEdit, ChatMark, ChatPost, GroupMembersChange, NewGroup};
use ecabinet_store::{ChatRequest, ChatSync, LocalConversation, LocalMessage, Store};
use ecabinet_sync::{ChatNews, CouncilClient};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::broadcast;
use uuid::Uuid;

/// How many conversations' messages a search answers at most.
const SEARCH_HITS: usize = 50;

/// Names of the council's members, and the papers the member reads, for showing messages.
struct Names {
    members: HashMap<MemberId, Member>,
    /// Papers the member reads: title and meeting.
    papers: HashMap<PaperId, (String, String)>,
    me: MemberId,
}

impl Names {
    fn of(store: &Store, me: MemberId) -> Result<Names, IpcError> {
        let members = store.members()?.into_iter().map(|m| (m.id, m)).collect();
        let papers = store
            .readable_papers(me)?
            .into_iter()
            .map(|p| (p.paper_id, (p.title, p.meeting_id.to_string())))
            .collect();
        Ok(Names {
            members,
            papers,
            me,
        })
    }

    fn member(&self, id: MemberId) -> String {
        self.members
            .get(&id)
            .map_or_else(|| id.to_string(), |m| m.display_name.clone())
    }

    fn message(&self, shown: &LocalMessage, marks: &[ChatMark]) -> dto::ChatMessageView {
        let message = &shown.message;
        let mine = message.author == self.me;
        let (state, refusal) = match &shown.sync {
            ChatSync::Waiting => (dto::ChatMessageState::Waiting, None),
            ChatSync::Refused { code, message } => (
                dto::ChatMessageState::Refused,
                Some(crate::error::server_refusal(code, message)),
            ),
            ChatSync::Stored => {
                // Someone else's marks: read or delivered up to this message.
                let others = marks.iter().filter(|m| m.member != self.me);
                let mut state = dto::ChatMessageState::Sent;
                for mark in others {
                    if mark.read >= message.seq {
                        state = dto::ChatMessageState::Read;
                    } else if mark.delivered >= message.seq && state == dto::ChatMessageState::Sent
                    {
                        state = dto::ChatMessageState::Delivered;
                    }
                }
                (state, None)
            }
        };
        dto::ChatMessageView {
            id: message.id.to_string(),
            conversation_id: message.conversation_id.to_string(),
            seq: u32::try_from(message.seq).unwrap_or(u32::MAX),
            author_id: message.author.to_string(),
            author_name: self.member(message.author),
            mine,
            body: message.body.clone(),
            reply_to: message.reply_to.map(|r| r.to_string()),
            paper: message.paper.map(|p| dto::ChatPaperRef {
                paper_id: p.paper_id.to_string(),
                page: p.page,
                title: self.papers.get(&p.paper_id).map(|(t, _)| t.clone()),
                meeting_id: self.papers.get(&p.paper_id).map(|(_, m)| m.clone()),
            }),
            sent_at: message.sent_at.millis(),
            edited: message.edited_at.is_some(),
            deleted: message.deleted_at.is_some(),
            state,
            refusal,
        }
    }

    fn summary(&self, held: &LocalConversation, me: Chatter) -> dto::ConversationSummary {
        let conversation = &held.conversation;
        let (kind, title) = match &conversation.kind {
            ConversationKind::Private { pair } => {
                let other = if pair[0] == self.me { pair[1] } else { pair[0] };
                (dto::ConversationKindView::Private, self.member(other))
            }
            ConversationKind::Group { title, .. } => {
                (dto::ConversationKindView::Group, title.clone())
            }
            ConversationKind::Meeting { .. } => (dto::ConversationKindView::Meeting, String::new()),
            ConversationKind::Announcements => {
                (dto::ConversationKindView::Announcements, String::new())
            }
            ConversationKind::Secretariat { member } => (
                dto::ConversationKindView::Secretariat,
                if *member == self.me {
                    String::new()
                } else {
                    self.member(*member)
                },
            ),
        };
        dto::ConversationSummary {
            id: conversation.id.to_string(),
            kind,
            title,
            members: conversation
                .named_members()
                .into_iter()
                .map(|id| dto::ChatMemberView {
                    id: id.to_string(),
                    name: self.member(id),
                })
                .collect(),
            unread: held.unread,
            muted: held.muted,
            left: held.left,
            may_post: !held.left && conversation.may_post(me).is_ok(),
            owned: matches!(&conversation.kind,
                ConversationKind::Group { owner, .. } if *owner == self.me),
            last: held.last.as_ref().map(|m| self.message(m, &held.marks)),
        }
    }
}

/// A refusal of the chat rules, under the code the server would have answered it with.
fn refusal(refusal: ChatRefusal) -> IpcError {
    crate::error::refused(refusal.into(), &refusal.to_string())
}

fn chatter(member: &Member) -> Chatter {
    Chatter {
        member: member.id,
        role: member.role,
        active: true,
    }
}

impl AppCore {
    /// The member's conversations, the latest activity first (meetings' titles filled in).
    pub fn chat_conversations(&self) -> Result<Vec<dto::ConversationSummary>, IpcError> {
        let session = self.session()?;
        let store = self.store();
        let names = Names::of(&store, session.member.id)?;
        let me = chatter(&session.member);
        let mut summaries = Vec::new();
        for held in store.chat_conversations(session.member.id)? {
            let mut summary = names.summary(&held, me);
            if let ConversationKind::Meeting { meeting_id } = held.conversation.kind {
                summary.title = store
                    .meeting(meeting_id)?
                    .map(|m| m.title)
                    .unwrap_or_default();
            }
            summaries.push(summary);
        }
        Ok(summaries)
    }

    /// A conversation's messages in order, the member's waiting ones last.
    pub fn chat_messages(&self, conversation: &str) -> Result<Vec<dto::ChatMessageView>, IpcError> {
        let session = self.session()?;
        let id: ConversationId = parse_id(conversation)?;
        let store = self.store();
        let names = Names::of(&store, session.member.id)?;
        let marks = store
            .local_conversation(session.member.id, id)?
            .map(|c| c.marks)
            .unwrap_or_default();
        Ok(store
            .chat_messages(id, None)?
            .iter()
            .map(|m| names.message(m, &marks))
            .collect())
    }

    /// The council's members the member may write to, by name (not the member themself).
    pub fn chat_members(&self) -> Result<Vec<dto::ChatMemberView>, IpcError> {
        let session = self.session()?;
        let mut members: Vec<dto::ChatMemberView> = self
            .store()
            .members()?
            .into_iter()
            .filter(|m| m.id != session.member.id)
            .map(|m| dto::ChatMemberView {
                id: m.id.to_string(),
                name: m.display_name,
            })
            .collect();
        members.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(members)
    }

    /// Opens (on this device, offline too) the member's private conversation with `other`;
    /// answers its id.
    pub fn open_private_chat(&self, other: &str) -> Result<String, IpcError> {
        let session = self.session()?;
        let other: MemberId = parse_id(other)?;
        let conversation = Conversation::private(
            session.council.id,
            session.member.id,
            other,
            self.clock.now(),
        )
        .map_err(refusal)?;
        self.store().open_conversation(&conversation)?;
        Ok(conversation.id.to_string())
    }

    /// Opens the member's conversation with the secretariat ("Hỏi Ban thư ký"); answers its id.
    pub fn ask_secretariat(&self) -> Result<String, IpcError> {
        let session = self.session()?;
        let conversation = Conversation::well_known(
            session.council.id,
            ConversationKind::Secretariat {
                member: session.member.id,
            },
            Vec::new(),
            self.clock.now(),
        );
        self.store().open_conversation(&conversation)?;
        Ok(conversation.id.to_string())
    }

    /// Saves a message in the outbox at once and asks the sync loop to send it; answers it
    /// as it shows (waiting).
    pub fn send_chat_message(
        &self,
        draft: dto::ChatDraft,
    ) -> Result<dto::ChatMessageView, IpcError> {
        let session = self.session()?;
        let id: ConversationId = parse_id(&draft.conversation_id)?;
        check_body(&draft.body).map_err(refusal)?;
        let conversation = self
            .store()
            .chat_conversation(id)?
            .ok_or_else(|| IpcError::new(IpcErrorCode::NotFound, "no such conversation here"))?;
        conversation
            .may_post(chatter(&session.member))
            .map_err(refusal)?;
        let paper = match &draft.paper {
            Some(p) => Some(PaperPage {
                paper_id: parse_id(&p.paper_id)?,
                page: p.page,
            }),
            None => None,
        };
        let reply_to = draft.reply_to.as_deref().map(parse_id).transpose()?;
        let message_id = MessageId(Uuid::new_v4());
        let post = ChatPost {
            conversation_id: id,
            // The server may not have it yet (opened here): its kind makes it there.
            kind: conversation
                .kind
                .derived_id(session.council.id)
                .map(|_| conversation.kind.clone()),
            body: draft.body,
            reply_to,
            paper,
        };
        {
            let mut store = self.store();
            store.queue_chat(
                session.member.id,
                message_id,
                id,
                &ChatRequest::Post(post),
                self.clock.now(),
            )?;
        }
        self.push_now();
        let shown = self
            .chat_messages(&draft.conversation_id)?
            .into_iter()
            .find(|m| m.id == message_id.to_string())
            .ok_or_else(|| IpcError::new(IpcErrorCode::Internal, "the message was not kept"))?;
        Ok(shown)
    }

    /// Queues the author's new text for their message.
    pub fn edit_chat_message(&self, message: &str, body: String) -> Result<(), IpcError> {
        let session = self.session()?;
        check_body(&body).map_err(refusal)?;
        let (id, conversation) = self.own_message(&session.member, message)?;
        self.store().queue_chat(
            session.member.id,
            id,
            conversation,
            &ChatRequest::Edit(ChatEdit { body }),
            self.clock.now(),
        )?;
        self.push_now();
        Ok(())
    }

    /// Queues the deletion of the author's message (a trace stays).
    pub fn delete_chat_message(&self, message: &str) -> Result<(), IpcError> {
        let session = self.session()?;
        let (id, conversation) = self.own_message(&session.member, message)?;
        self.store().queue_chat(
            session.member.id,
            id,
            conversation,
            &ChatRequest::Delete,
            self.clock.now(),
        )?;
        self.push_now();
        Ok(())
    }

    fn own_message(
        &self,
        member: &Member,
        message: &str,
    ) -> Result<(MessageId, ConversationId), IpcError> {
        let id: MessageId = parse_id(message)?;
        let shown = self
            .store()
            .chat_message(id)?
            .ok_or_else(|| IpcError::new(IpcErrorCode::NotFound, "no such message here"))?;
        if shown.message.author != member.id {
            return Err(IpcError::new(
                IpcErrorCode::Forbidden,
                "only its author edits or deletes a message",
            ));
        }
        Ok((id, shown.message.conversation_id))
    }

    /// Sends a refused message again (after the member changed nothing, or waited).
    pub fn retry_chat_message(&self, message: &str) -> Result<(), IpcError> {
        let id: MessageId = parse_id(message)?;
        self.store().retry_chat(id)?;
        self.push_now();
        Ok(())
    }

    /// Gives up a refused message: what was written after it in its conversation goes on.
    pub fn discard_chat_message(&self, message: &str) -> Result<(), IpcError> {
        let id: MessageId = parse_id(message)?;
        self.store().discard_chat(id)?;
        self.push_now();
        Ok(())
    }

    /// The member read the conversation to its end: the unread count clears here at once,
    /// the read mark goes to the server with the loop's next marks.
    pub fn mark_chat_read(&self, conversation: &str) -> Result<(), IpcError> {
        let session = self.session()?;
        let id: ConversationId = parse_id(conversation)?;
        let mut store = self.store();
        let last = store
            .chat_messages(id, None)?
            .iter()
            .map(|m| m.message.seq)
            .max()
            .unwrap_or(0);
        if last > 0 {
            store.mark_chat_read(session.member.id, id, last)?;
        }
        Ok(())
    }

    pub fn mute_chat(&self, conversation: &str, muted: bool) -> Result<(), IpcError> {
        let id: ConversationId = parse_id(conversation)?;
        if !self.store().mute_chat(id, muted)? {
            return Err(IpcError::new(
                IpcErrorCode::NotFound,
                "no such conversation here",
            ));
        }
        self.push_now();
        Ok(())
    }

    /// A new group with the member as its owner (needs the server).
    pub async fn create_chat_group(
        &self,
        title: String,
        members: Vec<String>,
    ) -> Result<String, IpcError> {
        let session = self.session()?;
        let members = members
            .iter()
            .map(|m| parse_id(m))
            .collect::<Result<Vec<MemberId>, _>>()?;
        let client = CouncilClient::new(&session.server_url)?;
        let id = ConversationId(Uuid::new_v4());
        let view = client
            .create_chat_group(&session.token, id, &NewGroup { title, members })
            .await?;
        self.store().put_conversation(&view)?;
        Ok(id.to_string())
    }

    /// The owner adds and removes members of a group (needs the server).
    pub async fn change_chat_group(
        &self,
        conversation: &str,
        add: Vec<String>,
        remove: Vec<String>,
    ) -> Result<(), IpcError> {
        let session = self.session()?;
        let id: ConversationId = parse_id(conversation)?;
        let ids = |list: &[String]| {
            list.iter()
                .map(|m| parse_id(m))
                .collect::<Result<Vec<MemberId>, _>>()
        };
        let change = GroupMembersChange {
            add: ids(&add)?,
            remove: ids(&remove)?,
        };
        let client = CouncilClient::new(&session.server_url)?;
        let view = client
            .change_chat_group(&session.token, id, &change)
            .await?;
        self.store().put_conversation(&view)?;
        Ok(())
    }

    /// Messages of the member's conversations that hold every word of `query`, folded as
    /// paper search folds (accents, case and đ do not matter), newest first.
    pub fn search_chat(&self, query: &str) -> Result<Vec<dto::ChatSearchHit>, IpcError> {
        let session = self.session()?;
        let words: Vec<String> = ecabinet_search::fold(query)
            .text
            .split_whitespace()
            .map(str::to_owned)
            .collect();
        if words.is_empty() {
            return Ok(Vec::new());
        }
        let summaries: HashMap<String, dto::ConversationSummary> = self
            .chat_conversations()?
            .into_iter()
            .map(|s| (s.id.clone(), s))
            .collect();
        let store = self.store();
        let names = Names::of(&store, session.member.id)?;
        let mut hits = Vec::new();
        for message in store.chat_bodies()? {
            let folded = ecabinet_search::fold(&message.body).text;
            if !words.iter().all(|w| folded.contains(w.as_str())) {
                continue;
            }
            let Some(summary) = summaries.get(&message.conversation_id.to_string()) else {
                continue;
            };
            hits.push(dto::ChatSearchHit {
                conversation_id: summary.id.clone(),
                conversation_title: summary.title.clone(),
                message: names.message(
                    &LocalMessage {
                        message,
                        sync: ChatSync::Stored,
                    },
                    &[],
                ),
            });
            if hits.len() == SEARCH_HITS {
                break;
            }
        }
        Ok(hits)
    }

    /// Asks the sync loop to push the outbox now (offline, it waits for the network).
    fn push_now(&self) {
        if let Ok(following) = self.following.try_lock()
            && let Some(following) = following.as_ref()
        {
            following.sync.push_now();
        }
    }
}

/// A web address from a message, checked before the system's browser opens it: only an http
/// or https address, whole (a message's text is never trusted to name a program or a file).
pub fn checked_link(address: &str) -> Result<String, IpcError> {
    let refused = || {
        IpcError::new(
            IpcErrorCode::BadRequest,
            "only http and https addresses open",
        )
    };
    let (scheme, rest) = address.split_once("://").ok_or_else(refused)?;
    let scheme_ok = scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https");
    let plain = !rest.is_empty() && !address.chars().any(|c| c.is_whitespace() || c.is_control());
    if scheme_ok && plain {
        Ok(address.to_owned())
    } else {
        Err(refused())
    }
}

/// Tells the window what the sync loop brought to the member's chat, with others' new
/// messages for a notification (none from a muted conversation, or the member's own).
pub(crate) async fn follow(
    mut news: broadcast::Receiver<ChatNews>,
    store: Arc<Mutex<Store>>,
    me: MemberId,
    notify: Arc<dyn Notify>,
) {
    loop {
        let news = match news.recv().await {
            Ok(news) => news,
            Err(broadcast::error::RecvError::Lagged(_)) => ChatNews::Conversations,
            Err(broadcast::error::RecvError::Closed) => return,
        };
        let changed = match news {
            ChatNews::Conversations => dto::ChatChanged {
                conversation_id: None,
                arrived: Vec::new(),
            },
            ChatNews::CaughtUp { conversation_id } => dto::ChatChanged {
                conversation_id: Some(conversation_id.to_string()),
                arrived: Vec::new(),
            },
            ChatNews::Messages {
                conversation_id,
                new,
            } => {
                let arrived = arrived(&store, me, conversation_id, new).unwrap_or_else(|e| {
                    tracing::warn!("reading arrived chat messages: {e:#}");
                    Vec::new()
                });
                dto::ChatChanged {
                    conversation_id: Some(conversation_id.to_string()),
                    arrived,
                }
            }
        };
        notify.chat_changed(changed);
    }
}

fn arrived(
    store: &Arc<Mutex<Store>>,
    me: MemberId,
    conversation: ConversationId,
    new: Vec<Message>,
) -> anyhow::Result<Vec<dto::ChatMessageView>> {
    let store = store.lock().expect("store lock");
    let muted = store
        .local_conversation(me, conversation)?
        .is_none_or(|c| c.muted);
    if muted {
        return Ok(Vec::new());
    }
    let names = Names::of(&store, me).map_err(|e| anyhow::anyhow!(e.message))?;
    Ok(new
        .into_iter()
        .filter(|m| m.author != me && m.deleted_at.is_none())
        .map(|message| {
            names.message(
                &LocalMessage {
                    message,
                    sync: ChatSync::Stored,
                },
                &[],
            )
        })
        .collect())
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_whole_web_addresses_open_in_the_browser() {
        for good in [
            "https://hdnd.phuan.gov.vn/ky-hop",
            "HTTP://example.org/a?b=c#d",
        ] {
            assert_eq!(super::checked_link(good).as_deref().ok(), Some(good));
        }
        for bad in [
            "javascript:alert(1)",
            "file:///etc/passwd",
            "https://",
            "https://example.org/\nrm -rf",
            "https://exa mple.org",
            "ftp://example.org",
            "example.org",
        ] {
            assert!(super::checked_link(bad).is_err(), "{bad:?} must not open");
        }
    }
}
