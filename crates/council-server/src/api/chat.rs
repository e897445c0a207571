//! Chat (trò chuyện): conversations, messages and marks (`ecabinet_domain::chat` has the
//! rules, `crate::chat` the senders' rates and the conversations' turns).
//!
//! A conversation the caller may not read does not exist for them: every route answers it
//! 404 `not_found`, exactly as an id nobody used, so a private conversation's existence leaks
//! to no one. Messages reach the readers' live sockets whole (`chat_message`); a device
//! catches up after a gap with `GET …/messages?after=REV`. Nothing of chat rides the change
//! log.

use super::ApiResult;
use super::papers::sitting_participants;
use crate::ServerState;
use crate::auth::Caller;
use crate::error::{Json, Path, Query, ServerError};
use axum::extract::State;
use council_storage::StoredConversation;
use ecabinet_domain::chat::{
    ChatRefusal, Chatter, Conversation, ConversationKind, Message, check_body,
};
use ecabinet_domain::{
    ConversationId, CouncilId, Meeting, MeetingStatus, MemberId, MessageId, Role,
};
use ecabinet_protocol::{
    ApiError, ChatEdit, ChatEntry, ChatMarksUpdate, ChatPage, ChatPageQuery, ChatPost,
    ConversationView, ErrorCode, GroupMembersChange, LiveEvent, MAX_CHAT_PAGE, NewGroup,
};
use std::collections::HashSet;
use std::sync::Arc;

impl From<ChatRefusal> for ServerError {
    fn from(refusal: ChatRefusal) -> Self {
        let error = ServerError::new(refusal.into(), refusal.to_string());
        match refusal {
            ChatRefusal::TooFast { retry_ms } => {
                error.with_retry_after(u64::try_from((retry_ms + 999) / 1000).unwrap_or(1))
            }
            _ => error,
        }
    }
}

fn no_such_conversation() -> ServerError {
    ServerError::not_found("no such conversation")
}

fn no_such_message() -> ServerError {
    ServerError::not_found("no such message")
}

fn chatter(caller: &Caller) -> Chatter {
    member_chatter(&caller.member)
}

/// An enabled member as the rules see them (a disabled account has no session, and is not
/// among the council's accounts the server lists).
fn member_chatter(member: &ecabinet_domain::Member) -> Chatter {
    Chatter {
        member: member.id,
        role: member.role,
        active: true,
    }
}

/// The conversation, if the caller reads it (404 otherwise, as for an id nobody used).
async fn readable(
    state: &ServerState,
    caller: &Caller,
    id: ConversationId,
) -> Result<StoredConversation, ServerError> {
    match state.storage.conversation(id).await? {
        Some(stored)
            if stored.council == caller.member.council_id
                && stored.conversation.may_read(chatter(caller)) =>
        {
            Ok(stored)
        }
        _ => Err(no_such_conversation()),
    }
}

/// Who reads the conversation now, whose sockets hear its messages: its named members, and
/// those of the council's members who read it by their role.
async fn audience(
    state: &ServerState,
    council: CouncilId,
    conversation: &Conversation,
) -> Result<Arc<HashSet<MemberId>>, ServerError> {
    let mut members: HashSet<MemberId> = conversation.named_members().into_iter().collect();
    if conversation.read_by_role() {
        let accounts = state.storage.accounts(council, state.clock.now()).await?;
        members.extend(
            accounts
                .iter()
                .filter(|(m, _)| conversation.may_read(member_chatter(m)))
                .map(|(m, _)| m.id),
        );
    }
    Ok(Arc::new(members))
}

/// The council's enabled members, by id.
async fn council_members(
    state: &ServerState,
    council: CouncilId,
) -> Result<HashSet<MemberId>, ServerError> {
    let accounts = state.storage.accounts(council, state.clock.now()).await?;
    Ok(accounts.into_iter().map(|(m, _)| m.id).collect())
}

/// `bad_request` naming the first of `wanted` who is not an enabled member of the council.
async fn all_in_council(
    state: &ServerState,
    council: CouncilId,
    wanted: &[MemberId],
) -> Result<(), ServerError> {
    let members = council_members(state, council).await?;
    match wanted.iter().find(|m| !members.contains(m)) {
        Some(stranger) => Err(ServerError::bad_request(format!(
            "{stranger} is not a member of this council"
        ))),
        None => Ok(()),
    }
}

/// The meeting's conversation as its participants stand now (stored if new or changed).
async fn meeting_conversation(
    state: &ServerState,
    meeting: &Meeting,
    stored: Option<StoredConversation>,
) -> Result<StoredConversation, ServerError> {
    let latest = state.storage.latest_packet(meeting.id).await?;
    let participants = sitting_participants(state, meeting, latest.as_ref()).await?;
    let fresh = Conversation::well_known(
        meeting.council_id,
        ConversationKind::Meeting {
            meeting_id: meeting.id,
        },
        participants.iter().map(|p| p.member_id).collect(),
        stored
            .as_ref()
            .map_or(state.clock.now(), |s| s.conversation.created_at),
    );
    match stored {
        Some(stored) if stored.conversation == fresh => Ok(stored),
        _ => Ok(state
            .storage
            .put_conversation(meeting.council_id, &fresh)
            .await?),
    }
}

/// Whether a meeting has a conversation: announced and not filed away.
fn meeting_talks(meeting: &Meeting) -> bool {
    matches!(
        meeting.status,
        MeetingStatus::Scheduled | MeetingStatus::InProgress | MeetingStatus::Closed
    )
}

/// The conversation as the caller sees it: everyone's marks in a private conversation or
/// one with the secretariat, their own elsewhere.
async fn view(
    state: &ServerState,
    caller: &Caller,
    stored: StoredConversation,
) -> Result<ConversationView, ServerError> {
    let marks = state.storage.chat_marks(stored.conversation.id).await?;
    let own = marks.iter().find(|m| m.mark.member == caller.member.id);
    let muted = own.is_some_and(|m| m.muted);
    let marks = if stored.conversation.shares_marks() {
        marks.iter().map(|m| m.mark).collect()
    } else {
        own.map(|m| m.mark).into_iter().collect()
    };
    Ok(ConversationView {
        conversation: stored.conversation,
        rev: stored.rev,
        last_seq: stored.last_seq,
        marks,
        muted,
    })
}

/// The caller's conversations, oldest first: private ones, groups, the meetings they sit in,
/// theirs with the secretariat (every member's, for the secretariat) and the announcements.
#[utoipa::path(
    get, path = "/api/v1/chat/conversations", tag = "chat", security(("bearer" = [])),
    responses(
        (status = 200, body = Vec<ConversationView>),
        (status = 401, body = ApiError),
        (status = 403, body = ApiError, description = "`password_change_required`")
    )
)]
pub async fn conversations(
    State(state): State<ServerState>,
    caller: Caller,
) -> ApiResult<Vec<ConversationView>> {
    let council = caller.member.council_id;
    let me = chatter(&caller);
    let announcements = ConversationKind::Announcements
        .derived_id(council)
        .expect("announcements have a derived id");
    if state.storage.conversation(announcements).await?.is_none() {
        let made = Conversation::well_known(
            council,
            ConversationKind::Announcements,
            Vec::new(),
            state.clock.now(),
        );
        state.storage.put_conversation(council, &made).await?;
    }
    // Each current meeting's conversation, with its participants as they stand.
    for meeting in state.storage.meetings(council).await? {
        if !meeting_talks(&meeting) {
            continue;
        }
        let id = ConversationKind::Meeting {
            meeting_id: meeting.id,
        }
        .derived_id(council)
        .expect("a meeting's conversation has a derived id");
        let stored = state.storage.conversation(id).await?;
        meeting_conversation(&state, &meeting, stored).await?;
    }
    let stored = state
        .storage
        .member_conversations(
            council,
            caller.member.id,
            caller.member.role == Role::Secretary,
        )
        .await?;
    let mut views = Vec::with_capacity(stored.len());
    for conversation in stored {
        if conversation.conversation.may_read(me) {
            views.push(view(&state, &caller, conversation).await?);
        }
    }
    Ok(Json(views))
}

/// One of the caller's conversations.
#[utoipa::path(
    get, path = "/api/v1/chat/conversations/{conversation_id}", tag = "chat", security(("bearer" = [])),
    params(("conversation_id" = uuid::Uuid, Path, description = "the conversation's UUID")),
    responses(
        (status = 200, body = ConversationView),
        (status = 401, body = ApiError),
        (status = 403, body = ApiError, description = "`password_change_required`"),
        (status = 404, body = ApiError, description = "no such conversation, or not the caller's")
    )
)]
pub async fn conversation(
    State(state): State<ServerState>,
    caller: Caller,
    Path(id): Path<ConversationId>,
) -> ApiResult<ConversationView> {
    let stored = readable(&state, &caller, id).await?;
    Ok(Json(view(&state, &caller, stored).await?))
}

/// The conversation's messages changed after the device's cursor, in revision order.
#[utoipa::path(
    get, path = "/api/v1/chat/conversations/{conversation_id}/messages", tag = "chat", security(("bearer" = [])),
    params(("conversation_id" = uuid::Uuid, Path, description = "the conversation's UUID"), ChatPageQuery),
    responses(
        (status = 200, body = ChatPage),
        (status = 401, body = ApiError),
        (status = 403, body = ApiError, description = "`password_change_required`"),
        (status = 404, body = ApiError, description = "no such conversation, or not the caller's")
    )
)]
pub async fn messages(
    State(state): State<ServerState>,
    caller: Caller,
    Path(id): Path<ConversationId>,
    Query(query): Query<ChatPageQuery>,
) -> ApiResult<ChatPage> {
    let stored = readable(&state, &caller, id).await?;
    let limit = query.limit.unwrap_or(MAX_CHAT_PAGE).clamp(1, MAX_CHAT_PAGE);
    let mut entries = state
        .storage
        .messages_after(stored.conversation.id, query.after, limit + 1)
        .await?;
    let has_more = entries.len() > limit as usize;
    entries.truncate(limit as usize);
    Ok(Json(ChatPage {
        conversation_id: stored.conversation.id,
        entries,
        has_more,
    }))
}

/// The conversation a post goes to: stored, or (a private one, a member's with the
/// secretariat, a meeting's) made from the kind the post names, which must make its id.
async fn destination(
    state: &ServerState,
    caller: &Caller,
    post: &ChatPost,
) -> Result<StoredConversation, ServerError> {
    let council = caller.member.council_id;
    let stored = state.storage.conversation(post.conversation_id).await?;
    if let Some(stored) = &stored
        && stored.council != council
    {
        return Err(no_such_conversation());
    }
    let kind = match (&stored, &post.kind) {
        (Some(stored), _) => stored.conversation.kind.clone(),
        (None, Some(kind)) if kind.derived_id(council) == Some(post.conversation_id) => {
            kind.clone()
        }
        (None, _) => return Err(no_such_conversation()),
    };
    match kind {
        ConversationKind::Meeting { meeting_id } => {
            let meeting = state
                .storage
                .meeting(meeting_id)
                .await
                .map_err(|_| no_such_conversation())?;
            if meeting.council_id != council || !meeting_talks(&meeting) {
                return Err(no_such_conversation());
            }
            // Its members as the participants stand now, so a post reaches exactly them.
            meeting_conversation(state, &meeting, stored).await
        }
        _ if stored.is_some() => Ok(stored.expect("checked")),
        ConversationKind::Group { .. } => Err(no_such_conversation()),
        // A private conversation, a member's with the secretariat, the announcements: the
        // caller must read it, and whoever it names must be of the council.
        kind => {
            let made = Conversation::well_known(council, kind, Vec::new(), state.clock.now());
            let members = council_members(state, council).await?;
            let named = made.named_members();
            if !made.may_read(chatter(caller)) || !named.iter().all(|m| members.contains(m)) {
                return Err(no_such_conversation());
            }
            Ok(state.storage.put_conversation(council, &made).await?)
        }
    }
}

/// A message under the id its device made: a retry (the same id again) is answered with the
/// message stored the first time, never posted twice. The message goes to the live sockets
/// of everyone who reads the conversation.
#[utoipa::path(
    put, path = "/api/v1/chat/messages/{message_id}", tag = "chat", security(("bearer" = [])),
    params(("message_id" = uuid::Uuid, Path, description = "the message's UUID, made by the device that wrote it")),
    request_body = ChatPost,
    responses(
        (status = 200, body = ChatEntry),
        (status = 400, body = ApiError, description = "an empty message, a NUL character, a reply to a message of another conversation (bad_request)"),
        (status = 401, body = ApiError),
        (status = 403, body = ApiError, description = "only the secretariat posts announcements (forbidden); `password_change_required`"),
        (status = 404, body = ApiError, description = "no such conversation, or not the caller's"),
        (status = 409, body = ApiError, description = "the id is another message's (conflict)"),
        (status = 413, body = ApiError, description = "longer than a message may be (message_too_long)"),
        (status = 429, body = ApiError, description = "over the sender's rate (too_many_messages); `Retry-After` says when to send again",
            headers(("Retry-After" = u64, description = "seconds to wait")))
    )
)]
pub async fn post_message(
    State(state): State<ServerState>,
    caller: Caller,
    Path(id): Path<MessageId>,
    Json(post): Json<ChatPost>,
) -> ApiResult<ChatEntry> {
    Ok(Json(post_as(&state, &caller.member, id, post).await?))
}

/// `member` as the rules see a caller, for what the server does on a member's behalf
/// (the demo's messages).
fn acting_as(member: &ecabinet_domain::Member) -> Caller {
    Caller {
        member: member.clone(),
        token_hash: String::new(),
    }
}

/// Posts `post` as `member`, as `PUT /api/v1/chat/messages/{id}` does (the demo's messages
/// go this way too).
pub(crate) async fn post_as(
    state: &ServerState,
    member: &ecabinet_domain::Member,
    id: MessageId,
    post: ChatPost,
) -> Result<ChatEntry, ServerError> {
    let caller = &acting_as(member);
    let state = state.clone();
    let conversation = destination(&state, caller, &post).await?;
    let council = conversation.council;
    let conversation = conversation.conversation;
    conversation.may_post(chatter(caller))?;
    check_body(&post.body)?;
    let _turn = state.chat.turn(conversation.id).await;
    if let Some(sent) = state.storage.chat_message(id).await? {
        // A retry: answered as stored, without taking from the sender's rate.
        if sent.message.conversation_id == conversation.id
            && sent.message.author == caller.member.id
        {
            return Ok(sent);
        }
        return Err(ServerError::new(
            ErrorCode::Conflict,
            "this message id is another message's; make a new one",
        ));
    }
    if let Some(reply_to) = post.reply_to {
        let replied = state.storage.chat_message(reply_to).await?;
        if replied.is_none_or(|r| r.message.conversation_id != conversation.id) {
            return Err(ServerError::bad_request(
                "a reply answers a message of the same conversation",
            ));
        }
    }
    let now = state.clock.now();
    state.chat.take(caller.member.id, now)?;
    let message = Message {
        id,
        conversation_id: conversation.id,
        seq: 0,
        author: caller.member.id,
        body: post.body,
        reply_to: post.reply_to,
        paper: post.paper,
        sent_at: now,
        edited_at: None,
        deleted_at: None,
    };
    let (entry, new) = state.storage.post_message(&message).await?;
    if new {
        let audience = audience(&state, council, &conversation).await?;
        state.live.publish_chat(
            council,
            audience,
            &LiveEvent::ChatMessage {
                entry: Box::new(entry.clone()),
            },
        );
    }
    Ok(entry)
}

/// The author's own message, in a conversation they still read; a stranger's probe is 404.
async fn own_message(
    state: &ServerState,
    caller: &Caller,
    id: MessageId,
) -> Result<(StoredConversation, ChatEntry), ServerError> {
    let entry = state
        .storage
        .chat_message(id)
        .await?
        .ok_or_else(no_such_message)?;
    let conversation = readable(state, caller, entry.message.conversation_id)
        .await
        .map_err(|_| no_such_message())?;
    Ok((conversation, entry))
}

/// Stores a changed message under the conversation's next revision and sends it to its
/// readers.
async fn store_change(
    state: &ServerState,
    conversation: &StoredConversation,
    message: &Message,
) -> Result<ChatEntry, ServerError> {
    let entry = state.storage.change_message(message).await?;
    let audience = audience(state, conversation.council, &conversation.conversation).await?;
    state.live.publish_chat(
        conversation.council,
        audience,
        &LiveEvent::ChatMessage {
            entry: Box::new(entry.clone()),
        },
    );
    Ok(entry)
}

/// The author edits their message: everyone sees it marked edited.
#[utoipa::path(
    patch, path = "/api/v1/chat/messages/{message_id}", tag = "chat", security(("bearer" = [])),
    params(("message_id" = uuid::Uuid, Path, description = "the message's UUID")),
    request_body = ChatEdit,
    responses(
        (status = 200, body = ChatEntry),
        (status = 400, body = ApiError, description = "an empty message or a NUL character (bad_request)"),
        (status = 401, body = ApiError),
        (status = 403, body = ApiError, description = "not the message's author (forbidden); `password_change_required`"),
        (status = 404, body = ApiError, description = "no such message, or not in a conversation of the caller's"),
        (status = 409, body = ApiError, description = "the message was deleted (message_deleted)"),
        (status = 413, body = ApiError, description = "longer than a message may be (message_too_long)")
    )
)]
pub async fn edit_message(
    State(state): State<ServerState>,
    caller: Caller,
    Path(id): Path<MessageId>,
    Json(edit): Json<ChatEdit>,
) -> ApiResult<ChatEntry> {
    let (conversation, _) = own_message(&state, &caller, id).await?;
    let _turn = state.chat.turn(conversation.conversation.id).await;
    let (conversation, entry) = own_message(&state, &caller, id).await?;
    let mut message = entry.message;
    if message.author == caller.member.id && message.body == edit.body {
        return Ok(Json(ChatEntry {
            rev: entry.rev,
            message,
        }));
    }
    message.edit(caller.member.id, &edit.body, state.clock.now())?;
    Ok(Json(store_change(&state, &conversation, &message).await?))
}

/// The author deletes their message: its text goes, a trace stays ("tin nhắn đã bị xóa").
/// Deleting it again answers it as it stands.
#[utoipa::path(
    delete, path = "/api/v1/chat/messages/{message_id}", tag = "chat", security(("bearer" = [])),
    params(("message_id" = uuid::Uuid, Path, description = "the message's UUID")),
    responses(
        (status = 200, body = ChatEntry),
        (status = 401, body = ApiError),
        (status = 403, body = ApiError, description = "not the message's author (forbidden); `password_change_required`"),
        (status = 404, body = ApiError, description = "no such message, or not in a conversation of the caller's")
    )
)]
pub async fn delete_message(
    State(state): State<ServerState>,
    caller: Caller,
    Path(id): Path<MessageId>,
) -> ApiResult<ChatEntry> {
    let (conversation, _) = own_message(&state, &caller, id).await?;
    let _turn = state.chat.turn(conversation.conversation.id).await;
    let (conversation, entry) = own_message(&state, &caller, id).await?;
    let mut message = entry.message;
    if message.author == caller.member.id && message.deleted_at.is_some() {
        return Ok(Json(ChatEntry {
            rev: entry.rev,
            message,
        }));
    }
    message.delete(caller.member.id, state.clock.now())?;
    Ok(Json(store_change(&state, &conversation, &message).await?))
}

/// A new group under the id its owner's device made, with the owner and `members` in it; a
/// retry answers it as stored.
#[utoipa::path(
    put, path = "/api/v1/chat/groups/{conversation_id}", tag = "chat", security(("bearer" = [])),
    params(("conversation_id" = uuid::Uuid, Path, description = "the group's UUID, made by its owner's device")),
    request_body = NewGroup,
    responses(
        (status = 200, body = ConversationView),
        (status = 400, body = ApiError, description = "no title or too long, too many members, a member not of the council (bad_request)"),
        (status = 401, body = ApiError),
        (status = 403, body = ApiError, description = "`password_change_required`"),
        (status = 404, body = ApiError, description = "the id is a conversation the caller does not read"),
        (status = 409, body = ApiError, description = "the id is another conversation's (conflict)"),
        (status = 413, body = ApiError)
    )
)]
pub async fn create_group(
    State(state): State<ServerState>,
    caller: Caller,
    Path(id): Path<ConversationId>,
    Json(group): Json<NewGroup>,
) -> ApiResult<ConversationView> {
    Ok(Json(group_as(&state, &caller.member, id, group).await?))
}

/// Makes a group with `member` as its owner, as `PUT /api/v1/chat/groups/{id}` does.
pub(crate) async fn group_as(
    state: &ServerState,
    member: &ecabinet_domain::Member,
    id: ConversationId,
    group: NewGroup,
) -> Result<ConversationView, ServerError> {
    let caller = &acting_as(member);
    let state = state.clone();
    let council = caller.member.council_id;
    if let Some(stored) = state.storage.conversation(id).await? {
        // Someone else's conversation does not exist for the caller.
        if stored.council != council || !stored.conversation.may_read(chatter(caller)) {
            return Err(no_such_conversation());
        }
        let retry = matches!(&stored.conversation.kind,
                ConversationKind::Group { owner, .. } if *owner == caller.member.id);
        if retry {
            return view(&state, caller, stored).await;
        }
        return Err(ServerError::new(
            ErrorCode::Conflict,
            "this id is another conversation's; make a new one",
        ));
    }
    all_in_council(&state, council, &group.members).await?;
    let made = Conversation::group(
        id,
        caller.member.id,
        &group.title,
        &group.members,
        state.clock.now(),
    )?;
    let stored = state.storage.put_conversation(council, &made).await?;
    state.live.publish_chat(
        council,
        Arc::new(made.members.iter().copied().collect()),
        &LiveEvent::ChatConversation {
            conversation: Box::new(made),
        },
    );
    view(&state, caller, stored).await
}

/// The group's owner adds and removes members. Whoever is removed hears nothing of the
/// group from then on.
#[utoipa::path(
    post, path = "/api/v1/chat/conversations/{conversation_id}/members", tag = "chat", security(("bearer" = [])),
    params(("conversation_id" = uuid::Uuid, Path, description = "the group's UUID")),
    request_body = GroupMembersChange,
    responses(
        (status = 200, body = ConversationView),
        (status = 400, body = ApiError, description = "too many members, a member not of the council (bad_request)"),
        (status = 401, body = ApiError),
        (status = 403, body = ApiError, description = "not the group's owner, or not a group (forbidden); `password_change_required`"),
        (status = 404, body = ApiError, description = "no such conversation, or not the caller's"),
        (status = 413, body = ApiError)
    )
)]
pub async fn change_group_members(
    State(state): State<ServerState>,
    caller: Caller,
    Path(id): Path<ConversationId>,
    Json(change): Json<GroupMembersChange>,
) -> ApiResult<ConversationView> {
    readable(&state, &caller, id).await?;
    let _turn = state.chat.turn(id).await;
    let stored = readable(&state, &caller, id).await?;
    let council = stored.council;
    let before = stored.conversation.members.clone();
    all_in_council(&state, council, &change.add).await?;
    let mut group = stored.conversation.clone();
    group.change_members(chatter(&caller), &change.add, &change.remove)?;
    let stored = state.storage.put_conversation(council, &group).await?;
    let left: HashSet<MemberId> = before
        .into_iter()
        .filter(|m| !group.members.contains(m))
        .collect();
    if !left.is_empty() {
        state.live.publish_chat(
            council,
            Arc::new(left),
            &LiveEvent::ChatLeft {
                conversation_id: group.id,
            },
        );
    }
    state.live.publish_chat(
        council,
        Arc::new(group.members.iter().copied().collect()),
        &LiveEvent::ChatConversation {
            conversation: Box::new(group),
        },
    );
    Ok(Json(view(&state, &caller, stored).await?))
}

/// The caller's devices received or read up to a message, or the caller mutes or unmutes
/// the conversation. In a private conversation (or one with the secretariat) the other side
/// hears the marks live; elsewhere only the caller's other devices do.
#[utoipa::path(
    post, path = "/api/v1/chat/conversations/{conversation_id}/marks", tag = "chat", security(("bearer" = [])),
    params(("conversation_id" = uuid::Uuid, Path, description = "the conversation's UUID")),
    request_body = ChatMarksUpdate,
    responses(
        (status = 200, body = ConversationView),
        (status = 400, body = ApiError, description = "a mark past the conversation's last message (bad_request)"),
        (status = 401, body = ApiError),
        (status = 403, body = ApiError, description = "`password_change_required`"),
        (status = 404, body = ApiError, description = "no such conversation, or not the caller's"),
        (status = 413, body = ApiError)
    )
)]
pub async fn mark_conversation(
    State(state): State<ServerState>,
    caller: Caller,
    Path(id): Path<ConversationId>,
    Json(update): Json<ChatMarksUpdate>,
) -> ApiResult<ConversationView> {
    let stored = readable(&state, &caller, id).await?;
    let past_end = [update.delivered, update.read]
        .into_iter()
        .flatten()
        .any(|seq| seq > stored.last_seq);
    if past_end {
        return Err(ServerError::bad_request(format!(
            "the conversation's last message is number {}",
            stored.last_seq
        )));
    }
    let mark = state
        .storage
        .put_chat_mark(id, caller.member.id, update)
        .await?;
    if update.delivered.is_some() || update.read.is_some() {
        let audience = if stored.conversation.shares_marks() {
            audience(&state, stored.council, &stored.conversation).await?
        } else {
            Arc::new(HashSet::from([caller.member.id]))
        };
        state.live.publish_chat(
            stored.council,
            audience,
            &LiveEvent::ChatMark {
                conversation_id: id,
                mark: mark.mark,
            },
        );
    }
    Ok(Json(view(&state, &caller, stored).await?))
}
